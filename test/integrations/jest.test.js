// `module.exports = require('viztracer/jest').withViztracer({...})` in
// jest.config.js: the repo's jest runs the fixture project of
// test/fixtures/jest-project (TypeScript through ts-jest), copied to a
// temporary directory where node_modules links to this package, jest,
// ts-jest and typescript, in a subprocess. Under every Node of
// VIZTRACER_TEST_NODES too.
import fs from 'node:fs';
import path from 'node:path';
import test from 'ava';
import {cliPath, fixturesDir, readTestTraces, readTrace, rootDir, testNodes} from '../helpers/exec.js';
import {run, temporaryDirectory} from '../instrument/_helpers.js';
import {runUntracedAndUnderRun} from './_run-runner.js';

const jestCli = path.join(rootDir, 'node_modules', 'jest', 'bin', 'jest.js');

function project() {
	const directory = temporaryDirectory();
	fs.cpSync(path.join(fixturesDir, 'jest-project'), directory, {recursive: true});
	fs.mkdirSync(path.join(directory, 'node_modules'));
	fs.symlinkSync(rootDir, path.join(directory, 'node_modules', 'viztracer'), 'dir');
	for (const name of ['jest', 'ts-jest', 'typescript']) {
		fs.symlinkSync(path.join(rootDir, 'node_modules', name), path.join(directory, 'node_modules', name), 'dir');
	}

	return directory;
}

async function runJest(node, directory, env = {}, config = 'jest.config.js') {
	const result = await run(node, [jestCli, '--config', config, '--no-cache', '--ci'], {cwd: directory, env: {CI: '1', NO_COLOR: '1', ...env}, timeout: 120_000});
	return {...result, output: result.stdout + result.stderr, ...await readTestTraces(path.join(directory, env.VIZTRACER_OUTPUT_DIR ?? 'viztracer-traces'))};
}

const failureFrame = output => /at Object\.<anonymous> \((test\/inventory\.test\.ts:\d+:\d+)\)/.exec(output)?.[1];

for (const node of testNodes()) {
	const label = node === process.execPath ? '' : ` (under ${node})`;
	test(`one trace per test through the project's transformer and environment, with the .ts sources' spans; the run reports as untraced${label}`, async t => {
		const directory = project();
		fs.writeFileSync(path.join(directory, 'jest.plain.config.js'), fs.readFileSync(path.join(directory, 'jest.config.js'), 'utf8').replace('require(\'viztracer/jest\').withViztracer(', '('));
		const untraced = await runJest(node, directory, {}, 'jest.plain.config.js');
		t.deepEqual(untraced.names, []);
		const traced = await runJest(node, directory);
		t.is(traced.code, untraced.code, traced.output);
		t.is(traced.code, 1, 'one test fails on purpose');
		t.regex(traced.output, /Tests:\s+1 failed, 2 passed, 3 total/);
		t.is(failureFrame(traced.output), failureFrame(untraced.output), 'the failure points at the same .ts line and column');
		t.is(failureFrame(traced.output), 'test/inventory.test.ts:16:46');
		t.deepEqual(traced.names, ['test-inventory.test.ts--fails-on-purpose.json', 'test-inventory.test.ts--inventory-receives-stock.json', 'test-inventory.test.ts--inventory-restocks.json']);
		const receives = traced.traces['test-inventory.test.ts--inventory-receives-stock.json'];
		t.like(receives.metadata, {name: 'receives stock', fullName: 'inventory > receives stock', file: path.join(directory, 'test', 'inventory.test.ts'), status: 'pass'});
		t.deepEqual(receives.spans.filter(name => name.startsWith('Inventory.receive (')), ['Inventory.receive (src/inventory.ts:11:2)', 'Inventory.receive (src/inventory.ts:11:2)']);
		t.true(receives.spans.includes('Inventory.constructor (src/inventory.ts:9:2)'));
		t.false(receives.spans.some(name => name.startsWith('restock (')), 'another test\'s calls are not in this one\'s trace');
		t.false(receives.spans.some(name => /^<anonymous> \(src\/inventory\.ts:1:/.test(name)), 'the function that fills the enum is not a span');
		t.true(traced.traces['test-inventory.test.ts--inventory-restocks.json'].spans.includes('restock (src/inventory.ts:21:8)'));
		t.like(traced.traces['test-inventory.test.ts--fails-on-purpose.json'].metadata, {status: 'fail'});
	});
}

test('VIZTRACER_KEEP=failed and VIZTRACER_OUTPUT_DIR, as for node:test', async t => {
	const directory = project();
	const result = await runJest(process.execPath, directory, {VIZTRACER_KEEP: 'failed', VIZTRACER_OUTPUT_DIR: 'kept'});
	t.is(result.code, 1, result.output);
	t.deepEqual(result.names, ['test-inventory.test.ts--fails-on-purpose.json']);
});

test('withViztracer wraps the default transformer (babel-jest) and environment when the config names none, and each project of `projects`', async t => {
	const {withViztracer} = await import('../../dist/integrations/jest.js');
	const wrapped = withViztracer({testMatch: ['**/*.test.js']});
	t.deepEqual(Object.keys(wrapped.transform), ['\\.[jt]sx?$']);
	t.like(wrapped.transform['\\.[jt]sx?$'][1], {inner: 'babel-jest'});
	t.regex(wrapped.testEnvironment, /jest-environment\.js$/);
	t.is(wrapped.testEnvironmentOptions.viztracerInnerEnvironment, 'node');
	t.deepEqual(wrapped.testMatch, ['**/*.test.js']);
	t.is(withViztracer(wrapped), wrapped, 'wrapping twice changes nothing');
	const multi = withViztracer({projects: ['packages/a', {displayName: 'b', testEnvironment: 'jsdom'}]});
	t.is(multi.projects[0], 'packages/a');
	t.is(multi.projects[1].testEnvironmentOptions.viztracerInnerEnvironment, 'jsdom');
	// A plain JavaScript project through the default transformer.
	const directory = temporaryDirectory();
	fs.mkdirSync(path.join(directory, 'node_modules'));
	fs.symlinkSync(rootDir, path.join(directory, 'node_modules', 'viztracer'), 'dir');
	fs.symlinkSync(path.join(rootDir, 'node_modules', 'jest'), path.join(directory, 'node_modules', 'jest'), 'dir');
	fs.writeFileSync(path.join(directory, 'jest.config.js'), 'module.exports = require(\'viztracer/jest\').withViztracer({});\n');
	fs.writeFileSync(path.join(directory, 'sum.js'), 'function sum(a, b) {\n\treturn a + b;\n}\n\nmodule.exports = {sum};\n');
	fs.writeFileSync(path.join(directory, 'sum.test.js'), 'const {sum} = require(\'./sum\');\n\ntest(\'sums\', () => {\n\texpect(sum(1, 2)).toBe(3);\n});\n');
	const result = await runJest(process.execPath, directory);
	t.is(result.code, 0, result.output);
	t.deepEqual(result.names, ['sum.test.js--sums.json']);
	t.true(result.traces['sum.test.js--sums.json'].spans.includes('sum (sum.js:1:1)'));
});

test('viztracer --run jest: the tests\' calls are in the run\'s trace, through the project\'s own transformer and config, with no trace per test', async t => {
	const directory = project();
	const config = path.join(directory, 'jest.config.js');
	fs.writeFileSync(config, fs.readFileSync(config, 'utf8').replace('require(\'viztracer/jest\').withViztracer(', '('));
	const projectConfig = fs.readFileSync(config, 'utf8');
	const {untraced, traced, output, options} = await runUntracedAndUnderRun(directory, 'jest', jestCli, ['--no-cache', '--ci']);
	t.is(traced.code, untraced.code, traced.stderr);
	t.regex(traced.stderr, /Tests:\s+1 failed, 2 passed, 3 total/);
	t.is(failureFrame(traced.stderr), failureFrame(untraced.stderr), 'the failure points at the same .ts line and column');
	const spans = (await readTrace(output)).traceEvents.filter(event => event.ph === 'X').map(event => event.name);
	t.is(spans.filter(name => name === 'Inventory.receive (src/inventory.ts:11:2)').length, 3);
	t.true(spans.includes('restock (src/inventory.ts:21:8)'));
	t.false(spans.some(name => name.includes('node_modules/')), 'neither jest nor ts-jest is traced: the tests are what --run jest is for');
	t.false(fs.existsSync(path.join(directory, 'viztracer-traces')));
	t.is(fs.readFileSync(config, 'utf8'), projectConfig);
	t.deepEqual(fs.readdirSync(path.join(directory, 'node_modules', '.cache', 'viztracer-jest')), []);

	// The config --config names is the one read, and the CLI's options reach the transform (jest runs one test file in its own process).
	fs.renameSync(config, path.join(directory, 'other.config.js'));
	const named = await run(process.execPath, [cliPath, '-q', '--log-func-args', '-o', output, '--run', 'jest', '--config', 'other.config.js', '--no-cache', '--ci'], options);
	t.is(named.code, untraced.code, named.stderr);
	const restock = (await readTrace(output)).traceEvents.find(event => event.name === 'restock (src/inventory.ts:21:8)');
	t.truthy(restock?.args?.func_args, JSON.stringify(restock));
});
