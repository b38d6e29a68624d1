// events/: what user code calls to record more than function spans: custom
// events (VizCounter, VizObject) and the selected-function wrappers (trace,
// logSparse, ignoreFunction, traceAndSave). Built on the tracer and the core;
// reads compiled function text from instrument/.

import type {Recorder} from '../core/recorder.js';
import {getTracer, recorderKey} from '../tracer/tracer.js';
import {endWhenSettled} from '../core/wrap.js';

type Method<This, Args extends unknown[], Return> = (this: This, ...args: Args) => Return;

function className(self: unknown): string | undefined {
	if (typeof self === 'function') {
		return self.name || undefined;
	}

	const name = (self as {constructor?: {name?: unknown}} | null | undefined)?.constructor?.name;
	return typeof name === 'string' && name !== '' ? name : undefined;
}

function traceMethod<This, Args extends unknown[], Return>(method: Method<This, Args, Return>, context: ClassMethodDecoratorContext<This, Method<This, Args, Return>>, fixedName: string | undefined): Method<This, Args, Return> {
	const methodName = String(context.name);
	// Names are interned once per recorder and class, not per call.
	let cachedRecorder: Recorder | undefined;
	let cachedClass: string | undefined;
	let cachedId = -1;
	return function (this: This, ...args: Args): Return {
		const tracer = getTracer();
		if (tracer === undefined || !tracer.enabled) {
			return method.apply(this, args);
		}

		const recorder = tracer[recorderKey];
		const owner = fixedName === undefined ? className(this) : undefined;
		if (recorder !== cachedRecorder || owner !== cachedClass) {
			cachedRecorder = recorder;
			cachedClass = owner;
			cachedId = recorder.intern(fixedName ?? (owner === undefined ? methodName : `${owner}.${methodName}`));
		}

		recorder.enter(cachedId);
		let result: Return;
		try {
			result = method.apply(this, args);
		} catch (error) {
			recorder.exit();
			throw error;
		}

		if (result instanceof Promise) {
			return endWhenSettled(recorder, result) as Return;
		}

		recorder.exit();
		return result;
	};
}

/**
 * A method decorator (TC39 decorators, as TypeScript 5+ compiles them) that
 * records a span named `ClassName.method` for each call while a tracer is
 * started. `@trace('custom name')` sets the span name.
 */
export function trace<This, Args extends unknown[], Return>(method: Method<This, Args, Return>, context: ClassMethodDecoratorContext<This, Method<This, Args, Return>>): Method<This, Args, Return>;
export function trace(name: string): <This, Args extends unknown[], Return>(method: Method<This, Args, Return>, context: ClassMethodDecoratorContext<This, Method<This, Args, Return>>) => Method<This, Args, Return>;
export function trace<This, Args extends unknown[], Return>(methodOrName: Method<This, Args, Return> | string, context?: ClassMethodDecoratorContext<This, Method<This, Args, Return>>): unknown {
	if (typeof methodOrName === 'string') {
		return (method: Method<This, Args, Return>, methodContext: ClassMethodDecoratorContext<This, Method<This, Args, Return>>) => traceMethod(method, methodContext, methodOrName);
	}

	if (context?.kind !== 'method') {
		throw new TypeError('@trace decorates class methods; use tracer.wrap(fn) for plain functions');
	}

	return traceMethod(methodOrName, context, undefined);
}
