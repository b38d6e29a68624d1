import test from 'ava';
import {bytesPerEntry, EntryKind, kindMask, payloadFlag, RingBuffer} from '../../dist/core/ring-buffer.js';

/** The entries the ring holds, oldest first, as plain objects. */
function entriesOf(ring) {
	const entries = [];
	for (let index = 0; index < ring.size; index++) {
		const slot = (ring.firstSlot + index) & ring.mask;
		entries.push({
			slot,
			name: ring.names[slot],
			start: ring.starts[slot],
			end: ring.ends[slot],
			meta: ring.metas[slot],
		});
	}

	return entries;
}

const isPowerOfTwo = value => Number.isInteger(value) && value > 0 && (value & (value - 1)) === 0;

test('capacity is the smallest power of two that holds the requested entries', t => {
	for (const [entries, expected] of [[1, 2], [2, 2], [3, 4], [5, 8], [8, 8], [9, 16], [1000, 1024], [1024, 1024], [1025, 2048], [1_000_000, 1_048_576]]) {
		const ring = new RingBuffer(entries);
		t.true(isPowerOfTwo(ring.capacity), `capacity for ${entries}`);
		t.true(ring.capacity >= entries, `capacity for ${entries}`);
		t.is(ring.capacity, expected, `capacity for ${entries}`);
		t.is(ring.mask, ring.capacity - 1);
		for (const array of [ring.starts, ring.ends, ring.names, ring.metas]) {
			t.is(array.length, ring.capacity);
		}
	}
});

test('an entry costs 24 bytes of typed-array storage', t => {
	const ring = new RingBuffer(1024);
	const bytes = ring.starts.byteLength + ring.ends.byteLength + ring.names.byteLength + ring.metas.byteLength;
	t.is(bytes / ring.capacity, bytesPerEntry);
	t.true(bytesPerEntry <= 24);
});

test('a new ring is empty and not overflowed', t => {
	const ring = new RingBuffer(8);
	t.is(ring.size, 0);
	t.is(ring.head, 0);
	t.false(ring.overflowed);
	t.is(ring.firstSlot, 0);
	t.deepEqual(entriesOf(ring), []);
});

test('entries are kept in write order with their four fields', t => {
	const ring = new RingBuffer(8);
	for (let index = 0; index < 5; index++) {
		t.is(ring.push(index, index * 10, (index * 10) + 1.5, EntryKind.span), index);
	}

	t.is(ring.size, 5);
	t.false(ring.overflowed);
	t.deepEqual(entriesOf(ring).map(({name, start, end, meta}) => ({name, start, end, meta})), [0, 1, 2, 3, 4].map(index => ({
		name: index, start: index * 10, end: (index * 10) + 1.5, meta: EntryKind.span,
	})));
});

test('filling the ring exactly does not overflow', t => {
	const ring = new RingBuffer(8);
	for (let index = 0; index < 8; index++) {
		ring.push(index, index, index, EntryKind.span);
	}

	t.is(ring.size, 8);
	t.false(ring.overflowed);
	t.deepEqual(entriesOf(ring).map(entry => entry.name), [0, 1, 2, 3, 4, 5, 6, 7]);
});

test('one write past capacity overflows and drops only the oldest entry', t => {
	const ring = new RingBuffer(8);
	for (let index = 0; index < 9; index++) {
		ring.push(index, index, index, EntryKind.span);
	}

	t.true(ring.overflowed);
	t.is(ring.size, 8);
	t.deepEqual(entriesOf(ring).map(entry => entry.name), [1, 2, 3, 4, 5, 6, 7, 8]);
});

test('wrapping around keeps the newest entries, oldest first', t => {
	const ring = new RingBuffer(8);
	for (let index = 0; index < 11; index++) {
		ring.push(index, index, index + 0.5, EntryKind.span);
	}

	t.is(ring.head, 11);
	t.is(ring.size, 8);
	t.true(ring.overflowed);
	t.is(ring.firstSlot, 3);
	const entries = entriesOf(ring);
	t.deepEqual(entries.map(entry => entry.name), [3, 4, 5, 6, 7, 8, 9, 10]);
	t.deepEqual(entries.map(entry => entry.start), [3, 4, 5, 6, 7, 8, 9, 10]);
	t.deepEqual(entries.map(entry => entry.end), [3.5, 4.5, 5.5, 6.5, 7.5, 8.5, 9.5, 10.5]);
});

test('many laps around the ring still keep exactly the newest capacity entries', t => {
	const ring = new RingBuffer(5);
	const writes = (ring.capacity * 37) + 3;
	for (let index = 0; index < writes; index++) {
		ring.push(index, index, index, EntryKind.span);
	}

	t.is(ring.size, ring.capacity);
	t.deepEqual(entriesOf(ring).map(entry => entry.name), Array.from({length: ring.capacity}, (_, index) => writes - ring.capacity + index));
});

test('a payload is kept in the side map under its slot and flagged in the meta word', t => {
	const ring = new RingBuffer(4);
	const args = {answer: 42};
	ring.push(0, 0, 0, EntryKind.span);
	ring.pushWithPayload(1, 1, 0, EntryKind.instant, args);
	t.is(ring.payloads.size, 1);
	t.is(ring.payloads.get(1), args);
	t.is(ring.metas[1] & kindMask, EntryKind.instant);
	t.not(ring.metas[1] & payloadFlag, 0);
	t.is(ring.metas[0] & payloadFlag, 0);
});

test('a payload is dropped when its slot is overwritten by a plain entry', t => {
	const ring = new RingBuffer(4);
	ring.pushWithPayload(0, 0, 0, EntryKind.counter, {value: 1});
	ring.pushWithPayload(1, 1, 0, EntryKind.counter, {value: 2});
	for (let index = 2; index < 5; index++) {
		ring.push(index, index, index, EntryKind.span);
	}

	// Slot 0 was reused by entry 4; slot 1 still holds its counter.
	t.false(ring.payloads.has(0));
	t.deepEqual([...ring.payloads.entries()], [[1, {value: 2}]]);
	ring.push(5, 5, 5, EntryKind.span);
	t.is(ring.payloads.size, 0);
	t.true(entriesOf(ring).every(entry => (entry.meta & payloadFlag) === 0));
});

test('a payload overwritten by another payload entry is replaced, not leaked', t => {
	const ring = new RingBuffer(2);
	for (let index = 0; index < 10; index++) {
		ring.pushWithPayload(index, index, 0, EntryKind.instant, {index});
	}

	t.is(ring.payloads.size, 2);
	const entries = entriesOf(ring);
	t.deepEqual(entries.map(entry => ring.payloads.get(entry.slot)), [{index: 8}, {index: 9}]);
});

test('clear() empties the ring, its payloads and the overflow flag', t => {
	const ring = new RingBuffer(4);
	for (let index = 0; index < 7; index++) {
		ring.pushWithPayload(index, index, 0, EntryKind.instant, {index});
	}

	t.true(ring.overflowed);
	ring.clear();
	t.is(ring.size, 0);
	t.is(ring.head, 0);
	t.false(ring.overflowed);
	t.is(ring.firstSlot, 0);
	t.is(ring.payloads.size, 0);
	t.true(ring.metas.every(meta => meta === 0));

	// Writing after a clear starts over at slot 0 and does not inherit stale payload flags.
	t.is(ring.push(100, 1, 2, EntryKind.span), 0);
	t.deepEqual(entriesOf(ring).map(entry => entry.name), [100]);
	t.is(ring.payloads.size, 0);
});
