import {isSliceTrack, type TimelineModel} from './model.js';
import {firstEndingAfter} from './slice-lookup.js';

export type RangeRow = {name: string; calls: number; total: number; self: number; mean: number; max: number};

/**
 * What ran in [from, to]: per function (slice name), the slices of every
 * track that overlap the range, with their whole durations (as Perfetto's
 * area selection counts them): calls, total, self, mean and max, by total.
 */
export function rangeTable(model: TimelineModel, from: number, to: number): RangeRow[] {
	const rows = new Map<number, RangeRow>();
	for (const track of model.tracks) {
		if (!isSliceTrack(track)) {
			continue;
		}

		const {depthOffsets, start, dur, self, names} = track;
		for (let depth = 0; depth + 1 < depthOffsets.length; depth++) {
			const last = depthOffsets[depth + 1]!;
			for (let index = firstEndingAfter(track, depthOffsets[depth]!, last, from, true); index < last && start[index]! <= to; index++) {
				const id = names[index]!;
				let row = rows.get(id);
				if (row === undefined) {
					row = {name: model.strings[id] ?? '', calls: 0, total: 0, self: 0, mean: 0, max: 0};
					rows.set(id, row);
				}

				row.calls++;
				row.total += dur[index]!;
				row.self += self[index]!;
				row.max = Math.max(row.max, dur[index]!);
			}
		}
	}

	const result = [...rows.values()];
	for (const row of result) {
		row.mean = row.total / row.calls;
	}

	return result.sort((a, b) => b.total - a.total || (a.name < b.name ? -1 : 1));
}
