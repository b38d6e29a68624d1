// A trace with one of each thing the timeline draws, written at test time
// with `viztracer_metadata.cwd` set to test/fixtures/viewer-timeline (whose
// src/ holds the functions its span names point at). Times are µs.
import fs from 'node:fs';
import path from 'node:path';
import {fixturesDir} from '../helpers/exec.js';

export const timelineFixtureDir = path.join(fixturesDir, 'viewer-timeline');

const at = line => `(src/app.js:${line}:1)`;

export const everythingEvents = [
	{ph: 'M', name: 'process_name', pid: 1, tid: 1, args: {name: 'app.js'}},
	{ph: 'M', name: 'thread_name', pid: 1, tid: 1, args: {name: 'MainThread'}},
	{ph: 'M', name: 'thread_name', pid: 1, tid: 10_001, args: {name: 'Garbage collection (MainThread)'}},
	{ph: 'M', name: 'thread_sort_index', pid: 1, tid: 10_001, args: {sort_index: 1}},
	{ph: 'M', name: 'thread_name', pid: 1, tid: 11_000, args: {name: 'async 1 (MainThread)'}},
	{ph: 'M', name: 'thread_sort_index', pid: 1, tid: 11_000, args: {sort_index: 1000}},
	{ph: 'M', name: 'thread_name', pid: 1, tid: 2, args: {name: 'Worker 2'}},
	{ph: 'M', name: 'process_name', pid: 2, tid: 2, args: {name: 'child.js'}},
	{ph: 'M', name: 'thread_name', pid: 2, tid: 2, args: {name: 'MainThread'}},
	// The main thread, in the tracer's order (a call is written when it returns).
	{ph: 'X', name: `tokenize ${at(9)}`, pid: 1, tid: 1, ts: 120, dur: 100, cat: 'FEE', args: {func_args: {text: '\'a=1\''}, return_value: '[ \'a\', \'1\' ]'}},
	{ph: 'X', name: `parse ${at(5)}`, pid: 1, tid: 1, ts: 100, dur: 300, cat: 'FEE'},
	{ph: 'B', name: 'load config', pid: 1, tid: 1, ts: 600},
	{ph: 'E', pid: 1, tid: 1, ts: 700},
	{ph: 'X', name: `render ${at(13)}`, pid: 1, tid: 1, ts: 500, dur: 400, cat: 'FEE', args: {exception: 'TypeError: tree.join is not a function'}},
	{ph: 'X', name: `main ${at(1)}`, pid: 1, tid: 1, ts: 0, dur: 1000, cat: 'FEE'},
	{ph: 'X', name: 'GC (scavenge)', pid: 1, tid: 10_001, ts: 450, dur: 30, cat: 'FEE', args: {kind: 'scavenge'}},
	{ph: 'X', name: `fetchData ${at(17)}`, pid: 1, tid: 11_000, ts: 200, dur: 600, cat: 'FEE'},
	{ph: 'X', name: `work ${at(21)}`, pid: 1, tid: 2, ts: 300, dur: 500, cat: 'FEE'},
	{ph: 'X', name: 'fib (src/child.js:1:1)', pid: 2, tid: 2, ts: 1150, dur: 50, cat: 'FEE'},
	{ph: 'X', name: 'fib (src/child.js:1:1)', pid: 2, tid: 2, ts: 1100, dur: 200, cat: 'FEE'},
	{ph: 'C', name: 'Memory usage (MB)', pid: 1, tid: 1, ts: 0, args: {heapUsed: 10, rss: 30}},
	{ph: 'C', name: 'Memory usage (MB)', pid: 1, tid: 1, ts: 500, args: {heapUsed: 20, rss: 35}},
	{ph: 'C', name: 'Memory usage (MB)', pid: 1, tid: 1, ts: 1000, args: {heapUsed: 15, rss: 33}},
	{ph: 'i', name: 'start', pid: 1, tid: 1, ts: 50, s: 't', args: {n: 1}},
	{ph: 'i', name: 'checkpoint', pid: 1, tid: 1, ts: 550, s: 'p'},
	{ph: 'i', name: 'exit', pid: 1, tid: 1, ts: 990, s: 'g'},
	// tokenize → fetchData (bound to the enclosing slices), and parse → work → render (the end binds to the next slice).
	{ph: 's', name: 'await', cat: 'async', id: 1, pid: 1, tid: 1, ts: 150},
	{ph: 'f', name: 'await', cat: 'async', id: 1, pid: 1, tid: 11_000, ts: 250, bp: 'e'},
	{ph: 's', name: 'message', cat: 'worker', id: 2, pid: 1, tid: 1, ts: 350},
	{ph: 't', name: 'message', cat: 'worker', id: 2, pid: 1, tid: 2, ts: 400},
	{ph: 'f', name: 'message', cat: 'worker', id: 2, pid: 1, tid: 1, ts: 480},
	{ph: 'N', name: 'queue', id: '0x1', pid: 1, tid: 1, ts: 10},
	{ph: 'O', name: 'queue', id: '0x1', pid: 1, tid: 1, ts: 100, args: {snapshot: {pending: 3}}},
	{ph: 'O', name: 'queue', id: '0x1', pid: 1, tid: 1, ts: 600, args: {snapshot: {pending: 0}}},
	{ph: 'D', name: 'queue', id: '0x1', pid: 1, tid: 1, ts: 900},
];

/** Writes everything.json into `directory` and returns its path. */
export function writeEverythingTrace(directory, name = 'everything.json') {
	const file = path.join(directory, name);
	fs.writeFileSync(file, JSON.stringify({
		traceEvents: everythingEvents,
		displayTimeUnit: 'ns',
		viztracer_metadata: {version: '0.1.0', overflow: false, baseTimeNanoseconds: 1_700_000_000_000_000_000, cwd: timelineFixtureDir},
	}));
	return file;
}
