// The synchronous streaming reader behind --combine and the merge of child
// traces: it holds one chunk of text at a time, whatever the file's size.
import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';
import test from 'ava';
import {VizTracerInvalidTraceError, VizTracerTraceNotFoundError, VizTracerTraceUnreadableError} from '../../dist/index.js';
import {baseTimeOfTrace, memberText, readTraceSync, TraceFileReader} from '../../dist/trace-file/read-trace-sync.js';
import {TraceEventSplitter} from '../../dist/trace-file/trace-event-splitter.js';
import {temporaryDirectory} from '../helpers/exec.js';

const directory = temporaryDirectory();
const eventCount = 20_000;

function writeBigTrace(name) {
	const events = [];
	for (let index = 0; index < eventCount; index++) {
		// Names with multi-byte characters and escapes, so chunks split them.
		events.push(`{"ph":"X","name":"é \\"${index}\\" 𝄞","pid":1,"tid":1,"ts":${index},"dur":1}`);
	}

	const text = `{"traceEvents":[${events.join(',\n')}],"viztracer_metadata":{"version":"0.1.0","overflow":false,"baseTimeNanoseconds":1795652466763168123}}`;
	const file = path.join(directory, name);
	fs.writeFileSync(file, name.endsWith('.gz') ? zlib.gzipSync(text) : text);
	return {file, characters: text.length};
}

/** Reads `file` with `chunkBytes`, recording every piece of text the splitter is given. */
function readWithSpy(file, chunkBytes) {
	const pieces = [];
	const push = TraceEventSplitter.prototype.push;
	TraceEventSplitter.prototype.push = function (chunk) {
		pieces.push(chunk.length);
		return push.call(this, chunk);
	};

	const names = [];
	let batches = 0;
	let reader;
	try {
		reader = readTraceSync(file, batch => {
			batches++;
			for (const event of batch) {
				names.push(event.name);
			}
		}, {chunkBytes, keepText: ['viztracer_metadata']});
	} finally {
		TraceEventSplitter.prototype.push = push;
	}

	return {pieces, names, batches, reader};
}

for (const name of ['big.json', 'big.json.gz']) {
	test(`${name}: read in pieces no longer than the chunk, all events in order`, t => {
		const {file, characters} = writeBigTrace(name);
		const chunkBytes = 4096;
		t.true(characters > chunkBytes * 100);
		const {pieces, names, batches, reader} = readWithSpy(file, chunkBytes);
		t.true(pieces.length > 100, `${pieces.length} pieces`);
		t.true(Math.max(...pieces) <= chunkBytes, 'no piece longer than a chunk');
		t.is(pieces.reduce((sum, length) => sum + length, 0), characters, 'every character once');
		t.true(batches > 100, `${batches} batches`);
		t.is(names.length, eventCount);
		t.is(names[0], 'é "0" 𝄞');
		t.is(names.at(-1), `é "${eventCount - 1}" 𝄞`);
		t.is(baseTimeOfTrace(reader.other, reader.rawText), '1795652466763168123');
	});
}

test('TraceFileReader hands over batches on demand, so a writer can interleave them', t => {
	const {file} = writeBigTrace('pull.json');
	const reader = new TraceFileReader(file, {chunkBytes: 1024});
	const first = reader.nextBatch();
	t.true(first.length > 0 && first.length < eventCount);
	reader.close();
	t.is(reader.nextBatch(), undefined);
});

test('memberText() finds a top-level member only, as written', t => {
	const json = '{"nested":{"baseTimeNanoseconds":1},"text":"\\"baseTimeNanoseconds\\":2","list":[{"baseTimeNanoseconds":3}],"baseTimeNanoseconds":1795652466763168123,"after":true}';
	t.is(memberText(json, 'baseTimeNanoseconds'), '1795652466763168123');
	t.is(memberText(json, 'text'), '"\\"baseTimeNanoseconds\\":2"');
	t.is(memberText(json, 'nested'), '{"baseTimeNanoseconds":1}');
	t.is(memberText(json, 'after'), 'true');
	t.is(memberText(json, 'missing'), undefined);
	t.is(memberText(' { "a" : 12 } ', 'a'), '12');
});

test('baseTimeOfTrace() - exact from the metadata text, else from the parsed value', t => {
	t.is(baseTimeOfTrace({viztracer_metadata: {baseTimeNanoseconds: 1}}, {viztracer_metadata: '{"baseTimeNanoseconds":1795652466763168123}'}), '1795652466763168123');
	t.is(baseTimeOfTrace({viztracer_metadata: {baseTimeNanoseconds: '1795652466763168123'}}, {}), '1795652466763168123');
	t.is(baseTimeOfTrace({viztracer_metadata: {baseTimeNanoseconds: 1000}}, {}), '1000');
	t.is(baseTimeOfTrace({}, {}), undefined);
	t.is(baseTimeOfTrace({viztracer_metadata: null}, {}), undefined);
});

test('errors name the file: missing, a directory, not a trace', t => {
	const missing = path.join(directory, 'nope.json');
	t.throws(() => readTraceSync(missing, () => {}), {instanceOf: VizTracerTraceNotFoundError, message: `Cannot find the trace ${missing}`});
	const onDirectory = t.throws(() => readTraceSync(directory, () => {}), {instanceOf: VizTracerTraceUnreadableError, message: `Cannot read the trace ${directory}: it is a directory, not a file`});
	t.true(onDirectory instanceof VizTracerInvalidTraceError, 'an unreadable trace is an invalid one too');
	const cut = path.join(directory, 'cut.json');
	fs.writeFileSync(cut, '{"traceEvents":[{"ph":"X"}');
	t.throws(() => readTraceSync(cut, () => {}), {instanceOf: VizTracerInvalidTraceError, message: /cut\.json is not a valid trace: the file ends before the JSON does/});
	const noEvents = path.join(directory, 'no-events.json');
	fs.writeFileSync(noEvents, '{"a":1}');
	t.throws(() => readTraceSync(noEvents, () => {}), {instanceOf: VizTracerInvalidTraceError, message: /it has no traceEvents array/});
});

test('the structural pass (parseEvents: false) parses no event but still reads the metadata', t => {
	const {file} = writeBigTrace('structure.json');
	const parse = JSON.parse;
	let parsedBatches = 0;
	JSON.parse = (text, ...rest) => {
		if (text.startsWith('[')) {
			parsedBatches++;
		}

		return parse(text, ...rest);
	};

	let reader;
	try {
		reader = readTraceSync(file, () => {
			t.fail('no events are handed over');
		}, {parseEvents: false, keepText: ['viztracer_metadata']});
	} finally {
		JSON.parse = parse;
	}

	t.is(parsedBatches, 0);
	t.is(baseTimeOfTrace(reader.other, reader.rawText), '1795652466763168123');
});
