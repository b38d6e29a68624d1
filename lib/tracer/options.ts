import {describeValue, VizTracerOptionError, VizTracerOptionRangeError} from '../core/errors.js';
import type {PluginSpec} from '../plugins/plugin.js';

export type VizTracerOptions = {
	/**
	 * Where `save()` writes the trace. `.json` writes plain JSON, `.json.gz` gzip-compressed JSON,
	 * `.html` a self-contained page that shows the trace on vizviewer's timeline offline, `.vizt` the
	 * compact format (docs/vizt-format.md).
	 * @default 'result.json'
	 */
	outputFile?: string;
	/**
	 * A bound on the recording, in entries (rounded up to a power of two): the newest this many
	 * are kept in a ring buffer, the oldest overwritten (`viztracer_metadata.overflow` is then `true`).
	 * Unset, everything is recorded however long the program runs: past a few hundred thousand
	 * entries they are streamed to a `.vizt` file beside the output by a writer thread, in
	 * bounded memory, and the save writes the output from it.
	 * @default undefined (unbounded)
	 */
	tracerEntries?: number;
	/**
	 * Flight recorder: keep recording into a bounded ring (`tracerEntries`, 1,048,576 entries
	 * unless set) and write only the last this many seconds, when the program crashes (an
	 * uncaught exception or unhandled rejection), when it dies by a signal it can catch, on
	 * SIGUSR2, or when `dump()` is called. A run that ends normally writes nothing.
	 * @default undefined (off: the whole recording is saved at the end)
	 */
	flightRecorder?: number;
	/**
	 * Instrument the program but record nothing until asked: `viztracer attach <pid>` (or
	 * SIGUSR2) starts a recording, which ends after the attach's duration, on Ctrl-C in it, on a
	 * second SIGUSR2 or when the program exits, and is saved where the attach asked (else to
	 * `outputFile`). Until then each instrumented call costs one branch. Read by the launchers
	 * (`viztracer --on-demand`, `viztracer/register` with `VIZTRACER_ON_DEMAND=1`); a tracer
	 * made by hand is started with `start()` as usual. Not with `flightRecorder`, which also
	 * answers SIGUSR2.
	 * @default false
	 */
	onDemand?: boolean;
	/**
	 * 0 prints nothing; 1 prints where the trace was saved and warns about overflow.
	 * @default 1
	 */
	verbose?: 0 | 1;
	/**
	 * Spans nested deeper than this are not recorded. -1 means unlimited.
	 * @default -1
	 */
	maxStackDepth?: number;
	/**
	 * Spans shorter than this many microseconds are dropped.
	 * @default 0
	 */
	minDuration?: number;
	/**
	 * Only trace functions from these files or globs. Mutually exclusive with `excludeFiles`.
	 * Takes effect with automatic tracing.
	 */
	includeFiles?: string[];
	/**
	 * Do not trace functions from these files or globs. Mutually exclusive with `includeFiles`.
	 * Takes effect with automatic tracing.
	 */
	excludeFiles?: string[];
	/**
	 * Instrument files under `node_modules` too (they are skipped by default:
	 * dependencies often dwarf a program's own code). Takes effect with automatic tracing.
	 * @default false
	 */
	includeNodeModules?: boolean;
	/**
	 * Record each exception thrown out of a traced function as an instant event. Takes effect with automatic tracing.
	 * @default false
	 */
	logException?: boolean;
	/**
	 * Record a bounded repr of each traced call's arguments. Takes effect with automatic tracing.
	 * @default false
	 */
	logFuncArgs?: boolean;
	/**
	 * Record a bounded repr of each traced call's return value. Takes effect with automatic tracing.
	 * @default false
	 */
	logFuncRetval?: boolean;
	/**
	 * Async functions: lifetimes on async rows, runs between awaits on the thread, and flow
	 * arrows from each await to its resumption. Takes effect with automatic tracing. Timers,
	 * immediates, nextTicks and I/O callbacks get flow arrows too where Node can hook them
	 * without tracking promises (26+); `'all'` hooks them on older Node as well, where Node then
	 * tracks every promise (on Node 20, promise-heavy code runs 2.6-5x slower than with `true`).
	 * @default false
	 */
	logAsync?: boolean | 'all';
	/**
	 * Record garbage collections as spans on their own row.
	 * @default false
	 */
	logGc?: boolean;
	/**
	 * Record what the program prints (`console.log`/`info`/`debug`/`warn`/`error` and every
	 * write to `process.stdout`/`process.stderr`) as instant events with its text (at most
	 * 1,000 characters), on the thread that printed it. The output itself is unchanged.
	 * @default false
	 */
	logPrint?: boolean;
	/**
	 * Record every request a `node:http`/`node:https` server serves as a span
	 * (`GET /users/42 → 200`, with method, url, status, bytes and remote port in `args`)
	 * from the request to the end of its response, on a row of its own ("requests 1",
	 * "requests 2", … for requests served at the same time), and the thread's outgoing I/O as
	 * spans on its "I/O" rows: fetch()/undici and http.request() requests, child processes
	 * (spawn to exit), socket connects.
	 * @default false
	 */
	logRequests?: boolean;
	/**
	 * Names of `diagnostics_channel` TracingChannels (`mysql2:query`, `pg:query`, …) whose
	 * traced calls become spans, from `start` to the end of the call (`asyncEnd` for a promise
	 * or callback), on the thread's "I/O" rows.
	 * @default []
	 */
	traceChannels?: string[];
	/**
	 * Record only functions marked with `logSparse(fn)` / `@logSparse` (and, with
	 * `logSparse({stackDepth})`, their subtrees); other instrumented functions cost one branch.
	 * @default false
	 */
	logSparse?: boolean;
	/**
	 * Append the process id to the output file name (`result.json` → `result_1234.json`).
	 * @default false
	 */
	pidSuffix?: boolean;
	/**
	 * The process name shown in the viewer.
	 * @default the script's file name (`process.argv[1]`), else `node`
	 */
	processName?: string;
	/**
	 * Plugin objects, or `"module arg1 arg2"` strings whose module exports `getVizplugin(arg)`.
	 * @default []
	 */
	plugins?: PluginSpec[];
};

export type ResolvedOptions = {
	outputFile: string;
	/** Undefined: unbounded (streamed). */
	tracerEntries: number | undefined;
	/** Seconds; undefined: off. */
	flightRecorder: number | undefined;
	onDemand: boolean;
	verbose: 0 | 1;
	maxStackDepth: number;
	minDuration: number;
	includeFiles: string[] | undefined;
	excludeFiles: string[] | undefined;
	includeNodeModules: boolean;
	logException: boolean;
	logFuncArgs: boolean;
	logFuncRetval: boolean;
	logAsync: boolean | 'all';
	logGc: boolean;
	logPrint: boolean;
	logRequests: boolean;
	traceChannels: string[];
	logSparse: boolean;
	pidSuffix: boolean;
	processName: string | undefined;
	plugins: PluginSpec[];
};

export const defaultOptions: Readonly<ResolvedOptions> = Object.freeze({
	outputFile: 'result.json',
	tracerEntries: undefined,
	flightRecorder: undefined,
	onDemand: false,
	verbose: 1,
	maxStackDepth: -1,
	minDuration: 0,
	includeFiles: undefined,
	excludeFiles: undefined,
	includeNodeModules: false,
	logException: false,
	logFuncArgs: false,
	logFuncRetval: false,
	logAsync: false,
	logGc: false,
	logPrint: false,
	logRequests: false,
	traceChannels: [],
	logSparse: false,
	pidSuffix: false,
	processName: undefined,
	plugins: [],
});

// A ring larger than this would need more than 6 GiB of typed arrays.
export const maxTracerEntries = 2 ** 28;

type Validator = (name: string, value: unknown) => unknown;

const isString: Validator = (name, value) => {
	if (typeof value !== 'string') {
		throw new VizTracerOptionError(name, value, 'a string');
	}

	return value;
};

const isBoolean: Validator = (name, value) => {
	if (typeof value !== 'boolean') {
		throw new VizTracerOptionError(name, value, 'a boolean');
	}

	return value;
};

const isIntegerInRange = (min: number, max: number): Validator => (name, value) => {
	const expected = max === Number.MAX_SAFE_INTEGER ? `an integer >= ${min}` : `an integer from ${min} to ${max}`;
	if (typeof value !== 'number') {
		throw new VizTracerOptionError(name, value, expected);
	}

	if (!Number.isInteger(value) || value < min || value > max) {
		throw new VizTracerOptionRangeError(name, value, expected);
	}

	return value;
};

const isStringArray: Validator = (name, value) => {
	if (!Array.isArray(value)) {
		throw new VizTracerOptionError(name, value, 'an array of file paths or globs');
	}

	for (const [index, entry] of value.entries()) {
		if (typeof entry !== 'string' || entry === '') {
			throw new VizTracerOptionError(`${name}[${index}]`, entry, 'a non-empty string (a file path or glob)');
		}
	}

	return [...value] as string[];
};

/** What `outputFile` (and `save(file)`) may end in: the formats a trace is written in. */
export const outputNames = 'a file name ending in `.json`, `.json.gz`, `.html` or `.vizt`';
export const isOutputName = (file: string): boolean => /\.json(?:\.gz)?$|\.html$|\.vizt$/.test(file);

const validators: Record<keyof ResolvedOptions, Validator> = {
	outputFile(name, value) {
		const file = isString(name, value) as string;
		if (!isOutputName(file)) {
			throw new VizTracerOptionRangeError(name, value, outputNames);
		}

		return file;
	},
	tracerEntries: isIntegerInRange(1, maxTracerEntries),
	flightRecorder(name, value) {
		const expected = 'a number of seconds > 0 (at most 86400)';
		if (typeof value !== 'number') {
			throw new VizTracerOptionError(name, value, expected);
		}

		if (!Number.isFinite(value) || value <= 0 || value > 86_400) {
			throw new VizTracerOptionRangeError(name, value, expected);
		}

		return value;
	},
	onDemand: isBoolean,
	verbose(name, value) {
		if (value !== 0 && value !== 1) {
			throw (typeof value === 'number' ? new VizTracerOptionRangeError(name, value, '0 or 1') : new VizTracerOptionError(name, value, '0 or 1'));
		}

		return value;
	},
	maxStackDepth: isIntegerInRange(-1, Number.MAX_SAFE_INTEGER),
	minDuration(name, value) {
		if (typeof value !== 'number') {
			throw new VizTracerOptionError(name, value, 'a number of microseconds >= 0');
		}

		if (!Number.isFinite(value) || value < 0) {
			throw new VizTracerOptionRangeError(name, value, 'a number of microseconds >= 0');
		}

		return value;
	},
	includeFiles: isStringArray,
	excludeFiles: isStringArray,
	includeNodeModules: isBoolean,
	logException: isBoolean,
	logFuncArgs: isBoolean,
	logFuncRetval: isBoolean,
	logAsync(name, value) {
		if (value !== true && value !== false && value !== 'all') {
			const expected = 'true, false or \'all\'';
			throw (typeof value === 'string' ? new VizTracerOptionRangeError(name, value, expected) : new VizTracerOptionError(name, value, expected));
		}

		return value;
	},
	logGc: isBoolean,
	logPrint: isBoolean,
	logRequests: isBoolean,
	traceChannels(name, value) {
		if (!Array.isArray(value)) {
			throw new VizTracerOptionError(name, value, 'an array of channel names');
		}

		for (const [index, entry] of value.entries()) {
			if (typeof entry !== 'string' || entry.trim() === '') {
				throw new VizTracerOptionError(`${name}[${index}]`, entry, 'a non-empty string (a TracingChannel name)');
			}
		}

		return value.map(entry => (entry as string).trim());
	},
	logSparse: isBoolean,
	pidSuffix: isBoolean,
	processName: isString,
	plugins(name, value) {
		if (!Array.isArray(value)) {
			throw new VizTracerOptionError(name, value, 'an array of plugins');
		}

		// Each entry is checked as it is registered, where a bad one throws `VizTracerInvalidPluginError`.
		return [...value] as PluginSpec[];
	},
};

/** Validates a user's options once, and fills in the defaults. */
export function resolveOptions(options: unknown = {}): ResolvedOptions {
	if (typeof options !== 'object' || options === null || Array.isArray(options)) {
		throw new VizTracerOptionError('options', options, 'an object');
	}

	const resolved: ResolvedOptions = {...defaultOptions, plugins: [], traceChannels: []};
	for (const [name, value] of Object.entries(options)) {
		if (!Object.hasOwn(validators, name)) {
			const known = Object.keys(validators).join(', ');
			throw new VizTracerOptionError(name, value, `one of ${known}`, `Unknown option \`${name}\` (set to ${describeValue(value)}); expected one of ${known}`);
		}

		if (value === undefined) {
			continue;
		}

		const validator = validators[name as keyof ResolvedOptions];
		(resolved as Record<string, unknown>)[name] = validator(name, value);
	}

	if (resolved.includeFiles !== undefined && resolved.excludeFiles !== undefined) {
		throw new VizTracerOptionError('excludeFiles', resolved.excludeFiles, 'unset when `includeFiles` is given (they are mutually exclusive)');
	}

	if (resolved.onDemand && resolved.flightRecorder !== undefined) {
		throw new VizTracerOptionError('flightRecorder', resolved.flightRecorder, 'unset when `onDemand` is on (both answer SIGUSR2: choose one)');
	}

	return resolved;
}
