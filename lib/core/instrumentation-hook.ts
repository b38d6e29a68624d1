import type {Recorder} from './recorder.js';
import {sharedStringTable} from './string-table.js';
import {hookGlobal} from './hook-names.js';
import {describeArguments, describeError, repr} from './repr.js';

/**
 * What instrumented code calls (see transform.ts for the generated code).
 * Method names are short because they are repeated in every function of
 * every instrumented file. `on` mirrors whether a tracer is recording, so a
 * call while tracing is off costs one property load and a branch.
 */
export class InstrumentationHook {
	on = false;
	rec: Recorder | undefined;
	/** Instrumented files that ran in this thread, and those of them outside node_modules (for the run's own-code check). */
	files = 0;
	userFiles = 0;
	/** Where each instrumented file's source map is, by file path: kept out of the code and read on first use (instrument/lazy-maps.ts). */
	readonly maps = new Map<string, string>();

	/** Enters a span; returns its stack token (never 0), which the caller passes to `x`. */
	e(id: number): number {
		return this.rec!.enter(id);
	}

	/** Exits the span `token` (and any left open above it). */
	x(token: number): void {
		this.rec!.exitTo(token);
	}

	/** Opens a span that may outlive the call (async functions, async generator resumptions). */
	ea(id: number): number {
		return this.rec!.openAsync(id);
	}

	/** Opens an async function's lifetime span, on an async row (logAsync). */
	la(id: number): number {
		return this.rec!.openLane(id);
	}

	/** `la` that also records the call's arguments. */
	lap(id: number, values: unknown[], names: string[]): number {
		return this.rec!.openLane(id, {func_args: describeArguments(values, names)});
	}

	/** At an `await`: ends the run `token` on the thread and starts a flow arrow; returns the flow id. */
	p(token: number): number {
		return this.rec!.pauseWithFlow(token);
	}

	/** After an `await`: starts the next run and ends flow `flowId` there; returns the run's token. */
	w(id: number, flowId: number): number {
		return this.rec!.resumeWithFlow(id, flowId);
	}

	/** Ends flow `flowId` in a `catch`/`finally` reached by a rejected await. */
	ff(flowId: number): void {
		this.rec!.flowEndNow(flowId);
	}

	/** Closes a span opened by `ea`. */
	xa(token: number): void {
		this.rec!.closeAsync(token);
	}

	/** `e` that also records the call's arguments (logFuncArgs). */
	ep(id: number, values: unknown[], names: string[]): number {
		return this.rec!.enterWithPayload(id, {func_args: describeArguments(values, names)});
	}

	/** `ea` that also records the call's arguments. */
	eap(id: number, values: unknown[], names: string[]): number {
		return this.rec!.openAsyncWithPayload(id, {func_args: describeArguments(values, names)});
	}

	/** Records the value a traced function returns (logFuncRetval) and passes it through. */
	r<T>(value: T): T {
		if (this.on) {
			this.rec!.annotate('return_value', repr(value));
		}

		return value;
	}

	/** `r` for an async span. */
	ra<T>(token: number, value: T): T {
		if (this.on && token > 0) {
			this.rec!.annotateAsync(token, 'return_value', repr(value));
		}

		return value;
	}

	/** Records an exception leaving a traced function (logException), once per error. */
	t(error: unknown): void {
		if (!this.on) {
			return;
		}

		// Whatever goes wrong here (a stack overflow, above all) must not
		// replace the exception that is propagating.
		try {
			if ((typeof error === 'object' && error !== null) || typeof error === 'function') {
				if (this.#seenErrors.has(error)) {
					return;
				}

				this.#seenErrors.add(error);
			}

			const recorder = this.rec!;
			const {type, message} = describeError(error);
			recorder.instant(recorder.intern(`Exception: ${type}`), {type, message}, 't');
		} catch {}
	}

	readonly #seenErrors = new WeakSet<object>();

	/** Interns a module's function names, and notes where its source map is; returns the id of the first name. */
	n(names: string[], file?: string, mapRef?: string): number {
		if (file !== undefined && mapRef !== undefined) {
			this.maps.set(file, mapRef);
		}

		this.files++;
		if (!(names[0] ?? '').includes('node_modules')) {
			this.userFiles++;
		}

		const strings = sharedStringTable();
		const first = strings.intern(names[0] ?? '<anonymous>');
		for (let index = 1; index < names.length; index++) {
			const id = strings.intern(names[index]!);
			// Ids are consecutive unless a name was interned before; then give the
			// module a fresh consecutive block so `first + index` stays right.
			if (id !== first + index) {
				return internBlock(names);
			}
		}

		return first;
	}

	/** Routes instrumented calls to `recorder` and turns them on. */
	attach(recorder: Recorder, instrumented = true): void {
		this.rec = recorder;
		// With logSparse, instrumented functions stay off but for marked subtrees.
		this.on = instrumented && recorder.enabled;
	}

	/** Turns instrumented calls off if they were routed to `recorder`. */
	detach(recorder: Recorder): void {
		if (this.rec === recorder) {
			this.on = false;
		}
	}
}

function internBlock(names: string[]): number {
	const strings = sharedStringTable();
	const first = strings.size;
	for (let index = 0; index < names.length; index++) {
		strings.append(names[index]!);
	}

	return first;
}

/** The process's hook, created and published as a global on first use. */
export function instrumentationHook(): InstrumentationHook {
	const existing = (globalThis as Record<string, unknown>)[hookGlobal];
	if (existing !== undefined) {
		return existing as InstrumentationHook;
	}

	const hook = new InstrumentationHook();
	// Non-writable and non-configurable: V8 then treats reads of the global as a constant.
	Object.defineProperty(globalThis, hookGlobal, {value: hook, writable: false, configurable: false, enumerable: false});
	return hook;
}

/** The hook if instrumentation was installed in this process, without creating it. */
export function installedHook(): InstrumentationHook | undefined {
	return (globalThis as Record<string, unknown>)[hookGlobal] as InstrumentationHook | undefined;
}
