import path from 'node:path';
import {Command, InvalidArgumentError, Option} from 'commander';
import {VizTracerInvalidTraceError, VizTracerSaveError, VizTracerTraceNotFoundError, VizTracerTraceUnreadableError, VizViewerListenError, VizViewerPortInUseError} from '../core/errors.js';
import {version} from '../trace-file/version.js';
import {openBrowser} from '../viewer/open-browser.js';
import {saveTraceAsHtml} from '../viewer/save-html.js';
import {loadSpeedscopeRelease} from '../viewer/speedscope-release.js';
import {TraceCatalog, type ServedTrace} from '../viewer/trace-catalog.js';
import {filterTrace, namePredicate, type FilterResult, type TraceFilter} from '../viewer/trace-filter.js';
import {isViztFile} from '../trace-file/read-trace.js';
import {formatBytes, formatMegabytes, jsonSizeOf} from '../viewer/trace-size.js';
import {startViewerServer, type ViewerServer} from '../viewer/viewer-server.js';
import type {CliOutput} from './parse-args.js';
import {parseCommand} from './parse-command.js';

// The Perfetto UI's content security policy lets it fetch from
// http://127.0.0.1:9001 only (the port of `trace_processor --httpd`), which is
// why this is the default port and why the deep link needs it.
const perfettoPort = 9001;

type ViewerFlags = {
	port: number;
	host: string;
	open: boolean;
	once?: boolean;
	timeout?: number;
	saveHtml?: string;
	filter?: boolean;
	minDuration?: number;
	match?: string;
	file?: string;
	window?: {start?: number; end?: number};
	filterOutput?: string;
	quiet?: boolean;
};

const parsePort = (value: string): number => {
	const port = Number(value);
	if (!Number.isInteger(port) || port < 0 || port > 65_535) {
		throw new InvalidArgumentError('Expected an integer from 0 (any free port) to 65535.');
	}

	return port;
};

const parsePositive = (value: string): number => {
	const number = Number(value);
	if (value.trim() === '' || !Number.isFinite(number) || number <= 0) {
		throw new InvalidArgumentError('Expected a number > 0.');
	}

	return number;
};

const parseNonNegative = (value: string): number => {
	const number = Number(value);
	if (value.trim() === '' || !Number.isFinite(number) || number < 0) {
		throw new InvalidArgumentError('Expected a number >= 0.');
	}

	return number;
};

const parseWindow = (value: string): {start?: number; end?: number} => {
	const match = /^\s*([^:]*):([^:]*)\s*$/.exec(value);
	const side = (text: string | undefined) => (text === undefined || text.trim() === '' ? undefined : Number(text));
	const start = side(match?.[1]);
	const end = side(match?.[2]);
	if (!match || Number.isNaN(start) || Number.isNaN(end) || (start === undefined && end === undefined) || (start !== undefined && end !== undefined && end < start)) {
		throw new InvalidArgumentError('Expected start:end in milliseconds from the start of the trace, such as 1200:1500, 1200: or :1500.');
	}

	return {start, end};
};

const parseMatch = (value: string): string => {
	try {
		namePredicate(value);
	} catch (error) {
		throw new InvalidArgumentError(`Not a valid regular expression: ${(error as Error).message}`);
	}

	return value;
};

function buildProgram(io: CliOutput): Command {
	return new Command('vizviewer')
		.usage('[options] <trace>')
		.description('Show a trace (.json, .json.gz, .vizt, or a directory of them) on a timeline in the browser, served from this machine (flame graphs one click away); or write it as one self-contained HTML file.')
		.version(version, '--version', 'print the version and exit')
		.helpOption('-h, --help', 'print this help and exit')
		.addOption(new Option('--port <n>', 'port to serve on (0: any free port)').default(perfettoPort).argParser(parsePort))
		.addOption(new Option('--host <address>', 'address to listen on; other than loopback, anyone who can reach it can read the trace').default('127.0.0.1'))
		.option('--no-open', 'do not open a web browser')
		.option('--once', 'exit once the timeline has drawn the trace')
		.option('--timeout <seconds>', 'stop serving after this many seconds (with --once: fail if the trace was not loaded by then)', parsePositive)
		.option('--save-html <file>', 'write one self-contained HTML file that opens offline, instead of serving')
		.option('--filter', 'write a smaller trace with only the events passing the options below, and show that')
		.option('--min-duration <us>', 'keep spans at least this many microseconds long (implies --filter)', parseNonNegative)
		.option('--match <pattern>', 'keep events whose name contains this text, or matches /regex/flags (implies --filter)', parseMatch)
		.option('--file <glob>', 'keep events of source files matching this glob, e.g. "src/**" or "parser.js" (implies --filter)')
		.option('--window <start:end>', 'keep events overlapping this window, in ms from the start of the trace (implies --filter)', parseWindow)
		.option('--filter-output <file>', 'where --filter writes (default: <trace>.filtered.json, or .json.gz)')
		.option('-q, --quiet', 'print nothing but errors and the URL')
		.argument('<trace>', 'a trace file (.json, .json.gz or .vizt) or a directory of them')
		.exitOverride()
		.configureOutput({writeOut: io.stdout, writeErr: io.stderr})
		.showHelpAfterError('(run vizviewer --help for usage)');
}

/** `result.json` → `result.filtered.json`; `result.json.gz` → `result.filtered.json.gz`; `result.vizt` → `result.filtered.json` (the filter writes JSON). */
function filteredName(file: string): string {
	if (/\.vizt$/i.test(file)) {
		return `${file.slice(0, -'.vizt'.length)}.filtered.json`;
	}

	const match = /(\.json(?:\.gz)?)$/i.exec(file);
	const extension = match?.[1] ?? '.json';
	return `${match ? file.slice(0, -extension.length) : file}.filtered${extension}`;
}

export type ViewerEnvironment = {
	platform: NodeJS.Platform;
	env: NodeJS.ProcessEnv;
};

class UsageError extends Error {}

/** Input that parses but leaves nothing to show: exit 1, like a file that is not a trace. */
class NothingToShowError extends Error {}

/** A path as the user would type it: relative to the working directory when inside it. */
function displayPath(file: string): string {
	const relative = path.relative(process.cwd(), file);
	return relative === '' || relative.startsWith('..') || path.isAbsolute(relative) ? file : relative;
}

/**
 * `vizviewer [options] <trace>`. Resolves with the exit code once there is
 * nothing left to do: at once for `--save-html` and errors, after the trace
 * was loaded for `--once`, after `--timeout`; otherwise the server runs until
 * the process is interrupted. Exit codes: 2 bad usage; 1 a missing,
 * unreadable or invalid trace, a filter that keeps nothing, an address or
 * port it cannot listen on, or a failed write, each told in one line.
 */
export async function vizviewerMain(argv: string[], io: CliOutput, environment: ViewerEnvironment = {platform: process.platform, env: process.env}): Promise<number> {
	const program = buildProgram(io);
	const answered = parseCommand(program, argv);
	if (answered !== undefined) {
		return answered;
	}

	const flags = program.opts<ViewerFlags>();
	const [target] = program.processedArgs as [string];
	const info = (text: string) => {
		if (!flags.quiet) {
			io.stderr(`vizviewer: ${text}\n`);
		}
	};

	try {
		return await run(target, flags, io, info, environment);
	} catch (error) {
		if (error instanceof UsageError) {
			io.stderr(`vizviewer: ${error.message}\n(run vizviewer --help for usage)\n`);
			return 2;
		}

		if (error instanceof VizTracerTraceNotFoundError || error instanceof VizTracerTraceUnreadableError || error instanceof VizTracerInvalidTraceError
			|| error instanceof VizViewerPortInUseError || error instanceof VizViewerListenError || error instanceof VizTracerSaveError || error instanceof NothingToShowError) {
			io.stderr(`vizviewer: ${oneLine((error as Error).message)}\n`);
			return 1;
		}

		// Whatever else goes wrong is still one line, not a stack trace.
		io.stderr(`vizviewer: ${oneLine(error instanceof Error ? `${error.name}: ${error.message}` : String(error))}\n`);
		return 1;
	}
}

const oneLine = (text: string): string => text.replaceAll(/\s*\n\s*/g, ' ');

/** `1.5`, `0.1`, `1200`: milliseconds as the user would type them. */
const formatMilliseconds = (ms: number): string => String(Number(ms.toFixed(3)));

/** Why filtering kept no event, naming the trace and the options to change. */
function nothingKept(trace: ServedTrace, filter: TraceFilter, result: FilterResult): string {
	if (result.read === 0) {
		return `${trace.name} has no events, so the filter keeps none; nothing was written`;
	}

	const options = [
		filter.minDuration === undefined ? undefined : `--min-duration ${filter.minDuration}`,
		filter.match === undefined ? undefined : `--match ${filter.match}`,
		filter.file === undefined ? undefined : `--file ${filter.file}`,
		filter.window === undefined ? undefined : `--window ${filter.window.start ?? ''}:${filter.window.end ?? ''}`,
	].filter(option => option !== undefined);
	const {window} = filter;
	if (window === undefined) {
		return `no event of ${trace.name} passes the filter (${options.join(' ')}); nothing was written`;
	}

	const windowText = `--window ${window.start ?? ''}:${window.end ?? ''}`;
	if (result.timeRange === undefined) {
		return `${windowText} selects no events: the events of ${trace.name} have no timestamps; nothing was written`;
	}

	const length = (result.timeRange.last - result.timeRange.first) / 1000;
	const range = `the events of ${trace.name} run from 0 to ${formatMilliseconds(length)} ms (from its first timestamp)`;
	if ((window.start ?? Number.NEGATIVE_INFINITY) > length || (window.end ?? Number.POSITIVE_INFINITY) < 0) {
		return `${windowText} selects no events: ${range}; nothing was written`;
	}

	return `no event of ${trace.name} passes the filter (${options.join(' ')}); ${range}; nothing was written`;
}

async function run(target: string, flags: ViewerFlags, io: CliOutput, info: (text: string) => void, environment: ViewerEnvironment): Promise<number> {
	const filter: TraceFilter = {};
	if (flags.minDuration !== undefined) {
		filter.minDuration = flags.minDuration;
	}

	if (flags.match !== undefined) {
		filter.match = flags.match;
	}

	if (flags.file !== undefined) {
		filter.file = flags.file;
	}

	if (flags.window !== undefined) {
		filter.window = flags.window;
	}

	const filtering = flags.filter === true || Object.keys(filter).length > 0;
	if (filtering && Object.keys(filter).length === 0) {
		throw new UsageError('--filter needs at least one of --min-duration, --match, --file, --window');
	}

	let catalog = TraceCatalog.open(target);
	if (catalog.directory !== undefined && (filtering || flags.saveHtml !== undefined)) {
		throw new UsageError(`${target} is a directory; --filter and --save-html take one trace file`);
	}

	let trace = catalog.list()[0];
	if (trace && catalog.directory === undefined) {
		if (filtering) {
			const output = path.resolve(flags.filterOutput ?? filteredName(trace.file));
			if (output === trace.file || output === trace.realFile) {
				throw new UsageError('--filter-output must differ from the trace it filters');
			}

			// The path as typed names the same file (the working directory has not changed), and messages name it so.
			const result = await filterTrace(trace.label, output, filter);
			if (!result.written) {
				throw new NothingToShowError(nothingKept(trace, filter, result));
			}

			const share = result.read === 0 ? 0 : (100 * result.kept) / result.read;
			info(`kept ${result.kept.toLocaleString('en-US')} of ${result.read.toLocaleString('en-US')} events (${share.toFixed(1)}%) in ${displayPath(output)} (${formatBytes(result.bytes)})`);
			catalog = TraceCatalog.open(output);
			trace = catalog.list()[0]!;
		} else {
			// Read through before anything else: a truncated gzip's trailer
			// would otherwise give a nonsense size below.
			await catalog.check(trace);
			warnIfLarge(trace, info);
		}

		if (flags.saveHtml !== undefined) {
			const html = path.resolve(flags.saveHtml);
			await saveTraceAsHtml(trace.realFile, html, trace.name, {checked: true});
			info(`wrote ${displayPath(html)}: open it in a web browser (it needs no server and no network)`);
			return 0;
		}
	}

	return serve(catalog, flags, io, info, environment);
}

// The timeline holds about 32 bytes a span in the page (benchmarks/README.md,
// viewer.js: 11.4M spans drew their first frame in 3.5 s in 513 MB); past
// some 20 million spans it loads slowly and needs gigabytes. Spans are
// estimated from the file's size: about 100 bytes of JSON, or 6 of .vizt, each.
const timelineSpanLimit = 20_000_000;
const jsonBytesPerSpan = 100;
const viztBytesPerSpan = 6;

function warnIfLarge(trace: ServedTrace, info: (text: string) => void): void {
	const vizt = isViztFile(trace.file);
	const bytes = jsonSizeOf(trace.file);
	const spans = bytes / (vizt ? viztBytesPerSpan : jsonBytesPerSpan);
	if (spans > timelineSpanLimit) {
		info(`warning: ${trace.name} holds about ${(spans / 1e6).toFixed(0)} million spans (${formatMegabytes(bytes)}${vizt ? '' : ' of JSON'}), more than the timeline loads quickly (about ${timelineSpanLimit / 1e6} million); it will need about ${formatMegabytes(spans * 32)} in the browser.`);
		const file = displayPath(trace.file);
		info(`  Make a smaller trace with --filter, e.g. \`vizviewer --min-duration 100 ${file}\` (spans of 100 µs and more), --match <name>, --file <glob> or --window <start:end>;`);
		info(`  or get the numbers without a browser: \`viztracer stats ${file}\`.`);
	}
}

async function serve(catalog: TraceCatalog, flags: ViewerFlags, io: CliOutput, info: (text: string) => void, environment: ViewerEnvironment): Promise<number> {
	let served: ServedTrace | undefined;
	let finish: (code: number) => void = () => undefined;
	const finished = new Promise<number>(resolve => {
		finish = resolve;
	});
	const server: ViewerServer = await startViewerServer({
		catalog,
		release: loadSpeedscopeRelease(),
		host: flags.host,
		port: flags.port,
		onTraceRefused(trace, error) {
			io.stderr(`vizviewer: not serving ${trace.name}: ${oneLine(error.message)}\n`);
		},
		onTraceServed(trace) {
			served = trace;
			if (flags.once) {
				info(`the viewer loaded ${trace.name}; exiting (--once)`);
				finish(0);
			}
		},
	});

	if (!['127.0.0.1', 'localhost', '::1'].includes(flags.host)) {
		info(`warning: listening on ${flags.host}: anyone who can reach this address can read the trace`);
	}

	const traces = catalog.list();
	const single = catalog.directory === undefined ? traces[0] : undefined;
	io.stdout(`${single ? `Serving ${single.name}` : `Serving the traces in ${catalog.directory!}`} at ${server.url}\n`);
	if (single) {
		io.stdout(server.port === perfettoPort
			? `To open it in Perfetto instead: https://ui.perfetto.dev/#!/?url=${server.traceUrl(single)}\n`
			: (single.file.endsWith('.vizt')
				? `To open it in Perfetto instead: \`viztracer convert ${single.file} ${single.file.replace(/\.vizt$/, '.json')}\`, then at https://ui.perfetto.dev choose "Open trace file" and pick that\n`
				: `To open it in Perfetto instead: at https://ui.perfetto.dev choose "Open trace file" and pick ${single.file}\n`));
	}

	const hasDisplay = Boolean(environment.env.DISPLAY || environment.env.WAYLAND_DISPLAY);
	if (flags.open && !openBrowser(server.url, {platform: environment.platform, hasDisplay})) {
		info('no desktop browser to open here: open the URL above in a browser');
	}

	info('press Ctrl-C to stop');
	let timer: NodeJS.Timeout | undefined;
	if (flags.timeout !== undefined) {
		timer = setTimeout(() => {
			if (flags.once && !served) {
				io.stderr(`vizviewer: no viewer loaded the trace within ${flags.timeout!} s (--timeout)\n`);
				finish(1);
			} else {
				info(`stopping after ${flags.timeout!} s (--timeout)`);
				finish(0);
			}
		}, flags.timeout * 1000);
	}

	const code = await finished;
	clearTimeout(timer);
	await server.close();
	return code;
}
