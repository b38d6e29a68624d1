// stringifyDeep: JSON.stringify's output for parsed JSON, at depths where
// JSON.stringify itself overflows the stack.
import test from 'ava';
import {stringifyDeep} from '../../dist/viewer/deep-json.js';

test('writes what JSON.stringify writes', t => {
	const values = [null, true, 0, -1.5, 'text "quoted" \n', [], {}, [1, [2, [3]], {a: null}], {a: 1, b: [true, 'x'], c: {d: {}}, 'e"': undefined, f: () => 1}, [undefined, () => 1]];
	for (const value of values) {
		t.is(stringifyDeep(value), JSON.stringify(value));
	}
});

test('writes values nested far deeper than JSON.stringify can', t => {
	const depth = 100_000;
	const text = `${'{"a":['.repeat(depth)}1${']}'.repeat(depth)}`;
	const value = JSON.parse(text);
	t.throws(() => JSON.stringify(value), {instanceOf: RangeError});
	t.is(stringifyDeep(value), text);
});

test('deep down, leaves out what JSON.stringify leaves out, as it does', t => {
	const depth = 100_000;
	const value = JSON.parse(`${'['.repeat(depth)}0${']'.repeat(depth)}`);
	let innermost = value;
	for (let level = 1; level < depth - 1; level++) {
		innermost = innermost[0];
	}

	innermost[0] = {skipped: undefined, k: [undefined, () => 1], m: 2};
	t.is(stringifyDeep(value), `${'['.repeat(depth - 1)}{"k":[null,null],"m":2}${']'.repeat(depth - 1)}`);
});
