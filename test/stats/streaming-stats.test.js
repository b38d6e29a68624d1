// The one-pass statistics of big .vizt traces: the same numbers as the
// in-memory computation (p50/p95 within the histogram's 0.4%), and a clean
// refusal (undefined: the caller counts in memory) on what they cannot count.
import fs from 'node:fs';
import path from 'node:path';
import test from 'ava';
import {computeTraceStats} from '../../dist/index.js';
import {streamingTraceStats} from '../../dist/stats/trace-stats.js';
import {fixturesDir, runCli, temporaryDirectory, withSubprocessSlot} from '../helpers/exec.js';

const directory = temporaryDirectory();
const fixture = path.join(fixturesDir, 'stats', 'mixed-calls.cjs');

async function record(name, flags) {
	const output = path.join(directory, name);
	const result = await withSubprocessSlot(() => runCli([...flags, '-o', output, fixture], {timeout: 120_000}));
	if (result.code !== 0) {
		throw new Error(result.stderr);
	}

	return output;
}

const close = (a, b, relative) => Math.abs(a - b) <= relative * Math.max(1, Math.abs(a));

test('on call-stack spans (nesting, recursion) and --log-async lifetimes, one pass gives the in-memory numbers', async t => {
	for (const flags of [['--log-async'], ['--tracer-entries', '65536', '--log-async']]) {
		const file = await record(`exact${flags.length}.vizt`, flags); // eslint-disable-line no-await-in-loop
		const inMemory = await computeTraceStats(file); // eslint-disable-line no-await-in-loop
		const streamed = streamingTraceStats(file);
		t.truthy(streamed, `${flags} is streamable`);
		t.is(streamed.spans, inMemory.spans);
		t.is(streamed.tracks, inMemory.tracks);
		t.is(streamed.asyncLifetimes, inMemory.asyncLifetimes);
		t.is(streamed.dropped, inMemory.dropped);
		t.is(inMemory.dropped > 0, flags.length > 1, 'the bounded run dropped entries');
		const rows = new Map(inMemory.functions.map(row => [row.name, row]));
		t.deepEqual(streamed.functions.map(row => row.name).sort(), [...rows.keys()].sort());
		for (const row of streamed.functions) {
			const expected = rows.get(row.name);
			for (const field of ['calls', 'total', 'self', 'mean', 'max', 'incomplete']) {
				t.true(close(row[field], expected[field], 1e-9), `${flags} ${row.name} ${field}: ${row[field]} vs ${expected[field]}`);
			}

			for (const field of ['p50', 'p95']) {
				t.true(close(row[field], expected[field], 0.004), `${flags} ${row.name} ${field}: ${row[field]} vs ${expected[field]}`);
			}
		}
	}
});

test('spans off the call stack, spans with args and JSON traces are left to the in-memory computation', async t => {
	t.is(streamingTraceStats(await record('async.vizt', [])), undefined, 'async functions without --log-async: spans off the stack');
	t.is(streamingTraceStats(await record('args.vizt', ['--log-func-args'])), undefined, 'spans with args carry no depth');
	const json = await record('plain.json', ['--log-async']);
	t.is(streamingTraceStats(json), undefined, 'JSON has no depths');
	t.true(fs.existsSync(json));
});

test('--combine keeps the stack depths of .vizt inputs: the combined trace is counted in one pass too, with the same calls', async t => {
	const first = await record('combine-a.vizt', ['--log-async']);
	const second = await record('combine-b.vizt', ['--log-async']);
	const combined = path.join(directory, 'combined.vizt');
	const result = await runCli(['--combine', first, second, '-o', combined]);
	t.is(result.code, 0, result.stderr);
	const stats = streamingTraceStats(combined);
	t.truthy(stats);
	const single = streamingTraceStats(first);
	const calls = rows => Object.fromEntries(rows.functions.map(row => [row.name, row.calls]));
	t.deepEqual(calls(stats), Object.fromEntries(Object.entries(calls(single)).map(([name, count]) => [name, count * 2])));
});
