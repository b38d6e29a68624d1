import {Growable} from './growable.js';
import type {ArgsTable} from './model.js';

/** Collects args values as UTF-8 JSON, one after another (see ArgsTable). */
export class ArgsTableBuilder {
	readonly #offsets = new Growable(Uint32Array);
	#bytes = new Uint8Array(1 << 16);
	#used = 0;
	readonly #encoder = new TextEncoder();

	constructor() {
		this.#offsets.push(0);
	}

	/** Adds the JSON text of a value and returns its index. */
	add(json: string): number {
		// UTF-8 takes at most 3 bytes per UTF-16 unit.
		const needed = this.#used + json.length * 3;
		if (needed > this.#bytes.length) {
			let size = this.#bytes.length * 2;
			while (size < needed) {
				size *= 2;
			}

			const bigger = new Uint8Array(size);
			bigger.set(this.#bytes.subarray(0, this.#used));
			this.#bytes = bigger;
		}

		this.#used += this.#encoder.encodeInto(json, this.#bytes.subarray(this.#used)).written;
		this.#offsets.push(this.#used);
		return this.#offsets.length - 2;
	}

	finish(): ArgsTable {
		return {offsets: this.#offsets.view().slice(), bytes: this.#bytes.slice(0, this.#used)};
	}
}
