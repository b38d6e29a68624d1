// stats/: the numbers of `viztracer stats` and computeTraceStats() (this
// file): per-function counts, total and self times, percentiles. Reads
// traces through trace-file/; imports nothing else but the core.

import {computeFunctionStats, type FunctionStats} from './function-stats.js';
import {assertTraceFile, isViztFile, jsonSizeOf, readTraceEvents} from '../trace-file/read-trace.js';
import {traceOpenError} from '../trace-file/read-trace-sync.js';
import {recordingsIn} from '../trace-file/trace-data.js';
import {SpanCollector} from './span-collector.js';

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
 * Reads a trace (`.json` or gzip) and computes per-function statistics,
 * streaming the file: memory grows with the number of spans (24 bytes each
 * plus about 16 bytes while computing), not with the size of the JSON.
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
