// ES modules loaded with require() (Node 20.19+, 22.12+), as CommonJS
// programs load ESM-only packages (yargs 18, say): instrumented once, by
// the module hooks where require() goes through them (Node 22.15+), by the
// CommonJS compile hook where they run on a loader thread that require()
// never reaches (Node 20).
import path from 'node:path';
import test from 'ava';
import {copyFixtures, loadTrace, named, runCli, runNode} from './_helpers.js';

const [major, minor] = process.versions.node.split('.').map(Number);
// 22.12-22.14 load a required .mjs file through a path no hook sees (see the README).
const mjsUnseen = major === 22 && minor < 15;

test('a required .mjs file and a .js file of a "type": "module" package are traced, each function once, and the program prints as untraced', async t => {
	const directory = path.join(copyFixtures('require-esm'), 'require-esm');
	const output = path.join(directory, 'trace.json');
	const [untraced, traced] = await Promise.all([runNode(['main.cjs'], {cwd: directory}), runCli(['-q', '-o', output, 'main.cjs'], {cwd: directory})]);
	t.is(traced.code, 0, traced.stderr);
	t.is(traced.stdout, untraced.stdout);
	const withoutPid = text => text.replaceAll(/\(node:\d+\)/g, '(node)');
	t.is(withoutPid(traced.stderr), withoutPid(untraced.stderr));
	const {spans} = await loadTrace(output);
	t.is(named(spans, 'main').length, 1);
	t.is(named(spans, 'typed').length, 1, spans.map(span => span.name).join(', '));
	if (mjsUnseen) {
		t.log(`Node ${process.version} loads a required .mjs file through no hook: not instrumented (known)`);
		return;
	}

	t.deepEqual(['esmFn', 'inner'].map(fn => named(spans, fn).map(span => span.name)), [['esmFn (lib.mjs:1:8)'], ['inner (lib.mjs:2:1)']]);
});
