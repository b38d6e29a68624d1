// stats/: the numbers of `viztracer stats` and computeTraceStats() (this
// file): per-function counts, total and self times, percentiles. Reads
// traces through trace-file/; imports nothing else but the core.

import fs from 'node:fs';
import {computeFunctionStats, type FunctionStats} from './function-stats.js';
import {assertTraceFile, isViztFile, jsonSizeOf, readTraceEvents} from '../trace-file/read-trace.js';
import {traceOpenError} from '../trace-file/read-trace-sync.js';
import {recordingsIn} from '../trace-file/trace-data.js';
import {SpanCollector} from './span-collector.js';
import {NotStreamableError, streamingFunctionStats} from './streaming-stats.js';

// A `.vizt` trace bigger than this (about 12 million spans, some 600 MB of
// spans in memory) is counted in one pass instead, when it can be.
const streamingThresholdBytes = 64 * 1024 * 1024;

export type TraceStats = {
	/** One row per function (span name), unsorted. */
	functions: FunctionStats[];
	/** Spans counted (`X` events and matched `B`/`E` pairs). */
	spans: number;
	/** Distinct pid/tid tracks with spans or `B`/`E` events. */
	tracks: number;
	/** `B` events never ended and `E` events with no open `B`: left out of the numbers. */
	unmatched: number;
	/** Entries the trace says were recorded but dropped (`viztracer_metadata.recording`), over every thread. */
	dropped: number;
	/** Entries the trace says were recorded, over every thread (0 when it does not say). */
	recorded: number;
	/** Whether the trace has rows of async lifetimes (--log-async), which change how async functions are counted. */
	asyncLifetimes: boolean;
};

/**
 * The statistics of a `.vizt` trace in one pass, in memory that does not
 * grow with the number of spans (see streamingFunctionStats), or undefined
 * when the trace needs the in-memory computation.
 */
export function streamingTraceStats(file: string): TraceStats | undefined {
	try {
		const {functions, spans, tracks, dropped, recorded, asyncLifetimes} = streamingFunctionStats(file);
		return {functions, spans, tracks, unmatched: 0, dropped, recorded, asyncLifetimes};
	} catch (error) {
		// The reader passes it on as the cause of its own error.
		if (error instanceof NotStreamableError || (error instanceof Error && error.cause instanceof NotStreamableError)) {
			return undefined;
		}

		throw error;
	}
}

/**
 * Reads a trace (`.json`, gzip or `.vizt`) and computes per-function
 * statistics, streaming the file: memory grows with the number of spans (24
 * bytes each plus about 16 bytes while computing), not with the size of the
 * JSON. A `.vizt` trace of more than 64 MiB written by viztracer is counted
 * in one pass with memory that does not grow with it (p50 and p95 are then
 * within 0.4%).
 */
export async function computeTraceStats(file: string): Promise<TraceStats> {
	assertTraceFile(file);
	// No span takes less than about 40 bytes of JSON, so this many cannot be
	// exceeded in practice; columns allocated this big cost address space,
	// not memory, until filled (the pages are mapped on first write), and they
	// never need the copy of regrowing, which at millions of spans dominated.
	let size: number;
	try {
		size = jsonSizeOf(file);
	} catch (error) {
		throw traceOpenError(file, error);
	}

	if (isViztFile(file) && fs.statSync(file).size > streamingThresholdBytes) {
		const streamed = streamingTraceStats(file);
		if (streamed !== undefined) {
			return streamed;
		}
	}

	// A `.vizt` span takes 4 bytes or more.
	const collector = new SpanCollector(Math.max(1 << 16, Math.ceil(size / (isViztFile(file) ? 4 : 40))));
	const {other} = await readTraceEvents(file, batch => {
		collector.add(batch);
	});
	const recording = recordingsIn(other['viztracer_metadata']);
	// Per track, from when its record is whole; no earlier span gets self time.
	const completeFrom = new Float64Array(collector.trackCount).fill(Number.NEGATIVE_INFINITY);
	let dropped = 0;
	let recorded = 0;
	for (const entry of recording) {
		dropped += entry.dropped;
		recorded += entry.recorded;
		const track = collector.trackOf(entry.pid, entry.tid);
		if (track !== undefined && typeof entry.completeFrom === 'number' && entry.dropped > 0) {
			completeFrom[track] = entry.completeFrom;
		}
	}

	const lifetimeTracks = collector.lifetimeTracks();
	return {
		functions: computeFunctionStats(collector.spans, collector.names, collector.trackCount, completeFrom, lifetimeTracks),
		asyncLifetimes: lifetimeTracks.includes(1),
		spans: collector.spans.length,
		tracks: collector.trackCount,
		unmatched: collector.unmatchedBegins + collector.unmatchedEnds,
		dropped,
		recorded,
	};
}
