// The transform cache: the first run writes an entry per instrumented file,
// later runs reuse them, a changed source or changed options make new ones,
// and VIZTRACER_NO_CACHE=1 writes none.
import {createHash} from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import test from 'ava';
import {copyFixtures, loadTrace, runCli, temporaryDirectory, writeFiles} from './_helpers.js';
import {pathToFileURL} from 'node:url';

/** Every file under `directory`, relative, with its modification time in ns: the code entries, or with `kind` 'map' the source maps kept beside them. */
function entriesOf(directory, kind = 'js') {
	if (!fs.existsSync(directory)) {
		return new Map();
	}

	return new Map(fs.readdirSync(directory, {recursive: true})
		.filter(name => name.endsWith(`.${kind}`) && fs.statSync(path.join(directory, name)).isFile())
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

test('a cached entry holds the instrumented code, its source map an entry beside it that the code names', async t => {
	const directory = makeProject();
	const cacheDir = path.join(temporaryDirectory(), 'cache');
	await traceWithCache(directory, cacheDir);
	const codes = [...entriesOf(cacheDir).keys()];
	const maps = [...entriesOf(cacheDir, 'map').keys()];
	t.deepEqual(maps.map(name => name.replace(/\.map$/, '')).sort(), codes.map(name => name.replace(/\.js$/, '')).sort(), 'one map per code entry, under its key');
	const util = codes.map(name => fs.readFileSync(path.join(cacheDir, name), 'utf8')).find(text => text.includes('export function helper()'));
	t.truthy(util);
	t.regex(util, /__viztracer/);
	t.notRegex(util, /sourceMappingURL/, 'the map is not inline: the code stays small');
	t.true(util.includes(JSON.stringify(path.join(directory, 'lib', 'util.mjs'))), 'the prologue names the file its map belongs to');
	const map = JSON.parse(JSON.parse(fs.readFileSync(path.join(cacheDir, maps.find(name => util.includes(name.slice(3, -4)))), 'utf8').split('\n').slice(1).join('\n')).map);
	t.is(map.version, 3);
	t.true(map.mappings.length > 0);
});

test('code of one-byte characters is stored as Latin-1, other code as UTF-8, and both read back exactly', async t => {
	const directory = makeProject();
	// é fits in one byte (Latin-1); the check mark and the emoji do not.
	writeFiles(directory, {
		'main.mjs': 'import {latin} from \'./latin.mjs\';\nimport {wide} from \'./wide.mjs\';\nfunction main() { console.log(latin(), wide()); }\nmain();\n',
		'latin.mjs': 'export function latin() { return \'caf\u00e9 \u00b7vz*/ \u00d7\'; }\n',
		'wide.mjs': 'export function wide() { return \'\u2713 \u{1f600}\'; }\n',
	});
	const cacheDir = path.join(temporaryDirectory(), 'cache');
	const first = await traceWithCache(directory, cacheDir);
	t.is(first.code, 0, first.stderr);
	t.is(first.stdout, 'caf\u00e9 \u00b7vz*/ \u00d7 \u2713 \u{1f600}\n');
	const headers = new Map([...entriesOf(cacheDir).keys()].map(name => {
		const bytes = fs.readFileSync(path.join(cacheDir, name));
		return [bytes.toString('latin1'), bytes.toString('latin1', 0, bytes.indexOf(10))];
	}));
	const headerOf = part => [...headers].find(([text]) => text.includes(part))?.[1];
	t.regex(headerOf('function latin()'), /^\/\/viztracer-cache-entry latin1 sha256=[\da-f]{64}$/);
	t.regex(headerOf('function main()'), /^\/\/viztracer-cache-entry latin1 sha256=/);
	t.regex(headerOf('function wide()'), /^\/\/viztracer-cache-entry sha256=[\da-f]{64}$/);
	const second = await traceWithCache(directory, cacheDir);
	t.is(second.stdout, first.stdout, 'the cached code is the same code');
	t.deepEqual(second.names, first.names);
	t.true(second.names.some(name => name.startsWith('latin ')) && second.names.some(name => name.startsWith('wide ')));
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
		t.true(traced.stdout.includes(`at oneLiner (${pathToFileURL(path.join(directory, 'stack-traces.mjs')).href}:4:29)`), traced.stdout);
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

// Trust: the cache holds code this process runs, so a folder or entry another
// user could have written is never used (tests below chown to 65534, so they
// need root, which is how the suite runs here).
const isRoot = process.getuid?.() === 0;
const asRoot = isRoot ? test : test.skip;
const nobody = 65534;
const warningCode = 'VIZTRACER_CACHE_UNSAFE';

const countOf = (text, part) => text.split(part).length - 1;
const modeOf = file => fs.statSync(file).mode & 0o777;

/** The header the cache writes before each entry's code (see lib/instrument/cache.ts). */
function validHeader(key, value) {
	const digest = createHash('sha256').update('viztracer-cache-entry\0').update(key).update('\0').update(value).digest('hex');
	return `//viztracer-cache-entry sha256=${digest}\n`;
}

/**
 * Code that, if the cache ever ran it, leaves `marker` behind and prints
 * PLANTED; it runs both as an ES module and as CommonJS.
 */
const plantedCode = marker => `process.getBuiltinModule('node:fs').writeFileSync(${JSON.stringify(marker)}, 'planted'); console.log('PLANTED');\n`;

/** The cache entry (absolute path) holding the instrumented code of main.mjs. */
function mainEntry(cacheDir) {
	const name = [...entriesOf(cacheDir).keys()].find(name => fs.readFileSync(path.join(cacheDir, name), 'utf8').includes('function main()'));
	return path.join(cacheDir, name);
}

/** Overwrites the entry `file` with `code`, under the header `header(key, code)` gives. */
function plant(file, code, header = () => '') {
	const key = path.basename(file, '.js');
	fs.writeFileSync(file, header(key, code) + code, {mode: 0o600});
	fs.chmodSync(file, 0o600);
}

async function plantedRun(t, makeEntry) {
	const directory = makeProject();
	const cacheDir = path.join(temporaryDirectory(), 'cache');
	t.is((await traceWithCache(directory, cacheDir)).code, 0);
	const entry = mainEntry(cacheDir);
	const marker = path.join(directory, 'planted.txt');
	makeEntry(entry, marker);
	const traced = await traceWithCache(directory, cacheDir);
	return {traced, entry, marker, cacheDir};
}

test('an entry whose digest does not match its key and code is not run, and is rewritten', async t => {
	for (const header of [
		() => `//viztracer-cache-entry sha256=${'0'.repeat(64)}\n`,
		// A valid digest, but of another key: an entry copied in from elsewhere.
		(key, code) => validHeader('f'.repeat(40), code),
		// No header at all (as entries were written before digests).
		() => '',
	]) {
		// eslint-disable-next-line no-await-in-loop
		const {traced, entry, marker} = await plantedRun(t, (entry, marker) => plant(entry, plantedCode(marker), header));
		t.is(traced.code, 0, traced.stderr);
		t.false(fs.existsSync(marker), 'the planted code did not run');
		t.false(traced.stdout.includes('PLANTED'));
		t.is(traced.stdout, 'helper skipped old from-esm-package from-cjs-package\n');
		t.deepEqual(traced.names.map(name => name.split(' ')[0]), ['helper', 'main', 'old', 'skipped']);
		t.false(traced.stderr.includes(warningCode), 'a stale or damaged entry is not worth a warning');
		const rewritten = fs.readFileSync(entry, 'utf8');
		t.false(rewritten.includes('PLANTED'), 'the entry was rewritten');
		t.true(rewritten.includes('function main()'));
	}
});

test('an entry of the current user, closed to others, with a matching digest is used as it is', async t => {
	// The counterpart of the tests around it: the digest the tests compute is
	// the cache's own, so they show that the owner and mode checks refuse.
	const {traced, marker} = await plantedRun(t, (entry, marker) => plant(entry, plantedCode(marker), validHeader));
	t.is(traced.code, 0, traced.stderr);
	t.true(fs.existsSync(marker));
	t.is(traced.stdout, 'PLANTED\n');
});

asRoot('an entry owned by another user is refused with one warning, even with a matching digest, and replaced by the current user\'s', async t => {
	const {traced, entry, marker} = await plantedRun(t, (entry, marker) => {
		plant(entry, plantedCode(marker), validHeader);
		fs.chownSync(entry, nobody, nobody);
	});
	t.is(traced.code, 0, traced.stderr);
	t.false(fs.existsSync(marker), 'the planted code did not run');
	t.is(traced.stdout, 'helper skipped old from-esm-package from-cjs-package\n');
	t.is(countOf(traced.stderr, warningCode), 1, traced.stderr);
	t.regex(traced.stderr, new RegExp(`a transform cache entry is not used \\(and is rewritten\\): \\S+ is owned by uid ${nobody}, not by the current user \\(uid 0\\)`));
	t.is(fs.statSync(entry).uid, 0);
	t.false(fs.readFileSync(entry, 'utf8').includes('PLANTED'));
});

test('an entry others may write to, or a symlink in place of an entry, is refused with a warning', async t => {
	const groupWritable = await plantedRun(t, (entry, marker) => {
		plant(entry, plantedCode(marker), validHeader);
		fs.chmodSync(entry, 0o660);
	});
	t.false(fs.existsSync(groupWritable.marker));
	t.is(groupWritable.traced.stdout, 'helper skipped old from-esm-package from-cjs-package\n');
	t.regex(groupWritable.traced.stderr, /a transform cache entry is not used \(and is rewritten\): \S+ is writable by its group \(mode 660\)/);
	t.is(modeOf(groupWritable.entry), 0o600, 'rewritten with mode 0600');

	const symlinked = await plantedRun(t, (entry, marker) => {
		const elsewhere = path.join(temporaryDirectory(), 'elsewhere.js');
		plant(elsewhere, plantedCode(marker), (key, code) => validHeader(path.basename(entry, '.js'), code));
		fs.rmSync(entry);
		fs.symlinkSync(elsewhere, entry);
	});
	t.false(fs.existsSync(symlinked.marker));
	t.is(symlinked.traced.stdout, 'helper skipped old from-esm-package from-cjs-package\n');
	t.regex(symlinked.traced.stderr, /a transform cache entry is not used \(and is rewritten\): \S+ is a symlink/);
	t.false(fs.lstatSync(symlinked.entry).isSymbolicLink());
});

test('a cache directory others may write to is refused with one warning, and the program still runs traced, uncached', async t => {
	for (const mode of [0o770, 0o777, 0o1777]) {
		const directory = makeProject();
		const cacheDir = path.join(temporaryDirectory(), 'shared');
		fs.mkdirSync(cacheDir);
		fs.chmodSync(cacheDir, mode);
		// eslint-disable-next-line no-await-in-loop
		const traced = await traceWithCache(directory, cacheDir);
		t.is(traced.code, 0, traced.stderr);
		t.is(traced.stdout, 'helper skipped old from-esm-package from-cjs-package\n');
		t.deepEqual(traced.names.map(name => name.split(' ')[0]), ['helper', 'main', 'old', 'skipped']);
		t.is(countOf(traced.stderr, warningCode), 1, traced.stderr);
		t.regex(traced.stderr, /the transform cache is not used in this run: \S+shared is writable by (its group|others) \(mode (770|777)\)/);
		t.is(entriesOf(cacheDir).size, 0, 'nothing was written to it');
	}
});

asRoot('a cache directory owned by another user is refused, and so is a symlink to it', async t => {
	const directory = makeProject();
	const cacheDir = path.join(temporaryDirectory(), 'theirs');
	fs.mkdirSync(cacheDir, {mode: 0o700});
	fs.chownSync(cacheDir, nobody, nobody);
	const traced = await traceWithCache(directory, cacheDir);
	t.is(traced.code, 0, traced.stderr);
	t.is(traced.names.length, 4);
	t.is(countOf(traced.stderr, warningCode), 1, traced.stderr);
	t.regex(traced.stderr, new RegExp(`\\S+theirs is owned by uid ${nobody}, not by the current user \\(uid 0\\)`));
	t.is(entriesOf(cacheDir).size, 0);

	const link = path.join(temporaryDirectory(), 'link');
	fs.symlinkSync(cacheDir, link);
	const linked = await traceWithCache(directory, link);
	t.is(linked.code, 0, linked.stderr);
	t.is(countOf(linked.stderr, warningCode), 1, linked.stderr);
	t.is(entriesOf(cacheDir).size, 0);
});

test('node_modules/.cache/viztracer is held to the same rules', async t => {
	const directory = makeProject();
	const cacheDir = path.join(directory, 'node_modules', '.cache', 'viztracer');
	fs.mkdirSync(cacheDir, {recursive: true});
	fs.chmodSync(cacheDir, 0o777);
	const traced = await traceWithCache(directory, undefined);
	t.is(traced.code, 0, traced.stderr);
	t.is(countOf(traced.stderr, warningCode), 1, traced.stderr);
	t.is(entriesOf(cacheDir).size, 0);
});

test('a missing VIZTRACER_CACHE_DIR is created with mode 0700, its entries with mode 0600', async t => {
	const directory = makeProject();
	const cacheDir = path.join(temporaryDirectory(), 'new', 'cache');
	const traced = await traceWithCache(directory, cacheDir);
	t.is(traced.code, 0, traced.stderr);
	t.is(modeOf(cacheDir), 0o700);
	const entries = [...entriesOf(cacheDir).keys()];
	t.is(entries.length, 4);
	for (const name of entries) {
		t.is(modeOf(path.join(cacheDir, name)), 0o600, name);
		t.is(modeOf(path.dirname(path.join(cacheDir, name))), 0o700, name);
	}
});

test('without node_modules the default cache is the user\'s own (XDG_CACHE_HOME, ~/.cache, else a per-user temp folder), mode 0700', async t => {
	const root = temporaryDirectory();
	const directory = path.join(root, 'app');
	writeFiles(directory, {'app.mjs': 'function hello() {\n\treturn \'hi\';\n}\n\nconsole.log(hello());\n'});
	const temporary = path.join(root, 'tmp');
	const home = path.join(root, 'home');
	fs.mkdirSync(temporary);
	fs.mkdirSync(home);
	const traceIn = async env => {
		const output = path.join(directory, 'trace.json');
		const traced = await runCli(['-q', '-o', output, 'app.mjs'], {cwd: directory, env: {VIZTRACER_NO_CACHE: undefined, XDG_CACHE_HOME: undefined, TMPDIR: temporary, ...env}});
		t.is(traced.code, 0, traced.stderr);
		t.is(traced.stderr, '');
		t.is(traced.stdout, 'hi\n');
	};

	await traceIn({HOME: home});
	const userCache = path.join(home, '.cache', 'viztracer');
	t.is(entriesOf(userCache).size, 1);
	t.is(modeOf(userCache), 0o700);
	t.deepEqual(fs.readdirSync(temporary).filter(name => name.startsWith('viztracer-cache')), [], 'nothing shared in the temp directory');
	t.false(fs.existsSync(path.join(directory, 'node_modules')));

	const xdg = path.join(root, 'xdg');
	await traceIn({HOME: home, XDG_CACHE_HOME: xdg});
	t.is(entriesOf(path.join(xdg, 'viztracer')).size, 1);
	t.is(modeOf(path.join(xdg, 'viztracer')), 0o700);

	// No usable home: a folder named after the user in the temp directory.
	await traceIn({HOME: path.join(root, 'no-such-home')});
	const perUser = path.join(temporary, `viztracer-cache-${process.getuid()}`);
	t.is(entriesOf(perUser).size, 1);
	t.is(modeOf(perUser), 0o700);
});

asRoot('a per-user temp folder someone else created first (the name is predictable) is refused', async t => {
	const root = temporaryDirectory();
	const directory = path.join(root, 'app');
	writeFiles(directory, {'app.mjs': 'console.log(\'hi\');\n'});
	const temporary = path.join(root, 'tmp');
	const squatted = path.join(temporary, `viztracer-cache-${process.getuid()}`);
	fs.mkdirSync(squatted, {recursive: true, mode: 0o700});
	fs.chownSync(squatted, nobody, nobody);
	const traced = await runCli(['-q', '-o', path.join(directory, 'trace.json'), 'app.mjs'], {cwd: directory, env: {VIZTRACER_NO_CACHE: undefined, XDG_CACHE_HOME: undefined, TMPDIR: temporary, HOME: path.join(root, 'no-such-home')}});
	t.is(traced.code, 0, traced.stderr);
	t.is(traced.stdout, 'hi\n');
	t.is(countOf(traced.stderr, warningCode), 1, traced.stderr);
	t.is(entriesOf(squatted).size, 0);
});
