// `node --import viztracer/register script`: instruments the program, takes
// its options from VIZTRACER_* variables and writes the trace when it exits.
import fs from 'node:fs';
import path from 'node:path';
import test from 'ava';
import {copyFixtures, loadTrace, named, parentOf, registerPath, rootDir, runNode, temporaryDirectory, writeFiles} from '../instrument/_helpers.js';

const quiet = {VIZTRACER_VERBOSE: '0', VIZTRACER_NO_CACHE: '1'};

test('VIZTRACER_OUTPUT_FILE names the trace, which holds the spans of the ES modules and CommonJS files the program loads', async t => {
	const directory = copyFixtures('exceptions.mjs', 'project');
	const project = path.join(directory, 'project');
	writeFiles(project, {
		'node_modules/fake-esm/package.json': JSON.stringify({name: 'fake-esm', type: 'module', exports: './index.js'}),
		'node_modules/fake-esm/index.js': 'export const fromEsmPackage = () => \'from-esm-package\';\n',
		'node_modules/fake-cjs/index.js': 'exports.fromCjsPackage = () => \'from-cjs-package\';\n',
	});
	const output = path.join(directory, 'nested', 'dir', 'trace.json');
	fs.mkdirSync(path.dirname(output), {recursive: true});
	const traced = await runNode(['--import', registerPath, 'main.mjs'], {cwd: project, env: {...quiet, VIZTRACER_OUTPUT_FILE: output}});
	t.is(traced.code, 0, traced.stderr);
	t.is(traced.stdout, 'helper skipped old from-esm-package from-cjs-package\n');
	t.is(traced.stderr, '');
	const {spans} = await loadTrace(output);
	t.deepEqual(spans.map(span => span.name).sort(), [
		'helper (lib/util.mjs:1:8)',
		'main (main.mjs:13:1)',
		'old (lib/legacy.cjs:1:15)',
		'skipped (lib/skip.mjs:1:8)',
	]);
	for (const fn of ['helper', 'old', 'skipped']) {
		t.is(parentOf(spans, named(spans, fn)[0]).fn, 'main');
	}

	t.false(fs.existsSync(path.join(project, 'result.json')));
});

test('without VIZTRACER_OUTPUT_FILE the trace is result.json in the working directory, and the save is reported', async t => {
	const directory = copyFixtures('exceptions.mjs');
	const traced = await runNode(['--import', registerPath, 'exceptions.mjs'], {cwd: directory, env: {VIZTRACER_NO_CACHE: '1'}});
	t.is(traced.code, 0, traced.stderr);
	const output = path.join(directory, 'result.json');
	t.true(fs.existsSync(output));
	t.true(traced.stderr.includes('saved ') && traced.stderr.includes(output), traced.stderr);
	t.false(traced.stdout.includes('viztracer'), 'the report stays out of the program\'s stdout');
	const {spans} = await loadTrace(output);
	t.is(named(spans, 'catcher').length, 1);
});

test('VIZTRACER_* variables set the options: arguments, return values, exceptions, depth', async t => {
	const directory = copyFixtures('exceptions.mjs', 'options.mjs');
	const output = path.join(directory, 'trace.json');
	const traced = await runNode(['--import', registerPath, 'options.mjs'], {cwd: directory, env: {
		...quiet,
		VIZTRACER_OUTPUT_FILE: output,
		VIZTRACER_LOG_FUNC_ARGS: '1',
		VIZTRACER_LOG_FUNC_RETVAL: 'true',
		VIZTRACER_MAX_STACK_DEPTH: '2',
	}});
	t.is(traced.code, 0, traced.stderr);
	const {spans} = await loadTrace(output);
	t.deepEqual(named(spans, 'depth').map(span => span.args), [{func_args: {n: '4'}, return_value: '\'bottom\''}, {func_args: {n: '3'}, return_value: '\'bottom\''}]);

	const exceptionsOutput = path.join(directory, 'exceptions.json');
	const withExceptions = await runNode(['--import', registerPath, 'exceptions.mjs'], {cwd: directory, env: {...quiet, VIZTRACER_OUTPUT_FILE: exceptionsOutput, VIZTRACER_LOG_EXCEPTION: 'yes'}});
	t.is(withExceptions.code, 0, withExceptions.stderr);
	const {events} = await loadTrace(exceptionsOutput);
	t.is(events.filter(event => event.ph === 'i').length, 5);
});

test('`node --import viztracer/register` resolves through the package\'s exports', async t => {
	const directory = copyFixtures('exceptions.mjs');
	// The project depends on viztracer: node_modules/viztracer is this repository.
	fs.mkdirSync(path.join(directory, 'node_modules'));
	fs.symlinkSync(rootDir, path.join(directory, 'node_modules', 'viztracer'), 'dir');
	const output = path.join(directory, 'trace.json');
	const traced = await runNode(['--import', 'viztracer/register', 'exceptions.mjs'], {cwd: directory, env: {...quiet, VIZTRACER_OUTPUT_FILE: output}});
	t.is(traced.code, 0, traced.stderr);
	const {spans} = await loadTrace(output);
	t.is(named(spans, 'catcher').length, 1);
	t.true(spans.every(span => span.file === 'exceptions.mjs'), 'viztracer itself is not traced');
});

// A bad variable is one line naming the variable (what the user set, not the
// option behind it) and what it takes, and exit 2, as a bad CLI option.
for (const [variable, value, expected] of [
	['VIZTRACER_TRACER_ENTRIES', 'abc', 'an integer from 1 to 268435456'],
	['VIZTRACER_MAX_STACK_DEPTH', 'deep', 'an integer >= -1'],
	['VIZTRACER_INCLUDE_FILES', '[', 'a JSON array of paths or globs'],
	['VIZTRACER_EXCLUDE_FILES', '[""]', 'entry 0 to be a non-empty string'],
	['VIZTRACER_LOG_GC', 'maybe', 'one of 1, true, yes, on, 0, false, no, off'],
	['VIZTRACER_PLUGINS', '["a"', 'a JSON array of "module args" strings'],
	['VIZTRACER_OUTPUT_FILE', 'trace.txt', 'a file name ending in `.json`'],
]) {
	test(`an invalid ${variable} stops the program before it runs, with one line naming the variable`, async t => {
		const directory = copyFixtures('exceptions.mjs');
		const traced = await runNode(['--import', registerPath, 'exceptions.mjs'], {cwd: directory, env: {...quiet, [variable]: value}});
		t.is(traced.code, 2, traced.stderr);
		t.is(traced.stdout, '');
		t.true(traced.stderr.startsWith(`viztracer: Invalid ${variable}=${JSON.stringify(value)} in the environment: expected ${expected}`), traced.stderr);
		t.is(traced.stderr.trim().split('\n').length, 1, 'one line, no stack trace');
		t.false(/tracerEntries|maxStackDepth|includeFiles|excludeFiles|logGc|plugins|outputFile/.test(traced.stderr), 'the option behind the variable is not what the user set');
		t.false(fs.existsSync(path.join(directory, 'result.json')));
	});
}

test('include and exclude variables together are one line naming both variables', async t => {
	const directory = copyFixtures('exceptions.mjs');
	const traced = await runNode(['--import', registerPath, 'exceptions.mjs'], {cwd: directory, env: {...quiet, VIZTRACER_INCLUDE_FILES: 'a.js', VIZTRACER_EXCLUDE_FILES: 'b.js'}});
	t.is(traced.code, 2, traced.stderr);
	t.regex(traced.stderr, /^viztracer: Invalid VIZTRACER_EXCLUDE_FILES="b\.js" in the environment: expected unset when VIZTRACER_INCLUDE_FILES is given .*\n$/);
});

test('a VIZTRACER_OUTPUT_FILE where no directory can be made stops the program at once, naming the variable', async t => {
	const directory = copyFixtures('exceptions.mjs');
	fs.writeFileSync(path.join(directory, 'not-a-directory'), '');
	const outputs = [path.join(directory, 'not-a-directory', 'trace.json')];
	if (fs.existsSync('/proc/self')) {
		outputs.push('/proc/viztracer-no-such-directory/trace.json');
	}

	for (const output of outputs) {
		// eslint-disable-next-line no-await-in-loop
		const traced = await runNode(['--import', registerPath, 'exceptions.mjs'], {cwd: directory, env: {...quiet, VIZTRACER_OUTPUT_FILE: output}});
		t.is(traced.code, 2, traced.stderr);
		t.is(traced.stdout, '');
		t.true(traced.stderr.startsWith(`viztracer: Cannot write the trace to ${output} (VIZTRACER_OUTPUT_FILE sets where): `), traced.stderr);
		t.is(traced.stderr.trim().split('\n').length, 1, traced.stderr);
	}
});

test('a plugin that cannot be loaded from VIZTRACER_PLUGINS is one line and exit 1', async t => {
	const directory = copyFixtures('exceptions.mjs');
	const traced = await runNode(['--import', registerPath, 'exceptions.mjs'], {cwd: directory, env: {...quiet, VIZTRACER_PLUGINS: './no-such-plugin.mjs'}});
	t.is(traced.code, 1, traced.stderr);
	t.is(traced.stdout, '');
	t.regex(traced.stderr, /^viztracer: Cannot find plugin module '\.\/no-such-plugin\.mjs'.*\n$/);
});

test('SIGTERM to a program stuck in a synchronous loop ends it by SIGTERM at once, with its trace', async t => {
	const directory = temporaryDirectory();
	const output = path.join(directory, 'trace.json');
	const traced = await runNode(['--import', registerPath, path.join(rootDir, 'test', 'fixtures', 'cli', 'busy-forever.mjs')], {cwd: directory, env: {...quiet, VIZTRACER_OUTPUT_FILE: output}, onSpawn(child) {
		let seen = '';
		child.stdout.on('data', chunk => {
			seen += chunk;
			if (seen === 'ready\n') {
				child.kill('SIGTERM');
			}
		});
	}});
	t.is(traced.signal, 'SIGTERM', traced.stderr);
	t.is(traced.stderr, '');
	const {spans} = await loadTrace(output);
	t.is(named(spans, 'work').length, 1);
});

test('a program that freezes globalThis first exits as untraced, with its trace', async t => {
	const directory = temporaryDirectory();
	const output = path.join(directory, 'trace.json');
	const script = path.join(rootDir, 'test', 'fixtures', 'cli', 'freezes-globals.mjs');
	const [plain, traced] = await Promise.all([runNode([script], {cwd: directory}), runNode(['--import', registerPath, script], {cwd: directory, env: {...quiet, VIZTRACER_OUTPUT_FILE: output}})]);
	t.is(plain.code, 0, plain.stderr);
	t.is(traced.code, plain.code, traced.stderr);
	t.is(traced.stdout, plain.stdout);
	t.is(traced.stderr, '');
	const {spans} = await loadTrace(output);
	t.true(named(spans, 'fib').length > 0);
});
