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

export type VizTracerMetadata = {
	version: string;
	overflow: boolean;
	/**
	 * Wall-clock nanoseconds at trace time 0, as a decimal string in memory;
	 * the file stores it as an exact JSON integer.
	 */
	baseTimeNanoseconds: string;
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
