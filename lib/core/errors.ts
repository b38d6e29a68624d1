// Every error this package throws carries a stable `code`. Each class also
// carries a `Symbol.for` brand and checks it in `Symbol.hasInstance`: the CLI
// preloads one copy of viztracer and the user's script may import another
// from its own node_modules, and `instanceof` must still work across the two.

export const ErrorCode = {
	invalidOption: 'VIZTRACER_INVALID_OPTION',
	invalidPlugin: 'VIZTRACER_INVALID_PLUGIN',
	pluginError: 'VIZTRACER_PLUGIN_ERROR',
	invalidState: 'VIZTRACER_INVALID_STATE',
	invalidArgument: 'VIZTRACER_INVALID_ARGUMENT',
	saveFailed: 'VIZTRACER_SAVE_FAILED',
	traceNotFound: 'VIZTRACER_TRACE_NOT_FOUND',
	invalidTrace: 'VIZTRACER_INVALID_TRACE',
	portInUse: 'VIZTRACER_PORT_IN_USE',
	listenFailed: 'VIZTRACER_LISTEN_FAILED',
	unwritableTrace: 'VIZTRACER_UNWRITABLE_TRACE',
	traceUnreadable: 'VIZTRACER_TRACE_UNREADABLE',
	traceTooLarge: 'VIZTRACER_TRACE_TOO_LARGE',
	attachFailed: 'VIZTRACER_ATTACH_FAILED',
} as const;

export type ErrorCode = (typeof ErrorCode)[keyof typeof ErrorCode];

const brandOf = (name: string) => Symbol.for(`viztracer.error.${name}`);

function hasBrand(value: unknown, brand: symbol): boolean {
	return typeof value === 'object' && value !== null && (value as Record<symbol, unknown>)[brand] === true;
}

/** Describes a value for an error message: `-3` (number), `"x"` (string), an array, … */
export function describeValue(value: unknown): string {
	if (value === null) {
		return '`null`';
	}

	if (Array.isArray(value)) {
		return `an array of length ${value.length}`;
	}

	switch (typeof value) {
		case 'string': {
			return `\`${JSON.stringify(value)}\` (string)`;
		}

		case 'function': {
			return `a function${value.name ? ` (${value.name})` : ''}`;
		}

		case 'object': {
			return `an object (${value.constructor?.name ?? 'null prototype'})`;
		}

		case 'symbol': {
			return `\`${String(value)}\` (symbol)`;
		}

		default: {
			return `\`${String(value)}\` (${typeof value})`;
		}
	}
}

const optionBrand = brandOf('option');

/**
 * An option had the wrong type or was unknown. Range problems throw
 * {@link VizTracerOptionRangeError}, which is also an instance of this class,
 * so `catch (error) { if (error instanceof VizTracerOptionError) … }` sees both.
 */
export class VizTracerOptionError extends TypeError {
	readonly code = ErrorCode.invalidOption;
	readonly option: string;
	readonly value: unknown;
	readonly expected: string;

	constructor(option: string, value: unknown, expected: string, message = optionMessage(option, value, expected)) {
		super(message);
		this.name = 'VizTracerOptionError';
		this.option = option;
		this.value = value;
		this.expected = expected;
		Object.defineProperty(this, optionBrand, {value: true});
	}

	static override [Symbol.hasInstance](value: unknown): boolean {
		return hasBrand(value, optionBrand);
	}
}

/** An option had the right type but a value outside what it accepts. */
export class VizTracerOptionRangeError extends RangeError {
	readonly code = ErrorCode.invalidOption;
	readonly option: string;
	readonly value: unknown;
	readonly expected: string;

	constructor(option: string, value: unknown, expected: string) {
		super(optionMessage(option, value, expected));
		this.name = 'VizTracerOptionError';
		this.option = option;
		this.value = value;
		this.expected = expected;
		Object.defineProperty(this, optionBrand, {value: true});
	}

	static override [Symbol.hasInstance](value: unknown): boolean {
		return hasBrand(value, optionBrand) && value instanceof RangeError;
	}
}

function optionMessage(option: string, value: unknown, expected: string): string {
	return `Expected \`${option}\` to be ${expected}, got ${describeValue(value)}`;
}

const invalidPluginBrand = brandOf('invalid-plugin');

/** A `plugins` entry is neither a plugin object nor a `"module args"` string. */
export class VizTracerInvalidPluginError extends TypeError {
	readonly code = ErrorCode.invalidPlugin;
	readonly plugin: unknown;

	constructor(plugin: unknown) {
		super(`Invalid plugin: expected a VizPluginBase instance, an object with supportVersion() and message() methods, or a "module args" string, got ${describeValue(plugin)}`);
		this.name = 'VizTracerInvalidPluginError';
		this.plugin = plugin;
		Object.defineProperty(this, invalidPluginBrand, {value: true});
	}

	static override [Symbol.hasInstance](value: unknown): boolean {
		return hasBrand(value, invalidPluginBrand);
	}
}

const pluginBrand = brandOf('plugin');

/** A plugin could not be loaded, threw, or answered a command wrongly. */
export class VizPluginError extends Error {
	readonly code = ErrorCode.pluginError;
	/** The plugin's name (its class name, or the module specifier it was loaded from). */
	readonly plugin: string;

	constructor(plugin: string, message: string, options?: ErrorOptions) {
		super(message, options);
		this.name = 'VizPluginError';
		this.plugin = plugin;
		Object.defineProperty(this, pluginBrand, {value: true});
	}

	static override [Symbol.hasInstance](value: unknown): boolean {
		return hasBrand(value, pluginBrand);
	}
}

const stateBrand = brandOf('state');

/** A lifecycle method was called at the wrong time: `start()` twice, `save()` after `terminate()`, … */
export class VizTracerStateError extends Error {
	readonly code = ErrorCode.invalidState;

	constructor(message: string) {
		super(message);
		this.name = 'VizTracerStateError';
		Object.defineProperty(this, stateBrand, {value: true});
	}

	static override [Symbol.hasInstance](value: unknown): boolean {
		return hasBrand(value, stateBrand);
	}
}

const argumentBrand = brandOf('argument');

/** A method argument (not a constructor option) was invalid, such as a non-numeric counter value. */
export class VizTracerArgumentError extends TypeError {
	readonly code = ErrorCode.invalidArgument;

	constructor(message: string) {
		super(message);
		this.name = 'VizTracerArgumentError';
		Object.defineProperty(this, argumentBrand, {value: true});
	}

	static override [Symbol.hasInstance](value: unknown): boolean {
		return hasBrand(value, argumentBrand);
	}
}

const saveBrand = brandOf('save');

/** The trace could not be written (a missing permission, a full disk, …). The previous file, if any, is left as it was. */
export class VizTracerSaveError extends Error {
	readonly code = ErrorCode.saveFailed;
	readonly path: string;

	constructor(path: string, cause: unknown) {
		super(`Could not write the trace to ${path}: ${cause instanceof Error ? cause.message : String(cause)}`, {cause});
		this.name = 'VizTracerSaveError';
		this.path = path;
		Object.defineProperty(this, saveBrand, {value: true});
	}

	static override [Symbol.hasInstance](value: unknown): boolean {
		return hasBrand(value, saveBrand);
	}
}

const unwritableTraceBrand = brandOf('unwritable-trace');

/**
 * The trace data cannot be written as JSON: a `pre-save` handler left
 * `viztracer_metadata` null, an event that is not an object, a BigInt or a
 * cycle outside `args`, a `toJSON` that throws, …
 */
export class VizTracerUnwritableTraceError extends Error {
	readonly code = ErrorCode.unwritableTrace;
	/** What is wrong, without the sentence around it. */
	readonly reason: string;

	constructor(reason: string, cause?: unknown) {
		super(`The trace data cannot be written: ${reason}`, {cause});
		this.reason = reason;
		this.name = 'VizTracerUnwritableTraceError';
		Object.defineProperty(this, unwritableTraceBrand, {value: true});
	}

	static override [Symbol.hasInstance](value: unknown): boolean {
		return hasBrand(value, unwritableTraceBrand);
	}
}

const traceNotFoundBrand = brandOf('trace-not-found');

/** `vizviewer` or `viztracer stats` was given a trace file (or directory) that does not exist. */
export class VizTracerTraceNotFoundError extends Error {
	readonly code = ErrorCode.traceNotFound;
	readonly path: string;

	constructor(path: string, cause?: unknown) {
		super(`Cannot find the trace ${path}`, {cause});
		this.name = 'VizTracerTraceNotFoundError';
		this.path = path;
		Object.defineProperty(this, traceNotFoundBrand, {value: true});
	}

	static override [Symbol.hasInstance](value: unknown): boolean {
		return hasBrand(value, traceNotFoundBrand);
	}
}

const invalidTraceBrand = brandOf('invalid-trace');

/** A file read as a trace is not Chrome Trace Event JSON (or gzip of it). */
export class VizTracerInvalidTraceError extends Error {
	readonly code = ErrorCode.invalidTrace;
	readonly path: string;

	constructor(path: string, reason: string, cause?: unknown) {
		super(`${path} is not a valid trace: ${reason}`, {cause});
		this.name = 'VizTracerInvalidTraceError';
		this.path = path;
		Object.defineProperty(this, invalidTraceBrand, {value: true});
	}

	static override [Symbol.hasInstance](value: unknown): boolean {
		return hasBrand(value, invalidTraceBrand);
	}
}

const traceUnreadableBrand = brandOf('trace-unreadable');

/**
 * A trace file exists but cannot be read: no permission, a directory, an I/O
 * error. It is also an instance of {@link VizTracerInvalidTraceError}, so code
 * that reports invalid traces reports these too.
 */
export class VizTracerTraceUnreadableError extends Error {
	readonly code = ErrorCode.traceUnreadable;
	readonly path: string;

	constructor(path: string, reason: string, cause?: unknown) {
		super(`Cannot read the trace ${path}: ${reason}`, {cause});
		this.name = 'VizTracerTraceUnreadableError';
		this.path = path;
		Object.defineProperty(this, traceUnreadableBrand, {value: true});
		Object.defineProperty(this, invalidTraceBrand, {value: true});
	}

	static override [Symbol.hasInstance](value: unknown): boolean {
		return hasBrand(value, traceUnreadableBrand);
	}
}

const portInUseBrand = brandOf('port-in-use');

/** `vizviewer` could not listen because another program holds the port. */
export class VizViewerPortInUseError extends Error {
	readonly code = ErrorCode.portInUse;
	readonly host: string;
	readonly port: number;

	constructor(host: string, port: number, cause?: unknown) {
		super(`Port ${port} on ${host} is already in use; stop the program using it or pick another port with --port`, {cause});
		this.name = 'VizViewerPortInUseError';
		this.host = host;
		this.port = port;
		Object.defineProperty(this, portInUseBrand, {value: true});
	}

	static override [Symbol.hasInstance](value: unknown): boolean {
		return hasBrand(value, portInUseBrand);
	}
}

const listenBrand = brandOf('listen');

/** `vizviewer` could not listen on its `--host` and `--port` for another reason: an address not of this machine, a name that does not resolve, no permission. */
export class VizViewerListenError extends Error {
	readonly code = ErrorCode.listenFailed;
	readonly host: string;
	readonly port: number;

	constructor(host: string, port: number, message: string, cause?: unknown) {
		super(message, {cause});
		this.name = 'VizViewerListenError';
		this.host = host;
		this.port = port;
		Object.defineProperty(this, listenBrand, {value: true});
	}

	static override [Symbol.hasInstance](value: unknown): boolean {
		return hasBrand(value, listenBrand);
	}
}

const tooLargeBrand = brandOf('too-large');

/**
 * `data.traceEvents` was read on a recording streamed to disk that holds more
 * events than are made into objects in memory; the file is written as
 * recorded (handlers that only add events or metadata keep working).
 */
export class VizTracerTraceTooLargeError extends RangeError {
	readonly code = ErrorCode.traceTooLarge;
	readonly events: number;
	readonly limit: number;

	constructor(events: number, limit: number) {
		super(`The trace holds ${events} events, more than traceEvents hands over in memory (${limit}); it was streamed to disk as it was recorded. Read it from the saved file instead (readTraceEvents), or bound the recording with tracerEntries`);
		this.name = 'VizTracerTraceTooLargeError';
		this.events = events;
		this.limit = limit;
		Object.defineProperty(this, tooLargeBrand, {value: true});
	}

	static override [Symbol.hasInstance](value: unknown): boolean {
		return hasBrand(value, tooLargeBrand);
	}
}

const attachBrand = brandOf('attach');

/**
 * `viztracer attach` could not start or end a recording in a process waiting
 * for it (`--on-demand`): no such process, one that is not waiting, one
 * already attached to, or control files that are not this user's.
 */
export class VizTracerAttachError extends Error {
	readonly code = ErrorCode.attachFailed;

	constructor(message: string) {
		super(message);
		this.name = 'VizTracerAttachError';
		Object.defineProperty(this, attachBrand, {value: true});
	}

	static override [Symbol.hasInstance](value: unknown): boolean {
		return hasBrand(value, attachBrand);
	}
}

const typescriptBrand = brandOf('typescript-syntax');

/**
 * A TypeScript file that viztracer stripped the types of, on a Node that
 * does not itself (20, 22 before 22.18), has a construct strip-only mode
 * rejects (an enum, a namespace, a parameter property) or a syntax error.
 * Thrown with the code, message and source excerpt Node 22.18+ gives the same
 * file, so a program fails the same way on every Node.
 */
export class TypeScriptSyntaxError extends SyntaxError {
	readonly code: 'ERR_UNSUPPORTED_TYPESCRIPT_SYNTAX' | 'ERR_INVALID_TYPESCRIPT_SYNTAX';

	constructor(code: TypeScriptSyntaxError['code'], message: string, file: string, line?: number, column?: number, snippet?: string) {
		super(message);
		this.name = 'SyntaxError';
		this.code = code;
		Object.defineProperty(this, typescriptBrand, {value: true});
		// As Node prints it: where, the lines, then `SyntaxError [code]: message`;
		// its one frame is the construct in the file, not viztracer's loader.
		const where = line === undefined ? '' : `${file}:${line}\n${snippet ?? ''}\n`;
		this.stack = `${where}SyntaxError [${code}]: ${message}\n    at ${file}${line === undefined ? '' : `:${line}:${(column ?? 0) + 1}`}`;
	}

	static override [Symbol.hasInstance](value: unknown): boolean {
		return hasBrand(value, typescriptBrand);
	}
}
