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

	get(id: number): string {
		return this.#strings[id] ?? '<unknown>';
	}

	get size(): number {
		return this.#strings.length;
	}
}
