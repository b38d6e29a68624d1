import {Command, Option} from 'commander';
import type {VizTracerOptions} from '../tracer/options.js';
import type {CliOutput} from '../launch/run-script.js';
import {parseCommand} from './parse-command.js';
import {version} from '../trace-file/version.js';

export type {CliOutput};

export type CliRequest =
	| {kind: 'run'; options: VizTracerOptions; script: string; scriptArgs: string[]; bin: boolean; traceChildren: boolean}
	| {kind: 'combine'; files: string[]; align: boolean; outputFile: string; quiet: boolean}
	| {kind: 'exit'; code: number};

/** The kebab-case flag behind each library option, for error messages. */
export const flagOf: Record<keyof VizTracerOptions, string> = {
	outputFile: '--output-file',
	tracerEntries: '--tracer-entries',
	flightRecorder: '--flight-recorder',
	onDemand: '--on-demand',
	verbose: '--quiet',
	maxStackDepth: '--max-stack-depth',
	minDuration: '--min-duration',
	includeFiles: '--include-files',
	excludeFiles: '--exclude-files',
	includeNodeModules: '--include-node-modules',
	logException: '--log-exception',
	logFuncArgs: '--log-func-args',
	logFuncRetval: '--log-func-retval',
	logAsync: '--log-async',
	logGc: '--log-gc',
	logPrint: '--log-print',
	logRequests: '--log-requests',
	traceChannels: '--trace-channels',
	logSparse: '--log-sparse',
	pidSuffix: '--pid-suffix',
	processName: '--process-name',
	plugins: '--plugins',
};

// Numbers are converted here but validated by the library, so the CLI and the
// API reject the same values with the same words.
/** The window `--flight-recorder` keeps when given no number. */
export const defaultFlightRecorderSeconds = 10;

// `--log-async` stays a flag, since an optional value would take the script
// for one (`--log-async app.js`), and its `=all` form is a word of its own,
// renamed for a hidden option before commander sees it.
const logAsyncWithValue = '--log-async=';
const logAsyncMode = '--log-async-mode';

const toNumber = (value: string): number | string => {
	const number = Number(value);
	return value.trim() === '' || Number.isNaN(number) ? value : number;
};

function buildProgram(io: CliOutput): Command {
	return new Command('viztracer')
		.usage('[options] [--] script.js [args...]\n       viztracer [options] --run <bin> [args...]')
		.description('Run a Node.js script with a tracer started, and save its timeline as a Chrome Trace Event file (vizviewer, Perfetto, chrome://tracing, speedscope).')
		.version(version, '--version', 'print the version and exit')
		.helpOption('-h, --help', 'print this help and exit')
		.option('--combine <files...>', 'merge trace files into one (-o), on one wall-clock timeline; no script is run')
		.option('--align-combine <files...>', 'like --combine, but each trace starts at time 0')
		.option('--no-trace-children', 'do not trace child processes and worker threads')
		.option('--run', 'the first argument names an npm bin (node_modules/.bin or PATH) to run and trace; implies --include-node-modules')
		.option('-o, --output-file <file>', 'where to write the trace (.json, .json.gz, .html for a self-contained timeline page, or .vizt, the compact format; default: result.json, or result.vizt for a run too long for JSON viewers)')
		.option('--tracer-entries <n>', 'ring buffer size in entries; the oldest are dropped past it', toNumber)
		.option('--max-stack-depth <n>', 'do not record spans nested deeper than n (-1: unlimited)', toNumber)
		.option('--min-duration <us>', 'drop spans shorter than this many microseconds', toNumber)
		.option('--include-files <paths...>', 'only instrument these files, directories or globs')
		.option('--exclude-files <paths...>', 'do not instrument these files, directories or globs')
		.option('--include-node-modules', 'also instrument files under node_modules (skipped by default)')
		.option('--log-exception', 'record exceptions thrown out of traced functions as instant events')
		.option('--log-func-args', 'record a bounded repr of each call\'s arguments')
		.option('--log-func-retval', 'record a bounded repr of each call\'s return value')
		.option('--log-async', 'async functions: lifetimes on async rows, runs between awaits, flow arrows; timers, immediates, nextTicks and I/O callbacks too on Node 26+. --log-async=all: those on older Node as well, which then tracks every promise (measured on Node 20: promise-heavy code 2.6-5x slower than with --log-async)')
		.addOption(new Option(`${logAsyncMode} <mode>`).hideHelp())
		.option('--log-gc', 'record garbage collections on their own row')
		.option('--flight-recorder [seconds]', `keep recording into a bounded ring and write only the last seconds (default ${defaultFlightRecorderSeconds}) on a crash, a fatal signal, SIGUSR2 or dump(); a normal end writes nothing`, value => toNumber(value))
		.option('--on-demand', 'instrument the program but record only when `viztracer attach <pid>` (or SIGUSR2, twice: start, then stop and save) asks; children are not traced')
		.option('--log-requests', 'record each request an http/https server serves as a span (method, url, status, bytes) on its own row, and outgoing fetch/http requests, spawns and connects on I/O rows')
		.option('--trace-channels <names>', 'TracingChannel names, comma-separated (\'mysql2:query,pg:query\'), whose traced calls become spans', (value: string) => value.split(',').map(name => name.trim()).filter(Boolean))
		.option('--log-print', 'record what the program prints (console.*, process.stdout/stderr writes) as instant events with the text')
		.option('--log-sparse', 'record only functions marked with logSparse() / @logSparse (and their subtrees, with stackDepth)')
		.option('--plugins <specs...>', 'plugins to load, each "module arg1 arg2"; end the list with --')
		.option('--pid-suffix', 'append the process id to the output file name')
		.option('--process-name <name>', 'process name shown in the viewer (default: the script name)')
		.addOption(new Option('-q, --quiet', 'print nothing but errors'))
		.argument('[script]', 'the script to run (ESM or CommonJS)')
		.argument('[args...]', 'arguments passed to the script')
		.passThroughOptions()
		.exitOverride()
		.configureOutput({writeOut: io.stdout, writeErr: io.stderr})
		.showHelpAfterError('(run viztracer --help for usage)')
		.addHelpText('after', '\nAlso:\n  viztracer stats <trace> [options]   per-function calls, total and self time (viztracer stats --help)\n  viztracer attach <pid> [options]    record a while in a process started with --on-demand (viztracer attach --help)\n  vizviewer <trace>                   open a trace in the browser, offline (vizviewer --help)');
}

// Commander stores each option flag under its option's camelCase name, so
// the flags are the library's options (numbers still possibly strings, for the
// library to reject) plus the CLI's own.
type ParsedFlags = Omit<VizTracerOptions, 'verbose' | 'plugins'> & {
	plugins?: string[];
	logAsyncMode?: string;
	quiet?: boolean;
	run?: boolean;
	combine?: string[];
	alignCombine?: string[];
	traceChildren: boolean;
	outputFile?: string;
};

/**
 * Parses `viztracer [options] [--] script.js [args...]`. Everything after the
 * script belongs to the script, options included.
 */
export function parseArgs(argv: string[], io: CliOutput): CliRequest {
	const program = buildProgram(io);
	const answered = parseCommand(program, argv.map(arg => arg.startsWith(logAsyncWithValue) ? `${logAsyncMode}=${arg.slice(logAsyncWithValue.length)}` : arg));
	if (answered !== undefined) {
		return {kind: 'exit', code: answered};
	}

	// The renaming kept one word for one, so the script and its arguments,
	// which commander passes through as they come, are the end of argv as given.
	const [parsedScript, parsedArgs = []] = program.processedArgs as [string | undefined, string[] | undefined];
	const scriptArgs = argv.slice(argv.length - parsedArgs.length);
	const script = parsedScript === undefined ? undefined : argv[argv.length - parsedArgs.length - 1];
	const flags = program.opts<ParsedFlags>();
	if (flags.logAsyncMode !== undefined && flags.logAsyncMode !== 'all') {
		io.stderr(`viztracer: invalid --log-async=${flags.logAsyncMode}: expected --log-async, or --log-async=all to hook timers and I/O callbacks on every Node\n`);
		return {kind: 'exit', code: 2};
	}

	const combine = flags.alignCombine ?? flags.combine;
	if (combine !== undefined) {
		if (script !== undefined || (flags.combine && flags.alignCombine)) {
			io.stderr('viztracer: --combine and --align-combine take trace files only, one of them, and no script\n');
			return {kind: 'exit', code: 2};
		}

		return {kind: 'combine', files: combine, align: flags.alignCombine !== undefined, outputFile: flags.outputFile ?? 'result.json', quiet: flags.quiet === true};
	}

	if (script === undefined) {
		io.stderr(`viztracer: no script given\n${program.helpInformation()}`);
		return {kind: 'exit', code: 2};
	}

	const options: Record<string, unknown> = {};
	for (const option of Object.keys(flagOf) as Array<keyof VizTracerOptions>) {
		options[option] = option === 'verbose' ? (flags.quiet ? 0 : 1) : flags[option];
	}

	if (flags.logAsyncMode === 'all') {
		options['logAsync'] = 'all';
	}

	// A bare --flight-recorder (commander gives true) keeps the default window.
	if ((options['flightRecorder'] as unknown) === true) {
		options['flightRecorder'] = defaultFlightRecorderSeconds;
	} else if (typeof options['flightRecorder'] === 'string') {
		// Its value is optional, so the word after it is taken for one: most likely the script.
		io.stderr(`viztracer: invalid --flight-recorder ${options['flightRecorder']}: expected a number of seconds (the window to keep); to keep the default ${defaultFlightRecorderSeconds} s, end the options with --, as in \`viztracer --flight-recorder -- ${options['flightRecorder']}\`\n`);
		return {kind: 'exit', code: 2};
	}

	// The flight recorder writes this process's recent past; children and workers are not traced with it (yet).
	return {kind: 'run', options: options as VizTracerOptions, script, scriptArgs, bin: flags.run === true, traceChildren: flags.traceChildren && options['flightRecorder'] === undefined && options['onDemand'] !== true};
}
