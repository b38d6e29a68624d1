// Module customization hooks for `module.register()`. On Node 20 these run in
// the loader thread, so they only transform source text; the instrumented
// code reaches the recorder through the hook global in the main thread.
// The parser and the transform are not loaded with this file: a warm run
// never needs them, and cold-path-loader.ts compiles them on the first miss
// (an import() from inside load() left module loading hanging on Node 20).
// Registered once more, under another URL (so with state of its own), each
// time another loader registers after it: see LoaderRole.
import {instrumentationHook} from '../core/instrumentation-hook.js';
import type {ResolvedInstrumentOptions} from './config.js';
import {loadContextFor, loaderRole, transformLoaded, type EsmInstrumenter, type LoadContext, type LoaderRole, type LoadResult, type NextLoad} from './esm-transform.js';
import {createFileFilter} from './file-filter.js';
import {createFileInstrumenter} from './instrument-file.js';

let instrumenter: EsmInstrumenter | undefined;
let role: () => LoaderRole = () => 'sole';

export function initialize(options: ResolvedInstrumentOptions & {generation?: number}): void {
	// Hooks registered after these (tsx's, say) are imported into this thread
	// through them, instrumented when their files are accepted: the hook
	// global they call must exist here too. Nothing records in this thread.
	instrumentationHook();
	role = loaderRole(options.generation ?? 1);
	instrumenter = {
		accept: createFileFilter(options),
		instrumentFile: createFileInstrumenter(options, message => {
			process.stderr.write(`${message}\n`);
		}),
	};
}

export async function load(url: string, context: LoadContext, nextLoad: NextLoad): Promise<LoadResult> {
	if (instrumenter === undefined) {
		return nextLoad(url, context);
	}

	const current = role();
	return transformLoaded(url, await nextLoad(url, loadContextFor(url, context, current)), instrumenter, current, context);
}
