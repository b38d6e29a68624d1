// A program that makes every kind of event the tracer records, for the
// timeline viewer: a worker thread, a child process, async functions
// (--log-async), garbage collections (--log-gc), the bundled plugins'
// counters, instants, a VizCounter and a VizObject. Trace it with
// `npm run showcase` (see package.json) and open the trace with vizviewer.
import {fork} from 'node:child_process';
import {Worker} from 'node:worker_threads';
import {getTracer, VizCounter, VizObject} from 'viztracer';

const tracer = getTracer();

function parseRecord(line) {
	const [key, value] = line.split('=');
	return {key, value: Number(value)};
}

function buildIndex(lines) {
	const index = new Map();
	for (const line of lines) {
		const record = parseRecord(line);
		index.set(record.key, (index.get(record.key) ?? 0) + record.value);
	}

	return index;
}

function makeGarbage(rounds) {
	let kept = 0;
	for (let round = 0; round < rounds; round++) {
		const chunk = Array.from({length: 20_000}, (_, index) => ({index, text: `item ${index}`}));
		kept += chunk.length;
	}

	return kept;
}

const pause = ms => new Promise(resolve => {
	setTimeout(resolve, ms);
});

async function fetchBatch(batch) {
	await pause(5);
	return Array.from({length: 200}, (_, index) => `k${(index * 7 + batch) % 50}=${index}`);
}

async function loadAll(batches, queue) {
	const results = [];
	for (let batch = 0; batch < batches; batch++) {
		queue.pending = batches - batch;
		queue.log();
		results.push(buildIndex(await fetchBatch(batch)));
	}

	return results;
}

function runWorker() {
	return new Promise((resolve, reject) => {
		const worker = new Worker(new URL('worker.js', import.meta.url), {workerData: 40_000});
		worker.once('message', resolve);
		worker.once('error', reject);
	});
}

function runChild() {
	return new Promise((resolve, reject) => {
		const child = fork(new URL('child.js', import.meta.url), ["18"]);
		child.once('exit', code => (code === 0 ? resolve(code) : reject(new Error(`child exited with ${code}`))));
	});
}

async function main() {
	const counter = tracer ? new VizCounter(tracer, 'work done') : {log() {}};
	const queue = tracer ? new VizObject(tracer, 'queue') : {log() {}};
	tracer?.logInstant('start', {batches: 8});
	const [indexes, workerSum, childCode] = await Promise.all([loadAll(8, queue), runWorker(), runChild()]);
	counter.indexes = indexes.length;
	counter.log();
	counter.garbage = makeGarbage(6);
	counter.log();
	tracer?.logInstant('done', {workerSum}, 'p');
	console.log(`indexes ${indexes.length}, worker ${workerSum}, child exit ${childCode}`);
}

await main();
