import path from 'node:path';
import type {SourceMapInput} from '@jridgewell/trace-mapping';
import {recordingOptionsOf, type ResolvedInstrumentOptions} from './config.js';
import {createFileFilter} from './file-filter.js';
import {originalPositionLookup} from './source-map-chain.js';
import {instrumentSource} from './transform.js';

/** What a bundler's transform hook returns: the instrumented code and its map from the code it was given. */
export type BundlerTransformResult = {code: string; map: string};

/**
 * Instruments modules inside a bundler's or a test runner's own pipeline
 * (Vite's `transform` hook for vitest, a jest transformer), which chains
 * source maps itself: the map is returned, not inlined. Span names take the
 * original positions from `inputMap` (the map of the previous transforms,
 * from the original file to `code`). Undefined for a file the filter leaves
 * out, one with nothing to instrument, or one that does not parse (it then
 * runs untraced; `warn` says why).
 */
export function createBundlerInstrumenter(options: ResolvedInstrumentOptions, warn: (message: string) => void): (code: string, filename: string, sourceType: 'module' | 'script', inputMap?: SourceMapInput) => BundlerTransformResult | undefined {
	const accept = createFileFilter(options);
	return (code, filename, sourceType, inputMap) => {
		if (!accept(filename) || code.includes('var __vz$b=')) {
			return undefined;
		}

		const displayPath = path.relative(options.cwd, filename) || path.basename(filename);
		try {
			const result = instrumentSource(code, {
				filename,
				displayPath,
				sourceType,
				...recordingOptionsOf(options),
				originalPosition: inputMap === undefined ? undefined : originalPositionLookup(inputMap, filename, options.cwd),
			});
			return result === undefined ? undefined : {code: result.code, map: result.map.toString()};
		} catch (error) {
			warn(`viztracer: ${displayPath} was not instrumented and runs untraced: ${error instanceof Error ? error.message : String(error)}`);
			return undefined;
		}
	};
}
