import type {FunctionStats} from './function-stats.js';

export const sortColumns = ['self', 'total', 'calls', 'mean', 'p50', 'p95', 'max', 'name'] as const;
export type SortColumn = (typeof sortColumns)[number];

export const isSortColumn = (value: string): value is SortColumn => (sortColumns as readonly string[]).includes(value);

/**
 * Rows sorted by `column`, largest first (names A to Z), ties broken by self
 * time and then name so the order is stable from run to run; at most `limit`
 * rows when `limit` > 0.
 */
export function sortRows(rows: readonly FunctionStats[], column: SortColumn, limit = 0): FunctionStats[] {
	const byName = (a: FunctionStats, b: FunctionStats) => (a.name < b.name ? -1 : (a.name > b.name ? 1 : 0));
	const sorted = [...rows].sort(column === 'name'
		? byName
		: (a, b) => (b[column] - a[column]) || (b.self - a.self) || byName(a, b));
	return limit > 0 ? sorted.slice(0, limit) : sorted;
}
