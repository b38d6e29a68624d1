// The setup file `viztracer/vitest` adds: a tracer of its own for each test,
// from its `beforeEach` to when the test has finished (its `afterEach` hooks
// included), saved as `<test file>--<full title>.json` with
// `viztracer_metadata.test`, as for node:test and ava (see test-tracing.ts).
import {beforeEach} from 'vitest';
import {instrumentationHook} from '../core/instrumentation-hook.js';
import {exitOnSetupError} from '../launch/preload-guard.js';
import {testTracingFromEnvironment} from './test-environment.js';
import {TestTracing, type TestStatus} from './test-tracing.js';

type Task = {name: string; type?: string; mode?: string; suite?: Task; file?: {filepath?: string}; result?: {state?: string}};
type Context = {task: Task; onTestFinished(handler: (context: {task: Task}) => void): void};

// The modules under test call it; vitest gives each test file a fresh module graph, the hook stays per worker.
instrumentationHook();
const tracing = new TestTracing(exitOnSetupError(() => testTracingFromEnvironment(process.env)));

/** The titles of the suites around `task`, outermost first, then its own (the file is not a title). */
function titlesOf(task: Task): string[] {
	const titles = [task.name];
	for (let suite = task.suite; suite !== undefined && suite.name !== '' && (suite as {filepath?: string}).filepath === undefined; suite = suite.suite) {
		titles.unshift(suite.name);
	}

	return titles;
}

function statusOf(task: Task): TestStatus {
	const state = task.result?.state;
	return state === 'fail' ? 'fail' : (state === 'skip' ? 'skip' : (state === 'todo' ? 'todo' : 'pass'));
}

beforeEach(context => {
	const {task, onTestFinished} = context as unknown as Context;
	const run = tracing.begin({name: task.name, titles: titlesOf(task), file: task.file?.filepath ?? ''});
	if (run !== undefined) {
		onTestFinished(finished => {
			run.end(statusOf(finished.task));
		});
	}
});
