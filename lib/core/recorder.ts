// core/: the recording core. The recorder (this file) keeps the stack of open
// spans and writes finished ones to the ring buffer, with the string table
// for names and the clock for times; spans and wrappers record explicit
// work; the instrumentation hook is what instrumented code calls, with repr
// for the values it records; errors, intrinsics and warnNow serve every room.
// No I/O, and it imports no other room (from Node only perf_hooks and util).

import {now} from './clock.js';
import {depthBits, EntryKind, RingBuffer, scopeShift, trackShift, type InstantScope} from './ring-buffer.js';
import {sharedStringTable, type StringTable} from './string-table.js';

const scopeBits: Record<InstantScope, number> = {t: 0, p: 1, g: 2};

// Async spans are identified by a token `serial * asyncSlotLimit + slot`, so a
// span that settles after `stop()` (whose slot was closed and maybe reused)
// is recognised as stale and ignored.
const asyncSlotLimit = 2 ** 24;

// Stack tokens (what `enter` returns) are `generation * depthLimit + depth + 1`:
// an exit carrying a token from before a `stop()`/`start()` is recognised and
// ignored, and an exit below spans left open (a callee whose exit never ran,
// e.g. the stack overflowed inside it) closes those too, so later calls are
// recorded at the right depth.
const depthLimit = 2 ** 24;

type Context = Readonly<Record<string, unknown>>;

/** `payload` (an object of ours) with the context's keys added, or the context itself when there is no payload. */
function withContext<T extends Record<string, unknown> | undefined>(payload: T, context: Context | undefined): T | Context {
	if (context === undefined) {
		return payload;
	}

	if (payload === undefined) {
		return context;
	}

	for (const key of Object.keys(context)) {
		(payload as Record<string, unknown>)[key] = context[key];
	}

	return payload;
}

export type RecorderConfig = {
	entries: number;
	/** -1: unlimited. */
	maxStackDepth: number;
	/** Microseconds. */
	minDuration: number;
	/** The ring's arrays in SharedArrayBuffers, for a writer thread to read (a streaming recording). */
	shared?: boolean;
	/**
	 * Added to every flow id written. Each thread numbers its flows from 1, and
	 * the format shares ids across a process's threads (and its processes),
	 * so a worker's ids must be kept apart from the main thread's and from
	 * the other workers', or viewers join one thread's await to another's.
	 */
	flowIdBase?: number;
};

/**
 * The recording core: an `enabled` flag, a stack of open spans and the ring
 * they are written to. It does no I/O and allocates nothing per span; every
 * producer (explicit wrappers, instrumented code, async hooks) feeds it.
 *
 * Two ways to record a span:
 * - `enter(name)` … `exit()`, for code that runs to completion (the stack
 *   keeps start times, so a span still open at `stop()` is closed then);
 * - `enter(name)` … `detachAsync()` … `closeAsync(token)`, for a call that
 *   returned a promise: its span ends when the promise settles.
 */
export class Recorder {
	enabled = false;
	/** Names are interned process-wide, so ids baked into instrumented modules stay valid across tracers. */
	readonly strings: StringTable = sharedStringTable();
	#ring: RingBuffer | undefined;
	readonly #entries: number;
	readonly #shared: boolean;
	// Spans at this depth or deeper are not recorded: `maxStackDepth`, or a
	// tighter bound while a logSparse subtree runs.
	#maxStackDepth: number;
	readonly #minDurationMs: number;

	#depth = 0;
	// `generation * depthLimit`: changes at every start().
	#generationBase = 0;
	#stackNames = new Int32Array(256);
	#stackStarts = new Float64Array(256);

	// Arguments and return values of open spans (logFuncArgs / logFuncRetval).
	// Only touched once `#withPayloads` is set, so plain spans never pay for them.
	#withPayloads = false;
	#stackPayloads: Array<Record<string, unknown> | undefined> = [];
	#asyncPayloads: Array<Record<string, unknown> | undefined> = [];

	// Extra timeline rows (GC, async work); index 0 is the thread itself.
	readonly #tracks: string[] = [''];

	// Async lifetimes are laid out on rows of their own at save time ("lanes").
	#laneTrack = 0;
	#asyncLanes = new Uint8Array(64);
	#flowIds = 0;
	readonly #flowIdBase: number;
	#awaitName = 0;

	#asyncNames = new Int32Array(64);
	#asyncStarts = new Float64Array(64);
	#asyncSerials = new Float64Array(64);
	// Free slots, as a stack in a typed array: no Array methods a program could replace.
	#asyncFree = new Int32Array(64);
	#asyncFreeCount = 0;
	#asyncUsed = 0;
	#asyncOpen = 0;
	#serial = 0;
	/** Async spans not recorded because too many were open at once. */
	droppedAsyncSpans = 0;

	// What every span and instant recorded in the current context carries in
	// its `args` (logRequests: the request being served). Read once per run
	// from the event loop (a span entered at depth 0): everything nested in
	// it shares its context, so deeper calls pay nothing.
	#contextOf: (() => Readonly<Record<string, unknown>> | undefined) | undefined;
	#context: Readonly<Record<string, unknown>> | undefined;
	#asyncContexts: Array<Readonly<Record<string, unknown>> | undefined> = [];

	// A flow arrow waiting for the run that consumes an I/O result (see
	// flowToNextRun): kept as numbers and written only once it binds, so an
	// arrow that never finds its run leaves nothing behind.
	#pendingFlowId = 0;
	#pendingFlowName = 0;
	#pendingFlowTime = 0;
	#pendingFlowTrack = 0;
	#pendingFlowHolds: (() => boolean) | undefined;
	// Whether a run entered from the event loop (depth 0) has work: a context to read, a flow to end.
	#watchesRuns = false;

	constructor(config: RecorderConfig) {
		this.#entries = config.entries;
		this.#shared = config.shared === true;
		this.#maxStackDepth = config.maxStackDepth < 0 ? Number.POSITIVE_INFINITY : config.maxStackDepth;
		this.#minDurationMs = config.minDuration / 1000;
		this.#flowIdBase = config.flowIdBase ?? 0;
	}

	/** The ring, allocated on first use so an unstarted tracer costs no memory. */
	get ring(): RingBuffer {
		this.#ring ??= new RingBuffer(this.#entries, this.#shared);
		return this.#ring;
	}

	get hasRing(): boolean {
		return this.#ring !== undefined;
	}

	get depth(): number {
		return this.#depth;
	}

	/**
	 * Where the context of what is recorded comes from (undefined: none).
	 * The source must be cheap, must not throw and returns the same frozen
	 * object for as long as the context lasts: it is shared by every entry.
	 */
	setContextSource(source: (() => Readonly<Record<string, unknown>> | undefined) | undefined): void {
		this.#contextOf = source;
		this.#context = undefined;
		this.#watchesRuns = source !== undefined || this.#pendingFlowId !== 0;
	}

	/** The context in force now (see setContextSource). */
	context(): Readonly<Record<string, unknown>> | undefined {
		return this.#depth === 0 ? this.#contextOf?.() : this.#context;
	}

	/** Adds the context in force now to `args`, an object the caller owns; returns it. */
	withContext(args: Record<string, unknown>): Record<string, unknown> {
		return withContext(args, this.context());
	}

	intern(name: string): number {
		return this.strings.intern(name);
	}

	start(): void {
		void this.ring;
		this.#depth = 0;
		this.#generationBase += depthLimit;
		this.enabled = true;
	}

	/** Stops recording; spans still open end at `stopTime`. */
	stop(stopTime = now()): void {
		// Innermost first, as spans end: a reader may rely on children coming before their parent.
		for (let depth = this.#depth - 1; depth >= 0; depth--) {
			this.#write(this.#stackNames[depth]!, this.#stackStarts[depth]!, stopTime, depth, this.#stackPayloads[depth], false, this.#context);
		}

		this.#depth = 0;
		this.#stackPayloads = [];
		this.#pendingFlowId = 0;
		this.#pendingFlowHolds = undefined;
		this.#watchesRuns = this.#contextOf !== undefined;
		for (let slot = 0; slot < this.#asyncUsed; slot++) {
			if (this.#asyncSerials[slot] !== 0) {
				this.#writeAsync(slot, stopTime);
				this.#releaseAsync(slot);
			}
		}

		this.enabled = false;
	}

	clear(): void {
		this.#ring?.clear();
		this.droppedAsyncSpans = 0;
	}

	/**
	 * Opens a span. Call only while `enabled`; pair with `exit()`,
	 * `exitTo(token)` or `detachAsync()`. Returns the span's stack token.
	 * Nothing changes until the last statement, so a stack overflow thrown
	 * anywhere inside leaves the stack as it was.
	 */
	enter(name: number): number {
		const start = now();
		const depth = this.#depth;
		if (depth === this.#stackNames.length) {
			this.#growStack();
		}

		if (depth === 0 && this.#watchesRuns) {
			this.#runStarts(start);
		}

		this.#stackNames[depth] = name;
		this.#stackStarts[depth] = start;
		this.#depth = depth + 1;
		return this.#generationBase + depth + 1;
	}

	/** What a run entered from the event loop picks up: the context in force, and the flow arrow waiting for it. */
	#runStarts(start: number): void {
		if (this.#contextOf !== undefined) {
			this.#context = this.#contextOf();
		}

		const id = this.#pendingFlowId;
		if (id === 0) {
			return;
		}

		this.#pendingFlowId = 0;
		this.#watchesRuns = this.#contextOf !== undefined;
		const holds = this.#pendingFlowHolds;
		this.#pendingFlowHolds = undefined;
		if (holds?.() === true) {
			this.ring.push(this.#pendingFlowName, this.#pendingFlowTime, this.#flowIdBase + id, EntryKind.flowStart | (this.#pendingFlowTrack << trackShift));
			this.ring.push(this.#pendingFlowName, start, this.#flowIdBase + id, EntryKind.flowEnd);
		}
	}

	/**
	 * A flow arrow from `time` on row `track` (the end of an I/O span) to the
	 * next run entered from the event loop, if `holds()` is still true then
	 * (the runtime's test that the run is the callback the I/O's event is
	 * calling: the same async execution). A run for which it is false drops
	 * the arrow, and so does a later call: one arrow waits at a time. Costs
	 * recording nothing else: runs already check for the context there.
	 */
	flowToNextRun(name: number, id: number, time: number, track: number, holds: () => boolean): void {
		if (!this.enabled) {
			return;
		}

		this.#pendingFlowId = id;
		this.#pendingFlowName = name;
		this.#pendingFlowTime = time;
		this.#pendingFlowTrack = track;
		this.#pendingFlowHolds = holds;
		this.#watchesRuns = true;
	}

	/**
	 * Closes the span `token` (from `enter`) and any left open above it. A
	 * token from an earlier start, or for a span already closed, is ignored.
	 */
	exitTo(token: number): void {
		const end = now();
		if (!this.enabled) {
			return;
		}

		if (token !== this.#generationBase + this.#depth) {
			const depth = token - this.#generationBase - 1;
			if (depth < 0 || depth >= this.#depth) {
				return;
			}

			this.#closeAbove(depth + 1, end);
		}

		this.exitAt(end);
	}

	/** Ends every open span at `depth` or deeper at `end`. */
	#closeAbove(depth: number, end: number): void {
		while (this.#depth > depth) {
			this.exitAt(end);
		}
	}

	/** Closes the innermost open span. A no-op when stopped (open spans were closed by `stop()`). */
	exit(): void {
		this.exitAt(now());
	}

	/** `exit()` at a time the caller read. */
	exitAt(end: number): void {
		if (!this.enabled || this.#depth === 0) {
			return;
		}

		const depth = --this.#depth;
		if (this.#withPayloads) {
			const payload = this.#stackPayloads[depth];
			this.#stackPayloads[depth] = undefined;
			this.#write(this.#stackNames[depth]!, this.#stackStarts[depth]!, end, depth, payload, false, this.#context);
			return;
		}

		this.#write(this.#stackNames[depth]!, this.#stackStarts[depth]!, end, depth, undefined, false, this.#context);
	}

	/** `enter()` with a payload (the call's arguments) that lands in the span's `args`. */
	enterWithPayload(name: number, payload: Record<string, unknown>): number {
		this.#withPayloads = true;
		this.#stackPayloads[this.#depth] = payload;
		return this.enter(name);
	}

	/** Adds `key: value` to the innermost open span's `args`. */
	annotate(key: string, value: unknown): void {
		const depth = this.#depth - 1;
		if (!this.enabled || depth < 0) {
			return;
		}

		this.#withPayloads = true;
		(this.#stackPayloads[depth] ??= {})[key] = value;
	}

	/** `openAsync()` with a payload. */
	openAsyncWithPayload(name: number, payload: Record<string, unknown>): number {
		const token = this.openAsync(name);
		if (token > 0) {
			this.#asyncPayloads[token % asyncSlotLimit] = payload;
		}

		return token;
	}

	/** Adds `key: value` to the `args` of the async span `token`. */
	annotateAsync(token: number, key: string, value: unknown): void {
		const slot = token % asyncSlotLimit;
		if (token <= 0 || !this.enabled || this.#asyncSerials[slot] !== Math.floor(token / asyncSlotLimit)) {
			return;
		}

		(this.#asyncPayloads[slot] ??= {})[key] = value;
	}

	/**
	 * Moves the innermost open span off the stack, to be closed later by
	 * `closeAsync(token)`; returns the token, or -1 when nothing was open.
	 */
	detachAsync(): number {
		if (!this.enabled || this.#depth === 0) {
			return -1;
		}

		const depth = --this.#depth;
		if (depth >= this.#maxStackDepth) {
			return -1;
		}

		const slot = this.#asyncFreeCount > 0 ? this.#asyncFree[--this.#asyncFreeCount]! : this.#allocateAsyncSlot();
		if (slot < 0) {
			return -1;
		}

		const serial = ++this.#serial;
		this.#asyncNames[slot] = this.#stackNames[depth]!;
		this.#asyncStarts[slot] = this.#stackStarts[depth]!;
		if (this.#withPayloads) {
			this.#asyncPayloads[slot] = this.#stackPayloads[depth];
			this.#stackPayloads[depth] = undefined;
		}

		this.#asyncSerials[slot] = serial;
		this.#asyncContexts[slot] = this.#context;
		this.#asyncOpen++;
		return (serial * asyncSlotLimit) + slot;
	}

	/**
	 * Opens a span that is not on the call stack (an async call, a generator
	 * resumption): returns a token for `closeAsync`, or 0 when not recorded.
	 */
	openAsync(name: number): number {
		if (!this.enabled || this.#depth >= this.#maxStackDepth) {
			return 0;
		}

		const start = now();
		const slot = this.#asyncFreeCount > 0 ? this.#asyncFree[--this.#asyncFreeCount]! : this.#allocateAsyncSlot();
		if (slot < 0) {
			return 0;
		}

		const serial = ++this.#serial;
		this.#asyncNames[slot] = name;
		this.#asyncStarts[slot] = start;
		this.#asyncSerials[slot] = serial;
		this.#asyncContexts[slot] = this.#contextOf === undefined ? undefined : this.context();
		this.#asyncOpen++;
		return (serial * asyncSlotLimit) + slot;
	}

	/** `openAsync()` for an async function's lifetime, which is written to an async row, not the thread's. */
	openLane(name: number, payload?: Record<string, unknown>): number {
		const token = payload === undefined ? this.openAsync(name) : this.openAsyncWithPayload(name, payload);
		if (token > 0) {
			this.#laneTrack ||= this.track('async');
			this.#asyncLanes[token % asyncSlotLimit] = 1;
		}

		return token;
	}

	/** The row async lifetimes are written to (0 until the first one). */
	get laneTrack(): number {
		return this.#laneTrack;
	}

	/** Records, on an async row, how long an async resource waited between being scheduled and running. */
	lane(name: number, start: number, end: number): void {
		this.#laneTrack ||= this.track('async');
		this.complete(name, start, end, this.#laneTrack);
	}

	/** Records one end of a flow arrow with a caller-chosen id, named `name`, at `time`. */
	flow(kind: typeof EntryKind.flowStart | typeof EntryKind.flowEnd, name: number, id: number, time = now()): void {
		if (this.enabled) {
			this.ring.push(name, time, this.#flowIdBase + id, kind);
		}
	}

	/**
	 * An `await`: ends the run `token` (from `enter`/`resumeWithFlow`) and
	 * starts a flow arrow there, on one clock reading. Returns the flow's id
	 * for `resumeWithFlow`, or 0. A run that is no longer open (closed by a
	 * `stop()`) ends nothing: another function's run is never ended for it.
	 */
	pauseWithFlow(token: number): number {
		const time = now();
		const depth = token - this.#generationBase - 1;
		if (!this.enabled || depth < 0 || depth >= this.#depth) {
			return 0;
		}

		const id = ++this.#flowIds;
		this.#awaitName ||= this.intern('await');
		this.ring.push(this.#awaitName, time, this.#flowIdBase + id, EntryKind.flowStart);
		this.#closeAbove(depth, time);
		return id;
	}

	/** The resumption after an `await`: enters a span and ends flow `flowId` there, on one clock reading; returns the run's token. */
	resumeWithFlow(name: number, flowId: number): number {
		const token = this.enter(name);
		if (flowId > 0) {
			this.#awaitName ||= this.intern('await');
			this.ring.push(this.#awaitName, this.#stackStarts[this.#depth - 1]!, this.#flowIdBase + flowId, EntryKind.flowEnd);
		}

		return token;
	}

	/** Ends flow `flowId` now, inside whatever span is open. */
	flowEndNow(flowId: number): void {
		if (this.enabled && flowId > 0) {
			this.#awaitName ||= this.intern('await');
			this.ring.push(this.#awaitName, now(), this.#flowIdBase + flowId, EntryKind.flowEnd);
		}
	}

	closeAsync(token: number): void {
		const end = now();
		if (token <= 0 || !this.enabled) {
			return;
		}

		const slot = token % asyncSlotLimit;
		if (this.#asyncSerials[slot] !== Math.floor(token / asyncSlotLimit)) {
			return;
		}

		this.#writeAsync(slot, end);
		this.#releaseAsync(slot);
	}

	#writeAsync(slot: number, end: number): void {
		const context = this.#asyncContexts[slot];
		if (this.#asyncLanes[slot] === 0) {
			this.#write(this.#asyncNames[slot]!, this.#asyncStarts[slot]!, end, 0, this.#asyncPayloads[slot], true, context);
		} else {
			this.complete(this.#asyncNames[slot]!, this.#asyncStarts[slot]!, end, this.#laneTrack, withContext(this.#asyncPayloads[slot], context));
		}
	}

	/**
	 * Limits recording to `levels` more levels below the current depth (a
	 * logSparse subtree); returns the previous bound, for `restoreDepthLimit`.
	 */
	limitDepth(levels: number): number {
		const previous = this.#maxStackDepth;
		this.#maxStackDepth = Math.min(previous, this.#depth + levels);
		return previous;
	}

	restoreDepthLimit(previous: number): void {
		this.#maxStackDepth = previous;
	}

	/** Stops recording for a while (an ignored function's subtree); returns whether it was recording, for `resume`. */
	suspend(): boolean {
		const wasEnabled = this.enabled;
		this.enabled = false;
		return wasEnabled;
	}

	resume(wasEnabled: boolean): void {
		this.enabled = wasEnabled;
	}

	/** The id of the timeline row called `name`, created on first use. */
	track(name: string): number {
		let track = this.#tracks.indexOf(name);
		if (track === -1) {
			track = this.#tracks.push(name) - 1;
		}

		return track;
	}

	/** Names of the timeline rows, by id. */
	get tracks(): readonly string[] {
		return this.#tracks;
	}

	/** Records a span the caller measured, on a given row, with optional args; not bound by the call stack. */
	complete(name: number, start: number, end: number, track: number, payload?: Record<string, unknown>): void {
		if (!this.enabled || end - start < this.#minDurationMs) {
			return;
		}

		const meta = EntryKind.span | (track << trackShift);
		if (payload === undefined) {
			this.ring.push(name, start, end, meta);
		} else {
			this.ring.pushWithPayload(name, start, end, meta, payload);
		}
	}

	/** Records a complete span whose times the caller measured. */
	span(name: number, start: number, end: number): void {
		if (this.enabled) {
			this.#write(name, start, end, this.#depth, undefined, false, this.#contextOf === undefined ? undefined : this.context());
		}
	}

	instant(name: number, args: unknown, scope: InstantScope, time = now()): void {
		const meta = EntryKind.instant | (scopeBits[scope] << scopeShift);
		// Arguments a caller passed are left as they are: they may be the program's own object.
		args ??= this.#contextOf === undefined ? undefined : this.context();
		if (args === undefined) {
			this.ring.push(name, time, 0, meta);
		} else {
			this.ring.pushWithPayload(name, time, 0, meta, args);
		}
	}

	counter(name: number, values: Record<string, number>, time = now()): void {
		this.ring.pushWithPayload(name, time, 0, EntryKind.counter, values);
	}

	object(kind: typeof EntryKind.objectNew | typeof EntryKind.objectSnapshot | typeof EntryKind.objectDelete, name: number, id: number, snapshot?: unknown, time = now()): void {
		if (snapshot === undefined) {
			this.ring.push(name, time, id, kind);
		} else {
			this.ring.pushWithPayload(name, time, id, kind, snapshot);
		}
	}

	/** Writes a span of the call stack at `depth` (a detached async span: pass `offStack`). */
	#write(name: number, start: number, end: number, depth: number, payload?: Record<string, unknown>, offStack = false, context?: Readonly<Record<string, unknown>>): void {
		if (depth >= this.#maxStackDepth || end - start < this.#minDurationMs) {
			return;
		}

		if (context !== undefined) {
			payload = withContext(payload, context);
		}

		const meta = offStack ? EntryKind.span : EntryKind.span | depthBits(depth);
		if (payload === undefined) {
			this.#ring!.push(name, start, end, meta);
		} else {
			this.#ring!.pushWithPayload(name, start, end, meta, payload);
		}
	}

	#growStack(): void {
		const names = new Int32Array(this.#stackNames.length * 2);
		names.set(this.#stackNames);
		const starts = new Float64Array(this.#stackStarts.length * 2);
		starts.set(this.#stackStarts);
		this.#stackNames = names;
		this.#stackStarts = starts;
	}

	/** A fresh slot, or -1 when `asyncSlotLimit` spans are open: the span is then dropped and counted, never thrown about in the traced program. */
	#allocateAsyncSlot(): number {
		if (this.#asyncUsed === asyncSlotLimit) {
			this.droppedAsyncSpans++;
			return -1;
		}

		const slot = this.#asyncUsed++;
		if (slot === this.#asyncNames.length) {
			const size = Math.min(slot * 2, asyncSlotLimit);

			const names = new Int32Array(size);
			names.set(this.#asyncNames);
			const starts = new Float64Array(size);
			starts.set(this.#asyncStarts);
			const serials = new Float64Array(size);
			serials.set(this.#asyncSerials);
			const lanes = new Uint8Array(size);
			lanes.set(this.#asyncLanes);
			this.#asyncLanes = lanes;
			this.#asyncNames = names;
			this.#asyncStarts = starts;
			this.#asyncSerials = serials;
		}

		return slot;
	}

	#releaseAsync(slot: number): void {
		this.#asyncSerials[slot] = 0;
		this.#asyncLanes[slot] = 0;
		this.#asyncPayloads[slot] = undefined;
		this.#asyncContexts[slot] = undefined;
		if (this.#asyncFreeCount === this.#asyncFree.length) {
			const free = new Int32Array(this.#asyncFree.length * 2);
			free.set(this.#asyncFree);
			this.#asyncFree = free;
		}

		this.#asyncFree[this.#asyncFreeCount++] = slot;
		this.#asyncOpen--;
	}

	get openAsyncSpans(): number {
		return this.#asyncOpen;
	}
}
