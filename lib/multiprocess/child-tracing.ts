import fs from 'node:fs';
import Module from 'node:module';
import os from 'node:os';
import path from 'node:path';
import {fileURLToPath} from 'node:url';
import workerThreads from 'node:worker_threads';
import {environmentFromOptions} from '../cli/environment.js';
import {timelineShift} from '../combine.js';
import type {ResolvedOptions} from '../options.js';
import type {TraceData} from '../trace-event.js';
import type {VizTracer} from '../tracer.js';
import {collectChildTraces} from './collect-children.js';

/** Where traced children write their partial traces; set by the CLI, read by `viztracer/register`. */
export const childDirectoryVariable = 'VIZTRACER_CHILD_DIR';

// dist/multiprocess/child-tracing.js → dist/register.js
const registerPath = fileURLToPath(new URL('../register.js', import.meta.url));

/** `--import=…` for worker execArgv (an argument list, so never quoted). */
const importFlag = `--import=${registerPath}`;

/** NODE_OPTIONS splits on spaces, so a path with spaces is quoted there. */
function withImportFlag(nodeOptions: string | undefined): string {
	const flag = registerPath.includes(' ') ? `--import=${JSON.stringify(registerPath)}` : importFlag;
	return nodeOptions?.includes(registerPath) ? nodeOptions : `${nodeOptions ?? ''} ${flag}`.trim();
}

/**
 * Makes every Node.js process this one starts (`spawn`, `fork`, `exec` of
 * `node`, `cluster` workers) and every worker thread trace itself: children
 * inherit `NODE_OPTIONS` with `--import viztracer/register` and the tracer's
 * options as `VIZTRACER_*` variables, and write partial traces into a
 * directory that the parent merges when it exits. Returns that directory.
 */
export function traceChildren(options: ResolvedOptions): string {
	const directory = fs.mkdtempSync(path.join(os.tmpdir(), 'viztracer-children-'));
	const childOptions = {
		...options,
		// Plugins belong to the parent's trace; file names are chosen per child.
		plugins: undefined,
		outputFile: undefined,
		pidSuffix: undefined,
		processName: undefined,
		verbose: 0 as const,
	};
	Object.assign(process.env, environmentFromOptions(childOptions), {
		[childDirectoryVariable]: directory,
		NODE_OPTIONS: withImportFlag(process.env['NODE_OPTIONS']),
	});
	patchWorkerThreads();
	return directory;
}

/**
 * Worker threads do not read NODE_OPTIONS, so `Worker` is replaced by a
 * subclass that adds the register flag to the worker's `execArgv` (and the
 * ES-module binding is synced, so `import {Worker}` sees it too).
 */
export function patchWorkerThreads(): void {
	const Original = workerThreads.Worker;
	if ((Original as {viztracerPatched?: boolean}).viztracerPatched) {
		return;
	}

	class Worker extends Original {
		static viztracerPatched = true;

		constructor(filename: string | URL, options: workerThreads.WorkerOptions = {}) {
			const execArgv = options.execArgv ?? process.execArgv;
			// Node runs no --import preload for `eval` workers: their (CommonJS) code loads it first, on its first line.
			const code = options.eval && typeof filename === 'string' ? `require(${JSON.stringify(registerPath)});${filename}` : filename;
			super(code, {...options, execArgv: execArgv.includes(importFlag) ? execArgv : [...execArgv, importFlag]});
		}
	}

	(workerThreads as {Worker: typeof Original}).Worker = Worker;
	Module.syncBuiltinESMExports();
}

/** Adds the child traces in `directory` to the parent's trace, each shifted onto the parent's timeline. */
export function mergeChildTraces(data: TraceData, directory: string, timeout: number): {merged: number; missing: number[]} {
	const {traces, missing} = collectChildTraces(directory, timeout);
	if (traces.length === 0) {
		return {merged: 0, missing};
	}

	const reference = data.viztracer_metadata.baseTimeNanoseconds;
	const events = data.traceEvents;
	for (const trace of traces) {
		const shift = timelineShift(trace.viztracer_metadata?.baseTimeNanoseconds, reference);
		for (const event of trace.traceEvents) {
			events.push(typeof event.ts === 'number' && shift !== 0 ? {...event, ts: Math.round((event.ts + shift) * 1000) / 1000} : event);
		}
	}

	return {merged: traces.length, missing};
}

/**
 * Sets up child tracing for `tracer` (see {@link traceChildren}): at its
 * `pre-save` the children's traces are merged in, waiting at most
 * `VIZTRACER_CHILD_TIMEOUT` ms (default 3000) for children still running,
 * and the directory is removed when the tracer terminates.
 */
export function traceChildrenOf(tracer: VizTracer, warn: (message: string) => void): void {
	const directory = traceChildren(tracer.options);
	const configured = Number(process.env['VIZTRACER_CHILD_TIMEOUT'] ?? 3000);
	const timeout = Number.isFinite(configured) && configured >= 0 ? configured : 3000;
	tracer.on('pre-save', data => {
		const {missing} = mergeChildTraces(data, directory, timeout);
		if (missing.length > 0 && tracer.options.verbose > 0) {
			warn(`viztracer: no trace from child process ${missing.join(', ')} (killed, or still running after ${timeout} ms); the rest was kept\n`);
		}
	});
	tracer.on('terminate', () => {
		fs.rmSync(directory, {recursive: true, force: true});
	});
}
