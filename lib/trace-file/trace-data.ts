import {baseTimeNanoseconds} from '../core/clock.js';
import {VizTracerTraceTooLargeError} from '../core/errors.js';
import {EntryKind, instantScopes, kindMask, payloadFlag, scopeMask, scopeShift, trackOf, type RingBuffer} from '../core/ring-buffer.js';
import type {StringTable} from '../core/string-table.js';
import type {RecordingInfo, TraceData, TraceEvent} from './trace-event.js';
import {version} from './version.js';

export type ProcessInfo = {
	pid: number;
	tid: number;
	processName: string;
	threadName: string;
	/** False in a worker thread. */
	isMainThread?: boolean;
};

/** A consistent copy (or view) of the recorded entries, in recording order. */
export type EntriesView = {
	starts: Float64Array;
	ends: Float64Array;
	names: Int32Array;
	metas: Int32Array;
	payloads: Map<number, unknown>;
	/** Slot of the oldest entry. */
	first: number;
	/** Number of entries. */
	size: number;
	mask: number;
	strings: StringTable;
	/** Names of the extra timeline rows (index 0 is the thread itself). */
	tracks: readonly string[];
};

export function viewOf(ring: RingBuffer, strings: StringTable, tracks: readonly string[] = []): EntriesView {
	return {
		tracks,
		starts: ring.starts,
		ends: ring.ends,
		names: ring.names,
		metas: ring.metas,
		payloads: ring.payloads,
		first: ring.firstSlot,
		size: ring.size,
		mask: ring.mask,
		strings,
	};
}

/**
 * Copies the ring, so an asynchronous save is not disturbed by entries recorded meanwhile.
 * (`new Float64Array(array)` rather than `array.slice()`: on Node 20 the
 * constructor copies a 2^20-entry ring in about 2 ms, `slice()` in about 100.)
 */
export function snapshotOf(ring: RingBuffer, strings: StringTable, tracks: readonly string[] = []): EntriesView {
	return {...viewOf(ring, strings, [...tracks]), starts: new Float64Array(ring.starts), ends: new Float64Array(ring.ends), names: new Int32Array(ring.names), metas: new Int32Array(ring.metas), payloads: new Map(ring.payloads)};
}

/**
 * The entries of `view` recorded at or after `since` (a clock reading, ms):
 * a span counts when it ended, anything else when it happened. The ring is
 * in recording order, so that is its newest part.
 */
export function entriesSince(view: EntriesView, since: number): EntriesView {
	let skipped = 0;
	while (skipped < view.size) {
		const slot = (view.first + skipped) & view.mask;
		const at = (view.metas[slot]! & kindMask) === EntryKind.span ? view.ends[slot]! : view.starts[slot]!;
		if (at >= since) {
			break;
		}

		skipped++;
	}

	return skipped === 0 ? view : {...view, first: (view.first + skipped) & view.mask, size: view.size - skipped};
}

export const emptyView = (strings: StringTable, tracks: readonly string[] = []): EntriesView => ({
	tracks,
	starts: new Float64Array(0), ends: new Float64Array(0), names: new Int32Array(0), metas: new Int32Array(0), payloads: new Map(), first: 0, size: 0, mask: 0, strings,
});

/** Trace microseconds, rounded to the nanosecond, from a clock reading in ms. */
export const microseconds = (milliseconds: number): number => Math.round(milliseconds * 1e6) / 1000;

/** Object ids are written as hex strings, as Chrome's object events expect. */
export const objectId = (id: number): string => `0x${id.toString(16)}`;

const phases: Record<number, string> = {
	[EntryKind.span]: 'X',
	[EntryKind.instant]: 'i',
	[EntryKind.counter]: 'C',
	[EntryKind.objectNew]: 'N',
	[EntryKind.objectSnapshot]: 'O',
	[EntryKind.objectDelete]: 'D',
	[EntryKind.flowStart]: 's',
	[EntryKind.flowEnd]: 'f',
};

export const phaseOf = (meta: number): string => phases[meta & kindMask] ?? 'X';

export const scopeOf = (meta: number): 'g' | 'p' | 't' => instantScopes[(meta >> scopeShift) & scopeMask] ?? 't';

export const hasPayload = (meta: number): boolean => (meta & payloadFlag) !== 0;

/** Lanes start at this track number: `tid * 10000 + 1000 + lane`. */
export const firstLaneTrack = 1000;

/**
 * Lays async lifetimes (entries on the `async` row) out on as few rows as
 * possible without overlaps, first come first served by start time, as
 * viewers expect the slices of one row to nest. Returns slot → row track.
 */
export function asyncLanes(view: EntriesView): Map<number, number> {
	const laneTrack = view.tracks.indexOf('async');
	const lanes = new Map<number, number>();
	if (laneTrack <= 0) {
		return lanes;
	}

	const slots: number[] = [];
	for (let index = 0; index < view.size; index++) {
		const slot = (view.first + index) & view.mask;
		if (trackOf(view.metas[slot]!) === laneTrack) {
			slots.push(slot);
		}
	}

	slots.sort((a, b) => view.starts[a]! - view.starts[b]!);
	const laneEnds: number[] = [];
	for (const slot of slots) {
		let lane = laneEnds.findIndex(end => end <= view.starts[slot]!);
		if (lane === -1) {
			lane = laneEnds.length;
		}

		laneEnds[lane] = view.ends[slot]!;
		lanes.set(slot, firstLaneTrack + lane);
	}

	return lanes;
}

/** The track numbers of the lanes `asyncLanes` used, with their names. */
export function laneTracks(lanes: Map<number, number>): Array<[number, string]> {
	let last = firstLaneTrack - 1;
	for (const track of lanes.values()) {
		last = Math.max(last, track);
	}

	const count = last - firstLaneTrack + 1;
	return Array.from({length: Math.max(0, count)}, (_, lane) => [firstLaneTrack + lane, `async ${lane + 1}`]);
}

/**
 * The tid of a timeline row: the thread's own for track 0; extra rows (GC,
 * async work) get ids derived from it, so they sort with their thread.
 */
export const trackTid = (info: ProcessInfo, track: number): number => (track === 0 ? info.tid : (info.tid * 10_000) + track);

/**
 * Metadata events naming the process (from its main thread only, so worker
 * traces merged in do not rename it), the thread, and its extra rows.
 */
export function metadataEvents(info: ProcessInfo, tracks: readonly string[] = [], lanes: Array<[number, string]> = []): TraceEvent[] {
	const events: TraceEvent[] = [];
	if (info.isMainThread !== false) {
		events.push({ph: 'M', name: 'process_name', pid: info.pid, tid: info.tid, args: {name: info.processName}});
	}

	events.push({ph: 'M', name: 'thread_name', pid: info.pid, tid: info.tid, args: {name: info.threadName}});
	for (const [track, name] of [...tracks.entries(), ...lanes]) {
		if (track > 0 && name !== 'async') {
			const tid = trackTid(info, track);
			events.push(
				{ph: 'M', name: 'thread_name', pid: info.pid, tid, args: {name: `${name} (${info.threadName})`}},
				{ph: 'M', name: 'thread_sort_index', pid: info.pid, tid, args: {sort_index: track}},
			);
		}
	}

	return events;
}

/** Turns one ring entry into an event object (for handlers; the file writer streams instead). */
export function eventAt(view: EntriesView, slot: number, info: ProcessInfo, lanes?: Map<number, number>): TraceEvent {
	const meta = view.metas[slot]!;
	const kind = meta & kindMask;
	const event: TraceEvent = {ph: phaseOf(meta), name: view.strings.get(view.names[slot]!), pid: info.pid, tid: trackTid(info, lanes?.get(slot) ?? trackOf(meta)), ts: microseconds(view.starts[slot]!)};
	const payload = hasPayload(meta) ? view.payloads.get(slot) : undefined;
	switch (kind) {
		case EntryKind.span: {
			event.cat = 'FEE';
			event.dur = microseconds(view.ends[slot]! - view.starts[slot]!);
			if (payload !== undefined) {
				event.args = payload as Record<string, unknown>;
			}

			break;
		}

		case EntryKind.instant: {
			event.s = scopeOf(meta);
			if (payload !== undefined) {
				event.args = payload as Record<string, unknown>;
			}

			break;
		}

		case EntryKind.counter: {
			event.args = payload as Record<string, unknown>;
			break;
		}

		case EntryKind.flowStart:
		case EntryKind.flowEnd: {
			event.cat = 'async';
			event.id = view.ends[slot]!;
			if (kind === EntryKind.flowEnd) {
				event.bp = 'e';
			}

			break;
		}

		default: {
			event.id = objectId(view.ends[slot]!);
			if (payload !== undefined) {
				event.args = {snapshot: payload};
			}
		}
	}

	return event;
}

/**
 * The part of a recording a streaming writer put in a `.vizt` file (see
 * trace-file/ring-streamer.ts): its events come before the ring's, and the
 * file already names the thread and its rows.
 */
export type StreamedEvents = {
	file: string;
	/** Bytes of the file that belong to the trace (it may grow meanwhile). */
	bytes: number;
	/** Entries in it. */
	entries: number;
	/** Where an encoder appending to a copy of the file picks up. */
	continuation: {strings: number; time: number};
	/** Its events, as objects or (`json`) as JSON texts. */
	open(json: boolean): EventBatches;
};

/** The most events `traceEvents` makes objects of when the recording was streamed to disk. */
export const maxStreamedEventObjects = 1 << 22;

export type UnreadEntries = {view: EntriesView; info: ProcessInfo; streamed?: StreamedEvents};

const lazyEvents = Symbol('viztracer.lazyEvents');

type LazyTraceData = TraceData & {[lazyEvents]?: UnreadEntries};

/**
 * Assembles the trace object. `traceEvents` is materialised only when someone
 * reads it (a `pre-save` handler or listener); otherwise the writer streams
 * straight from the ring, so saving a million spans builds no million objects.
 */
export function assembleTraceData(view: EntriesView, info: ProcessInfo, overflow: boolean, recording?: RecordingInfo, streamed?: StreamedEvents): TraceData {
	let events: TraceEvent[] | undefined;
	const data: LazyTraceData = {
		viztracer_metadata: {version, overflow, ...(recording ? {recording: [recording]} : {}), baseTimeNanoseconds: baseTimeNanoseconds(), cwd: process.cwd()},
		displayTimeUnit: 'ns',
	} as LazyTraceData;
	Object.defineProperty(data, 'traceEvents', {
		enumerable: true,
		configurable: true,
		get(): TraceEvent[] {
			if (events === undefined) {
				const lanes = asyncLanes(view);
				if (streamed === undefined) {
					events = metadataEvents(info, view.tracks, laneTracks(lanes));
				} else {
					if (streamed.entries + view.size > maxStreamedEventObjects) {
						throw new VizTracerTraceTooLargeError(streamed.entries + view.size, maxStreamedEventObjects);
					}

					events = [];
					const batches = streamed.open(false);
					try {
						for (let batch = batches.nextBatch(); batch !== undefined; batch = batches.nextBatch()) {
							for (let index = 0; index < batch.length; index++) {
								events.push(batch[index] as TraceEvent);
							}
						}
					} finally {
						batches.close();
					}
				}

				for (let index = 0; index < view.size; index++) {
					events.push(eventAt(view, (view.first + index) & view.mask, info, lanes));
				}

				delete data[lazyEvents];
			}

			return events;
		},
		set(value: TraceEvent[]) {
			events = value;
			delete data[lazyEvents];
		},
	});
	Object.defineProperty(data, lazyEvents, {value: {view, info, streamed}, configurable: true, enumerable: false});
	return data;
}

/**
 * The {@link RecordingInfo} of a view of a ring that was written `recorded`
 * times: what was dropped, and from when the kept entries are whole (the
 * oldest kept entry was written when it ended, for a span).
 */
export function recordingOf(view: EntriesView, info: ProcessInfo, recorded: number, bound: number, droppedAsyncSpans: number, streamed = 0): RecordingInfo {
	const kept = streamed + view.size;
	const dropped = Math.max(0, recorded - kept);
	const recording: RecordingInfo = {pid: info.pid, tid: info.tid, recorded, kept, dropped, bound, droppedAsyncSpans};
	if (dropped > 0 && view.size > 0) {
		const oldest = view.first;
		recording.completeFrom = microseconds((view.metas[oldest]! & kindMask) === EntryKind.span ? view.ends[oldest]! : view.starts[oldest]!);
	}

	return recording;
}

/**
 * The valid entries of `metadata.recording` (a `viztracer_metadata` value
 * of any origin: a plugin or a foreign trace may have put anything there):
 * objects whose counts are non-negative integers. Never throws.
 */
export function recordingsIn(metadata: unknown): RecordingInfo[] {
	try {
		const recording = typeof metadata === 'object' && metadata !== null ? (metadata as {recording?: unknown}).recording : undefined;
		if (!Array.isArray(recording)) {
			return [];
		}

		const isCount = (value: unknown) => typeof value === 'number' && Number.isSafeInteger(value) && value >= 0;
		return recording.filter((entry): entry is RecordingInfo => typeof entry === 'object' && entry !== null
			&& isCount((entry as RecordingInfo).kept) && isCount((entry as RecordingInfo).dropped) && isCount((entry as RecordingInfo).recorded));
	} catch {
		return [];
	}
}

/** The ring view (and streamed file) behind `data.traceEvents` while nobody has read it, for streaming. */
export function unreadEntries(data: TraceData): UnreadEntries | undefined {
	return (data as LazyTraceData)[lazyEvents];
}

/** Hands over batches of events, one per call, then `undefined`; `close()` stops early. */
export type EventBatches = {
	nextBatch(): readonly unknown[] | undefined;
	close(): void;
	/** The batches hold each event's JSON text (a `.vizt` file read for conversion), not event objects. */
	json?: boolean;
};

const appendedSources = Symbol('viztracer.appendedEvents');

type WithAppended = TraceData & {[appendedSources]?: Array<() => EventBatches>};

/**
 * Adds events that the writer streams after the trace's own, read only while
 * the file is written (a child process's partial trace can be bigger than
 * memory, or than the longest string). They are not in `data.traceEvents`.
 * Each batch must hold event objects only; `open` is called once per write.
 */
export function appendEventSource(data: TraceData, open: () => EventBatches): void {
	const target = data as WithAppended;
	if (!Object.hasOwn(target, appendedSources)) {
		Object.defineProperty(target, appendedSources, {value: [], configurable: true, enumerable: false});
	}

	target[appendedSources]!.push(open);
}

/** The sources {@link appendEventSource} added, in order. */
export function appendedEventSources(data: TraceData): ReadonlyArray<() => EventBatches> {
	return (data as WithAppended)[appendedSources] ?? [];
}
