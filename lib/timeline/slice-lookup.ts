import type {SliceTrack} from './model.js';

/** The first index in [from, to) of the sorted `array` whose value is not below `value`. */
export function lowerBound(array: Float64Array, value: number, from = 0, to = array.length): number {
	let low = from;
	let high = to;
	while (low < high) {
		const middle = (low + high) >>> 1;
		if (array[middle]! < value) {
			low = middle + 1;
		} else {
			high = middle;
		}
	}

	return low;
}

/**
 * The first slice of depth range [from, to) whose end is after `time`, or
 * with `orAt` at or after it: where the slices overlapping a closed range
 * [time, …] begin, one ending right at `time` (or of no duration there)
 * among them. Slices of a depth do not overlap, so their ends are sorted too.
 */
export function firstEndingAfter(track: SliceTrack, from: number, to: number, time: number, orAt = false): number {
	const {start, dur} = track;
	let low = from;
	let high = to;
	while (low < high) {
		const middle = (low + high) >>> 1;
		const end = start[middle]! + dur[middle]!;
		if (orAt ? end < time : end <= time) {
			low = middle + 1;
		} else {
			high = middle;
		}
	}

	return low;
}

/** The first slice of depth range [from, to) that starts at or after `time`. */
export function firstStartingFrom(track: SliceTrack, from: number, to: number, time: number): number {
	return lowerBound(track.start, time, from, to);
}

/** The last slice of depth range [from, to) that starts at or before `time`, or from - 1. */
function lastStartingBy(track: SliceTrack, from: number, to: number, time: number): number {
	const {start} = track;
	let low = from;
	let high = to;
	while (low < high) {
		const middle = (low + high) >>> 1;
		if (start[middle]! <= time) {
			low = middle + 1;
		} else {
			high = middle;
		}
	}

	return low - 1;
}

/** The deepest slice that holds `time` (start <= time <= end, each within `slack`), or -1. */
export function sliceAt(track: SliceTrack, time: number, slack = 0): number {
	const offsets = track.depthOffsets;
	for (let depth = offsets.length - 2; depth >= 0; depth--) {
		const from = offsets[depth]!;
		const to = offsets[depth + 1]!;
		const index = lastStartingBy(track, from, to, time + slack);
		if (index >= from && track.start[index]! + track.dur[index]! >= time - slack) {
			return index;
		}
	}

	return -1;
}

/** The slice at `depth` under `time`, or -1 (for clicks). */
export function sliceAtDepth(track: SliceTrack, depth: number, time: number, slack = 0): number {
	const offsets = track.depthOffsets;
	if (depth < 0 || depth >= offsets.length - 1) {
		return -1;
	}

	const from = offsets[depth]!;
	const to = offsets[depth + 1]!;
	const index = firstEndingAfter(track, from, to, time - slack);
	return index < to && track.start[index]! <= time + slack ? index : -1;
}

/** The earliest slice starting at or after `time` at any depth (the shallowest of equals), or -1. */
export function nextSliceFrom(track: SliceTrack, time: number): number {
	const offsets = track.depthOffsets;
	let best = -1;
	for (let depth = 0; depth + 1 < offsets.length; depth++) {
		const to = offsets[depth + 1]!;
		const index = firstStartingFrom(track, offsets[depth]!, to, time);
		if (index < to && (best < 0 || track.start[index]! < track.start[best]!)) {
			best = index;
		}
	}

	return best;
}
