// The throughput cost of --log-requests on a real server (issue 14): the
// example express server (examples/server/app.js: a timer, a fetch to an
// upstream in the same process and some rendering per /users request, and
// /health) under autocannon, untraced, with OpenTelemetry's http and undici
// auto-instrumentation (the SDK with a batch processor whose exporter drops
// the spans), and traced by viztracer: requests and outgoing I/O only (the
// app's own functions excluded), functions only, and both. Every case runs
// in its own server process, rounds interleaved, best round counted; the
// load generator runs in this process, so the machine's two cores are
// shared the same way in every case. The cost per request is the server's
// CPU time (user + system, every thread, from /proc) over the requests it
// answered in the measured run: throughput alone is bound by the timer and
// the upstream's latency here, and too noisy to price a few microseconds.
//
//   node benchmarks/requests.js [--runs 3] [--seconds 4] [--connections 10] [--json]
import {spawn} from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {parseArgs} from 'node:util';
import {fileURLToPath} from 'node:url';
import {load} from '../examples/server/load.js';

const root = fileURLToPath(new URL('..', import.meta.url));
const app = path.join(root, 'examples', 'server', 'app.js');
const cli = path.join(root, 'dist', 'bin', 'viztracer.js');
const otelSetup = path.join(root, 'benchmarks', 'fixtures', 'otel-http.cjs');
const {values: flags} = parseArgs({options: {runs: {type: 'string', default: '3'}, seconds: {type: 'string', default: '4'}, connections: {type: 'string', default: '10'}, json: {type: 'boolean', default: false}}});
const runs = Number(flags.runs);
const seconds = Number(flags.seconds);
const connections = Number(flags.connections);
const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'viztracer-requests-bench-'));

const traced = extra => [cli, '-q', ...extra, '-o', path.join(scratch, 'trace.json'), app];
const cases = [
	{name: 'untraced', args: [app]},
	{name: 'OpenTelemetry http + undici', args: ['--require', otelSetup, app]},
	{name: 'viztracer --log-requests, app functions excluded', args: traced(['--log-requests', '--exclude-files', app])},
	{name: 'viztracer (functions)', args: traced([])},
	{name: 'viztracer --log-requests (functions + requests)', args: traced(['--log-requests'])},
];

const clockTicks = 100;

/** CPU time of a process and its descendants, in µs, from /proc (Linux). */
function cpuOf(pid) {
	let total = 0;
	try {
		const fields = fs.readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
		total += ((Number(fields[11]) + Number(fields[12])) / clockTicks) * 1e6;
		for (const task of fs.readdirSync(`/proc/${pid}/task`)) {
			for (const child of fs.readFileSync(`/proc/${pid}/task/${task}/children`, 'utf8').trim().split(' ').filter(Boolean)) {
				total += cpuOf(Number(child));
			}
		}
	} catch {}

	return total;
}

/** Starts one server, loads it (a 1 s warm-up, then the measured run), stops it. */
async function measure(args) {
	const child = spawn(process.execPath, args, {env: {...process.env, PORT: '0'}, stdio: ['ignore', 'pipe', 'pipe']});
	let stderr = '';
	child.stderr.on('data', chunk => {
		stderr += chunk;
	});
	const exited = new Promise(resolve => child.on('close', resolve));
	const url = await new Promise((resolve, reject) => {
		let seen = '';
		child.stdout.on('data', chunk => {
			seen += chunk;
			const match = /listening on (http:\S+)/.exec(seen);
			if (match) {
				resolve(match[1]);
			}
		});
		exited.then(() => reject(new Error(`the server exited: ${stderr}`)));
	});
	await load(url, {seconds: 1, connections});
	const cpuBefore = cpuOf(child.pid);
	const {result, answered} = await load(url, {seconds, connections});
	const cpu = cpuOf(child.pid) - cpuBefore;
	child.kill('SIGINT');
	await exited;
	if (result.errors > 0 || result.non2xx > 0) {
		throw new Error(`${result.errors} errors, ${result.non2xx} non-2xx responses: ${stderr}`);
	}

	// Each /users request also made one upstream request, served by the same process.
	return {rps: result.requests.total / seconds, cpuPerRequest: cpu / result.requests.total, p50: result.latency.p50, p99: result.latency.p99, answered};
}

const best = new Map(cases.map(entry => [entry.name, undefined]));
for (let round = 0; round < runs; round++) {
	for (const entry of cases) {
		// eslint-disable-next-line no-await-in-loop
		const figures = await measure(entry.args);
		const previous = best.get(entry.name);
		if (previous === undefined || figures.cpuPerRequest < previous.cpuPerRequest) {
			best.set(entry.name, figures);
		}
	}
}

fs.rmSync(scratch, {recursive: true, force: true});
const base = best.get('untraced');
const rows = cases.map(({name}) => {
	const figures = best.get(name);
	const costUs = figures.cpuPerRequest - base.cpuPerRequest;
	return {name, rps: Math.round(figures.rps), cpuUs: figures.cpuPerRequest, relative: figures.cpuPerRequest / base.cpuPerRequest, costUs, p50: figures.p50, p99: figures.p99};
});
if (flags.json) {
	console.log(JSON.stringify({node: process.version, runs, seconds, connections, rows}, undefined, 2));
} else {
	console.log(`Node ${process.version}, ${connections} connections, ${seconds} s per run, best of ${runs} by CPU per request (requests alternate GET /users/<n> and GET /health; each /users request makes a fetch the same process serves)\n`);
	const header = ['case', 'CPU/request', 'vs untraced', 'cost/request', 'req/s', 'p50 ms', 'p99 ms'];
	const cells = rows.map(row => [row.name, `${row.cpuUs.toFixed(1)} µs`, `${row.relative.toFixed(2)}x`, row.name === 'untraced' ? '' : `+${row.costUs.toFixed(1)} µs`, String(row.rps), String(row.p50), String(row.p99)]);
	const widths = header.map((title, column) => Math.max(title.length, ...cells.map(line => line[column].length)));
	for (const line of [header, ...cells]) {
		console.log(line.map((cell, column) => (column === 0 ? cell.padEnd(widths[column]) : cell.padStart(widths[column]))).join('  '));
	}

	const otel = rows[1];
	const ours = rows[2];
	console.log(`\n--log-requests alone costs ${ours.costUs.toFixed(1)} µs per request; OpenTelemetry's http + undici instrumentation ${otel.costUs.toFixed(1)} µs: ${ours.costUs < otel.costUs ? 'PASS' : 'FAIL'} (target: less than OpenTelemetry)`);
}
