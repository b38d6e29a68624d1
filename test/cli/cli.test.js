// The `viztracer` command line, run as real subprocesses (the built
// `dist/bin/viztracer.js`) on the fixture scripts in test/fixtures/cli/.
import fs from 'node:fs';
import path from 'node:path';
import test from 'ava';
import {cliPath, fixturesDir, readTrace, rootDir, run as runToCompletion, runCli as runCliToCompletion, temporaryDirectory as baseTemporaryDirectory, withSubprocessSlot} from '../helpers/exec.js';


const subprocessTimeout = 60_000;
const run = (command, args, options) => withSubprocessSlot(() => runToCompletion(command, args, {timeout: subprocessTimeout, ...options}));
const runCli = (args, options) => withSubprocessSlot(() => runCliToCompletion(args, {timeout: subprocessTimeout, ...options}));

// One temporary directory for the whole file (removed when the worker exits),
// and a fresh directory inside it for each test.
const filesDirectory = baseTemporaryDirectory('viztracer-cli-test-');
const temporaryDirectory = () => fs.mkdtempSync(path.join(filesDirectory, 'test-'));

const packageVersion = JSON.parse(fs.readFileSync(path.join(rootDir, 'package.json'), 'utf8')).version;

/** Absolute path of a CLI fixture. */
const fixture = name => path.join(fixturesDir, 'cli', name);
/** A fixture path relative to the repository root (the default cwd of runCli), as a user would type it. */
const relativeFixture = name => path.posix.join('test', 'fixtures', 'cli', name);

/** Checks the trace file format and returns the events that are not `M` metadata. */
function assertValidTrace(t, trace) {
	t.true(Array.isArray(trace.traceEvents), 'traceEvents is an array');
	t.is(trace.displayTimeUnit, 'ns');
	t.is(trace.viztracer_metadata.version, packageVersion);
	t.is(typeof trace.viztracer_metadata.overflow, 'boolean');
	t.true(Number.isFinite(trace.viztracer_metadata.baseTimeNanoseconds));
	for (const event of trace.traceEvents) {
		t.is(typeof event.ph, 'string');
		t.is(typeof event.name, 'string');
		t.true(Number.isInteger(event.pid));
		t.true(Number.isInteger(event.tid));
	}

	const processName = trace.traceEvents.find(event => event.ph === 'M' && event.name === 'process_name');
	t.truthy(processName, 'the trace names its process');
	return trace.traceEvents.filter(event => event.ph !== 'M');
}

/** Reads a trace, checks it, and returns it with its non-metadata events and their names. */
async function loadTrace(t, file) {
	t.true(fs.existsSync(file), `the trace ${file} was written`);
	const trace = await readTrace(file);
	const events = assertValidTrace(t, trace);
	return {trace, events, names: events.map(event => event.name)};
}

/** The directory holds exactly these files: in particular no temporary file was left behind. */
function assertFiles(t, directory, expected) {
	t.deepEqual(fs.readdirSync(directory).sort(), [...expected].sort());
}

const parseJsonLine = stdout => JSON.parse(stdout.trim().split('\n').at(-1));

/**
 * Runs the CLI (or, with `plain`, node itself) on a long-running fixture,
 * waits until it prints "ready", then sends it `signal`. Resolves with
 * runCli's result.
 */
function runUntilReadyThenSignal(args, signal, {plain = false} = {}) {
	const start = plain ? options => run(process.execPath, args, options) : options => runCli(args, options);
	return start({
		onSpawn(child) {
			let seen = '';
			let sent = false;
			child.stdout.on('data', chunk => {
				seen += chunk;
				if (!sent && seen.includes('ready')) {
					sent = true;
					child.kill(signal);
				}
			});
		},
	});
}

// Running the script as the main module

test('runs an ES module script as the main module, with its arguments, as plain node does', async t => {
	const directory = temporaryDirectory();
	const output = path.join(directory, 'trace.json');
	const script = fixture('main.mjs');
	const traced = await runCli(['-o', output, script, 'alpha', 'beta gamma']);
	const plain = await run(process.execPath, [script, 'alpha', 'beta gamma']);
	t.is(traced.code, 0, traced.stderr);
	t.is(plain.code, 0, plain.stderr);
	const report = parseJsonLine(traced.stdout);
	const plainReport = parseJsonLine(plain.stdout);
	t.deepEqual(report.args, ['alpha', 'beta gamma']);
	t.is(report.argv1, script);
	t.true(report.isMain, 'import.meta.url is the file URL of process.argv[1]');
	for (const key of ['kind', 'args', 'argv1', 'isMain', 'filename', 'dirname', 'result']) {
		t.deepEqual(report[key], plainReport[key], `${key} is as under plain node`);
	}

	t.true(report.traced);
	t.false(plainReport.traced);
	await loadTrace(t, output);
});

test('runs a CommonJS script as the main module: require.main === module', async t => {
	const directory = temporaryDirectory();
	const output = path.join(directory, 'trace.json');
	const script = fixture('main.cjs');
	const traced = await runCli(['-o', output, script, 'one', '2']);
	const plain = await run(process.execPath, [script, 'one', '2']);
	t.is(traced.code, 0, traced.stderr);
	const report = parseJsonLine(traced.stdout);
	const plainReport = parseJsonLine(plain.stdout);
	t.is(report.kind, 'cjs');
	t.true(report.isMain);
	t.is(report.moduleId, '.');
	t.deepEqual(report.args, ['one', '2']);
	t.is(report.argv1, script);
	for (const key of ['kind', 'args', 'argv1', 'isMain', 'moduleId', 'filename', 'result']) {
		t.deepEqual(report[key], plainReport[key], `${key} is as under plain node`);
	}

	t.true(report.traced);
	const {names} = await loadTrace(t, output);
	t.true(names.includes('cjs-work'));
	t.true(names.includes('cjs-instant'));
});

test('a .js script follows the "type" of its nearest package.json: module runs as ESM, commonjs as CommonJS', async t => {
	const directory = temporaryDirectory();
	const esmOutput = path.join(directory, 'esm.json');
	const cjsOutput = path.join(directory, 'cjs.json');
	const [esm, cjs] = await Promise.all([
		runCli(['-o', esmOutput, fixture('type-module/script.js'), 'x']),
		runCli(['-o', cjsOutput, fixture('commonjs/script.js'), 'y']),
	]);
	t.is(esm.code, 0, esm.stderr);
	t.is(cjs.code, 0, cjs.stderr);
	t.deepEqual(JSON.parse(esm.stdout), {kind: 'esm', args: ['x'], isMain: true, traced: true});
	t.deepEqual(JSON.parse(cjs.stdout), {kind: 'cjs', args: ['y'], isMain: true, traced: true});
	t.true((await loadTrace(t, esmOutput)).names.includes('type-module-instant'));
	t.true((await loadTrace(t, cjsOutput)).names.includes('commonjs-instant'));
});

test('a script path relative to the working directory runs with an absolute process.argv[1]', async t => {
	const directory = temporaryDirectory();
	const output = path.join(directory, 'trace.json');
	const result = await runCli(['-o', output, relativeFixture('main.mjs')], {cwd: rootDir});
	t.is(result.code, 0, result.stderr);
	t.is(parseJsonLine(result.stdout).argv1, fixture('main.mjs'));
	await loadTrace(t, output);
});

test('everything after the script goes to the script, options included', async t => {
	const directory = temporaryDirectory();
	const output = path.join(directory, 'trace.json');
	const scriptArgs = ['-o', 'not-the-trace.txt', '--quiet', '--help', '--version', '--tracer-entries', 'nonsense', '--', 'tail'];
	const result = await runCli(['-o', output, fixture('main.mjs'), ...scriptArgs]);
	t.is(result.code, 0, result.stderr);
	const report = parseJsonLine(result.stdout);
	t.deepEqual(report.args, scriptArgs);
	t.is(report.outputFile, output, 'viztracer kept its own -o');
	t.regex(result.stderr, /saved/, 'the script\'s --quiet did not silence viztracer');
	t.false(fs.existsSync(path.join(rootDir, 'not-the-trace.txt')));
	await loadTrace(t, output);
});

test('-- before the script ends viztracer\'s options', async t => {
	const directory = temporaryDirectory();
	const output = path.join(directory, 'trace.json');
	const result = await runCli(['--output-file', output, '--', fixture('main.mjs'), '--flag', '-x']);
	t.is(result.code, 0, result.stderr);
	t.deepEqual(parseJsonLine(result.stdout).args, ['--flag', '-x']);
	await loadTrace(t, output);
});

test('-- ends a --plugins list, and the script and its arguments follow', async t => {
	const directory = temporaryDirectory();
	const output = path.join(directory, 'trace.json');
	const plugin = `./${relativeFixture('plugins/edit-plugin.mjs')} only ${directory}`;
	const result = await runCli(['-o', output, '--plugins', plugin, '--', fixture('main.mjs'), 'a', '--b'], {cwd: rootDir});
	t.is(result.code, 0, result.stderr);
	t.deepEqual(parseJsonLine(result.stdout).args, ['a', '--b']);
	await loadTrace(t, output);
});

test('--log-async is a flag, so the word after it is the script; --log-async=all is its one value, and only before the script', async t => {
	const directory = temporaryDirectory();
	const output = path.join(directory, 'trace.json');
	const flag = await runCli(['-q', '-o', output, '--log-async', fixture('main.mjs'), '--log-async=all']);
	t.is(flag.code, 0, flag.stderr);
	t.like(parseJsonLine(flag.stdout), {logAsync: true, args: ['--log-async=all']});
	const all = await runCli(['-q', '--log-async=all', '-o', output, fixture('main.mjs'), '--log-async=foo', 'x']);
	t.is(all.code, 0, all.stderr);
	t.like(parseJsonLine(all.stdout), {logAsync: 'all', args: ['--log-async=foo', 'x']});
	await loadTrace(t, output);
});

test('--log-async with another value exits 2 with one line saying what it takes, without running the script', async t => {
	const directory = temporaryDirectory();
	const marker = path.join(directory, 'marker.txt');
	const result = await runCli(['--log-async=promises', fixture('marker.mjs'), marker], {cwd: directory});
	t.is(result.code, 2, result.stderr);
	t.is(result.stderr, 'viztracer: invalid --log-async=promises: expected --log-async, or --log-async=all to hook timers and I/O callbacks on every Node\n');
	t.is(result.stdout, '');
	t.false(fs.existsSync(marker), 'the script did not run');
	assertFiles(t, directory, []);
});

// Output streams

test('the script\'s stdout is passed through untouched; viztracer\'s own messages go to stderr', async t => {
	const directory = temporaryDirectory();
	const output = path.join(directory, 'trace.json');
	const script = fixture('prints.mjs');
	const traced = await runCli(['-o', output, script]);
	const plain = await run(process.execPath, [script]);
	t.is(traced.code, 0, traced.stderr);
	t.is(traced.stdout, plain.stdout);
	t.is(traced.stdout, 'first line\nsecond line with ünïcödé and emoji 🚀\n{"json": true}\nno newline at the end');
	t.true(traced.stderr.includes('a line the script writes to stderr\n'));
	t.true(traced.stderr.includes(output), 'stderr says where the trace went');
	t.regex(traced.stderr, /viztracer: saved \d+ entries to/);
	const {names} = await loadTrace(t, output);
	t.true(names.includes('printing'));
});

test('--quiet silences viztracer\'s messages but still writes the trace', async t => {
	const directory = temporaryDirectory();
	const output = path.join(directory, 'trace.json');
	const result = await runCli(['--quiet', '-o', output, fixture('main.mjs')]);
	t.is(result.code, 0, result.stderr);
	t.is(result.stderr, '');
	t.true(parseJsonLine(result.stdout).traced);
	await loadTrace(t, output);
});

test('-q is --quiet', async t => {
	const directory = temporaryDirectory();
	const output = path.join(directory, 'trace.json');
	const result = await runCli(['-q', '-o', output, fixture('main.mjs')]);
	t.is(result.code, 0, result.stderr);
	t.is(result.stderr, '');
	await loadTrace(t, output);
});

// Exit codes and the trace

test('a script that ends normally exits 0 and leaves a valid trace and nothing else', async t => {
	const directory = temporaryDirectory();
	const output = path.join(directory, 'trace.json');
	const result = await runCli(['-o', output, fixture('main.mjs')]);
	t.is(result.code, 0, result.stderr);
	t.is(result.signal, null);
	const {trace} = await loadTrace(t, output);
	t.false(trace.viztracer_metadata.overflow);
	assertFiles(t, directory, ['trace.json']);
});

test('process.exit(3) in the script exits 3, and the trace holds what was recorded before', async t => {
	const directory = temporaryDirectory();
	const output = path.join(directory, 'trace.json');
	const result = await runCli(['-o', output, fixture('exit-3.mjs')]);
	t.is(result.code, 3, result.stderr);
	t.is(result.stdout, 'exiting with 3\n');
	const {names} = await loadTrace(t, output);
	t.true(names.includes('before-exit'));
	assertFiles(t, directory, ['trace.json']);
});

for (const [title, script, message, eventName] of [
	['an uncaught error in an ES module', 'throws.mjs', 'boom from the traced script', 'before-throw'],
	['an uncaught error in a CommonJS script', 'throws.cjs', 'boom from the CommonJS script', 'before-throw-cjs'],
	['an unhandled promise rejection', 'rejects.mjs', 'unhandled rejection from the traced script', 'before-reject'],
]) {
	test(`${title} exits 1 with the error on stderr, and the trace is still written`, async t => {
		const directory = temporaryDirectory();
		const output = path.join(directory, 'trace.json');
		const result = await runCli(['-o', output, fixture(script)]);
		t.is(result.code, 1, result.stderr);
		t.is(result.signal, null);
		t.true(result.stderr.includes(message), result.stderr);
		t.regex(result.stdout, /^about to (throw|reject)\n$/);
		const {names} = await loadTrace(t, output);
		t.true(names.includes(eventName));
		assertFiles(t, directory, ['trace.json']);
	});
}

test('a top-level await that never settles exits 13, as under plain node, and the trace is still written', async t => {
	const directory = temporaryDirectory();
	const output = path.join(directory, 'trace.json');
	const script = fixture('unsettled-await.mjs');
	const [traced, plain] = await Promise.all([runCli(['-o', output, script]), run(process.execPath, [script])]);
	t.is(plain.code, 13);
	t.is(traced.code, 13, traced.stderr);
	t.is(traced.stdout, 'awaiting forever\n');
	const {names} = await loadTrace(t, output);
	t.true(names.includes('before-await'));
});

test('when the trace cannot be written, a clean run exits 1 saying where it failed to write', async t => {
	const directory = temporaryDirectory();
	// The script itself puts a regular file where the output's directory was, after the CLI checked it.
	const outputDirectory = path.join(directory, 'out');
	fs.mkdirSync(outputDirectory);
	const output = path.join(outputDirectory, 'trace.json');
	const result = await runCli(['-o', output, fixture('breaks-output.mjs'), outputDirectory]);
	t.is(result.code, 1, result.stderr);
	t.is(result.stdout, `broke ${outputDirectory}\n`, 'the script ran');
	t.true(result.stderr.includes(`Could not write the trace to ${output}`), result.stderr);
	assertFiles(t, directory, ['out']);
});

test('when the trace cannot be written, a failing script keeps its own exit code', async t => {
	const directory = temporaryDirectory();
	const outputDirectory = path.join(directory, 'out');
	fs.mkdirSync(outputDirectory);
	const output = path.join(outputDirectory, 'trace.json');
	const result = await runCli(['-o', output, fixture('breaks-output.mjs'), outputDirectory, '3']);
	t.is(result.code, 3, result.stderr);
	t.true(result.stderr.includes(`Could not write the trace to ${output}`), result.stderr);
});

test('getTracer() in the script returns the CLI\'s tracer, and its spans and events land in the trace', async t => {
	const directory = temporaryDirectory();
	const output = path.join(directory, 'trace.json');
	const result = await runCli(['-o', output, '--process-name', 'from-cli', fixture('main.mjs')]);
	t.is(result.code, 0, result.stderr);
	const report = parseJsonLine(result.stdout);
	t.true(report.traced);
	t.true(report.enabled, 'the tracer is already started when the script runs');
	t.is(report.outputFile, output, 'it carries the CLI\'s -o');
	t.is(report.processName, 'from-cli', 'it carries the CLI\'s --process-name');
	t.is(report.result, 42, 'the wrapped function still returns its value');
	const {events} = await loadTrace(t, output);
	const work = events.find(event => event.name === 'work');
	t.truthy(work, 'the wrapped call is a span');
	t.is(work.ph, 'X');
	t.is(work.cat, 'FEE');
	t.is(work.pid, report.pid);
	t.true(work.dur >= 0);
	const block = events.find(event => event.name === 'esm-block');
	t.is(block?.ph, 'X');
	const instant = events.find(event => event.name === 'esm-instant');
	t.is(instant?.ph, 'i');
	t.deepEqual(instant?.args, {result: 42});
});

// Options

test('-o with a .json.gz name writes a gzip-compressed trace', async t => {
	const directory = temporaryDirectory();
	const output = path.join(directory, 'trace.json.gz');
	const result = await runCli(['-o', output, fixture('main.mjs')]);
	t.is(result.code, 0, result.stderr);
	const raw = fs.readFileSync(output);
	t.deepEqual([raw[0], raw[1]], [0x1F, 0x8B], 'gzip magic number');
	const {names} = await loadTrace(t, output);
	t.true(names.includes('work'));
	assertFiles(t, directory, ['trace.json.gz']);
});

test('--output-file is the long form of -o', async t => {
	const directory = temporaryDirectory();
	const output = path.join(directory, 'long-form.json');
	const result = await runCli(['--output-file', output, fixture('main.mjs')]);
	t.is(result.code, 0, result.stderr);
	await loadTrace(t, output);
});

test('without -o the trace is result.json in the working directory', async t => {
	const directory = temporaryDirectory();
	const result = await runCli([fixture('main.mjs')], {cwd: directory});
	t.is(result.code, 0, result.stderr);
	t.true(result.stderr.includes(path.join(directory, 'result.json')));
	await loadTrace(t, path.join(directory, 'result.json'));
	assertFiles(t, directory, ['result.json']);
});

test('a small --tracer-entries overflows: overflow is true, the newest events are kept, and stderr explains it', async t => {
	const directory = temporaryDirectory();
	const output = path.join(directory, 'trace.json');
	const result = await runCli(['--tracer-entries', '16', '-o', output, fixture('many-events.mjs')]);
	t.is(result.code, 0, result.stderr);
	const {trace, names} = await loadTrace(t, output);
	t.true(trace.viztracer_metadata.overflow);
	t.true(names.length <= 16, `kept ${names.length} events`);
	t.true(names.includes('event-999'), 'the newest event is kept');
	t.false(names.includes('event-0'), 'the oldest event was dropped');
	t.true(result.stderr.includes('--tracer-entries'), result.stderr);
});

test('a ring big enough for the script does not overflow', async t => {
	const directory = temporaryDirectory();
	const output = path.join(directory, 'trace.json');
	const result = await runCli(['--tracer-entries', '4096', '-o', output, fixture('many-events.mjs')]);
	t.is(result.code, 0, result.stderr);
	const {trace, names} = await loadTrace(t, output);
	t.false(trace.viztracer_metadata.overflow);
	t.is(names.filter(name => name.startsWith('event-')).length, 1000);
	t.false(result.stderr.includes('overflowed'));
});

// With automatic tracing the CLI also records the fixtures' own functions
// (named `fn (file:line:col)`), so these two tests assert on what holds either
// way rather than on an exact list of spans.
test('--max-stack-depth drops spans nested deeper than the limit', async t => {
	const directory = temporaryDirectory();
	const limited = path.join(directory, 'limited.json');
	const unlimited = path.join(directory, 'unlimited.json');
	const [withLimit, withoutLimit] = await Promise.all([
		runCli(['--max-stack-depth', '2', '-o', limited, fixture('nested.mjs')]),
		runCli(['-o', unlimited, fixture('nested.mjs')]),
	]);
	t.is(withLimit.code, 0, withLimit.stderr);
	t.is(withoutLimit.code, 0, withoutLimit.stderr);
	t.is(withLimit.stdout, '4\n');
	// nested.mjs makes one chain of nested calls, so at most two spans (depths 0 and 1) fit.
	const kept = await loadTrace(t, limited);
	const keptSpans = kept.events.filter(event => event.ph === 'X');
	t.true(keptSpans.length > 0 && keptSpans.length <= 2, `kept ${keptSpans.map(event => event.name).join(', ')}`);
	t.true(kept.names.includes('level1'), 'the outermost span is kept');
	t.false(kept.names.includes('level3'));
	t.false(kept.names.includes('level4'));
	const all = await loadTrace(t, unlimited);
	for (const name of ['level1', 'level2', 'level3', 'level4']) {
		t.true(all.names.includes(name), `without the limit ${name} is recorded`);
	}
});

test('--min-duration drops spans shorter than the given microseconds', async t => {
	const directory = temporaryDirectory();
	const filtered = path.join(directory, 'filtered.json');
	const unfiltered = path.join(directory, 'unfiltered.json');
	const [withMinimum, withoutMinimum] = await Promise.all([
		runCli(['--min-duration', '100000', '-o', filtered, fixture('durations.mjs')]),
		runCli(['-o', unfiltered, fixture('durations.mjs')]),
	]);
	t.is(withMinimum.code, 0, withMinimum.stderr);
	t.is(withoutMinimum.code, 0, withoutMinimum.stderr);
	const kept = await loadTrace(t, filtered);
	t.true(kept.names.includes('slow'));
	t.false(kept.names.includes('fast'));
	for (const span of kept.events.filter(event => event.ph === 'X')) {
		t.true(span.dur >= 100_000, `${span.name} lasted ${span.dur} µs`);
	}

	const all = await loadTrace(t, unfiltered);
	t.true(all.names.includes('slow'));
	t.true(all.names.includes('fast'), 'without the minimum the short span is recorded');
});

test('--pid-suffix appends the process id to the output file name', async t => {
	const directory = temporaryDirectory();
	const result = await runCli(['--pid-suffix', '-o', path.join(directory, 'trace.json'), fixture('main.mjs')]);
	t.is(result.code, 0, result.stderr);
	const {pid} = parseJsonLine(result.stdout);
	const expected = path.join(directory, `trace_${pid}.json`);
	t.true(result.stderr.includes(expected));
	const {events} = await loadTrace(t, expected);
	t.true(events.every(event => event.pid === pid));
	assertFiles(t, directory, [`trace_${pid}.json`]);
});

test('--pid-suffix keeps the .json.gz extension at the end', async t => {
	const directory = temporaryDirectory();
	const result = await runCli(['--pid-suffix', '-o', path.join(directory, 'trace.json.gz'), fixture('main.mjs')]);
	t.is(result.code, 0, result.stderr);
	const {pid} = parseJsonLine(result.stdout);
	await loadTrace(t, path.join(directory, `trace_${pid}.json.gz`));
	assertFiles(t, directory, [`trace_${pid}.json.gz`]);
});

test('--process-name names the process in the process_name metadata event', async t => {
	const directory = temporaryDirectory();
	const output = path.join(directory, 'trace.json');
	const result = await runCli(['--process-name', 'my traced service', '-o', output, fixture('main.mjs')]);
	t.is(result.code, 0, result.stderr);
	const {trace} = await loadTrace(t, output);
	const processName = trace.traceEvents.find(event => event.ph === 'M' && event.name === 'process_name');
	t.deepEqual(processName.args, {name: 'my traced service'});
	t.is(processName.pid, parseJsonLine(result.stdout).pid);
});

test('the process is named after the script\'s file name by default', async t => {
	const directory = temporaryDirectory();
	const esmOutput = path.join(directory, 'esm.json');
	const cjsOutput = path.join(directory, 'cjs.json');
	const [esm, cjs] = await Promise.all([
		runCli(['-o', esmOutput, fixture('main.mjs'), 'arg']),
		runCli(['-o', cjsOutput, relativeFixture('main.cjs')], {cwd: rootDir}),
	]);
	t.is(esm.code, 0, esm.stderr);
	t.is(cjs.code, 0, cjs.stderr);
	for (const [file, name] of [[esmOutput, 'main.mjs'], [cjsOutput, 'main.cjs']]) {
		// eslint-disable-next-line no-await-in-loop
		const {trace} = await loadTrace(t, file);
		const processName = trace.traceEvents.find(event => event.ph === 'M' && event.name === 'process_name');
		t.deepEqual(processName.args, {name});
	}
});

// Bad command lines

for (const [args, flag, mentions] of [
	[['--tracer-entries', 'abc'], '--tracer-entries', 'abc'],
	[['--tracer-entries', '0'], '--tracer-entries', '0'],
	[['--tracer-entries', '1.5'], '--tracer-entries', '1.5'],
	[['--max-stack-depth', '-2'], '--max-stack-depth', '-2'],
	[['--max-stack-depth', 'deep'], '--max-stack-depth', 'deep'],
	[['--min-duration', '-1'], '--min-duration', '-1'],
	[['--min-duration', 'soon'], '--min-duration', 'soon'],
	[['-o', 'trace.txt'], '--output-file', 'trace.txt'],
	[['--output-file', 'trace.json.zip'], '--output-file', 'trace.json.zip'],
	[['--include-files', 'a.js', '--exclude-files', 'b.js', '--'], '--exclude-files', 'mutually exclusive'],
]) {
	test(`a bad value (${args.join(' ')}) exits 2 naming ${flag}, without running the script`, async t => {
		const directory = temporaryDirectory();
		const marker = path.join(directory, 'marker.txt');
		const result = await runCli([...args, fixture('marker.mjs'), marker], {cwd: directory});
		t.is(result.code, 2, result.stderr);
		t.true(result.stderr.includes(flag), result.stderr);
		t.true(result.stderr.includes(mentions), result.stderr);
		t.is(result.stdout, '');
		t.false(fs.existsSync(marker), 'the script did not run');
		assertFiles(t, directory, []);
	});
}

test('an option missing its value exits 2 naming the flag', async t => {
	const directory = temporaryDirectory();
	const result = await runCli(['--process-name'], {cwd: directory});
	t.is(result.code, 2, result.stderr);
	t.true(result.stderr.includes('--process-name'), result.stderr);
	t.is(result.stdout, '');
});

for (const flag of ['--no-such-flag', '-z']) {
	test(`an unknown flag (${flag}) exits 2 naming it, without running the script`, async t => {
		const directory = temporaryDirectory();
		const marker = path.join(directory, 'marker.txt');
		const result = await runCli([flag, fixture('marker.mjs'), marker], {cwd: directory});
		t.is(result.code, 2, result.stderr);
		t.true(result.stderr.includes(flag), result.stderr);
		t.true(result.stderr.includes('--help'), 'it points at --help');
		t.is(result.stdout, '');
		t.false(fs.existsSync(marker));
		assertFiles(t, directory, []);
	});
}

test('a script that does not exist exits 1 with a clear message and writes no trace', async t => {
	const directory = temporaryDirectory();
	const result = await runCli(['no-such-script.mjs', 'arg'], {cwd: directory});
	t.is(result.code, 1, result.stderr);
	t.regex(result.stderr, /cannot find the script no-such-script\.mjs/);
	t.true(result.stderr.includes(path.join(directory, 'no-such-script.mjs')), 'it says where it looked');
	t.is(result.stdout, '');
	assertFiles(t, directory, []);
});

/** One line on stderr, and no stack trace. */
function assertOneLine(t, stderr) {
	t.is(stderr.trim().split('\n').length, 1, stderr);
	t.notRegex(stderr, /^\s+at /m, 'no stack trace');
}

test('a directory as the script exits 1 naming it, and an existing result.json is left untouched', async t => {
	const directory = temporaryDirectory();
	fs.mkdirSync(path.join(directory, 'scripts'));
	fs.writeFileSync(path.join(directory, 'result.json'), 'from before');
	for (const script of ['scripts', directory]) {
		// eslint-disable-next-line no-await-in-loop
		const result = await runCli([script], {cwd: directory});
		t.is(result.code, 1, result.stderr);
		t.true(result.stderr.startsWith(`viztracer: ${script} is a directory`), result.stderr);
		assertOneLine(t, result.stderr);
		t.is(result.stdout, '');
	}

	t.is(fs.readFileSync(path.join(directory, 'result.json'), 'utf8'), 'from before');
	assertFiles(t, directory, ['result.json', 'scripts']);
});

test('a script is found as plain node finds it: a name without its extension, a directory with an index.js', async t => {
	const directory = temporaryDirectory();
	fs.mkdirSync(path.join(directory, 'app'));
	fs.writeFileSync(path.join(directory, 'app', 'index.js'), 'require(\'node:fs\').writeFileSync(process.argv[2], \'ran\\n\');\n');
	fs.writeFileSync(path.join(directory, 'tool.js'), 'require(\'node:fs\').writeFileSync(process.argv[2], \'ran\\n\');\n');
	for (const script of ['app', './tool']) {
		const marker = path.join(directory, `${path.basename(script)}.txt`);
		// eslint-disable-next-line no-await-in-loop
		const [plain, traced] = await Promise.all([run(process.execPath, [script, `${marker}.plain`], {cwd: directory}), runCli(['-q', '-o', 'trace.json', script, marker], {cwd: directory})]);
		t.is(plain.code, 0, plain.stderr);
		t.true(fs.existsSync(`${marker}.plain`));
		t.is(traced.code, 0, traced.stderr);
		t.true(fs.existsSync(marker), `${script} ran traced`);
	}
});

test('-o where no directory can be made fails at once with exit 2 naming --output-file, without running the script', async t => {
	const directory = temporaryDirectory();
	fs.writeFileSync(path.join(directory, 'not-a-directory'), '');
	const marker = path.join(directory, 'marker.txt');
	const outputs = [path.join(directory, 'not-a-directory', 'deeper', 'trace.json')];
	// A recursive mkdir under /proc never returns: the check must not use one.
	if (fs.existsSync('/proc/self')) {
		outputs.push('/proc/viztracer-no-such-directory/trace.json');
	}

	for (const output of outputs) {
		// eslint-disable-next-line no-await-in-loop
		const result = await runCli(['-o', output, fixture('marker.mjs'), marker], {cwd: directory});
		t.is(result.code, 2, result.stderr);
		t.true(result.stderr.startsWith(`viztracer: invalid --output-file ${output}: `), result.stderr);
		assertOneLine(t, result.stderr);
		t.is(result.stdout, '');
	}

	t.false(fs.existsSync(marker), 'the script did not run');
	assertFiles(t, directory, ['not-a-directory']);
});

test('-o creates the missing directories of the trace before the script runs, and leaves nothing else there', async t => {
	const directory = temporaryDirectory();
	const output = path.join(directory, 'a', 'b', 'trace.json');
	const result = await runCli(['-o', output, fixture('main.mjs')]);
	t.is(result.code, 0, result.stderr);
	await loadTrace(t, output);
	assertFiles(t, path.join(directory, 'a', 'b'), ['trace.json']);
});

test('options after a --plugins list\'s -- are explained: they were taken as the script, and where they go instead', async t => {
	const directory = temporaryDirectory();
	const marker = path.join(directory, 'marker.txt');
	const plugin = `./${relativeFixture('plugins/edit-plugin.mjs')} misplaced ${directory}`;
	const result = await runCli(['--plugins', plugin, '--', '-o', path.join(directory, 'trace.json'), fixture('marker.mjs'), marker], {cwd: rootDir});
	t.is(result.code, 2, result.stderr);
	t.true(result.stderr.startsWith('viztracer: cannot find the script -o: '), result.stderr);
	t.regex(result.stderr, /options go before --plugins/);
	t.true(result.stderr.includes('viztracer [options] --plugins <spec...> -- script.js'), result.stderr);
	assertOneLine(t, result.stderr);
	t.false(fs.existsSync(marker), 'the script did not run');
	assertFiles(t, directory, []);
});

test('no script prints the usage to stderr and exits 2', async t => {
	const directory = temporaryDirectory();
	for (const args of [[], ['-o', 'trace.json'], ['--quiet', '--']]) {
		// eslint-disable-next-line no-await-in-loop
		const result = await runCli(args, {cwd: directory});
		t.is(result.code, 2, `${args.join(' ')}: ${result.stderr}`);
		t.regex(result.stderr, /no script given/);
		t.regex(result.stderr, /Usage: viztracer \[options] \[--] script\.js \[args\.\.\.]/);
		t.is(result.stdout, '');
	}

	assertFiles(t, directory, []);
});

test('--help into a pipe whose reader is gone (`viztracer --help | head -1`) ends quietly, exit 0', async t => {
	// `true` exits before viztracer writes: the write meets a closed pipe. viztracer's exit code goes to stderr.
	const result = await run('sh', ['-c', `{ "${process.execPath}" "${cliPath}" --help; echo "exit $?" >&2; } | true`]);
	t.is(result.stderr, 'exit 0\n');
});

test('where require() of ES modules is off, the CLI exits 1 with one line, and viztracer/register lets the program run untraced', async t => {
	const directory = temporaryDirectory();
	const output = path.join(directory, 'trace.json');
	const script = path.join(directory, 'script.cjs');
	fs.writeFileSync(script, 'function answer() { return 40 + 2; }\nconsole.log(answer());\n');
	const cli = await run(process.execPath, ['--no-experimental-require-module', cliPath, '-o', output, script]);
	t.is(cli.code, 1);
	t.is(cli.stdout, '');
	t.is(cli.stderr, 'viztracer: require() of ES modules is turned off (--no-experimental-require-module), and viztracer needs it: leave the flag out\n');
	t.false(fs.existsSync(output));
	const untraced = await run(process.execPath, [script]);
	const preload = await run(process.execPath, ['--no-experimental-require-module', '--import', path.join(rootDir, 'dist', 'integrations', 'register.js'), script], {env: {VIZTRACER_OUTPUT_FILE: output}});
	t.is(preload.code, 0);
	t.is(preload.stdout, untraced.stdout);
	t.regex(preload.stderr, /^viztracer: warning: require\(\) of ES modules is turned off .*; the program runs untraced\n$/);
	t.false(fs.existsSync(output));
});

test('--help prints the usage and every option on stdout and exits 0', async t => {
	for (const flag of ['--help', '-h']) {
		// eslint-disable-next-line no-await-in-loop
		const result = await runCli([flag]);
		t.is(result.code, 0, result.stderr);
		t.is(result.stderr, '');
		t.regex(result.stdout, /^Usage: viztracer \[options] \[--] script\.js \[args\.\.\.]/);
		for (const option of ['--output-file', '--tracer-entries', '--max-stack-depth', '--min-duration', '--plugins', '--pid-suffix', '--process-name', '--quiet', '--version', '--help']) {
			t.true(result.stdout.includes(option), `${flag} mentions ${option}`);
		}
	}
});

test('--version prints the package version on stdout and exits 0, without running a script', async t => {
	const directory = temporaryDirectory();
	const marker = path.join(directory, 'marker.txt');
	for (const args of [['--version'], ['--version', fixture('marker.mjs'), marker]]) {
		// eslint-disable-next-line no-await-in-loop
		const result = await runCli(args, {cwd: directory});
		t.is(result.code, 0, result.stderr);
		t.is(result.stdout, `${packageVersion}\n`);
		t.is(result.stderr, '');
	}

	t.false(fs.existsSync(marker));
	assertFiles(t, directory, []);
});

// Plugins

test('--plugins loads each plugin with its whole unparsed string; pre-save handlers edit the trace and terminate is sent', async t => {
	const directory = temporaryDirectory();
	const output = path.join(directory, 'trace.json');
	const pluginPath = `./${relativeFixture('plugins/edit-plugin.mjs')}`;
	const first = `${pluginPath} first ${directory}`;
	const second = `  ${pluginPath}   second   ${directory}  `;
	const result = await runCli(['-o', output, '--plugins', first, second, '--', fixture('main.mjs'), 'arg'], {cwd: rootDir});
	t.is(result.code, 0, result.stderr);
	t.deepEqual(parseJsonLine(result.stdout).args, ['arg']);
	const {trace, events} = await loadTrace(t, output);
	const edits = events.filter(event => event.name.startsWith('plugin-edit-'));
	t.deepEqual(edits.map(event => event.name), ['plugin-edit-first', 'plugin-edit-second'], 'handlers ran in plugin order');
	t.is(edits[0].args.arg, first, 'getVizplugin got the whole string');
	t.is(edits[1].args.arg, second, 'getVizplugin got the string unparsed, spaces and all');
	t.deepEqual(edits[0].args.events, ['initialize', 'pre-start', 'post-stop', 'pre-save']);
	t.true(trace.viztracer_metadata.plugin_first);
	t.true(trace.viztracer_metadata.plugin_second);
	t.true(events.some(event => event.name === 'work'), 'the script\'s own spans are still there');
	for (const label of ['first', 'second']) {
		const terminated = path.join(directory, `terminated-${label}.txt`);
		t.true(fs.existsSync(terminated), `plugin ${label} received terminate`);
		t.deepEqual(JSON.parse(fs.readFileSync(terminated, 'utf8')), ['initialize', 'pre-start', 'post-stop', 'pre-save', 'terminate']);
	}
});

test('a plugin path is resolved from the working directory', async t => {
	const directory = temporaryDirectory();
	const output = path.join(directory, 'trace.json');
	const pluginsDirectory = path.join(fixturesDir, 'cli', 'plugins');
	const result = await runCli(['-o', output, '--plugins', `./edit-plugin.mjs cwd ${directory}`, '--', fixture('main.mjs')], {cwd: pluginsDirectory});
	t.is(result.code, 0, result.stderr);
	const {names} = await loadTrace(t, output);
	t.true(names.includes('plugin-edit-cwd'));
	t.true(fs.existsSync(path.join(directory, 'terminated-cwd.txt')));
});

for (const [title, script, expectedCode] of [
	['process.exit(3)', 'exit-3.mjs', 3],
	['an uncaught error', 'throws.mjs', 1],
	['an unhandled rejection', 'rejects.mjs', 1],
]) {
	test(`plugins still edit the trace and receive terminate when the script ends with ${title}`, async t => {
		const directory = temporaryDirectory();
		const output = path.join(directory, 'trace.json');
		const plugin = `./${relativeFixture('plugins/edit-plugin.mjs')} ending ${directory}`;
		const result = await runCli(['-o', output, '--plugins', plugin, '--', fixture(script)], {cwd: rootDir});
		t.is(result.code, expectedCode, result.stderr);
		const {names} = await loadTrace(t, output);
		t.true(names.includes('plugin-edit-ending'));
		t.true(fs.existsSync(path.join(directory, 'terminated-ending.txt')), 'terminate was sent before the process exited');
	});
}

for (const [title, specifier, reason] of [
	['a module whose getVizplugin is not a function', `./${relativeFixture('plugins/not-a-function.mjs')}`, /exports getVizplugin, but it is number, not a function/],
	['a package that exports no getVizplugin', `./${relativeFixture('plugins/no-factory')}`, /does not export getVizplugin/],
	['a plugin path that does not exist', `./${relativeFixture('plugins/no-such-plugin.mjs')}`, /Cannot find plugin module/],
	['a plugin package name that does not exist', 'viztracer-no-such-plugin-package', /Cannot find plugin module 'viztracer-no-such-plugin-package'/],
]) {
	test(`--plugins with ${title} exits 1 with the reason, without running the script`, async t => {
		const directory = temporaryDirectory();
		const output = path.join(directory, 'trace.json');
		const marker = path.join(directory, 'marker.txt');
		const result = await runCli(['-o', output, '--plugins', `${specifier} some args`, '--', fixture('marker.mjs'), marker], {cwd: rootDir});
		t.is(result.code, 1, result.stderr);
		t.regex(result.stderr, /cannot load plugin/);
		t.regex(result.stderr, reason);
		t.true(result.stderr.includes(specifier), 'the message names the plugin');
		t.is(result.stdout, '');
		t.false(fs.existsSync(marker), 'the script did not run');
		assertFiles(t, directory, []);
	});
}

// Signals

for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP']) {
	test(`${signal} to a long-running traced script saves a valid trace, terminates plugins, and the process dies by ${signal}`, async t => {
		const directory = temporaryDirectory();
		const output = path.join(directory, 'trace.json');
		const plugin = `./${relativeFixture('plugins/edit-plugin.mjs')} signalled ${directory}`;
		const result = await runUntilReadyThenSignal(['-o', output, '--plugins', plugin, '--', fixture('long-running.mjs')], signal);
		t.is(result.signal, signal, result.stderr);
		t.is(result.code, null);
		t.is(result.stdout, 'ready\n');
		const {names} = await loadTrace(t, output);
		t.true(names.includes('before-ready'));
		t.true(names.includes('plugin-edit-signalled'));
		t.true(fs.existsSync(path.join(directory, 'terminated-signalled.txt')));
		assertFiles(t, directory, ['terminated-signalled.txt', 'trace.json']);
	});
}

test('a script with its own SIGINT handler keeps control: its handler runs, it exits by itself, and the trace is saved', async t => {
	const directory = temporaryDirectory();
	const output = path.join(directory, 'trace.json');
	const result = await runUntilReadyThenSignal(['-o', output, fixture('own-sigint.mjs')], 'SIGINT');
	t.is(result.signal, null, 'the process was not killed by the signal');
	t.is(result.code, 7, result.stderr);
	t.is(result.stdout, 'ready\nhandled\n');
	const {names} = await loadTrace(t, output);
	t.true(names.includes('sigint-handled'), 'events recorded in the handler are in the trace');
	assertFiles(t, directory, ['trace.json']);
});

// A signal listener runs only when the main thread's JavaScript yields; a
// script stuck in a synchronous loop must still die by the signal at once, as
// under plain node, with the trace of what ran before the loop.
for (const [script, signal] of [['busy-forever.mjs', 'SIGINT'], ['busy-forever.mjs', 'SIGTERM'], ['busy-forever-in-timer.cjs', 'SIGINT']]) {
	test(`${signal} to a script stuck in a synchronous loop (${script}) ends it by ${signal}, as plain node, and saves the trace`, async t => {
		const directory = temporaryDirectory();
		const output = path.join(directory, 'trace.json');
		const [plain, traced] = await Promise.all([
			runUntilReadyThenSignal([fixture(script)], signal, {plain: true}),
			runUntilReadyThenSignal(['-o', output, fixture(script)], signal),
		]);
		t.is(plain.signal, signal, plain.stderr);
		t.is(traced.signal, plain.signal, traced.stderr);
		t.is(traced.code, plain.code);
		t.is(traced.stdout, 'ready\n');
		const {names} = await loadTrace(t, output);
		t.true(names.some(name => name.startsWith(script.endsWith('.cjs') ? 'step (' : 'work (')), String(names));
		assertFiles(t, directory, ['trace.json']);
	});
}

test('a script with its own SIGINT handler that is busy when the signal comes runs its handler after the loop, as under plain node', async t => {
	const directory = temporaryDirectory();
	const output = path.join(directory, 'trace.json');
	const [plain, traced] = await Promise.all([
		runUntilReadyThenSignal([fixture('own-sigint-busy.mjs')], 'SIGINT', {plain: true}),
		runUntilReadyThenSignal(['-o', output, fixture('own-sigint-busy.mjs')], 'SIGINT'),
	]);
	t.is(plain.code, 7, plain.stderr);
	t.is(traced.code, plain.code, traced.stderr);
	t.is(traced.signal, null);
	t.is(traced.stdout, plain.stdout);
	t.is(traced.stdout, 'ready\nloop over\nhandled\n');
	await loadTrace(t, output);
});

test('a script whose SIGINT handler calls process.exit() exits with its code, and nothing but its output', async t => {
	const directory = temporaryDirectory();
	const output = path.join(directory, 'trace.json');
	const [plain, traced] = await Promise.all([
		runUntilReadyThenSignal([fixture('own-sigint-exits.mjs')], 'SIGINT', {plain: true}),
		runUntilReadyThenSignal(['-q', '-o', output, fixture('own-sigint-exits.mjs')], 'SIGINT'),
	]);
	t.is(plain.code, 5, plain.stderr);
	t.is(traced.code, plain.code, traced.stderr);
	t.is(traced.stdout, plain.stdout);
	t.is(traced.stderr, '', 'no word from viztracer or from Node');
	await loadTrace(t, output);
});

// Globals

test('a script that freezes globalThis first behaves as under plain node: same output, same exit code, and a trace', async t => {
	const directory = temporaryDirectory();
	const output = path.join(directory, 'trace.json');
	const script = fixture('freezes-globals.mjs');
	const [plain, traced] = await Promise.all([run(process.execPath, [script]), runCli(['-q', '-o', output, script])]);
	t.is(plain.code, 0, plain.stderr);
	t.is(traced.code, plain.code, traced.stderr);
	t.is(traced.stdout, plain.stdout);
	t.is(traced.stderr, '');
	const {names} = await loadTrace(t, output);
	t.true(names.some(name => name.startsWith('fib (')), String(names));
});
