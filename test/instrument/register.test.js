// `node --import viztracer/register script`: instruments the program, takes
// its options from VIZTRACER_* variables and writes the trace when it exits.
import fs from 'node:fs';
import path from 'node:path';
import test from 'ava';
import {copyFixtures, loadTrace, named, parentOf, registerPath, rootDir, runNode, writeFiles} from './_helpers.js';

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

test('an invalid VIZTRACER_* value stops the program before it runs, naming the option', async t => {
	const directory = copyFixtures('exceptions.mjs');
	const traced = await runNode(['--import', registerPath, 'exceptions.mjs'], {cwd: directory, env: {...quiet, VIZTRACER_MAX_STACK_DEPTH: 'deep'}});
	t.not(traced.code, 0);
	t.is(traced.stdout, '');
	t.regex(traced.stderr, /maxStackDepth/);
});
