// Bytes per recorded span in the ring, measured from the process's own
// accounting. Usage: node --expose-gc benchmarks/memory.js [--entries 1000000] [--json]
// (re-executes itself with --expose-gc when the flag is missing).
//
// - arrayBuffers: typed-array storage the ring allocates at start();
// - rss: resident memory after every slot has been written once (typed
//   arrays are zero pages until touched, so rss grows only on first write);
// - heapUsed: JS objects allocated while recording the spans (the hot path
//   should allocate nothing per span).
import {spawnSync} from 'node:child_process';
import {existsSync} from 'node:fs';
import os from 'node:os';
import {fileURLToPath} from 'node:url';
import {parseArgs} from 'node:util';

if (typeof globalThis.gc !== 'function') {
	const result = spawnSync(process.execPath, ['--expose-gc', fileURLToPath(import.meta.url), ...process.argv.slice(2)], {stdio: 'inherit'});
	process.exit(result.status ?? 1);
}

if (!existsSync(new URL('../dist/index.js', import.meta.url))) {
	console.error('dist/ is missing: run `npx tsc -p tsconfig.json` (or `npm run build`) first');
	process.exit(1);
}

const {VizTracer} = await import('../dist/index.js');

const {values: flags} = parseArgs({
	options: {
		entries: {type: 'string', default: '1000000'},
		json: {type: 'boolean', default: false},
	},
});
const entries = Number(flags.entries);
const recorderKey = Symbol.for('viztracer.recorder');

// Python VizTracer's figure, as quoted in the project's issue 2 ("VizTracer: ~88 B/entry").
const pythonBytesPerEntry = 88;
const target = 24;

function settle() {
	for (let i = 0; i < 3; i++) {
		globalThis.gc();
	}

	return process.memoryUsage();
}

function empty(x) {
	return x;
}

const before = settle();
const tracer = new VizTracer({tracerEntries: entries, verbose: 0, outputFile: 'unused.json'});
const constructed = settle();
tracer.start();
const started = settle();
const {capacity} = tracer[recorderKey].ring;

// Fill every slot once (and then some), through the public API.
const wrapped = tracer.wrap(empty, 'empty');
let sink = 0;
for (let i = 0; i < capacity; i++) {
	sink += wrapped(i);
}

const filled = settle();
// Keep writing: a full ring overwrites in place, so nothing should grow.
for (let i = 0; i < capacity; i++) {
	sink += wrapped(i);
}

const overwritten = settle();
tracer.stop();
const recorder = tracer[recorderKey];
if (recorder.ring.size !== capacity || !recorder.ring.overflowed) {
	throw new Error(`expected a full, overflowed ring of ${capacity}, got size ${recorder.ring.size}`);
}

const ringBytes = started.arrayBuffers - constructed.arrayBuffers;
const rssBytes = filled.rss - constructed.rss;
const heapBytes = filled.heapUsed - started.heapUsed;
const result = {
	node: process.version,
	tracerEntries: entries,
	capacity,
	constructionArrayBuffers: constructed.arrayBuffers - before.arrayBuffers,
	ringArrayBuffers: ringBytes,
	bytesPerSpan: ringBytes / capacity,
	bytesPerRequestedEntry: ringBytes / entries,
	rssAfterFill: rssBytes,
	rssBytesPerSpan: rssBytes / capacity,
	heapUsedWhileRecording: heapBytes,
	heapBytesPerSpan: heapBytes / capacity,
	growthWhileOverwriting: {
		arrayBuffers: overwritten.arrayBuffers - filled.arrayBuffers,
		rss: overwritten.rss - filled.rss,
		heapUsed: overwritten.heapUsed - filled.heapUsed,
	},
	target,
	pythonBytesPerEntry,
	pass: ringBytes / capacity <= target,
};

tracer.terminate();

if (flags.json) {
	console.log(JSON.stringify(result));
} else {
	const mb = bytes => `${(bytes / 2 ** 20).toFixed(2)} MiB`;
	const rows = [
		['tracerEntries (requested)', String(entries)],
		['ring capacity (power of two)', String(capacity)],
		['arrayBuffers at construction', mb(result.constructionArrayBuffers)],
		['arrayBuffers delta at start()', mb(ringBytes)],
		['  = bytes per span (capacity)', result.bytesPerSpan.toFixed(2)],
		['  = bytes per requested entry', result.bytesPerRequestedEntry.toFixed(2)],
		['rss delta after filling the ring', `${mb(rssBytes)} (${result.rssBytesPerSpan.toFixed(2)} B/span)`],
		['heapUsed delta while recording', `${heapBytes} B (${result.heapBytesPerSpan.toFixed(3)} B/span)`],
		['growth while overwriting (ab/rss/heap)', `${result.growthWhileOverwriting.arrayBuffers} / ${mb(result.growthWhileOverwriting.rss)} / ${result.growthWhileOverwriting.heapUsed} B`],
		['Python VizTracer (quoted, issue 2)', `~${pythonBytesPerEntry} B/entry`],
	];
	const width = Math.max(...rows.map(r => r[0].length));
	console.log(`viztracer memory benchmark: Node ${process.version}, load average ${os.loadavg()[0].toFixed(1)} on ${os.availableParallelism()} CPUs`);
	for (const [key, value] of rows) {
		console.log(`${key.padEnd(width)}  ${value}`);
	}

	console.log(`\ntarget: <= ${target} B/span in the ring; measured ${result.bytesPerSpan.toFixed(2)} B/span: ${result.pass ? 'PASS' : 'FAIL'}`);
	console.log(`(sink ${sink > 0 ? 'ok' : sink})`);
}
