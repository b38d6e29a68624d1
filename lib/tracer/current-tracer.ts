// Kept on globalThis under a registered symbol, so that the copy of viztracer
// the CLI preloaded and a copy the user's script imports agree on it. The
// slot is placed once, when viztracer loads, and only its field changes
// afterwards: a program that freezes globalThis after start-up must not make
// stopping the tracer throw (and change the program's exit code).
const slotKey = Symbol.for('viztracer.currentTracerSlot');

// Typed as unknown here so that this file needs nothing from tracer.ts, which
// imports it; `getTracer()` in tracer.ts gives it its type.
type Slot = {tracer: unknown};

function sharedSlot(): Slot {
	const existing = (globalThis as Record<symbol, unknown>)[slotKey];
	if (typeof existing === 'object' && existing !== null) {
		return existing as Slot;
	}

	const created: Slot = {tracer: undefined};
	try {
		Object.defineProperty(globalThis, slotKey, {value: created});
	} catch {
		// globalThis was frozen before this copy loaded: this copy keeps its own slot.
	}

	return created;
}

const slot = sharedSlot();

/** The started tracer, if any (see `getTracer()`). */
export function currentTracer(): unknown {
	return slot.tracer;
}

export function setCurrentTracer(tracer: unknown): void {
	slot.tracer = tracer;
}
