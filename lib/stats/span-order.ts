import type {SpanColumns} from './span-columns.js';

const digitBits = 16;
const digits = 1 << digitBits;
const digitMask = digits - 1;

/**
 * Stable LSD radix sort of `order` in place by the 32-bit unsigned
 * `keys[order[i]]`: two 16-bit digits, through `spare` and back.
 */
function radixPasses(order: Uint32Array, spare: Uint32Array, keys: Uint32Array, counts: Uint32Array): void {
	let from = order;
	let to = spare;
	for (let shift = 0; shift < 32; shift += digitBits) {
		counts.fill(0);
		for (let index = 0; index < from.length; index++) {
			counts[(keys[from[index]!]! >>> shift) & digitMask]!++;
		}

		let total = 0;
		for (let digit = 0; digit < digits; digit++) {
			const count = counts[digit]!;
			counts[digit] = total;
			total += count;
		}

		for (let index = 0; index < from.length; index++) {
			const span = from[index]!;
			to[counts[(keys[span]! >>> shift) & digitMask]!++] = span;
		}

		[from, to] = [to, from];
	}
}

/**
 * The spans' indices grouped by track, and within a track by start time
 * (longer first on equal starts, so an enclosing span comes before what it
 * encloses; file order last). This is the order the self-time sweep needs.
 *
 * A trace written at span end (VizTracer's ring buffer: children before their
 * parent) is far from start order, and a comparison sort of millions of
 * indices is the slowest step there is; so this is a radix sort, linear in
 * the number of spans. Start times sort by their IEEE 754 bits (made
 * unsigned-comparable), least significant digit first; a stable counting sort
 * by track comes last; then the rare runs of equal starts are put longest first.
 */
export function spanOrder(spans: SpanColumns, trackCount: number): {order: Uint32Array; trackEnds: Uint32Array} {
	const {length, tracks, starts, durations} = spans;
	let order = new Uint32Array(length);
	let sorted = true;
	for (let index = 0; index < length; index++) {
		order[index] = index;
		if (sorted && index > 0 && (tracks[index]! < tracks[index - 1]! || (tracks[index] === tracks[index - 1] && starts[index]! < starts[index - 1]!))) {
			sorted = false;
		}
	}

	if (!sorted) {
		// Float64 bits as two unsigned words: flip the sign bit of positives and
		// every bit of negatives, and unsigned order is numeric order.
		const words = new Uint32Array(starts.buffer, starts.byteOffset, length * 2);
		const low = new Uint32Array(length);
		const high = new Uint32Array(length);
		for (let index = 0; index < length; index++) {
			const lowWord = words[2 * index]!;
			const highWord = words[(2 * index) + 1]!;
			const negative = (highWord & 0x80_00_00_00) !== 0;
			low[index] = negative ? ~lowWord >>> 0 : lowWord;
			high[index] = negative ? ~highWord >>> 0 : (highWord | 0x80_00_00_00) >>> 0;
		}

		const spare = new Uint32Array(length);
		const counts = new Uint32Array(digits);
		radixPasses(order, spare, low, counts);
		radixPasses(order, spare, high, counts);
	}

	// Stable counting sort by track.
	const trackEnds = new Uint32Array(trackCount);
	for (let index = 0; index < length; index++) {
		trackEnds[tracks[index]!]!++;
	}

	const next = new Uint32Array(trackCount);
	let offset = 0;
	for (let track = 0; track < trackCount; track++) {
		next[track] = offset;
		offset += trackEnds[track]!;
		trackEnds[track] = offset;
	}

	if (trackCount > 1) {
		const byTrack = new Uint32Array(length);
		for (let index = 0; index < length; index++) {
			const span = order[index]!;
			byTrack[next[tracks[span]!]!++] = span;
		}

		order = byTrack;
	}

	// Equal starts: longer first (insertion sort of each run, stable).
	for (let index = 1; index < length; index++) {
		const span = order[index]!;
		let position = index;
		while (position > 0) {
			const previous = order[position - 1]!;
			if (tracks[previous] !== tracks[span] || starts[previous] !== starts[span] || durations[previous]! >= durations[span]!) {
				break;
			}

			order[position] = previous;
			position--;
		}

		order[position] = span;
	}

	return {order, trackEnds};
}
