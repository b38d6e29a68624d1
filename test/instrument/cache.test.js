// The transform cache: the first run writes an entry per instrumented file,
// later runs reuse them, a changed source or changed options make new ones,
// and VIZTRACER_NO_CACHE=1 writes none.
import fs from 'node:fs';
import path from 'node:path';
import test from 'ava';
import {copyFixtures, loadTrace, runCli, temporaryDirectory, writeFiles} from './_helpers.js';

/** Every file under `directory`, relative, with its modification time in ns. */
function entriesOf(directory) {
	if (!fs.existsSync(directory)) {
		return new Map();
	}

	return new Map(fs.readdirSync(directory, {recursive: true})
		.filter(name => fs.statSync(path.join(directory, name)).isFile())
		.map(name => [name, fs.statSync(path.join(directory, name), {bigint: true}).mtimeNs]));
}

function makeProject() {
	const directory = path.join(copyFixtures('project'), 'project');
	writeFiles(directory, {
		'node_modules/fake-esm/package.json': JSON.stringify({name: 'fake-esm', type: 'module', exports: './index.js'}),
		'node_modules/fake-esm/index.js': 'export const fromEsmPackage = () => \'from-esm-package\';\n',
		'node_modules/fake-cjs/index.js': 'exports.fromCjsPackage = () => \'from-cjs-package\';\n',
	});
	return directory;
}

async function traceWithCache(directory, cacheDir, args = [], env = {}) {
	const output = path.join(directory, 'trace.json');
	const result = await runCli(['-q', '-o', output, ...args, 'main.mjs'], {cwd: directory, env: {VIZTRACER_NO_CACHE: undefined, VIZTRACER_CACHE_DIR: cacheDir, ...env}});
	if (!fs.existsSync(output)) {
		throw new Error(`no trace was written (exit code ${result.code}, signal ${result.signal}): ${result.stderr}`);
	}

	const {spans} = await loadTrace(output);
	return {...result, names: [...new Set(spans.map(span => span.name))].sort()};
}

test('the first run writes a cache entry per instrumented file, and the second reuses them without rewriting', async t => {
	const directory = makeProject();
	const cacheDir = path.join(temporaryDirectory(), 'cache');
	const first = await traceWithCache(directory, cacheDir);
	t.is(first.code, 0, first.stderr);
	const entries = entriesOf(cacheDir);
	// main.mjs, lib/util.mjs, lib/skip.mjs (ES modules) and lib/legacy.cjs (CommonJS); not node_modules.
	t.is(entries.size, 4, [...entries.keys()].join('\n'));
	for (const name of entries.keys()) {
		t.regex(name, /^[\da-f]{2}[/\\][\da-f]{40}\.js$/);
	}

	const second = await traceWithCache(directory, cacheDir);
	t.is(second.code, 0, second.stderr);
	t.is(second.stdout, first.stdout);
	t.deepEqual(second.names, first.names);
	t.deepEqual(entriesOf(cacheDir), entries, 'no entry was added or rewritten');
	t.deepEqual(first.names.map(name => name.split(' ')[0]), ['helper', 'main', 'old', 'skipped']);
});

test('a cached entry holds the instrumented code with its source map', async t => {
	const directory = makeProject();
	const cacheDir = path.join(temporaryDirectory(), 'cache');
	await traceWithCache(directory, cacheDir);
	const texts = [...entriesOf(cacheDir).keys()].map(name => fs.readFileSync(path.join(cacheDir, name), 'utf8'));
	const util = texts.find(text => text.includes('export function helper()'));
	t.truthy(util);
	t.regex(util, /__viztracer/);
	t.regex(util, /\/\/# sourceMappingURL=data:application\/json;charset=utf-8;base64,/);
});

test('changing a source file adds a new entry and the new code runs', async t => {
	const directory = makeProject();
	const cacheDir = path.join(temporaryDirectory(), 'cache');
	await traceWithCache(directory, cacheDir);
	const before = entriesOf(cacheDir);
	writeFiles(directory, {'lib/util.mjs': 'export function helper() {\n\treturn renamed();\n}\n\nfunction renamed() {\n\treturn \'changed\';\n}\n'});
	const changed = await traceWithCache(directory, cacheDir);
	t.is(changed.code, 0, changed.stderr);
	t.is(changed.stdout, 'changed skipped old from-esm-package from-cjs-package\n');
	t.true(changed.names.some(name => name.startsWith('renamed (lib/util.mjs:5:1)')));
	const after = entriesOf(cacheDir);
	t.is(after.size, before.size + 1);
	for (const [name, mtime] of before) {
		t.is(after.get(name), mtime, `${name} is untouched`);
	}
});

test('changing the options that shape the code (--log-func-args) makes new entries', async t => {
	const directory = makeProject();
	const cacheDir = path.join(temporaryDirectory(), 'cache');
	await traceWithCache(directory, cacheDir);
	const plainEntries = entriesOf(cacheDir);
	const withArgs = await traceWithCache(directory, cacheDir, ['--log-func-args']);
	t.is(withArgs.code, 0, withArgs.stderr);
	const afterArgs = entriesOf(cacheDir);
	t.is(afterArgs.size, plainEntries.size * 2);
	// And those are reused in turn.
	await traceWithCache(directory, cacheDir, ['--log-func-args']);
	t.deepEqual(entriesOf(cacheDir), afterArgs);
	// The spans of the run with arguments carry them, so the entry was not the plain one.
	const output = path.join(directory, 'trace.json');
	const {spans} = await loadTrace(output);
	t.true(spans.every(span => span.args && 'func_args' in span.args));
});

test('--include-node-modules adds entries for the packages only', async t => {
	const directory = makeProject();
	const cacheDir = path.join(temporaryDirectory(), 'cache');
	await traceWithCache(directory, cacheDir);
	const before = entriesOf(cacheDir);
	const traced = await traceWithCache(directory, cacheDir, ['--include-node-modules']);
	t.is(traced.code, 0, traced.stderr);
	t.is(entriesOf(cacheDir).size, before.size + 2);
});

test('VIZTRACER_NO_CACHE=1 writes no entries', async t => {
	const directory = makeProject();
	const cacheDir = path.join(temporaryDirectory(), 'cache');
	const traced = await traceWithCache(directory, cacheDir, [], {VIZTRACER_NO_CACHE: '1'});
	t.is(traced.code, 0, traced.stderr);
	t.is(traced.names.length, 4);
	t.is(entriesOf(cacheDir).size, 0);
	t.false(fs.existsSync(path.join(directory, 'node_modules', '.cache')));
});

test('without VIZTRACER_CACHE_DIR the cache lives in node_modules/.cache/viztracer of the working directory', async t => {
	const directory = makeProject();
	const traced = await traceWithCache(directory, undefined);
	t.is(traced.code, 0, traced.stderr);
	t.is(entriesOf(path.join(directory, 'node_modules', '.cache', 'viztracer')).size, 4);
});

test('a cache directory that cannot be written is skipped, and the program is still traced', async t => {
	const directory = makeProject();
	// A file where the cache directory should be: nothing can be created below it.
	const blocked = path.join(temporaryDirectory(), 'not-a-directory');
	fs.writeFileSync(blocked, '');
	const traced = await traceWithCache(directory, blocked);
	t.is(traced.code, 0, traced.stderr);
	t.is(traced.stderr, '');
	t.is(traced.stdout, 'helper skipped old from-esm-package from-cjs-package\n');
	t.is(traced.names.length, 4);
});

test('the same file at another path does not reuse the entry: its stack traces name its own path', async t => {
	const cacheDir = path.join(temporaryDirectory(), 'cache');
	const [first, second] = [copyFixtures('stack-traces.mjs'), copyFixtures('stack-traces.mjs')];
	for (const directory of [first, second]) {
		const traced = await runCli(['-q', '-o', path.join(directory, 'trace.json'), 'stack-traces.mjs'], {cwd: directory, env: {VIZTRACER_NO_CACHE: undefined, VIZTRACER_CACHE_DIR: cacheDir}});
		t.is(traced.code, 0, traced.stderr);
		t.true(traced.stdout.includes(`at oneLiner (${path.join(directory, 'stack-traces.mjs')}:4:29)`), traced.stdout);
	}

	t.is(entriesOf(cacheDir).size, 2);
});

test('a changed source map beside an unchanged file makes a new entry, so names follow the map', async t => {
	const directory = temporaryDirectory();
	const cacheDir = path.join(temporaryDirectory(), 'cache');
	// Line 1 of app.js comes from line 1 of app.src.js, then (after the map changes) from line 5.
	const mapTo = line => JSON.stringify({version: 3, file: 'app.js', sources: ['app.src.js'], names: [], mappings: line === 1 ? 'AAAA' : 'AAIA'});
	writeFiles(directory, {
		'app.js': 'function hello() { return \'hi\'; }\nconsole.log(hello());\n//# sourceMappingURL=app.js.map\n',
		'app.js.map': mapTo(1),
	});
	const names = async () => {
		const output = path.join(directory, 'trace.json');
		const traced = await runCli(['-q', '-o', output, 'app.js'], {cwd: directory, env: {VIZTRACER_NO_CACHE: undefined, VIZTRACER_CACHE_DIR: cacheDir}});
		t.is(traced.code, 0, traced.stderr);
		return (await loadTrace(output)).spans.map(span => span.name);
	};

	t.deepEqual(await names(), ['hello (app.src.js:1:1)']);
	writeFiles(directory, {'app.js.map': mapTo(5)});
	t.deepEqual(await names(), ['hello (app.src.js:5:1)']);
	t.is(entriesOf(cacheDir).size, 2);
});
