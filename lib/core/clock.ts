import {performance} from 'node:perf_hooks';

/**
 * The tracer's monotonic clock, in milliseconds since `performance.timeOrigin`.
 * Entries keep this unit in the ring (a multiply per call is a cost for nothing);
 * writers convert to trace microseconds.
 */
// Taken when this module loads, before the traced program runs: a program that
// replaces `performance.now` (fake timers) must neither see the tracer's calls
// nor be traced from inside them.
export const now: () => number = performance.now.bind(performance);

/**
 * Wall-clock nanoseconds at which `now()` read 0, as an exact decimal string:
 * the value exceeds 2^53, so a JS number would round it. Traces from several
 * processes are aligned by adding `ts * 1000` to this origin.
 */
export function baseTimeNanoseconds(): string {
	const origin = performance.timeOrigin;
	const milliseconds = Math.floor(origin);
	const nanosWithinMillisecond = Math.round((origin - milliseconds) * 1e6);
	return (BigInt(milliseconds) * 1_000_000n + BigInt(nanosWithinMillisecond)).toString();
}

/** Converts a clock reading (ms) to trace microseconds. */
export const toMicroseconds = (milliseconds: number): number => milliseconds * 1000;
