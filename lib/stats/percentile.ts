/**
 * The `p`th percentile of ascending `sorted` values by the nearest-rank
 * method: the smallest value with at least `p`% of the values at or below it.
 * It is always one of the measured durations, never an interpolation between
 * two calls, and is easy to check by hand (p50 of 1, 2, 3, 4 is 2).
 */
export function nearestRank(sorted: ArrayLike<number>, p: number): number {
	const {length} = sorted;
	if (length === 0) {
		return Number.NaN;
	}

	const rank = Math.ceil((p / 100) * length);
	return sorted[Math.min(length, Math.max(1, rank)) - 1]!;
}
