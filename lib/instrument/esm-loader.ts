// Module customization hooks for `module.register()`. On Node 20 these run in
// the loader thread, so they only transform source text; the instrumented
// code reaches the recorder through the hook global in the main thread.
import {fileURLToPath} from 'node:url';
import type {ResolvedInstrumentOptions} from './config.js';
import {createFileFilter} from './file-filter.js';
import {createFileInstrumenter, type InstrumentFile} from './instrument-file.js';

type LoadResult = {format?: string | null; source?: string | ArrayBuffer | ArrayBufferView | null; shortCircuit?: boolean};
type LoadContext = {format?: string | null; conditions?: string[]; importAttributes?: Record<string, string>};
type NextLoad = (url: string, context?: LoadContext) => LoadResult | Promise<LoadResult>;

let accept: ((file: string) => boolean) | undefined;
let instrumentFile: InstrumentFile | undefined;

export function initialize(options: ResolvedInstrumentOptions): void {
	accept = createFileFilter(options);
	instrumentFile = createFileInstrumenter(options, message => {
		process.stderr.write(`${message}\n`);
	});
}

/** Instruments ES modules; everything else (CommonJS, JSON, builtins) passes through untouched. */
export function transformLoaded(url: string, result: LoadResult): LoadResult {
	if (instrumentFile === undefined || result.format !== 'module' || !url.startsWith('file:') || result.source === null || result.source === undefined) {
		return result;
	}

	const filename = fileURLToPath(url);
	if (!accept!(filename)) {
		return result;
	}

	const source = typeof result.source === 'string' ? result.source : textOf(result.source);
	return {...result, source: instrumentFile(source, filename, 'module')};
}

export async function load(url: string, context: LoadContext, nextLoad: NextLoad): Promise<LoadResult> {
	return transformLoaded(url, await nextLoad(url, context));
}

/** The synchronous form for `module.registerHooks()` (Node 22.15+), which runs in-thread. */
export function loadSync(url: string, context: LoadContext, nextLoad: NextLoad): LoadResult {
	return transformLoaded(url, nextLoad(url, context) as LoadResult);
}

function textOf(source: ArrayBuffer | ArrayBufferView): string {
	return ArrayBuffer.isView(source) ? Buffer.from(source.buffer, source.byteOffset, source.byteLength).toString('utf8') : Buffer.from(source).toString('utf8');
}
