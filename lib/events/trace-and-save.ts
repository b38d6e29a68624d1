import path from 'node:path';
import {describeValue, VizTracerArgumentError} from '../core/errors.js';
import {recordsOwnSpan} from '../core/hook-names.js';
import {compiledText} from '../instrument/original-source.js';
import {callThrough, likeOriginal} from './method-or-function.js';
import {resolveOptions, type VizTracerOptions} from '../tracer/options.js';
import {getTracer, VizTracer} from '../tracer/tracer.js';
import {warnNow} from '../core/warn-now.js';

type AnyFunction = (this: unknown, ...args: unknown[]) => unknown;

export type TraceAndSaveOptions = Omit<VizTracerOptions, 'outputFile'> & {
	/**
	 * Where each call's trace goes, as `result_<function>_<timestamp>.json`.
	 * @default './'
	 */
	outputDir?: string;
};

type Decorator = <F extends (...args: never[]) => unknown>(fn: F, context?: ClassMethodDecoratorContext) => F;

let sequence = 0;

/** Whether `fn` was compiled from instrumented source (it records its own span). */
function isInstrumented(fn: AnyFunction): boolean {
	try {
		return recordsOwnSpan(compiledText(fn));
	} catch {
		return false;
	}
}

function traced(target: AnyFunction, options: TraceAndSaveOptions): AnyFunction {
	const {outputDir = '.', ...tracerOptions} = options;
	// Checked once, here, not at the first call.
	resolveOptions(tracerOptions);
	let warned = false;
	const wrapper = function (this: unknown) {
		if (getTracer() !== undefined) {
			// Only one tracer records at a time: the call runs, traced by the other one.
			if (!warned) {
				warned = true;
				process.emitWarning(`traceAndSave(${target.name || '<anonymous>'}) is called while another VizTracer is started; its calls are not saved on their own`, {code: 'VIZTRACER_TRACE_AND_SAVE_NESTED'});
			}

			// eslint-disable-next-line prefer-rest-params
			return callThrough(target, this, arguments, new.target);
		}

		const stamp = (Date.now() * 1000) + (sequence++ % 1000);
		const name = target.name || 'anonymous';
		const outputFile = path.join(outputDir, `result_${name.replaceAll(/[^\w.-]/g, '_')}_${stamp}.json`);
		let created: VizTracer | undefined;
		try {
			created = new VizTracer({verbose: 0, ...tracerOptions, outputFile});
			created.start();
		} catch (error) {
			// Tracing that cannot start (a plugin failed) must not stop the call.
			try {
				created?.terminate();
			} catch {}

			warnNow(`traceAndSave(${name}) could not start tracing, so this call is not traced: ${error instanceof Error ? error.message : String(error)}`, 'VIZTRACER_TRACE_AND_SAVE_FAILED');
			// eslint-disable-next-line prefer-rest-params
			return callThrough(target, this, arguments, new.target);
		}

		const tracer = created;
		// An instrumented function records its own span; any other (a plain
		// script, a file left out of instrumentation) gets one from the
		// wrapper, or its file would hold no span at all.
		const call = isInstrumented(target) ? target : tracer.wrap(target, target.name || '<anonymous>');
		// The save must never replace what the function did: a failure is a warning.
		const finish = () => {
			try {
				tracer[Symbol.dispose]();
			} catch (error) {
				warnNow(`traceAndSave(${name}) could not save its trace to ${outputFile}: ${error instanceof Error ? error.message : String(error)}`, 'VIZTRACER_TRACE_AND_SAVE_FAILED');
			}
		};

		let result: unknown;
		try {
			// eslint-disable-next-line prefer-rest-params
			result = callThrough(call, this, arguments, new.target);
		} catch (error) {
			finish();
			throw error;
		}

		if (result instanceof Promise) {
			return result.then(value => {
				finish();
				return value;
			}, (error: unknown) => {
				finish();
				throw error;
			});
		}

		finish();
		return result;
	};

	return likeOriginal(wrapper, target);
}

/**
 * Traces each call of `fn` with a tracer of its own and saves it to its own
 * file in `outputDir`, like Python's `@trace_and_save`. An async call is
 * saved when it settles. Forms: `traceAndSave(fn, options?)`,
 * `traceAndSave(options)(fn)`, and as method decorators `@traceAndSave` and
 * `@traceAndSave({outputDir})`.
 */
export function traceAndSave<F extends (...args: never[]) => unknown>(fn: F, options?: TraceAndSaveOptions | ClassMethodDecoratorContext): F;
export function traceAndSave(options: TraceAndSaveOptions): Decorator;
export function traceAndSave(fnOrOptions: unknown, options?: unknown): unknown {
	if (typeof fnOrOptions === 'function') {
		const isDecoratorContext = typeof options === 'object' && options !== null && 'kind' in options && 'name' in options;
		return traced(fnOrOptions as AnyFunction, isDecoratorContext ? {} : (options ?? {}) as TraceAndSaveOptions);
	}

	if (typeof fnOrOptions !== 'object' || fnOrOptions === null) {
		throw new VizTracerArgumentError(`traceAndSave() expects a function or an options object, got ${describeValue(fnOrOptions)}`);
	}

	return ((fn: AnyFunction) => traced(fn, fnOrOptions as TraceAndSaveOptions)) as Decorator;
}
