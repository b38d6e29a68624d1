/**
 * Where each slice of a track is drawn: the depth of its nesting, and an
 * order that groups slices by depth and sorts each depth by start. Slices
 * that overlap without nesting (async lifetimes, hand-made traces) are moved
 * down until their depth is free, so a depth never holds two slices at once.
 */
export type RowLayout = {
	/** `order[k]` is the input index of the k-th slice of the layout. */
	order: Uint32Array;
	depthOffsets: Uint32Array;
};

// Times are µs as doubles: a child's end computed from ts + dur may pass its
// parent's by a rounding error, which must not break the nesting.
const epsilon = 1e-6;

/** Slices in end order (as the tracer writes them: a call is written when it returns) go backwards through a stack: parents before children. */
function isEndOrdered(start: Float64Array, dur: Float64Array): boolean {
	let last = Number.NEGATIVE_INFINITY;
	for (let index = 0; index < start.length; index++) {
		const end = start[index]! + dur[index]!;
		if (end < last - epsilon) {
			return false;
		}

		last = Math.max(last, end);
	}

	return true;
}

function isStartOrdered(start: Float64Array, dur: Float64Array): boolean {
	for (let index = 1; index < start.length; index++) {
		const previous = start[index - 1]!;
		const current = start[index]!;
		// Equal starts: the longer (the parent) first.
		if (current < previous || (current === previous && dur[index]! > dur[index - 1]!)) {
			return false;
		}
	}

	return true;
}

/** Depths from the file (`.vizt` records of the call stack), if each depth's slices come in order without overlaps. */
function layoutFromDepths(start: Float64Array, dur: Float64Array, depth: Int32Array): Int32Array | undefined {
	const lastEnd: number[] = [];
	for (let index = 0; index < start.length; index++) {
		const level = depth[index]!;
		if (level < 0) {
			return undefined;
		}

		if (start[index]! < (lastEnd[level] ?? Number.NEGATIVE_INFINITY) - epsilon) {
			return undefined;
		}

		lastEnd[level] = start[index]! + dur[index]!;
	}

	return depth;
}

/** Spans visited from the last to end to the first to end: each one's enclosing spans were visited before it. */
function layoutBackwards(start: Float64Array, dur: Float64Array): Int32Array {
	const depths = new Int32Array(start.length);
	const stackStart: number[] = [];
	const firstStart: number[] = [];
	for (let index = start.length - 1; index >= 0; index--) {
		const begin = start[index]!;
		const end = begin + dur[index]!;
		while (stackStart.length > 0 && stackStart.at(-1)! > begin + epsilon) {
			stackStart.pop();
		}

		let level = stackStart.length;
		while ((firstStart[level] ?? Number.POSITIVE_INFINITY) < end - epsilon) {
			level++;
		}

		depths[index] = level;
		firstStart[level] = begin;
		// A slice moved down past free depths: those count as enclosing it.
		stackStart.length = Math.min(stackStart.length, level);
		while (stackStart.length <= level) {
			stackStart.push(begin);
		}
	}

	return depths;
}

/** Spans visited by start (`order`): each one's enclosing spans were visited before it. */
function layoutForwards(start: Float64Array, dur: Float64Array, order: Uint32Array): Int32Array {
	const depths = new Int32Array(start.length);
	const stackEnd: number[] = [];
	const lastEnd: number[] = [];
	for (const index of order) {
		const begin = start[index]!;
		const end = begin + dur[index]!;
		while (stackEnd.length > 0 && stackEnd.at(-1)! < end - epsilon) {
			stackEnd.pop();
		}

		let level = stackEnd.length;
		while ((lastEnd[level] ?? Number.NEGATIVE_INFINITY) > begin + epsilon) {
			level++;
		}

		depths[index] = level;
		lastEnd[level] = end;
		stackEnd.length = Math.min(stackEnd.length, level);
		while (stackEnd.length <= level) {
			stackEnd.push(end);
		}
	}

	return depths;
}

/**
 * Lays out one track's slices (see {@link RowLayout}). `depth` gives known
 * depths (-1: unknown), used when they are consistent. Linear for slices in
 * end order (the tracer's files) or start order; others are sorted first.
 */
export function layoutRows(start: Float64Array, dur: Float64Array, depth?: Int32Array): RowLayout {
	const count = start.length;
	let depths = depth ? layoutFromDepths(start, dur, depth) : undefined;
	if (depths === undefined) {
		// Start order first: slices in both orders (a callee ending with its
		// caller, in a file sorted by ts) have the caller first, which only the
		// forward pass reads as the parent; the tracer's end order has the
		// callee first, and is never also in start order when they nest.
		if (isStartOrdered(start, dur)) {
			depths = layoutForwards(start, dur, Uint32Array.from({length: count}, (_, index) => index));
		} else if (isEndOrdered(start, dur)) {
			depths = layoutBackwards(start, dur);
		} else {
			const order = Uint32Array.from({length: count}, (_, index) => index).sort((a, b) => start[a]! - start[b]! || dur[b]! - dur[a]! || a - b);
			return group(layoutForwards(start, dur, order), order);
		}
	}

	return group(depths, undefined);
}

/**
 * Groups slices by depth, keeping each depth in the order given (`within`, or
 * the input order). Within a depth the slices never overlap, so they are
 * then in start order whether the input was in start or in end order.
 */
function group(depths: Int32Array, within: Uint32Array | undefined): RowLayout {
	let maxDepth = -1;
	for (const level of depths) {
		maxDepth = Math.max(maxDepth, level);
	}

	const depthOffsets = new Uint32Array(maxDepth + 2);
	for (const level of depths) {
		depthOffsets[level + 1]!++;
	}

	for (let level = 1; level < depthOffsets.length; level++) {
		depthOffsets[level]! += depthOffsets[level - 1]!;
	}

	const next = depthOffsets.slice(0, -1);
	const order = new Uint32Array(depths.length);
	const count = depths.length;
	for (let k = 0; k < count; k++) {
		const index = within ? within[k]! : k;
		order[next[depths[index]!]!++] = index;
	}

	return {order, depthOffsets};
}

/**
 * Self time of each slice of a laid-out track: its duration minus that of
 * the slices one depth below that lie inside it. One pass per pair of depths.
 */
export function selfTimes(start: Float64Array, dur: Float64Array, depthOffsets: Uint32Array): Float64Array {
	const self = Float64Array.from(dur);
	for (let level = 0; level + 2 < depthOffsets.length; level++) {
		let parent = depthOffsets[level]!;
		const parentEnd = depthOffsets[level + 1]!;
		const lastChild = depthOffsets[level + 2]!;
		for (let child = parentEnd; child < lastChild && parent < parentEnd; child++) {
			const childStart = start[child]!;
			const childEnd = childStart + dur[child]!;
			// A parent that ends before this child does cannot hold any later child either.
			while (parent < parentEnd && start[parent]! + dur[parent]! < childEnd - epsilon) {
				parent++;
			}

			if (parent < parentEnd && start[parent]! <= childStart + epsilon) {
				self[parent]! -= dur[child]!;
			}
		}
	}

	for (let index = 0; index < self.length; index++) {
		if (self[index]! < 0) {
			self[index] = 0;
		}
	}

	return self;
}
