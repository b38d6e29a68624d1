// The timeline model built from Chrome trace events: slices, instants,
// counters, objects, flows, metadata, and the order and ids of the tracks.
import test from 'ava';
import {TimelineModelBuilder} from '../../dist/timeline/model-builder.js';
import {argsAt, depthOf, isSliceTrack} from '../../dist/timeline/model.js';
import {buildModel, slicesOf, trackById} from './helpers.js';

const build = buildModel;

const ids = model => model.tracks.map(track => track.id);

/** A slice's name, depth and times, for flow ends. */
function sliceName(model, end) {
	if (end.slice < 0) {
		return undefined;
	}

	const track = model.tracks[end.track];
	return model.strings[track.names[end.slice]];
}

test('X events: one thread track, slices by depth then start, self times, names and args', t => {
	const model = build([
		// Main [0,100] > a [10,40] > b [20,30]; main > a [50,70]; in end order.
		{ph: 'X', name: 'b', ts: 20, dur: 10, pid: 1, tid: 1},
		{ph: 'X', name: 'a', ts: 10, dur: 30, pid: 1, tid: 1, args: {n: 1}},
		{ph: 'X', name: 'a', ts: 50, dur: 20, pid: 1, tid: 1, args: {}},
		{ph: 'X', name: 'main', ts: 0, dur: 100, pid: 1, tid: 1, args: {text: 'héllo ✓'}},
	]);
	t.deepEqual(ids(model), ['p1', 't1:1']);
	const [header, thread] = model.tracks;
	t.deepEqual(header, {id: 'p1', kind: 'process', name: 'Process 1', pid: 1});
	t.like(thread, {id: 't1:1', kind: 'thread', name: 'Thread 1', pid: 1, tid: 1});
	t.deepEqual([...thread.depthOffsets], [0, 1, 3, 4]);
	const slices = slicesOf(model, thread);
	t.deepEqual(slices.map(({name, depth, start, dur, self}) => ({name, depth, start, dur, self})), [
		{name: 'main', depth: 0, start: 0, dur: 100, self: 50},
		{name: 'a', depth: 1, start: 10, dur: 30, self: 20},
		{name: 'a', depth: 1, start: 50, dur: 20, self: 20},
		{name: 'b', depth: 2, start: 20, dur: 10, self: 10},
	]);
	t.deepEqual(slices.map(slice => argsAt(model.args, slice.args)), [{text: 'héllo ✓'}, {n: 1}, undefined, undefined], 'empty args are no args');
	t.is(slices[2].args, -1);
	t.is(model.strings.filter(name => name === 'a').length, 1, 'names are interned');
	t.deepEqual(model.metadata, {title: 'trace', displayTimeUnit: 'ms', start: 0, end: 100, skipped: 0});
	t.deepEqual(model.instants, []);
	t.deepEqual(model.flows, []);
});

test('X events: a missing or negative dur is 0, a missing ts is skipped, a missing name is (unnamed), string pids and tids are numbers', t => {
	const model = build([
		{ph: 'X', name: 'zero', ts: 5, pid: '3', tid: '4'},
		{ph: 'X', name: 'negative', ts: 6, dur: -2, pid: 3, tid: 4},
		{ph: 'X', ts: 7, dur: 1, pid: 3, tid: 4},
		{ph: 'X', name: 'no ts', dur: 1, pid: 3, tid: 4},
		{ph: 'X', name: 'bad ts', ts: 'soon', dur: 1, pid: 3, tid: 4},
	]);
	t.deepEqual(ids(model), ['p3', 't3:4']);
	t.deepEqual(slicesOf(model, model.tracks[1]).map(({name, start, dur}) => [name, start, dur]), [['zero', 5, 0], ['negative', 6, 0], ['(unnamed)', 7, 1]]);
	t.is(model.metadata.skipped, 2);
	t.is(model.metadata.start, 5);
	t.is(model.metadata.end, 8);
});

test('B/E events nest as a stack per thread, interleaved across threads', t => {
	const model = build([
		{ph: 'B', name: 'main', ts: 0, pid: 1, tid: 1, args: {a: 1}},
		{ph: 'B', name: 'other', ts: 1, pid: 1, tid: 2},
		{ph: 'B', name: 'child', ts: 10, pid: 1, tid: 1},
		{ph: 'E', ts: 11, pid: 1, tid: 2},
		{ph: 'E', ts: 20, pid: 1, tid: 1},
		{ph: 'E', ts: 50, pid: 1, tid: 1},
	]);
	t.deepEqual(ids(model), ['p1', 't1:1', 't1:2']);
	const slices = slicesOf(model, trackById(model, 't1:1'));
	t.deepEqual(slices.map(({name, depth, start, dur, self}) => ({name, depth, start, dur, self})), [
		{name: 'main', depth: 0, start: 0, dur: 50, self: 40},
		{name: 'child', depth: 1, start: 10, dur: 10, self: 10},
	]);
	t.deepEqual(argsAt(model.args, slices[0].args), {a: 1}, 'the args of the B');
	t.deepEqual(slicesOf(model, trackById(model, 't1:2')).map(({name, start, dur}) => [name, start, dur]), [['other', 1, 10]]);
	t.is(model.metadata.skipped, 0);
});

test('B/E: the E\'s args are the slice\'s too, added to the B\'s (the E\'s win a clash)', t => {
	const model = build([
		{ph: 'B', name: 'both', ts: 0, pid: 1, tid: 1, args: {input: 1, state: 'started'}},
		{ph: 'E', ts: 10, pid: 1, tid: 1, args: {result: 2, state: 'done'}},
		{ph: 'B', name: 'end only', ts: 20, pid: 1, tid: 1},
		{ph: 'E', ts: 30, pid: 1, tid: 1, args: {result: 3}},
		{ph: 'B', name: 'begin only', ts: 40, pid: 1, tid: 1, args: {input: 4}},
		{ph: 'E', ts: 50, pid: 1, tid: 1, args: {}},
		{ph: 'B', name: 'neither', ts: 60, pid: 1, tid: 1},
		{ph: 'E', ts: 70, pid: 1, tid: 1},
	]);
	t.deepEqual(slicesOf(model, trackById(model, 't1:1')).map(slice => [slice.name, argsAt(model.args, slice.args)]), [
		['both', {input: 1, state: 'done', result: 2}],
		['end only', {result: 3}],
		['begin only', {input: 4}],
		['neither', undefined],
	]);
});

test('B/E: an unmatched E is counted as skipped, an unclosed B runs to the end of the trace', t => {
	const model = build([
		{ph: 'E', ts: 5, pid: 1, tid: 1},
		{ph: 'B', name: 'done', ts: 10, pid: 1, tid: 1},
		{ph: 'E', ts: 20, pid: 1, tid: 1},
		{ph: 'E', ts: 25, pid: 1, tid: 1},
		{ph: 'B', name: 'outer', ts: 30, pid: 1, tid: 1},
		{ph: 'B', name: 'inner', ts: 40, pid: 1, tid: 1},
		// The trace ends at 100, on another thread.
		{ph: 'X', name: 'late', ts: 90, dur: 10, pid: 1, tid: 2},
	]);
	t.is(model.metadata.skipped, 2);
	t.is(model.metadata.end, 100);
	t.deepEqual(slicesOf(model, trackById(model, 't1:1')).map(({name, depth, start, dur}) => [name, depth, start, dur]), [
		['done', 0, 10, 10],
		['outer', 0, 30, 70],
		['inner', 1, 40, 60],
	]);
});

test('instants: thread, process and global scopes; a global instant puts a `g` track first, process instants get an `i<pid>` track', t => {
	const model = build([
		{ph: 'X', name: 'work', ts: 0, dur: 10, pid: 1, tid: 1},
		{ph: 'i', name: 'thread mark', ts: 5, pid: 1, tid: 1, args: {k: 'v'}},
		{ph: 'I', name: 'process mark', ts: 3, pid: 1, tid: 1, s: 'p'},
		{ph: 'i', name: 'global mark', ts: 4, pid: 2, tid: 7, s: 'g'},
		{ph: 'R', name: 'odd scope', ts: 6, pid: 2, tid: 7, s: 'x'},
		{ph: 'i', name: 'no ts', pid: 2, tid: 7},
	]);
	t.deepEqual(ids(model), ['g', 'p1', 'i1', 't1:1', 'p2', 't2:7']);
	t.deepEqual(model.tracks[0], {id: 'g', kind: 'instant', name: 'Global instants', pid: -1});
	t.deepEqual(model.tracks[2], {id: 'i1', kind: 'instant', name: 'Process instants', pid: 1});
	t.deepEqual(model.instants.map(({args, ...instant}) => ({...instant, args: argsAt(model.args, args)})), [
		{ts: 3, name: 'process mark', scope: 'p', pid: 1, tid: 1, track: 2, args: undefined},
		{ts: 4, name: 'global mark', scope: 'g', pid: 2, tid: 7, track: 0, args: undefined},
		{ts: 5, name: 'thread mark', scope: 't', pid: 1, tid: 1, track: 3, args: {k: 'v'}},
		{ts: 6, name: 'odd scope', scope: 't', pid: 2, tid: 7, track: 5, args: undefined},
	]);
	t.is(model.metadata.skipped, 1);
	// The thread of an instant has a track even with no slices.
	t.deepEqual([...trackById(model, 't2:7').depthOffsets], [0]);
});

test('without a global instant there is no `g` track, without process instants no `i<pid>` track', t => {
	const model = build([{ph: 'i', name: 'mark', ts: 1, pid: 1, tid: 1, s: 'p'}, {ph: 'i', name: 'mark', ts: 1, pid: 2, tid: 1}]);
	t.deepEqual(ids(model), ['p1', 'i1', 't1:1', 'p2', 't2:1']);
	t.deepEqual(model.instants.map(instant => model.tracks[instant.track].id), ['i1', 't2:1']);
});

test('counters: one track per name (and id) with a series per args key, in time order', t => {
	const model = build([
		{ph: 'C', name: 'memory', ts: 0, pid: 1, args: {heap: 10, rss: 20}},
		{ph: 'C', name: 'memory', ts: 5, pid: 1, args: {heap: 15, rss: '25', bad: 'x', empty: ''}},
		{ph: 'C', name: 'memory', ts: 9, pid: 1, args: {rss: 30}},
		{ph: 'C', name: 'cpu', ts: 3, pid: 1, args: {value: 0.5}},
		{ph: 'C', name: 'queue', id: 7, ts: 4, pid: 1, args: {length: 2}},
		{ph: 'C', name: 'memory', ts: 2, pid: 2, args: {heap: 1}},
		{ph: 'C', name: 'no args', ts: 2, pid: 2},
		{ph: 'C', name: 'no ts', pid: 2, args: {a: 1}},
	]);
	t.deepEqual(ids(model), ['p1', 'c1:cpu', 'c1:memory', 'c1:queue 7', 'p2', 'c2:memory']);
	const plain = track => ({...track, series: track.series.map(series => ({name: series.name, ts: [...series.ts], values: [...series.values]}))});
	t.deepEqual(plain(trackById(model, 'c1:memory')), {
		id: 'c1:memory', kind: 'counter', name: 'memory', pid: 1,
		series: [{name: 'heap', ts: [0, 5], values: [10, 15]}, {name: 'rss', ts: [0, 5, 9], values: [20, 25, 30]}],
	});
	t.deepEqual(plain(trackById(model, 'c1:cpu')).series, [{name: 'value', ts: [3], values: [0.5]}]);
	t.deepEqual(plain(trackById(model, 'c1:queue 7')), {id: 'c1:queue 7', kind: 'counter', name: 'queue 7', pid: 1, series: [{name: 'length', ts: [4], values: [2]}]});
	t.deepEqual(plain(trackById(model, 'c2:memory')).series, [{name: 'heap', ts: [2], values: [1]}]);
	t.is(model.metadata.skipped, 2);
	t.is(model.metadata.end, 9);
});

test('objects: N/O/D give the lifetime and the snapshots (args.snapshot, or the args themselves)', t => {
	const model = build([
		{ph: 'N', name: 'Cache', id: '0x1', ts: 10, pid: 1},
		{ph: 'O', name: 'Cache', id: '0x1', ts: 20, pid: 1, args: {snapshot: {size: 1}}},
		{ph: 'O', name: 'Cache', id: '0x1', ts: 30, pid: 1, args: {size: 2}},
		{ph: 'D', name: 'Cache', id: '0x1', ts: 40, pid: 1},
		{ph: 'N', name: 'Pool', id: 2, ts: 5, pid: 1},
		{ph: 'O', name: 'Pool', id: 2, ts: 8, pid: 1, args: {snapshot: [1, 2]}},
		// A snapshot before the N moves the creation back.
		{ph: 'O', name: 'Late', id2: {local: 'a'}, ts: 50, pid: 1, args: {snapshot: 'x'}},
		{ph: 'N', name: 'Late', id2: {local: 'a'}, ts: 55, pid: 1},
		{ph: 'N', name: 'No id', ts: 1, pid: 1},
	]);
	t.deepEqual(ids(model), ['p1', 'o1:2', 'o1:0x1', 'o1:a'], 'by creation time');
	const cache = trackById(model, 'o1:0x1');
	t.like(cache, {kind: 'object', name: 'Cache 0x1', pid: 1, objectId: '0x1', created: 10, destroyed: 40});
	t.deepEqual(cache.snapshots.map(snapshot => [snapshot.ts, argsAt(model.args, snapshot.args)]), [[20, {size: 1}], [30, {size: 2}]]);
	const pool = trackById(model, 'o1:2');
	t.like(pool, {name: 'Pool 2', objectId: '2', created: 5});
	t.true(Number.isNaN(pool.destroyed), 'never destroyed');
	t.deepEqual(pool.snapshots.map(snapshot => argsAt(model.args, snapshot.args)), [[1, 2]]);
	t.like(trackById(model, 'o1:a'), {name: 'Late a', created: 50});
	t.is(model.metadata.skipped, 1);
});

test('objects: two names under one id in a process are two tracks, with ids of their own', t => {
	const model = build([
		{ph: 'N', name: 'job', id: '0x1', ts: 1, pid: 1, tid: 1},
		{ph: 'N', name: 'queue', id: '0x1', ts: 2, pid: 1, tid: 2},
		{ph: 'O', name: 'queue', id: '0x1', ts: 3, pid: 1, tid: 2, args: {snapshot: {n: 1}}},
	]);
	const objects = model.tracks.filter(track => track.kind === 'object');
	t.deepEqual(objects.map(track => [track.id, track.name, track.snapshots.length]), [['o1:0x1', 'job 0x1', 0], ['o1:0x1:queue', 'queue 0x1', 1]]);
	t.is(new Set(model.tracks.map(track => track.id)).size, model.tracks.length);
});

test('track order: process header, counters, objects, process instants, then threads', t => {
	const model = build([
		{ph: 'X', name: 'work', ts: 0, dur: 10, pid: 1, tid: 1},
		{ph: 'N', name: 'Obj', id: 1, ts: 1, pid: 1},
		{ph: 'C', name: 'count', ts: 2, pid: 1, args: {v: 1}},
		{ph: 'i', name: 'mark', ts: 3, pid: 1, tid: 1, s: 'p'},
	]);
	t.deepEqual(ids(model), ['p1', 'c1:count', 'o1:1', 'i1', 't1:1']);
	t.deepEqual(model.tracks.map(track => track.kind), ['process', 'counter', 'object', 'instant', 'thread']);
});

test('metadata: process and thread names, sort indexes, pids and tids in order otherwise', t => {
	const model = build([
		{ph: 'X', name: 'a', ts: 0, dur: 1, pid: 3, tid: 1},
		{ph: 'X', name: 'a', ts: 0, dur: 1, pid: 1, tid: 2},
		{ph: 'X', name: 'a', ts: 0, dur: 1, pid: 1, tid: 1},
		{ph: 'X', name: 'a', ts: 0, dur: 1, pid: 1, tid: 5},
		{ph: 'X', name: 'a', ts: 0, dur: 1, pid: 2, tid: 1},
		{ph: 'M', name: 'process_name', pid: 1, args: {name: 'main process'}},
		{ph: 'M', name: 'thread_name', pid: 1, tid: 2, args: {name: 'worker'}},
		{ph: 'M', name: 'thread_name', pid: 1, tid: 1, args: {name: 'main'}},
		{ph: 'M', name: 'thread_sort_index', pid: 1, tid: 5, args: {sort_index: -1}},
		{ph: 'M', name: 'process_sort_index', pid: 3, args: {sort_index: -5}},
		{ph: 'M', name: 'process_labels', pid: 3, args: {labels: 'x'}},
		{ph: 'M', name: 'unknown_metadata', pid: 2, args: {}},
	]);
	t.deepEqual(ids(model), ['p3', 't3:1', 'p1', 't1:5', 't1:1', 't1:2', 'p2', 't2:1']);
	t.deepEqual(model.tracks.map(track => track.name), ['Process 3', 'Thread 1', 'main process', 'Thread 5', 'main', 'worker', 'Process 2', 'Thread 1']);
	t.is(model.metadata.skipped, 0, 'metadata events are not skipped');
});

test('GC and async rows (tid × 10000 + n) follow their thread', t => {
	const events = [];
	for (const tid of [30_001, 20_001, 10_003, 10_002, 10_001, 2, 1]) {
		events.push({ph: 'X', name: 'f', ts: 0, dur: 1, pid: 1, tid});
	}

	const name = (tid, text) => ({ph: 'M', name: 'thread_name', pid: 1, tid, args: {name: text}});
	events.push(
		name(1, 'main'), name(2, 'worker'),
		name(10_001, 'Garbage collection'), name(10_002, 'async 1 (main)'), name(20_001, 'async 1 (worker)'),
		// Named like a thread: an ordinary thread; a GC row whose thread 3 does not exist: on its own.
		name(10_003, 'helper'), name(30_001, 'Garbage collection'),
	);
	const model = build(events);
	t.deepEqual(ids(model), ['p1', 't1:1', 't1:10001', 't1:10002', 't1:2', 't1:20001', 't1:10003', 't1:30001']);
	t.deepEqual(model.tracks.slice(1).map(track => [track.name, track.kind]), [
		['main', 'thread'],
		['Garbage collection', 'gc'],
		['async 1 (main)', 'async'],
		['worker', 'thread'],
		['async 1 (worker)', 'async'],
		['helper', 'thread'],
		['Garbage collection', 'gc'],
	]);
	t.true(model.tracks.slice(1).every(track => isSliceTrack(track)));
});

test('async b/e/n events: one track per category, overlapping lifetimes pushed apart', t => {
	const model = build([
		{ph: 'X', name: 'sync', ts: 0, dur: 100, pid: 1, tid: 1},
		{ph: 'b', name: 'request', cat: 'net', id: 1, ts: 0, pid: 1, tid: 1},
		{ph: 'b', name: 'request', cat: 'net', id: 2, ts: 10, pid: 1, tid: 1},
		{ph: 'e', name: 'request', cat: 'net', id: 1, ts: 50, pid: 1, tid: 1},
		{ph: 'e', name: 'request', cat: 'net', id: 2, ts: 60, pid: 1, tid: 1},
		{ph: 'n', name: 'progress', cat: 'net', id: 1, ts: 20, pid: 1, tid: 1},
		{ph: 'e', name: 'request', cat: 'net', id: 3, ts: 70, pid: 1, tid: 1},
		{ph: 'b', name: 'load', id2: {local: 'x'}, ts: 5, pid: 1, tid: 1},
		{ph: 'e', name: 'load', id2: {local: 'x'}, ts: 6, pid: 1, tid: 1},
		{ph: 'b', name: 'no id', ts: 5, pid: 1, tid: 1},
	]);
	const net = trackById(model, 'a1:net');
	t.like(net, {kind: 'async', name: 'net', pid: 1});
	t.false('tid' in net);
	const slices = slicesOf(model, net);
	t.deepEqual(slices.map(({name, start, dur}) => [name, start, dur]).sort((a, b) => a[1] - b[1]), [['request', 0, 50], ['request', 10, 50], ['progress', 20, 0]]);
	const depth = start => slices.find(slice => slice.start === start).depth;
	t.not(depth(0), depth(10), 'the two requests overlap: two depths');
	const anonymous = trackById(model, 'a1:');
	t.like(anonymous, {kind: 'async', name: 'async events'});
	t.deepEqual(slicesOf(model, anonymous).map(({name, start, dur}) => [name, start, dur]), [['load', 5, 1]]);
	t.is(model.metadata.skipped, 2, 'the e without a b, and the b without an id');
	const processAt = ids(model).indexOf('p1');
	t.true(ids(model).indexOf('a1:net') > processAt && ids(model).indexOf('a1:') > processAt);
});

/** Tid 1: A [0,100] > A1 [10,20]; tid 2: B [30,50], B2 [60,80]; tid 3: C [90,95]. */
const flowSlices = [
	{ph: 'X', name: 'A1', ts: 10, dur: 10, pid: 1, tid: 1},
	{ph: 'X', name: 'A', ts: 0, dur: 100, pid: 1, tid: 1},
	{ph: 'X', name: 'B', ts: 30, dur: 20, pid: 1, tid: 2},
	{ph: 'X', name: 'B2', ts: 60, dur: 20, pid: 1, tid: 2},
	{ph: 'X', name: 'C', ts: 90, dur: 5, pid: 1, tid: 3},
];

const flowSummary = model => model.flows.map(flow => ({
	name: flow.name, cat: flow.cat, id: flow.id,
	from: [model.tracks[flow.from.track].id, sliceName(model, flow.from), flow.from.ts],
	to: [model.tracks[flow.to.track].id, sliceName(model, flow.to), flow.to.ts],
}));

test('flows s → t → f: one segment between consecutive steps, ends bound to slices', t => {
	const model = build([
		...flowSlices,
		// S inside A1 (the deepest slice there); t inside B; f (no bp) in the gap before B2: the next slice, B2.
		{ph: 's', name: 'job', cat: 'c', id: 1, ts: 15, pid: 1, tid: 1},
		{ph: 't', name: 'job', cat: 'c', id: 1, ts: 40, pid: 1, tid: 2},
		{ph: 'f', name: 'job', cat: 'c', id: 1, ts: 55, pid: 1, tid: 2},
	]);
	t.deepEqual(flowSummary(model), [
		{name: 'job', cat: 'c', id: '1', from: ['t1:1', 'A1', 15], to: ['t1:2', 'B', 40]},
		{name: 'job', cat: 'c', id: '1', from: ['t1:2', 'B', 40], to: ['t1:2', 'B2', 55]},
	]);
	t.is(model.metadata.skipped, 0);
	// The ends point into the final (laid-out) arrays.
	const [first] = model.flows;
	const track = model.tracks[first.from.track];
	t.is(depthOf(track, first.from.slice), 1);
});

test('flows: an f with bp "e" binds to the enclosing slice, one without to the next slice at or after it', t => {
	const model = build([
		...flowSlices,
		// F inside B2 with bp e: B2. f inside A (tid 1) without bp: the next slice from 5 is A1 [10,20].
		{ph: 's', name: 'enclosed', cat: 'c', id: 2, ts: 12, pid: 1, tid: 1},
		{ph: 'f', name: 'enclosed', cat: 'c', id: 2, ts: 70, pid: 1, tid: 2, bp: 'e'},
		{ph: 's', name: 'next', cat: 'c', id: 3, ts: 4, pid: 1, tid: 2},
		{ph: 'f', name: 'next', cat: 'c', id: 3, ts: 5, pid: 1, tid: 1},
		// Bp e in a gap: no slice. No bp past the last slice: the enclosing one, else none.
		{ph: 's', name: 'gap', cat: 'c', id: 4, ts: 1, pid: 1, tid: 1},
		{ph: 'f', name: 'gap', cat: 'c', id: 4, ts: 55, pid: 1, tid: 2, bp: 'e'},
		{ph: 's', name: 'after', cat: 'c', id: 5, ts: 2, pid: 1, tid: 1},
		{ph: 'f', name: 'after', cat: 'c', id: 5, ts: 93, pid: 1, tid: 3},
		{ph: 's', name: 'past', cat: 'c', id: 6, ts: 3, pid: 1, tid: 1},
		{ph: 'f', name: 'past', cat: 'c', id: 6, ts: 96, pid: 1, tid: 3},
	]);
	const byName = Object.fromEntries(flowSummary(model).map(flow => [flow.name, flow]));
	t.deepEqual(byName.enclosed.to, ['t1:2', 'B2', 70]);
	t.deepEqual(byName.next.from, ['t1:2', undefined, 4], 'no slice of tid 2 holds 4');
	t.deepEqual(byName.next.to, ['t1:1', 'A1', 5]);
	t.deepEqual(byName.gap.to, ['t1:2', undefined, 55]);
	t.is(model.flows.find(flow => flow.name === 'gap').to.slice, -1);
	t.deepEqual(byName.after.to, ['t1:3', 'C', 93]);
	t.deepEqual(byName.past.to, ['t1:3', undefined, 96]);
	// S at 1 lies in A only (A1 starts at 10): the enclosing slice of an s is the deepest holding it.
	t.deepEqual(byName.gap.from, ['t1:1', 'A', 1]);
	t.deepEqual(model.flows.map(flow => flow.from.ts), [1, 2, 3, 4, 12], 'flows by start');
});

test('flows: a step at its slice\'s end binds to it although ts + dur, each rounded to the nanosecond, falls short of it', t => {
	// 576556.352 + 509.051 is 577065.4029999999 in doubles; the arrow left as the run ended, at 577065.403.
	const model = build([
		{ph: 'X', name: 'run', ts: 576_556.352, dur: 509.051, pid: 1, tid: 1},
		{ph: 'X', name: 'caller', ts: 576_000, dur: 2000, pid: 1, tid: 1},
		{ph: 'X', name: 'resumed', ts: 578_500, dur: 10, pid: 1, tid: 1},
		{ph: 's', name: 'await', cat: 'async', id: 1, ts: 577_065.403, pid: 1, tid: 1},
		{ph: 'f', name: 'await', cat: 'async', id: 1, ts: 578_500, pid: 1, tid: 1, bp: 'e'},
	]);
	t.deepEqual(flowSummary(model), [{name: 'await', cat: 'async', id: '1', from: ['t1:1', 'run', 577_065.403], to: ['t1:1', 'resumed', 578_500]}]);
});

test('flows: ids are scoped by category, id2.local by process, id2.global across processes', t => {
	const model = build([
		{ph: 'X', name: 'P1', ts: 0, dur: 100, pid: 1, tid: 1},
		{ph: 'X', name: 'P2', ts: 0, dur: 100, pid: 2, tid: 1},
		// Same id, two categories: two separate halves.
		{ph: 's', name: 'x', cat: 'one', id: 7, ts: 1, pid: 1, tid: 1},
		{ph: 'f', name: 'x', cat: 'two', id: 7, ts: 2, pid: 2, tid: 1, bp: 'e'},
		// Local ids of two processes do not meet.
		{ph: 's', name: 'local', cat: 'c', id2: {local: 5}, ts: 3, pid: 1, tid: 1},
		{ph: 'f', name: 'local', cat: 'c', id2: {local: 5}, ts: 4, pid: 2, tid: 1, bp: 'e'},
		// Within one process they do.
		{ph: 's', name: 'local same', cat: 'c', id2: {local: 6}, ts: 5, pid: 1, tid: 1},
		{ph: 'f', name: 'local same', cat: 'c', id2: {local: 6}, ts: 6, pid: 1, tid: 1, bp: 'e'},
		// Global ids cross processes.
		{ph: 's', name: 'global', cat: 'c', id2: {global: 8}, ts: 7, pid: 1, tid: 1},
		{ph: 'f', name: 'global', cat: 'c', id2: {global: 8}, ts: 8, pid: 2, tid: 1, bp: 'e'},
		// Plain ids cross processes too.
		{ph: 's', name: 'plain', cat: 'c', id: 'p', ts: 9, pid: 1, tid: 1},
		{ph: 'f', name: 'plain', cat: 'c', id: 'p', ts: 10, pid: 2, tid: 1, bp: 'e'},
	]);
	t.deepEqual(flowSummary(model).map(flow => [flow.name, flow.id, flow.from, flow.to]), [
		['local same', '6', ['t1:1', 'P1', 5], ['t1:1', 'P1', 6]],
		['global', '8', ['t1:1', 'P1', 7], ['t2:1', 'P2', 8]],
		['plain', 'p', ['t1:1', 'P1', 9], ['t2:1', 'P2', 10]],
	]);
	// Two starts that never end and two ends that never started.
	t.is(model.metadata.skipped, 4);
});

test('flows: a repeated id makes one flow per s…f, out-of-order steps are sorted by time, lone steps are skipped', t => {
	const model = build([
		{ph: 'X', name: 'T', ts: 0, dur: 100, pid: 1, tid: 1},
		// Given out of order: f at 20 before s at 10.
		{ph: 'f', name: 'r', cat: 'c', id: 1, ts: 20, pid: 1, tid: 1, bp: 'e'},
		{ph: 's', name: 'r', cat: 'c', id: 1, ts: 10, pid: 1, tid: 1},
		{ph: 's', name: 'r', cat: 'c', id: 1, ts: 30, pid: 1, tid: 1},
		{ph: 'f', name: 'r', cat: 'c', id: 1, ts: 40, pid: 1, tid: 1, bp: 'e'},
		// An s and f at the same ts: the s first.
		{ph: 'f', name: 'same', cat: 'c', id: 2, ts: 50, pid: 1, tid: 1, bp: 'e'},
		{ph: 's', name: 'same', cat: 'c', id: 2, ts: 50, pid: 1, tid: 1},
		// A t without an s, an s that another s replaces, a flow step without an id.
		{ph: 't', name: 'lone', cat: 'c', id: 3, ts: 60, pid: 1, tid: 1},
		{ph: 's', name: 'twice', cat: 'c', id: 4, ts: 61, pid: 1, tid: 1},
		{ph: 's', name: 'twice', cat: 'c', id: 4, ts: 62, pid: 1, tid: 1},
		{ph: 'f', name: 'twice', cat: 'c', id: 4, ts: 63, pid: 1, tid: 1, bp: 'e'},
		{ph: 's', name: 'no id', cat: 'c', ts: 64, pid: 1, tid: 1},
		// A flow name from its f when the s has none.
		{ph: 's', cat: 'c', id: 5, ts: 70, pid: 1, tid: 1},
		{ph: 'f', name: 'named at the end', cat: 'c', id: 5, ts: 71, pid: 1, tid: 1, bp: 'e'},
	]);
	t.deepEqual(model.flows.map(flow => [flow.name, flow.from.ts, flow.to.ts]), [
		['r', 10, 20], ['r', 30, 40], ['same', 50, 50], ['twice', 62, 63], ['named at the end', 70, 71],
	]);
	t.is(model.metadata.skipped, 3);
});

test('finish: title, displayTimeUnit (ns or else ms) and cwd in the metadata', t => {
	const events = [{ph: 'X', name: 'a', ts: 2, dur: 3, pid: 1, tid: 1}];
	t.deepEqual(build(events, {title: 'T', displayTimeUnit: 'ns', cwd: '/home/me/project'}).metadata, {
		title: 'T', displayTimeUnit: 'ns', start: 2, end: 5, skipped: 0, cwd: '/home/me/project',
	});
	const plain = build(events, {title: 'U'}).metadata;
	t.is(plain.displayTimeUnit, 'ms');
	t.false('cwd' in plain);
	t.is(build(events, {title: 'U', displayTimeUnit: 'ms'}).metadata.displayTimeUnit, 'ms');
	t.is(build(events, {title: 'U', displayTimeUnit: 'us'}).metadata.displayTimeUnit, 'ms');
});

test('an empty trace, and events of unknown phases', t => {
	const empty = build([]);
	t.deepEqual(empty.metadata, {title: 'trace', displayTimeUnit: 'ms', start: 0, end: 0, skipped: 0});
	t.deepEqual(empty.tracks, []);
	t.deepEqual(empty.strings, []);
	t.deepEqual([...empty.args.offsets], [0]);
	const unknown = build([{ph: 'P', ts: 1, pid: 1, tid: 1}, {ph: 'Z'}, {name: 'no phase'}]);
	t.is(unknown.metadata.skipped, 3);
	t.deepEqual(unknown.tracks, []);
});

test('addSpan: depths from the file are used when consistent, recomputed when one is unknown', t => {
	const builder = new TimelineModelBuilder();
	const name = builder.intern('f (a.js:1:1)');
	t.is(builder.intern('f (a.js:1:1)'), name);
	// Disjoint spans at depths 0 and 1: believed.
	builder.addSpan(name, 0, 0, 5, 1, 1);
	builder.addSpan(name, 1, 10, 5, 1, 1);
	// On another thread, one depth unknown: laid out, both at depth 0.
	builder.addSpan(name, 0, 0, 5, 1, 2);
	builder.addSpan(name, -1, 10, 5, 1, 2);
	// A span plus an X event on a third thread: the X has no depth, so the layout decides.
	builder.addSpan(name, 3, 0, 5, 1, 3);
	builder.addEvent({ph: 'X', name: 'x', ts: 10, dur: 5, pid: 1, tid: 3});
	const model = builder.finish({title: 'vizt'});
	t.deepEqual([...trackById(model, 't1:1').depthOffsets], [0, 1, 2]);
	t.deepEqual([...trackById(model, 't1:2').depthOffsets], [0, 2]);
	t.deepEqual([...trackById(model, 't1:3').depthOffsets], [0, 2]);
	t.deepEqual(slicesOf(model, trackById(model, 't1:1')).map(slice => [slice.name, slice.depth, slice.start, slice.args]), [['f (a.js:1:1)', 0, 0, -1], ['f (a.js:1:1)', 1, 10, -1]]);
	t.deepEqual(model.metadata, {title: 'vizt', displayTimeUnit: 'ms', start: 0, end: 15, skipped: 0});
});

test('events fed in several batches and across many threads build the same model as one batch', t => {
	const events = [];
	for (let index = 0; index < 200; index++) {
		const tid = index % 7;
		events.push({ph: 'B', name: `f${index % 5}`, ts: index * 10, pid: 1, tid}, {ph: 'E', ts: index * 10 + 5, pid: 1, tid});
	}

	const whole = build(events);
	const builder = new TimelineModelBuilder();
	for (let from = 0; from < events.length; from += 37) {
		for (const event of events.slice(from, from + 37)) {
			builder.addEvent(event);
		}
	}

	t.deepEqual(builder.finish({title: 'trace'}), whole);
	t.is(whole.tracks.length, 8);
	t.is(whole.tracks.filter(track => isSliceTrack(track)).reduce((sum, track) => sum + track.start.length, 0), 200);
	t.is(whole.metadata.skipped, 0);
});

// X events in ts order where the last child returns in the same µs as its
// parent are in end order too: read backwards, the child would come first
// and end up above its parent (whose self time would then include it).
test('X events in ts order with a child ending with its parent: the parent stays on top', t => {
	const model = build([
		{ph: 'X', name: 'main', ts: 0, dur: 10, pid: 1, tid: 1},
		{ph: 'X', name: 'child', ts: 5, dur: 5, pid: 1, tid: 1},
	]);
	// Actual: child at depth 0 (self 5), main at depth 1 (self 10).
	t.deepEqual(slicesOf(model, model.tracks[1]).map(({name, depth, self}) => [name, depth, self]), [['main', 0, 5], ['child', 1, 5]]);
});
