import {fileURLToPath} from 'node:url';
import type {InstrumentFile} from './instrument-file.js';
import {isTypeScriptFile, isTypeScriptFormat, stripsTypesItself, stripTypes, stripTypesAsNodeWould} from './type-stripping.js';
import {typescriptModuleFormat} from './typescript-format.js';

export type LoadResult = {format?: string | null; source?: string | ArrayBuffer | ArrayBufferView | null; shortCircuit?: boolean};
export type LoadContext = {format?: string | null; conditions?: string[]; importAttributes?: Record<string, string>};
export type NextLoad = (url: string, context?: LoadContext) => LoadResult | Promise<LoadResult>;

/** What the load hooks need to instrument a module: which files, and how. */
export type EsmInstrumenter = {accept: (file: string) => boolean; instrumentFile: InstrumentFile};

// Decided once: the loader thread (Node 20) sees the same flags as the program.
const ownStripping = stripsTypesItself();

/** Whether the load hooks run the TypeScript file at `url` themselves, on a Node that has no type stripping turned on. */
export const loadsTypeScript = (url: string): boolean => ownStripping && url.startsWith('file:') && isTypeScriptFile(new URL(url).pathname);

/**
 * The context to ask the next loader with. A TypeScript file this process
 * strips itself is a format Node 20 does not know: it is asked for as a
 * module, which has Node read its source.
 */
export const loadContextFor = (url: string, context: LoadContext): LoadContext => loadsTypeScript(url) ? {...context, format: 'module'} : context;

/**
 * Instruments ES modules, and TypeScript files Node strips the types of
 * (`module-typescript`, `commonjs-typescript`): those are stripped here
 * first, by Node's own stripper, and handed on as the JavaScript formats.
 * On a Node without type stripping, TypeScript files are stripped here too
 * (loadContextFor asked for their source), as Node 22.18+ would run them.
 * Everything else (CommonJS, JSON, builtins) passes through untouched.
 */
export function transformLoaded(url: string, result: LoadResult, {accept, instrumentFile}: EsmInstrumenter): LoadResult {
	if (loadsTypeScript(url)) {
		return loadOwnTypeScript(url, result, accept, instrumentFile);
	}

	const typescript = isTypeScriptFormat(result.format);
	if ((result.format !== 'module' && !typescript) || !url.startsWith('file:') || result.source === null || result.source === undefined) {
		return result;
	}

	const filename = fileURLToPath(url);
	if (!accept(filename)) {
		return result;
	}

	const source = textOf(result.source);
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

function loadOwnTypeScript(url: string, result: LoadResult, accept: (file: string) => boolean, instrumentFile: InstrumentFile): LoadResult {
	if (result.source === null || result.source === undefined) {
		return result;
	}

	const filename = fileURLToPath(url);
	const javascript = stripTypesAsNodeWould(textOf(result.source), url);
	if (typescriptModuleFormat(filename, javascript) === 'commonjs') {
		// Node's CommonJS loader reads the file itself; the compile hook strips it (commonjs-hook.ts).
		return {format: 'commonjs', source: null, shortCircuit: true};
	}

	return {...result, format: 'module', source: accept(filename) ? instrumentFile(javascript, filename, 'module') : javascript};
}

function textOf(source: string | ArrayBuffer | ArrayBufferView): string {
	if (typeof source === 'string') {
		return source;
	}

	return ArrayBuffer.isView(source) ? Buffer.from(source.buffer, source.byteOffset, source.byteLength).toString('utf8') : Buffer.from(source).toString('utf8');
}
