// `plugins: [viztracer()]` from viztracer/vitest in vitest.config.ts: the
// repo's vitest runs the fixture project of test/fixtures/vitest-project
// (TypeScript sources and tests), copied to a temporary directory where
// node_modules links to this package and to vitest, in a subprocess. Under
// every Node of VIZTRACER_TEST_NODES too.
import fs from 'node:fs';
import path from 'node:path';
import test from 'ava';
import {cliPath, fixturesDir, readTestTraces, readTrace, rootDir, testNodes} from '../helpers/exec.js';
import {run, temporaryDirectory} from '../instrument/_helpers.js';
import {runUntracedAndUnderRun} from './_run-runner.js';

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

test('viztracer --run vitest: the tests\' calls are in the run\'s trace, from the fork that ran them, with the project\'s own config left as it was', async t => {
	const directory = project();
	const config = path.join(directory, 'vitest.config.ts');
	fs.writeFileSync(config, fs.readFileSync(config, 'utf8').replace(/^import viztracer.*\n/m, '').replace('plugins: [viztracer()],', ''));
	const projectConfig = fs.readFileSync(config, 'utf8');
	const {untraced, traced, output, options} = await runUntracedAndUnderRun(directory, 'vitest', vitestCli, ['run', '--no-color']);
	t.is(traced.code, untraced.code, traced.stderr);
	t.regex(traced.stdout, /1 failed \| 2 passed \| 1 skipped/);
	t.is(failureLine(traced.stdout + traced.stderr), failureLine(untraced.stdout + untraced.stderr), 'the failure points at the same .ts line and column');
	t.notRegex(traced.stderr, /module runner/, 'no hint: the tests are traced');
	const trace = await readTrace(output);
	const processNames = new Map(trace.traceEvents.filter(event => event.name === 'process_name').map(event => [event.pid, event.args.name]));
	const spans = trace.traceEvents.filter(event => event.ph === 'X');
	const adds = spans.filter(event => event.name === 'Cart.add (src/cart.ts:6:2)');
	t.true(adds.length >= 2, `Cart.add spans: ${adds.length}`);
	t.true(spans.some(event => event.name === 'checkout (src/cart.ts:20:8)'));
	t.true(adds.every(event => processNames.get(event.pid) !== 'vitest.mjs'), 'run by vitest\'s worker, not its main process');
	t.false(fs.existsSync(path.join(directory, 'viztracer-traces')), 'no trace per test: the run has one');
	t.is(fs.readFileSync(config, 'utf8'), projectConfig);
	t.deepEqual(fs.readdirSync(path.join(directory, 'node_modules', '.cache', 'viztracer-vitest')), [], 'the run\'s config is gone with it');

	// A config named on the command line is the one wrapped; one that is not there is one line.
	fs.renameSync(config, path.join(directory, 'other.config.ts'));
	const named = await run(process.execPath, [cliPath, '-q', '-o', output, '--run', 'vitest', 'run', '--config', 'other.config.ts', '--no-color'], options);
	t.is(named.code, untraced.code, named.stderr);
	t.true((await readTrace(output)).traceEvents.some(event => event.name === 'Cart.add (src/cart.ts:6:2)'));
	const missing = await run(process.execPath, [cliPath, '-q', '-o', output, '--run', 'vitest', 'run', '--config=nope.config.ts'], options);
	t.is(missing.code, 2);
	t.is(missing.stderr, 'viztracer: --run vitest: no vitest config at nope.config.ts (from --config)\n');
});
