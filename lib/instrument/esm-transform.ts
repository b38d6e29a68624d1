import {fileURLToPath} from 'node:url';
import type {InstrumentFile} from './instrument-file.js';

export type LoadResult = {format?: string | null; source?: string | ArrayBuffer | ArrayBufferView | null; shortCircuit?: boolean};
export type LoadContext = {format?: string | null; conditions?: string[]; importAttributes?: Record<string, string>};
export type NextLoad = (url: string, context?: LoadContext) => LoadResult | Promise<LoadResult>;

/** What the load hooks need to instrument a module: which files, and how. */
export type EsmInstrumenter = {accept: (file: string) => boolean; instrumentFile: InstrumentFile};

/** Instruments ES modules; everything else (CommonJS, JSON, builtins) passes through untouched. */
export function transformLoaded(url: string, result: LoadResult, {accept, instrumentFile}: EsmInstrumenter): LoadResult {
	if (result.format !== 'module' || !url.startsWith('file:') || result.source === null || result.source === undefined) {
		return result;
	}

	const filename = fileURLToPath(url);
	if (!accept(filename)) {
		return result;
	}

	const source = typeof result.source === 'string' ? result.source : textOf(result.source);
	return {...result, source: instrumentFile(source, filename, 'module')};
}

function textOf(source: ArrayBuffer | ArrayBufferView): string {
	return ArrayBuffer.isView(source) ? Buffer.from(source.buffer, source.byteOffset, source.byteLength).toString('utf8') : Buffer.from(source).toString('utf8');
}
