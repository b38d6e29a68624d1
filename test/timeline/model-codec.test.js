// The binary form of the model the server sends to the page: a round trip
// keeps every field, and damaged data fails with TimelineCodecError.
import test from 'ava';
import {TimelineModelBuilder} from '../../dist/timeline/model-builder.js';
import {decodeModel, encodeModel, modelCodecVersion, TimelineCodecError} from '../../dist/timeline/model-codec.js';
import {argsAt, isSliceTrack} from '../../dist/timeline/model.js';
import {concatParts} from './helpers.js';

/** A model with every kind of track, args with non-ASCII text, instants, flows, and odd-sized arrays (padding). */
function richModel({destroyed = true} = {}) {
	const builder = new TimelineModelBuilder();
	const events = [
		{ph: 'M', name: 'process_name', pid: 1, args: {name: 'main — process'}},
		{ph: 'M', name: 'thread_name', pid: 1, tid: 1, args: {name: 'main'}},
		{ph: 'M', name: 'thread_name', pid: 1, tid: 10_001, args: {name: 'Garbage collection'}},
		{ph: 'X', name: 'b (src/b.js:2:1)', ts: 20.25, dur: 10.5, pid: 1, tid: 1, args: {n: 1, s: 'ünïcødé ✓ 🎉'}},
		{ph: 'X', name: 'a (src/a.js:1:1)', ts: 10, dur: 30, pid: 1, tid: 1},
		{ph: 'X', name: 'main', ts: 0, dur: 100, pid: 1, tid: 1, args: {argv: ['x', 1, null, true]}},
		{ph: 'X', name: 'mark-sweep', ts: 50, dur: 3, pid: 1, tid: 10_001},
		{ph: 'b', name: 'request', cat: 'net', id: 1, ts: 5, pid: 1, tid: 1},
		{ph: 'e', name: 'request', cat: 'net', id: 1, ts: 55, pid: 1, tid: 1},
		{ph: 'C', name: 'memory', ts: 0, pid: 1, args: {heap: 1.5, rss: 3}},
		{ph: 'C', name: 'memory', ts: 60, pid: 1, args: {heap: 2.5}},
		{ph: 'N', name: 'Cache', id: '0x1', ts: 1, pid: 1},
		{ph: 'O', name: 'Cache', id: '0x1', ts: 2, pid: 1, args: {snapshot: {size: 3}}},
		...(destroyed ? [{ph: 'D', name: 'Cache', id: '0x1', ts: 90, pid: 1}] : []),
		{ph: 'i', name: 'global', ts: 7, pid: 1, tid: 1, s: 'g'},
		{ph: 'i', name: 'here', ts: 8, pid: 1, tid: 1, args: {why: 'test'}},
		{ph: 'i', name: 'process-wide', ts: 9, pid: 1, tid: 1, s: 'p'},
		{ph: 's', name: 'flow', cat: 'c', id: 1, ts: 25, pid: 1, tid: 1},
		{ph: 'f', name: 'flow', cat: 'c', id: 1, ts: 51, pid: 1, tid: 10_001, bp: 'e'},
		{ph: 'X', name: 'other', ts: 3, dur: 4, pid: 2, tid: 9},
		{ph: 'E', ts: 1, pid: 2, tid: 9},
	];
	for (const event of events) {
		builder.addEvent(event);
	}

	return builder.finish({title: 'rich trace ✓', displayTimeUnit: 'ns', cwd: '/home/someone/project'});
}

const roundTrip = model => decodeModel(concatParts(encodeModel(model)));

/** The model with typed arrays as plain arrays, for comparisons that ignore the array types. */
function plain(model) {
	return JSON.parse(JSON.stringify(model, (_key, value) => (ArrayBuffer.isView(value) ? {[value.constructor.name]: [...value]} : value)));
}

test('a round trip keeps every field', t => {
	const model = richModel();
	const decoded = roundTrip(model);
	t.deepEqual(decoded.metadata, model.metadata);
	t.deepEqual(decoded.strings, model.strings);
	t.deepEqual(decoded.instants, model.instants);
	t.deepEqual(decoded.flows, model.flows);
	t.is(decoded.tracks.length, model.tracks.length);
	model.tracks.forEach((track, index) => {
		t.deepEqual(decoded.tracks[index], track, `track ${track.id}`);
	});
	t.deepEqual(decoded.args, model.args);
	t.deepEqual(decoded, model);
	t.deepEqual(plain(decoded), plain(model), 'the typed arrays are of the same types');
	// The typed arrays keep their types.
	const thread = decoded.tracks.find(track => track.id === 't1:1');
	t.true(thread.depthOffsets instanceof Uint32Array);
	t.true(thread.start instanceof Float64Array && thread.dur instanceof Float64Array && thread.self instanceof Float64Array);
	t.true(thread.names instanceof Uint32Array);
	t.true(thread.args instanceof Int32Array);
	t.true(decoded.args.bytes instanceof Uint8Array && decoded.args.offsets instanceof Uint32Array);
	t.true(decoded.tracks.find(track => track.kind === 'counter').series[0].values instanceof Float64Array);
	// The args still decode.
	const b = [...thread.names].findIndex(name => decoded.strings[name] === 'b (src/b.js:2:1)');
	t.deepEqual(argsAt(decoded.args, thread.args[b]), {n: 1, s: 'ünïcødé ✓ 🎉'});
	t.is(thread.start[b], 20.25);
	t.is(thread.dur[b], 10.5);
});

test('the model exercises every kind of track', t => {
	const model = richModel();
	t.deepEqual([...new Set(model.tracks.map(track => track.kind))].sort(), ['async', 'counter', 'gc', 'instant', 'object', 'process', 'thread']);
	t.true(model.flows.length > 0 && model.instants.length > 1 && model.args.bytes.length > 0);
	t.is(model.metadata.skipped, 1);
});

test('the arrays are views onto the one buffer, each at an 8-byte boundary, and the parts are whole multiples of 8 bytes', t => {
	const model = richModel();
	const parts = encodeModel(model);
	const total = parts.reduce((sum, part) => sum + part.byteLength, 0);
	t.is(total % 8, 0);
	const buffer = concatParts(parts);
	const decoded = decodeModel(buffer);
	for (const track of decoded.tracks.filter(track => isSliceTrack(track))) {
		for (const array of [track.depthOffsets, track.start, track.dur, track.self, track.names, track.args]) {
			t.is(array.buffer, buffer);
			t.is(array.byteOffset % 8, 0);
		}
	}

	t.is(decoded.args.bytes.buffer, buffer);
	// The head: "VZTL", the version, the header's length.
	const head = new DataView(buffer);
	t.is(new TextDecoder().decode(new Uint8Array(buffer, 0, 4)), 'VZTL');
	t.is(head.getUint32(4, true), modelCodecVersion);
	t.is(modelCodecVersion, 1);
	t.true(head.getUint32(8, true) > 0);
});

test('decoding at a byte offset into a larger buffer', t => {
	const model = richModel();
	const buffer = concatParts(encodeModel(model), 16);
	t.deepEqual(decodeModel(buffer, 16), model);
});

test('a decoded model (arrays that are views at offsets into one buffer) encodes again to the same bytes', t => {
	const parts = encodeModel(richModel());
	const buffer = concatParts(parts);
	const again = concatParts(encodeModel(decodeModel(buffer)));
	t.deepEqual(new Uint8Array(again), new Uint8Array(buffer));
});

test('an empty model round trips', t => {
	const model = new TimelineModelBuilder().finish({title: 'empty'});
	t.deepEqual(roundTrip(model), model);
});

test('a large track round trips exactly', t => {
	const builder = new TimelineModelBuilder();
	for (let index = 0; index < 20_000; index++) {
		builder.addEvent({ph: 'X', name: `f${index % 13}`, ts: index * 1.000_000_1, dur: 0.5 + (index % 3) * 0.1, pid: 1, tid: 1});
	}

	const model = builder.finish({title: 'big'});
	t.deepEqual(roundTrip(model), model);
});

// An object never destroyed has `destroyed: NaN`, which JSON (the header)
// writes as null; the page draws it to the end of the trace only if it
// comes back as NaN.
test('an object that is never destroyed keeps destroyed NaN', t => {
	const model = richModel({destroyed: false});
	const object = model.tracks.find(track => track.kind === 'object');
	t.true(Number.isNaN(object.destroyed));
	const decoded = roundTrip(model).tracks.find(track => track.kind === 'object');
	// Actual: null.
	t.true(Number.isNaN(decoded.destroyed));
});

test('wrong magic: TimelineCodecError', t => {
	const buffer = concatParts(encodeModel(richModel()));
	new Uint8Array(buffer).set(new TextEncoder().encode('JSON'), 0);
	const error = t.throws(() => decodeModel(buffer), {instanceOf: TimelineCodecError, message: /VZTL/});
	t.is(error.code, 'VIZVIEWER_BAD_MODEL');
	t.true(error instanceof Error);
	// A JSON trace given by mistake.
	t.throws(() => decodeModel(new TextEncoder().encode('{"traceEvents": []}').buffer), {instanceOf: TimelineCodecError, message: /VZTL/});
});

test('wrong version: TimelineCodecError naming both versions', t => {
	const buffer = concatParts(encodeModel(richModel()));
	new DataView(buffer).setUint32(4, 2, true);
	t.throws(() => decodeModel(buffer), {instanceOf: TimelineCodecError, message: /version 2.*version 1/});
});

test('data cut short in the arrays: TimelineCodecError', t => {
	const parts = encodeModel(richModel());
	const buffer = concatParts(parts);
	const headBytes = parts[0].byteLength;
	const {bytes} = richModel().args;
	const padding = (8 - (bytes.byteLength % 8)) % 8;
	const lastByte = buffer.byteLength - padding - 1;
	// Cut inside the 12-byte head, just after the header, in the middle of the arrays, and before the last array's last byte.
	for (const length of [0, 4, 11, headBytes, headBytes + 8, Math.floor((headBytes + buffer.byteLength) / 2), lastByte]) {
		t.throws(() => decodeModel(buffer.slice(0, length)), {instanceOf: TimelineCodecError, message: /cut short/}, `cut at ${length} of ${buffer.byteLength}`);
	}

	// Without the padding after the last array, nothing is missing.
	t.deepEqual(decodeModel(buffer.slice(0, lastByte + 1)), decodeModel(buffer));
});

// Data that ends inside the JSON header (after the 12-byte head) is cut
// short like any other, not a RangeError from a view past the end.
test('data cut short inside the JSON header: TimelineCodecError', t => {
	const buffer = concatParts(encodeModel(richModel()));
	// Actual: RangeError: Invalid typed array length.
	t.throws(() => decodeModel(buffer.slice(0, 20)), {instanceOf: TimelineCodecError});
});
