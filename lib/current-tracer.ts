import type {VizTracer} from './tracer.js';

// Kept on globalThis under a registered symbol, so that the copy of viztracer
// the CLI preloaded and a copy the user's script imports agree on it.
const currentKey = Symbol.for('viztracer.currentTracer');

type Slot = {[currentKey]?: VizTracer};

/** The tracer that is started right now, if any, so libraries can add events without holding a reference. */
export function getTracer(): VizTracer | undefined {
	return (globalThis as Slot)[currentKey];
}

export function setCurrentTracer(tracer: VizTracer | undefined): void {
	(globalThis as Slot)[currentKey] = tracer;
}
