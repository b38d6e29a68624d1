import {EntryKind, kindMask, trackShift} from './ring-buffer.js';
import type {TraceData} from './trace-event.js';
import {hasPayload, metadataEvents, microseconds, objectId, phaseOf, asyncLanes, laneTracks, scopeOf, trackTid, unreadEntries, type EntriesView} from './trace-data.js';

// Strings are gathered into chunks of about this many characters: big enough
// that the per-chunk work is noise, small enough that a chunk stays an
// ordinary young-generation string. Above V8's regular object limit (128 KiB)
// every chunk lands in large-object space, which only full GCs reclaim: peak
// RSS doubled and page faults tripled the save time of a million spans.
const chunkCharacters = 1 << 16;

/**
 * Serialises a trace as a sequence of JSON text chunks, never building the
 * whole file as one string. Events still in the ring are formatted straight
 * from the typed arrays; event objects (after a plugin read or replaced them)
 * go through `JSON.stringify` one by one.
 */
export function * serializeTrace(data: TraceData): Generator<string, void, undefined> {
	const parts: string[] = ['{"traceEvents":['];
	let length = 0;
	let first = true;
	const add = (json: string) => {
		parts.push(first ? json : `,\n${json}`);
		first = false;
		length += json.length;
	};

	const unread = unreadEntries(data);
	if (unread) {
		const lanes = asyncLanes(unread.view);
		for (const event of metadataEvents(unread.info, unread.view.tracks, laneTracks(lanes))) {
			add(JSON.stringify(event));
		}

		const {view, info} = unread;
		const names = nameCache(view);
		const prefix = `,"pid":${info.pid},"tid":${info.tid},"ts":`;
		const trackPrefixes: string[] = [prefix];
		const prefixOf = (meta: number) => (trackPrefixes[meta >>> trackShift] ??= `,"pid":${info.pid},"tid":${trackTid(info, meta >>> trackShift)},"ts":`);
		// Spans without args are nearly every entry: their text up to `ts` is
		// cached per name (with the separator: the metadata events came first).
		const spanHeads: string[] = [];
		const {starts, ends, metas} = view;
		for (let index = 0; index < view.size; index++) {
			const slot = (view.first + index) & view.mask;
			// Exactly a span: no payload, and on the thread's own row.
			if (metas[slot] === EntryKind.span) {
				const name = view.names[slot]!;
				const start = starts[slot]!;
				const json = (spanHeads[name] ??= `,\n{"ph":"X","name":${names(name)}${prefix}`) + microsecondsJson(start) + ',"dur":' + microsecondsJson(ends[slot]! - start) + ',"cat":"FEE"}';
				parts.push(json);
				length += json.length;
			} else {
				const lane = lanes.get(slot);
				add(entryJson(view, slot, names, lane === undefined ? prefixOf(metas[slot]!) : prefixOf(lane << trackShift)));
			}

			if (length >= chunkCharacters) {
				yield parts.join('');
				parts.length = 0;
				length = 0;
			}
		}
	} else {
		for (const event of data.traceEvents) {
			add(eventJson(event));
			if (length >= chunkCharacters) {
				yield parts.join('');
				parts.length = 0;
				length = 0;
			}
		}
	}

	parts.push('\n]');
	// Keys, not entries: reading `traceEvents` would materialise an object per
	// ring entry (see assembleTraceData), the very thing streaming avoids.
	for (const key of Object.keys(data)) {
		if (key === 'traceEvents') {
			continue;
		}

		const value: unknown = data[key as keyof TraceData];
		if (value === undefined) {
			continue;
		}

		parts.push(`,${JSON.stringify(key)}:${key === 'viztracer_metadata' ? metadataJson(value as TraceData['viztracer_metadata']) : JSON.stringify(value)}`);
	}

	parts.push('}\n');
	yield parts.join('');
}

/** `baseTimeNanoseconds` is kept as a decimal string in memory but written as an exact JSON integer. */
function metadataJson(metadata: TraceData['viztracer_metadata']): string {
	const {baseTimeNanoseconds, ...rest} = metadata;
	const json = JSON.stringify(rest);
	if (typeof baseTimeNanoseconds !== 'string' || !/^\d+$/.test(baseTimeNanoseconds)) {
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
function microsecondsJson(milliseconds: number): string {
	const nanoseconds = Math.round(milliseconds * 1e6);
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
	const start = view.starts[slot]!;
	const head = `{"ph":"${phaseOf(meta)}","name":${names(view.names[slot]!)}${prefix}${microseconds(start)}`;
	const payload = hasPayload(meta) ? view.payloads.get(slot) : undefined;
	const args = payload === undefined ? '' : `,"args":${safeJson(payload)}`;
	switch (meta & kindMask) {
		case EntryKind.span: {
			return `${head},"dur":${microseconds(view.ends[slot]! - start)},"cat":"FEE"${args}}`;
		}

		case EntryKind.instant: {
			return `${head},"s":"${scopeOf(meta)}"${args}}`;
		}

		case EntryKind.counter: {
			return `${head}${args}}`;
		}

		case EntryKind.flowStart: {
			return `${head},"cat":"async","id":${view.ends[slot]!}}`;
		}

		case EntryKind.flowEnd: {
			return `${head},"cat":"async","id":${view.ends[slot]!},"bp":"e"}`;
		}

		default: {
			const snapshot = payload === undefined ? '' : `,"args":{"snapshot":${safeJson(payload)}}`;
			return `${head},"id":"${objectId(view.ends[slot]!)}"${snapshot}}`;
		}
	}
}

const unserialisable = (error: unknown) => ({'<unserialisable>': error instanceof Error ? error.message : String(error)});

// Args come from user code; one that cannot be serialised (a cycle, a BigInt)
// must not lose the whole trace.
function safeJson(value: unknown): string {
	try {
		return JSON.stringify(value) ?? 'null';
	} catch (error) {
		return JSON.stringify(unserialisable(error));
	}
}

// The same for event objects (once a plugin or listener read `traceEvents`):
// an event whose args cannot be serialised is written with the marker instead.
function eventJson(event: TraceData['traceEvents'][number]): string {
	try {
		return JSON.stringify(event);
	} catch (error) {
		if (event.args === undefined) {
			throw error;
		}

		return JSON.stringify({...event, args: unserialisable(error)});
	}
}
