// `import test from 'viztracer/ava'`: the repo's own ava runs the fixture
// project in test/fixtures/ava (copied to a temporary directory, where
// node_modules/viztracer links to this package), in worker processes.
import fs from 'node:fs';
import path from 'node:path';
import test from 'ava';
import {fixturesDir, readTestTraces, readTrace, rootDir} from '../helpers/exec.js';
import {run, temporaryDirectory} from '../instrument/_helpers.js';

const avaCli = path.join(rootDir, 'node_modules', 'ava', 'entrypoints', 'cli.mjs');

async function runAva(env = {}, files = []) {
	const project = temporaryDirectory();
	fs.cpSync(path.join(fixturesDir, 'ava'), project, {recursive: true});
	fs.mkdirSync(path.join(project, 'node_modules'));
	fs.symlinkSync(rootDir, path.join(project, 'node_modules', 'viztracer'), 'dir');
	const result = await run(process.execPath, [avaCli, ...files], {cwd: project, env: {VIZTRACER_NO_CACHE: '1', CI: '1', ...env}});
	const outputDir = path.join(project, 'viztracer-traces');
	return {...result, project, ...await readTestTraces(outputDir)};
}

const hasSpan = (trace, prefix) => trace.spans.some(name => name.startsWith(prefix));

test('traces each test body to its own file: serial, concurrent, macros; skip, todo and hooks pass through', async t => {
	const {code, stdout, stderr, project, names, traces} = await runAva();
	t.is(code, 1, stdout + stderr);
	t.regex(stdout + stderr, /2 tests failed/);
	t.regex(stdout + stderr, /hooks: before(,afterEach)+/);
	t.deepEqual(names, [
		'basics.spec.js--adds-numbers.json',
		'basics.spec.js--doubles-2.json',
		'basics.spec.js--fails-an-assertion.json',
		'basics.spec.js--fails-explodes.json',
		'basics.spec.js--plain-macro.json',
		'basics.spec.js--serial-test.json',
		'basics.spec.js--slow-test.json',
		'only.spec.js--the-only-one.json',
	]);
	t.like(traces['basics.spec.js--adds-numbers.json'].metadata, {name: 'adds numbers', file: path.join(project, 'basics.spec.js'), status: 'pass'});
	t.like(traces['basics.spec.js--fails-explodes.json'].metadata, {status: 'fail'});
	t.like(traces['basics.spec.js--fails-an-assertion.json'].metadata, {status: 'fail'}, 'a failed assertion that does not throw still fails');
	t.like(traces['basics.spec.js--doubles-2.json'].metadata, {name: 'doubles 2', status: 'pass'});
	t.true(traces['basics.spec.js--slow-test.json'].metadata.durationMs >= 140);
	t.true(hasSpan(traces['basics.spec.js--slow-test.json'], 'slowWork (lib.js:'));
	t.true(hasSpan(traces['basics.spec.js--fails-explodes.json'], 'explode (lib.js:'));
	for (const name of names.filter(name => !name.includes('explodes') && !name.includes('slow'))) {
		t.deepEqual(traces[name].spans, ['add (lib.js:2:8)'], `${name}: only its own test's calls, though ava starts tests concurrently`);
	}
});

test('VIZTRACER_KEEP=failed and VIZTRACER_KEEP_SLOWER_THAN select the traces kept', async t => {
	const failed = await runAva({VIZTRACER_KEEP: 'failed'}, ['basics.spec.js']);
	t.deepEqual(failed.names, ['basics.spec.js--fails-an-assertion.json', 'basics.spec.js--fails-explodes.json']);
	const slow = await runAva({VIZTRACER_KEEP_SLOWER_THAN: '120'}, ['basics.spec.js']);
	t.true(slow.names.includes('basics.spec.js--slow-test.json'), String(slow.names));
	t.false(slow.names.includes('basics.spec.js--serial-test.json'), String(slow.names));
});

test('with --import=viztracer/hooks in ava\'s nodeArguments, statically imported code is traced too', async t => {
	const project = temporaryDirectory();
	fs.cpSync(path.join(fixturesDir, 'ava'), project, {recursive: true});
	fs.mkdirSync(path.join(project, 'node_modules'));
	fs.symlinkSync(rootDir, path.join(project, 'node_modules', 'viztracer'), 'dir');
	const packageFile = path.join(project, 'package.json');
	const manifest = JSON.parse(fs.readFileSync(packageFile, 'utf8'));
	manifest.ava.nodeArguments = ['--import=viztracer/hooks'];
	fs.writeFileSync(packageFile, JSON.stringify(manifest));
	fs.writeFileSync(path.join(project, 'static-import.spec.js'), [
		'import test from \'viztracer/ava\';',
		'// A static import: it loads before viztracer/ava runs, and is instrumented because the workers preload viztracer/hooks.',
		'import {add} from \'./lib.js\';',
		'',
		'test(\'statically imported code is traced\', t => {',
		'\tt.is(add(2, 3), 5);',
		'});',
		'',
	].join('\n'));
	const result = await run(process.execPath, [avaCli, 'static-import.spec.js'], {cwd: project, env: {VIZTRACER_NO_CACHE: '1', CI: '1'}});
	t.is(result.code, 0, result.stdout + result.stderr);
	const trace = await readTrace(path.join(project, 'viztracer-traces', 'static-import.spec.js--statically-imported-code-is-traced.json'));
	// The test file is instrumented too: the body is a span, with the call to add inside it.
	const spans = trace.traceEvents.filter(event => event.ph === 'X');
	t.deepEqual(spans.map(event => event.name).sort(), ['<anonymous> (static-import.spec.js:5:44)', 'add (lib.js:2:8)']);
	const [body, add] = [spans.find(event => event.name.startsWith('<anonymous>')), spans.find(event => event.name.startsWith('add'))];
	t.true(add.ts >= body.ts && add.ts + add.dur <= body.ts + body.dur);
});
