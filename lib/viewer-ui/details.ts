import {argsAt, depthOf, isSliceTrack, type TimelineModel} from '../timeline/model.js';
import {sliceLabel, sourceLocation} from '../timeline/slice-label.js';
import type {SliceRef} from '../timeline/slice-search.js';

export type SourceLines = {file: string; line: number; lines: {number: number; text: string; highlighted: boolean}[]};

export type FlowLink = {direction: 'in' | 'out'; name: string; ts: number; other: (SliceRef & {name: string; ts: number}) | undefined};

/** What the details panel shows for a slice (also what `vizviewer.details()` returns). */
export type SliceDetails = {
	name: string;
	function: string;
	location: string;
	track: string;
	trackId: string;
	ts: number;
	start: number;
	dur: number;
	self: number;
	depth: number;
	args: Record<string, unknown> | undefined;
	flows: FlowLink[];
	source?: SourceLines | {error: string} | 'loading';
};

/** What the details panel shows for an instant, an object's snapshot or a counter's values at a time. */
export type MarkerDetails = {
	kind: 'instant' | 'snapshot' | 'counter';
	name: string;
	ts: number;
	/** From the start of the trace. */
	start: number;
	track: string;
	trackId: string;
	/** The instant's args, the snapshot, or each counter series' value. */
	args: Record<string, unknown>;
	/** An instant's scope. */
	scope?: string;
};

export function sliceDetails(model: TimelineModel, ref: SliceRef): SliceDetails | undefined {
	const track = model.tracks[ref.track];
	if (track === undefined || !isSliceTrack(track) || ref.slice < 0 || ref.slice >= track.start.length) {
		return undefined;
	}

	const name = model.strings[track.names[ref.slice]!] ?? '';
	const label = sliceLabel(name);
	const args = argsAt(model.args, track.args[ref.slice]!);
	const flows: FlowLink[] = [];
	for (const flow of model.flows) {
		const isFrom = flow.from.track === ref.track && flow.from.slice === ref.slice;
		const isTo = flow.to.track === ref.track && flow.to.slice === ref.slice;
		if (!isFrom && !isTo) {
			continue;
		}

		const other = isFrom ? flow.to : flow.from;
		const otherTrack = model.tracks[other.track];
		const otherName = otherTrack !== undefined && isSliceTrack(otherTrack) && other.slice >= 0 ? model.strings[otherTrack.names[other.slice]!] ?? '' : '';
		flows.push({
			direction: isFrom ? 'out' : 'in',
			name: flow.name,
			ts: isFrom ? flow.from.ts : flow.to.ts,
			other: other.slice >= 0 ? {track: other.track, slice: other.slice, name: otherName, ts: other.ts} : undefined,
		});
	}

	return {
		name,
		function: label.name,
		location: label.location,
		track: track.name,
		trackId: track.id,
		ts: track.start[ref.slice]!,
		start: track.start[ref.slice]! - model.metadata.start,
		dur: track.dur[ref.slice]!,
		self: track.self[ref.slice]!,
		depth: depthOf(track, ref.slice),
		args: typeof args === 'object' && args !== null ? args as Record<string, unknown> : (args === undefined ? undefined : {value: args}),
		flows,
	};
}

/** The lines around `line` (1-based) of a source text, the line itself highlighted. */
export function sourceExcerpt(file: string, text: string, line: number, around = 8): SourceLines {
	const all = text.split(/\r?\n/);
	const first = Math.max(1, line - around);
	const last = Math.min(all.length, line + around);
	const lines = [];
	for (let number = first; number <= last; number++) {
		lines.push({number, text: all[number - 1] ?? '', highlighted: number === line});
	}

	return {file, line, lines};
}

export {sourceLocation};
