// The watcher thread started by signal-watcher.ts. JavaScript signal listeners
// run on the main thread's event loop, which busy JavaScript never returns
// to; this thread keeps its own libuv signal handles (libuv tells every loop
// that watches a signal), so it hears the signal anyway. When the main
// thread's listener has not got the signal soon after, this thread interrupts
// it through an inspector session: V8 runs `Runtime.evaluate` from an
// interrupt, in the middle of a loop if need be.
import inspector from 'node:inspector';
import {createRequire} from 'node:module';
import {parentPort, workerData} from 'node:worker_threads';
import {heardSlot, processedSlot, watcherState, type WatcherData} from './signal-watcher-state.js';

type SignalHandle = {onsignal: () => void; start(signum: number): number; close(): void};
type SignalBinding = {Signal: new () => SignalHandle};

const data = workerData as WatcherData;
const state = new Int32Array(data.state);
// An idle main thread gets a signal within a millisecond or so; only a busy one is interrupted. A session is attached only
// then, and only until the evaluation returns: a session attached when the program calls process.exit() makes Node print
// "Waiting for the debugger to disconnect...".
const idleGraceMillis = 50;
const deathGraceMillis = 1000;

/**
 * libuv's signal handles are the only way to hear a signal off the main
 * thread, and Node exposes them only internally: through
 * `internal/test/binding` (this thread runs with --expose-internals), or on
 * older Node through `process.binding('signal_wrap')`. Both emit a warning
 * that must not reach the user's stderr: this thread is ours, so its
 * `emitWarning` is muted meanwhile.
 */
function signalBinding(): SignalBinding | undefined {
	const emitWarning = process.emitWarning;
	process.emitWarning = () => {};
	try {
		const loaders = [
			() => (createRequire(import.meta.url)('internal/test/binding') as {internalBinding(name: string): unknown}).internalBinding('signal_wrap'),
			() => (process as unknown as {binding(name: string): unknown}).binding('signal_wrap'),
		];
		for (const load of loaders) {
			try {
				const binding = load() as Partial<SignalBinding> | undefined;
				if (typeof binding?.Signal === 'function') {
					return binding as SignalBinding;
				}
			} catch {}
		}

		return undefined;
	} finally {
		process.emitWarning = emitWarning;
	}
}

function watch(binding: SignalBinding): void {
	const sessions = new Set<inspector.Session>();
	const interrupt = (index: number, signal: string) => {
		if (Atomics.load(state, processedSlot(index)) >= Atomics.load(state, heardSlot(index))) {
			return;
		}

		try {
			const session = new inspector.Session();
			session.connectToMainThread();
			sessions.add(session);
			session.post('Runtime.evaluate', {expression: `process.emit(Symbol.for(${JSON.stringify(data.eventKey)}), ${JSON.stringify(signal)})`, silent: true}, () => {
				sessions.delete(session);
				session.disconnect();
			});
		} catch {
			// Without an inspector the main thread gets the signal once its JavaScript yields, or when it exits.
		}
	};

	const handles: SignalHandle[] = [];
	for (const [index, [signal, signum]] of data.signals.entries()) {
		const handle = new binding.Signal();
		handle.onsignal = () => {
			Atomics.add(state, heardSlot(index), 1);
			setTimeout(interrupt, idleGraceMillis, index, signal);
		};

		if (handle.start(signum) === 0) {
			handles.push(handle);
		} else {
			handle.close();
		}
	}

	// The main thread has saved the trace and is to die by the signal. libuv restores the default action only once no loop
	// watches the signal, and the signal is raised from here: `process.kill()` on the main thread would make Node print
	// "Waiting for the debugger to disconnect..." while a session of this thread is attached to it.
	parentPort!.on('message', (signal: string) => {
		for (const handle of handles) {
			handle.close();
		}

		try {
			process.kill(process.pid, signal);
			// A fatal signal may be delivered to another thread: give the kernel time to end the process before telling the main thread it lives on.
			Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, deathGraceMillis);
		} finally {
			// Still alive (the signal is ignored, say): the main thread goes on without the watcher.
			for (const session of sessions) {
				session.disconnect();
			}

			Atomics.store(state, 0, watcherState.released);
			Atomics.notify(state, 0);
			parentPort!.close();
		}
	});

	// The main thread may have released the watcher (to die by a signal) while this thread booted: then it must not watch.
	if (Atomics.compareExchange(state, 0, watcherState.starting, watcherState.watching) === watcherState.starting) {
		Atomics.notify(state, 0);
	} else {
		for (const handle of handles) {
			handle.close();
		}

		parentPort!.close();
	}
}

const binding = Atomics.load(state, 0) === watcherState.starting ? signalBinding() : undefined;
if (binding === undefined) {
	Atomics.compareExchange(state, 0, watcherState.starting, watcherState.unavailable);
	Atomics.notify(state, 0);
	parentPort!.close();
} else {
	watch(binding);
}
