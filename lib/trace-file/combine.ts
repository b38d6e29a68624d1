import {describeValue, VizTracerInvalidTraceError} from '../core/errors.js';
import {baseTimeOfTrace, readTraceSync, TraceFileReader} from './read-trace-sync.js';
import {appendEventSource, recordingsIn, type EventBatches} from './trace-data.js';
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

export type ShiftedEventsOptions = {
	/** Called once when reading fails midway (the events end there); without it, the error is thrown. */
	onFailure?: (error: unknown) => void;
	/** Anything but an event object is an error (as {@link readTraceFile} has it); otherwise it is skipped. */
	strict?: boolean;
	/** Called with each batch handed on. */
	onBatch?: (batch: readonly unknown[]) => void;
};

/**
 * The events of a trace file, shifted by `shift` µs, one read's worth at a
 * time: an appended source (appendEventSource) for a writer that streams
 * them, whatever the file's size. Span events of a `.vizt` file keep their
 * stack depths.
 */
export function shiftedEvents(file: string, shift: number, options: ShiftedEventsOptions = {}): EventBatches {
	let reader: TraceFileReader | undefined;
	let position = 0;
	const fail = (error: unknown) => {
		reader?.close();
		reader = undefined;
		if (options.onFailure === undefined) {
			throw error;
		}

		options.onFailure(error);
	};

	try {
		reader = new TraceFileReader(file, {spanDepths: true});
	} catch (error) {
		fail(error);
	}

	return {
		nextBatch() {
			while (reader !== undefined) {
				let batch: unknown[] | undefined;
				try {
					batch = reader.nextBatch();
				} catch (error) {
					fail(error);
					return undefined;
				}

				if (batch === undefined) {
					reader = undefined;
					return undefined;
				}

				const events: unknown[] = [];
				for (let index = 0; index < batch.length; index++, position++) {
					const event = batch[index];
					// Only event objects: anything else would make the whole trace unwritable.
					if (typeof event !== 'object' || event === null || Array.isArray(event)) {
						if (options.strict === true) {
							fail(new VizTracerInvalidTraceError(file, `traceEvents[${position}] is ${describeValue(event)}, not an event object`));
							return undefined;
						}

						continue;
					}

					const {ts} = event as {ts?: unknown};
					events.push(typeof ts === 'number' && shift !== 0 ? {...event, ts: Math.round((ts + shift) * 1000) / 1000} : event);
				}

				if (events.length > 0) {
					options.onBatch?.(events);
					return events;
				}
			}

			return undefined;
		},
		close() {
			reader?.close();
			reader = undefined;
		},
	};
}

/** The earliest event time of a trace file, read in one streaming pass (0 when it has none). */
function firstTimestampOfFile(file: string): number {
	let first = Number.POSITIVE_INFINITY;
	const reader = new TraceFileReader(file);
	try {
		for (let batch = reader.nextBatch(); batch !== undefined; batch = reader.nextBatch()) {
			for (const event of batch) {
				const ts = typeof event === 'object' && event !== null ? (event as {ts?: unknown}).ts : undefined;
				if (typeof ts === 'number' && ts < first) {
					first = ts;
				}
			}
		}
	} finally {
		reader.close();
	}

	return Number.isFinite(first) ? first : 0;
}

/**
 * Merges trace files into one trace. By default each is placed by its
 * `baseTimeNanoseconds`, so traces from several processes line up on one
 * wall-clock timeline (a trace without it stays where it is); with `align`,
 * each one's first event moves to time 0. Streaming: only each file's
 * metadata is read here, and its events are appended as a source that the
 * writer reads while it writes (with `align`, each file is read once more
 * first, for its earliest time), so traces of any size combine in memory for
 * a batch. `count` says how many events were written, once they were.
 */
export function combineTraceFiles(files: readonly string[], options: CombineOptions = {}): {data: TraceData; count: () => number} {
	const heads = files.map(file => {
		const head = readTraceSync(file, () => undefined, {parseEvents: false, keepText: ['viztracer_metadata']});
		return traceDataOf(head.other, head.rawText, []);
	});
	const bases = heads.map(trace => baseTimeOf(trace));
	let reference: bigint | undefined;
	for (const base of bases) {
		if (base !== undefined && (reference === undefined || base < reference)) {
			reference = base;
		}
	}

	let overflow = false;
	const recording: RecordingInfo[] = [];
	const shifts: number[] = [];
	for (const [index, trace] of heads.entries()) {
		overflow ||= trace.viztracer_metadata?.overflow === true;
		const base = bases[index];
		const shift = options.align
			? -firstTimestampOfFile(files[index]!)
			: (base === undefined || reference === undefined ? 0 : Number(base - reference) / 1000);
		shifts.push(shift);
		recording.push(...shiftedRecording(recordingsIn(trace.viztracer_metadata), shift));
	}

	const data: TraceData = {
		traceEvents: [],
		viztracer_metadata: {
			version,
			overflow,
			...(recording.length > 0 ? {recording} : {}),
			baseTimeNanoseconds: options.align || reference === undefined ? '0' : reference.toString(),
		},
		displayTimeUnit: 'ns',
	};
	let events = 0;
	for (const [index, file] of files.entries()) {
		appendEventSource(data, () => shiftedEvents(file, shifts[index]!, {
			strict: true,
			onBatch(batch) {
				events += batch.length;
			},
		}));
	}

	return {data, count: () => events};
}
