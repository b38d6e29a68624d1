import path from 'node:path';
import {installedHook} from '../core/instrumentation-hook.js';
import {EntryKind, kindMask, type RingBuffer} from '../core/ring-buffer.js';
import {createFileFilter, isInNodeModules} from '../instrument/file-filter.js';
import {instrumentedWith} from '../instrument/install.js';
import {recordingsIn} from '../trace-file/trace-data.js';
import {recorderKey, type VizTracer} from '../tracer/tracer.js';

/** What the check needs to know of the run: the script run, and whether it is an npm bin (`--run`). */
export type TracedProgram = {script: string; run?: boolean};

/** The number of function spans in the ring. */
function spansIn(ring: RingBuffer): number {
	let spans = 0;
	for (let index = ring.head - ring.size; index < ring.head; index++) {
		if ((ring.metas[index & ring.mask]! & kindMask) === EntryKind.span) {
			spans++;
		}
	}

	return spans;
}

/**
 * Why a whole-program trace holds none of the program's own code, or
 * undefined when it does (or something else was recorded on purpose: the
 * children's traces, a bin's own code under `--run`). `spans` counts this
 * process's function spans (undefined: more than the ring holds), `others`
 * the entries its children and workers recorded, `files` and `userFiles`
 * the instrumented files that ran in this process (outside node_modules).
 */
export function missingUserCode(program: TracedProgram, facts: {spans: number | undefined; others: number; files: number; userFiles: number}): string | undefined {
	const {spans, others, files, userFiles} = facts;
	if (others > 0 || spans === undefined) {
		return undefined;
	}

	const options = instrumentedWith();
	const accepted = options !== undefined && createFileFilter(options)(program.script);
	// Spans, but none from the program's files while they should have been instrumented: a loader that bypassed the hooks, say.
	if (spans > 0 && (userFiles > 0 || program.run === true || !accepted || isInNodeModules(program.script))) {
		return undefined;
	}

	const shown = path.relative(process.cwd(), program.script) || program.script;
	let reason: string;
	if (options === undefined) {
		reason = 'instrumentation is off in this process, so only what the program records itself (logEvent, wrap, trace) can appear';
	} else if (!accepted) {
		reason = isInNodeModules(program.script) && !options.includeNodeModules
			? `${shown} is inside node_modules, which is not instrumented: add --include-node-modules (VIZTRACER_INCLUDE_NODE_MODULES=1), or --include-files with its folder`
			: `--include-files / --exclude-files leave ${shown} out, so it ran untraced`;
	} else if (userFiles === 0 && files > 0) {
		reason = 'only files in node_modules ran instrumented, none of the program\'s own (see the warnings above, if any)';
	} else {
		// A file without functions is left as it is, so "none ran" and "none was instrumented" look alike here: both are said.
		reason = `no function of the program was called while recording. Top-level code is not a span: put it in a function, or record it with logEvent. If ${shown} has functions, see the warnings above, if any (a file that does not parse runs untraced), and a loader that compiles it must hand what it makes to Node's module hooks or to require() for viztracer to see it`;
	}

	return `viztracer: warning: the trace holds none of ${shown}'s own function calls: ${reason}\n`;
}

/**
 * Checks, as the trace is saved, that a whole-program trace (the CLI's, or
 * `viztracer/register`'s) recorded some of the program's own code, and says
 * why not when it did not. Registered after the children's traces are merged.
 */
export function checkUserCodeOnSave(tracer: VizTracer, program: TracedProgram, warn: (message: string) => void): void {
	tracer.on('pre-save', function checkUserCode(data) {
		if (tracer.options.verbose === 0) {
			return;
		}

		try {
			const recorder = tracer[recorderKey];
			const recordings = recordingsIn(data.viztracer_metadata);
			const own = recordings[0];
			const others = recordings.slice(1).reduce((sum, recording) => sum + recording.kept, 0);
			const ring = recorder.hasRing ? recorder.ring : undefined;
			// Entries streamed to disk are not looked at: a run that long recorded plenty.
			const streamed = own !== undefined && ring !== undefined && own.kept > ring.size;
			const hook = installedHook();
			const message = missingUserCode(program, {spans: streamed ? undefined : (ring === undefined ? 0 : spansIn(ring)), others, files: hook?.files ?? 0, userFiles: hook?.userFiles ?? 0});
			if (message !== undefined) {
				warn(message);
			}
		} catch {}
	});
}
