/**
 * Finds the events of a Chrome trace in JSON text that arrives in pieces, and
 * hands them over in batches, each parsed by one native `JSON.parse`.
 *
 * Why not a token-level streaming parser from npm: reading the fields stats
 * needs from a 5,000,000-event trace took `stream-json`'s tokenizer 2.5 times
 * the CPU time of this splitter plus `JSON.parse` (13.4 s against 5.4 s, see
 * benchmarks/README.md), which alone would miss the 15 s target. This only has
 * to find where each event ends (quotes, escapes and brackets) and leaves the
 * parsing to V8. Memory stays bounded by the chunk size: text is dropped as
 * soon as its events are parsed.
 *
 * Accepted shapes (the two of the Trace Event Format):
 *
 *   {"traceEvents": [ {…}, {…}, … ], "other": …}   JSON Object Format
 *   [ {…}, {…}, …                                    JSON Array Format (the `]` may be missing)
 *
 * Top-level values other than `traceEvents` are parsed whole into `other`.
 */

type State =
	| 'start'
	| 'key-or-end' // After `{`: a key or `}`.
	| 'key' // After `,`: a key.
	| 'colon'
	| 'value'
	| 'raw-value' // Inside a top-level value other than `traceEvents`.
	| 'comma-or-end'
	| 'events'
	| 'done';

const quote = 0x22;
const backslash = 0x5C;
const comma = 0x2C;
const colon = 0x3A;
const openBrace = 0x7B;
const closeBrace = 0x7D;
const openBracket = 0x5B;
const closeBracket = 0x5D;
const byteOrderMark = 0xFE_FF;

const isWhitespace = (code: number) => code === 0x20 || code === 0x0A || code === 0x0D || code === 0x09;

/** Thrown for text that is not a trace; the caller adds the file name. */
export class TraceSyntaxError extends Error {
	override name = 'TraceSyntaxError';
}

/**
 * Index of the quote closing the string whose opening quote is at `open`,
 * or -1 when the text ends first.
 */
export function closingQuote(text: string, open: number): number {
	let close = text.indexOf('"', open + 1);
	while (close !== -1) {
		// An odd run of backslashes before the quote escapes it.
		let backslashes = 0;
		while (text.charCodeAt(close - 1 - backslashes) === backslash) {
			backslashes++;
		}

		if (backslashes % 2 === 0) {
			return close;
		}

		close = text.indexOf('"', close + 1);
	}

	return -1;
}

export type SplitterOptions = {
	/**
	 * Parse the events and hand them over (the default). False only checks
	 * where each event ends, for a quick pass that wants the other values.
	 * @default true
	 */
	parseEvents?: boolean;
	/**
	 * Top-level keys whose value is also kept as JSON text in `rawText`:
	 * `JSON.parse` rounds integers beyond 2^53 (`baseTimeNanoseconds`).
	 */
	keepText?: readonly string[];
};

export class TraceEventSplitter {
	/** Top-level values other than `traceEvents`, parsed. */
	readonly other: Record<string, unknown> = {};
	/** The JSON text of the top-level values named in `keepText`. */
	readonly rawText: Record<string, string> = {};
	/** Whether the text held an events array (`traceEvents`, or a top-level array). */
	sawEvents = false;

	readonly #onEvents: (batch: unknown[]) => void;
	readonly #parseEvents: boolean;
	readonly #keepText: readonly string[];
	#text = '';
	/** Where scanning resumes in `#text`. */
	#index = 0;
	/** Characters dropped from the front of `#text` so far, for error positions. */
	#dropped = 0;
	#state: State = 'start';
	#topLevelArray = false;
	#key = '';
	/** Nesting depth inside the current event (events) or top-level value (raw-value). */
	#depth = 0;
	/** Start of the text not yet handed over as events, or of the raw value. */
	#start = 0;
	/** End (inclusive) of the last complete event after `#start`, or -1. */
	#lastEventEnd = -1;

	constructor(onEvents: (batch: unknown[]) => void, options: SplitterOptions = {}) {
		this.#onEvents = onEvents;
		this.#parseEvents = options.parseEvents ?? true;
		this.#keepText = options.keepText ?? [];
	}

	/** Feeds the next piece of text; calls `onEvents` for every batch it completes. */
	push(chunk: string): void {
		this.#text += chunk;
		this.#run();
		this.#compact();
	}

	/** Signals the end of the text: hands over what is left, or throws if the text stops mid-trace. */
	end(): void {
		this.#run();
		if (this.#state === 'events' && this.#topLevelArray) {
			// The JSON Array Format allows the closing `]` to be missing (a
			// tracer that died mid-write); a trailing comma is tolerated too.
			this.#flush(this.#lastEventEnd);
			const rest = this.#text.slice(this.#start).trim();
			if (rest !== '' && rest !== ',') {
				this.#fail('the last event is cut off');
			}

			this.#state = 'done';
		}

		if (this.#state !== 'done') {
			this.#fail(this.#state === 'start' ? 'the file is empty' : 'the file ends before the JSON does');
		}
	}

	#fail(reason: string, at = this.#index): never {
		throw new TraceSyntaxError(`${reason} (at character ${this.#dropped + at})`);
	}

	/** Drops text that has been consumed, so memory stays bounded by the chunk size. */
	#compact(): void {
		const keepFrom = this.#state === 'events' || this.#state === 'raw-value' ? this.#start : this.#index;
		if (keepFrom > 0) {
			this.#text = this.#text.slice(keepFrom);
			this.#dropped += keepFrom;
			this.#index -= keepFrom;
			this.#start -= keepFrom;
			if (this.#lastEventEnd >= 0) {
				this.#lastEventEnd -= keepFrom;
			}
		}
	}

	/** Hands over the events between `#start` and `end` (inclusive) as one batch. */
	#flush(end: number): void {
		if (end < this.#start) {
			return;
		}

		const text = this.#text;
		let from = this.#start;
		// Skip the separator left in front by the previous batch.
		while (from <= end && isWhitespace(text.charCodeAt(from))) {
			from++;
		}

		if (text.charCodeAt(from) === comma) {
			from++;
		}

		if (!this.#parseEvents) {
			this.#start = end + 1;
			this.#lastEventEnd = -1;
			return;
		}

		let batch: unknown;
		try {
			batch = JSON.parse(`[${text.slice(from, end + 1)}]`);
		} catch (error) {
			this.#fail(`invalid JSON in traceEvents: ${(error as Error).message}`, from);
		}

		this.#start = end + 1;
		this.#lastEventEnd = -1;
		this.#onEvents(batch as unknown[]);
	}

	#skipWhitespace(): number {
		const text = this.#text;
		let index = this.#index;
		while (index < text.length) {
			const code = text.charCodeAt(index);
			if (!isWhitespace(code) && !(code === byteOrderMark && this.#dropped + index === 0)) {
				break;
			}

			index++;
		}

		this.#index = index;
		return index < text.length ? text.charCodeAt(index) : -1;
	}

	#run(): void {
		for (;;) {
			switch (this.#state) {
				case 'events': {
					if (!this.#scanEvents()) {
						return;
					}

					break;
				}

				case 'raw-value': {
					if (!this.#scanRawValue()) {
						return;
					}

					break;
				}

				case 'done': {
					if (this.#skipWhitespace() !== -1) {
						this.#fail('unexpected text after the end of the trace');
					}

					return;
				}

				default: {
					if (!this.#structure()) {
						return;
					}
				}
			}
		}
	}

	/** One step through the top-level object. Returns false when it needs more text. */
	#structure(): boolean {
		const code = this.#skipWhitespace();
		if (code === -1) {
			return false;
		}

		const text = this.#text;
		switch (this.#state) {
			case 'start': {
				if (code === openBrace) {
					this.#state = 'key-or-end';
				} else if (code === openBracket) {
					this.#topLevelArray = true;
					this.#enterEvents(this.#index + 1);
					return true;
				} else {
					this.#fail('expected a JSON object or array');
				}

				this.#index++;
				return true;
			}

			case 'key-or-end':
			case 'key': {
				if (code === closeBrace && this.#state === 'key-or-end') {
					this.#state = 'done';
					this.#index++;
					return true;
				}

				if (code !== quote) {
					this.#fail('expected a key');
				}

				const close = closingQuote(text, this.#index);
				if (close === -1) {
					return false;
				}

				this.#key = JSON.parse(text.slice(this.#index, close + 1)) as string;
				this.#index = close + 1;
				this.#state = 'colon';
				return true;
			}

			case 'colon': {
				if (code !== colon) {
					this.#fail('expected `:`');
				}

				this.#index++;
				this.#state = 'value';
				return true;
			}

			case 'value': {
				if (this.#key === 'traceEvents' && code === openBracket) {
					this.#enterEvents(this.#index + 1);
					return true;
				}

				this.#state = 'raw-value';
				this.#start = this.#index;
				this.#depth = 0;
				return true;
			}

			case 'comma-or-end': {
				if (code === comma) {
					this.#state = 'key';
				} else if (code === closeBrace) {
					this.#state = 'done';
				} else {
					this.#fail('expected `,` or `}`');
				}

				this.#index++;
				return true;
			}

			default: {
				throw new Error(`unreachable state ${this.#state}`);
			}
		}
	}

	#enterEvents(start: number): void {
		this.sawEvents = true;
		this.#state = 'events';
		this.#index = start;
		this.#start = start;
		this.#depth = 0;
		this.#lastEventEnd = -1;
	}

	/**
	 * Scans events up to the end of the text or of the array. This is the hot
	 * loop: one `charCodeAt` per character outside strings, `indexOf` inside them.
	 * Returns false when it needs more text.
	 */
	#scanEvents(): boolean {
		const text = this.#text;
		const {length} = text;
		let index = this.#index;
		let depth = this.#depth;
		let lastEventEnd = this.#lastEventEnd;
		let arrayEnd = -1;
		while (index < length) {
			const code = text.charCodeAt(index);
			if (code === quote) {
				const close = closingQuote(text, index);
				if (close === -1) {
					// Resume at this quote once more text has arrived.
					break;
				}

				index = close + 1;
				continue;
			}

			if (code === openBrace || code === openBracket) {
				depth++;
			} else if (code === closeBrace || code === closeBracket) {
				if (depth === 0) {
					if (code === closeBrace) {
						this.#index = index;
						this.#fail('unbalanced `}` in traceEvents');
					}

					arrayEnd = index;
					break;
				}

				depth--;
				if (depth === 0) {
					lastEventEnd = index;
				}
			}

			index++;
		}

		this.#index = index;
		this.#depth = depth;
		this.#lastEventEnd = lastEventEnd;
		if (arrayEnd === -1) {
			this.#flush(lastEventEnd);
			return false;
		}

		// Everything before the `]` belongs to the array, scalars included.
		this.#flushUntilArrayEnd(arrayEnd);
		this.#index = arrayEnd + 1;
		this.#state = this.#topLevelArray ? 'done' : 'comma-or-end';
		return true;
	}

	#flushUntilArrayEnd(arrayEnd: number): void {
		const text = this.#text;
		let last = arrayEnd - 1;
		while (last >= this.#start && isWhitespace(text.charCodeAt(last))) {
			last--;
		}

		this.#flush(last);
	}

	/** Scans a top-level value other than `traceEvents`. Returns false when it needs more text. */
	#scanRawValue(): boolean {
		const text = this.#text;
		const {length} = text;
		let index = this.#index;
		let depth = this.#depth;
		let end = -1;
		while (index < length) {
			const code = text.charCodeAt(index);
			if (code === quote) {
				const close = closingQuote(text, index);
				if (close === -1) {
					break;
				}

				index = close + 1;
				if (depth === 0) {
					end = index;
					break;
				}

				continue;
			}

			if (code === openBrace || code === openBracket) {
				depth++;
			} else if (code === closeBrace || code === closeBracket) {
				if (depth === 0) {
					// The end of a number or literal: the `}` closes the top-level object.
					end = index;
					break;
				}

				depth--;
				if (depth === 0) {
					end = index + 1;
					break;
				}
			} else if (depth === 0 && (code === comma || isWhitespace(code))) {
				end = index;
				break;
			}

			index++;
		}

		this.#depth = depth;
		if (end === -1) {
			this.#index = index;
			return false;
		}

		try {
			const json = text.slice(this.#start, end);
			this.other[this.#key] = JSON.parse(json);
			if (this.#keepText.includes(this.#key)) {
				this.rawText[this.#key] = json;
			}
		} catch (error) {
			this.#fail(`invalid JSON in "${this.#key}": ${(error as Error).message}`, this.#start);
		}

		this.#index = end;
		this.#start = end;
		this.#state = 'comma-or-end';
		return true;
	}
}
