// Cost of exporting 100,000 spans to an OTLP/HTTP collector through
// viztracer/plugins/otlp, next to creating the same spans through the
// OpenTelemetry SDK directly (BasicTracerProvider + BatchSpanProcessor +
// the same OTLPTraceExporter). Usage:
//   node benchmarks/otlp.js [--runs 3] [--spans 100000] [--json]
//
// The collector is a node:http server in this process that parses every
// request and counts the spans (each case must deliver exactly --spans).
// Every measurement runs in a fresh child process (this script with
// --child), so its peak RSS (VmHWM, see save.js for why not maxRSS) is that
// case's alone: Node, the spans and the export. Best time of the runs,
// highest peak.
import {execFile} from 'node:child_process';
import {readFileSync} from 'node:fs';
import http from 'node:http';
import {once} from 'node:events';
import {parseArgs} from 'node:util';
import {fileURLToPath} from 'node:url';

const {values: flags} = parseArgs({
	options: {
		child: {type: 'string'},
		url: {type: 'string'},
		runs: {type: 'string', default: '3'},
		spans: {type: 'string', default: '100000'},
		json: {type: 'boolean', default: false},
	},
});
const spans = Number(flags.spans);
const depth = 4;

const cases = [
	{name: 'otlp plugin, async (flush())', run: viaPlugin(false)},
	{name: 'otlp plugin, sync (CLI path)', run: viaPlugin(true)},
	{name: 'OTel SDK directly (BatchSpanProcessor)', run: viaSdk},
];

await (flags.child ? child(cases.find(c => c.name === flags.child)) : parent());

function peakRssMb() {
	const match = /VmHWM:\s+(\d+) kB/.exec(readFileSync('/proc/self/status', 'utf8'));
	return match ? Number(match[1]) / 1024 : process.resourceUsage().maxRSS / 1024;
}

/** What the plugin receives at pre-save: `spans` X events in nested groups of `depth`, on one thread. */
function traceData() {
	const traceEvents = [
		{ph: 'M', name: 'process_name', pid: 1, tid: 1, args: {name: 'bench.js'}},
		{ph: 'M', name: 'thread_name', pid: 1, tid: 1, args: {name: 'MainThread'}},
	];
	let ts = 0;
	for (let group = 0; group < spans / depth; group++) {
		for (let level = 0; level < depth; level++) {
			traceEvents.push({ph: 'X', name: `handler${level} (/home/user/project/src/module${group % 64}.js:${level + 1}:1)`, pid: 1, tid: 1, ts: ts + level, dur: (2 * (depth - level)) + 0.123, cat: 'FEE'});
		}

		ts += (2 * depth) + 1;
	}

	return {traceEvents, viztracer_metadata: {version: '0.1.0', overflow: false, baseTimeNanoseconds: String(BigInt(Date.now()) * 1_000_000n)}, displayTimeUnit: 'ns'};
}

function viaPlugin(synchronous) {
	return async url => {
		const {OtlpPlugin} = await import('../dist/plugins/bundled/otlp.js');
		const data = traceData();
		let failed;
		process.on('warning', warning => {
			failed = warning;
		});
		const started = performance.now();
		const plugin = new OtlpPlugin({endpoint: url, synchronous, timeoutMillis: 60_000});
		plugin.message('event', {when: 'pre-save'}).handler(data);
		await plugin.flush();
		const ms = performance.now() - started;
		if (failed) {
			throw failed;
		}

		return ms;
	};
}

async function viaSdk(url) {
	const {context, trace} = await import('@opentelemetry/api');
	const {BasicTracerProvider, BatchSpanProcessor} = await import('@opentelemetry/sdk-trace-base');
	const {OTLPTraceExporter} = await import('@opentelemetry/exporter-trace-otlp-http');
	const {resourceFromAttributes} = await import('@opentelemetry/resources');
	const started = performance.now();
	const provider = new BasicTracerProvider({
		resource: resourceFromAttributes({'service.name': 'bench.js', 'process.pid': 1}),
		// A queue that holds every span, so none is dropped, and the default
		// batch size (512). forceFlush() sends every batch at once, so the
		// exporter must allow that many concurrent requests (default 30).
		spanProcessors: [new BatchSpanProcessor(new OTLPTraceExporter({url, timeoutMillis: 60_000, concurrencyLimit: Math.ceil(spans / 512) + 1}), {maxQueueSize: 2 * spans, exportTimeoutMillis: 60_000})],
	});
	const tracer = provider.getTracer('bench');
	const attributes = {'thread.id': 1, 'thread.name': 'MainThread', 'viztracer.category': 'FEE'};
	for (let group = 0; group < spans / depth; group++) {
		const open = [];
		let parentContext = context.active();
		for (let level = 0; level < depth; level++) {
			const span = tracer.startSpan(`handler${level} (/home/user/project/src/module${group % 64}.js:${level + 1}:1)`, {attributes}, parentContext);
			open.push(span);
			parentContext = trace.setSpan(parentContext, span);
		}

		while (open.length > 0) {
			open.pop().end();
		}
	}

	await provider.forceFlush();
	const ms = performance.now() - started;
	await provider.shutdown();
	return ms;
}

async function child(which) {
	const ms = await which.run(flags.url);
	process.stdout.write(JSON.stringify({ms, peakRssMb: peakRssMb()}));
}

async function parent() {
	let received = 0;
	const server = http.createServer((request, response) => {
		const chunks = [];
		request.on('data', chunk => chunks.push(chunk));
		request.on('end', () => {
			for (const resourceSpans of JSON.parse(Buffer.concat(chunks).toString('utf8')).resourceSpans) {
				for (const scopeSpans of resourceSpans.scopeSpans) {
					received += scopeSpans.spans.length;
				}
			}

			response.writeHead(200, {'content-type': 'application/json'});
			response.end('{}');
		});
	});
	server.listen(0, '127.0.0.1');
	await once(server, 'listening');
	const url = `http://127.0.0.1:${server.address().port}/v1/traces`;
	const script = fileURLToPath(import.meta.url);
	const results = [];
	for (const {name} of cases) {
		const result = {name, ms: Number.POSITIVE_INFINITY, peakRssMb: 0};
		for (let run = 0; run < Number(flags.runs); run++) {
			received = 0;
			// eslint-disable-next-line no-await-in-loop
			const {ms, peakRssMb} = JSON.parse(await new Promise((resolve, reject) => {
				execFile(process.execPath, [script, '--child', name, '--url', url, '--spans', String(spans)], {maxBuffer: 1024 * 1024}, (error, stdout) => (error ? reject(error) : resolve(stdout)));
			}));
			if (received !== spans) {
				throw new Error(`${name}: the collector received ${received} spans, expected ${spans}`);
			}

			result.ms = Math.min(result.ms, ms);
			result.peakRssMb = Math.max(result.peakRssMb, peakRssMb);
		}

		results.push(result);
	}

	server.close();
	if (flags.json) {
		console.log(JSON.stringify({spans, results}, null, 2));
		return;
	}

	const baseline = results.at(-1);
	console.log(`exporting ${spans} spans to a local OTLP/HTTP (JSON) collector; best of ${flags.runs} runs\n`);
	console.log(`${'case'.padEnd(40)}${'time ms'.padStart(10)}${'x SDK'.padStart(8)}${'peak RSS MB'.padStart(13)}`);
	for (const {name, ms, peakRssMb} of results) {
		console.log(`${name.padEnd(40)}${ms.toFixed(0).padStart(10)}${(ms / baseline.ms).toFixed(2).padStart(8)}${peakRssMb.toFixed(0).padStart(13)}`);
	}

	console.log('\npeak RSS is the measuring process only: the sync case\'s sender child (which holds the spans again) is not included');
}
