// Issue 13's start-up targets, on real tools: the start-up of
// `prettier --version`, `eslint --version` and `tsc --version` traced with
// --include-node-modules (every file they load is instrumented), with a cold
// transform cache (a fresh VIZTRACER_CACHE_DIR each run) and a warm one, next
// to the same command untraced, in one run (target: warm at most 1.3x
// untraced); and the cold transform's throughput, MB of source per second,
// on the big files of the three tools (target: at least 20 MB/s), in a fresh
// process per file as a traced run meets it.
// Usage: node benchmarks/tool-startup.js [--runs 5] [--json] [--warm-only]
// (--warm-only: the untraced and warm-cache runs only, no cold runs or per-file table)
import {spawnSync} from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {fileURLToPath, pathToFileURL} from 'node:url';
import {parseArgs} from 'node:util';

const {values: flags} = parseArgs({options: {runs: {type: 'string', default: '5'}, json: {type: 'boolean', default: false}, 'warm-only': {type: 'boolean', default: false}, 'cold-file': {type: 'string'}}});
const root = path.join(path.dirname(fileURLToPath(import.meta.url)), '..');
const modules = path.join(root, 'node_modules');
const cli = path.join(root, 'dist', 'bin', 'viztracer.js');

if (flags['cold-file']) {
	// Child mode: the per-file hook step on one file with an empty cache (what a cold run meets: the
	// map goes to the cache beside the code), in this fresh process; then twice more in the same
	// process, each time with an empty cache again, once the code that instruments is warmed up.
	const {createFileInstrumenter} = await import(pathToFileURL(path.join(root, 'dist', 'instrument', 'instrument-file.js')).href);
	const {resolveInstrumentOptions} = await import(pathToFileURL(path.join(root, 'dist', 'instrument', 'install.js')).href);
	const file = flags['cold-file'];
	const source = fs.readFileSync(file, 'utf8');
	const sourceType = file.endsWith('.mjs') ? 'module' : 'script';
	const scratchCache = fs.mkdtempSync(path.join(os.tmpdir(), 'viztracer-bench-cold-'));
	const pass = index => {
		const instrument = createFileInstrumenter(resolveInstrumentOptions({cacheDir: path.join(scratchCache, String(index)), includeNodeModules: true}), () => {});
		const start = performance.now();
		const output = instrument(source, file, sourceType);
		return {ms: performance.now() - start, outBytes: Buffer.byteLength(output)};
	};

	const first = pass(0);
	const warmedUp = Math.min(pass(1).ms, pass(2).ms);
	fs.rmSync(scratchCache, {recursive: true, force: true});
	console.log(JSON.stringify({ms: first.ms, warmedUpMs: warmedUp, bytes: Buffer.byteLength(source), outBytes: first.outBytes}));
	process.exit(0);
}

const runs = Number(flags.runs);
const tools = [
	{name: 'prettier --version', bin: path.join(modules, 'prettier', 'bin', 'prettier.cjs')},
	{name: 'eslint --version', bin: path.join(modules, 'eslint', 'bin', 'eslint.js')},
	{name: 'tsc --version', bin: path.join(modules, 'typescript', 'bin', 'tsc')},
];
const bigFiles = [
	path.join(modules, 'typescript', 'lib', 'typescript.js'),
	path.join(modules, 'typescript', 'lib', '_tsc.js'),
	path.join(modules, 'prettier', 'index.mjs'),
	path.join(modules, 'prettier', 'plugins', 'typescript.js'),
	path.join(modules, 'eslint', 'lib', 'linter', 'linter.js'),
	path.join(modules, 'eslint', 'lib', 'rules', 'indent.js'),
];

function time(args, env = {}) {
	const start = performance.now();
	const result = spawnSync(process.execPath, args, {cwd: root, env: {...process.env, ...env}, encoding: 'utf8'});
	const ms = performance.now() - start;
	if (result.status !== 0) {
		throw new Error(`${args.join(' ')} exited ${result.status}: ${result.stderr}`);
	}

	return ms;
}

const summary = values => {
	const sorted = [...values].sort((a, b) => a - b);
	return {min: sorted[0], median: sorted[Math.floor(sorted.length / 2)]};
};

const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'viztracer-bench-tools-'));
process.on('exit', () => fs.rmSync(scratch, {recursive: true, force: true}));
const traceFile = path.join(scratch, 'trace.json');
const traced = bin => [cli, '-q', '--include-node-modules', '--no-trace-children', '-o', traceFile, '--', bin, '--version'];

const startup = [];
for (const tool of tools) {
	const warmCache = path.join(scratch, `warm-${startup.length}`);
	time(traced(tool.bin), {VIZTRACER_CACHE_DIR: warmCache});
	const untraced = [];
	const warm = [];
	const cold = [];
	for (let run = 0; run < runs; run++) {
		untraced.push(time([tool.bin, '--version']));
		warm.push(time(traced(tool.bin), {VIZTRACER_CACHE_DIR: warmCache}));
		if (!flags['warm-only'] && run < Math.max(1, Math.ceil(runs / 2))) {
			cold.push(time(traced(tool.bin), {VIZTRACER_CACHE_DIR: path.join(scratch, `cold-${startup.length}-${run}`)}));
		}
	}

	startup.push({tool: tool.name, untraced: summary(untraced), warm: summary(warm), cold: cold.length === 0 ? undefined : summary(cold)});
}

const throughput = [];
for (const file of flags['warm-only'] ? [] : bigFiles.filter(candidate => fs.existsSync(candidate))) {
	const samples = [];
	for (let run = 0; run < 3; run++) {
		const result = spawnSync(process.execPath, [fileURLToPath(import.meta.url), '--cold-file', file], {encoding: 'utf8'});
		samples.push(JSON.parse(result.stdout));
	}

	const best = samples.reduce((a, b) => (a.ms <= b.ms ? a : b));
	const warmedUpMs = Math.min(...samples.map(sample => sample.warmedUpMs));
	throughput.push({file: path.relative(modules, file), megabytes: best.bytes / 1e6, ms: best.ms, mbPerSecond: best.bytes / 1e6 / (best.ms / 1000), warmedUpMbPerSecond: best.bytes / 1e6 / (warmedUpMs / 1000), outOverIn: best.outBytes / best.bytes});
}

if (flags.json) {
	console.log(JSON.stringify({node: process.version, startup, throughput}, null, 2));
} else {
	console.log(`Node ${process.version}, ${os.cpus().length} CPUs, load ${os.loadavg().map(load => load.toFixed(1)).join(' ')}; best (median) of ${runs} runs, cold of ${Math.ceil(runs / 2)}\n`);
	console.log('| command | untraced ms | traced, warm cache ms | warm / untraced (target ≤ 1.3) | traced, cold cache ms | cold / untraced |');
	console.log('| --- | ---: | ---: | ---: | ---: | ---: |');
	for (const {tool, untraced, warm, cold} of startup) {
		const ratio = warm.min / untraced.min;
		console.log(`| ${tool} | ${untraced.min.toFixed(0)} (${untraced.median.toFixed(0)}) | ${warm.min.toFixed(0)} (${warm.median.toFixed(0)}) | ${ratio.toFixed(2)}x ${ratio <= 1.3 ? 'PASS' : 'FAIL'} | ${cold === undefined ? '-' : `${cold.min.toFixed(0)} (${cold.median.toFixed(0)})`} | ${cold === undefined ? '-' : `${(cold.min / untraced.min).toFixed(2)}x`} |`);
	}

	console.log('\n| file (cold: per-file hook step, empty cache, fresh process) | MB | ms | MB/s (target ≥ 20) | MB/s once warmed up | out / in |');
	console.log('| --- | ---: | ---: | ---: | ---: | ---: |');
	for (const {file, megabytes, ms, mbPerSecond, warmedUpMbPerSecond, outOverIn} of throughput) {
		console.log(`| ${file} | ${megabytes.toFixed(2)} | ${ms.toFixed(0)} | ${mbPerSecond.toFixed(2)} ${mbPerSecond >= 20 ? 'PASS' : 'FAIL'} | ${warmedUpMbPerSecond.toFixed(2)} | ${outOverIn.toFixed(2)} |`);
	}
}
