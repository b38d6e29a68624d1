import type {Recorder} from './recorder.js';

/** A span opened by `tracer.logEvent(name)`; ends when disposed (`using`) or on `end()`. */
export type Span = Disposable & {
	/** Ends the span now. Later calls do nothing. */
	end(): void;
};

class OpenSpan implements Span {
	readonly #recorder: Recorder;
	#token: number;

	constructor(recorder: Recorder, token: number) {
		this.#recorder = recorder;
		this.#token = token;
	}

	end(): void {
		if (this.#token !== -1) {
			this.#recorder.closeAsync(this.#token);
			this.#token = -1;
		}
	}

	[Symbol.dispose](): void {
		this.end();
	}
}

/** What `logEvent` returns while tracing is off: shared, so a disabled call allocates nothing. */
export const inactiveSpan: Span = Object.freeze({
	end() {},
	[Symbol.dispose]() {},
});

/**
 * Opens a span that is closed explicitly. It is kept apart from the call
 * stack (like an async span), so spans ended out of order stay correct, and
 * one still open at `stop()` ends at the stop time.
 */
export function openSpan(recorder: Recorder, name: string): Span {
	recorder.enter(recorder.intern(name));
	const token = recorder.detachAsync();
	return token === -1 ? inactiveSpan : new OpenSpan(recorder, token);
}
