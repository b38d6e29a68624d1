// The test environment `withViztracer()` puts in place of the project's: it
// makes the project's own (node by default, jsdom, or any other), then gives
// each test a tracer of its own, from jest-circus' `test_start` to its
// `test_done` (its hooks included), saved as `<test file>--<full title>.json`
// with `viztracer_metadata.test`, as for node:test and ava. The instrumented
// code runs inside the environment's context and reaches the recorder, which
// runs outside it, through the hook global put on the context's global.
import {hookGlobal} from '../core/hook-names.js';
import {instrumentationHook} from '../core/instrumentation-hook.js';
import {testTracingFromEnvironment} from './test-environment.js';
import {TestTracing, type TestRun} from './test-tracing.js';
import {innerEnvironmentKey, wholeRunKey} from './jest.js';
import {defaultOf, requireForJest} from './jest-resolve.js';

type CircusTest = {name: string; parent?: CircusTest; errors?: unknown[]; mode?: string};
type CircusEvent = {name: string; test?: CircusTest};
type Environment = {global: object; handleTestEvent?: (event: CircusEvent, state: unknown) => unknown};
type EnvironmentConfig = {projectConfig: {rootDir: string; testEnvironmentOptions?: Record<string, unknown>}};
type EnvironmentClass = new (config: EnvironmentConfig, context: {testPath: string}) => Environment;

const shortNames: Record<string, string> = {node: 'jest-environment-node', jsdom: 'jest-environment-jsdom'};

/** The titles of the describe blocks around `test`, outermost first, then its own. */
function titlesOf(test: CircusTest): string[] {
	const titles = [test.name];
	for (let block = test.parent; block !== undefined && block.name !== 'ROOT_DESCRIBE_BLOCK'; block = block.parent) {
		titles.unshift(block.name);
	}

	return titles;
}

/** Not a class of its own: its constructor returns the project's environment, traced. */
export default function VizTracerEnvironment(this: unknown, config: EnvironmentConfig, context: {testPath: string}): Environment {
	const options = config.projectConfig.testEnvironmentOptions ?? {};
	const name = String(options[innerEnvironmentKey] ?? 'node');
	const loaded = defaultOf(requireForJest(shortNames[name] ?? name, config.projectConfig.rootDir)) as EnvironmentClass | {TestEnvironment: EnvironmentClass};
	const InnerClass = typeof loaded === 'function' ? loaded : loaded.TestEnvironment;
	const environment = new InnerClass(config, context);

	Object.defineProperty(environment.global, hookGlobal, {value: instrumentationHook(), writable: false, configurable: false, enumerable: false});
	// The whole run's tracer (viztracer --run jest) records the calls: no test has one of its own.
	if (options[wholeRunKey] === true) {
		return environment;
	}

	const tracing = new TestTracing(testTracingFromEnvironment(process.env));
	const handleTestEvent = environment.handleTestEvent?.bind(environment);
	const runs = new Map<CircusTest, TestRun | undefined>();
	environment.handleTestEvent = (event: CircusEvent, state: unknown) => {
		const {test} = event;
		if (event.name === 'test_start' && test !== undefined) {
			runs.set(test, tracing.begin({name: test.name, titles: titlesOf(test), file: context.testPath}));
		} else if (event.name === 'test_done' && test !== undefined) {
			runs.get(test)?.end((test.errors?.length ?? 0) > 0 ? 'fail' : 'pass');
			runs.delete(test);
		}

		return handleTestEvent?.(event, state);
	};

	return environment;
}
