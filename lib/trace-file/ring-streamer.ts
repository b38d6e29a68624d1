// A recording as long as the program runs, in bounded memory: the ring's
// arrays live in SharedArrayBuffers, and each time a chunk of it fills, the
// traced thread hands it to a writer thread (ring-streamer-worker.ts) that
// reads it in place and appends it to a `.vizt` file beside the output. The
// traced thread pays, per chunk, for the JSON of the payloads in it and a
// message; it waits only when the writer has fallen a whole ring behind.

import fs from 'node:fs';
import path from 'node:path';
import {performance} from 'node:perf_hooks';
import workerThreads, {MessageChannel, receiveMessageOnPort, type MessagePort} from 'node:worker_threads';
import {withIntrinsics} from '../core/intrinsics.js';
import {payloadFlag, type RingBuffer} from '../core/ring-buffer.js';
import type {StringTable} from '../core/string-table.js';
import {NumberSlot, numberSlots, StateSlot, stateSlots, type ChunkMessage, type StreamerData, type StreamerMessage} from './ring-streamer-state.js';
import {safeJson} from './safe-json.js';
import type {ProcessInfo} from './trace-data.js';
import type {ViztContinuation} from './vizt-writer.js';
import {distUrl} from '../core/dist-url.js';

type WorkerClass = typeof workerThreads.Worker;

// Taken when this module loads; past a subclass that child tracing may have put in place, since the writer must trace nothing.
let OriginalWorker: WorkerClass = workerThreads.Worker;
while ((OriginalWorker as {viztracerPatched?: boolean}).viztracerPatched === true) {
	OriginalWorker = Object.getPrototypeOf(OriginalWorker) as WorkerClass;
}

/** Entries handed to the writer at a time. */
export const streamChunkEntries = 1 << 16;

/** The ring of a streaming recording: 24 MiB of typed arrays, the memory a bounded one had by default. */
export const streamRingEntries = 1 << 20;

/**
 * The ring of a streaming recording whose spans carry args (logFuncArgs,
 * logFuncRetval): each entry's args are an object in memory until its chunk
 * is handed on, a few hundred bytes each, so the ring is a quarter the size.
 */
export const streamRingEntriesWithArgs = 1 << 18;

// The writer starts when a quarter of the ring is used (a short recording never starts it) and gets its first chunks at half.
const startFraction = 4;
const firstHandOffFraction = 2;

/** How long the traced thread waits for a writer that makes no progress before giving up on it. */
const stallTimeoutMillis = 30_000;
/** How long a writer thread may take to boot before it counts as failed. */
const bootTimeoutMillis = 10_000;

export type StreamerOptions = {
	/** The `.vizt` file the writer appends to; created anew (it must not exist). */
	file: string;
	info: ProcessInfo;
	/** The first METADATA record's JSON. */
	metadataJson: string;
	/** For tests: the chunk size (entries; a power of two, at most a quarter of the ring). */
	chunkEntries?: number;
};

/** What the file holds, once {@link RingStreamer.flush} returned. */
export type StreamedFile = {
	file: string;
	/** Bytes of the file that belong to the trace. */
	bytes: number;
	/** Entries in it. */
	entries: number;
	continuation: ViztContinuation;
};

/**
 * Streams a ring's entries to a `.vizt` file as they are recorded. It takes
 * over the ring's `limit` hook; when the writer fails (the disk is full, the
 * file cannot be made, the thread will not start), the ring goes back to
 * keeping the newest entries, and {@link failure} says why.
 */
export class RingStreamer {
	readonly file: string;
	readonly #ring: RingBuffer;
	readonly #strings: StringTable;
	readonly #tracks: () => readonly string[];
	readonly #options: StreamerOptions;
	readonly #chunk: number;
	readonly #state = new Int32Array(new SharedArrayBuffer(stateSlots * 4));
	readonly #numbers = new Float64Array(new SharedArrayBuffer(numberSlots * 8));
	#worker: InstanceType<WorkerClass> | undefined;
	#port: MessagePort | undefined;
	#post: ((message: StreamerMessage) => void) | undefined;
	#sent = 0;
	#handed = 0;
	#stringsSent = 0;
	#tracksSent = 1;
	#failure: string | undefined;
	#closed = false;
	/** Times the traced thread waited for the writer, and for how long in all. */
	waits = 0;
	waitedMillis = 0;

	constructor(ring: RingBuffer, strings: StringTable, tracks: () => readonly string[], options: StreamerOptions) {
		this.#ring = ring;
		this.#strings = strings;
		this.#tracks = tracks;
		this.#options = options;
		this.file = options.file;
		this.#chunk = Math.min(options.chunkEntries ?? streamChunkEntries, ring.capacity / 4);
		ring.onLimit = () => this.#onLimit();
		this.#arm();
	}

	/** Why the writer stopped, when it did. */
	get failure(): string | undefined {
		return this.#failure;
	}

	/** Whether any entry went to the file. */
	get streaming(): boolean {
		return this.#handed > 0;
	}

	/** Entries (counted from the ring's start) that are in the file. */
	get written(): number {
		return this.#numbers[NumberSlot.written]!;
	}

	/**
	 * Hands the writer every entry it has not had and waits until they are
	 * in the file. Returns what the file holds, or undefined when nothing
	 * was ever streamed (the ring holds everything). After a failure the file
	 * holds what was written before it, and the ring the newest entries since.
	 */
	flush(): StreamedFile | undefined {
		if (!this.streaming) {
			return undefined;
		}

		withIntrinsics(() => {
			if (this.#failure === undefined) {
				this.#handOff(this.#ring.head);
				this.#waitForMessages(this.#sent);
			}

			this.#settle();
		});
		return {
			file: this.file,
			bytes: this.#numbers[NumberSlot.bytes]!,
			entries: this.written,
			continuation: {strings: this.#numbers[NumberSlot.strings]!, time: this.#numbers[NumberSlot.time]!},
		};
	}

	/** The ring was cleared: the file starts again. */
	clear(): void {
		withIntrinsics(() => {
			if (this.#worker !== undefined && this.#failure === undefined) {
				this.#send({type: 'clear'});
				this.#waitForMessages(this.#sent);
			}

			this.#handed = 0;
			this.#settle();
			this.#arm();
		});
	}

	/** Stops the writer and removes its file. */
	close(): void {
		if (this.#closed) {
			return;
		}

		this.#closed = true;
		this.#ring.limit = Number.POSITIVE_INFINITY;
		void this.#worker?.terminate();
		this.#worker = undefined;
		this.#port?.close();
		fs.rmSync(this.file, {force: true});
	}

	#arm(): void {
		this.#ring.limit = this.#failure === undefined && !this.#closed ? (this.#worker === undefined ? this.#ring.capacity / startFraction : this.#ring.capacity / firstHandOffFraction) : Number.POSITIVE_INFINITY;
	}

	/** At a chunk boundary: start the writer, or make room for the next chunk and hand on the last one. */
	#onLimit(): boolean {
		const ring = this.#ring;
		// Nothing recorded meanwhile (a payload's toJSON, even) comes back here.
		ring.limit = Number.POSITIVE_INFINITY;
		withIntrinsics(() => {
			try {
				const {head, capacity} = ring;
				if (this.#worker === undefined) {
					this.#start();
					ring.limit = capacity / firstHandOffFraction;
					return;
				}

				// The slots of the chunk about to be written must be in the file already.
				if (!this.#waitForWritten(head + this.#chunk - capacity)) {
					return;
				}

				this.#settle();
				this.#handOff(head);
				ring.limit = head + this.#chunk;
			} catch (error) {
				this.#fail(error instanceof Error ? error.message : String(error));
			}
		});
		return true;
	}

	#start(): void {
		const ring = this.#ring;
		const channel = new MessageChannel();
		const data: StreamerData & {port: MessagePort} = {
			state: this.#state.buffer as SharedArrayBuffer,
			numbers: this.#numbers.buffer as SharedArrayBuffer,
			starts: ring.starts.buffer as SharedArrayBuffer,
			ends: ring.ends.buffer as SharedArrayBuffer,
			names: ring.names.buffer as SharedArrayBuffer,
			metas: ring.metas.buffer as SharedArrayBuffer,
			mask: ring.mask,
			file: this.file,
			info: this.#options.info,
			metadataJson: this.#options.metadataJson,
			port: channel.port2,
		};
		// None of the program's execArgv nor NODE_OPTIONS: a `--import viztracer/register` must not load in the writer.
		const worker = new OriginalWorker(distUrl('trace-file/ring-streamer-worker.js', import.meta.url), {execArgv: [], env: {}, workerData: data, transferList: [channel.port2], stdout: true, stderr: true});
		worker.unref();
		worker.on('error', error => {
			this.#fail(`the trace writer thread failed: ${error.message}`);
		});
		this.#worker = worker;
		this.#port = channel.port1;
		channel.port1.unref();
		// Taken now: a program that replaces MessagePort's methods does not reach the writer's messages.
		const post = worker.postMessage.bind(worker);
		this.#post = message => {
			post(message);
		};
	}

	#send(message: StreamerMessage): void {
		this.#post!(message);
		this.#sent++;
	}

	/** Posts entries `#handed` to `to` a chunk at a time (so the file's count moves as each is written), with the strings, rows and payloads they need. */
	#handOff(to: number): void {
		while (this.#handed < to) {
			this.#handOffChunk(Math.min(to, this.#handed + this.#chunk));
		}
	}

	#handOffChunk(to: number): void {
		const from = this.#handed;

		const ring = this.#ring;
		const payloads: Array<number | string> = [];
		if (ring.payloads.size > 0) {
			const {metas, mask} = ring;
			// Spans tagged with a context (a request) share its one frozen object: its JSON is made once a chunk.
			let lastPayload: unknown;
			let lastJson = '';
			for (let entry = from; entry < to; entry++) {
				const slot = entry & mask;
				if ((metas[slot]! & payloadFlag) !== 0) {
					const payload = ring.payloads.get(slot);
					ring.payloads.delete(slot);
					// The slot keeps its flag until it is written again, so this entry is not taken twice.
					if (payload !== undefined) {
						if (payload !== lastPayload || !Object.isFrozen(payload)) {
							lastPayload = payload;
							lastJson = safeJson(payload);
						}

						payloads.push(entry - from, lastJson);
					}
				}
			}
		}

		const strings = this.#strings;
		const tracks = this.#tracks();
		const message: ChunkMessage = {
			type: 'chunk',
			from,
			to,
			firstString: this.#stringsSent,
			strings: strings.since(this.#stringsSent),
			tracks: tracks.length === this.#tracksSent ? undefined : [...tracks],
			payloads,
		};
		this.#stringsSent = strings.size;
		this.#tracksSent = tracks.length;
		this.#send(message);
		this.#handed = to;
	}

	/** Waits until entry `entries` is in the file; false when the writer failed meanwhile. */
	#waitForWritten(entries: number): boolean {
		return this.#waitUntil(() => this.written >= entries);
	}

	#waitForMessages(count: number): boolean {
		return this.#waitUntil(() => Atomics.load(this.#state, StateSlot.done) >= count);
	}

	#waitUntil(done: () => boolean): boolean {
		if (done()) {
			return this.#failure === undefined;
		}

		const began = performance.now();
		let progress = began;
		let seen = Atomics.load(this.#state, StateSlot.done);
		while (!done() && this.#failure === undefined) {
			if (Atomics.load(this.#state, StateSlot.failed) === 1) {
				this.#fail(this.#writerError() ?? 'the trace writer failed');
				break;
			}

			Atomics.wait(this.#state, StateSlot.done, seen, 1000);
			const current = Atomics.load(this.#state, StateSlot.done);
			const time = performance.now();
			if (current !== seen) {
				seen = current;
				progress = time;
			} else if (Atomics.load(this.#state, StateSlot.ready) === 0 && time - began > bootTimeoutMillis) {
				this.#fail(`the trace writer thread did not start within ${bootTimeoutMillis / 1000} s`);
			} else if (time - progress > stallTimeoutMillis) {
				this.#fail(`the trace writer made no progress for ${stallTimeoutMillis / 1000} s`);
			}
		}

		this.waits++;
		this.waitedMillis += performance.now() - began;
		if (Atomics.load(this.#state, StateSlot.failed) === 1 && this.#failure === undefined) {
			this.#fail(this.#writerError() ?? 'the trace writer failed');
		}

		return this.#failure === undefined;
	}

	#writerError(): string | undefined {
		const received = this.#port === undefined ? undefined : receiveMessageOnPort(this.#port);
		return received === undefined ? undefined : String(received.message);
	}

	/**
	 * The writer is gone: the ring keeps the newest entries from here on, and
	 * the file keeps what reached it.
	 */
	#fail(reason: string): void {
		this.#failure ??= reason;
		Atomics.store(this.#state, StateSlot.failed, 1);
		this.#ring.limit = Number.POSITIVE_INFINITY;
		this.#settle();
	}

	/** The ring's oldest entry is the first one not in the file. */
	#settle(): void {
		this.#ring.base = Math.min(this.#ring.head, this.written);
	}
}

/** The file a streaming recording for `output` writes to: beside it, named for the process and thread, ending in `.vizt` so that every reader opens it after a crash. */
export function streamFileFor(output: string, pid: number, threadId: number): string {
	const base = path.basename(output).replace(/(\.json(?:\.gz)?|\.html|\.vizt)$/, '');
	return path.join(path.dirname(output), `${base}.partial-${pid}${threadId === 0 ? '' : `-${threadId}`}.vizt`);
}
