import http from 'node:http';
import path from 'node:path';
import {once} from 'node:events';
import test from 'ava';
import {context, trace} from '@opentelemetry/api';
import {AsyncLocalStorageContextManager} from '@opentelemetry/context-async-hooks';
import {BasicTracerProvider} from '@opentelemetry/sdk-trace-base';
import {VizTracer} from '../../../dist/index.js';
import {OtlpPlugin, getVizplugin, otlpExportWarningCode} from '../../../dist/plugins/bundled/otlp.js';
import {fixturesDir, readTrace, runCli, temporaryDirectory} from '../../helpers/exec.js';

const directory = temporaryDirectory();
const nestedScript = path.join(fixturesDir, 'otlp', 'nested.mjs');
const exitCodeScript = path.join(fixturesDir, 'otlp', 'exit-code.mjs');

/**
 * A real OTLP/HTTP receiver: takes what the official exporter POSTs
 * (OTLP JSON, `application/json`) and decodes it into flat spans.
 */
async function startReceiver({respond = true} = {}) {
	const requests = [];
	const server = http.createServer((request, response) => {
		const chunks = [];
		request.on('data', chunk => chunks.push(chunk));
		request.on('end', () => {
			requests.push({method: request.method, url: request.url, contentType: request.headers['content-type'], body: JSON.parse(Buffer.concat(chunks).toString('utf8'))});
			if (respond) {
				response.writeHead(200, {'content-type': 'application/json'});
				response.end('{}');
			}
		});
	});
	server.listen(0, '127.0.0.1');
	await once(server, 'listening');
	const {port} = server.address();
	return {
		port,
		url: `http://127.0.0.1:${port}/v1/traces`,
		requests,
		spans: () => decodeSpans(requests),
		async close() {
			server.closeAllConnections();
			server.close();
			await once(server, 'close');
		},
	};
}

function attributeMap(attributes = []) {
	const map = {};
	for (const {key, value} of attributes) {
		const [kind, raw] = Object.entries(value)[0];
		map[key] = kind === 'intValue' ? Number(raw) : raw;
	}

	return map;
}

function decodeSpans(requests) {
	const spans = [];
	for (const {body} of requests) {
		for (const resourceSpans of body.resourceSpans) {
			const resource = attributeMap(resourceSpans.resource.attributes);
			for (const scopeSpans of resourceSpans.scopeSpans) {
				for (const span of scopeSpans.spans) {
					spans.push({
						...span,
						scope: scopeSpans.scope,
						resource,
						attributes: attributeMap(span.attributes),
						start: BigInt(span.startTimeUnixNano),
						end: BigInt(span.endTimeUnixNano),
					});
				}
			}
		}
	}

	return spans;
}

/** A closed port: listen on a random one, then release it. */
async function closedPortUrl() {
	const server = http.createServer();
	server.listen(0, '127.0.0.1');
	await once(server, 'listening');
	const {port} = server.address();
	server.close();
	await once(server, 'close');
	return `http://127.0.0.1:${port}/v1/traces`;
}

const absoluteNs = (trace, microseconds) => BigInt(trace.viztracer_metadata.baseTimeNanoseconds) + BigInt(Math.round(microseconds * 1000));
const abs = value => (value < 0n ? -value : value);

/** Every exported span matches one `X` event of the trace file (name, thread, start and end within 1 µs), and back. */
function assertSpansMatchTrace(t, spans, traceData) {
	const events = traceData.traceEvents.filter(event => event.ph === 'X');
	t.is(spans.length, events.length);
	const unmatched = new Set(events);
	for (const span of spans) {
		const event = [...unmatched].find(candidate => candidate.name === span.name && candidate.tid === span.attributes['thread.id']
			&& abs(absoluteNs(traceData, candidate.ts) - span.start) <= 1000n
			&& abs(absoluteNs(traceData, candidate.ts + candidate.dur) - span.end) <= 1000n);
		t.truthy(event, `no trace event for span ${span.name} ${span.start}-${span.end}`);
		unmatched.delete(event);
	}
}

/** outer → inner nesting: each inner span's parent is an outer span of the same trace that encloses it. */
function assertNesting(t, spans) {
	const byId = new Map(spans.map(span => [span.spanId, span]));
	const outers = spans.filter(span => span.name.startsWith('outer '));
	const inners = spans.filter(span => span.name.startsWith('inner '));
	t.is(outers.length, 2);
	t.is(inners.length, 4);
	for (const inner of inners) {
		const parent = byId.get(inner.parentSpanId);
		t.truthy(parent, `inner span has parent ${inner.parentSpanId}`);
		t.true(parent.name.startsWith('outer '));
		t.is(parent.traceId, inner.traceId);
		t.true(parent.start <= inner.start && inner.end <= parent.end);
	}

	for (const outer of outers) {
		t.is(outer.traceId, inners[0].traceId);
		t.regex(outer.traceId, /^[\da-f]{32}$/);
		t.regex(outer.spanId, /^[\da-f]{16}$/);
	}
}

test('the CLI path delivers the spans, nested, timed and attributed as in the trace file', async t => {
	const receiver = await startReceiver();
	t.teardown(() => receiver.close());
	const output = path.join(directory, 'cli.json');
	const result = await runCli(['-q', '-o', output, '--plugins', `viztracer/plugins/otlp ${receiver.url}`, '--', nestedScript]);
	t.is(result.code, 0, result.stderr);
	t.regex(result.stdout, /total/);
	t.is(receiver.requests.length, 1);
	t.is(receiver.requests[0].method, 'POST');
	t.is(receiver.requests[0].url, '/v1/traces');
	t.regex(receiver.requests[0].contentType, /application\/json/);

	const spans = receiver.spans();
	const traceData = await readTrace(output);
	assertSpansMatchTrace(t, spans, traceData);
	assertNesting(t, spans);
	// The outermost spans are roots: no active OpenTelemetry span in a plain CLI run.
	t.true(spans.some(span => span.parentSpanId === undefined || span.parentSpanId === ''));

	const [span] = spans;
	t.is(span.scope.name, 'viztracer');
	t.is(span.resource['service.name'], 'nested.mjs');
	t.is(span.resource['process.pid'], traceData.traceEvents[0].pid);
	t.is(span.attributes['thread.name'], 'MainThread');
	t.is(span.attributes['viztracer.category'], 'FEE');
});

// Adds args to the `inner` spans, the way a user's plugin or handler would, before the OTLP plugin converts them.
const argsPlugin = {
	supportVersion: () => '0.1.0',
	message: (mType, payload) => (mType === 'event' && payload.when === 'pre-save'
		? {action: 'handle_data', handler(data) {
			for (const event of data.traceEvents) {
				if (event.ph === 'X' && event.name === 'inner') {
					event.args = {value: 42, label: 'x', flag: true, nested: {a: 1}};
				}
			}
		}}
		: (mType === 'command' ? {success: true} : {})),
};

function runNested(tracer) {
	const inner = tracer.wrap(value => value * 2, 'inner');
	const outer = tracer.wrap(() => inner(1) + inner(2), 'outer');
	tracer.start();
	outer();
	outer();
	tracer.stop();
}

test.serial('from code, saveAsync() then flush() awaits the export; thread, process and args become attributes', async t => {
	const receiver = await startReceiver();
	t.teardown(() => receiver.close());
	const plugin = new OtlpPlugin(receiver.url);
	t.false(plugin.synchronous);
	const tracer = new VizTracer({verbose: 0, plugins: [argsPlugin, plugin]});
	runNested(tracer);
	const file = await tracer.saveAsync(path.join(directory, 'code.json'));
	await plugin.flush();
	tracer.terminate();

	const spans = receiver.spans();
	const traceData = await readTrace(file);
	assertSpansMatchTrace(t, spans, traceData);
	const inners = spans.filter(span => span.name === 'inner');
	t.is(inners.length, 4);
	for (const inner of inners) {
		t.is(spans.find(span => span.spanId === inner.parentSpanId)?.name, 'outer');
		t.like(inner.attributes, {'viztracer.args.value': 42, 'viztracer.args.label': 'x', 'viztracer.args.flag': true, 'viztracer.args.nested': '{"a":1}', 'thread.id': process.pid, 'thread.name': 'MainThread'});
		t.is(inner.resource['process.pid'], process.pid);
	}
});

test.serial('spans join the active OpenTelemetry span the tracer was started under', async t => {
	const receiver = await startReceiver();
	t.teardown(() => receiver.close());
	const contextManager = new AsyncLocalStorageContextManager().enable();
	context.setGlobalContextManager(contextManager);
	t.teardown(() => {
		context.disable();
	});
	const provider = new BasicTracerProvider();
	const parent = provider.getTracer('test').startSpan('request');
	const plugin = new OtlpPlugin({endpoint: receiver.url});
	const tracer = new VizTracer({verbose: 0, plugins: [plugin]});
	context.with(trace.setSpan(context.active(), parent), () => {
		runNested(tracer);
	});
	parent.end();
	tracer.save(path.join(directory, 'joined.json'));
	await plugin.flush();
	tracer.terminate();

	const spans = receiver.spans();
	t.is(spans.length, 6);
	const {traceId, spanId} = parent.spanContext();
	for (const span of spans) {
		t.is(span.traceId, traceId);
	}

	const outers = spans.filter(span => span.name === 'outer');
	t.is(outers.length, 2);
	for (const outer of outers) {
		t.is(outer.parentSpanId, spanId);
	}
});

test('the endpoint comes from the argument, else OTEL_EXPORTER_OTLP_TRACES_ENDPOINT, else OTEL_EXPORTER_OTLP_ENDPOINT + /v1/traces, else localhost:4318', t => {
	const env = {OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: 'http://traces:1/custom', OTEL_EXPORTER_OTLP_ENDPOINT: 'http://base:2'};
	t.is(new OtlpPlugin({endpoint: 'http://explicit:3/v1/traces', env}).endpoint, 'http://explicit:3/v1/traces');
	t.is(new OtlpPlugin({env}).endpoint, 'http://traces:1/custom');
	t.is(new OtlpPlugin({env: {OTEL_EXPORTER_OTLP_ENDPOINT: 'http://base:2/'}}).endpoint, 'http://base:2/v1/traces');
	t.is(new OtlpPlugin({env: {}}).endpoint, 'http://localhost:4318/v1/traces');
	t.is(new OtlpPlugin({env: {OTEL_EXPORTER_OTLP_TIMEOUT: '250'}}).timeoutMillis, 250);
	t.throws(() => new OtlpPlugin({endpoint: 'not a url', env: {}}), {code: 'VIZTRACER_INVALID_OPTION'});
	const fromCli = getVizplugin('viztracer/plugins/otlp http://cli:4/v1/traces --timeout 500');
	t.is(fromCli.endpoint, 'http://cli:4/v1/traces');
	t.is(fromCli.timeoutMillis, 500);
	t.true(fromCli.synchronous);
	t.throws(() => getVizplugin('viztracer/plugins/otlp --timeout soon'), {code: 'VIZTRACER_PLUGIN_ERROR'});
});

test('under the CLI, OTEL_EXPORTER_OTLP_ENDPOINT and OTEL_EXPORTER_OTLP_TRACES_ENDPOINT route the spans', async t => {
	const receiver = await startReceiver();
	t.teardown(() => receiver.close());
	const base = await runCli(['-q', '-o', path.join(directory, 'env-base.json'), '--plugins', 'viztracer/plugins/otlp', '--', nestedScript], {env: {OTEL_EXPORTER_OTLP_ENDPOINT: `http://127.0.0.1:${receiver.port}`, OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: ''}});
	t.is(base.code, 0, base.stderr);
	t.is(receiver.requests.length, 1);
	t.is(receiver.requests[0].url, '/v1/traces');

	const traces = await runCli(['-q', '-o', path.join(directory, 'env-traces.json'), '--plugins', 'viztracer/plugins/otlp', '--', nestedScript], {env: {OTEL_EXPORTER_OTLP_ENDPOINT: 'http://127.0.0.1:1', OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: `http://127.0.0.1:${receiver.port}/custom/path`}});
	t.is(traces.code, 0, traces.stderr);
	t.is(receiver.requests.length, 2);
	t.is(receiver.requests[1].url, '/custom/path');
	t.is(receiver.spans().length, 12);
});

test('a collector that is down gives a warning; the exit code and the local trace file are unaffected', async t => {
	const url = await closedPortUrl();
	const output = path.join(directory, 'down.json');
	const started = Date.now();
	const result = await runCli(['-q', '-o', output, '--plugins', `viztracer/plugins/otlp ${url} --timeout 1000`, '--', exitCodeScript]);
	t.true(Date.now() - started < 15_000);
	t.is(result.code, 3, result.stderr);
	t.regex(result.stdout, /sum 4950/);
	t.regex(result.stderr, new RegExp(`${otlpExportWarningCode}.*Could not export \\d+ spans to the OTLP collector at ${url.replaceAll('.', '\\.')}`));
	const traceData = await readTrace(output);
	t.true(traceData.traceEvents.some(event => event.ph === 'X' && event.name.startsWith('work ')));
});

test('a collector that never answers is given up after the timeout, with a warning', async t => {
	const receiver = await startReceiver({respond: false});
	t.teardown(() => receiver.close());
	const output = path.join(directory, 'hung.json');
	const started = Date.now();
	const result = await runCli(['-q', '-o', output, '--plugins', `viztracer/plugins/otlp ${receiver.url} --timeout 500`, '--', nestedScript]);
	t.true(Date.now() - started < 15_000);
	t.is(result.code, 0, result.stderr);
	t.regex(result.stderr, new RegExp(otlpExportWarningCode));
	t.true((await readTrace(output)).traceEvents.length > 0);
});

test.serial('from code, a collector that is down makes flush() resolve with a warning, not an error', async t => {
	const url = await closedPortUrl();
	const warnings = [];
	const onWarning = warning => warnings.push(warning);
	process.on('warning', onWarning);
	t.teardown(() => process.off('warning', onWarning));
	const plugin = new OtlpPlugin({endpoint: url, timeoutMillis: 500});
	const tracer = new VizTracer({verbose: 0, plugins: [plugin]});
	runNested(tracer);
	const file = tracer.save(path.join(directory, 'down-code.json'));
	await plugin.flush();
	await new Promise(resolve => {
		setImmediate(resolve);
	});
	tracer.terminate();
	t.true(warnings.some(warning => warning.code === otlpExportWarningCode));
	t.is((await readTrace(file)).traceEvents.filter(event => event.ph === 'X').length, 6);
});
