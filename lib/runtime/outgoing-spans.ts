import {executionAsyncId} from 'node:async_hooks';
import diagnosticsChannel from 'node:diagnostics_channel';
import {now} from '../core/clock.js';
import type {Recorder} from '../core/recorder.js';
import {http2Header, http2Status} from './http2-headers.js';
import {nodeValue, ownValue} from './own-value.js';
import {rowLanes} from './row-lanes.js';

// The I/O a thread starts, as spans from start to result, whether or not the
// library code doing it is instrumented: fetch() and undici requests,
// http.request() client requests, child processes (spawn to exit), outgoing
// socket connects, and any TracingChannel the user names. They come from
// Node's (and undici's) diagnostics channels. Each goes on one of the
// thread's "I/O 1", "I/O 2", … rows: as many as were in flight at once, a
// row reused once its operation is over. Recording reads own data
// properties as values (never a getter of the program's), and Node's own
// objects' getters.
//
// Where the I/O ends with an event whose listeners Node calls right away (an
// http.request's 'response', a child's 'exit', a socket's 'connect'), a flow
// arrow goes from the end of its span to the first function span of those
// listeners: the next run entered in the same async execution. Results that
// reach the program through a promise (fetch, traced promise calls) or a
// later tick (an HTTP/2 'response') get no arrow: finding their consumer
// would take async_hooks' promise tracking, which costs far more than the
// span.

// Flow ids of I/O arrows live above those of awaits and async resources.
const flowIdBase = 2 ** 42;

const text = (value: unknown, fallback = ''): string => (typeof value === 'string' ? value : fallback);

type Open = {start: number; lane: number; name: string; args: Record<string, unknown>};

export type OutgoingOptions = {
	/** Node's own: fetch/undici, http.request, child processes, socket connects. @default true */
	builtins?: boolean;
	/** TracingChannel names (`mysql2:query`) whose traced calls become spans too. */
	channels?: readonly string[];
};

/** Starts recording this thread's outgoing I/O; returns the function that stops it. */
export function recordOutgoing(recorder: Recorder, {builtins = true, channels = []}: OutgoingOptions = {}): () => void {
	const rows = rowLanes();
	const open = new WeakMap<object, Open>();
	const unsubscribes: Array<() => void> = [];
	let active = true;
	let flows = 0;

	const begin = (key: object, name: string, args: Record<string, unknown>) => {
		if (active && !open.has(key)) {
			open.set(key, {start: now(), lane: rows.take(), name, args: recorder.withContext(args)});
		}
	};

	/** Ends the span of `key`; `toListeners`: the event ending it calls its listeners now, and the first one's span gets a flow arrow from it. */
	const finish = (key: object, outcome: string | undefined, extra: Record<string, unknown> = {}, toListeners = false) => {
		const entry = open.get(key);
		if (entry === undefined) {
			return;
		}

		open.delete(key);
		rows.free(entry.lane);
		if (!active) {
			return;
		}

		const end = now();
		const name = recorder.intern(outcome === undefined ? entry.name : `${entry.name} → ${outcome}`);
		const track = recorder.track(`I/O ${entry.lane + 1}`);
		recorder.complete(name, entry.start, end, track, {...entry.args, ...extra});
		// Only from the event loop: a listener called deeper (an event the program emitted itself) is not a run of its own.
		if (toListeners && recorder.depth === 0) {
			const execution = executionAsyncId();
			// Just inside the span, so viewers that bind a flow's start to the slice under it find this one.
			recorder.flowToNextRun(name, flowIdBase + ++flows, Math.max(entry.start, end - 0.001), track, () => executionAsyncId() === execution);
		}
	};

	const on = (name: string, listener: (message: unknown) => void) => {
		const guarded = (message: unknown) => {
			try {
				listener(message);
			} catch {}
		};

		diagnosticsChannel.subscribe(name, guarded);
		unsubscribes.push(() => diagnosticsChannel.unsubscribe(name, guarded));
	};

	const key = (message: unknown, field: string): object | undefined => {
		const value = (message as Record<string, unknown> | undefined)?.[field];
		return typeof value === 'object' && value !== null ? value : undefined;
	};

	if (builtins) {
		// fetch() and undici: the request object is the same through its events.
		on('undici:request:create', message => {
			const request = key(message, 'request');
			if (request !== undefined) {
				const method = text(ownValue(request, 'method'), 'GET');
				const url = `${text(ownValue(request, 'origin'))}${text(ownValue(request, 'path'))}`;
				begin(request, `fetch ${method} ${url.split('?', 1)[0]}`, {method, url});
			}
		});
		on('undici:request:headers', message => {
			const request = key(message, 'request');
			const status = ownValue(key(message, 'response'), 'statusCode');
			const entry = request === undefined ? undefined : open.get(request);
			if (entry !== undefined && typeof status === 'number') {
				entry.args['status'] = status;
			}
		});
		on('undici:request:trailers', message => {
			const request = key(message, 'request');
			if (request !== undefined) {
				finish(request, String(open.get(request)?.args['status'] ?? 'done'));
			}
		});
		on('undici:request:error', message => {
			const request = key(message, 'request');
			const error = key(message, 'error');
			if (request !== undefined) {
				finish(request, 'error', {error: text(ownValue(error, 'message'), 'error')});
			}
		});

		// http.request() / http.get(): from the request's start to the end of its response.
		on('http.client.request.start', message => {
			const request = key(message, 'request');
			if (request !== undefined) {
				const method = text(nodeValue(request, 'method'), 'GET');
				const host = text(nodeValue(request, 'host'));
				const path = text(nodeValue(request, 'path'));
				begin(request, `http ${method} ${host}${path.split('?', 1)[0]}`, {method, host, path});
				try {
					// An answer that never comes (an error, a destroyed request) ends the span at close.
					(request as {once(event: string, listener: () => void): unknown}).once('close', () => {
						finish(request, 'closed');
					});
				} catch {}
			}
		});
		on('http.client.response.finish', message => {
			const request = key(message, 'request');
			const status = nodeValue(key(message, 'response'), 'statusCode');
			if (request !== undefined) {
				finish(request, typeof status === 'number' ? String(status) : undefined, typeof status === 'number' ? {status} : {}, true);
			}
		});

		// HTTP/2 client streams (Node 22, 24; none on Node 20): from the request to the response's headers, as http.request().
		on('http2.client.stream.created', message => {
			const stream = key(message, 'stream');
			const headers = (message as {headers?: unknown} | undefined)?.headers;
			if (stream !== undefined) {
				const method = text(http2Header(headers, ':method'), 'GET');
				const authority = text(http2Header(headers, ':authority'));
				const path = text(http2Header(headers, ':path'), '/');
				begin(stream, `http2 ${method} ${authority}${path.split('?', 1)[0]}`, {method, authority, path});
			}
		});
		on('http2.client.stream.finish', message => {
			const stream = key(message, 'stream');
			const status = http2Status((message as {headers?: unknown} | undefined)?.headers);
			if (stream !== undefined) {
				finish(stream, status === undefined ? undefined : String(status), status === undefined ? {} : {status});
			}
		});
		on('http2.client.stream.error', message => {
			const stream = key(message, 'stream');
			if (stream !== undefined) {
				finish(stream, 'error', {error: text(ownValue(key(message, 'error'), 'message'), 'error')});
			}
		});
		on('http2.client.stream.close', message => {
			const stream = key(message, 'stream');
			if (stream !== undefined) {
				finish(stream, 'closed');
			}
		});

		// Child processes: from spawn to exit.
		on('child_process', message => {
			const child = key(message, 'process');
			if (child !== undefined) {
				// Published as the ChildProcess is made, before it spawns: what it runs is known by its exit.
				begin(child, 'spawn', {});
				try {
					(child as {once(event: string, listener: (code: unknown, signal: unknown) => void): unknown}).once('exit', (code, signal) => {
						const file = text(nodeValue(child, 'spawnfile'));
						const entry = open.get(child);
						if (entry !== undefined) {
							entry.name = `spawn ${file.split(/[\\/]/).pop() ?? file}`;
							Object.assign(entry.args, {file, pid: nodeValue(child, 'pid')});
						}

						finish(child, signal === null || signal === undefined ? `exit ${String(code)}` : String(signal), {code, signal}, true);
					});
				} catch {}
			}
		});

		// Outgoing sockets: from creation to connect (or close without one).
		on('net.client.socket', message => {
			const socket = key(message, 'socket');
			if (socket === undefined) {
				return;
			}

			begin(socket, 'connect', {});
			try {
				const emitter = socket as {once(event: string, listener: () => void): unknown; removeListener(event: string, listener: () => void): unknown};
				const connected = () => {
					emitter.removeListener('close', closed);
					const host = nodeValue(socket, 'remoteAddress');
					const port = nodeValue(socket, 'remotePort');
					const entry = open.get(socket);
					if (entry !== undefined) {
						entry.name = `connect ${text(host)}:${String(port)}`;
						Object.assign(entry.args, {host, port});
					}

					finish(socket, undefined, {}, true);
				};

				const closed = () => {
					emitter.removeListener('connect', connected);
					finish(socket, 'closed');
				};

				emitter.once('connect', connected);
				emitter.once('close', closed);
			} catch {}
		});
	}

	// Channels the user named: a span per traced call, from start to its (async) end.
	for (const name of channels) {
		const channel = diagnosticsChannel.tracingChannel(name);
		const handlers = {
			start(context: unknown) {
				if (typeof context === 'object' && context !== null) {
					begin(context, name, {});
				}
			},
			end(context: unknown) {
				// traceSync() has put the result (or the error) in the context by now; tracePromise() and traceCallback() have not, and end at asyncEnd.
				if (typeof context === 'object' && context !== null && ('result' in context || 'error' in context)) {
					finish(context, 'error' in context ? 'error' : undefined);
				}
			},
			asyncStart() {},
			asyncEnd(context: unknown) {
				if (typeof context === 'object' && context !== null) {
					finish(context, 'error' in context ? 'error' : undefined);
				}
			},
			error() {},
		};
		channel.subscribe(handlers);
		unsubscribes.push(() => channel.unsubscribe(handlers));
	}

	return () => {
		active = false;
		for (const unsubscribe of unsubscribes) {
			unsubscribe();
		}
	};
}
