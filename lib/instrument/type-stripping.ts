import Module, {createRequire} from 'node:module';
import {TypeScriptSyntaxError} from '../core/errors.js';

type StripTypeScriptTypes = (code: string, options?: {mode?: 'strip' | 'transform'}) => string;
type AmaroTransform = (code: string, options: {mode: 'strip-only'; filename?: string}) => {code: string};
type AmaroError = {code?: unknown; message?: unknown; startLine?: unknown; startColumn?: unknown; snippet?: unknown};

// Node 22.13+ and 23.2+ export the stripper Node itself runs `.ts` files through.
const nodeStripper = (Module as unknown as {stripTypeScriptTypes?: StripTypeScriptTypes}).stripTypeScriptTypes;

/** The formats Node's own type stripping gives `.ts`, `.mts` and `.cts` files (22.18+, 23.6+, 24+). */
export const isTypeScriptFormat = (format: unknown): format is 'module-typescript' | 'commonjs-typescript' =>
	format === 'module-typescript' || format === 'commonjs-typescript';

/** Whether `file` (a path or a URL) is a TypeScript source by its extension. */
export const isTypeScriptFile = (file: string): boolean => /\.[cm]?ts$/.test(file);

/** Whether `file` is a source only a compiler runs: TypeScript, TSX or JSX (what Node runs of it is a loader's output, or Node's stripping). */
export const isCompiledSourceFile = (file: string): boolean => /\.(?:[cm]?ts|[jt]sx)$/.test(file);

/**
 * Whether viztracer runs TypeScript files itself in this process: Node has no
 * type stripping turned on (Node 20, and 22 before 22.18 without
 * `--experimental-strip-types`), and nobody turned it off on purpose (with
 * `--no-experimental-strip-types` a `.ts` file fails as it does untraced).
 */
export function stripsTypesItself(): boolean {
	if ((process.features as {typescript?: unknown}).typescript) {
		return false;
	}

	const flags = [...process.execArgv, ...(process.env['NODE_OPTIONS'] ?? '').split(/\s+/)];
	return !flags.includes('--no-experimental-strip-types');
}

let amaroTransform: AmaroTransform | undefined;

/**
 * The stripper where Node has none of its own: amaro, the package Node
 * bundles as its stripper, so the JavaScript is what Node 22.18+ would run,
 * byte for byte. Loaded on the first TypeScript file (its WebAssembly takes
 * some 30 ms to compile).
 */
function amaro(): AmaroTransform {
	amaroTransform ??= (createRequire(import.meta.url)('amaro') as {transformSync: AmaroTransform}).transformSync;
	return amaroTransform;
}

/**
 * The experimental warning Node prints the first time it runs a TypeScript
 * file: type stripping warned until 22.18 and 23.6 (where it was unflagged),
 * transforming (`--experimental-transform-types`) still does.
 */
function experimentalWarning(transform: boolean): string | undefined {
	const [major = 0, minor = 0] = process.versions.node.split('.').map(Number);
	if ((major === 22 && minor < 18) || (major === 23 && minor < 6)) {
		return 'Type Stripping is an experimental feature and might change at any time';
	}

	return transform ? 'Transform Types is an experimental feature and might change at any time' : undefined;
}

// Fixed for the process: the flags and the Node version.
const transform = (process.features as {typescript?: unknown}).typescript === 'transform';
let firstRunWarning = experimentalWarning(transform);

/**
 * The JavaScript of a TypeScript source, as Node would run it: Node's own
 * stripper in strip-only mode, which replaces every type annotation with
 * spaces, so each line and column stays where it is in the `.ts` file
 * (span names and stack traces point there without a source map). Undefined
 * when this Node has no stripper, or when the source has a construct that
 * strip-only mode rejects (an enum, a namespace, a parameter property):
 * then the source is left to Node, which reports the construct itself, as
 * it does untraced. Under `--experimental-transform-types` it transforms
 * those too, as Node does, with an inline map.
 */
export function stripTypes(source: string): string | undefined {
	if (nodeStripper === undefined) {
		return undefined;
	}

	if (firstRunWarning !== undefined) {
		// Node warns when it first strips or transforms a file itself, which it no longer does: the same warning, once.
		process.emitWarning(firstRunWarning, 'ExperimentalWarning');
		firstRunWarning = undefined;
	}

	// Calling the stripper warns that it is experimental, a line the program
	// would not print untraced: that one warning is swallowed.
	const {emitWarning} = process;
	process.emitWarning = function (this: NodeJS.Process, warning: string | Error, ...rest: unknown[]) {
		if (/^stripTypeScriptTypes is an experimental feature/.test(String(typeof warning === 'string' ? warning : warning.message))) {
			return;
		}

		return Reflect.apply(emitWarning, this, [warning, ...rest]) as void;
	} as typeof process.emitWarning;
	try {
		// Under --experimental-transform-types Node transforms what strip-only
		// mode rejects (enums, namespaces, parameter properties), moving code:
		// so do we, with the map (inline) that instrumenting chains to the .ts.
		return transform
			? nodeStripper(source, {mode: 'transform', sourceMap: true} as {mode: 'transform'})
			: nodeStripper(source, {mode: 'strip'});
	} catch {
		return undefined;
	} finally {
		process.emitWarning = emitWarning;
	}
}

/**
 * Strips the types of `source` where Node would not (see stripsTypesItself),
 * with the stripper Node 22.18+ uses, and fails as Node fails there: a
 * construct strip-only mode rejects, or a syntax error, is a SyntaxError
 * with Node's code (`ERR_UNSUPPORTED_TYPESCRIPT_SYNTAX`,
 * `ERR_INVALID_TYPESCRIPT_SYNTAX`) and message, naming the file and line.
 */
export function stripTypesAsNodeWould(source: string, filename: string): string {
	try {
		return amaro()(source, {mode: 'strip-only', filename}).code;
	} catch (error) {
		const {code, message, startLine, startColumn, snippet} = (typeof error === 'object' && error !== null ? error : {}) as AmaroError;
		if (code !== 'UnsupportedSyntax' && code !== 'InvalidSyntax') {
			throw error;
		}

		throw new TypeScriptSyntaxError(code === 'UnsupportedSyntax' ? 'ERR_UNSUPPORTED_TYPESCRIPT_SYNTAX' : 'ERR_INVALID_TYPESCRIPT_SYNTAX', String(message), filename, typeof startLine === 'number' ? startLine : undefined, typeof startColumn === 'number' ? startColumn : undefined, typeof snippet === 'string' ? snippet : undefined);
	}
}
