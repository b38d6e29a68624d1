// An express server to trace under load:
//
//   npx viztracer --log-requests -o server.json examples/server/app.js
//   node examples/server/load.js http://127.0.0.1:3000 5      (in another terminal)
//
// GET /users/:id waits on a timer (a database, say), asks an upstream
// service for a price with fetch and renders the answer; GET /health
// answers at once; anything else is a 404. The upstream runs in the same
// process on a port of its own, so the example needs nothing else. The
// server closes on SIGINT or SIGTERM and prints its own count of requests
// per route, which `viztracer stats --by route` should match.
import http from 'node:http';
import {setTimeout as sleep} from 'node:timers/promises';
import express from 'express';

const served = new Map();
const count = route => served.set(route, (served.get(route) ?? 0) + 1);

function priceOf(id) {
	return Math.round(((Number(id) * 7919) % 1000) * 100) / 100;
}

const upstream = http.createServer((request, response) => {
	const id = request.url.split('/').pop();
	response.setHeader('content-type', 'application/json');
	response.end(JSON.stringify({id, price: priceOf(id)}));
});

async function loadUser(id) {
	await sleep(2);
	return {id: Number(id), name: `user ${id}`};
}

async function fetchPrice(id) {
	const response = await fetch(`http://127.0.0.1:${upstream.address().port}/prices/${id}`);
	return (await response.json()).price;
}

function renderUser(user, price) {
	return {...user, price, display: `${user.name} (${price.toFixed(2)})`};
}

const app = express();
app.get('/users/:id', async (request, response) => {
	count('GET /users/:id');
	const [user, price] = await Promise.all([loadUser(request.params.id), fetchPrice(request.params.id)]);
	response.json(renderUser(user, price));
});
app.get('/health', (request, response) => {
	count('GET /health');
	response.send('ok');
});

upstream.listen(0, '127.0.0.1', () => {
	const server = app.listen(Number(process.env.PORT ?? 3000), '127.0.0.1', () => {
		console.log(`listening on http://127.0.0.1:${server.address().port}`);
	});
	const shutDown = () => {
		server.close();
		upstream.close();
		server.closeAllConnections();
		console.log(JSON.stringify(Object.fromEntries(served)));
	};

	process.once('SIGINT', shutDown);
	process.once('SIGTERM', shutDown);
});
