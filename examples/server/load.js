// Drives the example server with autocannon: GET /users/<n> and GET /health
// in turn on each connection, for a number of seconds (or a number of
// requests: `load(url, {amount})`, or until `signal` aborts); prints autocannon's summary and its own
// count of responses per route as JSON (the last line).
//
//   node examples/server/load.js http://127.0.0.1:3000 [seconds] [connections]
import autocannon from 'autocannon';

export async function load(url, {seconds = 5, amount, connections = 10, signal} = {}) {
	const answered = {'GET /users/:id': 0, 'GET /health': 0};
	let user = 0;
	let instance;
	const done = new Promise((resolve, reject) => {
		instance = autocannon({
			url,
			...(amount === undefined ? {duration: seconds} : {amount}),
			connections,
			requests: [
				{
					setupRequest(request) {
						return {...request, path: `/users/${++user % 100}`};
					},
					onResponse() {
						answered['GET /users/:id']++;
					},
				},
				{
					path: '/health',
					onResponse() {
						answered['GET /health']++;
					},
				},
			],
		}, (error, result) => (error ? reject(error) : resolve(result)));
	});
	const stop = () => instance.stop();
	signal?.addEventListener('abort', stop, {once: true});
	const result = await done;
	signal?.removeEventListener('abort', stop);
	return {result, answered};
}

if (import.meta.url === `file://${process.argv[1]}`) {
	const [url = 'http://127.0.0.1:3000', seconds = '5', connections = '10'] = process.argv.slice(2);
	const {result, answered} = await load(url, {seconds: Number(seconds), connections: Number(connections)});
	console.log(`${result.requests.total} requests in ${seconds} s (${Math.round(result.requests.average)}/s), latency p50 ${result.latency.p50} ms, p99 ${result.latency.p99} ms, errors ${result.errors}, non-2xx ${result.non2xx}`);
	console.log(JSON.stringify(answered));
}
