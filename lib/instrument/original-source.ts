import {originalText} from './inserted-text.js';

// `fn.toString()` of an instrumented function (or of a class with
// instrumented methods) gives its original source, as untraced: the text V8
// returns with what the transform inserted taken out and what it moved put
// back (inserted-text.ts).
// Installed once, at start-up; the replacement reads as native
// (`Function.prototype.toString.toString()`), and anything that is not
// instrumented text comes back from V8 untouched, errors included.

const installed = Symbol.for('viztracer.originalSource');
// V8's own toString, kept where any copy of viztracer finds it once replaced.
const nativeKey = Symbol.for('viztracer.nativeFunctionToString');
const {apply} = Reflect;
const {defineProperty, getOwnPropertyDescriptor} = Object;
const loadedToString = Function.prototype.toString;

/** The text V8 compiled `fn` from (a function of this realm), instrumentation included; throws for a non-function as toString does. */
export function compiledText(fn: unknown): string {
	const native = (globalThis as {[nativeKey]?: typeof loadedToString})[nativeKey] ?? loadedToString;
	return apply(native, fn, []) as string;
}

/** Installs the replacement in `realm` (another realm's global: a `vm` context's, say), once. */
export function showOriginalSource(realm: typeof globalThis = globalThis): void {
	const state = realm as {[installed]?: true};
	const functionPrototype = realm.Function.prototype;
	const descriptor = getOwnPropertyDescriptor(functionPrototype, 'toString');
	if (state[installed] || descriptor === undefined || typeof descriptor.value !== 'function' || !descriptor.configurable) {
		return;
	}

	defineProperty(state, installed, {value: true});
	const nativeToString = descriptor.value as (this: unknown) => string;
	defineProperty(state, nativeKey, {value: nativeToString});
	const replacement = {
		toString(this: unknown): string {
			if (this === replacement) {
				return apply(nativeToString, nativeToString, []) as string;
			}

			return originalText(apply(nativeToString, this, []) as string);
		},
	}.toString;
	defineProperty(functionPrototype, 'toString', {...descriptor, value: replacement});
}
