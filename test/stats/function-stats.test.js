// Per-function statistics on hand-made traces whose numbers were worked out
// by hand (the comments show the arithmetic), through the library API.
import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';
import test from 'ava';
import {VizTracerInvalidTraceError, VizTracerTraceNotFoundError} from '../../dist/index.js';
import {computeFunctionStats} from '../../dist/stats/function-stats.js';
import {nearestRank} from '../../dist/stats/percentile.js';
import {SpanCollector} from '../../dist/stats/span-collector.js';
import {sortRows} from '../../dist/stats/sort-rows.js';
import {computeTraceStats} from '../../dist/stats/trace-stats.js';
import {fixturesDir, temporaryDirectory} from '../helpers/exec.js';

const fixture = name => path.join(fixturesDir, 'stats', name);

/** The rows keyed by function name, for exact comparisons. */
async function statsOf(file) {
	const stats = await computeTraceStats(file);
	return {...stats, byName: Object.fromEntries(stats.functions.map(row => [row.name, row]))};
}

test('nested X spans written children first: self time subtracts the children, total is inclusive', async t => {
	// main [0,100] > a [10,40] > b [20,30]; main > a [50,70]. Written in end order, as VizTracer does.
	const {byName, spans, tracks} = await statsOf(fixture('nested.json'));
	t.is(spans, 4);
	t.is(tracks, 1);
	t.deepEqual(Object.keys(byName).sort(), ['a (lib/a.js:3:1)', 'b (lib/b.js:1:1)', 'main (main.js:1:1)'], 'instants, counters and metadata are not functions');
	// Main: 100 - 30 (a) - 20 (a) = 50.
	t.deepEqual(byName['main (main.js:1:1)'], {name: 'main (main.js:1:1)', calls: 1, total: 100, self: 50, mean: 100, p50: 100, p95: 100, max: 100, incomplete: 0});
	// A: (30 - 10) + 20 = 40 self; durations 30 and 20.
	t.deepEqual(byName['a (lib/a.js:3:1)'], {name: 'a (lib/a.js:3:1)', calls: 2, total: 50, self: 40, mean: 25, p50: 20, p95: 30, max: 30, incomplete: 0});
	t.deepEqual(byName['b (lib/b.js:1:1)'], {name: 'b (lib/b.js:1:1)', calls: 1, total: 10, self: 10, mean: 10, p50: 10, p95: 10, max: 10, incomplete: 0});
});

test('B/E events are matched per track as a stack, with interleaved tracks', async t => {
	// Tid 1: main [1000,1100] > work [1010,1030], work [1040,1045]. Tid 2: work [1005,1025] > inner [1006,1008].
	const {byName, spans, tracks, unmatched} = await statsOf(fixture('begin-end.json'));
	t.is(spans, 5);
	t.is(tracks, 2);
	t.is(unmatched, 0);
	// Main: 100 - 20 - 5 = 75.
	t.deepEqual(byName.main, {name: 'main', calls: 1, total: 100, self: 75, mean: 100, p50: 100, p95: 100, max: 100, incomplete: 0});
	// Work: self 20 + 5 on tid 1, 20 - 2 on tid 2; durations 20, 5, 20 (sorted 5, 20, 20).
	t.deepEqual(byName.work, {name: 'work', calls: 3, total: 45, self: 43, mean: 15, p50: 20, p95: 20, max: 20, incomplete: 0});
	t.deepEqual(byName.inner, {name: 'inner', calls: 1, total: 2, self: 2, mean: 2, p50: 2, p95: 2, max: 2, incomplete: 0});
});

test('overlapping siblings: each moment goes to the most recently started span, so self times add up to busy time', async t => {
	// Tid 1: parent [0,100], first [10,50], second [40,60] (starts inside first, ends after it).
	// Innermost: parent 0-10, first 10-40, second 40-60, parent 60-100.
	// Tid 2: early [0,10], late [5,15] (outlives the span it started in): early 0-5, late 5-15.
	const {byName} = await statsOf(fixture('overlap.json'));
	t.is(byName.parent.self, 50);
	t.is(byName.parent.total, 100);
	t.is(byName.first.self, 30);
	t.is(byName.first.total, 40);
	t.is(byName.second.self, 20);
	t.is(byName.second.total, 20);
	t.is(byName.early.self, 5);
	t.is(byName.late.self, 10);
	const tid1Self = byName.parent.self + byName.first.self + byName.second.self;
	t.is(tid1Self, 100, 'tid 1 was busy 0-100');
	t.is(byName.early.self + byName.late.self, 15, 'tid 2 was busy 0-15');
});

test('recursion: total counts nested calls of the same function once', async t => {
	// Fib [0,100] > fib [10,60] > fib [20,30]: busy 100 µs, durations 100 + 50 + 10.
	const {byName} = await statsOf(fixture('recursion.json'));
	t.deepEqual(byName.fib, {name: 'fib', calls: 3, total: 100, self: 100, mean: 160 / 3, p50: 50, p95: 100, max: 100, incomplete: 0});
});

test('the JSON Array Format, without its optional closing bracket', async t => {
	// Tick [0,4], tick [10,16] > tock [11,13].
	const {byName} = await statsOf(fixture('array-format.json'));
	t.deepEqual(byName.tick, {name: 'tick', calls: 2, total: 10, self: 8, mean: 5, p50: 4, p95: 6, max: 6, incomplete: 0});
	t.deepEqual(byName.tock, {name: 'tock', calls: 1, total: 2, self: 2, mean: 2, p50: 2, p95: 2, max: 2, incomplete: 0});
});

test('awkward JSON: escapes and brackets in strings, other keys before traceEvents, string tids, stray scalars', async t => {
	const {byName, spans} = await statsOf(fixture('awkward.json'));
	t.is(spans, 4);
	t.falsy(byName.decoy, 'a traceEvents key nested in another value is not the trace');
	t.deepEqual(byName['weird {name} "quoted", [x] \\'], {name: 'weird {name} "quoted", [x] \\', calls: 2, total: 4, self: 4, mean: 2, p50: 1.75, p95: 2.25, max: 2.25, incomplete: 0});
	t.is(byName['café ☕ (src/café.js:1:1)'].total, 0.5);
	t.is(byName['no-dur'].calls, 1);
	t.is(byName['no-dur'].total, 0);
});

test('gzip input gives the same numbers, whatever the file is called', async t => {
	const directory = temporaryDirectory();
	const gzipped = path.join(directory, 'nested.json.gz');
	const misnamed = path.join(directory, 'nested-gzip.json');
	const bytes = zlib.gzipSync(fs.readFileSync(fixture('nested.json')));
	fs.writeFileSync(gzipped, bytes);
	fs.writeFileSync(misnamed, bytes);
	const plain = await computeTraceStats(fixture('nested.json'));
	t.deepEqual(await computeTraceStats(gzipped), plain);
	t.deepEqual(await computeTraceStats(misnamed), plain);
});

test('a missing file and a file that is not a trace throw typed errors', async t => {
	const missing = await t.throwsAsync(computeTraceStats(fixture('missing.json')), {instanceOf: VizTracerTraceNotFoundError});
	t.is(missing.code, 'VIZTRACER_TRACE_NOT_FOUND');
	const directory = temporaryDirectory();
	const cases = {
		'empty.json': ['', /the file is empty/],
		'truncated.json': ['{"traceEvents":[{"ph":"X","name":"a","ts":0,"dur":1,"pid":1,"tid":1},{"ph":"X"', /ends before the JSON does/],
		'bad-event.json': ['{"traceEvents":[{"ph":"X",,}]}', /invalid JSON in traceEvents/],
		'no-events.json': ['{"other":[1,2,3]}', /no traceEvents array/],
		'text.json': ['hello', /expected a JSON object or array/],
		'broken.json.gz': [Buffer.from([0x1F, 0x8B, 8, 0, 0, 0, 0, 0, 0, 0xFF, 1, 2, 3]), /cannot decompress/],
	};
	for (const [name, [content, message]] of Object.entries(cases)) {
		const file = path.join(directory, name);
		fs.writeFileSync(file, content);
		const error = await t.throwsAsync(computeTraceStats(file), {instanceOf: VizTracerInvalidTraceError}, name);
		t.is(error.code, 'VIZTRACER_INVALID_TRACE');
		t.regex(error.message, message, name);
		t.true(error.message.startsWith(file), name);
	}
});

test('nearestRank() - the smallest value with at least p% of the values at or below it', t => {
	t.is(nearestRank([1, 2, 3, 4], 50), 2);
	t.is(nearestRank([1, 2, 3, 4], 95), 4);
	t.is(nearestRank([7], 50), 7);
	t.is(nearestRank(Float64Array.from({length: 100}, (_, index) => index + 1), 95), 95);
	t.is(nearestRank(Float64Array.from({length: 20}, (_, index) => index + 1), 95), 19);
	t.true(Number.isNaN(nearestRank([], 50)));
});

test('sortRows() - largest first by the column, ties by self time then name; names A to Z; limit', t => {
	const row = (name, calls, self) => ({name, calls, total: self, self, mean: 0, p50: 0, p95: 0, max: 0});
	const rows = [row('b', 1, 5), row('a', 3, 5), row('c', 3, 9)];
	t.deepEqual(sortRows(rows, 'self').map(({name}) => name), ['c', 'a', 'b']);
	t.deepEqual(sortRows(rows, 'calls').map(({name}) => name), ['c', 'a', 'b']);
	t.deepEqual(sortRows(rows, 'name').map(({name}) => name), ['a', 'b', 'c']);
	t.deepEqual(sortRows(rows, 'self', 2).map(({name}) => name), ['c', 'a']);
	t.deepEqual(rows.map(({name}) => name), ['b', 'a', 'c'], 'the input is not sorted in place');
});

test('random traces: self and total match a brute-force count, whatever the file order and sign of timestamps', t => {
	// A small deterministic generator (xorshift), so a failure can be replayed.
	let seed = 0x9E_37_79_B9;
	const random = limit => {
		seed ^= seed << 13;
		seed ^= seed >>> 17;
		seed ^= seed << 5;
		return (seed >>> 0) % limit;
	};

	for (let round = 0; round < 30; round++) {
		const events = [];
		for (let index = 0, count = 1 + random(60); index < count; index++) {
			// Integer microseconds from -100 to 100, on three tracks, five functions.
			events.push({ph: 'X', name: `f${random(5)}`, pid: 1, tid: random(3), ts: random(200) - 100, dur: random(40)});
		}

		const collector = new SpanCollector();
		collector.add(events);
		const rows = computeFunctionStats(collector.spans, collector.names, collector.trackCount);

		// Brute force, one 1 µs cell at a time: the cell belongs to the covering
		// span that started last (on equal starts the shorter one, on equal spans
		// the later in the file); total counts cells covered by any call.
		const self = {};
		const total = {};
		for (const tid of [0, 1, 2]) {
			const spans = events.map((event, index) => ({...event, index})).filter(event => event.tid === tid);
			for (let cell = -100; cell < 140; cell++) {
				const covering = spans.filter(span => span.ts <= cell && cell + 1 <= span.ts + span.dur);
				if (covering.length === 0) {
					continue;
				}

				covering.sort((a, b) => (a.ts - b.ts) || (b.dur - a.dur) || (a.index - b.index));
				const innermost = covering.at(-1);
				self[innermost.name] = (self[innermost.name] ?? 0) + 1;
				for (const name of new Set(covering.map(span => span.name))) {
					total[name] = (total[name] ?? 0) + 1;
				}
			}
		}

		for (const row of rows) {
			const durations = events.filter(event => event.name === row.name).map(event => event.dur).sort((a, b) => a - b);
			t.is(row.calls, durations.length, `round ${round}: ${row.name} calls`);
			t.is(row.self, self[row.name] ?? 0, `round ${round}: ${row.name} self`);
			t.is(row.total, total[row.name] ?? 0, `round ${round}: ${row.name} total`);
			t.is(row.max, durations.at(-1));
			t.is(row.p50, durations[Math.ceil(durations.length / 2) - 1]);
		}
	}
});
