// The flame graph views: speedscope, served by vizviewer on the same trace
// (one click from the timeline), in a real browser. Each test loads a trace
// and checks what speedscope shows: each profile named after its process and
// thread, and function names (with their self times) in the Sandwich view's
// table, which is plain DOM.
import fs from 'node:fs';
import path from 'node:path';
import test from 'ava';
import {fixturesDir, temporaryDirectory} from '../helpers/exec.js';
import {keepScreenshot, launchBrowser, newPage, openSandwich} from './_browser.js';
import {startViewer} from './_helpers.js';

const nestedTrace = path.join(fixturesDir, 'stats', 'nested.json');

let browser;

test.before(async () => {
	browser = await launchBrowser();
});

test.after.always(async () => {
	await browser?.close();
});

/** Waits until speedscope has imported `file` and shows `profile`, not its error view. */
async function assertProfileLoaded(t, page, problems, file, profile) {
	await page.waitForFunction(expected => document.title === `${expected} - speedscope`, file);
	await page.getByText(profile).first().waitFor();
	t.deepEqual(problems, []);
	t.false((await page.locator('body').innerText()).includes('Something went wrong'), 'no error view');
}

/** Opens the Sandwich view (a table of functions with total and self time) and returns its text. */
async function sandwichTable(page, functionName) {
	await openSandwich(page, functionName);
	return page.locator('body').innerText();
}

test('speedscope loads the trace from the server, each profile named after its process and thread', async t => {
	t.timeout(300_000);
	const viewer = await startViewer(['--no-open', '--port', '0', nestedTrace]);
	try {
		const {page, problems, requests} = await newPage(t, browser.context);
		await page.goto(`${viewer.url}speedscope/index.html#profileURL=%2Ftrace%2Fnested.json`);
		await assertProfileLoaded(t, page, problems, 'nested.json', 'nested.js (pid 1), MainThread (tid 1)');
		const table = await sandwichTable(page, 'main (main.js:1:1)');
		// Self times as `viztracer stats` computes them: main 50 µs, a 40 µs, b 10 µs.
		t.regex(table, /100\.00µs \(100%\)\s+50\.00µs \(50%\)\s+main \(main\.js:1:1\)/);
		t.regex(table, /50\.00µs \(50%\)\s+40\.00µs \(40%\)\s+a \(lib\/a\.js:3:1\)/);
		t.regex(table, /10\.00µs \(10%\)\s+10\.00µs \(10%\)\s+b \(lib\/b\.js:1:1\)/);
		t.true(requests.every(url => url.startsWith(viewer.url)), `only the local server was asked: ${requests.join(', ')}`);
	} finally {
		viewer.child.kill();
		await viewer.exited;
	}
});

test('the timeline\'s Flame graph tab shows speedscope on the same trace', async t => {
	t.timeout(300_000);
	const viewer = await startViewer(['--no-open', '--port', '0', nestedTrace]);
	try {
		const {page, problems} = await newPage(t, browser.context);
		await page.goto(viewer.url);
		await page.waitForFunction(() => document.documentElement.dataset.vizviewer === 'ready');
		await page.getByRole('button', {name: 'Flame graph'}).click();
		const frame = page.frameLocator('.flame-view iframe');
		await frame.getByText('nested.js (pid 1), MainThread (tid 1)').first().waitFor();
		await openSandwich(frame, 'a (lib/a.js:3:1)');
		t.regex(await frame.locator('body').innerText(), /50\.00µs \(50%\)\s+40\.00µs \(40%\)\s+a \(lib\/a\.js:3:1\)/);
		t.deepEqual(problems, []);
		await keepScreenshot(page, 'flame-graph-tab');
		await page.getByRole('button', {name: 'Stats'}).click();
		await page.locator('.stats-table').waitFor();
		t.regex(await page.locator('.stats-table').innerText(), /a \(lib\/a\.js:3:1\)\s+2\s+50\s+40\s+25\s+20\s+30\s+30/);
	} finally {
		viewer.child.kill();
		await viewer.exited;
	}
});

test('vizviewer on a directory: the index page links each trace to its timeline and its flame graph, gzip included', async t => {
	t.timeout(300_000);
	const directory = temporaryDirectory();
	fs.copyFileSync(path.join(fixturesDir, 'stats', 'overlap.json'), path.join(directory, 'overlap.json'));
	const {gzipSync} = await import('node:zlib');
	fs.writeFileSync(path.join(directory, 'second run.json.gz'), gzipSync(fs.readFileSync(nestedTrace)));
	const viewer = await startViewer(['--no-open', '--port', '0', directory]);
	try {
		const {page, problems} = await newPage(t, browser.context);
		await page.goto(viewer.url);
		t.deepEqual(await page.getByRole('link').allInnerTexts(), ['overlap.json', 'flame graph', 'download', 'second run.json.gz', 'flame graph', 'download']);
		await page.getByRole('listitem').filter({hasText: 'second run.json.gz'}).getByRole('link', {name: 'flame graph'}).click();
		// speedscope titles the page after the URL's last segment, as it is (encoded).
		await assertProfileLoaded(t, page, problems, 'second%20run.json.gz', 'nested.js (pid 1), MainThread (tid 1)');
		t.regex(await sandwichTable(page, 'main (main.js:1:1)'), /100\.00µs \(100%\)\s+50\.00µs \(50%\)\s+main \(main\.js:1:1\)/);

		// The other trace has two threads: two profiles, each named after its thread.
		await page.goto(viewer.url);
		await page.getByRole('link', {name: 'overlap.json'}).click();
		await page.waitForFunction(() => document.documentElement.dataset.vizviewer === 'ready');
		t.deepEqual((await page.evaluate(() => window.vizviewer.tracks())).map(track => track.id), ['p1', 't1:1', 't1:2']);
		await page.goto(viewer.url);
		await page.getByRole('listitem').filter({hasText: 'overlap.json'}).getByRole('link', {name: 'flame graph'}).click();
		await assertProfileLoaded(t, page, problems, 'overlap.json', 'pid 1, tid 1 (1/2)');
	} finally {
		viewer.child.kill();
		await viewer.exited;
	}
});
