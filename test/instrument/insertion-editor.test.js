// The insertion editor (lib/instrument/insertion-editor.ts) and the maps it
// writes (lib/instrument/edit-map.ts): where inserted text lands, what moves
// do, how markers are shared, and that both maps send every copied character
// back to itself in the source, on a real large file too.
import fs from 'node:fs';
import {createRequire, SourceMap} from 'node:module';
import test from 'ava';
import {originalPositionFor, TraceMap} from '@jridgewell/trace-mapping';
import {InsertionEditor} from '../../dist/instrument/insertion-editor.js';
import {originalText} from '../../dist/instrument/inserted-text.js';
import {instrumentSource} from '../../dist/instrument/transform.js';

const require = createRequire(import.meta.url);
const strip = code => code.replaceAll(/\/\*·vz\*\/|\/\*vz·\*\//g, '');

test('left and right of an offset, appended and prepended, land in that order', t => {
	const editor = new InsertionEditor('aaaabbbb');
	editor.appendLeft(4, 'X');
	editor.prependLeft(4, 'W');
	editor.appendRight(4, 'Z');
	editor.prependRight(4, 'Y');
	editor.appendLeft(0, 'start');
	editor.appendRight(8, 'end');
	const {code} = editor.build('/f.js');
	t.is(strip(code), 'startaaaaWXYZbbbbend');
	t.is(code, '/*·vz*/start/*vz·*/aaaa/*·vz*/WXYZ/*vz·*/bbbb/*·vz*/end/*vz·*/', 'one pair of markers around text that meets');
});

test('moved pieces keep their order in front of the target, take their inside edges along, and toString text comes back', t => {
	const source = 'function outer() { first(); function a() {} second(); function b() {} }';
	const editor = new InsertionEditor(source);
	const a = source.indexOf('function a');
	const aEnd = source.indexOf('}', a) + 1;
	const b = source.indexOf('function b');
	const bEnd = source.indexOf('}', b) + 1;
	const target = source.indexOf('first');
	editor.moveMarked(a, aEnd, target);
	editor.moveMarked(b, bEnd, target);
	editor.prependRight(target, 'try{');
	editor.appendLeft(a + 'function a() {'.length, 'IN');
	const {code} = editor.build('/f.js');
	const plain = code.replaceAll(/\/\*·vz[@<>]\d+·\*\//g, '');
	t.is(strip(plain), 'function outer() { function a() {IN}function b() {}try{first();  second();  }');
	t.is(originalText(code), source, 'the markers give the original text back');
});

test('a move to the end of the source and a move of the last piece', t => {
	const editor = new InsertionEditor('abcdef');
	editor.moveMarked(0, 2, 6);
	t.is(originalText(editor.build('/f.js').code), 'abcdef');
	const unmoved = new InsertionEditor('abcdef');
	unmoved.moveMarked(4, 6, 6);
	t.is(unmoved.build('/f.js').code.replaceAll(/\/\*·vz[@<>]\d+·\*\//g, ''), 'abcdef', 'moving the last piece to the end changes nothing');
});

/** Checks that every non-blank copied character of `code` maps back to the same character of `source`, through both maps. */
function checkMaps(t, source, code, map, {every = 1} = {}) {
	const linear = new SourceMap(JSON.parse(map.linear()));
	const plain = new TraceMap(map.toString());
	const generatedLines = code.split('\n');
	const originalLines = source.split('\n');
	let checked = 0;
	let mismatched = 0;
	for (const [line, text] of generatedLines.entries()) {
		let inserted = false;
		for (let column = 0; column < text.length; column++) {
			if (text.startsWith('/*·vz', column)) {
				inserted = !text.startsWith('/*·vz@', column) && !text.startsWith('/*·vz<', column) && !text.startsWith('/*·vz>', column);
				column = text.indexOf('*/', column) + 1;
				continue;
			}

			if (text.startsWith('/*vz·*/', column)) {
				inserted = false;
				column += 6;
				continue;
			}

			if (inserted || /\s/.test(text[column]) || (column % every !== 0)) {
				continue;
			}

			checked++;
			const entry = linear.findEntry(line, column);
			const mapped = entry.generatedLine === line && entry.originalLine !== undefined ? originalLines[entry.originalLine][entry.originalColumn + column - entry.generatedColumn] : undefined;
			const point = originalPositionFor(plain, {line: line + 1, column});
			const pointed = point.line === null ? undefined : originalLines[point.line - 1][point.column];
			if (mapped !== text[column] || (pointed !== text[column] && /\W/.test(text[column]))) {
				mismatched++;
			}
		}
	}

	t.true(checked > 0);
	t.is(mismatched, 0, `${mismatched} of ${checked} characters mapped elsewhere`);
}

test('the linear map sends every copied character back to itself; the plain one every character outside words', t => {
	const source = [
		'"use strict";',
		'function declared(a, b) { if (a) { return b; } function inner() { return 1; } var inner; return inner(); }',
		'const arrow = x => x * 2, o = {m() { return 1; }, get g() { return 2; }};',
		'async function* many() { for await (const v of source()) { yield v; } }',
		'class K extends Object { static #p = () => 1; method() { return () => this; } }',
		'',
	].join('\n');
	for (const options of [{}, {logFuncArgs: true, logFuncRetval: true, logException: true, logAsync: true}]) {
		const result = instrumentSource(source, {filename: '/f.js', displayPath: 'f.js', sourceType: 'script', ...options});
		checkMaps(t, source, result.code, result.map);
	}
});

test('both maps are right on a large real file (typescript.js, every 7th character)', t => {
	const file = require.resolve('typescript/lib/typescript.js');
	const source = fs.readFileSync(file, 'utf8');
	const result = instrumentSource(source, {filename: file, displayPath: 'typescript.js', sourceType: 'script'});
	checkMaps(t, source, result.code, result.map, {every: 7});
	t.is(JSON.parse(result.map.linear()).x_viztracer_linear, 1);
});
