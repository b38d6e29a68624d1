// Unbounded recording: a ring in SharedArrayBuffers whose full chunks a
// writer thread appends to a .vizt file, and the save that makes the output
// of it. Small rings and chunks here, so every path (hand-off, waiting for
// room, clear, failure) runs in a few milliseconds.
import fs from 'node:fs';
import path from 'node:path';
import {threadId} from 'node:worker_threads';
import test from 'ava';
import {VizTracer, VizTracerTraceTooLargeError} from '../../dist/index.js';
import {EntryKind, RingBuffer, trackShift} from '../../dist/core/ring-buffer.js';
import {StringTable} from '../../dist/core/string-table.js';
import {TraceFileReader} from '../../dist/trace-file/read-trace-sync.js';
import {RingStreamer, streamFileFor} from '../../dist/trace-file/ring-streamer.js';
import {recorderKey} from '../../dist/tracer/tracer.js';
import {streamingTraceStats} from '../../dist/stats/trace-stats.js';
import {fixturesDir, readTrace, runCli, temporaryDirectory, withSubprocessSlot} from '../helpers/exec.js';

const directory = temporaryDirectory();
const info = {pid: 7, tid: 7, processName: 'p', threadName: 'MainThread', isMainThread: true};

function readEvents(file, options) {
	const reader = new TraceFileReader(file, options);
	const events = [];
	for (let batch = reader.nextBatch(); batch !== undefined; batch = reader.nextBatch()) {
		events.push(...batch);
	}

	return {events, other: reader.other, truncated: reader.truncated};
}

/** Records `count` spans named `name` through the tracer's recorder: the cheapest way to fill a ring many times over. */
function recordSpans(tracer, count, name = 'work') {
	const recorder = tracer[recorderKey];
	const id = recorder.intern(name);
	for (let index = 0; index < count; index++) {
		recorder.enter(id);
		recorder.exit();
	}
}

/** Pushes `count` plain spans named `name` into `ring`, the n-th from n to n + 1 ms. */
function pushSpans(ring, strings, count, name) {
	const id = strings.intern(name);
	for (let index = 0; index < count; index++) {
		ring.push(id, index, index + 1, EntryKind.span);
	}
}

/** The spans in the first `bytes` of a `.vizt` file. */
const spansIn = (file, bytes) => readEvents(file, {end: bytes}).events.filter(event => event.ph === 'X');

function streamerFor(name, {entries = 1024, chunk = 64} = {}) {
	const ring = new RingBuffer(entries, true);
	const strings = new StringTable();
	const tracks = [''];
	const file = path.join(directory, name);
	const streamer = new RingStreamer(ring, strings, () => tracks, {file, info, metadataJson: '{"viztracer_metadata":{"version":"x","overflow":false},"displayTimeUnit":"ns"}', chunkEntries: chunk});
	return {ring, strings, tracks, file, streamer};
}

test('every entry of a recording many times the ring\'s size reaches the file, in order, with names, payloads and rows', t => {
	const {ring, strings, tracks, file, streamer} = streamerFor('many.vizt');
	const names = [strings.intern('a'), strings.intern('b')];
	tracks.push('async');
	const laneMeta = EntryKind.span | (1 << trackShift);
	const spans = 20_000;
	for (let index = 0; index < spans; index++) {
		// Each name appears first well after the writer started: strings go with the chunks that need them.
		const name = index === 15_000 ? strings.intern('late') : names[index % 2];
		ring.push(name, index / 1000, (index + 0.5) / 1000, EntryKind.span);
		if (index % 1000 === 0) {
			ring.pushWithPayload(names[0], index / 1000, index / 1000, EntryKind.instant, {index, text: 'é'});
		}

		if (index % 500 === 0) {
			// Overlapping async lifetimes: they need two rows.
			ring.push(names[1], index / 1000, (index + 600) / 1000, laneMeta);
		}
	}

	t.true(streamer.streaming, 'the writer got chunks while recording');
	const flushed = streamer.flush();
	t.is(streamer.failure, undefined);
	t.is(flushed.entries, ring.head);
	t.is(ring.size, 0, 'nothing is left in the ring after a flush');
	const {events} = readEvents(file, {end: flushed.bytes});
	const spanEvents = events.filter(event => event.ph === 'X' && event.cat === 'FEE' && event.tid === 7);
	t.is(spanEvents.length, spans);
	t.deepEqual(spanEvents.slice(0, 3).map(event => [event.name, event.ts, event.dur]), [['a', 0, 0.5], ['b', 1, 0.5], ['a', 2, 0.5]]);
	t.is(spanEvents[15_000].name, 'late');
	const instants = events.filter(event => event.ph === 'i');
	t.is(instants.length, spans / 1000);
	t.deepEqual(instants[3].args, {index: 3000, text: 'é'});
	const lifetimes = events.filter(event => event.ph === 'X' && event.tid !== 7);
	t.is(lifetimes.length, spans / 500);
	const rows = new Map();
	for (const event of lifetimes) {
		const previous = rows.get(event.tid);
		t.true(previous === undefined || previous.ts + previous.dur <= event.ts, 'no two lifetimes on a row overlap');
		rows.set(event.tid, event);
	}

	t.is(rows.size, 2);
	const rowNames = events.filter(event => event.ph === 'M' && event.name === 'thread_name').map(event => event.args.name);
	t.deepEqual(rowNames, ['MainThread', 'async 1 (MainThread)', 'async 2 (MainThread)']);
	streamer.close();
	t.false(fs.existsSync(file), 'closing removes the file');
});

test('spans tagged with a shared frozen context stream as compact span records carrying it, exactly as JSON would say', t => {
	const {ring, strings, file, streamer} = streamerFor('tagged.vizt');
	const name = strings.intern('handle');
	const depthOne = EntryKind.span | (2 << 16);
	const contexts = [Object.freeze({request: 1}), Object.freeze({request: 2})];
	const spans = 5000;
	for (let index = 0; index < spans; index++) {
		// Runs of each request's spans, interleaved, and now and then a span with its own args.
		const context = contexts[Math.floor(index / 7) % 2];
		if (index % 100 === 0) {
			ring.pushWithPayload(name, index / 1000, (index + 0.5) / 1000, depthOne, {func_args: {x: String(index)}, ...context});
		} else {
			ring.pushWithPayload(name, index / 1000, (index + 0.5) / 1000, depthOne, context);
		}
	}

	const flushed = streamer.flush();
	t.is(streamer.failure, undefined);
	const {events} = readEvents(file, {end: flushed.bytes, spanDepths: true});
	const tagged = events.filter(event => event.ph === 'X');
	t.is(tagged.length, spans);
	for (const [index, event] of tagged.entries()) {
		const request = (Math.floor(index / 7) % 2) + 1;
		t.deepEqual(event.args, index % 100 === 0 ? {func_args: {x: String(index)}, request} : {request});
		t.is(event.ts, index);
	}

	t.is(tagged[5][Symbol.for('viztracer.spanDepth')], 1, 'the depth is kept');
	t.not(tagged[1].args, tagged[2].args, 'each event its own args object');
	// As JSON text: the same bytes the JSON writer makes of such a span.
	const texts = readEvents(file, {end: flushed.bytes, viztJson: true}).events.filter(text => text.includes('"handle"'));
	t.is(texts[1], '{"ph":"X","name":"handle","pid":7,"tid":7,"ts":1,"dur":0.5,"cat":"FEE","args":{"request":1}}');
	// A span record and an args record per run of seven, not a JSON event per span: a few bytes a span.
	t.true(flushed.bytes < spans * 12, `${flushed.bytes} bytes for ${spans} spans`);
	streamer.close();
});

test('the ring never overwrites what the writer has not written: the recording waits instead', t => {
	// A ring of 4 chunks and a burst far beyond it: the writer must keep up or the thread waits.
	const {ring, strings, file, streamer} = streamerFor('burst.vizt', {entries: 256, chunk: 64});
	pushSpans(ring, strings, 200_000, 'x');
	const spans = spansIn(file, streamer.flush().bytes);
	t.is(spans.length, 200_000);
	t.true(spans.every((event, index) => event.ts === index * 1000), 'every entry, in order, none overwritten');
	t.true(streamer.waits > 0, 'the recording waited for the writer');
	streamer.close();
});

test('clear() starts the file again', t => {
	const {ring, strings, file, streamer} = streamerFor('clear.vizt');
	pushSpans(ring, strings, 5000, 'before');
	ring.clear();
	streamer.clear();
	pushSpans(ring, strings, 3000, 'after');
	const spans = spansIn(file, streamer.flush().bytes);
	t.is(spans.length, 3000);
	t.true(spans.every(event => event.name === 'after'));
	streamer.close();
});

test('a writer that cannot make its file leaves the ring keeping the newest entries, and says why', t => {
	const {ring, strings, file, streamer} = streamerFor('taken.vizt');
	// Someone else's file (or link) under the writer's name: it is never written through.
	fs.writeFileSync(file, 'not ours');
	pushSpans(ring, strings, 5000, 'x');

	streamer.flush();
	t.regex(streamer.failure, /EEXIST/);
	t.is(ring.size, ring.capacity, 'the ring holds its newest entries');
	t.is(ring.starts[ring.firstSlot], 5000 - ring.capacity);
	t.is(fs.readFileSync(file, 'utf8'), 'not ours');
	streamer.close();
});

test('an unbounded tracer streams past its ring and saves every entry, as JSON and as .vizt', t => {
	const output = path.join(directory, 'tracer.json');
	const tracer = new VizTracer({verbose: 0, outputFile: output});
	tracer.start();
	const spans = 1_500_000;
	recordSpans(tracer, spans);

	tracer.logInstant('done', {spans});
	tracer.stop();
	const partial = streamFileFor(output, process.pid, threadId);
	t.true(fs.existsSync(partial), 'the recording went to a file beside the output');
	tracer.save();
	tracer.save(path.join(directory, 'tracer.vizt'));
	tracer.terminate();
	t.false(fs.existsSync(partial), 'terminate() removes it');

	for (const file of [output, path.join(directory, 'tracer.vizt')]) {
		const {events, other} = readEvents(file);
		t.is(events.filter(event => event.ph === 'X').length, spans, file);
		t.deepEqual(events.find(event => event.ph === 'i').args, {spans});
		const [recording] = other.viztracer_metadata.recording;
		t.like(recording, {recorded: spans + 1, kept: spans + 1, dropped: 0, bound: 0, streamed: true});
		t.is(typeof recording.writerWaitMs, 'number');
		t.false(other.viztracer_metadata.overflow);
	}
});

test('a handler reading traceEvents of a streamed recording gets every event, and what it adds is saved', async t => {
	const output = path.join(directory, 'plugin.json');
	const tracer = new VizTracer({verbose: 0, outputFile: output});
	tracer.on('pre-save', data => {
		data.traceEvents.push({ph: 'i', name: 'added', pid: 1, tid: 1, ts: 0, s: 'g'});
	});
	tracer.start();
	recordSpans(tracer, 600_000);

	tracer.stop();
	t.is(tracer.data.traceEvents.filter(event => event.ph === 'X').length, 600_000);
	tracer.save();
	tracer.terminate();
	const data = await readTrace(output);
	t.is(data.traceEvents.filter(event => event.ph === 'X').length, 600_000);
	t.is(data.traceEvents.filter(event => event.name === 'added').length, 1);
});

test('a bounded tracer (tracerEntries) keeps only the newest entries and starts no writer', t => {
	const output = path.join(directory, 'bounded.json');
	const tracer = new VizTracer({verbose: 0, outputFile: output, tracerEntries: 1000});
	tracer.start();
	recordSpans(tracer, 600_000);

	tracer.stop();
	t.false(fs.existsSync(streamFileFor(output, process.pid, threadId)));
	const [recording] = tracer.data.viztracer_metadata.recording;
	t.like(recording, {recorded: 600_000, kept: 1024, dropped: 600_000 - 1024, bound: 1024});
	tracer.terminate();
});

// Whole programs through the CLI: far more calls than the ring holds.

const longRun = path.join(fixturesDir, 'trace-file', 'long-run.cjs');
const calls = 1_500_000;

async function spanCount(file) {
	const {events} = readEvents(file);
	return events.filter(event => event.ph === 'X' && event.cat === 'FEE').length;
}

for (const extension of ['json', 'vizt']) {
	test(`viztracer -o x.${extension} on a run of ${calls} calls keeps every call, and stats counts them all`, async t => {
		const output = path.join(directory, `cli-run-${extension}.${extension}`);
		const result = await withSubprocessSlot(() => runCli(['-o', output, longRun, String(calls)], {timeout: 120_000}));
		t.is(result.code, 0, result.stderr);
		t.regex(result.stdout, /^total /);
		t.regex(result.stderr, new RegExp(`saved ${calls} entries`));
		t.notRegex(result.stderr, /overflow|dropped/);
		t.is(await spanCount(output), calls);
		t.deepEqual(fs.readdirSync(directory).filter(name => name.startsWith(`cli-run-${extension}.partial`)), [], 'no partial file is left');
		const stats = await runCli(['stats', output, '--json']);
		t.is(stats.code, 0, stats.stderr);
		const rows = JSON.parse(stats.stdout);
		t.deepEqual(rows.map(row => [row.name.split(' ')[0], row.calls, row.incomplete]).sort(), [['batch', calls / 100, 0], ['leaf', calls * 0.99, 0]]);
		t.notRegex(stats.stderr, /lacks/);
	});
}

test('a streamed run that calls process.exit() still saves every call', async t => {
	const output = path.join(directory, 'exit-run.vizt');
	const result = await withSubprocessSlot(() => runCli(['-o', output, longRun, String(calls), 'exit'], {timeout: 120_000}));
	t.is(result.code, 3, result.stderr);
	t.is(await spanCount(output), calls);
});

test('a streamed run killed with SIGKILL leaves its partial .vizt, readable up to the kill', async t => {
	const output = path.join(directory, 'killed-run.json');
	let pid;
	const result = await withSubprocessSlot(() => runCli(['-o', output, longRun, String(calls), 'wait'], {
		timeout: 120_000,
		onSpawn(child) {
			pid = child.pid;
			child.stdout.on('data', chunk => {
				if (String(chunk).includes('ready')) {
					child.kill('SIGKILL');
				}
			});
		},
	}));
	t.is(result.signal, 'SIGKILL');
	t.false(fs.existsSync(output));
	const partials = fs.readdirSync(directory).filter(name => name.startsWith('killed-run.partial-'));
	t.is(partials.length, 1, `${partials}`);
	const {events, truncated} = readEvents(path.join(directory, partials[0]));
	// The ring's last, unfinished chunk died with the process; everything handed on before it is there.
	const spans = events.filter(event => event.ph === 'X').length;
	t.true(spans >= calls - (1 << 20) && spans <= calls, `${spans} spans`);
	t.false(truncated && spans === 0);
	t.true(events.some(event => event.ph === 'M' && event.name === 'process_name' && event.pid === pid));
});

test('children and workers stream too, and the parent merges their whole records', async t => {
	const output = path.join(directory, 'family.vizt');
	const childCalls = 800_000;
	const result = await withSubprocessSlot(() => runCli(['-o', output, path.join(fixturesDir, 'multiprocess', 'streaming-child.mjs'), String(childCalls)], {timeout: 180_000}));
	t.is(result.code, 0, result.stderr);
	const {events, other} = readEvents(output);
	const {recording} = other.viztracer_metadata;
	t.is(recording.length, 3, JSON.stringify(recording));
	const [, child, worker] = recording;
	for (const thread of [child, worker]) {
		t.like(thread, {dropped: 0, streamed: true});
		t.is(events.filter(event => event.ph === 'X' && event.pid === thread.pid && event.tid === thread.tid && event.name.startsWith('leaf')).length, childCalls * 0.99);
	}

	t.regex(result.stderr, new RegExp(`saved ${recording.reduce((sum, thread) => sum + thread.kept, 0)} entries`));
	// The children's spans keep their stack depths through the merge: stats can count the whole family in one pass.
	const stats = streamingTraceStats(output);
	t.truthy(stats);
	t.is(stats.functions.filter(row => row.name.startsWith('leaf')).reduce((sum, row) => sum + row.calls, 0), childCalls * 0.99 * 2);
});

test('without -o, a run too long for JSON viewers is saved as result.vizt, and the CLI says so; a short one as result.json', async t => {
	const cwd = temporaryDirectory();
	const long = await withSubprocessSlot(() => runCli([longRun, String(calls)], {cwd, timeout: 120_000}));
	t.is(long.code, 0, long.stderr);
	t.regex(long.stderr, /the run recorded 1500000 entries, about 150\.0 MB of JSON, more than browser viewers load well: writing result\.vizt instead of result\.json/);
	t.regex(long.stderr, new RegExp(`saved ${calls} entries to ${path.join(cwd, 'result.vizt').replaceAll('\\', '\\\\')}`));
	t.deepEqual(fs.readdirSync(cwd), ['result.vizt']);
	t.is(await spanCount(path.join(cwd, 'result.vizt')), calls);

	const short = await withSubprocessSlot(() => runCli([longRun, '1000'], {cwd, timeout: 120_000}));
	t.is(short.code, 0, short.stderr);
	t.true(fs.existsSync(path.join(cwd, 'result.json')));
});

test('a child killed while streaming its recording: the parent merges what the child had streamed, and says so', async t => {
	const output = path.join(directory, 'killed-family.vizt');
	const childCalls = 1_500_000;
	const result = await withSubprocessSlot(() => runCli(['-o', output, path.join(fixturesDir, 'multiprocess', 'killed-streaming-child.mjs'), String(childCalls)], {timeout: 180_000}));
	t.is(result.code, 0, result.stderr);
	t.regex(result.stdout, /child died by SIGKILL/);
	t.regex(result.stderr, /child process \d+ died while recording \(killed\?\); what it had streamed to disk was merged/);
	const {events} = readEvents(output);
	const parentPid = events.find(event => event.ph === 'M' && event.name === 'process_name' && event.args.name === 'killed-streaming-child.mjs').pid;
	const childLeaves = events.filter(event => event.ph === 'X' && event.pid !== parentPid && event.name.startsWith('leaf')).length;
	// Everything but the chunks still in the child's ring when it died.
	t.true(childLeaves > 0 && childLeaves <= childCalls * 0.99, `${childLeaves} of the child's calls`);
	t.true(childLeaves >= (childCalls * 0.99) - (1 << 20), `${childLeaves} of the child's calls`);
});

test('traceEvents of a streamed recording past 4,194,304 events throws VizTracerTraceTooLargeError, naming the count, and the trace is still saved whole', t => {
	const output = path.join(directory, 'too-large.vizt');
	const tracer = new VizTracer({verbose: 0, outputFile: output});
	tracer.start();
	recordSpans(tracer, 4_200_000);

	tracer.stop();
	const error = t.throws(() => tracer.data.traceEvents, {instanceOf: VizTracerTraceTooLargeError});
	t.is(error.code, 'VIZTRACER_TRACE_TOO_LARGE');
	t.is(error.events, 4_200_000);
	t.regex(error.message, /4200000 events, more than traceEvents hands over in memory \(4194304\)/);
	// The data itself is still saved whole.
	tracer.save();
	tracer.terminate();
	t.is(readEvents(output).events.filter(event => event.ph === 'X').length, 4_200_000);
});
