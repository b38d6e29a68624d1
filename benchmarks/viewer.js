// The timeline viewer on big traces (issue 12), next to speedscope on the
// same files, in Debian's chromium (playwright-core, headless).
// Usage: node benchmarks/viewer.js [--runs 2] [--speedscope-timeout 180] [--sizes 100k,1m,10m] [--json]
//
// Traces, each from a real traced run of fib.js (benchmarks/fixtures/fib.js):
//   100k  fib(30) with --tracer-entries 100000: the newest 2^17 spans, JSON
//   1m    fib(30) with --tracer-entries 1000000: the newest 2^20 spans, JSON (the default ring's size)
//   10m   fib(33), every call recorded (11.4M spans), .vizt
// For each, the timeline (vizviewer's page) and speedscope (vizviewer's
// /speedscope/, the same release the Flame graph tab shows) are loaded in a
// fresh page:
//   first frame   ms from the start of the navigation to the first frame
//                 (timeline: its own timings(); speedscope: until its flame
//                 chart's canvas has been drawn after the import, polled)
//   model         bytes the page fetched (timeline) and the server's time to
//                 build them from the trace (a cold server each run)
//   JS heap       CDP Performance.getMetrics JSHeapUsedSize after the first frame
//   renderer RSS  the page's renderer process (VmRSS from /proc), which also
//                 counts the typed arrays outside the JS heap
//   redraw p50/p95/max  ms of the timeline's own draw (window.vizviewer.redraw())
//                 over 400 windows: zoomed from the whole trace down to 1 µs at
//                 random places, and panned at each zoom
// The best of --runs is reported for times; memory is that run's.
import {spawn, spawnSync} from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {fileURLToPath} from 'node:url';
import {parseArgs} from 'node:util';
import {chromium} from 'playwright-core';

const {values: flags} = parseArgs({
	options: {
		runs: {type: 'string', default: '2'},
		'speedscope-timeout': {type: 'string', default: '180'},
		sizes: {type: 'string', default: '100k,1m,10m'},
		json: {type: 'boolean', default: false},
	},
});
const root = fileURLToPath(new URL('..', import.meta.url));
const runs = Number(flags.runs);
const speedscopeTimeout = Number(flags['speedscope-timeout']) * 1000;
const work = fs.mkdtempSync(path.join(os.tmpdir(), 'viztracer-viewer-bench-'));
const fib = path.join(root, 'benchmarks', 'fixtures', 'fib.js');

const sizes = {
	'100k': {file: 'fib-100k.json', args: ['--tracer-entries', '100000'], n: 30},
	'1m': {file: 'fib-1m.json', args: ['--tracer-entries', '1000000'], n: 30},
	'10m': {file: 'fib-11m.vizt', args: [], n: 33},
};

function makeTrace({file, args, n}) {
	const output = path.join(work, file);
	const result = spawnSync(process.execPath, [path.join(root, 'dist', 'bin', 'viztracer.js'), '-q', ...args, '-o', output, fib, String(n)], {encoding: 'utf8'});
	if (result.status !== 0) {
		throw new Error(`tracing fib(${n}) failed: ${result.stderr}`);
	}

	return output;
}

function startViewer(trace) {
	const child = spawn(process.execPath, [path.join(root, 'dist', 'bin', 'vizviewer.js'), '--no-open', '--port', '0', '-q', trace], {stdio: ['ignore', 'pipe', 'pipe']});
	return new Promise((resolve, reject) => {
		let text = '';
		child.stdout.setEncoding('utf8').on('data', chunk => {
			text += chunk;
			const match = /at (http:\/\/\S+\/)\n/.exec(text);
			if (match) {
				resolve({child, url: match[1]});
			}
		});
		child.on('exit', code => reject(new Error(`vizviewer exited (${code})`)));
	});
}

/** VmRSS (bytes) of the biggest renderer process of this browser: the page's. */
function rendererRss(browserPid) {
	let biggest = 0;
	for (const entry of fs.readdirSync('/proc')) {
		if (!/^\d+$/.test(entry)) {
			continue;
		}

		try {
			const command = fs.readFileSync(`/proc/${entry}/cmdline`, 'utf8');
			const status = fs.readFileSync(`/proc/${entry}/status`, 'utf8');
			const parent = Number(/PPid:\s+(\d+)/.exec(status)?.[1]);
			if (command.includes('--type=renderer') && (browserPid === undefined || parent === browserPid || command.includes('chromium'))) {
				biggest = Math.max(biggest, Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? 0) * 1024);
			}
		} catch {
			// A process that ended meanwhile.
		}
	}

	return biggest;
}

const percentile = (values, p) => {
	const sorted = [...values].sort((a, b) => a - b);
	return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];
};

async function timeline(browser, trace) {
	const viewer = await startViewer(trace);
	const page = await browser.newPage({viewport: {width: 1600, height: 1000}});
	try {
		const built = Date.now();
		await page.goto(viewer.url, {timeout: 600_000});
		await page.waitForFunction(() => document.documentElement.dataset.vizviewer !== undefined, null, {timeout: 600_000});
		if (await page.evaluate(() => document.documentElement.dataset.vizviewer) !== 'ready') {
			throw new Error(await page.locator('body').innerText());
		}

		const timings = await page.evaluate(() => window.vizviewer.timings());
		const wall = Date.now() - built;
		const client = await page.context().newCDPSession(page);
		await client.send('Performance.enable');
		const {metrics} = await client.send('Performance.getMetrics');
		const heap = metrics.find(metric => metric.name === 'JSHeapUsedSize').value;
		const rss = rendererRss();
		const frames = await page.evaluate(() => {
			const api = window.vizviewer;
			const {start, end} = api.metadata();
			const times = [];
			let seed = 7;
			const random = () => {
				seed = (seed * 1_103_515_245 + 12_345) % 2_147_483_648;
				return seed / 2_147_483_648;
			};

			for (let span = end - start; span >= 1; span *= 0.25) {
				for (let step = 0; step < 40; step++) {
					const from = start + random() * Math.max(0, end - start - span);
					api.setRange(from, from + span);
					times.push(api.redraw().milliseconds);
				}
			}

			return times;
		});
		return {firstFrameMs: timings.firstFrameMs, wallMs: wall, modelBytes: timings.modelBytes, fetchMs: timings.fetchedMs - timings.fetchStartMs, heap, rss, frames};
	} finally {
		await page.close();
		viewer.child.kill();
	}
}

/** speedscope in a browser of its own: a page stuck in a long import cannot be closed, only its browser. */
async function speedscope(trace) {
	const viewer = await startViewer(trace);
	const browser = await launch();
	const page = await browser.newPage({viewport: {width: 1600, height: 1000}});
	try {
		const name = path.basename(trace);
		await page.goto(`${viewer.url}speedscope/index.html#profileURL=${encodeURIComponent(`/trace/${encodeURIComponent(name)}`)}`);
		// speedscope sets the title once the import is done, then draws its flame chart. The
		// deadline is kept here, not in the page: a page busy importing runs no timers.
		let timer;
		const deadline = new Promise(resolve => {
			timer = setTimeout(() => resolve(false), speedscopeTimeout);
		});
		const loaded = page.waitForFunction(expected => document.title === `${expected} - speedscope` && document.querySelector('canvas') !== null, name, {timeout: 0, polling: 100}).then(() => true, () => false);
		const finished = await Promise.race([loaded, deadline]);
		clearTimeout(timer);
		if (!finished) {
			return {firstFrameMs: Number.POSITIVE_INFINITY};
		}

		const firstFrameMs = await page.evaluate(() => performance.now());
		const client = await page.context().newCDPSession(page);
		await client.send('Performance.enable');
		const {metrics} = await client.send('Performance.getMetrics');
		return {firstFrameMs, heap: metrics.find(metric => metric.name === 'JSHeapUsedSize').value, rss: rendererRss()};
	} finally {
		viewer.child.kill();
		await browser.close();
	}
}

const mb = bytes => (bytes === undefined ? '—' : `${(bytes / 1024 / 1024).toFixed(0)} MB`);
const seconds = ms => (ms === undefined ? '—' : (Number.isFinite(ms) ? `${(ms / 1000).toFixed(2)} s` : `> ${speedscopeTimeout / 1000} s`));

const launch = () => chromium.launch({executablePath: '/usr/bin/chromium', args: ['--no-sandbox', '--disable-gpu', '--js-flags=--max-old-space-size=4096']});
const browser = await launch();
const results = [];
try {
	for (const size of flags.sizes.split(',')) {
		const spec = sizes[size];
		const trace = makeTrace(spec);
		const traceBytes = fs.statSync(trace).size;
		let best;
		for (let run = 0; run < runs; run++) {
			// eslint-disable-next-line no-await-in-loop
			const result = await timeline(browser, trace);
			if (best === undefined || result.firstFrameMs < best.firstFrameMs) {
				best = result;
			}
		}

		// speedscope reads JSON only: the .vizt trace would reach it as about 2 GB of JSON.
		const peer = trace.endsWith('.json') ? await speedscope(trace) : undefined;
		const row = {size, trace: path.basename(trace), traceBytes, timeline: {...best, redrawP50: percentile(best.frames, 50), redrawP95: percentile(best.frames, 95), redrawMax: Math.max(...best.frames), frames: best.frames.length}, speedscope: peer};
		results.push(row);
		if (!flags.json) {
			console.log(`${size} (${row.trace}, ${mb(traceBytes)}): timeline first frame ${seconds(best.firstFrameMs)} (model ${mb(best.modelBytes)}, fetched in ${seconds(best.fetchMs)}), JS heap ${mb(best.heap)}, renderer RSS ${mb(best.rss)}, redraw p50 ${row.timeline.redrawP50.toFixed(1)} ms p95 ${row.timeline.redrawP95.toFixed(1)} ms max ${row.timeline.redrawMax.toFixed(1)} ms over ${row.timeline.frames} windows; speedscope ${peer ? `${seconds(peer.firstFrameMs)}, JS heap ${mb(peer.heap)}, renderer RSS ${mb(peer.rss)}` : 'not run (reads JSON only)'}`);
		}
	}
} finally {
	await browser.close();
	fs.rmSync(work, {recursive: true, force: true});
}

if (flags.json) {
	console.log(JSON.stringify(results, (key, value) => (key === 'frames' && Array.isArray(value) ? undefined : value), 2));
} else {
	console.log('\n| trace | events | timeline first frame | speedscope first frame | timeline JS heap | renderer RSS (timeline / speedscope) | redraw p50 / p95 / max |');
	console.log('| --- | --- | --- | --- | --- | --- | --- |');
	for (const row of results) {
		console.log(`| ${row.trace} (${mb(row.traceBytes)}) | ${row.size} | ${seconds(row.timeline.firstFrameMs)} | ${row.speedscope ? seconds(row.speedscope.firstFrameMs) : 'not run (JSON only)'} | ${mb(row.timeline.heap)} | ${mb(row.timeline.rss)} / ${row.speedscope ? mb(row.speedscope.rss) : '—'} | ${row.timeline.redrawP50.toFixed(1)} / ${row.timeline.redrawP95.toFixed(1)} / ${row.timeline.redrawMax.toFixed(1)} ms |`);
	}
}
