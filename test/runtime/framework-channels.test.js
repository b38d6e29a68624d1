// --log-requests and fastify's own tracing channel
// (lib/runtime/framework-channels.ts): each route handler is a span inside
// its request's span, on its row, and the request span is named after the
// route fastify matched.
import path from 'node:path';
import test from 'ava';
import {fixturesDir, rowNames, temporaryDirectory, traceLikeUntraced} from '../helpers/exec.js';

const directory = temporaryDirectory();
const server = path.join(fixturesDir, 'requests', 'fastify-server.mjs');

test('--log-requests records fastify\'s handlers inside their requests, and names the requests after fastify\'s routes', async t => {
	const {traced, trace} = await traceLikeUntraced(t, server, ['--log-requests', '--no-trace-children'], path.join(directory, 'fastify.json'));
	t.is(traced.stdout, '/users/1 200 24\n/users/2?full=1 200 24\n/hello/ann 200 9\n/fail 500 70\ninject /users/9 200 24\n');
	const rows = rowNames(trace);
	const onRequestRows = trace.traceEvents.filter(event => event.ph === 'X' && /^requests \d+ \(MainThread\)$/.test(rows.get(event.tid) ?? ''));
	const requests = onRequestRows.filter(event => !event.name.startsWith('fastify handler '));
	const handlers = onRequestRows.filter(event => event.name.startsWith('fastify handler '));
	t.deepEqual(requests.map(event => event.name).sort(), ['GET /fail → 500', 'GET /hello/:name → 200', 'GET /users/:id → 200', 'GET /users/:id → 200']);
	t.true(requests.every(event => event.args.route === event.name.split(' ')[1]));
	t.deepEqual(requests.filter(event => event.name.startsWith('GET /users/')).map(event => event.args.url).sort(), ['/users/1', '/users/2?full=1']);

	// One handler span per request, inside it on its row, with its id; the injected request's has a row and no id.
	t.deepEqual(handlers.map(event => event.name).sort(), ['fastify handler GET /fail', 'fastify handler GET /hello/:name', 'fastify handler GET /users/:id', 'fastify handler GET /users/:id', 'fastify handler GET /users/:id']);
	const served = handlers.filter(event => event.args.request !== undefined);
	t.is(served.length, 4);
	for (const handler of served) {
		const request = requests.find(event => event.args.request === handler.args.request);
		t.is(handler.tid, request.tid, 'on its request\'s row');
		t.true(request.ts <= handler.ts && handler.ts + handler.dur <= request.ts + request.dur, 'inside its request');
		t.is(handler.args.route, request.args.route);
		t.is(handler.args.url, undefined, 'not counted as a request by viztracer stats');
	}

	t.is(handlers.find(event => event.name === 'fastify handler GET /fail').args.error, 'no luck');
	const injected = handlers.filter(event => event.args.request === undefined);
	t.is(injected.length, 1);
	t.is(injected[0].name, 'fastify handler GET /users/:id');
	// The async handler lasts until its promise settles: the lookUp its awaited timer ran is inside it.
	const lookUps = trace.traceEvents.filter(event => event.ph === 'X' && event.name.startsWith('lookUp '));
	t.is(lookUps.length, 3);
	for (const call of lookUps) {
		t.true(handlers.some(handler => handler.name === 'fastify handler GET /users/:id' && handler.args.request === call.args?.request && handler.ts <= call.ts && call.ts + call.dur <= handler.ts + handler.dur));
	}
});
