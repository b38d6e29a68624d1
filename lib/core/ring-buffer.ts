/** What an entry in the ring records; the low bits of its `meta` word. */
export const EntryKind = {
	/** A complete span (`ph: 'X'`): `start`/`end` are clock readings. */
	span: 0,
	/** An instant event (`ph: 'i'`); the scope is in the meta word. */
	instant: 1,
	/** A counter sample (`ph: 'C'`); the values are the payload. */
	counter: 2,
	/** An object created (`ph: 'N'`); `end` holds the object id. */
	objectNew: 3,
	/** An object snapshot (`ph: 'O'`); `end` holds the object id, the payload the snapshot. */
	objectSnapshot: 4,
	/** An object destroyed (`ph: 'D'`); `end` holds the object id. */
	objectDelete: 5,
	/** Where a flow arrow starts (`ph: 's'`); `end` holds the flow id. */
	flowStart: 6,
	/** Where a flow arrow ends (`ph: 'f'`, bound to the enclosing slice); `end` holds the flow id. */
	flowEnd: 7,
} as const;

export type EntryKind = (typeof EntryKind)[keyof typeof EntryKind];

// Layout of the Int32 meta word of each entry:
//
//   31            16 15          8 7  6 5   4    3  0
//  +----------------+-------------+----+-----+-------+
//  |     depth      |    track    |    |scope|P| kind|
//  +----------------+-------------+----+-----+-------+
//
// kind: EntryKind; P: the entry has a payload in the side table;
// scope: instant scope (0 thread, 1 process, 2 global);
// track: which timeline row the entry belongs to (0 = the recording thread; at most 255);
// depth: for a span of the call stack, its depth + 1 (capped at 0xFFFF); 0 when it was
// not on the stack (an async span) or is not a span. A reader that knows each span's
// depth can work out nesting as spans come, in the order they end.
export const kindMask = 0b1111;
export const payloadFlag = 0b1_0000;
export const scopeShift = 5;
export const scopeMask = 0b11;
export const trackShift = 8;
export const trackMask = 0xFF;
export const depthShift = 16;
const maxDepthField = 0xFFFF;

/** The row of an entry. */
export const trackOf = (meta: number): number => (meta >>> trackShift) & trackMask;

/** The stack depth of a span, or -1 when it was not on the call stack. */
export const depthOf = (meta: number): number => (meta >>> depthShift) - 1;

/** The depth bits of a span at stack depth `depth`. */
export const depthBits = (depth: number): number => (depth < maxDepthField ? depth + 1 : maxDepthField) << depthShift;

/** A span with no payload on the thread's own row (whatever its depth): nearly every entry. */
export const isPlainSpan = (meta: number): boolean => (meta & 0xFF_FF) === 0;

/** A span with a payload (its args) on the thread's own row: what a request's id tags. */
export const isSpanWithArgs = (meta: number): boolean => (meta & 0xFF_FF) === payloadFlag;

export const instantScopes = ['t', 'p', 'g'] as const;
export type InstantScope = (typeof instantScopes)[number];

/** Bytes of typed-array storage per entry: two Float64 clock readings and two Int32 words. */
export const bytesPerEntry = 8 + 8 + 4 + 4;

/**
 * A fixed-size ring of trace entries in parallel typed arrays, so recording an
 * entry writes four numbers and allocates nothing. The capacity is a power of
 * two, so the slot of the n-th write is `n & mask`.
 *
 *        oldest                 head (next write)
 *          v                        v
 *   +----+----+----+----+----+----+----+----+
 *   | e5 | e6 | e7 | e8 | e9 | e10| e3 | e4 |   after 11 writes into 8 slots,
 *   +----+----+----+----+----+----+----+----+   e0..e2 were overwritten
 *
 * When full, the oldest entry is overwritten and `overflowed` turns true.
 * Entries that need more than numbers (instant args, counter values, object
 * snapshots) keep them in a side map keyed by slot; only those entries pay
 * for it, and the map entry is dropped when its slot is overwritten.
 */
export class RingBuffer {
	readonly capacity: number;
	readonly mask: number;
	readonly starts: Float64Array;
	readonly ends: Float64Array;
	readonly names: Int32Array;
	readonly metas: Int32Array;
	readonly payloads = new Map<number, unknown>();
	/** Total writes since the last clear; the next slot is `head & mask`. */
	head = 0;
	/**
	 * Writes before this one were handed on (to a writer that streams them to
	 * disk) and are no longer the ring's: the ring holds `base` to `head`.
	 */
	base = 0;
	/**
	 * When `head` reaches this, `onLimit` runs before the write: a streaming
	 * ring hands on its full chunks there. Infinite in a bounded ring, so its
	 * writes pay one comparison.
	 */
	limit = Number.POSITIVE_INFINITY;
	/** Returns whether the write may go ahead; a refused write is dropped and counted in `refused`. */
	onLimit: () => boolean = () => true;
	/** Writes dropped because `onLimit` refused them. */
	refused = 0;

	/** With `shared`, the arrays live in SharedArrayBuffers, so another thread can read them in place. */
	constructor(entries: number, shared = false) {
		this.capacity = 2 ** Math.ceil(Math.log2(Math.max(2, entries)));
		this.mask = this.capacity - 1;
		const buffer = (bytes: number) => (shared ? new SharedArrayBuffer(bytes * this.capacity) : new ArrayBuffer(bytes * this.capacity));
		this.starts = new Float64Array(buffer(8));
		this.ends = new Float64Array(buffer(8));
		this.names = new Int32Array(buffer(4));
		this.metas = new Int32Array(buffer(4));
	}

	/** Writes one entry and returns its slot (-1 when `onLimit` refused it). */
	push(name: number, start: number, end: number, meta: number): number {
		if (this.head === this.limit && !this.onLimit()) {
			this.refused++;
			return -1;
		}

		// `& mask` works past 2^31 writes too: ToInt32 keeps the low 32 bits.
		const slot = this.head++ & this.mask;
		if ((this.metas[slot]! & payloadFlag) !== 0) {
			this.payloads.delete(slot);
		}

		this.starts[slot] = start;
		this.ends[slot] = end;
		this.names[slot] = name;
		this.metas[slot] = meta;
		return slot;
	}

	pushWithPayload(name: number, start: number, end: number, meta: number, payload: unknown): void {
		const slot = this.push(name, start, end, meta | payloadFlag);
		if (slot >= 0) {
			this.payloads.set(slot, payload);
		}
	}

	/** How many entries the ring holds now. */
	get size(): number {
		return Math.min(this.head - this.base, this.capacity);
	}

	/** Whether entries were overwritten before anyone took them. */
	get overflowed(): boolean {
		return this.head - this.base > this.capacity;
	}

	/** Slot of the oldest entry still held. */
	get firstSlot(): number {
		return (this.overflowed ? this.head : this.base) & this.mask;
	}

	clear(): void {
		this.head = 0;
		this.base = 0;
		this.refused = 0;
		this.metas.fill(0);
		this.payloads.clear();
	}
}
