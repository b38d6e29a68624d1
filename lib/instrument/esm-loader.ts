// Module customization hooks for `module.register()`. On Node 20 these run in
// the loader thread, so they only transform source text; the instrumented
// code reaches the recorder through the hook global in the main thread.
// (The parser is imported statically: importing it lazily, from inside the
// first load() call, left module loading hanging on Node 20 when tried.)
import type {ResolvedInstrumentOptions} from './config.js';
import {loadContextFor, transformLoaded, type EsmInstrumenter, type LoadContext, type LoadResult, type NextLoad} from './esm-transform.js';
import {createFileFilter} from './file-filter.js';
import {createFileInstrumenter} from './instrument-file.js';

let instrumenter: EsmInstrumenter | undefined;

export function initialize(options: ResolvedInstrumentOptions): void {
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

	return transformLoaded(url, await nextLoad(url, loadContextFor(url, context)), instrumenter);
}
