// Shared by the function wrappers that also work as TC39 method decorators
// (`ignoreFunction`, `logSparse`, `traceAndSave`): the same call serves
// `wrapper(fn)` and `@wrapper` on a method.

type AnyFunction = (this: unknown, ...args: unknown[]) => unknown;

/** Calls `fn` as the wrapper was called: with `this` and arguments, or with `new`. */
export function callThrough(fn: AnyFunction, self: unknown, args: ArrayLike<unknown>, newTarget: unknown): unknown {
	return newTarget === undefined ? Reflect.apply(fn, self, args) : Reflect.construct(fn as unknown as new (...args: unknown[]) => unknown, args, newTarget as new (...args: unknown[]) => unknown);
}

/** Gives `wrapper` the `name`, `length` and `prototype` of `fn`. */
export function likeOriginal<F>(wrapper: AnyFunction, fn: AnyFunction): F {
	Object.defineProperties(wrapper, {
		name: {value: fn.name, configurable: true},
		length: {value: fn.length, configurable: true},
	});
	if (Object.hasOwn(fn, 'prototype')) {
		wrapper.prototype = fn.prototype as unknown;
	}

	return wrapper as unknown as F;
}

/** The name a span of a decorated method gets: `ClassName.method`, from the instance at call time. */
export function methodName(self: unknown, method: string): string {
	const owner = typeof self === 'function' ? self.name : (self as {constructor?: {name?: string}} | null | undefined)?.constructor?.name;
	return owner ? `${owner}.${method}` : method;
}
