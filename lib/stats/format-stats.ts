import type {FunctionStats} from './function-stats.js';

const columns = ['name', 'calls', 'total', 'self', 'mean', 'p50', 'p95', 'max'] as const;

/** Microseconds to the nanosecond, without binary noise such as 0.30000000000000004. */
const roundMicroseconds = (value: number): number => Math.round(value * 1000) / 1000;

/** The rows as `--json` prints them: `{name, calls, total, self, mean, p50, p95, max}`, times in µs. */
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
	}));
	return `${JSON.stringify(plain, undefined, 2)}\n`;
}

/** RFC 4180: quote a field holding a comma, quote or line break, doubling its quotes. */
const csvField = (value: string): string => (/[",\r\n]/.test(value) ? `"${value.replaceAll('"', '""')}"` : value);

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

/** A duration for people: `850 ns`, `12.50 µs`, `3.20 ms`, `1.05 s`. */
export function formatDuration(microseconds: number): string {
	if (microseconds < 1) {
		return `${Math.round(microseconds * 1000)} ns`;
	}

	if (microseconds < 1000) {
		return `${microseconds.toFixed(2)} µs`;
	}

	if (microseconds < 1_000_000) {
		return `${(microseconds / 1000).toFixed(2)} ms`;
	}

	return `${(microseconds / 1_000_000).toFixed(2)} s`;
}

/** The rows as a text table, numbers right-aligned and the (long) names last. */
export function statsToTable(rows: readonly FunctionStats[]): string {
	const header = ['calls', 'total', 'self', 'mean', 'p50', 'p95', 'max', 'function'];
	const cells = rows.map(row => [
		row.calls.toLocaleString('en-US'),
		...[row.total, row.self, row.mean, row.p50, row.p95, row.max].map(value => formatDuration(value)),
		row.name,
	]);
	const widths = header.map((title, column) => Math.max(title.length, ...cells.map(line => line[column]!.length)));
	const render = (line: string[]) => line
		.map((cell, column) => (column === line.length - 1 ? cell : cell.padStart(widths[column]!)))
		.join('  ');
	return `${[render(header), ...cells.map(line => render(line))].join('\n')}\n`;
}
