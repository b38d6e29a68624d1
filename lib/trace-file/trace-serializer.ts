import {describeValue, VizTracerUnwritableTraceError} from '../core/errors.js';
import {depthOf, EntryKind, isPlainSpan, isSpanWithArgs, kindMask, trackOf} from '../core/ring-buffer.js';
import {safeJson} from './safe-json.js';
import type {TraceData, TraceEvent} from './trace-event.js';
import {appendedEventSources, hasPayload, metadataEvents, microseconds, objectId, phaseOf, asyncLanes, laneTracks, scopeOf, trackTid, unreadEntries, type EntriesView, type ProcessInfo} from './trace-data.js';

// Strings are gathered into chunks of about this many characters: big enough
// that the per-chunk work is noise, small enough that a chunk stays an
// ordinary young-generation string. Above V8's regular object limit (128 KiB)
// every chunk lands in large-object space, which only full GCs reclaim: peak
// RSS doubled and page faults tripled the save time of a million spans.
const chunkCharacters = 1 << 16;

/**
 * What {@link walkTrace} hands each event to: a file format's encoder.
 * Entries still in the ring come as `span` (a span on its thread's own row
 * with no args: nearly every entry, given as its name's id and its clock
 * readings, so no text is made for it) after the `thread` they belong to, or
 * as the JSON text of any other entry; event objects (after a plugin read or
 * replaced them, and those of appended sources) come as they are.
 */
export type TraceSink = {
	thread(view: EntriesView, info: ProcessInfo): void;
	/** `depth`: the span's call-stack depth, or -1 when it was not on the stack. */
	span(name: number, start: number, end: number, depth: number): void;
	/** A span with args on the thread's own row, for a sink that has a form for it (else it comes to `entry` as JSON). */
	argsSpan?(name: number, start: number, end: number, depth: number, argsJson: string): void;
	entry(json: string): void;
	object(event: unknown, index: number): void;
};

/** Events {@link walkTrace} hands over between two of its pauses: about one JSON chunk of spans. */
const eventsPerStep = 512;

/**
 * Hands every event of `data` to `sink`, in file order, pausing (yielding)
 * every few thousand events so the caller can flush what the sink made: the
 * metadata events and entries of the ring, or the event objects, then the
 * events of {@link appendEventSource} sources, read as they are written.
 */
export function * walkTrace(data: TraceData, sink: TraceSink, withAppended = true, withStreamed = true): Generator<undefined, void, undefined> {
	// Keys, not entries: reading `traceEvents` would materialise an object per
	// ring entry (see assembleTraceData), the very thing streaming avoids.
	const unread = unreadEntries(data);
	let step = 0;
	if (unread) {
		const {view, info, streamed} = unread;
		const lanes = asyncLanes(view);
		// A streamed file names the thread and its rows itself.
		if (streamed === undefined) {
			const metadata = metadataEvents(info, view.tracks, laneTracks(lanes));
			for (let index = 0; index < metadata.length; index++) {
				sink.entry(JSON.stringify(metadata[index]));
			}
		} else if (withStreamed) {
			const batches = streamed.open(true);
			try {
				for (let batch = batches.nextBatch(); batch !== undefined; batch = batches.nextBatch()) {
					for (let index = 0; index < batch.length; index++) {
						sink.entry(batch[index] as string);
					}

					yield;
				}
			} finally {
				batches.close();
			}
		}

		sink.thread(view, info);
		const names = nameCache(view);
		const trackPrefixes: string[] = [];
		const prefixOf = (track: number) => (trackPrefixes[track] ??= `,"pid":${info.pid},"tid":${trackTid(info, track)},"ts":`);
		const {starts, ends, metas} = view;
		// Spans tagged with one context share its frozen object: its JSON is made once for each run of them.
		let lastPayload: unknown;
		let lastJson = '';
		for (let index = 0; index < view.size; index++) {
			const slot = (view.first + index) & view.mask;
			const meta = metas[slot]!;
			// Exactly a span: no payload, and on the thread's own row.
			if (isPlainSpan(meta)) {
				sink.span(view.names[slot]!, starts[slot]!, ends[slot]!, depthOf(meta));
			} else if (sink.argsSpan !== undefined && isSpanWithArgs(meta) && view.payloads.has(slot)) {
				const payload = view.payloads.get(slot);
				if (payload !== lastPayload || !Object.isFrozen(payload)) {
					lastPayload = payload;
					lastJson = safeJson(payload);
				}

				if (lastJson.startsWith('{')) {
					sink.argsSpan(view.names[slot]!, starts[slot]!, ends[slot]!, depthOf(meta), lastJson);
				} else {
					sink.entry(entryJson(view, slot, names, prefixOf(0)));
				}
			} else {
				const lane = lanes.get(slot);
				sink.entry(entryJson(view, slot, names, lane === undefined ? prefixOf(trackOf(metas[slot]!)) : prefixOf(lane)));
			}

			if (++step === eventsPerStep) {
				step = 0;
				yield;
			}
		}
	} else {
		const events = eventsOf(data);
		for (let index = 0; index < events.length; index++) {
			sink.object(events[index], index);
			if (++step === eventsPerStep) {
				step = 0;
				yield;
			}
		}
	}

	const sources = withAppended ? appendedEventSources(data) : [];
	for (let source = 0; source < sources.length; source++) {
		const batches = sources[source]!();
		try {
			for (let batch = batches.nextBatch(); batch !== undefined; batch = batches.nextBatch()) {
				if (batches.json === true) {
					for (let index = 0; index < batch.length; index++) {
						sink.entry(batch[index] as string);
					}
				} else {
					for (let index = 0; index < batch.length; index++) {
						sink.object(batch[index], index);
					}
				}

				yield;
			}
		} finally {
			batches.close();
		}
	}
}

/**
 * Serialises a trace as a sequence of JSON text chunks, never building the
 * whole file as one string (see {@link walkTrace} for the order). Spans still
 * in the ring are formatted straight from the typed arrays; event objects go
 * through `JSON.stringify` one by one.
 *
 * What the program recorded (args, snapshots) is written whatever it holds: a
 * value JSON cannot express is replaced by a marker. Anything else that
 * cannot be written as a trace (a null `viztracer_metadata`, an event that is
 * not an object, a BigInt or a cycle outside `args`, a `toJSON` that throws)
 * throws {@link VizTracerUnwritableTraceError}; the top-level values are
 * checked before the first chunk, so those fail before anything is written.
 */
export function * serializeTrace(data: TraceData, withAppended = true): Generator<string, void, undefined> {
	const tail = tailJson(data);
	const parts: string[] = ['{"traceEvents":['];
	let length = 0;
	let first = true;
	const add = (json: string) => {
		parts.push(first ? json : `,\n${json}`);
		first = false;
		length += json.length;
	};

	// Spans without args are nearly every entry: their text up to `ts` is
	// cached per name (with the separator: the metadata events came first).
	let spanHeads: string[] = [];
	let names: (id: number) => string = String;
	let prefix = '';
	const sink: TraceSink = {
		thread(view, info) {
			spanHeads = [];
			names = nameCache(view);
			prefix = `,"pid":${info.pid},"tid":${info.tid},"ts":`;
		},
		span(name, start, end) {
			const json = (spanHeads[name] ??= `${first ? '' : ',\n'}{"ph":"X","name":${names(name)}${prefix}`) + microsecondsJson(start) + ',"dur":' + microsecondsJson(end - start) + ',"cat":"FEE"}';
			if (first) {
				// The cached head has no separator only while nothing came before it.
				spanHeads = [];
				first = false;
			}

			parts.push(json);
			length += json.length;
		},
		entry: add,
		object(event, index) {
			add(eventJson(event, index));
		},
	};

	for (const _ of walkTrace(data, sink, withAppended)) {
		if (length >= chunkCharacters) {
			yield parts.join('');
			parts.length = 0;
			length = 0;
		}
	}

	parts.push('\n]', tail, '}\n');
	yield parts.join('');
}

const unwritable = (reason: string, cause?: unknown) => new VizTracerUnwritableTraceError(reason, cause);

/** One line: V8 explains a cycle over three. */
function reasonOf(error: unknown): string {
	try {
		return (error instanceof Error ? error.message : String(error)).replaceAll(/\s*\n\s*/g, ' ');
	} catch {
		return 'unknown error';
	}
}

/** `data.traceEvents`, which a handler may have replaced by anything. */
function eventsOf(data: TraceData): readonly unknown[] {
	let events: unknown;
	try {
		events = data.traceEvents;
	} catch (error) {
		throw unwritable(`reading traceEvents threw: ${reasonOf(error)}`, error);
	}

	if (!Array.isArray(events)) {
		throw unwritable(`traceEvents is ${describeValue(events)}, not an array`);
	}

	return events;
}

/** The top-level members after `traceEvents`, as `,"key":value…`. */
export function tailJson(data: TraceData): string {
	let keys: string[];
	try {
		keys = Object.keys(data);
	} catch (error) {
		throw unwritable(`its keys cannot be listed: ${reasonOf(error)}`, error);
	}

	let tail = '';
	for (let index = 0; index < keys.length; index++) {
		const key = keys[index]!;
		if (key === 'traceEvents') {
			continue;
		}

		let value: unknown;
		let json: string | undefined;
		try {
			value = data[key as keyof TraceData];
			json = key === 'viztracer_metadata' ? metadataJson(value) : JSON.stringify(value);
		} catch (error) {
			throw error instanceof VizTracerUnwritableTraceError ? error : unwritable(`${key} cannot be serialised: ${reasonOf(error)}`, error);
		}

		if (json !== undefined) {
			tail += `,${JSON.stringify(key)}:${json}`;
		}
	}

	return tail;
}

/** `baseTimeNanoseconds` is kept as a decimal string in memory but written as an exact JSON integer. */
function metadataJson(metadata: unknown): string | undefined {
	if (metadata === undefined) {
		return undefined;
	}

	if (typeof metadata !== 'object' || metadata === null || Array.isArray(metadata)) {
		throw unwritable(`viztracer_metadata is ${describeValue(metadata)}, not an object`);
	}

	const {baseTimeNanoseconds, ...rest} = metadata as TraceData['viztracer_metadata'];
	const json = JSON.stringify(rest);
	if (typeof baseTimeNanoseconds !== 'string' || !/^\d+$/.test(baseTimeNanoseconds) || json?.charCodeAt(0) !== 0x7B) {
		return JSON.stringify(metadata);
	}

	return `${json.slice(0, -1)}${json.length > 2 ? ',' : ''}"baseTimeNanoseconds":${baseTimeNanoseconds}}`;
}

// `.001` … `.999` with trailing zeros dropped; index 0 is the empty string.
const fractionDigits = Array.from({length: 1000}, (_, thousandths) => (thousandths === 0 ? '' : `.${String(thousandths).padStart(3, '0').replace(/0+$/, '')}`));

/**
 * `JSON.stringify(microseconds(milliseconds))`, from integer parts: integers
 * and a table lookup instead of a double-to-shortest-decimal conversion,
 * which was the bulk of a span's formatting. Below 2^52 ns (52 days) the
 * spacing of doubles near `ns / 1000` is under a thousandth, so its shortest
 * decimal is exactly the integer part and up to three fraction digits;
 * anything else takes the general path.
 */
export function microsecondsJson(milliseconds: number): string {
	return nanosecondsAsMicrosecondsJson(Math.round(milliseconds * 1e6));
}

/** `JSON.stringify(nanoseconds / 1000)` for an integer, by the same table (see {@link microsecondsJson}). */
export function nanosecondsAsMicrosecondsJson(nanoseconds: number): string {
	if (nanoseconds >= 0 && nanoseconds < 2 ** 52) {
		const whole = Math.floor(nanoseconds / 1000);
		return `${whole}${fractionDigits[nanoseconds - (whole * 1000)]!}`;
	}

	return String(nanoseconds / 1000);
}

function nameCache(view: EntriesView): (id: number) => string {
	const cache: string[] = [];
	return id => (cache[id] ??= JSON.stringify(view.strings.get(id)));
}

function entryJson(view: EntriesView, slot: number, names: (id: number) => string, prefix: string): string {
	const meta = view.metas[slot]!;
	const payload = hasPayload(meta) ? view.payloads.get(slot) : undefined;
	return entryText(meta, names(view.names[slot]!), prefix, view.starts[slot]!, view.ends[slot]!, payload === undefined ? undefined : safeJson(payload));
}

/**
 * The JSON of one ring entry other than a plain span, from its parts: its
 * meta word, its name's JSON, the `,"pid":…,"tid":…,"ts":` text of its row,
 * its clock readings and its payload's JSON (a streaming writer's thread
 * gets the payload as JSON already).
 */
export function entryText(meta: number, nameJson: string, prefix: string, start: number, end: number, payloadJson: string | undefined): string {
	const head = `{"ph":"${phaseOf(meta)}","name":${nameJson}${prefix}${microseconds(start)}`;
	const args = payloadJson === undefined ? '' : `,"args":${payloadJson}`;
	switch (meta & kindMask) {
		case EntryKind.span: {
			return `${head},"dur":${microseconds(end - start)},"cat":"FEE"${args}}`;
		}

		case EntryKind.instant: {
			return `${head},"s":"${scopeOf(meta)}"${args}}`;
		}

		case EntryKind.counter: {
			return `${head}${args}}`;
		}

		case EntryKind.flowStart: {
			return `${head},"cat":"async","id":${end}}`;
		}

		case EntryKind.flowEnd: {
			return `${head},"cat":"async","id":${end},"bp":"e"}`;
		}

		default: {
			const snapshot = payloadJson === undefined ? '' : `,"args":{"snapshot":${payloadJson}}`;
			return `${head},"id":"${objectId(end)}"${snapshot}}`;
		}
	}
}

/**
 * One event object. Its `args` hold what the program recorded and are
 * written whatever they hold (see safeJson); the rest of it must be JSON.
 */
export function eventJson(event: unknown, index: number): string {
	if (typeof event !== 'object' || event === null || Array.isArray(event)) {
		throw unwritable(`traceEvents[${index}] is ${describeValue(event)}, not an event object`);
	}

	let json: string | undefined;
	try {
		json = JSON.stringify(event);
	} catch (error) {
		json = withSafeArgs(event as TraceEvent, index, error);
	}

	if (typeof json !== 'string' || json.charCodeAt(0) !== 0x7B) {
		throw unwritable(`traceEvents[${index}] does not serialise to a JSON object (its toJSON() returned ${json === undefined ? 'nothing' : json.slice(0, 40)})`);
	}

	return json;
}

function withSafeArgs(event: TraceEvent, index: number, error: unknown): string {
	let args: unknown;
	let shell: string | undefined;
	try {
		args = event.args;
		if (args !== undefined) {
			shell = JSON.stringify({...event, args: undefined});
		}
	} catch (cause) {
		throw unwritable(`traceEvents[${index}] cannot be serialised: ${reasonOf(cause)}`, cause);
	}

	if (args === undefined || shell?.charCodeAt(0) !== 0x7B) {
		throw unwritable(`traceEvents[${index}] cannot be serialised: ${reasonOf(error)}`, error);
	}

	return `${shell.slice(0, -1)}${shell.length > 2 ? ',' : ''}"args":${safeJson(args)}}`;
}

/**
 * Why `data` cannot be written, or undefined when it can: a dry run of the
 * writer that keeps no text. Appended sources are not read (their events
 * are checked as they are read).
 */
export function unwritableReason(data: TraceData): string | undefined {
	try {
		const chunks = serializeTrace(data, false);
		for (let chunk = chunks.next(); chunk.done !== true; chunk = chunks.next()) {
			// Nothing to keep.
		}

		return undefined;
	} catch (error) {
		return error instanceof VizTracerUnwritableTraceError ? error.reason : reasonOf(error);
	}
}

/**
 * A quick look at the two values every later step relies on: `traceEvents`
 * must be an array and `viztracer_metadata` an object. Undefined when they
 * are; it reads no event (nor materialises the ring's).
 */
export function shapeProblem(data: TraceData): string | undefined {
	try {
		if (!unreadEntries(data)) {
			const events: unknown = data.traceEvents;
			if (!Array.isArray(events)) {
				return `traceEvents is ${describeValue(events)}, not an array`;
			}
		}

		const metadata: unknown = data.viztracer_metadata;
		if (metadata !== undefined && (typeof metadata !== 'object' || metadata === null || Array.isArray(metadata))) {
			return `viztracer_metadata is ${describeValue(metadata)}, not an object`;
		}
	} catch (error) {
		return reasonOf(error);
	}

	return undefined;
}
