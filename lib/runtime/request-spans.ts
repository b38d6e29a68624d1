import diagnosticsChannel from 'node:diagnostics_channel';
import type {Recorder} from '../core/recorder.js';
import {recordFrameworkHandlers} from './framework-channels.js';
import {recordHttp2Requests} from './http2-request-spans.js';
import {nodeValue, ownValue} from './own-value.js';
import {requestLog, type ServedRequest} from './request-log.js';

// `logRequests`: every request a node:http or node:https server of this
// thread serves becomes a span, `GET /users/42 → 200`, from the moment Node
// hands it to the server's 'request' listeners to the moment the response
// is finished (or the connection closed under it), on a row of its own:
// requests served at the same time go on rows "requests 1", "requests 2", …,
// and a row is reused once its request is over. Found through Node's own
// diagnostics channels, so it works whether or not the server's or the
// framework's code is instrumented. Recording reads Node's objects only: an
// own data property of the request (express's `route`, `baseUrl`) is read
// as a value, never through a getter. HTTP/2 servers (http2-request-spans.ts)
// and the frameworks' own channels (framework-channels.ts) share the ids,
// rows and context (request-log.ts).
//
// The request is carried through the async work it causes with an
// AsyncLocalStorage entered when Node announces it (the 'request' listeners
// run in that context, and so does everything they schedule), so every span
// and instant recorded while serving it carries `args.request`, its id.

const requestStart = 'http.server.request.start';
const responseFinish = 'http.server.response.finish';

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
	const log = requestLog(recorder);
	const served = new WeakMap<object, {request: ServedRequest; bytesBefore: number}>();

	const end = (response: object, request: unknown, socket: unknown, aborted: boolean) => {
		const entry = served.get(response);
		if (entry !== undefined) {
			const status = ownValue(response, 'statusCode');
			log.close(entry.request, {status: typeof status === 'number' ? status : undefined, bytes: bytesWritten(socket) - entry.bytesBefore, route: routeOf(request), aborted});
		}
	};

	const onStart = (message: unknown) => {
		const {request, response, socket} = message as Message;
		if (!log.active || typeof response !== 'object' || response === null) {
			return;
		}

		const opened = log.open(ownValue(request, 'method'), ownValue(request, 'url'), nodeValue(socket, 'remotePort'));
		if (opened === undefined) {
			return;
		}

		served.set(response, {request: opened, bytesBefore: bytesWritten(socket)});
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
	const stopHttp2 = recordHttp2Requests(log);
	const stopFrameworks = recordFrameworkHandlers(recorder, log);
	return () => {
		log.stop();
		stopHttp2();
		stopFrameworks();
		diagnosticsChannel.unsubscribe(requestStart, onStart);
		diagnosticsChannel.unsubscribe(responseFinish, onFinish);
	};
}
