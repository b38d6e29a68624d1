import {AsyncLocalStorage} from 'node:async_hooks';
import diagnosticsChannel from 'node:diagnostics_channel';
import {now} from '../core/clock.js';
import type {Recorder} from '../core/recorder.js';
import {nodeValue, ownValue} from './own-value.js';
import {rowLanes} from './row-lanes.js';

// `logRequests`: every request a node:http or node:https server of this
// thread serves becomes a span, `GET /users/42 → 200`, from the moment Node
// hands it to the server's 'request' listeners to the moment the response
// is finished (or the connection closed under it), on a row of its own:
// requests served at the same time go on rows "requests 1", "requests 2", …,
// and a row is reused once its request is over. Found through Node's own
// diagnostics channels, so it works whether or not the server's or the
// framework's code is instrumented. Recording reads Node's objects only: an
// own data property of the request (express's `route`, `baseUrl`) is read
// as a value, never through a getter.
//
// The request is carried through the async work it causes with an
// AsyncLocalStorage entered when Node announces it (the 'request' listeners
// run in that context, and so does everything they schedule), so every span
// and instant recorded while serving it carries `args.request`, its id.

const requestStart = 'http.server.request.start';
const responseFinish = 'http.server.response.finish';

type Served = {
	id: number;
	start: number;
	lane: number;
	method: string;
	url: string;
	remotePort: number | undefined;
	bytesBefore: number;
	done: boolean;
};

type Message = {request?: unknown; response?: unknown; socket?: unknown};

/** A socket's bytes written so far: Node's own accounting. */
function bytesWritten(socket: unknown): number {
	const value = nodeValue(socket, 'bytesWritten');
	return typeof value === 'number' ? value : 0;
}

/** The route a framework matched, when it left one on the request: express's `baseUrl` + `route.path`. */
function routeOf(request: unknown): string | undefined {
	const path = ownValue(ownValue(request, 'route'), 'path');
	if (typeof path !== 'string') {
		return undefined;
	}

	const base = ownValue(request, 'baseUrl');
	return `${typeof base === 'string' ? base : ''}${path}`;
}

/** Starts recording the requests this thread's servers serve; returns the function that stops it. */
export function recordRequests(recorder: Recorder): () => void {
	const served = new WeakMap<object, Served>();
	const rows = rowLanes();
	let lastId = 0;
	let active = true;
	const context = new AsyncLocalStorage<Readonly<Record<string, unknown>>>();
	recorder.setContextSource(() => context.getStore());

	const end = (response: object, request: unknown, socket: unknown, aborted: boolean) => {
		const entry = served.get(response);
		if (entry === undefined || entry.done) {
			return;
		}

		entry.done = true;
		rows.free(entry.lane);
		if (!active) {
			return;
		}

		const finished = now();
		const status = ownValue(response, 'statusCode');
		const route = routeOf(request);
		const path = entry.url.split('?', 1)[0]!;
		const outcome = aborted ? 'aborted' : String(status);
		const args: Record<string, unknown> = {request: entry.id, method: entry.method, url: entry.url, status: typeof status === 'number' ? status : undefined, bytes: bytesWritten(socket) - entry.bytesBefore, remotePort: entry.remotePort};
		if (route !== undefined) {
			args['route'] = route;
		}

		if (aborted) {
			args['aborted'] = true;
		}

		recorder.complete(recorder.intern(`${entry.method} ${route ?? path} → ${outcome}`), entry.start, finished, recorder.track(`requests ${entry.lane + 1}`), args);
	};

	const onStart = (message: unknown) => {
		const {request, response, socket} = message as Message;
		if (!active || typeof response !== 'object' || response === null) {
			return;
		}

		const lane = rows.take();
		const method = ownValue(request, 'method');
		const url = ownValue(request, 'url');
		const remotePort = nodeValue(socket, 'remotePort');
		const id = ++lastId;
		context.enterWith(Object.freeze({request: id}));
		served.set(response, {
			id,
			start: now(),
			lane,
			method: typeof method === 'string' ? method : '?',
			url: typeof url === 'string' ? url : '',
			remotePort: typeof remotePort === 'number' ? remotePort : undefined,
			bytesBefore: bytesWritten(socket),
			done: false,
		});
		// A response closed before it finished (the client went away): Node emits 'close' on it after 'finish' otherwise.
		try {
			(response as {once(event: string, listener: () => void): unknown}).once('close', () => {
				end(response, request, socket, true);
			});
		} catch {}
	};

	const onFinish = (message: unknown) => {
		const {request, response, socket} = message as Message;
		if (typeof response === 'object' && response !== null) {
			end(response, request, socket, false);
		}
	};

	diagnosticsChannel.subscribe(requestStart, onStart);
	diagnosticsChannel.subscribe(responseFinish, onFinish);
	return () => {
		active = false;
		recorder.setContextSource(undefined);
		context.disable();
		diagnosticsChannel.unsubscribe(requestStart, onStart);
		diagnosticsChannel.unsubscribe(responseFinish, onFinish);
	};
}
