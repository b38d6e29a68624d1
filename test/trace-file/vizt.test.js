// The compact .vizt format: written by save() and `-o x.vizt`, read by every
// reader (stats, combine, convert, vizviewer), the same events as the JSON.
import fs from 'node:fs';
import path from 'node:path';
import test from 'ava';
import {VizTracer} from '../../dist/index.js';
import {convertTrace} from '../../dist/trace-file/convert.js';
import {TraceFileReader} from '../../dist/trace-file/read-trace-sync.js';
import {ViztDecoder} from '../../dist/trace-file/vizt-reader.js';
import {fixturesDir, readTrace, run, runCli, temporaryDirectory} from '../helpers/exec.js';
import {request, runViewer, startViewer} from '../viewer/_helpers.js';

const directory = temporaryDirectory();

function decode(file) {
	const events = [];
	const decoder = new ViztDecoder(batch => events.push(...batch));
	decoder.push(fs.readFileSync(file));
	decoder.end();
	return {events, metadata: JSON.parse(decoder.metadataText), truncated: decoder.truncated};
}

/** A trace with every kind of entry: spans (plain, with args, on extra rows), instants, counters, objects, flows. */
function recordMixedTrace(spans = 20_000) {
	const tracer = new VizTracer({verbose: 0, tracerEntries: spans * 2});
	tracer.start();
	const work = tracer.wrap(function work(value) {
		return value + 1;
	});
	for (let index = 0; index < spans; index++) {
		work(index);
	}

	tracer.logInstant('marker', {at: 'middle'});
	tracer.logCounter('memory', {used: 12, free: 3.5});
	tracer.logEvent('with args', () => undefined, {args: {n: 1, text: 'é ✓ 𝄞'}});
	tracer.stop();
	return tracer;
}

test.serial('save() to .vizt holds the same events and metadata as the JSON, in at most 16 bytes per plain span', t => {
	const tracer = recordMixedTrace();
	const json = path.join(directory, 'mixed.json');
	const vizt = path.join(directory, 'mixed.vizt');
	tracer.save(json);
	tracer.save(vizt);
	const expected = JSON.parse(fs.readFileSync(json, 'utf8'));
	const {events, metadata, truncated} = decode(vizt);
	t.false(truncated);
	t.deepEqual(events, expected.traceEvents);
	t.deepEqual(metadata, {viztracer_metadata: metadata.viztracer_metadata, displayTimeUnit: expected.displayTimeUnit});
	t.is(metadata.viztracer_metadata.version, expected.viztracer_metadata.version);
	const spans = expected.traceEvents.filter(event => event.ph === 'X').length;
	const bytesPerSpan = fs.statSync(vizt).size / spans;
	t.true(bytesPerSpan <= 16, `${bytesPerSpan.toFixed(2)} bytes per span`);
	t.true(fs.statSync(json).size / spans > 60, 'the JSON is several times bigger');
});

test.serial('JSON → .vizt → JSON gives the same bytes for our traces, and the same events for any Chrome trace', t => {
	const tracer = recordMixedTrace(2000);
	const json = path.join(directory, 'round.json');
	tracer.save(json);
	const vizt = path.join(directory, 'round.vizt');
	const back = path.join(directory, 'round-back.json');
	t.is(convertTrace(json, vizt), JSON.parse(fs.readFileSync(json, 'utf8')).traceEvents.length);
	convertTrace(vizt, back);
	t.is(fs.readFileSync(back, 'utf8'), fs.readFileSync(json, 'utf8'));

	// Foreign events: B/E pairs, times finer than a nanosecond, extra keys, odd ids: kept as they are.
	const foreign = {
		traceEvents: [
			{ph: 'B', name: 'begin', pid: 1, tid: 2, ts: 10},
			{ph: 'E', name: 'begin', pid: 1, tid: 2, ts: 20.0004},
			{ph: 'X', name: 'fine', pid: 1, tid: 2, ts: 1.23456, dur: 2, cat: 'FEE'},
			{ph: 'X', name: 'extra', pid: 1, tid: 2, ts: 3, dur: 1, cat: 'FEE', args: {a: [1, 2]}},
			{ph: 'X', name: 'other cat', pid: 1, tid: 2, ts: 4, dur: 1, cat: 'mine'},
			{ph: 'X', name: 'negative pid', pid: -1, tid: 2, ts: 5, dur: 1, cat: 'FEE'},
			{ph: 'X', name: 'plain', pid: 7, tid: 8, ts: 6, dur: 0.001, cat: 'FEE'},
			{ph: 'C', name: 'counter', pid: 1, tid: 2, ts: 7, args: {v: 1}},
		],
		displayTimeUnit: 'ms',
		viztracer_metadata: {version: '0.0.1', overflow: false, baseTimeNanoseconds: 1_700_000_000_000_000_000},
		otherData: {note: 'kept'},
	};
	const foreignJson = path.join(directory, 'foreign.json');
	fs.writeFileSync(foreignJson, JSON.stringify(foreign));
	const foreignVizt = path.join(directory, 'foreign.vizt');
	const foreignBack = path.join(directory, 'foreign-back.json');
	convertTrace(foreignJson, foreignVizt);
	convertTrace(foreignVizt, foreignBack);
	const result = JSON.parse(fs.readFileSync(foreignBack, 'utf8'));
	t.deepEqual(result.traceEvents, foreign.traceEvents);
	t.deepEqual(result.otherData, foreign.otherData);
	t.is(result.displayTimeUnit, 'ms');
	t.regex(fs.readFileSync(foreignBack, 'utf8'), /"baseTimeNanoseconds":1700000000000000000\b/);
});

test.serial('a .vizt file cut short reads up to the cut and says it was cut', t => {
	const tracer = recordMixedTrace(5000);
	const vizt = path.join(directory, 'cut.vizt');
	tracer.save(vizt);
	const whole = decode(vizt).events;
	const bytes = fs.readFileSync(vizt);
	const readCut = length => {
		const cut = path.join(directory, `cut-${length}.vizt`);
		fs.writeFileSync(cut, bytes.subarray(0, length));
		const reader = new TraceFileReader(cut);
		const events = [];
		for (let batch = reader.nextBatch(); batch !== undefined; batch = reader.nextBatch()) {
			events.push(...batch);
		}

		return {events, truncated: reader.truncated};
	};

	// Wherever the cut falls, what comes before it reads.
	for (const length of [Math.floor(bytes.length / 2), Math.floor(bytes.length / 2) + 1, Math.floor(bytes.length / 2) + 2]) {
		const {events} = readCut(length);
		t.true(events.length > 1000 && events.length < whole.length, `${events.length} of ${whole.length}`);
		t.deepEqual(events, whole.slice(0, events.length));
	}

	// The last record is an event's JSON: one byte off cuts it.
	const {events, truncated} = readCut(bytes.length - 1);
	t.true(truncated);
	t.is(events.length, whole.length - 1);
	t.false(readCut(bytes.length).truncated);
});

test('a file that is not .vizt, or of another version, is one clear line from stats and convert', async t => {
	const wrongVersion = path.join(directory, 'v9.vizt');
	fs.writeFileSync(wrongVersion, Buffer.from([0x56, 0x49, 0x5A, 0x54, 0x09, 0x01, 0x00]));
	const stats = await runCli(['stats', wrongVersion]);
	t.is(stats.code, 1);
	t.is(stats.stderr.trim().split('\n').length, 1, stats.stderr);
	t.regex(stats.stderr, /version 9/);

	const unknownRecord = path.join(directory, 'garbage.vizt');
	fs.writeFileSync(unknownRecord, Buffer.from([0x56, 0x49, 0x5A, 0x54, 0x01, 0x7F, 0x00]));
	const convert = await runCli(['convert', unknownRecord, path.join(directory, 'garbage.json')]);
	t.is(convert.code, 1);
	t.regex(convert.stderr, /^viztracer convert: .*garbage\.vizt.*unknown type 0x7f/);
	t.is(convert.stderr.trim().split('\n').length, 1, convert.stderr);
	t.false(fs.existsSync(path.join(directory, 'garbage.json')));

	const badName = await runCli(['convert', wrongVersion, path.join(directory, 'out.txt')]);
	t.is(badName.code, 2);
	t.regex(badName.stderr, /expected an output name ending in/);
});

test('viztracer -o x.vizt traces a script; stats reads it as it reads the JSON, and convert makes that JSON', async t => {
	const fixture = path.join(fixturesDir, 'cli', 'nested.mjs');
	const vizt = path.join(directory, 'cli.vizt');
	const traced = await runCli(['-o', vizt, fixture]);
	t.is(traced.code, 0, traced.stderr);
	t.regex(traced.stderr, /saved \d+ entries to .*cli\.vizt/);
	t.regex(traced.stderr, /viztracer convert/);
	const json = path.join(directory, 'cli.json');
	const converted = await runCli(['convert', vizt, json]);
	t.is(converted.code, 0, converted.stderr);
	const trace = await readTrace(json);
	t.true(trace.traceEvents.some(event => event.ph === 'X' && event.name.includes('nested.mjs')));
	const [fromVizt, fromJson] = await Promise.all([runCli(['stats', '--json', vizt]), runCli(['stats', '--json', json])]);
	t.is(fromVizt.code, 0, fromVizt.stderr);
	t.deepEqual(JSON.parse(fromVizt.stdout), JSON.parse(fromJson.stdout));
});

test('vizviewer serves a .vizt trace as the Chrome JSON the viewer reads', async t => {
	const tracer = recordMixedTrace(1000);
	const vizt = path.join(directory, 'served.vizt');
	const json = path.join(directory, 'served.json');
	tracer.save(vizt);
	tracer.save(json);
	const viewer = await startViewer(['--no-open', '--port', '0', vizt]);
	try {
		const response = await request(viewer.url, '/trace/served.vizt');
		t.is(response.status, 200);
		t.regex(String(response.headers['content-type']), /application\/json/);
		t.is(response.body.toString('utf8'), fs.readFileSync(json, 'utf8'));
	} finally {
		viewer.child.kill();
		await viewer.exited;
	}
});

test('combine reads .vizt traces', async t => {
	const tracer = recordMixedTrace(500);
	const vizt = path.join(directory, 'combine-a.vizt');
	const json = path.join(directory, 'combine-b.json');
	tracer.save(vizt);
	tracer.save(json);
	const output = path.join(directory, 'combined.vizt');
	const result = await runCli(['--combine', vizt, json, '-o', output]);
	t.is(result.code, 0, result.stderr);
	const {events} = decode(output);
	const single = JSON.parse(fs.readFileSync(json, 'utf8')).traceEvents.length;
	t.is(events.length, single * 2);
	const readBack = await runCli(['stats', output]);
	t.is(readBack.code, 0, readBack.stderr);
});

test('saving more JSON than browser viewers load well says so, and points at .vizt', async t => {
	const output = path.join(directory, 'big.json');
	const script = `
const {VizTracer} = await import(${JSON.stringify(new URL('../../dist/index.js', import.meta.url).href)});
const tracer = new VizTracer({verbose: 1, tracerEntries: 2_000_000, outputFile: ${JSON.stringify(output)}});
const work = tracer.wrap(function aFunctionWithARatherLongName(value) { return value + 1; });
tracer.start();
for (let index = 0; index < 1_600_000; index++) work(index);
tracer.stop();
tracer.save();
`;
	const result = await run(process.execPath, ['--input-type=module', '-e', script], {timeout: 120_000});
	t.teardown(() => fs.rmSync(output, {force: true}));
	t.is(result.code, 0, result.stderr);
	t.true(fs.statSync(output).size > 134_217_728);
	t.regex(result.stderr, /MB of JSON, more than browser viewers load well .*write \.vizt instead/);

	// As .vizt it is small, and vizviewer's timeline reads it directly (no JSON): no warning.
	const vizt = path.join(directory, 'big.vizt');
	t.teardown(() => fs.rmSync(vizt, {force: true}));
	convertTrace(output, vizt);
	t.true(fs.statSync(vizt).size < 20_000_000);
	const viewer = await runViewer(['--no-open', '--port', '0', '--timeout', '1', vizt]);
	t.is(viewer.code, 0, viewer.stderr);
	t.false((viewer.stdout + viewer.stderr).includes('warning'), viewer.stderr);
});

test('vizviewer --filter on a .vizt trace writes <name>.filtered.json', async t => {
	const tracer = recordMixedTrace(200);
	const vizt = path.join(directory, 'to-filter.vizt');
	tracer.save(vizt);
	const result = await runViewer(['--no-open', '--port', '0', '--timeout', '1', '--match', 'work', vizt]);
	t.is(result.code, 0, result.stderr);
	const filtered = path.join(directory, 'to-filter.filtered.json');
	const trace = await readTrace(filtered);
	t.true(trace.traceEvents.filter(event => event.ph === 'X').every(event => event.name === 'work'));
	t.is(trace.traceEvents.filter(event => event.ph === 'X').length, 200);
});

test('the decoder takes any bytes: a valid file in pieces of every size reads the same, and garbage or a cut anywhere is a ViztFormatError or an end, never a crash or a hang', t => {
	const tracer = recordMixedTrace(300);
	const file = path.join(directory, 'pieces.vizt');
	tracer.save(file);
	const bytes = fs.readFileSync(file);
	const whole = decode(file).events;
	const inPieces = size => {
		const events = [];
		const decoder = new ViztDecoder(batch => events.push(...batch));
		for (let at = 0; at < bytes.length; at += size) {
			decoder.push(bytes.subarray(at, at + size));
		}

		decoder.end();
		return events;
	};

	for (const size of [1, 2, 3, 7, 64, 1000, bytes.length]) {
		t.deepEqual(inPieces(size), whole, `pieces of ${size} bytes`);
	}

	// A big event record fed a byte at a time is gathered, not re-copied at every byte.
	const big = new VizTracer({verbose: 0});
	big.start();
	big.logInstant('big', {text: 'x'.repeat(2_000_000)});
	big.stop();
	const bigFile = path.join(directory, 'big-record.vizt');
	big.save(bigFile);
	const bigBytes = fs.readFileSync(bigFile);
	const bigEvents = [];
	const bigDecoder = new ViztDecoder(batch => bigEvents.push(...batch));
	for (let at = 0; at < bigBytes.length; at += 16) {
		bigDecoder.push(bigBytes.subarray(at, at + 16));
	}

	bigDecoder.end();
	t.is(bigEvents.find(event => event.name === 'big').args.text.length, 2_000_000);

	// Seeded noise after the header, and cuts of the valid file.
	let seed = 7;
	const random = () => {
		seed = (seed * 1_103_515_245 + 12_345) % 2_147_483_648;
		return seed / 2_147_483_648;
	};

	for (let round = 0; round < 200; round++) {
		const noise = Buffer.concat([bytes.subarray(0, 5), Buffer.from(Array.from({length: 1 + Math.floor(random() * 300)}, () => Math.floor(random() * 256)))]);
		const decoder = new ViztDecoder(() => undefined);
		try {
			decoder.push(noise);
			decoder.end();
		} catch (error) {
			t.is(error.name, 'ViztFormatError', String(error));
		}
	}

	for (let cut = 5; cut < bytes.length; cut += 37) {
		const events = [];
		const decoder = new ViztDecoder(batch => events.push(...batch));
		decoder.push(bytes.subarray(0, cut));
		decoder.end();
		t.deepEqual(events, whole.slice(0, events.length));
	}
});

test('a TRAILER names the final METADATA record: readers take it before reading any event; without one, the last METADATA read counts', t => {
	const bytes = [];
	const text = value => {
		const encoded = Buffer.from(value);
		return [encoded.length, ...encoded];
	};

	bytes.push(0x56, 0x49, 0x5A, 0x54, 0x01, 0x04, ...text('{"viztracer_metadata":{"stage":"first"}}'), 0x01, ...text('f'), 0x10, 0, 4, 2);
	const offset = bytes.length;
	bytes.push(0x04, ...text('{"viztracer_metadata":{"stage":"final"}}'), 0x05);
	for (let index = 0, rest = offset; index < 8; index++, rest = Math.floor(rest / 256)) {
		bytes.push(rest % 256);
	}

	const file = path.join(directory, 'trailer.vizt');
	fs.writeFileSync(file, Buffer.from(bytes));
	const reader = new TraceFileReader(file);
	t.deepEqual(reader.other.viztracer_metadata, {stage: 'final'}, 'known before the first batch');
	t.deepEqual(reader.nextBatch(), [{ph: 'X', name: 'f', pid: 0, tid: 0, ts: 0, dur: 0.002, cat: 'FEE'}]);
	t.is(reader.nextBatch(), undefined);
	t.false(reader.truncated);

	// Cut inside the trailer (a crash): the last METADATA read counts.
	const cut = path.join(directory, 'cut.vizt');
	fs.writeFileSync(cut, Buffer.from(bytes.slice(0, bytes.length - 3)));
	const partial = new TraceFileReader(cut);
	t.is(partial.nextBatch().length, 1);
	t.is(partial.nextBatch(), undefined);
	t.deepEqual(partial.other.viztracer_metadata, {stage: 'final'});
	t.true(partial.truncated);
});

test('ARGS and ARGSPAN records: spans carry the last args record\'s args; args that are not an object, or a span before any, are format errors', t => {
	const header = [0x56, 0x49, 0x5A, 0x54, 0x01];
	const text = value => [Buffer.byteLength(value), ...Buffer.from(value)];
	const string = [0x01, ...text('handle')];
	const args = value => [0x06, ...text(value)];
	// name 0, end delta +2000 ns (zigzag 4000), duration 1000 ns, depth + 1.
	const argsSpan = depthPlusOne => [0x12, 0x00, 0xA0, 0x1F, 0xE8, 0x07, depthPlusOne];
	const decodeBytes = (bytes, options) => {
		const events = [];
		const decoder = new ViztDecoder(batch => events.push(...batch), options);
		decoder.push(Uint8Array.from(bytes));
		decoder.end();
		return events;
	};

	const events = decodeBytes([...header, ...string, ...args('{"request":4}'), ...argsSpan(3), ...argsSpan(0), ...args('{"request":5}'), ...argsSpan(1)], {spanDepths: true});
	t.deepEqual(events.map(event => [event.ts, event.dur, event.args, event[Symbol.for('viztracer.spanDepth')]]), [[1, 1, {request: 4}, 2], [3, 1, {request: 4}, undefined], [5, 1, {request: 5}, 0]]);
	t.deepEqual(decodeBytes([...header, ...string, ...args('{"request":4}'), ...argsSpan(1)], {json: true}), ['{"ph":"X","name":"handle","pid":0,"tid":0,"ts":1,"dur":1,"cat":"FEE","args":{"request":4}}']);
	t.throws(() => decodeBytes([...header, ...string, ...argsSpan(1)]), {name: 'ViztFormatError', message: 'a span with args comes before any args record'});
	t.throws(() => decodeBytes([...header, ...args('[1]')]), {name: 'ViztFormatError', message: 'an args record holds no JSON object'});
	t.throws(() => decodeBytes([...header, ...args('{')]), {name: 'ViztFormatError', message: /^an args record holds no JSON/});
});
