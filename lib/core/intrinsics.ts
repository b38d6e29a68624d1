// The built-ins the tracer's own code leans on (iteration, array and
// collection methods, JSON), as they were when viztracer loaded: before the
// traced program ran. A program may delete or replace them (conformance tests
// and polyfills do `delete Array.prototype[Symbol.iterator]`); saving the
// trace must still work. `withIntrinsics` puts the original ones back for the
// duration of a call into the tracer and then restores the program's own, so
// the program never sees the difference: nothing of its code runs meanwhile
// but plugins, which are the tracer's.

type Slot = {target: object; key: PropertyKey; original: PropertyDescriptor};

const {getOwnPropertyDescriptor, defineProperty, getPrototypeOf} = Object;
const {deleteProperty, ownKeys, apply} = Reflect;
const setHas = Set.prototype.has;

const iteratorPrototypeOf = (iterable: {[Symbol.iterator](): unknown}) => getPrototypeOf(iterable[Symbol.iterator]()) as object;
const arrayIterator = iteratorPrototypeOf([]);
const generatorPrototype = getPrototypeOf((function * () {})()) as object;

// Every own property of these objects is put back: their methods are what
// for…of, spread, destructuring, Array/Map/Set methods and JSON use.
const guarded: object[] = [
	Array.prototype,
	arrayIterator,
	getPrototypeOf(arrayIterator) as object,
	Map.prototype,
	iteratorPrototypeOf(new Map()),
	Set.prototype,
	iteratorPrototypeOf(new Set()),
	String.prototype,
	iteratorPrototypeOf(''),
	getPrototypeOf(generatorPrototype) as object,
	generatorPrototype,
	Object.prototype,
	Object,
	Array,
	JSON,
	Function.prototype,
	Promise.prototype,
	Number.prototype,
	Math,
];

const slots: Slot[] = [];
// Per guarded object, the keys it had: one the program added (an
// `Object.prototype.toJSON`, say) is taken away for the call too.
const originalKeys: Array<Set<PropertyKey>> = [];
for (let index = 0; index < guarded.length; index++) {
	const target = guarded[index]!;
	const keys = ownKeys(target);
	originalKeys.push(new Set(keys));
	for (let keyIndex = 0; keyIndex < keys.length; keyIndex++) {
		const key = keys[keyIndex]!;
		const original = getOwnPropertyDescriptor(target, key);
		if (original?.configurable) {
			slots.push({target, key, original});
		}
	}
}

const slotCount = slots.length;
let depth = 0;

function sameDescriptor(a: PropertyDescriptor | undefined, b: PropertyDescriptor): boolean {
	return a !== undefined && a.value === b.value && a.get === b.get && a.set === b.set && a.writable === b.writable && a.enumerable === b.enumerable && a.configurable === b.configurable;
}

/** Runs `fn` with the built-ins as they were at load time (see above); reentrant. */
export function withIntrinsics<T>(fn: () => T): T {
	if (depth > 0) {
		return fn();
	}

	// Only what the program changed is touched; usually nothing.
	const changed: Array<{slot: Slot; current: PropertyDescriptor | undefined}> = [];
	for (let index = 0; index < slotCount; index++) {
		const slot = slots[index]!;
		const current = getOwnPropertyDescriptor(slot.target, slot.key);
		if (!sameDescriptor(current, slot.original) && (current === undefined || current.configurable)) {
			try {
				defineProperty(slot.target, slot.key, slot.original);
				changed[changed.length] = {slot, current};
			} catch {
				// Frozen or sealed since: the tracer makes do with what there is.
			}
		}
	}

	for (let index = 0; index < guarded.length; index++) {
		const target = guarded[index]!;
		const known = originalKeys[index]!;
		const keys = ownKeys(target);
		for (let keyIndex = 0; keyIndex < keys.length; keyIndex++) {
			const key = keys[keyIndex]!;
			if (!(apply(setHas, known, [key]) as boolean)) {
				const current = getOwnPropertyDescriptor(target, key);
				if (current?.configurable) {
					deleteProperty(target, key);
					changed[changed.length] = {slot: {target, key, original: current}, current};
				}
			}
		}
	}

	depth++;
	try {
		return fn();
	} finally {
		depth--;
		for (let index = changed.length - 1; index >= 0; index--) {
			const {slot, current} = changed[index]!;
			if (current === undefined) {
				deleteProperty(slot.target, slot.key);
			} else {
				defineProperty(slot.target, slot.key, current);
			}
		}
	}
}
