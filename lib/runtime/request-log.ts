import {AsyncLocalStorage} from 'node:async_hooks';
import {now} from '../core/clock.js';
import type {Recorder} from '../core/recorder.js';
import {rowLanes} from './row-lanes.js';

// What every server a thread runs shares under `logRequests` (node:http and
// node:https, node:http2, the frameworks' channels): one id sequence, so an
// id names one request in the process whichever server served it; one set of
// "requests N" rows, so requests of different servers served at the same
// time never share a row; and one AsyncLocalStorage, the recorder's single
// context source.

/** A request being served. */
export type ServedRequest = {
	readonly id: number;
	readonly start: number;
	readonly lane: number;
	readonly method: string;
	readonly url: string;
	readonly remotePort: number | undefined;
	/** The route a framework reported for it (fastify's), when its own request object carries none. */
	route: string | undefined;
	done: boolean;
};

export type RequestOutcome = {
	status: number | undefined;
	/** Left out where Node does not count a response's bytes (an HTTP/2 stream). */
	bytes?: number;
	/** The route the request object itself names (express's), which wins over a reported one. */
	route?: string;
	aborted?: boolean;
	error?: string;
};

export type RequestLog = {
	readonly active: boolean;
	/** Starts a request: a row, an id, and its context entered for what the current run does from here on. */
	open(method: unknown, url: unknown, remotePort: unknown): ServedRequest | undefined;
	/** Ends it with one span on its row (once: a second call is ignored). */
	close(request: ServedRequest, outcome: RequestOutcome): void;
	/** The request whose context is in force, if it is still being served. */
	current(): ServedRequest | undefined;
	/** The recorder's track of the request's row. */
	track(request: ServedRequest): number;
	/** Takes a row for work that has no request of its own (a request injected into a framework without a server); free it after. */
	takeRow(): {track: number; free(): void};
	stop(): void;
};

export function requestLog(recorder: Recorder): RequestLog {
	const rows = rowLanes();
	const open = new Map<number, ServedRequest>();
	const context = new AsyncLocalStorage<Readonly<{request: number}>>();
	let lastId = 0;
	let active = true;
	recorder.setContextSource(() => context.getStore());

	return {
		get active() {
			return active;
		},
		open(method, url, remotePort) {
			if (!active) {
				return undefined;
			}

			const request: ServedRequest = {
				id: ++lastId,
				start: now(),
				lane: rows.take(),
				method: typeof method === 'string' ? method : '?',
				url: typeof url === 'string' ? url : '',
				remotePort: typeof remotePort === 'number' ? remotePort : undefined,
				route: undefined,
				done: false,
			};
			open.set(request.id, request);
			context.enterWith(Object.freeze({request: request.id}));
			return request;
		},
		close(request, outcome) {
			if (request.done) {
				return;
			}

			request.done = true;
			open.delete(request.id);
			rows.free(request.lane);
			if (!active) {
				return;
			}

			const finished = now();
			const route = outcome.route ?? request.route;
			const path = request.url.split('?', 1)[0]!;
			const ending = outcome.error === undefined ? (outcome.aborted === true ? 'aborted' : String(outcome.status)) : 'error';
			const args: Record<string, unknown> = {request: request.id, method: request.method, url: request.url, status: outcome.status};
			if (outcome.bytes !== undefined) {
				args['bytes'] = outcome.bytes;
			}

			args['remotePort'] = request.remotePort;
			if (route !== undefined) {
				args['route'] = route;
			}

			if (outcome.aborted === true) {
				args['aborted'] = true;
			}

			if (outcome.error !== undefined) {
				args['error'] = outcome.error;
			}

			recorder.complete(recorder.intern(`${request.method} ${route ?? path} → ${ending}`), request.start, finished, recorder.track(`requests ${request.lane + 1}`), args);
		},
		current() {
			const id = context.getStore()?.request;
			return id === undefined ? undefined : open.get(id);
		},
		track(request) {
			return recorder.track(`requests ${request.lane + 1}`);
		},
		takeRow() {
			const lane = rows.take();
			return {track: recorder.track(`requests ${lane + 1}`), free: () => rows.free(lane)};
		},
		stop() {
			active = false;
			open.clear();
			recorder.setContextSource(undefined);
			context.disable();
		},
	};
}
