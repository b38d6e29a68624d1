/**
 * Times in the viewer are µs, as in the trace's `ts` and `dur`. A duration
 * or an offset is shown in the largest unit that keeps it at or above 1
 * (ns, µs, ms, s), with up to 3 significant decimals; `ns` display keeps
 * nanosecond digits that `ms` display rounds away.
 */
export function formatDuration(us: number, displayTimeUnit: 'ms' | 'ns' = 'ms'): string {
	if (us === 0) {
		return '0 s';
	}

	const ns = displayTimeUnit === 'ns';
	const units: [string, number, number][] = [['ns', 1e-3, ns ? 0 : 1], ['µs', 1, 3], ['ms', 1000, ns ? 6 : 3], ['s', 1_000_000, ns ? 9 : 3]];
	const magnitude = Math.abs(us);
	let unit = units.findIndex(([, scale]) => magnitude < scale * 1000);
	unit = unit < 0 ? units.length - 1 : unit;
	// 999.9999 µs rounds to 1000 µs: that is 1 ms.
	while (unit < units.length - 1 && Math.abs(Number((us / units[unit]![1]).toFixed(units[unit]![2]))) >= 1000) {
		unit++;
	}

	const [name, scale, decimals] = units[unit]!;
	return `${trim(us / scale, decimals)} ${name}`;
}

function trim(value: number, decimals: number): string {
	return String(Number(value.toFixed(decimals)));
}

/** A tick step of 1, 2 or 5 × 10^k µs that leaves at least `minPixels` between ticks. */
export function tickStep(usPerPixel: number, minPixels: number): number {
	const target = usPerPixel * minPixels;
	let step = 10 ** Math.floor(Math.log10(Math.max(target, 1e-6)));
	for (const factor of [1, 2, 5, 10]) {
		if (step * factor >= target) {
			return step * factor;
		}
	}

	step *= 10;
	return step;
}

/** The tick label of an offset from the trace's start: in the unit of its magnitude, with the decimals the step needs (52.5 ms, not 52500 µs). */
export function formatTick(offsetUs: number, stepUs: number): string {
	const magnitude = Math.max(Math.abs(offsetUs), stepUs);
	const [unit, scale] = (magnitude < 1 ? ['ns', 1e-3] : (magnitude < 1000 ? ['µs', 1] : (magnitude < 1_000_000 ? ['ms', 1000] : ['s', 1_000_000]))) as [string, number];
	const decimals = Math.max(0, Math.ceil(-Math.log10(stepUs / scale) - 1e-9));
	return `${(offsetUs / scale).toFixed(Math.min(decimals, 9))} ${unit}`;
}
