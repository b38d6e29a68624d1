// Level of detail: the visits of forEachVisibleSlice checked against a brute
// force over every slice of the depth.
import test from 'ava';
import {forEachVisibleSlice} from '../../dist/timeline/visible-slices.js';
import {endOrder, random, randomForest, sliceTrack} from './helpers.js';

/** A track of one depth from slices already sorted and disjoint. */
function flatTrack(start, dur) {
	return {
		id: 't1:1', kind: 'thread', name: 'Thread 1', pid: 1, tid: 1,
		depthOffsets: Uint32Array.from([0, start.length]), start: Float64Array.from(start), dur: Float64Array.from(dur),
		self: Float64Array.from(dur), names: new Uint32Array(start.length), args: new Int32Array(start.length).fill(-1),
	};
}

function visitsOf(track, depth, from, to, usPerPixel) {
	const visits = [];
	forEachVisibleSlice(track, depth, from, to, usPerPixel, (index, start, end, count) => visits.push({index, start, end, count}));
	return visits;
}

/** Checks the visits of one depth and window against every slice of the depth; returns the visits. */
function checkWindow(t, track, depth, from, to, usPerPixel, label) {
	const visits = visitsOf(track, depth, from, to, usPerPixel);
	const low = track.depthOffsets[depth];
	const high = track.depthOffsets[depth + 1];
	const {start, dur} = track;
	const coveredBy = new Map();
	let previous = -1;
	const problems = [];
	visits.forEach((visit, number) => {
		if (!(visit.count >= 1 && visit.index >= low && visit.index + visit.count <= high)) {
			problems.push(`visit ${number} ${JSON.stringify(visit)} is outside depth ${depth} [${low}, ${high})`);
			return;
		}

		if (visit.index <= previous) {
			problems.push(`visit ${number} does not come after the previous one`);
		}

		previous = visit.index + visit.count - 1;
		const last = visit.index + visit.count - 1;
		if (visit.start !== start[visit.index] || visit.end !== start[last] + dur[last]) {
			problems.push(`visit ${number} ${JSON.stringify(visit)} does not span its slices`);
		}

		for (let index = visit.index; index <= last; index++) {
			if (coveredBy.has(index)) {
				problems.push(`slice ${index} visited twice`);
			}

			coveredBy.set(index, visit);
			if (visit.count > 1 && dur[index] >= usPerPixel) {
				problems.push(`slice ${index} (${dur[index]} µs wide, a pixel is ${usPerPixel}) merged into a run`);
			}
		}

		if (visit.count > 1) {
			// A merged run joins only slices that lie less than a pixel apart.
			for (let index = visit.index + 1; index <= last; index++) {
				const gap = start[index] - (start[index - 1] + dur[index - 1]);
				if (!(gap < usPerPixel * (1 + 1e-9))) {
					problems.push(`run ${JSON.stringify(visit)} joins slices ${gap} µs apart (a pixel is ${usPerPixel})`);
					break;
				}
			}
		}
	});
	// A run may reach past the window's edges by the slices it joins there, each less than a pixel from the last.
	const lastColumnEnd = Math.max(to + usPerPixel, ...visits.map(visit => visit.end));
	for (let index = low; index < high; index++) {
		const end = start[index] + dur[index];
		const overlaps = start[index] <= to && end >= from;
		const visit = coveredBy.get(index);
		if (overlaps && visit === undefined) {
			problems.push(`slice ${index} [${start[index]}, ${end}] overlaps [${from}, ${to}] but is not visited`);
		}

		if (overlaps && dur[index] >= usPerPixel && !(visit?.index === index && visit.count === 1)) {
			problems.push(`slice ${index} is a pixel wide or more but not visited on its own`);
		}

		if (!overlaps && visit !== undefined && visit.count === 1 && (end < from || start[index] >= lastColumnEnd)) {
			problems.push(`slice ${index} [${start[index]}, ${end}] is visited but lies outside [${from}, ${to}]`);
		}
	}

	// Zoomed out, a level's items are a bucket (a quarter pixel or more) apart or a bucket wide.
	const columns = Math.ceil((to - from) / usPerPixel) + 1;
	if (visits.length > 8 * columns + 4) {
		problems.push(`${visits.length} visits for ${columns} pixel columns`);
	}

	if (problems.length > 0) {
		t.fail(`${label}: ${problems.slice(0, 5).join('; ')}`);
	}

	return visits;
}

test('slices a pixel wide or more are visited one by one, with their own bounds', t => {
	const track = flatTrack([0, 10, 20, 35], [10, 5, 10, 1]);
	t.deepEqual(visitsOf(track, 0, 0, 40, 1), [
		{index: 0, start: 0, end: 10, count: 1},
		{index: 1, start: 10, end: 15, count: 1},
		{index: 2, start: 20, end: 30, count: 1},
		{index: 3, start: 35, end: 36, count: 1},
	]);
	// The window [12, 22]: slice 0 ends before it.
	t.deepEqual(visitsOf(track, 0, 12, 22, 1).map(visit => visit.index), [1, 2]);
});

test('sub-pixel slices close together merge into one block', t => {
	// Pixel = 10 µs from 0: column 0 holds slices at 0, 2, 4 (1 µs each); column 1 holds 12; a wide slice at 30.
	const track = flatTrack([0, 2, 4, 12, 30], [1, 1, 1, 1, 15]);
	t.deepEqual(visitsOf(track, 0, 0, 100, 10), [
		{index: 0, start: 0, end: 5, count: 3},
		{index: 3, start: 12, end: 13, count: 1},
		{index: 4, start: 30, end: 45, count: 1},
	]);
});

test('a wide slice starting in the column of a run is visited on its own after it', t => {
	// Pixel = 10: 0 and 3 are sub-pixel, 6 is 20 µs wide and starts in the same column.
	const track = flatTrack([0, 3, 6, 40], [1, 1, 20, 1]);
	t.deepEqual(visitsOf(track, 0, 0, 100, 10), [
		{index: 0, start: 0, end: 4, count: 2},
		{index: 2, start: 6, end: 26, count: 1},
		{index: 3, start: 40, end: 41, count: 1},
	]);
});

test('the window edges: a slice ending at `from` or starting at `to` still counts', t => {
	const track = flatTrack([0, 10, 10, 10, 20, 30], [10, 0, 0, 10, 10, 5]);
	// Window [10, 20] at 0.5 µs a pixel: slice 0 ends at 10, the zero-width slices sit at 10, slice 4 starts at 20.
	t.deepEqual(visitsOf(track, 0, 10, 20, 0.5).map(visit => [visit.index, visit.count]), [[0, 1], [1, 2], [3, 1], [4, 1]]);
	checkWindow(t, track, 0, 10, 20, 0.5, 'edges');
	// Slice 4 [20,30] holds the window [26,29]; nothing reaches [36,40].
	t.deepEqual(visitsOf(track, 0, 26, 29, 0.5).map(visit => visit.index), [4]);
	t.deepEqual(visitsOf(track, 0, 36, 40, 0.5), []);
});

test('depths outside the track are not visited', t => {
	const track = flatTrack([0], [10]);
	t.deepEqual(visitsOf(track, -1, 0, 100, 1), []);
	t.deepEqual(visitsOf(track, 1, 0, 100, 1), []);
	t.deepEqual(visitsOf(flatTrack([], []), 0, 0, 100, 1), []);
});

test('random slices of widths over many orders of magnitude, random windows: brute force agrees', t => {
	const rand = random(2024);
	for (let round = 0; round < 60; round++) {
		const count = rand.int(0, 600);
		const start = [];
		const dur = [];
		let time = rand() * 100;
		for (let index = 0; index < count; index++) {
			const width = rand() < 0.1 ? 0 : 10 ** (rand() * 6 - 3);
			start.push(time);
			dur.push(width);
			time += width + (rand() < 0.3 ? 0 : 10 ** (rand() * 5 - 3));
		}

		const track = flatTrack(start, dur);
		for (let window = 0; window < 15; window++) {
			const a = rand() * (time + 10) - 5;
			const b = rand() * (time + 10) - 5;
			const from = Math.min(a, b);
			const to = Math.max(a, b);
			const usPerPixel = Math.max((to - from) / rand.int(1, 2000), 1e-6);
			checkWindow(t, track, 0, from, to, usPerPixel, `round ${round}, window ${window}`);
		}

		// Windows whose edges sit exactly on slice boundaries.
		if (count > 2) {
			const first = rand.int(0, count - 1);
			const from = start[first] + (rand() < 0.5 ? dur[first] : 0);
			const to = start[rand.int(first, count - 1)] + dur[first];
			if (to > from) {
				checkWindow(t, track, 0, from, to, (to - from) / rand.int(1, 300), `round ${round}, aligned window`);
			}
		}
	}

	t.pass();
});

test('random call trees: every depth agrees with the brute force', t => {
	const rand = random(5);
	for (let round = 0; round < 20; round++) {
		const {roots} = randomForest(rand, {roots: rand.int(1, 4), maxDepth: 8, width: rand.pick([10, 1000, 100_000])});
		const spans = endOrder(roots);
		const track = sliceTrack(spans.map(span => span.start), spans.map(span => span.dur));
		const end = Math.max(...spans.map(span => span.end));
		for (let window = 0; window < 10; window++) {
			const a = rand() * end;
			const b = rand() * end;
			const from = Math.min(a, b);
			const to = Math.max(a, b) + 1;
			const usPerPixel = (to - from) / rand.pick([1, 3, 50, 800]);
			for (let depth = 0; depth + 1 < track.depthOffsets.length; depth++) {
				checkWindow(t, track, depth, from, to, usPerPixel, `round ${round}, depth ${depth}`);
			}
		}
	}

	t.pass();
});

test('100k tiny slices: the visits stay within about two per pixel column', t => {
	const count = 100_000;
	const start = Float64Array.from({length: count}, (_, index) => index * 0.01);
	const dur = new Float64Array(count).fill(0.004);
	const track = flatTrack(start, dur);
	// 1000 µs over 1000 columns.
	const whole = checkWindow(t, track, 0, 0, 1000, 1, 'whole');
	t.true(whole.length <= 2 * 1001 + 4, `${whole.length} visits`);
	t.is(whole.reduce((sum, visit) => sum + visit.count, 0), count, 'every slice is in exactly one block');
	// Zoomed into 1 µs over 1000 columns: each slice is a pixel wide or more.
	const zoomed = checkWindow(t, track, 0, 500, 501, 0.001, 'zoomed');
	t.true(zoomed.every(visit => visit.count === 1));
	t.is(zoomed.length, start.filter((begin, index) => begin <= 501 && begin + dur[index] >= 500).length, 'the slices at 500.00 … 501.00');
	t.true(zoomed.length >= 100);
	// A window in the middle at a pixel per 7 µs.
	const middle = checkWindow(t, track, 0, 123.456, 789.012, 7, 'middle');
	t.true(middle.length <= 2 * (Math.ceil((789.012 - 123.456) / 7) + 1) + 4);

	// A mix of 100k tiny slices with a few wide ones among them.
	const mixedDur = Float64Array.from({length: count}, (_, index) => (index % 997 === 0 ? 0.009 : 0.001));
	const mixed = flatTrack(start, mixedDur);
	const visits = checkWindow(t, mixed, 0, 0, 1000, 0.008, 'mixed');
	t.true(visits.length <= 2 * 125_001 + 4);
	t.is(visits.filter(visit => visit.count === 1 && mixedDur[visit.index] >= 0.008).length, Math.ceil(count / 997));
});
