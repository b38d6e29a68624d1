import {nanosecondsAsMicrosecondsJson} from './trace-serializer.js';
import {spanDepthKey, trailerBytes, ViztTag, viztMagic} from './vizt-format.js';

/** A `.vizt` file that breaks the format (not one cut short: that only ends it). */
export class ViztFormatError extends Error {
	override name = 'ViztFormatError';
}

const batchEvents = 4096;
const decoder = new TextDecoder('utf-8', {fatal: true});

// V8's longest string is about 2^29 UTF-16 units, which UTF-8 takes at most 3 bytes each to write.
const maxTextBytes = 3 * 2 ** 29;

/** Receives a span record: its name's string id, its call-stack depth (-1: not given), and the rest in `fields` (see SpanField). */
export type SpanHandler = (name: number, depth: number, fields: Float64Array) => void;

/** Where a {@link SpanHandler}'s `fields` hold the span's end and duration (integer ns) and its pid and tid: numbers past 2^31 passed one by one would each be boxed. */
export const SpanField = {end: 0, duration: 1, pid: 2, tid: 3} as const;

/** Marks where a record runs past the bytes at hand: read again when more come. */
const incomplete = Symbol('incomplete');

/**
 * Decodes a `.vizt` byte stream (see vizt-format.ts) pushed in pieces of any
 * size into event objects, handed to `onEvents` in batches in file order. A
 * record cut short at the end (a crash while writing) ends the events, and
 * {@link truncated} says so.
 */
export class ViztDecoder {
	/** The METADATA record's JSON text, once read (the last one read, unless {@link useMetadata} fixed it). */
	metadataText: string | undefined;
	#metadataFixed = false;
	/** The stream ended inside a record. */
	truncated = false;
	readonly #onEvents: (batch: unknown[]) => void;
	#rest: Uint8Array = new Uint8Array(0);
	#sawHeader = false;
	readonly #strings: string[] = [];
	#pid = 0;
	#tid = 0;
	// The last span's end (ns), in a typed array: a number field past 2^31 boxes a fresh heap number at every span.
	readonly #time = new Float64Array(1);
	readonly #spanFields = new Float64Array(4);
	#batch: unknown[] = [];
	// With `json`, events come out as their JSON text, as the JSON writer writes them.
	readonly #json: boolean;
	readonly #nameJson: string[] = [];
	#threadJson = ',"pid":0,"tid":0,"ts":';
	// Where the record being read starts, and the read position in it.
	#bytes: Uint8Array = this.#rest;
	#at = 0;
	// An incomplete record's known length (from its length field), and the pieces gathered for it.
	#needs = 0;
	#restNeeds = 0;
	#pieces: Uint8Array[] = [];
	#pieceBytes = 0;

	// The last ARGS record's JSON, which the ARGSPAN records after it carry.
	#argsText: string | undefined;

	// With `onSpan`, span records go there as numbers instead of becoming events.
	readonly #onSpan: SpanHandler | undefined;

	// With `spanDepths`, span events from STACKSPAN records carry their depth under spanDepthKey.
	readonly #spanDepths: boolean;

	constructor(onEvents: (batch: unknown[]) => void, options: {json?: boolean; onSpan?: SpanHandler; spanDepths?: boolean} = {}) {
		this.#onEvents = onEvents;
		this.#json = options.json === true;
		this.#onSpan = options.onSpan;
		this.#spanDepths = options.spanDepths === true;
	}

	/** The string with file id `id` (for an `onSpan` handler's names). */
	stringAt(id: number): string {
		return this.#strings[id] ?? '<unknown>';
	}

	/** Takes `text` as the trace's metadata whatever METADATA records come (the one a trailer points at). */
	get metadataFixed(): boolean {
		return this.#metadataFixed;
	}

	useMetadata(text: string): void {
		this.metadataText = text;
		this.#metadataFixed = true;
	}

	push(chunk: Uint8Array): void {
		// A record longer than a chunk (a big event's JSON): its pieces are
		// gathered and joined once there are enough, not copied at every push.
		if (this.#rest.length > 0 && this.#restNeeds > this.#rest.length + this.#pieceBytes + chunk.length) {
			this.#pieces.push(chunk);
			this.#pieceBytes += chunk.length;
			return;
		}

		let bytes = chunk;
		if (this.#rest.length > 0) {
			bytes = new Uint8Array(this.#rest.length + this.#pieceBytes + chunk.length);
			bytes.set(this.#rest);
			let offset = this.#rest.length;
			for (const piece of this.#pieces) {
				bytes.set(piece, offset);
				offset += piece.length;
			}

			bytes.set(chunk, offset);
			this.#pieces = [];
			this.#pieceBytes = 0;
		}

		this.#bytes = bytes;
		this.#at = 0;
		if (!this.#sawHeader) {
			if (bytes.length < viztMagic.length) {
				this.#rest = bytes;
				return;
			}

			for (let index = 0; index < 4; index++) {
				if (bytes[index] !== viztMagic[index]) {
					throw new ViztFormatError('it does not start with the .vizt header');
				}
			}

			if (bytes[4] !== viztMagic[4]) {
				throw new ViztFormatError(`it is .vizt version ${bytes[4]!}; this viztracer reads version ${viztMagic[4]!}`);
			}

			this.#sawHeader = true;
			this.#at = viztMagic.length;
		}

		let start = this.#at;
		this.#restNeeds = 0;
		this.#needs = 0;
		try {
			// One read of the position per turn, at one place: a second read after the loop ran so rarely
			// that optimised code kept being thrown away there (no type feedback), about once a chunk.
			for (;;) {
				start = this.#at;
				if (start >= bytes.length) {
					break;
				}

				this.#record();
			}
		} catch (error) {
			if (error !== incomplete) {
				throw error;
			}

			this.#restNeeds = this.#needs > 0 ? this.#needs - start : 0;
		}

		this.#rest = bytes.slice(start);
		if (this.#batch.length >= batchEvents) {
			this.#flush();
		}
	}

	/** The stream is over: hands on the last batch. */
	end(): void {
		if (!this.#sawHeader) {
			throw new ViztFormatError('it is too short to be a .vizt file');
		}

		this.truncated = this.#rest.length > 0;
		this.#rest = new Uint8Array(0);
		this.#pieces = [];
		this.#pieceBytes = 0;
		this.#flush();
	}

	#flush(): void {
		if (this.#batch.length > 0) {
			const batch = this.#batch;
			this.#batch = [];
			this.#onEvents(batch);
		}
	}

	#record(): void {
		const tag = this.#byte();
		switch (tag) {
			case ViztTag.span:
			case ViztTag.stackSpan: {
				const name = this.#varint();
				const end = this.#time[0]! + this.#signed();
				const duration = this.#varint();
				const depth = tag === ViztTag.stackSpan ? this.#varint() : -1;
				const text = this.#strings[name];
				if (text === undefined) {
					throw new ViztFormatError(`a span names string ${name}, which no record defined`);
				}

				this.#time[0] = end;
				if (this.#onSpan !== undefined) {
					// The events before it first, so the handlers see the file's order.
					this.#flush();
					const fields = this.#spanFields;
					fields[SpanField.end] = end;
					fields[SpanField.duration] = duration;
					fields[SpanField.pid] = this.#pid;
					fields[SpanField.tid] = this.#tid;
					this.#onSpan(name, depth, fields);
				} else if (this.#json) {
					const nameJson = (this.#nameJson[name] ??= JSON.stringify(text));
					this.#batch.push(`{"ph":"X","name":${nameJson}${this.#threadJson}${nanosecondsAsMicrosecondsJson(end - duration)},"dur":${nanosecondsAsMicrosecondsJson(duration)},"cat":"FEE"}`);
				} else {
					const event: Record<PropertyKey, unknown> = {ph: 'X', name: text, pid: this.#pid, tid: this.#tid, ts: (end - duration) / 1000, dur: duration / 1000, cat: 'FEE'};
					if (depth >= 0 && this.#spanDepths) {
						event[spanDepthKey] = depth;
					}

					this.#batch.push(event);
				}

				break;
			}

			case ViztTag.argsSpan: {
				this.#argsSpan();
				break;
			}

			case ViztTag.args: {
				const text = this.#text();
				let args: unknown;
				try {
					args = JSON.parse(text);
				} catch (error) {
					throw new ViztFormatError(`an args record holds no JSON (${(error as Error).message})`);
				}

				if (typeof args !== 'object' || args === null || Array.isArray(args)) {
					throw new ViztFormatError('an args record holds no JSON object');
				}

				this.#argsText = text;
				break;
			}

			case ViztTag.string: {
				this.#strings.push(this.#text());
				break;
			}

			case ViztTag.thread: {
				const pid = this.#varint();
				this.#tid = this.#varint();
				this.#pid = pid;
				this.#threadJson = `,"pid":${pid},"tid":${this.#tid},"ts":`;
				break;
			}

			case ViztTag.event: {
				const json = this.#text();
				if (this.#json) {
					// Passed on as written; a quick look that it is an object, not a parse.
					if (json.charCodeAt(0) !== 0x7B || json.charCodeAt(json.length - 1) !== 0x7D) {
						throw new ViztFormatError('an event record holds no JSON object');
					}

					this.#batch.push(json);
					break;
				}

				let event: unknown;
				try {
					event = JSON.parse(json);
				} catch (error) {
					throw new ViztFormatError(`an event record holds no JSON (${(error as Error).message})`);
				}

				this.#batch.push(event);
				break;
			}

			case ViztTag.metadata: {
				const text = this.#text();
				if (!this.#metadataFixed) {
					this.metadataText = text;
				}

				break;
			}

			case ViztTag.trailer: {
				for (let index = 0; index < trailerBytes - 1; index++) {
					this.#byte();
				}

				break;
			}

			default: {
				throw new ViztFormatError(`it holds a record of unknown type 0x${tag.toString(16)} at byte ${this.#at - 1}`);
			}
		}
	}

	/**
	 * An ARGSPAN record: always an event, whose args (parsed afresh for each,
	 * so no two events share an object) an `onSpan` handler has no place for.
	 */
	#argsSpan(): void {
		const name = this.#varint();
		const end = this.#time[0]! + this.#signed();
		const duration = this.#varint();
		const depth = this.#varint() - 1;
		const text = this.#strings[name];
		if (text === undefined) {
			throw new ViztFormatError(`a span names string ${name}, which no record defined`);
		}

		if (this.#argsText === undefined) {
			throw new ViztFormatError('a span with args comes before any args record');
		}

		this.#time[0] = end;
		if (this.#json) {
			const nameJson = (this.#nameJson[name] ??= JSON.stringify(text));
			this.#batch.push(`{"ph":"X","name":${nameJson}${this.#threadJson}${nanosecondsAsMicrosecondsJson(end - duration)},"dur":${nanosecondsAsMicrosecondsJson(duration)},"cat":"FEE","args":${this.#argsText}}`);
			return;
		}

		const event: Record<PropertyKey, unknown> = {ph: 'X', name: text, pid: this.#pid, tid: this.#tid, ts: (end - duration) / 1000, dur: duration / 1000, cat: 'FEE', args: JSON.parse(this.#argsText) as unknown};
		if (depth >= 0 && this.#spanDepths) {
			event[spanDepthKey] = depth;
		}

		this.#batch.push(event);
	}

	#byte(): number {
		if (this.#at >= this.#bytes.length) {
			throw incomplete;
		}

		return this.#bytes[this.#at++]!;
	}

	#varint(): number {
		let value = 0;
		let scale = 1;
		for (;;) {
			const byte = this.#byte();
			value += (byte & 0x7F) * scale;
			if (byte < 0x80) {
				return value;
			}

			scale *= 0x80;
			if (scale > 2 ** 56) {
				throw new ViztFormatError('a number in it is longer than 8 bytes');
			}
		}
	}

	#signed(): number {
		const zigzag = this.#varint();
		return zigzag % 2 === 0 ? zigzag / 2 : -(zigzag + 1) / 2;
	}

	#text(): string {
		const length = this.#varint();
		if (length > maxTextBytes) {
			throw new ViztFormatError(`a record in it claims ${length} bytes, more than a string can hold`);
		}

		if (this.#at + length > this.#bytes.length) {
			this.#needs = this.#at + length;
			throw incomplete;
		}

		const start = this.#at;
		this.#at += length;
		try {
			return decoder.decode(this.#bytes.subarray(start, this.#at));
		} catch {
			throw new ViztFormatError('a string in it is not UTF-8');
		}
	}
}

// A metadata record bigger than this is not looked for through a trailer (it is still read in order).
const maxTrailerMetadataBytes = 1 << 26;

/**
 * The JSON text of the METADATA record a file's TRAILER points at, or
 * undefined when the file does not end with a trailer that points at a
 * METADATA record ending right before it. `readAt(position, length)` reads
 * the file's bytes; `size` is its length.
 */
export function trailerMetadata(readAt: (position: number, length: number) => Uint8Array, size: number): string | undefined {
	if (size < viztMagic.length + trailerBytes + 2) {
		return undefined;
	}

	const trailer = readAt(size - trailerBytes, trailerBytes);
	if (trailer.length !== trailerBytes || trailer[0] !== ViztTag.trailer) {
		return undefined;
	}

	let offset = 0;
	for (let index = trailerBytes - 1; index >= 1; index--) {
		offset = (offset * 256) + trailer[index]!;
	}

	const recordBytes = size - trailerBytes - offset;
	if (offset < viztMagic.length || recordBytes < 2 || recordBytes > maxTrailerMetadataBytes) {
		return undefined;
	}

	const record = readAt(offset, recordBytes);
	if (record.length !== recordBytes || record[0] !== ViztTag.metadata) {
		return undefined;
	}

	let length = 0;
	let scale = 1;
	let at = 1;
	for (; at < record.length && at < 10; at++) {
		length += (record[at]! & 0x7F) * scale;
		scale *= 0x80;
		if (record[at]! < 0x80) {
			break;
		}
	}

	at++;
	if (at + length !== record.length) {
		return undefined;
	}

	try {
		return decoder.decode(record.subarray(at));
	} catch {
		return undefined;
	}
}
