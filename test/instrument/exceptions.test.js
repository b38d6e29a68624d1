// Exceptions in instrumented code: a thrown error ends every span it passes
// through, a catch resumes the right parent, and --log-exception records each
// error once as an instant event.
import path from 'node:path';
import test from 'ava';
import {before, copyFixtures, loadTrace, named, parentOf, runCli, runNode, within} from './_helpers.js';
import {fixturesDir, readTrace, run, temporaryDirectory} from '../helpers/exec.js';

async function traceExceptions(args = []) {
	const directory = copyFixtures('exceptions.mjs');
	const output = path.join(directory, 'trace.json');
	const [plain, traced] = await Promise.all([
		runNode(['exceptions.mjs'], {cwd: directory}),
		runCli(['-q', '-o', output, ...args, 'exceptions.mjs'], {cwd: directory}),
	]);
	return {plain, traced, ...(await loadTrace(output))};
}

test('an error thrown through three frames ends each of their spans, and the catch resumes the right parent', async t => {
	const {plain, traced, spans} = await traceExceptions();
	t.is(traced.code, 0, traced.stderr);
	t.is(traced.stdout, plain.stdout);
	const [catcher] = named(spans, 'catcher');
	// The first a > b > c chain is the one under catcher.
	const a = named(spans, 'a')[0];
	const b = named(spans, 'b')[0];
	const c = named(spans, 'c')[0];
	t.is(parentOf(spans, c), b);
	t.is(parentOf(spans, b), a);
	t.is(parentOf(spans, a), catcher);
	// After the catch, calls are children of catcher again, not of the frames the error left.
	const resumed = named(spans, 'afterCatch').filter(span => within(span, catcher));
	t.is(resumed.length, 2);
	for (const span of resumed) {
		t.is(parentOf(spans, span), catcher);
		t.true(before(a, span), 'after the unwound frames ended');
	}

	// The top-level call after everything is a root span.
	const last = named(spans, 'afterCatch').at(-1);
	t.is(parentOf(spans, last), undefined);
});

test('after an error unwinds the stack, the depth is right again: --max-stack-depth still records the frames after the catch', async t => {
	const {traced, spans} = await traceExceptions(['--max-stack-depth', '2']);
	t.is(traced.code, 0, traced.stderr);
	// catcher is at depth 0, a at 1, b at 2, c at 3: only catcher and a are recorded.
	t.is(named(spans, 'catcher').length, 1);
	t.is(named(spans, 'a').length, 1);
	t.is(named(spans, 'b').length, 0);
	// c is at depth 1 under rethrows (recorded) and at depth 3 under catcher (not).
	t.is(named(spans, 'c').length, 1);
	t.is(parentOf(spans, named(spans, 'c')[0]).fn, 'rethrows');
	// Had the thrown frames stayed on the stack, these would be too deep to record.
	t.is(named(spans, 'afterCatch').length, 3);
	t.is(named(spans, 'asyncOuter').length, 1);
	t.is(named(spans, 'throwsPrimitive').length, 1);
});

test('an async function that rejects ends its span when it settles, inside its awaiting caller', async t => {
	const {spans} = await traceExceptions();
	const [outer] = named(spans, 'asyncOuter');
	const [inner] = named(spans, 'asyncInner');
	t.true(within(inner, outer));
	t.true(before(outer, named(spans, 'afterCatch').at(-1)));
});

test('--log-exception records each error leaving a function once, as an instant event in its span', async t => {
	const {plain, traced, spans, events} = await traceExceptions(['--log-exception']);
	t.is(traced.code, 0, traced.stderr);
	t.is(traced.stdout, plain.stdout, 'the program sees the same errors');
	const instants = events.filter(event => event.ph === 'i');
	t.deepEqual(instants.map(event => [event.name, event.args.message]), [
		// Thrown in c, through b and a, caught in catcher: once.
		['Exception: Error', 'through three frames'],
		// Thrown in c again (a new error), caught in rethrows, which throws its own.
		['Exception: Error', 'through three frames'],
		['Exception: Error', 'wrapped: through three frames'],
		['Exception: string', '\'a plain string\''],
		// Through asyncInner and asyncOuter: once.
		['Exception: TypeError', 'async failure'],
	]);
	for (const instant of instants) {
		t.is(instant.s, 't');
		t.is(typeof instant.args.type, 'string');
	}

	// Each is recorded where it left its first function.
	const [first, second, wrapped, primitive, rejected] = instants;
	const at = (instant, fn) => named(spans, fn).some(span => instant.ts >= span.ts && instant.ts <= span.end);
	t.true(at(first, 'c'));
	t.true(at(second, 'c'));
	t.true(at(wrapped, 'rethrows'));
	t.true(at(primitive, 'throwsPrimitive'));
	t.true(at(rejected, 'asyncInner'));
	t.is(first.args.type, 'Error');
	t.is(rejected.args.type, 'TypeError');
});

test('without --log-exception no exception events are recorded', async t => {
	const {events} = await traceExceptions();
	t.deepEqual(events.filter(event => event.ph !== 'X'), []);
});

test('a recursion that overflows the stack throws the same RangeError, closes the spans it passed through, and later calls are recorded at the right depth', async t => {
	const fixture = path.join(fixturesDir, 'differential', 'recursion.cjs');
	const output = path.join(temporaryDirectory(), 'trace.json');
	const [plain, traced] = await Promise.all([run(process.execPath, [fixture]), runCli(['-q', '-o', output, fixture])]);
	t.is(traced.code, 0, traced.stderr);
	t.is(traced.stdout, plain.stdout);
	t.is(traced.stdout.split('\n')[0], 'true Maximum call stack size exceeded');
	const events = (await readTrace(output)).traceEvents.filter(event => event.ph === 'X');
	const deep = events.filter(event => event.name.startsWith('deep '));
	const after = events.filter(event => event.name.startsWith('after ')).sort((a, b) => a.ts - b.ts);
	t.true(deep.length > 1000, `deep spans: ${deep.length}`);
	t.is(after.length, 101);
	// The calls after the overflow nest in each other, and in no span of the overflowed recursion.
	const lastDeepEnd = Math.max(...deep.map(event => event.ts + event.dur));
	t.true(after[0].ts >= lastDeepEnd, 'after() starts once the overflowed spans are closed');
	for (let index = 1; index < after.length; index++) {
		t.true(after[index].ts >= after[index - 1].ts && after[index].ts + after[index].dur <= after[index - 1].ts + after[index - 1].dur + 0.001, `after #${index} inside its caller`);
	}
});
