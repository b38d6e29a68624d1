// How a TypeScript file runs where viztracer strips its types (Node 20, 22
// before 22.18): as Node 22.18+ decides, by extension, package type, syntax.
import fs from 'node:fs';
import path from 'node:path';
import test from 'ava';
import {TypeScriptSyntaxError} from '../../dist/core/errors.js';
import {hasModuleSyntax, typescriptModuleFormat} from '../../dist/instrument/typescript-format.js';
import {stripTypesAsNodeWould} from '../../dist/instrument/type-stripping.js';
import {temporaryDirectory} from '../helpers/exec.js';

test('.mts is a module and .cts CommonJS, whatever the package says', t => {
	const directory = temporaryDirectory();
	fs.writeFileSync(path.join(directory, 'package.json'), '{"type": "commonjs"}');
	t.is(typescriptModuleFormat(path.join(directory, 'a.mts'), 'const a = 1;'), 'module');
	t.is(typescriptModuleFormat(path.join(directory, 'a.cts'), 'export const a = 1;'), 'commonjs');
});

test('.ts follows the nearest package.json\'s type, and its syntax where there is none', t => {
	const root = temporaryDirectory();
	fs.writeFileSync(path.join(root, 'package.json'), '{"type": "module"}');
	fs.mkdirSync(path.join(root, 'deep', 'er'), {recursive: true});
	fs.mkdirSync(path.join(root, 'other'));
	fs.writeFileSync(path.join(root, 'deep', 'package.json'), '{"name": "no-type"}');
	t.is(typescriptModuleFormat(path.join(root, 'other', 'a.ts'), 'const a = 1;'), 'module');
	t.is(typescriptModuleFormat(path.join(root, 'deep', 'b.ts'), 'module.exports = 1;'), 'commonjs');
	t.is(typescriptModuleFormat(path.join(root, 'deep', 'c.ts'), 'export const c = 1;'), 'module');
});

test('module syntax: import/export, import.meta and top-level await; not require or return', t => {
	t.true(hasModuleSyntax('import fs from "node:fs";'));
	t.true(hasModuleSyntax('export {};'));
	t.true(hasModuleSyntax('console.log(import.meta.url);'));
	t.true(hasModuleSyntax('await Promise.resolve();'));
	t.false(hasModuleSyntax('const fs = require("node:fs"); module.exports = fs;'));
	t.false(hasModuleSyntax('return;'));
	t.false(hasModuleSyntax('const x = import("node:fs");'));
	t.false(hasModuleSyntax('this is not JavaScript'));
});

test('stripping keeps every line and column; what strip-only mode rejects fails as Node fails', t => {
	const source = 'interface A { x: number }\nconst f = <T,>(value: T): T => value;\nexport {f};\n';
	const javascript = stripTypesAsNodeWould(source, '/project/a.ts');
	t.deepEqual(javascript.split('\n').map(line => line.length), source.split('\n').map(line => line.length));
	t.true(javascript.includes('const f =     (value   )    => value;'));
	const error = t.throws(() => stripTypesAsNodeWould('const a = 1;\nnamespace N { export const b = 2; }\n', '/project/n.ts'));
	t.true(error instanceof TypeScriptSyntaxError);
	t.true(error instanceof SyntaxError);
	t.is(error.code, 'ERR_UNSUPPORTED_TYPESCRIPT_SYNTAX');
	t.regex(error.message, /namespace/);
	t.regex(error.stack, /^\/project\/n\.ts:2\n[^]*namespace N[^]*\nSyntaxError \[ERR_UNSUPPORTED_TYPESCRIPT_SYNTAX\]: [^\n]+\n {4}at \/project\/n\.ts:2:1$/);
	const invalid = t.throws(() => stripTypesAsNodeWould('const a: = 1;', '/project/bad.ts'));
	t.is(invalid.code, 'ERR_INVALID_TYPESCRIPT_SYNTAX');
});
