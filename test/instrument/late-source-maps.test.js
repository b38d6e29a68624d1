// A program (or a loader) that turns source maps on after viztracer's hooks
// are in: the files loaded since get their inline maps chained to ours, and
// stack traces read as untraced, in Node's source-mapped format.
import path from 'node:path';
import test from 'ava';
import {cliPath, instrumentFixturesDir, registerPath, run, runNode, temporaryDirectory} from './_helpers.js';

// Run where they are: tsx resolves from the package's node_modules.
const fixture = path.join(instrumentFixturesDir, 'late-source-maps');

const inThreadHooks = (await import('node:module')).registerHooks !== undefined;

test('process.setSourceMapsEnabled(true) before requiring compiled code: its frames name the .ts lines, as untraced', async t => {
	const directory = fixture;
	const [untraced, traced] = await Promise.all([
		runNode(['main.cjs'], {cwd: directory}),
		run(process.execPath, [cliPath, '-q', '-o', path.join(temporaryDirectory(), 'trace.json'), 'main.cjs'], {cwd: directory, env: {VIZTRACER_NO_CACHE: '1'}}),
	]);
	t.regex(untraced.stdout, /at explode \(.*lib\.ts:3:11\)/);
	t.is(traced.stdout, untraced.stdout);
	t.is(traced.code, 0, traced.stderr);
});

test('tsx registered after viztracer (--import viztracer/register --import tsx): stack traces in Node\'s source-mapped format, as untraced', async t => {
	const directory = path.join(fixture, 'tsx');
	const untraced = await runNode(['--import', 'tsx', 'app.ts'], {cwd: directory});
	t.is(untraced.code, 0, untraced.stderr);
	t.regex(untraced.stdout, /at Rect\.set width \(.*app\.ts:10:24\)/);
	const traced = await runNode(['--import', registerPath, '--import', 'tsx', 'app.ts'], {cwd: directory, env: {VIZTRACER_OUTPUT_FILE: path.join(temporaryDirectory(), 'trace.json'), VIZTRACER_VERBOSE: '0'}});
	t.is(traced.code, 0, traced.stderr);
	if (!inThreadHooks) {
		// Known, see the README: the loader thread instruments ES modules before the program turns maps on.
		t.log(`Node ${process.version} (module hooks on a loader thread): stack positions differ in this order`);
		return;
	}

	t.is(traced.stdout, untraced.stdout);
});
