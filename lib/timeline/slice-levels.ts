import type {SliceTrack} from './model.js';

/**
 * One depth of a track summarised for a zoom: slices narrower than
 * `bucket` µs that lie less than `bucket` apart are merged into one item;
 * wider slices stay items of their own. Item `i` covers `start[i]` to
 * `end[i]` and stands for `count[i]` slices from slice `first[i]` on.
 */
export type SliceLevel = {bucket: number; start: Float64Array; end: Float64Array; first: Int32Array; count: Uint32Array};

/** Buckets are 4^k µs: level k serves zooms of 4^k to 4^(k+1) µs a pixel. */
export const levelBase = 4;
const maxLevel = 24;

const levels = new WeakMap<SliceTrack, (SliceLevel | undefined)[][]>();

/** The level for a zoom of `usPerPixel`, or -1 below a µs a pixel (where the slices themselves are few enough). */
export function levelFor(usPerPixel: number): number {
	return usPerPixel < 1 ? -1 : Math.min(maxLevel, Math.floor(Math.log(usPerPixel) / Math.log(levelBase) + 1e-9));
}

/**
 * Level `level` of `depth`, built on first use from the nearest finer level
 * already built (or the slices), and kept: zooming out across a trace of
 * ten million slices builds each level once, each from a smaller one.
 */
export function sliceLevel(track: SliceTrack, depth: number, level: number): SliceLevel {
	let byDepth = levels.get(track);
	if (byDepth === undefined) {
		byDepth = [];
		levels.set(track, byDepth);
	}

	const built = (byDepth[depth] ??= []);
	const cached = built[level];
	if (cached !== undefined) {
		return cached;
	}

	let source: SliceLevel | undefined;
	for (let finer = level - 1; finer >= 0 && source === undefined; finer--) {
		source = built[finer];
	}

	const result = buildLevel(track, depth, levelBase ** level, source);
	built[level] = result;
	return result;
}

function buildLevel(track: SliceTrack, depth: number, bucket: number, source: SliceLevel | undefined): SliceLevel {
	const from = source === undefined ? track.depthOffsets[depth]! : 0;
	const to = source === undefined ? track.depthOffsets[depth + 1]! : source.start.length;
	const size = to - from;
	const start = new Float64Array(size);
	const end = new Float64Array(size);
	const first = new Int32Array(size);
	const count = new Uint32Array(size);
	let items = 0;
	for (let index = from; index < to; index++) {
		const itemStart = source === undefined ? track.start[index]! : source.start[index]!;
		const itemEnd = source === undefined ? itemStart + track.dur[index]! : source.end[index]!;
		const itemFirst = source === undefined ? index : source.first[index]!;
		const itemCount = source === undefined ? 1 : source.count[index]!;
		// A slice as wide as a bucket is drawn as itself; merged runs and narrow slices merge on.
		const solid = itemCount === 1 && itemEnd - itemStart >= bucket;
		const last = items - 1;
		if (!solid && last >= 0 && !(count[last] === 1 && end[last]! - start[last]! >= bucket) && itemStart - end[last]! < bucket) {
			end[last] = Math.max(end[last]!, itemEnd);
			count[last]! += itemCount;
			continue;
		}

		start[items] = itemStart;
		end[items] = itemEnd;
		first[items] = itemFirst;
		count[items] = itemCount;
		items++;
	}

	return {bucket, start: start.slice(0, items), end: end.slice(0, items), first: first.slice(0, items), count: count.slice(0, items)};
}

/** The first item of `level` that ends after `time`. */
export function firstItemEndingAfter(level: SliceLevel, time: number): number {
	let low = 0;
	let high = level.end.length;
	while (low < high) {
		const middle = (low + high) >>> 1;
		if (level.end[middle]! <= time) {
			low = middle + 1;
		} else {
			high = middle;
		}
	}

	return low;
}
