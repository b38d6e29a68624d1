import {Command, InvalidArgumentError, Option} from 'commander';
import {VizTracerInvalidTraceError, VizTracerTraceNotFoundError, VizTracerTraceUnreadableError} from '../core/errors.js';
import {statsToCsv, statsToJson, statsToTable} from '../stats/format-stats.js';
import {isSortColumn, sortColumns, sortRows, type SortColumn} from '../stats/sort-rows.js';
import {computeTraceStats} from '../stats/trace-stats.js';
import type {CliOutput} from './parse-args.js';
import {parseCommand} from './parse-command.js';

// Enough rows to see where the time went without scrolling; --limit 0 shows all.
const defaultTableRows = 30;

type StatsFlags = {sort: SortColumn; limit?: number; json?: boolean; csv?: boolean};

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
	let stats;
	try {
		stats = await computeTraceStats(file);
	} catch (error) {
		if (error instanceof VizTracerTraceNotFoundError || error instanceof VizTracerTraceUnreadableError || error instanceof VizTracerInvalidTraceError) {
			io.stderr(`viztracer stats: ${error.message}\n`);
			return 1;
		}

		throw error;
	}

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
		const plural = (count: number, word: string) => `${count.toLocaleString('en-US')} ${word}${count === 1 ? '' : 's'}`;
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
