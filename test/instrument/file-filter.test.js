// Which files are instrumented: --include-files and --exclude-files (paths
// and globs), node_modules skipped by default and traced with
// --include-node-modules, in ES modules and CommonJS alike.
import path from 'node:path';
import test from 'ava';
import {copyFixtures, loadTrace, registerPath, runCli, runNode, writeFiles} from './_helpers.js';

const expectedOutput = 'helper skipped old from-esm-package from-cjs-package\n';

/** The project fixture in a temporary directory, with a CommonJS and an ES module package in its node_modules. */
function makeProject() {
	const directory = path.join(copyFixtures('project'), 'project');
	writeFiles(directory, {
		'node_modules/fake-esm/package.json': JSON.stringify({name: 'fake-esm', version: '1.0.0', type: 'module', exports: './index.js'}),
		'node_modules/fake-esm/index.js': 'export function fromEsmPackage() {\n\treturn inner();\n}\n\nconst inner = () => \'from-esm-package\';\n',
		'node_modules/fake-cjs/package.json': JSON.stringify({name: 'fake-cjs', version: '1.0.0', main: 'index.js'}),
		'node_modules/fake-cjs/index.js': 'exports.fromCjsPackage = function fromCjsPackage() {\n\treturn \'from-cjs-package\';\n};\n',
	});
	return directory;
}

/** Traces the project with `args` and returns the set of files that have spans, and the function names. */
async function traceProject(t, args = []) {
	const directory = makeProject();
	const output = path.join(directory, 'trace.json');
	const traced = await runCli(['-q', '-o', output, ...args, '--', 'main.mjs'], {cwd: directory});
	t.is(traced.code, 0, traced.stderr);
	t.is(traced.stdout, expectedOutput);
	t.is(traced.stderr, '');
	const {spans} = await loadTrace(output);
	return {directory, spans, files: [...new Set(spans.map(span => span.file))].sort(), functions: spans.map(span => span.fn).sort()};
}

const ownFiles = ['lib/legacy.cjs', 'lib/skip.mjs', 'lib/util.mjs', 'main.mjs'];
const packageFiles = ['node_modules/fake-cjs/index.js', 'node_modules/fake-esm/index.js'];

test('the fixture project prints the same untraced', async t => {
	const directory = makeProject();
	const plain = await runNode(['main.mjs'], {cwd: directory});
	t.is(plain.code, 0, plain.stderr);
	t.is(plain.stdout, expectedOutput);
});

test('by default the program\'s own files are traced and node_modules is not', async t => {
	const {files, functions} = await traceProject(t);
	t.deepEqual(files, ownFiles);
	t.deepEqual(functions, ['helper', 'main', 'old', 'skipped']);
});

test('--include-node-modules traces packages too, ES module and CommonJS', async t => {
	const {files, functions, spans} = await traceProject(t, ['--include-node-modules']);
	t.deepEqual(files, [...ownFiles, ...packageFiles].sort());
	t.deepEqual(functions, ['fromCjsPackage', 'fromEsmPackage', 'helper', 'inner', 'main', 'old', 'skipped']);
	t.true(spans.some(span => span.name === 'fromEsmPackage (node_modules/fake-esm/index.js:1:8)'));
	t.true(spans.some(span => span.name === 'fromCjsPackage (node_modules/fake-cjs/index.js:1:26)'));
	t.true(spans.some(span => span.name === 'inner (node_modules/fake-esm/index.js:5:15)'));
});

test('--include-files with a directory traces only the files below it', async t => {
	const {files} = await traceProject(t, ['--include-files', 'lib']);
	t.deepEqual(files, ['lib/legacy.cjs', 'lib/skip.mjs', 'lib/util.mjs']);
});

test('--include-files with file paths, relative and absolute, traces only those files', async t => {
	const directory = makeProject();
	const output = path.join(directory, 'trace.json');
	const traced = await runCli(['-q', '-o', output, '--include-files', 'lib/util.mjs', path.join(directory, 'lib', 'legacy.cjs'), '--', 'main.mjs'], {cwd: directory});
	t.is(traced.code, 0, traced.stderr);
	const {spans} = await loadTrace(output);
	t.deepEqual([...new Set(spans.map(span => span.file))].sort(), ['lib/legacy.cjs', 'lib/util.mjs']);
});

test('--include-files with a glob traces the files it matches', async t => {
	const {files} = await traceProject(t, ['--include-files', '**/*.cjs']);
	t.deepEqual(files, ['lib/legacy.cjs']);
});

test('--include-files naming a package under node_modules traces it without --include-node-modules', async t => {
	const {files} = await traceProject(t, ['--include-files', 'node_modules/fake-cjs', 'main.mjs']);
	t.deepEqual(files, ['main.mjs', 'node_modules/fake-cjs/index.js']);
});

test('--exclude-files with a path leaves that file untraced', async t => {
	const {files} = await traceProject(t, ['--exclude-files', 'lib/skip.mjs']);
	t.deepEqual(files, ['lib/legacy.cjs', 'lib/util.mjs', 'main.mjs']);
});

test('--exclude-files with a directory or a glob leaves the matching files untraced', async t => {
	t.deepEqual((await traceProject(t, ['--exclude-files', 'lib'])).files, ['main.mjs']);
	t.deepEqual((await traceProject(t, ['--exclude-files', 'lib/*.mjs'])).files, ['lib/legacy.cjs', 'main.mjs']);
});

test('--exclude-files also leaves packages untraced under --include-node-modules', async t => {
	const {files} = await traceProject(t, ['--include-node-modules', '--exclude-files', '**/fake-esm/**', 'lib/legacy.cjs']);
	t.deepEqual(files, ['lib/skip.mjs', 'lib/util.mjs', 'main.mjs', 'node_modules/fake-cjs/index.js']);
});

test('--include-files and --exclude-files together are refused before the script runs', async t => {
	const directory = makeProject();
	const output = path.join(directory, 'trace.json');
	const traced = await runCli(['-q', '-o', output, '--include-files', 'lib', '--exclude-files', 'lib/skip.mjs', '--', 'main.mjs'], {cwd: directory});
	t.is(traced.code, 2);
	t.is(traced.stdout, '');
	t.regex(traced.stderr, /--exclude-files/);
});

test('under viztracer/register, VIZTRACER_INCLUDE_NODE_MODULES and VIZTRACER_EXCLUDE_FILES choose the files', async t => {
	const directory = makeProject();
	const output = path.join(directory, 'trace.json');
	const traced = await runNode(['--import', registerPath, 'main.mjs'], {cwd: directory, env: {
		VIZTRACER_OUTPUT_FILE: output,
		VIZTRACER_VERBOSE: '0',
		VIZTRACER_NO_CACHE: '1',
		VIZTRACER_INCLUDE_NODE_MODULES: '1',
		VIZTRACER_EXCLUDE_FILES: JSON.stringify(['lib', 'node_modules/fake-cjs']),
	}});
	t.is(traced.code, 0, traced.stderr);
	t.is(traced.stdout, expectedOutput);
	const {spans} = await loadTrace(output);
	t.deepEqual([...new Set(spans.map(span => span.file))].sort(), ['main.mjs', 'node_modules/fake-esm/index.js']);
});
