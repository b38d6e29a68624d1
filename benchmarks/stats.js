// Time and peak memory of `viztracer stats` on a generated 5,000,000-event
// trace (the issue's target: under 15 s and 500 MB), next to baselines run
// on the same file in the same run. Usage:
//   node benchmarks/stats.js [--events 5000000] [--runs 1] [--gzip] [--no-baselines] [--json] [--keep]
//
// The trace is written to a temporary directory (about 100 bytes an event,
// so ~500 MB for 5M) the way VizTracer writes one: nested spans, children
// before their parents, a thousand distinct functions on two threads, plus
// counters and metadata. It is removed afterwards unless --keep.
//
// Every measurement is a child process; its peak RSS is VmHWM from
// /proc/<pid>/status read by a preloaded hook at exit (getrusage's maxRSS
// survives exec and would report the parent's peak), its CPU time is
// user + system from process.resourceUsage() in the same hook.
//
// Baselines:
//   read + decode        streaming the file and decoding UTF-8, nothing else: the floor
//   parse only           the six fields stats reads (ph, name, pid, tid, ts, dur) from
//                        every event, two ways: the splitter + JSON.parse that stats
//                        uses, and stream-json 3's tokenizer (a streaming JSON parser
//                        from npm) driving a state machine that assembles nothing else
//   JSON.parse           reading the whole file as one string: fails past V8's
//                        string limit (~512 MB), which is why stats streams
//
// Each parse-only case prints the span count and a checksum; both must agree
// (the run fails otherwise), so they did the same work.
import {spawn} from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {fileURLToPath} from 'node:url';
import {parseArgs} from 'node:util';
import zlib from 'node:zlib';

const {values: flags} = parseArgs({
	options: {
		events: {type: 'string', default: '5000000'},
		runs: {type: 'string', default: '1'},
		gzip: {type: 'boolean', default: false},
		'no-baselines': {type: 'boolean', default: false},
		json: {type: 'boolean', default: false},
		keep: {type: 'boolean', default: false},
	},
});

const rootDir = fileURLToPath(new URL('..', import.meta.url));
const cli = path.join(rootDir, 'dist', 'bin', 'viztracer.js');
if (!fs.existsSync(cli)) {
	console.error('dist/ is missing: run `npx tsc -p tsconfig.json` (or `npm run build`) first');
	process.exit(1);
}

const targetSeconds = 15;
const targetRssMb = 500;
const eventCount = Number(flags.events);
const functionCount = 1000;
const files = 37;

// Preloaded into each measured child: reports peak RSS and CPU time at exit on fd 3.
const reportHook = `data:text/javascript,${encodeURIComponent(`
import fs from 'node:fs';
process.on('exit', () => {
	let hwm = null;
	try {
		const match = /VmHWM:\\s+(\\d+) kB/.exec(fs.readFileSync('/proc/self/status', 'utf8'));
		hwm = match ? Number(match[1]) * 1024 : null;
	} catch {}
	const usage = process.resourceUsage();
	try {
		fs.writeSync(3, JSON.stringify({peakRss: hwm ?? usage.maxRSS * 1024, cpu: (usage.userCPUTime + usage.systemCPUTime) / 1e6}));
	} catch {}
});
`)}`;

/** Writes `count` events like a VizTracer trace: requests of 17 nested spans (root > 4 > 3 each), in end order. */
async function generateTrace(file, count) {
	const out = fs.createWriteStream(file);
	const gzip = file.endsWith('.gz') ? zlib.createGzip({level: 1}) : undefined;
	const sink = gzip ?? out;
	gzip?.pipe(out);
	const write = text => (sink.write(text) ? undefined : new Promise(resolve => {
		sink.once('drain', resolve);
	}));
	const name = index => {
		const id = index % functionCount;
		return `fn${id} (lib/module${id % files}.js:${((id * 7) % 400) + 1}:${(id % 20) + 1})`;
	};
	let buffer = '{"traceEvents":[\n{"ph":"M","name":"process_name","pid":4242,"tid":4242,"args":{"name":"app.js"}},\n{"ph":"M","name":"thread_name","pid":4242,"tid":4242,"args":{"name":"MainThread"}},\n{"ph":"M","name":"thread_name","pid":4242,"tid":4243,"args":{"name":"worker"}}';
	let written = 0;
	let busy = 0;
	let ts = 1000;
	let request = 0;
	const span = (nameIndex, tid, start, duration) => {
		buffer += `,\n{"ph":"X","name":"${name(nameIndex)}","pid":4242,"tid":${tid},"ts":${start.toFixed(3)},"dur":${duration.toFixed(3)},"cat":"FEE"}`;
		written++;
	};

	while (written < count) {
		const tid = 4242 + (request % 2);
		if (count - written < 17) {
			// Too few left for a whole request: lone spans.
			span(request, tid, ts, 3);
			busy += 3;
			ts += 5;
			request++;
			continue;
		}

		const root = request * 17;
		let cursor = ts + 0.5;
		for (let child = 0; child < 4; child++) {
			const childStart = cursor;
			let inner = childStart + 0.25;
			for (let grandchild = 0; grandchild < 3; grandchild++) {
				const duration = 1 + (((root + (child * 3) + grandchild) * 13) % 20);
				span(root + 5 + (child * 3) + grandchild, tid, inner, duration);
				inner += duration + 0.125;
			}

			span(root + 1 + child, tid, childStart, inner - childStart + 0.25);

			cursor = inner + 0.5;
		}

		span(root, tid, ts, cursor - ts + 0.5);
		// Requests alternate between threads and never overlap on one: a root's duration is busy time.
		busy += Number((cursor - ts + 0.5).toFixed(3));

		if (request % 100 === 0) {
			buffer += `,\n{"ph":"C","name":"heap","pid":4242,"tid":4242,"ts":${ts.toFixed(3)},"args":{"used":${request % 997}}}`;
		}

		ts = cursor + 2;
		request++;
		if (buffer.length > 1 << 16) {
			const pending = write(buffer);
			buffer = '';
			if (pending) {
				// eslint-disable-next-line no-await-in-loop
				await pending;
			}
		}
	}

	buffer += '\n],\n"viztracer_metadata":{"version":"0.1.0","overflow":false,"baseTimeNanoseconds":1795652466763168000},\n"displayTimeUnit":"ns"}\n';
	sink.end(buffer);
	await new Promise((resolve, reject) => {
		out.on('finish', resolve);
		out.on('error', reject);
	});
	return {busy};
}

/** Runs `node ...args` with the report hook; resolves with wall time, CPU time, peak RSS, exit code and stdout. */
function measure(args) {
	return new Promise((resolve, reject) => {
		const start = process.hrtime.bigint();
		const child = spawn(process.execPath, ['--import', reportHook, ...args], {cwd: rootDir, stdio: ['ignore', 'pipe', 'pipe', 'pipe']});
		let stdout = '';
		let stderr = '';
		let report = '';
		child.stdout.setEncoding('utf8').on('data', chunk => {
			stdout += chunk;
		});
		child.stderr.setEncoding('utf8').on('data', chunk => {
			stderr += chunk;
		});
		child.stdio[3].setEncoding('utf8').on('data', chunk => {
			report += chunk;
		});
		child.on('error', reject);
		child.on('close', code => {
			const seconds = Number(process.hrtime.bigint() - start) / 1e9;
			const {peakRss = Number.NaN, cpu = Number.NaN} = report ? JSON.parse(report) : {};
			resolve({code, seconds, cpu, peakRssMb: peakRss / 1e6, stdout, stderr});
		});
	});
}

const readOnlyScript = `
import fs from 'node:fs';
import zlib from 'node:zlib';
const file = process.argv[1];
let stream = fs.createReadStream(file, {highWaterMark: 1 << 16});
if (file.endsWith('.gz')) stream = stream.pipe(zlib.createGunzip());
let characters = 0;
for await (const chunk of stream.setEncoding('utf8')) characters += chunk.length;
console.log(characters);
`;

// The two ways of parsing, each reading the six fields stats needs from every
// event (and nothing else), so they compare like for like.
const splitterScript = `
import {readTraceEvents} from './dist/trace-file/read-trace.js';
let spans = 0;
let sum = 0;
await readTraceEvents(process.argv[1], batch => {
	for (const event of batch) {
		if (event.ph === 'X' && typeof event.name === 'string' && event.pid !== undefined && event.tid !== undefined) {
			spans++;
			sum += event.ts + event.dur;
		}
	}
});
console.log(spans, sum);
`;

const streamJsonScript = `
import fs from 'node:fs';
import zlib from 'node:zlib';
import {jsonParser} from 'stream-json/parser.js';
const file = process.argv[1];
let stream = fs.createReadStream(file, {highWaterMark: 1 << 16});
if (file.endsWith('.gz')) stream = stream.pipe(zlib.createGunzip());
const tokenize = jsonParser({packValues: true, streamValues: false});
// Depth 1: the top-level object; 2: the traceEvents array; 3: an event's own keys.
let depth = 0;
let key = '';
let inEvents = false;
let event = {};
let spans = 0;
let sum = 0;
for await (const chunk of stream.setEncoding('utf8')) {
	// A chunk that completes no token gives stream-chain's none (a symbol), not an empty list.
	const tokens = tokenize(chunk).values ?? [];
	for (let index = 0; index < tokens.length; index++) {
		const token = tokens[index];
		switch (token.name) {
			case 'startObject':
				depth++;
				if (depth === 3 && inEvents) event = {ph: '', name: undefined, pid: undefined, tid: undefined, ts: 0, dur: 0};
				break;
			case 'endObject':
				if (depth === 3 && inEvents && event.ph === 'X' && typeof event.name === 'string' && event.pid !== undefined && event.tid !== undefined) {
					spans++;
					sum += event.ts + event.dur;
				}
				depth--;
				break;
			case 'startArray':
				depth++;
				if (depth === 2 && key === 'traceEvents') inEvents = true;
				break;
			case 'endArray':
				if (depth === 2) inEvents = false;
				depth--;
				break;
			case 'keyValue':
				key = token.value;
				break;
			case 'stringValue':
				if (depth === 3 && (key === 'ph' || key === 'name')) event[key] = token.value;
				break;
			case 'numberValue':
				if (depth === 3 && (key === 'ts' || key === 'dur' || key === 'pid' || key === 'tid')) event[key] = Number(token.value);
				break;
		}
	}
}
console.log(spans, sum);
`;

const wholeParseScript = `
import fs from 'node:fs';
import zlib from 'node:zlib';
const file = process.argv[1];
const bytes = fs.readFileSync(file);
try {
	const text = (file.endsWith('.gz') ? zlib.gunzipSync(bytes) : bytes).toString('utf8');
	console.log(JSON.parse(text).traceEvents.length);
} catch (error) {
	console.log('error: ' + error.message);
}
`;

const directory = fs.mkdtempSync(path.join(os.tmpdir(), 'viztracer-bench-stats-'));
const results = [];
try {
	const traces = [path.join(directory, 'trace.json')];
	if (flags.gzip) {
		traces.push(path.join(directory, 'trace.json.gz'));
	}

	for (const trace of traces) {
		const generated = Date.now();
		// eslint-disable-next-line no-await-in-loop
		const {busy} = await generateTrace(trace, eventCount);
		const megabytes = fs.statSync(trace).size / 1e6;
		if (!flags.json) {
			console.log(`${path.basename(trace)}: ${eventCount.toLocaleString('en-US')} spans, ${megabytes.toFixed(0)} MB, generated in ${((Date.now() - generated) / 1000).toFixed(1)} s`);
		}

		const cases = [{name: 'viztracer stats', args: [cli, 'stats', '--json', trace], check: true}];
		if (!flags['no-baselines']) {
			cases.push(
				{name: 'baseline: read + decode', args: ['--input-type=module', '-e', readOnlyScript, trace]},
				{name: 'parse only: splitter + JSON.parse (what stats uses)', args: ['--input-type=module', '-e', splitterScript, trace]},
				{name: 'parse only: stream-json tokenizer', args: ['--input-type=module', '-e', streamJsonScript, trace]},
				{name: 'baseline: JSON.parse whole file', args: ['--input-type=module', '-e', wholeParseScript, trace]},
			);
		}

		const parseOutputs = new Set();
		for (const {name, args, check} of cases) {
			let best;
			for (let run = 0; run < Number(flags.runs); run++) {
				// eslint-disable-next-line no-await-in-loop
				const result = await measure(args);
				if (result.code !== 0) {
					throw new Error(`${name} exited with ${result.code}: ${result.stderr}`);
				}

				if (check) {
					// Real work: every generated span is counted, and self times add up to busy time.
					const rows = JSON.parse(result.stdout);
					const calls = rows.reduce((sum, row) => sum + row.calls, 0);
					if (calls !== eventCount || rows.length > functionCount) {
						throw new Error(`stats counted ${calls} calls of ${rows.length} functions, expected ${eventCount} of at most ${functionCount}`);
					}

					const self = rows.reduce((sum, row) => sum + row.self, 0);
					if (eventCount >= 17 && Math.abs(self - busy) > 1e-6 * busy) {
						throw new Error(`self times add up to ${self} µs, but the threads were busy ${busy} µs`);
					}
				}

				if (name.startsWith('parse only')) {
					parseOutputs.add(result.stdout.trim());
				}

				if (!best || result.seconds < best.seconds) {
					best = {...result, peakRssMb: Math.max(result.peakRssMb, best?.peakRssMb ?? 0)};
				}
			}

			if (parseOutputs.size > 1) {
				throw new Error(`the parse-only cases disagree: ${[...parseOutputs].join(' vs ')}`);
			}

			const note = name.startsWith('baseline: JSON.parse') ? best.stdout.trim().slice(0, 70) : '';
			results.push({trace: path.basename(trace), megabytes: Math.round(megabytes), case: name, seconds: best.seconds, cpuSeconds: best.cpu, peakRssMb: best.peakRssMb, note});
		}
	}
} finally {
	if (flags.keep) {
		console.error(`kept ${directory}`);
	} else {
		fs.rmSync(directory, {recursive: true, force: true});
	}
}

const statsRows = results.filter(row => row.case === 'viztracer stats');
const pass = statsRows.every(row => row.seconds < targetSeconds && row.peakRssMb < targetRssMb);
if (flags.json) {
	console.log(JSON.stringify({events: eventCount, node: process.version, cpus: os.cpus().length, loadAverage: os.loadavg(), targetSeconds, targetRssMb, pass, results}, undefined, 2));
} else {
	console.log(`\nnode ${process.version}, ${os.cpus().length} CPUs (${os.cpus()[0]?.model ?? 'unknown'}), load average ${os.loadavg().map(load => load.toFixed(1)).join(' ')}\n`);
	console.log('| trace | case | wall (s) | CPU (s) | peak RSS (MB) | note |');
	console.log('| --- | --- | ---: | ---: | ---: | --- |');
	for (const row of results) {
		console.log(`| ${row.trace} (${row.megabytes} MB) | ${row.case} | ${row.seconds.toFixed(1)} | ${row.cpuSeconds.toFixed(1)} | ${row.peakRssMb.toFixed(0)} | ${row.note} |`);
	}

	console.log(`\ntarget for viztracer stats: < ${targetSeconds} s and < ${targetRssMb} MB: ${pass ? 'met' : 'NOT met'}`);
}

process.exitCode = pass ? 0 : 1;
