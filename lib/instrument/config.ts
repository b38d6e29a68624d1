/** How files are chosen and instrumented; fixed when the loader hooks are installed. */
export type InstrumentOptions = {
	/** Only instrument files matching these paths (a file, or a directory and all below it) or globs. */
	includeFiles?: string[] | undefined;
	/** Never instrument files matching these paths or globs. */
	excludeFiles?: string[] | undefined;
	/**
	 * Instrument dependencies under `node_modules` too. Off by default: a Node
	 * program's dependencies often dwarf its own code, and most users want
	 * their own functions on the timeline.
	 * @default false
	 */
	includeNodeModules?: boolean | undefined;
	/** Record a bounded repr of each call's arguments in its span's `args.func_args`. @default false */
	logFuncArgs?: boolean | undefined;
	/** Record a bounded repr of each call's return value in its span's `args.return_value`. @default false */
	logFuncRetval?: boolean | undefined;
	/** Record each exception thrown out of an instrumented function as an instant event, once per error. @default false */
	logException?: boolean | undefined;
	/** Split async functions at their awaits, with their lifetimes on async rows and flow arrows from each await to its resumption (`'all'` instruments the same as `true`). @default false */
	logAsync?: boolean | 'all' | undefined;
	/**
	 * Where transformed sources are cached, keyed by content and options;
	 * `false` disables the cache. It must be the current user's and closed to
	 * others (else it is refused with a warning); it is created with mode 0700.
	 * @default `node_modules/.cache/viztracer` under the working directory, else `$XDG_CACHE_HOME/viztracer` or `~/.cache/viztracer`, else `viztracer-cache-<uid>` in the OS temp directory
	 */
	cacheDir?: string | false | undefined;
	/** Directory span names are relative to. @default process.cwd() */
	cwd?: string | undefined;
};

/** The serialisable form handed to the loader thread. */
export type ResolvedInstrumentOptions = {
	includeFiles: string[] | undefined;
	excludeFiles: string[] | undefined;
	includeNodeModules: boolean;
	logFuncArgs: boolean;
	logFuncRetval: boolean;
	logException: boolean;
	logAsync: boolean;
	cacheDir: string | false;
	cwd: string;
	/** Files under this directory (viztracer itself) are never instrumented. */
	selfDir: string;
	/**
	 * Whether the instrumented code's map goes on through the file's own map
	 * to its original sources (.ts): only when the program turned on source
	 * maps itself, so stack traces read as they would untraced (see call-sites.ts).
	 */
	chainSourceMaps: boolean;
};

/** The tracer options that shape instrumentation (the rest are per tracer). */
export const instrumentationOptionNames = ['includeFiles', 'excludeFiles', 'includeNodeModules', 'logFuncArgs', 'logFuncRetval', 'logException', 'logAsync'] as const;

export type InstrumentationOptionName = (typeof instrumentationOptionNames)[number];

/** Picks the instrumentation options out of a larger options object. */
export function pickInstrumentationOptions<T extends Partial<Record<InstrumentationOptionName, unknown>>>(options: T): Pick<T, InstrumentationOptionName> {
	return Object.fromEntries(instrumentationOptionNames.map(name => [name, options[name]])) as Pick<T, InstrumentationOptionName>;
}

/** What instrumented code records of each call, as the transform takes it. */
export function recordingOptionsOf(options: ResolvedInstrumentOptions): Pick<ResolvedInstrumentOptions, 'logFuncArgs' | 'logFuncRetval' | 'logException' | 'logAsync'> {
	return {logFuncArgs: options.logFuncArgs, logFuncRetval: options.logFuncRetval, logException: options.logException, logAsync: options.logAsync};
}
