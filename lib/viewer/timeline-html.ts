import {StringDecoder} from 'node:string_decoder';
import {Transform} from 'node:stream';
import {TimelineModelBuilder} from '../timeline/model-builder.js';
import {isSliceTrack, type TimelineModel} from '../timeline/model.js';
import {encodeModel} from '../timeline/model-codec.js';
import {TraceEventSplitter} from '../trace-file/trace-event-splitter.js';
import {GzipSyncWriter, type TraceEnvelope} from '../trace-file/write-trace.js';
import {flamePageParts} from './flame-page.js';
import {namedSourceFiles, readNamedSource} from './source-files.js';
import type {StatsTable} from './stats-table.js';
import {embeddedTimelinePage, type EmbeddedFlame} from './timeline-page.js';

/** The most source text a self-contained page embeds (files past it show "saved without that file"). */
export const embeddedSourceLimitBytes = 16 * 1024 * 1024;

/** The source files the trace names, read by the server's rules, up to {@link embeddedSourceLimitBytes} in all. */
export function embeddedSources(model: TimelineModel, baseDirectory: string): Record<string, string> {
	const named = namedSourceFiles(model);
	const sources: Record<string, string> = {};
	let total = 0;
	for (const file of named) {
		try {
			const text = readNamedSource(file, named, baseDirectory);
			if (total + text.length > embeddedSourceLimitBytes) {
				continue;
			}

			total += text.length;
			sources[file] = text;
		} catch {
			// Not shown: the page says the file was not saved with it.
		}
	}

	return sources;
}

/** Past this many spans speedscope takes minutes to import a trace (benchmarks/README.md): the page leaves the flame graph to vizviewer. */
export const embeddedFlameSpanLimit = 200_000;

export const spanCount = (model: TimelineModel): number => model.tracks.reduce((sum, track) => sum + (isSliceTrack(track) ? track.start.length : 0), 0);

/** The Flame graph tab's content: speedscope around `gzippedTrace`, when the trace is small enough for it. */
function embeddedFlame(model: TimelineModel, gzippedTrace: Uint8Array | undefined): EmbeddedFlame {
	const spans = spanCount(model);
	if (gzippedTrace === undefined || spans > embeddedFlameSpanLimit) {
		return {note: spans > embeddedFlameSpanLimit
			? `This trace has ${spans.toLocaleString('en-US')} spans, more than speedscope imports in reasonable time (${embeddedFlameSpanLimit.toLocaleString('en-US')} at most are saved with the page). Open the trace with \`npx vizviewer <trace>\` for the flame graph views.`
			: 'This page was saved without the flame graph. Open the trace with `npx vizviewer <trace>` for the flame graph views.'};
	}

	return {...flamePageParts(model.metadata.title), traceBase64: Buffer.from(gzippedTrace.buffer, gzippedTrace.byteOffset, gzippedTrace.byteLength).toString('base64')};
}

/**
 * Writes the self-contained timeline page of `model` through `write`:
 * head, the encoded model as base64 (each piece a multiple of 3 bytes, so
 * the pieces concatenate), tail. Without `stats`, the page's Stats view
 * counts from the timeline itself.
 */
export function writeTimelinePage(model: TimelineModel, baseDirectory: string, write: (bytes: Uint8Array) => void, stats?: StatsTable, flameTrace?: Uint8Array): void {
	const {head, tail} = embeddedTimelinePage(model.metadata.title, {sources: embeddedSources(model, baseDirectory), stats: stats ?? null, flame: embeddedFlame(model, flameTrace)});
	write(Buffer.from(head));
	let carry = Buffer.alloc(0);
	for (const part of encodeModel(model)) {
		const all = carry.length > 0 ? Buffer.concat([carry, part]) : Buffer.from(part.buffer, part.byteOffset, part.byteLength);
		const whole = all.length - (all.length % 3);
		if (whole > 0) {
			write(Buffer.from(all.subarray(0, whole).toString('base64'), 'latin1'));
		}

		carry = Buffer.from(all.subarray(whole));
	}

	write(Buffer.from(`${carry.toString('base64')}${tail}`));
}

const cwdOf = (metadata: unknown): string | undefined => {
	const cwd = typeof metadata === 'object' && metadata !== null ? (metadata as Record<string, unknown>)['cwd'] : undefined;
	return typeof cwd === 'string' ? cwd : undefined;
};

/**
 * Builds the model from Chrome JSON pushed as UTF-8 bytes, and at the end
 * writes the page: the JSON itself is never held whole.
 */
export class TimelineHtmlWriter {
	readonly #builder = new TimelineModelBuilder();
	readonly #decoder = new StringDecoder('utf8');
	readonly #splitter: TraceEventSplitter;
	// The JSON gzipped as it passes, for the Flame graph tab (speedscope reads the trace itself).
	// Dropped as soon as the trace has more spans than the page embeds a flame graph for: no gzip work for what is not kept.
	#gzipped: Uint8Array[] | undefined = [];
	readonly #gzip = new GzipSyncWriter(bytes => {
		this.#gzipped?.push(bytes);
	});

	#spans = 0;

	constructor(readonly write: (bytes: Uint8Array) => void, readonly title: string, readonly fallbackDirectory: string) {
		this.#splitter = new TraceEventSplitter(batch => {
			for (const event of batch) {
				if (typeof event === 'object' && event !== null && !Array.isArray(event)) {
					const {ph} = event as Record<string, unknown>;
					// The events that each make a slice.
					if (ph === 'X' || ph === 'B' || ph === 'b' || ph === 'n') {
						this.#spans++;
					}

					this.#builder.addEvent(event as Record<string, unknown>);
				}
			}
		});
	}

	readonly push = (bytes: Uint8Array): void => {
		const buffer = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
		this.#splitter.push(this.#decoder.write(buffer));
		if (this.#spans > embeddedFlameSpanLimit) {
			this.#gzipped = undefined;
		} else {
			this.#gzip.push(buffer, false);
		}
	};

	end(): void {
		this.#splitter.push(this.#decoder.end());
		this.#splitter.end();
		const cwd = cwdOf(this.#splitter.other['viztracer_metadata']);
		const model = this.#builder.finish({title: this.title, displayTimeUnit: this.#splitter.other['displayTimeUnit'], ...(cwd === undefined ? {} : {cwd})});
		if (this.#gzipped !== undefined) {
			this.#gzip.push(Buffer.alloc(0), true);
		}

		writeTimelinePage(model, cwd ?? this.fallbackDirectory, this.write, undefined, this.#gzipped && Buffer.concat(this.#gzipped));
	}
}

/** The timeline page as a {@link TraceEnvelope}: it takes the trace's JSON (`raw`), not gzip. */
export function timelineEnvelope(title?: string, fallbackDirectory = process.cwd()): TraceEnvelope {
	return {
		raw: true,
		open: (write, fileTitle) => new TimelineHtmlWriter(write, title ?? fileTitle, fallbackDirectory),
		transform(fileTitle) {
			let writer: TimelineHtmlWriter | undefined;
			const start = (stream: Transform) => {
				writer ??= new TimelineHtmlWriter(bytes => stream.push(bytes), title ?? fileTitle, fallbackDirectory);
				return writer;
			};

			return new Transform({
				transform(chunk: Buffer, _encoding, callback) {
					try {
						start(this).push(chunk);
						callback();
					} catch (error) {
						callback(error as Error);
					}
				},
				flush(callback) {
					try {
						start(this).end();
						callback();
					} catch (error) {
						callback(error as Error);
					}
				},
			});
		},
	};
}
