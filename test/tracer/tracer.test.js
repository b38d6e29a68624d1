import fs from 'node:fs';
import path from 'node:path';
import test from 'ava';
import {
	getTracer,
	VizPluginBase,
	VizTracer,
	VizTracerOptionError,
	VizTracerStateError,
} from '../../dist/index.js';
import {readTrace, temporaryDirectory} from '../helpers/exec.js';

// Every test here starts tracers, and only one tracer may record at a time
// (getTracer() is process-wide), so all of them run serially.

// One temporary root for the file (removed at exit), a fresh directory in it per tracer.
const temporaryRoot = temporaryDirectory();
const freshDirectory = () => fs.mkdtempSync(path.join(temporaryRoot, 'case-'));

/** A tracer writing into a fresh temporary directory; terminated after the test whatever happens. */
function makeTracer(t, options = {}) {
	const directory = freshDirectory();
	const tracer = new VizTracer({verbose: 0, outputFile: path.join(directory, 'result.json'), ...options});
	t.teardown(() => {
		try {
			tracer.terminate();
		} catch {}
	});
	return {tracer, directory, outputFile: tracer.options.outputFile};
}

function assertStateError(t, fn, messagePattern) {
	const error = t.throws(fn, {instanceOf: VizTracerStateError});
	t.is(error.code, 'VIZTRACER_INVALID_STATE');
	if (messagePattern) {
		t.regex(error.message, messagePattern);
	}

	return error;
}

/** Names of the events a trace recorded (metadata events left out). */
const recordedNames = trace => trace.traceEvents.filter(event => event.ph !== 'M').map(event => event.name);

class AckPlugin extends VizPluginBase {
	messages = [];

	supportVersion() {
		return '0.1.0';
	}

	message(mType, payload) {
		this.messages.push(mType === 'event' ? payload.when : payload.cmd_type);
		return super.message(mType, payload);
	}
}

// Lifecycle: start / stop / terminate and their errors

test.serial('start() - returns the tracer itself', t => {
	const {tracer} = makeTracer(t);
	t.is(tracer.start(), tracer);
	tracer.stop();
});

test.serial('start() - throws VizTracerStateError when already started', t => {
	const {tracer} = makeTracer(t);
	tracer.start();
	assertStateError(t, () => tracer.start(), /already started/);
	t.true(tracer.enabled, 'the failed second start() leaves the tracer recording');
	tracer.stop();
});

test.serial('start() - can start again after stop()', t => {
	const {tracer, outputFile} = makeTracer(t);
	tracer.start();
	tracer.logInstant('first');
	tracer.stop();
	t.is(tracer.start(), tracer);
	tracer.logInstant('second');
	tracer.stop();
	tracer.save();
	return readTrace(outputFile).then(trace => {
		t.deepEqual(recordedNames(trace), ['first', 'second']);
	});
});

test.serial('stop() - throws VizTracerStateError when the tracer was never started', t => {
	const {tracer} = makeTracer(t);
	assertStateError(t, () => tracer.stop(), /not started/);
});

test.serial('stop() - throws VizTracerStateError when called twice', t => {
	const {tracer} = makeTracer(t);
	tracer.start();
	tracer.stop();
	assertStateError(t, () => tracer.stop(), /not started/);
});

test.serial('save() - throws VizTracerStateError after terminate()', t => {
	const {tracer, outputFile} = makeTracer(t);
	tracer.start();
	tracer.stop();
	tracer.terminate();
	assertStateError(t, () => tracer.save(), /terminated/);
	t.false(fs.existsSync(outputFile), 'nothing was written');
});

test.serial('saveAsync() - rejects with VizTracerStateError after terminate()', async t => {
	const {tracer} = makeTracer(t);
	tracer.terminate();
	const error = await t.throwsAsync(tracer.saveAsync(), {instanceOf: VizTracerStateError});
	t.is(error.code, 'VIZTRACER_INVALID_STATE');
});

test.serial('start() - throws VizTracerStateError after terminate()', t => {
	const {tracer} = makeTracer(t);
	tracer.terminate();
	assertStateError(t, () => tracer.start(), /terminated/);
	t.false(tracer.enabled);
	t.is(getTracer(), undefined);
});

test.serial('stop() - throws VizTracerStateError after terminate()', t => {
	const {tracer} = makeTracer(t);
	tracer.start();
	tracer.terminate();
	assertStateError(t, () => tracer.stop(), /terminated/);
});

test.serial('terminate() - a second call is a no-op', t => {
	const plugin = new AckPlugin();
	const {tracer} = makeTracer(t, {plugins: [plugin]});
	let terminateEvents = 0;
	tracer.on('terminate', () => {
		terminateEvents++;
	});
	tracer.terminate();
	t.notThrows(() => tracer.terminate());
	t.is(terminateEvents, 1);
	t.deepEqual(plugin.messages.filter(message => message === 'terminate'), ['terminate'], 'plugins get the terminate command once');
});

test.serial('terminate() - stops a running tracer and clears getTracer()', t => {
	const {tracer} = makeTracer(t);
	tracer.start();
	t.is(getTracer(), tracer);
	tracer.terminate();
	t.false(tracer.enabled);
	t.is(getTracer(), undefined);
});

// getTracer() and the one-tracer-at-a-time rule

test.serial('getTracer() - is undefined when no tracer is started', t => {
	const {tracer} = makeTracer(t);
	t.is(getTracer(), undefined, 'constructing a tracer does not make it current');
	tracer.start();
	tracer.stop();
	t.is(getTracer(), undefined);
});

test.serial('getTracer() - returns the started tracer and undefined after stop()', t => {
	const {tracer} = makeTracer(t);
	tracer.start();
	t.is(getTracer(), tracer);
	tracer.stop();
	t.is(getTracer(), undefined);
});

test.serial('getTracer() - lets code without a reference record into the started tracer', async t => {
	const {tracer, outputFile} = makeTracer(t);
	const library = () => {
		getTracer()?.logInstant('from-library');
	};

	library();
	tracer.start();
	library();
	tracer.stop();
	library();
	tracer.save();
	const trace = await readTrace(outputFile);
	t.deepEqual(recordedNames(trace), ['from-library']);
});

test.serial('start() - throws VizTracerStateError while another tracer is started', t => {
	const {tracer: first} = makeTracer(t);
	const {tracer: second} = makeTracer(t);
	first.start();
	assertStateError(t, () => second.start(), /another VizTracer/);
	t.false(second.enabled);
	t.is(getTracer(), first, 'the running tracer stays current');
	first.stop();
	t.is(second.start(), second, 'once the first stops, the second may start');
	t.is(getTracer(), second);
	second.stop();
});

test.serial('start() - a tracer refused while another runs does not send pre-start to its plugins', t => {
	const {tracer: first} = makeTracer(t);
	const plugin = new AckPlugin();
	const {tracer: second} = makeTracer(t, {plugins: [plugin]});
	first.start();
	t.throws(() => second.start(), {instanceOf: VizTracerStateError});
	t.deepEqual(plugin.messages, ['initialize']);
	first.stop();
});

// Lifecycle events emitted on the tracer

test.serial('events - pre-start is emitted by start() before recording begins', t => {
	const {tracer} = makeTracer(t);
	const seen = [];
	tracer.on('pre-start', (...args) => {
		seen.push({args, enabled: tracer.enabled});
	});
	tracer.start();
	t.deepEqual(seen, [{args: [], enabled: false}]);
	t.true(tracer.enabled);
	tracer.stop();
});

test.serial('events - post-stop is emitted by stop() after recording ends', t => {
	const {tracer} = makeTracer(t);
	const seen = [];
	tracer.on('post-stop', (...args) => {
		seen.push({args, enabled: tracer.enabled, current: getTracer()});
	});
	tracer.start();
	t.deepEqual(seen, []);
	tracer.stop();
	t.deepEqual(seen, [{args: [], enabled: false, current: undefined}]);
});

test.serial('events - pre-save listener gets the assembled trace before it is written', async t => {
	const {tracer, outputFile} = makeTracer(t);
	const seen = [];
	tracer.on('pre-save', (data, ...rest) => {
		seen.push({
			keys: Object.keys(data).sort(),
			names: recordedNames(data),
			metadata: data.viztracer_metadata,
			rest,
			written: fs.existsSync(outputFile),
		});
	});
	tracer.start();
	tracer.logInstant('before-save');
	tracer.stop();
	tracer.save();
	t.is(seen.length, 1);
	const [event] = seen;
	t.deepEqual(event.keys, ['displayTimeUnit', 'traceEvents', 'viztracer_metadata']);
	t.deepEqual(event.names, ['before-save']);
	t.deepEqual(event.rest, []);
	t.false(event.written, 'the file is not written yet when pre-save fires');
	t.is(typeof event.metadata.version, 'string');
	const trace = await readTrace(outputFile);
	t.deepEqual(recordedNames(trace), ['before-save']);
});

test.serial('events - what a pre-save listener leaves in the data is what gets written', async t => {
	const {tracer, outputFile} = makeTracer(t);
	tracer.on('pre-save', data => {
		data.traceEvents.push({ph: 'i', name: 'added-by-listener', pid: 1, tid: 2, ts: 3, s: 'g'});
		data.traceEvents = data.traceEvents.filter(event => event.name !== 'dropped');
		data.viztracer_metadata.note = 'listener was here';
		data.extraKey = {nested: [1, 2, 3]};
	});
	tracer.start();
	tracer.logInstant('kept');
	tracer.logInstant('dropped');
	tracer.stop();
	tracer.save();
	const trace = await readTrace(outputFile);
	t.deepEqual(recordedNames(trace), ['kept', 'added-by-listener']);
	t.deepEqual(trace.traceEvents.at(-1), {ph: 'i', name: 'added-by-listener', pid: 1, tid: 2, ts: 3, s: 'g'});
	t.is(trace.viztracer_metadata.note, 'listener was here');
	t.deepEqual(trace.extraKey, {nested: [1, 2, 3]});
	t.is(trace.displayTimeUnit, 'ns');
});

test.serial('events - pre-save listener mutations do not leak into the next save()', async t => {
	const {tracer, directory} = makeTracer(t);
	let calls = 0;
	const listener = data => {
		calls++;
		data.traceEvents.push({ph: 'i', name: `added-${calls}`, pid: 1, tid: 1, ts: 0, s: 't'});
	};

	tracer.on('pre-save', listener);
	tracer.start();
	tracer.logInstant('recorded');
	tracer.stop();
	const first = tracer.save(path.join(directory, 'first.json'));
	tracer.off('pre-save', listener);
	const second = tracer.save(path.join(directory, 'second.json'));
	t.deepEqual(recordedNames(await readTrace(first)), ['recorded', 'added-1']);
	t.deepEqual(recordedNames(await readTrace(second)), ['recorded']);
});

test.serial('events - terminate is emitted by terminate() once', t => {
	const {tracer} = makeTracer(t);
	const seen = [];
	tracer.on('terminate', (...args) => {
		seen.push(args);
	});
	tracer.start();
	tracer.stop();
	t.deepEqual(seen, []);
	tracer.terminate();
	t.deepEqual(seen, [[]]);
	tracer.terminate();
	t.deepEqual(seen, [[]]);
});

test.serial('events - emitted in lifecycle order over start, stop, save, terminate', t => {
	const {tracer} = makeTracer(t);
	const order = [];
	for (const name of ['pre-start', 'post-stop', 'pre-save', 'terminate']) {
		tracer.on(name, () => {
			order.push(name);
		});
	}

	tracer.start();
	tracer.stop();
	tracer.save();
	tracer.terminate();
	t.deepEqual(order, ['pre-start', 'post-stop', 'pre-save', 'terminate']);
});

test.serial('VizTracer - is an EventEmitter (on/once/off/listenerCount)', t => {
	const {tracer} = makeTracer(t);
	let count = 0;
	tracer.once('pre-start', () => {
		count++;
	});
	t.is(tracer.listenerCount('pre-start'), 1);
	tracer.start();
	tracer.stop();
	tracer.start();
	tracer.stop();
	t.is(count, 1);
	t.is(tracer.listenerCount('pre-start'), 0);
});

// enabled, clear()

test.serial('enabled - is false before start(), true while running, false after stop() and terminate()', t => {
	const {tracer} = makeTracer(t);
	t.false(tracer.enabled);
	tracer.start();
	t.true(tracer.enabled);
	tracer.stop();
	t.false(tracer.enabled);
	tracer.start();
	t.true(tracer.enabled);
	tracer.terminate();
	t.false(tracer.enabled);
});

test.serial('enabled - events logged while not enabled are not recorded', async t => {
	const {tracer, outputFile} = makeTracer(t);
	tracer.logInstant('before');
	tracer.start();
	tracer.logInstant('during');
	tracer.stop();
	tracer.logInstant('after');
	tracer.save();
	t.deepEqual(recordedNames(await readTrace(outputFile)), ['during']);
});

test.serial('clear() - empties what was recorded', async t => {
	const {tracer, outputFile} = makeTracer(t);
	tracer.start();
	tracer.logInstant('one');
	tracer.wrap(() => 1, 'span')();
	tracer.stop();
	tracer.clear();
	tracer.save();
	const trace = await readTrace(outputFile);
	t.deepEqual(recordedNames(trace), []);
	t.true(trace.traceEvents.every(event => event.ph === 'M'), 'only the process/thread name events remain');
	t.is(trace.viztracer_metadata.overflow, false);
});

test.serial('clear() - while running keeps recording what comes after', async t => {
	const {tracer, outputFile} = makeTracer(t);
	tracer.start();
	tracer.logInstant('dropped');
	tracer.clear();
	t.true(tracer.enabled, 'clear() does not stop the tracer');
	tracer.logInstant('kept');
	tracer.stop();
	tracer.save();
	t.deepEqual(recordedNames(await readTrace(outputFile)), ['kept']);
});

test.serial('clear() - on a tracer that never started does not throw', t => {
	const {tracer} = makeTracer(t);
	t.notThrows(() => tracer.clear());
	t.is(tracer.data.traceEvents.filter(event => event.ph !== 'M').length, 0);
});

// save()

test.serial('save() - returns the absolute path of the configured outputFile', async t => {
	const {tracer, outputFile} = makeTracer(t);
	tracer.start();
	tracer.stop();
	const written = tracer.save();
	t.true(path.isAbsolute(written));
	t.is(written, path.resolve(outputFile));
	t.true(fs.existsSync(written));
	const trace = await readTrace(written);
	t.true(Array.isArray(trace.traceEvents));
});

test.serial('save(outputFile) - writes to the given file and returns its absolute path', async t => {
	const {tracer, directory, outputFile} = makeTracer(t);
	tracer.start();
	tracer.logInstant('x');
	tracer.stop();
	const target = path.join(directory, 'nested', 'deeper', 'other.json');
	const written = tracer.save(target);
	t.is(written, target);
	t.deepEqual(recordedNames(await readTrace(written)), ['x']);
	t.false(fs.existsSync(outputFile), 'the configured outputFile is left alone');
});

test.serial('save(outputFile) - resolves a relative path against the current directory', async t => {
	const {tracer, directory} = makeTracer(t);
	const previous = process.cwd();
	process.chdir(directory);
	t.teardown(() => {
		process.chdir(previous);
	});
	const written = tracer.save(path.join('relative', 'trace.json'));
	t.true(path.isAbsolute(written));
	t.is(written, path.join(process.cwd(), 'relative', 'trace.json'));
	t.true(fs.existsSync(written));
});

test.serial('save(outputFile) - .json.gz writes a gzip trace', async t => {
	const {tracer, directory} = makeTracer(t);
	tracer.start();
	tracer.logInstant('zipped');
	tracer.stop();
	const written = tracer.save(path.join(directory, 'trace.json.gz'));
	const raw = fs.readFileSync(written);
	t.deepEqual([raw[0], raw[1]], [0x1F, 0x8B]);
	t.deepEqual(recordedNames(await readTrace(written)), ['zipped']);
});

test.serial('save(outputFile) - rejects a file name that is not .json or .json.gz', t => {
	const {tracer, directory} = makeTracer(t);
	const target = path.join(directory, 'trace.txt');
	const error = t.throws(() => tracer.save(target), {instanceOf: VizTracerOptionError});
	t.is(error.code, 'VIZTRACER_INVALID_OPTION');
	t.true(error instanceof RangeError);
	t.true(error.message.includes('trace.txt'));
	t.false(fs.existsSync(target));
});

test.serial('save() - with pidSuffix returns the path with the pid appended', t => {
	const {tracer, directory} = makeTracer(t, {pidSuffix: true});
	const written = tracer.save();
	t.is(written, path.join(directory, `result_${process.pid}.json`));
	t.true(fs.existsSync(written));
});

test.serial('save() - on a tracer that never started writes a valid, empty trace', async t => {
	const {tracer, outputFile} = makeTracer(t);
	const written = tracer.save();
	const trace = await readTrace(written);
	t.deepEqual(recordedNames(trace), []);
	t.is(trace.displayTimeUnit, 'ns');
	t.is(trace.viztracer_metadata.overflow, false);
	t.is(written, outputFile);
});

test.serial('save() - while running saves what was recorded so far and keeps recording', async t => {
	const {tracer, directory} = makeTracer(t);
	tracer.start();
	tracer.logInstant('early');
	const first = tracer.save(path.join(directory, 'first.json'));
	t.true(tracer.enabled);
	tracer.logInstant('late');
	tracer.stop();
	const second = tracer.save(path.join(directory, 'second.json'));
	t.deepEqual(recordedNames(await readTrace(first)), ['early']);
	t.deepEqual(recordedNames(await readTrace(second)), ['early', 'late']);
});

test.serial('saveAsync(outputFile) - resolves with the absolute path written', async t => {
	const {tracer, directory} = makeTracer(t);
	tracer.start();
	tracer.logInstant('async');
	tracer.stop();
	const target = path.join(directory, 'async.json');
	const written = await tracer.saveAsync(target);
	t.is(written, target);
	t.deepEqual(recordedNames(await readTrace(written)), ['async']);
});

// [Symbol.dispose] and [Symbol.asyncDispose]

test.serial('[Symbol.dispose]() - stops, saves and terminates a running tracer', async t => {
	const plugin = new AckPlugin();
	const {tracer, outputFile} = makeTracer(t, {plugins: [plugin]});
	const order = [];
	for (const name of ['post-stop', 'pre-save', 'terminate']) {
		tracer.on(name, () => {
			order.push(name);
		});
	}

	// Node 20 cannot parse `using`; this is what leaving `using tracer = …` calls.
	tracer.start();
	tracer.logInstant('inside');
	tracer[Symbol.dispose]();
	t.deepEqual(order, ['post-stop', 'pre-save', 'terminate']);
	t.false(tracer.enabled);
	t.is(getTracer(), undefined);
	t.deepEqual(recordedNames(await readTrace(outputFile)), ['inside']);
	t.deepEqual(plugin.messages, ['initialize', 'pre-start', 'post-stop', 'pre-save', 'terminate']);
	assertStateError(t, () => tracer.start(), /terminated/);
});

test.serial('[Symbol.dispose]() - on a stopped tracer saves and terminates', async t => {
	const {tracer, outputFile} = makeTracer(t);
	tracer.start();
	tracer.logInstant('recorded');
	tracer.stop();
	t.notThrows(() => tracer[Symbol.dispose]());
	t.deepEqual(recordedNames(await readTrace(outputFile)), ['recorded']);
	assertStateError(t, () => tracer.save(), /terminated/);
});

test.serial('[Symbol.dispose]() - on a terminated tracer does nothing', t => {
	const {tracer, outputFile} = makeTracer(t);
	tracer.terminate();
	t.notThrows(() => tracer[Symbol.dispose]());
	t.false(fs.existsSync(outputFile));
});

test.serial('[Symbol.dispose]() - a second dispose is a no-op', t => {
	const {tracer, outputFile} = makeTracer(t);
	let saves = 0;
	tracer.on('pre-save', () => {
		saves++;
	});
	tracer.start();
	tracer[Symbol.dispose]();
	t.notThrows(() => tracer[Symbol.dispose]());
	t.is(saves, 1);
	t.true(fs.existsSync(outputFile));
});

test.serial('[Symbol.dispose]() - works on the tracer returned by start(), like `using t = new VizTracer().start()`', async t => {
	const outputFile = path.join(freshDirectory(), 'chained.json');
	const tracer = new VizTracer({verbose: 0, outputFile}).start();
	try {
		tracer.logInstant('chained');
	} finally {
		tracer[Symbol.dispose]();
	}

	t.deepEqual(recordedNames(await readTrace(outputFile)), ['chained']);
});

test.serial('[Symbol.asyncDispose]() - stops, saves (asynchronously) and terminates', async t => {
	const plugin = new AckPlugin();
	const {tracer, outputFile} = makeTracer(t, {plugins: [plugin]});
	tracer.start();
	tracer.logInstant('inside-async');
	const result = tracer[Symbol.asyncDispose]();
	t.true(result instanceof Promise);
	await result;
	t.false(tracer.enabled);
	t.is(getTracer(), undefined);
	t.deepEqual(recordedNames(await readTrace(outputFile)), ['inside-async']);
	t.deepEqual(plugin.messages, ['initialize', 'pre-start', 'post-stop', 'pre-save', 'terminate']);
	assertStateError(t, () => tracer.save(), /terminated/);
});

test.serial('[Symbol.asyncDispose]() - on a terminated tracer resolves without writing', async t => {
	const {tracer, outputFile} = makeTracer(t);
	tracer.terminate();
	await t.notThrowsAsync(tracer[Symbol.asyncDispose]());
	t.false(fs.existsSync(outputFile));
});
