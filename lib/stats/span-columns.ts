/**
 * Every span of a trace, one column per field in growable typed arrays:
 * 24 bytes a span and no object per span, so five million spans take about
 * 120 MB (plus growth slack) instead of the gigabyte that objects would.
 *
 *   index:   0      1      2     …  length-1 | spare capacity
 *   starts: [ts0 ][ts1 ][ts2 ] …             |
 *   durations, names (interned ids), tracks (pid/tid ids): likewise
 */
export class SpanColumns {
	starts: Float64Array;
	durations: Float64Array;
	names: Int32Array;
	tracks: Int32Array;
	length = 0;

	constructor(capacity = 1 << 16) {
		this.starts = new Float64Array(capacity);
		this.durations = new Float64Array(capacity);
		this.names = new Int32Array(capacity);
		this.tracks = new Int32Array(capacity);
	}

	push(start: number, duration: number, name: number, track: number): void {
		if (this.length === this.starts.length) {
			this.#grow();
		}

		const index = this.length++;
		this.starts[index] = start;
		this.durations[index] = duration;
		this.names[index] = name;
		this.tracks[index] = track;
	}

	#grow(): void {
		// 1.5× rather than 2×: the old and new columns coexist while copying,
		// and at millions of spans that transient is the peak of the process.
		const capacity = Math.ceil(this.starts.length * 1.5);
		const grow = <T extends Float64Array | Int32Array>(old: T, make: (size: number) => T): T => {
			const next = make(capacity);
			next.set(old);
			return next;
		};

		this.starts = grow(this.starts, size => new Float64Array(size));
		this.durations = grow(this.durations, size => new Float64Array(size));
		this.names = grow(this.names, size => new Int32Array(size));
		this.tracks = grow(this.tracks, size => new Int32Array(size));
	}
}
