import {csvField, formatDuration, textTable} from './format-stats.js';
import type {RequestStats, RouteStats} from './request-stats.js';

// How `viztracer stats --by route|request` prints: a table for people,
// --json and --csv for scripts (times in µs, as for the function rows).

const round = (value: number): number => Math.round(value * 1000) / 1000;

const csv = (header: readonly string[], lines: ReadonlyArray<ReadonlyArray<string | number>>): string =>
	`${[header.join(','), ...lines.map(line => line.map(cell => csvField(String(cell))).join(','))].join('\r\n')}\r\n`;

/** `200×98 404×2`, most frequent first. */
const statusSummary = (statuses: Record<string, number>): string => Object.entries(statuses)
	.sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1))
	.map(([status, count]) => `${status}×${count}`)
	.join(' ');

const routeColumns = ['route', 'requests', 'statuses', 'total', 'mean', 'p50', 'p95', 'max', 'spans'] as const;

export function routesToJson(rows: readonly RouteStats[]): string {
	return `${JSON.stringify(rows.map(row => ({...row, total: round(row.total), mean: round(row.mean), p50: round(row.p50), p95: round(row.p95), max: round(row.max)})), undefined, 2)}\n`;
}

export function routesToCsv(rows: readonly RouteStats[]): string {
	return csv(routeColumns, rows.map(row => [row.route, row.requests, statusSummary(row.statuses), ...[row.total, row.mean, row.p50, row.p95, row.max].map(round), row.spans]));
}

export function routesToTable(rows: readonly RouteStats[]): string {
	return textTable(
		['requests', 'total', 'mean', 'p50', 'p95', 'max', 'spans', 'statuses', 'route'],
		rows.map(row => [
			row.requests.toLocaleString('en-US'),
			...[row.total, row.mean, row.p50, row.p95, row.max].map(value => formatDuration(value)),
			row.spans.toLocaleString('en-US'),
			statusSummary(row.statuses),
			row.route,
		]),
	);
}

const requestColumns = ['pid', 'thread', 'request', 'route', 'url', 'status', 'bytes', 'ts', 'dur', 'spans'] as const;

export function requestsToJson(rows: readonly RequestStats[]): string {
	return `${JSON.stringify(rows.map(row => ({...row, ts: round(row.ts), dur: round(row.dur)})), undefined, 2)}\n`;
}

export function requestsToCsv(rows: readonly RequestStats[]): string {
	return csv(requestColumns, rows.map(row => [row.pid, row.thread, row.request, row.route, row.url, row.status, row.bytes, round(row.ts), round(row.dur), row.spans]));
}

/** `start` is from the first request's arrival. */
export function requestsToTable(rows: readonly RequestStats[]): string {
	const origin = Math.min(...rows.map(row => row.ts));
	return textTable(
		['request', 'start', 'duration', 'spans', 'status', 'bytes', 'url'],
		rows.map(row => [
			String(row.request),
			formatDuration(row.ts - origin),
			formatDuration(row.dur),
			row.spans.toLocaleString('en-US'),
			row.status,
			row.bytes.toLocaleString('en-US'),
			`${row.route.split(' ', 1)[0]!} ${row.url}`,
		]),
	);
}
