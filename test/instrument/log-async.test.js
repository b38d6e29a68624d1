import path from 'node:path';
import test from 'ava';
import {fixturesDir, readTrace, run, runCli, temporaryDirectory} from '../helpers/exec.js';

const directory = temporaryDirectory();
const fixture = path.join(fixturesDir, 'async', 'awaits.mjs');
const base = name => name.replace(/ \(.*$/, '');
const inside = (event, outer) => event.ts >= outer.ts - 0.002 && event.ts <= outer.ts + outer.dur + 0.002;

async function traced(flags, name) {
	const output = path.join(directory, name);
	const result = await runCli(['-q', ...flags, '-o', output, fixture], {env: {VIZTRACER_NO_CACHE: '1'}});
	return {result, trace: await readTrace(output)};
}

test('--log-async puts async lifetimes on async rows, splits functions at awaits, and links each await to its resumption', async t => {
	const {result, trace} = await traced(['--log-async'], 'async.json');
	t.is(result.code, 0, result.stderr);
	const untraced = await run(process.execPath, [fixture]);
	t.is(result.stdout, untraced.stdout, 'the program behaves the same');

	const events = trace.traceEvents;
	const mainTid = events.find(event => event.name === 'thread_name' && event.args.name === 'MainThread').tid;
	const laneTids = new Map(events.filter(event => event.name === 'thread_name' && /^async \d+ \(MainThread\)$/.test(event.args.name)).map(event => [event.tid, event.args.name]));
	t.true(laneTids.size >= 3, 'three fetchItem calls run at once, so at least three rows');

	// Lifetimes: one per call, on async rows, from call to settle, never overlapping on a row.
	const lifetimes = events.filter(event => event.ph === 'X' && laneTids.has(event.tid) && event.name.includes('('));
	t.deepEqual(lifetimes.map(event => base(event.name)).sort(), ['arrow', 'fetchItem', 'fetchItem', 'fetchItem', 'main']);
	for (const tid of laneTids.keys()) {
		const row = lifetimes.filter(event => event.tid === tid).sort((a, b) => a.ts - b.ts);
		for (let index = 1; index < row.length; index++) {
			t.true(row[index].ts >= row[index - 1].ts + row[index - 1].dur - 0.002, 'slices on one row do not overlap');
		}
	}

	// Runs between awaits are on the thread, inside their lifetime.
	const fetchLifetimes = lifetimes.filter(event => base(event.name) === 'fetchItem');
	const fetchRuns = events.filter(event => event.ph === 'X' && event.tid === mainTid && base(event.name) === 'fetchItem');
	t.is(fetchRuns.length, 9, 'each call runs three times: before the timer, before the rejection, and in the catch');
	for (const run of fetchRuns) {
		t.true(fetchLifetimes.some(lifetime => inside(run, lifetime) && run.ts + run.dur <= lifetime.ts + lifetime.dur + 0.002));
	}

	// Every await starts a flow that ends where the function resumed, including a rejected one.
	// (On Node 26+ timers get flows too, named after their type: only awaits here.)
	const starts = events.filter(event => event.ph === 's' && event.name === 'await');
	const ends = events.filter(event => event.ph === 'f' && event.name === 'await');
	t.is(starts.length, 9, "two awaits in each fetchItem call, two in main, one in arrow");
	t.deepEqual(starts.map(event => event.id).sort((a, b) => a - b), ends.map(event => event.id).sort((a, b) => a - b));
	const threadSpans = events.filter(event => event.ph === 'X' && event.tid === mainTid);
	for (const start of starts) {
		const end = ends.find(event => event.id === start.id);
		t.is(end.bp, 'e');
		t.is(start.cat, 'async');
		t.true(end.ts >= start.ts);
		t.true(threadSpans.some(span => inside(start, span)), 'a flow starts inside a run');
		t.true(threadSpans.some(span => inside(end, span)), 'and ends inside the next run');
	}

	// helper(0) runs in the catch block, inside a resumed run of fetchItem.
	const caught = events.filter(event => event.ph === 'X' && base(event.name) === 'helper' && event.tid === mainTid);
	t.is(caught.length, 9);
});

test('logAsync: \'all\' instruments as `true` does (it adds runtime hooks only), so the two share transform-cache entries', async t => {
	const {resolveInstrumentOptions} = await import('../../dist/instrument/install.js');
	t.is(resolveInstrumentOptions({logAsync: 'all', cacheDir: false}).logAsync, true);
	t.is(resolveInstrumentOptions({logAsync: true, cacheDir: false}).logAsync, true);
	t.is(resolveInstrumentOptions({cacheDir: false}).logAsync, false);
});

test('without --log-async there are no async rows and no flows', async t => {
	const {result, trace} = await traced([], 'plain.json');
	t.is(result.code, 0, result.stderr);
	t.false(trace.traceEvents.some(event => event.ph === 's' || event.ph === 'f' || (event.name === 'thread_name' && event.args.name.startsWith('async'))));
	t.is(trace.traceEvents.filter(event => event.ph === 'X' && base(event.name) === 'fetchItem').length, 3, 'one span per call, from call to settle');
});

// Timers, immediates, nextTicks and I/O callbacks: test/runtime/async-resource-flows.test.js.

test('--log-async keeps runs attributed to their own function however `for await`, async generators and Promise.all interleave them', async t => {
	const output = path.join(temporaryDirectory(), 'interleaved.json');
	const fixture = path.join(fixturesDir, 'async', 'interleaved.mjs');
	const untraced = await run(process.execPath, [fixture]);
	const result = await runCli(['-q', '--log-async', '-o', output, fixture]);
	t.is(result.code, 0, result.stderr);
	t.is(result.stdout, untraced.stdout);
	const events = (await readTrace(output)).traceEvents;
	const mainTid = events.find(event => event.ph === 'X' && event.name.startsWith('consume'))?.tid;
	const runs = events.filter(event => event.ph === 'X' && event.tid === mainTid && /^(consume|plain) /.test(event.name));
	t.true(runs.length >= 6, `runs of consume and plain: ${runs.length}`);
	// Each run is one stretch of synchronous execution between awaits: no run
	// of one of these functions can contain a run of another.
	for (const outer of runs) {
		for (const inner of runs) {
			if (inner !== outer) {
				t.false(inner.ts > outer.ts && inner.ts < outer.ts + outer.dur, `${inner.name} at ${inner.ts} starts inside ${outer.name} at ${outer.ts}`);
			}
		}
	}

	// Every pause starts a flow that one resumption of the same function ends.
	const starts = events.filter(event => event.ph === 's');
	const ends = events.filter(event => event.ph === 'f');
	t.true(starts.length > 0);
	t.deepEqual(new Set(ends.map(event => event.id)).size, ends.length, 'each flow ends once');
	for (const end of ends) {
		t.true(starts.some(start => start.id === end.id && start.ts <= end.ts), `flow ${end.id} starts before it ends`);
	}
});
