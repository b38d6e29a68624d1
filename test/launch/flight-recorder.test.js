// The flight recorder (--flight-recorder, flightRecorder, tracer.dump()):
// recording goes on into a bounded ring, and only the last seconds are
// written, on a crash, a signal or dump(), to files named after the reason;
// a run that ends normally writes nothing. The program behaves as untraced.
import fs from 'node:fs';
import path from 'node:path';
import {setTimeout as delay} from 'node:timers/promises';
import test from 'ava';
import {VizTracer} from '../../dist/index.js';
import {cliPath, fixturesDir, readTrace, run, temporaryDirectory} from '../helpers/exec.js';

const app = path.join(fixturesDir, 'flight-recorder', 'app.mjs');
const spanNames = trace => trace.traceEvents.filter(event => event.ph === 'X').map(event => event.name.split(' ')[0]);
const filesIn = directory => fs.readdirSync(directory).sort();

/** Runs the fixture traced with `flags` into a fresh directory, `onSpawn` given the child. */
async function flight(mode, flags = ['--flight-recorder', '0.4'], onSpawn) {
	const directory = temporaryDirectory();
	const result = await run(process.execPath, [cliPath, ...flags, '-o', path.join(directory, 'result.json'), '--', app, mode], {onSpawn});
	return {...result, directory, files: filesIn(directory)};
}

test('an uncaught exception writes the last seconds to result.crash-<time>.json; the program fails as untraced', async t => {
	const untraced = await run(process.execPath, [app, 'crash']);
	const traced = await flight('crash', ['-q', '--flight-recorder', '0.4']);
	t.is(traced.code, untraced.code);
	t.is(traced.stdout, untraced.stdout);
	t.is(traced.stderr.replaceAll(/^function explode\(\).*$/gm, ''), untraced.stderr.replaceAll(/^function explode\(\).*$/gm, ''), 'the same error, the same stack');
	t.is(traced.files.length, 1, traced.files.join(' '));
	t.regex(traced.files[0], /^result\.crash-\d{8}T\d{9}Z\.json$/);
	const names = spanNames(await readTrace(path.join(traced.directory, traced.files[0])));
	t.deepEqual(names.filter(name => name === 'late'), ['late', 'late', 'late']);
	t.true(names.includes('explode'));
	t.false(names.includes('early'), 'older than the window: not kept');
});

test('an unhandled rejection is a crash too', async t => {
	const traced = await flight('reject');
	t.is(traced.code, 1);
	t.regex(traced.stderr, /Error: rejected/);
	t.is(traced.files.filter(name => name.startsWith('result.crash-')).length, 1, traced.files.join(' '));
	t.regex(traced.stderr, /viztracer: saved \d+ entries to \S+result\.crash-/);
});

test('a run that ends normally writes nothing, and says so', async t => {
	const traced = await flight('normal');
	t.is(traced.code, 0, traced.stderr);
	t.is(traced.stdout, 'done\n');
	t.deepEqual(traced.files, []);
	t.regex(traced.stderr, /the flight recorder wrote nothing: the program did not crash/);
});

test('SIGUSR2 writes result.signal-<time>.json and the program goes on; SIGTERM writes one more and ends it as SIGTERM would', async t => {
	let child;
	const sent = [];
	const done = flight('wait', ['--flight-recorder', '5'], spawned => {
		child = spawned;
		let output = '';
		spawned.stdout.on('data', async chunk => {
			output += chunk;
			if (output.includes('ready') && sent.length === 0) {
				sent.push('SIGUSR2');
				child.kill('SIGUSR2');
			}

			if (output.includes('still running') && sent.length === 1) {
				await delay(100);
				sent.push('SIGTERM');
				child.kill('SIGTERM');
			}
		});
	});
	const traced = await done;
	t.deepEqual(sent, ['SIGUSR2', 'SIGTERM']);
	t.is(traced.signal, 'SIGTERM');
	t.regex(traced.stdout, /ready\nstill running\n/);
	const signalFiles = traced.files.filter(name => /^result\.signal-\d{8}T\d{9}Z(?:-\d+)?\.json$/.test(name));
	t.is(signalFiles.length, 2, traced.files.join(' '));
	const [first, second] = await Promise.all(signalFiles.map(name => readTrace(path.join(traced.directory, name))));
	t.true(spanNames(first).includes('early'), 'a 5 s window keeps the whole short run');
	t.is(spanNames(second).filter(name => name === 'late').length, 4, 'the second has the call made after the first dump');
});

test('--flight-recorder takes an optional number of seconds; a script in its place gets a clear error', async t => {
	const swallowed = await run(process.execPath, [cliPath, '--flight-recorder', app, 'normal']);
	t.is(swallowed.code, 2);
	t.regex(swallowed.stderr, /^viztracer: invalid --flight-recorder \S+app\.mjs: expected a number of seconds .*viztracer --flight-recorder -- /);
	for (const bad of ['0', '-1', 'abc']) {
		const result = await run(process.execPath, [cliPath, '--flight-recorder', bad, '--', app, 'normal']); // eslint-disable-line no-await-in-loop
		t.is(result.code, 2, bad);
		t.regex(result.stderr, /invalid --flight-recorder/, bad);
	}

	const bare = await flight('normal', ['--flight-recorder']);
	t.is(bare.code, 0, bare.stderr);
	t.deepEqual(bare.files, []);
});

test('VIZTRACER_FLIGHT_RECORDER turns it on for the preload', async t => {
	const directory = temporaryDirectory();
	const result = await run(process.execPath, ['--import', 'viztracer/register', app, 'crash'], {env: {VIZTRACER_FLIGHT_RECORDER: '0.4', VIZTRACER_OUTPUT_FILE: path.join(directory, 'trace.json.gz')}});
	t.is(result.code, 1);
	const files = filesIn(directory);
	t.is(files.length, 1, files.join(' '));
	t.regex(files[0], /^trace\.crash-\d{8}T\d{9}Z\.json\.gz$/);
	t.false(spanNames(await readTrace(path.join(directory, files[0]))).includes('early'));
});

test('tracer.dump() writes the window without stopping; without the flight recorder, everything so far', async t => {
	const directory = temporaryDirectory();
	function before() {}
	function after() {}
	const tracer = new VizTracer({flightRecorder: 0.2, verbose: 0, outputFile: path.join(directory, 'r.json')});
	t.is(tracer.options.flightRecorder, 0.2);
	tracer.start();
	tracer.wrap(before)();
	await delay(400);
	tracer.wrap(after)();
	const first = tracer.dump();
	tracer.wrap(after)();
	const second = tracer.dump();
	t.not(first, second);
	t.regex(path.basename(first), /^r\.dump-\d{8}T\d{9}Z(?:-\d+)?\.json$/);
	t.deepEqual(spanNames(await readTrace(first)).map(name => name.split(' ')[0]), ['after']);
	t.deepEqual(spanNames(await readTrace(second)).map(name => name.split(' ')[0]), ['after', 'after']);
	tracer.stop();
	t.throws(() => tracer.dump('later'), {code: 'VIZTRACER_INVALID_ARGUMENT'});
	tracer.terminate();

	const whole = new VizTracer({verbose: 0, outputFile: path.join(directory, 'w.json')});
	whole.start();
	whole.wrap(before)();
	await delay(50);
	whole.wrap(after)();
	const file = whole.dump();
	t.deepEqual(spanNames(await readTrace(file)).map(name => name.split(' ')[0]), ['before', 'after']);
	whole.terminate();
	t.throws(() => new VizTracer({flightRecorder: 0}), {code: 'VIZTRACER_INVALID_OPTION'});
	t.throws(() => new VizTracer({flightRecorder: '5'}), {code: 'VIZTRACER_INVALID_OPTION'});
});
