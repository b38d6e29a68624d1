// A whole-program trace that holds none of the program's own function calls
// says so on stderr, with the reason and what to do; a trace that has them,
// or whose children recorded them, does not; -q silences it. Real CLI and
// preload subprocesses on the fixtures of test/fixtures/user-code/.
import fs from 'node:fs';
import path from 'node:path';
import test from 'ava';
import {fixturesDir, readTrace, rootDir, run, runCli, temporaryDirectory} from '../helpers/exec.js';

const corpus = path.join(fixturesDir, 'user-code');
const fixture = name => path.join(corpus, name);
const warning = /viztracer: warning: the trace holds none of (\S+)'s own function calls: ([^\n]+)/;

async function traced(args, options = {}) {
	const output = path.join(temporaryDirectory(), 'trace.json');
	const result = await runCli(['-o', output, ...args], {cwd: corpus, timeout: 120_000, ...options});
	return {...result, trace: fs.existsSync(output) ? await readTrace(output) : undefined};
}

test('a script with top-level code only: the warning says top-level code is not a span, and what to do', async t => {
	const result = await traced([fixture('top-level.mjs')]);
	t.is(result.code, 0, result.stderr);
	t.is(result.stdout, 'top level only\n');
	const [, script, reason] = warning.exec(result.stderr) ?? [];
	t.is(script, 'top-level.mjs');
	t.regex(reason, /Top-level code is not a span: put it in a function, or record it with logEvent/);
	t.regex(result.stderr, /saved 0 entries/);
});

test('a script the filters leave out: the warning names the option', async t => {
	const result = await traced(['--exclude-files', fixture('has-functions.mjs'), '--', fixture('has-functions.mjs')]);
	t.is(result.code, 0, result.stderr);
	t.is(result.stdout, '42\n');
	t.regex(warning.exec(result.stderr)?.[2] ?? '', /--include-files \/ --exclude-files leave has-functions\.mjs out, so it ran untraced/);
});

test('a script inside node_modules: the warning offers --include-node-modules, which then records it', async t => {
	const directory = temporaryDirectory();
	const script = path.join(directory, 'node_modules', 'tool', 'cli.js');
	fs.mkdirSync(path.dirname(script), {recursive: true});
	fs.copyFileSync(fixture('tool-cli.js'), script);
	const result = await traced([script], {cwd: directory});
	t.is(result.stdout, 'tool\n');
	t.regex(warning.exec(result.stderr)?.[2] ?? '', /node_modules\/tool\/cli\.js is inside node_modules, which is not instrumented: add --include-node-modules/);
	const included = await traced(['--include-node-modules', script], {cwd: directory});
	t.notRegex(included.stderr, warning);
	t.true(included.trace.traceEvents.some(event => event.ph === 'X' && event.name.startsWith('tool (')));
});

test('no warning when the program\'s functions are in the trace, when a child recorded them, or with -q', async t => {
	const own = await traced([fixture('has-functions.mjs')]);
	t.is(own.code, 0, own.stderr);
	t.notRegex(own.stderr, warning);
	const spawns = await traced([fixture('spawns.mjs')]);
	t.is(spawns.stdout, '42\n');
	t.notRegex(spawns.stderr, warning, 'the parent ran no function of its own, its child did');
	t.true(spawns.trace.traceEvents.some(event => event.ph === 'X' && event.name.startsWith('work (')));
	const quiet = await traced(['-q', fixture('top-level.mjs')]);
	t.is(quiet.stderr, '');
});

test('node --import viztracer/register says it too, for the main module', async t => {
	const register = path.join(rootDir, 'dist', 'integrations', 'register.js');
	const output = path.join(temporaryDirectory(), 'trace.json');
	const result = await run(process.execPath, ['--import', register, fixture('top-level.mjs')], {cwd: corpus, env: {VIZTRACER_OUTPUT_FILE: output}});
	t.is(result.code, 0, result.stderr);
	t.is(warning.exec(result.stderr)?.[1], 'top-level.mjs');
	const fine = await run(process.execPath, ['--import', register, fixture('has-functions.mjs')], {cwd: corpus, env: {VIZTRACER_OUTPUT_FILE: output}});
	t.notRegex(fine.stderr, warning);
});
