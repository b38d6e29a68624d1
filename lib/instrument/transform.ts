import type {Node} from 'acorn';
import {childKeys, forEachChild} from './child-keys.js';
import {isCompiledDeclaration, isCompilerHelper} from './compiler-helpers.js';
import {functionName, keyName} from './function-names.js';
import {hookGlobal} from '../core/hook-names.js';
import {type EditMap} from './edit-map.js';
import {InsertionEditor} from './insertion-editor.js';
import {prologueStart} from './inserted-text.js';
import {locate, lineStarts} from './line-index.js';
import {parseProgram} from './parse-program.js';

// How instrumented code reads, for a plain function (H is the hook global,
// K the function's index in the module):
//
//   function f(a) {              function f(a) {const __vz$s=typeof __vz$i=="function"&&__vz$i(K);try{
//     BODY              ==>        BODY
//   }                            }finally{__vz$s&&__vz$x(__vz$s)}}
//
// `__vz$i`/`__vz$x` are declared once by the module prologue: they check
// `H.on` and enter/exit the span (`__vz$b` is the module's first name id,
// `__vz$n` interns the names on first use). Calling them, rather than
// writing their bodies in, keeps the frame of every instrumented function
// small: the statements need no temporaries of their own, so the frame grows
// by the token and what `try`/`finally` needs, and the recursion depth a
// program reaches traced is closer to untraced (benchmarks/recursion-depth.js).
// The token lets an exit close its own span and whatever a stack overflow
// left open above it.
//
// While tracing is off a call costs two small calls (inlined once hot) and a
// branch. The `typeof` guard makes the function's text self-contained:
// evaluated where this module's prologue is absent (`new Function(...)` on
// the compiled text, an `eval` worker, a browser's `page.evaluate(fn)`),
// `__vz$i` is undeclared, `typeof` says so without throwing, `__vz$s` is
// false, and the function runs untraced.
// Functions that record values (arguments, return values), generators and
// async functions call the hook themselves (G is `typeof __vz$n=="function"&&`):
//
//   function f(a) {const __vz$s=G H.on?H.e((__vz$b??__vz$n())+K):0;try{ BODY }finally{__vz$s&&H.x(__vz$s)}}
//
// every other use of H is behind `__vz$s` (or `__vz$a`, `__vz$f`), which is then 0.
// Top-level function declarations of the body are moved in front of the
// `try` only where their name would clash in a block (see declarationPlacement).
// Functions inside `with` are left alone: any name they use could be taken
// by the `with` object (a proxy that claims every name).
// Async functions and async generators take a token from `H.ea` so their span
// can outlive the synchronous call; generators close their span at each
// `yield` and open a new one when resumed.

type AnyNode = Node & Record<string, any>;

export type TransformOptions = {
	/** Absolute path of the file, for messages and the source map. */
	filename: string;
	/** How the file appears in span names (usually relative to the working directory). */
	displayPath: string;
	sourceType: 'module' | 'script';
	/** Record each call's arguments. */
	logFuncArgs?: boolean;
	/** Record each call's return value. */
	logFuncRetval?: boolean;
	/** Record exceptions thrown out of functions. */
	logException?: boolean;
	/**
	 * Async functions: a lifetime span (call to settle) on an async row, a
	 * span per run on the thread between awaits, and a flow arrow from each
	 * `await` to where the function resumes.
	 */
	logAsync?: boolean;
	/** Where the file's source map will be, when it is kept out of the code (lazy-maps.ts): the prologue hands it to the hook. */
	mapRef?: string;
	/** Maps a generated (line, column) of this file to the original, when the file has its own source map. */
	originalPosition?: (line: number, column: number) => {source: string; line: number; column: number; name?: string} | undefined;
};

export type TransformResult = {
	code: string;
	/** From the code back to `source`: `toString()` a plain map, `linear()` the compact one stack traces read (edit-map.ts). */
	map: EditMap;
	/** One entry per instrumented function: `name (path:line:col)`. */
	names: string[];
};

const ignoreMarker = 'viztracer:ignore';
const ignoreFileMarker = 'viztracer:ignore-file';
// What may stand between a `viztracer:ignore` comment and the function it marks.
const gapBeforeFunction = /^[\s\w$#=:*]{0,80}$/;

const functionTypes = new Set(['FunctionDeclaration', 'FunctionExpression', 'ArrowFunctionExpression']);

type Edit = {fn: AnyNode; index: number; options: TransformOptions; segmented: boolean; hoist: boolean};

// True only where this module's prologue is in scope (see the header).
const guard = 'typeof __vz$n=="function"&&';
// Reads of the hook that may run while no span is open: behind the guard.
const hookOn = `${guard}${hookGlobal}.on`;

/**
 * Inserts span enter/exit calls into every function of `source`. Returns
 * undefined when there is nothing to instrument (or the file opts out), so
 * the caller can load the original untouched. Throws on a syntax error: the
 * caller decides whether to fall back to the original source.
 */
export function instrumentSource(source: string, options: TransformOptions): TransformResult | undefined {
	const parsed = parseProgram(source, options.sourceType);
	const ast = parsed.ast as AnyNode;
	const {comments} = parsed;

	if (comments.some(comment => comment.value.includes(ignoreFileMarker))) {
		return undefined;
	}

	const ignoreEnds = comments.filter(comment => comment.value.includes(ignoreMarker)).map(comment => comment.end);
	const isIgnored = (start: number) => ignoreEnds.some(end => end <= start && gapBeforeFunction.test(source.slice(end, start)));

	const starts = lineStarts(source);
	const output = new InsertionEditor(source, starts);
	const names: string[] = [];
	const edits: Edit[] = [];

	// Depth-first, children before parents, so edits at the same offset nest
	// correctly (an inner `yield`'s text lands before its outer one's).
	const ancestors: AnyNode[] = [];
	const functionStack: Array<Edit | undefined> = [];
	// Where rewritten `yield`s start and end, for the statements around them (see guardStatement).
	const yieldStarts = new Set<number>();
	const yieldEnds = new Set<number>();
	let withDepth = 0;
	let helperDepth = 0;
	const visit = (node: AnyNode) => {
		const isFunction = functionTypes.has(node.type);
		const isHelper = ancestors.length <= 2 && isCompilerHelper(node, ancestors);
		helperDepth += isHelper ? 1 : 0;
		let edit: Edit | undefined;
		if (isFunction && withDepth === 0 && helperDepth === 0) {
			const name = originalName(node, ancestors, starts, options) ?? functionName(node, ancestors, source);
			const anchor = anchorOf(node, ancestors);
			const placement = declarationPlacement(node);
			const {line, column} = locate(starts, anchor);
			const original = options.originalPosition?.(line, column - 1);
			// With a source map of its own, a function the map gives no original
			// position is code the compiler made (tsx's module wrapper, helpers
			// inlined before the first mapped code of a line): not the program's.
			const generated = options.originalPosition !== undefined && original === undefined;
			if (placement !== 'unsafe' && !generated && !isIgnored(anchor) && !isIgnored(node.start) && !isCompiledDeclaration(node, ancestors)) {
				const where = original ? `${original.source}:${original.line}:${original.column + 1}` : `${options.displayPath}:${line}:${column}`;
				edit = {fn: node, index: names.length, options, segmented: options.logAsync === true && node.async === true && node.generator !== true && containsOwnAwait(node), hoist: placement === 'hoist'};
				names.push(`${name} (${where})`);
			}
		}

		if (isFunction) {
			functionStack.push(edit);
		}

		const isWith = node.type === 'WithStatement';
		ancestors.push(node);
		for (const key of childKeys(node)) {
			const child = node[key];
			const inWithBody = isWith && key === 'body';
			withDepth += inWithBody ? 1 : 0;
			if (Array.isArray(child)) {
				for (const item of child) {
					if (item && typeof item.type === 'string') {
						visit(item);
					}
				}
			} else if (child && typeof child.type === 'string') {
				visit(child);
			}

			withDepth -= inWithBody ? 1 : 0;
		}

		ancestors.pop();
		helperDepth -= isHelper ? 1 : 0;

		if (node.type === 'YieldExpression') {
			const owner = functionStack.at(-1);
			if (owner) {
				instrumentYield(output, node, owner);
				yieldStarts.add(node.start);
				yieldEnds.add(node.end);
			}
		}

		if (node.type === 'AwaitExpression') {
			const owner = functionStack.at(-1);
			if (owner && isSegmented(owner)) {
				instrumentAwait(output, node, owner);
				yieldStarts.add(node.start);
				yieldEnds.add(node.end);
			}
		}

		if (node.type === 'ForOfStatement' && node.await === true) {
			const owner = functionStack.at(-1);
			if (owner && isSegmented(owner)) {
				instrumentForAwait(output, node, ancestors, owner);
			}
		}

		if (node.type === 'TryStatement') {
			const owner = functionStack.at(-1);
			if (owner && (owner.fn.generator || isSegmented(owner))) {
				reenterInHandlers(output, node, owner);
			}
		}

		if (node.type === 'ReturnStatement' && options.logFuncRetval) {
			const owner = functionStack.at(-1);
			if (owner) {
				instrumentReturn(output, node, owner);
			}
		}

		if (yieldEnds.size > 0) {
			guardStatement(output, node, ancestors.at(-1), yieldStarts, yieldEnds);
		}

		if (isFunction) {
			functionStack.pop();
			if (edit) {
				edits.push(edit);
				instrumentFunction(output, edit);
			}
		}
	};

	visit(ast);
	if (edits.length === 0) {
		return undefined;
	}

	// The module prologue goes after a hashbang and the directive prologue
	// (a `"use strict"` must stay first to keep its meaning). `__vz$n` is a
	// hoisted declaration, so a function called before the module body runs
	// (an ES module's export called through a circular import) still finds
	// its names: `__vz$b` is then undefined and the call interns them itself.
	const prologue = `${prologueStart}${hookGlobal}.n(${JSON.stringify(names)}${options.mapRef === undefined ? '' : `,${JSON.stringify(options.filename)},${JSON.stringify(options.mapRef)}`})}${edits.some(edit => isLean(edit)) ? leanHelpers : ''}`;
	const prologueAt = directiveEnd(ast, source);
	// A directive may lack its semicolon; ours keeps it a statement of its own.
	output.appendLeft(prologueAt, prologueAt > 0 ? `;${prologue}` : prologue);

	return {...output.build(options.filename), names};
}

/**
 * A minified function's name as the file's source map gives it: the original
 * identifier at the function's own name (`function a()` → `parseInline`) or
 * at the variable it is assigned to. Undefined when the map has none.
 */
function originalName(fn: AnyNode, ancestors: readonly AnyNode[], starts: readonly number[], options: TransformOptions): string | undefined {
	if (!options.originalPosition) {
		return undefined;
	}

	const mappedName = (identifier: AnyNode | undefined) => {
		if (identifier?.type !== 'Identifier') {
			return undefined;
		}

		const {line, column} = locate(starts, identifier.start as number);
		const mapped = options.originalPosition!(line, column - 1)?.name;
		return mapped && mapped !== identifier.name ? mapped : undefined;
	};

	const parent = ancestors.at(-1);
	if ((parent?.type === 'MethodDefinition' || parent?.type === 'PropertyDefinition') && parent.value === fn && !parent.computed) {
		// ancestors: … Class, ClassBody, MethodDefinition; a minified class name maps back too.
		const classNode = ancestors.at(-3);
		const binding = ancestors.at(-4);
		const owner = mappedName(classNode?.id as AnyNode | undefined)
			?? (classNode?.id || binding?.type !== 'VariableDeclarator' ? undefined : mappedName(binding.id as AnyNode));
		const prefix = parent.kind === 'get' || parent.kind === 'set' ? `${parent.kind as string} ` : '';
		return owner === undefined ? undefined : `${owner}.${prefix}${mappedName(parent.key as AnyNode) ?? keyName(parent.key as AnyNode, false, '')}`;
	}

	return mappedName(fn.id as AnyNode | undefined) ?? (parent?.type === 'VariableDeclarator' && parent.init === fn ? mappedName(parent.id as AnyNode) : undefined);
}

/** Where a function "is" for its name: the key of a method or property, else its own start. */
function anchorOf(fn: AnyNode, ancestors: readonly AnyNode[]): number {
	const parent = ancestors.at(-1);
	if ((parent?.type === 'MethodDefinition' || parent?.type === 'Property' || parent?.type === 'PropertyDefinition') && parent.value === fn) {
		return parent.start as number;
	}

	return fn.start as number;
}

function directiveEnd(ast: AnyNode, source: string): number {
	let end = 0;
	if (source.startsWith('#!')) {
		const newline = source.indexOf('\n');
		end = newline === -1 ? source.length : newline + 1;
	}

	for (const statement of ast.body as AnyNode[]) {
		if (statement.type === 'ExpressionStatement' && typeof statement.directive === 'string') {
			end = statement.end as number;
		} else {
			break;
		}
	}

	return end;
}

// The entry and exit of lean functions (see the header): hoisted, like `__vz$n`.
const leanHelpers = `function __vz$i(k){return ${hookGlobal}.on?${hookGlobal}.e((__vz$b??__vz$n())+k):0}function __vz$x(s){${hookGlobal}.x(s)}`;

/** A function that runs to completion and records no values: its entry and exit are the prologue's helpers. */
function isLean(edit: Edit): boolean {
	const {fn, options} = edit;
	return !fn.async && !fn.generator && !options.logFuncArgs && !options.logFuncRetval;
}

function idOf(edit: Edit): string {
	return `(__vz$b??__vz$n())+${edit.index}`;
}

/**
 * An async function (not a generator) with awaits of its own, traced with
 * logAsync: split at its awaits. One without awaits completes synchronously
 * and is traced like any function.
 */
function isSegmented(edit: Edit): boolean {
	return edit.segmented;
}

/** Whether `fn` awaits in its own body (not in nested functions). */
function containsOwnAwait(fn: AnyNode): boolean {
	const pending: AnyNode[] = [fn.body as AnyNode];
	const pushUnlessFunction = (child: AnyNode) => {
		if (!functionTypes.has(child.type)) {
			pending.push(child);
		}
	};

	while (pending.length > 0) {
		const node = pending.pop()!;
		if (node.type === 'AwaitExpression' || (node.type === 'ForOfStatement' && node.await === true)) {
			return true;
		}

		forEachChild(node, pushUnlessFunction);
	}

	return false;
}

/** The lifetime span of a segmented async function: opened on an async row. */
function lifetimeCall(edit: Edit): string {
	if (edit.options.logFuncArgs) {
		const {values, names} = parameterList(edit.fn);
		return `${hookOn}?${hookGlobal}.lap(${idOf(edit)},[${values}],${names}):0`;
	}

	return `${hookOn}?${hookGlobal}.la(${idOf(edit)}):0`;
}

const segmentCall = (edit: Edit) => `${hookOn}?${hookGlobal}.e(${idOf(edit)}):0`;

// The run on the thread ends (with a flow start) / the next run begins where the flow ends.
const pauseRun = `__vz$s&&(__vz$f=${hookGlobal}.p(__vz$s)),__vz$s=0`;
const resumeRun = (edit: Edit) => `__vz$s=${hookOn}?${hookGlobal}.w(${idOf(edit)},__vz$f):0,__vz$f=0`;

/**
 * `await X` in a segmented function →
 * `(__vz$v=await (__vz$v=(X),PAUSE,__vz$v),RESUME,__vz$v)` (the `await` stays where it was):
 * the run on the thread ends at the await with a flow start, and the next
 * run begins where the flow ends. A rejected await skips the re-entry;
 * `catch`/`finally` blocks re-enter (see reenterInHandlers).
 */
function instrumentAwait(output: InsertionEditor, node: AnyNode, owner: Edit): void {
	// appendLeft at the argument: before what an inner await inserts there.
	output.prependRight(node.start as number, '(__vz$v=');
	output.appendLeft(node.argument.start as number, '(__vz$v=(');
	output.appendLeft(node.end as number, `),${pauseRun},__vz$v),${resumeRun(owner)},__vz$v)`);
}

/**
 * `for await (HEAD of X) BODY` in a segmented function awaits before each
 * iteration and when the loop closes: the run pauses after X is evaluated
 * and at the end of each iteration (`finally`, so `continue`/`break` pause
 * too), and resumes at the start of each iteration and after the loop:
 *
 *   {for await (HEAD of (__vz$v=(X),PAUSE,__vz$v)) {RESUME;try BODY finally{PAUSE}};RESUME}
 *
 * The block around the loop goes around its labels, so `continue label` keeps its target.
 */
function instrumentForAwait(output: InsertionEditor, node: AnyNode, ancestors: readonly AnyNode[], owner: Edit): void {
	const resumeIfPaused = `__vz$s||(${resumeRun(owner)})`;
	const right = node.right as AnyNode;
	output.prependLeft(right.start as number, '(__vz$v=(');
	output.appendRight(right.end as number, `),${pauseRun},__vz$v)`);
	const body = node.body as AnyNode;
	if (body.type === 'BlockStatement') {
		output.prependLeft(body.start as number, `{${resumeIfPaused};try`);
		output.appendRight(body.end as number, `finally{${pauseRun}}}`);
	} else {
		output.prependLeft(body.start as number, `{${resumeIfPaused};try{`);
		output.appendRight(body.end as number, `}finally{${pauseRun}}}`);
	}

	let outer = node;
	for (let index = ancestors.length - 1; index >= 0 && ancestors[index]!.type === 'LabeledStatement'; index--) {
		outer = ancestors[index]!;
	}

	// prependRight: the enclosing function's `try{` may start here too, and it
	// is added later (parents after children), in front of this.
	output.prependRight(outer.start as number, '{');
	output.appendRight(outer.end as number, `;${resumeIfPaused}}`);
}

function enterCall(edit: Edit): string {
	if (edit.options.logFuncArgs) {
		const {values, names} = parameterList(edit.fn);
		return `${hookOn}?${hookGlobal}.${edit.fn.async ? 'eap' : 'ep'}(${idOf(edit)},[${values}],${names}):0`;
	}

	return edit.fn.async ? `${hookOn}?${hookGlobal}.ea(${idOf(edit)}):0` : `${hookOn}?${hookGlobal}.e(${idOf(edit)}):0`;
}

/** The parameters bound to plain names (`a`, `a = 1`, `...rest`); destructured ones are left out. */
function parameterList(fn: AnyNode): {values: string; names: string} {
	const names: string[] = [];
	for (const parameter of fn.params as AnyNode[]) {
		const target = parameter.type === 'AssignmentPattern' ? parameter.left : (parameter.type === 'RestElement' ? parameter.argument : parameter);
		if (target?.type === 'Identifier') {
			names.push(target.name as string);
		}
	}

	return {values: names.join(','), names: JSON.stringify(names)};
}

/** What records `__vz$v` as the return value and evaluates to it; H is only reached while a span is open. */
function recordReturn(edit: Edit): string {
	if (isSegmented(edit)) {
		return `__vz$a?${hookGlobal}.ra(__vz$a,__vz$v):__vz$v`;
	}

	return edit.fn.async ? `__vz$s?${hookGlobal}.ra(__vz$s,__vz$v):__vz$v` : `__vz$s?${hookGlobal}.r(__vz$v):__vz$v`;
}

/**
 * `return X` → `return (__vz$v=(X),RECORD)`, so the value is recorded as the
 * span's `return_value`. The space after `return` matters: minified code
 * writes `return[1]`, `return"x"`, `return(a)`, `return!x`.
 */
function instrumentReturn(output: InsertionEditor, node: AnyNode, owner: Edit): void {
	if (node.argument) {
		output.prependLeft(node.argument.start as number, ' (__vz$v=(');
		output.appendRight(node.argument.end as number, `),${recordReturn(owner)})`);
	} else {
		output.appendLeft((node.start as number) + 'return'.length, ` (__vz$v=void 0,${recordReturn(owner)})`);
	}
}

/**
 * What a generator runs when it is resumed: a plain enter, without the
 * arguments even when they are logged (they were recorded when it started,
 * and a parameter may be shadowed, or in its temporal dead zone, where the
 * generator paused).
 */
function resumeCall(edit: Edit): string {
	if (isSegmented(edit)) {
		return segmentCall(edit);
	}

	return edit.fn.async ? `${hookOn}?${hookGlobal}.ea(${idOf(edit)}):0` : `${hookOn}?${hookGlobal}.e(${idOf(edit)}):0`;
}

/**
 * A generator resumed with `throw()` or `return()` does not come back
 * through the code after its `yield`: it lands in a `catch` or `finally` of
 * its own, or leaves. Those blocks open the resumption's span when none is open.
 */
function reenterInHandlers(output: InsertionEditor, node: AnyNode, owner: Edit): void {
	// A segmented async function also ends the flow of the await that threw.
	const reenter = isSegmented(owner)
		? `if(!__vz$s){__vz$s=${resumeCall(owner)};__vz$f&&${hookGlobal}.ff(__vz$f);__vz$f=0}`
		: `if(!__vz$s)__vz$s=${resumeCall(owner)};`;
	for (const block of [node.handler?.body, node.finalizer] as Array<AnyNode | undefined>) {
		if (block) {
			output.appendLeft((block.start as number) + 1, reenter);
		}
	}
}

function exitCall(edit: Edit): string {
	if (isLean(edit)) {
		return '__vz$s&&__vz$x(__vz$s)';
	}

	if (isSegmented(edit)) {
		return `__vz$s&&${hookGlobal}.x(__vz$s);__vz$a&&${hookGlobal}.xa(__vz$a)`;
	}

	return edit.fn.async ? `__vz$s&&${hookGlobal}.xa(__vz$s)` : `__vz$s&&${hookGlobal}.x(__vz$s)`;
}

function instrumentFunction(output: InsertionEditor, edit: Edit): void {
	const {fn} = edit;
	const value = fn.generator || edit.options.logFuncRetval ? ',__vz$v' : '';
	const declarations = isLean(edit) ? `const __vz$s=typeof __vz$i=="function"&&__vz$i(${edit.index});` : isSegmented(edit)
		? `const __vz$a=${lifetimeCall(edit)};let __vz$s=${segmentCall(edit)},__vz$v,__vz$f=0;`
		: (fn.generator ? `let __vz$s=${enterCall(edit)}${value};` : `const __vz$s=${enterCall(edit)};${value ? 'let __vz$v;' : ''}`);
	const catchBlock = edit.options.logException ? `}catch(__vz$e){${guard}${hookGlobal}.t(__vz$e);throw __vz$e` : '';
	const finallyBlock = `${catchBlock}}finally{${exitCall(edit)}}`;
	const body = fn.body as AnyNode;
	if (body.type !== 'BlockStatement') {
		// An expression-bodied arrow: give it a block that returns the expression.
		if (edit.options.logFuncRetval) {
			output.prependLeft(body.start as number, `{${declarations}try{return (__vz$v=(`);
			output.appendRight(body.end as number, `),${recordReturn(edit)})`);
		} else {
			output.prependLeft(body.start as number, `{${declarations}try{return (`);
			output.appendRight(body.end as number, ')');
		}

		output.appendRight(body.end as number, `${finallyBlock}}`);
		return;
	}

	const statements = body.body as AnyNode[];
	let insertAt = (body.start as number) + 1;
	let afterDirective = false;
	let first = 0;
	for (; first < statements.length; first++) {
		const statement = statements[first]!;
		if (statement.type === 'ExpressionStatement' && typeof statement.directive === 'string') {
			insertAt = statement.end as number;
			afterDirective = true;
		} else {
			break;
		}
	}

	output.appendLeft(insertAt, `${afterDirective ? ';' : ''}${declarations}`);
	// Where function declarations stand (see declarationPlacement): in the
	// 'block' placement every statement, leading function declarations too,
	// is inside the `try`, so a function closes over the body's top-level
	// `let`/`const`/`class` as untraced (a leading `function f() { x = 1 }`
	// left outside would assign a global instead of hitting `let x`'s TDZ).
	// In the 'hoist' placement they all stand at function level: the leading
	// ones where they are, the later ones moved in front of the `try`
	// (declarations are hoisted, so where they stand does not matter to when
	// they exist; the source map follows the moved text, and markers let
	// `toString()` put it back: see inserted-text.ts).
	while (edit.hoist && first < statements.length && isFunctionDeclaration(statements[first]!)) {
		first++;
	}

	// Without hoisted declarations the `try` opens right after ours, on the
	// line of the `{`: the first statement's line keeps its text, so an
	// uncaught error's source line, printed from the running code, reads as untraced.
	const tryAt = !edit.hoist ? insertAt : (first < statements.length ? (statements[first]!.start as number) : (body.end as number) - 1);
	for (let index = first + 1; edit.hoist && index < statements.length; index++) {
		const statement = statements[index]!;
		if (isFunctionDeclaration(statement)) {
			output.moveMarked(statement.start as number, statement.end as number, tryAt);
		}
	}

	output.prependRight(tryAt, 'try{');
	// appendRight: an inner function ending at the same offset was edited
	// first (children before parents), and its closing text must come first.
	if (edit.options.logFuncRetval) {
		// Falling off the end returns undefined, and that is recorded too.
		output.appendRight((body.end as number) - 1, `;__vz$v=void 0;${recordReturn(edit)}`);
	}

	output.appendRight((body.end as number) - 1, finallyBlock);
}

/**
 * Where a function's top-level function declarations may stand once its body
 * is inside a `try` block:
 * - 'block': in the block, as they are (what nearly every function gets): a
 *   closure over the body's `let`/`const`/`class` needs them there;
 * - 'hoist': moved in front of the `try`, because in a block their name would
 *   clash (a `var` of the same name, a duplicate, a block function of the
 *   same name under Annex B, a direct `eval` that may declare one) and the
 *   body has no top-level lexical declarations they could close over;
 * - 'unsafe': both at once: the function is left uninstrumented.
 */
function declarationPlacement(fn: AnyNode): 'block' | 'hoist' | 'unsafe' {
	const body = fn.body as AnyNode;
	if (body.type !== 'BlockStatement') {
		return 'block';
	}

	const statements = body.body as AnyNode[];
	const functionNames: string[] = [];
	const topLevel = new Set<AnyNode>();
	let lexical = false;
	for (const statement of statements) {
		const node = unlabelled(statement);
		if (node.type === 'FunctionDeclaration') {
			functionNames.push(node.id.name as string);
			topLevel.add(node);
		} else if (node.type === 'ClassDeclaration' || (node.type === 'VariableDeclaration' && node.kind !== 'var')) {
			lexical = true;
		}
	}

	if (functionNames.length === 0) {
		return 'block';
	}

	const seen = new Set<string>();
	let clash = functionNames.some(name => seen.has(name) || !seen.add(name));
	// Var names and block-level functions of the body, outside nested functions.
	const pending: AnyNode[] = [body];
	const consider = (item: AnyNode) => {
		if (item.type === 'FunctionDeclaration') {
			// A block-level function of a top-level one's name (Annex B); its body does not count.
			clash ||= !topLevel.has(item) && seen.has(item.id.name as string);
		} else if (item.type !== 'ClassBody' && !functionTypes.has(item.type)) {
			pending.push(item);
		}
	};

	while (!clash && pending.length > 0) {
		const node = pending.pop()!;
		if (node.type === 'VariableDeclaration' && node.kind === 'var') {
			clash = (node.declarations as AnyNode[]).some(declarator => boundNames(declarator.id as AnyNode).some(name => seen.has(name)));
		} else if (node.type === 'CallExpression' && node.callee.type === 'Identifier' && node.callee.name === 'eval') {
			clash = true;
		}

		forEachChild(node, consider);
	}

	if (!clash) {
		return 'block';
	}

	return lexical ? 'unsafe' : 'hoist';
}

/** The identifiers a binding pattern declares. */
function boundNames(pattern: AnyNode | null | undefined): string[] {
	if (!pattern) {
		return [];
	}

	switch (pattern.type) {
		case 'Identifier': {
			return [pattern.name as string];
		}

		case 'ObjectPattern': {
			return (pattern.properties as AnyNode[]).flatMap(property => boundNames((property.type === 'RestElement' ? property.argument : property.value) as AnyNode));
		}

		case 'ArrayPattern': {
			return (pattern.elements as Array<AnyNode | null>).flatMap(element => boundNames(element));
		}

		case 'RestElement': {
			return boundNames(pattern.argument as AnyNode);
		}

		case 'AssignmentPattern': {
			return boundNames(pattern.left as AnyNode);
		}

		default: {
			return [];
		}
	}
}

/** The statement under its labels (sloppy mode allows `l: function f(){}`). */
function unlabelled(statement: AnyNode): AnyNode {
	let node = statement;
	while (node.type === 'LabeledStatement') {
		node = node.body as AnyNode;
	}

	return node;
}

/** A function declaration, possibly labelled. */
function isFunctionDeclaration(statement: AnyNode): boolean {
	return unlabelled(statement).type === 'FunctionDeclaration';
}

const statementLists = new Set(['Program', 'BlockStatement', 'StaticBlock', 'SwitchCase']);
const forHeads = new Set(['ForStatement', 'ForInStatement', 'ForOfStatement']);

/**
 * A rewritten `yield` is a parenthesised expression, so where the original
 * leaned on automatic semicolon insertion it could join the line before
 * (`a = 1⏎yield a` would call `1(…)`) or the line after (`yield⏎[x]` would
 * index it). Semicolons make the statement boundaries explicit.
 */
function guardStatement(output: InsertionEditor, node: AnyNode, parent: AnyNode | undefined, yieldStarts: ReadonlySet<number>, yieldEnds: ReadonlySet<number>): void {
	const {type} = node;
	if (type === 'ExpressionStatement' && yieldStarts.has(node.start) && parent && statementLists.has(parent.type)) {
		output.appendLeft(node.start, ';');
	}

	// A statement that ends where a yield ends has no semicolon of its own.
	if (yieldEnds.has(node.end) && (type === 'ExpressionStatement' || type === 'ReturnStatement' || type === 'ThrowStatement' || (type === 'VariableDeclaration' && !(parent && forHeads.has(parent.type) && parent.body !== node)))) {
		output.appendRight(node.end, ';');
	}
}

/**
 * `yield X` → `(__vz$v=yield (__vz$v=(X),EXIT,__vz$s=0,__vz$v),__vz$s=ENTER,__vz$v)`
 * (the `yield` stays where it was: only text is inserted):
 * the span ends before the generator pauses and a new one starts when it is
 * resumed. A generator resumed with `throw()` or `return()` never reaches
 * ENTER, and `__vz$s` is 0 then, so its `finally` does not end a span twice
 * (and its own `catch` and `finally` blocks open one: see reenterInHandlers).
 */
function instrumentYield(output: InsertionEditor, node: AnyNode, owner: Edit): void {
	const pause = `${exitCall(owner)},__vz$s=0`;
	const resume = `__vz$s=${resumeCall(owner)}`;
	if (node.argument) {
		output.prependRight(node.start, '(__vz$v=');
		output.appendLeft(node.argument.start as number, '(__vz$v=(');
		output.appendLeft(node.end, `),${pause},__vz$v),${resume},__vz$v)`);
	} else {
		output.prependRight(node.start, `(${pause},__vz$v=`);
		output.appendLeft(node.end, `,${resume},__vz$v)`);
	}
}
