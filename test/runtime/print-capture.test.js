// --log-print (lib/runtime/print-capture.ts): what a program prints becomes
// instant events with its text, on the thread that printed it, and the
// output is the same as untraced, byte for byte.
import path from 'node:path';
import test from 'ava';
import {cliPath, fixturesDir, readTrace, run, temporaryDirectory} from '../helpers/exec.js';

const directory = temporaryDirectory();
const fixture = path.join(fixturesDir, 'prints', 'prints.mjs');
const instantsOf = trace => trace.traceEvents.filter(event => event.ph === 'i' || event.ph === 'I');

test('--log-print records each console call and stream write as an instant with its text; the output is untouched', async t => {
	const untraced = await run(process.execPath, [fixture]);
	const output = path.join(directory, 'prints.json');
	const traced = await run(process.execPath, [cliPath, '-q', '--log-print', '-o', output, fixture]);
	t.is(traced.code, 0, traced.stderr);
	t.is(traced.stdout, untraced.stdout);
	t.is(traced.stderr, untraced.stderr);
	t.false(traced.stdout.includes('toString was called'));

	const trace = await readTrace(output);
	const instants = instantsOf(trace);
	const mainTid = trace.traceEvents.find(event => event.ph === 'M' && event.name === 'thread_name' && event.args.name === 'MainThread').tid;
	const onMain = instants.filter(event => event.tid === mainTid).map(event => [event.name, event.args.string]);
	t.deepEqual(onMain.slice(0, 11), [
		['console.log', 'hello from log 42 { a: 1 }\n'],
		['console.info', 'an info line\n'],
		['console.debug', 'a debug line\n'],
		['console.warn', 'a warning\n'],
		['console.error', 'an error line\n'],
		['process.stdout.write', 'raw stdout, no newline'],
		['process.stdout.write', '\n'],
		['process.stderr.write', 'bytes to stderr \u00e9\n'],
		['process.stdout.write', 'with a callback\n'],
		['console.log', 'write returned boolean\n'],
		['console.log', `${'x'.repeat(1000)}…`],
	]);
	t.deepEqual(onMain.slice(11), [
		['console.log', '{ toString: [Function: toString] }\n'],
		['console.log', 'group\n'],
		['console.log', '  indented\n'],
		['console.log', 'worker done\n'],
	]);
	for (const event of instants) {
		t.is(event.s, 't');
	}

	// The worker's print is on the worker's own thread.
	const fromWorker = instants.find(event => event.args.string === 'from the worker\n');
	t.truthy(fromWorker);
	t.is(fromWorker.name, 'console.log');
	t.not(fromWorker.tid, mainTid);
	// Each instant is inside the span of the function that printed.
	const report = trace.traceEvents.find(event => event.ph === 'X' && event.name.startsWith('report '));
	t.truthy(report);
	const first = instants.find(event => event.name === 'console.log');
	t.true(first.ts >= report.ts && first.ts <= report.ts + report.dur);
});

test('without --log-print nothing printed is recorded, and VIZTRACER_LOG_PRINT=1 turns it on for the preload', async t => {
	const output = path.join(directory, 'quiet.json');
	const traced = await run(process.execPath, [cliPath, '-q', '-o', output, fixture]);
	t.is(traced.code, 0, traced.stderr);
	t.deepEqual(instantsOf(await readTrace(output)), []);

	const preloaded = path.join(directory, 'preloaded.json');
	const result = await run(process.execPath, ['--import', 'viztracer/register', fixture], {env: {VIZTRACER_LOG_PRINT: '1', VIZTRACER_OUTPUT_FILE: preloaded, VIZTRACER_VERBOSE: '0'}});
	t.is(result.code, 0, result.stderr);
	const names = instantsOf(await readTrace(preloaded)).map(event => event.name);
	t.true(names.includes('console.log') && names.includes('console.warn') && names.includes('process.stdout.write'), names.join(' '));
});

test('a program that replaces process.stdout.write after the tracer started keeps its own, and stop() puts the original back', async t => {
	const {VizTracer} = await import('../../dist/index.js');
	const original = process.stdout.write;
	const originalLog = console.log;
	const tracer = new VizTracer({logPrint: true, verbose: 0});
	tracer.start();
	t.not(process.stdout.write, original);
	t.is(console.log.name, 'log');
	tracer.stop();
	t.is(process.stdout.write, original);
	t.is(console.log, originalLog);
	t.false(Object.hasOwn(process.stdout, 'write'), 'no own property left behind');

	tracer.start();
	const mine = function (...args) {
		return original.apply(this, args);
	};

	process.stdout.write = mine;
	tracer.stop();
	t.is(process.stdout.write, mine, 'the program\'s own replacement stays');
	delete process.stdout.write;
	tracer.terminate();
});
