// trace-file/: the trace on disk. Assembling the recorded entries into trace
// events, serialising them, writing them (this file: JSON, gzip, or gzip in
// an envelope such as the viewer's HTML page, which the caller brings),
// reading traces back (streamed, any size), combining several, and the
// writer thread that streams an unbounded recording to disk as it is made
// (ring-streamer.ts). Imports only the core.

import {randomBytes} from 'node:crypto';
import fs from 'node:fs';
import fsp from 'node:fs/promises';
import path from 'node:path';
import {pipeline} from 'node:stream/promises';
import {Readable, type Transform} from 'node:stream';
import zlib from 'node:zlib';
import {VizTracerSaveError} from '../core/errors.js';
import type {TraceData} from './trace-event.js';
import {makeDirectories, makeDirectoriesSync} from './make-directories.js';
import {serializeTrace} from './trace-serializer.js';
import {unreadEntries, type StreamedEvents} from './trace-data.js';
import {isViztPath} from './vizt-format.js';
import {serializeVizt, serializeViztContinuation} from './vizt-writer.js';

/** A streamed recording's file, when `data` is a `.vizt` output's whose events nobody read: it is copied, not encoded again. */
function streamedBase(data: TraceData, file: string): StreamedEvents | undefined {
	return isViztPath(file) ? unreadEntries(data)?.streamed : undefined;
}

// Trace JSON is repetitive enough that the fastest level already shrinks it
// about tenfold, at several times the speed of the default level.
const gzipLevel = zlib.constants.Z_BEST_SPEED;

// Bytes written (or deflated) per call by the synchronous writer.
const stagingBytes = 1 << 20;

export const isGzipPath = (file: string): boolean => file.endsWith('.gz');

/**
 * A file format that holds the gzipped trace inside (the viewer's HTML page:
 * viewer/html-trace-writer.ts). The writer of that format is passed in, so
 * this room needs nothing from the rooms that make one.
 */
export type TraceEnvelope = {
	/** Starts the file through `write`; the gzipped trace goes to `push`, then `end` closes the file. */
	open(write: (bytes: Uint8Array) => void, title: string): {push(bytes: Uint8Array): void; end(): void};
	/** The same as a stream: gzipped trace in, the file out. */
	transform(title: string): Transform;
	/** The envelope takes the trace's JSON as it is, not gzipped (the timeline page builds its model from it). */
	raw?: boolean;
};

/** `result.json` → `result_1234.json`, `result.json.gz` → `result_1234.json.gz`, `result.html` → `result_1234.html` (and `.vizt`). */
export function withPidSuffix(file: string, pid: number): string {
	const match = /(\.json(?:\.gz)?|\.html|\.vizt)$/.exec(file);
	const extension = match?.[1] ?? '';
	return `${file.slice(0, file.length - extension.length)}_${pid}${extension}`;
}

function temporaryPathFor(file: string): string {
	return path.join(path.dirname(file), `.${path.basename(file)}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`);
}

/**
 * A gzip member written synchronously, chunk by chunk: each chunk is deflated
 * on its own and ended with a sync flush (no final-block bit), so the raw
 * deflate pieces concatenate into one valid stream; the last piece finishes
 * it. The CRC and length trailer follow RFC 1952.
 */
export class GzipSyncWriter {
	#crc = 0;
	#length = 0;
	readonly #write: (buffer: Uint8Array) => void;

	constructor(write: (buffer: Uint8Array) => void) {
		this.#write = write;
		// Magic, deflate, no flags, no mtime, no extra flags, unknown OS.
		write(Uint8Array.of(0x1F, 0x8B, 8, 0, 0, 0, 0, 0, 0, 0xFF));
	}

	push(chunk: Buffer, last: boolean): void {
		this.#crc = zlib.crc32(chunk, this.#crc);
		this.#length = (this.#length + chunk.length) % 2 ** 32;
		this.#write(zlib.deflateRawSync(chunk, {level: gzipLevel, finishFlush: last ? zlib.constants.Z_FINISH : zlib.constants.Z_SYNC_FLUSH}));
		if (last) {
			const trailer = Buffer.alloc(8);
			trailer.writeUInt32LE(this.#crc >>> 0, 0);
			trailer.writeUInt32LE(this.#length, 4);
			this.#write(trailer);
		}
	}
}

/**
 * Writes the trace to a temporary file beside `file` and renames it into
 * place, so a crash or a full disk never leaves a half-written trace under
 * the real name.
 */
export function writeTraceSync(data: TraceData, file: string, envelope?: TraceEnvelope): void {
	const temporary = temporaryPathFor(file);
	let fd: number | undefined;
	try {
		makeDirectoriesSync(path.dirname(file));
		const base = streamedBase(data, file);
		if (base !== undefined) {
			fs.copyFileSync(base.file, temporary);
		}

		fd = fs.openSync(temporary, base === undefined ? 'w' : 'r+');
		const descriptor = fd;
		let position = 0;
		const writeAll = (buffer: Uint8Array) => {
			let offset = 0;
			while (offset < buffer.length) {
				offset += fs.writeSync(descriptor, buffer, offset, buffer.length - offset, position + offset);
			}

			position += buffer.length;
		};

		if (base !== undefined) {
			// The copy may hold bytes the writer added after the recording's last flush.
			fs.ftruncateSync(descriptor, base.bytes);
			position = base.bytes;
			for (const chunk of serializeViztContinuation(data, base.continuation, base.bytes)) {
				writeAll(chunk);
			}
		} else if (isViztPath(file)) {
			for (const chunk of serializeVizt(data)) {
				writeAll(chunk);
			}
		} else {
			writeJson(data, file, writeAll, envelope);
		}

		fs.closeSync(fd);
		fd = undefined;
		fs.renameSync(temporary, file);
	} catch (error) {
		if (fd !== undefined) {
			fs.closeSync(fd);
		}

		// Cleaning up must not hide why the write failed (when the directory
		// cannot be made, removing the temporary file fails too, with ENOTDIR).
		try {
			fs.rmSync(temporary, {force: true});
		} catch {}

		throw new VizTracerSaveError(file, error);
	}
}

/** The JSON of `data` through `writeAll`: gzipped for `.gz`, and inside `envelope` when there is one. */
function writeJson(data: TraceData, file: string, writeAll: (buffer: Uint8Array) => void, envelope: TraceEnvelope | undefined): void {
	// The text is encoded into one reused buffer and written (or deflated)
	// a megabyte at a time: no garbage Buffer per chunk, and gzip keeps
	// compressing large pieces.
	const wrapper = envelope?.open(writeAll, path.basename(file));
	const gzip = isGzipPath(file) || (wrapper && !envelope?.raw) ? new GzipSyncWriter(wrapper ? bytes => {
		wrapper.push(bytes);
	} : writeAll) : undefined;
	const emit = (bytes: Buffer, last: boolean) => {
		if (gzip) {
			gzip.push(bytes, last);
		} else if (wrapper) {
			wrapper.push(bytes);
		} else {
			writeAll(bytes);
		}
	};

	const staging = Buffer.allocUnsafe(stagingBytes);
	let used = 0;
	for (const chunk of serializeTrace(data)) {
		// UTF-8 needs at most 3 bytes per UTF-16 code unit.
		if (used > 0 && used + (chunk.length * 3) > stagingBytes) {
			emit(staging.subarray(0, used), false);
			used = 0;
		}

		if (chunk.length * 3 > stagingBytes) {
			emit(Buffer.from(chunk), false);
		} else {
			used += staging.write(chunk, used);
		}
	}

	emit(staging.subarray(0, used), true);
	wrapper?.end();
}

/**
 * The serialised trace as UTF-8, in buffers of about `stagingBytes`: a
 * stream (and gzip on the thread pool) then handles a hundred-odd large
 * pieces instead of thousands of small ones. Each batch is a fresh buffer,
 * since the stream may still hold the previous ones.
 */
function * utf8Batches(data: TraceData): Generator<Buffer, void, undefined> {
	let staging = Buffer.allocUnsafe(stagingBytes);
	let used = 0;
	for (const chunk of serializeTrace(data)) {
		// UTF-8 needs at most 3 bytes per UTF-16 code unit.
		if (used > 0 && used + (chunk.length * 3) > stagingBytes) {
			yield staging.subarray(0, used);
			staging = Buffer.allocUnsafe(stagingBytes);
			used = 0;
		}

		if (chunk.length * 3 > stagingBytes) {
			yield Buffer.from(chunk);
		} else {
			used += staging.write(chunk, used);
		}
	}

	yield staging.subarray(0, used);
}

/** The asynchronous twin of {@link writeTraceSync}: streams through `zlib` and yields to the event loop. */
export async function writeTraceAsync(data: TraceData, file: string, envelope?: TraceEnvelope): Promise<void> {
	const temporary = temporaryPathFor(file);
	let sink: fs.WriteStream | undefined;
	try {
		await makeDirectories(path.dirname(file));
		const base = streamedBase(data, file);
		if (base !== undefined) {
			await fsp.copyFile(base.file, temporary);
			await fsp.truncate(temporary, base.bytes);
		}

		const source = Readable.from(base === undefined ? (isViztPath(file) ? serializeVizt(data) : utf8Batches(data)) : serializeViztContinuation(data, base.continuation, base.bytes), {objectMode: false});
		sink = fs.createWriteStream(temporary, base === undefined ? {} : {flags: 'r+', start: base.bytes});
		// 64 KiB of output per zlib job (not 16): fewer trips to the thread pool.
		if (isViztPath(file)) {
			await pipeline(source, sink);
		} else if (envelope?.raw) {
			await pipeline(source, envelope.transform(path.basename(file)), sink);
		} else if (envelope) {
			await pipeline(source, zlib.createGzip({level: gzipLevel, chunkSize: 1 << 16}), envelope.transform(path.basename(file)), sink);
		} else {
			await (isGzipPath(file) ? pipeline(source, zlib.createGzip({level: gzipLevel, chunkSize: 1 << 16}), sink) : pipeline(source, sink));
		}
		await fsp.rename(temporary, file);
	} catch (error) {
		// The stream opens its file asynchronously: one that fails early may create it after a removal made now.
		if (sink !== undefined && !sink.closed) {
			await new Promise<void>(resolve => {
				sink!.once('close', () => {
					resolve();
				});
			});
		}

		await fsp.rm(temporary, {force: true}).catch(() => undefined);
		throw new VizTracerSaveError(file, error);
	}
}
