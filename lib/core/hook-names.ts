/**
 * The global through which instrumented code reaches the recorder. A plain
 * global binding (defined once, non-writable) is what V8 reads fastest, and
 * unlike a module-level import it exists before any module's body runs, so
 * hoisted functions called early (circular imports) still find it.
 */
export const hookGlobal = '__viztracer';

/**
 * Whether a function's compiled text (`compiledText(fn)`) records its own
 * span: the two shapes of entry the transform writes (see transform.ts).
 */
export function recordsOwnSpan(compiled: string): boolean {
	return compiled.includes('__vz$i(') || compiled.includes('__vz$s=');
}
