// The incremental splitter behind `viztracer stats` and `vizviewer --filter`:
// whatever the chunk boundaries, it must hand over exactly the events that
// JSON.parse finds, in order, and the other top-level values.
import fs from 'node:fs';
import path from 'node:path';
import test from 'ava';
import {TraceEventSplitter, TraceSyntaxError} from '../../dist/trace-file/trace-event-splitter.js';
import {fixturesDir} from '../helpers/exec.js';

const fixtureText = name => fs.readFileSync(path.join(fixturesDir, 'stats', name), 'utf8');

/** Feeds `text` in chunks of `size` characters; returns the events and other values. */
function split(text, size) {
	const events = [];
	const splitter = new TraceEventSplitter(batch => {
		events.push(...batch);
	});
	for (let index = 0; index < text.length; index += size) {
		splitter.push(text.slice(index, index + size));
	}

	splitter.end();
	return {events, other: splitter.other, sawEvents: splitter.sawEvents};
}

for (const name of ['awkward.json', 'nested.json', 'begin-end.json']) {
	test(`${name}: the same events and values as JSON.parse, for every chunk size from 1 to the whole file`, t => {
		const text = fixtureText(name);
		const {traceEvents, ...other} = JSON.parse(text);
		for (let size = 1; size <= text.length; size = size < 40 ? size + 1 : size * 2) {
			const result = split(text, size);
			t.deepEqual(result.events, traceEvents, `chunks of ${size}`);
			t.deepEqual(result.other, other, `chunks of ${size}`);
		}

		t.deepEqual(split(text, text.length).events, traceEvents);
	});
}

test('the JSON Array Format, closed or not, with every chunk size', t => {
	const text = fixtureText('array-format.json');
	const expected = JSON.parse(`${text.trim().replace(/,$/, '')}]`);
	for (let size = 1; size <= text.length; size++) {
		t.deepEqual(split(text, size).events, expected, `open, chunks of ${size}`);
		t.deepEqual(split(`${text.trim().replace(/,$/, '')}]\n`, size).events, expected, `closed, chunks of ${size}`);
	}
});

test('a byte order mark, an empty events array and an object without traceEvents', t => {
	t.deepEqual(split('\uFEFF{"traceEvents":[]}', 3), {events: [], other: {}, sawEvents: true});
	t.deepEqual(split('{"a":1,"b":"x"}', 2), {events: [], other: {a: 1, b: 'x'}, sawEvents: false});
	t.deepEqual(split('{}', 1), {events: [], other: {}, sawEvents: false});
	t.deepEqual(split('{"traceEvents":{"not":"an array"}}', 4), {events: [], other: {traceEvents: {not: 'an array'}}, sawEvents: false});
});

test('errors name what is wrong and where', t => {
	const cases = [
		['', /the file is empty/],
		['{"traceEvents":[{"a":1}', /ends before the JSON does/],
		['[{"a":1},{"b"', /the last event is cut off/],
		['{"traceEvents":[{"a":1}]} trailing', /unexpected text after the end of the trace \(at character 26\)/],
		['{"traceEvents":[{"a":}]}', /invalid JSON in traceEvents/],
		['{"traceEvents":[{"a":1}}]}', /unbalanced `}`/],
		['{"x" 1}', /expected `:`/],
		['{"x":1 "y":2}', /expected `,` or `}`/],
		['{"x":tru}', /invalid JSON in "x"/],
		['{1:2}', /expected a key/],
	];
	for (const [text, message] of cases) {
		const error = t.throws(() => split(text, 5), {instanceOf: TraceSyntaxError}, text);
		t.regex(error.message, message, text);
	}
});

test('streams: each event is handed over as soon as its text is complete, not at the end', t => {
	const event = JSON.stringify({ph: 'X', name: 'x'.repeat(100), pid: 1, tid: 1, ts: 0, dur: 1});
	let count = 0;
	const splitter = new TraceEventSplitter(batch => {
		count += batch.length;
	});
	splitter.push('{"traceEvents":[');
	for (let index = 0; index < 1000; index++) {
		const text = index === 0 ? event : `,${event}`;
		splitter.push(text.slice(0, 50));
		t.is(count, index, 'half an event is held back');
		splitter.push(text.slice(50));
		if (count !== index + 1) {
			t.fail(`event ${index} was not handed over once complete`);
		}
	}

	splitter.push(']}');
	splitter.end();
	t.is(count, 1000);
});
