// TypeScript run directly, under every Node of VIZTRACER_TEST_NODES (.ci/run
// installs 22 and 24) and the one running the tests (20 here). Where Node
// strips types itself (22.18+, 23.6+, 24), `.ts`, `.mts` and `.cts` files go
// through its stripper and are instrumented: traced and untraced runs print
// the same, byte for byte. Where it does not (20, 22 before 22.18), viztracer
// strips them with the stripper Node bundles, so they print what Node 22.18+
// prints untraced (kept in expected-output.txt), and fail as it fails there.
// Either way the spans and stack traces name the `.ts` lines and columns.
import fs from 'node:fs';
import path from 'node:path';
import test from 'ava';
import {cliPath, fixturesDir, readTrace, rootDir, run, temporaryDirectory, testNodes} from '../helpers/exec.js';

const corpus = path.join(fixturesDir, 'type-stripping');
const project = path.join(fixturesDir, 'typescript-project');
const expectedProjectOutput = fs.readFileSync(path.join(project, 'expected-output.txt'), 'utf8');
const nodes = testNodes();

const cases = {
	'app.ts': {spans: ['norm (app.ts:7:1)'], stdout: '5\n'},
	'esm.ts': {spans: ['name (esm.ts:4:8)', 'fail (esm.ts:8:1)'], stdout: 'b.ts\nError: boom\n    at fail (esm.ts:9:8)\n'},
	'lib.mts': {spans: ['swap (lib.mts:4:8)'], stdout: '2,1\n'},
};

const projectSpans = [
	'Circle.constructor (src/shapes.ts:8:2)',
	'Circle.area (src/shapes.ts:13:2)',
	'Circle.get radius (src/shapes.ts:17:2)',
	'Polygon.describe (src/shapes.ts:26:2)',
	'Square.constructor (src/shapes.ts:36:2)',
	'swap (src/util.ts:3:8)',
	'total (src/util.ts:7:22)',
	'later (src/util.ts:9:8)',
	'countTo (src/util.ts:14:8)',
	'fail (src/util.ts:20:8)',
	'legacyDouble (src/legacy.cts:2:1)',
];

const spanNames = async file => (await readTrace(file)).traceEvents.filter(event => event.ph === 'X').map(event => event.name);
const label = node => node === process.execPath ? '' : ` (under ${node})`;
const stripsTypes = async node => (await run(node, ['-p', 'Boolean(process.features.typescript)'])).stdout.trim() === 'true';

/** Runs `file` under the CLI (a fresh cache, so the transform runs) and returns the run and its span names. */
async function traced(node, file, cwd, extra = []) {
	const output = path.join(temporaryDirectory(), 'trace.json');
	const result = await run(node, [...extra, cliPath, '-q', '-o', output, '--', file], {cwd, env: {VIZTRACER_NO_CACHE: '1'}});
	return {...result, names: fs.existsSync(output) ? await spanNames(output) : []};
}

for (const node of nodes) {
	test(`TypeScript files print what Node prints for them untraced, and the spans name the .ts lines${label(node)}`, async t => {
		const native = await stripsTypes(node);
		for (const [fixture, {spans, stdout}] of Object.entries(cases)) {
			const file = path.join(corpus, fixture);
			// eslint-disable-next-line no-await-in-loop
			const result = await traced(node, file, corpus);
			t.is(result.stdout, stdout, `${fixture}: stdout`);
			t.is(result.stderr, '', `${fixture}: stderr`);
			t.is(result.code, 0, `${fixture}: exit code`);
			t.deepEqual(result.names.filter(name => spans.includes(name)).sort(), [...spans].sort(), `${fixture}: ${result.names.join(', ')}`);
			if (native) {
				// eslint-disable-next-line no-await-in-loop
				const untraced = await run(node, [file], {cwd: corpus});
				t.is(untraced.stdout, stdout, `${fixture}: untraced stdout`);
				t.is(untraced.stderr, '', `${fixture}: untraced stderr`);
			}
		}
	});

	test(`an enum fails with Node's own error, code and exit code, traced or not${label(node)}`, async t => {
		const enumFile = path.join(corpus, 'enum.ts');
		const result = await traced(node, enumFile, corpus);
		t.is(result.code, 1);
		t.is(result.stdout, '');
		t.regex(result.stderr, /SyntaxError \[ERR_UNSUPPORTED_TYPESCRIPT_SYNTAX\]: TypeScript enum is not supported in strip-only mode/);
		t.regex(result.stderr, /enum\.ts:2\n[^]*> enum Color \{/, 'the excerpt of the file, as Node shows it');
		t.notRegex(result.stderr, /dist\/instrument/, 'no frame of viztracer\'s loader');
		if (await stripsTypes(node)) {
			const untraced = await run(node, [enumFile], {cwd: corpus});
			t.is(untraced.code, result.code);
			t.regex(untraced.stderr, /SyntaxError \[ERR_UNSUPPORTED_TYPESCRIPT_SYNTAX\]: TypeScript enum is not supported in strip-only mode/);
		}
	});

	test(`a TypeScript project (ES modules, classes, generators, async, a .cts required) traced: same output, spans and stack traces at the .ts lines${label(node)}`, async t => {
		const main = path.join(project, 'src', 'main.ts');
		const result = await traced(node, main, project);
		t.is(result.stderr, '');
		t.is(result.code, 0);
		t.is(result.stdout, expectedProjectOutput);
		t.true(result.stdout.includes('at fail (src/util.ts:21:8)'), 'the stack trace points at the .ts line and column');
		for (const span of projectSpans) {
			t.true(result.names.includes(span), `${span} in ${result.names.join(', ')}`);
		}

		if (await stripsTypes(node)) {
			const untraced = await run(node, [main], {cwd: project});
			t.is(untraced.stdout, expectedProjectOutput, 'what Node prints untraced');
		}

		// The preload alone, as users run it: `node --import viztracer/register src/main.ts`.
		const output = path.join(temporaryDirectory(), 'trace.json');
		const preloaded = await run(node, ['--import', path.join(rootDir, 'dist', 'integrations', 'register.js'), main], {cwd: project, env: {VIZTRACER_NO_CACHE: '1', VIZTRACER_OUTPUT_FILE: output, VIZTRACER_VERBOSE: '0'}});
		t.is(preloaded.code, 0, preloaded.stderr);
		t.is(preloaded.stdout, expectedProjectOutput);
		const names = await spanNames(output);
		t.true(projectSpans.every(span => names.includes(span)), names.join(', '));
	});

	test(`--no-experimental-strip-types is honoured: a .ts file fails traced as it does untraced${label(node)}`, async t => {
		const file = path.join(corpus, 'app.ts');
		const untraced = await run(node, ['--no-experimental-strip-types', file], {cwd: corpus});
		if (untraced.code === 9 || /bad option/.test(untraced.stderr)) {
			t.log(`${node} has no --no-experimental-strip-types flag: nothing to test here`);
			t.pass();
			return;
		}

		const result = await traced(node, file, corpus, ['--no-experimental-strip-types']);
		t.not(untraced.code, 0);
		t.is(result.code, untraced.code);
		t.is(result.stdout, untraced.stdout);
	});
}

for (const node of nodes) {
	test(`--experimental-transform-types: enums, namespaces and parameter properties are transformed as Node does, and instrumented, with the .ts lines${label(node)}`, async t => {
		const file = path.join(corpus, 'transform.ts');
		const untraced = await run(node, ['--experimental-transform-types', file], {cwd: corpus});
		if (untraced.code !== 0 && /bad option|not allowed|ERR_UNKNOWN_FILE_EXTENSION/.test(untraced.stderr)) {
			t.log(`${node} has no --experimental-transform-types: nothing to test here`);
			t.pass();
			return;
		}

		t.is(untraced.code, 0, untraced.stderr);
		t.is(untraced.stdout, 'High\n    at fail (transform.ts:22:8)\n');
		const result = await traced(node, file, corpus, ['--experimental-transform-types']);
		t.is(result.stdout, untraced.stdout);
		const withoutPid = text => text.replaceAll(/\(node:\d+\)/g, '(node)');
		const inThreadHooks = (await run(node, ['-p', 'typeof require("node:module").registerHooks'])).stdout.trim() === 'function';
		if (inThreadHooks) {
			t.is(withoutPid(result.stderr), withoutPid(untraced.stderr), 'Node\'s warning for transform types, once, as untraced');
		} else {
			// Known, see the README: Node 22.7-22.14 strips in the module hooks' thread too, which warns again.
			t.log('without in-thread module hooks, Node\'s warning is printed by both threads');
			t.is(new Set(withoutPid(result.stderr).split('\n')).size, new Set(withoutPid(untraced.stderr).split('\n')).size);
		}

		t.is(result.code, 0);
		if ((await run(node, ['-p', 'typeof require("node:module").stripTypeScriptTypes'])).stdout.trim() !== 'function') {
			// Known, see the README: before 22.13 Node has no stripper to call, and the file Node transforms itself runs untraced.
			t.log(`${node} has no module.stripTypeScriptTypes: a file only --experimental-transform-types runs is not instrumented`);
			return;
		}

		for (const span of ['Gauge.constructor (transform.ts:14:2)', 'Gauge.read (transform.ts:16:2)', 'fail (transform.ts:21:1)']) {
			t.true(result.names.includes(span), `${span} in ${result.names.join(', ')}`);
		}

		t.true(result.names.some(name => name.startsWith('of (transform.ts:8:')), result.names.join(', '));
		t.false(result.names.some(name => name.startsWith('<anonymous>')), 'the functions that fill the enum and the namespace are not spans');
	});
}
