import fs from 'node:fs';
import path from 'node:path';
import test from 'ava';
import {fixturesDir, readTrace, runCli, run, temporaryDirectory} from '../helpers/exec.js';

// The same fixture untraced and traced: stdout, stderr and the exit code must
// be the same byte for byte, with every recording option on too, and the
// trace must hold spans of the fixture's own functions.
const corpus = path.join(fixturesDir, 'differential');
const fixtures = fs.readdirSync(corpus).filter(name => /\.[cm]?js$/.test(name)).sort();
const modes = {
	plain: [],
	'every option': ['--log-func-args', '--log-func-retval', '--log-exception', '--log-async'],
};

for (const fixture of fixtures) {
	const file = path.join(corpus, fixture);
	test(`${fixture}: untraced and traced runs print the same and exit the same`, async t => {
		const untraced = await run(process.execPath, [file], {cwd: corpus});
		t.is(untraced.code, 0, untraced.stderr);
		for (const [mode, flags] of Object.entries(modes)) {
			const output = path.join(temporaryDirectory(), 'trace.json');
			const traced = await runCli(['-q', '-o', output, ...flags, '--', file], {cwd: corpus, env: {VIZTRACER_NO_CACHE: '1'}});
			t.is(traced.stdout, untraced.stdout, `${mode}: stdout`);
			t.is(traced.stderr, untraced.stderr, `${mode}: stderr`);
			t.is(traced.code, untraced.code, `${mode}: exit code`);
			t.is(traced.signal, untraced.signal, `${mode}: signal`);
			const trace = await readTrace(output);
			t.true(trace.traceEvents.some(event => event.ph === 'X' && event.name.includes(fixture)), `${mode}: spans of ${fixture}`);
		}
	});
}
