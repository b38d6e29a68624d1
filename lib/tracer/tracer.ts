// tracer/: VizTracer and its lifecycle (start, stop, save, clear, terminate),
// its options and the process's current tracer. It wires the core's recorder
// to the plugins, the runtime observers and the trace file (an `.html` one
// in the viewer's page); it imports those rooms and the core, never the rooms
// above it (events, instrument, launch, integrations, cli).

import {existsSync} from 'node:fs';
import path from 'node:path';
import {inspect} from 'node:util';
import workerThreads, {isMainThread, threadId} from 'node:worker_threads';
import {EventEmitter} from 'eventemitter3';
import {currentTracer, setCurrentTracer} from './current-tracer.js';
import {describeValue, VizPluginError, VizTracerArgumentError, VizTracerOptionRangeError, VizTracerSaveError, VizTracerStateError, VizTracerUnwritableTraceError} from '../core/errors.js';
import {isOutputName, outputNames, resolveOptions, type ResolvedOptions, type VizTracerOptions} from './options.js';
import {traceAsyncResources} from '../runtime/async-resource-flows.js';
import {observeGc} from '../runtime/gc-observer.js';
import {capturePrints} from '../runtime/print-capture.js';
import {recordRequests} from '../runtime/request-spans.js';
import {recordOutgoing} from '../runtime/outgoing-spans.js';
import {installedHook} from '../core/instrumentation-hook.js';
import {withIntrinsics} from '../core/intrinsics.js';
import {PluginManager, runHandler, type HandlerRun} from '../plugins/plugin-manager.js';
import type {VizPlugin} from '../plugins/plugin.js';
import {Recorder} from '../core/recorder.js';
import {now} from '../core/clock.js';
import {EntryKind, type InstantScope} from '../core/ring-buffer.js';
import {inactiveSpan, openSpan, type Span} from '../core/span.js';
import {assembleTraceData, emptyView, entriesSince, recordingOf, recordingsIn, snapshotOf, viewOf, type EntriesView, type ProcessInfo, type StreamedEvents} from '../trace-file/trace-data.js';
import {RingStreamer, streamFileFor, streamRingEntries, streamRingEntriesWithArgs} from '../trace-file/ring-streamer.js';
import {TraceFileReader} from '../trace-file/read-trace-sync.js';
import type {TraceData} from '../trace-file/trace-event.js';
import {withPidSuffix, writeTraceAsync, writeTraceSync} from '../trace-file/write-trace.js';
import {envelopeFor} from '../viewer/html-trace-writer.js';
import {browserTraceLimitBytes, formatMegabytes, jsonSizeOf} from '../viewer/trace-size.js';
import {tailJson, unwritableReason} from '../trace-file/trace-serializer.js';
import {warnNow} from '../core/warn-now.js';

/** The tracer that is started right now, if any, so libraries can add events without holding a reference. */
export function getTracer(): VizTracer | undefined {
	return currentTracer() as VizTracer | undefined;
}
import {wrapFunction} from '../core/wrap.js';

/** Events a `VizTracer` emits, with their arguments. */
export type VizTracerEvents = {
	/** A plugin was registered (during construction). */
	initialize: [plugin: VizPlugin];
	'pre-start': [];
	'post-stop': [];
	/** The trace is assembled and about to be written; listeners may change it in place. */
	'pre-save': [data: TraceData];
	terminate: [];
};

type State = 'idle' | 'running' | 'terminated';

type PreparedSave = {file: string; data: TraceData; view: EntriesView; streamed: StreamedEvents | undefined; handlers: HandlerRun[]};

/** What a save writes: the ring's entries, after those a streaming recording put on disk. */
type Collected = {view: EntriesView; streamed: StreamedEvents | undefined};

/** `data.viztracer_metadata`, whatever a plugin made of it (a getter that throws, even). */
function readMetadata(data: TraceData): unknown {
	try {
		return data.viztracer_metadata;
	} catch {
		return undefined;
	}
}

/** The size of a saved trace's JSON (gzip: uncompressed), or 0 when it cannot be read. */
function jsonSizeOrZero(file: string): number {
	try {
		return jsonSizeOf(file);
	} catch {
		return 0;
	}
}

/**
 * Where a worker's flow ids start: a thread's own ids stay below 2^43 (awaits
 * count from 1, async resources from 2^40, I/O arrows from 2^42), so each
 * worker gets a block of its own above the main thread's. Past 1023 workers
 * the blocks come round again (ids stay exact below 2^53): only workers
 * 1023 apart in start order can share ids.
 */
function workerFlowIdBase(): number {
	return isMainThread ? 0 : (((threadId - 1) % 1023) + 1) * 2 ** 43;
}

// What a span takes in Chrome JSON, about: for choosing the default output's format before writing it.
const jsonBytesPerEntry = 100;

/**
 * A worker's row: the name its creator gave it (`new Worker(file, {name})`,
 * which Node 22+ hands the worker as `threadName`) with its thread id, or
 * `Worker <id>` for one left unnamed ("WorkerThread") or on Node 20.
 */
function workerName(): string {
	const name = (workerThreads as {threadName?: unknown}).threadName;
	return typeof name === 'string' && name !== '' && name !== 'WorkerThread' ? `${name} (Worker ${threadId})` : `Worker ${threadId}`;
}

// Waits for the trace writer shorter than this in all are not worth a line (it boots in a few tens of ms).
const reportedWaitMillis = 250;

/** Key under which other parts of viztracer reach a tracer's recorder; not part of the public API. */
export const recorderKey = Symbol.for('viztracer.recorder');

// Object ids, like flow ids, are shared by a process's threads in the trace:
// each worker numbers its objects in a block of 2^32 of its own.
let nextObjectId = isMainThread ? 1 : (threadId * 2 ** 32) + 1;

/**
 * Records a timeline of spans and custom events and saves it as a Chrome
 * Trace Event file. The Node counterpart of Python's `VizTracer`:
 *
 * ```ts
 * using tracer = new VizTracer({ outputFile: 'trace.json' }).start()
 * // … traced code; leaving the block stops, saves and terminates.
 * ```
 */
export class VizTracer extends EventEmitter<VizTracerEvents> {
	/** The validated options, with defaults filled in. */
	readonly options: Readonly<ResolvedOptions>;
	readonly #recorder: Recorder;
	// Set on the first start of an unbounded tracer: it streams the ring to disk once it fills.
	#streamer: RingStreamer | undefined;
	readonly #plugins = new PluginManager();
	// No outputFile given: a run too long for JSON viewers is saved as .vizt instead.
	readonly #defaultOutput: boolean;
	#state: State = 'idle';
	// What stops each runtime observer started with the recording, in the order they started.
	#observers: Array<() => void> = [];

	constructor(options: VizTracerOptions = {}) {
		super();
		this.options = Object.freeze(resolveOptions(options));
		this.#defaultOutput = (options as {outputFile?: unknown} | undefined)?.outputFile === undefined;
		this.#recorder = new Recorder({
			entries: this.options.tracerEntries ?? (this.options.logFuncArgs || this.options.logFuncRetval ? streamRingEntriesWithArgs : streamRingEntries),
			maxStackDepth: this.options.maxStackDepth,
			minDuration: this.options.minDuration,
			shared: this.#streams(),
			flowIdBase: workerFlowIdBase(),
		});
		try {
			for (const spec of this.options.plugins) {
				const plugin = this.#plugins.register(spec, () => this.data);
				this.emit('initialize', plugin);
			}
		} catch (error) {
			// The plugins registered before the failing one were initialised; they
			// are owed the terminate command, or they may leave work unfinished.
			try {
				this.#plugins.terminate();
			} catch {}

			throw error;
		}
	}

	/** Whether the tracer is recording now. */
	get enabled(): boolean {
		return this.#recorder.enabled;
	}

	/** The plugins registered with this tracer, in order. */
	get plugins(): VizPlugin[] {
		return this.#plugins.plugins;
	}

	/** The trace as it would be saved now (what `handle_data` handlers receive). */
	get data(): TraceData {
		return withIntrinsics(() => {
			const {view, streamed} = this.#collect();
			return this.#assemble(view, streamed);
		});
	}

	get [recorderKey](): Recorder {
		return this.#recorder;
	}

	/** Starts recording. Returns the tracer, so `using tracer = new VizTracer().start()` works. */
	start(): this {
		this.#assertNotTerminated('start');
		if (this.#state === 'running') {
			throw new VizTracerStateError('start() was called on a tracer that is already started; call stop() first');
		}

		const current = currentTracer();
		if (current !== undefined && current !== this) {
			throw new VizTracerStateError('start() was called while another VizTracer is started; only one tracer records at a time (stop the other, or use getTracer() to reach it)');
		}

		this.#plugins.event('pre-start', () => this.data);
		this.emit('pre-start');
		this.#recorder.start();
		if (this.#streams() && this.#streamer === undefined) {
			this.#streamer = this.#startStreamer();
		}

		installedHook()?.attach(this.#recorder, !this.options.logSparse);
		const observe = (stop: (() => void) | undefined) => {
			if (stop !== undefined) {
				this.#observers.push(stop);
			}
		};

		if (this.options.logGc) {
			observe(observeGc(this.#recorder));
		}

		if (this.options.logPrint) {
			observe(capturePrints(this.#recorder));
		}

		if (this.options.logRequests) {
			observe(recordRequests(this.#recorder));
		}

		if (this.options.logRequests || this.options.traceChannels.length > 0) {
			observe(recordOutgoing(this.#recorder, {builtins: this.options.logRequests, channels: this.options.traceChannels}));
		}

		if (this.options.logAsync) {
			observe(traceAsyncResources(this.#recorder, {trackingPromises: this.options.logAsync === 'all'}));
		}

		this.#state = 'running';
		setCurrentTracer(this);
		return this;
	}

	/** Stops recording. Spans still open end at the stop time. */
	stop(): void {
		withIntrinsics(() => {
			if (this.#state !== 'running') {
				throw new VizTracerStateError(this.#state === 'terminated' ? 'stop() was called on a terminated tracer' : 'stop() was called on a tracer that is not started; call start() first');
			}

			this.#stopRecording();
			this.#state = 'idle';
			if (currentTracer() === this) {
				setCurrentTracer(undefined);
			}

			this.#plugins.event('post-stop', () => this.data);
			this.emit('post-stop');
		});
	}

	/**
	 * Writes the trace and returns the path written. Plugins get `pre-save`
	 * with the assembled trace first; a plugin that throws makes `save()`
	 * throw without writing, and the recorded data stays for a later save.
	 */
	save(outputFile?: string): string {
		return withIntrinsics(() => {
			const prepared = this.#prepareSave(outputFile, this.#collect());
			this.#writeSync(prepared);
			this.#report(prepared.file, prepared.data);
			return prepared.file;
		});
	}

	/** Like `save()`, but streams the file without blocking the event loop. The entries are copied first, so tracing may go on meanwhile. */
	async saveAsync(outputFile?: string): Promise<string> {
		const streamed = this.#flushStreamer();
		const prepared = this.#prepareSave(outputFile, {view: this.#recorder.hasRing ? snapshotOf(this.#recorder.ring, this.#recorder.strings, this.#recorder.tracks) : emptyView(this.#recorder.strings, this.#recorder.tracks), streamed});
		await this.#writeAsync(prepared);

		this.#report(prepared.file, prepared.data);
		return prepared.file;
	}

	/**
	 * Writes what is recorded so far and goes on recording: with the flight
	 * recorder on (`flightRecorder`), the entries of its last seconds, else all
	 * of them. The file is the output file with `.dump-<UTC time>` before its
	 * extension (`result.dump-20261202T081500123Z.json`); `reason` names it
	 * instead of `dump` (`crash` and `signal` are the launcher's). Spans still
	 * open, those of the functions on the stack, are not in it. Returns the path.
	 */
	dump(reason: 'dump' | 'crash' | 'signal' = 'dump'): string {
		return withIntrinsics(() => {
			if (!['dump', 'crash', 'signal'].includes(reason)) {
				throw new VizTracerArgumentError(`dump() expects reason 'dump', 'crash' or 'signal', got ${describeValue(reason)}`);
			}

			const seconds = this.options.flightRecorder;
			const recorded = this.#view();
			const view = seconds === undefined ? recorded : entriesSince(recorded, now() - (seconds * 1000));
			const prepared = this.#prepareSave(this.#dumpName(reason), {view, streamed: seconds === undefined ? this.#flushStreamer() : undefined});
			this.#writeSync(prepared);
			this.#report(prepared.file, prepared.data);
			return prepared.file;
		});
	}

	#dumpName(reason: string): string {
		const output = this.#outputPath(undefined);
		const extension = /\.json\.gz$|\.[^.]+$/.exec(output)?.[0] ?? '';
		const stamp = new Date().toISOString().replaceAll(/[-:.]/g, '');
		const base = `${output.slice(0, output.length - extension.length)}.${reason}-${stamp}`;
		let file = `${base}${extension}`;
		for (let copy = 2; existsSync(file); copy++) {
			file = `${base}-${copy}${extension}`;
		}

		return file;
	}

	/** Whether the recording streams to disk past the ring (unbounded, and no flight recorder). */
	#streams(): boolean {
		return this.options.tracerEntries === undefined && this.options.flightRecorder === undefined;
	}

	/** Drops everything recorded so far. */
	clear(): void {
		this.#recorder.clear();
		this.#streamer?.clear();
	}

	/**
	 * Ends the tracer's life: stops it if it is running and sends plugins the
	 * terminate command, which each must acknowledge. A second call does nothing.
	 */
	terminate(): void {
		withIntrinsics(() => {
			if (this.#state === 'terminated') {
				return;
			}

			if (this.#state === 'running') {
				this.#stopRecording();
				if (currentTracer() === this) {
					setCurrentTracer(undefined);
				}
			}

			this.#state = 'terminated';
			try {
				this.#streamer?.close();
				this.#plugins.terminate();
			} finally {
				this.emit('terminate');
			}
		});
	}

	/** `stop()` (when running), `save()` and `terminate()`: what leaving a `using` block does. */
	[Symbol.dispose](): void {
		withIntrinsics(() => {
			const errors: unknown[] = [];
			if (this.#state === 'running') {
				attempt(errors, () => {
					this.stop();
				});
			}

			if (this.#state !== 'terminated') {
				attempt(errors, () => this.#saveEvenIfPluginsFail());
			}

			attempt(errors, () => {
				this.terminate();
			});
			rethrowFirst(errors);
		});
	}

	/** The `await using` form: saves with `saveAsync()`. */
	async [Symbol.asyncDispose](): Promise<void> {
		const errors: unknown[] = [];
		if (this.#state === 'running') {
			attempt(errors, () => {
				this.stop();
			});
		}

		if (this.#state !== 'terminated') {
			try {
				await this.saveAsync();
			} catch (error) {
				errors.push(error);
				if (error instanceof VizPluginError) {
					attempt(errors, () => this.#saveWithoutPlugins());
				}
			}
		}

		attempt(errors, () => {
			this.terminate();
		});
		rethrowFirst(errors);
	}

	/**
	 * Wraps `fn` so each call records a span named `name` (default: the
	 * function's name). `this`, arguments, the return value, exceptions and
	 * `new` behave as with `fn`; an async call's span ends when it settles.
	 */
	wrap<F extends (...args: never[]) => unknown>(fn: F, name?: string): F {
		if (typeof fn !== 'function') {
			throw new VizTracerArgumentError(`wrap() expects a function, got ${describeValue(fn)}`);
		}

		return wrapFunction(this.#recorder, fn, name ?? (fn.name || '<anonymous>'));
	}

	/** Opens a span for a block: `using span = tracer.logEvent('load config')`. */
	logEvent(name: string): Span {
		if (!this.#recorder.enabled) {
			return inactiveSpan;
		}

		return openSpan(this.#recorder, String(name));
	}

	/** Records an instant event (`ph: 'i'`). `scope`: `'t'` thread (default), `'p'` process, `'g'` global. */
	logInstant(name: string, args?: Record<string, unknown>, scope: InstantScope = 't'): void {
		if (scope !== 't' && scope !== 'p' && scope !== 'g') {
			throw new VizTracerArgumentError(`logInstant() expects scope 't', 'p' or 'g', got ${describeValue(scope)}`);
		}

		if (args !== undefined && (typeof args !== 'object' || args === null || Array.isArray(args))) {
			throw new VizTracerArgumentError(`logInstant() expects args to be an object, got ${describeValue(args)}`);
		}

		if (this.#recorder.enabled) {
			this.#recorder.instant(this.#recorder.intern(String(name)), args, scope);
		}
	}

	/** Records a variable: a counter for a number, an instant event with its repr otherwise. */
	logVar(name: string, value: unknown): void {
		if (!this.#recorder.enabled) {
			return;
		}

		if (typeof value === 'number') {
			this.#recorder.counter(this.#recorder.intern(String(name)), {[name]: value});
		} else {
			this.#recorder.instant(this.#recorder.intern(String(name)), {object: reprOf(value)}, 't');
		}
	}

	/** Records a counter sample (`ph: 'C'`), one series per key. */
	logCounter(name: string, values: Record<string, number>): void {
		if (typeof values !== 'object' || values === null) {
			throw new VizTracerArgumentError(`logCounter() expects an object of numbers, got ${describeValue(values)}`);
		}

		for (const [key, value] of Object.entries(values)) {
			if (typeof value !== 'number') {
				throw new VizTracerArgumentError(`logCounter() expects numeric values, but \`${key}\` is ${describeValue(value)}`);
			}
		}

		if (this.#recorder.enabled) {
			this.#recorder.counter(this.#recorder.intern(String(name)), {...values});
		}
	}

	/** Records an object event; used by `VizObject`. */
	logObject(phase: 'N' | 'O' | 'D', name: string, id: number, snapshot?: Record<string, unknown>): void {
		if (!this.#recorder.enabled) {
			return;
		}

		const kind = phase === 'N' ? EntryKind.objectNew : (phase === 'O' ? EntryKind.objectSnapshot : EntryKind.objectDelete);
		this.#recorder.object(kind, this.#recorder.intern(String(name)), id, snapshot);
	}

	/** A fresh id for an object tracked with object events. */
	static nextObjectId(): number {
		return nextObjectId++;
	}

	#stopRecording(): void {
		// Pending GC entries are taken while recording is still on.
		const observers = this.#observers;
		this.#observers = [];
		for (const stop of observers) {
			stop();
		}

		this.#recorder.stop();
		installedHook()?.detach(this.#recorder);
	}

	#view(): EntriesView {
		return this.#recorder.hasRing ? viewOf(this.#recorder.ring, this.#recorder.strings, this.#recorder.tracks) : emptyView(this.#recorder.strings, this.#recorder.tracks);
	}

	/** Everything recorded: a streaming recording's file is brought up to date first. */
	#collect(): Collected {
		const streamed = this.#flushStreamer();
		return {view: this.#view(), streamed};
	}

	#flushStreamer(): StreamedEvents | undefined {
		const flushed = this.#streamer?.flush();
		if (flushed === undefined) {
			return undefined;
		}

		return {
			...flushed,
			open(json) {
				const reader = new TraceFileReader(flushed.file, {end: flushed.bytes, viztJson: json, spanDepths: !json});
				return {
					json,
					nextBatch: () => reader.nextBatch(),
					close() {
						reader.close();
					},
				};
			},
		};
	}

	#startStreamer(): RingStreamer {
		const info = this.#processInfo();
		const metadata = assembleTraceData(emptyView(this.#recorder.strings), info, false);
		return new RingStreamer(this.#recorder.ring, this.#recorder.strings, () => this.#recorder.tracks, {
			file: streamFileFor(this.#outputPath(undefined), process.pid, threadId),
			info,
			metadataJson: `{${tailJson(metadata).slice(1)}}`,
		});
	}

	#processInfo(): ProcessInfo {
		const {pid} = process;
		const script = process.argv[1];
		return {
			pid,
			tid: isMainThread ? pid : (pid * 1000) + threadId,
			processName: this.options.processName ?? (script ? path.basename(script) : 'node'),
			threadName: isMainThread ? 'MainThread' : workerName(),
			isMainThread,
		};
	}

	#outputPath(outputFile: string | undefined): string {
		let file = this.options.outputFile;
		if (outputFile !== undefined) {
			if (typeof outputFile !== 'string' || !isOutputName(outputFile)) {
				throw new VizTracerOptionRangeError('outputFile', outputFile, outputNames);
			}

			file = outputFile;
		}

		return path.resolve(this.options.pidSuffix ? withPidSuffix(file, process.pid) : file);
	}

	#prepareSave(outputFile: string | undefined, {view, streamed}: Collected, withPlugins = true): PreparedSave {
		this.#assertNotTerminated('save');
		let file = this.#outputPath(outputFile);
		const entries = (streamed?.entries ?? 0) + view.size;
		if (outputFile === undefined && this.#defaultOutput && file.endsWith('.json') && entries * jsonBytesPerEntry > browserTraceLimitBytes) {
			const vizt = file.replace(/\.json$/, '.vizt');
			if (this.options.verbose > 0) {
				process.stderr.write(`viztracer: the run recorded ${entries} entries, about ${formatMegabytes(entries * jsonBytesPerEntry)} of JSON, more than browser viewers load well: writing ${path.basename(vizt)} instead of ${path.basename(file)} (choose the output with -o or outputFile; \`viztracer convert\` turns one into the other)\n`);
			}

			file = vizt;
		}

		const data = this.#assemble(view, streamed);
		const handlers = withPlugins ? this.#plugins.event('pre-save', () => data, true) : [];
		// Listeners would only fail on data a handler broke; recovery gives them good data.
		if (!handlers.some(run => run.broke !== undefined)) {
			this.emit('pre-save', data);
		}

		return {file, data, view, streamed, handlers};
	}

	/** Writes a prepared save; when its data cannot be written, writes what {@link VizTracer.#recover} makes of it. */
	#writeSync({file, data, view, streamed, handlers}: PreparedSave): void {
		const broken = handlers.some(run => run.broke !== undefined);
		try {
			if (!broken) {
				writeTraceSync(data, file, envelopeFor(file));
				return;
			}
		} catch (error) {
			if (!isUnwritable(error)) {
				throw error;
			}
		}

		writeTraceSync(this.#recover(view, streamed, handlers), file, envelopeFor(file));
	}

	async #writeAsync({file, data, view, streamed, handlers}: PreparedSave): Promise<void> {
		const broken = handlers.some(run => run.broke !== undefined);
		try {
			if (!broken) {
				await writeTraceAsync(data, file, envelopeFor(file));
				return;
			}
		} catch (error) {
			if (!isUnwritable(error)) {
				throw error;
			}
		}

		await writeTraceAsync(this.#recover(view, streamed, handlers), file, envelopeFor(file));
	}

	#assemble(view: EntriesView, streamed: StreamedEvents | undefined): TraceData {
		const info = this.#processInfo();
		const recorder = this.#recorder;
		const ring = recorder.hasRing ? recorder.ring : undefined;
		const streamer = this.#streamer;
		const recording = recordingOf(view, info, (ring?.head ?? 0) + (ring?.refused ?? 0), streamer === undefined ? (ring?.capacity ?? 0) : 0, recorder.droppedAsyncSpans, streamed?.entries ?? 0);
		if (streamed !== undefined) {
			recording.streamed = true;
			recording.writerWaitMs = Math.round(streamer!.waitedMillis);
		}

		if (streamer?.failure !== undefined) {
			recording.writerFailure = streamer.failure;
		}

		return assembleTraceData(view, info, this.#overflowed() || recording.droppedAsyncSpans > 0, recording, streamed);
	}

	#overflowed(): boolean {
		return this.#recorder.hasRing && (this.#recorder.ring.overflowed || this.#recorder.ring.refused > 0);
	}

	/**
	 * After a write that failed because the data could not be serialised:
	 * finds which `handle_data` handler or `pre-save` listener made it so by
	 * running them again, one at a time, on the recorded data (checking it
	 * after each), and returns the data with the changes of all but the
	 * culprits, which are named in a warning. Any other failure is rethrown.
	 */
	#recover(view: EntriesView, streamed: StreamedEvents | undefined, handlers: readonly HandlerRun[]): TraceData {
		type Step = {describe: string; run: (fresh: TraceData) => unknown};
		const steps: Step[] = [];
		const skipped: boolean[] = [];
		for (let index = 0; index < handlers.length; index++) {
			const handler = handlers[index]!;
			const describe = `Plugin ${handler.name}'s handle_data handler`;
			// Known already: not run again.
			if (handler.broke !== undefined) {
				skipped[index] = true;
				warnNow(`${describe} left the trace unwritable (${handler.broke}); the trace was written without its changes`, 'VIZTRACER_UNWRITABLE_TRACE', 'VizPluginWarning');
			}

			steps.push({describe, run: fresh => runHandler(handler, fresh, 'pre-save')});
		}

		const listeners = this.listeners('pre-save');
		for (let index = 0; index < listeners.length; index++) {
			const listener = listeners[index]!;
			steps.push({
				describe: `The 'pre-save' listener ${listener.name || `#${index + 1}`}`,
				run: fresh => {
					listener.call(this, fresh);
				},
			});
		}

		for (let attempt = 0; attempt <= steps.length; attempt++) {
			const fresh = this.#assemble(view, streamed);
			let culprit = -1;
			let reason = '';
			for (let index = 0; index < steps.length && culprit === -1; index++) {
				if (skipped[index]) {
					continue;
				}

				let failure: string | undefined;
				try {
					const result = steps[index]!.run(fresh);
					failure = result instanceof VizPluginError ? result.message : unwritableReason(fresh);
				} catch (thrown) {
					failure = thrown instanceof Error ? thrown.message : String(thrown);
				}

				if (failure !== undefined) {
					culprit = index;
					reason = failure;
				}
			}

			if (culprit === -1) {
				return fresh;
			}

			skipped[culprit] = true;
			warnNow(`${steps[culprit]!.describe} left the trace unwritable (${reason}); the trace was written without its changes`, 'VIZTRACER_UNWRITABLE_TRACE', 'VizPluginWarning');
		}

		// The recorded data alone is always writable, so this is not reached; it is the last resort.
		return this.#assemble(view, streamed);
	}

	#saveWithoutPlugins(): string {
		const prepared = this.#prepareSave(undefined, this.#collect(), false);
		this.#writeSync(prepared);

		this.#report(prepared.file, prepared.data);
		return prepared.file;
	}

	// A plugin that fails at pre-save must not lose the trace when a `using`
	// block ends: the trace is written as recorded, and the error still surfaces.
	#saveEvenIfPluginsFail(): void {
		try {
			this.save();
		} catch (error) {
			if (error instanceof VizPluginError) {
				this.#saveWithoutPlugins();
			}

			throw error;
		}
	}

	#report(file: string, data: TraceData): void {
		if (this.options.verbose === 0) {
			return;
		}

		// This thread's from the recorder, not the saved data: a plugin may have changed (or nulled) its metadata.
		const streamer = this.#streamer;
		const ring = this.#recorder.hasRing ? this.#recorder.ring : undefined;
		if (streamer?.failure !== undefined) {
			const lost = ring === undefined ? 0 : ring.head + ring.refused - streamer.written - ring.size;
			process.stderr.write(`viztracer: the trace writer stopped (${streamer.failure}): the trace has the first ${streamer.written} entries and the newest ${ring?.size ?? 0}${lost > 0 ? `; ${lost} in between were dropped` : ''}\n`);
		} else if (this.#overflowed() && this.options.flightRecorder === undefined) {
			process.stderr.write(`viztracer: the ring buffer overflowed and the oldest entries were dropped; raise tracerEntries (now ${this.options.tracerEntries}, --tracer-entries on the command line) or leave it unset to keep them all\n`);
		}

		if (streamer !== undefined && streamer.waitedMillis >= reportedWaitMillis) {
			process.stderr.write(`viztracer: the program waited ${(streamer.waitedMillis / 1000).toFixed(1)} s in all (${streamer.waits} times) for the trace writer to catch up\n`);
		}

		if (this.#recorder.droppedAsyncSpans > 0) {
			process.stderr.write(`viztracer: ${this.#recorder.droppedAsyncSpans} async spans were not recorded: too many were open at once\n`);
		}

		let entries = (ring?.size ?? 0) + (streamer?.streaming ? streamer.written : 0);
		// The children and workers merged in: their entries follow this thread's.
		for (const other of recordingsIn(readMetadata(data)).slice(1)) {
			entries += other.kept;
			if (other.dropped > 0) {
				process.stderr.write(`viztracer: process ${other.pid}${other.tid === other.pid ? '' : ` thread ${other.tid}`} dropped the oldest ${other.dropped} of its ${other.recorded} entries (it keeps ${other.bound}; raise tracerEntries to keep them)\n`);
			}
		}

		process.stderr.write(`viztracer: saved ${entries} entries to ${file}\n`);
		const json = /\.json(?:\.gz)?$/.test(file) ? jsonSizeOrZero(file) : 0;
		if (json > browserTraceLimitBytes) {
			process.stderr.write(`viztracer: that is ${formatMegabytes(json)} of JSON, more than browser viewers load well (${formatMegabytes(browserTraceLimitBytes)}): write .vizt instead (-o or outputFile ending in .vizt: about a twentieth of the size), or view a part of it with \`npx vizviewer --filter\`\n`);
		}

		process.stderr.write(file.endsWith('.html')
			? 'viztracer: open it in a web browser (it needs no server and no network)\n'
			: (file.endsWith('.vizt')
				? `viztracer: view it with \`npx vizviewer ${file}\`, or make Chrome JSON of it with \`npx viztracer convert ${file} ${file.replace(/\.vizt$/, '.json')}\`\n`
				: `viztracer: view it with \`npx vizviewer ${file}\`, or open it at https://ui.perfetto.dev ("Open trace file"), in chrome://tracing, or at https://www.speedscope.app\n`));
	}

	#assertNotTerminated(method: string): void {
		if (this.#state === 'terminated') {
			throw new VizTracerStateError(`${method}() was called on a terminated tracer; create a new VizTracer`);
		}
	}
}

/** Whether a write failed because the data could not be serialised (not the disk, not a permission). */
function isUnwritable(error: unknown): boolean {
	return error instanceof VizTracerSaveError && error.cause instanceof VizTracerUnwritableTraceError;
}

function attempt(errors: unknown[], action: () => unknown): void {
	try {
		action();
	} catch (error) {
		errors.push(error);
	}
}

function rethrowFirst(errors: unknown[]): void {
	if (errors.length > 0) {
		throw errors[0];
	}
}

/** A short, bounded repr of any value, like Python's `repr()`, for instant events. */
export function reprOf(value: unknown): string {
	return typeof value === 'string' ? value : inspect(value, {depth: 2, maxArrayLength: 20, maxStringLength: 1000, breakLength: Number.POSITIVE_INFINITY});
}
