import {describeValue, VizTracerArgumentError} from '../core/errors.js';
import {installedHook} from '../core/instrumentation-hook.js';
import {callThrough, likeOriginal} from './method-or-function.js';
import {getTracer, recorderKey} from '../tracer/tracer.js';

type AnyFunction = (this: unknown, ...args: unknown[]) => unknown;

/**
 * Returns `fn` with it and everything it calls left out of the trace: while
 * it runs, recording pauses (instrumented functions, wraps and events alike).
 * Also a method decorator: `@ignoreFunction`. For an async function this
 * covers the part before its first await; what runs after resumes recording.
 */
export function ignoreFunction<F extends (...args: never[]) => unknown>(fn: F, context?: ClassMethodDecoratorContext): F {
	if (typeof fn !== 'function') {
		throw new VizTracerArgumentError(`ignoreFunction() expects a function, got ${describeValue(fn)}`);
	}

	void context;
	const target = fn as unknown as AnyFunction;
	const ignored = function (this: unknown) {
		const tracer = getTracer();
		if (tracer === undefined || !tracer.enabled) {
			// eslint-disable-next-line prefer-rest-params
			return callThrough(target, this, arguments, new.target);
		}

		const recorder = tracer[recorderKey];
		const hook = installedHook();
		const hookWasOn = hook?.on ?? false;
		const wasEnabled = recorder.suspend();
		if (hook) {
			hook.on = false;
		}

		try {
			// eslint-disable-next-line prefer-rest-params
			return callThrough(target, this, arguments, new.target);
		} finally {
			recorder.resume(wasEnabled);
			if (hook) {
				hook.on = hookWasOn;
			}
		}
	};

	return likeOriginal<F>(ignored, target);
}
