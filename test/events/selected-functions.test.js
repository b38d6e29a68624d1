import fs from 'node:fs';
import path from 'node:path';
import test from 'ava';
import {ignoreFunction, logSparse, traceAndSave, VizTracer, VizTracerArgumentError, VizTracerOptionError} from '../../dist/index.js';
import {fixturesDir, readTrace, rootDir, run, runCli, temporaryDirectory} from '../helpers/exec.js';
import {transpileFixture, typeErrors, typescriptFixture} from '../helpers/typescript.js';

const directory = temporaryDirectory();
const sparseFixture = path.join(fixturesDir, 'selected', 'sparse.mjs');
const spanNames = trace => trace.traceEvents.filter(event => event.ph === 'X').map(event => event.name.replace(/ \(.*$/, ''));

test('--log-sparse records only marked functions, and a stackDepth mark its subtree to that depth', async t => {
	const output = path.join(directory, 'sparse.json');
	const result = await runCli(['-q', '--log-sparse', '-o', output, sparseFixture]);
	t.is(result.code, 0, result.stderr);
	t.regex(result.stdout, /done/);
	const trace = await readTrace(output);
	t.deepEqual(spanNames(trace).sort(), ['marked', 'markedDeep', 'middle']);
	const deep = trace.traceEvents.find(event => event.ph === 'X' && event.name.startsWith('markedDeep'));
	const middle = trace.traceEvents.find(event => event.ph === 'X' && event.name.startsWith('middle'));
	t.true(middle.ts >= deep.ts && middle.ts + middle.dur <= deep.ts + deep.dur, 'middle is inside markedDeep');
});

test('without --log-sparse marked functions are traced like the rest, once each, and an ignored function\'s subtree is left out', async t => {
	const output = path.join(directory, 'full.json');
	const result = await runCli(['-q', '-o', output, sparseFixture]);
	t.is(result.code, 0, result.stderr);
	const names = spanNames(await readTrace(output));
	t.is(names.filter(name => name === 'marked').length, 1);
	t.is(names.filter(name => name === 'markedDeep').length, 1);
	t.is(names.filter(name => name === 'middle').length, 3, 'from unmarked, marked and markedDeep; not from skipped');
	t.false(names.includes('skipped'));
});

test.serial('ignoreFunction() leaves out the function and its subtree, explicit spans included, and behaves like the function', t => {
	const tracer = new VizTracer({verbose: 0});
	const inner = tracer.wrap(function inner(value) {
		return value * 2;
	});
	const ignored = ignoreFunction(function ignored(value) {
		tracer.logInstant('inside ignored');
		return [this, inner(value), arguments.length];
	});
	const outer = tracer.wrap(function outer() {
		return ignored.call('self', 21, 'extra');
	});
	tracer.start();
	const [self, doubled, count] = outer();
	const afterwards = inner(1);
	tracer.stop();
	t.is(self, 'self');
	t.is(doubled, 42);
	t.is(count, 2);
	t.is(afterwards, 2);
	t.is(ignored.name, 'ignored');
	t.is(ignored.length, 1);
	t.deepEqual(spanNames(tracer.data).sort(), ['inner', 'outer'], 'one inner: the call after the ignored one');
	t.false(tracer.data.traceEvents.some(event => event.name === 'inside ignored'));
	t.throws(() => ignoreFunction(42), {instanceOf: VizTracerArgumentError});
	tracer.terminate();
});

test.serial('ignoreFunction() rethrows and recording resumes after a throw', t => {
	const tracer = new VizTracer({verbose: 0}).start();
	const failing = ignoreFunction(() => {
		throw new RangeError('no');
	});
	t.throws(() => failing(), {instanceOf: RangeError});
	t.true(tracer.enabled);
	tracer.logInstant('after');
	t.true(tracer.data.traceEvents.some(event => event.name === 'after'));
	tracer.stop();
	tracer.terminate();
});

test.serial('logSparse() without the option, or with no tracer, just runs the function', t => {
	const marked = logSparse(function marked(a, b) {
		return a + b;
	});
	t.is(marked(1, 2), 3);
	const tracer = new VizTracer({verbose: 0}).start();
	t.is(marked(2, 2), 4);
	tracer.stop();
	t.deepEqual(spanNames(tracer.data), [], 'the function is not instrumented here and logSparse is off');
	tracer.terminate();
	t.throws(() => logSparse({stackDepth: -1}), {instanceOf: VizTracerArgumentError});
	t.throws(() => logSparse('nope'), {instanceOf: VizTracerArgumentError});
});

test.serial('logSparse() with the option records each call, async ones until they settle', async t => {
	const tracer = new VizTracer({verbose: 0, logSparse: true}).start();
	const marked = logSparse(async function fetchThing(milliseconds) {
		await new Promise(resolve => {
			setTimeout(resolve, milliseconds);
		});
		return 'thing';
	});
	t.is(await marked(20), 'thing');
	tracer.stop();
	const [span] = tracer.data.traceEvents.filter(event => event.ph === 'X');
	t.is(span.name, 'fetchThing');
	t.true(span.dur >= 15_000, `the span covers the await (${span.dur} µs)`);
	tracer.terminate();
});

test.serial('traceAndSave() saves each call to its own file, sync and async, and returns what the function returns', async t => {
	const outputDir = path.join(directory, 'saved');
	const add = traceAndSave(function add(a, b) {
		return a + b;
	}, {outputDir});
	const later = traceAndSave({outputDir})(async function later(value) {
		await new Promise(resolve => {
			setTimeout(resolve, 5);
		});
		return value;
	});
	t.is(add(1, 2), 3);
	t.is(add(3, 4), 7);
	t.is(await later('v'), 'v');
	const files = fs.readdirSync(outputDir).sort();
	t.is(files.length, 3);
	t.is(files.filter(file => /^result_add_\d+\.json$/.test(file)).length, 2);
	t.is(files.filter(file => /^result_later_\d+\.json$/.test(file)).length, 1);
	for (const file of files) {
		// eslint-disable-next-line no-await-in-loop
		const trace = await readTrace(path.join(outputDir, file));
		t.true(Array.isArray(trace.traceEvents));
	}

	t.throws(() => traceAndSave(function bad() {}, {tracerEntries: 0}), {instanceOf: VizTracerOptionError});
});

test.serial('traceAndSave() inside a running tracer runs the function and warns once', t => {
	const warnings = [];
	const onWarning = warning => warnings.push(warning);
	process.on('warning', onWarning);
	const tracer = new VizTracer({verbose: 0}).start();
	const outputDir = path.join(directory, 'nested');
	const fn = traceAndSave(() => 5, {outputDir});
	t.is(fn(), 5);
	t.is(fn(), 5);
	tracer.stop();
	tracer.terminate();
	return new Promise(resolve => {
		setImmediate(() => {
			process.off('warning', onWarning);
			t.is(warnings.filter(warning => warning.code === 'VIZTRACER_TRACE_AND_SAVE_NESTED').length, 1);
			t.false(fs.existsSync(outputDir));
			resolve();
		});
	});
});

test('@logSparse, @logSparse({stackDepth}), @ignoreFunction and @traceAndSave work as method decorators', async t => {
	const {code, diagnostics} = transpileFixture(typescriptFixture('selected-decorators.ts'));
	t.deepEqual(diagnostics, []);
	const folder = path.join(directory, 'decorators');
	fs.mkdirSync(folder);
	const script = path.join(folder, 'selected-decorators.mjs');
	fs.writeFileSync(script, code);
	const result = await run(process.execPath, [script, folder]);
	t.is(result.code, 0, result.stderr);
	t.deepEqual(JSON.parse(result.stdout), [6, 9, 9, 4]);

	const sparse = await readTrace(path.join(folder, 'sparse.json'));
	// scale (marked) once on its own, scaleTwice with its two scale calls one level down.
	t.deepEqual(spanNames(sparse).sort(), ['Service.scale', 'Service.scale', 'Service.scale', 'Service.scaleTwice']);
	t.false(sparse.traceEvents.some(event => event.name === 'noise'));
	t.is(fs.readdirSync(folder).filter(file => /^result_job_\d+\.json$/.test(file)).length, 1);
});

test('the decorator fixture type-checks against the published typings', t => {
	t.deepEqual(typeErrors([typescriptFixture('selected-decorators.ts')]), []);
});

const plainFixture = path.join(fixturesDir, 'selected', 'trace-and-save-plain.mjs');

/** The span names of each file traceAndSave wrote into `folder`, by function. */
async function savedSpans(folder) {
	const byFunction = {};
	for (const file of fs.readdirSync(folder).sort()) {
		const name = /^result_(\w+)_\d+\.json$/.exec(file)[1];
		// eslint-disable-next-line no-await-in-loop
		const trace = await readTrace(path.join(folder, file));
		byFunction[name] = trace.traceEvents.filter(event => event.ph === 'X').map(event => event.name.replace(/ \(.*$/, ''));
	}

	return byFunction;
}

test('traceAndSave() in a plain script: the traced call is a span in its file, sync and async', async t => {
	const folder = path.join(directory, 'plain');
	fs.mkdirSync(folder);
	const result = await run(process.execPath, [plainFixture, folder]);
	t.is(result.code, 0, result.stderr);
	t.deepEqual(JSON.parse(result.stdout), [3, 4]);
	t.deepEqual(await savedSpans(folder), {work: ['work'], later: ['later']});
});

test('traceAndSave() without outputDir saves into the working directory', async t => {
	const folder = path.join(directory, 'default-dir');
	fs.mkdirSync(path.join(folder, 'cwd'), {recursive: true});
	const result = await run(process.execPath, [path.join(fixturesDir, 'selected', 'trace-and-save-default-dir.mjs')], {cwd: path.join(folder, 'cwd')});
	t.is(result.code, 0, result.stderr);
	t.is(result.stdout, '2\n');
	t.deepEqual(await savedSpans(path.join(folder, 'cwd')), {work: ['work']});
	t.deepEqual(fs.readdirSync(folder), ['cwd'], 'nothing lands beside the working directory');
});

test('traceAndSave() in an instrumented script: the call is one span, with what it calls inside', async t => {
	const folder = path.join(directory, 'instrumented');
	fs.mkdirSync(folder);
	const result = await run(process.execPath, ['--import', path.join(rootDir, 'dist', 'integrations', 'hooks.js'), plainFixture, folder]);
	t.is(result.code, 0, result.stderr);
	t.deepEqual(JSON.parse(result.stdout), [3, 4]);
	const spans = await savedSpans(folder);
	// Once each: the instrumented function's own span, not a second one from the wrapper.
	t.deepEqual(spans.work.sort(), ['helper', 'work']);
	t.deepEqual(spans.later.filter(name => name !== '<anonymous>').sort(), ['helper', 'later']);
});

test.serial('traceAndSave() whose save fails returns what the function returned, throws what it threw, and warns', async t => {
	const blocker = path.join(directory, 'not-a-directory');
	fs.writeFileSync(blocker, '');
	// The output folder would have to be inside a file: every save fails.
	const outputDir = path.join(blocker, 'traces');
	const warnings = [];
	const onWarning = warning => warnings.push(warning);
	process.on('warning', onWarning);
	try {
		t.is(traceAndSave(function returns() {
			return 'value';
		}, {outputDir})(), 'value');
		t.throws(traceAndSave(function throws() {
			throw new RangeError('its own');
		}, {outputDir}), {instanceOf: RangeError, message: 'its own'});
		t.is(await traceAndSave(async function resolves() {
			return 'later';
		}, {outputDir})(), 'later');
		await t.throwsAsync(traceAndSave(async function rejects() {
			throw new TypeError('its own, later');
		}, {outputDir}), {instanceOf: TypeError, message: 'its own, later'});
	} finally {
		process.off('warning', onWarning);
	}

	const failed = warnings.filter(warning => warning.code === 'VIZTRACER_TRACE_AND_SAVE_FAILED');
	t.is(failed.length, 4);
	t.regex(failed[0].message, /^traceAndSave\(returns\) could not save its trace to .*not-a-directory.*: Could not write the trace/);
});
