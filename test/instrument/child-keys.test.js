// The table of child properties the transform walks (lib/instrument/child-keys.ts)
// must reach every node a walk over all properties reaches, or a function
// (or a yield, an await) inside a node kind it misses would go uninstrumented.
import fs from 'node:fs';
import path from 'node:path';
import {parse} from 'acorn';
import test from 'ava';
import {childKeys, forEachChild} from '../../dist/instrument/child-keys.js';

const nodeMajor = Number(process.versions.node.split('.')[0]);
const packageFile = (name, file) => path.join(import.meta.dirname, '..', '..', 'node_modules', name, file);
const fixtures = path.join(import.meta.dirname, '..', 'fixtures', 'differential');
const files = [
	packageFile('typescript', 'lib/_tsc.js'),
	packageFile('prettier', 'index.mjs'),
	packageFile('acorn', 'dist/acorn.mjs'),
	packageFile('express', 'lib/response.js'),
	...fs.readdirSync(fixtures).filter(name => /\.[cm]?js$/.test(name)).map(name => path.join(fixtures, name)),
];
const sourceTypeOf = file => (file.endsWith('.mjs') ? 'module' : 'script');

// Every node reached from `root`, through `eachChild`, as sorted `type@start-end`.
const walk = (root, eachChild) => {
	const seen = [];
	const pending = [root];
	while (pending.length > 0) {
		const node = pending.pop();
		seen.push(`${node.type}@${node.start}-${node.end}`);
		eachChild(node, child => pending.push(child));
	}

	return seen.sort();
};

// Every object with a string `type` under any property, as the transform walked before the table.
const allProperties = root => walk(root, (node, push) => {
	for (const key in node) {
		for (const item of [node[key]].flat()) {
			if (item && typeof item.type === 'string') {
				push(item);
			}
		}
	}
});

const tableWalk = root => walk(root, forEachChild);

// Node kinds the fixtures may not have, written out so the table is checked on them too.
const rareKinds = [
	['module', 'label: for (;;) { with0: { break with0; } continue label; }\nexport default class A { static { this.x = 1; } accessor = 1; #p = () => 1; static async *m() { yield* []; } }\nexport * as ns from "./x.js";\nexport {a as b} from "./y.js" with {type: "json"};\nimport json from "./z.json" with {type: "json"};\nconst m = import.meta; const i = import("./w.js", {with: {type: "json"}});\nx?.y?.(z); a ??= b; t`a${() => 1}b`; function nt() { return new.target; }'],
	['script', 'with (o) { f(function g() {}); }\ntry { throw 1 } catch { } finally { }\nswitch (x) { case (() => 1)(): break; default: }\ndo { } while (0);\nfor (var k in o) ; for (const v of [1]) ;\nvar {a = () => 1, ...r} = o, [b = function () {}, ...c] = [];'],
];

test('the table reaches every node a walk over all properties reaches, on real packages and fixtures', t => {
	let nodes = 0;
	for (const file of files) {
		const ast = parse(fs.readFileSync(file, 'utf8'), {ecmaVersion: 'latest', sourceType: sourceTypeOf(file), allowHashBang: true, allowReturnOutsideFunction: sourceTypeOf(file) === 'script', preserveParens: true});
		const expected = allProperties(ast);
		t.deepEqual(tableWalk(ast), expected, file);
		nodes += expected.length;
	}

	for (const [sourceType, source] of rareKinds) {
		const ast = parse(source, {ecmaVersion: 'latest', sourceType, preserveParens: true});
		t.deepEqual(tableWalk(ast), allProperties(ast), source);
	}

	t.true(nodes > 500_000, `${nodes} nodes compared`);
});

(nodeMajor >= 22 ? test : test.skip)('the table reaches every node of oxc-parser\'s trees too (its raw transfer, Node 22+)', async t => {
	const {parseSync} = await import('oxc-parser');
	for (const file of files.slice(1)) {
		const result = parseSync('file.js', fs.readFileSync(file, 'utf8'), {sourceType: sourceTypeOf(file) === 'module' ? 'module' : 'commonjs', lang: 'js', preserveParens: true, experimentalRawTransfer: true});
		t.is(result.errors.length, 0, file);
		t.deepEqual(tableWalk(result.program), allProperties(result.program), file);
	}

	for (const [sourceType, source] of rareKinds) {
		const result = parseSync('file.js', source, {sourceType: sourceType === 'module' ? 'module' : 'commonjs', lang: 'js', preserveParens: true, experimentalRawTransfer: true});
		t.deepEqual(tableWalk(result.program), allProperties(result.program), source);
	}
});

test('a node kind the table does not know is walked through all of its properties', t => {
	const inner = {type: 'FunctionExpression', start: 3, end: 5};
	const node = {type: 'SomeFutureNode', start: 0, end: 9, flag: true, first: inner, list: [null, {type: 'Identifier', start: 6, end: 7}]};
	t.deepEqual(childKeys(node), ['flag', 'first', 'list']);
	const children = [];
	forEachChild(node, child => children.push(child.type));
	t.deepEqual(children, ['FunctionExpression', 'Identifier']);
});
