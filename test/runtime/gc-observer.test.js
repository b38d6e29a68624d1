import path from 'node:path';
import test from 'ava';
import {cliPath, fixturesDir, readTrace, run, temporaryDirectory} from '../helpers/exec.js';

const directory = temporaryDirectory();
const churn = path.join(fixturesDir, 'gc', 'churn.mjs');
const traceOf = async (name, flags) => {
	const output = path.join(directory, name);
	const result = await run(process.execPath, ['--expose-gc', cliPath, '-q', ...flags, '-o', output, churn]);
	return {result, trace: await readTrace(output)};
};

test('--log-gc records garbage collections as spans on their own named row, with kind and flags', async t => {
	const {result, trace} = await traceOf('gc.json', ['--log-gc']);
	t.is(result.code, 0, result.stderr);
	const row = trace.traceEvents.find(event => event.ph === 'M' && event.name === 'thread_name' && event.args.name.startsWith('Garbage collection'));
	t.truthy(row, 'the GC row is named');
	const mainTid = trace.traceEvents.find(event => event.ph === 'M' && event.name === 'thread_name' && event.args.name === 'MainThread').tid;
	t.not(row.tid, mainTid);
	const collections = trace.traceEvents.filter(event => event.ph === 'X' && event.name.startsWith('GC ('));
	t.true(collections.length >= 1);
	for (const event of collections) {
		t.is(event.tid, row.tid);
		t.true(event.dur >= 0);
		t.is(typeof event.args.kind, 'string');
		t.true(Array.isArray(event.args.flags));
	}

	// The explicit global.gc() is a forced full collection.
	t.true(collections.some(event => event.args.kind === 'mark-sweep-compact' && event.args.flags.includes('forced')));
	// Collections happen during the traced run, on the same clock as the spans.
	const churnSpans = trace.traceEvents.filter(event => event.ph === 'X' && event.name.startsWith('churn'));
	const first = Math.min(...churnSpans.map(event => event.ts));
	t.true(collections.every(event => event.ts >= first - 1e6));
});

test('without --log-gc there is no GC row', async t => {
	const {result, trace} = await traceOf('no-gc.json', []);
	t.is(result.code, 0, result.stderr);
	t.false(trace.traceEvents.some(event => event.name.startsWith('GC (') || (event.name === 'thread_name' && event.args.name.startsWith('Garbage'))));
});
