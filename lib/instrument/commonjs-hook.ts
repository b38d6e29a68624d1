// The CommonJS side of instrumentation: the compile hook `require()` goes
// through (pirates), for `.js` and `.cjs` files the filter accepts. The ES
// module side is esm-loader.ts (a loader thread) or esm-loader-sync.ts
// (`module.registerHooks()`, in thread).
import {addHook} from 'pirates';
import type {InstrumentFile} from './instrument-file.js';

/** Instruments every CommonJS module compiled from now on whose file `accept` takes. */
export function hookCommonJs(instrumentFile: InstrumentFile, accept: (filename: string) => boolean): void {
	addHook((code, filename) => instrumentFile(code, filename, 'script'), {exts: ['.js', '.cjs'], matcher: accept, ignoreNodeModules: false});
}
