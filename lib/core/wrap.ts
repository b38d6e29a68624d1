import type {Recorder} from './recorder.js';

/** Ends the span of a call that returned a promise when the promise settles. */
export function endWhenSettled<T>(recorder: Recorder, promise: Promise<T>): Promise<T> {
	const token = recorder.detachAsync();
	// The derived promise is returned: it settles the same way, and a
	// rejection nobody handles is still reported as unhandled.
	return promise.then(
		value => {
			recorder.closeAsync(token);
			return value;
		},
		(error: unknown) => {
			recorder.closeAsync(token);
			throw error;
		},
	);
}

/**
 * Returns a function that behaves like `fn` (same `this`, arguments, return
 * value, exceptions, `new`, `name` and `length`) and records a span per call
 * while the recorder is enabled. A call that returns a promise is a span
 * until the promise settles.
 */
export function wrapFunction<F extends (...args: never[]) => unknown>(recorder: Recorder, fn: F, name: string): F {
	const id = recorder.intern(name);
	const target = fn as unknown as (...args: unknown[]) => unknown;
	const wrapped = function (this: unknown) {
		if (!recorder.enabled) {
			// eslint-disable-next-line prefer-rest-params
			return new.target === undefined ? target.apply(this, arguments as unknown as unknown[]) : Reflect.construct(target, arguments, new.target);
		}

		recorder.enter(id);
		let result: unknown;
		try {
			// eslint-disable-next-line prefer-rest-params
			result = new.target === undefined ? target.apply(this, arguments as unknown as unknown[]) : Reflect.construct(target, arguments, new.target);
		} catch (error) {
			recorder.exit();
			throw error;
		}

		if (result instanceof Promise) {
			return endWhenSettled(recorder, result);
		}

		recorder.exit();
		return result;
	};

	Object.defineProperties(wrapped, {
		name: {value: fn.name, configurable: true},
		length: {value: fn.length, configurable: true},
	});
	if (Object.hasOwn(fn, 'prototype')) {
		wrapped.prototype = (fn as unknown as {prototype: unknown}).prototype;
	}

	return wrapped as unknown as F;
}
