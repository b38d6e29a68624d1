// The example express server (examples/server/) traced with --log-requests
// under autocannon load: every request is a span on a request row with its
// route and status, the functions and fetches it caused carry its id, and
// `viztracer stats --by route` counts what the load generator counted.
import path from 'node:path';
import test from 'ava';
import {load} from '../../examples/server/load.js';
import {cliPath, readTrace, rootDir, rowNames, run, runCli, temporaryDirectory} from '../helpers/exec.js';

const directory = temporaryDirectory();
const app = path.join(rootDir, 'examples', 'server', 'app.js');

/** Starts the traced server; resolves with its URL once it listens, and with its exit. */
function startServer(output) {
	return new Promise((resolve, reject) => {
		let child;
		const exited = run(process.execPath, [cliPath, '-q', '--log-requests', '-o', output, app], {
			env: {PORT: '0'},
			timeout: 60_000,
			onSpawn(spawned) {
				child = spawned;
				let seen = '';
				spawned.stdout.on('data', chunk => {
					seen += chunk;
					const url = /listening on (http:\S+)/.exec(seen)?.[1];
					if (url !== undefined) {
						resolve({url, child, exited});
					}
				});
			},
		});
		exited.then(result => reject(new Error(`the server exited before listening: ${result.stderr}`)), reject);
	});
}

test('a traced express server under autocannon: request rows, ids on the work they caused, per-route counts that match the load', async t => {
	const output = path.join(directory, 'server.json');
	const {url, child, exited} = await startServer(output);
	const amount = 1200;
	const {result, answered} = await load(url, {amount, connections: 8});
	child.kill('SIGINT');
	const {code, stdout, stderr} = await exited;
	t.is(code, 0, stderr);
	t.is(result.errors, 0);
	t.is(result.non2xx, 0);
	t.deepEqual(answered, {'GET /users/:id': amount / 2, 'GET /health': amount / 2});
	// The server's own count, printed as it closed.
	t.deepEqual(JSON.parse(stdout.trim().split('\n').pop()), answered);

	const stats = await runCli(['stats', '--by', 'route', '--json', output]);
	t.is(stats.code, 0, stats.stderr);
	const routes = new Map(JSON.parse(stats.stdout).map(row => [row.route, row]));
	t.is(routes.get('GET /users/:id').requests, amount / 2);
	t.deepEqual(routes.get('GET /users/:id').statuses, {200: amount / 2});
	t.is(routes.get('GET /health').requests, amount / 2);
	// Each /users request asked the upstream for one price: node:http requests without a framework's route are counted by path.
	const prices = [...routes.values()].filter(row => row.route.startsWith('GET /prices/'));
	t.is(prices.reduce((sum, row) => sum + row.requests, 0), amount / 2);
	t.true(routes.get('GET /users/:id').p95 >= routes.get('GET /users/:id').p50);

	const trace = await readTrace(output);
	const rows = rowNames(trace);
	const requests = trace.traceEvents.filter(event => event.ph === 'X' && /^requests \d+ \(/.test(rows.get(event.tid) ?? ''));
	t.is(requests.filter(event => event.name === 'GET /users/:id → 200').length, amount / 2);
	t.true(new Set(requests.map(event => event.tid)).size >= 8, 'requests served at once are on rows of their own');
	// One request and what it caused: its functions and its fetch carry its id.
	const user = requests.find(event => event.name === 'GET /users/:id → 200' && event.args.url === '/users/7');
	const caused = trace.traceEvents.filter(event => event.ph === 'X' && event.args?.request === user.args.request && event !== user);
	const names = caused.map(event => event.name.split(' (', 1)[0]);
	for (const name of ['loadUser', 'fetchPrice', 'renderUser']) {
		t.true(names.includes(name), `${name} in ${names.join(', ')}`);
	}

	const fetchSpan = caused.find(event => event.name.startsWith('fetch GET '));
	t.regex(fetchSpan.name, /^fetch GET http:\/\/127\.0\.0\.1:\d+\/prices\/7 → 200$/);
	t.true(/^I\/O \d+ \(/.test(rows.get(fetchSpan.tid)));
	for (const event of caused) {
		t.true(event.ts >= user.ts && event.ts <= user.ts + user.dur, `${event.name} began while its request was served`);
	}
});
