import type {FunctionStats} from './function-stats.js';

const columns = ['name', 'calls', 'total', 'self', 'mean', 'p50', 'p95', 'max'] as const;

/** Microseconds to the nanosecond, without binary noise such as 0.30000000000000004. */
const roundMicroseconds = (value: number): number => Math.round(value * 1000) / 1000;

/** The rows as `--json` prints them: `{name, calls, total, self, mean, p50, p95, max, incomplete}`, times in µs. */
export function statsToJson(rows: readonly FunctionStats[]): string {
	const plain = rows.map(row => ({
		name: row.name,
		calls: row.calls,
		total: roundMicroseconds(row.total),
		self: roundMicroseconds(row.self),
		mean: roundMicroseconds(row.mean),
		p50: roundMicroseconds(row.p50),
		p95: roundMicroseconds(row.p95),
		max: roundMicroseconds(row.max),
		incomplete: row.incomplete,
	}));
	return `${JSON.stringify(plain, undefined, 2)}\n`;
}

/** RFC 4180: quote a field holding a comma, quote or line break, doubling its quotes. */
export const csvField = (value: string): string => (/[",\r\n]/.test(value) ? `"${value.replaceAll('"', '""')}"` : value);

/** The rows as `--csv` prints them: a header, then one line per function, times in µs. */
export function statsToCsv(rows: readonly FunctionStats[]): string {
	const lines = [columns.join(',')];
	for (const row of rows) {
		lines.push([
			csvField(row.name),
			String(row.calls),
			...[row.total, row.self, row.mean, row.p50, row.p95, row.max].map(value => String(roundMicroseconds(value))),
		].join(','));
	}

	return `${lines.join('\r\n')}\r\n`;
}

const units: ReadonlyArray<[limit: number, divisor: number, unit: string]> = [
	[1000, 1, 'µs'],
	[1e6, 1000, 'ms'],
	[60e6, 1e6, 's'],
	[3600e6, 60e6, 'min'],
	[86_400e6, 3600e6, 'h'],
];

const microsecondsPerDay = 86_400e6;

/**
 * A duration for people: `850 ns`, `12.50 µs`, `3.20 ms`, `1.05 s`,
 * `2.50 min`, `1.20 h`, `3.00 d`, and beyond 10,000 days `1.00e+12 d`
 * (a trace with absurd timestamps still prints as numbers). Infinity, only
 * reachable when sums overflow, prints as `∞`.
 */
export function formatDuration(microseconds: number): string {
	if (Number.isNaN(microseconds)) {
		return '?';
	}

	if (microseconds < 0) {
		return `-${formatDuration(-microseconds)}`;
	}

	if (microseconds === Number.POSITIVE_INFINITY) {
		return '∞';
	}

	if (Math.round(microseconds * 1000) < 1000) {
		return `${Math.round(microseconds * 1000)} ns`;
	}

	for (let index = 0; index < units.length; index++) {
		const [limit, divisor, unit] = units[index]!;
		// Compared after rounding, so 999.999 µs is `1.00 ms`, not `1000.00 µs`.
		if (Math.round((microseconds / divisor) * 100) < (limit / divisor) * 100) {
			return `${(microseconds / divisor).toFixed(2)} ${unit}`;
		}
	}

	const days = microseconds / microsecondsPerDay;
	return days < 10_000 ? `${days.toFixed(2)} d` : `${days.toExponential(2)} d`;
}

/** The rows as a text table, numbers right-aligned and the (long) names last. */
export function statsToTable(rows: readonly FunctionStats[]): string {
	const header = ['calls', 'total', 'self', 'mean', 'p50', 'p95', 'max', 'function'];
	const cells = rows.map(row => [
		row.calls.toLocaleString('en-US'),
		...[row.total, row.self, row.mean, row.p50, row.p95, row.max].map(value => formatDuration(value)),
		// Self time of some calls unknown (see FunctionStats.incomplete): the legend says so.
		row.incomplete > 0 ? `${row.name} *` : row.name,
	]);
	return textTable(header, cells);
}

/** A text table: numbers right-aligned, the (long) last column left as it is. */
export function textTable(header: readonly string[], cells: readonly string[][]): string {
	const widths = header.map((title, column) => Math.max(title.length, ...cells.map(line => line[column]!.length)));
	const render = (line: readonly string[]) => line
		.map((cell, column) => (column === line.length - 1 ? cell : cell.padStart(widths[column]!)))
		.join('  ');
	return `${[render(header), ...cells.map(line => render(line))].join('\n')}\n`;
}
