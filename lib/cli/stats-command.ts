import {Command, InvalidArgumentError, Option} from 'commander';
import {VizTracerInvalidTraceError, VizTracerTraceNotFoundError, VizTracerTraceUnreadableError} from '../core/errors.js';
import {statsToCsv, statsToJson, statsToTable} from '../stats/format-stats.js';
import {isSortColumn, sortColumns, sortRows, type SortColumn} from '../stats/sort-rows.js';
import {computeTraceStats} from '../stats/trace-stats.js';
import {requestsToCsv, requestsToJson, requestsToTable, routesToCsv, routesToJson, routesToTable} from '../stats/format-request-stats.js';
import {computeRequestStats, routeStats} from '../stats/request-stats.js';
import type {CliOutput} from './parse-args.js';
import {parseCommand} from './parse-command.js';

// Enough rows to see where the time went without scrolling; --limit 0 shows all.
const defaultTableRows = 30;

const plural = (count: number, word: string) => `${count.toLocaleString('en-US')} ${word}${count === 1 ? '' : 's'}`;

const groupings = ['function', 'route', 'request'] as const;
type Grouping = (typeof groupings)[number];

type StatsFlags = {sort: SortColumn; limit?: number; json?: boolean; csv?: boolean; by: Grouping};

const parseLimit = (value: string): number => {
	const number = Number(value);
	if (!Number.isInteger(number) || number < 0) {
		throw new InvalidArgumentError('Expected an integer >= 0 (0: all rows).');
	}

	return number;
};

const parseSort = (value: string): SortColumn => {
	if (!isSortColumn(value)) {
		throw new InvalidArgumentError(`Expected one of ${sortColumns.join(', ')}.`);
	}

	return value;
};

function buildProgram(io: CliOutput): Command {
	return new Command('viztracer stats')
		.usage('[options] <trace>')
		.description('Per-function statistics of a trace (.json or .json.gz, any Chrome trace with X or B/E events): calls, total (inclusive) and self time, mean, p50, p95 and max call durations.')
		.helpOption('-h, --help', 'print this help and exit')
		.addOption(new Option('--sort <column>', `sort by ${sortColumns.join(', ')} (largest first)`).default('self').argParser(parseSort))
		.option('--limit <n>', `show the first n rows (default: ${defaultTableRows} in the table, all with --json/--csv; 0: all)`, parseLimit)
		.addOption(new Option('--json', 'print a JSON array of {name, calls, total, self, mean, p50, p95, max}, times in µs').conflicts('csv'))
		.option('--csv', 'print CSV with the same columns, times in µs')
		.addOption(new Option('--by <what>', 'one row per function, per route (method and route, or path, of the requests --log-requests recorded: requests, statuses, durations and the function spans recorded while serving them) or per request (slowest first)').choices(groupings).default('function'))
		.argument('<trace>', 'the trace file')
		.exitOverride()
		.configureOutput({writeOut: io.stdout, writeErr: io.stderr})
		.showHelpAfterError('(run viztracer stats --help for usage)');
}

/** `viztracer stats [options] <trace>`; resolves with the exit code (2: bad usage, 1: unreadable trace). */
export async function statsMain(argv: string[], io: CliOutput): Promise<number> {
	const program = buildProgram(io);
	const answered = parseCommand(program, argv);
	if (answered !== undefined) {
		return answered;
	}

	const flags = program.opts<StatsFlags>();
	const [file] = program.processedArgs as [string];
	try {
		if (flags.by !== 'function') {
			return await requestStatsMain(file, flags, io);
		}

		return await functionStatsMain(file, flags, io);
	} catch (error) {
		if (error instanceof VizTracerTraceNotFoundError || error instanceof VizTracerTraceUnreadableError || error instanceof VizTracerInvalidTraceError) {
			io.stderr(`viztracer stats: ${error.message}\n`);
			return 1;
		}

		throw error;
	}
}

/** `--by route` and `--by request`. */
async function requestStatsMain(file: string, flags: StatsFlags, io: CliOutput): Promise<number> {
	const requests = await computeRequestStats(file);
	if (requests.length === 0) {
		io.stderr(`viztracer stats: ${file} has no requests: record them with viztracer --log-requests (option logRequests)\n`);
		return 1;
	}

	const machineReadable = flags.json === true || flags.csv === true;
	const limit = flags.limit ?? (machineReadable ? 0 : defaultTableRows);
	const print = <T>(rows: T[], title: string, formats: {json: (rows: T[]) => string; csv: (rows: T[]) => string; table: (rows: T[]) => string}, noun: string, legend = '') => {
		const shown = limit === 0 ? rows : rows.slice(0, limit);
		if (flags.json) {
			io.stdout(formats.json(shown));
		} else if (flags.csv) {
			io.stdout(formats.csv(shown));
		} else {
			io.stdout(`${file}: ${title}\n\n`);
			io.stdout(formats.table(shown));
			io.stdout(legend);
			if (shown.length < rows.length) {
				io.stdout(`… ${plural(rows.length - shown.length, `more ${noun}`)} (--limit 0 shows all)\n`);
			}
		}
	};

	if (flags.by === 'route') {
		const routes = routeStats(requests);
		print(routes, `${plural(requests.length, 'request')} of ${plural(routes.length, 'route')}, by total time`, {json: routesToJson, csv: routesToCsv, table: routesToTable}, 'route', 'spans: the function spans recorded while serving them (args.request)\n');
	} else {
		const slowest = [...requests].sort((a, b) => b.dur - a.dur || a.ts - b.ts);
		print(slowest, `${plural(requests.length, 'request')}, slowest first`, {json: requestsToJson, csv: requestsToCsv, table: requestsToTable}, 'request');
	}

	return 0;
}

/** One row per function (the default). */
async function functionStatsMain(file: string, flags: StatsFlags, io: CliOutput): Promise<number> {
	const stats = await computeTraceStats(file);

	// Above the table: the numbers below it cover only what was kept.
	if (stats.dropped > 0) {
		io.stderr(`viztracer stats: ${file} lacks ${stats.dropped.toLocaleString('en-US')} of the ${stats.recorded.toLocaleString('en-US')} entries recorded (the oldest, past the bound of --tracer-entries): the numbers cover what was kept\n`);
	}

	const machineReadable = flags.json === true || flags.csv === true;
	const rows = sortRows(stats.functions, flags.sort, flags.limit ?? (machineReadable ? 0 : defaultTableRows));
	if (flags.json) {
		io.stdout(statsToJson(rows));
	} else if (flags.csv) {
		io.stdout(statsToCsv(rows));
	} else {
		io.stdout(`${file}: ${plural(stats.spans, 'span')} of ${plural(stats.functions.length, 'function')} on ${plural(stats.tracks, 'track')}, sorted by ${flags.sort}\n\n`);
		io.stdout(statsToTable(rows));
		if (stats.asyncLifetimes) {
			io.stdout('async functions (--log-async): calls and durations are their lifetimes, from the call to the settling of its promise; self is the time of their runs on the thread, so time spent awaiting is no one\'s self time\n');
		}

		if (rows.some(row => row.incomplete > 0)) {
			io.stdout('* some calls began before their thread\'s record is whole (older entries were dropped): their self time is left out\n');
		}

		if (rows.length < stats.functions.length) {
			io.stdout(`… ${plural(stats.functions.length - rows.length, 'more function')} (--limit 0 shows all)\n`);
		}
	}

	if (stats.unmatched > 0) {
		io.stderr(`viztracer stats: ${stats.unmatched} B/E event(s) without a partner were left out\n`);
	}

	return 0;
}
