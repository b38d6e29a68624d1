import {StringTable} from '../core/string-table.js';
import {TraceFileReader} from '../trace-file/read-trace-sync.js';
import {SpanField} from '../trace-file/vizt-reader.js';
import {recordingsIn} from '../trace-file/trace-data.js';
import type {FunctionStats} from './function-stats.js';

/**
 * The trace holds something the one-pass computation cannot count exactly
 * (spans without their stack depth, overlapping spans on a row, `B`/`E`
 * pairs, gaps in the depths): the caller falls back to the in-memory one.
 */
export class NotStreamableError extends Error {
	override name = 'NotStreamableError';
}

/** How viztracer names the rows it lays async lifetimes out on (as span-collector.ts). */
const lifetimeRowName = /^async \d+ \(.*\)$/;

// Percentiles come from a histogram per function: buckets of 1/128 of a
// power of two (a duration's exponent and the top 7 bits of its mantissa),
// so a percentile is within 0.4% of the measured call it stands for.
const scratch = new Float64Array(1);
const scratchWords = new Uint32Array(scratch.buffer);
const bucketShift = 13;
const bucketOf = (value: number): number => {
	scratch[0] = value;
	return scratchWords[1]! >>> bucketShift;
};

const bucketMiddle = (bucket: number): number => {
	scratchWords[0] = 0;
	scratchWords[1] = bucket << bucketShift;
	const low = scratch[0]!;
	scratchWords[1] = (bucket + 1) << bucketShift;
	return (low + scratch[0]!) / 2;
};

/** Counts, sums and a duration histogram, per function. */
class Tally {
	calls = new Float64Array(1024);
	sum = new Float64Array(1024);
	max = new Float64Array(1024).fill(Number.NEGATIVE_INFINITY);
	histograms: Array<Map<number, number>> = [];

	ensure(name: number): void {
		if (name >= this.calls.length) {
			const size = Math.max(name + 1, this.calls.length * 2);
			const grow = (old: Float64Array, fill = 0) => {
				const next = new Float64Array(size).fill(fill);
				next.set(old);
				return next;
			};

			this.calls = grow(this.calls);
			this.sum = grow(this.sum);
			this.max = grow(this.max, Number.NEGATIVE_INFINITY);
		}
	}

	// The duration being added: passed in a typed array, as a fractional number passed to a method that is not inlined is boxed.
	readonly duration = new Float64Array(1);

	/** Counts one call of `name` lasting `duration[0]`. */
	add(name: number): void {
		const duration = this.duration[0]!;
		this.ensure(name);
		this.calls[name]!++;
		this.sum[name]! += duration;
		if (duration > this.max[name]!) {
			this.max[name] = duration;
		}

		const histogram = (this.histograms[name] ??= new Map());
		const bucket = bucketOf(duration);
		histogram.set(bucket, (histogram.get(bucket) ?? 0) + 1);
	}

	percentile(name: number, p: number): number {
		const histogram = this.histograms[name];
		const calls = this.calls[name]!;
		if (histogram === undefined || calls === 0) {
			return Number.NaN;
		}

		const rank = Math.min(calls, Math.max(1, Math.ceil((p / 100) * calls)));
		const buckets = [...histogram.keys()].sort((a, b) => a - b);
		let seen = 0;
		for (const bucket of buckets) {
			seen += histogram.get(bucket)!;
			if (seen >= rank) {
				return Math.min(this.max[name]!, bucketMiddle(bucket));
			}
		}

		return this.max[name]!;
	}
}

/**
 * Durations in a typed array, handed out by slot: a Map holding the numbers
 * themselves would box a fresh heap number at every update.
 */
class SlotPool {
	values = new Float64Array(1024);
	#free = new Int32Array(1024);
	#freeCount = 0;
	#used = 0;

	allocate(value: number): number {
		let slot: number;
		if (this.#freeCount > 0) {
			slot = this.#free[--this.#freeCount]!;
		} else {
			if (this.#used === this.values.length) {
				const values = new Float64Array(this.values.length * 2);
				values.set(this.values);
				this.values = values;
			}

			slot = this.#used++;
		}

		this.values[slot] = value;
		return slot;
	}

	release(slot: number): void {
		if (this.#freeCount === this.#free.length) {
			const free = new Int32Array(this.#free.length * 2);
			free.set(this.#free);
			this.#free = free;
		}

		this.#free[this.#freeCount++] = slot;
	}
}

/**
 * A thread row whose spans carry their stack depth and come as they end.
 * Per depth, what the completed spans there whose parent has not ended yet
 * add up to: their durations (`times`), and per function the time its
 * outermost calls among them took (`names`: function → pool slot; nested
 * calls of the same function count once).
 */
type StackRow = {
	times: Float64Array;
	names: Array<Map<number, number> | undefined>;
	/** The deepest level holding anything. */
	deepest: number;
	/** Spans that began before this (µs) are incomplete: the trace dropped older entries. */
	whole: number;
};

/** A row of spans that do not nest (GC, async lifetimes): each must end before the next begins. */
type FlatRow = {lastEnd: number; lifetimes: boolean};

/**
 * Per-function statistics of a `.vizt` trace in one pass and bounded memory,
 * for traces too big to hold (a streamed recording of 100 million spans):
 * the spans of the call stack come with their depth, in the order they end,
 * so each span's children are the completed spans one level deeper since
 * the previous span at its own level. Self time is its duration minus
 * theirs; total time counts a function's outermost calls only. The same
 * numbers as the in-memory computation, but for p50 and p95, which come from
 * a histogram (within 0.4%). Throws {@link NotStreamableError} on a trace it
 * cannot count exactly that way.
 */
export function streamingFunctionStats(file: string): {functions: FunctionStats[]; spans: number; tracks: number; dropped: number; recorded: number; asyncLifetimes: boolean} {
	const names = new StringTable();
	const runs = new Tally();
	const lifetimes = new Tally();
	let self = new Float64Array(1024);
	let total = new Float64Array(1024);
	let incomplete = new Float64Array(1024);
	const ensureTotals = (name: number) => {
		runs.ensure(name);
		if (name >= self.length) {
			const grow = (old: Float64Array) => {
				const next = new Float64Array(runs.calls.length);
				next.set(old);
				return next;
			};

			self = grow(self);
			total = grow(total);
			incomplete = grow(incomplete);
		}
	};

	const stackRows = new Map<string, StackRow>();
	const pool = new SlotPool();
	// One callback for every merge (a closure per merge would be garbage per span).
	let mergeTarget = new Map<number, number>();
	const mergeEntry = (slot: number, key: number) => {
		const existing = mergeTarget.get(key);
		if (existing === undefined) {
			mergeTarget.set(key, slot);
		} else {
			pool.values[existing]! += pool.values[slot]!;
			pool.release(slot);
		}
	};

	const flatRows = new Map<string, FlatRow>();
	const lifetimeKeys = new Set<string>();
	let spans = 0;
	let reader: TraceFileReader;
	// File string ids → this table's ids.
	const localIds: number[] = [];
	const localName = (id: number) => (localIds[id] ??= names.intern(reader.stringAt(id)));

	let lastPid = -1;
	let lastTid = -1;
	let lastRow: StackRow | undefined;
	const stackRow = (pid: number, tid: number): StackRow => {
		if (pid === lastPid && tid === lastTid) {
			return lastRow!;
		}

		const key = `${pid}\u0000${tid}`;
		if (flatRows.has(key)) {
			throw new NotStreamableError('a row holds spans with and without stack depths');
		}

		let row = stackRows.get(key);
		if (row === undefined) {
			// The metadata record comes before the spans (or a trailer names it): what the file says this row dropped is known by now.
			row = {times: new Float64Array(64), names: [], deepest: -1, whole: completeFromIn(recordingsIn(safeMetadata(reader)), pid, tid)};
			stackRows.set(key, row);
		}

		lastPid = pid;
		lastTid = tid;
		lastRow = row;
		return row;
	};

	const onSpan = (id: number, depth: number, fields: Float64Array) => {
		const durationNanoseconds = fields[SpanField.duration]!;
		const duration = durationNanoseconds / 1000;
		const start = (fields[SpanField.end]! - durationNanoseconds) / 1000;
		if (depth < 0) {
			// Off the call stack (an async lifetime's row, GC): a row of its own, whose spans must not overlap.
			flatSpan(`${fields[SpanField.pid]!}\u0000${fields[SpanField.tid]!}`, localName(id), start, duration);
			return;
		}

		spans++;
		const row = stackRow(fields[SpanField.pid]!, fields[SpanField.tid]!);
		const name = localName(id);
		ensureTotals(name);
		if (row.deepest > depth + 1) {
			throw new NotStreamableError('the stack depths have gaps (a sparse recording)');
		}

		if (depth + 1 >= row.times.length) {
			const times = new Float64Array(Math.max(depth + 2, row.times.length * 2));
			times.set(row.times);
			row.times = times;
		}

		const {times, names: levelNames} = row;
		const childTime = times[depth + 1]!;
		const subtree = levelNames[depth + 1];
		times[depth + 1] = 0;
		levelNames[depth + 1] = undefined;
		if (start >= row.whole) {
			self[name]! += Math.max(0, duration - childTime);
		} else {
			incomplete[name]!++;
		}

		const nestedSlot = subtree?.get(name);
		total[name]! += duration - (nestedSlot === undefined ? 0 : pool.values[nestedSlot]!);
		runs.duration[0] = duration;
		runs.add(name);

		times[depth]! += duration;
		let into = levelNames[depth];
		if (subtree === undefined) {
			if (into === undefined) {
				into = new Map();
				levelNames[depth] = into;
			}

			const slot = into.get(name);
			if (slot === undefined) {
				into.set(name, pool.allocate(duration));
			} else {
				pool.values[slot]! += duration;
			}
		} else {
			// This span's subtree counts its own function once: this call.
			if (nestedSlot === undefined) {
				subtree.set(name, pool.allocate(duration));
			} else {
				pool.values[nestedSlot] = duration;
			}

			// The smaller map goes into the bigger one, so a function's entry moves O(log n) times in all.
			let from: Map<number, number> | undefined = subtree;
			if (into === undefined || into.size < subtree.size) {
				from = into;
				into = subtree;
			}

			if (from !== undefined) {
				mergeTarget = into;
				from.forEach(mergeEntry);
			}

			levelNames[depth] = into;
		}

		row.deepest = depth;
	};

	const flatSpan = (key: string, name: number, start: number, duration: number) => {
		if (stackRows.has(key)) {
			throw new NotStreamableError('a row holds spans with and without stack depths');
		}

		let row = flatRows.get(key);
		if (row === undefined) {
			row = {lastEnd: Number.NEGATIVE_INFINITY, lifetimes: lifetimeKeys.has(key)};
			flatRows.set(key, row);
		}

		if (start < row.lastEnd) {
			throw new NotStreamableError('spans overlap on a row');
		}

		row.lastEnd = start + duration;
		spans++;
		ensureTotals(name);
		if (row.lifetimes) {
			lifetimes.duration[0] = duration;
			lifetimes.add(name);
		} else {
			self[name]! += duration;
			total[name]! += duration;
			runs.duration[0] = duration;
			runs.add(name);
		}
	};

	const onEvents = (batch: unknown[]) => {
		for (const item of batch) {
			if (typeof item !== 'object' || item === null) {
				continue;
			}

			const event = item as Record<string, unknown>;
			const key = `${String(event['pid'])}\u0000${String(event['tid'])}`;
			if (event['ph'] === 'M') {
				const args = event['args'] as {name?: unknown} | undefined;
				if (event['name'] === 'thread_name' && typeof args?.name === 'string' && lifetimeRowName.test(args.name)) {
					if (flatRows.has(key) || stackRows.has(key)) {
						throw new NotStreamableError('a row was named as async lifetimes after its spans');
					}

					lifetimeKeys.add(key);
				}
			} else if (event['ph'] === 'B' || event['ph'] === 'E') {
				throw new NotStreamableError('the trace has B/E events');
			} else if (event['ph'] === 'X') {
				const start = typeof event['ts'] === 'number' ? event['ts'] : Number.NaN;
				const rawDuration = event['dur'];
				const duration = typeof rawDuration === 'number' && rawDuration > 0 ? rawDuration : 0;
				if (!Number.isFinite(start)) {
					continue;
				}

				flatSpan(key, names.intern(typeof event['name'] === 'string' ? event['name'] : String(event['name'] ?? '(unnamed)')), start, duration);
			}
		}
	};

	reader = new TraceFileReader(file, {keepText: ['viztracer_metadata'], onSpan, onEvents});
	if (!reader.isVizt) {
		reader.close();
		throw new NotStreamableError('it is not a .vizt file');
	}

	try {
		for (let batch = reader.nextBatch(); batch !== undefined; batch = reader.nextBatch()) {
			onEvents(batch);
		}
	} finally {
		reader.close();
	}

	const recording = recordingsIn(safeMetadata(reader));
	for (const [key, row] of stackRows) {
		const [pid, tid] = key.split('\u0000').map(Number);
		if (completeFromIn(recording, pid!, tid!) !== row.whole) {
			throw new NotStreamableError('the trace says what it dropped only at its end');
		}
	}

	// Functions with async lifetimes: calls and durations are the lifetimes'; self time is their runs'.
	const functions: FunctionStats[] = [];
	for (let name = 0; name < names.size; name++) {
		const hasLifetime = name < lifetimes.calls.length && lifetimes.calls[name]! > 0;
		const tally = hasLifetime ? lifetimes : runs;
		const calls = name < tally.calls.length ? tally.calls[name]! : 0;
		if (calls === 0) {
			continue;
		}

		functions.push({
			name: names.get(name),
			calls,
			total: hasLifetime ? lifetimes.sum[name]! : total[name]!,
			self: self[name]!,
			mean: tally.sum[name]! / calls,
			p50: tally.percentile(name, 50),
			p95: tally.percentile(name, 95),
			max: tally.max[name]!,
			incomplete: hasLifetime ? 0 : incomplete[name]!,
		});
	}

	let dropped = 0;
	let recorded = 0;
	for (const entry of recording) {
		dropped += entry.dropped;
		recorded += entry.recorded;
	}

	return {functions, spans, tracks: stackRows.size + flatRows.size, dropped, recorded, asyncLifetimes: [...flatRows.values()].some(row => row.lifetimes)};
}

/** From when the thread's record is whole (µs), by the trace's recording metadata. */
function completeFromIn(recording: ReturnType<typeof recordingsIn>, pid: number, tid: number): number {
	const entry = recording.find(candidate => candidate.pid === pid && candidate.tid === tid);
	return entry !== undefined && entry.dropped > 0 && typeof entry.completeFrom === 'number' ? entry.completeFrom : Number.NEGATIVE_INFINITY;
}

function safeMetadata(reader: TraceFileReader): unknown {
	try {
		return reader.other['viztracer_metadata'];
	} catch {
		return undefined;
	}
}
