// The rendering base, chosen by measuring (issue 12): flame-chart-js (the
// canvas flame chart library the issue names) on call trees of 28k, 243k and
// 832k spans (fib(21), fib(25), fib(28) called as a tree, 1 µs per leaf),
// in Debian's chromium, headless: the time from creating the chart to its
// first frame, the JS heap it then holds, and the time of a redraw at 50
// zooms from the whole tree down to 1 µs. The same figures for our own
// renderer are in viewer.js; both are in benchmarks/README.md.
// Usage: node benchmarks/viewer-flame-chart-js.js [--sizes 21,25,28]
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {fileURLToPath, pathToFileURL} from 'node:url';
import {parseArgs} from 'node:util';
import {build} from 'esbuild';
import {chromium} from 'playwright-core';

const {values: flags} = parseArgs({options: {sizes: {type: 'string', default: '21,25,28'}}});
const root = fileURLToPath(new URL('..', import.meta.url));
const work = fs.mkdtempSync(path.join(os.tmpdir(), 'viztracer-fcj-'));
const entry = path.join(work, 'page.js');
fs.writeFileSync(entry, `
import {FlameChart} from 'flame-chart-js';
// flame-chart-js draws in a requestAnimationFrame callback; callbacks run in
// the order they were asked for, so one asked for just before its render and
// one just after time exactly its drawing.
const nextFrame = () => new Promise(resolve => {
	requestAnimationFrame(() => resolve(performance.now()));
});
const timedFrame = async draw => {
	let before = 0;
	requestAnimationFrame(() => {
		before = performance.now();
	});
	draw();
	const after = await nextFrame();
	return after - before;
};

window.measure = async n => {
	let clock = 0;
	let count = 0;
	const node = k => {
		count++;
		const start = clock;
		const children = k < 2 ? [] : [node(k - 1), node(k - 2)];
		clock += 1;
		return {name: 'fib', start, duration: clock - start, type: 'call', ...(children.length > 0 ? {children} : {})};
	};
	const data = [node(n)];
	const canvas = document.createElement('canvas');
	canvas.width = 1600;
	canvas.height = 1000;
	document.body.append(canvas);
	const began = performance.now();
	const chart = new FlameChart({canvas, data, settings: {options: {timeUnits: 'us'}}});
	const firstFrame = (await nextFrame()) - began;
	const frames = [];
	for (let span = clock; span >= 1; span /= 4) {
		for (let step = 0; step < 5; step++) {
			const from = (step / 5) * (clock - span);
			// eslint-disable-next-line no-await-in-loop
			frames.push(await timedFrame(() => {
				chart.setZoom(from, from + span);
				chart.render();
			}));
		}
	}

	return {spans: count, firstFrame, frames};
};
`);
await build({entryPoints: [entry], bundle: true, format: 'iife', outfile: path.join(work, 'bundle.js'), nodePaths: [path.join(root, 'node_modules')], logLevel: 'warning'});
fs.writeFileSync(path.join(work, 'index.html'), '<!DOCTYPE html><html><body style="margin:0"><script src="bundle.js"></script></body></html>');
const browser = await chromium.launch({executablePath: '/usr/bin/chromium', args: ['--no-sandbox', '--disable-gpu']});
const percentile = (values, p) => [...values].sort((a, b) => a - b)[Math.min(values.length - 1, Math.ceil((p / 100) * values.length) - 1)];
console.log('| spans | first frame | JS heap | redraw p50 / p95 / max |');
console.log('| --- | --- | --- | --- |');
try {
	for (const n of flags.sizes.split(',').map(Number)) {
		const page = await browser.newPage({viewport: {width: 1600, height: 1000}});
		await page.goto(pathToFileURL(path.join(work, 'index.html')).href);
		const result = await page.evaluate(size => window.measure(size), n);
		const client = await page.context().newCDPSession(page);
		await client.send('Performance.enable');
		const heap = (await client.send('Performance.getMetrics')).metrics.find(metric => metric.name === 'JSHeapUsedSize').value;
		console.log(`| ${result.spans.toLocaleString('en-US')} (fib(${n})) | ${(result.firstFrame / 1000).toFixed(2)} s | ${(heap / 1024 / 1024).toFixed(0)} MB | ${percentile(result.frames, 50).toFixed(1)} / ${percentile(result.frames, 95).toFixed(1)} / ${Math.max(...result.frames).toFixed(1)} ms |`);
		await page.close();
	}
} finally {
	await browser.close();
	fs.rmSync(work, {recursive: true, force: true});
}
