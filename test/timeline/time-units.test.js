// Durations and axis ticks as the viewer prints them; times are µs.
import test from 'ava';
import {formatDuration, formatTick, tickStep} from '../../dist/timeline/time-units.js';

test('formatDuration picks the largest unit that keeps the number at or above 1', t => {
	t.is(formatDuration(0), '0 s');
	t.is(formatDuration(0.5), '500 ns');
	t.is(formatDuration(0.0123), '12.3 ns');
	t.is(formatDuration(1), '1 µs');
	t.is(formatDuration(1.5), '1.5 µs');
	t.is(formatDuration(12.3456), '12.346 µs');
	t.is(formatDuration(999), '999 µs');
	t.is(formatDuration(1000), '1 ms');
	t.is(formatDuration(1500), '1.5 ms');
	t.is(formatDuration(1234.5678), '1.235 ms');
	t.is(formatDuration(999_000), '999 ms');
	t.is(formatDuration(1_000_000), '1 s');
	t.is(formatDuration(2_500_000), '2.5 s');
	t.is(formatDuration(1_234_567.891), '1.235 s');
	t.is(formatDuration(90_000_000), '90 s');
});

test('formatDuration of negative offsets keeps the sign', t => {
	t.is(formatDuration(-1500), '-1.5 ms');
	t.is(formatDuration(-0.5), '-500 ns');
	t.is(formatDuration(-3), '-3 µs');
	t.is(formatDuration(-2_000_000), '-2 s');
});

test('formatDuration: the ms display (the default) rounds to 3 decimals, the ns display keeps nanoseconds', t => {
	t.is(formatDuration(1234.5678, 'ms'), '1.235 ms');
	t.is(formatDuration(1234.5678, 'ns'), '1.234568 ms');
	t.is(formatDuration(1_234_567.891, 'ns'), '1.234567891 s');
	t.is(formatDuration(2_500_000, 'ns'), '2.5 s');
	t.is(formatDuration(12.3456, 'ns'), '12.346 µs');
	// Below a µs: ns display shows whole nanoseconds, ms display one decimal.
	t.is(formatDuration(0.0123, 'ns'), '12 ns');
	t.is(formatDuration(0.0123, 'ms'), '12.3 ns');
	t.is(formatDuration(0.0004, 'ms'), '0.4 ns');
	t.is(formatDuration(0, 'ns'), '0 s');
});

test('tickStep: 1, 2 or 5 × 10^k, the least that leaves minPixels between ticks', t => {
	t.is(tickStep(1, 100), 100);
	t.is(tickStep(1.5, 100), 200);
	t.is(tickStep(3, 100), 500);
	t.is(tickStep(6, 100), 1000);
	t.is(tickStep(1000, 80), 100_000);
	t.is(tickStep(0.01, 50), 0.5);
	t.is(tickStep(2e-5, 100), 0.002);
	t.is(tickStep(0, 100), 1e-6, 'a zero scale still gives a step');
});

test('tickStep over random scales agrees with a search over every 1, 2, 5 × 10^k', t => {
	let state = 17;
	const next = () => {
		state = (state * 1_103_515_245 + 12_345) % 2_147_483_648;
		return state / 2_147_483_648;
	};

	const candidates = [];
	for (let power = -7; power <= 14; power++) {
		for (const factor of [1, 2, 5]) {
			candidates.push(factor * 10 ** power);
		}
	}

	for (let round = 0; round < 2000; round++) {
		const usPerPixel = 10 ** (next() * 14 - 5);
		const minPixels = 20 + Math.floor(next() * 200);
		const target = usPerPixel * minPixels;
		const step = tickStep(usPerPixel, minPixels);
		const expected = candidates.find(candidate => candidate >= target * (1 - 1e-12));
		t.true(Math.abs(step - expected) <= expected * 1e-9, `tickStep(${usPerPixel}, ${minPixels}) = ${step}, expected ${expected}`);
		t.true(step >= target * (1 - 1e-12));
	}
});

test('formatTick: the unit of the label\'s magnitude, with the decimals the step needs', t => {
	t.is(formatTick(0, 1000), '0 ms');
	t.is(formatTick(3000, 1000), '3 ms');
	t.is(formatTick(4000, 2000), '4 ms');
	t.is(formatTick(52_500, 500), '52.5 ms', 'not 52500 µs');
	t.is(formatTick(1500, 500), '1.5 ms');
	t.is(formatTick(1200, 200), '1.2 ms');
	t.is(formatTick(999.5, 0.5), '999.5 µs');
	t.is(formatTick(1000.5, 0.5), '1.0005 ms');
	t.is(formatTick(20, 10), '20 µs');
	t.is(formatTick(2, 1), '2 µs');
	t.is(formatTick(2_500_000, 500_000), '2.5 s');
	t.is(formatTick(3_000_000, 1_000_000), '3 s');
	t.is(formatTick(5_000_000_000, 2_000_000_000), '5000 s');
	t.is(formatTick(-1500, 500), '-1.5 ms');
});

test('formatTick below a µs: nanoseconds, with decimals for sub-nanosecond steps', t => {
	t.is(formatTick(1.5, 0.5), '1.5 µs', 'the magnitude is over a µs');
	t.is(formatTick(0.05, 0.05), '50 ns');
	t.is(formatTick(0.0015, 0.0005), '1.5 ns');
	t.is(formatTick(0.00012, 0.00002), '0.12 ns');
	t.is(formatTick(0, 0.1), '0 ns');
	// At most 9 decimals.
	t.is(formatTick(1e-13, 1e-13), '0.000000000 ns');
});

test('formatTick: labels of the multiples of a tick step read back as the offset', t => {
	for (const usPerPixel of [1e-5, 3e-4, 0.007, 0.2, 1, 13, 450, 9000, 123_456, 5e6]) {
		const step = tickStep(usPerPixel, 80);
		for (const multiple of [0, 1, 2, 3, 7, 10, 15, 99, 1001, 123_457]) {
			const offset = multiple * step;
			const label = formatTick(offset, step);
			const match = /^(-?\d+(?:\.\d+)?) (ns|µs|ms|s)$/.exec(label);
			t.truthy(match, label);
			const scale = {ns: 1e-3, µs: 1, ms: 1000, s: 1_000_000}[match[2]];
			t.true(Math.abs(Number(match[1]) * scale - offset) <= step * 1e-6, `formatTick(${offset}, ${step}) = ${label}`);
			// The unit follows the magnitude: the number is below 1000 unless the unit is seconds.
			if (match[2] !== 's' && offset > 0) {
				t.true(Number(match[1]) < 1000 + 1e-9, label);
			}
		}
	}
});
