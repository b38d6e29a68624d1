// The .vizt format at scale: writing N spans (default 10,000,000), converting
// them to Chrome JSON, and `viztracer stats` on both files, each in a fresh
// process (wall time, and peak RSS from GNU time where it is installed). Usage:
//   node benchmarks/vizt.js [--spans 10000000] [--keep]
// The spans are groups of four nested calls with 512 realistic names, as
// automatic tracing writes them, generated straight into the writer.
import {spawnSync} from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {fileURLToPath, pathToFileURL} from 'node:url';
import {parseArgs} from 'node:util';

const {values: flags} = parseArgs({options: {spans: {type: 'string', default: '10000000'}, keep: {type: 'boolean', default: false}, child: {type: 'string'}, file: {type: 'string'}}});
const root = fileURLToPath(new URL('..', import.meta.url));
const dist = path.join(root, 'dist');
const cli = path.join(dist, 'bin', 'viztracer.js');
const spans = Number(flags.spans);

if (flags.child === 'write') {
	const {writeTraceSync} = await import(pathToFileURL(path.join(dist, 'trace-file', 'write-trace.js')).href);
	const {appendEventSource} = await import(pathToFileURL(path.join(dist, 'trace-file', 'trace-data.js')).href);
	const names = Array.from({length: 512}, (_, k) => `handler${k} (/home/user/project/src/module${k % 37}.js:${10 + k}:${(k % 30) + 1})`);
	const data = {traceEvents: [], viztracer_metadata: {version: '0', overflow: false, baseTimeNanoseconds: '1700000000000000000'}, displayTimeUnit: 'ns'};
	let made = 0;
	let time = 1000;
	appendEventSource(data, () => ({
		nextBatch() {
			if (made >= spans) {
				return undefined;
			}

			// Four nested spans, written as they end (children first), 0.1-0.3 µs apart.
			const batch = [];
			for (let group = 0; group < 1024 && made < spans; group++, made += 4) {
				const k = made & 511;
				const start = time;
				batch.push(
					{ph: 'X', name: names[(k + 3) & 511], pid: 1, tid: 1, ts: Math.round((start + 0.2) * 1000) / 1000, dur: 0.1, cat: 'FEE'},
					{ph: 'X', name: names[(k + 2) & 511], pid: 1, tid: 1, ts: Math.round((start + 0.1) * 1000) / 1000, dur: 0.3, cat: 'FEE'},
					{ph: 'X', name: names[(k + 1) & 511], pid: 1, tid: 1, ts: Math.round((start + 0.5) * 1000) / 1000, dur: 0.2, cat: 'FEE'},
					{ph: 'X', name: names[k], pid: 1, tid: 1, ts: start, dur: 0.9, cat: 'FEE'},
				);
				time = Math.round((time + 1.25) * 1000) / 1000;
			}

			return batch;
		},
		close() {},
	}));
	writeTraceSync(data, flags.file);
	process.exit(0);
}

/** Runs one step in a fresh process: its wall time, and its peak RSS (MB) where GNU time is there to tell. */
function step(args) {
	const time = '/usr/bin/time';
	const hasTime = fs.existsSync(time);
	const command = hasTime ? [time, '-f', 'viztracer-bench %M', process.execPath] : [process.execPath];
	const started = process.hrtime.bigint();
	const result = spawnSync(command[0], [...command.slice(1), '--max-old-space-size=4096', ...args], {encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe']});
	const seconds = Number(process.hrtime.bigint() - started) / 1e9;
	if (result.status !== 0) {
		throw new Error(`${args.join(' ')} failed: ${result.stderr}`);
	}

	const kilobytes = Number(/viztracer-bench (\d+)/.exec(result.stderr)?.[1]);
	return {seconds, rss: Number.isFinite(kilobytes) ? kilobytes / 1024 : undefined};
}

const directory = fs.mkdtempSync(path.join(os.tmpdir(), 'viztracer-vizt-bench-'));
const vizt = path.join(directory, 'trace.vizt');
const json = path.join(directory, 'trace.json');
const self = fileURLToPath(import.meta.url);
try {
	const rows = [];
	const measure = (label, args) => {
		const {seconds, rss} = step(args);
		rows.push([label, seconds, rss]);
		return seconds;
	};

	measure('write .vizt (the writer, from event objects)', [self, '--child', 'write', '--spans', String(spans), '--file', vizt]);
	const convertSeconds = measure('convert .vizt → .json', [cli, 'convert', '-q', vizt, json]);
	measure('convert .json → .vizt', [cli, 'convert', '-q', json, path.join(directory, 'back.vizt')]);
	measure('stats on .vizt', [cli, 'stats', vizt]);
	measure('stats on .json (baseline)', [cli, 'stats', json]);

	console.log(`.vizt at scale: ${spans.toLocaleString('en-US')} spans, Node ${process.version}, ${os.cpus().length} CPUs, load ${os.loadavg()[0].toFixed(1)}`);
	console.log(`files: .vizt ${(fs.statSync(vizt).size / 2 ** 20).toFixed(1)} MB (${(fs.statSync(vizt).size / spans).toFixed(2)} B/span), .json ${(fs.statSync(json).size / 2 ** 20).toFixed(1)} MB (${(fs.statSync(json).size / spans).toFixed(1)} B/span)`);
	console.log('| step | seconds | peak RSS MB |');
	console.log('| --- | --- | --- |');
	for (const [label, seconds, rss] of rows) {
		console.log(`| ${label} | ${seconds.toFixed(2)} | ${rss === undefined ? '?' : rss.toFixed(0)} |`);
	}

	console.log(`convert .vizt → .json: ${(spans / convertSeconds / 1e6).toFixed(2)}M spans/s (target ≥ 1M spans/s), the whole process included`);
} finally {
	if (flags.keep) {
		console.log(`kept ${directory}`);
	} else {
		fs.rmSync(directory, {recursive: true, force: true});
	}
}
