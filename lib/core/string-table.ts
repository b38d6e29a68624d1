/**
 * Interns strings (span and event names) to small integer ids, so the ring
 * buffer stores an `Int32` per entry instead of a string reference. Ids are
 * stable for the life of the table: clearing the ring does not clear names.
 */
export class StringTable {
	readonly #ids = new Map<string, number>();
	readonly #strings: string[] = [];

	intern(value: string): number {
		let id = this.#ids.get(value);
		if (id === undefined) {
			id = this.#strings.length;
			this.#strings.push(value);
			this.#ids.set(value, id);
		}

		return id;
	}

	/** Adds `value` under a new id even if it is already interned (for blocks of consecutive ids). */
	append(value: string): number {
		const id = this.#strings.length;
		this.#strings.push(value);
		if (!this.#ids.has(value)) {
			this.#ids.set(value, id);
		}

		return id;
	}

	get(id: number): string {
		return this.#strings[id] ?? '<unknown>';
	}

	get size(): number {
		return this.#strings.length;
	}

	/** The strings from id `first` on, in id order. */
	since(first: number): string[] {
		return this.#strings.slice(first);
	}
}

// Shared through globalThis so every copy of viztracer in the process (the
// CLI's and one the user's code imports) hands out the same ids.
const sharedKey = Symbol.for('viztracer.strings');

/** The process-wide table all recorders and instrumented modules intern names into. */
export function sharedStringTable(): StringTable {
	const slot = globalThis as {[sharedKey]?: StringTable};
	slot[sharedKey] ??= new StringTable();
	return slot[sharedKey];
}
