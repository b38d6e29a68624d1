// A real library from npm under the tracer: `marked` (a devDependency)
// renders a generated markdown document. Traced with its node_modules, the
// program prints exactly what it prints untraced, and marked's functions
// are on the timeline inside the fixture's own.
import fs from 'node:fs';
import {createRequire} from 'node:module';
import path from 'node:path';
import test from 'ava';
import {copyFixtures, loadTrace, named, runCli, runNode, within} from './_helpers.js';

const require = createRequire(import.meta.url);

/**
 * The fixture in a temporary project with its own copy of the installed
 * marked in node_modules, so the untraced and the traced run load the same
 * files and spans name them relative to the project.
 */
function makeProject() {
	const directory = path.join(copyFixtures('marked'), 'marked');
	const markedDir = path.dirname(require.resolve('marked/package.json'));
	fs.cpSync(markedDir, path.join(directory, 'node_modules', 'marked'), {recursive: true});
	return directory;
}

test('marked renders the same HTML traced with --include-node-modules as untraced, and its functions are traced', async t => {
	const directory = makeProject();
	const output = path.join(directory, 'trace.json');
	const [plain, traced] = await Promise.all([
		runNode(['render.mjs'], {cwd: directory}),
		runCli(['-q', '-o', output, '--include-node-modules', 'render.mjs'], {cwd: directory}),
	]);
	t.is(plain.code, 0, plain.stderr);
	t.is(traced.code, 0, traced.stderr);
	t.is(traced.stderr, '');
	t.true(plain.stdout.length > 100_000, 'a sizeable document was rendered');
	t.true(plain.stdout.includes('<table>') && plain.stdout.includes('<blockquote>') && plain.stdout.includes('<pre><code class="language-js">'));
	t.is(traced.stdout, plain.stdout);

	const {trace, spans} = await loadTrace(output);
	t.false(trace.viztracer_metadata.overflow, 'the ring held every span');
	const fromMarked = spans.filter(span => span.file.startsWith(`node_modules${path.sep}marked${path.sep}`));
	t.true(fromMarked.length > 10_000, `${fromMarked.length} spans from marked`);
	// marked ships a bundle with a source map: spans name its TypeScript sources.
	t.true(fromMarked.some(span => span.file.endsWith('.ts')));
	// Its bundle is minified; the map's names give the functions and classes their source names.
	const names = new Set(fromMarked.map(span => span.fn));
	t.true([...names].some(name => name.startsWith('_Tokenizer.')), [...names].slice(0, 20).join(', '));
	t.true(names.has('Marked.parse') || names.has('Marked.parseMarkdown'));

	// The fixture's own functions, and marked's work inside render().
	t.is(named(spans, 'section').length, 200);
	t.is(named(spans, 'documentOf').length, 1);
	const [render] = named(spans, 'render');
	t.truthy(render);
	const inRender = fromMarked.filter(span => within(span, render));
	t.true(inRender.length > fromMarked.length / 2, 'most of marked\'s work happens inside render()');
	const markedSpans = new Set(fromMarked);
	t.true(spans.every(span => span.file === 'render.mjs' || markedSpans.has(span)));
});

test('without --include-node-modules only the fixture\'s own functions are traced, and the output is the same', async t => {
	const directory = makeProject();
	const output = path.join(directory, 'trace.json');
	const [plain, traced] = await Promise.all([
		runNode(['render.mjs'], {cwd: directory}),
		runCli(['-q', '-o', output, 'render.mjs'], {cwd: directory}),
	]);
	t.is(traced.code, 0, traced.stderr);
	t.is(traced.stdout, plain.stdout);
	const {spans} = await loadTrace(output);
	t.deepEqual([...new Set(spans.map(span => span.fn))].sort(), ['documentOf', 'render', 'section']);
});
