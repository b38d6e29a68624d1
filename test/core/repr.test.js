import test from 'ava';
import {describeError, repr} from '../../dist/core/repr.js';

test('repr - writes values as util.inspect does, within 256 characters', t => {
	t.is(repr('text'), '\'text\'');
	t.is(repr('it\'s "quoted"\n'), String.raw`'it\'s "quoted"\n'`);
	t.is(repr(-0), '-0');
	t.is(repr(12n), '12n');
	t.is(repr([1, [2, [3, [4]]]]), '[ 1, [ 2, [Array(2)] ] ]');
	t.is(repr({a: 1, nested: {b: {c: 1}}}), '{ a: 1, nested: { b: {…} } }');
	t.is(repr(new (class Point {})()), 'Point {}');
	t.is(repr(Object.create(null)), '{}');
	t.is(repr(new Map([[1, 2]])), 'Map(1)');
	t.is(repr(new Uint8Array(3)), 'Uint8Array(3)');
	t.is(repr(function named() {}), '[Function: named]');
	t.is(repr(class Shape {}), '[class: Shape]');
	t.true(repr('x'.repeat(1000)).length <= 256);
	t.true(repr(Array.from({length: 1000}, (_, index) => index)).endsWith(', … 990 more ]'));
});

test('repr - never runs the program\'s code: getters, toString, toJSON, Symbol.toStringTag, proxy traps', t => {
	let calls = 0;
	const count = () => {
		calls++;
		return 'ran';
	};

	const watched = {get value() {
		return count();
	}, toString: count, toJSON: count, get [Symbol.toStringTag]() {
		return count();
	}};
	const trap = new Proxy({}, {get: count, ownKeys: count, getPrototypeOf: count, getOwnPropertyDescriptor: count, has: count});
	const {proxy, revoke} = Proxy.revocable({}, {});
	revoke();
	const prototypeIsProxy = Object.create(trap);
	t.is(repr(watched), '{ value: [Getter/Setter], toString: [Function: count], toJSON: [Function: count] }');
	t.is(repr(trap), 'Proxy');
	t.is(repr(proxy), 'Proxy');
	t.is(repr([watched, trap]), '[ { value: [Getter/Setter], toString: [Function: count], toJSON: [Function: count] }, Proxy ]');
	t.is(repr(prototypeIsProxy), '{}');
	t.is(calls, 0);
});

test('repr - a big object costs the same on every call after the first', t => {
	const huge = {};
	for (let index = 0; index < 200_000; index++) {
		huge[`key${index}`] = index;
	}

	const first = repr(huge);
	t.true(first.startsWith('{ key0: 0, key1: 1,'));
	t.true(first.endsWith(', … }'));
	delete huge.key1;
	t.true(repr(huge).startsWith('{ key0: 0, key2: 2,'), 'a deleted key is noticed');
});

test('describeError - reads name and message from data properties only', t => {
	t.deepEqual(describeError(new TypeError('bad')), {type: 'TypeError', message: 'bad'});
	const error = new Error('x');
	Object.defineProperty(error, 'message', {get() {
		throw new Error('getter ran');
	}});
	t.is(describeError(error).type, 'Error');
	const {proxy, revoke} = Proxy.revocable({}, {});
	revoke();
	t.deepEqual(describeError(proxy), {type: 'Proxy', message: 'Proxy'});
	t.deepEqual(describeError('plain'), {type: 'string', message: '\'plain\''});
});
