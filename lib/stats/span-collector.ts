import {StringTable} from '../core/string-table.js';
import {SpanColumns} from './span-columns.js';

type OpenSpans = {names: number[]; starts: number[]};

const toNumber = (value: unknown): number => (typeof value === 'number' ? value : typeof value === 'string' ? Number(value) : Number.NaN);

/**
 * Turns trace events into spans on pid/tid tracks: each complete event
 * (`ph: 'X'`) is a span, and each `B`/`E` pair is one, matched per track as a
 * stack (an `E` ends the latest open `B` of its track, as the Trace Event
 * Format specifies). Other phases (instants, counters, async, metadata) are not
 * spans of a thread and are skipped.
 */
const trackKey = (pid: unknown, tid: unknown): string => `${String(pid)}\u0000${String(tid)}`;

/** How viztracer names the rows it lays async lifetimes out on (trace-data.ts). */
const lifetimeRowName = /^async \d+ \(.*\)$/;

export class SpanCollector {
	readonly spans: SpanColumns;
	readonly names = new StringTable();
	/** `E` events with no open `B` on their track. */
	unmatchedEnds = 0;

	readonly #tracks = new Map<string, number>();
	// pid/tid keys of the rows named `async N (thread)`: async functions' lifetimes (--log-async).
	readonly #lifetimeKeys = new Set<string>();
	readonly #open: OpenSpans[] = [];
	// Consecutive events are usually on the same track: skip the map lookup then.
	#lastPid: unknown = Symbol('none');
	#lastTid: unknown = Symbol('none');
	#lastTrack = -1;

	/** @param capacity Expected number of spans: a good guess saves regrowing the columns. */
	constructor(capacity?: number) {
		this.spans = new SpanColumns(capacity);
	}

	/** `B` events never ended, over all tracks. */
	get unmatchedBegins(): number {
		let count = 0;
		// Indexed: a track with only X events has no entry (a hole) here.
		for (let track = 0; track < this.#open.length; track++) {
			count += this.#open[track]?.names.length ?? 0;
		}

		return count;
	}

	get trackCount(): number {
		return this.#tracks.size;
	}

	add(batch: readonly unknown[]): void {
		for (const item of batch) {
			if (typeof item !== 'object' || item === null) {
				continue;
			}

			const event = item as Record<string, unknown>;
			const {ph} = event;
			if (ph === 'X') {
				const start = toNumber(event.ts);
				// A timestamp of ±Infinity (`1e999` in the JSON) places nothing anywhere.
				if (!Number.isFinite(start)) {
					continue;
				}

				const duration = toNumber(event.dur);
				this.spans.push(start, Number.isFinite(duration) && duration > 0 ? duration : 0, this.#name(event.name), this.#track(event.pid, event.tid));
			} else if (ph === 'B') {
				const start = toNumber(event.ts);
				if (!Number.isFinite(start)) {
					continue;
				}

				const open = this.#openOn(this.#track(event.pid, event.tid));
				open.names.push(this.#name(event.name));
				open.starts.push(start);
			} else if (ph === 'M') {
				const args = event.args as {name?: unknown} | undefined;
				if (event.name === 'thread_name' && typeof args?.name === 'string' && lifetimeRowName.test(args.name)) {
					this.#lifetimeKeys.add(trackKey(event.pid, event.tid));
				}
			} else if (ph === 'E') {
				const end = toNumber(event.ts);
				const track = this.#track(event.pid, event.tid);
				const open = this.#openOn(track);
				const name = open.names.pop();
				const start = open.starts.pop();
				if (name === undefined || start === undefined) {
					this.unmatchedEnds++;
					continue;
				}

				// An E without a usable time still closes its B, as a zero-length span.
				const duration = Number.isFinite(end) && end > start ? end - start : 0;
				this.spans.push(start, duration, name, track);
			}
		}
	}

	#name(value: unknown): number {
		return this.names.intern(typeof value === 'string' ? value : value === undefined ? '(unnamed)' : String(value));
	}

	/** The track of `pid`/`tid`, or undefined when no span was on it. */
	trackOf(pid: unknown, tid: unknown): number | undefined {
		return this.#tracks.get(trackKey(pid, tid));
	}

	/** Per track, 1 for a row of async lifetimes (named `async N (thread)` by the trace), else 0. */
	lifetimeTracks(): Uint8Array {
		const lifetime = new Uint8Array(this.#tracks.size);
		for (const key of this.#lifetimeKeys) {
			const track = this.#tracks.get(key);
			if (track !== undefined) {
				lifetime[track] = 1;
			}
		}

		return lifetime;
	}

	#track(pid: unknown, tid: unknown): number {
		if (pid === this.#lastPid && tid === this.#lastTid) {
			return this.#lastTrack;
		}

		const key = trackKey(pid, tid);
		let track = this.#tracks.get(key);
		if (track === undefined) {
			track = this.#tracks.size;
			this.#tracks.set(key, track);
		}

		this.#lastPid = pid;
		this.#lastTid = tid;
		this.#lastTrack = track;
		return track;
	}

	#openOn(track: number): OpenSpans {
		let open = this.#open[track];
		if (!open) {
			open = {names: [], starts: []};
			this.#open[track] = open;
		}

		return open;
	}
}
