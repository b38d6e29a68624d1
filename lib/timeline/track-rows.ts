import {depthCount, isSliceTrack, type TimelineModel, type Track} from './model.js';

/** Where a track is drawn: its top and height in CSS pixels, from the top of the track list. */
export type TrackRow = {track: number; top: number; height: number};

export const sliceRowHeight = 18;
export const counterRowHeight = 44;
export const headerRowHeight = 22;

export function trackHeight(track: Track): number {
	if (isSliceTrack(track)) {
		return Math.max(1, depthCount(track)) * sliceRowHeight + 4;
	}

	if (track.kind === 'counter') {
		return counterRowHeight;
	}

	return track.kind === 'process' || track.kind === 'instant' ? headerRowHeight : sliceRowHeight + 4;
}

/**
 * The rows to draw, top to bottom: every track in the model's order, except
 * those of a collapsed process (its header stays, to expand it again).
 */
export function layoutTrackRows(model: TimelineModel, collapsed: ReadonlySet<number>): TrackRow[] {
	const rows: TrackRow[] = [];
	let top = 0;
	let hiddenPid: number | undefined;
	model.tracks.forEach((track, index) => {
		if (track.kind === 'process') {
			hiddenPid = collapsed.has(track.pid) ? track.pid : undefined;
		} else if (hiddenPid !== undefined && track.pid === hiddenPid) {
			return;
		}

		const height = trackHeight(track);
		rows.push({track: index, top, height});
		top += height;
	});
	return rows;
}

/** The row at `y` (CSS pixels from the top of the list), or undefined. */
export function rowAt(rows: readonly TrackRow[], y: number): TrackRow | undefined {
	let low = 0;
	let high = rows.length - 1;
	while (low <= high) {
		const middle = (low + high) >> 1;
		const row = rows[middle]!;
		if (y < row.top) {
			high = middle - 1;
		} else if (y >= row.top + row.height) {
			low = middle + 1;
		} else {
			return row;
		}
	}

	return undefined;
}
