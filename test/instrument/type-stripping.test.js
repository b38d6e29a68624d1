// TypeScript run directly by Node (22.18+, 23.6+, 24: type stripping): under
// the CLI, `.ts`, `.mts` files are stripped by Node's own stripper and
// instrumented, so the trace names the `.ts` lines and columns, and the
// program prints the same as untraced. Runs under every Node of
// VIZTRACER_TEST_NODES (.ci/run installs 22 and 24) that strips types, and
// under the Node running the tests if it does; says so where none does.
import path from 'node:path';
import test from 'ava';
import {cliPath, fixturesDir, readTrace, run, temporaryDirectory, testNodes} from '../helpers/exec.js';

const corpus = path.join(fixturesDir, 'type-stripping');
const nodes = testNodes();

const cases = {
	'app.ts': ['norm (app.ts:7:1)'],
	'esm.ts': ['name (esm.ts:4:8)', 'fail (esm.ts:8:1)'],
	'lib.mts': ['swap (lib.mts:4:8)'],
};

for (const node of nodes) {
	const label = node === process.execPath ? '' : ` (under ${node})`;
	test(`TypeScript files: untraced and traced runs print the same, and the spans name the .ts lines${label}`, async t => {
		const probe = await run(node, ['-p', 'Boolean(process.features.typescript)']);
		if (probe.stdout.trim() !== 'true') {
			t.log(`${node} (${(await run(node, ['--version'])).stdout.trim()}) does not run TypeScript by itself: nothing to test here`);
			t.pass();
			return;
		}

		for (const [fixture, spans] of Object.entries(cases)) {
			const file = path.join(corpus, fixture);
			// eslint-disable-next-line no-await-in-loop
			const untraced = await run(node, [file], {cwd: corpus});
			t.is(untraced.code, 0, untraced.stderr);
			const output = path.join(temporaryDirectory(), 'trace.json');
			// eslint-disable-next-line no-await-in-loop
			const traced = await run(node, [cliPath, '-q', '-o', output, '--', file], {cwd: corpus, env: {VIZTRACER_NO_CACHE: '1'}});
			t.is(traced.stdout, untraced.stdout, `${fixture}: stdout`);
			t.is(traced.stderr, untraced.stderr, `${fixture}: stderr`);
			t.is(traced.code, 0, `${fixture}: exit code`);
			// eslint-disable-next-line no-await-in-loop
			const names = (await readTrace(output)).traceEvents.filter(event => event.ph === 'X').map(event => event.name);
			t.deepEqual(names.filter(name => spans.includes(name)).sort(), [...spans].sort(), `${fixture}: ${names.join(', ')}`);
		}

		t.regex((await run(node, [path.join(corpus, 'esm.ts')], {cwd: corpus})).stdout, /at fail \(esm\.ts:9:8\)/, 'the stack points at the .ts line');

		// An enum: Node's own error, and its exit code, traced as untraced.
		const enumFile = path.join(corpus, 'enum.ts');
		const untraced = await run(node, [enumFile], {cwd: corpus});
		const traced = await run(node, [cliPath, '-q', '-o', path.join(temporaryDirectory(), 'trace.json'), '--', enumFile], {cwd: corpus, env: {VIZTRACER_NO_CACHE: '1'}});
		t.is(traced.code, untraced.code);
		t.regex(untraced.stderr, /TypeScript enum is not supported in strip-only mode/);
		t.regex(traced.stderr, /TypeScript enum is not supported in strip-only mode/);
		t.is(traced.stdout, untraced.stdout);
	});
}
