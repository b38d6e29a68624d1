// Slice names split into the function and its location, and the location parsed.
import test from 'ava';
import {sliceLabel, sourceLocation} from '../../dist/timeline/slice-label.js';

test('sliceLabel: the function first, the location in parentheses after it', t => {
	t.deepEqual(sliceLabel('fn (src/a.js:12:3)'), {name: 'fn', location: 'src/a.js:12:3'});
	t.deepEqual(sliceLabel('fn (src/a.js:12)'), {name: 'fn', location: 'src/a.js:12'});
	t.deepEqual(sliceLabel('Foo.bar (/abs/path/x.mjs:1:1)'), {name: 'Foo.bar', location: '/abs/path/x.mjs:1:1'});
	t.deepEqual(sliceLabel('<anonymous> (file:///home/me/a.js:4:20)'), {name: '<anonymous>', location: 'file:///home/me/a.js:4:20'});
	t.deepEqual(sliceLabel('handler (https://example.com/app.js:7:9)'), {name: 'handler', location: 'https://example.com/app.js:7:9'});
	t.deepEqual(sliceLabel('run (C:\\work\\a.js:3:4)'), {name: 'run', location: 'C:\\work\\a.js:3:4'});
	t.deepEqual(sliceLabel('async fetch data (lib/net.js:10:2)'), {name: 'async fetch data', location: 'lib/net.js:10:2'});
});

test('sliceLabel: parentheses in the name, and only the last group is a location', t => {
	t.deepEqual(sliceLabel('get (x) (a.js:1:1)'), {name: 'get (x)', location: 'a.js:1:1'});
	t.deepEqual(sliceLabel('f (a.js:1:1) (b.js:2:2)'), {name: 'f (a.js:1:1)', location: 'b.js:2:2'});
});

test('sliceLabel: names without a location are kept whole', t => {
	for (const text of ['main', 'fn (not a location)', 'fn ()', 'fn (a.js)', 'fn (a.js:x)', 'fn(a.js:1:1)', 'fn (a.js:1:1) trailing', 'Garbage collection', '']) {
		t.deepEqual(sliceLabel(text), {name: text, location: ''}, text);
	}
});

test('sourceLocation: file, line and column', t => {
	t.deepEqual(sourceLocation('fn (src/a.js:12:3)'), {file: 'src/a.js', line: 12, column: 3});
	t.deepEqual(sourceLocation('<anonymous> (file:///home/me/a.js:4:20)'), {file: 'file:///home/me/a.js', line: 4, column: 20});
	t.deepEqual(sourceLocation('run (C:\\work\\a.js:3:4)'), {file: 'C:\\work\\a.js', line: 3, column: 4});
	t.deepEqual(sourceLocation('get (x) (a.js:1:1)'), {file: 'a.js', line: 1, column: 1});
});

test('sourceLocation: a line without a column has no column key', t => {
	const location = sourceLocation('fn (src/a.js:12)');
	t.deepEqual(location, {file: 'src/a.js', line: 12});
	t.false('column' in location);
});

test('sourceLocation: undefined for names without a location or without a file', t => {
	t.is(sourceLocation('main'), undefined);
	t.is(sourceLocation('fn (not a location)'), undefined);
	t.is(sourceLocation('fn (:12)'), undefined);
	t.is(sourceLocation(''), undefined);
});
