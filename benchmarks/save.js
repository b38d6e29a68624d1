// Time and peak memory of saving 1,000,000 recorded spans, as .json,
// .json.gz and .vizt, with save() and saveAsync(). Usage:
//   node benchmarks/save.js [--runs 3] [--spans 1000000] [--no-verify] [--json] [--dist dir]
// (--dist: benchmark another build of viztracer, e.g. to compare before/after a change)
//
// Every measurement runs in a fresh child process (this script with
// --child), so its peak RSS belongs to that one case: Node itself, the ring,
// recording the spans and the save. The best time of the runs is reported,
// with the highest peak RSS seen.
//
// Peak RSS is VmHWM from /proc/self/status where there is one (Linux):
// process.resourceUsage().maxRSS (getrusage's ru_maxrss) survives fork+exec
// there, so a child reports at least its parent's peak at spawn time; e.g.
// after a 440 MB parent spawned `node -e`, the child's maxRSS read 403 MB and
// its VmHWM 40 MB. maxRSS is still recorded (field maxRssMb in --json).
import {execFileSync} from 'node:child_process';
import {existsSync, mkdtempSync, readFileSync, rmSync, statSync} from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {fileURLToPath, pathToFileURL} from 'node:url';
import {parseArgs} from 'node:util';
import zlib from 'node:zlib';

const {values: flags} = parseArgs({
	options: {
		child: {type: 'string'},
		file: {type: 'string'},
		runs: {type: 'string', default: '3'},
		spans: {type: 'string', default: '1000000'},
		'no-verify': {type: 'boolean', default: false},
		json: {type: 'boolean', default: false},
		dist: {type: 'string'},
	},
});
const spans = Number(flags.spans);
const entry = flags.dist ? pathToFileURL(path.resolve(flags.dist, 'index.js')) : new URL('../dist/index.js', import.meta.url);

if (!existsSync(entry)) {
	console.error('dist/ is missing: run `npx tsc -p tsconfig.json` (or `npm run build`) first');
	process.exit(1);
}

const cases = [
	{name: 'save() .json', method: 'save', extension: '.json'},
	{name: 'save() .json.gz', method: 'save', extension: '.json.gz'},
	{name: 'saveAsync() .json', method: 'saveAsync', extension: '.json'},
	{name: 'saveAsync() .json.gz', method: 'saveAsync', extension: '.json.gz'},
	{name: 'save() .vizt', method: 'save', extension: '.vizt'},
	{name: 'saveAsync() .vizt', method: 'saveAsync', extension: '.vizt'},
];

const targetSeconds = 1.5;
const targetRssMb = 300;

await (flags.child ? child(cases.find(c => c.name === flags.child)) : parent());

/** One measurement: record `spans` spans, save once, report as JSON on stdout. */
async function child(which) {
	const {VizTracer} = await import(entry.href);
	const tracer = new VizTracer({tracerEntries: spans, verbose: 0, outputFile: flags.file});
	const recorder = tracer[Symbol.for('viztracer.recorder')];

	// Realistic names (`fn (file:line:col)`, as automatic tracing will write
	// them), 512 distinct ones, recorded through the recorder the tracer uses
	// for wrap(): groups of four nested spans (depth up to 3), real clock.
	const ids = [];
	for (let k = 0; k < 512; k++) {
		ids.push(recorder.intern(`handler${k} (/home/user/project/src/module${k % 37}.js:${10 + k}:${(k % 30) + 1})`));
	}

	tracer.start();
	let k = 0;
	for (let group = 0; group < spans / 4; group++) {
		recorder.enter(ids[k++ & 511]);
		recorder.enter(ids[k++ & 511]);
		recorder.exit();
		recorder.enter(ids[k++ & 511]);
		recorder.enter(ids[k++ & 511]);
		recorder.exit();
		recorder.exit();
		recorder.exit();
	}

	tracer.stop();
	const recorded = recorder.ring.size;
	const rssBeforeSave = process.memoryUsage().rss;
	const cpu0 = process.cpuUsage();
	const t0 = process.hrtime.bigint();
	await (which.method === 'save' ? tracer.save(flags.file) : tracer.saveAsync(flags.file));
	const seconds = Number(process.hrtime.bigint() - t0) / 1e9;
	const cpu = process.cpuUsage(cpu0);
	const maxRssKb = process.resourceUsage().maxRSS;
	const peakRssKb = highWaterRssKb() ?? maxRssKb;
	tracer.terminate();
	console.log(JSON.stringify({
		recorded,
		seconds,
		cpuSeconds: (cpu.user + cpu.system) / 1e6,
		bytes: statSync(flags.file).size,
		rssBeforeSaveMb: rssBeforeSave / 2 ** 20,
		peakRssMb: peakRssKb / 1024,
		maxRssMb: maxRssKb / 1024,
	}));
}

/** This process's peak RSS in KB (VmHWM), or undefined where /proc is not available. */
function highWaterRssKb() {
	try {
		const match = /^VmHWM:\s*(\d+)\s*kB/m.exec(readFileSync('/proc/self/status', 'utf8'));
		return match ? Number(match[1]) : undefined;
	} catch {
		return undefined;
	}
}

/** Parses the file the way a viewer would and checks the span count. */
async function verify(file) {
	if (file.endsWith('.vizt')) {
		const {TraceFileReader} = await import(new URL('trace-file/read-trace-sync.js', entry).href);
		const reader = new TraceFileReader(file);
		let count = 0;
		for (let batch = reader.nextBatch(); batch !== undefined; batch = reader.nextBatch()) {
			count += batch.filter(event => event.ph === 'X').length;
		}

		if (count !== spans) {
			throw new Error(`${file}: expected ${spans} spans, found ${count}`);
		}

		return count;
	}

	let text = readFileSync(file);
	if (file.endsWith('.gz')) {
		text = zlib.gunzipSync(text);
	}

	const data = JSON.parse(text.toString('utf8'));
	const count = data.traceEvents.filter(event => event.ph === 'X').length;
	if (count !== spans) {
		throw new Error(`${file}: expected ${spans} spans, found ${count}`);
	}

	return count;
}

async function parent() {
	const runs = Number(flags.runs);
	const loadAtStart = os.loadavg()[0];
	const directory = mkdtempSync(path.join(os.tmpdir(), 'viztracer-bench-'));
	const rows = [];
	const toVerify = [];
	try {
		for (const c of cases) {
			const results = [];
			for (let run = 0; run < runs; run++) {
				const file = path.join(directory, `${c.method}-${run}${c.extension}`);
				const output = execFileSync(process.execPath, [fileURLToPath(import.meta.url), '--child', c.name, '--file', file, '--spans', String(spans), ...(flags.dist ? ['--dist', flags.dist] : [])], {encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit']});
				results.push(JSON.parse(output));
				// Kept for checking after all the measurements, so this process
				// stays small while children run.
				if (run === 0 && !flags['no-verify']) {
					toVerify.push(file);
				} else {
					rmSync(file, {force: true});
				}
			}

			const best = results.reduce((a, b) => (b.seconds < a.seconds ? b : a));
			rows.push({
				case: c.name,
				entries: best.recorded,
				seconds: best.seconds,
				cpuSeconds: Math.min(...results.map(r => r.cpuSeconds)),
				allSeconds: results.map(r => r.seconds),
				allPeakRssMb: results.map(r => r.peakRssMb),
				fileMb: best.bytes / 2 ** 20,
				rssBeforeSaveMb: Math.max(...results.map(r => r.rssBeforeSaveMb)),
				peakRssMb: Math.max(...results.map(r => r.peakRssMb)),
			});
		}

		for (const file of toVerify) {
			await verify(file);
		}
	} finally {
		rmSync(directory, {recursive: true, force: true});
	}

	for (const row of rows) {
		row.pass = row.seconds < targetSeconds && row.peakRssMb < targetRssMb;
	}

	if (flags.json) {
		console.log(JSON.stringify({node: process.version, loadAverage: loadAtStart, runs, spans, targetSeconds, targetRssMb, rows}));
		return;
	}

	console.log(`viztracer save benchmark${flags.dist ? ` (${flags.dist})` : ''}: Node ${process.version}, ${spans} spans, best of ${runs} runs (a fresh process each), load average at start ${loadAtStart.toFixed(1)} on ${os.availableParallelism()} CPUs`);
	const header = ['case', 'entries', 'seconds', 'CPU s', 'file MB', 'RSS before save MB', 'peak RSS MB', `< ${targetSeconds} s & < ${targetRssMb} MB`];
	const table = rows.map(r => [r.case, String(r.entries), r.seconds.toFixed(3), r.cpuSeconds.toFixed(3), r.fileMb.toFixed(1), r.rssBeforeSaveMb.toFixed(0), r.peakRssMb.toFixed(0), r.pass ? 'PASS' : 'FAIL']);
	const widths = header.map((h, i) => Math.max(h.length, ...table.map(row => row[i].length)));
	const line = cells => cells.map((cell, i) => (i === 0 ? cell.padEnd(widths[i]) : cell.padStart(widths[i]))).join('  ');
	console.log(line(header));
	for (const row of table) {
		console.log(line(row));
	}

	console.log('(MB = 2^20 bytes; seconds: best wall-clock time of the save; CPU s: least user+system CPU time of the save, all threads; RSS: highest of the runs; all runs: ' + rows.map(r => `${r.case} ${r.allSeconds.map(s => s.toFixed(2)).join('/')} s, ${r.allPeakRssMb.map(m => m.toFixed(0)).join('/')} MB`).join('; ') + ')');
}
