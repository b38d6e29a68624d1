import Module from 'node:module';
import type {VizTracer} from '../tracer.js';
import type {CliOutput} from './parse-args.js';

const forwardedSignals = ['SIGINT', 'SIGTERM', 'SIGHUP'] as const;

/**
 * Makes sure the trace is saved and plugins are terminated however the
 * process ends: normal exit, `process.exit()`, an uncaught error or unhandled
 * rejection (all of which emit `exit`), or a signal nobody else handles, after
 * which the process still dies by that signal, as Node would have.
 */
export function saveOnExit(tracer: VizTracer, io: CliOutput): void {
	let finished = false;
	const finish = () => {
		if (finished) {
			return;
		}

		finished = true;
		try {
			tracer[Symbol.dispose]();
		} catch (error) {
			io.stderr(`viztracer: ${error instanceof Error ? error.message : String(error)}\n`);
			// The script's own failure code wins; a clean run whose trace was lost is not clean.
			if (!process.exitCode) {
				process.exitCode = 1;
			}
		}
	};

	process.on('exit', finish);
	for (const signal of forwardedSignals) {
		const onSignal = () => {
			// A program that handles the signal itself decides what happens; its exit saves the trace.
			if (process.listenerCount(signal) > 1) {
				return;
			}

			finish();
			process.removeListener(signal, onSignal);
			// With our listener gone the default action applies: die by the same signal.
			process.kill(process.pid, signal);
		};

		process.on(signal, onSignal);
	}
}

/**
 * Runs `script` as the main module of this process, as `node script.js`
 * would: `process.argv`, `require.main` and `import.meta` look the same.
 */
export function runMain(script: string, args: string[]): void {
	process.argv = [process.argv[0]!, script, ...args];
	(Module as unknown as {runMain(main?: string): void}).runMain(script);
}
