// Cost of an instrumented function call: fib(25) (242,785 calls) from a
// module loaded through viztracer's loader hooks, against the same module
// loaded plainly and against one performance.now(), all in the same run.
// Usage: node benchmarks/instrumented-calls.js [--runs 15] [--json] [--dist dir]
//
// Rows:
//   performance.now()          the clock read a traced call needs twice
//   untraced                   the fixture imported before instrument(): plain code
//   instrumented, never traced a copy that is instrumented but no tracer ever starts
//   instrumented, stopped      the copy below, between traced runs (its code has
//                              seen both branches, as after tracer.stop())
//   instrumented, traced       a started tracer records every call
//
// The fixtures are written to a temporary directory, outside the package,
// so what is measured does not depend on which of the package's own files
// viztracer declines to instrument.
// Cases interleave in every round and the best round counts.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {performance} from 'node:perf_hooks';
import {pathToFileURL} from 'node:url';
import {parseArgs} from 'node:util';

const {values: flags} = parseArgs({
	options: {
		runs: {type: 'string', default: '15'},
		json: {type: 'boolean', default: false},
		dist: {type: 'string'},
	},
});
const entry = flags.dist ? pathToFileURL(path.resolve(flags.dist, 'index.js')) : new URL('../dist/index.js', import.meta.url);
if (!fs.existsSync(entry)) {
	console.error('dist/ is missing: run `npx tsc -p tsconfig.json` (or `npm run build`) first');
	process.exit(1);
}

const runs = Number(flags.runs);
const n = 25;
// fib(n) makes 2*F(n+1) - 1 calls.
const fibNumber = k => {
	let a = 0;
	let b = 1;
	for (let i = 0; i < k; i++) {
		[a, b] = [b, a + b];
	}

	return a;
};

const callsPerFib = (2 * fibNumber(n + 1)) - 1;
// fib(25) alone takes about a millisecond; repeat it so a run is long enough to time.
const plainRepeats = 16;
const tracedRepeats = 4;
const nowIterations = 2 ** 21;

const fixtureSource = `// viztracer benchmark fixture
export function fib(n) {
	return n < 2 ? n : fib(n - 1) + fib(n - 2);
}

export function repeat(times, n) {
	let sum = 0;
	for (let i = 0; i < times; i++) {
		sum += fib(n);
	}

	return sum;
}
`;

const directory = fs.mkdtempSync(path.join(os.tmpdir(), 'viztracer-bench-calls-'));
process.on('exit', () => {
	fs.rmSync(directory, {recursive: true, force: true});
});
for (const name of ['plain', 'never-traced', 'traced']) {
	fs.writeFileSync(path.join(directory, `${name}.mjs`), fixtureSource);
}

const load = name => import(pathToFileURL(path.join(directory, `${name}.mjs`)).href);

// Loaded before the hooks exist: the untraced baseline.
const plain = await load('plain');
const {VizTracer, instrument} = await import(entry.href);
instrument({cacheDir: false});
const neverTraced = await load('never-traced');
const traced = await load('traced');

// fn.toString() shows the source as written: the compiled text tells.
const {compiledText} = await import(new URL('instrument/original-source.js', entry).href);
for (const [label, module] of [['never-traced', neverTraced], ['traced', traced]]) {
	if (!compiledText(module.fib).includes('__vz$')) {
		console.error(`the ${label} fixture was not instrumented`);
		process.exit(1);
	}
}

if (compiledText(plain.fib).includes('__vz$')) {
	console.error('the plain fixture was instrumented');
	process.exit(1);
}

const tracer = new VizTracer({tracerEntries: callsPerFib * tracedRepeats, verbose: 0, outputFile: path.join(directory, 'unused.json')});
const recorder = tracer[Symbol.for('viztracer.recorder')];

let sink = 0;

function loopNow(count) {
	let acc = 0;
	for (let i = 0; i < count; i++) {
		acc += performance.now();
	}

	return acc;
}

const cases = [
	{name: 'performance.now()', calls: nowIterations, run: () => loopNow(nowIterations)},
	{name: 'untraced', calls: callsPerFib * plainRepeats, run: () => plain.repeat(plainRepeats, n)},
	{name: 'instrumented, never traced', calls: callsPerFib * plainRepeats, run: () => neverTraced.repeat(plainRepeats, n)},
	{name: 'instrumented, stopped', calls: callsPerFib * plainRepeats, run: () => traced.repeat(plainRepeats, n)},
	{
		name: 'instrumented, traced',
		calls: callsPerFib * tracedRepeats,
		run: () => traced.repeat(tracedRepeats, n),
		before() {
			tracer.clear();
			tracer.start();
		},
		after() {
			tracer.stop();
			const {ring} = recorder;
			// `repeat` itself is a traced call too.
			const expected = (callsPerFib * tracedRepeats) + 1;
			if (ring.head !== expected || ring.overflowed) {
				throw new Error(`expected ${expected} spans in the ring, found ${ring.head}${ring.overflowed ? ' (overflowed)' : ''}`);
			}
		},
	},
];

function measure(c) {
	c.before?.();
	const t0 = process.hrtime.bigint();
	sink += c.run();
	const t1 = process.hrtime.bigint();
	c.after?.();
	return Number(t1 - t0) / c.calls;
}

const best = new Map(cases.map(c => [c.name, Number.POSITIVE_INFINITY]));
// Warm-up: every path reaches optimised code before timing.
for (let i = 0; i < 3; i++) {
	for (const c of cases) {
		measure(c);
	}
}

for (let round = 0; round < runs; round++) {
	for (const c of cases) {
		best.set(c.name, Math.min(best.get(c.name), measure(c)));
	}
}

tracer.terminate();

const clock = best.get('performance.now()');
const untraced = best.get('untraced');
const overhead = name => best.get(name) - untraced;
const tracedCost = overhead('instrumented, traced');
const stoppedCost = Math.max(overhead('instrumented, never traced'), overhead('instrumented, stopped'));
const slowdown = best.get('instrumented, traced') / untraced;
const results = {
	node: process.version,
	runs,
	callsPerFib,
	rows: cases.map(c => ({
		case: c.name,
		calls: c.calls,
		ns: best.get(c.name),
		overheadNs: c.name === 'performance.now()' || c.name === 'untraced' ? undefined : overhead(c.name),
	})),
	targets: {
		stopped: {measuredNs: stoppedCost, targetNs: 5, pass: stoppedCost <= 5},
		traced: {measuredNs: tracedCost, ratioToNow: tracedCost / clock, target: 2.5, pass: tracedCost / clock <= 2.5},
		fibSlowdown: slowdown,
	},
};

if (flags.json) {
	console.log(JSON.stringify(results));
} else {
	const width = Math.max(...cases.map(c => c.name.length));
	console.log(`viztracer instrumented-call benchmark: Node ${process.version}, fib(${n}) = ${callsPerFib} calls, best of ${runs} rounds`);
	console.log(`${'case'.padEnd(width)}  ${'calls/run'.padStart(9)}  ${'ns/call'.padStart(8)}  ${'+ns/call'.padStart(8)}  ${'x now()'.padStart(7)}`);
	for (const row of results.rows) {
		const extra = row.overheadNs === undefined ? '' : row.overheadNs.toFixed(2);
		const ratio = row.overheadNs === undefined ? (row.case === 'performance.now()' ? '1.00' : '') : (row.overheadNs / clock).toFixed(2);
		console.log(`${row.case.padEnd(width)}  ${String(row.calls).padStart(9)}  ${row.ns.toFixed(2).padStart(8)}  ${extra.padStart(8)}  ${ratio.padStart(7)}`);
	}

	console.log('');
	console.log(`target: instrumented call with tracing stopped <= 5 ns over untraced; measured ${stoppedCost.toFixed(2)} ns (worse of the two stopped rows): ${results.targets.stopped.pass ? 'PASS' : 'FAIL'}`);
	console.log(`target: traced call <= 2.5x performance.now() (${clock.toFixed(1)} ns); measured ${tracedCost.toFixed(1)} ns = ${(tracedCost / clock).toFixed(2)}x: ${results.targets.traced.pass ? 'PASS' : 'FAIL'}`);
	console.log(`fib(${n}) slowdown traced/untraced: ${slowdown.toFixed(1)}x (expected ~25-35x)`);
	console.log(`(sink ${sink > 0 ? 'ok' : sink})`);
}
