// `viztracer stats`, run as a real subprocess of the built CLI.
import fs from 'node:fs';
import path from 'node:path';
import test from 'ava';
import {fixturesDir, runCli as runCliToCompletion, temporaryDirectory} from '../helpers/exec.js';

// The machine running the suite may be loaded: be generous.
const runCli = (args, options) => runCliToCompletion(args, {timeout: 120_000, ...options});
const fixture = name => path.join(fixturesDir, 'stats', name);

test('prints a table sorted by self time, with a summary line', async t => {
	const result = await runCli(['stats', fixture('nested.json')]);
	t.is(result.code, 0, result.stderr);
	const lines = result.stdout.trimEnd().split('\n');
	t.is(lines[0], `${fixture('nested.json')}: 4 spans of 3 functions on 1 track, sorted by self`);
	t.regex(lines[2], /^calls\s+total\s+self\s+mean\s+p50\s+p95\s+max\s+function$/);
	const rows = lines.slice(3).map(line => line.trim().split(/\s{2,}/));
	t.deepEqual(rows, [
		['1', '100.00 µs', '50.00 µs', '100.00 µs', '100.00 µs', '100.00 µs', '100.00 µs', 'main (main.js:1:1)'],
		['2', '50.00 µs', '40.00 µs', '25.00 µs', '20.00 µs', '30.00 µs', '30.00 µs', 'a (lib/a.js:3:1)'],
		['1', '10.00 µs', '10.00 µs', '10.00 µs', '10.00 µs', '10.00 µs', '10.00 µs', 'b (lib/b.js:1:1)'],
	]);
	t.is(result.stderr, '');
});

test('--json prints an array of {name, calls, total, self, mean, p50, p95, max} in µs', async t => {
	const result = await runCli(['stats', '--json', fixture('begin-end.json')]);
	t.is(result.code, 0, result.stderr);
	t.deepEqual(JSON.parse(result.stdout), [
		{name: 'main', calls: 1, total: 100, self: 75, mean: 100, p50: 100, p95: 100, max: 100, incomplete: 0},
		{name: 'work', calls: 3, total: 45, self: 43, mean: 15, p50: 20, p95: 20, max: 20, incomplete: 0},
		{name: 'inner', calls: 1, total: 2, self: 2, mean: 2, p50: 2, p95: 2, max: 2, incomplete: 0},
	]);
});

test('--json rounds to the nanosecond', async t => {
	const result = await runCli(['stats', '--json', fixture('recursion.json')]);
	t.is(result.code, 0, result.stderr);
	t.deepEqual(JSON.parse(result.stdout), [{name: 'fib', calls: 3, total: 100, self: 100, mean: 53.333, p50: 50, p95: 100, max: 100, incomplete: 0}]);
});

test('--csv prints the same columns with a header, quoting names that need it', async t => {
	const result = await runCli(['stats', '--csv', '--sort', 'name', fixture('awkward.json')]);
	t.is(result.code, 0, result.stderr);
	t.is(result.stdout, [
		'name,calls,total,self,mean,p50,p95,max',
		'café ☕ (src/café.js:1:1),1,0.5,0.5,0.5,0.5,0.5,0.5',
		'no-dur,1,0,0,0,0,0,0',
		'"weird {name} ""quoted"", [x] \\",2,4,4,2,1.75,2.25,2.25',
		'',
	].join('\r\n'));
});

test('--sort and --limit pick the order and the number of rows', async t => {
	const byCalls = await runCli(['stats', '--json', '--sort', 'calls', '--limit', '1', fixture('begin-end.json')]);
	t.is(byCalls.code, 0, byCalls.stderr);
	t.deepEqual(JSON.parse(byCalls.stdout).map(row => row.name), ['work']);
	const byMax = await runCli(['stats', '--csv', '--sort', 'max', fixture('nested.json')]);
	t.deepEqual(byMax.stdout.trim().split('\r\n').slice(1).map(line => line.split(',')[0]), ['main (main.js:1:1)', 'a (lib/a.js:3:1)', 'b (lib/b.js:1:1)']);
	const table = await runCli(['stats', '--limit', '2', fixture('nested.json')]);
	t.regex(table.stdout, /… 1 more function \(--limit 0 shows all\)\n$/);
});

test('reads gzip traces', async t => {
	const directory = temporaryDirectory();
	const file = path.join(directory, 'trace.json.gz');
	const {gzipSync} = await import('node:zlib');
	fs.writeFileSync(file, gzipSync(fs.readFileSync(fixture('nested.json'))));
	const result = await runCli(['stats', '--json', file]);
	t.is(result.code, 0, result.stderr);
	t.is(JSON.parse(result.stdout)[0].self, 50);
});

test('works on a trace viztracer wrote: the self times of one thread add up to its outermost span', async t => {
	const directory = temporaryDirectory();
	const trace = path.join(directory, 'nested.json');
	const traced = await runCli(['-q', '-o', trace, path.join(fixturesDir, 'cli', 'nested.mjs')]);
	t.is(traced.code, 0, traced.stderr);
	const result = await runCli(['stats', '--json', trace]);
	t.is(result.code, 0, result.stderr);
	const rows = JSON.parse(result.stdout);
	const byName = Object.fromEntries(rows.map(row => [row.name, row]));
	// Level1 > level2 > level3 > level4, each wrapping an instrumented arrow function.
	for (const level of [1, 2, 3, 4]) {
		const row = byName[`level${level}`];
		t.is(row.calls, 1);
		t.is(row.total, row.max);
		t.true(row.self <= row.total);
		if (level > 1) {
			t.true(byName[`level${level - 1}`].total > row.total, 'a parent lasts longer than its child');
		}
	}

	t.true(rows.some(row => /^<anonymous> \(.*nested\.mjs:\d+:\d+\)$/.test(row.name)), 'the instrumented arrow functions are there too');
	const selfSum = rows.reduce((sum, row) => sum + row.self, 0);
	t.true(Math.abs(selfSum - byName.level1.total) <= 0.001 * rows.length, `self times add up to ${selfSum}, level1 lasted ${byName.level1.total}`);
});

test('a missing or invalid trace exits 1 with the reason; bad options exit 2', async t => {
	const missing = await runCli(['stats', fixture('missing.json')]);
	t.is(missing.code, 1);
	t.is(missing.stderr, `viztracer stats: Cannot find the trace ${fixture('missing.json')}\n`);
	t.is(missing.stdout, '');

	const invalid = await runCli(['stats', path.join(fixturesDir, 'cli', 'nested.mjs')]);
	t.is(invalid.code, 1);
	t.regex(invalid.stderr, /^viztracer stats: .*nested\.mjs is not a valid trace: expected a JSON object or array/);

	const badSort = await runCli(['stats', '--sort', 'speed', fixture('nested.json')]);
	t.is(badSort.code, 2);
	t.regex(badSort.stderr, /--sort <column>' argument 'speed' is invalid\. Expected one of self, total, calls, mean, p50, p95, max, name/);

	const both = await runCli(['stats', '--json', '--csv', fixture('nested.json')]);
	t.is(both.code, 2);

	const none = await runCli(['stats']);
	t.is(none.code, 2);
	t.regex(none.stderr, /missing required argument 'trace'/);
});

test('unmatched B/E events are reported on stderr and left out', async t => {
	const directory = temporaryDirectory();
	const file = path.join(directory, 'unmatched.json');
	fs.writeFileSync(file, JSON.stringify({traceEvents: [
		{ph: 'E', pid: 1, tid: 1, ts: 1},
		{ph: 'B', name: 'open', pid: 1, tid: 1, ts: 2},
		{ph: 'B', name: 'closed', pid: 1, tid: 2, ts: 2},
		{ph: 'E', pid: 1, tid: 2, ts: 5},
	]}));
	const result = await runCli(['stats', '--json', file]);
	t.is(result.code, 0, result.stderr);
	t.deepEqual(JSON.parse(result.stdout).map(row => row.name), ['closed']);
	t.is(result.stderr, 'viztracer stats: 2 B/E event(s) without a partner were left out\n');
});

test('--help describes the subcommand', async t => {
	const result = await runCli(['stats', '--help']);
	t.is(result.code, 0);
	t.regex(result.stdout, /Usage: viztracer stats \[options\] <trace>/);
	t.regex(result.stdout, /--sort <column>/);
});

test('a trace that dropped entries: a warning, the calls that began before the record is whole marked, and no self time invented for them', async t => {
	const directory = temporaryDirectory();
	const file = path.join(directory, 'dropped.json');
	// parent lost its first 1000 children; the kept record starts at 1000 µs.
	const events = [{ph: 'X', name: 'parent', pid: 1, tid: 1, ts: 0, dur: 2000, cat: 'FEE'}];
	for (let index = 0; index < 10; index++) {
		events.unshift({ph: 'X', name: 'child', pid: 1, tid: 1, ts: 1000 + (index * 100), dur: 50, cat: 'FEE'});
	}

	fs.writeFileSync(file, JSON.stringify({
		traceEvents: events,
		viztracer_metadata: {version: '0.1.0', overflow: true, baseTimeNanoseconds: 0, recording: [{pid: 1, tid: 1, recorded: 1011, kept: 11, dropped: 1000, bound: 16, droppedAsyncSpans: 0, completeFrom: 1050}]},
	}));
	const table = await runCli(['stats', file]);
	t.is(table.code, 0, table.stderr);
	t.regex(table.stderr, /lacks 1,000 of the 1,011 entries recorded/);
	t.regex(table.stdout, /parent \*\n/);
	t.regex(table.stdout, /^\* some calls began before/m);
	const json = await runCli(['stats', '--json', file]);
	const byName = Object.fromEntries(JSON.parse(json.stdout).map(row => [row.name, row]));
	t.is(byName.parent.incomplete, 1);
	t.is(byName.parent.self, 0, 'the parent\'s self time is unknown, not the time its dropped children took');
	t.is(byName.child.incomplete, 1, 'the oldest kept child began before the record is whole');
	t.is(byName.child.self, 450);
});

test('with --log-async, an async function\'s calls are its lifetimes and its self time its runs: awaiting is no one\'s self time', async t => {
	const directory = temporaryDirectory();
	const output = path.join(directory, 'awaits.json');
	const traced = await runCli(['-q', '--log-async', '-o', output, fixture('awaits.mjs')]);
	t.is(traced.code, 0, traced.stderr);
	const table = await runCli(['stats', output]);
	t.regex(table.stdout, /^async functions \(--log-async\): calls and durations are their lifetimes/m);
	const rows = JSON.parse((await runCli(['stats', '--json', output])).stdout);
	const row = name => rows.find(entry => entry.name.startsWith(`${name} `));
	t.is(row('outer').calls, 1);
	t.is(row('inner').calls, 3);
	t.true(row('outer').total >= 60_000, `outer lives through three 20 ms waits: ${row('outer').total} µs`);
	t.true(row('inner').mean >= 20_000, 'an inner call lasts its wait');
	// Self time comes from the runs on the thread only: never more than they
	// last (the lifetimes, which cover the waits, give none).
	const trace = JSON.parse(fs.readFileSync(output, 'utf8'));
	const thread = trace.traceEvents.find(event => event.ph === 'M' && event.name === 'thread_name' && event.args.name === 'MainThread').tid;
	const runs = name => trace.traceEvents.filter(event => event.ph === 'X' && event.tid === thread && event.name.startsWith(`${name} `)).reduce((sum, event) => sum + event.dur, 0);
	for (const name of ['outer', 'inner']) {
		t.true(row(name).self <= runs(name) + 0.001, `${name} self ${row(name).self} µs, its runs ${runs(name)} µs`);
		t.true(runs(name) < row(name).total, `${name}'s runs are shorter than its lifetimes`);
	}
});
