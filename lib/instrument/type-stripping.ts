import Module from 'node:module';

type StripTypeScriptTypes = (code: string, options?: {mode?: 'strip' | 'transform'}) => string;

// Node 22.13+ and 23.2+ export the stripper Node itself runs `.ts` files through.
const stripTypeScriptTypes = (Module as unknown as {stripTypeScriptTypes?: StripTypeScriptTypes}).stripTypeScriptTypes;

/** The formats Node's own type stripping gives `.ts`, `.mts` and `.cts` files (22.18+, 23.6+, 24+). */
export const isTypeScriptFormat = (format: unknown): format is 'module-typescript' | 'commonjs-typescript' =>
	format === 'module-typescript' || format === 'commonjs-typescript';

/**
 * The JavaScript of a TypeScript source, as Node would run it: Node's own
 * stripper in strip-only mode, which replaces every type annotation with
 * spaces, so each line and column stays where it is in the `.ts` file
 * (span names and stack traces point there without a source map). Undefined
 * when this Node has no stripper, or when the source has a construct that
 * strip-only mode rejects (an enum, a namespace, a parameter property):
 * then the source is left to Node, which reports the construct itself, as
 * it does untraced.
 */
export function stripTypes(source: string): string | undefined {
	if (stripTypeScriptTypes === undefined) {
		return undefined;
	}

	// Calling the stripper warns that it is experimental, a line the program
	// would not print untraced: that one warning is swallowed.
	const {emitWarning} = process;
	process.emitWarning = function (this: NodeJS.Process, warning: string | Error, ...rest: unknown[]) {
		if (String(typeof warning === 'string' ? warning : warning.message).startsWith('stripTypeScriptTypes is an experimental feature')) {
			return;
		}

		return Reflect.apply(emitWarning, this, [warning, ...rest]) as void;
	} as typeof process.emitWarning;
	try {
		return stripTypeScriptTypes(source, {mode: 'strip'});
	} catch {
		return undefined;
	} finally {
		process.emitWarning = emitWarning;
	}
}
