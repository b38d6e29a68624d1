import {describeValue, VizTracerArgumentError} from '../core/errors.js';
import {installedHook} from '../core/instrumentation-hook.js';
import {recordsOwnSpan} from '../core/hook-names.js';
import {compiledText} from '../instrument/original-source.js';
import {callThrough, likeOriginal, methodName} from './method-or-function.js';
import {getTracer, recorderKey} from '../tracer/tracer.js';
import {endWhenSettled} from '../core/wrap.js';

type AnyFunction = (this: unknown, ...args: unknown[]) => unknown;

export type LogSparseOptions = {
	/**
	 * Also record what the marked function calls, this many levels deep
	 * (instrumented functions). Without it only the marked function is recorded.
	 */
	stackDepth?: number;
};

type Decorator = <F extends (...args: never[]) => unknown>(fn: F, context?: ClassMethodDecoratorContext) => F;

function markSparse(target: AnyFunction, stackDepth: number, methodContext: ClassMethodDecoratorContext | undefined): AnyFunction {
	const fixedName = methodContext ? undefined : (target.name || '<anonymous>');
	// An instrumented function records its own span once its subtree is on;
	// a second, explicit one would only repeat it.
	const recordsItself = stackDepth > 0 && recordsOwnSpan(compiledText(target));
	const marked = function (this: unknown) {
		const tracer = getTracer();
		if (tracer === undefined || !tracer.enabled || !tracer.options.logSparse) {
			// eslint-disable-next-line prefer-rest-params
			return callThrough(target, this, arguments, new.target);
		}

		const recorder = tracer[recorderKey];
		const hook = installedHook();
		const hookWasOn = hook?.on ?? false;
		const previousLimit = stackDepth > 0 ? recorder.limitDepth(stackDepth + 1) : undefined;
		if (hook && stackDepth > 0) {
			hook.on = true;
		}

		if (!recordsItself) {
			recorder.enter(recorder.intern(fixedName ?? methodName(this, String(methodContext!.name))));
		}

		let result: unknown;
		try {
			// eslint-disable-next-line prefer-rest-params
			result = callThrough(target, this, arguments, new.target);
		} catch (error) {
			if (!recordsItself) {
				recorder.exit();
			}

			throw error;
		} finally {
			if (hook) {
				hook.on = hookWasOn;
			}

			if (previousLimit !== undefined) {
				recorder.restoreDepthLimit(previousLimit);
			}
		}

		if (recordsItself) {
			return result;
		}

		if (result instanceof Promise) {
			return endWhenSettled(recorder, result);
		}

		recorder.exit();
		return result;
	};

	return marked;
}

/**
 * Marks a function for sparse tracing, like Python's `@log_sparse`: with the
 * tracer's `logSparse` option (`--log-sparse`), only marked functions are
 * recorded; instrumented functions elsewhere cost one branch. Forms:
 *
 * - `logSparse(fn)` and `@logSparse`: records each call of `fn`;
 * - `logSparse({stackDepth: 3})(fn)` and `@logSparse({stackDepth: 3})`: also
 *   records what `fn` calls, 3 levels deep.
 *
 * Without the option (or with no tracer started) the marked function just runs.
 */
export function logSparse<F extends (...args: never[]) => unknown>(fn: F, context?: ClassMethodDecoratorContext): F;
export function logSparse(options: LogSparseOptions): Decorator;
export function logSparse(fnOrOptions: unknown, context?: ClassMethodDecoratorContext): unknown {
	if (typeof fnOrOptions === 'function') {
		return likeOriginal(markSparse(fnOrOptions as AnyFunction, 0, context), fnOrOptions as AnyFunction);
	}

	if (typeof fnOrOptions !== 'object' || fnOrOptions === null) {
		throw new VizTracerArgumentError(`logSparse() expects a function or { stackDepth }, got ${describeValue(fnOrOptions)}`);
	}

	const {stackDepth = 0} = fnOrOptions as LogSparseOptions;
	if (typeof stackDepth !== 'number' || !Number.isInteger(stackDepth) || stackDepth < 0) {
		throw new VizTracerArgumentError(`logSparse() expects stackDepth to be an integer >= 0, got ${describeValue(stackDepth)}`);
	}

	return ((fn: AnyFunction, methodContext?: ClassMethodDecoratorContext) => {
		if (typeof fn !== 'function') {
			throw new VizTracerArgumentError(`logSparse({stackDepth}) expects a function, got ${describeValue(fn)}`);
		}

		return likeOriginal(markSparse(fn, stackDepth, methodContext), fn);
	}) as Decorator;
}
