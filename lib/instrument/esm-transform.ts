import {fileURLToPath} from 'node:url';
import type {InstrumentFile} from './instrument-file.js';
import {isTypeScriptFormat, stripTypes} from './type-stripping.js';

export type LoadResult = {format?: string | null; source?: string | ArrayBuffer | ArrayBufferView | null; shortCircuit?: boolean};
export type LoadContext = {format?: string | null; conditions?: string[]; importAttributes?: Record<string, string>};
export type NextLoad = (url: string, context?: LoadContext) => LoadResult | Promise<LoadResult>;

/** What the load hooks need to instrument a module: which files, and how. */
export type EsmInstrumenter = {accept: (file: string) => boolean; instrumentFile: InstrumentFile};

/**
 * Instruments ES modules, and TypeScript files Node strips the types of
 * (`module-typescript`, `commonjs-typescript`): those are stripped here
 * first, by Node's own stripper, and handed on as the JavaScript formats.
 * Everything else (CommonJS, JSON, builtins) passes through untouched.
 */
export function transformLoaded(url: string, result: LoadResult, {accept, instrumentFile}: EsmInstrumenter): LoadResult {
	const typescript = isTypeScriptFormat(result.format);
	if ((result.format !== 'module' && !typescript) || !url.startsWith('file:') || result.source === null || result.source === undefined) {
		return result;
	}

	const filename = fileURLToPath(url);
	if (!accept(filename)) {
		return result;
	}

	const source = typeof result.source === 'string' ? result.source : textOf(result.source);
	if (!typescript) {
		return {...result, source: instrumentFile(source, filename, 'module')};
	}

	const javascript = stripTypes(source);
	if (javascript === undefined) {
		return result;
	}

	const isModule = result.format === 'module-typescript';
	return {...result, format: isModule ? 'module' : 'commonjs', source: instrumentFile(javascript, filename, isModule ? 'module' : 'script')};
}

function textOf(source: ArrayBuffer | ArrayBufferView): string {
	return ArrayBuffer.isView(source) ? Buffer.from(source.buffer, source.byteOffset, source.byteLength).toString('utf8') : Buffer.from(source).toString('utf8');
}
