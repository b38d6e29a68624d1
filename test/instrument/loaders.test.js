// Other loaders in front of the tracer, in either order: tsx (ES modules and
// CommonJS), ts-node, @swc-node/register and esbuild-register compile the
// TypeScript, viztracer instruments what they made, with their source maps
// chained. Under every Node of VIZTRACER_TEST_NODES and the one running the
// tests, each run is compared with the same loader untraced: stdout, stderr
// and exit code byte for byte (the stack trace line the fixtures print
// included); the spans name the `.ts` files and lines, and none is a
// compiler's helper (`__name`, `__export` getters, the function that fills an
// enum).
import fs from 'node:fs';
import path from 'node:path';
import test from 'ava';
import {cliPath, fixturesDir, readTrace, rootDir, run as runSubprocess, temporaryDirectory, testNodes, withSubprocessSlot} from '../helpers/exec.js';

// Many tests of this file start Node at once, three Nodes each under CI: at most a few
// subprocesses run at a time, so a loaded machine slows them down instead of timing them out.
const run = (...args) => withSubprocessSlot(() => runSubprocess(...args));

const register = path.join(rootDir, 'dist', 'integrations', 'register.js');
const esmProject = path.join(fixturesDir, 'typescript-project');
const cjsProject = path.join(fixturesDir, 'loader-project');
const nodes = testNodes();

// Spans by name and `.ts` line (compilers map a function's start to slightly
// different columns), once per call: a generator's every resumption, and no
// compiler helper (those would add spans, `__export` getters named after the
// export at line 1 among them).
const esmSpans = [
	'Circle.constructor (src/shapes.ts:8)', 'Circle.area (src/shapes.ts:13)', 'Circle.get radius (src/shapes.ts:17)', 'Polygon.describe (src/shapes.ts:26)',
	'Square.constructor (src/shapes.ts:36)', 'Square.area (src/shapes.ts:41)', 'swap (src/util.ts:3)', 'total (src/util.ts:7)', 'later (src/util.ts:9)',
	...Array.from({length: 5}, () => 'countTo (src/util.ts:14)'), 'fail (src/util.ts:20)', 'legacyDouble (src/legacy.cts:2)',
];
const cjsSpans = [
	'describe (src/color.ts:8)', 'Account.constructor (src/color.ts:14)', 'Account.deposit (src/color.ts:16)', 'Account.get summary (src/color.ts:21)',
	'square (src/work.ts:10)', 'settle (src/work.ts:1)', 'explode (src/work.ts:12)', 'main (src/main.ts:5)',
];

/** Each loader, the project it runs, its flags before and after viztracer's, and the orders tried. */
const loaders = [
	{name: 'tsx (ES modules)', project: esmProject, loader: ['--import', 'tsx'], viztracer: ['--import', register], spans: esmSpans},
	{name: 'tsx (CommonJS)', project: cjsProject, loader: ['--import', 'tsx'], viztracer: ['--import', register], spans: cjsSpans},
	{name: 'tsx/cjs with -r', project: cjsProject, loader: ['-r', 'tsx/cjs'], viztracer: ['-r', register], spans: cjsSpans},
	{name: 'ts-node/register', project: cjsProject, loader: ['-r', 'ts-node/register'], viztracer: ['-r', register], spans: cjsSpans},
	{name: '@swc-node/register', project: cjsProject, loader: ['-r', '@swc-node/register'], viztracer: ['-r', register], spans: cjsSpans},
	// After it only: esbuild-register compiles every .js outside node_modules, viztracer's own here (an installed copy is in node_modules).
	{name: 'esbuild-register', project: cjsProject, loader: ['-r', 'esbuild-register'], viztracer: ['-r', register], spans: cjsSpans, orders: ['viztracer first']},
];

// What each Node has: in-thread module hooks (22.15+), and a require() of ES modules that warns (22.12, 23.0-23.4).
const nodeTraits = async node => {
	const [major, minor] = (await run(node, ['-p', 'process.versions.node'])).stdout.split('.').map(Number);
	const inThreadHooks = (await run(node, ['-p', 'typeof require("node:module").registerHooks'])).stdout.trim() === 'function';
	return {major, inThreadHooks, requireEsmWarns: (major === 22 && minor < 13) || (major === 23 && minor < 5)};
};

const traits = new Map();
let knownFrameGap = () => false;
test.before(async () => {
	for (const node of nodes) {
		// eslint-disable-next-line no-await-in-loop
		traits.set(node, await nodeTraits(node));
	}

	knownFrameGap = (node, name, order) => !traits.get(node).inThreadHooks && name === 'tsx (CommonJS)' && order === 'loader first';
});
const withoutFrame = text => text.replace(/^at explode \(.*\)$/m, 'at explode (…)');
const located = name => name.replace(/:(\d+):\d+\)$/, ':$1)');

for (const node of nodes) {
	const label = node === process.execPath ? '' : ` (under ${node})`;
	for (const {name, project, loader, viztracer, spans, orders = ['viztracer first', 'loader first']} of loaders) {
		test(`${name}, in either order: the loader's output instrumented, traced as it runs untraced${label}`, async t => {
			if (viztracer[0] === '-r' && traits.get(node).requireEsmWarns) {
				// Known, see the README: that Node warns when -r loads an ES module, viztracer/register among them.
				t.log(`${node} warns when -r loads an ES module: use --import viztracer/register there`);
				t.pass();
				return;
			}

			const main = path.join(project, 'src', 'main.ts');
			const untraced = await run(node, [...loader, main], {cwd: project});
			t.is(untraced.code, 0, untraced.stderr);
			t.regex(untraced.stdout, /at (fail|explode) \(src\/(util|work)\.ts:\d+:\d+\)/);
			for (const order of orders) {
				const output = path.join(temporaryDirectory(), 'trace.json');
				const flags = order === 'viztracer first' ? [...viztracer, ...loader] : [...loader, ...viztracer];
				// eslint-disable-next-line no-await-in-loop
				const traced = await run(node, [...flags, main], {cwd: project, env: {VIZTRACER_NO_CACHE: '1', VIZTRACER_OUTPUT_FILE: output, VIZTRACER_VERBOSE: '0'}});
				if (knownFrameGap(node, name, order)) {
					// Without in-thread hooks (Node 20, 22.12-22.14) the CommonJS modules tsx compiles run under a name no source map of instrumented code is found for.
					t.log(`${order}: the stack frame line differs without in-thread module hooks (known, see the README): ${traced.stdout.split('\n').at(-2).slice(0, 60)}…`);
					t.is(withoutFrame(traced.stdout), withoutFrame(untraced.stdout), `${order}: stdout`);
				} else {
					t.is(traced.stdout, untraced.stdout, `${order}: stdout`);
				}

				t.is(traced.stderr, untraced.stderr, `${order}: stderr`);
				t.is(traced.code, untraced.code, `${order}: exit code`);
				// eslint-disable-next-line no-await-in-loop
				const names = (await readTrace(output)).traceEvents.filter(event => event.ph === 'X').map(event => event.name);
				const own = names.filter(span => !span.includes('node_modules'));
				t.deepEqual(own.filter(span => !span.startsWith('<anonymous>')).map(span => located(span)).sort(), [...spans].sort(), `${order}: ${own.join(', ')}`);
			}
		});
	}

	test(`viztracer --run tsx: the program's spans come from the child tsx starts, and the parent waits for its trace${label}`, async t => {
		const main = path.join(esmProject, 'src', 'main.ts');
		const untraced = await run(node, [path.join(rootDir, 'node_modules', 'tsx', 'dist', 'cli.mjs'), main], {cwd: esmProject});
		const output = path.join(temporaryDirectory(), 'trace.json');
		const traced = await run(node, [cliPath, '-o', output, '--run', 'tsx', main], {cwd: esmProject, env: {VIZTRACER_NO_CACHE: '1'}});
		t.is(traced.code, 0, traced.stderr);
		t.is(traced.stdout, untraced.stdout);
		t.notRegex(traced.stderr, /no trace from child/);
		const trace = await readTrace(output);
		const spans = trace.traceEvents.filter(event => event.ph === 'X');
		const own = spans.filter(event => !event.name.includes('node_modules'));
		t.deepEqual(own.filter(event => !event.name.startsWith('<anonymous>')).map(event => located(event.name)).sort(), [...esmSpans].sort());
		const cliPid = spans.find(event => event.name.includes('node_modules/tsx/')).pid;
		t.true(own.every(event => event.pid !== cliPid), 'the program ran in tsx\'s child process');
	});
}

test('the fixture projects are what the loaders compile: a tsconfig for the CommonJS one, none needed for the ES module one', t => {
	t.true(fs.existsSync(path.join(cjsProject, 'tsconfig.json')));
	t.is(JSON.parse(fs.readFileSync(path.join(esmProject, 'package.json'), 'utf8')).type, 'module');
});

for (const node of nodes) {
	const label = node === process.execPath ? '' : ` (under ${node})`;
	test(`a .tsx file through tsx, in either order: instrumented, with the .tsx lines${label}`, async t => {
		const project = path.join(fixturesDir, 'tsx-project');
		const untraced = await run(node, ['--import', 'tsx', 'main.ts'], {cwd: project});
		t.is(untraced.code, 0, untraced.stderr);
		for (const flags of [['--import', 'tsx', '--import', register], ['--import', register, '--import', 'tsx']]) {
			const output = path.join(temporaryDirectory(), 'trace.json');
			// eslint-disable-next-line no-await-in-loop
			const traced = await run(node, [...flags, 'main.ts'], {cwd: project, env: {VIZTRACER_NO_CACHE: '1', VIZTRACER_OUTPUT_FILE: output, VIZTRACER_VERBOSE: '0'}});
			t.is(traced.stdout, untraced.stdout);
			t.is(traced.stderr, untraced.stderr);
			// eslint-disable-next-line no-await-in-loop
			const names = (await readTrace(output)).traceEvents.filter(event => event.ph === 'X').map(event => event.name);
			t.deepEqual(names.map(name => located(name)), ['h (view.tsx:1)', 'Greeting (view.tsx:3)', 'render (view.tsx:7)'], flags.join(' '));
		}
	});
}
