// Source maps kept out of the instrumented code (lib/instrument/lazy-maps.ts):
// stack traces through instrumented files read as untraced on a cold run
// (the map just written to the cache), a warm one (read back from it) and
// with the cache off (held in memory), for CommonJS and ES modules; a map
// entry that fails the cache's checks is not used, and nothing breaks.
import fs from 'node:fs';
import path from 'node:path';
import test from 'ava';
import {run, runCli, temporaryDirectory, writeFiles} from './_helpers.js';

const files = {
	'package.json': '{"name": "maps"}',
	'lib.cjs': 'function parse(text) {\n\tif (text === \'\') {\n\t\tthrow new Error(\'empty\');\n\t}\n\n\treturn text.length;\n}\n\nmodule.exports = {parse};\n',
	'main.mjs': [
		'import {createRequire} from \'node:module\';',
		'const {parse} = createRequire(import.meta.url)(\'./lib.cjs\');',
		'function run(text) {',
		'\treturn parse(text);',
		'}',
		'',
		'try {',
		'\trun(\'\');',
		'} catch (error) {',
		'\tconsole.log(error.stack.split(\'\\n\').slice(0, 4).join(\'\\n\').replaceAll(/\\(?file:\\/\\/\\S+\\/|\\(\\/\\S+\\//g, \'(\'));',
		'}',
		'',
	].join('\n'),
};

test('stack traces map through the maps kept out of the code: cold cache, warm cache, no cache', async t => {
	const directory = temporaryDirectory();
	writeFiles(directory, files);
	const untraced = await run(process.execPath, ['main.mjs'], {cwd: directory});
	t.regex(untraced.stdout, /at parse \(lib\.cjs:3:9\)\n\s+at run \(main\.mjs:4:9\)/);
	const cacheDir = path.join(temporaryDirectory(), 'cache');
	const output = path.join(directory, 'trace.json');
	for (const label of ['cold cache', 'warm cache']) {
		// eslint-disable-next-line no-await-in-loop
		const traced = await runCli(['-q', '-o', output, 'main.mjs'], {cwd: directory, env: {VIZTRACER_NO_CACHE: undefined, VIZTRACER_CACHE_DIR: cacheDir}});
		t.is(traced.stdout, untraced.stdout, label);
		t.is(traced.stderr, '', label);
	}

	const maps = fs.readdirSync(cacheDir, {recursive: true}).filter(name => name.endsWith('.map'));
	t.is(maps.length, 2, 'a map entry for each instrumented file');
	const uncached = await runCli(['-q', '-o', output, 'main.mjs'], {cwd: directory, env: {VIZTRACER_NO_CACHE: '1'}});
	t.is(uncached.stdout, untraced.stdout, 'no cache');

	// A map entry edited behind the cache's back fails its digest: not used; the run goes on.
	for (const name of maps) {
		const file = path.join(cacheDir, name);
		fs.writeFileSync(file, fs.readFileSync(file, 'utf8').replace('"version":3', '"version":3 '));
	}

	const tampered = await runCli(['-q', '-o', output, 'main.mjs'], {cwd: directory, env: {VIZTRACER_NO_CACHE: undefined, VIZTRACER_CACHE_DIR: cacheDir}});
	t.is(tampered.code, 0, tampered.stderr);
	t.regex(tampered.stdout, /^Error: empty\n\s+at parse \(lib\.cjs:3:\d+\)/, 'the line is right (lines are kept); only the column is the instrumented one\'s');
});

test('a program\'s findSourceMap() finds no map for an instrumented file, as untraced for a file without one', async t => {
	const directory = temporaryDirectory();
	writeFiles(directory, {
		'package.json': '{"name": "maps"}',
		'find.cjs': 'const {findSourceMap} = require(\'node:module\');\nfunction look() {\n\treturn findSourceMap(__filename) === undefined;\n}\n\nconsole.log(look());\n',
	});
	const untraced = await run(process.execPath, ['find.cjs'], {cwd: directory});
	const traced = await runCli(['-q', '-o', path.join(directory, 'trace.json'), 'find.cjs'], {cwd: directory, env: {VIZTRACER_NO_CACHE: undefined, VIZTRACER_CACHE_DIR: path.join(temporaryDirectory(), 'cache')}});
	t.is(untraced.stdout, 'true\n');
	t.is(traced.stdout, untraced.stdout);
});
