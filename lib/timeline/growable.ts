// timeline/: the viewer's model of a trace, shared by vizviewer's server
// (which builds it from a trace file and sends it as binary) and the page
// (which draws it). Pure: no I/O, no Node or DOM APIs, so it bundles for the
// browser as it is.

type TypedArray = Float64Array | Uint32Array | Int32Array | Uint8Array;
type TypedArrayConstructor<T extends TypedArray> = new (length: number) => T;

/** An append-only typed array that doubles its storage as it fills: spans by the million without a million boxed numbers. */
export class Growable<T extends TypedArray> {
	readonly #make: TypedArrayConstructor<T>;
	#items: T;
	length = 0;

	constructor(make: TypedArrayConstructor<T>, capacity = 1024) {
		this.#make = make;
		this.#items = new make(capacity);
	}

	push(value: number): void {
		if (this.length === this.#items.length) {
			const bigger = new this.#make(this.#items.length * 2);
			bigger.set(this.#items as never);
			this.#items = bigger;
		}

		this.#items[this.length++] = value;
	}

	at(index: number): number {
		return this.#items[index]!;
	}

	set(index: number, value: number): void {
		this.#items[index] = value;
	}

	/** The items so far, as a view (no copy). */
	view(): T {
		return this.#items.subarray(0, this.length) as T;
	}
}
