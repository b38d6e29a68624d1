// The viewer in a real browser: Debian's chromium, driven by playwright-core
// (nothing is downloaded; .ci/run installs chromium with apt-get). Each test
// loads a trace and checks what speedscope shows: the profile's name in the
// toolbar and the title, and function names (with their self times) in the
// Sandwich view's table, which is plain DOM.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {pathToFileURL} from 'node:url';
import test from 'ava';
import {chromium} from 'playwright-core';
import {fixturesDir, runCli, temporaryDirectory} from '../helpers/exec.js';
import {embeddedTrace, runViewer, startViewer, subprocessTimeout} from './_helpers.js';

const chromiumPath = '/usr/bin/chromium';
const nestedTrace = path.join(fixturesDir, 'stats', 'nested.json');

let context;
let profileDirectory;

test.before(async () => {
	if (!fs.existsSync(chromiumPath)) {
		throw new Error(`${chromiumPath} is missing: install Debian's chromium (apt-get install chromium), as .ci/run does`);
	}

	// A fresh profile: no extensions, history or settings from earlier runs.
	profileDirectory = fs.mkdtempSync(path.join(os.tmpdir(), 'viztracer-chromium-'));
	context = await chromium.launchPersistentContext(profileDirectory, {
		executablePath: chromiumPath,
		headless: true,
		timeout: subprocessTimeout,
		args: [
			'--no-sandbox',
			'--disable-gpu',
			'--disable-background-networking',
			'--disable-component-update',
			'--disable-sync',
			'--no-first-run',
		],
	});
});

test.after.always(async () => {
	await context?.close();
	if (profileDirectory) {
		fs.rmSync(profileDirectory, {recursive: true, force: true});
	}
});

/**
 * A fresh page that records what could make a test pass wrongly: page errors,
 * dialogs (speedscope alerts when it cannot import a profile) and every
 * request by URL.
 */
async function newPage(t) {
	const page = await context.newPage();
	page.setDefaultTimeout(subprocessTimeout);
	const problems = [];
	const requests = [];
	page.on('pageerror', error => problems.push(`page error: ${error.message}`));
	page.on('dialog', async dialog => {
		problems.push(`dialog: ${dialog.message()}`);
		await dialog.dismiss();
	});
	page.on('request', request => requests.push(request.url()));
	t.teardown(() => page.close());
	return {page, problems, requests};
}

/** Waits until speedscope has imported a profile named `name`, and checks it is showing it, not its error view. */
async function assertProfileLoaded(t, page, problems, name) {
	await page.waitForFunction(expected => document.title === `${expected} - speedscope`, name);
	t.deepEqual(problems, []);
	const text = await page.locator('body').innerText();
	t.false(text.includes('Something went wrong'), 'no error view');
	t.true(text.includes(name), 'the toolbar names the profile');
}

/** Opens the Sandwich view (a table of functions with total and self time) and returns its text. */
async function sandwichTable(page, functionName) {
	await page.keyboard.press('3');
	await page.getByText(functionName, {exact: true}).first().waitFor();
	return page.locator('body').innerText();
}

test('vizviewer: speedscope loads the trace from the server and shows its functions; --once then exits', async t => {
	t.timeout(300_000);
	const viewer = await startViewer(['--no-open', '--port', '0', '--once', nestedTrace]);
	const {page, problems, requests} = await newPage(t);
	try {
		await page.goto(viewer.url);
		await assertProfileLoaded(t, page, problems, 'nested.json');
		t.regex(page.url(), /\/speedscope\/index\.html#profileURL=%2Ftrace%2Fnested\.json&title=nested\.json$/);
		const table = await sandwichTable(page, 'main (main.js:1:1)');
		// Self times as `viztracer stats` computes them: main 50 µs, a 40 µs, b 10 µs.
		t.regex(table, /100\.00µs \(100%\)\s+50\.00µs \(50%\)\s+main \(main\.js:1:1\)/);
		t.regex(table, /50\.00µs \(50%\)\s+40\.00µs \(40%\)\s+a \(lib\/a\.js:3:1\)/);
		t.regex(table, /10\.00µs \(10%\)\s+10\.00µs \(10%\)\s+b \(lib\/b\.js:1:1\)/);
		t.true(requests.every(url => url.startsWith(viewer.url)), `only the local server was asked: ${requests.join(', ')}`);
	} finally {
		const {code, stderr} = await viewer.exited;
		t.is(code, 0, stderr);
		t.regex(stderr, /the viewer loaded nested\.json; exiting \(--once\)/);
	}
});

test('vizviewer on a directory: the index page links to each trace, gzip included', async t => {
	t.timeout(300_000);
	const directory = temporaryDirectory();
	fs.copyFileSync(path.join(fixturesDir, 'stats', 'overlap.json'), path.join(directory, 'overlap.json'));
	const {gzipSync} = await import('node:zlib');
	fs.writeFileSync(path.join(directory, 'second run.json.gz'), gzipSync(fs.readFileSync(nestedTrace)));
	const viewer = await startViewer(['--no-open', '--port', '0', directory]);
	try {
		const {page, problems} = await newPage(t);
		await page.goto(viewer.url);
		t.deepEqual(await page.getByRole('link').allInnerTexts(), ['overlap.json', 'download', 'second run.json.gz', 'download']);
		await page.getByRole('link', {name: 'second run.json.gz'}).click();
		await assertProfileLoaded(t, page, problems, 'second run.json.gz');
		const table = await sandwichTable(page, 'main (main.js:1:1)');
		t.regex(table, /100\.00µs \(100%\)\s+50\.00µs \(50%\)\s+main \(main\.js:1:1\)/);

		// Back to the index, and the other trace: two threads, so two profiles.
		await page.goto(viewer.url);
		await page.getByRole('link', {name: 'overlap.json'}).click();
		await assertProfileLoaded(t, page, problems, 'overlap.json');
		t.true((await page.locator('body').innerText()).includes('overlap.json (1/2)'));
	} finally {
		viewer.child.kill();
		await viewer.exited;
	}
});

/** Opens an HTML page written by viztracer from disk, and checks that it asked for nothing but itself and data: URLs. */
async function openOffline(t, file, name) {
	const {page, problems, requests} = await newPage(t);
	await page.goto(pathToFileURL(file).href);
	await assertProfileLoaded(t, page, problems, name);
	const outside = requests.filter(url => !url.startsWith('data:') && !url.startsWith(pathToFileURL(file).href));
	t.deepEqual(outside, [], 'the page needs no server and no network');
	return page;
}

test('vizviewer --save-html: one self-contained file that opens from file:// with the trace inside', async t => {
	t.timeout(300_000);
	const html = path.join(temporaryDirectory(), 'nested.html');
	const result = await runViewer(['--save-html', html, nestedTrace]);
	t.is(result.code, 0, result.stderr);
	t.regex(result.stderr, /wrote .*nested\.html: open it in a web browser/);
	t.deepEqual(embeddedTrace(fs.readFileSync(html, 'utf8')), JSON.parse(fs.readFileSync(nestedTrace, 'utf8')));
	const page = await openOffline(t, html, 'nested.json');
	const table = await sandwichTable(page, 'a (lib/a.js:3:1)');
	t.regex(table, /50\.00µs \(50%\)\s+40\.00µs \(40%\)\s+a \(lib\/a\.js:3:1\)/);
});

test('viztracer -o result.html: the traced script\'s functions, viewable offline', async t => {
	t.timeout(300_000);
	const directory = temporaryDirectory();
	const html = path.join(directory, 'result.html');
	const traced = await runCli(['-o', html, path.join(fixturesDir, 'cli', 'nested.mjs')], {timeout: subprocessTimeout});
	t.is(traced.code, 0, traced.stderr);
	t.regex(traced.stderr, /saved \d+ entries to .*result\.html\nviztracer: open it in a web browser/);
	t.deepEqual(fs.readdirSync(directory), ['result.html'], 'no temporary file left behind');
	const trace = embeddedTrace(fs.readFileSync(html, 'utf8'));
	t.true(trace.traceEvents.some(event => event.ph === 'X' && event.name === 'level4'));
	const page = await openOffline(t, html, 'result.html');
	const table = await sandwichTable(page, 'level4');
	for (const level of ['level1', 'level2', 'level3']) {
		t.true(table.includes(level), level);
	}
});
