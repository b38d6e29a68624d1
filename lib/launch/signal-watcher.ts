import os from 'node:os';
import workerThreads from 'node:worker_threads';
import {heardSlot, processedSlot, stateSlots, watcherState, type WatcherData} from './signal-watcher-state.js';
import {distUrl} from '../core/dist-url.js';

// Taken when this module loads, before child tracing swaps in a Worker that preloads the tracer: the watcher traces nothing.
const OriginalWorker = workerThreads.Worker;

/** The signals the CLI and `viztracer/register` save the trace on. */
export const watchedSignals = ['SIGINT', 'SIGTERM', 'SIGHUP'] as const;
export type WatchedSignal = typeof watchedSignals[number];

/** The `process` event (`Symbol.for(interruptEventKey)`) the watcher emits, from an interrupt, with the name of a signal it heard. */
export const interruptEventKey = 'viztracer.signal';

// How long the program's start waits for the watcher thread to boot (about 25 ms when the machine is not loaded).
const bootTimeoutMillis = 3000;
// How long a dying process waits for the watcher to raise the signal.
const raiseTimeoutMillis = 3000;

export type SignalWatcher = {
	/** Counts a signal the main thread's own listener got, so that the watcher leaves it alone. */
	processed(signal: WatchedSignal): void;
	/** Whether the watcher heard `signal` more often than the main thread's listener got it. */
	missed(signal: WatchedSignal): boolean;
	/**
	 * Closes the watcher's signal handles and has the watcher thread raise
	 * `signal` (which, once the main thread's own listener is gone, gets its
	 * default action). Returns true when the caller must raise it itself
	 * (the watcher was not watching), false when the process outlived the
	 * watcher's attempt or the watcher did not answer in time.
	 */
	raise(signal: WatchedSignal): boolean;
};

let started: {watcher: SignalWatcher; state: Int32Array} | undefined;

/**
 * Starts, once per process and on the main thread only, a thread that hears
 * the watched signals even while the main thread runs JavaScript that never
 * yields (see signal-watcher-worker.ts). Called as early as possible: the
 * thread boots while the tracer is set up.
 */
export function startSignalWatcher(): void {
	if (started !== undefined || !workerThreads.isMainThread) {
		return;
	}

	const known = watchedSignals.filter(signal => os.constants.signals[signal] !== undefined);
	const state = new Int32Array(new SharedArrayBuffer(Int32Array.BYTES_PER_ELEMENT * stateSlots(known.length)));
	const data: WatcherData = {state: state.buffer as SharedArrayBuffer, signals: known.map(signal => [signal, os.constants.signals[signal]]), eventKey: interruptEventKey};
	let worker: workerThreads.Worker | undefined;
	// None of the program's execArgv, nor NODE_OPTIONS (which a worker given an environment parses): its `--import viztracer/register` must not load here.
	// --expose-internals reaches libuv's signal handles; a Node that refused it in a worker may still have process.binding.
	for (const execArgv of [['--expose-internals'], []]) {
		try {
			worker = new OriginalWorker(distUrl('launch/signal-watcher-worker.js', import.meta.url), {execArgv, env: {}, workerData: data});
			break;
		} catch {}
	}

	if (worker === undefined) {
		return;
	}

	worker.unref();
	// A watcher that fails costs only the promptness it adds.
	worker.on('error', () => {});

	const watcher: SignalWatcher = {
		processed(signal) {
			const index = known.indexOf(signal);
			if (index !== -1) {
				Atomics.add(state, processedSlot(index), 1);
			}
		},
		missed(signal) {
			const index = known.indexOf(signal);
			return index !== -1 && Atomics.load(state, heardSlot(index)) > Atomics.load(state, processedSlot(index));
		},
		raise(signal) {
			const previous = Atomics.compareExchange(state, 0, watcherState.starting, watcherState.released);
			if (previous !== watcherState.watching) {
				return true;
			}

			worker.postMessage(signal);
			// The main thread blocks here, most likely until the process dies: the watcher answers from its own event loop.
			Atomics.wait(state, 0, watcherState.watching, raiseTimeoutMillis);
			return false;
		},
	};
	started = {watcher, state};
}

/**
 * The watcher (started now if it was not), once it watches: a signal that
 * came while it booted and the program was already busy would be missed.
 * Undefined off the main thread or when no thread could be started.
 */
export function readySignalWatcher(): SignalWatcher | undefined {
	startSignalWatcher();
	if (started === undefined) {
		return undefined;
	}

	Atomics.wait(started.state, 0, watcherState.starting, bootTimeoutMillis);
	return started.watcher;
}
