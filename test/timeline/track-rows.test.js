// The rows of the track list: heights, collapsed processes, hit testing.
import test from 'ava';
import {counterRowHeight, headerRowHeight, layoutTrackRows, rowAt, sliceRowHeight, trackHeight} from '../../dist/timeline/track-rows.js';
import {buildModel, random} from './helpers.js';

const model = buildModel([
	// Pid 1: a counter and a thread two deep; pid 2: an object, process instants and a thread one deep; pid 3: a thread with only an instant.
	{ph: 'X', name: 'inner', ts: 10, dur: 10, pid: 1, tid: 1},
	{ph: 'X', name: 'outer', ts: 0, dur: 50, pid: 1, tid: 1},
	{ph: 'C', name: 'memory', ts: 0, pid: 1, args: {heap: 1}},
	{ph: 'i', name: 'everywhere', ts: 5, pid: 1, tid: 1, s: 'g'},
	{ph: 'X', name: 'work', ts: 0, dur: 5, pid: 2, tid: 1},
	{ph: 'N', name: 'Obj', id: 1, ts: 1, pid: 2},
	{ph: 'i', name: 'process-wide', ts: 2, pid: 2, tid: 1, s: 'p'},
	{ph: 'i', name: 'mark', ts: 3, pid: 3, tid: 1},
], {title: 'rows'});
const shown = rows => rows.map(row => [model.tracks[row.track].id, row.top, row.height]);

test('the model has the tracks the tests expect', t => {
	t.deepEqual(model.tracks.map(track => track.id), ['g', 'p1', 'c1:memory', 't1:1', 'p2', 'o2:1', 'i2', 't2:1', 'p3', 't3:1']);
});

test('trackHeight: slice rows per depth, counters, headers and objects', t => {
	t.is(sliceRowHeight, 18);
	t.is(counterRowHeight, 44);
	t.is(headerRowHeight, 22);
	t.deepEqual(model.tracks.map(track => trackHeight(track)), [
		22, // Global instants
		22, // Process 1
		44, // Counter
		2 * 18 + 4, // Two depths
		22, // Process 2
		18 + 4, // Object
		22, // Process instants
		18 + 4, // One depth
		22, // Process 3
		18 + 4, // No slices: still one row
	]);
});

test('layoutTrackRows: every track top to bottom when nothing is collapsed', t => {
	t.deepEqual(shown(layoutTrackRows(model, new Set())), [
		['g', 0, 22], ['p1', 22, 22], ['c1:memory', 44, 44], ['t1:1', 88, 40],
		['p2', 128, 22], ['o2:1', 150, 22], ['i2', 172, 22], ['t2:1', 194, 22], ['p3', 216, 22], ['t3:1', 238, 22],
	]);
});

test('layoutTrackRows: a collapsed process keeps its header and hides its tracks', t => {
	t.deepEqual(shown(layoutTrackRows(model, new Set([1]))), [
		['g', 0, 22], ['p1', 22, 22], ['p2', 44, 22], ['o2:1', 66, 22], ['i2', 88, 22], ['t2:1', 110, 22], ['p3', 132, 22], ['t3:1', 154, 22],
	]);
	t.deepEqual(shown(layoutTrackRows(model, new Set([1, 3]))), [
		['g', 0, 22], ['p1', 22, 22], ['p2', 44, 22], ['o2:1', 66, 22], ['i2', 88, 22], ['t2:1', 110, 22], ['p3', 132, 22],
	]);
	t.deepEqual(shown(layoutTrackRows(model, new Set([2]))), [
		['g', 0, 22], ['p1', 22, 22], ['c1:memory', 44, 44], ['t1:1', 88, 40], ['p2', 128, 22], ['p3', 150, 22], ['t3:1', 172, 22],
	]);
	// The global instants belong to no process; an unknown pid hides nothing.
	t.deepEqual(layoutTrackRows(model, new Set([-1, 99])), layoutTrackRows(model, new Set()));
});

test('rowAt: the row under a y, top edge included, bottom edge excluded', t => {
	const rows = layoutTrackRows(model, new Set([1]));
	const id = y => {
		const row = rowAt(rows, y);
		return row === undefined ? undefined : model.tracks[row.track].id;
	};

	t.is(id(0), 'g');
	t.is(id(21.9), 'g');
	t.is(id(22), 'p1');
	t.is(id(44), 'p2');
	t.is(id(100), 'i2');
	t.is(id(110), 't2:1');
	t.is(id(175.9), 't3:1');
	t.is(id(176), undefined, 'below the last row');
	t.is(id(-0.1), undefined, 'above the first row');
	t.is(rowAt([], 0), undefined);
});

test('rowAt agrees with a linear scan', t => {
	const rand = random(8);
	for (let round = 0; round < 30; round++) {
		const rows = [];
		let top = 0;
		const count = rand.int(0, 40);
		for (let index = 0; index < count; index++) {
			const height = rand.int(1, 60);
			rows.push({track: index, top, height});
			top += height;
		}

		for (let probe = 0; probe < 50; probe++) {
			const y = rand() * (top + 20) - 10;
			t.is(rowAt(rows, y), rows.find(row => y >= row.top && y < row.top + row.height), `y ${y}`);
		}
	}
});
