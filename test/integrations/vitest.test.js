// `plugins: [viztracer()]` from viztracer/vitest in vitest.config.ts: the
// repo's vitest runs the fixture project of test/fixtures/vitest-project
// (TypeScript sources and tests), copied to a temporary directory where
// node_modules links to this package and to vitest, in a subprocess. Under
// every Node of VIZTRACER_TEST_NODES too.
import fs from 'node:fs';
import path from 'node:path';
import test from 'ava';
import {fixturesDir, readTestTraces, rootDir, testNodes} from '../helpers/exec.js';
import {run, temporaryDirectory} from '../instrument/_helpers.js';

const vitestCli = path.join(rootDir, 'node_modules', 'vitest', 'vitest.mjs');

function project() {
	const directory = temporaryDirectory();
	fs.cpSync(path.join(fixturesDir, 'vitest-project'), directory, {recursive: true});
	fs.mkdirSync(path.join(directory, 'node_modules'));
	fs.symlinkSync(rootDir, path.join(directory, 'node_modules', 'viztracer'), 'dir');
	fs.symlinkSync(path.join(rootDir, 'node_modules', 'vitest'), path.join(directory, 'node_modules', 'vitest'), 'dir');
	return directory;
}

async function runVitest(node, directory, env = {}, config = 'vitest.config.ts') {
	const result = await run(node, [vitestCli, 'run', '--config', config, '--no-color'], {cwd: directory, env: {CI: '1', NO_COLOR: '1', ...env}, timeout: 120_000});
	return {...result, output: result.stdout + result.stderr, ...await readTestTraces(path.join(directory, env.VIZTRACER_OUTPUT_DIR ?? 'viztracer-traces'))};
}

const failureLine = output => /❯ test\/cart\.test\.ts:(\d+:\d+)/.exec(output)?.[1];

for (const node of testNodes()) {
	const label = node === process.execPath ? '' : ` (under ${node})`;
	test(`one trace per test, named and described as for node:test, with the .ts sources' spans; the run reports as untraced${label}`, async t => {
		const directory = project();
		fs.writeFileSync(path.join(directory, 'vitest.plain.config.ts'), fs.readFileSync(path.join(directory, 'vitest.config.ts'), 'utf8').replace(/^import viztracer.*\n/m, '').replace('plugins: [viztracer()],', ''));
		const untraced = await runVitest(node, directory, {}, 'vitest.plain.config.ts');
		t.deepEqual(untraced.names, []);
		const traced = await runVitest(node, directory);
		t.is(traced.code, untraced.code, traced.output);
		t.is(traced.code, 1, 'one test fails on purpose');
		t.regex(traced.output, /1 failed \| 2 passed \| 1 skipped/);
		t.is(failureLine(traced.output), failureLine(untraced.output), 'the failure points at the same .ts line and column');
		t.is(failureLine(traced.output), '16:56');
		t.deepEqual(traced.names, ['test-cart.test.ts--cart-adds-up-its-lines.json', 'test-cart.test.ts--cart-checks-out.json', 'test-cart.test.ts--fails-on-purpose.json']);
		const adds = traced.traces['test-cart.test.ts--cart-adds-up-its-lines.json'];
		t.like(adds.metadata, {name: 'adds up its lines', fullName: 'cart > adds up its lines', file: path.join(directory, 'test', 'cart.test.ts'), status: 'pass'});
		t.true(adds.metadata.durationMs >= 0);
		t.deepEqual(adds.spans.filter(name => name.startsWith('Cart.add (')), ['Cart.add (src/cart.ts:6:2)', 'Cart.add (src/cart.ts:6:2)']);
		t.deepEqual(adds.spans.filter(name => name.startsWith('lineTotal (')), ['lineTotal (src/cart.ts:16:8)', 'lineTotal (src/cart.ts:16:8)']);
		t.true(adds.spans.includes('Cart.total (src/cart.ts:11:2)'));
		t.false(adds.spans.some(name => name.startsWith('checkout')), 'another test\'s calls are not in this one\'s trace');
		t.true(traced.traces['test-cart.test.ts--cart-checks-out.json'].spans.includes('checkout (src/cart.ts:20:8)'));
		t.like(traced.traces['test-cart.test.ts--fails-on-purpose.json'].metadata, {status: 'fail', fullName: 'fails on purpose'});
	});
}

test('VIZTRACER_KEEP=failed and VIZTRACER_OUTPUT_DIR, as for node:test', async t => {
	const directory = project();
	const result = await runVitest(process.execPath, directory, {VIZTRACER_KEEP: 'failed', VIZTRACER_OUTPUT_DIR: 'kept'});
	t.is(result.code, 1, result.output);
	t.deepEqual(result.names, ['test-cart.test.ts--fails-on-purpose.json']);
	t.false(fs.existsSync(path.join(directory, 'viztracer-traces')));
});

test('VIZTRACER_LOG_FUNC_ARGS reaches the plugin: arguments are recorded', async t => {
	const directory = project();
	const output = path.join(directory, 'viztracer-traces', 'test-cart.test.ts--fails-on-purpose.json');
	const result = await runVitest(process.execPath, directory, {VIZTRACER_LOG_FUNC_ARGS: '1'});
	t.is(result.code, 1, result.output);
	const trace = JSON.parse(fs.readFileSync(output, 'utf8'));
	const span = trace.traceEvents.find(event => event.ph === 'X' && event.name.startsWith('lineTotal ('));
	t.truthy(span?.args?.func_args?.item, JSON.stringify(span));
});
