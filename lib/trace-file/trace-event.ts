/** One Chrome Trace Event, as written to the trace file. */
export type TraceEvent = {
	ph: string;
	name: string;
	pid: number;
	tid: number;
	ts?: number;
	dur?: number;
	cat?: string;
	s?: 'g' | 'p' | 't';
	id?: string | number;
	args?: Record<string, unknown>;
	[key: string]: unknown;
};

/**
 * What one thread recorded and what of it is in the file: one entry per
 * traced thread of every process in the trace (the saving thread first).
 */
export type RecordingInfo = {
	pid: number;
	tid: number;
	/** Entries recorded since the last clear. */
	recorded: number;
	/** Entries in the file (the newest ones, when a bound dropped the oldest). */
	kept: number;
	/** Entries dropped: `recorded - kept`. */
	dropped: number;
	/** The most entries kept (`tracerEntries`, rounded up to a power of two); 0 when unbounded. */
	bound: number;
	/** The entries were streamed to disk while the program ran (an unbounded recording that outgrew its ring). */
	streamed?: boolean;
	/** Milliseconds the thread waited, in all, for the writer that streamed its entries. */
	writerWaitMs?: number;
	/** Why the writer stopped, when it did: the entries written before are kept, then the newest the ring held. */
	writerFailure?: string;
	/** Async spans not recorded because too many were open at once. */
	droppedAsyncSpans: number;
	/**
	 * When entries were dropped: the trace time (µs) from which this thread's
	 * record is whole. A span that began earlier may have lost children.
	 */
	completeFrom?: number;
};

export type VizTracerMetadata = {
	version: string;
	overflow: boolean;
	/** Per thread, what was recorded and dropped (see {@link RecordingInfo}). */
	recording?: RecordingInfo[];
	/**
	 * Wall-clock nanoseconds at trace time 0, as a decimal string in memory;
	 * the file stores it as an exact JSON integer.
	 */
	baseTimeNanoseconds: string;
	/** The working directory of the recording: what the relative source paths in span names are relative to (vizviewer shows the source from it). */
	cwd?: string;
	[key: string]: unknown;
};

/**
 * The assembled trace handed to `pre-save` handlers and listeners. Handlers
 * may mutate it in place (push events, add keys); what they leave is written.
 */
export type TraceData = {
	traceEvents: TraceEvent[];
	viztracer_metadata: VizTracerMetadata;
	displayTimeUnit: 'ns' | 'ms';
	[key: string]: unknown;
};
