import fs from 'node:fs';
import path from 'node:path';
import {performance} from 'node:perf_hooks';
import {setTimeout as delay} from 'node:timers/promises';
import test from 'ava';
import {getTracer, VizCounter, VizObject, VizTracer, VizTracerArgumentError} from '../../dist/index.js';
import {readTrace, run, temporaryDirectory} from '../helpers/exec.js';
import {indexUrl, transpileFixture as transpile, typeErrors, typescriptFixture as fixtureNamed} from '../helpers/typescript.js';

// Trace timestamps and durations are each rounded to the nanosecond, so a sum
// of them may be off by a nanosecond or two from the exact clock reading.
const slack = 0.002;


const directory = temporaryDirectory();
let traces = 0;
const newTracer = (options = {}) => new VizTracer({verbose: 0, outputFile: path.join(directory, `trace-${++traces}.json`), ...options});

/**
 * Starts a tracer, runs `body(tracer)`, stops, saves and reads back the file.
 * Returns the recorded (non-metadata) events as written.
 */
async function record(body, options = {}) {
	const tracer = newTracer(options);
	tracer.start();
	try {
		await body(tracer);
	} finally {
		if (tracer.enabled) {
			tracer.stop();
		}
	}

	try {
		const trace = await readTrace(tracer.save());
		return trace.traceEvents.filter(event => event.ph !== 'M');
	} finally {
		tracer.terminate();
	}
}

const spansNamed = (events, name) => events.filter(event => event.ph === 'X' && event.name === name);

function onlySpan(t, events, name) {
	const spans = spansNamed(events, name);
	t.is(spans.length, 1, `exactly one span named ${name}`);
	return spans[0];
}

const end = span => span.ts + span.dur;
const toTraceTime = milliseconds => milliseconds * 1000;

/** `inner` (a span, or an instant) lies within the span `outer`. */
function assertInside(t, outer, inner, message) {
	t.true(outer.ts <= inner.ts + slack, `${message}: starts inside`);
	t.true((inner.ts + (inner.dur ?? 0)) <= end(outer) + slack, `${message}: ends inside`);
}

// ---------------------------------------------------------------- tracer.wrap

test.serial('wrap() passes this and arguments through and returns the result', async t => {
	let seen;
	const events = await record(tracer => {
		const object = {
			label: 'receiver',
			method: tracer.wrap(function method(a, b, ...rest) {
				seen = {self: this, args: [...arguments], rest};
				return a + b;
			}),
		};
		t.is(object.method(2, 3, 'x', 'y'), 5);
	});
	t.is(seen.self.label, 'receiver');
	t.deepEqual(seen.args, [2, 3, 'x', 'y']);
	t.deepEqual(seen.rest, ['x', 'y']);
	const span = onlySpan(t, events, 'method');
	t.is(span.cat, 'FEE');
	t.true(span.dur >= 0);
});

test.serial('wrap() works with call/apply/bind receivers', async t => {
	await record(tracer => {
		const whoAmI = tracer.wrap(function () {
			return this;
		});
		const receiver = {};
		t.is(whoAmI.call(receiver), receiver);
		t.is(whoAmI.apply(receiver, []), receiver);
		t.is(whoAmI.bind(receiver)(), receiver);
		t.is(whoAmI(), undefined);
	});
});

test.serial('wrap() names the span after the name argument, else the function, else <anonymous>', async t => {
	const events = await record(tracer => {
		tracer.wrap(function named() {})();
		tracer.wrap(function ignored() {}, 'custom name')();
		tracer.wrap((() => () => {})())();
	});
	t.deepEqual(events.map(event => event.name), ['named', 'custom name', '<anonymous>']);
});

test.serial('wrap() keeps the function name and length', async t => {
	await record(tracer => {
		function threeParameters(a, b, c) {
			return [a, b, c];
		}

		const wrapped = tracer.wrap(threeParameters, 'a different span name');
		t.is(wrapped.name, 'threeParameters');
		t.is(wrapped.length, 3);
		t.is(tracer.wrap((a, b = 1) => [a, b]).length, 1);
	});
});

test.serial('wrap() rethrows the same error and still records the span', async t => {
	const error = new Error('boom');
	const events = await record(tracer => {
		const fails = tracer.wrap(function fails() {
			throw error;
		});
		t.is(t.throws(() => fails()), error);
		// The stack is balanced again after the throw.
		tracer.wrap(function after() {})();
	});
	t.deepEqual(events.map(event => event.name), ['fails', 'after']);
	const fails = onlySpan(t, events, 'fails');
	const after = onlySpan(t, events, 'after');
	t.true(end(fails) <= after.ts + slack);
});

test.serial('wrap() of a class supports new, instanceof and constructor arguments', async t => {
	class Point {
		constructor(x, y) {
			this.x = x;
			this.y = y;
		}

		norm() {
			return Math.hypot(this.x, this.y);
		}
	}

	const events = await record(tracer => {
		const WrappedPoint = tracer.wrap(Point);
		const point = new WrappedPoint(3, 4);
		t.true(point instanceof Point);
		t.true(point instanceof WrappedPoint);
		t.is(point.constructor, Point);
		t.is(point.norm(), 5);
		// Calling a class without `new` still fails as it would unwrapped.
		t.throws(() => WrappedPoint(1, 2), {instanceOf: TypeError});
	});
	// One span for the construction, one for the failed call.
	t.is(spansNamed(events, 'Point').length, 2);
});

test.serial('wrap() of a function constructor supports new and the prototype chain', async t => {
	function Legacy(value) {
		this.value = value;
	}

	Legacy.prototype.double = function () {
		return this.value * 2;
	};

	const events = await record(tracer => {
		const WrappedLegacy = tracer.wrap(Legacy);
		const instance = new WrappedLegacy(21);
		t.true(instance instanceof Legacy);
		t.true(instance instanceof WrappedLegacy);
		t.is(instance.double(), 42);
		t.is(WrappedLegacy.prototype, Legacy.prototype);
	});
	onlySpan(t, events, 'Legacy');
});

test.serial('wrap() of a subclassed wrapped class keeps new.target', async t => {
	await record(tracer => {
		class Base {
			constructor() {
				this.madeBy = new.target;
			}
		}

		const WrappedBase = tracer.wrap(Base);
		class Derived extends WrappedBase {}
		const instance = new Derived();
		t.true(instance instanceof Derived);
		t.true(instance instanceof Base);
		t.is(instance.madeBy, Derived);
	});
});

test.serial('wrap() of an async function ends the span when the promise settles', async t => {
	let release;
	const gate = new Promise(resolve => {
		release = resolve;
	});
	let tracer;
	const events = await record(async active => {
		tracer = active;
		const work = tracer.wrap(async function work(input) {
			await gate;
			tracer.logInstant('after await');
			return input * 2;
		});
		const promise = work(21);
		tracer.logInstant('caller continues');
		t.is(spansNamed(tracer.data.traceEvents, 'work').length, 0, 'no span while the promise is pending');
		await delay(5);
		t.is(spansNamed(tracer.data.traceEvents, 'work').length, 0, 'still no span before the await resumes');
		release();
		t.is(await promise, 42);
		t.is(spansNamed(tracer.data.traceEvents, 'work').length, 1, 'the span is recorded once the promise settled');
	});
	const span = onlySpan(t, events, 'work');
	const callerContinues = events.find(event => event.name === 'caller continues');
	const afterAwait = events.find(event => event.name === 'after await');
	// The span covers the time the caller ran on and the await inside.
	assertInside(t, span, callerContinues, 'the caller\'s instant');
	assertInside(t, span, afterAwait, 'the instant after the await');
	t.true(callerContinues.ts <= afterAwait.ts);
});

test.serial('wrap() of an async function covers the awaited time in its duration', async t => {
	let before;
	let after;
	const events = await record(async tracer => {
		const sleeper = tracer.wrap(async function sleeper() {
			await delay(10);
		});
		before = performance.now();
		const promise = sleeper();
		const returned = performance.now();
		await promise;
		after = performance.now();
		tracer.logInstant('resolved', {returned});
	});
	const span = onlySpan(t, events, 'sleeper');
	const {returned} = events.find(event => event.name === 'resolved').args;
	t.true(toTraceTime(before) <= span.ts + slack);
	// The span ends after the synchronous part returned: it includes the await.
	t.true(toTraceTime(returned) <= end(span) + slack);
	t.true(end(span) <= toTraceTime(after) + slack);
});

test.serial('wrap() of an async function propagates the rejection and records the span', async t => {
	const error = new Error('rejected');
	const events = await record(async tracer => {
		const rejects = tracer.wrap(async function rejects() {
			await delay(1);
			throw error;
		});
		t.is(await t.throwsAsync(rejects()), error);
	});
	onlySpan(t, events, 'rejects');
});

test.serial('wrap() of a function returning a rejected promise synchronously records the span', async t => {
	const events = await record(async tracer => {
		const rejectsAtOnce = tracer.wrap(function rejectsAtOnce() {
			return Promise.reject(new RangeError('at once'));
		});
		await t.throwsAsync(rejectsAtOnce(), {instanceOf: RangeError, message: 'at once'});
	});
	onlySpan(t, events, 'rejectsAtOnce');
});

test.serial('a rejection from a wrapped async function that nobody handles is still unhandled', async t => {
	const script = `
		import {VizTracer} from ${JSON.stringify(indexUrl)};
		const tracer = new VizTracer({verbose: 0}).start();
		const fails = tracer.wrap(async function fails() {
			throw new Error('nobody handles this');
		});
		fails();
	`;
	const {code, stderr} = await run(process.execPath, ['--input-type=module', '-e', script], {cwd: directory});
	t.is(code, 1);
	t.regex(stderr, /nobody handles this/);
});

test.serial('the promise a wrapped async function returns is the one reported as unhandled', async t => {
	const script = `
		import {VizTracer} from ${JSON.stringify(indexUrl)};
		const tracer = new VizTracer({verbose: 0}).start();
		const fails = tracer.wrap(async function fails() {
			throw new Error('reported');
		});
		const returned = fails();
		const reports = [];
		process.on('unhandledRejection', (reason, promise) => {
			reports.push({message: reason.message, isReturned: promise === returned});
		});
		setTimeout(() => console.log(JSON.stringify(reports)), 50);
	`;
	const {code, stdout, stderr} = await run(process.execPath, ['--input-type=module', '-e', script], {cwd: directory});
	t.is(code, 0, stderr);
	t.deepEqual(JSON.parse(stdout), [{message: 'reported', isReturned: true}]);
});

test.serial('wrap() records nothing while the tracer is not started', async t => {
	const tracer = newTracer();
	const add = tracer.wrap(function add(a, b) {
		return a + b;
	});
	t.is(add(1, 2), 3);
	tracer.start();
	t.is(add(2, 3), 5);
	tracer.stop();
	t.is(add(3, 4), 7);
	const addAsync = tracer.wrap(async function addAsync(a, b) {
		return a + b;
	});
	t.is(await addAsync(4, 5), 9);
	const trace = await readTrace(tracer.save());
	tracer.terminate();
	const spans = trace.traceEvents.filter(event => event.ph === 'X');
	t.deepEqual(spans.map(span => span.name), ['add']);
});

test.serial('wrap() rejects a non-function', t => {
	const tracer = newTracer();
	for (const value of [undefined, null, 42, 'fn', {}]) {
		const error = t.throws(() => tracer.wrap(value), {instanceOf: VizTracerArgumentError});
		t.is(error.code, 'VIZTRACER_INVALID_ARGUMENT');
	}
});

test.serial('nested wrapped calls put each child inside its parent, children first in the file', async t => {
	const events = await record(tracer => {
		const leaf = tracer.wrap(function leaf() {});
		const middle = tracer.wrap(function middle() {
			leaf();
			leaf();
		});
		const root = tracer.wrap(function root() {
			middle();
			leaf();
		});
		root();
	});
	t.deepEqual(events.map(event => event.name), ['leaf', 'leaf', 'middle', 'leaf', 'root']);
	const [leaf1, leaf2, middle, leaf3, root] = events;
	assertInside(t, middle, leaf1, 'first leaf in middle');
	assertInside(t, middle, leaf2, 'second leaf in middle');
	assertInside(t, root, middle, 'middle in root');
	assertInside(t, root, leaf3, 'third leaf in root');
	t.true(end(leaf1) <= leaf2.ts + slack);
	t.true(end(middle) <= leaf3.ts + slack);
});

// ------------------------------------------------------------ tracer.logEvent

test.serial('logEvent() records a span that ends at end(), once', async t => {
	let before;
	let after;
	const events = await record(tracer => {
		before = performance.now();
		const span = tracer.logEvent('block');
		tracer.logInstant('inside');
		span.end();
		after = performance.now();
		span.end();
		tracer.logInstant('outside');
	});
	t.deepEqual(events.map(event => event.name), ['inside', 'block', 'outside']);
	const block = onlySpan(t, events, 'block');
	t.is(block.cat, 'FEE');
	assertInside(t, block, events[0], 'instant logged before end()');
	t.true(end(block) <= events[2].ts + slack);
	t.true(toTraceTime(before) <= block.ts + slack);
	t.true(end(block) <= toTraceTime(after) + slack);
});

test.serial('logEvent() spans end when disposed, as with using', async t => {
	const events = await record(tracer => {
		const outer = tracer.logEvent('outer');
		try {
			const inner = tracer.logEvent('inner');
			try {
				tracer.wrap(function work() {})();
			} finally {
				inner[Symbol.dispose]();
			}
		} finally {
			outer[Symbol.dispose]();
		}
	});
	t.deepEqual(events.map(event => event.name), ['work', 'inner', 'outer']);
	const [work, inner, outer] = events;
	assertInside(t, inner, work, 'work in inner');
	assertInside(t, outer, inner, 'inner in outer');
});

test.serial('logEvent() spans may end out of order', async t => {
	const events = await record(tracer => {
		const first = tracer.logEvent('first');
		const second = tracer.logEvent('second');
		first.end();
		second.end();
	});
	t.deepEqual(events.map(event => event.name), ['first', 'second']);
	const [first, second] = events;
	t.true(first.ts <= second.ts);
	t.true(end(first) <= end(second) + slack);
});

test.serial('logEvent() returns an inactive span while the tracer is stopped', async t => {
	const tracer = newTracer();
	const early = tracer.logEvent('before start');
	tracer.start();
	early.end();
	tracer.stop();
	const late = tracer.logEvent('after stop');
	late.end();
	late[Symbol.dispose]();
	const trace = await readTrace(tracer.save());
	tracer.terminate();
	t.deepEqual(trace.traceEvents.filter(event => event.ph !== 'M'), []);
});

test.serial('logEvent() with a non-string name records its string form', async t => {
	const events = await record(tracer => {
		tracer.logEvent(42).end();
	});
	t.deepEqual(events.map(event => event.name), ['42']);
});

// ------------------------------------------------------------ open at stop()

test.serial('a wrapped call still running at stop() ends at the stop time', async t => {
	let before;
	let after;
	const events = await record(tracer => {
		const stopsTracing = tracer.wrap(function stopsTracing() {
			tracer.wrap(function alsoOpen() {
				before = performance.now();
				tracer.stop();
				after = performance.now();
			})();
			tracer.logInstant('after stop');
		});
		stopsTracing();
	});
	t.deepEqual(events.map(event => event.name).sort(), ['alsoOpen', 'stopsTracing']);
	for (const span of events) {
		t.true(toTraceTime(before) <= end(span) + slack, `${span.name} ends at the stop`);
		t.true(end(span) <= toTraceTime(after) + slack, `${span.name} ends at the stop`);
	}

	const outer = onlySpan(t, events, 'stopsTracing');
	const inner = onlySpan(t, events, 'alsoOpen');
	t.true(outer.ts <= inner.ts);
});

test.serial('a logEvent() span still open at stop() ends at the stop time and is not recorded again', async t => {
	const tracer = newTracer();
	tracer.start();
	const span = tracer.logEvent('open block');
	const before = performance.now();
	tracer.stop();
	const after = performance.now();
	span.end();
	tracer.start();
	span.end();
	tracer.stop();
	const trace = await readTrace(tracer.save());
	tracer.terminate();
	const events = trace.traceEvents.filter(event => event.ph !== 'M');
	const block = onlySpan(t, events, 'open block');
	t.is(events.length, 1);
	t.true(toTraceTime(before) <= end(block) + slack);
	t.true(end(block) <= toTraceTime(after) + slack);
});

test.serial('an async wrapped call pending at stop() ends at the stop time and still resolves', async t => {
	let release;
	const gate = new Promise(resolve => {
		release = resolve;
	});
	const tracer = newTracer();
	tracer.start();
	const pending = tracer.wrap(async function pending() {
		await gate;
		return 'done';
	});
	const promise = pending();
	const before = performance.now();
	tracer.stop();
	const after = performance.now();
	// Restart, so a stale span settling now would have a chance to be recorded.
	tracer.start();
	release();
	t.is(await promise, 'done');
	tracer.stop();
	const trace = await readTrace(tracer.save());
	tracer.terminate();
	const events = trace.traceEvents.filter(event => event.ph !== 'M');
	const span = onlySpan(t, events, 'pending');
	t.true(toTraceTime(before) <= end(span) + slack);
	t.true(end(span) <= toTraceTime(after) + slack);
});

// ---------------------------------------------------------- instants and vars

test.serial('logInstant() records an instant event with thread scope by default', async t => {
	const events = await record(tracer => {
		tracer.logInstant('plain');
	});
	t.is(events.length, 1);
	const [event] = events;
	t.is(event.ph, 'i');
	t.is(event.name, 'plain');
	t.is(event.s, 't');
	t.is(typeof event.ts, 'number');
	t.is(event.pid, process.pid);
	t.is(typeof event.tid, 'number');
	t.false('args' in event);
	t.false('dur' in event);
});

test.serial('logInstant() records the scope and args it is given', async t => {
	const events = await record(tracer => {
		tracer.logInstant('thread', {n: 1}, 't');
		tracer.logInstant('process', {list: [1, 'two'], nested: {ok: true}}, 'p');
		tracer.logInstant('global', undefined, 'g');
	});
	t.deepEqual(events.map(({name, ph, s, args}) => ({name, ph, s, args})), [
		{name: 'thread', ph: 'i', s: 't', args: {n: 1}},
		{name: 'process', ph: 'i', s: 'p', args: {list: [1, 'two'], nested: {ok: true}}},
		{name: 'global', ph: 'i', s: 'g', args: undefined},
	]);
	t.true(events[0].ts <= events[1].ts && events[1].ts <= events[2].ts);
});

test.serial('logInstant() with an invalid scope throws, started or not', async t => {
	const tracer = newTracer();
	for (const scope of ['x', 'T', '', 0, null]) {
		const error = t.throws(() => tracer.logInstant('bad', {}, scope), {instanceOf: VizTracerArgumentError});
		t.is(error.code, 'VIZTRACER_INVALID_ARGUMENT');
		t.true(error instanceof TypeError);
	}

	tracer.start();
	try {
		t.throws(() => tracer.logInstant('bad', {}, 'process'), {instanceOf: VizTracerArgumentError, message: /scope/});
	} finally {
		tracer.stop();
	}

	const trace = await readTrace(tracer.save());
	tracer.terminate();
	t.deepEqual(trace.traceEvents.filter(event => event.ph !== 'M'), []);
});

test.serial('logVar() records a number as a counter', async t => {
	const events = await record(tracer => {
		tracer.logVar('temperature', 21.5);
		tracer.logVar('temperature', -3);
	});
	t.deepEqual(events.map(({name, ph, args}) => ({name, ph, args})), [
		{name: 'temperature', ph: 'C', args: {temperature: 21.5}},
		{name: 'temperature', ph: 'C', args: {temperature: -3}},
	]);
});

test.serial('logVar() records anything else as an instant with its repr in args.object', async t => {
	const events = await record(tracer => {
		tracer.logVar('greeting', 'hello');
		tracer.logVar('config', {a: 1, b: [2, 3]});
		tracer.logVar('nothing', null);
		tracer.logVar('big', 10n);
		tracer.logVar('flag', true);
	});
	t.true(events.every(event => event.ph === 'i'));
	t.deepEqual(Object.fromEntries(events.map(event => [event.name, event.args.object])), {
		greeting: 'hello',
		config: '{ a: 1, b: [ 2, 3 ] }',
		nothing: 'null',
		big: '10n',
		flag: 'true',
	});
});

test.serial('logVar() keeps the repr of a deep or circular value bounded', async t => {
	const circular = {name: 'loop'};
	circular.self = circular;
	const events = await record(tracer => {
		tracer.logVar('circular', circular);
		tracer.logVar('long', Array.from({length: 1000}, (_, index) => index));
	});
	const byName = Object.fromEntries(events.map(event => [event.name, event.args.object]));
	t.regex(byName.circular, /Circular/);
	t.regex(byName.long, /more items/);
	t.true(byName.long.length < 500);
});

// ------------------------------------------------------------------ counters

test.serial('logCounter() records a ph C event with its values', async t => {
	const events = await record(tracer => {
		tracer.logCounter('memory', {heap: 10, external: 2.5});
		tracer.logCounter('memory', {heap: 12, external: 0});
	});
	t.deepEqual(events.map(({name, ph, args}) => ({name, ph, args})), [
		{name: 'memory', ph: 'C', args: {heap: 10, external: 2.5}},
		{name: 'memory', ph: 'C', args: {heap: 12, external: 0}},
	]);
	t.true(events.every(event => typeof event.ts === 'number' && event.pid === process.pid));
});

test.serial('logCounter() copies its values, so later changes to the object are not recorded', async t => {
	const events = await record(tracer => {
		const values = {n: 1};
		tracer.logCounter('copy', values);
		values.n = 2;
	});
	t.deepEqual(events[0].args, {n: 1});
});

test.serial('logCounter() with a non-numeric value throws VizTracerArgumentError and records nothing', async t => {
	const events = await record(tracer => {
		for (const values of [{n: 'one'}, {ok: 1, bad: null}, {big: 1n}]) {
			const error = t.throws(() => tracer.logCounter('bad', values), {instanceOf: VizTracerArgumentError});
			t.is(error.code, 'VIZTRACER_INVALID_ARGUMENT');
		}

		for (const values of [undefined, null, 3, 'n']) {
			t.throws(() => tracer.logCounter('bad', values), {instanceOf: VizTracerArgumentError});
		}
	});
	t.deepEqual(events, []);
});

test.serial('VizCounter records numeric property writes as counter events with all its values', async t => {
	const events = await record(tracer => {
		const counter = new VizCounter(tracer, 'queue');
		counter.pending = 3;
		counter.done = 0;
		counter.pending = 2;
		counter.done = 1;
		t.is(counter.pending, 2);
	});
	t.true(events.every(event => event.ph === 'C' && event.name === 'queue'));
	t.deepEqual(events.map(event => event.args), [
		{pending: 3},
		{pending: 3, done: 0},
		{pending: 2, done: 0},
		{pending: 2, done: 1},
	]);
});

test.serial('VizCounter rejects a non-number and keeps the old value', async t => {
	const events = await record(tracer => {
		const counter = new VizCounter(tracer, 'strict');
		counter.value = 1;
		for (const bad of ['2', null, undefined, {}, 3n]) {
			const error = t.throws(() => {
				counter.value = bad;
			}, {instanceOf: VizTracerArgumentError});
			t.is(error.code, 'VIZTRACER_INVALID_ARGUMENT');
		}

		t.is(counter.value, 1);
	});
	t.deepEqual(events.map(event => event.args), [{value: 1}]);
});

test.serial('VizCounter ignores properties starting with an underscore', async t => {
	const events = await record(tracer => {
		const counter = new VizCounter(tracer, 'private');
		counter._note = 'not a number, but private';
		counter._hidden = 5;
		counter.visible = 1;
		t.is(counter._note, 'not a number, but private');
	});
	t.deepEqual(events.map(event => event.args), [{visible: 1}]);
});

test.serial('VizCounter with triggerOnChange false records only on log()', async t => {
	const events = await record(tracer => {
		const counter = new VizCounter(tracer, 'batched', {triggerOnChange: false});
		counter.a = 1;
		counter.b = 2;
		counter.a = 3;
		counter.log();
		counter.b = 4;
		t.throws(() => {
			counter.c = 'still validated';
		}, {instanceOf: VizTracerArgumentError});
	});
	t.deepEqual(events.map(({name, ph, args}) => ({name, ph, args})), [{name: 'batched', ph: 'C', args: {a: 3, b: 2}}]);
});

test.serial('VizCounter records nothing while the tracer is stopped', async t => {
	const tracer = newTracer();
	const counter = new VizCounter(tracer, 'idle');
	counter.n = 1;
	tracer.start();
	counter.n = 2;
	tracer.stop();
	counter.n = 3;
	const trace = await readTrace(tracer.save());
	tracer.terminate();
	t.deepEqual(trace.traceEvents.filter(event => event.ph === 'C').map(event => event.args), [{n: 2}]);
});

// ------------------------------------------------------------------- objects

test.serial('VizObject records N at creation, an O snapshot per write and D on destroy', async t => {
	const events = await record(tracer => {
		const request = new VizObject(tracer, 'request');
		request.state = 'parsing';
		request.bytes = 120;
		request._internal = 'not in the snapshot';
		request.state = 'done';
		request.destroy();
	});
	t.deepEqual(events.map(event => event.ph), ['N', 'O', 'O', 'O', 'D']);
	t.true(events.every(event => event.name === 'request'));
	const ids = new Set(events.map(event => event.id));
	t.is(ids.size, 1);
	t.is(typeof events[0].id, 'string');
	t.regex(events[0].id, /^0x[\da-f]+$/);
	t.deepEqual(events.filter(event => event.ph === 'O').map(event => event.args.snapshot), [
		{state: 'parsing'},
		{state: 'parsing', bytes: 120},
		{state: 'done', bytes: 120},
	]);
	t.false('args' in events[0]);
	t.false('args' in events[4]);
	for (let index = 1; index < events.length; index++) {
		t.true(events[index - 1].ts <= events[index].ts);
	}
});

test.serial('VizObject is destroyed when disposed, and objects get distinct ids', async t => {
	const events = await record(tracer => {
		const first = new VizObject(tracer, 'thing');
		const second = new VizObject(tracer, 'thing');
		first.n = 1;
		second.n = 2;
		first[Symbol.dispose]();
		second[Symbol.dispose]();
	});
	const newIds = events.filter(event => event.ph === 'N').map(event => event.id);
	t.is(new Set(newIds).size, 2);
	const deleted = events.filter(event => event.ph === 'D').map(event => event.id);
	t.deepEqual(deleted, newIds);
	const snapshots = events.filter(event => event.ph === 'O');
	t.deepEqual(snapshots.map(event => [event.id, event.args.snapshot]), [[newIds[0], {n: 1}], [newIds[1], {n: 2}]]);
});

test.serial('VizObject with triggerOnChange false records snapshots only on log()', async t => {
	const events = await record(tracer => {
		const object = new VizObject(tracer, 'quiet', {triggerOnChange: false});
		object.a = 1;
		object.b = 'two';
		object.log();
		object.a = 3;
		object.destroy();
	});
	t.deepEqual(events.map(event => event.ph), ['N', 'O', 'D']);
	t.deepEqual(events[1].args.snapshot, {a: 1, b: 'two'});
});

test.serial('VizObject snapshots hold any serialisable value, not just numbers', async t => {
	const events = await record(tracer => {
		const object = new VizObject(tracer, 'mixed');
		object.list = [1, 2];
		object.nested = {deep: {value: null}};
	});
	const snapshots = events.filter(event => event.ph === 'O').map(event => event.args.snapshot);
	t.deepEqual(snapshots.at(-1), {list: [1, 2], nested: {deep: {value: null}}});
});

// ----------------------------------------------------- minDuration, maxStackDepth

// How long a call takes depends on the machine, so each check below holds by
// construction: spans that must be dropped are empty calls under a minimum no
// call could reach (10 s), and spans that must be kept wait on the clock past
// their (small) minimum before returning.
const unreachableMinimum = 10_000_000;
const smallMinimum = 1000;

/** Returns once the clock has moved at least `microseconds` past the call. */
function spinFor(microseconds) {
	const start = performance.now();
	while ((performance.now() - start) * 1000 < microseconds) {
		// Spin.
	}
}

async function waitFor(microseconds) {
	const start = performance.now();
	while ((performance.now() - start) * 1000 < microseconds) {
		await delay(1);
	}
}

test.serial('minDuration drops wrapped calls, async calls and logEvent spans shorter than it', async t => {
	const events = await record(async tracer => {
		tracer.wrap(function quick() {})();
		await tracer.wrap(async function quickAsync() {})();
		tracer.logEvent('quickEvent').end();
		tracer.logInstant('instants are not filtered');
	}, {minDuration: unreachableMinimum});
	t.deepEqual(events.map(event => event.name), ['instants are not filtered']);
});

test.serial('minDuration keeps wrapped calls, async calls and logEvent spans that last at least that long', async t => {
	const events = await record(async tracer => {
		tracer.wrap(function slow() {
			spinFor(smallMinimum);
		})();
		await tracer.wrap(async function slowAsync() {
			await waitFor(smallMinimum);
		})();
		const slowEvent = tracer.logEvent('slowEvent');
		await waitFor(smallMinimum);
		slowEvent.end();
	}, {minDuration: smallMinimum});
	t.deepEqual(events.map(event => event.name), ['slow', 'slowAsync', 'slowEvent']);
	for (const span of events) {
		t.true(span.dur >= smallMinimum - slack, `${span.name} lasted ${span.dur} µs`);
	}
});

test.serial('maxStackDepth records wrapped calls only down to that depth', async t => {
	const events = await record(tracer => {
		const level3 = tracer.wrap(function level3() {
			tracer.logInstant('deep instant');
		});
		const level2 = tracer.wrap(function level2() {
			level3();
		});
		const level1 = tracer.wrap(function level1() {
			level2();
		});
		level1();
		level3();
	}, {maxStackDepth: 2});
	// Instants are not spans and are kept; the top-level call of level3 is at depth 1.
	t.deepEqual(events.map(event => event.name), ['deep instant', 'level2', 'level1', 'deep instant', 'level3']);
});

test.serial('maxStackDepth bounds async wrapped calls too', async t => {
	const events = await record(async tracer => {
		const inner = tracer.wrap(async function inner() {
			await delay(1);
		});
		const outer = tracer.wrap(function outer() {
			return inner();
		});
		await outer();
	}, {maxStackDepth: 1});
	t.deepEqual(events.map(event => event.name), ['outer']);
});

// ----------------------------------------------------------------- getTracer

test.serial('custom events reach the started tracer through getTracer()', async t => {
	const events = await record(() => {
		getTracer().logInstant('via getTracer');
	});
	t.deepEqual(events.map(event => event.name), ['via getTracer']);
	t.is(getTracer(), undefined);
});

test.serial('instants, vars and counters are not recorded while stopped', async t => {
	const tracer = newTracer();
	tracer.logInstant('before');
	tracer.logVar('before', 1);
	tracer.logCounter('before', {n: 1});
	tracer.start();
	tracer.logInstant('during');
	tracer.stop();
	tracer.logInstant('after');
	tracer.logVar('after', 'x');
	tracer.logCounter('after', {n: 2});
	const trace = await readTrace(tracer.save());
	tracer.terminate();
	t.deepEqual(trace.traceEvents.filter(event => event.ph !== 'M').map(event => event.name), ['during']);
});

// ------------------------------------------- @trace and `using` (TypeScript)

const typescriptFixture = fixtureNamed('using-and-decorators.ts');

/** Transpiles the fixture (TS downlevels `using` and TC39 decorators) into a runnable .mjs using the built package. */
function transpileFixture(t) {
	const {code, diagnostics} = transpile(typescriptFixture);
	t.deepEqual(diagnostics, []);
	t.true(code.includes(indexUrl), 'the viztracer import was redirected to dist/index.js');
	const file = path.join(directory, 'using-and-decorators.mjs');
	fs.writeFileSync(file, code);
	return file;
}

test.serial('@trace methods and using blocks record spans and save the trace when the block ends', async t => {
	const script = transpileFixture(t);
	const outputFile = path.join(directory, 'using-and-decorators.json');
	const {code, stdout, stderr} = await run(process.execPath, [script, outputFile], {cwd: directory});
	t.is(code, 0, stderr);
	t.deepEqual(JSON.parse(stdout), {
		currentInsideBlock: true,
		load: 'item 1',
		store: 4,
		fetchRemote: 'remote item 2',
		fetchNamed: 7,
		fails: 'decorated failure',
		spanIsDisposable: true,
		savedInsideBlock: false,
		savedAfterBlock: true,
		currentAfterBlock: true,
		untraced: 'item 3',
	});

	const trace = await readTrace(outputFile);
	const processName = trace.traceEvents.find(event => event.ph === 'M' && event.name === 'process_name');
	t.is(processName.args.name, 'using-and-decorators');
	const events = trace.traceEvents.filter(event => event.ph !== 'M');
	const spanNames = events.filter(event => event.ph === 'X').map(event => event.name);
	t.deepEqual(spanNames.toSorted(), [
		'Repository.create',
		'Repository.fails',
		'Repository.fetchRemote',
		'Repository.load',
		'Repository.load',
		'custom async name',
		'repository: custom name',
		'using block',
	]);
	// The call after the block is not traced: exactly the two loads made inside it.
	const block = onlySpan(t, events, 'using block');
	for (const event of events) {
		assertInside(t, block, event, `${event.name} inside the using block`);
	}

	// The async method's span covers its await: it contains the instant logged after it, and the nested load.
	const fetchRemote = onlySpan(t, events, 'Repository.fetchRemote');
	const afterAwait = events.find(event => event.name === 'inside fetchRemote, after the await');
	assertInside(t, fetchRemote, afterAwait, 'the instant after the await');
	const loads = spansNamed(events, 'Repository.load');
	t.is(loads.filter(load => fetchRemote.ts <= load.ts + slack && end(load) <= end(fetchRemote) + slack).length, 1);
	const fetchNamed = onlySpan(t, events, 'custom async name');
	t.true(end(fetchRemote) <= fetchNamed.ts + slack);
});

test.serial('the TypeScript fixture type-checks against the published typings', t => {
	t.deepEqual(typeErrors([typescriptFixture]), []);
});
