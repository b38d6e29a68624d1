// Whole runs (issue 11): a recording of 100 million calls in one process,
// with the default, unbounded tracer that streams its ring to disk.
// Usage: node benchmarks/long-run.js [--calls 100000000] [--runs 3] [--fib 38] [--json]
//
// Each case runs in a fresh process, so its memory figures are its own:
//   now        `performance.now()` in a loop: the unit of the per-call targets
//   untraced   an empty function called in a loop
//   bounded    the same function `wrap`ped, with tracerEntries 2^20: the ring
//              overflows and nothing is handed on (the old hot path)
//   streamed   the same with the default tracer: every call recorded, the ring's
//              chunks handed to the writer thread; saved as .vizt
// then `viztracer stats` (computeTraceStats) on the streamed case's file, and
// fib(N) as a whole program: untraced, under `viztracer -o x.vizt` and under
// `node --cpu-prof` (its profile's size, for comparison). The per-call cases
// take the best of --runs; the rest run once.
import {spawnSync} from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {performance} from 'node:perf_hooks';
import {fileURLToPath, pathToFileURL} from 'node:url';
import {parseArgs} from 'node:util';

const {values: flags} = parseArgs({
	options: {
		calls: {type: 'string', default: '100000000'},
		runs: {type: 'string', default: '3'},
		fib: {type: 'string', default: '38'},
		json: {type: 'boolean', default: false},
		case: {type: 'string'},
		file: {type: 'string'},
	},
});
const root = fileURLToPath(new URL('..', import.meta.url));
const dist = path.join(root, 'dist');
const calls = Number(flags.calls);

function empty(x) {
	return x;
}

/** One case, in this (fresh) process: prints one JSON line. */
async function runCase(name) {
	const {VizTracer} = await import(pathToFileURL(path.join(dist, 'index.js')).href);
	let sink = 0;
	const rssBefore = process.memoryUsage().rss;
	let elapsed;
	const result = {case: name, calls};
	if (name === 'now') {
		const began = performance.now();
		for (let index = 0; index < calls; index++) {
			sink += performance.now();
		}

		elapsed = performance.now() - began;
	} else if (name === 'untraced') {
		const began = performance.now();
		for (let index = 0; index < calls; index++) {
			sink += empty(index);
		}

		elapsed = performance.now() - began;
	} else {
		const file = flags.file;
		const tracer = new VizTracer({verbose: 0, outputFile: file, ...(name === 'bounded' ? {tracerEntries: 2 ** 20} : {})});
		const wrapped = tracer.wrap(empty, 'empty');
		tracer.start();
		const began = performance.now();
		for (let index = 0; index < calls; index++) {
			sink += wrapped(index);
		}

		elapsed = performance.now() - began;
		tracer.stop();
		result.peakRssGrowthMB = ((process.resourceUsage().maxRSS * 1024) - rssBefore) / 1e6;
		const saveBegan = performance.now();
		tracer.save();
		result.saveSeconds = (performance.now() - saveBegan) / 1000;
		tracer.terminate();
		result.fileBytes = fs.statSync(file).size;
		result.peakRssGrowthWithSaveMB = ((process.resourceUsage().maxRSS * 1024) - rssBefore) / 1e6;
	}

	result.nsPerCall = (elapsed * 1e6) / calls;
	result.sink = sink > 0;
	console.log(JSON.stringify(result));
}

async function runStats(file) {
	const {computeTraceStats} = await import(pathToFileURL(path.join(dist, 'index.js')).href);
	const began = performance.now();
	const stats = await computeTraceStats(file);
	const seconds = (performance.now() - began) / 1000;
	const rows = stats.functions ?? stats.rows ?? stats;
	console.log(JSON.stringify({seconds, maxRssMB: (process.resourceUsage().maxRSS * 1024) / 1e6, spans: stats.spans ?? stats.totalSpans, rows: Array.isArray(rows) ? rows.length : undefined}));
}

if (flags.case === 'stats') {
	await runStats(flags.file);
} else if (flags.case !== undefined) {
	await runCase(flags.case);
} else {
	await main();
}

function child(args, options = {}) {
	const began = performance.now();
	const run = spawnSync(process.execPath, args, {encoding: 'utf8', maxBuffer: 1 << 26, ...options});
	const seconds = (performance.now() - began) / 1000;
	if (run.status !== 0) {
		throw new Error(`${args.join(' ')} exited ${run.status}: ${run.stderr}`);
	}

	return {seconds, stdout: run.stdout, stderr: run.stderr};
}

async function main() {
	if (!fs.existsSync(path.join(dist, 'index.js'))) {
		console.error('dist/ is missing: run `npm run build` first');
		process.exit(1);
	}

	const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'viztracer-long-run-'));
	const self = fileURLToPath(import.meta.url);
	const runs = Number(flags.runs);
	const best = {};
	try {
		for (let run = 0; run < runs; run++) {
			for (const name of ['now', 'untraced', 'bounded', 'streamed']) {
				const file = path.join(scratch, `${name}.vizt`);
				const {stdout} = child([self, '--case', name, '--calls', String(calls), '--file', file]);
				const result = JSON.parse(stdout.trim().split('\n').at(-1));
				if (best[name] === undefined || result.nsPerCall < best[name].nsPerCall) {
					best[name] = result;
				}

				if (name === 'bounded' || (name === 'streamed' && run < runs - 1)) {
					fs.rmSync(file, {force: true});
				}
			}
		}

		const streamedFile = path.join(scratch, 'streamed.vizt');
		const stats = JSON.parse(child([self, '--case', 'stats', '--file', streamedFile]).stdout.trim());
		fs.rmSync(streamedFile, {force: true});

		// fib(N) as a whole program.
		const fibScript = path.join(scratch, 'fib.cjs');
		fs.writeFileSync(fibScript, 'function fib(n) { return n < 2 ? n : fib(n - 1) + fib(n - 2); }\nconsole.log(fib(Number(process.argv[2])));\n');
		const fibCalls = fibCallCount(Number(flags.fib));
		const untracedFib = child([fibScript, flags.fib]);
		const tracedFile = path.join(scratch, 'fib.vizt');
		const tracedFib = child([path.join(dist, 'bin', 'viztracer.js'), '-o', tracedFile, fibScript, flags.fib]);
		const fibBytes = fs.statSync(tracedFile).size;
		fs.rmSync(tracedFile, {force: true});
		// The same run with a bounded ring (no hand-off): what streaming adds per call.
		const boundedFile = path.join(scratch, 'fib-bounded.vizt');
		const boundedFib = child([path.join(dist, 'bin', 'viztracer.js'), '--tracer-entries', String(2 ** 20), '-o', boundedFile, fibScript, flags.fib]);
		const profileDir = path.join(scratch, 'prof');
		const profiled = child(['--cpu-prof', `--cpu-prof-dir=${profileDir}`, fibScript, flags.fib]);
		const profileBytes = fs.readdirSync(profileDir).reduce((sum, name) => sum + fs.statSync(path.join(profileDir, name)).size, 0);

		const now = best.now.nsPerCall;
		const figures = {
			node: process.version,
			cpus: os.cpus().length,
			load: os.loadavg()[0],
			calls,
			runs,
			perCall: Object.fromEntries(Object.entries(best).map(([name, result]) => [name, {ns: result.nsPerCall, xNow: result.nsPerCall / now}])),
			streamed: {peakRssGrowthMB: best.streamed.peakRssGrowthMB, peakRssGrowthWithSaveMB: best.streamed.peakRssGrowthWithSaveMB, fileBytes: best.streamed.fileBytes, bytesPerSpan: best.streamed.fileBytes / calls, saveSeconds: best.streamed.saveSeconds},
			bounded: {peakRssGrowthMB: best.bounded.peakRssGrowthMB},
			stats,
			fib: {n: Number(flags.fib), calls: fibCalls, untracedSeconds: untracedFib.seconds, tracedSeconds: tracedFib.seconds, boundedSeconds: boundedFib.seconds, nsPerCall: ((tracedFib.seconds - untracedFib.seconds) * 1e9) / fibCalls, boundedNsPerCall: ((boundedFib.seconds - untracedFib.seconds) * 1e9) / fibCalls, slowdown: tracedFib.seconds / untracedFib.seconds, viztBytes: fibBytes, bytesPerSpan: fibBytes / fibCalls, cpuProfSeconds: profiled.seconds, cpuProfBytes: profileBytes, savedLine: /saved .*/.exec(tracedFib.stderr)?.[0]},
		};
		if (flags.json) {
			console.log(JSON.stringify(figures, null, 2));
			return;
		}

		const mb = bytes => `${(bytes / 1e6).toFixed(1)} MB`;
		console.log(`node ${figures.node}, ${figures.cpus} CPUs, load ${figures.load.toFixed(1)}; ${calls.toLocaleString('en-US')} calls per case, best of ${runs}\n`);
		console.log('case                         ns/call   x performance.now()');
		for (const [name, {ns, xNow}] of Object.entries(figures.perCall)) {
			console.log(`${name.padEnd(26)} ${ns.toFixed(1).padStart(9)}   ${xNow.toFixed(2).padStart(8)}`);
		}

		console.log(`\nstreamed: RSS grew ${figures.streamed.peakRssGrowthMB.toFixed(1)} MB at most while recording (${figures.streamed.peakRssGrowthWithSaveMB.toFixed(1)} MB with the save; bounded ring: ${figures.bounded.peakRssGrowthMB.toFixed(1)} MB); file ${mb(figures.streamed.fileBytes)} = ${figures.streamed.bytesPerSpan.toFixed(2)} B/span; save ${figures.streamed.saveSeconds.toFixed(2)} s`);
		console.log(`stats on it: ${stats.seconds.toFixed(1)} s, max RSS ${stats.maxRssMB.toFixed(0)} MB`);
		console.log(`fib(${flags.fib}), ${fibCalls.toLocaleString('en-US')} calls: untraced ${untracedFib.seconds.toFixed(2)} s, viztracer -o x.vizt ${tracedFib.seconds.toFixed(2)} s (${figures.fib.slowdown.toFixed(1)}x; ${figures.fib.savedLine}), file ${mb(fibBytes)} = ${figures.fib.bytesPerSpan.toFixed(2)} B/span; node --cpu-prof ${profiled.seconds.toFixed(2)} s, profile ${(profileBytes / 1000).toFixed(0)} kB`);
		console.log(`fib per traced call (whole process, less the untraced run): streamed ${figures.fib.nsPerCall.toFixed(1)} ns = ${(figures.fib.nsPerCall / now).toFixed(2)}x performance.now(); bounded ring ${figures.fib.boundedNsPerCall.toFixed(1)} ns = ${(figures.fib.boundedNsPerCall / now).toFixed(2)}x (${boundedFib.seconds.toFixed(2)} s)`);
		const target = figures.perCall.streamed.xNow;
		console.log(`\ntargets: streamed call <= 2.5x performance.now(): ${target.toFixed(2)}x ${target <= 2.5 ? 'PASS' : 'MISS'}; RSS growth <= 100 MB: ${figures.streamed.peakRssGrowthMB <= 100 ? 'PASS' : 'MISS'}; file <= 1.6 GB: ${figures.streamed.fileBytes <= 1.6e9 ? 'PASS' : 'MISS'}; stats < 60 s and 500 MB: ${stats.seconds < 60 && stats.maxRssMB < 500 ? 'PASS' : 'MISS'}`);
	} finally {
		fs.rmSync(scratch, {recursive: true, force: true});
	}
}

function fibCallCount(n) {
	// fib(n) makes 2 * F(n + 1) - 1 calls.
	let [a, b] = [0, 1];
	for (let index = 0; index < n + 1; index++) {
		[a, b] = [b, a + b];
	}

	return (2 * a) - 1;
}
