import {inspect} from 'node:util';

const maxLength = 256;

// Bounded so a huge argument costs a bounded amount of time and trace space,
// like Python VizTracer's repr of arguments.
const inspectOptions = {depth: 1, maxArrayLength: 10, maxStringLength: 100, breakLength: Number.POSITIVE_INFINITY, compact: true, getters: false, customInspect: false} as const;

/** A short `util.inspect` repr, never longer than 256 characters and never throwing. */
export function repr(value: unknown): string {
	let text: string;
	try {
		text = inspect(value, inspectOptions);
	} catch {
		text = Object.prototype.toString.call(value);
	}

	return text.length > maxLength ? `${text.slice(0, maxLength - 1)}…` : text;
}

/** `{ name: repr }` for each parameter, in order. */
export function describeArguments(values: unknown[], names: string[]): Record<string, string> {
	const described: Record<string, string> = {};
	for (let index = 0; index < names.length; index++) {
		described[names[index]!] = repr(values[index]);
	}

	return described;
}
