// `import viztracer from 'viztracer/vitest'` and `plugins: [viztracer()]` in
// vitest.config.*: one trace per test, as with viztracer/node-test and
// viztracer/ava. The plugin instruments the modules Vite transforms for the
// tests (its `transform` hook, after Vite's own TypeScript/JSX transforms, so
// it gets JavaScript and returns its source map for Vite to chain), and adds
// a setup file (vitest-setup.ts) that gives each test a tracer of its own.
// Configured by the `VIZTRACER_*` variables (and the plugin's options).
import path from 'node:path';
import {fileURLToPath} from 'node:url';
import type {SourceMapInput} from '@jridgewell/trace-mapping';
import {instrumentationHook} from '../core/instrumentation-hook.js';
import {createBundlerInstrumenter} from '../instrument/bundler-transform.js';
import {pickInstrumentationOptions, type InstrumentOptions} from '../instrument/config.js';
import {resolveInstrumentOptions} from '../instrument/install.js';
import {optionsFromEnvironment} from '../launch/environment.js';
import {distUrl} from '../core/dist-url.js';

/** The plugin's options: which files to instrument and what to record of each call (the `VIZTRACER_*` variables give the defaults). */
export type VizTracerVitestOptions = Omit<InstrumentOptions, 'cacheDir' | 'cwd'> & {
	/**
	 * A tracer of its own for each test, saved as a trace per test. `false`:
	 * only instrument, for a tracer of the whole run (`viztracer --run vitest`).
	 * @default true
	 */
	perTest?: boolean | undefined;
};

/** The part of a Vite plugin this one uses (structurally a Vite `Plugin`). */
export type VizTracerVitePlugin = {
	name: 'viztracer';
	enforce: 'post';
	config(config: {test?: {setupFiles?: string | string[]}}): void;
	transform(this: {getCombinedSourcemap?: () => unknown}, code: string, id: string): {code: string; map: string} | undefined;
};

const setupFile = fileURLToPath(distUrl('integrations/vitest-setup.js', import.meta.url));
const scriptFile = /\.(?:[cm]?[jt]s|[jt]sx)$/;

export default function viztracer({perTest = true, ...options}: VizTracerVitestOptions = {}): VizTracerVitePlugin {
	const fromEnvironment = pickInstrumentationOptions(optionsFromEnvironment(process.env));
	const defined = Object.fromEntries(Object.entries(options).filter(([, value]) => value !== undefined)) as VizTracerVitestOptions;
	const resolved = resolveInstrumentOptions({...fromEnvironment, ...defined, cacheDir: false});
	// Modules Vite transforms for this process (a globalSetup file) call the hook too; nothing records here.
	instrumentationHook();
	const instrumentModule = createBundlerInstrumenter(resolved, message => {
		process.stderr.write(`${message}\n`);
	});
	return {
		name: 'viztracer',
		enforce: 'post',
		config(config) {
			if (!perTest) {
				return;
			}

			// First, so the hook global exists before any other setup file's module runs.
			config.test ??= {};
			const {setupFiles} = config.test;
			config.test.setupFiles = [setupFile, ...(setupFiles === undefined ? [] : (Array.isArray(setupFiles) ? setupFiles : [setupFiles]))];
		},
		transform(code, id) {
			const file = id.replace(/[?#].*$/, '');
			if (file.startsWith('\0') || !path.isAbsolute(file) || !scriptFile.test(file)) {
				return undefined;
			}

			const inputMap = this.getCombinedSourcemap?.() as SourceMapInput | undefined;
			return instrumentModule(code, file, 'module', inputMap);
		},
	};
}
