// How long a process takes to end after SIGINT, untraced and traced, while
// it is idle and while it spins in a synchronous loop. Usage:
//   node benchmarks/signal-latency.js [--runs 10] [--json] [--dist dir]
// Each run starts a fresh process on a fixture of test/fixtures/cli/, waits
// for the "ready" line it prints before it idles or spins, waits 300 ms more
// (the loop is then well under way), sends SIGINT and times the process's
// end from the parent. The median and the worst of the runs are reported,
// with how the process ended (it must be killed by SIGINT in every case).
import {spawn} from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import {fileURLToPath} from 'node:url';
import {parseArgs} from 'node:util';

const {values: flags} = parseArgs({
	options: {
		runs: {type: 'string', default: '10'},
		json: {type: 'boolean', default: false},
		dist: {type: 'string'},
	},
});

const root = fileURLToPath(new URL('..', import.meta.url));
const dist = flags.dist ? path.resolve(flags.dist) : path.join(root, 'dist');
const fixture = name => path.join(root, 'test', 'fixtures', 'cli', name);
const cli = path.join(dist, 'bin', 'viztracer.js');
// `--dist` may name a build from before lib/ had rooms, where register.js sat at the top.
const register = [path.join(dist, 'integrations', 'register.js'), path.join(dist, 'register.js')].find(file => fs.existsSync(file));
const output = path.join(process.env.TMPDIR ?? '/tmp', `viztracer-signal-latency-${process.pid}.json`);

const cases = [
	['untraced, busy', [fixture('busy-forever.mjs')]],
	['CLI, idle', [cli, '-q', '-o', output, fixture('long-running.mjs')]],
	['CLI, busy', [cli, '-q', '-o', output, fixture('busy-forever.mjs')]],
	['register, busy', ['--import', register, fixture('busy-forever.mjs')]],
];

function once(args) {
	return new Promise((resolve, reject) => {
		const child = spawn(process.execPath, args, {stdio: ['ignore', 'pipe', 'inherit'], env: {...process.env, VIZTRACER_VERBOSE: '0', VIZTRACER_OUTPUT_FILE: output}});
		let sentAt;
		let seen = '';
		child.stdout.on('data', chunk => {
			seen += chunk;
			if (sentAt === undefined && seen.includes('ready')) {
				sentAt = 0;
				setTimeout(() => {
					sentAt = performance.now();
					child.kill('SIGINT');
				}, 300);
			}
		});
		const guard = setTimeout(() => child.kill('SIGKILL'), 30_000);
		child.on('error', reject);
		child.on('close', (code, signal) => {
			clearTimeout(guard);
			resolve({ms: performance.now() - sentAt, ended: signal ?? `exit ${code}`});
		});
	});
}

const runs = Number(flags.runs);
const results = [];
for (const [name, args] of cases) {
	const times = [];
	const endings = new Set();
	for (let run = 0; run < runs; run++) {
		const {ms, ended} = await once(args); // eslint-disable-line no-await-in-loop
		times.push(ms);
		endings.add(ended);
	}

	times.sort((a, b) => a - b);
	results.push({case: name, medianMs: Number(times[times.length >> 1].toFixed(1)), maxMs: Number(times.at(-1).toFixed(1)), ended: [...endings].join(', ')});
}

if (flags.json) {
	console.log(JSON.stringify({node: process.version, runs, results}));
} else {
	console.log(`Node ${process.version}, ${runs} runs per case: time from SIGINT to the process's end`);
	console.log('| case | median | worst | ended by |');
	console.log('| --- | --- | --- | --- |');
	for (const result of results) {
		console.log(`| ${result.case} | ${result.medianMs} ms | ${result.maxMs} ms | ${result.ended} |`);
	}
}
