// The small pieces under the model: Growable, the args table, depthOf, argsAt.
import test from 'ava';
import {ArgsTableBuilder} from '../../dist/timeline/args-table.js';
import {Growable} from '../../dist/timeline/growable.js';
import {argsAt, depthCount, depthOf, isSliceTrack, sliceCount} from '../../dist/timeline/model.js';

test('Growable: pushes past its capacity and keeps every value', t => {
	const growable = new Growable(Float64Array, 2);
	for (let index = 0; index < 1000; index++) {
		growable.push(index / 4);
	}

	t.is(growable.length, 1000);
	t.is(growable.at(999), 999 / 4);
	growable.set(3, -1);
	const view = growable.view();
	t.true(view instanceof Float64Array);
	t.is(view.length, 1000);
	t.deepEqual([...view.subarray(0, 5)], [0, 0.25, 0.5, -1, 1]);
	// A view, not a copy.
	growable.set(0, 42);
	t.is(view[0], 42);
	const ints = new Growable(Int32Array, 1);
	ints.push(-5);
	ints.push(7);
	t.deepEqual([...ints.view()], [-5, 7]);
	t.deepEqual([...new Growable(Uint32Array).view()], []);
});

test('ArgsTableBuilder: JSON texts one after another, read back one at a time', t => {
	const builder = new ArgsTableBuilder();
	const values = [{a: 1}, 'text', [1, 2, {b: null}], {s: 'ünïcødé ✓ 🎉 and more'}, 3.5, true];
	const indexes = values.map(value => builder.add(JSON.stringify(value)));
	t.deepEqual(indexes, [0, 1, 2, 3, 4, 5]);
	const table = builder.finish();
	t.is(table.offsets.length, values.length + 1);
	t.is(table.offsets[0], 0);
	t.is(table.offsets.at(-1), table.bytes.length);
	values.forEach((value, index) => t.deepEqual(argsAt(table, index), value));
	// UTF-8 lengths.
	t.is(table.bytes.length, values.reduce((sum, value) => sum + new TextEncoder().encode(JSON.stringify(value)).length, 0));
});

test('ArgsTableBuilder: grows past its first 64 KiB', t => {
	const builder = new ArgsTableBuilder();
	const big = 'é'.repeat(50_000);
	const first = builder.add(JSON.stringify({big}));
	const second = builder.add(JSON.stringify({small: 1}));
	const third = builder.add(JSON.stringify('✓'.repeat(40_000)));
	const table = builder.finish();
	t.deepEqual(argsAt(table, first), {big});
	t.deepEqual(argsAt(table, second), {small: 1});
	t.is(argsAt(table, third), '✓'.repeat(40_000));
});

test('argsAt: undefined for -1 and out of range; text that is not JSON comes back as text', t => {
	const builder = new ArgsTableBuilder();
	builder.add('{not json');
	const table = builder.finish();
	t.is(argsAt(table, 0), '{not json');
	t.is(argsAt(table, -1), undefined);
	t.is(argsAt(table, 1), undefined);
	t.is(argsAt(new ArgsTableBuilder().finish(), 0), undefined);
});

const track = depthOffsets => ({
	id: 't1:1', kind: 'thread', name: 'T', pid: 1, tid: 1, depthOffsets: Uint32Array.from(depthOffsets),
	start: new Float64Array(depthOffsets.at(-1)), dur: new Float64Array(depthOffsets.at(-1)), self: new Float64Array(depthOffsets.at(-1)),
	names: new Uint32Array(depthOffsets.at(-1)), args: new Int32Array(depthOffsets.at(-1)),
});

test('depthOf, depthCount, sliceCount, including empty depths', t => {
	// Depth 0: slices 0-1; depth 1: none; depth 2: 2-4; depth 3: 5.
	const example = track([0, 2, 2, 5, 6]);
	t.deepEqual([0, 1, 2, 3, 4, 5].map(index => depthOf(example, index)), [0, 0, 2, 2, 2, 3]);
	t.is(depthCount(example), 4);
	t.is(sliceCount(example), 6);
	t.is(depthCount(track([0])), 0);
	t.is(depthOf(track([0, 1]), 0), 0);
});

test('isSliceTrack', t => {
	for (const kind of ['thread', 'async', 'gc']) {
		t.true(isSliceTrack({kind}));
	}

	for (const kind of ['process', 'counter', 'instant', 'object']) {
		t.false(isSliceTrack({kind}));
	}
});
