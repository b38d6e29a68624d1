// The precomputed levels the timeline draws from when zoomed out.
import test from 'ava';
import {levelFor, sliceLevel} from '../../dist/timeline/slice-levels.js';

function flatTrack(start, dur) {
	return {
		id: 't1:1', kind: 'thread', name: 'Thread 1', pid: 1, tid: 1,
		depthOffsets: Uint32Array.from([0, start.length]), start: Float64Array.from(start), dur: Float64Array.from(dur),
		self: Float64Array.from(dur), names: new Uint32Array(start.length), args: new Int32Array(start.length).fill(-1),
	};
}

test('levelFor: a level per factor of 4 in µs a pixel, none under a µs a pixel', t => {
	t.is(levelFor(0.5), -1);
	t.is(levelFor(1), 0);
	t.is(levelFor(3.99), 0);
	t.is(levelFor(4), 1);
	t.is(levelFor(1000), 4);
	t.is(levelFor(1e30), 24);
});

test('a level merges narrow slices less than a bucket apart and keeps wide ones; coarser levels cover the same slices', t => {
	// 1000 slices of 0.5 µs every µs, then a 100 µs slice, then 10 slices 50 µs apart.
	const start = [...Array.from({length: 1000}, (_, index) => index), 1000, ...Array.from({length: 10}, (_, index) => 1200 + index * 50)];
	const dur = [...Array.from({length: 1000}, () => 0.5), 100, ...Array.from({length: 10}, () => 1)];
	const track = flatTrack(start, dur);
	const level1 = sliceLevel(track, 0, 1);
	t.is(level1.bucket, 4);
	t.deepEqual([...level1.count], [1000, 1, ...Array.from({length: 10}, () => 1)]);
	t.deepEqual([level1.start[0], level1.end[0]], [0, 999.5]);
	t.deepEqual([level1.first[1], level1.start[1], level1.end[1]], [1000, 1000, 1100]);
	const level4 = sliceLevel(track, 0, 4);
	t.is(level4.bucket, 256);
	// The 100 µs slice is now narrow too: everything less than 256 µs apart merges.
	t.deepEqual([...level4.count], [1011]);
	t.is(sliceLevel(track, 0, 4), level4, 'built once');
	for (let level = 0; level < 8; level++) {
		const items = sliceLevel(track, 0, level);
		t.is(items.count.reduce((sum, count) => sum + count, 0), start.length, `level ${level} covers every slice once`);
	}
});
