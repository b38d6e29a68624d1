import {randomBytes} from 'node:crypto';
import type {TraceData, TraceEvent} from '../trace-file/trace-event.js';

/** An OpenTelemetry attribute value as the exporter accepts it. */
export type AttributeValue = string | number | boolean | string[] | number[] | boolean[];

/** Nanosecond wall-clock time as OpenTelemetry's `HrTime`: `[seconds, nanoseconds]`. */
export type HrTime = [number, number];

/**
 * One span, as plain JSON so it can cross to the sender process. Ids are
 * lower-case hex, as in the W3C trace context.
 */
export type SpanRecord = {
	name: string;
	traceId: string;
	spanId: string;
	parentSpanId?: string;
	startTime: HrTime;
	endTime: HrTime;
	attributes: Record<string, AttributeValue>;
	/** Index into {@link SpanBatch.resources}. */
	resource: number;
};

export type SpanBatch = {
	resources: Array<Record<string, AttributeValue>>;
	spans: SpanRecord[];
};

/** The span the traced code ran under, which the exported spans join. */
export type ParentSpan = {traceId: string; spanId: string};

export type ConvertOptions = {
	parent?: ParentSpan | undefined;
	/** `service.name` of every resource; default: the traced process's name. */
	serviceName?: string | undefined;
};

type Pending = {event: TraceEvent; start: bigint; end: bigint; spanId: string};

/**
 * Turns the complete (`ph: 'X'`) events of a trace into spans. Chrome traces
 * carry no parent links, so they are rebuilt from nesting: on one pid/tid
 * track a span's parent is the innermost earlier span that encloses it. All
 * spans share one trace id (the parent's when given), and track roots hang
 * from the parent span.
 */
export function traceToSpans(data: TraceData, options: ConvertOptions = {}): SpanBatch {
	const base = BigInt(data.viztracer_metadata.baseTimeNanoseconds);
	const traceId = options.parent?.traceId ?? randomBytes(16).toString('hex');
	const {processNames, threadNames} = namesOf(data.traceEvents);
	const tracks = new Map<string, TraceEvent[]>();
	for (const event of data.traceEvents) {
		if (event.ph === 'X' && typeof event.ts === 'number') {
			const key = `${event.pid}:${event.tid}`;
			let track = tracks.get(key);
			if (track === undefined) {
				track = [];
				tracks.set(key, track);
			}

			track.push(event);
		}
	}

	const resources: SpanBatch['resources'] = [];
	const resourceOfPid = new Map<number, number>();
	const resourceOf = (pid: number): number => {
		let index = resourceOfPid.get(pid);
		if (index === undefined) {
			index = resources.length;
			const processName = processNames.get(pid) ?? 'node';
			resources.push({
				'service.name': options.serviceName ?? processName,
				'process.pid': pid,
				'process.executable.name': processName,
				'process.runtime.name': 'nodejs',
			});
			resourceOfPid.set(pid, index);
		}

		return index;
	};

	const ids = new IdSource();
	const spans: SpanRecord[] = [];
	for (const track of tracks.values()) {
		const pending: Pending[] = track.map(event => {
			const start = base + nanoseconds(event.ts!);
			return {event, start, end: start + nanoseconds(event.dur ?? 0), spanId: ids.next()};
		});
		// Outer spans first: by start, then the longer one.
		pending.sort((a, b) => (a.start === b.start ? compare(b.end, a.end) : compare(a.start, b.start)));
		const stack: Pending[] = [];
		for (const span of pending) {
			while (stack.length > 0 && stack.at(-1)!.end <= span.start) {
				stack.pop();
			}

			// Async spans may overlap without nesting; the parent is then the innermost span that does enclose this one.
			let parent: Pending | undefined;
			for (let index = stack.length - 1; index >= 0; index--) {
				if (stack[index]!.end >= span.end) {
					parent = stack[index];
					break;
				}
			}

			stack.push(span);
			const {event} = span;
			const attributes: Record<string, AttributeValue> = {
				'thread.id': event.tid,
				'thread.name': threadNames.get(`${event.pid}:${event.tid}`) ?? String(event.tid),
			};
			if (event.cat !== undefined) {
				attributes['viztracer.category'] = event.cat;
			}

			for (const [key, value] of Object.entries(event.args ?? {})) {
				attributes[`viztracer.args.${key}`] = attributeValue(value);
			}

			const parentSpanId = parent?.spanId ?? options.parent?.spanId;
			spans.push({
				name: event.name,
				traceId,
				spanId: span.spanId,
				...(parentSpanId === undefined ? {} : {parentSpanId}),
				startTime: hrTime(span.start),
				endTime: hrTime(span.end),
				attributes,
				resource: resourceOf(event.pid),
			});
		}
	}

	return {resources, spans};
}

/** Trace times are microseconds with nanosecond decimals; rounding recovers the exact nanoseconds. */
const nanoseconds = (microseconds: number): bigint => BigInt(Math.round(microseconds * 1000));

const compare = (a: bigint, b: bigint): number => (a < b ? -1 : (a > b ? 1 : 0));

const hrTime = (ns: bigint): HrTime => [Number(ns / 1_000_000_000n), Number(ns % 1_000_000_000n)];

function attributeValue(value: unknown): AttributeValue {
	if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean') {
		return value;
	}

	return JSON.stringify(value) ?? String(value);
}

function namesOf(events: TraceEvent[]): {processNames: Map<number, string>; threadNames: Map<string, string>} {
	const processNames = new Map<number, string>();
	const threadNames = new Map<string, string>();
	for (const event of events) {
		const name = event.ph === 'M' ? event.args?.['name'] : undefined;
		if (typeof name !== 'string') {
			continue;
		}

		if (event.name === 'process_name') {
			processNames.set(event.pid, name);
		} else if (event.name === 'thread_name') {
			threadNames.set(`${event.pid}:${event.tid}`, name);
		}
	}

	return {processNames, threadNames};
}

/** Random 64-bit span ids, drawn from the system in blocks: one `randomBytes` call per span is the slow part for 100k spans. */
class IdSource {
	#block = Buffer.alloc(0);
	#offset = 0;

	next(): string {
		if (this.#offset >= this.#block.length) {
			this.#block = randomBytes(8 * 4096);
			this.#offset = 0;
		}

		const id = this.#block.toString('hex', this.#offset, this.#offset + 8);
		this.#offset += 8;
		// An all-zero id is invalid in OpenTelemetry.
		return id === '0000000000000000' ? this.next() : id;
	}
}
