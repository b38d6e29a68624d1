// `node --test --import viztracer/node-test`: one trace per test, run as real
// `node --test` subprocesses on the project in test/fixtures/node-test.
import fs from 'node:fs';
import path from 'node:path';
import test from 'ava';
import {fixturesDir, readTestTraces, rootDir} from '../helpers/exec.js';
import {run, temporaryDirectory} from '../instrument/_helpers.js';

const preload = path.join(rootDir, 'dist', 'integrations', 'node-test.js');
const testFiles = ['test/esm-default.js', 'test/esm-named.mjs', 'test/commonjs.cjs'];

async function runNodeTest(env = {}, files = testFiles) {
	const project = temporaryDirectory();
	fs.cpSync(path.join(fixturesDir, 'node-test'), project, {recursive: true});
	const result = await run(process.execPath, ['--test', '--test-reporter=tap', '--import', preload, ...files], {cwd: project, env: {VIZTRACER_NO_CACHE: '1', ...env}});
	const outputDir = path.join(project, env.VIZTRACER_OUTPUT_DIR ?? 'viztracer-traces');
	return {...result, project, ...await readTestTraces(outputDir)};
}

const hasSpan = (trace, prefix) => trace.spans.some(name => name.startsWith(prefix));

test('writes one trace per test that ran, named from the file and full title, with the code under test\'s spans', async t => {
	const {code, stdout, project, names, traces} = await runNodeTest();
	t.is(code, 1, 'the failing test fails the run');
	t.regex(stdout, /# fail 1/);
	t.deepEqual(names, [
		'test-commonjs.cjs--multiplies.json',
		'test-esm-default.js--adds-numbers.json',
		'test-esm-default.js--callback-style.json',
		'test-esm-default.js--fails-explodes.json',
		'test-esm-default.js--skips-at-run-time.json',
		'test-esm-default.js--slow-test.json',
		'test-esm-default.js--todo-test.json',
		'test-esm-default.js--with-subtests.json',
		'test-esm-named.mjs--adds-again-2.json',
		'test-esm-named.mjs--adds-again.json',
		'test-esm-named.mjs--math-outer-adds-again.json',
		'test-esm-named.mjs--math-outer-inner-suite-adds.json',
	], 'a skipped test\'s body never runs, so it has no trace; equal titles get a suffix');

	const adds = traces['test-esm-default.js--adds-numbers.json'];
	t.like(adds.metadata, {name: 'adds numbers', fullName: 'adds numbers', file: path.join(project, 'test', 'esm-default.js'), status: 'pass'});
	t.is(typeof adds.metadata.durationMs, 'number');
	t.true(hasSpan(adds, 'add (lib.js:'), String(adds.spans));
	t.false(hasSpan(adds, 'explode'), 'each trace holds its own test only');

	const fails = traces['test-esm-default.js--fails-explodes.json'];
	t.is(fails.metadata.status, 'fail');
	t.true(hasSpan(fails, 'explode (lib.js:'));

	t.is(traces['test-esm-default.js--skips-at-run-time.json'].metadata.status, 'skip');
	t.is(traces['test-esm-default.js--todo-test.json'].metadata.status, 'todo');
	const slow = traces['test-esm-default.js--slow-test.json'];
	t.true(slow.metadata.durationMs >= 140, String(slow.metadata.durationMs));
	t.true(hasSpan(slow, 'slowWork (lib.js:'));
	t.true(hasSpan(traces['test-esm-default.js--with-subtests.json'], 'add (lib.js:'), 'subtests are part of their parent\'s trace');
	t.true(hasSpan(traces['test-esm-default.js--callback-style.json'], 'add (lib.js:'));

	t.like(traces['test-esm-named.mjs--math-outer-inner-suite-adds.json'].metadata, {name: 'adds?', fullName: 'math: outer > inner / suite > adds?', status: 'pass'});
	t.like(traces['test-commonjs.cjs--multiplies.json'].metadata, {name: 'multiplies', status: 'pass'});
	t.true(hasSpan(traces['test-commonjs.cjs--multiplies.json'], 'multiply (cjs-lib.cjs:'), 'require(\'node:test\') is traced too');
});

test('VIZTRACER_KEEP=failed keeps only the failed tests\' traces, in VIZTRACER_OUTPUT_DIR', async t => {
	const {names, traces} = await runNodeTest({VIZTRACER_KEEP: 'failed', VIZTRACER_OUTPUT_DIR: 'out/traces'}, ['test/esm-default.js']);
	t.deepEqual(names, ['test-esm-default.js--fails-explodes.json']);
	t.is(traces[names[0]].metadata.status, 'fail');
});

test('VIZTRACER_KEEP_SLOWER_THAN keeps only the tests slower than the threshold', async t => {
	const {names} = await runNodeTest({VIZTRACER_KEEP_SLOWER_THAN: '120'}, ['test/esm-default.js']);
	t.true(names.includes('test-esm-default.js--slow-test.json'), String(names));
	t.false(names.includes('test-esm-default.js--adds-numbers.json'), String(names));
});

test('a bad VIZTRACER_KEEP is reported by name, in one line without a stack trace', async t => {
	const {code, stdout, stderr, names} = await runNodeTest({VIZTRACER_KEEP: 'sometimes'}, ['test/commonjs.cjs']);
	t.not(code, 0);
	const output = stdout + stderr;
	t.regex(output, /viztracer: Invalid VIZTRACER_KEEP="sometimes" in the environment: expected `all` or `failed`/);
	t.notRegex(output, /^\s*#?\s+at /m, 'no stack trace');
	t.deepEqual(names, []);
});

// node:test reports a test at the place that called test()/it(): traced, that
// must still be the test file's line, not viztracer's wrapper.
const reportedLines = /location:|test at |^\s*(?:not )?ok \d+ |# Subtest:|^# (?:tests|pass|fail|skipped|todo) /;

for (const reporter of ['tap', 'spec']) {
	test(`failing tests are reported at the same locations as untraced (${reporter} reporter), in ES modules and CommonJS`, async t => {
		const files = ['test/locations.mjs', 'test/locations.cjs'];
		const project = temporaryDirectory();
		fs.cpSync(path.join(fixturesDir, 'node-test'), project, {recursive: true});
		const args = ['--test', `--test-reporter=${reporter}`];
		const [plain, traced] = await Promise.all([
			run(process.execPath, [...args, ...files], {cwd: project}),
			run(process.execPath, [...args, '--import', preload, ...files], {cwd: project, env: {VIZTRACER_NO_CACHE: '1'}}),
		]);
		const reported = output => output.split('\n').filter(line => reportedLines.test(line));
		t.is(plain.code, 1, 'the fixture has failing tests');
		t.is(traced.code, plain.code);
		const expected = reported(plain.stdout);
		t.true(expected.filter(line => line.includes('location') || line.includes('test at ')).length >= 4, expected.join('\n'));
		t.deepEqual(reported(traced.stdout), expected);
		t.false(reported(traced.stdout).some(line => line.includes('node-test/wrap.js')), 'no location points into viztracer');
		t.true(fs.readdirSync(path.join(project, 'viztracer-traces')).length > 0, 'the tests were traced');
	});
}
