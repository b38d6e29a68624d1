// `import test from 'viztracer/ava'`: ava's `test`, with each test body traced
// by its own VizTracer and saved to its own file (see test-tracing.ts). When
// `VIZTRACER_INSTRUMENT` is not `0`, loading this module installs the
// instrumentation hooks, so the code under test that the test file imports
// after this module is traced (or preload `viztracer/register`-style hooks
// with ava's `nodeArguments`). Only one tracer records at a time, so in a
// traced file the test bodies run one after another, even without `serial`.
import path from 'node:path';
import {fileURLToPath} from 'node:url';
import ava from 'ava';
import {instrumentFor} from '../launch/instrument-for.js';
import {testTracingFromEnvironment} from './test-environment.js';
import {TestTracing} from './test-tracing.js';

type AnyFunction = (...args: any[]) => any;
type ExecutionContext = {title: string; passed: boolean};
type Macro = {exec: AnyFunction; title?: AnyFunction};

const tracing = new TestTracing(testTracingFromEnvironment(process.env));
if (process.env['VIZTRACER_INSTRUMENT'] !== '0') {
	const options = tracing.settings.tracerOptions;
	instrumentFor(options, process.env);
}

const metaFile = (ava as unknown as {meta?: {file?: string}}).meta?.file ?? '';
const file = metaFile.startsWith('file:') ? fileURLToPath(metaFile) : (metaFile ? path.resolve(metaFile) : '');

// Chain members that are not tests (hooks, todo, macro, meta) pass through unchanged.
const passThrough = new Set(['after', 'afterEach', 'before', 'beforeEach', 'todo', 'macro', 'meta', 'default']);

function traceBody(exec: AnyFunction, failing: boolean): AnyFunction {
	return async (t: ExecutionContext, ...args: unknown[]) => tracing.trace({name: t.title, titles: [t.title], file, extra: failing ? {failing} : undefined}, async run => {
		let threw = true;
		try {
			const result: unknown = await exec(t, ...args);
			threw = false;
			return result;
		} finally {
			// A failed assertion may not throw: `t.passed` knows.
			run?.end(threw || !t.passed ? 'fail' : 'pass');
		}
	});
}

function wrapImplementation(implementation: unknown, failing: boolean): unknown {
	if (typeof implementation === 'function') {
		return traceBody(implementation as AnyFunction, failing);
	}

	if (typeof implementation === 'object' && implementation !== null && typeof (implementation as Macro).exec === 'function') {
		const macro = implementation as Macro;
		return Object.freeze({exec: traceBody(macro.exec, failing), title: macro.title});
	}

	return implementation;
}

function wrapChain(chain: AnyFunction, failing: boolean): AnyFunction {
	const wrapped = (...args: unknown[]) => {
		const index = typeof args[0] === 'string' ? 1 : 0;
		args[index] = wrapImplementation(args[index], failing);
		chain(...args);
	};

	for (const [key, value] of Object.entries(chain)) {
		(wrapped as unknown as Record<string, unknown>)[key] = passThrough.has(key) || typeof value !== 'function'
			? value
			: wrapChain(value as AnyFunction, failing || key === 'failing');
	}

	return wrapped;
}

const test = wrapChain(ava as unknown as AnyFunction, false) as unknown as typeof ava;
export default test;
export type * from 'ava';
