import {performance} from 'node:perf_hooks';
import test from 'ava';
import {Recorder} from '../../dist/core/recorder.js';
import {EntryKind, kindMask} from '../../dist/core/ring-buffer.js';

const newRecorder = (config = {}) => new Recorder({entries: 1024, maxStackDepth: -1, minDuration: 0, ...config});

/** The spans in the recorder's ring, oldest first, by name. */
function spansOf(recorder) {
	if (!recorder.hasRing) {
		return [];
	}

	const {ring} = recorder;
	const spans = [];
	for (let index = 0; index < ring.size; index++) {
		const slot = (ring.firstSlot + index) & ring.mask;
		if ((ring.metas[slot] & kindMask) === EntryKind.span) {
			spans.push({name: recorder.strings.get(ring.names[slot]), start: ring.starts[slot], end: ring.ends[slot]});
		}
	}

	return spans;
}

const names = recorder => spansOf(recorder).map(span => span.name);

test('the ring is allocated only when recording starts', t => {
	const recorder = newRecorder();
	t.false(recorder.hasRing);
	t.false(recorder.enabled);
	recorder.start();
	t.true(recorder.hasRing);
	t.true(recorder.enabled);
});

test('names are interned to stable integer ids', t => {
	const recorder = newRecorder();
	const a = recorder.intern('a');
	const b = recorder.intern('b');
	t.not(a, b);
	t.is(recorder.intern('a'), a);
	t.is(recorder.strings.get(a), 'a');
	t.is(recorder.strings.get(b), 'b');
});

test('enter/exit records nested spans innermost first, the child inside its parent', t => {
	const recorder = newRecorder();
	recorder.start();
	recorder.enter(recorder.intern('parent'));
	recorder.enter(recorder.intern('child'));
	t.is(recorder.depth, 2);
	recorder.exit();
	recorder.enter(recorder.intern('sibling'));
	recorder.exit();
	recorder.exit();
	t.is(recorder.depth, 0);

	const spans = spansOf(recorder);
	t.deepEqual(spans.map(span => span.name), ['child', 'sibling', 'parent']);
	const [child, sibling, parent] = spans;
	for (const span of spans) {
		t.true(span.start <= span.end);
	}

	t.true(parent.start <= child.start && child.end <= parent.end);
	t.true(parent.start <= sibling.start && sibling.end <= parent.end);
	t.true(child.end <= sibling.start);
});

test('exit() with nothing open does nothing', t => {
	const recorder = newRecorder();
	recorder.start();
	recorder.exit();
	t.is(recorder.depth, 0);
	t.deepEqual(names(recorder), []);
});

test('nesting deeper than the initial stack grows it and keeps every span', t => {
	const recorder = newRecorder({entries: 4096});
	recorder.start();
	const depth = 1000;
	for (let level = 0; level < depth; level++) {
		recorder.enter(recorder.intern(`level ${level}`));
	}

	for (let level = 0; level < depth; level++) {
		recorder.exit();
	}

	t.deepEqual(names(recorder), Array.from({length: depth}, (_, index) => `level ${depth - 1 - index}`));
});

test('maxStackDepth keeps only spans at the first maxStackDepth levels', t => {
	const recorder = newRecorder({maxStackDepth: 2});
	recorder.start();
	for (const name of ['1', '2', '3', '4']) {
		recorder.enter(recorder.intern(name));
	}

	for (let level = 0; level < 4; level++) {
		recorder.exit();
	}

	// The deeper calls are still tracked on the stack, so the outer spans close correctly.
	t.deepEqual(names(recorder), ['2', '1']);
	t.is(recorder.depth, 0);
});

test('maxStackDepth 1 records only top-level spans', t => {
	const recorder = newRecorder({maxStackDepth: 1});
	recorder.start();
	recorder.enter(recorder.intern('top'));
	recorder.enter(recorder.intern('inner'));
	recorder.exit();
	recorder.exit();
	recorder.enter(recorder.intern('second top'));
	recorder.exit();
	t.deepEqual(names(recorder), ['top', 'second top']);
});

test('minDuration drops spans shorter than it and keeps the rest', t => {
	// 1000 µs = 1 ms; span() takes clock readings in ms, so durations here are exact.
	const recorder = newRecorder({minDuration: 1000});
	recorder.start();
	const name = recorder.intern('span');
	recorder.span(recorder.intern('short'), 10, 10.5);
	recorder.span(recorder.intern('exact'), 20, 21);
	recorder.span(recorder.intern('long'), 30, 35);
	recorder.span(name, 40, 40);
	t.deepEqual(names(recorder), ['exact', 'long']);
});

test('minDuration applies to enter/exit spans', t => {
	// No call takes 1000 s, so every span is shorter than this minimum.
	const recorder = newRecorder({minDuration: 1e9});
	recorder.start();
	recorder.enter(recorder.intern('quick'));
	recorder.exit();
	t.deepEqual(names(recorder), []);
});

test('span() records a caller-timed span only while enabled', t => {
	const recorder = newRecorder();
	recorder.span(recorder.intern('before start'), 1, 2);
	recorder.start();
	recorder.span(recorder.intern('measured'), 1, 2);
	recorder.stop();
	recorder.span(recorder.intern('after stop'), 3, 4);
	t.deepEqual(spansOf(recorder), [{name: 'measured', start: 1, end: 2}]);
});

test('spans still open at stop() are closed at the stop time', t => {
	const recorder = newRecorder();
	recorder.start();
	recorder.enter(recorder.intern('outer'));
	recorder.enter(recorder.intern('inner'));
	const stopTime = performance.now() + 5;
	recorder.stop(stopTime);
	t.false(recorder.enabled);
	t.is(recorder.depth, 0);
	const spans = spansOf(recorder);
	t.deepEqual(spans.map(span => span.name).sort(), ['inner', 'outer']);
	for (const span of spans) {
		t.is(span.end, stopTime);
	}

	const outer = spans.find(span => span.name === 'outer');
	const inner = spans.find(span => span.name === 'inner');
	t.true(outer.start <= inner.start);
});

test('stop() without a time closes open spans at the current clock reading', t => {
	const recorder = newRecorder();
	recorder.start();
	recorder.enter(recorder.intern('open'));
	const before = performance.now();
	recorder.stop();
	const after = performance.now();
	const [span] = spansOf(recorder);
	t.true(before <= span.end && span.end <= after);
});

test('exits after stop() are ignored, so no span is recorded twice', t => {
	const recorder = newRecorder();
	recorder.start();
	recorder.enter(recorder.intern('open'));
	recorder.stop();
	recorder.exit();
	recorder.exit();
	t.deepEqual(names(recorder), ['open']);
});

test('restarting begins with an empty stack', t => {
	const recorder = newRecorder();
	recorder.start();
	recorder.enter(recorder.intern('first run'));
	recorder.stop();
	recorder.start();
	t.is(recorder.depth, 0);
	recorder.enter(recorder.intern('second run'));
	recorder.exit();
	recorder.exit();
	t.deepEqual(names(recorder), ['first run', 'second run']);
});

test('detachAsync() moves the innermost span off the stack until closeAsync()', t => {
	const recorder = newRecorder();
	recorder.start();
	recorder.enter(recorder.intern('async call'));
	const token = recorder.detachAsync();
	t.true(token >= 0);
	t.is(recorder.depth, 0);
	t.is(recorder.openAsyncSpans, 1);

	// Synchronous work goes on while the async span is open.
	recorder.enter(recorder.intern('meanwhile'));
	recorder.exit();
	t.deepEqual(names(recorder), ['meanwhile']);

	recorder.closeAsync(token);
	t.is(recorder.openAsyncSpans, 0);
	const spans = spansOf(recorder);
	t.deepEqual(spans.map(span => span.name), ['meanwhile', 'async call']);
	const [meanwhile, asyncCall] = spans;
	t.true(asyncCall.start <= meanwhile.start && meanwhile.end <= asyncCall.end);
});

test('async spans may be closed out of order', t => {
	const recorder = newRecorder();
	recorder.start();
	recorder.enter(recorder.intern('first'));
	const first = recorder.detachAsync();
	recorder.enter(recorder.intern('second'));
	const second = recorder.detachAsync();
	t.not(first, second);
	recorder.closeAsync(first);
	recorder.closeAsync(second);
	t.deepEqual(names(recorder), ['first', 'second']);
});

test('closing an async span twice records it once', t => {
	const recorder = newRecorder();
	recorder.start();
	recorder.enter(recorder.intern('once'));
	const token = recorder.detachAsync();
	recorder.closeAsync(token);
	recorder.closeAsync(token);
	t.deepEqual(names(recorder), ['once']);
	t.is(recorder.openAsyncSpans, 0);
});

test('detachAsync() with nothing open returns -1, and closeAsync(-1) does nothing', t => {
	const recorder = newRecorder();
	recorder.start();
	t.is(recorder.detachAsync(), -1);
	recorder.closeAsync(-1);
	t.deepEqual(names(recorder), []);
});

test('detachAsync() beyond maxStackDepth records nothing', t => {
	const recorder = newRecorder({maxStackDepth: 1});
	recorder.start();
	recorder.enter(recorder.intern('top'));
	recorder.enter(recorder.intern('too deep'));
	t.is(recorder.detachAsync(), -1);
	t.is(recorder.depth, 1);
	recorder.exit();
	t.deepEqual(names(recorder), ['top']);
});

test('many async spans open at once are all recorded', t => {
	const recorder = newRecorder({entries: 4096});
	recorder.start();
	const tokens = [];
	for (let index = 0; index < 1000; index++) {
		recorder.enter(recorder.intern(`task ${index}`));
		tokens.push(recorder.detachAsync());
	}

	t.is(new Set(tokens).size, tokens.length);
	t.is(recorder.openAsyncSpans, 1000);
	for (const token of tokens.reverse()) {
		recorder.closeAsync(token);
	}

	t.is(recorder.openAsyncSpans, 0);
	t.is(names(recorder).length, 1000);
	t.is(new Set(names(recorder)).size, 1000);
});

test('async spans still open at stop() are closed at the stop time', t => {
	const recorder = newRecorder();
	recorder.start();
	recorder.enter(recorder.intern('pending'));
	recorder.detachAsync();
	const stopTime = performance.now() + 1;
	recorder.stop(stopTime);
	t.is(recorder.openAsyncSpans, 0);
	const [span] = spansOf(recorder);
	t.is(span.name, 'pending');
	t.is(span.end, stopTime);
});

test('a token that settles after stop() is ignored', t => {
	const recorder = newRecorder();
	recorder.start();
	recorder.enter(recorder.intern('pending'));
	const token = recorder.detachAsync();
	recorder.stop();
	recorder.closeAsync(token);
	t.deepEqual(names(recorder), ['pending']);
});

test('a stale token from before a restart does not close a new span in the reused slot', t => {
	const recorder = newRecorder();
	recorder.start();
	recorder.enter(recorder.intern('old'));
	const stale = recorder.detachAsync();
	recorder.stop();
	recorder.start();
	recorder.enter(recorder.intern('new'));
	const fresh = recorder.detachAsync();
	t.not(fresh, stale);

	recorder.closeAsync(stale);
	t.deepEqual(names(recorder), ['old']);
	t.is(recorder.openAsyncSpans, 1);

	recorder.closeAsync(fresh);
	t.deepEqual(names(recorder), ['old', 'new']);
	t.is(recorder.openAsyncSpans, 0);
});

test('instant, counter and object entries are written with their kinds and payloads', t => {
	const recorder = newRecorder();
	recorder.start();
	recorder.instant(recorder.intern('mark'), {note: 'hi'}, 'p', 1);
	recorder.counter(recorder.intern('load'), {cpu: 3}, 2);
	recorder.object(EntryKind.objectNew, recorder.intern('thing'), 7, undefined, 3);
	recorder.object(EntryKind.objectSnapshot, recorder.intern('thing'), 7, {state: 'ready'}, 4);
	const {ring} = recorder;
	t.is(ring.size, 4);
	t.deepEqual([0, 1, 2, 3].map(slot => ring.metas[slot] & kindMask), [EntryKind.instant, EntryKind.counter, EntryKind.objectNew, EntryKind.objectSnapshot]);
	t.deepEqual([0, 1, 2, 3].map(slot => ring.starts[slot]), [1, 2, 3, 4]);
	t.deepEqual(ring.payloads.get(0), {note: 'hi'});
	t.deepEqual(ring.payloads.get(1), {cpu: 3});
	t.false(ring.payloads.has(2));
	t.is(ring.ends[2], 7);
	t.deepEqual(ring.payloads.get(3), {state: 'ready'});
});

test('clear() drops recorded entries but keeps recording', t => {
	const recorder = newRecorder();
	recorder.start();
	recorder.enter(recorder.intern('dropped'));
	recorder.exit();
	recorder.clear();
	t.deepEqual(names(recorder), []);
	t.true(recorder.enabled);
	recorder.enter(recorder.intern('kept'));
	recorder.exit();
	t.deepEqual(names(recorder), ['kept']);
});

test('a small ring overflows and keeps the newest spans', t => {
	const recorder = newRecorder({entries: 4});
	recorder.start();
	for (let index = 0; index < 10; index++) {
		recorder.enter(recorder.intern(`span ${index}`));
		recorder.exit();
	}

	t.true(recorder.ring.overflowed);
	t.deepEqual(names(recorder), ['span 6', 'span 7', 'span 8', 'span 9']);
});

/** Each entry's name and payload, oldest first. */
function entriesWithPayloads(recorder) {
	const {ring} = recorder;
	const entries = [];
	for (let index = 0; index < ring.size; index++) {
		const slot = (ring.firstSlot + index) & ring.mask;
		entries.push([recorder.strings.get(ring.names[slot]), ring.payloads.get(slot)]);
	}

	return entries;
}

test('a context source tags every span and instant of a run from the event loop, read once at its outermost span', t => {
	const recorder = newRecorder();
	let current;
	let reads = 0;
	recorder.setContextSource(() => {
		reads++;
		return current;
	});
	recorder.start();
	current = Object.freeze({request: 1});
	recorder.enter(recorder.intern('handler'));
	current = Object.freeze({request: 2});
	// Nested calls inherit the run's context, without reading the source again.
	recorder.enterWithPayload(recorder.intern('inner'), {func_args: {id: '7'}});
	recorder.exit();
	const userArgs = {mine: true};
	recorder.instant(recorder.intern('user instant'), userArgs, 't');
	recorder.instant(recorder.intern('bare instant'), undefined, 't');
	recorder.exit();
	t.is(reads, 1);
	// At depth 0 the source is read: the next run is request 2.
	recorder.instant(recorder.intern('between'), undefined, 't');
	t.deepEqual(recorder.withContext({string: 'printed'}), {string: 'printed', request: 2});
	current = undefined;
	recorder.enter(recorder.intern('untagged'));
	recorder.exit();
	recorder.stop();
	t.deepEqual(entriesWithPayloads(recorder), [
		['inner', {func_args: {id: '7'}, request: 1}],
		['user instant', {mine: true}],
		['bare instant', {request: 1}],
		['handler', {request: 1}],
		['between', {request: 2}],
		['untagged', undefined],
	]);
	t.deepEqual(userArgs, {mine: true}, 'the program\'s own args are never written to');
});

test('an async span keeps the context it was opened in; without a source nothing is tagged', t => {
	const recorder = newRecorder();
	let current = Object.freeze({request: 5});
	recorder.setContextSource(() => current);
	recorder.start();
	recorder.enter(recorder.intern('async fn'));
	const token = recorder.detachAsync();
	current = Object.freeze({request: 6});
	recorder.closeAsync(token);
	recorder.setContextSource(undefined);
	recorder.enter(recorder.intern('after'));
	recorder.exit();
	recorder.stop();
	t.deepEqual(entriesWithPayloads(recorder), [['async fn', {request: 5}], ['after', undefined]]);
});

test('flowToNextRun: an arrow from an I/O row to the next run from the event loop, written only when that run is the one the check names', t => {
	const recorder = newRecorder();
	recorder.start();
	const io = recorder.track('I/O 1');
	const name = recorder.intern('http GET host/ → 200');
	recorder.enter(recorder.intern('emitting'));
	recorder.flowToNextRun(name, 41, 1, io, () => true);
	// A span deeper in the run that is going on does not take it: only the outermost span of a run does.
	recorder.enter(recorder.intern('nested'));
	recorder.exit();
	recorder.exit();
	recorder.enter(recorder.intern('listener'));
	recorder.exit();
	// A run for which the check fails drops the arrow; a later call replaces a waiting one.
	recorder.flowToNextRun(name, 42, 2, io, () => false);
	recorder.enter(recorder.intern('unrelated'));
	recorder.exit();
	recorder.flowToNextRun(name, 43, 3, io, () => true);
	recorder.flowToNextRun(name, 44, 4, io, () => true);
	recorder.enter(recorder.intern('second listener'));
	recorder.exit();
	recorder.enter(recorder.intern('later'));
	recorder.exit();
	recorder.stop();
	const {ring} = recorder;
	const flows = [];
	const spanStarts = new Map();
	for (let index = 0; index < ring.size; index++) {
		const slot = (ring.firstSlot + index) & ring.mask;
		const kind = ring.metas[slot] & kindMask;
		if (kind === EntryKind.flowStart || kind === EntryKind.flowEnd) {
			flows.push({kind, id: ring.ends[slot], track: (ring.metas[slot] >>> 8) & 0xFF, name: recorder.strings.get(ring.names[slot]), time: ring.starts[slot]});
		} else {
			spanStarts.set(recorder.strings.get(ring.names[slot]), ring.starts[slot]);
		}
	}

	t.deepEqual(flows, [
		{kind: EntryKind.flowStart, id: 41, track: io, name: 'http GET host/ → 200', time: 1},
		{kind: EntryKind.flowEnd, id: 41, track: 0, name: 'http GET host/ → 200', time: spanStarts.get('listener')},
		{kind: EntryKind.flowStart, id: 44, track: io, name: 'http GET host/ → 200', time: 4},
		{kind: EntryKind.flowEnd, id: 44, track: 0, name: 'http GET host/ → 200', time: spanStarts.get('second listener')},
	]);
});

test('flowIdBase is added to every flow id written (awaits, caller-chosen ids, arrows to the next run), and the ids handed back stay the thread\'s own', t => {
	const base = 2 ** 43;
	const recorder = newRecorder({flowIdBase: base});
	recorder.start();
	const name = recorder.intern('arrow');
	const outer = recorder.enter(recorder.intern('outer'));
	const flowId = recorder.pauseWithFlow(outer);
	t.is(flowId, 1);
	recorder.exit(recorder.resumeWithFlow(recorder.intern('outer'), flowId));
	recorder.flow(EntryKind.flowStart, name, 7);
	recorder.flowToNextRun(name, 9, 1, 0, () => true);
	recorder.enter(recorder.intern('listener'));
	recorder.exit();
	// Object ids are not flow ids: they are written as given.
	recorder.object(EntryKind.objectNew, name, 3);
	recorder.object(EntryKind.objectSnapshot, name, 3, {n: 1});
	recorder.object(EntryKind.objectDelete, name, 3);
	recorder.stop();
	const {ring} = recorder;
	const ids = [];
	const objectIds = [];
	for (let index = 0; index < ring.size; index++) {
		const slot = (ring.firstSlot + index) & ring.mask;
		const kind = ring.metas[slot] & kindMask;
		if (kind === EntryKind.flowStart || kind === EntryKind.flowEnd) {
			ids.push(ring.ends[slot]);
		} else if (kind === EntryKind.objectNew || kind === EntryKind.objectSnapshot || kind === EntryKind.objectDelete) {
			objectIds.push(ring.ends[slot]);
		}
	}

	t.deepEqual(ids, [base + 1, base + 1, base + 7, base + 9, base + 9]);
	t.deepEqual(objectIds, [3, 3, 3]);
});
