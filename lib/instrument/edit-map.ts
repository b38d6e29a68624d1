import {encode, type SourceMapSegment} from '@jridgewell/sourcemap-codec';
import {lineIndexOf, lineStarts} from './line-index.js';
import {linearMapField} from './map-fields.js';

// Where each piece of instrumented code came from, as the insertion editor
// wrote it: runs of source copied as they are, and inserted text between
// them. Two source maps come out of it:
// - linear (what stack traces read, through lazy-maps.ts): a segment where
//   each copied run starts, and where each of its lines starts, and an
//   unmapped one where inserted text starts. Inside a copied run the
//   original column is the segment's plus the distance from it, so every
//   position maps exactly with a few segments per function; the map says
//   so with `x_viztracer_linear: 1`. Read as a plain map it is still right,
//   only coarser: a position maps to the start of its run's line.
// - plain (for Node's own source-map support, bundlers and jest, which read
//   a segment as one point): also a segment at each word and each other
//   character of the copied runs but blanks, where a stack position can fall.

const isBlankCode = (code: number): boolean => code === 32 || code === 9 || code === 10 || code === 13;
const isWordCode = (code: number): boolean => (code >= 97 && code <= 122) || (code >= 65 && code <= 90) || (code >= 48 && code <= 57) || code === 95;

export class EditMap {
	readonly sources: string[];
	readonly #source: string;
	readonly #originalStarts: readonly number[] | undefined;
	// Per record: where it starts in the output, and the source range it copies (-1 for inserted text).
	readonly #generated: number[] = [];
	readonly #starts: number[] = [];
	readonly #ends: number[] = [];
	#code = '';

	constructor(source: string, filename: string, originalStarts?: readonly number[]) {
		this.#source = source;
		this.#originalStarts = originalStarts;
		this.sources = [filename];
	}

	/** Output from `generated` on is source [start, end). */
	copied(generated: number, start: number, end: number): void {
		this.#generated.push(generated);
		this.#starts.push(start);
		this.#ends.push(end);
	}

	/** Output from `generated` on is inserted text. */
	inserted(generated: number): void {
		this.#generated.push(generated);
		this.#starts.push(-1);
		this.#ends.push(-1);
	}

	finish(code: string): void {
		this.#code = code;
	}

	/** The linear map (see the header), as JSON. */
	linear(): string {
		return this.#json(false, `,"${linearMapField}":1`);
	}

	/** A plain source map, as JSON. */
	toString(): string {
		return this.#json(true, '');
	}

	#json(words: boolean, extra: string): string {
		const mappings = encode(this.#segments(words));
		return `{"version":3,"sources":${JSON.stringify(this.sources)},"names":[],"mappings":${JSON.stringify(mappings)}${extra}}`;
	}

	#segments(words: boolean): SourceMapSegment[][] {
		const source = this.#source;
		const generatedStarts = lineStarts(this.#code);
		const originalStarts = this.#originalStarts ?? lineStarts(source);
		const lines: SourceMapSegment[][] = Array.from({length: generatedStarts.length}, () => []);
		let line = 0;
		const segment = (generated: number, original: number, originalLine: number) => {
			while (line + 1 < generatedStarts.length && generatedStarts[line + 1]! <= generated) {
				line++;
			}

			lines[line]!.push(original < 0 ? [generated - generatedStarts[line]!] : [generated - generatedStarts[line]!, 0, originalLine, original - originalStarts[originalLine]!]);
		};

		for (let record = 0; record < this.#generated.length; record++) {
			const generated = this.#generated[record]!;
			const start = this.#starts[record]!;
			if (start < 0) {
				segment(generated, -1, 0);
				continue;
			}

			const end = this.#ends[record]!;
			let originalLine = lineIndexOf(originalStarts, start);
			segment(generated, start, originalLine);
			if (!words) {
				for (let next = originalLine + 1; next < originalStarts.length && originalStarts[next]! < end; next++) {
					segment(generated + originalStarts[next]! - start, originalStarts[next]!, next);
				}

				continue;
			}

			let nextLine = originalStarts[originalLine + 1] ?? Infinity;
			let previousWord = isWordCode(source.charCodeAt(start));
			for (let offset = start + 1; offset < end; offset++) {
				const word = isWordCode(source.charCodeAt(offset));
				if (offset === nextLine) {
					originalLine++;
					nextLine = originalStarts[originalLine + 1] ?? Infinity;
					segment(generated + offset - start, offset, originalLine);
				} else if (word ? !previousWord : !isBlankCode(source.charCodeAt(offset))) {
					segment(generated + offset - start, offset, originalLine);
				}

				previousWord = word;
			}
		}

		return lines;
	}
}
