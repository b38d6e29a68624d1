import {readTraceEvents} from '../trace-file/read-trace.js';
import {nearestRank} from './percentile.js';

// `viztracer stats --by request|route`: the numbers of the request spans
// `--log-requests` records (rows "requests N (<thread>)", args request,
// method, url, status, bytes, route) and of the function spans that carry
// their id (`args.request`). Request ids are counted per thread, so a
// request is known by its process, its thread's name and its id.

/** One request served. Times in µs. */
export type RequestStats = {
	pid: number;
	thread: string;
	request: number;
	/** `GET /users/:id`: the method and the route a framework matched, or else the URL's path. */
	route: string;
	url: string;
	/** The status sent, or `aborted` when the client went away first. */
	status: string;
	bytes: number;
	ts: number;
	dur: number;
	/** Function spans recorded while serving it. */
	spans: number;
};

/** Every request of one route. Times in µs. */
export type RouteStats = {
	route: string;
	requests: number;
	/** How many requests ended with each status, `aborted` included. */
	statuses: Record<string, number>;
	total: number;
	mean: number;
	p50: number;
	p95: number;
	max: number;
	spans: number;
};

type Event = {ph?: unknown; name?: unknown; pid?: unknown; tid?: unknown; ts?: unknown; dur?: unknown; args?: Record<string, unknown>};

const requestRow = /^requests \d+ \((.*)\)$/;

const key = (pid: number, thread: string, request: number) => `${pid}\u0000${thread}\u0000${request}`;

/** Reads a trace and returns its requests, in the order they arrived (empty when it has none). */
export async function computeRequestStats(file: string): Promise<RequestStats[]> {
	const threadNames = new Map<string, string>();
	const candidates: Array<{pid: number; tid: unknown; event: Event}> = [];
	const tagged: Array<{pid: number; tid: unknown; request: number; ts: number; end: number}> = [];
	await readTraceEvents(file, batch => {
		for (const item of batch) {
			const event = item as Event;
			if (event === null || typeof event !== 'object' || typeof event.pid !== 'number') {
				continue;
			}

			if (event.ph === 'M' && event.name === 'thread_name' && typeof event.args?.['name'] === 'string') {
				threadNames.set(`${event.pid}\u0000${String(event.tid)}`, event.args['name']);
				continue;
			}

			const request = event.args?.['request'];
			if (event.ph !== 'X' || typeof request !== 'number' || typeof event.ts !== 'number' || typeof event.dur !== 'number') {
				continue;
			}

			if (typeof event.args?.['method'] === 'string' && typeof event.args['url'] === 'string') {
				candidates.push({pid: event.pid, tid: event.tid, event});
			}

			tagged.push({pid: event.pid, tid: event.tid, request, ts: event.ts, end: event.ts + event.dur});
		}
	});

	const threadOf = (pid: number, tid: unknown) => threadNames.get(`${pid}\u0000${String(tid)}`);
	const requests = new Map<string, RequestStats>();
	const requestRows = new Set<string>();
	for (const {pid, tid, event} of candidates) {
		const thread = requestRow.exec(threadOf(pid, tid) ?? '')?.[1];
		if (thread === undefined) {
			continue;
		}

		requestRows.add(`${pid}\u0000${String(tid)}`);
		const args = event.args!;
		const url = args['url'] as string;
		const route = typeof args['route'] === 'string' ? args['route'] : url.split('?', 1)[0]!;
		requests.set(key(pid, thread, args['request'] as number), {
			pid,
			thread,
			request: args['request'] as number,
			route: `${args['method'] as string} ${route}`,
			url,
			status: args['aborted'] === true ? 'aborted' : String(args['status'] ?? '?'),
			bytes: typeof args['bytes'] === 'number' ? args['bytes'] : 0,
			ts: event.ts as number,
			dur: event.dur as number,
			spans: 0,
		});
	}

	// The function spans of each request, on the rows of their threads (not the request rows, nor the I/O rows).
	for (const span of tagged) {
		const row = `${span.pid}\u0000${String(span.tid)}`;
		const thread = threadOf(span.pid, span.tid);
		if (requestRows.has(row) || thread === undefined || /^(?:requests|I\/O) \d+ \(/.test(thread)) {
			continue;
		}

		const spanKey = key(span.pid, thread, span.request);
		const served = requests.get(spanKey);
		if (served === undefined) {
			continue;
		}

		served.spans++;
	}

	return [...requests.values()].sort((a, b) => a.ts - b.ts || a.request - b.request);
}

/** The requests grouped by route, busiest (largest total) first. */
export function routeStats(requests: readonly RequestStats[]): RouteStats[] {
	const groups = new Map<string, RequestStats[]>();
	for (const request of requests) {
		const group = groups.get(request.route);
		if (group === undefined) {
			groups.set(request.route, [request]);
		} else {
			group.push(request);
		}
	}

	const rows: RouteStats[] = [];
	for (const [route, group] of groups) {
		const durations = Float64Array.from(group, request => request.dur).sort();
		const statuses: Record<string, number> = {};
		let total = 0;
		let spans = 0;
		for (const request of group) {
			statuses[request.status] = (statuses[request.status] ?? 0) + 1;
			total += request.dur;
			spans += request.spans;
		}

		rows.push({
			route,
			requests: group.length,
			statuses,
			total,
			mean: total / group.length,
			p50: nearestRank(durations, 50),
			p95: nearestRank(durations, 95),
			max: durations[durations.length - 1]!,
			spans,
		});
	}

	return rows.sort((a, b) => b.total - a.total || (a.route < b.route ? -1 : 1));
}
