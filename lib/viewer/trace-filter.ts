import {randomBytes} from 'node:crypto';
import fs from 'node:fs';
import fsp from 'node:fs/promises';
import path from 'node:path';
import {pipeline} from 'node:stream/promises';
import zlib from 'node:zlib';
import picomatch from 'picomatch';
import {VizTracerSaveError} from '../core/errors.js';
import {stringifyDeep} from './deep-json.js';
import {makeDirectories} from '../trace-file/make-directories.js';
import {assertReadable, readCheckedTraceEvents} from './trace-check.js';

export type TraceFilter = {
	/** Keep spans at least this long, in microseconds. */
	minDuration?: number;
	/** Keep events whose name contains this text, or matches it when written `/regex/flags`. */
	match?: string;
	/** Keep events whose source file (the `(file:line:col)` ending their name) matches this glob; a glob without `/` matches base names. */
	file?: string;
	/** Keep events overlapping this window, in milliseconds from the trace's first timestamp; a missing side is open. */
	window?: {start?: number; end?: number};
};

export type FilterResult = {
	/** Events read (metadata events not counted). */
	read: number;
	/** Events written (metadata events not counted). */
	kept: number;
	/** Bytes of the written file; 0 when nothing was kept, and so nothing written. */
	bytes: number;
	/** Whether the output was written: not when no event passed (a viewer would wait for events forever). */
	written: boolean;
	/** The earliest start and latest end of the trace's timed events, in its own microseconds; undefined when it has none. */
	timeRange: {first: number; last: number} | undefined;
};

type Event = Record<string, unknown> & {ph?: unknown; name?: unknown; ts?: unknown; dur?: unknown; pid?: unknown; tid?: unknown};

// Output is gathered into pieces about this big before each write.
const writeBytes = 1 << 16;

const sourceFilePattern = /\(([^()]+):\d+:\d+\)$/;

/** `fn (lib/a.js:1:2)` → `lib/a.js`. */
const sourceFileOf = (name: string): string | undefined => sourceFilePattern.exec(name)?.[1];

/** A name test from `--match`: `/regex/flags`, or else plain text to look for. Throws a SyntaxError for a bad regex. */
export function namePredicate(match: string): (name: string) => boolean {
	const regex = /^\/(.+)\/([dgimsuvy]*)$/s.exec(match);
	if (regex) {
		const pattern = new RegExp(regex[1]!, regex[2]!.replaceAll(/[gy]/g, ''));
		return name => pattern.test(name);
	}

	return name => name.includes(match);
}

/** A file test from `--file`: a glob with a `/` matches the whole path, one without matches base names (like .gitignore). */
function filePredicate(glob: string): (file: string) => boolean {
	const matches = picomatch(glob, {dot: true});
	return glob.includes('/') ? file => matches(file) : file => matches(path.posix.basename(file.replaceAll('\\', '/')));
}

const toNumber = (value: unknown): number => (typeof value === 'number' ? value : typeof value === 'string' ? Number(value) : Number.NaN);

/** The smallest timestamp of the trace's timed events (metadata excluded): where viewers put time 0. */
async function firstTimestamp(input: string): Promise<number> {
	let first = Number.POSITIVE_INFINITY;
	await readCheckedTraceEvents(input, batch => {
		for (const item of batch) {
			const event = item as Event;
			if (typeof event === 'object' && event !== null && event.ph !== 'M') {
				const ts = toNumber(event.ts);
				if (ts < first) {
					first = ts;
				}
			}
		}
	});
	return first;
}

/**
 * Writes the events of `input` that pass `filter` to `output` (`.json`, or
 * gzip for `.json.gz`), streaming both ways so a trace too large for a
 * browser (or for memory) can be cut down to one that opens:
 *
 * - metadata events (`ph: 'M'`: process and thread names) are always kept;
 * - `--min-duration` applies to spans: `X` events, and `B`/`E` pairs, which
 *   are matched per track and written as one `X` event each;
 * - the name and file patterns and the time window apply to every other event.
 *
 * The other top-level keys (`viztracer_metadata`, …) are copied, and
 * `viztracer_filter` records the filter and the source file. When no event
 * passes, nothing is written (see {@link FilterResult.written}).
 */
export async function filterTrace(input: string, output: string, filter: TraceFilter): Promise<FilterResult> {
	// Before the output is opened: an unreadable input is the error to report.
	assertReadable(input);
	const matchesName = filter.match === undefined ? undefined : namePredicate(filter.match);
	const matchesFile = filter.file === undefined ? undefined : filePredicate(filter.file);
	const minDuration = filter.minDuration ?? 0;
	let windowStart = Number.NEGATIVE_INFINITY;
	let windowEnd = Number.POSITIVE_INFINITY;
	if (filter.window) {
		const origin = await firstTimestamp(input);
		if (filter.window.start !== undefined) {
			windowStart = origin + (filter.window.start * 1000);
		}

		if (filter.window.end !== undefined) {
			windowEnd = origin + (filter.window.end * 1000);
		}
	}

	const keep = (event: Event, start: number, duration: number | undefined): boolean => {
		if (duration !== undefined && duration < minDuration) {
			return false;
		}

		if (start > windowEnd || start + (duration ?? 0) < windowStart || (Number.isNaN(start) && filter.window)) {
			return false;
		}

		if (matchesName || matchesFile) {
			const name = typeof event.name === 'string' ? event.name : '';
			if (matchesName && !matchesName(name)) {
				return false;
			}

			const file = matchesFile ? sourceFileOf(name) : undefined;
			if (matchesFile && (file === undefined || !matchesFile(file))) {
				return false;
			}
		}

		return true;
	};

	const temporary = path.join(path.dirname(output), `.${path.basename(output)}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`);
	const gzipped = output.endsWith('.gz');
	const plain = gzipped ? `${temporary}.json` : temporary;
	let fd: number | undefined;
	try {
		await makeDirectories(path.dirname(output));
		fd = fs.openSync(plain, 'w');
		const descriptor = fd;
		let pending = '{"traceEvents":[';
		let first = true;
		const write = (text: string) => {
			pending += text;
			if (pending.length >= writeBytes) {
				fs.writeSync(descriptor, pending);
				pending = '';
			}
		};

		const emit = (event: unknown) => {
			const json = stringifyDeep(event);
			write(first ? `\n${json}` : `,\n${json}`);
			first = false;
		};

		let read = 0;
		let kept = 0;
		let earliest = Number.POSITIVE_INFINITY;
		let latest = Number.NEGATIVE_INFINITY;
		const open = new Map<string, Event[]>();
		const {other} = await readCheckedTraceEvents(input, batch => {
			for (const item of batch) {
				if (typeof item !== 'object' || item === null) {
					continue;
				}

				const event = item as Event;
				if (event.ph === 'M') {
					emit(event);
					continue;
				}

				read++;
				const start = toNumber(event.ts);
				if (Number.isFinite(start)) {
					const end = start + (event.ph === 'X' ? Math.max(0, toNumber(event.dur) || 0) : 0);
					earliest = Math.min(earliest, start);
					latest = Math.max(latest, end);
				}

				if (event.ph === 'B' || event.ph === 'E') {
					const track = `${String(event.pid)}\u0000${String(event.tid)}`;
					let stack = open.get(track);
					if (!stack) {
						stack = [];
						open.set(track, stack);
					}

					if (event.ph === 'B') {
						stack.push(event);
						continue;
					}

					// The `E` ends the latest open `B` of its track; together they make one span.
					const begin = stack.pop();
					if (!begin) {
						continue;
					}

					read--;
					const beginTs = toNumber(begin.ts);
					const span: Event = {...begin, ph: 'X', dur: Math.max(0, start - beginTs)};
					if (event.args && typeof event.args === 'object') {
						span.args = {...(begin.args as object | undefined), ...(event.args as object)};
					}

					if (keep(span, beginTs, span.dur as number)) {
						emit(span);
						kept++;
					}

					continue;
				}

				const duration = event.ph === 'X' ? Math.max(0, toNumber(event.dur) || 0) : undefined;
				if (keep(event, start, duration)) {
					emit(event);
					kept++;
				}
			}
		});
		const timeRange = earliest <= latest ? {first: earliest, last: latest} : undefined;
		if (kept === 0) {
			fs.closeSync(descriptor);
			fd = undefined;
			await fsp.rm(plain, {force: true});
			return {read, kept, bytes: 0, written: false, timeRange};
		}

		write('\n]');
		for (const [key, value] of Object.entries(other)) {
			if (key !== 'viztracer_filter') {
				write(`,${JSON.stringify(key)}:${stringifyDeep(value)}`);
			}
		}

		write(`,"viztracer_filter":${JSON.stringify({source: path.resolve(input), ...filter})}}\n`);
		fs.writeSync(descriptor, pending);
		fs.closeSync(descriptor);
		fd = undefined;
		if (gzipped) {
			await pipeline(fs.createReadStream(plain), zlib.createGzip({level: zlib.constants.Z_BEST_SPEED}), fs.createWriteStream(temporary));
			await fsp.rm(plain);
		}

		await fsp.rename(temporary, output);
		return {read, kept, bytes: fs.statSync(output).size, written: true, timeRange};
	} catch (error) {
		if (fd !== undefined) {
			fs.closeSync(fd);
		}

		await fsp.rm(temporary, {force: true}).catch(() => undefined);
		await fsp.rm(plain, {force: true}).catch(() => undefined);
		if (error instanceof Error && 'code' in error && typeof error.code === 'string' && error.code.startsWith('VIZTRACER_')) {
			throw error;
		}

		throw new VizTracerSaveError(output, error);
	}
}
