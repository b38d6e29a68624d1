// What instrumenting code costs before it runs:
// 1. transform throughput, MB of source per second, for real files: acorn's
//    parse alone, instrumentSource() (parse + walk + edits + source map), and
//    the whole per-file step the loader hooks run (the file's own source map
//    read and composed, the map inlined; cache off); best and first (cold
//    JIT) of several runs in this process;
// 2. start-up of a program that loads ~1 MB of JS (a generated set of ES
//    modules and CommonJS modules, classes, closures, async functions and
//    generators, about 0.5 MB of each), as subprocesses, best of several:
//    plain node, the viztracer CLI with everything excluded (its fixed
//    cost), the CLI with a cold transform cache (a fresh VIZTRACER_CACHE_DIR)
//    and with a warm one.
// Usage: node benchmarks/instrumentation-cost.js [--runs 5] [--json] [--dist dir]
//        node benchmarks/instrumentation-cost.js --write-program dir
//        (writes the generated program to dir and exits, to profile it by hand)
import {spawnSync} from 'node:child_process';
import fs from 'node:fs';
import {createRequire} from 'node:module';
import os from 'node:os';
import path from 'node:path';
import {performance} from 'node:perf_hooks';
import {fileURLToPath, pathToFileURL} from 'node:url';
import {parseArgs} from 'node:util';

const {values: flags} = parseArgs({
	options: {
		runs: {type: 'string', default: '5'},
		json: {type: 'boolean', default: false},
		dist: {type: 'string'},
		'write-program': {type: 'string'},
		'cold-file': {type: 'string'},
		'source-type': {type: 'string'},
	},
});

const here = path.dirname(fileURLToPath(import.meta.url));
const dist = path.resolve(flags.dist ?? path.join(here, '..', 'dist'));
if (!fs.existsSync(path.join(dist, 'index.js'))) {
	console.error('dist/ is missing: run `npx tsc -p tsconfig.json` (or `npm run build`) first');
	process.exit(1);
}

const runs = Number(flags.runs);
const require = createRequire(import.meta.url);
const {parse} = require('acorn');
const {instrumentSource} = await import(pathToFileURL(path.join(dist, 'instrument', 'transform.js')).href);
const {createFileInstrumenter} = await import(pathToFileURL(path.join(dist, 'instrument', 'instrument-file.js')).href);
const {resolveInstrumentOptions} = await import(pathToFileURL(path.join(dist, 'instrument', 'install.js')).href);
const cli = path.join(dist, 'bin', 'viztracer.js');

const directory = fs.mkdtempSync(path.join(os.tmpdir(), 'viztracer-bench-instrument-'));
process.on('exit', () => {
	fs.rmSync(directory, {recursive: true, force: true});
});

// ---------------------------------------------------------------------------
// A generated program: modules of realistic shape

function moduleSource(index, kind, targetBytes) {
	const blocks = [];
	let size = 0;
	for (let k = 0; size < targetBytes; k++) {
		const id = `${index}_${k}`;
		const block = `
/**
 * A widget of module ${index} (block ${k}): keeps items and derives values from them.
 * Generated for the viztracer instrumentation benchmark.
 */
class Widget${id} {
	#items = [];
	static count = 0;
	label = 'widget-${id}';
	onChange = value => this.#items.push(value);

	constructor(size, scale = 1) {
		Widget${id}.count++;
		for (let i = 0; i < size; i++) {
			this.#items.push((i * scale) % 97);
		}
	}

	get size() {
		return this.#items.length;
	}

	set first(value) {
		this.#items[0] = value;
	}

	total() {
		return this.#items.reduce((sum, item) => sum + item, 0);
	}

	scaled(factor) {
		return this.#items.map(item => item * factor).filter(item => item % 2 === 0);
	}

	describe() {
		const {size} = this;
		return \`\${this.label}: \${size} items, total \${this.total()}\`;
	}

	static create(size) {
		return new Widget${id}(size, ${(k % 5) + 1});
	}
}

function compute${id}(count, step) {
	let value = 0;
	for (let i = 0; i < count; i++) {
		value = (value + (i * step)) % 1_000_003;
		if (value % 13 === 0) {
			value += helper${id}(i);
		}
	}

	return value;
}

function helper${id}(input) {
	switch (input % 4) {
		case 0: return input >> 1;
		case 1: return input * 3;
		case 2: return input - 1;
		default: return 0;
	}
}

const format${id} = (value, width = 8) => String(value).padStart(width, '0');
const options${id} = {
	name: 'options-${id}',
	retries: ${k % 7},
	validate(value) {
		return typeof value === 'number' && value >= 0;
	},
	transform: function (value) {
		return this.validate(value) ? value * 2 : -1;
	},
};

async function load${id}(key) {
	await null;
	return {key, value: compute${id}(8, key)};
}

function* range${id}(limit) {
	for (let i = 0; i < limit; i++) {
		yield i * ${k + 1};
	}
}
`;
		blocks.push({id, block});
		size += block.length;
	}

	const init = `
${kind === 'esm' ? 'export ' : ''}function init() {
	let total = 0;
${blocks.slice(0, 4).map(({id}) => `	total += Widget${id}.create(6).scaled(2).length + compute${id}(20, 3) + format${id}(7).length + options${id}.transform(4) + [...range${id}(3)].length;
	void load${id}(1);`).join('\n')}
	return total;
}
`;
	const body = blocks.map(({block}) => block).join('');
	return kind === 'esm'
		? `// Generated ES module ${index}\n${body}${init}\nexport {${blocks.slice(0, 2).map(({id}) => `Widget${id}, compute${id}`).join(', ')}};\n`
		: `'use strict';\n// Generated CommonJS module ${index}\n${body}${init}\nmodule.exports = {init, ${blocks.slice(0, 2).map(({id}) => `Widget${id}, compute${id}`).join(', ')}};\n`;
}

const moduleCount = 40;
const moduleBytes = 13_000;
const programDirectory = flags['write-program'] ? path.resolve(flags['write-program']) : path.join(directory, 'program');
fs.mkdirSync(path.join(programDirectory, 'esm'), {recursive: true});
fs.mkdirSync(path.join(programDirectory, 'cjs'), {recursive: true});
let programBytes = 0;
let programFunctions = 0;
for (let index = 0; index < moduleCount; index++) {
	for (const [kind, file] of [['esm', `esm/m${index}.mjs`], ['cjs', `cjs/m${index}.cjs`]]) {
		const source = moduleSource(index, kind, moduleBytes);
		fs.writeFileSync(path.join(programDirectory, file), source);
		programBytes += Buffer.byteLength(source);
		programFunctions += instrumentSource(source, {filename: file, displayPath: file, sourceType: kind === 'esm' ? 'module' : 'script'})?.names.length ?? 0;
	}
}

fs.writeFileSync(path.join(programDirectory, 'main.mjs'), `// Loads every module and calls each one's init().
import {createRequire} from 'node:module';
${Array.from({length: moduleCount}, (_, index) => `import {init as init${index}} from './esm/m${index}.mjs';`).join('\n')}

const require = createRequire(import.meta.url);
let total = 0;
${Array.from({length: moduleCount}, (_, index) => `total += init${index}();`).join('\n')}
for (let index = 0; index < ${moduleCount}; index++) {
	total += require(\`./cjs/m\${index}.cjs\`).init();
}

console.log(total);
`);

if (flags['write-program']) {
	console.log(`wrote ${path.join(programDirectory, 'main.mjs')} and ${moduleCount * 2} modules (${(programBytes / 1024 / 1024).toFixed(2)} MB)`);
	process.exit(0);
}

// ---------------------------------------------------------------------------
// 1. Transform throughput

const transformFiles = [
	{label: 'typescript/lib/typescript.js', package: 'typescript', file: 'lib/typescript.js', sourceType: 'script'},
	{label: 'lodash/lodash.js', package: 'lodash', file: 'lodash.js', sourceType: 'script'},
	{label: 'marked/lib/marked.esm.js (minified, has a .map)', package: 'marked', file: 'lib/marked.esm.js', sourceType: 'module'},
	{label: 'generated ES module (the program below)', path: path.join(programDirectory, 'esm', 'm0.mjs'), sourceType: 'module'},
];

const newInstrumenter = () => createFileInstrumenter(resolveInstrumentOptions({cacheDir: false, includeNodeModules: true, cwd: here}), message => {
	throw new Error(message);
});

if (flags['cold-file']) {
	// A child: the per-file hook step once, in a fresh process (JIT cold).
	const source = fs.readFileSync(flags['cold-file'], 'utf8');
	const instrumenter = newInstrumenter();
	const t0 = performance.now();
	instrumenter(source, flags['cold-file'], flags['source-type']);
	console.log(performance.now() - t0);
	process.exit(0);
}

// Warm the JIT up on a small file first, so the first file measured is not the one that pays for it.
{
	const file = path.join(programDirectory, 'esm', 'm1.mjs');
	const source = fs.readFileSync(file, 'utf8');
	const instrumenter = newInstrumenter();
	for (let index = 0; index < 20; index++) {
		parse(source, {ecmaVersion: 'latest', sourceType: 'module'});
		instrumentSource(source, {filename: file, displayPath: 'm1.mjs', sourceType: 'module'});
		instrumenter(source, file, 'module');
	}
}

const transformRows = [];
for (const entry of transformFiles) {
	let file = entry.path;
	if (!file) {
		try {
			file = path.join(path.dirname(require.resolve(`${entry.package}/package.json`)), entry.file);
		} catch {}
	}

	if (!file || !fs.existsSync(file)) {
		console.error(`(skipping ${entry.label}: not installed)`);
		continue;
	}

	const source = fs.readFileSync(file, 'utf8');
	const megabytes = Buffer.byteLength(source) / 1024 / 1024;
	let coldMs = Number.POSITIVE_INFINITY;
	for (let index = 0; index < (megabytes > 4 ? 1 : Math.min(runs, 3)); index++) {
		const child = spawnSync(process.execPath, [fileURLToPath(import.meta.url), '--cold-file', file, '--source-type', entry.sourceType, '--dist', dist], {encoding: 'utf8'});
		if (child.status !== 0) {
			throw new Error(`cold transform of ${file} failed:\n${child.stderr}`);
		}

		coldMs = Math.min(coldMs, Number(child.stdout.trim()));
	}

	const instrumenter = newInstrumenter();
	const stages = {
		'acorn parse': () => parse(source, {ecmaVersion: 'latest', sourceType: entry.sourceType, allowHashBang: true, allowReturnOutsideFunction: entry.sourceType === 'script', preserveParens: true, onComment: []}),
		instrumentSource: () => instrumentSource(source, {filename: file, displayPath: path.relative(here, file), sourceType: entry.sourceType}),
		'per-file hook step': () => instrumenter(source, file, entry.sourceType),
	};
	const row = {label: entry.label, megabytes, functions: stages.instrumentSource().names.length, stages: {}, coldMs};
	const fileRuns = megabytes > 4 ? 2 : runs * 2;
	for (const [stage, run] of Object.entries(stages)) {
		let best = Number.POSITIVE_INFINITY;
		for (let index = 0; index < fileRuns; index++) {
			const t0 = performance.now();
			run();
			best = Math.min(best, performance.now() - t0);
		}

		row.stages[stage] = {bestMs: best, mbPerSecond: megabytes / (best / 1000)};
	}

	row.coldMbPerSecond = megabytes / (coldMs / 1000);
	row.outputRatio = Buffer.byteLength(stages['per-file hook step']()) / Buffer.byteLength(source);
	transformRows.push(row);
}

// ---------------------------------------------------------------------------
// 2. Start-up of the generated program

const main = path.join(programDirectory, 'main.mjs');
const expectedOutput = spawnSync(process.execPath, [main], {cwd: programDirectory, encoding: 'utf8'}).stdout;
const warmCache = path.join(directory, 'cache-warm');
let coldCount = 0;
const startupCases = [
	{name: 'untraced: node main.mjs', args: () => [main]},
	{
		name: 'viztracer, every file excluded (fixed cost)',
		args: () => [cli, '-q', '-o', path.join(directory, 'excluded.json'), '--exclude-files', programDirectory, '--', main],
		env: () => ({VIZTRACER_NO_CACHE: '1'}),
	},
	{
		name: 'viztracer, cold cache',
		args: () => [cli, '-q', '-o', path.join(directory, 'cold.json'), '--', main],
		// A fresh, empty cache directory every run.
		env: () => ({VIZTRACER_CACHE_DIR: path.join(directory, `cache-cold-${coldCount++}`)}),
	},
	{
		name: 'viztracer, warm cache',
		args: () => [cli, '-q', '-o', path.join(directory, 'warm.json'), '--', main],
		env: () => ({VIZTRACER_CACHE_DIR: warmCache}),
	},
];

function runCase(c) {
	const t0 = performance.now();
	const child = spawnSync(process.execPath, c.args(), {cwd: programDirectory, encoding: 'utf8', env: {...process.env, ...c.env?.()}});
	const elapsed = performance.now() - t0;
	if (child.status !== 0 || child.stdout !== expectedOutput) {
		throw new Error(`${c.name}: exit ${child.status}, output ${JSON.stringify(child.stdout)} (expected ${JSON.stringify(expectedOutput)})\n${child.stderr}`);
	}

	return elapsed;
}

// Fill the warm cache, and warm the OS file cache for every case.
for (const c of startupCases) {
	runCase(c);
}

const spans = JSON.parse(fs.readFileSync(path.join(directory, 'warm.json'), 'utf8')).traceEvents.filter(event => event.ph === 'X').length;
const startupBest = new Map(startupCases.map(c => [c.name, Number.POSITIVE_INFINITY]));
for (let round = 0; round < runs; round++) {
	for (const c of startupCases) {
		startupBest.set(c.name, Math.min(startupBest.get(c.name), runCase(c)));
	}
}

const cacheFiles = fs.readdirSync(warmCache, {recursive: true}).filter(name => name.endsWith('.js'));
const cacheBytes = cacheFiles.reduce((sum, name) => sum + fs.statSync(path.join(warmCache, name)).size, 0);
const untracedStart = startupBest.get(startupCases[0].name);
const startupRows = startupCases.map(c => ({case: c.name, ms: startupBest.get(c.name), overMs: startupBest.get(c.name) - untracedStart}));

// ---------------------------------------------------------------------------
// Report

const mb = bytes => (bytes / 1024 / 1024).toFixed(2);
const results = {
	node: process.version,
	runs,
	transform: transformRows,
	program: {modules: moduleCount * 2, bytes: programBytes, functions: programFunctions, spans, cacheFiles: cacheFiles.length, cacheBytes},
	startup: startupRows,
};

if (flags.json) {
	console.log(JSON.stringify(results));
} else {
	console.log(`viztracer instrumentation cost: Node ${process.version}`);
	console.log('');
	console.log(`transform throughput, MB/s of source (best of ${runs * 2}, 2 for files over 4 MB, in one warmed-up process;`);
	console.log(`"cold": the per-file hook step alone in a fresh process, as the first file a traced run loads meets it, best of ${Math.min(runs, 3)}, 1 for files over 4 MB):`);
	const width = Math.max(...transformRows.map(row => row.label.length));
	const stageNames = ['acorn parse', 'instrumentSource', 'per-file hook step'];
	console.log(`${'file'.padEnd(width)}  ${'MB'.padStart(5)}  ${'functions'.padStart(9)}  ${stageNames.map(name => name.padStart(18)).join('  ')}  ${'cold hook step'.padStart(20)}  ${'out/in'.padStart(6)}`);
	for (const row of transformRows) {
		const cells = stageNames.map(name => `${row.stages[name].mbPerSecond.toFixed(2)} MB/s`.padStart(18));
		const cold = `${row.coldMbPerSecond.toFixed(2)} MB/s, ${row.coldMs.toFixed(0)} ms`;
		console.log(`${row.label.padEnd(width)}  ${row.megabytes.toFixed(2).padStart(5)}  ${String(row.functions).padStart(9)}  ${cells.join('  ')}  ${cold.padStart(20)}  ${row.outputRatio.toFixed(2).padStart(6)}`);
	}

	console.log('(out/in: size of the code the hook returns, inline source map included, over the size of the source)');
	console.log('');
	console.log(`start-up of a program loading ${mb(programBytes)} MB of JS (${moduleCount} ES modules + ${moduleCount} CommonJS modules, ${programFunctions} functions; ${spans} spans traced), best of ${runs} subprocess runs:`);
	const caseWidth = Math.max(...startupRows.map(row => row.case.length));
	console.log(`${'case'.padEnd(caseWidth)}  ${'ms'.padStart(7)}  ${'+ms'.padStart(7)}`);
	for (const row of startupRows) {
		console.log(`${row.case.padEnd(caseWidth)}  ${row.ms.toFixed(0).padStart(7)}  ${(row === startupRows[0] ? '' : row.overMs.toFixed(0)).padStart(7)}`);
	}

	console.log(`(warm cache: ${cacheFiles.length} entries, ${mb(cacheBytes)} MB)`);
}
