// The recording options as they apply to instrumented functions:
// --max-stack-depth, --min-duration, --log-func-args and --log-func-retval.
import path from 'node:path';
import test from 'ava';
import {copyFixtures, loadTrace, named, parentOf, runCli, runNode, writeFiles} from './_helpers.js';

async function traceOptions(t, args = [], env = {}) {
	const directory = copyFixtures('options.mjs');
	const output = path.join(directory, 'trace.json');
	const [plain, traced] = await Promise.all([
		runNode(['options.mjs'], {cwd: directory, env}),
		runCli(['-q', '-o', output, ...args, 'options.mjs'], {cwd: directory, env}),
	]);
	t.is(plain.code, 0, plain.stderr);
	t.is(traced.code, 0, traced.stderr);
	t.is(traced.stdout, plain.stdout, 'the program prints the same');
	return loadTrace(output);
}

test('without options, every call is a span and spans carry no args', async t => {
	const {spans} = await traceOptions(t);
	t.is(named(spans, 'depth').length, 5);
	t.is(named(spans, 'trivial').length, 1000);
	t.true(spans.every(span => span.args === undefined));
	// depth(4) > depth(3) > … > depth(0).
	const chain = named(spans, 'depth');
	for (let index = 1; index < chain.length; index++) {
		t.is(parentOf(spans, chain[index]), chain[index - 1]);
	}
});

for (const maxDepth of [1, 3]) {
	test(`--max-stack-depth ${maxDepth} records only spans less than ${maxDepth} deep`, async t => {
		const {spans} = await traceOptions(t, ['--max-stack-depth', String(maxDepth)]);
		// depth(4) is called from the top level: its chain is depth 0, 1, 2, 3, 4.
		t.is(named(spans, 'depth').length, maxDepth);
		// Top-level calls are at depth 0 and always recorded.
		t.is(named(spans, 'trivial').length, 1000);
		t.is(named(spans, 'add').length, 2);
	});
}

test('--max-stack-depth 0 records no function spans', async t => {
	const {spans} = await traceOptions(t, ['--max-stack-depth', '0']);
	t.deepEqual(spans, []);
});

test('--min-duration drops the spans shorter than it and keeps a call that blocks longer', async t => {
	// pause() blocks in Atomics.wait for at least 200 ms; the limit is 50 ms.
	const {spans} = await traceOptions(t, ['--min-duration', '50000'], {PAUSE_MS: '200'});
	const pause = named(spans, 'pause');
	t.is(pause.length, 1);
	t.true(pause[0].dur >= 50_000);
	t.true(spans.every(span => span.dur >= 50_000), 'nothing shorter than the limit is kept');
	t.true(named(spans, 'trivial').length < 1000, 'the trivial calls are (nearly all) dropped');
});

test('--log-func-args records a repr of each named parameter in args.func_args', async t => {
	const {spans} = await traceOptions(t, ['--log-func-args']);
	t.deepEqual(named(spans, 'depth').map(span => span.args.func_args), [{n: '4'}, {n: '3'}, {n: '2'}, {n: '1'}, {n: '0'}]);
	// Defaults applied, rest parameters as arrays.
	t.deepEqual(named(spans, 'add').map(span => span.args.func_args), [{a: '1', b: '10', rest: '[]'}, {a: '1', b: '2', rest: '[ 3, 4 ]'}]);
	// A destructured parameter has no name to record.
	t.deepEqual(named(spans, 'describe')[0].args.func_args, {label: '\'label\''});
	// The value when the call started, before the function changed it.
	t.deepEqual(named(spans, 'noReturn')[0].args.func_args, {target: '{}'});
	t.deepEqual(named(spans, 'shout')[0].args.func_args, {text: '\'quiet\''});
	t.deepEqual(named(spans, 'later')[0].args.func_args, {value: '21'});
	// A generator records its arguments when it starts, not at each resumption.
	const pairs = named(spans, 'pairs');
	t.is(pairs.length, 2);
	t.deepEqual(pairs[0].args.func_args, {first: '\'one\''});
	t.is(pairs[1].args, undefined);
	t.true(spans.every(span => span.args?.return_value === undefined), 'no return values without --log-func-retval');
});

test('--log-func-retval records a repr of each return value in args.return_value', async t => {
	const {spans} = await traceOptions(t, ['--log-func-retval']);
	t.deepEqual(named(spans, 'depth').map(span => span.args), Array.from({length: 5}, () => ({return_value: '\'bottom\''})));
	t.deepEqual(named(spans, 'add').map(span => span.args.return_value), ['11', '5']);
	t.is(named(spans, 'describe')[0].args.return_value, '{ kind: \'box\', label: \'label\', list: [ 1, 2, 3 ] }');
	t.is(named(spans, 'shout')[0].args.return_value, '\'QUIET\'', 'an expression-bodied arrow');
	// A function that falls off its end returns undefined.
	t.is(named(spans, 'noReturn')[0].args.return_value, 'undefined');
	// An async function's value is the one its promise resolves to.
	t.is(named(spans, 'later')[0].args.return_value, '42');
	// A generator's return value is recorded on its last resumption.
	t.deepEqual(named(spans, 'pairs').map(span => span.args?.return_value), [undefined, '\'generator done\'']);
	t.true(spans.every(span => span.args?.func_args === undefined), 'no arguments without --log-func-args');
});

test('--log-func-args and --log-func-retval together', async t => {
	const {spans} = await traceOptions(t, ['--log-func-args', '--log-func-retval']);
	t.deepEqual(named(spans, 'add')[1].args, {func_args: {a: '1', b: '2', rest: '[ 3, 4 ]'}, return_value: '5'});
	t.deepEqual(named(spans, 'pause')[0].args, {func_args: {ms: '1'}, return_value: '1'});
	t.is(named(spans, 'trivial').length, 1000);
	t.deepEqual(named(spans, 'trivial')[999].args, {func_args: {i: '999'}, return_value: '999'});
});

test('--log-func-args does not disturb a generator whose parameter is shadowed where it pauses', async t => {
	const directory = copyFixtures('options.mjs');
	const script = path.join(directory, 'shadowed.mjs');
	writeFiles(directory, {'shadowed.mjs': 'function * shadowing(x) {\n\t{\n\t\tconst y = yield \'paused\';\n\t\tconst x = 5;\n\t\tyield x + y;\n\t}\n}\n\nconst generator = shadowing(1);\nconsole.log(generator.next(), generator.next(10), generator.next());\n'});
	const output = path.join(directory, 'trace.json');
	const [plain, traced] = await Promise.all([
		runNode([script], {cwd: directory}),
		runCli(['-q', '-o', output, '--log-func-args', '--log-func-retval', script], {cwd: directory}),
	]);
	t.is(traced.code, 0, traced.stderr);
	t.is(traced.stdout, plain.stdout);
	const {spans} = await loadTrace(output);
	t.is(named(spans, 'shadowing').length, 3);
	t.deepEqual(named(spans, 'shadowing')[0].args.func_args, {x: '1'});
});
