import type {StringTable} from '../core/string-table.js';
import type {TraceData} from './trace-event.js';
import {eventJson, tailJson, walkTrace, type TraceSink} from './trace-serializer.js';
import {spanDepthKey, ViztTag, viztMagic} from './vizt-format.js';

// Bytes gathered before a chunk is handed to the file: big enough that the
// per-chunk work is noise, small enough to stay out of the way of the GC.
const chunkBytes = 1 << 16;
const spanKeys = ['ph', 'name', 'pid', 'tid', 'ts', 'dur', 'cat'];
const spanKeysCatFirst = ['ph', 'name', 'pid', 'tid', 'ts', 'cat', 'dur'];

/**
 * Writes `value` (a non-negative integer up to 2^53) as LEB128 at `at` in
 * `buffer`, which has room for 8 bytes there; returns the position after it.
 * Below 2^31 (nearly every id, time delta and duration) with integer shifts.
 */
function varintAt(buffer: Uint8Array, at: number, value: number): number {
	let rest = value;
	if (rest < 0x80_00_00_00) {
		while (rest > 0x7F) {
			buffer[at++] = (rest & 0x7F) | 0x80;
			rest >>>= 7;
		}

		buffer[at++] = rest;
		return at;
	}

	while (rest >= 0x80) {
		buffer[at++] = (rest % 0x80) | 0x80;
		rest = Math.floor(rest / 0x80);
	}

	buffer[at++] = rest;
	return at;
}

/** A growing byte buffer with the writes the format needs. */
class Bytes {
	buffer = new Uint8Array(chunkBytes * 2);
	length = 0;

	/** Makes room for `bytes` more bytes. */
	room(bytes: number): void {
		if (this.length + bytes > this.buffer.length) {
			const grown = new Uint8Array(Math.max(this.buffer.length * 2, this.length + bytes));
			grown.set(this.buffer.subarray(0, this.length));
			this.buffer = grown;
		}
	}

	byte(value: number): void {
		this.room(1);
		this.buffer[this.length++] = value;
	}

	/** Unsigned LEB128 of a non-negative integer up to 2^53. */
	varint(value: number): void {
		this.room(8);
		this.length = varintAt(this.buffer, this.length, value);
	}

	/** Zigzag: 0, -1, 1, -2, … as 0, 1, 2, 3, …, so small negative numbers stay short. */
	signed(value: number): void {
		this.varint(value >= 0 ? value * 2 : (-value * 2) - 1);
	}

	text(value: string): void {
		const bytes = Buffer.from(value, 'utf8');
		this.varint(bytes.length);
		this.room(bytes.length);
		this.buffer.set(bytes, this.length);
		this.length += bytes.length;
	}

	/** Everything written so far, as a fresh chunk; the buffer starts again empty. */
	take(): Uint8Array {
		const chunk = this.buffer.slice(0, this.length);
		this.length = 0;
		return chunk;
	}
}

const isId = (value: unknown): value is number => typeof value === 'number' && Number.isSafeInteger(value) && value >= 0;

/** Integer nanoseconds for a trace time in microseconds, when it is exactly that. */
function nanosecondsOf(microseconds: unknown): number | undefined {
	if (typeof microseconds !== 'number') {
		return undefined;
	}

	const nanoseconds = Math.round(microseconds * 1000);
	return Number.isSafeInteger(nanoseconds) && nanoseconds / 1000 === microseconds ? nanoseconds : undefined;
}

function sameKeys(keys: string[], expected: string[]): boolean {
	if (keys.length !== expected.length) {
		return false;
	}

	for (let index = 0; index < keys.length; index++) {
		if (keys[index] !== expected[index]) {
			return false;
		}
	}

	return true;
}

/** Where an encoder picks up a file another encoder wrote: its string count and its last span's end. */
export type ViztContinuation = {strings: number; time: number};

/**
 * Encodes events as `.vizt` records (see vizt-format.ts): the {@link TraceSink}
 * that {@link serializeVizt} walks a trace into. Given a continuation, it
 * writes no header and goes on from where that file's writer stopped (the
 * names it uses are defined again, under new ids).
 */
export class ViztEncoder implements TraceSink {
	readonly out = new Bytes();
	// Strings are interned file-wide; the ring's ids map onto the file's.
	readonly #ids = new Map<string, number>();
	#nextId = 0;
	#ringIds: number[] = [];
	#strings: StringTable | undefined;
	#pid = -1;
	#tid = -1;
	#ringPid = 0;
	#ringTid = 0;
	// The last span's end, in a typed array: a number field holding nanoseconds (past 2^31) would box a fresh heap number at every span.
	readonly #time = new Float64Array(1);
	// The span being written: its start and duration in ns.
	readonly #span = new Float64Array(2);
	readonly #scratchStart = new Float64Array(1);
	readonly #scratchEnd = new Float64Array(1);
	// The args the ARGSPAN records written next carry: spans of one request share them, so each run of them is written once.
	#args: string | undefined;

	constructor(continuation?: ViztContinuation) {
		if (continuation === undefined) {
			this.out.buffer.set(viztMagic);
			this.out.length = viztMagic.length;
		} else {
			this.#nextId = continuation.strings;
			this.#time[0] = continuation.time;
		}
	}

	/** What an encoder continuing this one's file needs. */
	get continuation(): ViztContinuation {
		return {strings: this.#nextId, time: this.#time[0]!};
	}

	/** A TRAILER record pointing at the METADATA record that starts `offset` bytes into the file. */
	trailer(offset: number): void {
		this.out.byte(ViztTag.trailer);
		for (let index = 0, rest = offset; index < 8; index++) {
			this.out.byte(rest % 256);
			rest = Math.floor(rest / 256);
		}
	}

	metadata(json: string): void {
		this.out.byte(ViztTag.metadata);
		this.out.text(json);
	}

	thread(view: {strings: StringTable}, info: {pid: number; tid: number}): void {
		this.#strings = view.strings;
		this.#ringIds = [];
		this.#ringPid = info.pid;
		this.#ringTid = info.tid;
	}

	span(name: number, start: number, end: number, depth: number): void {
		this.#scratchStart[0] = start;
		this.#scratchEnd[0] = end;
		this.spanAt(name, this.#scratchStart, this.#scratchEnd, 0, depth);
	}

	/**
	 * {@link span} for the entry at `slot` of a ring's arrays: the hot path
	 * of a streamed recording. The times are read here rather than passed:
	 * doubles passed to a function that is not inlined are boxed, one heap
	 * number each per span.
	 */
	spanAt(name: number, starts: Float64Array, ends: Float64Array, slot: number, depth: number): void {
		const id = (this.#ringIds[name] ??= this.#intern(this.#strings!.get(name)));
		if (this.#pid !== this.#ringPid || this.#tid !== this.#ringTid) {
			this.#threadRecord(this.#ringPid, this.#ringTid);
		}

		const start = starts[slot]!;
		// As the JSON writer computes them, so both files say the same.
		this.#span[0] = Math.round(start * 1e6);
		this.#span[1] = Math.round((ends[slot]! - start) * 1e6);
		this.#writeSpan(id, depth);
	}

	/**
	 * {@link spanAt} for a span with args, given as their JSON (an object):
	 * an ARGSPAN record, after an ARGS record when they differ from the last
	 * span's. `depth` -1: not on the call stack.
	 */
	argsSpanAt(name: number, starts: Float64Array, ends: Float64Array, slot: number, depth: number, argsJson: string): void {
		const id = (this.#ringIds[name] ??= this.#intern(this.#strings!.get(name)));
		if (this.#pid !== this.#ringPid || this.#tid !== this.#ringTid) {
			this.#threadRecord(this.#ringPid, this.#ringTid);
		}

		if (argsJson !== this.#args) {
			this.out.byte(ViztTag.args);
			this.out.text(argsJson);
			this.#args = argsJson;
		}

		const start = starts[slot]!;
		this.#span[0] = Math.round(start * 1e6);
		this.#span[1] = Math.round((ends[slot]! - start) * 1e6);
		this.#writeSpan(id, depth + 1, ViztTag.argsSpan);
	}

	argsSpan(name: number, start: number, end: number, depth: number, argsJson: string): void {
		this.#scratchStart[0] = start;
		this.#scratchEnd[0] = end;
		this.argsSpanAt(name, this.#scratchStart, this.#scratchEnd, 0, depth, argsJson);
	}

	/** A SPAN, STACKSPAN or ARGSPAN record of the span in `#span` (start and duration in ns: in a typed array, so they are never boxed). */
	#writeSpan(id: number, depth: number, tag: number = depth < 0 ? ViztTag.span : ViztTag.stackSpan): void {
		const duration = this.#span[1]!;
		const spanEnd = this.#span[0]! + duration;
		const delta = spanEnd - this.#time[0]!;
		this.#time[0] = spanEnd;
		const out = this.out;
		// A tag and four varints of at most 8 bytes each.
		out.room(33);
		const {buffer} = out;
		let at = out.length;
		buffer[at++] = tag;
		at = varintAt(buffer, at, id);
		at = varintAt(buffer, at, delta >= 0 ? delta * 2 : (-delta * 2) - 1);
		at = varintAt(buffer, at, duration);
		if (tag !== ViztTag.span) {
			at = varintAt(buffer, at, depth);
		}

		out.length = at;
	}

	#threadRecord(pid: number, tid: number): void {
		this.out.byte(ViztTag.thread);
		this.out.varint(pid);
		this.out.varint(tid);
		this.#pid = pid;
		this.#tid = tid;
	}

	entry(json: string): void {
		this.out.byte(ViztTag.event);
		this.out.text(json);
	}

	object(event: unknown, index: number): void {
		if (!this.#compactSpan(event)) {
			this.entry(eventJson(event, index));
		}
	}

	/** Writes `event` as a SPAN record when that says exactly what its JSON says. */
	#compactSpan(event: unknown): boolean {
		if (typeof event !== 'object' || event === null) {
			return false;
		}

		const span = event as Record<string, unknown>;
		if (span['ph'] !== 'X' || span['cat'] !== 'FEE' || typeof span['name'] !== 'string' || !isId(span['pid']) || !isId(span['tid'])) {
			return false;
		}

		const keys = Object.keys(span);
		if (!sameKeys(keys, spanKeys) && !sameKeys(keys, spanKeysCatFirst)) {
			return false;
		}

		const ts = nanosecondsOf(span['ts']);
		const duration = nanosecondsOf(span['dur']);
		if (ts === undefined || duration === undefined || duration < 0) {
			return false;
		}

		const depth = (span as Record<PropertyKey, unknown>)[spanDepthKey];
		this.#spanRecord(this.#intern(span['name']), span['pid'], span['tid'], ts, duration, typeof depth === 'number' && Number.isSafeInteger(depth) && depth >= 0 ? depth : -1);
		return true;
	}

	#spanRecord(name: number, pid: number, tid: number, ts: number, duration: number, depth = -1): void {
		if (pid !== this.#pid || tid !== this.#tid) {
			this.#threadRecord(pid, tid);
		}

		this.#span[0] = ts;
		this.#span[1] = duration;
		this.#writeSpan(name, depth);
	}

	#intern(name: string): number {
		let id = this.#ids.get(name);
		if (id === undefined) {
			id = this.#nextId++;
			this.#ids.set(name, id);
			this.out.byte(ViztTag.string);
			this.out.text(name);
		}

		return id;
	}
}

/**
 * Serialises a trace in the `.vizt` format as a sequence of byte chunks:
 * the header, the top-level values other than `traceEvents` as one
 * METADATA record, then every event in the order the JSON writer writes
 * them. Fails the way {@link serializeTrace} does for data that cannot be
 * written.
 */
export function * serializeVizt(data: TraceData, withAppended = true): Generator<Uint8Array, void, undefined> {
	const tail = tailJson(data);
	const encoder = new ViztEncoder();
	encoder.metadata(`{${tail.slice(1)}}`);
	for (const _ of walkTrace(data, encoder, withAppended)) {
		if (encoder.out.length >= chunkBytes) {
			yield encoder.out.take();
		}
	}

	yield encoder.out.take();
}

/**
 * What follows a streamed recording's file (see StreamedEvents) to make the
 * whole trace: the ring's remaining entries and the appended sources'
 * events, then the final METADATA record and a TRAILER pointing at it (the
 * file's first METADATA was written before the run's counts were known).
 * `fileBytes` is the streamed file's length, where these chunks start.
 */
export function * serializeViztContinuation(data: TraceData, continuation: ViztContinuation, fileBytes: number): Generator<Uint8Array, void, undefined> {
	const tail = tailJson(data);
	const encoder = new ViztEncoder(continuation);
	let written = 0;
	for (const _ of walkTrace(data, encoder, true, false)) {
		if (encoder.out.length >= chunkBytes) {
			written += encoder.out.length;
			yield encoder.out.take();
		}
	}

	const offset = fileBytes + written + encoder.out.length;
	encoder.metadata(`{${tail.slice(1)}}`);
	encoder.trailer(offset);
	yield encoder.out.take();
}
