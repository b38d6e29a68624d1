// However an instrumented program ends (normally, with an exit code,
// process.exit(), an uncaught exception, an unhandled rejection, SIGINT or
// SIGTERM), it ends as it would untraced and leaves a valid trace holding
// its spans.
import fs from 'node:fs';
import path from 'node:path';
import test from 'ava';
import {copyFixtures, loadTrace, named, parentOf, positionOf, registerPath, runCli, runNode} from './_helpers.js';

const modes = [
	// The fixture's mode and the exit code Node ends with.
	['normal', 0],
	['exit-code', 4],
	['process-exit', 3],
	['throw', 1],
	['reject', 1],
];

/** Checks that the trace at `output` is complete and holds outer > inner > work. */
async function assertTraceOfOuter(t, output) {
	t.true(fs.existsSync(output), 'the trace was written');
	const {trace, spans} = await loadTrace(output);
	t.true(Array.isArray(trace.traceEvents));
	t.truthy(trace.traceEvents.find(event => event.ph === 'M' && event.name === 'process_name'));
	const [outer] = named(spans, 'outer');
	const [inner] = named(spans, 'inner');
	t.truthy(outer, 'outer was recorded');
	t.truthy(inner, 'inner was recorded');
	t.is(parentOf(spans, inner), outer);
	const [work] = named(spans, 'work');
	t.is(parentOf(spans, work), inner);
	for (const span of spans) {
		t.true(Number.isFinite(span.ts) && span.dur >= 0, span.name);
	}

	return spans;
}

for (const file of ['exit-paths.mjs', 'exit-paths.cjs']) {
	for (const [mode, code] of modes) {
		test(`${file} ${mode}: exits with code ${code} as untraced, and leaves a trace with its spans`, async t => {
			const directory = copyFixtures(file);
			const output = path.join(directory, 'trace.json');
			const [plain, traced] = await Promise.all([
				runNode([file, mode], {cwd: directory}),
				runCli(['-q', '-o', output, file, mode], {cwd: directory}),
			]);
			t.is(plain.code, code, plain.stderr);
			t.is(traced.code, code, traced.stderr);
			t.is(traced.signal, null);
			t.is(traced.stdout, plain.stdout);
			const spans = await assertTraceOfOuter(t, output);

			if (mode === 'throw' || mode === 'reject') {
				// Node reports the error the same way, at the original position.
				const source = fs.readFileSync(path.join(directory, file), 'utf8');
				const message = mode === 'throw' ? 'uncaught in inner' : 'rejected in failLater';
				const {line, column} = positionOf(source, `new Error('${message}')`);
				for (const {stderr} of [plain, traced]) {
					t.regex(stderr, new RegExp(`Error: ${message}`));
					t.true(stderr.includes(`${file}:${line}:${column}`), stderr);
				}
			}

			if (mode === 'reject') {
				t.is(named(spans, 'failLater').length, 1, 'the rejected async function\'s span ended');
			}

			if (mode === 'process-exit') {
				// outer and inner were still running when process.exit() was called: they end at the exit.
				t.is(named(spans, 'outer').length, 1);
			}
		});
	}
}

/** Starts `args` with `run` and sends `signal` once the program printed "ready". */
function runUntilReady(runner, args, options, signal) {
	return runner(args, {
		...options,
		onSpawn(child) {
			let seen = '';
			child.stdout.on('data', chunk => {
				seen += chunk;
				if (seen.includes('ready\n')) {
					// A few intervals' worth of ticks, then the signal.
					setTimeout(() => child.kill(signal), 100);
					seen = '';
				}
			});
		},
	});
}

for (const signal of ['SIGINT', 'SIGTERM']) {
	for (const file of ['exit-paths.mjs', 'exit-paths.cjs']) {
		test(`${file}, a program that never ends, stopped by ${signal}: dies by the signal as untraced, and leaves a trace with its spans`, async t => {
			const directory = copyFixtures(file);
			const output = path.join(directory, 'trace.json');
			const [plain, traced] = await Promise.all([
				runUntilReady(runNode, [file, 'forever'], {cwd: directory}, signal),
				runUntilReady(runCli, ['-q', '-o', output, file, 'forever'], {cwd: directory}, signal),
			]);
			t.is(plain.signal, signal);
			t.is(traced.signal, signal, traced.stderr);
			t.is(traced.code, null);
			t.is(traced.stdout, plain.stdout);
			const spans = await assertTraceOfOuter(t, output);
			// The interval callback kept running until the signal.
			t.true(named(spans, 'tick').length > 0);
			for (const tick of named(spans, 'tick')) {
				t.is(parentOf(spans, named(spans, 'work').find(work => work.ts >= tick.ts && work.end <= tick.end)), tick);
			}
		});
	}
}

test('under viztracer/register, a program stopped by SIGINT leaves its trace too', async t => {
	const directory = copyFixtures('exit-paths.mjs');
	const output = path.join(directory, 'trace.json');
	const traced = await runUntilReady(runNode, ['--import', registerPath, 'exit-paths.mjs', 'forever'], {cwd: directory, env: {VIZTRACER_OUTPUT_FILE: output, VIZTRACER_VERBOSE: '0', VIZTRACER_NO_CACHE: '1'}}, 'SIGINT');
	t.is(traced.signal, 'SIGINT', traced.stderr);
	await assertTraceOfOuter(t, output);
});

test('under viztracer/register, an uncaught exception exits with code 1 and leaves its trace', async t => {
	const directory = copyFixtures('exit-paths.cjs');
	const output = path.join(directory, 'trace.json');
	const traced = await runNode(['--import', registerPath, 'exit-paths.cjs', 'throw'], {cwd: directory, env: {VIZTRACER_OUTPUT_FILE: output, VIZTRACER_VERBOSE: '0', VIZTRACER_NO_CACHE: '1'}});
	t.is(traced.code, 1);
	t.regex(traced.stderr, /Error: uncaught in inner/);
	await assertTraceOfOuter(t, output);
});
