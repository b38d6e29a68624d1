// multiprocess/: one trace for a program and its child processes and worker
// threads: this file passes tracing on to them and merges what they wrote;
// collect-children.ts owns the folder their partial traces go to. Imports
// launch/ (the environment children inherit), the tracer, the trace file
// and the core.

import fs from 'node:fs';
import Module from 'node:module';
import os from 'node:os';
import path from 'node:path';
import {fileURLToPath} from 'node:url';
import workerThreads from 'node:worker_threads';
import {environmentFromOptions, environmentName} from '../launch/environment.js';
import {baseTimeNanoseconds} from '../core/clock.js';
import {shiftedEvents, shiftedRecording, timelineShift} from '../trace-file/combine.js';
import type {ResolvedOptions, VizTracerOptions} from '../tracer/options.js';
import {baseTimeOfTrace, readTraceSync} from '../trace-file/read-trace-sync.js';
import {appendEventSource, recordingsIn, type EventBatches} from '../trace-file/trace-data.js';
import type {TraceData} from '../trace-file/trace-event.js';
import type {VizTracer} from '../tracer/tracer.js';
import {childMarkerName, childTraceName, closeChildDirectory, collectChildTraces, leaveChildDirectory, ownerFileName, type MissingChild} from './collect-children.js';
import {distUrl} from '../core/dist-url.js';

/** Where traced children write their partial traces; set by the CLI, read by `viztracer/register`. */
export const childDirectoryVariable = 'VIZTRACER_CHILD_DIR';

// dist/multiprocess/child-tracing.js → dist/integrations/register.js
const registerPath = fileURLToPath(distUrl('integrations/register.js', import.meta.url));

/** `--import=…` for worker execArgv (an argument list, so never quoted). */
const importFlag = `--import=${registerPath}`;

/** NODE_OPTIONS splits on spaces, so a path with spaces is quoted there. */
function withImportFlag(nodeOptions: string | undefined): string {
	const flag = registerPath.includes(' ') ? `--import=${JSON.stringify(registerPath)}` : importFlag;
	return nodeOptions?.includes(registerPath) ? nodeOptions : `${nodeOptions ?? ''} ${flag}`.trim();
}

/**
 * Node runs no --import preload for `eval` workers, so their (CommonJS) code
 * loads register.js (an ES module) itself, on its first line. Where
 * require() cannot load an ES module (Node 22.0-22.11, or
 * --no-experimental-require-module) the worker runs untraced rather than
 * throwing ERR_REQUIRE_ESM; where it warns that it does (22.12, 23.0-23.4),
 * the warning about register.js is held back. Node prints that warning once
 * a thread, so the program's own require() of an ES module in that worker
 * then goes unannounced too.
 */
const evalWorkerPrefix = ((): string => {
	if ((process.features as {require_module?: boolean}).require_module !== true) {
		return '';
	}

	const load = `require(${JSON.stringify(registerPath)})`;
	const [major = 0, minor = 0] = process.versions.node.split('.').map(Number);
	if ((major === 22 && minor < 13) || (major === 23 && minor < 5)) {
		return `{const w=process.emitWarning;process.emitWarning=function(m,...r){if(!String(m).includes(${JSON.stringify(registerPath)}))return w.call(this,m,...r)};try{${load}}finally{process.emitWarning=w}}`;
	}

	return `${load};`;
})();

/**
 * Makes every Node.js process this one starts (`spawn`, `fork`, `exec` of
 * `node`, `cluster` workers) and every worker thread trace itself: children
 * inherit `NODE_OPTIONS` with `--import viztracer/register` and the tracer's
 * options as `VIZTRACER_*` variables, and write partial traces into a
 * directory that the parent merges when it exits. Returns that directory.
 */
export function traceChildren(options: ResolvedOptions): string {
	const directory = fs.mkdtempSync(path.join(os.tmpdir(), 'viztracer-children-'));
	fs.writeFileSync(path.join(directory, ownerFileName), String(process.pid));
	const childOptions = {
		...options,
		// Plugins belong to the parent's trace; file names are chosen per child.
		plugins: undefined,
		outputFile: undefined,
		pidSuffix: undefined,
		processName: undefined,
		verbose: 0 as const,
	};
	// An option the children must not take (undefined here) is taken out of
	// the environment too: a VIZTRACER_PLUGINS or VIZTRACER_PROCESS_NAME the
	// user's shell set would reach them where it never reached the parent.
	for (const [option, value] of Object.entries(childOptions)) {
		if (value === undefined) {
			delete process.env[environmentName(option)];
		}
	}

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
			const code = options.eval && typeof filename === 'string' ? evalWorkerPrefix + filename : filename;
			super(code, {...options, execArgv: execArgv.includes(importFlag) ? execArgv : [...execArgv, importFlag]});
		}
	}

	(workerThreads as {Worker: typeof Original}).Worker = Worker;
	Module.syncBuiltinESMExports();
}

export type ChildMergeReport = {
	/** Child traces whose events are added. */
	merged: number;
	/** Children that died while recording: what they had streamed to disk is merged. */
	cut: number[];
	/** Children that left no trace. */
	missing: MissingChild[];
	/** Child traces that could not be read: kept on disk, and why. */
	unreadable: Array<{pid: number; file: string; reason: string}>;
};

/**
 * Adds the child traces in `directory` to the parent's trace, each shifted
 * onto the parent's timeline by its own `viztracer_metadata.baseTimeNanoseconds`.
 * Nothing is loaded here: each file is checked (a structural pass that parses
 * no event) and appended as a source the writer streams while it writes the
 * file, so a partial trace of any size, even beyond V8's longest string, is
 * merged with memory for one chunk of it. A file that cannot be read is left
 * out and reported (`onUnreadable`, also for one that breaks off while it is
 * written), so the caller can keep it.
 */
export function mergeChildTraces(data: TraceData, directory: string, timeout: number, onUnreadable: (report: {pid: number; file: string; reason: string; partly: boolean}) => void = () => undefined): ChildMergeReport {
	const {traces, missing} = collectChildTraces(directory, timeout);
	const report: ChildMergeReport = {merged: 0, cut: [], missing, unreadable: []};
	// The parent's origin as recorded: a plugin may have changed its metadata (into something unwritable, even).
	const reference = baseTimeNanoseconds();
	for (let index = 0; index < traces.length; index++) {
		const {pid, file, cut} = traces[index]!;
		let base: string | undefined;
		let childMetadata: unknown;
		try {
			const reader = readTraceSync(file, () => undefined, {parseEvents: false, keepText: ['viztracer_metadata']});
			base = baseTimeOfTrace(reader.other, reader.rawText);
			childMetadata = reader.other['viztracer_metadata'];
		} catch (error) {
			const reason = messageOf(error);
			report.unreadable.push({pid, file, reason});
			onUnreadable({pid, file, reason, partly: false});
			continue;
		}

		const shift = timelineShift(base, reference);
		addChildRecording(data, childMetadata, shift);
		appendEventSource(data, () => childEvents(file, shift, reason => {
			onUnreadable({pid, file, reason, partly: true});
		}));
		report.merged++;
		if (cut === true) {
			report.cut.push(pid);
		}
	}

	return report;
}

/**
 * Adds what a child recorded and dropped (its `viztracer_metadata.recording`)
 * to the parent's, and its overflow: the merged trace then says, for every
 * process and thread, whether anything is missing. Left alone when either
 * side is not what viztracer writes (a plugin may have changed the parent's).
 */
function addChildRecording(data: TraceData, childMetadata: unknown, shift: number): void {
	const parent = data.viztracer_metadata as unknown;
	if (typeof parent !== 'object' || parent === null || typeof childMetadata !== 'object' || childMetadata === null) {
		return;
	}

	const {overflow} = childMetadata as {overflow?: unknown};
	const target = parent as {recording?: unknown; overflow?: unknown};
	const entries = recordingsIn(childMetadata);
	if (entries.length > 0 && (target.recording === undefined || Array.isArray(target.recording))) {
		// Its `completeFrom` moves onto the parent's timeline with its events.
		target.recording = [...(target.recording as unknown[] | undefined) ?? [], ...shiftedRecording(entries, shift)];
	}

	if (overflow === true) {
		target.overflow = true;
	}
}

/** The events of a child's trace, shifted by `shift` µs, one read's worth at a time; a failure midway ends them. */
function childEvents(file: string, shift: number, onFailure: (reason: string) => void): EventBatches {
	return shiftedEvents(file, shift, {
		onFailure(error) {
			onFailure(messageOf(error));
		},
	});
}

const messageOf = (error: unknown): string => (error instanceof Error ? error.message : String(error));

function describeMissing(missing: readonly MissingChild[], timeout: number): string {
	const running: number[] = [];
	const exited: number[] = [];
	for (let index = 0; index < missing.length; index++) {
		(missing[index]!.running ? running : exited).push(missing[index]!.pid);
	}

	const parts: string[] = [];
	if (exited.length > 0) {
		parts.push(`no trace from child process ${exited.join(', ')} (it exited without writing one: killed?)`);
	}

	if (running.length > 0) {
		parts.push(`no trace from child process ${running.join(', ')} (still running after ${timeout} ms)`);
	}

	return parts.join('; ');
}

/**
 * Sets up child tracing for `tracer` (see {@link traceChildren}): at its
 * `pre-save` the children's traces are merged in, waiting at most
 * `VIZTRACER_CHILD_TIMEOUT` ms (default 3000) for children still running.
 * When the tracer terminates the directory is removed, or, while children
 * still run, left for the last of them to remove (see closeChildDirectory);
 * a child trace that could not be read is kept there, and its path reported.
 */
export function traceChildrenOf(tracer: VizTracer, warn: (message: string) => void): void {
	const directory = traceChildren(tracer.options);
	const configured = Number(process.env['VIZTRACER_CHILD_TIMEOUT'] ?? 3000);
	const timeout = Number.isFinite(configured) && configured >= 0 ? configured : 3000;
	const kept = new Set<string>();
	tracer.on('pre-save', function mergeChildren(data) {
		const {missing, cut} = mergeChildTraces(data, directory, timeout, ({pid, file, reason, partly}) => {
			kept.add(file);
			// Unlike a missing child, data that exists but was not merged is always worth a line.
			warn(partly
				? `viztracer: the trace of child process ${pid} broke off while it was merged (${reason}); the events before that were merged, and the file was kept: ${file}\n`
				: `viztracer: cannot merge the trace of child process ${pid} (${reason}); the file was kept: ${file}\n`);
		});
		if (missing.length > 0 && tracer.options.verbose > 0) {
			warn(`viztracer: ${describeMissing(missing, timeout)}; the rest was kept\n`);
		}

		if (cut.length > 0 && tracer.options.verbose > 0) {
			warn(`viztracer: child process ${cut.join(', ')} died while recording (killed?); what it had streamed to disk was merged\n`);
		}
	});
	tracer.on('terminate', () => {
		closeChildDirectory(directory, kept);
	});
}

/**
 * For a traced child (a process or thread started under a tracing parent):
 * its trace goes to the parent's `directory`, under a name the parent
 * expects, and a marker tells the parent to wait for it. A directory that is
 * gone (the parent finished) does not stop the child.
 */
export function prepareChildOptions(options: VizTracerOptions, directory: string): void {
	options.outputFile = path.join(directory, childTraceName(process.pid, workerThreads.threadId));
	options.verbose = 0;
	try {
		fs.writeFileSync(path.join(directory, childMarkerName(process.pid, workerThreads.threadId)), '');
	} catch {}

	patchWorkerThreads();
}

/** Once the child's tracer has saved and terminates: its files go when nobody is left to read them. */
export function leaveParentOnTerminate(tracer: VizTracer, directory: string): void {
	tracer.on('terminate', () => {
		leaveChildDirectory(directory, process.pid, workerThreads.threadId);
	});
}
