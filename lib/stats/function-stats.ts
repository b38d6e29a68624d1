import type {StringTable} from '../core/string-table.js';
import type {SpanColumns} from './span-columns.js';
import {spanOrder} from './span-order.js';
import {nearestRank} from './percentile.js';

/** One row of `viztracer stats`: times in microseconds. */
export type FunctionStats = {
	name: string;
	calls: number;
	/** Time during which at least one call was running, per track: nested (recursive) calls are not counted twice. */
	total: number;
	/** Time during which a call was the innermost running span of its track. */
	self: number;
	/** Mean duration of one call (inclusive). */
	mean: number;
	/** Median call duration (nearest rank). */
	p50: number;
	/** 95th percentile of call durations (nearest rank). */
	p95: number;
	/** Longest call. */
	max: number;
	/**
	 * Calls that began before their thread's record is whole (the trace
	 * dropped older entries, children of theirs among them): their self time
	 * is unknown, so it is left out of `self`.
	 */
	incomplete: number;
};

/**
 * Per-function statistics of the spans. One sweep per track, in start order:
 *
 * - self time goes to the innermost span at each moment: the most recently
 *   started span still running. For properly nested spans that is duration
 *   minus the children's durations; when siblings overlap (async spans on one
 *   thread), each moment still counts once, so the self times of a track add
 *   up to the time it was busy.
 * - total time is the union of a function's calls on the track, so a
 *   recursive function's nested calls do not count the same time twice.
 */
export function computeFunctionStats(spans: SpanColumns, names: StringTable, trackCount: number, completeFrom?: Float64Array, lifetimeTracks?: Uint8Array): FunctionStats[] {
	const functionCount = names.size;
	const {length, starts, durations, names: nameOf, tracks: trackOf} = spans;
	// Async functions traced with --log-async have a lifetime span (call to
	// settle) on a lifetime row and a span per run on the thread. Their calls
	// and durations are the lifetimes; their self time is the runs', so time
	// spent awaiting is no one's self time; a lifetime row credits none.
	const hasLifetime = new Uint8Array(functionCount);
	if (lifetimeTracks !== undefined) {
		for (let span = 0; span < length; span++) {
			if (lifetimeTracks[trackOf[span]!] === 1) {
				hasLifetime[nameOf[span]!] = 1;
			}
		}
	}

	const counted = (span: number): boolean => hasLifetime[nameOf[span]!] === 0 || lifetimeTracks![trackOf[span]!] === 1;
	const self = new Float64Array(functionCount);
	const total = new Float64Array(functionCount);
	const sum = new Float64Array(functionCount);
	const calls = new Uint32Array(functionCount);
	const incomplete = new Uint32Array(functionCount);
	const coveredUntil = new Float64Array(functionCount);
	const coveredTrack = new Int32Array(functionCount).fill(-1);

	const {order, trackEnds} = spanOrder(spans, trackCount);
	let stack = new Int32Array(256);
	let from = 0;
	for (let track = 0; track < trackCount; track++) {
		const to = trackEnds[track]!;
		let depth = 0;
		let now = Number.NEGATIVE_INFINITY;
		// Spans that began before this are incomplete: no self time is credited to them.
		const whole = lifetimeTracks?.[track] === 1 ? Number.POSITIVE_INFINITY : (completeFrom?.[track] ?? Number.NEGATIVE_INFINITY);
		// Moves the clock to `time`, crediting the innermost running span and
		// popping the spans that ended on the way.
		const advance = (time: number) => {
			while (depth > 0) {
				const top = stack[depth - 1]!;
				const end = starts[top]! + durations[top]!;
				if (end <= time) {
					if (end > now) {
						if (starts[top]! >= whole) {
							self[nameOf[top]!]! += end - now;
						}

						now = end;
					}

					depth--;
				} else {
					if (time > now) {
						if (starts[top]! >= whole) {
							self[nameOf[top]!]! += time - now;
						}

						now = time;
					}

					return;
				}
			}
		};

		for (let position = from; position < to; position++) {
			const span = order[position]!;
			const start = starts[span]!;
			const duration = durations[span]!;
			const name = nameOf[span]!;
			advance(start);
			if (depth === stack.length) {
				const bigger = new Int32Array(stack.length * 2);
				bigger.set(stack);
				stack = bigger;
			}

			stack[depth++] = span;
			if (start > now) {
				now = start;
			}

			if (!counted(span)) {
				// A run of an async function: its self time only (credited above).
				continue;
			}

			calls[name]!++;
			sum[name]! += duration;
			if (start < whole && lifetimeTracks?.[track] !== 1) {
				incomplete[name]!++;
			}

			if (coveredTrack[name] !== track) {
				coveredTrack[name] = track;
				coveredUntil[name] = Number.NEGATIVE_INFINITY;
			}

			const end = start + duration;
			const covered = coveredUntil[name]!;
			if (end > covered) {
				// The duration itself when nothing overlaps: (start + dur) - start may differ from dur in the last bit.
				total[name]! += start >= covered ? duration : end - covered;
				coveredUntil[name] = end;
			}
		}

		advance(Number.POSITIVE_INFINITY);
		from = to;
	}

	// Durations grouped by function (a counting sort), each group then sorted
	// natively, for the percentiles.
	const groupStart = new Uint32Array(functionCount + 1);
	for (let name = 0; name < functionCount; name++) {
		groupStart[name + 1] = groupStart[name]! + calls[name]!;
	}

	const fill = groupStart.slice(0, functionCount);
	const grouped = new Float64Array(length);
	for (let span = 0; span < length; span++) {
		if (counted(span)) {
			grouped[fill[nameOf[span]!]!++] = durations[span]!;
		}
	}

	const rows: FunctionStats[] = [];
	for (let name = 0; name < functionCount; name++) {
		const count = calls[name]!;
		if (count === 0) {
			continue;
		}

		const group = grouped.subarray(groupStart[name], groupStart[name + 1]).sort();
		rows.push({
			name: names.get(name),
			calls: count,
			total: total[name]!,
			self: self[name]!,
			mean: sum[name]! / count,
			p50: nearestRank(group, 50),
			p95: nearestRank(group, 95),
			max: group[count - 1]!,
			incomplete: incomplete[name]!,
		});
	}

	return rows;
}
