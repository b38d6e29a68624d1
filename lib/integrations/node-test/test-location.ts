// node:test reports each test at the place that called `test()`/`it()`
// (`location:` in TAP, `test at file:line:col` in spec), which it takes from
// the direct caller of its own function. Under viztracer that caller is the
// wrapper of wrap.ts, so the wrapper finds its own caller and gives the
// created test that location instead.
import {createHook} from 'node:async_hooks';
import {fileURLToPath} from 'node:url';

export type TestLocation = {line: number; column: number; file: string};

// `    at name (file:line:col)` or `    at file:line:col`. With source maps on (the
// instrumentation turns them on) the position is the original source's.
const namedFrame = /^\s*at .*? \((.+):(\d+):(\d+)\)$/;
const bareFrame = /^\s*at (.+):(\d+):(\d+)$/;

/** Where the function that called `below` is, as node:test would report it; undefined when stack traces are off. */
export function callerLocation(below: (...args: any[]) => unknown): TestLocation | undefined {
	const holder: {stack?: string} = {};
	Error.captureStackTrace(holder, below);
	const frame = holder.stack?.split('\n')[1];
	const match = frame === undefined ? undefined : (namedFrame.exec(frame) ?? bareFrame.exec(frame));
	if (!match) {
		return undefined;
	}

	const [, file = '', line = '', column = ''] = match;
	return {line: Number(line), column: Number(column), file: file.startsWith('file://') ? fileURLToPath(file) : file};
}

// node:test's tests are async resources of type `Test` (suites, hooks and the
// root test too). The hook is enabled only during calls of node:test's
// functions, and each call (a suite's body makes nested ones) has its own slot.
type NodeTest = {loc?: unknown; parent?: unknown};
const slots: NodeTest[][] = [];
const hook = createHook({
	init(_asyncId, type, _triggerAsyncId, resource) {
		if (type === 'Test') {
			slots.at(-1)?.push(resource as NodeTest);
		}
	},
});

/** Runs `create` (a node:test function) and sets `location` on the test it created, where node:test keeps it. */
export function withLocation<T>(location: TestLocation | undefined, create: () => T): T {
	if (location === undefined) {
		return create();
	}

	const created: NodeTest[] = [];
	slots.push(created);
	if (slots.length === 1) {
		hook.enable();
	}

	try {
		return create();
	} finally {
		slots.pop();
		if (slots.length === 0) {
			hook.disable();
		}

		// The first call also creates the root test, which has no parent; a suite's hooks come after the suite.
		const test = created.find(candidate => candidate.parent !== null && candidate.parent !== undefined);
		// Only where node:test keeps a location itself (it has none for code without a main script).
		if (test && typeof test.loc === 'object' && test.loc !== null) {
			test.loc = {__proto__: null, ...location};
		}
	}
}
