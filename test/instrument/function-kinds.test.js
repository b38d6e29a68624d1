// Every kind of function, instrumented in real subprocesses (the CLI and
// `node --import viztracer/register`), as an ES module and as CommonJS: the
// spans they leave, and that the program behaves exactly as it does untraced.
import path from 'node:path';
import test from 'ava';
import {before, copyFixtures, expectedName, loadTrace, named, parentOf, registerPath, runCli, runNode, temporaryDirectory, within, writeFiles} from './_helpers.js';

/** Runs `file` in `directory` untraced and traced (by the CLI) and returns both runs and the trace. */
async function runBoth(directory, file, cliArgs = []) {
	const output = path.join(directory, 'trace.json');
	const [plain, traced] = await Promise.all([
		runNode([file], {cwd: directory}),
		runCli(['-q', '-o', output, ...cliArgs, file], {cwd: directory}),
	]);
	return {plain, traced, ...(await loadTrace(output))};
}

// The fixture is run once per module system; the tests below read the same runs.
const kindRuns = new Map();
function runKinds(file) {
	if (!kindRuns.has(file)) {
		const directory = copyFixtures(file);
		kindRuns.set(file, runBoth(directory, file).then(result => ({directory, ...result})));
	}

	return kindRuns.get(file);
}

for (const file of ['kinds.mjs', 'kinds.cjs']) {
	const system = file.endsWith('.mjs') ? 'an ES module' : 'CommonJS';

	test(`every function kind behaves the same traced as untraced, in ${system}`, async t => {
		const {plain, traced} = await runKinds(file);
		t.is(plain.code, 0, plain.stderr);
		t.is(traced.code, 0, traced.stderr);
		t.is(traced.stderr, '');
		t.is(traced.stdout, plain.stdout);
		// The fixture really prints what it observes.
		t.true(plain.stdout.includes('derived: [ \'derived derived!:hidden\', \'Derived\', \'before super\', true, true ]'));
		t.true(plain.stdout.includes('generator throw: { value: \'caught thrown in\', done: false }'));
		t.true(plain.stdout.includes(`aliased arguments: '${file.endsWith('.cjs') ? 'changed' : 'original'}'`));
	});

	test(`every function kind leaves spans with its name and source position, in ${system}`, async t => {
		const {directory, traced, spans} = await runKinds(file);
		t.is(traced.code, 0, traced.stderr);
		const name = (fn, needle) => expectedName(fn, directory, file, needle);
		const count = (fn, needle) => spans.filter(span => span.name === name(fn, needle)).length;

		t.is(count('declared', 'function declared('), 2);
		t.is(count('aliased', 'function aliased('), 1);
		t.is(count('expressed', 'function (a) {\n\treturn a * 2'), 1);
		t.is(count('inner', 'function inner(a, b)'), 1, 'a named function expression goes by its own name');
		t.is(count('arrowBlock', 'x => {\n\treturn x + 1'), 1);
		t.is(count('arrowExpression', 'x => x * 3'), 1);
		t.is(count('arrowObject', '() => ({kind'), 1);
		t.is(count('arrowSequence', '(a, b) => (a, b)'), 1);
		t.is(count('inner', '() => [this?.tag'), 1);
		t.is(count('obj.method', 'method(suffix)'), 1);
		t.is(count('get obj.value', 'get value()'), 2);
		t.is(count('set obj.value', 'set value(value)'), 1);
		t.is(count('obj.arrow', 'arrow: () =>'), 1);
		t.is(count('obj.plain', 'plain: function'), 1);
		// new Base, new Derived (through super), Base.create, Derived.create, Base.factory.
		t.is(count('Base.constructor', 'constructor(name) {\n\t\tthis.name'), 5);
		t.is(count('Derived.constructor', 'constructor(name) {\n\t\tconst before'), 2);
		t.is(count('Base.describe', 'describe() {\n\t\treturn `${this.name}'), 3);
		t.is(count('Derived.describe', 'describe() {\n\t\treturn `derived'), 1);
		t.is(count('Base.#reveal', '#reveal() {'), 3);
		t.is(count('Base.get upper', 'get upper()'), 1);
		t.is(count('Base.set upper', 'set upper(value)'), 1);
		t.is(count('Base.field', 'field = () =>'), 1);
		t.is(count('Base.factory', 'static factory'), 1);
		t.is(count('Base.create', 'static create('), 2);
		t.is(count('Base.#count', 'static #count'), 1);
		t.is(count('Base.count', 'static count'), 1);
		// Legacy(3) calls new Legacy(3) itself, and so does Legacy(5).
		t.is(count('Legacy', 'function Legacy'), 5);
		t.is(count('waitThenWork', 'async function waitThenWork'), 1);
		t.is(count('asyncArrow', 'async x => x * 2'), 1);
		t.is(count('asyncThrows', 'async function asyncThrows'), 1);
		t.is(count('outer', 'function outer'), 1);
		t.is(count('middle', 'function middle'), 1);
		t.is(count('inner', '() => innermost()'), 1);
		t.is(count('innermost', 'function innermost'), 1);
		t.is(count('thrower', 'function thrower'), 1);
		t.is(count('main', 'async function main'), 1);

		// Every span names a function of the fixture.
		for (const span of spans) {
			t.is(span.file, file, span.name);
		}
	});

	test(`spans nest as the calls did, in ${system}`, async t => {
		const {directory, traced, spans} = await runKinds(file);
		t.is(traced.code, 0, traced.stderr);
		const [main] = named(spans, 'main');
		// Everything but the final `show('done')` (in CommonJS, within a `.then` callback) runs inside main.
		const outside = spans.filter(span => span !== main && !within(span, main));
		t.deepEqual(outside.map(span => span.fn), file.endsWith('.cjs') ? ['<anonymous>', 'show'] : ['show']);

		const only = fn => {
			const found = named(spans, fn);
			t.is(found.length, 1, fn);
			return found[0];
		};

		// outer > middle > inner > innermost.
		const [outer, middle, innermost] = [only('outer'), only('middle'), only('innermost')];
		const inner = parentOf(spans, innermost);
		t.is(inner.fn, 'inner');
		t.is(parentOf(spans, inner), middle);
		t.is(parentOf(spans, middle), outer);
		t.is(parentOf(spans, outer), main);

		// A derived constructor's span holds the base constructor called through super().
		for (const derived of named(spans, 'Derived.constructor')) {
			const bases = named(spans, 'Base.constructor').filter(base => within(base, derived));
			t.is(bases.length, 1);
			t.is(parentOf(spans, bases[0]), derived);
		}

		// Derived.describe > Base.describe (super.describe()) > Base.#reveal.
		const derivedDescribe = only('Derived.describe');
		const superDescribe = named(spans, 'Base.describe').find(span => parentOf(spans, span) === derivedDescribe);
		t.truthy(superDescribe);
		t.is(named(spans, 'Base.#reveal').filter(span => parentOf(spans, span) === superDescribe).length, 1);

		// Base.count > Base.#count; Base.create > Base.constructor; Base.factory > Base.constructor.
		t.is(parentOf(spans, only('Base.#count')), only('Base.count'));
		t.is(parentOf(spans, named(spans, 'Base.constructor').find(span => within(span, only('Base.factory')))), only('Base.factory'));

		// Legacy(3) called without new calls new Legacy(3): one span inside the other.
		const legacy = named(spans, 'Legacy');
		t.is(legacy.filter(span => parentOf(spans, span).fn === 'Legacy').length, 2);

		// The arrow inside arrowsSeeTheirParent.
		t.is(parentOf(spans, named(spans, 'inner').find(span => within(span, only('arrowsSeeTheirParent')))), only('arrowsSeeTheirParent'));

		// Calls happen in program order: each `show` follows the call whose result it prints.
		t.true(before(only('aliased'), only('expressed')));
		t.true(before(only('expressed'), only('arrowBlock')));
		t.true(before(only('arrowBlock'), only('obj.method')));
		t.true(before(only('obj.method'), only('Derived.describe')));
		t.true(before(only('Derived.describe'), only('waitThenWork')));
		t.true(before(only('waitThenWork'), only('outer')));
		t.true(before(only('outer'), only('thrower')));
	});

	test(`an async function's span runs from the call until it settles, covering what it awaited, in ${system}`, async t => {
		const {directory, traced, spans} = await runKinds(file);
		t.is(traced.code, 0, traced.stderr);
		const [work] = named(spans, 'waitThenWork');
		const [onTimer] = named(spans, 'onTimer');
		const [afterAwait] = named(spans, 'afterAwait');
		// The timer callback runs during the await, afterAwait after it: both inside the span.
		t.true(within(onTimer, work), 'the awaited timer fired within the span');
		t.true(within(afterAwait, work), 'the code after the await is within the span');
		t.true(before(onTimer, afterAwait));
		// The promise executor ran synchronously at the call, the timer callback later.
		const timerCallback = parentOf(spans, onTimer);
		t.is(timerCallback.fn, '<anonymous>');
		t.true(within(timerCallback, work));
		// The span of an async function that rejects also ends.
		const [asyncThrows] = named(spans, 'asyncThrows');
		t.true(within(asyncThrows, named(spans, 'main')[0]));
		// The async main holds everything it awaited.
		t.true(within(named(spans, 'ticker').at(-1), named(spans, 'main')[0]));
	});

	test(`a generator has one span per resumption, in ${system}`, async t => {
		const {directory, traced, spans} = await runKinds(file);
		t.is(traced.code, 0, traced.stderr);
		const [main] = named(spans, 'main');

		// [...countTo(3)]: three yields and the final return: four resumptions,
		// each holding the step() it called; then countTo(2) under yield*.
		const counts = named(spans, 'countTo');
		t.is(counts.length, 4 + 3);
		const steps = named(spans, 'step');
		t.is(steps.length, 3 + 2);
		for (const step of steps) {
			t.is(parentOf(spans, step).fn, 'countTo', 'step() runs inside a countTo resumption');
		}

		// Resumptions of one generator never overlap, and each is a child of main.
		for (let index = 1; index < counts.length; index++) {
			t.true(before(counts[index - 1], counts[index]));
		}

		for (const span of counts) {
			t.is(parentOf(spans, span), main);
		}

		// delegating: start until yield*, back from yield* until `yield result`, and the end.
		const delegating = named(spans, 'delegating');
		t.is(delegating.length, 3);
		const delegatedCounts = counts.slice(4);
		t.true(delegatedCounts.every(span => before(delegating[0], span) && before(span, delegating[1])), 'the delegated generator runs between the delegating one\'s spans');

		// protocol(): next, next, throw (caught inside: its catch runs in a span), next (finally and return),
		// then early: next, and return() at a yield outside any try (nothing of it runs).
		const protocol = named(spans, 'protocol');
		t.is(protocol.length, 5);
		const finallyShow = named(spans, 'show').filter(span => within(span, protocol[3]));
		t.is(finallyShow.length, 1, 'the generator\'s finally block runs inside its resumption\'s span');
	});

	test(`an async generator has one span per resumption, covering its awaits, in ${system}`, async t => {
		const {directory, traced, spans} = await runKinds(file);
		t.is(traced.code, 0, traced.stderr);
		const ticker = named(spans, 'ticker');
		// Three yields, then the resumption that finishes the loop.
		t.is(ticker.length, 4);
		for (let index = 1; index < ticker.length; index++) {
			t.true(before(ticker[index - 1], ticker[index]));
		}

		// The first three resumptions each created a promise whose executor ran inside them.
		const executors = named(spans, '<anonymous>').filter(span => span.line === ticker[0].line + 2);
		t.is(executors.length, 3);
		for (const [index, executor] of executors.entries()) {
			t.true(within(executor, ticker[index]));
		}
	});
}

test('under `node --import viztracer/register`, every function kind is traced and behaves the same', async t => {
	const directory = copyFixtures('kinds.mjs', 'kinds.cjs');
	for (const file of ['kinds.mjs', 'kinds.cjs']) {
		const output = path.join(directory, `${file}.json`);
		const [plain, traced] = await Promise.all([
			runNode([file], {cwd: directory}),
			runNode(['--import', registerPath, file], {cwd: directory, env: {VIZTRACER_OUTPUT_FILE: output, VIZTRACER_VERBOSE: '0', VIZTRACER_NO_CACHE: '1'}}),
		]);
		t.is(traced.code, 0, traced.stderr);
		t.is(traced.stdout, plain.stdout);
		const {spans} = await loadTrace(output);
		t.is(named(spans, 'Base.constructor').length, 5, file);
		t.is(named(spans, 'countTo').length, 7, file);
		t.is(named(spans, 'main').length, 1, file);
		t.true(spans.every(span => span.file === file));
	}
});

test('a function called through a circular import before its module has run is traced under its own name', async t => {
	const directory = copyFixtures('circular');
	const cwd = path.join(directory, 'circular');
	const {plain, traced, spans} = await runBoth(cwd, 'main.mjs');
	t.is(traced.code, 0, traced.stderr);
	t.is(traced.stdout, plain.stdout);
	t.is(plain.stdout, 'b calls fromA early: A\nBA\n');
	const fromA = expectedName('fromA', cwd, 'main.mjs', 'function fromA');
	const useB = expectedName('useB', cwd, 'b.mjs', 'function useB');
	t.deepEqual(spans.map(span => span.name), [fromA, useB, fromA]);
	t.is(parentOf(spans, spans[2]), spans[1]);
});

test('a .js file with ES module syntax outside a "type": "module" package is traced as an ES module, without warnings', async t => {
	const directory = temporaryDirectory();
	writeFiles(directory, {'typeless.js': 'import {basename} from \'node:path\';\n\nexport function name(file) {\n\treturn basename(file);\n}\n\nconsole.log(name(\'/a/b/c.txt\'));\n'});
	const {plain, traced, spans} = await runBoth(directory, 'typeless.js');
	t.is(plain.code, 0, plain.stderr);
	t.is(traced.code, 0, traced.stderr);
	t.is(traced.stdout, 'c.txt\n');
	t.is(traced.stderr, plain.stderr, 'no warning of its own');
	t.deepEqual(spans.map(span => span.name), ['name (typeless.js:3:8)']);
});
