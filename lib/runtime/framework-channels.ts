import diagnosticsChannel from 'node:diagnostics_channel';
import {now} from '../core/clock.js';
import type {Recorder} from '../core/recorder.js';
import {ownValue} from './own-value.js';
import type {RequestLog} from './request-log.js';

// `logRequests` and the tracing channels web frameworks publish themselves:
// fastify (4.x late, 5.x) traces each route handler on
// `tracing:fastify.request.handler:*`, with the route it matched. The
// handler becomes a span `fastify handler GET /users/:id` on its request's
// row, inside the request's span (from the handler's call to its return,
// or to the settling of the promise it returned), and the route names the
// request's span as express's does. Only fastify's own data properties of
// the channel's context are read (`route.url`, `route.method`, `async`,
// `error`); a request injected without a server (`fastify.inject`) has no
// request span, and its handler takes a requests row of its own.

type Open = {start: number; name: number; track: number; args: Record<string, unknown>; free: (() => void) | undefined};

export function recordFrameworkHandlers(recorder: Recorder, log: RequestLog): () => void {
	const open = new WeakMap<object, Open>();
	const channel = diagnosticsChannel.tracingChannel('fastify.request.handler');

	const finish = (context: object) => {
		const entry = open.get(context);
		if (entry === undefined) {
			return;
		}

		open.delete(context);
		entry.free?.();
		if ('error' in context) {
			const message = ownValue(ownValue(context, 'error'), 'message');
			entry.args['error'] = typeof message === 'string' ? message : 'error';
		}

		if (log.active) {
			recorder.complete(entry.name, entry.start, now(), entry.track, entry.args);
		}
	};

	const guard = (listener: (context: object) => void) => (context: unknown) => {
		try {
			if (typeof context === 'object' && context !== null) {
				listener(context);
			}
		} catch {}
	};

	const handlers = {
		start: guard(context => {
			if (!log.active || open.has(context)) {
				return;
			}

			const start = now();
			const route = ownValue(ownValue(context, 'route'), 'url');
			const routeMethod = ownValue(ownValue(context, 'route'), 'method');
			const request = log.current();
			if (request !== undefined && typeof route === 'string') {
				request.route = route;
			}

			const method = request?.method ?? (typeof routeMethod === 'string' ? routeMethod : '?');
			const args: Record<string, unknown> = request === undefined ? {} : {request: request.id};
			if (typeof route === 'string') {
				args['route'] = route;
			}

			const row = request === undefined ? log.takeRow() : undefined;
			open.set(context, {
				start,
				name: recorder.intern(`fastify handler ${method} ${typeof route === 'string' ? route : '?'}`),
				track: row?.track ?? log.track(request!),
				args,
				free: row?.free,
			});
		}),
		// A handler that returned a promise (fastify sets `async` before `end`) lasts until it settles.
		end: guard(context => {
			if (ownValue(context, 'async') !== true) {
				finish(context);
			}
		}),
		asyncStart() {},
		asyncEnd: guard(finish),
		error() {},
	};

	channel.subscribe(handlers);
	return () => {
		channel.unsubscribe(handlers);
	};
}
