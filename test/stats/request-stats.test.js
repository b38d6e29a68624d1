// `viztracer stats --by route|request` (lib/stats/request-stats.ts): the
// request spans of --log-requests and the function spans carrying their ids,
// on a hand-written trace whose numbers are known.
import path from 'node:path';
import test from 'ava';
import {computeRequestStats, routeStats} from '../../dist/stats/request-stats.js';
import {fixturesDir, runCli} from '../helpers/exec.js';

const trace = path.join(fixturesDir, 'stats', 'requests.json');

test('requests are found on their rows, with their function spans counted (not the I/O rows\' spans)', async t => {
	const requests = await computeRequestStats(trace);
	t.deepEqual(requests.map(({request, route, status, spans, dur, bytes, thread}) => ({request, route, status, spans, dur, bytes, thread})), [
		{request: 1, route: 'GET /users/:id', status: '200', spans: 2, dur: 100, bytes: 120, thread: 'MainThread'},
		{request: 2, route: 'GET /users/:id', status: '200', spans: 1, dur: 300, bytes: 130, thread: 'MainThread'},
		{request: 3, route: 'GET /health', status: 'aborted', spans: 0, dur: 50, bytes: 0, thread: 'MainThread'},
		{request: 4, route: 'POST /health', status: '404', spans: 0, dur: 20, bytes: 9, thread: 'MainThread'},
	]);
	t.is(requests[0].url, '/users/1?x=1');
});

test('routes: counts, statuses and nearest-rank percentiles, the largest total first', async t => {
	const routes = routeStats(await computeRequestStats(trace));
	t.deepEqual(routes, [
		{route: 'GET /users/:id', requests: 2, statuses: {200: 2}, total: 400, mean: 200, p50: 100, p95: 300, max: 300, spans: 3},
		{route: 'GET /health', requests: 1, statuses: {aborted: 1}, total: 50, mean: 50, p50: 50, p95: 50, max: 50, spans: 0},
		{route: 'POST /health', requests: 1, statuses: {404: 1}, total: 20, mean: 20, p50: 20, p95: 20, max: 20, spans: 0},
	]);
});

test('the CLI prints them as tables, JSON and CSV; a trace without requests is one line and exit 1', async t => {
	const byRoute = await runCli(['stats', '--by', 'route', trace]);
	t.is(byRoute.code, 0, byRoute.stderr);
	const lines = byRoute.stdout.split('\n');
	t.is(lines[0], `${trace}: 4 requests of 3 routes, by total time`);
	t.deepEqual(lines[3].trim().split(/\s{2,}/), ['2', '400.00 µs', '200.00 µs', '100.00 µs', '300.00 µs', '300.00 µs', '3', '200×2', 'GET /users/:id']);

	const byRequest = await runCli(['stats', '--by', 'request', '--limit', '2', trace]);
	t.is(byRequest.code, 0, byRequest.stderr);
	const rows = byRequest.stdout.split('\n').slice(3, 5).map(line => line.trim().split(/\s{2,}/));
	t.deepEqual(rows, [
		['2', '10.00 µs', '300.00 µs', '1', '200', '130', 'GET /users/2'],
		['1', '0 ns', '100.00 µs', '2', '200', '120', 'GET /users/1?x=1'],
	]);
	t.regex(byRequest.stdout, /… 2 more requests \(--limit 0 shows all\)/);

	const json = await runCli(['stats', '--by', 'request', '--json', trace]);
	t.deepEqual(JSON.parse(json.stdout).map(row => row.request), [2, 1, 3, 4]);
	const csv = await runCli(['stats', '--by', 'route', '--csv', trace]);
	t.is(csv.stdout.split('\r\n')[0], 'route,requests,statuses,total,mean,p50,p95,max,spans');
	t.is(csv.stdout.split('\r\n')[1], 'GET /users/:id,2,200×2,400,200,100,300,300,3');

	const none = await runCli(['stats', '--by', 'route', path.join(fixturesDir, 'stats', 'nested.json')]);
	t.is(none.code, 1);
	t.is(none.stdout, '');
	t.regex(none.stderr, /^viztracer stats: .*nested\.json has no requests: record them with viztracer --log-requests \(option logRequests\)\n$/);
});
