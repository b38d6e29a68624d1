// `viztracer stats` on traces and paths that used to crash it: B/E events
// on several tracks, absurd durations, files it cannot read.
import {spawnSync} from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import test from 'ava';
import {formatDuration} from '../../dist/stats/format-stats.js';
import {cliPath, run, runCli as runCliToCompletion, temporaryDirectory} from '../helpers/exec.js';

const runCli = (args, options) => runCliToCompletion(args, {timeout: 120_000, ...options});
const directory = temporaryDirectory();

function writeTrace(name, events) {
	const file = path.join(directory, name);
	fs.writeFileSync(file, JSON.stringify({traceEvents: events}));
	return file;
}

test('B/E events on a track after one with only X events are matched per pid and tid', async t => {
	const file = writeTrace('mixed-tracks.json', [
		{ph: 'X', name: 'x', pid: 1, tid: 1, ts: 0, dur: 3},
		{ph: 'B', name: 'outer', pid: 1, tid: 2, ts: 0},
		{ph: 'B', name: 'other', pid: 2, tid: 2, ts: 1},
		{ph: 'B', name: 'inner', pid: 1, tid: 2, ts: 2},
		{ph: 'E', pid: 1, tid: 2, ts: 4},
		{ph: 'E', pid: 2, tid: 2, ts: 7},
		{ph: 'E', pid: 1, tid: 2, ts: 10},
	]);
	const result = await runCli(['stats', '--json', file]);
	t.is(result.code, 0, result.stderr);
	t.is(result.stderr, '');
	const rows = Object.fromEntries(JSON.parse(result.stdout).map(row => [row.name, row]));
	t.deepEqual(Object.keys(rows).sort(), ['inner', 'other', 'outer', 'x']);
	t.is(rows.outer.total, 10);
	t.is(rows.outer.self, 8);
	t.is(rows.inner.total, 2);
	t.is(rows.other.total, 6);
	t.is(rows.x.total, 3);
});

test('unmatched B and E events next to X-only tracks are reported, not a crash', async t => {
	const file = writeTrace('unmatched-mixed.json', [
		{ph: 'X', name: 'x', pid: 1, tid: 1, ts: 0, dur: 3},
		{ph: 'E', pid: 1, tid: 3, ts: 1},
		{ph: 'B', name: 'never-ends', pid: 1, tid: 4, ts: 2},
	]);
	const result = await runCli(['stats', file]);
	t.is(result.code, 0, result.stderr);
	t.regex(result.stdout, /1 span of 1 function/);
	t.is(result.stderr, 'viztracer stats: 2 B/E event(s) without a partner were left out\n');
});

test('formatDuration() - every magnitude prints as a number with a unit', t => {
	t.is(formatDuration(0.85), '850 ns');
	t.is(formatDuration(12.5), '12.50 µs');
	t.is(formatDuration(999.999), '1.00 ms');
	t.is(formatDuration(3200), '3.20 ms');
	t.is(formatDuration(1_050_000), '1.05 s');
	t.is(formatDuration(150e6), '2.50 min');
	t.is(formatDuration(5400e6), '1.50 h');
	t.is(formatDuration(3 * 86_400e6), '3.00 d');
	t.is(formatDuration(1e300), '1.16e+289 d');
	t.is(formatDuration(Number.POSITIVE_INFINITY), '∞');
});

test('huge durations and infinite timestamps print as numbers, never "Infinity"', async t => {
	const file = writeTrace('huge.json', []);
	// 1e999 is Infinity once parsed: written by hand, JSON.stringify cannot.
	fs.writeFileSync(file, `{"traceEvents":[
		{"ph":"B","name":"long","pid":1,"tid":1,"ts":0},
		{"ph":"E","pid":1,"tid":1,"ts":1e300},
		{"ph":"B","name":"endless","pid":1,"tid":2,"ts":0},
		{"ph":"E","pid":1,"tid":2,"ts":1e999},
		{"ph":"X","name":"nowhere","pid":1,"tid":3,"ts":1e999,"dur":1},
		{"ph":"X","name":"hours","pid":1,"tid":3,"ts":0,"dur":5400000000}
	]}`);
	const result = await runCli(['stats', file]);
	t.is(result.code, 0, result.stderr);
	t.notRegex(result.stdout, /Infinity|NaN/);
	t.regex(result.stdout, /1\.16e\+289 d {2}.*long$/m);
	t.regex(result.stdout, /1\.50 h {2}.*hours$/m);
	t.regex(result.stdout, /0 ns {2}.*endless$/m);
	t.notRegex(result.stdout, /nowhere/);
});

test('a directory, a missing file: one line each, exit 1', async t => {
	const onDirectory = await runCli(['stats', directory]);
	t.is(onDirectory.code, 1);
	t.is(onDirectory.stderr, `viztracer stats: Cannot read the trace ${directory}: it is a directory, not a file\n`);
	t.is(onDirectory.stdout, '');

	const missing = path.join(directory, 'missing', 'trace.json');
	const onMissing = await runCli(['stats', missing]);
	t.is(onMissing.code, 1);
	t.is(onMissing.stderr, `viztracer stats: Cannot find the trace ${missing}\n`);
});

// Root reads any file, so the permission case runs the CLI as `nobody`.
const canDropToNobody = process.getuid?.() === 0 && spawnSync('setpriv', ['--reuid=65534', '--regid=65534', '--clear-groups', 'true']).status === 0;

(canDropToNobody ? test : test.skip)('a file without read permission: one line, exit 1', async t => {
	const folder = path.join(directory, 'private');
	fs.mkdirSync(folder);
	// The temporary folders must let `nobody` through (the system's tmp does); only the file is closed.
	fs.chmodSync(directory, 0o711);
	fs.chmodSync(folder, 0o711);
	const file = path.join(folder, 'secret.json');
	fs.writeFileSync(file, JSON.stringify({traceEvents: [{ph: 'X', name: 'a', pid: 1, tid: 1, ts: 0, dur: 1}]}));
	fs.chmodSync(file, 0o600);
	const result = await runCliToCompletion(['stats', file], {timeout: 120_000});
	t.is(result.code, 0, 'root can read it');
	const asNobody = await run('setpriv', ['--reuid=65534', '--regid=65534', '--clear-groups', process.execPath, cliPath, 'stats', file], {timeout: 120_000});
	t.is(asNobody.code, 1);
	t.is(asNobody.stderr, `viztracer stats: Cannot read the trace ${file}: permission denied (EACCES)\n`);
});
