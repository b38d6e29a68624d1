// Builds a copy of `node:test`'s API whose test functions trace each test
// body. Suites (`describe`) only record their titles; hooks, `run` and `mock`
// are the originals.
import {AsyncLocalStorage} from 'node:async_hooks';
import type {TestStatus, TestTracing} from '../test-tracing.js';
import {callerLocation, withLocation} from './test-location.js';

type AnyFunction = (...args: any[]) => any;
type TestContext = {name: string; skip?: AnyFunction; todo?: AnyFunction};

// The keys of `node:test` that create tests or suites; the rest pass through.
const testKeys = new Set(['test', 'it']);
const suiteKeys = new Set(['describe', 'suite']);
const variants = ['skip', 'todo', 'only'] as const;

export function tracedNodeTest<Api extends AnyFunction>(original: Api, tracing: TestTracing, file: string): Api {
	const suites = new AsyncLocalStorage<readonly string[]>();

	const wrapBody = (fn: AnyFunction, todo: boolean): AnyFunction => {
		const traced = async (t: TestContext, call: (finish: (status: TestStatus, error?: unknown) => void) => unknown) => {
			let marked: TestStatus | undefined = todo ? 'todo' : undefined;
			for (const method of ['skip', 'todo'] as const) {
				const own = t[method];
				if (typeof own === 'function') {
					t[method] = (...args: unknown[]) => {
						marked ??= method;
						return own.apply(t, args);
					};
				}
			}

			const titles = [...(suites.getStore() ?? []), t.name];
			return tracing.trace({name: t.name, titles, file}, async run => new Promise((resolve, reject) => {
				const finish = (status: TestStatus, error?: unknown) => {
					run?.end(marked ?? status);
					if (status === 'fail') {
						reject(error);
					} else {
						resolve(undefined);
					}
				};

				try {
					call(finish);
				} catch (error) {
					finish('fail', error);
				}
			}));
		};

		// node:test passes a `done` callback only to functions declaring two parameters; keep the arity.
		if (fn.length >= 2) {
			return function (this: unknown, t: TestContext, done: (error?: unknown) => void) {
				traced(t, finish => fn.call(this, t, (error?: unknown) => {
					finish(error ? 'fail' : 'pass', error);
				})).then(() => {
					done();
				}, (error: unknown) => {
					done(error ?? new Error('test failed'));
				});
			};
		}

		return async function (this: unknown, t: TestContext) {
			await traced(t, finish => {
				Promise.resolve(fn.call(this, t)).then(() => {
					finish('pass');
				}, (error: unknown) => {
					finish('fail', error);
				});
			});
		};
	};

	const wrapCall = (create: AnyFunction, kind: 'test' | 'suite', todo: boolean): AnyFunction => {
		const wrapped = function (this: unknown, ...args: unknown[]) {
			const index = args.findIndex(argument => typeof argument === 'function');
			const options = args.find(argument => typeof argument === 'object' && argument !== null) as {todo?: unknown} | undefined;
			if (index !== -1) {
				const fn = args[index] as AnyFunction;
				if (kind === 'suite') {
					const title = typeof args[0] === 'string' ? args[0] : (fn.name || '<anonymous>');
					const path = [...(suites.getStore() ?? []), title];
					args[index] = function (this: unknown, ...suiteArgs: unknown[]) {
						return suites.run(path, () => fn.apply(this, suiteArgs));
					};
				} else if (!tracing.nested) {
					// Tests created inside a traced body are subtests: part of that body's trace.
					args[index] = wrapBody(fn, todo || Boolean(options?.todo));
				}
			}

			return withLocation(callerLocation(wrapped), () => create.apply(this, args));
		};

		for (const variant of variants) {
			const original = (create as unknown as Record<string, unknown>)[variant];
			if (typeof original === 'function') {
				(wrapped as unknown as Record<string, unknown>)[variant] = wrapCall(original as AnyFunction, kind, todo || variant === 'todo');
			}
		}

		return wrapped;
	};

	const api = wrapCall(original, 'test', false) as unknown as Record<string, unknown>;
	for (const [key, value] of Object.entries(original)) {
		if (variants.includes(key as typeof variants[number])) {
			continue;
		}

		api[key] = typeof value === 'function' && (testKeys.has(key) || suiteKeys.has(key))
			? wrapCall(value as AnyFunction, suiteKeys.has(key) ? 'suite' : 'test', false)
			: value;
	}

	return api as unknown as Api;
}
