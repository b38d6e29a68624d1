// The per-function table of a time range: numbers worked out by hand (the
// comments show the arithmetic), and a brute force over random traces.
import test from 'ava';
import {isSliceTrack} from '../../dist/timeline/model.js';
import {rangeTable} from '../../dist/timeline/range-table.js';
import {buildModel, random} from './helpers.js';

const build = events => buildModel(events, {title: 'range'});

// Tid 1: main [0,100] > a [10,40] > b [20,30]; main > a [50,70]; c [120,130].
// Tid 2: a [0,5]; b [95,100]. Plus a counter and an object, which are not functions.
const model = build([
	{ph: 'X', name: 'b', ts: 20, dur: 10, pid: 1, tid: 1},
	{ph: 'X', name: 'a', ts: 10, dur: 30, pid: 1, tid: 1},
	{ph: 'X', name: 'a', ts: 50, dur: 20, pid: 1, tid: 1},
	{ph: 'X', name: 'main', ts: 0, dur: 100, pid: 1, tid: 1},
	{ph: 'X', name: 'c', ts: 120, dur: 10, pid: 1, tid: 1},
	{ph: 'X', name: 'a', ts: 0, dur: 5, pid: 1, tid: 2},
	{ph: 'X', name: 'b', ts: 95, dur: 5, pid: 1, tid: 2},
	{ph: 'C', name: 'memory', ts: 50, pid: 1, args: {heap: 1}},
	{ph: 'N', name: 'Obj', id: 1, ts: 50, pid: 1},
]);

test('the slices overlapping the range, with whole durations and self times', t => {
	// [25,60]: main; a [10,40] (self 30 - 10 = 20) and a [50,70] (self 20); b [20,30]. Not c, nor tid 2's.
	t.deepEqual(rangeTable(model, 25, 60), [
		{name: 'main', calls: 1, total: 100, self: 50, mean: 100, max: 100},
		{name: 'a', calls: 2, total: 50, self: 40, mean: 25, max: 30},
		{name: 'b', calls: 1, total: 10, self: 10, mean: 10, max: 10},
	]);
});

test('the range is closed: slices ending at `from` or starting at `to` count', t => {
	// [40,50]: a [10,40] ends at 40, a [50,70] starts at 50; b [20,30] does not reach 40.
	t.deepEqual(rangeTable(model, 40, 50), [
		{name: 'main', calls: 1, total: 100, self: 50, mean: 100, max: 100},
		{name: 'a', calls: 2, total: 50, self: 40, mean: 25, max: 30},
	]);
	// The instant 100: main [0,100] and tid 2's b [95,100].
	t.deepEqual(rangeTable(model, 100, 100), [
		{name: 'main', calls: 1, total: 100, self: 50, mean: 100, max: 100},
		{name: 'b', calls: 1, total: 5, self: 5, mean: 5, max: 5},
	]);
});

test('a range with nothing in it, and the whole trace over every track', t => {
	t.deepEqual(rangeTable(model, 101, 119), []);
	t.deepEqual(rangeTable(model, 200, 300), []);
	// A: 30 + 20 + 5 = 55 over 3 calls, self 20 + 20 + 5 = 45; b: 10 + 5; c: 10; main: 100.
	t.deepEqual(rangeTable(model, 0, 130), [
		{name: 'main', calls: 1, total: 100, self: 50, mean: 100, max: 100},
		{name: 'a', calls: 3, total: 55, self: 45, mean: 55 / 3, max: 30},
		{name: 'b', calls: 2, total: 15, self: 15, mean: 7.5, max: 10},
		{name: 'c', calls: 1, total: 10, self: 10, mean: 10, max: 10},
	]);
	t.deepEqual(rangeTable(model, Number.NEGATIVE_INFINITY, Number.POSITIVE_INFINITY), rangeTable(model, 0, 130));
});

test('equal totals are ordered by name', t => {
	const tied = build([
		{ph: 'X', name: 'zeta', ts: 0, dur: 10, pid: 1, tid: 1},
		{ph: 'X', name: 'alpha', ts: 20, dur: 10, pid: 1, tid: 1},
		{ph: 'X', name: 'mid', ts: 40, dur: 5, pid: 1, tid: 1},
		{ph: 'X', name: 'mid', ts: 50, dur: 5, pid: 1, tid: 1},
	]);
	t.deepEqual(rangeTable(tied, 0, 60).map(row => row.name), ['alpha', 'mid', 'zeta']);
});

test('random traces: the table equals a brute force over every slice', t => {
	const rand = random(11);
	for (let round = 0; round < 30; round++) {
		const events = [];
		for (let tid = 1; tid <= 3; tid++) {
			let time = 0;
			for (let index = 0; index < 60; index++) {
				time += rand.int(0, 20);
				// Nested pairs, sometimes zero-width.
				const dur = rand() < 0.1 ? 0 : rand.int(1, 40);
				const inner = rand.int(0, dur);
				events.push(
					{ph: 'X', name: `f${rand.int(0, 5)}`, ts: time, dur, pid: 1, tid},
					{ph: 'X', name: `f${rand.int(0, 5)}`, ts: time, dur: inner, pid: 1, tid},
				);
				time += dur;
			}
		}

		const random_ = build(events);
		for (let window = 0; window < 10; window++) {
			const a = rand.int(-10, 2000);
			const b = rand.int(-10, 2000);
			const from = Math.min(a, b);
			const to = Math.max(a, b);
			const rows = new Map();
			for (const track of random_.tracks.filter(track => isSliceTrack(track))) {
				for (let index = 0; index < track.start.length; index++) {
					if (track.start[index] <= to && track.start[index] + track.dur[index] >= from) {
						const name = random_.strings[track.names[index]];
						const row = rows.get(name) ?? {name, calls: 0, total: 0, self: 0, max: 0};
						row.calls++;
						row.total += track.dur[index];
						row.self += track.self[index];
						row.max = Math.max(row.max, track.dur[index]);
						rows.set(name, row);
					}
				}
			}

			const expected = [...rows.values()].map(row => ({...row, mean: row.total / row.calls}))
				.sort((x, y) => y.total - x.total || (x.name < y.name ? -1 : 1));
			t.deepEqual(rangeTable(random_, from, to), expected, `round ${round}: [${from}, ${to}]`);
		}
	}
});
