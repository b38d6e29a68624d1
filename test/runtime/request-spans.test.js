// --log-requests (lib/runtime/request-spans.ts): each request a node:http
// server serves is a span on a row of its own, named after its method, path
// and status, with the details in args; the server behaves as untraced.
import path from 'node:path';
import test from 'ava';
import {cliPath, fixturesDir, readTrace, rowNames, run, spansOnRows, temporaryDirectory, traceLikeUntraced} from '../helpers/exec.js';

const directory = temporaryDirectory();
const server = path.join(fixturesDir, 'requests', 'server.mjs');

test('--log-requests records each request as a span on a requests row, with method, url, status, bytes and port', async t => {
	const {traced, trace} = await traceLikeUntraced(t, server, ['--log-requests'], path.join(directory, 'requests.json'));
	t.is(traced.stdout, '/users/1 200 24\n/users/2?full=1 200 24\n/slow 200 4\n/nope 404 9\n/route/x 200 6\n/hang aborted\n/users/3 200 24\n');

	const rows = rowNames(trace);
	const requests = trace.traceEvents.filter(event => event.ph === 'X' && /^requests \d+ \(MainThread\)$/.test(rows.get(event.tid) ?? ''));
	t.deepEqual(requests.map(event => event.name).sort(), [
		'GET /hang → aborted',
		'GET /nope → 404',
		'GET /route/:name → 200',
		'GET /slow → 200',
		'GET /users/1 → 200',
		'GET /users/2 → 200',
		'GET /users/3 → 200',
	]);
	const byName = new Map(requests.map(event => [event.name, event]));
	const user2 = byName.get('GET /users/2 → 200');
	t.like(user2.args, {method: 'GET', url: '/users/2?full=1', status: 200});
	t.true(user2.args.bytes > 24, 'the bytes sent, headers included');
	t.is(typeof user2.args.remotePort, 'number');
	t.is(typeof user2.args.request, 'number');
	t.is(new Set(requests.map(event => event.args.request)).size, 7, 'each request its own id');
	t.is(byName.get('GET /route/:name → 200').args.route, '/route/:name');
	t.true(byName.get('GET /hang → aborted').args.aborted);
	// Requests served at the same time are on different rows: no row holds two that overlap.
	t.true(new Set(requests.map(event => event.tid)).size >= 3, 'the slow ones overlap');
	const byRow = new Map();
	for (const event of requests) {
		byRow.set(event.tid, [...byRow.get(event.tid) ?? [], event]);
	}

	for (const events of byRow.values()) {
		events.sort((a, b) => a.ts - b.ts);
		for (let index = 1; index < events.length; index++) {
			t.true(events[index].ts >= events[index - 1].ts + events[index - 1].dur);
		}
	}

	// The last request came after the others were over: it reuses the first row.
	t.is(rows.get(byName.get('GET /users/3 → 200').tid), 'requests 1 (MainThread)');
	// A request lasts from its arrival to its response: the slow one at least its 120 ms.
	t.true(byName.get('GET /slow → 200').dur >= 115_000);
	t.true(byName.get('GET /users/1 → 200').dur >= 25_000);
	// The handler's functions ran inside their request's span.
	const lookUps = trace.traceEvents.filter(event => event.ph === 'X' && event.name.startsWith('lookUp '));
	t.is(lookUps.length, 3);
	const users = requests.filter(event => event.name.startsWith('GET /users/'));
	for (const call of lookUps) {
		t.true(users.some(request => request.ts <= call.ts && call.ts + call.dur <= request.ts + request.dur), 'inside a /users request');
	}

	// …and carry the id of the request they served (args.request), through the timer that ran them.
	t.deepEqual(new Set(lookUps.map(call => call.args?.request)), new Set(users.map(request => request.args.request)));
	const handles = trace.traceEvents.filter(event => event.ph === 'X' && event.name.startsWith('handle '));
	t.deepEqual(handles.map(call => call.args?.request).sort((a, b) => a - b), requests.map(request => request.args.request).sort((a, b) => a - b));
	// Work outside any request carries none: the client side of the fixture.
	const gets = trace.traceEvents.filter(event => event.ph === 'X' && event.name.startsWith('get '));
	t.is(gets.length, 7);
	t.true(gets.every(call => call.args?.request === undefined));
});

test('without --log-requests there are no request rows', async t => {
	const output = path.join(directory, 'no-requests.json');
	const traced = await run(process.execPath, [cliPath, '-q', '-o', output, server]);
	t.is(traced.code, 0, traced.stderr);
	const trace = await readTrace(output);
	t.false(trace.traceEvents.some(event => event.ph === 'M' && String(event.args?.name).startsWith('requests ')));
});

const outgoing = path.join(fixturesDir, 'requests', 'outgoing.mjs');
const ioSpans = trace => spansOnRows(trace, /^I\/O \d+ \(MainThread\)$/);

test('--log-requests also records outgoing fetch and http requests, child processes and connects on I/O rows', async t => {
	const {traced, trace} = await traceLikeUntraced(t, outgoing, ['--log-requests', '--no-trace-children'], path.join(directory, 'outgoing.json'));
	t.is(traced.stdout, 'answer to /fetched?x=1 | answer to /got | 3 | rows 42\n');
	const spans = ioSpans(trace);
	const names = spans.map(event => event.name);
	const fetchSpan = spans.find(event => /^fetch GET http:\/\/127\.0\.0\.1:\d+\/fetched → 200$/.test(event.name));
	t.truthy(fetchSpan, names.join('\n'));
	t.like(fetchSpan.args, {method: 'GET', status: 200});
	t.regex(fetchSpan.args.url, /\/fetched\?x=1$/);
	t.true(fetchSpan.dur >= 15_000, 'until the answer came, after the server\'s 20 ms');
	t.true(names.some(name => /^http GET 127\.0\.0\.1\/got → 200$/.test(name)), names.join('\n'));
	const child = spans.find(event => event.name === 'spawn node → exit 3');
	t.truthy(child, names.join('\n'));
	t.is(child.args.code, 3);
	t.true(names.some(name => /^connect 127\.0\.0\.1:\d+$/.test(name)), names.join('\n'));
	// The server's side of the same requests is on the requests rows.
	t.false(names.some(name => name.startsWith('demo:query')), 'named channels only with --trace-channels');
});

test('--trace-channels records the calls of the named TracingChannels, promise calls until they settle', async t => {
	const output = path.join(directory, 'channels.json');
	const traced = await run(process.execPath, [cliPath, '-q', '--trace-channels', 'demo:query,other:thing', '--no-trace-children', '-o', output, outgoing]);
	t.is(traced.code, 0, traced.stderr);
	const spans = ioSpans(await readTrace(output));
	const queries = spans.filter(event => event.name === 'demo:query');
	t.is(queries.length, 2, spans.map(event => event.name).join('\n'));
	t.true(Math.max(...queries.map(event => event.dur)) >= 35_000, 'the promise call lasts until it settles');
	t.false(spans.some(event => event.name.startsWith('fetch ')), 'built-in I/O only with --log-requests');
	const environment = await run(process.execPath, ['--import', 'viztracer/register', outgoing], {env: {VIZTRACER_TRACE_CHANNELS: 'demo:query', VIZTRACER_OUTPUT_FILE: path.join(directory, 'channels-env.json'), VIZTRACER_VERBOSE: '0', VIZTRACER_TRACE_CHILDREN: '0'}});
	t.is(environment.code, 0, environment.stderr);
	t.is(ioSpans(await readTrace(path.join(directory, 'channels-env.json'))).filter(event => event.name === 'demo:query').length, 2);
});
