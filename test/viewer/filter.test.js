// `vizviewer --filter`: writes a smaller trace and serves that one.
import fs from 'node:fs';
import path from 'node:path';
import test from 'ava';
import {fixturesDir, readTrace, temporaryDirectory} from '../helpers/exec.js';
import {embeddedModel, modelSliceNames, runViewer} from './_helpers.js';

const fixture = name => path.join(fixturesDir, 'stats', name);

/** Runs vizviewer with filter options on a copy of `name`; resolves with the result and the filtered trace. */
async function filtered(t, name, args, output = undefined) {
	t.timeout(300_000);
	const directory = temporaryDirectory();
	const input = path.join(directory, name);
	fs.copyFileSync(fixture(name), input);
	const result = await runViewer(['--no-open', '--port', '0', '--timeout', '0.2', ...(output ? ['--filter-output', path.join(directory, output)] : []), ...args, input]);
	t.is(result.code, 0, result.stderr);
	const written = path.join(directory, output ?? name.replace(/\.json$/, '.filtered.json'));
	t.true(fs.existsSync(written), `${written} was written`);
	return {result, trace: await readTrace(written), directory, written};
}

const spanNames = trace => trace.traceEvents.filter(event => event.ph === 'X').map(event => `${event.name}@${event.ts}`);

test('--min-duration keeps spans at least that long, all metadata, and the other top-level keys', async t => {
	const {result, trace, written} = await filtered(t, 'nested.json', ['--min-duration', '15']);
	// Main (100), a (30), a (20) stay; b (10) goes.
	t.deepEqual(spanNames(trace), ['a (lib/a.js:3:1)@10', 'a (lib/a.js:3:1)@50', 'main (main.js:1:1)@0']);
	t.deepEqual(trace.traceEvents.filter(event => event.ph === 'M').map(event => event.name), ['process_name', 'thread_name']);
	t.deepEqual(trace.traceEvents.filter(event => event.ph === 'i' || event.ph === 'C').map(event => event.name), ['marker', 'heap'], 'instants and counters have no duration to filter on');
	t.deepEqual(trace.viztracer_metadata, {version: '0.1.0', overflow: false, baseTimeNanoseconds: 1_795_652_466_763_168_000});
	t.is(trace.displayTimeUnit, 'ns');
	t.like(trace.viztracer_filter, {minDuration: 15});
	t.true(trace.viztracer_filter.source.endsWith('nested.json'));
	t.regex(result.stderr, /kept 5 of 6 events \(83\.3%\)/);
	t.regex(result.stdout, /^Serving nested\.filtered\.json at /, 'the filtered trace is the one served');
	t.is(trace.traceEvents.length, 7);
	t.true(fs.existsSync(written));
});

test('--match takes text or a /regex/; --file takes a glob, matching base names when it has no slash', async t => {
	const text = await filtered(t, 'nested.json', ['--match', 'lib/']);
	t.deepEqual(spanNames(text.trace), ['b (lib/b.js:1:1)@20', 'a (lib/a.js:3:1)@10', 'a (lib/a.js:3:1)@50']);
	t.false(text.trace.traceEvents.some(event => event.name === 'marker'), 'the name filter applies to instants too');

	const regex = await filtered(t, 'nested.json', ['--match', '/^(MAIN|b) /i']);
	t.deepEqual(spanNames(regex.trace), ['b (lib/b.js:1:1)@20', 'main (main.js:1:1)@0']);

	const glob = await filtered(t, 'nested.json', ['--file', 'lib/**']);
	t.deepEqual(spanNames(glob.trace), ['b (lib/b.js:1:1)@20', 'a (lib/a.js:3:1)@10', 'a (lib/a.js:3:1)@50']);

	const baseName = await filtered(t, 'nested.json', ['--file', 'a.js']);
	t.deepEqual(spanNames(baseName.trace), ['a (lib/a.js:3:1)@10', 'a (lib/a.js:3:1)@50']);
});

test('--window keeps events overlapping it, in ms from the first timestamp', async t => {
	// Window 45-60 µs: main [0,100] and a [50,70] overlap it, a [10,40] and b [20,30] do not; the instant at 55 and the counter at 60 are in it.
	const {trace} = await filtered(t, 'nested.json', ['--window', '0.045:0.06']);
	t.deepEqual(spanNames(trace), ['a (lib/a.js:3:1)@50', 'main (main.js:1:1)@0']);
	t.deepEqual(trace.traceEvents.filter(event => event.ph === 'i' || event.ph === 'C').map(event => event.name), ['marker', 'heap']);

	// Relative to the first event: the B/E trace starts at ts 1000 µs. An open end keeps everything after the start.
	const relative = await filtered(t, 'begin-end.json', ['--window', '0.041:']);
	t.deepEqual(spanNames(relative.trace).sort(), ['main@1000', 'work@1040']);
});

test('B/E pairs become X spans, matched per track, so they can be filtered by duration', async t => {
	const {trace} = await filtered(t, 'begin-end.json', ['--min-duration', '5', '--match', 'work']);
	const spans = trace.traceEvents.filter(event => event.ph === 'X').map(({name, tid, ts, dur}) => ({name, tid, ts, dur}));
	t.deepEqual(spans.sort((a, b) => a.ts - b.ts), [
		{name: 'work', tid: 2, ts: 1005, dur: 20},
		{name: 'work', tid: 1, ts: 1010, dur: 20},
		{name: 'work', tid: 1, ts: 1040, dur: 5},
	]);
	t.false(trace.traceEvents.some(event => event.ph === 'B' || event.ph === 'E'));
	t.is(trace.displayTimeUnit, 'ms');
});

test('--filter-output names the file; .json.gz writes gzip; with --save-html the filtered trace goes into the page', async t => {
	const {trace, directory} = await filtered(t, 'nested.json', ['--filter', '--min-duration', '25'], 'small.json.gz');
	t.deepEqual(spanNames(trace), ['a (lib/a.js:3:1)@10', 'main (main.js:1:1)@0']);
	const bytes = fs.readFileSync(path.join(directory, 'small.json.gz'));
	t.deepEqual([...bytes.subarray(0, 2)], [0x1F, 0x8B]);

	const input = path.join(directory, 'nested.json');
	const html = path.join(directory, 'small.html');
	const saved = await runViewer(['--min-duration', '25', '--filter-output', path.join(directory, 'f.json'), '--save-html', html, input]);
	t.is(saved.code, 0, saved.stderr);
	const page = fs.readFileSync(html, 'utf8');
	t.regex(page, /<title>f\.json - vizviewer<\/title>/);
	t.deepEqual(modelSliceNames(await embeddedModel(page)), ['main (main.js:1:1)', 'a (lib/a.js:3:1)']);
});

test('filtering needs one trace file, and never overwrites it', async t => {
	t.timeout(300_000);
	const directory = temporaryDirectory();
	const input = path.join(directory, 'nested.json');
	fs.copyFileSync(fixture('nested.json'), input);
	const same = await runViewer(['--min-duration', '1', '--filter-output', input, input]);
	t.is(same.code, 2);
	t.regex(same.stderr, /--filter-output must differ from the trace it filters/);
	t.deepEqual(fs.readFileSync(input), fs.readFileSync(fixture('nested.json')));

	const folder = await runViewer(['--min-duration', '1', directory]);
	t.is(folder.code, 2);
	t.regex(folder.stderr, /is a directory; --filter and --save-html take one trace file/);

	const invalid = path.join(directory, 'invalid.json');
	fs.writeFileSync(invalid, '{"traceEvents":[{]}');
	const bad = await runViewer(['--min-duration', '1', invalid]);
	t.is(bad.code, 1);
	t.regex(bad.stderr, /invalid\.json is not a valid trace: /);
	t.deepEqual(fs.readdirSync(directory).sort(), ['invalid.json', 'nested.json'], 'no partial output is left behind');
});
