#!/usr/bin/env node
// Makes docs/timeline.png, the README's picture of the timeline: traces
// examples/showcase/ with every recording option that adds a track, opens
// the trace in vizviewer in Debian's chromium (playwright-core), clicks a
// function so the details panel shows its source, and takes the screenshot.
//
//   npm run build && node docs/make-screenshot.js [output.png]
import {spawn, spawnSync} from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {fileURLToPath} from 'node:url';
import {chromium} from 'playwright-core';

const root = fileURLToPath(new URL('..', import.meta.url));
const output = path.resolve(process.argv[2] ?? path.join(root, 'docs', 'timeline.png'));
const directory = fs.mkdtempSync(path.join(os.tmpdir(), 'viztracer-screenshot-'));
const trace = path.join(directory, 'showcase.json');

const traced = spawnSync(process.execPath, [
	path.join(root, 'dist', 'bin', 'viztracer.js'), '-q', '-o', trace, '--log-async', '--log-gc', '--log-func-args',
	'--plugins', 'viztracer/plugins/cpu-usage', 'viztracer/plugins/memory-usage', 'viztracer/plugins/event-loop-delay', '--',
	path.join('examples', 'showcase', 'main.js'),
], {cwd: root, stdio: 'inherit'});
if (traced.status !== 0) {
	throw new Error(`tracing the showcase failed (exit ${traced.status})`);
}

const viewer = spawn(process.execPath, [path.join(root, 'dist', 'bin', 'vizviewer.js'), '--no-open', '--port', '0', '-q', trace], {stdio: ['ignore', 'pipe', 'inherit']});
const url = await new Promise((resolve, reject) => {
	let text = '';
	viewer.stdout.setEncoding('utf8').on('data', chunk => {
		text += chunk;
		const match = /at (http:\/\/\S+\/)\n/.exec(text);
		if (match) {
			resolve(match[1]);
		}
	});
	viewer.on('exit', code => reject(new Error(`vizviewer exited (${code})`)));
});

const browser = await chromium.launch({executablePath: '/usr/bin/chromium', args: ['--no-sandbox', '--disable-gpu']});
try {
	const page = await browser.newPage({viewport: {width: 1600, height: 1000}, deviceScaleFactor: 1});
	await page.goto(url);
	await page.waitForFunction(() => document.documentElement.dataset.vizviewer === 'ready');
	await page.evaluate(async () => {
		await window.vizviewer.select('buildIndex');
		const {start, end} = window.vizviewer.metadata();
		window.vizviewer.setRange(start, end);
	});
	await page.screenshot({path: output});
	console.log(`wrote ${path.relative(process.cwd(), output) || output}`);
} finally {
	await browser.close();
	viewer.kill();
	fs.rmSync(directory, {recursive: true, force: true});
}
