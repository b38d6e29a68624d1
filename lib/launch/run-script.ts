// launch/: tracing a whole program from inside its own process, shared by
// the CLI and the preloads: options from VIZTRACER_* variables, the early
// check of the output path, installing instrumentation for a run, running
// the script (this file) and saving on every way out, and the thread that
// keeps signals prompt while JavaScript is busy. Imports the tracer,
// instrument and the core; never cli/.

import Module from 'node:module';
import os from 'node:os';
import {withIntrinsics} from '../core/intrinsics.js';
import type {VizTracer} from '../tracer/tracer.js';
import type {OnDemand} from './on-demand.js';

/** Where a command's messages go (the process's streams, or a test's buffers). */
export type CliOutput = {stdout: (text: string) => void; stderr: (text: string) => void};
import {interruptEventKey, readySignalWatcher, watchedSignals, type WatchedSignal} from './signal-watcher.js';

/**
 * Makes sure the trace is saved and plugins are terminated however the
 * process ends: normal exit, `process.exit()`, an uncaught error or unhandled
 * rejection (all of which emit `exit`), or a signal nobody else handles, after
 * which the process still dies by that signal, as Node would have.
 *
 * A signal listener only runs once the main thread's JavaScript yields, so a
 * signal to a program stuck in a synchronous loop would wait for the loop and
 * then be lost. On the main thread a watcher thread hears the signal too and
 * interrupts the running JavaScript to do the same thing (signal-watcher.ts).
 *
 * A program waiting for attach (`onDemand`) saves only the recording under
 * way, if there is one, as `onDemand.finish()` does.
 */
export function saveOnExit(tracer: VizTracer, io: CliOutput, onDemand?: OnDemand): void {
	let finished = false;
	let saving = false;
	let dying = false;
	let deferred: WatchedSignal | undefined;
	const listeners = new Map<WatchedSignal, () => void>();
	const watcher = readySignalWatcher();

	const dieBy = (signal: WatchedSignal) => {
		if (dying) {
			return;
		}

		dying = true;
		// With every listener of the signal gone, in this thread and the watcher's, the default action applies: die by the same signal.
		process.removeListener(signal, listeners.get(signal)!);
		if (watcher === undefined || watcher.raise(signal)) {
			process.kill(process.pid, signal);
			// The kernel may deliver the signal to another thread: let it end the process before concluding it lives on.
			Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 1000);
		}

		// Still alive: the signal is ignored, or the watcher is stuck. Exit with the status a shell gives a death by the signal.
		process.exit(128 + os.constants.signals[signal]);
	};

	// The flight recorder writes on a crash, at the crash (the program may handle it and go on), and when a signal ends the program.
	const flight = tracer.options.flightRecorder !== undefined;
	let crashDumped = false;
	const dump = (reason: 'crash' | 'signal') => {
		try {
			tracer.dump(reason);
		} catch (error) {
			io.stderr(`viztracer: the flight recorder could not write its trace: ${error instanceof Error ? error.message : String(error)}\n`);
		}
	};

	if (flight) {
		process.on('uncaughtExceptionMonitor', () => withIntrinsics(() => {
			if (!finished) {
				crashDumped = true;
				dump('crash');
			}
		}));
		process.on('SIGUSR2', () => withIntrinsics(() => {
			if (!finished) {
				dump('signal');
			}
		}));
	}

	const finish = (bySignal = false) => {
		if (finished) {
			return;
		}

		finished = true;
		saving = true;
		try {
			if (onDemand !== undefined) {
				onDemand.finish();
			} else if (flight) {
				if (bySignal) {
					dump('signal');
				} else if (!crashDumped && tracer.options.verbose > 0) {
					io.stderr('viztracer: the flight recorder wrote nothing: the program did not crash\n');
				}

				tracer.terminate();
			} else {
				tracer[Symbol.dispose]();
			}
		} catch (error) {
			io.stderr(`viztracer: ${error instanceof Error ? error.message : String(error)}\n`);
			// The script's own failure code wins; a clean run whose trace was lost is not clean.
			if (!process.exitCode) {
				process.exitCode = 1;
			}
		} finally {
			saving = false;
		}

		if (deferred) {
			dieBy(deferred);
		}
	};

	const onSignal = (signal: WatchedSignal) => {
		// A program that handles the signal itself decides what happens; its exit saves the trace.
		if (dying || process.listenerCount(signal) > 1) {
			return;
		}

		// A signal during the save lets the save end first; a second one does not wait.
		if (saving && deferred === undefined) {
			deferred = signal;
			return;
		}

		finish(true);
		dieBy(signal);
	};

	process.on('exit', () => withIntrinsics(() => {
		finish();
		// A signal the watcher heard but no listener ever got (the thread could not be interrupted, and its loop never ran again): plain node would have died by it.
		for (const signal of watchedSignals) {
			if (watcher?.missed(signal) && process.listenerCount(signal) <= 1) {
				dieBy(signal);
			}
		}
	}));

	for (const signal of watchedSignals) {
		const listener = () => {
			withIntrinsics(() => {
				watcher?.processed(signal);
				onSignal(signal);
			});
		};

		listeners.set(signal, listener);
		process.on(signal, listener);
	}

	process.on(Symbol.for(interruptEventKey), (signal: WatchedSignal) => {
		withIntrinsics(() => {
			if (watchedSignals.includes(signal)) {
				onSignal(signal);
			}
		});
	});
}

/**
 * Runs `script` as the main module of this process, as `node script.js`
 * would: `process.argv`, `require.main` and `import.meta` look the same.
 */
export function runMain(script: string, args: string[]): void {
	process.argv = [process.argv[0]!, script, ...args];
	(Module as unknown as {runMain(main?: string): void}).runMain(script);
}
