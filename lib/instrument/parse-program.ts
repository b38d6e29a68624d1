import {parse, type Comment, type Node} from 'acorn';

/** A parser of the program's source into ESTree, with offsets in UTF-16 units, as acorn's are. */
export type NativeParse = (source: string, sourceType: 'module' | 'script') => {program: unknown; comments: Comment[] | Array<{type: string; value: string; start: number; end: number}>; errors: unknown[]};

let loadNative: (() => NativeParse | undefined) | undefined;
let native: NativeParse | undefined | null;

/** Lets a faster parser (native-parser.ts, loaded by `load` on first use) parse what it can; acorn parses the rest. */
export function useNativeParser(load: () => NativeParse | undefined): void {
	loadNative = load;
	native = undefined;
}

/**
 * The syntax tree and comments of `source`. Throws acorn's SyntaxError where
 * the source does not parse: a file the native parser rejects goes to
 * acorn, so what is accepted and the errors are acorn's.
 */
export function parseProgram(source: string, sourceType: 'module' | 'script'): {ast: Node; comments: Comment[]} {
	if (native === undefined && loadNative !== undefined) {
		try {
			native = loadNative() ?? null;
		} catch {
			native = null;
		}
	}

	if (native) {
		try {
			const result = native(source, sourceType);
			if (result.errors.length === 0) {
				return {ast: result.program as Node, comments: result.comments as Comment[]};
			}
		} catch {}
	}

	const comments: Comment[] = [];
	const ast = parse(source, {
		ecmaVersion: 'latest',
		sourceType,
		allowHashBang: true,
		allowReturnOutsideFunction: sourceType === 'script',
		allowAwaitOutsideFunction: sourceType === 'module',
		preserveParens: true,
		onComment: comments,
	});
	return {ast, comments};
}
