import diagnosticsChannel from 'node:diagnostics_channel';
import {http2Header, http2Status} from './http2-headers.js';
import {nodeValue, ownValue} from './own-value.js';
import type {RequestLog, ServedRequest} from './request-log.js';

// `logRequests` for node:http2 servers (http2.createServer and
// createSecureServer, the stream API and the compatibility API alike): each
// stream a client opens is a request span like an HTTP/1 one, from
// `http2.server.stream.start` (Node publishes it as the stream's headers
// arrive, and emits 'stream' on a later tick of that same context, so the
// handler runs inside the request's context) to `http2.server.stream.close`,
// with the status of `http2.server.stream.finish` (the response's headers)
// and the message of `http2.server.stream.error`. Node publishes these from
// 22 and 24 on; Node 20 has none, and there HTTP/2 requests are not recorded
// (nothing is patched or listened to in their place).

const channels = {
	start: 'http2.server.stream.start',
	finish: 'http2.server.stream.finish',
	error: 'http2.server.stream.error',
	close: 'http2.server.stream.close',
} as const;

// nghttp2's NO_ERROR: the code of a stream closed normally.
const noError = 0;

type Open = {request: ServedRequest; status: number | undefined; error: string | undefined};
type Message = {stream?: unknown; headers?: unknown; error?: unknown};

const objectOf = (value: unknown): object | undefined => (typeof value === 'object' && value !== null ? value : undefined);

export function recordHttp2Requests(log: RequestLog): () => void {
	const open = new WeakMap<object, Open>();
	const entryOf = (stream: unknown): Open | undefined => {
		const key = objectOf(stream);
		return key === undefined ? undefined : open.get(key);
	};

	const onStart = (message: unknown) => {
		const {stream, headers} = message as Message;
		const key = objectOf(stream);
		// A server push starts a stream of the server's own (an even id): it answers no request of the client's.
		const streamId = nodeValue(key, 'id');
		if (key === undefined || !log.active || open.has(key) || (typeof streamId === 'number' && streamId % 2 === 0)) {
			return;
		}

		const remotePort = nodeValue(nodeValue(nodeValue(key, 'session'), 'socket'), 'remotePort');
		const request = log.open(http2Header(headers, ':method'), http2Header(headers, ':path'), remotePort);
		if (request !== undefined) {
			open.set(key, {request, status: undefined, error: undefined});
		}
	};

	const onFinish = (message: unknown) => {
		const {stream, headers} = message as Message;
		const entry = entryOf(stream);
		if (entry !== undefined) {
			entry.status = http2Status(headers);
		}
	};

	const onError = (message: unknown) => {
		const {stream, error} = message as Message;
		const entry = entryOf(stream);
		if (entry !== undefined) {
			const text = ownValue(error, 'message');
			entry.error = typeof text === 'string' ? text : 'error';
		}
	};

	const onClose = (message: unknown) => {
		const key = objectOf((message as Message).stream);
		const entry = key === undefined ? undefined : open.get(key);
		if (key === undefined || entry === undefined) {
			return;
		}

		open.delete(key);
		const code = nodeValue(key, 'rstCode');
		// Closed with an error code, or before any response: the client went away (or the server reset it).
		const aborted = entry.status === undefined || (typeof code === 'number' && code !== noError);
		log.close(entry.request, {status: entry.status, aborted, error: entry.error});
	};

	// A subscriber that throws would reach the program as an uncaught exception.
	const guard = (listener: (message: unknown) => void) => (message: unknown) => {
		try {
			listener(message);
		} catch {}
	};

	const listeners = [[channels.start, guard(onStart)], [channels.finish, guard(onFinish)], [channels.error, guard(onError)], [channels.close, guard(onClose)]] as const;
	for (const [name, listener] of listeners) {
		diagnosticsChannel.subscribe(name, listener);
	}

	return () => {
		for (const [name, listener] of listeners) {
			diagnosticsChannel.unsubscribe(name, listener);
		}
	};
}
