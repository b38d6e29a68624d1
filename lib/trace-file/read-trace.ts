import fs from 'node:fs';
import type {Readable} from 'node:stream';
import zlib from 'node:zlib';
import {VizTracerInvalidTraceError, VizTracerTraceNotFoundError} from '../core/errors.js';
import {setImmediate as nextTurn} from 'node:timers/promises';
import {openTraceFileSync, TraceFileReader, traceOpenError} from './read-trace-sync.js';
import {TraceEventSplitter, TraceSyntaxError} from './trace-event-splitter.js';
import {hasViztMagic} from './vizt-format.js';

// Large reads keep the per-chunk work (a JSON.parse call, a string slice)
// negligible next to the text itself, and stay in young-generation-friendly sizes.
const readBytes = 1 << 16;

/** Whether the file starts with the `.vizt` magic bytes (the name may not say so). */
export function isViztFile(file: string): boolean {
	const fd = fs.openSync(file, 'r');
	try {
		const head = Buffer.alloc(4);
		return fs.readSync(fd, head, 0, 4, 0) === 4 && hasViztMagic(head);
	} finally {
		fs.closeSync(fd);
	}
}

/** Whether the file starts with the gzip magic bytes (the name may not say so). */
export function isGzipFile(file: string): boolean {
	const fd = fs.openSync(file, 'r');
	try {
		const head = Buffer.alloc(2);
		const read = fs.readSync(fd, head, 0, 2, 0);
		return read === 2 && head[0] === 0x1F && head[1] === 0x8B;
	} finally {
		fs.closeSync(fd);
	}
}

/**
 * Checks that `file` is a regular file this process can read, by opening it:
 * throws {@link VizTracerTraceNotFoundError} when it is missing and
 * {@link VizTracerTraceUnreadableError} (also a VizTracerInvalidTraceError)
 * for a directory, a missing permission or an I/O error.
 */
export function assertTraceFile(file: string): void {
	fs.closeSync(openTraceFileSync(file));
}

/**
 * The size of the trace's JSON: the file size, or for gzip the size stored in
 * its trailer (modulo 2^32 there, so it is raised past the compressed size).
 */
export function jsonSizeOf(file: string): number {
	const {size} = fs.statSync(file);
	const fd = fs.openSync(file, 'r');
	try {
		const head = Buffer.alloc(2);
		if (size < 18 || fs.readSync(fd, head, 0, 2, 0) !== 2 || head[0] !== 0x1F || head[1] !== 0x8B) {
			return size;
		}

		const trailer = Buffer.alloc(4);
		fs.readSync(fd, trailer, 0, 4, size - 4);
		let uncompressed = trailer.readUInt32LE(0);
		while (uncompressed < size) {
			uncompressed += 2 ** 32;
		}

		return uncompressed;
	} finally {
		fs.closeSync(fd);
	}
}

/** Opens a trace (plain or gzip JSON) as a stream of text. */
export function openTraceText(file: string): Readable {
	assertTraceFile(file);
	const raw = fs.createReadStream(file, {highWaterMark: readBytes});
	if (!isGzipFile(file)) {
		return raw.setEncoding('utf8');
	}

	const gunzip = zlib.createGunzip({chunkSize: readBytes});
	raw.on('error', error => gunzip.destroy(error));
	return raw.pipe(gunzip).setEncoding('utf8');
}

export type TraceExtras = {
	/** Top-level values other than `traceEvents` (`viztracer_metadata`, `displayTimeUnit`, …). */
	other: Record<string, unknown>;
};

/**
 * Streams the events of a trace file (`.json`, gzip or `.vizt`) to `onEvents` in
 * batches, in file order, holding about one read's worth of text at a time.
 * Throws {@link VizTracerTraceNotFoundError} or {@link VizTracerInvalidTraceError}.
 */
export async function readTraceEvents(file: string, onEvents: (batch: unknown[]) => void): Promise<TraceExtras> {
	assertTraceFile(file);
	if (isViztFile(file)) {
		// Decoded in steps, giving the event loop a turn between batches.
		const reader = new TraceFileReader(file);
		try {
			for (let batch = reader.nextBatch(); batch !== undefined; batch = reader.nextBatch()) {
				onEvents(batch);
				// eslint-disable-next-line no-await-in-loop
				await nextTurn();
			}
		} finally {
			reader.close();
		}

		return {other: reader.other};
	}

	const splitter = new TraceEventSplitter(onEvents);
	try {
		for await (const chunk of openTraceText(file)) {
			splitter.push(chunk as string);
		}

		splitter.end();
	} catch (error) {
		if (error instanceof TraceSyntaxError) {
			throw new VizTracerInvalidTraceError(file, error.message, error);
		}

		if (error instanceof Error && 'code' in error && typeof error.code === 'string' && error.code.startsWith('Z_')) {
			throw new VizTracerInvalidTraceError(file, `cannot decompress it (${error.message})`, error);
		}

		if (error instanceof Error && 'code' in error && typeof error.code === 'string' && !(error instanceof VizTracerInvalidTraceError) && !(error instanceof VizTracerTraceNotFoundError)) {
			// An fs error: the file went away, or cannot be read after all.
			throw traceOpenError(file, error);
		}

		throw error;
	}

	if (!splitter.sawEvents) {
		throw new VizTracerInvalidTraceError(file, 'it has no traceEvents array');
	}

	return {other: splitter.other};
}
