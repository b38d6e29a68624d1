// What the traced thread and its trace writer thread (ring-streamer.ts and
// ring-streamer-worker.ts) share: the layout of their shared counters and
// the messages they exchange.

import type {ProcessInfo} from './trace-data.js';

/** Int32 slots of the shared state (Atomics: the traced thread waits on `done`). */
export const StateSlot = {
	/** Messages the writer has finished with; bumped and notified after each. */
	done: 0,
	/** 1 once the writer failed: it writes nothing more. */
	failed: 1,
	/** 1 once the writer thread runs. */
	ready: 2,
} as const;
export const stateSlots = 3;

/** Float64 slots of the shared numbers, written by the writer before it bumps `done`. */
export const NumberSlot = {
	/** Entries (counted from the ring's start) that are in the file. */
	written: 0,
	/** Bytes in the file. */
	bytes: 1,
	/** Strings the file defines (for a writer continuing it). */
	strings: 2,
	/** The file's last span end, in nanoseconds (for a writer continuing it). */
	time: 3,
} as const;
export const numberSlots = 4;

export type StreamerData = {
	state: SharedArrayBuffer;
	numbers: SharedArrayBuffer;
	starts: SharedArrayBuffer;
	ends: SharedArrayBuffer;
	names: SharedArrayBuffer;
	metas: SharedArrayBuffer;
	mask: number;
	/** The file the writer creates and appends to. */
	file: string;
	info: ProcessInfo;
	/** The provisional METADATA record's JSON, written first. */
	metadataJson: string;
};

/** Entries `from` to `to` of the ring are ready; the strings, rows and payload JSON they need come with them. */
export type ChunkMessage = {
	type: 'chunk';
	from: number;
	to: number;
	/** Strings interned since the last chunk, from id `firstString` on. */
	firstString: number;
	strings: string[];
	/** The ring's rows, when they changed. */
	tracks: string[] | undefined;
	/** Pairs of (entry offset from `from`, payload JSON). */
	payloads: Array<number | string>;
};

/** Everything before this was dropped (`clear()`): the file starts again. */
export type ClearMessage = {type: 'clear'};

export type StreamerMessage = ChunkMessage | ClearMessage;
