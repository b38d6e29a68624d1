// The cost of async tracing on an await-heavy loop (100k awaits), each mode
// in its own process (instrumentation hooks are per process), best of 7 runs
// per process. Baselines in the same run: the untraced loop, and what bare
// v8.promiseHooks and async_hooks hooks (doing nothing) cost on it.
import {execFileSync} from 'node:child_process';
import asyncHooks from 'node:async_hooks';
import {fileURLToPath} from 'node:url';
import v8 from 'node:v8';

const awaits = 100_000;
const runs = 7;
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
}
