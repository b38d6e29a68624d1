// --log-requests on node:http2 servers (lib/runtime/http2-request-spans.ts):
// each stream a client opens is a request span on the requests rows, like an
// HTTP/1 request, on the Nodes that publish the http2.server.stream.*
// channels (22 and 24); the client's streams are I/O spans. Node 20
// publishes none: nothing is recorded there, and the program runs the same.
import path from 'node:path';
import test from 'ava';
import {fixturesDir, rowNames, spansOnRows, temporaryDirectory, traceLikeUntraced} from '../helpers/exec.js';

const directory = temporaryDirectory();
const server = path.join(fixturesDir, 'requests', 'http2-server.mjs');
const publishesHttp2 = Number.parseInt(process.versions.node, 10) >= 22;

const spansByRow = trace => ({rows: rowNames(trace), requests: spansOnRows(trace, /^requests \d+ \(MainThread\)$/), io: spansOnRows(trace, /^I\/O \d+ \(MainThread\)$/)});

test('--log-requests records each HTTP/2 stream a server serves (plain and secure, stream and compatibility API) as a request span', async t => {
	const {traced, trace} = await traceLikeUntraced(t, server, ['--log-requests'], path.join(directory, 'http2.json'));
	t.is(traced.stdout, '/users/1 200 24\n/users/2?full=1 200 24\n/nope 404 9\n/hang aborted\n/secure/users/3 201 24\n');
	const {rows, requests, io} = spansByRow(trace);
	if (!publishesHttp2) {
		t.deepEqual(requests, [], 'Node 20 publishes no http2 channels');
		t.false(io.some(event => event.name.startsWith('http2 ')));
		return;
	}

	t.deepEqual(requests.map(event => event.name).sort(), [
		'GET /hang → aborted',
		'GET /nope → 404',
		'GET /secure/users/3 → 201',
		'GET /users/1 → 200',
		'GET /users/2 → 200',
	]);
	const byName = new Map(requests.map(event => [event.name, event]));
	t.like(byName.get('GET /users/2 → 200').args, {method: 'GET', url: '/users/2?full=1', status: 200});
	t.is(typeof byName.get('GET /users/2 → 200').args.remotePort, 'number');
	t.like(byName.get('GET /secure/users/3 → 201').args, {method: 'GET', url: '/secure/users/3', status: 201});
	t.true(byName.get('GET /hang → aborted').args.aborted);
	t.is(new Set(requests.map(event => event.args.request)).size, 5, 'each stream its own id');
	t.true(new Set(requests.map(event => event.tid)).size >= 3, 'streams served at once are on rows of their own');

	// The handlers ran in their request's context: the stream API's 'stream' listener, the compatibility API's 'request' listener, and what their timers ran.
	const handles = trace.traceEvents.filter(event => event.ph === 'X' && /^handle(?:Stream|Request) /.test(event.name));
	t.deepEqual(handles.map(call => call.args?.request).sort((a, b) => a - b), requests.map(request => request.args.request).sort((a, b) => a - b));
	const lookUps = trace.traceEvents.filter(event => event.ph === 'X' && event.name.startsWith('lookUp '));
	t.is(lookUps.length, 3);
	const answered = requests.filter(event => /users/.test(event.name));
	t.deepEqual(new Set(lookUps.map(call => call.args?.request)), new Set(answered.map(request => request.args.request)));
	for (const call of lookUps) {
		const request = answered.find(event => event.args.request === call.args.request);
		t.true(request.ts <= call.ts && call.ts + call.dur <= request.ts + request.dur, 'inside its request');
	}

	// The client's streams are I/O spans, with the response's status.
	const clientNames = io.map(event => event.name).filter(name => name.startsWith('http2 '));
	t.true(clientNames.some(name => /^http2 GET 127\.0\.0\.1:\d+\/users\/1 → 200$/.test(name)), clientNames.join('\n'));
	t.true(clientNames.some(name => /^http2 GET localhost:\d+\/secure\/users\/3 → 201$/.test(name)), clientNames.join('\n'));
	t.true(clientNames.some(name => /^http2 GET 127\.0\.0\.1:\d+\/hang → closed$/.test(name)), clientNames.join('\n'));
	const users2 = io.find(event => event.name.startsWith('http2 GET 127.0.0.1') && event.args.path === '/users/2?full=1');
	t.like(users2.args, {method: 'GET', status: 200});
	t.true([...rows.values()].every(name => !/^requests/.test(name) || /^requests \d+ \(MainThread\)$/.test(name)));
});
