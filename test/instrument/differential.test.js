import fs from 'node:fs';
import path from 'node:path';
import test from 'ava';
import {cliPath, fixturesDir, readTrace, run as runSubprocess, temporaryDirectory, testNodes, withSubprocessSlot} from '../helpers/exec.js';

// Many tests of this file start Node at once, three Nodes each under CI: at most a few
// subprocesses run at a time, so a loaded machine slows them down instead of timing them out.
const run = (...args) => withSubprocessSlot(() => runSubprocess(...args));

// The same fixture untraced and traced: stdout, stderr and the exit code must
// be the same byte for byte, with every recording option on too, and the
// trace must hold spans of the fixture's own functions. Besides the Node
// running the tests, every binary in VIZTRACER_TEST_NODES (paths separated by
// `:`; .ci/run installs Node 22 and 24 there) runs the corpus too.
const corpus = path.join(fixturesDir, 'differential');
const fixtures = fs.readdirSync(corpus).filter(name => /\.[cm]?js$/.test(name)).sort();
const modes = {
	plain: [],
	'every option': ['--log-func-args', '--log-func-retval', '--log-exception', '--log-async'],
};
const nodes = testNodes();

for (const node of nodes) {
	const label = node === process.execPath ? '' : ` (under ${node})`;
	for (const fixture of fixtures) {
		const file = path.join(corpus, fixture);
		test(`${fixture}: untraced and traced runs print the same and exit the same${label}`, async t => {
			t.true(fs.existsSync(node), `${node} exists`);
			const untraced = await run(node, [file], {cwd: corpus});
			t.is(untraced.code, 0, untraced.stderr);
			for (const [mode, flags] of Object.entries(modes)) {
				const output = path.join(temporaryDirectory(), 'trace.json');
				const traced = await run(node, [cliPath, '-q', '-o', output, ...flags, '--', file], {cwd: corpus, env: {VIZTRACER_NO_CACHE: '1'}});
				// A run killed at the test's timeout (a machine too busy) says so, rather than passing for a difference in output.
				const killed = traced.signal === 'SIGKILL' && untraced.signal !== 'SIGKILL' ? ' (killed at the timeout)' : '';
				t.is(traced.stdout, untraced.stdout, `${mode}: stdout${killed}`);
				t.is(traced.stderr, untraced.stderr, `${mode}: stderr`);
				t.is(traced.code, untraced.code, `${mode}: exit code`);
				t.is(traced.signal, untraced.signal, `${mode}: signal`);
				const trace = await readTrace(output);
				t.true(trace.traceEvents.some(event => event.ph === 'X' && event.name.includes(fixture)), `${mode}: spans of ${fixture}`);
			}
		});
	}
}
