// Binary searches over a laid-out track, against brute forces.
import test from 'ava';
import {depthOf} from '../../dist/timeline/model.js';
import {firstEndingAfter, firstStartingFrom, nextSliceFrom, sliceAt, sliceAtDepth} from '../../dist/timeline/slice-lookup.js';
import {endOrder, random, randomForest, sliceTrack} from './helpers.js';

// Main [0,100] > a [10,40] > b [20,30]; main > a [50,70]; c [100,110] touching main; z [120,120].
// Laid out: depth 0: main, c, z (slices 0-2); depth 1: a, a (3-4); depth 2: b (5).
const track = sliceTrack([20, 10, 50, 0, 100, 120], [10, 30, 20, 100, 10, 0]);
const at = index => [track.start[index], track.start[index] + track.dur[index]];

test('the example track is laid out as expected', t => {
	t.deepEqual([...track.depthOffsets], [0, 3, 5, 6]);
	t.deepEqual([0, 1, 2, 3, 4, 5].map(index => at(index)), [[0, 100], [100, 110], [120, 120], [10, 40], [50, 70], [20, 30]]);
});

test('firstEndingAfter and firstStartingFrom within a depth', t => {
	t.is(firstEndingAfter(track, 0, 3, -1), 0);
	t.is(firstEndingAfter(track, 0, 3, 100), 1, 'main ends at 100: not after it');
	t.is(firstEndingAfter(track, 0, 3, 115), 2);
	t.is(firstEndingAfter(track, 0, 3, 120), 3, 'none: the end of the range');
	t.is(firstEndingAfter(track, 3, 5, 40), 4);
	t.is(firstStartingFrom(track, 0, 3, 0), 0);
	t.is(firstStartingFrom(track, 0, 3, 0.5), 1);
	t.is(firstStartingFrom(track, 0, 3, 120), 2);
	t.is(firstStartingFrom(track, 0, 3, 121), 3);
	t.is(firstStartingFrom(track, 3, 5, 10), 3);
	t.is(firstStartingFrom(track, 5, 5, 0), 5, 'an empty range');
});

test('firstEndingAfter(…, orAt): a slice ending right at the time, or of no duration there, overlaps a range starting then', t => {
	t.is(firstEndingAfter(track, 0, 3, 100, true), 0, 'main ends at 100');
	t.is(firstEndingAfter(track, 0, 3, 100.5, true), 1);
	t.is(firstEndingAfter(track, 0, 3, 120, true), 2, 'z is [120, 120]');
	t.is(firstEndingAfter(track, 0, 3, 120.5, true), 3);
	t.is(firstEndingAfter(track, 3, 5, 40, true), 3);
});

test('sliceAt: the deepest slice holding the time, ends included', t => {
	t.is(sliceAt(track, 25), 5);
	t.is(sliceAt(track, 20), 5);
	t.is(sliceAt(track, 30), 5);
	t.is(sliceAt(track, 35), 3);
	t.is(sliceAt(track, 45), 0);
	t.is(sliceAt(track, 100), 1, 'main ends and c starts at 100: the later one');
	t.is(sliceAt(track, 120), 2, 'a zero-width slice');
	t.is(sliceAt(track, 115), -1);
	t.is(sliceAt(track, -1), -1);
	t.is(sliceAt(sliceTrack([], []), 0), -1);
});

test('sliceAtDepth: the slice under a click, with slack', t => {
	t.is(sliceAtDepth(track, 1, 15), 3);
	t.is(sliceAtDepth(track, 1, 45), -1);
	t.is(sliceAtDepth(track, 1, 44, 5), 3, 'within 5 µs of a [10,40]');
	t.is(sliceAtDepth(track, 1, 45, 5), 4, 'a [10,40] ends at 45 - 5, so not after it: a [50,70] is within the slack');
	t.is(sliceAtDepth(track, 1, 47, 5), 4, 'within 5 µs of a [50,70]');
	t.is(sliceAtDepth(track, 0, 120, 0.5), 2, 'a zero-width slice is found with some slack');
	t.is(sliceAtDepth(track, 3, 25), -1, 'no such depth');
	t.is(sliceAtDepth(track, -1, 25), -1);
});

test('nextSliceFrom: the earliest start at or after the time, shallowest first', t => {
	t.is(nextSliceFrom(track, 0), 0);
	t.is(nextSliceFrom(track, 5), 3);
	t.is(nextSliceFrom(track, 15), 5);
	t.is(nextSliceFrom(track, 41), 4);
	t.is(nextSliceFrom(track, 71), 1);
	t.is(nextSliceFrom(track, 111), 2);
	t.is(nextSliceFrom(track, 121), -1);
	// P [0,10] > C [0,5]: both start at 0, the shallower wins.
	const nested = sliceTrack([0, 0], [5, 10]);
	t.is(depthOf(nested, nextSliceFrom(nested, 0)), 0);
});

test('random call trees: the lookups agree with brute forces', t => {
	const rand = random(3);
	for (let round = 0; round < 25; round++) {
		const {roots} = randomForest(rand, {roots: rand.int(1, 3), width: 100});
		const spans = endOrder(roots);
		const random_ = sliceTrack(spans.map(span => span.start), spans.map(span => span.dur));
		const count = random_.start.length;
		const depths = Array.from({length: count}, (_, index) => depthOf(random_, index));
		const end = index => random_.start[index] + random_.dur[index];
		for (let probe = 0; probe < 60; probe++) {
			const time = rand() < 0.5 ? rand.int(-5, 305) : rand() * 310 - 5;
			// SliceAt: the deepest depth with a slice holding the time.
			const holding = depths.map((_, index) => index).filter(index => random_.start[index] <= time && time <= end(index));
			const found = sliceAt(random_, time);
			if (holding.length === 0) {
				t.is(found, -1);
			} else {
				t.true(holding.includes(found), `round ${round}: sliceAt(${time})`);
				t.is(depths[found], Math.max(...holding.map(index => depths[index])));
			}

			// NextSliceFrom: the least start at or after the time, then the least depth.
			const later = depths.map((_, index) => index).filter(index => random_.start[index] >= time);
			const next = nextSliceFrom(random_, time);
			if (later.length === 0) {
				t.is(next, -1);
			} else {
				const best = later.sort((a, b) => random_.start[a] - random_.start[b] || depths[a] - depths[b])[0];
				t.is(next, best, `round ${round}: nextSliceFrom(${time})`);
			}

			// SliceAtDepth: the first slice of the depth within the slack.
			const slack = rand.pick([0, 0.5, 3]);
			for (let depth = 0; depth + 1 < random_.depthOffsets.length; depth++) {
				const candidates = depths.map((_, index) => index).filter(index => depths[index] === depth && end(index) > time - slack && random_.start[index] <= time + slack);
				t.is(sliceAtDepth(random_, depth, time, slack), candidates.length > 0 ? candidates[0] : -1);
			}
		}
	}
});
