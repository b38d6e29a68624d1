import {ArgsTableBuilder} from './args-table.js';
import {Growable} from './growable.js';
import type {CounterTrack, Flow, FlowEnd, HeaderTrack, Instant, InstantScope, ObjectTrack, SliceTrack, TimelineMetadata, TimelineModel, Track} from './model.js';
import {layoutRows, selfTimes} from './row-layout.js';
import {nextSliceFrom, sliceAt} from './slice-lookup.js';

type Event = Record<string, unknown>;

/** A thread's slices as they come, before the layout. */
type ThreadRecord = {
	pid: number;
	tid: number;
	/** Set for rows of `b`/`e` async events, which have no thread: their track's id. */
	asyncKey?: string;
	name?: string;
	sortIndex?: number;
	start: Growable<Float64Array>;
	dur: Growable<Float64Array>;
	names: Growable<Uint32Array>;
	args: Growable<Int32Array>;
	depth: Growable<Int32Array>;
	knownDepths: boolean;
	/** Open `B` events; their args stay as parsed until the `E`, whose args are merged in. */
	open: {name: number; ts: number; args: unknown}[];
	track?: number;
};

type ProcessRecord = {name?: string; sortIndex?: number; labels?: string};

type CounterRecord = {pid: number; name: string; series: Map<string, {ts: Growable<Float64Array>; values: Growable<Float64Array>}>};

type ObjectRecord = {pid: number; id: string; name: string; created: number; destroyed: number; snapshots: {ts: number; args: number}[]};

type FlowStep = {ph: string; ts: number; pid: number; tid: number; order: number; name: string; cat: string; id: string; scope: string; enclosing: boolean};

/**
 * How far (µs) a flow step may lie outside the slice it binds to. Traces
 * give `ts` and `dur` to the nanosecond, each rounded, so a step recorded
 * on the clock reading that ended its slice (an await's arrow leaves as its
 * run ends) can fall a rounding error past `ts + dur`, and would bind to the
 * slice's parent, or to nothing.
 */
const flowBindingSlack = 0.001;

const finite = (value: unknown): value is number => typeof value === 'number' && Number.isFinite(value);

const asInteger = (value: unknown): number | undefined => {
	if (typeof value === 'number' && Number.isFinite(value)) {
		return value;
	}

	if (typeof value === 'string' && /^-?\d+$/.test(value)) {
		return Number(value);
	}

	return undefined;
};

const textOf = (value: unknown, fallback: string): string => (typeof value === 'string' ? value : (typeof value === 'number' ? String(value) : fallback));

/** An event's id as the format spells it: `id`, or `id2.local` (scoped to the process) / `id2.global`. */
function idOf(event: Event): {id: string; local: boolean} | undefined {
	const {id, id2} = event;
	if (typeof id === 'string' || typeof id === 'number') {
		return {id: String(id), local: false};
	}

	if (typeof id2 === 'object' && id2 !== null) {
		const {local, global} = id2 as Record<string, unknown>;
		if (typeof local === 'string' || typeof local === 'number') {
			return {id: String(local), local: true};
		}

		if (typeof global === 'string' || typeof global === 'number') {
			return {id: String(global), local: false};
		}
	}

	return undefined;
}

const isRecord = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);

/** A B's args with its E's added (the E's win a clash). */
function mergedArgs(begin: unknown, end: unknown): unknown {
	if (!isRecord(end) || Object.keys(end).length === 0) {
		return begin;
	}

	return isRecord(begin) ? {...begin, ...end} : end;
}

/** JSON of an args value from a parsed trace (plain data: nothing of the traced program runs). */
function argsJson(value: unknown): string | undefined {
	if (value === undefined || value === null || (typeof value === 'object' && Object.keys(value).length === 0)) {
		return undefined;
	}

	try {
		return JSON.stringify(value);
	} catch {
		return undefined;
	}
}

/**
 * Builds the timeline model from a trace's events, fed in any number of
 * batches (`addEvent`), or from `.vizt` span records without an event
 * object each (`addSpan`). `finish()` lays out every track.
 */
export class TimelineModelBuilder {
	readonly #strings: string[] = [];
	readonly #stringIds = new Map<string, number>();
	readonly #threads = new Map<string, ThreadRecord>();
	readonly #processes = new Map<number, ProcessRecord>();
	readonly #counters = new Map<string, CounterRecord>();
	readonly #objects = new Map<string, ObjectRecord>();
	readonly #instants: {ts: number; name: string; scope: InstantScope; pid: number; tid: number; args: number}[] = [];
	readonly #flowSteps: FlowStep[] = [];
	readonly #args = new ArgsTableBuilder();
	readonly #asyncOpen = new Map<string, {name: number; ts: number; args: number}[]>();
	#start = Number.POSITIVE_INFINITY;
	#end = Number.NEGATIVE_INFINITY;
	#skipped = 0;
	#lastThreadKey = '';
	#lastThread: ThreadRecord | undefined;

	intern(text: string): number {
		let id = this.#stringIds.get(text);
		if (id === undefined) {
			id = this.#strings.length;
			this.#strings.push(text);
			this.#stringIds.set(text, id);
		}

		return id;
	}

	#thread(pid: number, tid: number): ThreadRecord {
		const key = `${pid}:${tid}`;
		if (key === this.#lastThreadKey) {
			return this.#lastThread!;
		}

		let thread = this.#threads.get(key);
		if (thread === undefined) {
			thread = newThread(pid, tid);
			this.#threads.set(key, thread);
			this.#process(pid);
		}

		this.#lastThreadKey = key;
		this.#lastThread = thread;
		return thread;
	}

	#process(pid: number): ProcessRecord {
		let process = this.#processes.get(pid);
		if (process === undefined) {
			process = {};
			this.#processes.set(pid, process);
		}

		return process;
	}

	#time(start: number, end: number): void {
		if (start < this.#start) {
			this.#start = start;
		}

		if (end > this.#end) {
			this.#end = end;
		}
	}

	#slice(thread: ThreadRecord, name: number, ts: number, dur: number, args: number, depth: number): void {
		thread.start.push(ts);
		thread.dur.push(dur);
		thread.names.push(name);
		thread.args.push(args);
		thread.depth.push(depth);
		if (depth < 0) {
			thread.knownDepths = false;
		}

		this.#time(ts, ts + dur);
	}

	/** A span of a `.vizt` call stack: times in µs, `depth` -1 when the file does not say. */
	addSpan(name: number, depth: number, start: number, dur: number, pid: number, tid: number): void {
		this.#slice(this.#thread(pid, tid), name, start, dur, -1, depth);
	}

	#addArgs(value: unknown): number {
		const json = argsJson(value);
		return json === undefined ? -1 : this.#args.add(json);
	}

	addEvent(event: Event): void {
		const ph = event['ph'];
		const pid = asInteger(event['pid']) ?? 0;
		const tid = asInteger(event['tid']) ?? 0;
		const ts = event['ts'];
		switch (ph) {
			case 'X': {
				if (!finite(ts)) {
					this.#skipped++;
					return;
				}

				const dur = finite(event['dur']) && event['dur'] > 0 ? event['dur'] : 0;
				this.#slice(this.#thread(pid, tid), this.intern(textOf(event['name'], '(unnamed)')), ts, dur, this.#addArgs(event['args']), -1);
				return;
			}

			case 'B': {
				if (!finite(ts)) {
					this.#skipped++;
					return;
				}

				this.#thread(pid, tid).open.push({name: this.intern(textOf(event['name'], '(unnamed)')), ts, args: event['args']});
				this.#time(ts, ts);
				return;
			}

			case 'E': {
				const thread = this.#thread(pid, tid);
				const open = thread.open.pop();
				if (open === undefined || !finite(ts)) {
					this.#skipped++;
					return;
				}

				// As in Chrome's importer, an E's args are the slice's too (a function's result is often known only then).
				this.#slice(thread, open.name, open.ts, Math.max(0, ts - open.ts), this.#addArgs(mergedArgs(open.args, event['args'])), -1);
				return;
			}

			case 'b':
			case 'e':
			case 'n': {
				this.#asyncEvent(event, ph, pid, ts);
				return;
			}

			case 'i':
			case 'I':
			case 'R': {
				if (!finite(ts)) {
					this.#skipped++;
					return;
				}

				const scope = event['s'] === 'g' || event['s'] === 'p' ? event['s'] : 't';
				this.#thread(pid, tid);
				this.#instants.push({ts, name: textOf(event['name'], '(unnamed)'), scope, pid, tid, args: this.#addArgs(event['args'])});
				this.#time(ts, ts);
				return;
			}

			case 'C': {
				this.#counter(event, pid, ts);
				return;
			}

			case 'N':
			case 'O':
			case 'D': {
				this.#object(event, ph, pid, ts);
				return;
			}

			case 's':
			case 't':
			case 'f': {
				const id = idOf(event);
				if (!finite(ts) || id === undefined) {
					this.#skipped++;
					return;
				}

				const cat = textOf(event['cat'], '');
				this.#thread(pid, tid);
				this.#flowSteps.push({
					ph, ts, pid, tid, order: this.#flowSteps.length, name: textOf(event['name'], ''), cat, id: id.id,
					// `id2.local` ids are the process's own; others are shared by every process, within a category.
					scope: id.local ? String(pid) : '',
					// The end of a flow binds to the slice that encloses it only with `bp: 'e'`; by default, to the next slice.
					enclosing: ph !== 'f' || event['bp'] === 'e',
				});
				this.#time(ts, ts);
				return;
			}

			case 'M': {
				this.#metadata(event, pid, tid);
				return;
			}

			default: {
				this.#skipped++;
			}
		}
	}

	#asyncEvent(event: Event, ph: 'b' | 'e' | 'n', pid: number, ts: unknown): void {
		const id = idOf(event);
		if (!finite(ts) || id === undefined) {
			this.#skipped++;
			return;
		}

		const cat = textOf(event['cat'], '');
		const trackKey = `${pid}:async:${cat}`;
		const key = `${trackKey}\u0000${id.id}\u0000${textOf(event['name'], '')}`;
		let thread = this.#threads.get(trackKey);
		if (thread === undefined) {
			thread = newThread(pid, 0);
			thread.asyncKey = `a${pid}:${cat}`;
			thread.name = cat === '' ? 'async events' : cat;
			this.#threads.set(trackKey, thread);
			this.#process(pid);
		}

		const name = this.intern(textOf(event['name'], '(unnamed)'));
		if (ph === 'n') {
			this.#slice(thread, name, ts, 0, this.#addArgs(event['args']), -1);
			return;
		}

		let open = this.#asyncOpen.get(key);
		if (ph === 'b') {
			if (open === undefined) {
				open = [];
				this.#asyncOpen.set(key, open);
			}

			open.push({name, ts, args: this.#addArgs(event['args'])});
			this.#time(ts, ts);
			return;
		}

		const begin = open?.pop();
		if (begin === undefined) {
			this.#skipped++;
			return;
		}

		this.#slice(thread, begin.name, begin.ts, Math.max(0, ts - begin.ts), begin.args, -1);
	}

	#counter(event: Event, pid: number, ts: unknown): void {
		const args = event['args'];
		if (!finite(ts) || typeof args !== 'object' || args === null) {
			this.#skipped++;
			return;
		}

		const id = idOf(event);
		const name = textOf(event['name'], '(counter)') + (id === undefined ? '' : ` ${id.id}`);
		const key = `${pid}\u0000${name}`;
		let counter = this.#counters.get(key);
		if (counter === undefined) {
			counter = {pid, name, series: new Map()};
			this.#counters.set(key, counter);
			this.#process(pid);
		}

		for (const [seriesName, value] of Object.entries(args as Record<string, unknown>)) {
			const number = typeof value === 'number' ? value : (typeof value === 'string' && value.trim() !== '' ? Number(value) : Number.NaN);
			if (!Number.isFinite(number)) {
				continue;
			}

			let series = counter.series.get(seriesName);
			if (series === undefined) {
				series = {ts: new Growable(Float64Array, 64), values: new Growable(Float64Array, 64)};
				counter.series.set(seriesName, series);
			}

			series.ts.push(ts);
			series.values.push(number);
		}

		this.#time(ts, ts);
	}

	#object(event: Event, ph: 'N' | 'O' | 'D', pid: number, ts: unknown): void {
		const id = idOf(event);
		if (!finite(ts) || id === undefined) {
			this.#skipped++;
			return;
		}

		const name = textOf(event['name'], '(object)');
		const key = `${pid}\u0000${id.id}\u0000${name}`;
		let object = this.#objects.get(key);
		if (object === undefined) {
			object = {pid, id: id.id, name, created: ts, destroyed: Number.NaN, snapshots: []};
			this.#objects.set(key, object);
			this.#process(pid);
		}

		if (ph === 'N') {
			object.created = Math.min(object.created, ts);
		} else if (ph === 'D') {
			object.destroyed = ts;
		} else {
			object.created = Math.min(object.created, ts);
			const args = event['args'];
			const snapshot = typeof args === 'object' && args !== null && 'snapshot' in args ? (args as Record<string, unknown>)['snapshot'] : args;
			object.snapshots.push({ts, args: this.#addArgs(snapshot)});
		}

		this.#time(ts, ts);
	}

	#metadata(event: Event, pid: number, tid: number): void {
		const args = (typeof event['args'] === 'object' && event['args'] !== null ? event['args'] : {}) as Record<string, unknown>;
		switch (event['name']) {
			case 'process_name': {
				this.#process(pid).name = textOf(args['name'], '');
				break;
			}

			case 'process_sort_index': {
				this.#process(pid).sortIndex = asInteger(args['sort_index']);
				break;
			}

			case 'process_labels': {
				this.#process(pid).labels = textOf(args['labels'], '');
				break;
			}

			case 'thread_name': {
				this.#thread(pid, tid).name = textOf(args['name'], '');
				break;
			}

			case 'thread_sort_index': {
				this.#thread(pid, tid).sortIndex = asInteger(args['sort_index']);
				break;
			}

			default:
		}
	}

	finish(options: {title: string; displayTimeUnit?: unknown; cwd?: string}): TimelineModel {
		const tracks: Track[] = [];
		// Spans left open (a B without its E) run to the end of the trace.
		for (const thread of this.#threads.values()) {
			for (let open = thread.open.pop(); open !== undefined; open = thread.open.pop()) {
				this.#slice(thread, open.name, open.ts, Math.max(0, this.#end - open.ts), this.#addArgs(open.args), -1);
			}
		}

		const hasGlobal = this.#instants.some(instant => instant.scope === 'g');
		if (hasGlobal) {
			tracks.push({id: 'g', kind: 'instant', name: 'Global instants', pid: -1} satisfies HeaderTrack);
		}

		const processes = [...this.#processes.entries()].sort(([a, left], [b, right]) => (left.sortIndex ?? 0) - (right.sortIndex ?? 0) || a - b);
		const threadsOf = new Map<number, ThreadRecord[]>();
		for (const thread of this.#threads.values()) {
			let list = threadsOf.get(thread.pid);
			if (list === undefined) {
				list = [];
				threadsOf.set(thread.pid, list);
			}

			list.push(thread);
		}

		for (const [pid, process] of processes) {
			tracks.push({id: `p${pid}`, kind: 'process', name: process.name || `Process ${pid}`, pid} satisfies HeaderTrack);
			const counters = [...this.#counters.values()].filter(counter => counter.pid === pid).sort((a, b) => (a.name < b.name ? -1 : (a.name > b.name ? 1 : 0)));
			for (const counter of counters) {
				tracks.push({
					id: `c${pid}:${counter.name}`, kind: 'counter', name: counter.name, pid,
					series: [...counter.series.entries()].map(([name, series]) => ({name, ts: series.ts.view().slice(), values: series.values.view().slice()})),
				} satisfies CounterTrack);
			}

			const objects = [...this.#objects.values()].filter(object => object.pid === pid).sort((a, b) => a.created - b.created);
			const objectIds = new Set<string>();
			for (const object of objects) {
				// Objects are told apart by id and name: a second name under an id gets the name in its track's id, so track ids stay unique.
				let id = `o${pid}:${object.id}`;
				if (objectIds.has(id)) {
					id = `${id}:${object.name}`;
				}

				objectIds.add(id);
				tracks.push({
					id, kind: 'object', name: `${object.name} ${object.id}`, pid,
					objectId: object.id, created: object.created, destroyed: object.destroyed, snapshots: object.snapshots,
				} satisfies ObjectTrack);
			}

			if (this.#instants.some(instant => instant.scope === 'p' && instant.pid === pid)) {
				tracks.push({id: `i${pid}`, kind: 'instant', name: 'Process instants', pid} satisfies HeaderTrack);
			}

			for (const thread of orderThreads(threadsOf.get(pid) ?? [])) {
				thread.track = tracks.length;
				tracks.push(this.#sliceTrack(thread));
			}
		}

		const instants: Instant[] = this.#instants.map(instant => ({
			...instant,
			track: instant.scope === 'g' ? 0 : (instant.scope === 'p' ? tracks.findIndex(track => track.id === `i${instant.pid}`) : this.#threads.get(`${instant.pid}:${instant.tid}`)!.track!),
		})).sort((a, b) => a.ts - b.ts);
		const flows = this.#flows(tracks);
		const start = Number.isFinite(this.#start) ? this.#start : 0;
		const end = Number.isFinite(this.#end) ? this.#end : start;
		const metadata: TimelineMetadata = {
			title: options.title,
			displayTimeUnit: options.displayTimeUnit === 'ns' ? 'ns' : 'ms',
			start,
			end,
			skipped: this.#skipped,
			...(options.cwd === undefined ? {} : {cwd: options.cwd}),
		};
		return {metadata, strings: this.#strings, tracks, instants, flows, args: this.#args.finish()};
	}

	#sliceTrack(thread: ThreadRecord): SliceTrack {
		const start = thread.start.view();
		const dur = thread.dur.view();
		const layout = layoutRows(start, dur, thread.knownDepths ? thread.depth.view() : undefined);
		const count = start.length;
		const sortedStart = new Float64Array(count);
		const sortedDur = new Float64Array(count);
		const sortedName = new Uint32Array(count);
		const sortedArgs = new Int32Array(count);
		const names = thread.names.view();
		const args = thread.args.view();
		const {order} = layout;
		for (let k = 0; k < count; k++) {
			const index = order[k]!;
			sortedStart[k] = start[index]!;
			sortedDur[k] = dur[index]!;
			sortedName[k] = names[index]!;
			sortedArgs[k] = args[index]!;
		}

		const kind = thread.asyncKey !== undefined ? 'async' : kindOf(thread);
		const name = thread.name || (thread.asyncKey === undefined ? `Thread ${thread.tid}` : 'async events');
		return {
			id: thread.asyncKey ?? `t${thread.pid}:${thread.tid}`,
			kind,
			name,
			pid: thread.pid,
			...(thread.asyncKey === undefined ? {tid: thread.tid} : {}),
			depthOffsets: layout.depthOffsets,
			start: sortedStart,
			dur: sortedDur,
			self: selfTimes(sortedStart, sortedDur, layout.depthOffsets),
			names: sortedName,
			args: sortedArgs,
		};
	}

	#flows(tracks: Track[]): Flow[] {
		const byKey = new Map<string, FlowStep[]>();
		for (const step of this.#flowSteps) {
			const key = `${step.cat}\u0000${step.scope}\u0000${step.id}`;
			let steps = byKey.get(key);
			if (steps === undefined) {
				steps = [];
				byKey.set(key, steps);
			}

			steps.push(step);
		}

		const phaseOrder: Record<string, number> = {s: 0, t: 1, f: 2};
		const flows: Flow[] = [];
		for (const steps of byKey.values()) {
			steps.sort((a, b) => a.ts - b.ts || phaseOrder[a.ph]! - phaseOrder[b.ph]! || a.order - b.order);
			let from: FlowEnd | undefined;
			let first: FlowStep | undefined;
			for (const step of steps) {
				if (step.ph === 's') {
					if (from !== undefined) {
						// A flow that never ended.
						this.#skipped++;
					}

					from = this.#flowEnd(tracks, step);
					first = step;
					continue;
				}

				if (from === undefined || first === undefined) {
					this.#skipped++;
					continue;
				}

				const to = this.#flowEnd(tracks, step);
				flows.push({name: first.name || step.name, cat: first.cat, id: first.id, from, to});
				from = step.ph === 'f' ? undefined : to;
				if (step.ph === 'f') {
					first = undefined;
				}
			}

			if (from !== undefined && first !== undefined && steps.at(-1)!.ph === 's') {
				this.#skipped++;
			}
		}

		return flows.sort((a, b) => a.from.ts - b.from.ts);
	}

	#flowEnd(tracks: Track[], step: FlowStep): FlowEnd {
		const trackIndex = this.#threads.get(`${step.pid}:${step.tid}`)!.track!;
		const track = tracks[trackIndex] as SliceTrack;
		let slice = sliceAt(track, step.ts, flowBindingSlack);
		if (!step.enclosing) {
			const next = nextSliceFrom(track, step.ts);
			slice = next >= 0 ? next : slice;
		}

		return {track: trackIndex, slice, ts: step.ts};
	}

}

function newThread(pid: number, tid: number): ThreadRecord {
	return {
		pid, tid,
		start: new Growable(Float64Array, 256), dur: new Growable(Float64Array, 256), names: new Growable(Uint32Array, 256),
		args: new Growable(Int32Array, 256), depth: new Growable(Int32Array, 256), knownDepths: true, open: [],
	};
}

/** GC and async rows are the tracer's extra rows of a thread (named so, with ids derived from the thread's: tid * 10000 + n). */
function kindOf(thread: ThreadRecord): 'thread' | 'async' | 'gc' {
	const name = thread.name ?? '';
	if (/^Garbage collection\b/.test(name)) {
		return 'gc';
	}

	if (/^async \d+\b/.test(name)) {
		return 'async';
	}

	return 'thread';
}

/** Threads by sort index and tid, each followed by its extra rows (GC, async). */
function orderThreads(threads: ThreadRecord[]): ThreadRecord[] {
	const tids = new Set(threads.map(thread => thread.tid));
	const ownerOf = (thread: ThreadRecord): number | undefined => {
		if (thread.asyncKey !== undefined || thread.tid < 10_000) {
			return undefined;
		}

		const owner = Math.floor(thread.tid / 10_000);
		return tids.has(owner) && kindOf(thread) !== 'thread' ? owner : undefined;
	};

	const compare = (a: ThreadRecord, b: ThreadRecord) => (a.sortIndex ?? 0) - (b.sortIndex ?? 0) || a.tid - b.tid || (a.asyncKey ?? '').localeCompare(b.asyncKey ?? '');
	const owners = threads.filter(thread => ownerOf(thread) === undefined).sort(compare);
	const extras = threads.filter(thread => ownerOf(thread) !== undefined).sort(compare);
	const ordered: ThreadRecord[] = [];
	for (const owner of owners) {
		ordered.push(owner);
		if (owner.asyncKey === undefined) {
			ordered.push(...extras.filter(extra => ownerOf(extra) === owner.tid));
		}
	}

	return ordered;
}
