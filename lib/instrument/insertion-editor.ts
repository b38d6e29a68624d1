import {insertedClose, insertedOpen, movedMarker} from './inserted-text.js';
import {EditMap} from './edit-map.js';

// The transform only inserts text and moves whole function declarations, so
// its output is the source cut at the edited offsets, with text between the
// pieces. This editor records the edits, cuts the source once at the end and
// writes the output in one pass, together with where each piece of it came
// from (edit-map.ts), instead of keeping a general-purpose editor's chunk
// objects and a map segment for every word (most of a cold transform's time
// and memory went there: benchmarks/README.md).
//
// At an offset i the text inserted "left" of i ends the piece of source that
// ends at i, and the text inserted "right" of i starts the piece that starts
// at i; append adds at the end of that text, prepend at its start:
//
//   source  aaaa|bbbb        appendLeft(4, 'X'), prependLeft(4, 'W'),
//   output  aaaaWX YZbbbb    prependRight(4, 'Y'), appendRight(4, 'Z')
//
// A moved piece takes the text on its inside edges along; it lands in front
// of the piece starting at the target offset (after the pieces moved there
// before it). Inserted text is wrapped in markers (inserted-text.ts), one
// pair around each run of insertions that meet in the output.

const enum Op {
	AppendLeft,
	PrependLeft,
	AppendRight,
	PrependRight,
}

/** A piece of inserted text: marked (the transform's code) or raw (the markers of a move). */
type Piece = {text: string; raw: boolean};

export type EditedSource = {code: string; map: EditMap};

export class InsertionEditor {
	readonly #source: string;
	readonly #ops: Op[] = [];
	readonly #offsets: number[] = [];
	readonly #pieces: Piece[] = [];
	readonly #moves: Array<[start: number, end: number, index: number]> = [];

	readonly #lineStarts: readonly number[] | undefined;

	/** `lineStarts`: the source's (line-index.ts), where the caller has them already. */
	constructor(source: string, lineStarts?: readonly number[]) {
		this.#source = source;
		this.#lineStarts = lineStarts;
	}

	appendLeft(index: number, text: string): void {
		this.#record(Op.AppendLeft, index, text, false);
	}

	prependLeft(index: number, text: string): void {
		this.#record(Op.PrependLeft, index, text, false);
	}

	appendRight(index: number, text: string): void {
		this.#record(Op.AppendRight, index, text, false);
	}

	prependRight(index: number, text: string): void {
		this.#record(Op.PrependRight, index, text, false);
	}

	/** Moves [start, end) in front of `index`, marked so `toString()` can put it back, leaving a placeholder where it stood. */
	moveMarked(start: number, end: number, index: number): void {
		const id = this.#moves.length;
		this.#record(Op.AppendLeft, start, movedMarker('@', id), true);
		this.#record(Op.PrependRight, start, movedMarker('<', id), true);
		this.#record(Op.AppendLeft, end, movedMarker('>', id), true);
		this.#moves.push([start, end, index]);
	}

	#record(op: Op, offset: number, text: string, raw: boolean): void {
		this.#ops.push(op);
		this.#offsets.push(offset);
		this.#pieces.push({text, raw});
	}

	/** The edited source, and the map from it back to the source. */
	build(filename: string): EditedSource {
		const source = this.#source;
		// Cut points: every edited offset, and both ends.
		const cuts = new Float64Array(this.#offsets.length + this.#moves.length * 3 + 2);
		let count = 0;
		cuts[count++] = 0;
		cuts[count++] = source.length;
		for (const offset of this.#offsets) {
			cuts[count++] = offset;
		}

		for (const [start, end, index] of this.#moves) {
			cuts[count++] = start;
			cuts[count++] = end;
			cuts[count++] = index;
		}

		const sorted = cuts.subarray(0, count).sort();
		const points: number[] = [];
		for (const point of sorted) {
			if (points.length === 0 || points.at(-1) !== point) {
				points.push(point);
			}
		}

		const pointOf = new Map<number, number>();
		for (const [position, point] of points.entries()) {
			pointOf.set(point, position);
		}

		// Chunk k is source [points[k], points[k + 1]); its intro is the text right of
		// its start, its outro the text left of its end.
		const chunks = points.length - 1;
		const intros: Array<Piece[] | undefined> = [];
		const outros: Array<Piece[] | undefined> = [];
		const head: Piece[] = [];
		const tail: Piece[] = [];
		const ops = this.#ops;
		for (const [position, op] of ops.entries()) {
			const point = pointOf.get(this.#offsets[position]!)!;
			const piece = this.#pieces[position]!;
			let list: Piece[];
			if (op === Op.AppendLeft || op === Op.PrependLeft) {
				list = point === 0 ? head : (outros[point - 1] ??= []);
			} else {
				list = point === chunks ? tail : (intros[point] ??= []);
			}

			if (op === Op.AppendLeft || op === Op.AppendRight) {
				list.push(piece);
			} else {
				list.unshift(piece);
			}
		}

		// The chunks in output order: a list, relinked by each move.
		const next = new Int32Array(chunks);
		const previous = new Int32Array(chunks);
		for (let chunk = 0; chunk < chunks; chunk++) {
			next[chunk] = chunk + 1 < chunks ? chunk + 1 : -1;
			previous[chunk] = chunk - 1;
		}

		let first = chunks > 0 ? 0 : -1;
		let last = chunks - 1;
		// Makes `right` follow `left` (-1: the list's end on that side).
		const link = (left: number, right: number) => {
			if (left === -1) {
				first = right;
			} else {
				next[left] = right;
			}

			if (right === -1) {
				last = left;
			} else {
				previous[right] = left;
			}
		};

		for (const [start, end, index] of this.#moves) {
			const from = pointOf.get(start)!;
			const to = pointOf.get(end)! - 1;
			if (to < from) {
				continue;
			}

			const newRight = index === source.length ? -1 : pointOf.get(index)!;
			if (newRight === -1 && to === last) {
				continue;
			}

			// Out of its place, then in front of the piece at `index`.
			link(previous[from]!, next[to]!);
			const newLeft = newRight === -1 ? last : previous[newRight]!;
			link(newLeft, from);
			link(to, newRight);
		}

		const map = new EditMap(source, filename, this.#lineStarts);
		const parts: string[] = [];
		let length = 0;
		let open = false;
		const write = (text: string) => {
			parts.push(text);
			length += text.length;
		};

		const insert = (pieces: readonly Piece[] | undefined) => {
			if (pieces === undefined) {
				return;
			}

			for (const {text, raw} of pieces) {
				if (raw) {
					if (open) {
						write(insertedClose);
						open = false;
					}

					map.inserted(length);
				} else if (!open) {
					map.inserted(length);
					write(insertedOpen);
					open = true;
				}

				write(text);
			}
		};

		insert(head);
		for (let chunk = first; chunk !== -1; chunk = next[chunk]!) {
			const start = points[chunk]!;
			const end = points[chunk + 1]!;
			insert(intros[chunk]);
			if (open) {
				write(insertedClose);
				open = false;
			}

			map.copied(length, start, end);
			write(source.slice(start, end));
			insert(outros[chunk]);
		}

		insert(tail);
		if (open) {
			write(insertedClose);
		}

		const code = parts.join('');
		map.finish(code);
		return {code, map};
	}
}
