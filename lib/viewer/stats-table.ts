import {sortRows} from '../stats/sort-rows.js';
import type {TraceStats} from '../stats/trace-stats.js';

/** `viztracer stats`' table as the page's Stats view shows it (see viewer-ui/viewer-host.ts StatsTable). */
export type StatsTable = {columns: string[]; rows: (string | number)[][]; note: string};

const round = (value: number): number => Math.round(value * 1000) / 1000;

export function statsTable(stats: TraceStats): StatsTable {
	return {
		columns: ['Function', 'Calls', 'Total (µs)', 'Self (µs)', 'Mean (µs)', 'p50 (µs)', 'p95 (µs)', 'Max (µs)'],
		rows: sortRows(stats.functions, 'self').map(row => [row.name, row.calls, round(row.total), round(row.self), round(row.mean), round(row.p50), round(row.p95), round(row.max)]),
		note: `${stats.functions.length} functions, ${stats.spans} spans on ${stats.tracks} tracks${stats.dropped > 0 ? `; ${stats.dropped} entries were dropped while recording` : ''}. Total counts nested calls of a function once; self is time as the innermost span.`,
	};
}
