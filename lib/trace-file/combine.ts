import {describeValue, VizTracerInvalidTraceError} from '../core/errors.js';
import {baseTimeOfTrace, readTraceSync} from './read-trace-sync.js';
import {recordingsIn} from './trace-data.js';
import type {RecordingInfo, TraceData, TraceEvent} from './trace-event.js';
import {version} from './version.js';

export type CombineOptions = {
	/**
	 * Shift each trace so its first event is at time 0, instead of placing the
	 * traces on one wall-clock timeline (`--align-combine`).
	 * @default false
	 */
	align?: boolean;
};

/**
 * Reads a trace file this tool (or another Chrome-trace writer) wrote, plain
 * or gzip, streaming its text (a file can exceed V8's longest string). The
 * origin `viztracer_metadata.baseTimeNanoseconds` is read exactly from the
 * metadata itself (JSON.parse would round its 19 digits). Every event must be
 * an object. Throws {@link VizTracerTraceNotFoundError},
 * {@link VizTracerTraceUnreadableError} or {@link VizTracerInvalidTraceError}.
 */
export function readTraceFile(file: string): TraceData {
	const events: TraceEvent[] = [];
	let position = 0;
	const reader = readTraceSync(file, batch => {
		for (let index = 0; index < batch.length; index++, position++) {
			const event = batch[index];
			if (typeof event !== 'object' || event === null || Array.isArray(event)) {
				throw new VizTracerInvalidTraceError(file, `traceEvents[${position}] is ${describeValue(event)}, not an event object`);
			}

			events.push(event as TraceEvent);
		}
	}, {keepText: ['viztracer_metadata']});
	return traceDataOf(reader.other, reader.rawText, events);
}

/**
 * A trace object from what a reader found besides the events (`other`, and
 * `rawText` with `viztracer_metadata`, for the exact base time), around
 * `events`.
 */
export function traceDataOf(other: Record<string, unknown>, rawText: Record<string, string>, events: TraceEvent[]): TraceData {
	const metadata = other['viztracer_metadata'];
	const data: TraceData = {
		...other,
		traceEvents: events,
		viztracer_metadata: typeof metadata === 'object' && metadata !== null && !Array.isArray(metadata)
			? metadata as TraceData['viztracer_metadata']
			: {version, overflow: false, baseTimeNanoseconds: '0'},
		displayTimeUnit: other['displayTimeUnit'] === 'ms' ? 'ms' : 'ns',
	};
	const base = baseTimeOfTrace(other, rawText);
	if (base !== undefined) {
		data.viztracer_metadata.baseTimeNanoseconds = base;
	}

	return data;
}

/** Recording entries whose `completeFrom` moves with their trace's events by `shift` µs. */
export function shiftedRecording(recording: readonly RecordingInfo[], shift: number): RecordingInfo[] {
	return recording.map(entry => (typeof entry.completeFrom === 'number' && shift !== 0 ? {...entry, completeFrom: Math.round((entry.completeFrom + shift) * 1000) / 1000} : entry));
}

/** Microseconds to add to a trace's timestamps to put them on the timeline of `reference` (both wall-clock origins in ns). */
export function timelineShift(base: unknown, reference: unknown): number {
	const from = parseBaseTime(base);
	const to = parseBaseTime(reference);
	return from === undefined || to === undefined ? 0 : Number(from - to) / 1000;
}

function baseTimeOf(data: TraceData): bigint | undefined {
	return parseBaseTime(data.viztracer_metadata?.baseTimeNanoseconds);
}

/** A wall-clock origin in nanoseconds, exactly, if it is one. */
function parseBaseTime(base: unknown): bigint | undefined {
	if (typeof base === 'string' && /^\d+$/.test(base) && base !== '0') {
		return BigInt(base);
	}

	return typeof base === 'number' && Number.isSafeInteger(base) && base > 0 ? BigInt(base) : (typeof base === 'number' && base > 0 ? BigInt(Math.round(base)) : undefined);
}

function firstTimestamp(events: TraceEvent[]): number {
	let first = Number.POSITIVE_INFINITY;
	for (const event of events) {
		if (typeof event.ts === 'number' && event.ts < first) {
			first = event.ts;
		}
	}

	return Number.isFinite(first) ? first : 0;
}

/**
 * Merges traces into one. By default each trace is placed by its
 * `baseTimeNanoseconds`, so traces from several processes line up on one
 * wall-clock timeline (a trace without it stays where it is); with `align`,
 * each one's first event moves to time 0.
 */
export function combineTraces(traces: TraceData[], options: CombineOptions = {}): TraceData {
	const bases = traces.map(trace => baseTimeOf(trace));
	let reference: bigint | undefined;
	for (const base of bases) {
		if (base !== undefined && (reference === undefined || base < reference)) {
			reference = base;
		}
	}

	const events: TraceEvent[] = [];
	let overflow = false;
	const recording: RecordingInfo[] = [];
	for (const [index, trace] of traces.entries()) {
		overflow ||= trace.viztracer_metadata?.overflow === true;
		const base = bases[index];
		const shift = options.align
			? -firstTimestamp(trace.traceEvents)
			: (base === undefined || reference === undefined ? 0 : Number(base - reference) / 1000);
		recording.push(...shiftedRecording(recordingsIn(trace.viztracer_metadata), shift));

		for (const event of trace.traceEvents) {
			events.push(typeof event.ts === 'number' && shift !== 0 ? {...event, ts: Math.round((event.ts + shift) * 1000) / 1000} : event);
		}
	}

	return {
		traceEvents: events,
		viztracer_metadata: {
			version,
			overflow,
			...(recording.length > 0 ? {recording} : {}),
			// The combined timeline's origin: exact for the earliest trace.
			baseTimeNanoseconds: options.align || reference === undefined ? '0' : reference.toString(),
		},
		displayTimeUnit: 'ns',
	};
}
