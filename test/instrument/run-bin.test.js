// `viztracer --run <bin> args`: runs an npm bin from node_modules/.bin the way
// npx would, with its arguments, and traces its package.
import fs from 'node:fs';
import path from 'node:path';
import test from 'ava';
import {loadTrace, named, parentOf, run, runCli, temporaryDirectory, writeFiles} from './_helpers.js';

/** A project with two installed tools: a CommonJS one and an ES module one, linked from node_modules/.bin as npm does. */
function makeProject() {
	const directory = temporaryDirectory();
	writeFiles(directory, {
		'package.json': JSON.stringify({name: 'project', private: true}),
		'node_modules/fake-tool/package.json': JSON.stringify({name: 'fake-tool', version: '1.0.0', bin: {'fake-tool': 'cli.js'}}),
		'node_modules/fake-tool/cli.js': [
			'#!/usr/bin/env node',
			'\'use strict\';',
			'const {greet} = require(\'./lib.js\');',
			'',
			'function main(args) {',
			'\tconst input = args.includes(\'--stdin\') ? require(\'node:fs\').readFileSync(0, \'utf8\').trim() : \'\';',
			'\tconsole.log(greet([...args.filter(arg => arg !== \'--stdin\'), input].filter(Boolean).join(\' \')));',
			'\tif (args.includes(\'--fail\')) {',
			'\t\tprocess.exitCode = 5;',
			'\t}',
			'}',
			'',
			'main(process.argv.slice(2));',
			'',
		].join('\n'),
		'node_modules/fake-tool/lib.js': 'exports.greet = function greet(who) {\n\treturn `hello ${who}`;\n};\n',
		'node_modules/esm-tool/package.json': JSON.stringify({name: 'esm-tool', version: '1.0.0', type: 'module', bin: {'esm-tool': 'bin/run.js'}}),
		'node_modules/esm-tool/bin/run.js': '#!/usr/bin/env node\nimport {shout} from \'../index.js\';\n\nconsole.log(shout(process.argv.slice(2)));\n',
		'node_modules/esm-tool/index.js': 'export const shout = words => words.map(word => word.toUpperCase()).join(\' \');\n',
	});
	fs.mkdirSync(path.join(directory, 'node_modules', '.bin'));
	fs.symlinkSync('../fake-tool/cli.js', path.join(directory, 'node_modules', '.bin', 'fake-tool'));
	fs.symlinkSync('../esm-tool/bin/run.js', path.join(directory, 'node_modules', '.bin', 'esm-tool'));
	fs.chmodSync(path.join(directory, 'node_modules', 'fake-tool', 'cli.js'), 0o755);
	fs.chmodSync(path.join(directory, 'node_modules', 'esm-tool', 'bin', 'run.js'), 0o755);
	return directory;
}

test('--run finds a bin in node_modules/.bin, runs it with its arguments and traces its package', async t => {
	const directory = makeProject();
	const output = path.join(directory, 'trace.json');
	const [plain, traced] = await Promise.all([
		run(path.join(directory, 'node_modules', '.bin', 'fake-tool'), ['big', 'world'], {cwd: directory}),
		runCli(['-q', '-o', output, '--run', 'fake-tool', 'big', 'world'], {cwd: directory}),
	]);
	t.is(plain.code, 0, plain.stderr);
	t.is(traced.code, 0, traced.stderr);
	t.is(traced.stdout, 'hello big world\n');
	t.is(traced.stdout, plain.stdout);
	const {spans} = await loadTrace(output);
	const [main] = named(spans, 'main');
	t.is(main.file, path.join('node_modules', 'fake-tool', 'cli.js'));
	const [greet] = named(spans, 'greet');
	t.is(greet.name, `greet (${path.join('node_modules', 'fake-tool', 'lib.js')}:1:17)`);
	t.is(parentOf(spans, greet), main);
});

test('--run passes stdin through and keeps the bin\'s exit code', async t => {
	const directory = makeProject();
	const output = path.join(directory, 'trace.json');
	const traced = await runCli(['-q', '-o', output, '--run', 'fake-tool', '--stdin', '--fail'], {cwd: directory, input: 'from stdin\n'});
	t.is(traced.code, 5, traced.stderr);
	t.is(traced.stdout, 'hello --fail from stdin\n');
	t.is(named((await loadTrace(output)).spans, 'greet').length, 1);
});

test('--run runs an ES module bin and finds .bin from a subdirectory', async t => {
	const directory = makeProject();
	const cwd = path.join(directory, 'src', 'deeper');
	fs.mkdirSync(cwd, {recursive: true});
	const output = path.join(directory, 'trace.json');
	const traced = await runCli(['-q', '-o', output, '--run', 'esm-tool', 'quiet', 'words'], {cwd});
	t.is(traced.code, 0, traced.stderr);
	t.is(traced.stdout, 'QUIET WORDS\n');
	const {spans} = await loadTrace(output);
	t.deepEqual(named(spans, 'shout').map(span => span.file), [path.join('..', '..', 'node_modules', 'esm-tool', 'index.js')]);
	t.is(named(spans, '<anonymous>').length, 2, 'the map callback, once per word');
});

test('--run with a bin that is not installed exits 1 with a message naming it', async t => {
	const directory = makeProject();
	const output = path.join(directory, 'trace.json');
	const traced = await runCli(['-q', '-o', output, '--run', 'no-such-tool', 'arg'], {cwd: directory, env: {PATH: path.dirname(process.execPath)}});
	t.is(traced.code, 1);
	t.is(traced.stdout, '');
	t.regex(traced.stderr, /no-such-tool/);
	t.regex(traced.stderr, /node_modules\/\.bin/);
	t.false(fs.existsSync(output));
});

test('--run knows vitest and jest by their bins (it plugs their integrations into the run) and traces neither runner itself; other bins are traced with their package', async t => {
	const {testRunnerOf} = await import('../../dist/cli/test-runners.js');
	t.is(testRunnerOf('/p/node_modules/vitest/vitest.mjs'), 'vitest');
	t.is(testRunnerOf('/p/node_modules/jest-cli/bin/jest.js'), 'jest');
	t.is(testRunnerOf('/p/node_modules/jest/bin/jest.js'), 'jest');
	t.is(testRunnerOf('/p/node_modules/fake-tool/cli.js'), undefined);
	const directory = temporaryDirectory();
	fs.mkdirSync(path.join(directory, 'node_modules', '.bin'), {recursive: true});
	const vitest = path.resolve('node_modules', 'vitest');
	fs.symlinkSync(vitest, path.join(directory, 'node_modules', 'vitest'), 'dir');
	fs.symlinkSync(path.join('..', 'vitest', 'vitest.mjs'), path.join(directory, 'node_modules', '.bin', 'vitest'));
	const output = path.join(directory, 'trace.json');
	const result = await runCli(['-o', output, '--run', 'vitest', '--version'], {cwd: directory});
	t.is(result.code, 0, result.stderr);
	t.regex(result.stdout, /^vitest\/\d/);
	t.false((await loadTrace(output)).spans.some(span => span.name.includes('node_modules/vitest/')), 'vitest\'s own code is not traced');
	t.deepEqual(fs.readdirSync(path.join(directory, 'node_modules', '.cache', 'viztracer-vitest')), []);
});
