/** Offsets at which each line of `source` starts, for offset → line/column look-ups. */
export function lineStarts(source: string): number[] {
	const starts = [0];
	for (let index = source.indexOf('\n'); index !== -1; index = source.indexOf('\n', index + 1)) {
		starts.push(index + 1);
	}

	return starts;
}

/** 1-based line and column of `offset`. */
export function locate(starts: readonly number[], offset: number): {line: number; column: number} {
	const line = lineIndexOf(starts, offset);
	return {line: line + 1, column: offset - starts[line]! + 1};
}

/** The 0-based line of `offset`. */
export function lineIndexOf(starts: readonly number[], offset: number): number {
	let low = 0;
	let high = starts.length - 1;
	while (low < high) {
		const middle = (low + high + 1) >> 1;
		if (starts[middle]! <= offset) {
			low = middle;
		} else {
			high = middle - 1;
		}
	}

	return low;
}
