// Timers, immediates, nextTicks and I/O callbacks under --log-async=all
// (lib/runtime/async-resource-flows.ts), traced as real subprocesses under
// every Node of VIZTRACER_TEST_NODES and the one running the tests: on Node
// before 26 'all' hooks them although Node then tracks promises, plain
// --log-async does not.
import path from 'node:path';
import test from 'ava';
import {cliPath, fixturesDir, readTrace, rootDir, run as runSubprocess, temporaryDirectory, testNodes, withSubprocessSlot} from '../helpers/exec.js';

const run = (...args) => withSubprocessSlot(() => runSubprocess(...args));
const fixture = path.join(fixturesDir, 'async', 'resource-callbacks.mjs');
const register = path.join(rootDir, 'dist', 'integrations', 'register.js');
const directory = temporaryDirectory();
const environment = {VIZTRACER_NO_CACHE: '1'};
// Each type, the callback it runs and the function that scheduled it.
const resources = [['TickObject', 'onTick', 'schedule'], ['Immediate', 'onImmediate', 'onTick'], ['FSREQCALLBACK', 'onStat', 'onImmediate'], ['Timeout', 'onTimer', 'onStat']];
const resourceTypes = new Set(resources.map(([type]) => type));
const base = name => name.replace(/ \(.*$/, '');
const inside = (event, outer) => event.ts >= outer.ts - 0.002 && event.ts <= outer.ts + outer.dur + 0.002;
let traces = 0;

/** Runs the fixture traced by the CLI with `flags`, or by viztracer/register with `env`. */
async function traced(node, {flags, env}) {
	const output = path.join(directory, `trace-${traces++}.json`);
	const args = flags ? [cliPath, '-q', '-o', output, ...flags, fixture] : ['--import', register, fixture];
	const result = await run(node, args, {env: {...environment, VIZTRACER_OUTPUT_FILE: output, VIZTRACER_VERBOSE: '0', ...env}});
	return {result, events: result.code === 0 ? (await readTrace(output)).traceEvents : []};
}

function assertResourceFlows(t, events) {
	const mainTid = events.find(event => event.name === 'thread_name' && event.args.name === 'MainThread').tid;
	const laneTids = new Set(events.filter(event => event.name === 'thread_name' && /^async \d+ \(MainThread\)$/.test(event.args.name)).map(event => event.tid));
	for (const [type, callback, scheduler] of resources) {
		const run = events.find(event => event.ph === 'X' && event.tid === mainTid && base(event.name) === callback);
		t.truthy(run, `${callback} ran traced`);
		const wrapper = events.find(event => event.ph === 'X' && event.tid === mainTid && event.name === type && inside(run, event));
		t.truthy(wrapper, `${callback} runs inside a ${type} span`);
		const end = events.find(event => event.ph === 'f' && event.name === type && inside(event, wrapper));
		t.truthy(end, `a ${type} flow ends at that run`);
		t.is(end.bp, 'e');
		const start = events.find(event => event.ph === 's' && event.id === end.id);
		t.is(start?.name, type);
		const schedulerRun = events.find(event => event.ph === 'X' && event.tid === mainTid && base(event.name) === scheduler);
		t.true(inside(start, schedulerRun), `the ${type} flow starts in ${scheduler}(), where it was scheduled`);
		const wait = events.find(event => event.ph === 'X' && laneTids.has(event.tid) && event.name === type && Math.abs(event.ts - start.ts) < 0.002);
		t.truthy(wait, `the ${type} wait is on an async row, from its scheduling`);
		t.true(Math.abs(wait.ts + wait.dur - end.ts) < 0.002, `to its run: ${JSON.stringify(wait)} ${JSON.stringify(end)}`);
	}

	// Each flow starts once and ends at most once (an interval would run again, its flow ended).
	const starts = events.filter(event => event.ph === 's');
	const ends = events.filter(event => event.ph === 'f');
	t.is(new Set(starts.map(event => event.id)).size, starts.length);
	t.is(new Set(ends.map(event => event.id)).size, ends.length);
	for (const end of ends) {
		const start = starts.find(event => event.id === end.id);
		t.is(start?.name, end.name, `flow ${end.id} (${end.name}) has its start`);
		t.true(start.ts <= end.ts);
	}

	// Promises are Node's to report here, but awaits keep the instrumentation's flows and no span is a promise's.
	t.is(starts.filter(event => event.name === 'await').length, 2);
	t.false(events.some(event => event.name === 'PROMISE'));
}

for (const node of testNodes()) {
	const label = node === process.execPath ? '' : ` (under ${node})`;
	let untraced;
	let major;
	test.before(async () => {
		untraced = await run(node, [fixture]);
		major = Number((await run(node, ['-p', 'process.versions.node'])).stdout.split('.')[0]);
	});

	test(`--log-async=all: timers, immediates, nextTicks and I/O callbacks get spans, flow arrows and async rows, and the program prints what it prints untraced${label}`, async t => {
		t.is(untraced.code, 0, untraced.stderr);
		const {result, events} = await traced(node, {flags: ['--log-async=all']});
		t.is(result.code, 0, result.stderr);
		t.is(result.stdout, untraced.stdout);
		t.is(result.stderr, untraced.stderr);
		assertResourceFlows(t, events);
	});

	test(`VIZTRACER_LOG_ASYNC=all does the same through viztracer/register${label}`, async t => {
		const {result, events} = await traced(node, {env: {VIZTRACER_LOG_ASYNC: 'all'}});
		t.is(result.code, 0, result.stderr);
		t.is(result.stdout, untraced.stdout);
		assertResourceFlows(t, events);
	});

	test(`plain --log-async hooks them only where Node need not track promises for it (26+)${label}`, async t => {
		const {result, events} = await traced(node, {flags: ['--log-async']});
		t.is(result.code, 0, result.stderr);
		t.is(result.stdout, untraced.stdout, 'the word after --log-async is the script');
		t.is(events.filter(event => event.ph === 's' && event.name === 'await').length, 2);
		if (major >= 26) {
			assertResourceFlows(t, events);
		} else {
			t.false(events.some(event => resourceTypes.has(event.name) || ((event.ph === 's' || event.ph === 'f') && event.name !== 'await')));
		}
	});
}
