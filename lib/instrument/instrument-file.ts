import path from 'node:path';
import {version} from '../trace-file/version.js';
import {TransformCache} from './cache.js';
import {recordingOptionsOf, type ResolvedInstrumentOptions} from './config.js';
import {coldPath} from './cold-path-loader.js';
import {inlineSourceMapComment, readInputSourceMap} from './source-maps.js';
import {cacheRef, holdInMemory, reserveMemoryRef, type LazyMapPayload} from './lazy-maps.js';
import {isCompiledSourceFile} from './type-stripping.js';

// Bump when the generated code changes shape, so stale cache entries are not reused.
export const transformVersion = '18';
const instrumentedMarker = 'var __vz$b=';

export type InstrumentFile = (source: string, filename: string, sourceType: 'module' | 'script') => string;

/**
 * Returns the code to run for `filename`: instrumented (from the cache when
 * possible), or the original when the file cannot be parsed, so a file the
 * parser does not understand still runs, untraced, with a warning.
 */
export function createFileInstrumenter(options: ResolvedInstrumentOptions, warn: (message: string) => void, {inThread = false, chainSourceMaps}: {inThread?: boolean; chainSourceMaps?: () => boolean} = {}): InstrumentFile {
	const cache = options.cacheDir === false ? undefined : new TransformCache(options.cacheDir);
	const flagsOf = (chaining: boolean) => JSON.stringify([options.logFuncArgs, options.logFuncRetval, options.logException, options.logAsync, chaining]);
	return (source, filename, sourceType) => {
		// Asked per file: the program may turn source maps on after the hooks are in.
		const chaining = options.chainSourceMaps || chainSourceMaps?.() === true;
		// Maps stay inline only where Node itself maps the stack (the program turned
		// source maps on), or where the map could be kept neither in the cache nor
		// in the thread that runs the code (Node 20's loader thread, no cache).
		const inline = chaining || (cache === undefined && !inThread);
		const flags = flagsOf(chaining);
		// Node 22's in-thread hooks may see a file the CommonJS hook already instrumented.
		if (source.includes(instrumentedMarker)) {
			return source;
		}

		const displayPath = path.relative(options.cwd, filename) || path.basename(filename);
		// The file's own source map (a .map file may change while the code does
		// not) and its absolute path (which our inline map names) shape the output too.
		const inputMap = readInputSourceMap(source, filename);
		const key = cache && TransformCache.key(version, transformVersion, flags, sourceType, filename, displayPath, source, inputMap === undefined ? '' : JSON.stringify(inputMap));
		const cached = key === undefined ? undefined : cache!.get(key);
		if (cached !== undefined) {
			return cached;
		}

		// A miss: from here on the parser and the transform are needed (a hit never loads them).
		const {composeSourceMaps, instrumentSource, originalPositionLookup} = coldPath();
		let code = source;
		// Where the map goes when it is kept out of the code: the cache entry beside the code's, or this thread's memory.
		const mapKey = inline ? undefined : key;
		const mapRef = inline ? undefined : (mapKey === undefined ? reserveMemoryRef() : cacheRef(options.cacheDir as string, mapKey));
		try {
			const result = instrumentSource(source, {
				filename,
				displayPath,
				sourceType,
				...recordingOptionsOf(options),
				mapRef,
				originalPosition: inputMap === undefined ? undefined : originalPositionLookup(inputMap, filename, options.cwd),
			});
			if (result !== undefined) {
				// A `.ts` (`.tsx`, `.jsx`) file handed over as JavaScript came from a loader (tsx,
				// ts-node, …), which maps stack traces to the `.ts` lines itself:
				// so do ours, whether or not the program turned source maps on.
				const chain = (chaining || isCompiledSourceFile(filename)) && inputMap !== undefined;
				const inlined = () => {
					const ownMap = result.map.toString();
					return result.code + inlineSourceMapComment(chain ? composeSourceMaps(ownMap, inputMap) : ownMap, ownMap);
				};

				if (mapRef === undefined) {
					code = inlined();
				} else {
					// Kept out of the code: our map, and the file's own to chain it with when a position is asked for.
					const payload: LazyMapPayload = chain ? {map: result.map.linear(), input: JSON.stringify(inputMap)} : {map: result.map.linear()};
					if (mapKey === undefined) {
						holdInMemory(mapRef, payload);
					} else if (!cache!.set(mapKey, JSON.stringify(payload), 'map')) {
						// The map could not be cached: the code is not cached either (a later
						// run must not find code without its map); this run keeps the map in
						// memory, or inline where the code runs in another thread.
						if (inThread) {
							holdInMemory(mapRef, payload);
							return result.code;
						}

						return inlined();
					}

					code = result.code;
				}
			}
		} catch (error) {
			if (sourceType === 'script' && isModuleSyntax(source)) {
				// A `.js` file with ES module syntax outside a `"type": "module"`
				// package: Node's CommonJS loader gives it up and loads it again as
				// an ES module, through the ESM hook, which instruments it then.
				return source;
			}

			warn(`viztracer: ${displayPath} was not instrumented and runs untraced: ${error instanceof Error ? error.message : String(error)}`);
			return source;
		}

		if (key !== undefined) {
			cache!.set(key, code);
		}

		return code;
	};
}

function isModuleSyntax(source: string): boolean {
	try {
		coldPath().parse(source, {ecmaVersion: 'latest', sourceType: 'module', allowHashBang: true});
		return true;
	} catch {
		return false;
	}
}
