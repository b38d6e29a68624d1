// The native parser (lib/instrument/native-parser.ts, oxc-parser's raw
// transfer, Node 22+) behind the cold path: loaded by cold-path-loader.ts,
// it must give the transform the same tree acorn does, so the instrumented
// code is the same byte for byte; what it rejects goes to acorn, whose
// error is the one reported. Under Node 20 the cold path uses acorn alone.
import fs from 'node:fs';
import {createRequire} from 'node:module';
import path from 'node:path';
import test from 'ava';
import {coldPath} from '../../dist/instrument/cold-path-loader.js';
import {instrumentSource} from '../../dist/instrument/transform.js';

const require = createRequire(import.meta.url);
const nodeMajor = Number(process.versions.node.split('.')[0]);
const native = nodeMajor >= 22 ? test : test.skip;
if (nodeMajor < 22) {
	console.log(`the native parser needs Node 22+ (this is ${process.version}); CI runs this file under Node 22 and 24 too`);
}

const packageFile = (name, file) => path.join(import.meta.dirname, '..', '..', 'node_modules', name, file);
const realFiles = [
	packageFile('typescript', 'lib/_tsc.js'),
	packageFile('prettier', 'index.mjs'),
	packageFile('prettier', 'plugins/babel.js'),
	packageFile('acorn', 'dist/acorn.mjs'),
	packageFile('commander', 'lib/command.js'),
	packageFile('express', 'lib/response.js'),
];
const fixtures = path.join(import.meta.dirname, '..', 'fixtures', 'differential');

const sourceTypeOf = file => (/\.mjs$|[\\/]prettier[\\/]index\.mjs$|acorn\.mjs$/.test(file) ? 'module' : 'script');

native('the instrumented code is byte for byte the same from either parser, on real packages and every differential fixture', t => {
	const files = [...realFiles, ...fs.readdirSync(fixtures).filter(name => /\.[cm]?js$/.test(name)).map(name => path.join(fixtures, name))];
	let compared = 0;
	for (const file of files) {
		const source = fs.readFileSync(file, 'utf8');
		const options = {filename: file, displayPath: path.basename(file), sourceType: sourceTypeOf(file), logFuncArgs: true, logFuncRetval: true, logAsync: true, logException: true};
		let reference;
		try {
			reference = instrumentSource(source, options)?.code;
		} catch (error) {
			t.throws(() => coldPath().instrumentSource(source, options), {message: error.message}, file);
			continue;
		}

		t.is(coldPath().instrumentSource(source, options)?.code, reference, file);
		compared++;
	}

	t.true(compared >= realFiles.length);
});

native('the native parser is the one the cold path uses (it loads its binary), and a syntax error is still acorn\'s', t => {
	const cold = coldPath();
	const source = 'function f() { return 1; }\nconst g = async () => { await f(); };\n';
	t.is(cold.instrumentSource(source, {filename: '/f.js', displayPath: 'f.js', sourceType: 'script'}).code, instrumentSource(source, {filename: '/f.js', displayPath: 'f.js', sourceType: 'script'}).code);
	t.true(Object.keys(require.cache).every(file => !file.endsWith('.node')), 'the binary is not loaded through require()');
	const loadedBinary = fs.readFileSync('/proc/self/maps', 'utf8').includes('@oxc-parser');
	t.true(loadedBinary, 'the process has the parser\'s binary mapped');
	t.throws(() => cold.instrumentSource('const a = ;', {filename: '/bad.js', displayPath: 'bad.js', sourceType: 'script'}), {instanceOf: SyntaxError, message: 'Unexpected token (1:10)'});
	// What only a script allows, and what only a module does, as acorn decides it.
	t.truthy(cold.instrumentSource('return function f() {};', {filename: '/cjs.js', displayPath: 'cjs.js', sourceType: 'script'}));
	t.truthy(cold.instrumentSource('await null; export function f() {}', {filename: '/esm.mjs', displayPath: 'esm.mjs', sourceType: 'module'}));
	t.throws(() => cold.instrumentSource('export function f() {}', {filename: '/cjs.js', displayPath: 'cjs.js', sourceType: 'script'}), {message: /'import' and 'export' may appear only with 'sourceType: module'/});
});
