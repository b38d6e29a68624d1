// instrument/: automatic tracing. The module-loader hooks, installed by this
// file (commonjs-hook.ts for require(), esm-loader.ts or esm-loader-sync.ts
// for ES modules), the file filter and the transform cache, the transform
// that inserts span entry and exit into every function, source maps, stack
// traces and fn.toString() as written. Imports the tracer's options, the
// version from trace-file/ and the core (the hook instrumented code calls).

import Module from 'node:module';
import path from 'node:path';
import {fileURLToPath} from 'node:url';
import {resolveOptions} from '../tracer/options.js';
import {defaultCacheDir, usableCacheDir} from './cache.js';
import {mapPrepareStackTracePositions} from './call-sites.js';
import {hookCommonJs} from './commonjs-hook.js';
import {plumbingFrames} from './hidden-frames.js';
import {showOriginalSource} from './original-source.js';
import {pickInstrumentationOptions, type InstrumentOptions, type ResolvedInstrumentOptions} from './config.js';
import {createSyncLoad, type SyncLoad} from './esm-loader-sync.js';
import {createFileFilter} from './file-filter.js';
import {instrumentationHook} from '../core/instrumentation-hook.js';
import {createFileInstrumenter} from './instrument-file.js';
import {distUrl} from '../core/dist-url.js';

// Shared across copies of viztracer: hooks must be installed once per process.
const installedKey = Symbol.for('viztracer.instrumented');

// dist/instrument/install.js → dist/: viztracer's own code is never instrumented
// (the rest of the package, such as examples/, may be).
const selfDir = path.resolve(fileURLToPath(distUrl('.', import.meta.url)));

// Where `instrument()` turns source maps on for its own maps, what the program asked for since.
let programAsked: boolean | undefined;
/**
 * Whether the program runs with source-mapped stack traces of its own:
 * `--enable-source-maps`, or `process.setSourceMapsEnabled(true)` since
 * (tsx does it when it registers, after viztracer or before).
 */
const programMapsSources = () => programAsked ?? (process as {sourceMapsEnabled?: boolean}).sourceMapsEnabled === true;

/**
 * Turns source maps on for the inline maps of Node 20's loader thread; from
 * then on `process.sourceMapsEnabled` tells nothing of the program's wish, so
 * its own calls are noted instead (and never turn them off: the maps of the
 * instrumented ES modules need them).
 */
function enableSourceMapsForOurMaps(): void {
	const original = process.setSourceMapsEnabled;
	original.call(process, true);
	programAsked = false;
	process.setSourceMapsEnabled = {
		setSourceMapsEnabled(enabled: boolean) {
			programAsked = Boolean(enabled);
		},
	}.setSourceMapsEnabled;
}

type RegisterHooks = (hooks: {load: SyncLoad}) => unknown;

export function resolveInstrumentOptions(options: InstrumentOptions = {}): ResolvedInstrumentOptions {
	const resolved = pickInstrumentationOptions(resolveOptions(pickInstrumentationOptions(options)));
	const cwd = path.resolve(options.cwd ?? process.cwd());
	return {
		...resolved,
		// 'all' only adds runtime hooks: the code, and so its cache entry, is that of `true`.
		logAsync: resolved.logAsync !== false,
		// Checked here, once per process, so an unsafe cache is refused with one
		// warning before the options reach the loader thread.
		cacheDir: options.cacheDir === false ? false : usableCacheDir(path.resolve(cwd, options.cacheDir ?? defaultCacheDir(cwd))),
		cwd,
		selfDir,
		chainSourceMaps: programMapsSources(),
	};
}

/**
 * Installs the module-loader hooks that instrument every function of the
 * JavaScript loaded from now on (ES modules through `module.register()`, or
 * `module.registerHooks()` where Node has it; CommonJS through a compile
 * hook), and maps stack traces so errors still point at the original lines. Spans are recorded while a `VizTracer` is started.
 * Returns false when the hooks were already installed (the first options win).
 */
export function instrument(options: InstrumentOptions = {}): boolean {
	const state = globalThis as {[installedKey]?: ResolvedInstrumentOptions};
	if (state[installedKey]) {
		return false;
	}

	const resolved = resolveInstrumentOptions(options);
	state[installedKey] = resolved;
	instrumentationHook();
	const registerHooks = (Module as unknown as {registerHooks?: RegisterHooks}).registerHooks;
	// Maps are kept out of the code and read by our own stack formatting
	// (lazy-maps.ts), but for Node 20's loader thread without a cache, whose
	// inline maps Node reads only with source maps on.
	if (typeof registerHooks !== 'function' && resolved.cacheDir === false && !resolved.chainSourceMaps) {
		enableSourceMapsForOurMaps();
	}

	mapPrepareStackTracePositions(() => !programMapsSources(), plumbingFrames(selfDir));
	showOriginalSource();

	const accept = createFileFilter(resolved);
	const warn = (message: string) => {
		process.emitWarning(message, {code: 'VIZTRACER_NOT_INSTRUMENTED'});
	};

	// The files this thread instruments chain the program's maps from the moment it turns source maps on.
	const instrumentFile = createFileInstrumenter(resolved, warn, {inThread: true, chainSourceMaps: programMapsSources});
	hookCommonJs(instrumentFile, accept, {requiredModules: typeof registerHooks !== 'function'});

	const registerLoader = typeof registerHooks === 'function'
		? (generation: number) => registerHooks({load: createSyncLoad(resolved, instrumentFile, generation)})
		: (generation: number) => Module.register(distUrl(generation === 1 ? 'instrument/esm-loader.js' : `instrument/esm-loader.js?generation=${generation}`, import.meta.url), {data: {...resolved, generation}});
	registerLoader(1);
	stayOutermost(registerLoader);
	return true;
}

/**
 * Node runs the load hook registered last first, on what the hooks
 * registered before it made: to instrument the JavaScript a loader such as
 * tsx makes of a `.ts` file, viztracer's hook must come after it. So every
 * time a program or loader registers hooks (`module.register`,
 * `module.registerHooks`), viztracer registers its own once more, after
 * them (see LoaderRole). The two functions are replaced on `node:module`
 * (named imports too), with their names and lengths.
 */
function stayOutermost(registerLoader: (generation: number) => unknown): void {
	const exports = Module as unknown as Record<string, unknown>;
	let generation = 1;
	let registering = false;
	for (const name of ['register', 'registerHooks']) {
		const original = exports[name];
		if (typeof original !== 'function') {
			continue;
		}

		const replacement = {
			[name](this: unknown, ...args: unknown[]): unknown {
				const result: unknown = Reflect.apply(original, this, args);
				if (!registering) {
					registering = true;
					try {
						registerLoader(++generation);
					} finally {
						registering = false;
					}
				}

				return result;
			},
		}[name]!;
		Object.defineProperty(replacement, 'length', {value: original.length});
		exports[name] = replacement;
	}

	Module.syncBuiltinESMExports();
}

/** The options the hooks were installed with, or undefined when they are not installed. */
export function instrumentedWith(): ResolvedInstrumentOptions | undefined {
	return (globalThis as {[installedKey]?: ResolvedInstrumentOptions})[installedKey];
}
