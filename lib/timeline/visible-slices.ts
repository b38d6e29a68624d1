import type {SliceTrack} from './model.js';
import {firstEndingAfter, firstStartingFrom} from './slice-lookup.js';
import {firstItemEndingAfter, levelFor, sliceLevel} from './slice-levels.js';

/**
 * Called for what is drawn at one depth: a slice (`count` 1, `index` the
 * slice) or a run of `count` slices narrower than a pixel merged into one
 * block from `start` to `end` (`index` its first slice).
 */
export type SliceVisitor = (index: number, start: number, end: number, count: number) => void;

/**
 * The level of detail: visits the slices of one depth that overlap
 * [from, to] at `usPerPixel`. A slice a pixel wide or more is always
 * visited itself. Zoomed out to a µs a pixel or more, the narrower ones
 * come merged from the precomputed level for that zoom (slice-levels.ts),
 * whose items are read in order from one binary search: a frame costs the
 * items in view, a few per pixel column, however many slices the trace
 * has. Zoomed in further, the slices narrower than a pixel that start in
 * the same pixel column become one block, and the search jumps to the next
 * column by binary search.
 */
export function forEachVisibleSlice(track: SliceTrack, depth: number, from: number, to: number, usPerPixel: number, visit: SliceVisitor): void {
	const offsets = track.depthOffsets;
	if (depth < 0 || depth + 1 >= offsets.length) {
		return;
	}

	const level = levelFor(usPerPixel);
	if (level >= 0) {
		visitLevel(track, depth, level, from, to, visit);
		return;
	}

	const {start, dur} = track;
	const last = offsets[depth + 1]!;
	let index = firstEndingAfter(track, offsets[depth]!, last, from);
	// A slice ending exactly at `from` (zero width at the left edge) still counts.
	while (index > offsets[depth]! && start[index - 1]! + dur[index - 1]! >= from) {
		index--;
	}

	while (index < last && start[index]! <= to) {
		const begin = start[index]!;
		if (dur[index]! >= usPerPixel) {
			visit(index, begin, begin + dur[index]!, 1);
			index++;
			continue;
		}

		const column = Math.floor((begin - from) / usPerPixel);
		const columnEnd = from + (column + 1) * usPerPixel;
		let next = firstStartingFrom(track, index + 1, last, columnEnd);
		// Only the run's last slice can reach past the column: a wide one is visited on its own.
		const wideLast = next - 1 > index && dur[next - 1]! >= usPerPixel;
		const runEnd = wideLast ? next - 1 : next;
		visit(index, begin, start[runEnd - 1]! + dur[runEnd - 1]!, runEnd - index);
		if (wideLast) {
			visit(next - 1, start[next - 1]!, start[next - 1]! + dur[next - 1]!, 1);
		}

		if (next <= index) {
			next = index + 1;
		}

		index = next;
	}
}

function visitLevel(track: SliceTrack, depth: number, level: number, from: number, to: number, visit: SliceVisitor): void {
	const items = sliceLevel(track, depth, level);
	const {start, end, first, count} = items;
	let index = firstItemEndingAfter(items, from);
	while (index > 0 && end[index - 1]! >= from) {
		index--;
	}

	for (; index < start.length && start[index]! <= to; index++) {
		visit(first[index]!, start[index]!, end[index]!, count[index]!);
	}
}
