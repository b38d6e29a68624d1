/** What a track shows; `process` is the header of a process's group of tracks. */
export type TrackKind = 'process' | 'thread' | 'async' | 'gc' | 'counter' | 'instant' | 'object';

export type TrackInfo = {
	/** Stable across loads of the same trace: `p<pid>`, `t<pid>:<tid>`, `c<pid>:<name>`, `o<pid>:<id>` (`:<name>` added for a second name under one id), `i<pid>` (process instants), `g` (global instants), `a<pid>:<cat>` (`b`/`e` async events). */
	id: string;
	kind: TrackKind;
	name: string;
	pid: number;
	tid?: number;
};

/**
 * A track's slices, grouped by depth and, within a depth, sorted by start
 * and never overlapping (the layout guarantees it): which is what lets the
 * renderer find the visible ones by binary search and skip sub-pixel runs.
 * Slice `i` of the track is `start[i]`, `dur[i]`, …; depth `d` holds slices
 * `depthOffsets[d]` to `depthOffsets[d + 1] - 1`.
 */
export type SliceTrack = TrackInfo & {
	kind: 'thread' | 'async' | 'gc';
	depthOffsets: Uint32Array;
	start: Float64Array;
	dur: Float64Array;
	/** Duration minus the durations of the slices directly below it. */
	self: Float64Array;
	/** Each slice's name, as an index into the model's strings. */
	names: Uint32Array;
	/** Index into the model's args, or -1. */
	args: Int32Array;
};

export type CounterSeries = {name: string; ts: Float64Array; values: Float64Array};

export type CounterTrack = TrackInfo & {kind: 'counter'; series: CounterSeries[]};

export type ObjectSnapshot = {ts: number; args: number};

/** A `VizObject` (`N`/`O`/`D` events): its lifetime and each snapshot. */
export type ObjectTrack = TrackInfo & {kind: 'object'; objectId: string; created: number; destroyed: number; snapshots: ObjectSnapshot[]};

export type HeaderTrack = TrackInfo & {kind: 'process' | 'instant'};

export type Track = SliceTrack | CounterTrack | ObjectTrack | HeaderTrack;

export type InstantScope = 't' | 'p' | 'g';

export type Instant = {ts: number; name: string; scope: InstantScope; pid: number; tid: number; track: number; args: number};

/** One end of a flow arrow: the slice it binds to (`slice` -1 when none encloses it: then it sits on the track's top row). */
export type FlowEnd = {track: number; slice: number; ts: number};

export type Flow = {name: string; cat: string; id: string; from: FlowEnd; to: FlowEnd};

export type TimelineMetadata = {
	title: string;
	displayTimeUnit: 'ms' | 'ns';
	/** Earliest and latest time of any event, in µs as in the trace. */
	start: number;
	end: number;
	/** The directory the trace was recorded in, when the trace says (viztracer_metadata.cwd). */
	cwd?: string;
	/** Events the model could not place (unmatched `E`, flows with one end, …), for the page to mention. */
	skipped: number;
};

export type TimelineModel = {
	metadata: TimelineMetadata;
	strings: string[];
	/** In display order: each process's header, then its tracks. */
	tracks: Track[];
	instants: Instant[];
	flows: Flow[];
	/** Each args value as JSON text, decoded only when shown. */
	args: ArgsTable;
};

/** Args as UTF-8 JSON texts end to end, decoded one at a time. */
export type ArgsTable = {offsets: Uint32Array; bytes: Uint8Array};

export const isSliceTrack = (track: Track): track is SliceTrack => track.kind === 'thread' || track.kind === 'async' || track.kind === 'gc';

export const sliceCount = (track: SliceTrack): number => track.start.length;

export const depthCount = (track: SliceTrack): number => track.depthOffsets.length - 1;

/** The depth slice `index` of `track` is drawn at. */
export function depthOf(track: SliceTrack, index: number): number {
	const offsets = track.depthOffsets;
	let low = 0;
	let high = offsets.length - 2;
	while (low < high) {
		const middle = (low + high + 1) >> 1;
		if (offsets[middle]! <= index) {
			low = middle;
		} else {
			high = middle - 1;
		}
	}

	return low;
}

const textDecoder = new TextDecoder();

/** The args value `index` (parsed from its JSON), or undefined for -1. */
export function argsAt(table: ArgsTable, index: number): unknown {
	if (index < 0 || index + 1 >= table.offsets.length) {
		return undefined;
	}

	const text = textDecoder.decode(table.bytes.subarray(table.offsets[index]!, table.offsets[index + 1]!));
	try {
		return JSON.parse(text) as unknown;
	} catch {
		return text;
	}
}
