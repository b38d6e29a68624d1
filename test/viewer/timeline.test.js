// The timeline viewer in a real browser (Debian's chromium through
// playwright-core): vizviewer serves a trace with one of each event type,
// and each test checks what the page draws through its own model
// (window.vizviewer, the automation surface the README documents), real
// mouse and keyboard input, and the DOM of its panels.
import {spawn} from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import {pathToFileURL} from 'node:url';
import test from 'ava';
import {cliPath, fixturesDir, rootDir, runCli, temporaryDirectory} from '../helpers/exec.js';
import {keepScreenshot, launchBrowser, newPage, openSandwich} from './_browser.js';
import {runViewer, startViewer, subprocessTimeout} from './_helpers.js';
import {timelineFixtureDir, writeEverythingTrace} from './_timeline-fixture.js';

let browser;
let viewer;
let traceDirectory;

test.before(async () => {
	traceDirectory = temporaryDirectory();
	writeEverythingTrace(traceDirectory);
	browser = await launchBrowser();
	viewer = await startViewer(['--no-open', '--port', '0', traceDirectory]);
});

test.after.always(async () => {
	viewer?.child.kill();
	await viewer?.exited;
	await browser?.close();
});

/** Opens the timeline of `name` and waits for its first frame. */
async function openTimeline(t, name = 'everything.json') {
	const opened = await newPage(t, browser.context);
	await opened.page.goto(`${viewer.url}timeline/${encodeURIComponent(name)}`);
	await opened.page.waitForFunction(() => document.documentElement.dataset.vizviewer !== undefined);
	t.is(await opened.page.evaluate(() => document.documentElement.dataset.vizviewer), 'ready', await opened.page.locator('body').innerText());
	return opened;
}

const api = (page, call, ...args) => page.evaluate(([call, args]) => window.vizviewer[call](...args), [call, args]);

/** Page x of time `ts` (µs) on the timeline canvas, from the visible range and the canvas's box. */
async function xOf(page, ts) {
	const {start, end} = await api(page, 'visibleRange');
	const box = await page.locator('#timeline').boundingBox();
	const labelWidth = 240;
	return box.x + labelWidth + ((ts - start) / (end - start)) * (box.width - labelWidth);
}

test('every process, thread, extra row, counter and object, in a stable order', async t => {
	const {page, problems, requests} = await openTimeline(t);
	t.deepEqual(await api(page, 'tracks'), [
		{id: 'g', kind: 'instant', name: 'Global instants', pid: -1},
		{id: 'p1', kind: 'process', name: 'app.js', pid: 1},
		{id: 'c1:Memory usage (MB)', kind: 'counter', name: 'Memory usage (MB)', pid: 1},
		{id: 'o1:0x1', kind: 'object', name: 'queue 0x1', pid: 1},
		{id: 'i1', kind: 'instant', name: 'Process instants', pid: 1},
		{id: 't1:1', kind: 'thread', name: 'MainThread', pid: 1, tid: 1},
		{id: 't1:10001', kind: 'gc', name: 'Garbage collection (MainThread)', pid: 1, tid: 10_001},
		{id: 't1:11000', kind: 'async', name: 'async 1 (MainThread)', pid: 1, tid: 11_000},
		{id: 't1:2', kind: 'thread', name: 'Worker 2', pid: 1, tid: 2},
		{id: 'p2', kind: 'process', name: 'child.js', pid: 2},
		{id: 't2:2', kind: 'thread', name: 'MainThread', pid: 2, tid: 2},
	]);
	t.deepEqual(problems, []);
	t.true(requests.every(url => url.startsWith(viewer.url)), `only the local server was asked: ${requests.join(', ')}`);
	await keepScreenshot(page, 'timeline-everything');
});

test('slices nest by depth as recorded; B/E pairs become slices', async t => {
	const {page} = await openTimeline(t);
	const slices = await api(page, 'slices', 't1:1');
	t.deepEqual(slices.map(({name, ts, dur, depth}) => [name.replace(/ \(.*\)$/, ''), ts, dur, depth]), [
		['main', 0, 1000, 0],
		['parse', 100, 300, 1],
		['tokenize', 120, 100, 2],
		['render', 500, 400, 1],
		['load config', 600, 100, 2],
	]);
	t.deepEqual(slices[2].args, {func_args: {text: '\'a=1\''}, return_value: '[ \'a\', \'1\' ]'});
	t.deepEqual((await api(page, 'slices', 't1:1', 450, 550)).map(slice => slice.name.replace(/ \(.*\)$/, '')), ['main', 'render']);
	// Closed ranges, as the range table counts them: parse ends at 400, render starts at 500.
	const names = async (from, to) => (await api(page, 'slices', 't1:1', from, to)).map(slice => slice.name.replace(/ \(.*\)$/, ''));
	t.deepEqual(await names(400, 500), ['main', 'parse', 'render']);
	t.deepEqual((await api(page, 'rangeTable', 400, 500)).map(row => row.name.replace(/ \(.*\)$/, '')).sort(), ['GC', 'fetchData', 'main', 'parse', 'render', 'work']);
	const frame = await api(page, 'redraw');
	t.true(frame.slices >= 10, `slices drawn: ${frame.slices}`);
});

test('counters are plotted, instants marked, objects and flows drawn (and flows toggle off)', async t => {
	const {page} = await openTimeline(t);
	t.deepEqual(await api(page, 'counters', 'c1:Memory usage (MB)'), {
		name: 'Memory usage (MB)',
		series: [{name: 'heapUsed', ts: [0, 500, 1000], values: [10, 20, 15]}, {name: 'rss', ts: [0, 500, 1000], values: [30, 35, 33]}],
	});
	t.deepEqual((await api(page, 'instants')).map(({name, scope, track}) => [name, scope, track]), [['start', 't', 't1:1'], ['checkpoint', 'p', 'i1'], ['exit', 'g', 'g']]);
	t.deepEqual(await api(page, 'objects'), [{track: 'o1:0x1', name: 'queue 0x1', id: '0x1', created: 10, destroyed: 900, snapshots: [{ts: 100, args: {pending: 3}}, {ts: 600, args: {pending: 0}}]}]);
	const flows = (await api(page, 'flows')).map(flow => [flow.name, flow.from.track, flow.from.slice?.name.replace(/ \(.*\)$/, ''), flow.to.track, flow.to.slice?.name.replace(/ \(.*\)$/, '')]);
	t.deepEqual(flows, [
		['await', 't1:1', 'tokenize', 't1:11000', 'fetchData'],
		['message', 't1:1', 'parse', 't1:2', 'work'],
		['message', 't1:2', 'work', 't1:1', 'render'],
	]);
	const frame = await api(page, 'redraw');
	t.is(frame.flows, 3);
	t.is(frame.instants, 3);
	t.true(frame.counterPoints >= 6);
	await page.locator('#show-flows').uncheck();
	t.is((await api(page, 'redraw')).flows, 0);
	t.true(await api(page, 'toggleFlows'), 'toggleFlows() flips them back on');
	t.is((await api(page, 'redraw')).flows, 3);
});

test('a click on a slice opens its details: times, args, flows and the function\'s source', async t => {
	const {page, problems} = await openTimeline(t);
	const point = await api(page, 'locate', 'parse');
	await page.mouse.click(point.x, point.y);
	await page.waitForFunction(() => window.vizviewer.details()?.source?.lines !== undefined);
	const details = await api(page, 'details');
	t.is(details.function, 'parse');
	t.is(details.location, 'src/app.js:5:1');
	t.is(details.dur, 300);
	t.is(details.self, 200);
	t.is(details.depth, 1);
	t.deepEqual(details.source.lines.filter(line => line.highlighted), [{number: 5, text: 'function parse(text) {', highlighted: true}]);
	const panel = await page.locator('#details').innerText();
	t.regex(panel, /Duration\s+300 µs/);
	t.regex(panel, /Self time\s+200 µs/);
	t.regex(panel, /function parse\(text\) \{/);
	// Its flow out goes to the worker: a click there selects `work`.
	await page.getByRole('button', {name: /^work/}).click();
	t.is((await api(page, 'details')).function, 'work');
	await keepScreenshot(page, 'timeline-details');
	// Args of another slice, shown by name.
	const tokenize = await api(page, 'select', 'tokenize');
	t.deepEqual(tokenize.args, {func_args: {text: '\'a=1\''}, return_value: '[ \'a\', \'1\' ]'});
	t.regex(await page.locator('#details').innerText(), /return_value\s+\[ 'a', '1' \]/);
	t.deepEqual(problems, []);
});

test('a click on an instant, an object\'s snapshot or a counter shows it in the details panel', async t => {
	const {page} = await openTimeline(t);
	await api(page, 'setRange', 0, 1300);
	const box = await page.locator('#timeline').boundingBox();
	// Rows from the top, under the 26 px axis: global instants 22, app.js 22, the counter 44, the object 22, process instants 22.
	const rowMiddle = top => box.y + 26 + top + 9;
	await page.mouse.click(await xOf(page, 100), rowMiddle(22 + 22 + 44));
	t.like(await api(page, 'details'), {kind: 'snapshot', name: 'queue 0x1', ts: 100, trackId: 'o1:0x1', args: {pending: 3}});
	t.regex(await page.locator('#details').innerText(), /queue 0x1 object snapshot[^]*pending\s+3/);
	await page.mouse.click(await xOf(page, 550), rowMiddle(22 + 22 + 44 + 22));
	t.like(await api(page, 'details'), {kind: 'instant', name: 'checkpoint', ts: 550, scope: 'p', trackId: 'i1'});
	await page.mouse.click(await xOf(page, 700), rowMiddle(22 + 22));
	t.like(await api(page, 'details'), {kind: 'counter', name: 'Memory usage (MB)', ts: 500, args: {heapUsed: 20, rss: 35}});
	t.regex(await page.locator('#details').innerText(), /heapUsed\s+20[^]*rss\s+35/);
});

test('instants a pixel apart: a click on a row gives the row\'s own instant, else the nearest line across it, named after its own track', async t => {
	fs.writeFileSync(path.join(traceDirectory, 'close-instants.json'), JSON.stringify({traceEvents: [
		{ph: 'M', name: 'process_name', pid: 1, tid: 1, args: {name: 'app.js'}},
		{ph: 'X', name: 'main', pid: 1, tid: 1, ts: 0, dur: 10},
		{ph: 'i', name: 'on the process', pid: 1, tid: 1, ts: 5000, s: 'p'},
		{ph: 'i', name: 'everywhere', pid: 1, tid: 1, ts: 5001, s: 'g'},
		{ph: 'i', name: 'on the thread', pid: 1, tid: 1, ts: 5002, s: 't'},
		{ph: 'X', name: 'end', pid: 1, tid: 1, ts: 10_000, dur: 10},
	]}));
	const {page} = await openTimeline(t, 'close-instants.json');
	const box = await page.locator('#timeline').boundingBox();
	// Rows under the 26 px axis: global instants 22, app.js 22, process instants 22, the thread.
	const rowMiddle = top => box.y + 26 + top + 9;
	const x = await xOf(page, 5001);
	await page.mouse.click(x, rowMiddle(0));
	t.like(await api(page, 'details'), {kind: 'instant', name: 'everywhere', scope: 'g', trackId: 'g', track: 'Global instants'});
	await page.mouse.click(x, rowMiddle(44));
	t.like(await api(page, 'details'), {kind: 'instant', name: 'on the process', scope: 'p', trackId: 'i1', track: 'Process instants'});
	await page.mouse.click(x, rowMiddle(66));
	t.like(await api(page, 'details'), {kind: 'instant', name: 'on the thread', scope: 't', trackId: 't1:1'});
});

test('search: substring or /regex/, highlighted, Enter and Shift+Enter step through matches', async t => {
	const {page} = await openTimeline(t);
	t.is(await api(page, 'search', 'FIB'), 2);
	t.is(await api(page, 'search', '/^(parse|render) /'), 2);
	await page.locator('#search').fill('/^r.nder|^work/');
	await page.locator('#search').press('Enter');
	t.is((await api(page, 'details')).function, 'work');
	await page.locator('#search').press('Enter');
	t.is((await api(page, 'details')).function, 'render');
	await page.locator('#search').press('Shift+Enter');
	t.is((await api(page, 'details')).function, 'work');
	t.regex(await page.locator('.search-count').innerText(), /^1 of 2$/);
	await page.locator('#search').fill('/(/');
	t.true(await page.locator('#search').evaluate(input => input.classList.contains('invalid')), 'an invalid expression is marked, not thrown');
});

test('Shift+drag selects a range: per function calls, total, self, mean, max', async t => {
	const {page} = await openTimeline(t);
	await api(page, 'setRange', 0, 1300);
	const box = await page.locator('#timeline').boundingBox();
	const y = box.y + 200;
	await page.keyboard.down('Shift');
	await page.mouse.move(await xOf(page, 100), y);
	await page.mouse.down();
	await page.mouse.move(await xOf(page, 250), y, {steps: 4});
	await page.mouse.move(await xOf(page, 400), y, {steps: 4});
	await page.mouse.up();
	await page.keyboard.up('Shift');
	const table = await page.locator('.range-table').innerText();
	// main, parse, tokenize, fetchData, work overlap 100-400 µs.
	t.regex(table, /main \(src\/app\.js:1:1\)\s+1\s+1 ms\s+300 µs\s+1 ms\s+1 ms/);
	t.regex(table, /parse \(src\/app\.js:5:1\)\s+1\s+300 µs\s+200 µs\s+300 µs\s+300 µs/);
	t.notRegex(table, /render/);
	const rows = await api(page, 'rangeTable', 100, 400);
	t.deepEqual(rows.map(row => [row.name.replace(/ \(.*\)$/, ''), row.calls, row.total, row.self]), [
		['main', 1, 1000, 300],
		['fetchData', 1, 600, 600],
		['work', 1, 500, 500],
		['parse', 1, 300, 200],
		['tokenize', 1, 100, 100],
	]);
	// A click on a row highlights that function's slices.
	await page.locator('.range-table tbody tr', {hasText: 'work'}).click();
	t.true(await page.locator('.range-table tr.picked', {hasText: 'work'}).isVisible());
	await keepScreenshot(page, 'timeline-range');
});

test('W/S zoom and A/D pan around the pointer, the wheel zooms, the zoom reaches 100 ns spans, F fits', async t => {
	const {page} = await openTimeline(t);
	await api(page, 'setRange', 0, 1000);
	await page.mouse.move(await xOf(page, 500), (await page.locator('#timeline').boundingBox()).y + 150);
	await page.keyboard.press('w');
	let range = await api(page, 'visibleRange');
	t.true(Math.abs(range.end - range.start - 800) < 1e-6, JSON.stringify(range));
	t.true(Math.abs((range.start + range.end) / 2 - 500) < 1, 'zoomed around the pointer');
	await page.keyboard.press('s');
	range = await api(page, 'visibleRange');
	t.true(Math.abs(range.end - range.start - 1000) < 1e-6);
	await page.keyboard.press('d');
	const panned = await api(page, 'visibleRange');
	t.true(Math.abs(panned.start - range.start - 100) < 1e-6, 'D pans right by a tenth');
	await page.keyboard.press('a');
	t.true(Math.abs((await api(page, 'visibleRange')).start - range.start) < 1e-6);
	await page.mouse.wheel(0, -300);
	await page.waitForFunction(span => window.vizviewer.visibleRange().end - window.vizviewer.visibleRange().start < span, 999);
	const deep = await api(page, 'setRange', 120, 120.1);
	t.true(Math.abs(deep.end - deep.start - 0.1) < 1e-9, '100 ns across the canvas');
	await api(page, 'select', 'tokenize');
	await page.keyboard.press('f');
	range = await api(page, 'visibleRange');
	t.true(range.start < 120 && range.end > 220 && range.end - range.start < 150, JSON.stringify(range));
	// A slice selected after a range is what F fits (the panel shows its details, not the range's table).
	await api(page, 'rangeTable', 0, 1000);
	await api(page, 'select', 'render');
	await api(page, 'setRange', 0, 1000);
	await page.keyboard.press('f');
	range = await api(page, 'visibleRange');
	t.true(range.start < 500 && range.start > 450 && range.end > 900 && range.end < 950, JSON.stringify(range));
	await api(page, 'rangeTable', 100, 300);
	await page.keyboard.press('f');
	t.deepEqual(await api(page, 'visibleRange'), {start: 100, end: 300}, 'a range selected after the slice is what F fits');
});

test('a click on a process header folds its tracks', async t => {
	const {page} = await openTimeline(t);
	const box = await page.locator('#timeline').boundingBox();
	// The child's header is below the first process's rows: fold the first process.
	const before = (await api(page, 'redraw')).slices;
	await page.mouse.click(box.x + 40, box.y + 26 + 22 + 11);
	const after = (await api(page, 'redraw')).slices;
	t.true(after < before, `${after} < ${before}`);
	await page.mouse.click(box.x + 40, box.y + 26 + 22 + 11);
	t.is((await api(page, 'redraw')).slices, before);
});

test('--save-html: the same viewer in one file, offline, with the sources inside', async t => {
	const html = path.join(temporaryDirectory(), 'everything.html');
	const result = await runViewer(['--save-html', html, path.join(traceDirectory, 'everything.json')]);
	t.is(result.code, 0, result.stderr);
	const {page, problems, requests} = await newPage(t, browser.context);
	await page.goto(pathToFileURL(html).href);
	await page.waitForFunction(() => document.documentElement.dataset.vizviewer === 'ready');
	t.is((await api(page, 'tracks')).length, 11);
	const details = await api(page, 'select', 'render');
	t.deepEqual(details.source.lines.find(line => line.highlighted), {number: 13, text: 'function render(tree) {', highlighted: true});
	// `viztracer stats`' own table is in the page: with its percentiles.
	await page.getByRole('button', {name: 'Stats'}).click();
	t.regex(await page.locator('.stats-table').innerText(), /Function\s+Calls\s+Total \(µs\)\s+Self \(µs\)\s+Mean \(µs\)\s+p50 \(µs\)\s+p95 \(µs\)\s+Max \(µs\)[^]*parse \(src\/app\.js:5:1\)\s+1\s+300\s+200\s+300\s+300\s+300\s+300/);
	// speedscope is in the page too, on the same trace, each profile named after its thread.
	await page.getByRole('button', {name: 'Flame graph'}).click();
	const frame = page.frameLocator('.flame-view iframe');
	await frame.getByText('app.js (pid 1), MainThread (tid 1)').first().waitFor();
	await openSandwich(frame, 'parse (src/app.js:5:1)');
	t.regex(await frame.locator('body').innerText(), /parse \(src\/app\.js:5:1\)/);
	await keepScreenshot(page, 'html-flame-graph');
	t.deepEqual(problems, []);
	t.deepEqual(requests.filter(url => url !== pathToFileURL(html).href && !url.startsWith('blob:') && !url.startsWith('data:')), [], 'the page needs no server and no network');
	t.false(fs.readFileSync(html, 'utf8').includes('<script src='), 'nothing is loaded from beside the page');
	t.true(fs.existsSync(path.join(timelineFixtureDir, 'src', 'app.js')));
});

test('--once exits when the timeline has drawn its first frame', async t => {
	const once = await startViewer(['--no-open', '--port', '0', '--once', path.join(traceDirectory, 'everything.json')]);
	const {page} = await newPage(t, browser.context);
	await page.goto(once.url);
	t.regex(page.url(), /\/timeline\/everything\.json$/);
	await page.waitForFunction(() => document.documentElement.dataset.vizviewer === 'ready');
	const {code, stderr} = await once.exited;
	t.is(code, 0, stderr);
	t.regex(stderr, /the viewer loaded everything\.json; exiting \(--once\)/);
});

test('viztracer -o result.html: the traced script on the timeline, offline', async t => {
	const directory = temporaryDirectory();
	const html = path.join(directory, 'result.html');
	const traced = await runCli(['-o', html, path.join(fixturesDir, 'cli', 'nested.mjs')], {timeout: subprocessTimeout});
	t.is(traced.code, 0, traced.stderr);
	t.deepEqual(fs.readdirSync(directory), ['result.html'], 'no temporary file left behind');
	const {page, problems, requests} = await newPage(t, browser.context);
	await page.goto(pathToFileURL(html).href);
	await page.waitForFunction(() => document.documentElement.dataset.vizviewer === 'ready');
	const main = (await api(page, 'tracks')).find(track => track.kind === 'thread');
	const names = (await api(page, 'slices', main.id)).map(slice => slice.name.replace(/ \(.*\)$/, ''));
	for (const level of ['level1', 'level2', 'level3', 'level4']) {
		t.true(names.includes(level), level);
	}

	// The arrow function level4 wraps is instrumented too, and its source is in the page.
	const details = await api(page, 'select', 'nested.mjs:5:');
	t.deepEqual(details.source.lines.find(line => line.highlighted), {number: 5, text: 'const level4 = tracer.wrap(() => 4, \'level4\');', highlighted: true});
	// The tracer's own page has the flame graph too: it gzipped the JSON on the way.
	await page.getByRole('button', {name: 'Flame graph'}).click();
	await page.frameLocator('.flame-view iframe').getByText('MainThread').first().waitFor();
	t.deepEqual(problems, []);
	t.deepEqual(requests.filter(url => url !== pathToFileURL(html).href && !url.startsWith('blob:')), []);
});

test('a real program with a worker, a child process, --log-async, --log-gc, the three plugins, instants, a VizCounter and a VizObject: all of it on one timeline', async t => {
	t.timeout(300_000);
	const directory = temporaryDirectory();
	const trace = path.join(directory, 'showcase.json');
	const traced = await runCli([
		'-o', trace, '--log-async', '--log-gc', '--log-func-args', '--log-exception',
		'--plugins', 'viztracer/plugins/cpu-usage', 'viztracer/plugins/memory-usage', 'viztracer/plugins/event-loop-delay', '--',
		path.join(rootDir, 'examples', 'showcase', 'main.js'),
	], {timeout: subprocessTimeout, cwd: rootDir});
	t.is(traced.code, 0, traced.stderr);
	const shown = await startViewer(['--no-open', '--port', '0', trace]);
	try {
		const {page, problems} = await newPage(t, browser.context);
		await page.goto(shown.url);
		await page.waitForFunction(() => document.documentElement.dataset.vizviewer === 'ready');
		const tracks = await api(page, 'tracks');
		const kinds = new Set(tracks.map(track => track.kind));
		for (const kind of ['process', 'thread', 'async', 'gc', 'counter', 'instant', 'object']) {
			t.true(kinds.has(kind), `a ${kind} track`);
		}

		t.deepEqual(tracks.filter(track => track.kind === 'process').map(track => track.name), ['main.js', 'child.js']);
		t.true(tracks.some(track => track.kind === 'thread' && /^Worker \d+$/.test(track.name)), 'the worker thread');
		const counters = tracks.filter(track => track.kind === 'counter').map(track => track.name).sort();
		t.deepEqual(counters, ['CPU usage', 'Event loop delay (ms)', 'Memory usage (MB)', 'work done']);
		t.deepEqual(tracks.filter(track => track.kind === 'object').map(track => track.name), ['queue 0x1']);
		t.deepEqual((await api(page, 'instants')).map(instant => [instant.name, instant.scope]), [['start', 't'], ['done', 'p']]);
		t.true((await api(page, 'flows')).length > 0, 'await flows');
		const worker = tracks.find(track => /^Worker \d+$/.test(track.name));
		t.true((await api(page, 'slices', worker.id)).some(slice => slice.name.startsWith('sumOfSquares ')));
		const child = tracks.find(track => track.kind === 'thread' && track.pid === tracks.find(process => process.name === 'child.js').pid);
		t.true((await api(page, 'slices', child.id)).some(slice => slice.name.startsWith('fibonacci ')));
		const details = await api(page, 'select', 'buildIndex');
		t.deepEqual(details.source.lines.find(line => line.highlighted), {number: 17, text: 'function buildIndex(lines) {', highlighted: true});
		t.true(String(details.args.func_args.lines).startsWith('[ \'k0=0\''));
		t.deepEqual(problems, []);
		await keepScreenshot(page, 'timeline-showcase');
	} finally {
		shown.child.kill();
		await shown.exited;
	}
});

test('a trace of a million spans (the default ring\'s size) loads, and every span is in the model', async t => {
	t.timeout(300_000);
	const directory = temporaryDirectory();
	const trace = path.join(directory, 'million.json');
	const traced = await runCli(['-q', '--tracer-entries', '1000000', '-o', trace, path.join(rootDir, 'benchmarks', 'fixtures', 'fib.js'), '30'], {timeout: subprocessTimeout});
	t.is(traced.code, 0, traced.stderr);
	const shown = await startViewer(['--no-open', '--port', '0', trace]);
	try {
		const {page, problems} = await newPage(t, browser.context);
		await page.goto(shown.url);
		await page.waitForFunction(() => document.documentElement.dataset.vizviewer !== undefined);
		t.is(await page.evaluate(() => document.documentElement.dataset.vizviewer), 'ready');
		t.is(await api(page, 'search', '/^fib /'), 1_048_576 - 1, 'every span but work() is a call of fib');
		t.is(await api(page, 'search', '/^work /'), 1);
		// Zoomed out, the sub-pixel calls are merged; zoomed in, they are drawn one by one.
		const whole = await api(page, 'redraw');
		t.true(whole.merged > 0, JSON.stringify(whole));
		const {start} = await api(page, 'metadata');
		await api(page, 'setRange', start, start + 20);
		const close = await api(page, 'redraw');
		t.true(close.slices > 0 && close.merged === 0, JSON.stringify(close));
		t.deepEqual(problems, []);
	} finally {
		shown.child.kill();
		await shown.exited;
	}
});

test('.vizt opens directly, and so does the partial file of a run killed while recording', async t => {
	t.timeout(300_000);
	const directory = temporaryDirectory();
	const vizt = path.join(directory, 'everything.vizt');
	const converted = await runCli(['convert', path.join(traceDirectory, 'everything.json'), vizt]);
	t.is(converted.code, 0, converted.stderr);
	// A run killed after its writer thread has handed chunks to the partial file.
	const output = path.join(directory, 'killed.vizt');
	const child = spawn(process.execPath, [cliPath, '-q', '-o', output, path.join(timelineFixtureDir, 'long-run.js')], {stdio: ['ignore', 'pipe', 'inherit']});
	await new Promise(resolve => {
		child.stdout.on('data', chunk => String(chunk).includes('counted') && resolve());
	});
	// The writer thread may still be writing what it was handed: wait for a few chunks on disk.
	const partialSize = () => fs.readdirSync(directory).filter(name => name.startsWith('killed.partial-')).reduce((size, name) => size + fs.statSync(path.join(directory, name)).size, 0);
	for (let waited = 0; partialSize() < 1_000_000 && waited < 60_000; waited += 50) {
		// eslint-disable-next-line no-await-in-loop
		await new Promise(resolve => {
			setTimeout(resolve, 50);
		});
	}

	child.kill('SIGKILL');
	await new Promise(resolve => {
		child.on('close', resolve);
	});
	const partial = fs.readdirSync(directory).find(name => /^killed\.partial-\d+\.vizt$/.test(name));
	t.truthy(partial, fs.readdirSync(directory).join(', '));
	const shown = await startViewer(['--no-open', '--port', '0', directory]);
	try {
		const {page, problems} = await newPage(t, browser.context);
		await page.goto(`${shown.url}timeline/everything.vizt`);
		await page.waitForFunction(() => document.documentElement.dataset.vizviewer === 'ready');
		t.deepEqual((await api(page, 'tracks')).map(track => track.id), ['g', 'p1', 'c1:Memory usage (MB)', 'o1:0x1', 'i1', 't1:1', 't1:10001', 't1:11000', 't1:2', 'p2', 't2:2']);
		t.deepEqual((await api(page, 'slices', 't1:1')).map(slice => [slice.ts, slice.dur, slice.depth]), [[0, 1000, 0], [100, 300, 1], [120, 100, 2], [500, 400, 1], [600, 100, 2]]);
		t.is((await api(page, 'flows')).length, 3);

		await page.goto(`${shown.url}timeline/${partial}`);
		await page.waitForFunction(() => document.documentElement.dataset.vizviewer === 'ready');
		const thread = (await api(page, 'tracks')).find(track => track.kind === 'thread');
		// The writer hands over chunks of 65,536 entries: the partial file holds whole chunks.
		const calls = await api(page, 'search', '/^step /');
		t.true(calls >= 65_536 && calls <= 1_000_000, String(calls));
		t.truthy(thread);
		t.deepEqual(problems, []);
	} finally {
		shown.child.kill();
		await shown.exited;
	}
});
