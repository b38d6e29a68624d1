import path from 'node:path';
import {parse} from 'acorn';
import {version} from '../trace-file/version.js';
import {TransformCache} from './cache.js';
import {recordingOptionsOf, type ResolvedInstrumentOptions} from './config.js';
import {composeSourceMaps, inlineSourceMapComment, originalPositionLookup, readInputSourceMap} from './source-maps.js';
import {instrumentSource} from './transform.js';
import {isCompiledSourceFile} from './type-stripping.js';

// Bump when the generated code changes shape, so stale cache entries are not reused.
export const transformVersion = '14';
const instrumentedMarker = 'var __vz$b=';

export type InstrumentFile = (source: string, filename: string, sourceType: 'module' | 'script') => string;

/**
 * Returns the code to run for `filename`: instrumented (from the cache when
 * possible), or the original when the file cannot be parsed, so a file the
 * parser does not understand still runs, untraced, with a warning.
 */
export function createFileInstrumenter(options: ResolvedInstrumentOptions, warn: (message: string) => void): InstrumentFile {
	const cache = options.cacheDir === false ? undefined : new TransformCache(options.cacheDir);
	const flags = JSON.stringify([options.logFuncArgs, options.logFuncRetval, options.logException, options.logAsync, options.chainSourceMaps]);
	return (source, filename, sourceType) => {
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

		let code = source;
		try {
			const result = instrumentSource(source, {
				filename,
				displayPath,
				sourceType,
				...recordingOptionsOf(options),
				originalPosition: inputMap === undefined ? undefined : originalPositionLookup(inputMap, filename, options.cwd),
			});
			if (result !== undefined) {
				// A `.ts` (`.tsx`, `.jsx`) file handed over as JavaScript came from a loader (tsx,
				// ts-node, …), which maps stack traces to the `.ts` lines itself:
				// so do ours, whether or not the program turned source maps on.
				const chain = options.chainSourceMaps || isCompiledSourceFile(filename);
				const ownMap = result.map.toString();
				code = result.code + inlineSourceMapComment(chain ? composeSourceMaps(ownMap, inputMap) : ownMap, ownMap);
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
		parse(source, {ecmaVersion: 'latest', sourceType: 'module', allowHashBang: true});
		return true;
	} catch {
		return false;
	}
}
