// What compilers inject is not reported as the program's spans: helpers
// defined at a file's top level (esbuild, TypeScript/tslib, swc, Babel), the
// getters of a compiled module's exports, and the function that fills a
// compiled enum or namespace; a function esbuild wraps in __name() takes
// that name. The program's own functions of the same shapes stay spans.
import test from 'ava';
import {instrumentSource} from '../../dist/instrument/transform.js';

const spansOf = (source, sourceType = 'script') => instrumentSource(source, {filename: '/p/a.js', displayPath: 'a.js', sourceType})?.names.map(name => name.replace(/ \(a\.js:\d+:\d+\)$/, '')) ?? [];

test('top-level helpers of esbuild, TypeScript, swc and Babel are not instrumented, nor what is inside them', t => {
	const names = spansOf([
		'var __defProp = Object.defineProperty;',
		'var __name = (target, value) => __defProp(target, "name", {value, configurable: true});',
		'var __awaiter = (this && this.__awaiter) || function (thisArg, _arguments, P, generator) { function adopt(value) { return value; } return new P(function (resolve) { resolve(adopt(1)); }); };',
		'function _class_call_check(instance, Constructor) { if (!(instance instanceof Constructor)) throw new TypeError("x"); }',
		'function _classCallCheck(a, n) { if (!(a instanceof n)) throw new TypeError("x"); }',
		'function work() { return 1; }',
	].join('\n'));
	t.deepEqual(names, ['work']);
});

test('a helper name inside a function, or a program function named like a helper below the top level, stays a span', t => {
	t.deepEqual(spansOf('function outer() { function __name(x) { return x; } return __name(1); }\n'), ['outer', '__name']);
});

test('the getters of compiled exports are not spans: esbuild\'s __export, swc\'s _export, TypeScript\'s Object.defineProperty(exports, …, {get})', t => {
	const names = spansOf([
		'var a_exports = {};',
		'__export(a_exports, {run: () => run, stop: () => stop});',
		'_export(exports, {go: function() { return go; }});',
		'Object.defineProperty(exports, "x", {enumerable: true, get: function () { return x; }});',
		'function run() {}',
	].join('\n'));
	t.deepEqual(names, ['run']);
});

test('the function that fills a compiled enum or namespace is not a span; the namespace\'s own functions are', t => {
	const names = spansOf([
		'var Color;',
		'(function (Color) { Color[Color["Red"] = 0] = "Red"; })(Color || (exports.Color = Color = {}));',
		'var Level = /* @__PURE__ */ ((Level2) => { Level2[Level2["Low"] = 1] = "Low"; return Level2; })(Level || {});',
		'var Mode = /*#__PURE__*/ function(Mode) { Mode["A"] = "a"; return Mode; }({});',
		'var Names;',
		'((Names2) => { function of(level) { return String(level); } Names2.of = of; })(Names || (Names = {}));',
		'(function (x) { return x; })(y || {});',
	].join('\n'));
	t.deepEqual(names, ['of', '<anonymous>'], 'an IIFE whose parameter is not the object it fills stays a span');
});

test('a function esbuild wraps in __name(fn, "name") is named name', t => {
	t.deepEqual(spansOf('const square = /* @__PURE__ */ __name((value) => value * value, "square");\nconst cube = __name(function (v) { return v ** 3; }, "cube");\n'), ['square', 'cube']);
});
