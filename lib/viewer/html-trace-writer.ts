import {Transform} from 'node:stream';
import type {TraceEnvelope} from '../trace-file/write-trace.js';
import {standaloneHtmlParts} from './standalone-html.js';

/**
 * Writes a self-contained HTML page around gzipped trace bytes fed to it
 * piece by piece (see {@link standaloneHtmlParts}): the page head first,
 * then the bytes as base64, then the tail. Each piece is encoded up to a
 * multiple of 3 bytes, so the pieces' base64 concatenates into the base64 of
 * the whole and no piece is held longer than needed.
 */
export class HtmlTraceWriter {
	readonly #write: (bytes: Uint8Array) => void;
	readonly #tail: string;
	#carry: Buffer = Buffer.alloc(0);

	constructor(write: (bytes: Uint8Array) => void, title: string) {
		const {head, tail} = standaloneHtmlParts(title);
		this.#write = write;
		this.#tail = tail;
		write(Buffer.from(head));
	}

	/** Adds gzipped trace bytes. */
	readonly push = (bytes: Uint8Array): void => {
		const all = this.#carry.length > 0 ? Buffer.concat([this.#carry, bytes]) : Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
		const whole = all.length - (all.length % 3);
		if (whole > 0) {
			this.#write(Buffer.from(all.subarray(0, whole).toString('base64'), 'latin1'));
		}

		this.#carry = Buffer.from(all.subarray(whole));
	};

	/** Writes the last bytes and the rest of the page. */
	end(): void {
		this.#write(Buffer.from(`${this.#carry.toString('base64')}${this.#tail}`));
		this.#carry = Buffer.alloc(0);
	}
}

/** {@link HtmlTraceWriter} as a stream: gzipped trace bytes in, the HTML page out. */
export function htmlTraceTransform(title: string): Transform {
	let writer: HtmlTraceWriter | undefined;
	const start = (stream: Transform) => {
		writer ??= new HtmlTraceWriter(bytes => stream.push(bytes), title);
		return writer;
	};

	return new Transform({
		transform(chunk: Buffer, _encoding, callback) {
			start(this).push(chunk);
			callback();
		},
		flush(callback) {
			start(this).end();
			callback();
		},
	});
}

/** An `.html` output is a self-contained viewer page with the trace gzipped inside. */
export const isHtmlPath = (file: string): boolean => file.endsWith('.html');

/** The viewer's HTML page as a {@link TraceEnvelope} for the trace writers. */
export const htmlEnvelope: TraceEnvelope = {
	open: (write, title) => new HtmlTraceWriter(write, title),
	transform: htmlTraceTransform,
};

/** The HTML page with another title than the file's name (the temporary file a page is written to first has its own). */
export const htmlEnvelopeTitled = (title: string): TraceEnvelope => ({
	open: write => new HtmlTraceWriter(write, title),
	transform: () => htmlTraceTransform(title),
});

/** What a trace named `file` is written in: the HTML page for `.html`, else nothing (JSON, or gzip for `.gz`). */
export function envelopeFor(file: string): TraceEnvelope | undefined {
	return isHtmlPath(file) ? htmlEnvelope : undefined;
}
