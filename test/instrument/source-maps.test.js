// Source positions under instrumentation: stack traces of traced programs
// point at the original lines and columns, and compiled TypeScript is named
// and reported by its .ts source (through its own source map, a .map file or
// an inline one).
import fs from 'node:fs';
import path from 'node:path';
import {fileURLToPath} from 'node:url';
import test from 'ava';
import ts from 'typescript';
import {copyFixtures, instrumentFixturesDir, loadTrace, named, positionOf, runCli, runNode, temporaryDirectory} from './_helpers.js';

const stackFrame = /^\s+at (?:async )?(?:(?<fn>.*?) \((?<location>[^()]+)\)|(?<bare>\S+))$/;

/**
 * The frames of the stacks printed in `stdout` that lie in `directory`, as
 * `file:line:col` with file URLs turned into paths (Node prints source-mapped
 * frames with paths). Other frames (node internals, the loader) are left out.
 */
function framesIn(stdout, directory) {
	const frames = [];
	for (const line of stdout.split('\n')) {
		const match = stackFrame.exec(line);
		if (!match) {
			continue;
		}

		let location = match.groups.location ?? match.groups.bare;
		if (location.startsWith('file://')) {
			const [, url, position] = /^(.*?)(:\d+:\d+)$/.exec(location);
			location = fileURLToPath(url) + position;
		}

		if (location.startsWith(directory + path.sep)) {
			frames.push(path.relative(directory, location));
		}
	}

	return frames;
}

for (const file of ['stack-traces.mjs', 'stack-traces.cjs']) {
	test(`stack traces of a traced ${path.extname(file)} program point at the original lines and columns`, async t => {
		const directory = copyFixtures(file);
		const [plain, traced] = await Promise.all([
			runNode([file], {cwd: directory}),
			runCli(['-q', '-o', path.join(directory, 'trace.json'), file], {cwd: directory}),
		]);
		t.is(plain.code, 0, plain.stderr);
		t.is(traced.code, 0, traced.stderr);
		const expected = framesIn(plain.stdout, directory);
		// Eight errors, each with at least the frame that raised it and its caller.
		t.true(expected.length >= 16, expected.join('\n'));
		t.deepEqual(framesIn(traced.stdout, directory), expected);
		// The messages are unchanged too.
		const messages = output => output.split('\n').filter(line => !stackFrame.test(line));
		t.deepEqual(messages(traced.stdout), messages(plain.stdout));
		// One-line functions, where code was inserted before the throw on the same line.
		const source = fs.readFileSync(path.join(directory, file), 'utf8');
		const oneLiner = positionOf(source, 'new Error(\'one-liner\')');
		t.true(framesIn(traced.stdout, directory).includes(`${file}:${oneLiner.line}:${oneLiner.column}`));
		const method = positionOf(source, 'new RangeError(\'method\')');
		t.true(framesIn(traced.stdout, directory).includes(`${file}:${method.line}:${method.column}`));
	});
}

/**
 * Compiles the TypeScript fixture with the TypeScript compiler into
 * `directory`: src/shapes.mts → dist/shapes.mjs with dist/shapes.mjs.map
 * beside it, and src/shapes.cts → dist/shapes.cjs with an inline map.
 */
function compileTypeScript(directory) {
	const source = fs.readFileSync(path.join(instrumentFixturesDir, 'typescript', 'shapes.ts'), 'utf8');
	fs.mkdirSync(path.join(directory, 'src'));
	fs.mkdirSync(path.join(directory, 'dist'));
	const compilerOptions = {target: ts.ScriptTarget.ES2022, strict: true};

	fs.writeFileSync(path.join(directory, 'src', 'shapes.mts'), source);
	const esm = ts.transpileModule(source, {fileName: 'shapes.mts', reportDiagnostics: true, compilerOptions: {...compilerOptions, module: ts.ModuleKind.ESNext, sourceMap: true}});
	const map = JSON.parse(esm.sourceMapText);
	// What tsc writes for rootDir src and outDir dist.
	map.file = 'shapes.mjs';
	map.sources = ['../src/shapes.mts'];
	fs.writeFileSync(path.join(directory, 'dist', 'shapes.mjs'), esm.outputText.replace(/\/\/# sourceMappingURL=.*$/m, '//# sourceMappingURL=shapes.mjs.map'));
	fs.writeFileSync(path.join(directory, 'dist', 'shapes.mjs.map'), JSON.stringify(map));

	fs.writeFileSync(path.join(directory, 'src', 'shapes.cts'), source);
	const cjs = ts.transpileModule(source, {fileName: path.join(directory, 'src', 'shapes.cts'), reportDiagnostics: true, compilerOptions: {...compilerOptions, module: ts.ModuleKind.CommonJS, inlineSourceMap: true, sourceRoot: '../src/'}});
	fs.writeFileSync(path.join(directory, 'dist', 'shapes.cjs'), cjs.outputText);
	return {source, diagnostics: [...esm.diagnostics, ...cjs.diagnostics]};
}

for (const [compiled, original, how] of [['dist/shapes.mjs', 'src/shapes.mts', 'an ES module with a .map file beside it'], ['dist/shapes.cjs', 'src/shapes.cts', 'CommonJS with an inline source map']]) {
	test(`compiled TypeScript (${how}) is traced under its .ts names and lines, and its stack traces read as untraced: .js positions, or .ts ones under --enable-source-maps`, async t => {
		const directory = temporaryDirectory();
		const {source, diagnostics} = compileTypeScript(directory);
		t.deepEqual(diagnostics, []);
		const compiledText = fs.readFileSync(path.join(directory, compiled), 'utf8');
		t.regex(compiledText, /sourceMappingURL=/);
		const output = path.join(directory, 'trace.json');
		const [plain, traced, plainMapped, tracedMapped] = await Promise.all([
			runNode([compiled], {cwd: directory}),
			runCli(['-q', '-o', output, compiled], {cwd: directory}),
			runNode(['--enable-source-maps', compiled], {cwd: directory}),
			runCli(['-q', '-o', path.join(directory, 'mapped.json'), compiled], {cwd: directory, env: {NODE_OPTIONS: '--enable-source-maps'}}),
		]);
		for (const result of [plain, traced, plainMapped, tracedMapped]) {
			t.is(result.code, 0, result.stderr);
		}

		t.true(plain.stdout.includes('RangeError: square is too large'));
		// Without source maps of its own, the program sees the compiled file's positions, traced or not.
		t.is(traced.stdout, plain.stdout);
		t.true(framesIn(traced.stdout, directory)[0].startsWith(compiled), traced.stdout);
		// With them, the error's stack points at the .ts file, at the line and column of `new RangeError`.
		t.is(tracedMapped.stdout, plainMapped.stdout);
		const raised = positionOf(source, 'new RangeError');
		const frames = framesIn(tracedMapped.stdout, directory);
		t.is(frames[0], `${original}:${raised.line}:${raised.column}`);
		t.deepEqual(frames, framesIn(plainMapped.stdout, directory));

		// Spans are named by the .ts file and the line each function starts on there.
		const {spans} = await loadTrace(output);
		t.true(spans.length > 0);
		t.true(spans.every(span => span.file === original), spans.map(span => span.name).join('\n'));
		const line = needle => positionOf(source, needle).line;
		const expectations = [
			['Square.constructor', 'constructor(private readonly side', 2],
			['Circle.constructor', 'constructor(private readonly radius', 1],
			['Square.area', 'area(): number {\n\t\treturn this.side', undefined],
			['Circle.area', 'area(): number {\n\t\treturn Math.round', undefined],
			['largest', 'function largest', 1],
			['validate', 'function validate', 3],
			['measure', 'async function measure', 1],
			['main', 'export async function main', 1],
		];
		for (const [fn, needle, count] of expectations) {
			const found = named(spans, fn);
			t.true(found.length > 0, fn);
			if (count !== undefined) {
				t.is(found.length, count, fn);
			}

			for (const span of found) {
				t.is(span.line, line(needle), fn);
			}
		}

		// The reduce callbacks are anonymous arrows on their own lines.
		const callbacks = named(spans, '<anonymous>').map(span => span.line);
		t.true(callbacks.includes(line('(best, shape) =>')));
		t.true(callbacks.includes(line('(total, shape) =>')));
	});
}
