import test from 'ava';
import {withIntrinsics} from '../../dist/core/intrinsics.js';

test('withIntrinsics - the tracer gets the built-ins as they were at load, the program keeps its own', t => {
	const iterator = Array.prototype[Symbol.iterator];
	const push = Array.prototype.push;
	const replacement = () => {
		throw new Error('replaced');
	};

	delete Array.prototype[Symbol.iterator];
	Array.prototype.push = replacement;
	Object.prototype.toJSON = replacement;
	try {
		const inside = withIntrinsics(() => {
			const copy = [...[1, 2, 3]];
			copy.push(4);
			return JSON.stringify({copy});
		});
		t.is(inside, '{"copy":[1,2,3,4]}');
		t.is(Array.prototype[Symbol.iterator], undefined, 'deleted again afterwards');
		t.is(Array.prototype.push, replacement, 'the replacement is back afterwards');
		t.is(Object.prototype.toJSON, replacement, 'an added key is back afterwards');
	} finally {
		Array.prototype[Symbol.iterator] = iterator;
		Array.prototype.push = push;
		delete Object.prototype.toJSON;
	}
});

test('withIntrinsics - nested calls and exceptions restore the program\'s built-ins once', t => {
	const push = Array.prototype.push;
	const replacement = function () {
		return -1;
	};

	Array.prototype.push = replacement;
	try {
		t.throws(() => withIntrinsics(() => withIntrinsics(() => {
			t.is(Array.prototype.push, push);
			throw new Error('inside');
		})), {message: 'inside'});
		t.is(Array.prototype.push, replacement);
	} finally {
		Array.prototype.push = push;
	}
});
