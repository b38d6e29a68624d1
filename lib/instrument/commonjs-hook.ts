// The CommonJS side of instrumentation: what `require()` compiles from `.js`
// and `.cjs` files the filter accepts goes through `Module.prototype._compile`,
// which this replaces. The ES module side is esm-loader.ts (a loader thread)
// or esm-loader-sync.ts (`module.registerHooks()`, in thread).
//
// Written here rather than taken from a require-hook library because a
// program can see how the hook is made. Replacing the `.js` loader (what
// such libraries do) puts two frames on every stack taken while a module's
// top level runs, calls Node's loader with another receiver (Node 22+ then
// names its frame differently), and adds a `.cjs` key to
// `require.extensions`. Replacing `_compile` adds one frame, which stacks
// leave out (hidden-frames.ts); while a module's top level runs, the module
// holds Node's `_compile` as an own property (see below): what a program
// can see of the hook.
import Module from 'node:module';
import type {InstrumentFile} from './instrument-file.js';
import {hasInlineSourceMap} from './source-maps.js';
import {isCompiledSourceFile, isTypeScriptFile, stripsTypesItself, stripTypes, stripTypesAsNodeWould} from './type-stripping.js';
import {prologueStart} from './inserted-text.js';

type Compile = (this: unknown, content: unknown, filename: unknown, ...rest: unknown[]) => unknown;

const {apply} = Reflect;
const {defineProperty, hasOwn} = Object;

/**
 * Instruments every CommonJS module compiled from now on whose file `accept`
 * takes; with `requiredModules`, also every ES module that require() loads
 * (Node 20.19+ compiles those through `_compile` with the format `module`),
 * for a Node whose ES module hooks run on the loader thread, which a
 * require() never reaches.
 */
export function hookCommonJs(instrumentFile: InstrumentFile, accept: (filename: string) => boolean, {requiredModules = false} = {}): void {
	const prototype = Module.prototype as unknown as {_compile: Compile};
	const original = prototype._compile;
	if (typeof original !== 'function') {
		return;
	}

	const instrumented = (content: unknown, filename: unknown, format: unknown): unknown => {
		if (typeof content !== 'string' || typeof filename !== 'string') {
			return content;
		}

		const module = format === 'module';
		if (module ? !requiredModules || !/\.m?js$/.test(filename) || content.includes(prologueStart) : !(filename.endsWith('.js') || filename.endsWith('.cjs'))) {
			return content;
		}

		try {
			return accept(filename) ? instrumentFile(content, filename, module ? 'module' : 'script') : content;
		} catch {
			// Instrumenting must never keep a module from loading.
			return content;
		}
	};

	// Node 22.18+ and 24 compile `.ts`/`.cts` files it loads as CommonJS with
	// the format `commonjs-typescript` (or `typescript`, for a `.ts` file whose
	// module system it has yet to detect), stripping the types inside
	// `_compile`: stripped here first (the same stripper), they are compiled
	// as the JavaScript they are, instrumented. Returns the content and the
	// format to pass on (none: Node detects it, as for a `.js` file), or
	// undefined to leave the call as it was.
	const typescript = (content: unknown, filename: unknown, format: unknown): [string, string | undefined] | undefined => {
		if ((format !== 'commonjs-typescript' && format !== 'typescript') || typeof content !== 'string' || typeof filename !== 'string') {
			return undefined;
		}

		try {
			const javascript = accept(filename) ? stripTypes(content) : undefined;
			return javascript === undefined ? undefined : [instrumentFile(javascript, filename, 'script'), format === 'typescript' ? undefined : 'commonjs'];
		} catch {
			return undefined;
		}
	};

	// A `.ts`, `.cts` or `.mts` file compiled with no TypeScript format is
	// either JavaScript a loader made of it (tsx, ts-node, @swc-node/register,
	// esbuild-register compile it and hand `_compile` the result, with an
	// inline source map), instrumented as such, or, on a Node without type
	// stripping (20, 22 before 22.18), the file itself, types and all, read by
	// the `.js` loader: stripped here as Node 22.18+ would (a construct it
	// rejects fails as it does there).
	const ownStripping = stripsTypesItself();
	const typescriptAsJavaScript = (content: unknown, filename: unknown, format: unknown): string | undefined => {
		if (typeof content !== 'string' || typeof filename !== 'string' || !isCompiledSourceFile(filename) || (format !== undefined && format !== 'commonjs')) {
			return undefined;
		}

		// A `.tsx`/`.jsx` file reaches here only as a loader's output; Node strips no JSX.
		const javascript = ownStripping && isTypeScriptFile(filename) && !hasInlineSourceMap(content) ? stripTypesAsNodeWould(content, filename) : content;
		try {
			return accept(filename) ? instrumentFile(javascript, filename, 'script') : javascript;
		} catch {
			return javascript;
		}
	};

	prototype._compile = {
		_compile(this: unknown, content: unknown, filename: unknown, ...rest: unknown[]): unknown {
			const stripped = typescript(content, filename, rest[0]);
			const code = stripped === undefined ? typescriptAsJavaScript(content, filename, rest[0]) ?? instrumented(content, filename, rest[0]) : stripped[0];
			if (stripped !== undefined) {
				rest[0] = stripped[1];
			}

			// V8 names the frame of an anonymous function (Node 22+ defines
			// `_compile` so) after the enumerable property of its receiver that
			// holds it. While the original runs, the module holds it under
			// `_compile`, so that frame reads `Module._compile` as untraced.
			const module = this as Record<string, unknown>;
			const lend = typeof module === 'object' && module !== null && !hasOwn(module, '_compile');
			if (lend) {
				defineProperty(module, '_compile', {value: original, writable: true, configurable: true, enumerable: true});
			}

			// Kept when the top level throws: V8 names the frames when `err.stack`
			// is first read, which for an uncaught error comes after this returns.
			let completed = false;
			try {
				const result = apply(original, this, [code, filename, ...rest]);
				completed = true;
				return result;
			} finally {
				if (lend && completed && module._compile === original) {
					delete module._compile;
				}
			}
		},
	}._compile;
}
