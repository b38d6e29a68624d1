import {EntryKind, kindMask} from './ring-buffer.js';
import type {TraceData} from './trace-event.js';
import {hasPayload, metadataEvents, microseconds, objectId, phaseOf, scopeOf, unreadEntries, type EntriesView} from './trace-data.js';

// Strings are gathered into chunks of about this many characters: big enough
// that a write per chunk is cheap, small enough to keep peak memory flat.
const chunkCharacters = 1 << 20;

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
		for (const event of metadataEvents(unread.info)) {
			add(JSON.stringify(event));
		}

		const {view, info} = unread;
		const names = nameCache(view);
		const prefix = `,"pid":${info.pid},"tid":${info.tid},"ts":`;
		for (let index = 0; index < view.size; index++) {
			add(entryJson(view, (view.first + index) & view.mask, names, prefix));
			if (length >= chunkCharacters) {
				yield parts.join('');
				parts.length = 0;
				length = 0;
			}
		}
	} else {
		for (const event of data.traceEvents) {
			add(JSON.stringify(event));
			if (length >= chunkCharacters) {
				yield parts.join('');
				parts.length = 0;
				length = 0;
			}
		}
	}

	parts.push('\n]');
	for (const [key, value] of Object.entries(data)) {
		if (key === 'traceEvents' || value === undefined) {
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

		default: {
			const snapshot = payload === undefined ? '' : `,"args":{"snapshot":${safeJson(payload)}}`;
			return `${head},"id":"${objectId(view.ends[slot]!)}"${snapshot}}`;
		}
	}
}

// Args come from user code; one that cannot be serialised (a cycle, a BigInt)
// must not lose the whole trace.
function safeJson(value: unknown): string {
	try {
		return JSON.stringify(value) ?? 'null';
	} catch (error) {
		return JSON.stringify({'<unserialisable>': error instanceof Error ? error.message : String(error)});
	}
}
