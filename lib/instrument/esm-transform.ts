import {fileURLToPath} from 'node:url';
import type {InstrumentFile} from './instrument-file.js';
import {hasInlineSourceMap} from './source-maps.js';
import {isCompiledSourceFile, isTypeScriptFile, isTypeScriptFormat, stripsTypesItself, stripTypes, stripTypesAsNodeWould} from './type-stripping.js';
import {typescriptModuleFormat} from './typescript-format.js';

export type LoadResult = {format?: string | null; source?: string | ArrayBuffer | ArrayBufferView | null; shortCircuit?: boolean};
export type LoadContext = {format?: string | null; conditions?: string[]; importAttributes?: Record<string, string>};
export type NextLoad = (url: string, context?: LoadContext) => LoadResult | Promise<LoadResult>;

/**
 * What the load hooks need to instrument a module: which files, and how;
 * `inThread` for `module.registerHooks()`, whose load hook require() goes
 * through too, and which must then hand back a CommonJS module's source.
 */
export type EsmInstrumenter = {accept: (file: string) => boolean; instrumentFile: InstrumentFile; inThread?: boolean};

// Decided once: the loader thread (Node 20) sees the same flags as the program.
const ownStripping = stripsTypesItself();

/** Whether the load hooks run the TypeScript file at `url` themselves, on a Node that has no type stripping turned on. */
export const loadsTypeScript = (url: string): boolean => ownStripping && url.startsWith('file:') && isTypeScriptFile(new URL(url).pathname);

/**
 * Where an instance of the load hook stands in the chain. Node runs the hook
 * registered last first, and each one gets what the ones registered before
 * it made of the module. viztracer instruments what the program runs, so its
 * hook must be the one registered last: when another loader (tsx, say)
 * registers after it, it registers itself again (install.ts), and the
 * instances before it step aside.
 * - `sole`: no loader registered after it.
 * - `outer`: registered again, above another loader: it instruments what
 *   that loader made (JavaScript with its source map).
 * - `inner`: a loader and viztracer's outer instance are above it: it passes
 *   modules on as they are, except that on a Node without type stripping it
 *   reads a TypeScript file no loader above claimed, so the others get
 *   JavaScript, as they would on Node 22.18+.
 */
export type LoaderRole = 'sole' | 'outer' | 'inner';

const generationKey = Symbol.for('viztracer.loaderGeneration');

/** Records that the instance of generation `generation` is registered; returns a function telling its role at any time. */
export function loaderRole(generation: number): () => LoaderRole {
	const state = globalThis as {[generationKey]?: number};
	state[generationKey] = Math.max(state[generationKey] ?? 0, generation);
	return () => (generation < state[generationKey]! ? 'inner' : (generation === 1 ? 'sole' : 'outer'));
}

/**
 * The context to ask the next loader with. A TypeScript file this process
 * strips itself is a format Node 20 does not know: it is asked for as a
 * module, which has Node read its source (unless a loader above already
 * said what it is).
 */
export function loadContextFor(url: string, context: LoadContext, role: LoaderRole = 'sole'): LoadContext {
	if (role === 'outer' || !loadsTypeScript(url) || (role === 'inner' && context.format !== null && context.format !== undefined)) {
		return context;
	}

	return {...context, format: 'module'};
}

/**
 * The path of the TypeScript (or TSX, JSX) file at `url`, if it is one. Loaders may add a
 * query of their own inside the path (tsx loads a CommonJS `.ts` file as
 * `file:///…/a.ts%3Ftsx-commonjs-export-preparse=1?…`): the file is the part before it.
 */
function typescriptPathOf(url: string): string | undefined {
	const file = fileURLToPath(url);
	if (isCompiledSourceFile(file)) {
		return file;
	}

	const query = file.indexOf('?');
	return query !== -1 && isCompiledSourceFile(file.slice(0, query)) ? file.slice(0, query) : undefined;
}

/**
 * Instruments ES modules, and TypeScript files Node strips the types of
 * (`module-typescript`, `commonjs-typescript`): those are stripped here
 * first, by Node's own stripper, and handed on as the JavaScript formats.
 * On a Node without type stripping, TypeScript files are stripped here too
 * (loadContextFor asked for their source), as Node 22.18+ would run them.
 * A TypeScript file that another loader already made JavaScript of (it
 * comes with that loader's inline source map) is instrumented as the
 * JavaScript it is. Everything else (CommonJS, JSON, builtins) passes
 * through untouched. `context` is the one this hook was called with.
 */
export function transformLoaded(url: string, result: LoadResult, {accept, instrumentFile, inThread = false}: EsmInstrumenter, role: LoaderRole = 'sole', context: LoadContext = {}): LoadResult {
	if (role === 'inner') {
		return loadContextFor(url, context, role) === context ? result : loadOwnTypeScript(url, result, undefined, instrumentFile, inThread, context);
	}

	if (!url.startsWith('file:') || result.source === null || result.source === undefined) {
		return result;
	}

	const typescriptFile = typescriptPathOf(url);
	if (typescriptFile !== undefined && (result.format === 'module' || result.format === 'commonjs')) {
		const source = textOf(result.source);
		if (role === 'outer' || hasInlineSourceMap(source)) {
			// What a loader made of the file: JavaScript, mapped to the .ts by its own map.
			return accept(typescriptFile) ? {...result, source: instrumentFile(source, typescriptFile, result.format === 'module' ? 'module' : 'script')} : result;
		}
	}

	if (loadsTypeScript(url)) {
		return loadOwnTypeScript(url, result, accept, instrumentFile, inThread, context);
	}

	const typescript = isTypeScriptFormat(result.format);
	if (result.format !== 'module' && !typescript) {
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

/** Strips a TypeScript file as Node 22.18+ would, and instruments it when `accept` is given and takes it. */
function loadOwnTypeScript(url: string, result: LoadResult, accept: ((file: string) => boolean) | undefined, instrumentFile: InstrumentFile, inThread: boolean, context: LoadContext): LoadResult {
	if (result.source === null || result.source === undefined) {
		return result;
	}

	const filename = fileURLToPath(url);
	const source = textOf(result.source);
	// In-thread hooks are require()'s too: the file goes to the CommonJS loader
	// as it is, for the `.ts` handler of a loader such as ts-node, or for the
	// compile hook, which strips and instruments it (commonjs-hook.ts).
	if (inThread && isRequire(context)) {
		return {...result, format: 'commonjs', source};
	}

	const javascript = stripTypesAsNodeWould(source, url);
	if (typescriptModuleFormat(filename, javascript) === 'commonjs') {
		// Off-thread, Node's CommonJS loader reads the file itself; in-thread an
		// import of it gets the JavaScript. The compile hook instruments it.
		return inThread ? {...result, format: 'commonjs', source: javascript} : {format: 'commonjs', source: null, shortCircuit: true};
	}

	return {...result, format: 'module', source: accept?.(filename) ? instrumentFile(javascript, filename, 'module') : javascript};
}

/** Whether a load is require()'s (its conditions, an array or, for require(), Node's own set, name `require`). */
function isRequire(context: LoadContext): boolean {
	const conditions = context.conditions as unknown;
	if (Array.isArray(conditions)) {
		return conditions.includes('require');
	}

	// Node's internal SafeSet: a set, but not an instance of this realm's Set.
	const set = conditions as {has?: unknown} | undefined;
	return typeof set?.has === 'function' && (set as {has(value: string): boolean}).has('require');
}

function textOf(source: string | ArrayBuffer | ArrayBufferView): string {
	if (typeof source === 'string') {
		return source;
	}

	return ArrayBuffer.isView(source) ? Buffer.from(source.buffer, source.byteOffset, source.byteLength).toString('utf8') : Buffer.from(source).toString('utf8');
}
