// `module.exports = require('viztracer/jest').withViztracer({...config})` in
// jest.config.*: one trace per test, as with viztracer/node-test and
// viztracer/ava. The project's transformers (babel-jest by default, ts-jest,
// @swc/jest, …) are wrapped by jest-transformer.ts, which instruments what
// each one makes, with its source map chained; its test environment (node
// by default, or jsdom) is wrapped by jest-environment.ts, which gives each
// test a tracer of its own (or, with `perTest: false`, only reaches the
// run's tracer). Configured by the `VIZTRACER_*` variables.
import {fileURLToPath} from 'node:url';
import {distUrl} from '../core/dist-url.js';
import type {InstrumentOptions} from '../instrument/config.js';

type TransformEntry = string | [string, unknown];
/** The part of a jest config (or of one of its `projects`) this looks at; everything else passes through. */
export type JestConfig = {
	transform?: Record<string, TransformEntry>;
	testEnvironment?: string;
	testEnvironmentOptions?: Record<string, unknown>;
	projects?: Array<string | JestConfig>;
	[key: string]: unknown;
};

const transformerPath = fileURLToPath(distUrl('integrations/jest-transformer.js', import.meta.url));
const environmentPath = fileURLToPath(distUrl('integrations/jest-environment.js', import.meta.url));
// What jest uses when a config names no transform.
const defaultTransform: Record<string, TransformEntry> = {'\\.[jt]sx?$': 'babel-jest'};

/** The key under which the wrapped environment finds the one it wraps. */
export const innerEnvironmentKey = 'viztracerInnerEnvironment';
/** The key that tells the wrapped environment to give no test a tracer of its own (`perTest: false`). */
export const wholeRunKey = 'viztracerWholeRun';

/** Which files to instrument and what to record of each call (the `VIZTRACER_*` variables give the defaults), and whether each test has a trace. */
export type WithViztracerOptions = Omit<InstrumentOptions, 'cacheDir' | 'cwd'> & {
	/**
	 * A tracer of its own for each test, saved as a trace per test. `false`:
	 * only instrument, for a tracer of the whole run (`viztracer --run jest`).
	 * @default true
	 */
	perTest?: boolean | undefined;
};

/**
 * The config with every transformer wrapped (its output instrumented) and
 * the test environment wrapped (a trace per test); the rest as it was.
 * Projects given as objects are wrapped each; a config wrapped twice is left as it is.
 */
export function withViztracer<T extends JestConfig>(config: T = {} as T, {perTest = true, ...instrumentation}: WithViztracerOptions = {}): T {
	if (config.testEnvironment === environmentPath) {
		return config;
	}

	const transform: Record<string, TransformEntry> = {};
	for (const [pattern, entry] of Object.entries(config.transform ?? defaultTransform)) {
		const [inner, innerConfig] = Array.isArray(entry) ? entry : [entry, {}];
		const given = Object.fromEntries(Object.entries(instrumentation).filter(([, value]) => value !== undefined));
		transform[pattern] = [transformerPath, {inner, innerConfig, ...(Object.keys(given).length === 0 ? {} : {instrumentation: given})}];
	}

	return {
		...config,
		transform,
		testEnvironment: environmentPath,
		testEnvironmentOptions: {...config.testEnvironmentOptions, [innerEnvironmentKey]: config.testEnvironment ?? 'node', ...(perTest ? {} : {[wholeRunKey]: true})},
		...(config.projects === undefined ? {} : {projects: config.projects.map(project => (typeof project === 'string' ? project : withViztracer(project, {perTest, ...instrumentation})))}),
	};
}

export default withViztracer;
