// The cost of async tracing on an await-heavy loop (100k awaits), each mode
// in its own process (instrumentation hooks are per process), best of 7 runs
// per process. Baselines in the same run: the untraced loop, and what bare
// v8.promiseHooks and async_hooks hooks (doing nothing) cost on it.
// Then --log-async against --log-async=all through the CLI, on that loop and
// on a timer and I/O callback chain, with the workload instrumented or not:
// what tracking every promise costs on Node < 26.
import {execFileSync} from 'node:child_process';
import asyncHooks from 'node:async_hooks';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {fileURLToPath} from 'node:url';
import v8 from 'node:v8';

const awaits = 100_000;
const runs = 7;
const rounds = 3;
const fixture = new URL('fixtures/await-loop.mjs', import.meta.url);
const self = fileURLToPath(import.meta.url);

const modes = {
	'untraced': 'the loop, nothing installed',
	'promiseHooks (no-op)': 'v8.promiseHooks init/before/after/settled doing nothing',
	'async_hooks (no-op)': 'async_hooks init/before/after doing nothing',
	'logAsync, loop not instrumented': 'tracer started with logAsync; the loop\'s file is not instrumented (no promise hooks; on Node 26+ an async_hooks hook for timers and I/O, without promise tracking)',
	'instrumented, stopped': 'instrumented loop, tracer not started',
	'traced': 'instrumented loop, traced (a span per call)',
	'traced + logAsync': 'instrumented loop, traced with logAsync (lifetimes, runs between awaits, flows)',
};

async function measure(mode) {
	const {instrument, VizTracer} = await import('../dist/index.js');
	let tracer;
	const instrumented = mode.startsWith('instrumented') || mode.startsWith('traced');
	if (instrumented) {
		instrument({cacheDir: false, logAsync: mode === 'traced + logAsync'});
	}

	if (mode === 'promiseHooks (no-op)') {
		v8.promiseHooks.createHook({init() {}, before() {}, after() {}, settled() {}});
	}

	if (mode === 'async_hooks (no-op)') {
		asyncHooks.createHook({init() {}, before() {}, after() {}}).enable();
	}

	const {awaitLoop} = await import(fixture.href);
	if (mode === 'traced' || mode === 'traced + logAsync' || mode === 'logAsync, loop not instrumented') {
		tracer = new VizTracer({verbose: 0, logAsync: true, tracerEntries: 2_000_000});
		tracer.start();
	}

	let best = Number.POSITIVE_INFINITY;
	for (let run = 0; run < runs; run++) {
		tracer?.clear();
		const start = performance.now();
		// eslint-disable-next-line no-await-in-loop
		await awaitLoop(awaits);
		best = Math.min(best, performance.now() - start);
	}

	tracer?.stop();
	return best;
}

if (process.argv[2]) {
	console.log(JSON.stringify(await measure(process.argv[2])));
} else {
	const results = {};
	for (const mode of Object.keys(modes)) {
		results[mode] = JSON.parse(execFileSync(process.execPath, [self, mode], {encoding: 'utf8'}));
	}

	const baseline = results.untraced;
	console.log(`await loop, ${awaits.toLocaleString('en')} awaits, best of ${runs} (Node ${process.version})\n`);
	console.log('| mode | ms | vs untraced | what it measures |');
	console.log('| --- | ---: | ---: | --- |');
	for (const [mode, description] of Object.entries(modes)) {
		console.log(`| ${mode} | ${results[mode].toFixed(2)} | ${(results[mode] / baseline).toFixed(2)}x | ${description} |`);
	}

	compareLogAsyncModes();
}

function compareLogAsyncModes() {
	const cli = fileURLToPath(new URL('../dist/bin/viztracer.js', import.meta.url));
	const fixtures = fileURLToPath(new URL('fixtures', import.meta.url));
	const runner = path.join(fixtures, 'async-workload.mjs');
	const directory = fs.mkdtempSync(path.join(os.tmpdir(), 'viztracer-bench-'));
	const workloads = [
		['awaits', awaits, 'await loop (promise-heavy)'],
		['callbacks', 2000, 'callback chain (2,000 nextTick → immediate → fs.stat steps, a timer every 50th)'],
	];
	const best = (flags, workload, count) => {
		const command = flags === undefined ? [runner] : [cli, '-q', '-o', path.join(directory, 'trace.json'), ...flags, '--', runner];
		return JSON.parse(execFileSync(process.execPath, [...command, workload, String(count), String(runs)], {encoding: 'utf8'}));
	};

	// The cases take turns, round after round, so a busy moment of the machine does not land on one of them only.
	const cases = [];
	for (const [workload, count, description] of workloads) {
		cases.push({key: `${workload} untraced`, flags: undefined, workload, count});
		for (const instrumented of [false, true]) {
			const scope = instrumented ? [] : ['--exclude-files', fixtures];
			cases.push({key: `${workload} ${instrumented} plain`, flags: [...scope, '--log-async'], workload, count}, {key: `${workload} ${instrumented} all`, flags: [...scope, '--log-async=all'], workload, count});
		}
	}

	const results = new Map();
	try {
		for (let round = 0; round < rounds; round++) {
			for (const {key, flags, workload, count} of cases) {
				results.set(key, Math.min(results.get(key) ?? Number.POSITIVE_INFINITY, best(flags, workload, count)));
			}
		}
	} finally {
		fs.rmSync(directory, {recursive: true, force: true});
	}

	console.log(`\n--log-async against --log-async=all (CLI), best of ${rounds} processes of ${runs} runs each (Node ${process.version})\n`);
	console.log('| workload | instrumented | untraced ms | --log-async ms | --log-async=all ms | =all / --log-async |');
	console.log('| --- | --- | ---: | ---: | ---: | ---: |');
	for (const [workload, , description] of workloads) {
		const untraced = results.get(`${workload} untraced`);
		for (const instrumented of [false, true]) {
			const plain = results.get(`${workload} ${instrumented} plain`);
			const all = results.get(`${workload} ${instrumented} all`);
			const ratio = value => `${value.toFixed(1)} (${(value / untraced).toFixed(2)}x)`;
			console.log(`| ${description} | ${instrumented ? 'yes' : 'no'} | ${untraced.toFixed(1)} | ${ratio(plain)} | ${ratio(all)} | ${(all / plain).toFixed(2)}x |`);
		}
	}
}
