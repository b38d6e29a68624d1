// Unit tests of instrumentSource (lib/instrument/transform.ts): the text it
// produces, the names it gives functions, and that the result runs like the
// original, recorded by a real VizTracer through the process's hook global.
import fs from 'node:fs';
import path from 'node:path';
import {pathToFileURL} from 'node:url';
import v8 from 'node:v8';
import vm from 'node:vm';
import test from 'ava';
import {parse} from 'acorn';
import {originalPositionFor, TraceMap} from '@jridgewell/trace-mapping';
import {instrumentSource} from '../../dist/instrument/transform.js';
import {instrumentationHook} from '../../dist/core/instrumentation-hook.js';
import {VizTracer} from '../../dist/index.js';
import {parseSpanName, positionOf, spansOf, temporaryDirectory, within} from './_helpers.js';

const hook = instrumentationHook();

const transform = (source, options = {}) => instrumentSource(source, {filename: '/project/src/file.js', displayPath: 'src/file.js', sourceType: 'script', ...options});

/** Runs a script in a fresh context that sees the real hook global; returns its completion value. */
const runScript = (code, globals = {}) => vm.runInNewContext(code, {__viztracer: hook, ...globals});

/** Runs `action` with a started tracer and returns the spans it recorded. */
function traced(action) {
	const tracer = new VizTracer({verbose: 0});
	tracer.start();
	let result;
	try {
		result = action();
	} finally {
		tracer.stop();
	}

	const spans = spansOf(tracer.data);
	tracer.terminate();
	return {result, spans};
}

const sourceWithEveryKind = `
function plain(a, b) { return a + b; }
const obj = {
	tag: 'obj',
	method() { return this.tag; },
	get x() { return 'got'; },
	set x(value) { this.stored = value; },
};
class Shape {
	#side = 2;
	field = () => this.#side * 10;
	constructor(name) { this.name = name; }
	method() { return this.#priv(); }
	get x() { return 'shape x'; }
	#priv() { return this.#side; }
	static make() { return new Shape('made'); }
}
module.exports.run = function () { return [1, 2, 3].map(n => n * 2); };
obj.x = 5;
const shape = Shape.make();
[plain(1, 2), obj.method(), obj.x, obj.stored, shape.method(), shape.x, shape.field(), module.exports.run()];
`;

test('instrumented script parses as a script and computes what the original computes', t => {
	const result = transform(sourceWithEveryKind);
	t.notThrows(() => parse(result.code, {ecmaVersion: 'latest', sourceType: 'script'}));
	const original = runScript(sourceWithEveryKind, {module: {exports: {}}});
	const instrumented = runScript(result.code, {module: {exports: {}}});
	t.deepEqual(instrumented, original);
	t.deepEqual(original, [3, 'obj', 'got', 5, 2, 'shape x', 20, [2, 4, 6]]);
});

test('names follow V8 inference, with the file, line and column of each function', t => {
	const {names} = transform(sourceWithEveryKind);
	const at = (fn, needle) => {
		const {line, column} = positionOf(sourceWithEveryKind, needle);
		return `${fn} (src/file.js:${line}:${column})`;
	};

	t.deepEqual(names, [
		at('plain', 'function plain'),
		at('obj.method', 'method() { return this.tag'),
		at('get obj.x', 'get x() { return \'got\''),
		at('set obj.x', 'set x(value)'),
		at('Shape.field', 'field = '),
		at('Shape.constructor', 'constructor(name)'),
		at('Shape.method', 'method() { return this.#priv'),
		at('Shape.get x', 'get x() { return \'shape x\''),
		at('Shape.#priv', '#priv() {'),
		at('Shape.make', 'static make'),
		at('module.exports.run', 'function () { return [1, 2, 3]'),
		at('<anonymous>', 'n => n * 2'),
	]);
});

test('a default export is named `default` and an anonymous callback `<anonymous>`', t => {
	const source = 'export default function () {\n\treturn [1].map(function (x) { return x; });\n}\n';
	const {names} = transform(source, {sourceType: 'module', displayPath: 'lib/main.mjs'});
	t.deepEqual(names, ['default (lib/main.mjs:1:16)', '<anonymous> (lib/main.mjs:2:17)']);
});

test('more inferred names: assignments, defaults, class expressions, named expressions, IIFEs', t => {
	const source = [
		'let later; later = () => 1;',
		'const {fallback = () => 2} = {};',
		'const Anonymous = class { run() {} };',
		'const alias = function realName() {};',
		'this.onEvent = function () {};',
		'(() => 3)();',
		'const table = {"quoted key"() {}, [Symbol.iterator]() {}};',
	].join('\n');
	const {names} = transform(source);
	t.deepEqual(names.map(name => parseSpanName(name).fn), ['later', 'fallback', 'Anonymous.run', 'realName', 'this.onEvent', '<anonymous>', 'table.quoted key', 'table.[Symbol.iterator]']);
	t.deepEqual(names.map(name => parseSpanName(name).line), [1, 2, 3, 4, 5, 6, 7, 7]);
});

test('spans recorded from instrumented code carry the names, nested as the calls were', t => {
	const result = transform(sourceWithEveryKind);
	const {spans} = traced(() => runScript(result.code, {module: {exports: {}}}));
	const byName = name => spans.filter(span => span.name === result.names.find(candidate => parseSpanName(candidate).fn === name));
	t.is(byName('plain').length, 1);
	t.is(byName('Shape.make').length, 1);
	t.is(byName('Shape.constructor').length, 1);
	t.true(within(byName('Shape.constructor')[0], byName('Shape.make')[0]), 'the constructor runs inside Shape.make');
	t.true(within(byName('Shape.#priv')[0], byName('Shape.method')[0]), 'the private method runs inside Shape.method');
	t.is(byName('<anonymous>').length, 3, 'the map callback runs three times');
	for (const callback of byName('<anonymous>')) {
		t.true(within(callback, byName('module.exports.run')[0]));
	}

	// Everything recorded is one of this source's functions.
	t.true(spans.every(span => result.names.includes(span.name)));
});

test('an instrumented ES module imports and runs like the original', async t => {
	const directory = temporaryDirectory();
	const source = 'export const double = x => x * 2;\nexport default function twice(values) {\n\treturn values.map(double);\n}\nexport async function later(x) {\n\tawait null;\n\treturn double(x);\n}\n';
	const result = transform(source, {sourceType: 'module', filename: path.join(directory, 'original.mjs')});
	fs.writeFileSync(path.join(directory, 'original.mjs'), source);
	fs.writeFileSync(path.join(directory, 'instrumented.mjs'), result.code);
	const original = await import(pathToFileURL(path.join(directory, 'original.mjs')).href);
	const instrumented = await import(pathToFileURL(path.join(directory, 'instrumented.mjs')).href);
	t.deepEqual(instrumented.default([1, 2]), original.default([1, 2]));
	t.is(await instrumented.later(5), await original.later(5));
	t.is(instrumented.double.name, 'double');
	t.is(instrumented.default.name, 'twice');
	t.is(instrumented.default.length, 1);
});

for (const [title, source] of [
	['with a semicolon', '\'use strict\';\nfunction f() { return this; }\nf();\n'],
	['without a semicolon', '"use strict"\nfunction f() { return this; }\nf();\n'],
	['on the last line of a one-line file', '\'use strict\'; function f() { return this; } f()'],
	['after a comment', '// leading comment\n\'use strict\'\n\'another directive\'\nfunction f() { return this; }\nf()\n'],
]) {
	test(`a 'use strict' directive ${title} stays first and keeps the script strict`, t => {
		const {code} = transform(source);
		const ast = parse(code, {ecmaVersion: 'latest', sourceType: 'script'});
		t.is(ast.body[0].directive, 'use strict', 'the first statement is still the directive');
		t.is(runScript(source), undefined, 'the original is strict');
		t.is(runScript(code), undefined, 'so is the instrumented code');
	});
}

test('a function\'s own \'use strict\' stays first in its body', t => {
	const source = 'function strict() {\n\t\'use strict\'\n\treturn this;\n}\nfunction sloppy() { return typeof this; }\n[strict(), sloppy()];\n';
	const {code} = transform(source);
	const ast = parse(code, {ecmaVersion: 'latest', sourceType: 'script'});
	const strict = ast.body.find(node => node.type === 'FunctionDeclaration' && node.id.name === 'strict');
	t.is(strict.body.body[0].directive, 'use strict');
	t.deepEqual(runScript(code), [undefined, 'object']);
	t.deepEqual(runScript(code), runScript(source));
});

test('a hashbang stays on the first line', t => {
	const source = '#!/usr/bin/env node\n\'use strict\'\nfunction main() { return 42; }\nmain();\n';
	const {code} = transform(source);
	t.true(code.startsWith('#!/usr/bin/env node\n\'use strict\''));
	t.notThrows(() => parse(code, {ecmaVersion: 'latest', sourceType: 'script', allowHashBang: true}));
	t.is(runScript(code.replace(/^#!.*\n/, '\n')), 42);
});

// V8 keeps a string of characters up to U+00FF at one byte a character, any
// other at two: the transform's markers must not double the memory (and the
// read time) of every instrumented file whose source is one byte.
const isOneByteString = text => String.fromCharCode(v8.serialize(text)[2]) === '"';

test('the instrumented code of a source of one-byte characters is one byte a character too', t => {
	for (const source of ['function f(a) { return () => a; }\nclass C { m() { return f(1)(); } }\n', 'const s = "caf\u00e9"; function g() { return s; }\n']) {
		t.true(isOneByteString(source));
		const {code} = transform(source);
		t.true(code.includes('__viztracer'));
		t.true(isOneByteString(code), code);
	}
});

test('a `viztracer:ignore` comment leaves the function after it untouched', t => {
	const source = [
		'// viztracer:ignore',
		'function hot(x) { return x + 1; }',
		'const quiet = /* viztracer:ignore */ () => 2;',
		'const obj = {',
		'\t// viztracer:ignore',
		'\tmethod() { return 3; },',
		'};',
		'function traced() { return hot(1) + quiet() + obj.method(); }',
		'traced();',
	].join('\n');
	const result = transform(source);
	t.deepEqual(result.names.map(name => parseSpanName(name).fn), ['traced']);
	t.true(result.code.includes('function hot(x) { return x + 1; }'));
	t.true(result.code.includes('() => 2;'));
	t.true(result.code.includes('method() { return 3; }'));
	t.is(runScript(result.code), 7);
	const {spans} = traced(() => runScript(result.code));
	t.deepEqual(spans.map(span => span.fn), ['traced']);
});

test('a `viztracer:ignore` comment does not reach past the next function', t => {
	const source = '// viztracer:ignore\nfunction ignored() {}\n\nconst x = 1;\nfunction kept() {}\n';
	t.deepEqual(transform(source).names.map(name => parseSpanName(name).fn), ['kept']);
});

test('a `viztracer:ignore-file` comment anywhere leaves the whole file alone', t => {
	t.is(transform('function a() {}\n/* viztracer:ignore-file */\nfunction b() {}\n'), undefined);
	t.is(transform('// viztracer:ignore-file\nexport const f = () => 1;\n', {sourceType: 'module'}), undefined);
});

test('a file without functions is left alone', t => {
	t.is(transform('const x = 1;\nconsole.log(x + 2);\n'), undefined);
	t.is(transform(''), undefined);
	t.is(transform('export const value = 42;\nexport default {a: [1, 2]};\n', {sourceType: 'module'}), undefined);
});

test('a syntax error is thrown, for the caller to fall back to the original', t => {
	t.throws(() => transform('function (\n'), {instanceOf: SyntaxError});
	t.throws(() => transform('import x from "y";\nfunction f() {}\n'), {instanceOf: SyntaxError}, 'a script cannot import');
});

test('functions keep their length, name, arguments, this and new.target', t => {
	const source = `
function Point(x, y = 0, ...rest) {
	if (!new.target) return 'called without new';
	this.x = x;
	this.args = arguments.length;
}
const arrow = (a, b) => [typeof this, a + b];
const bound = function () { return [this && this.tag, arguments.length]; };
const report = [Point.length, Point.name, arrow.length, arrow.name, bound.name];
const p = new Point(1, 2, 3, 4);
[report, p.x, p.args, p instanceof Point, Point(1), arrow(1, 2), bound.call({tag: 't'}, 1, 2)];
`;
	const {code} = transform(source);
	t.deepEqual(runScript(code), runScript(source));
	t.deepEqual(runScript(code), [[1, 'Point', 2, 'arrow', 'bound'], 1, 4, true, 'called without new', ['object', 3], ['t', 2]]);
});

test('an arrow returning an object literal still returns the object', t => {
	const source = 'const make = () => ({kind: "object", list: [1]});\nconst pair = (a, b) => (a, b);\nconst nested = () => () => ({deep: true});\n[make(), pair(1, 2), nested()()];\n';
	const result = transform(source);
	t.is(result.names.length, 4);
	t.deepEqual(runScript(result.code), [{kind: 'object', list: [1]}, 2, {deep: true}]);
});

// Each case leans on automatic semicolon insertion around a `yield`, which the
// rewrite turns into a parenthesised expression.
const generatorsRelyingOnAsi = [
	'function* g() {\n\tconst a = 1\n\tyield a\n\tconst b = [2]\n\tyield* b\n}',
	'function* g() {\n\tlet c = yield\n\t[3].forEach(x => c = x)\n\tyield c\n}',
	'function* g() {\n\tif (true) yield\n\t(0)\n\tyield yield 5\n\tyield\n\t`t`\n\treturn yield\n\t(7)\n}',
	'function* g() {\n\tvar x = 0; for (var i = yield 1; i < 2; i++) x += yield i\n\t; yield x\n}',
	'function* g() {\n\tfor (;;) var q = yield 1\n\t[0]\n}',
	'function* g() {\n\tswitch (1) { case 1: yield 1\n\t(2) }\n}',
];

for (const [index, source] of generatorsRelyingOnAsi.entries()) {
	for (const options of [{}, {logFuncArgs: true, logFuncRetval: true, logException: true}]) {
		test(`a generator that relies on automatic semicolon insertion yields the same values (case ${index + 1}${options.logFuncArgs ? ', logging args and values' : ''})`, t => {
			const drive = code => {
				const generator = runScript(`${code}\ng`)();
				const results = [];
				try {
					for (let step = 0; step < 12; step++) {
						const result = generator.next(step * 100);
						results.push(result);
						if (result.done) {
							break;
						}
					}
				} catch (error) {
					results.push(`threw ${error.message}`);
				}

				return JSON.stringify(results);
			};

			const {code} = transform(source, options);
			t.is(drive(code), drive(source));
			const {result} = traced(() => drive(code));
			t.is(result, drive(source), 'the same while traced');
		});
	}
}

test('logFuncArgs and logFuncRetval record arguments and return values in the span', t => {
	const source = 'function add(a, b = 1, {skip}, ...more) { return a + b; }\nconst none = () => {};\nadd(2, 3, {skip: true}, "x");\nnone("ignored");\n';
	const result = transform(source, {logFuncArgs: true, logFuncRetval: true});
	const {spans} = traced(() => runScript(result.code));
	const add = spans.find(span => span.fn === 'add');
	t.deepEqual(add.args, {func_args: {a: '2', b: '3', more: '[ \'x\' ]'}, return_value: '5'});
	const none = spans.find(span => span.fn === 'none');
	t.deepEqual(none.args, {func_args: {}, return_value: 'undefined'});
});

test('the source map of the instrumented code points back at the original positions', t => {
	const source = 'function first() { return 1; }\n\nconst second = () => first() + 1;\nclass K { method() { return second(); } }\n';
	const result = transform(source);
	t.deepEqual(result.map.sources, ['/project/src/file.js']);
	const map = new TraceMap(result.map.toString());
	// Each call, found in the generated code, maps to where it is in the original.
	for (const needle of ['return 1', 'first() + 1', 'return second()']) {
		const generated = positionOf(result.code, needle);
		const original = positionOf(source, needle);
		t.notDeepEqual(generated, original, `${needle} moved in the generated code`);
		const mapped = originalPositionFor(map, {line: generated.line, column: generated.column - 1});
		t.deepEqual({line: mapped.line, column: mapped.column + 1}, original, needle);
	}
});
