// The transformer `withViztracer()` puts in place of each of the project's:
// it runs the project's transformer, then instruments what that made (see
// jest.ts), with the transformer's source map chained into the one returned.
import {createHash} from 'node:crypto';
import type {SourceMapInput} from '@jridgewell/trace-mapping';
import {createBundlerInstrumenter} from '../instrument/bundler-transform.js';
import {pickInstrumentationOptions, type InstrumentOptions} from '../instrument/config.js';
import {resolveInstrumentOptions} from '../instrument/install.js';
import {composeSourceMaps} from '../instrument/source-map-chain.js';
import {inlineSourceMapComment, readInputSourceMap, withoutSourceMapComment} from '../instrument/source-maps.js';
import {optionsFromEnvironment} from '../launch/environment.js';
import {version} from '../trace-file/version.js';
import {transformVersion} from '../instrument/instrument-file.js';
import {defaultOf, requireForJest} from './jest-resolve.js';

type TransformedSource = {code: string; map?: unknown};
type TransformOptions = {
	config: {rootDir: string; cwd?: string};
	transformerConfig: {inner: string; innerConfig: unknown; instrumentation?: Omit<InstrumentOptions, 'cacheDir' | 'cwd'>};
	supportsStaticESM?: boolean;
	[key: string]: unknown;
};
type Transformer = {
	process?: (source: string, path: string, options: TransformOptions) => TransformedSource | string;
	getCacheKey?: (source: string, path: string, options: TransformOptions) => string;
	createTransformer?: (config?: unknown) => Transformer;
};

const transformers = new Map<string, Transformer>();

/** The project's own transformer, made once per worker for each configuration. */
function innerTransformer(options: TransformOptions): Transformer {
	const {inner, innerConfig} = options.transformerConfig;
	const key = `${options.config.rootDir}\0${inner}\0${JSON.stringify(innerConfig)}`;
	let transformer = transformers.get(key);
	if (transformer === undefined) {
		const loaded = defaultOf(requireForJest(inner, options.config.rootDir)) as Transformer;
		transformer = typeof loaded.createTransformer === 'function' ? loaded.createTransformer(innerConfig) : loaded;
		if (typeof transformer.process !== 'function') {
			throw new TypeError(`viztracer/jest: the transformer ${inner} has no synchronous process() to wrap`);
		}

		transformers.set(key, transformer);
	}

	return transformer;
}

const innerOptions = (options: TransformOptions): TransformOptions => ({...options, transformerConfig: options.transformerConfig.innerConfig as TransformOptions['transformerConfig']});

type Instrumentation = {options: ReturnType<typeof resolveInstrumentOptions>; instrument: ReturnType<typeof createBundlerInstrumenter>};
const instrumentations = new Map<string, Instrumentation>();

/** The instrumentation options (withViztracer's, else the `VIZTRACER_*` variables) and the instrumenter of a project, made once per worker. */
function instrumentationFor(options: TransformOptions): Instrumentation {
	const {rootDir} = options.config;
	const given = options.transformerConfig.instrumentation ?? {};
	const key = `${rootDir}\0${JSON.stringify(given)}`;
	let instrumentation = instrumentations.get(key);
	if (instrumentation === undefined) {
		const resolved = resolveInstrumentOptions({...pickInstrumentationOptions(optionsFromEnvironment(globalThis.process.env)), ...pickInstrumentationOptions(given), cacheDir: false, cwd: rootDir});
		instrumentation = {
			options: resolved,
			instrument: createBundlerInstrumenter(resolved, message => {
				globalThis.process.stderr.write(`${message}\n`);
			}),
		};
		instrumentations.set(key, instrumentation);
	}

	return instrumentation;
}

export function process(source: string, filename: string, options: TransformOptions): TransformedSource {
	const transformed = innerTransformer(options).process!(source, filename, innerOptions(options));
	const result = typeof transformed === 'string' ? {code: transformed} : transformed;
	// A map given beside the code, or inline in it (ts-jest inlines its own): jest would read an inline one first, so ours replaces it.
	const innerMap = typeof result.map === 'string' ? JSON.parse(result.map) as SourceMapInput : (result.map ?? readInputSourceMap(result.code, filename)) as SourceMapInput | undefined;
	const instrumented = instrumentationFor(options).instrument(result.code, filename, options.supportsStaticESM === true ? 'module' : 'script', innerMap);
	if (instrumented === undefined) {
		return result;
	}

	const map = composeSourceMaps(instrumented.map, innerMap);
	return {code: withoutSourceMapComment(instrumented.code) + inlineSourceMapComment(map), map: JSON.parse(map) as unknown};
}

export function getCacheKey(source: string, filename: string, options: TransformOptions): string {
	const transformer = innerTransformer(options);
	const inner = typeof transformer.getCacheKey === 'function' ? transformer.getCacheKey(source, filename, innerOptions(options)) : createHash('sha256').update(source).update(filename).update(String(options['configString'] ?? '')).digest('hex');
	return createHash('sha256').update(inner).update(version).update(transformVersion).update(JSON.stringify(instrumentationFor(options).options)).digest('hex');
}

export default {process, getCacheKey};
