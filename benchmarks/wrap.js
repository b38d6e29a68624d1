// Per-call cost of recording a span, against a bare `performance.now()`
// measured in the same run. Usage: node benchmarks/wrap.js [--runs 7] [--json] [--dist dir]
//
// Every case is timed once per round, the rounds interleave the cases (so
// noise on a shared machine hits them all alike) and the best round counts.
// Each case has its own loop function, so V8's type feedback for one case
// does not leak into another, and every loop folds its results into a sink
// that is printed at the end, so no work can be optimised away.
import {existsSync} from 'node:fs';
import os from 'node:os';
import {performance, PerformanceObserver} from 'node:perf_hooks';
import path from 'node:path';
import {pathToFileURL} from 'node:url';
import {parseArgs} from 'node:util';

const {values: flags} = parseArgs({
	options: {
		runs: {type: 'string', default: '7'},
		json: {type: 'boolean', default: false},
		dist: {type: 'string'},
	},
});
const entry = flags.dist ? pathToFileURL(path.resolve(flags.dist, 'index.js')) : new URL('../dist/index.js', import.meta.url);

if (!existsSync(entry)) {
	console.error('dist/ is missing: run `npx tsc -p tsconfig.json` (or `npm run build`) first');
	process.exit(1);
}

const {VizTracer} = await import(entry.href);
const runs = Number(flags.runs);

// 2^21 calls per run for the cheap cases. The recording tracer's ring holds
// exactly that many entries, so a run never overflows; clear() empties it
// between runs.
const iterations = 2 ** 21;
const spanIterations = 2 ** 20;
const timerifyIterations = 2 ** 17;

let sink = 0;

// The "empty function": it returns its argument so the loop can fold the
// result into the sink (an empty body would be inlined to nothing either way).
function empty(x) {
	return x;
}

const tracer = new VizTracer({tracerEntries: iterations, verbose: 0, outputFile: 'unused.json'});
const wrapped = tracer.wrap(empty, 'empty');
const stoppedTracer = new VizTracer({tracerEntries: 2, verbose: 0, outputFile: 'unused.json'});
const wrappedStopped = stoppedTracer.wrap(empty, 'empty');
// A ring of 2^20 entries taking 2^21 calls: overflow is the steady state.
const overflowTracer = new VizTracer({tracerEntries: 2 ** 20, verbose: 0, outputFile: 'unused.json'});
const wrappedOverflow = overflowTracer.wrap(empty, 'empty');
// Eight different functions wrapped by the same tracer, called in turn: the
// wrappers share one closure's type feedback, so this is the polymorphic case
// real programs with many wrapped functions hit.
const manyFunctions = Array.from({length: 8}, (_, k) => new Function('x', `return x + ${k};`));
const wrappedMany = manyFunctions.map((fn, k) => tracer.wrap(fn, `fn${k}`));
const spanTracer = new VizTracer({tracerEntries: spanIterations, verbose: 0, outputFile: 'unused.json'});

const timerified = performance.timerify(empty);
let observed = 0;
const observer = new PerformanceObserver(list => {
	observed += list.getEntries().length;
});
observer.observe({entryTypes: ['function']});

function loopEmpty(n) {
	let acc = 0;
	for (let i = 0; i < n; i++) {
		acc += empty(i);
	}

	return acc;
}

function loopNow(n) {
	let acc = 0;
	for (let i = 0; i < n; i++) {
		acc += performance.now();
	}

	return acc;
}

function loopWrapped(n) {
	let acc = 0;
	for (let i = 0; i < n; i++) {
		acc += wrapped(i);
	}

	return acc;
}

function loopWrappedMany(n) {
	let acc = 0;
	for (let i = 0; i < n; i++) {
		acc += wrappedMany[i & 7](i);
	}

	return acc;
}

function loopWrappedStopped(n) {
	let acc = 0;
	for (let i = 0; i < n; i++) {
		acc += wrappedStopped(i);
	}

	return acc;
}

function loopWrappedOverflow(n) {
	let acc = 0;
	for (let i = 0; i < n; i++) {
		acc += wrappedOverflow(i);
	}

	return acc;
}

function loopLogEvent(n) {
	let acc = 0;
	for (let i = 0; i < n; i++) {
		// What `using span = tracer.logEvent('x')` does at the end of its block.
		const span = spanTracer.logEvent('x');
		span[Symbol.dispose]();
		acc += i;
	}

	return acc;
}

function loopTimerify(n) {
	let acc = 0;
	for (let i = 0; i < n; i++) {
		acc += timerified(i);
	}

	return acc;
}

const cases = [
	{name: 'untraced call of empty function', iterations, loop: loopEmpty},
	{name: 'performance.now()', iterations, loop: loopNow},
	{
		name: 'wrap()ped empty fn, tracing', iterations, loop: loopWrapped,
		before() {
			tracer.clear();
			tracer.start();
		},
		after() {
			if (tracer[Symbol.for('viztracer.recorder')].ring.overflowed) {
				throw new Error('the ring overflowed; the measurement would include overwrites');
			}

			tracer.stop();
		},
	},
	{
		name: 'wrap()ped, 8 different fns in turn', iterations, loop: loopWrappedMany,
		before() {
			tracer.clear();
			tracer.start();
		},
		after() {
			tracer.stop();
		},
	},
	{
		name: 'wrap()ped empty fn, ring overflowing', iterations, loop: loopWrappedOverflow,
		before() {
			overflowTracer.start();
		},
		after() {
			overflowTracer.stop();
		},
	},
	{name: 'wrap()ped empty fn, tracer stopped', iterations, loop: loopWrappedStopped},
	{
		name: 'logEvent(\'x\') + [Symbol.dispose]()', iterations: spanIterations, loop: loopLogEvent,
		before() {
			spanTracer.clear();
			spanTracer.start();
		},
		after() {
			spanTracer.stop();
		},
	},
	{
		name: 'performance.timerify(empty fn) + observer', iterations: timerifyIterations, loop: loopTimerify,
		async after() {
			// Let the observer drain its buffer before the next case runs.
			await new Promise(resolve => {
				setImmediate(resolve);
			});
		},
	},
];

const loadAtStart = os.loadavg()[0];
const best = new Map(cases.map(c => [c.name, Number.POSITIVE_INFINITY]));

async function measure(c) {
	await c.before?.();
	const t0 = process.hrtime.bigint();
	sink += c.loop(c.iterations);
	const t1 = process.hrtime.bigint();
	await c.after?.();
	return Number(t1 - t0) / c.iterations;
}

// Warm-up: let every loop reach optimised code before timing.
for (const c of cases) {
	await measure(c);
}

for (let round = 0; round < runs; round++) {
	for (const c of cases) {
		const ns = await measure(c);
		if (ns < best.get(c.name)) {
			best.set(c.name, ns);
		}
	}
}

observer.disconnect();
tracer.terminate();
stoppedTracer.terminate();
overflowTracer.terminate();
spanTracer.terminate();

const clock = best.get('performance.now()');
const wrapRatio = best.get('wrap()ped empty fn, tracing') / clock;
const rows = cases.map(c => ({case: c.name, iterations: c.iterations, ns: best.get(c.name), ratio: best.get(c.name) / clock}));

if (flags.json) {
	console.log(JSON.stringify({node: process.version, loadAverage: loadAtStart, runs, rows, wrapRatio, target: 2.5, pass: wrapRatio <= 2.5}));
} else {
	const width = Math.max(...rows.map(r => r.case.length));
	console.log(`viztracer wrap benchmark: Node ${process.version}, best of ${runs} runs, load average at start ${loadAtStart.toFixed(1)} on ${os.availableParallelism()} CPUs`);
	console.log(`${'case'.padEnd(width)}  ${'calls/run'.padStart(9)}  ${'ns/call'.padStart(8)}  ${'x now()'.padStart(7)}`);
	for (const r of rows) {
		console.log(`${r.case.padEnd(width)}  ${String(r.iterations).padStart(9)}  ${r.ns.toFixed(1).padStart(8)}  ${r.ratio.toFixed(2).padStart(7)}`);
	}

	console.log(`\ntarget: wrap()ped call <= 2.5x performance.now(); measured ${wrapRatio.toFixed(2)}x: ${wrapRatio <= 2.5 ? 'PASS' : 'FAIL'}`);
}

// Printed so the accumulated results are observable (and cannot be dead code).
if (!flags.json) {
	console.log(`(sink ${sink > 0 ? 'ok' : sink}, timerify entries observed ${observed})`);
}
