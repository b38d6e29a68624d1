import fs from 'node:fs';
import {StringDecoder} from 'node:string_decoder';
import zlib from 'node:zlib';
import {VizTracerInvalidTraceError, VizTracerTraceNotFoundError, VizTracerTraceUnreadableError} from '../core/errors.js';
import {closingQuote, TraceEventSplitter, TraceSyntaxError, type SplitterOptions} from './trace-event-splitter.js';
import {hasViztMagic} from './vizt-format.js';
import {trailerMetadata, ViztDecoder, ViztFormatError, type SpanHandler} from './vizt-reader.js';

/** Bytes read (and text handed to the splitter) per step. */
export const defaultChunkBytes = 1 << 16;

export type TraceReaderOptions = SplitterOptions & {
	/** Bytes per read: the most text held at once, apart from an event longer than that. */
	chunkBytes?: number;
	/** Read this open descriptor instead of opening `file` (which then only names it in errors); it is left open. */
	fd?: number;
	/** A `.vizt` file's events come out as their JSON text, for writing them as JSON (see EventBatches.json). */
	viztJson?: boolean;
	/** Read only the file's first this many bytes (a `.vizt` file that is still being written). */
	end?: number;
	/**
	 * A `.vizt` file's span records go to this handler, not into the batches
	 * (see ViztDecoder). Its other events then go to `onEvents` as they are
	 * read, in file order with the spans, and `nextBatch()` returns nothing.
	 */
	onSpan?: SpanHandler;
	onEvents?: (batch: unknown[]) => void;
	/** Span events of a `.vizt` file keep their stack depth (under spanDepthKey), for writing them to `.vizt` again. */
	spanDepths?: boolean;
};

const errnoReasons: Record<string, string> = {
	EACCES: 'permission denied',
	EPERM: 'permission denied',
	EISDIR: 'it is a directory, not a file',
	EIO: 'an I/O error',
	ELOOP: 'too many symbolic links',
	EMFILE: 'too many open files',
	ENFILE: 'too many open files',
};

/** The reason an fs call failed, for a one-line message: `permission denied (EACCES)`. */
function reasonOf(error: unknown): string {
	const code = (error as NodeJS.ErrnoException | undefined)?.code;
	if (typeof code === 'string') {
		return `${errnoReasons[code] ?? (error as Error).message} (${code})`;
	}

	return error instanceof Error ? error.message : String(error);
}

/**
 * The error for a trace file that cannot be opened: missing
 * ({@link VizTracerTraceNotFoundError}), not a file, or not readable
 * ({@link VizTracerTraceUnreadableError}).
 */
export function traceOpenError(file: string, error: unknown): Error {
	const code = (error as NodeJS.ErrnoException | undefined)?.code;
	if (code === 'ENOENT' || code === 'ENOTDIR') {
		return new VizTracerTraceNotFoundError(file, error);
	}

	return new VizTracerTraceUnreadableError(file, reasonOf(error), error);
}

/** Opens `file` for reading, or throws one of the typed errors of {@link traceOpenError}. */
export function openTraceFileSync(file: string): number {
	let fd: number;
	try {
		fd = fs.openSync(file, 'r');
	} catch (error) {
		throw traceOpenError(file, error);
	}

	let stat: fs.Stats;
	try {
		stat = fs.fstatSync(fd);
	} catch (error) {
		fs.closeSync(fd);
		throw traceOpenError(file, error);
	}

	if (!stat.isFile()) {
		fs.closeSync(fd);
		throw new VizTracerTraceUnreadableError(file, stat.isDirectory() ? 'it is a directory, not a file' : 'it is not a regular file');
	}

	return fd;
}

/**
 * Reads a trace file (plain or gzip JSON) synchronously, one batch of events
 * at a time, never holding more than about `chunkBytes` of its text: a trace
 * of any size (beyond V8's longest string, about 512 MiB) can be read.
 * Pull-based, so a writer can interleave reading one file with writing another.
 * Throws {@link VizTracerTraceNotFoundError}, {@link VizTracerTraceUnreadableError}
 * or {@link VizTracerInvalidTraceError}, always naming the file.
 */
export class TraceFileReader {
	readonly file: string;
	readonly #splitter: TraceEventSplitter;
	readonly #chunkBytes: number;
	#fd: number | undefined;
	#position = 0;
	// Gzip is inflated whole (zlib has no synchronous streaming API); its text is still fed in chunks.
	#inflated: Buffer | undefined;
	readonly #decoder = new StringDecoder('utf8');
	#pending: unknown[] = [];
	#ended = false;
	// Set for a `.vizt` file, which is decoded from bytes instead of split from text.
	#vizt: ViztDecoder | undefined;
	#viztOther: {other: Record<string, unknown>; rawText: Record<string, string>} | undefined;
	readonly #keepText: readonly string[];
	readonly #ownsFd: boolean;
	readonly #end: number;

	constructor(file: string, options: TraceReaderOptions = {}) {
		this.file = file;
		this.#chunkBytes = Math.max(1, Math.floor(options.chunkBytes ?? defaultChunkBytes));
		this.#keepText = options.keepText ?? [];
		this.#end = options.end ?? Number.POSITIVE_INFINITY;
		const onBatch = options.onSpan !== undefined && options.onEvents !== undefined ? options.onEvents : (batch: unknown[]) => {
			if (this.#pending.length === 0) {
				this.#pending = batch;
			} else {
				for (let index = 0; index < batch.length; index++) {
					this.#pending.push(batch[index]);
				}
			}
		};

		this.#splitter = new TraceEventSplitter(onBatch, options);
		this.#ownsFd = options.fd === undefined;
		this.#fd = options.fd ?? openTraceFileSync(file);
		try {
			const head = Buffer.alloc(4);
			const read = fs.readSync(this.#fd, head, 0, 4, 0);
			if (read === 4 && hasViztMagic(head)) {
				this.#vizt = new ViztDecoder(onBatch, {json: options.viztJson === true, onSpan: options.onSpan, spanDepths: options.spanDepths});
				// A file written while the program ran ends with its final metadata, and a trailer pointing at it.
				const descriptor = this.#fd;
				const final = trailerMetadata((position, length) => {
					const bytes = Buffer.alloc(length);
					return bytes.subarray(0, fs.readSync(descriptor, bytes, 0, length, position));
				}, Math.min(this.#end, fs.fstatSync(descriptor).size));
				if (final !== undefined) {
					this.#vizt.useMetadata(final);
				}
			} else if (read >= 2 && head[0] === 0x1F && head[1] === 0x8B) {
				this.#inflated = zlib.gunzipSync(fs.readFileSync(this.#fd));
				this.#closeFile();
			}
		} catch (error) {
			this.close();
			throw this.#wrap(error);
		}
	}

	/** Top-level values other than `traceEvents`, once the reader is done (for `.vizt`, once the first batch is read). */
	get other(): Record<string, unknown> {
		return this.#vizt ? this.#viztValues().other : this.#splitter.other;
	}

	/** The JSON text of the values named in `keepText`, once the reader is done. */
	get rawText(): Record<string, string> {
		return this.#vizt ? this.#viztValues().rawText : this.#splitter.rawText;
	}

	/** A `.vizt` file's string by id (for an `onSpan` handler). */
	stringAt(id: number): string {
		return this.#vizt?.stringAt(id) ?? '<unknown>';
	}

	/** Whether the file is in the `.vizt` format (whatever its name). */
	get isVizt(): boolean {
		return this.#vizt !== undefined;
	}

	/** Whether the file ended inside a record (a `.vizt` file whose writer was cut short; JSON that is cut short is an error). */
	get truncated(): boolean {
		return this.#vizt?.truncated ?? false;
	}

	#viztValues(): {other: Record<string, unknown>; rawText: Record<string, string>} {
		if (this.#viztOther === undefined) {
			const text = this.#vizt!.metadataText;
			let other: Record<string, unknown> = {};
			if (text !== undefined) {
				try {
					other = JSON.parse(text) as Record<string, unknown>;
				} catch (error) {
					throw new VizTracerInvalidTraceError(this.file, `its metadata record holds no JSON object (${(error as Error).message})`, error);
				}
			}

			const rawText: Record<string, string> = {};
			for (const key of this.#keepText) {
				const value = text === undefined ? undefined : memberText(text, key);
				if (value !== undefined) {
					rawText[key] = value;
				}
			}

			// Only a finished read is final: a later metadata record would replace this one (unless a trailer named it).
			if (this.#ended || this.#vizt!.metadataFixed) {
				this.#viztOther = {other, rawText};
			}

			return {other, rawText};
		}

		return this.#viztOther;
	}

	/** The next batch of events in file order, or `undefined` once the file is read. */
	nextBatch(): unknown[] | undefined {
		try {
			while (this.#vizt && this.#pending.length === 0 && !this.#ended) {
				const bytes = this.#readBytes();
				if (bytes === undefined) {
					this.#vizt.end();
					this.#ended = true;
					this.close();
				} else {
					this.#vizt.push(bytes);
				}
			}

			while (!this.#vizt && this.#pending.length === 0 && !this.#ended) {
				const text = this.#readText();
				if (text === undefined) {
					this.#splitter.end();
					this.#ended = true;
					this.close();
					if (!this.#splitter.sawEvents) {
						throw new VizTracerInvalidTraceError(this.file, 'it has no traceEvents array');
					}
				} else {
					this.#splitter.push(text);
				}
			}
		} catch (error) {
			this.close();
			throw this.#wrap(error);
		}

		if (this.#pending.length === 0) {
			return undefined;
		}

		const batch = this.#pending;
		this.#pending = [];
		return batch;
	}

	/** Releases the file; reading stops. */
	close(): void {
		this.#ended = true;
		this.#inflated = undefined;
		this.#closeFile();
	}

	#closeFile(): void {
		if (this.#fd !== undefined) {
			const fd = this.#fd;
			this.#fd = undefined;
			if (this.#ownsFd) {
				try {
					fs.closeSync(fd);
				} catch {}
			}
		}
	}

	/** The next piece of the file as bytes (not inflated: `.vizt` is not gzipped), or undefined at its end. */
	#readBytes(): Buffer | undefined {
		if (this.#fd === undefined) {
			return undefined;
		}

		const bytes = Buffer.allocUnsafe(Math.max(0, Math.min(this.#chunkBytes, this.#end - this.#position)));
		const read = bytes.length === 0 ? 0 : fs.readSync(this.#fd, bytes, 0, bytes.length, this.#position);
		this.#position += read;
		return read === 0 ? undefined : bytes.subarray(0, read);
	}

	/** The next piece of text, or undefined at the end of the file. */
	#readText(): string | undefined {
		let bytes: Buffer;
		if (this.#inflated === undefined) {
			if (this.#fd === undefined) {
				return undefined;
			}

			bytes = Buffer.allocUnsafe(this.#chunkBytes);
			const read = fs.readSync(this.#fd, bytes, 0, bytes.length, this.#position);
			this.#position += read;
			if (read === 0) {
				return this.#decoder.end() || undefined;
			}

			bytes = bytes.subarray(0, read);
		} else {
			if (this.#position >= this.#inflated.length) {
				return this.#decoder.end() || undefined;
			}

			bytes = this.#inflated.subarray(this.#position, this.#position + this.#chunkBytes);
			this.#position += bytes.length;
		}

		return this.#decoder.write(bytes);
	}

	#wrap(error: unknown): Error {
		if (error instanceof VizTracerInvalidTraceError || error instanceof VizTracerTraceNotFoundError) {
			return error;
		}

		if (error instanceof TraceSyntaxError || error instanceof ViztFormatError) {
			return new VizTracerInvalidTraceError(this.file, error.message, error);
		}

		const code = (error as NodeJS.ErrnoException | undefined)?.code;
		if (typeof code === 'string' && code.startsWith('Z_')) {
			return new VizTracerInvalidTraceError(this.file, `cannot decompress it (${(error as Error).message})`, error);
		}

		if (error instanceof RangeError) {
			// A single value longer than V8's longest string.
			return new VizTracerInvalidTraceError(this.file, `a value in it is too large to read (${error.message})`, error);
		}

		return new VizTracerTraceUnreadableError(this.file, reasonOf(error), error);
	}
}

/** Reads every batch of `file` into `onEvents`; returns the reader, for its `other` and `rawText`. */
export function readTraceSync(file: string, onEvents: (batch: unknown[]) => void, options?: TraceReaderOptions): TraceFileReader {
	const reader = new TraceFileReader(file, options);
	for (let batch = reader.nextBatch(); batch !== undefined; batch = reader.nextBatch()) {
		onEvents(batch);
	}

	return reader;
}

/**
 * The text of the member `key` of the JSON object `json` (top level only),
 * e.g. `123` for `baseTimeNanoseconds` in `{"a":{"baseTimeNanoseconds":1},"baseTimeNanoseconds":123}`.
 */
export function memberText(json: string, key: string): string | undefined {
	const isSpace = (code: number) => code === 0x20 || code === 0x0A || code === 0x0D || code === 0x09;
	let index = 0;
	const skipSpace = () => {
		while (index < json.length && isSpace(json.charCodeAt(index))) {
			index++;
		}
	};

	skipSpace();
	if (json[index] !== '{') {
		return undefined;
	}

	index++;
	for (;;) {
		skipSpace();
		if (json[index] !== '"') {
			return undefined;
		}

		const close = closingQuote(json, index);
		if (close === -1) {
			return undefined;
		}

		let name: unknown;
		try {
			name = JSON.parse(json.slice(index, close + 1));
		} catch {
			return undefined;
		}

		index = close + 1;
		skipSpace();
		if (json[index] !== ':') {
			return undefined;
		}

		index++;
		skipSpace();
		const start = index;
		let depth = 0;
		while (index < json.length) {
			const code = json.charCodeAt(index);
			if (code === 0x22) {
				const end = closingQuote(json, index);
				if (end === -1) {
					return undefined;
				}

				index = end + 1;
				if (depth === 0) {
					break;
				}

				continue;
			}

			if (code === 0x7B || code === 0x5B) {
				depth++;
			} else if (code === 0x7D || code === 0x5D) {
				if (depth === 0) {
					break;
				}

				depth--;
				if (depth === 0) {
					index++;
					break;
				}
			} else if (depth === 0 && (code === 0x2C || isSpace(code))) {
				break;
			}

			index++;
		}

		if (name === key) {
			return json.slice(start, index);
		}

		skipSpace();
		if (json[index] !== ',') {
			return undefined;
		}

		index++;
	}
}

/**
 * A trace's `viztracer_metadata.baseTimeNanoseconds`, exactly, as decimal
 * digits: from the metadata's JSON text when the reader kept it (JSON.parse
 * rounds a 19-digit number), else from the parsed value.
 */
export function baseTimeOfTrace(other: Record<string, unknown>, rawText: Record<string, string>): string | undefined {
	const raw = rawText['viztracer_metadata'];
	const text = raw === undefined ? undefined : memberText(raw, 'baseTimeNanoseconds');
	if (text !== undefined && /^\d+$/.test(text)) {
		return text;
	}

	const metadata = other['viztracer_metadata'];
	const value = typeof metadata === 'object' && metadata !== null ? (metadata as Record<string, unknown>)['baseTimeNanoseconds'] : undefined;
	if (typeof value === 'string' && /^\d+$/.test(value)) {
		return value;
	}

	return typeof value === 'number' && Number.isFinite(value) && value > 0 ? BigInt(Math.round(value)).toString() : undefined;
}
