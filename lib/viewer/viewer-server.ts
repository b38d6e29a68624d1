// viewer/: vizviewer's side of the trace viewer. Its server (this file:
// loopback only, serving the named trace or a folder's traces, their
// timeline models and named sources, the timeline page and speedscope,
// nothing else), the self-contained `.html` page (timeline-html.ts), and
// what checks, lists, filters and sizes traces and opens the browser. The
// page itself is viewer-ui/; the model both share is timeline/.

import fs from 'node:fs';
import http from 'node:http';
import net from 'node:net';
import path from 'node:path';
import {pipeline, Readable} from 'node:stream';
import {VizViewerListenError, VizViewerPortInUseError} from '../core/errors.js';
import {contentTypeOf} from './content-type.js';
import {indexPage} from './index-page.js';
import type {SpeedscopeRelease} from './speedscope-release.js';
import {viztTraceData} from '../trace-file/convert.js';
import {TraceFileReader} from '../trace-file/read-trace-sync.js';
import {serializeTrace} from '../trace-file/trace-serializer.js';
import {hasViztMagic} from '../trace-file/vizt-format.js';
import type {OpenedTrace, ServedTrace, TraceCatalog} from './trace-catalog.js';
import {computeTraceStats} from '../stats/trace-stats.js';
import {statsTable} from './stats-table.js';
import {readNamedSource, SourceRefusedError} from './source-files.js';
import {TimelineCache} from './timeline-cache.js';
import {serverTimelinePage, timelineBundleFile} from './timeline-page.js';

// The Perfetto UI fetches `?url=` traces from its own origin; only that origin
// may read traces cross-origin (see perfetto's tools/open_trace_in_ui).
const perfettoOrigin = 'https://ui.perfetto.dev';

/** Whether the open file starts with the `.vizt` magic. */
function isViztDescriptor(fd: number): boolean {
	const head = Buffer.alloc(4);
	try {
		return fs.readSync(fd, head, 0, 4, 0) === 4 && hasViztMagic(head);
	} catch {
		return false;
	}
}

export type ViewerServerOptions = {
	catalog: TraceCatalog;
	release: SpeedscopeRelease;
	/** @default '127.0.0.1' */
	host?: string;
	/** 0 picks a free port. @default 9001 */
	port?: number;
	/** Called each time a viewer has the trace: the timeline drew its first frame, or speedscope was sent the whole file. */
	onTraceServed?: (trace: ServedTrace) => void;
	/** Called when a trace of the catalog was asked for but is not served (it is not a whole trace, or cannot be read); the request gets a 404. */
	onTraceRefused?: (trace: ServedTrace, error: Error) => void;
};

export type ViewerServer = {
	/** The root URL: the viewer with the trace, or the index of a directory. */
	url: string;
	host: string;
	port: number;
	/** Path of the timeline page of `trace`. */
	viewerPath(trace: ServedTrace): string;
	/** Path and hash that open `trace` in speedscope. */
	speedscopePath(trace: ServedTrace): string;
	/** Absolute URL of the raw trace. */
	traceUrl(trace: ServedTrace): string;
	close(): Promise<void>;
};

export const tracePath = (trace: ServedTrace): string => `/trace/${encodeURIComponent(trace.name)}`;

/**
 * speedscope fetches the profile named by `#profileURL=` (relative URLs are
 * resolved against the page; the value is URI-decoded once). No `title=`:
 * speedscope would give every profile that one name, where it otherwise
 * names each after its process and thread.
 */
export const speedscopePath = (trace: ServedTrace): string => `/speedscope/index.html#profileURL=${encodeURIComponent(tracePath(trace))}`;

/** The timeline page of a trace. */
export const viewerPath = (trace: ServedTrace): string => `/timeline/${encodeURIComponent(trace.name)}`;

const isLoopbackAddress = (host: string): boolean => host === 'localhost' || host === '::1' || (net.isIPv4(host) && host.startsWith('127.'));

/** The host part of a URL for `host`: wildcard addresses are reached through loopback. */
function urlHost(host: string): string {
	if (host === '0.0.0.0' || host === '::' || host === '') {
		return '127.0.0.1';
	}

	return net.isIPv6(host) ? `[${host}]` : host;
}

/** The host name of a Host header (`127.0.0.1:9001`, `[::1]:9001`, `localhost`). */
function hostHeaderName(header: string | undefined): string {
	if (!header) {
		return '';
	}

	const bracketed = /^\[([^\]]+)\]/.exec(header);
	return (bracketed ? bracketed[1]! : header.replace(/:\d+$/, '')).toLowerCase();
}

function decodeSegment(segment: string): string | undefined {
	try {
		return decodeURIComponent(segment);
	} catch {
		return undefined;
	}
}

const addressProblems: Record<string, string> = {
	ENOTFOUND: 'no such host',
	EAI_AGAIN: 'the name could not be resolved',
	EAI_NONAME: 'no such host',
	EADDRNOTAVAIL: 'not an address of this machine',
	EAFNOSUPPORT: 'an address family this machine does not support',
	EINVAL: 'not a usable address',
};

/** The one-line reason `server.listen()` failed, naming the flag to change. */
function listenError(host: string, port: number, error: NodeJS.ErrnoException): Error {
	if (error.code === 'EADDRINUSE') {
		return new VizViewerPortInUseError(host, port, error);
	}

	if (error.code === 'EACCES' || error.code === 'EPERM') {
		return new VizViewerListenError(host, port, `--port ${port}: no permission to listen on this port (${error.code}); ports below 1024 need privileges, pick another with --port`, error);
	}

	const problem = addressProblems[error.code ?? ''] ?? error.message;
	return new VizViewerListenError(host, port, `--host ${host}: cannot listen on it (${problem}, ${error.code ?? 'error'}); expected an IP address or host name of this machine, such as 127.0.0.1, ::1 or 0.0.0.0`, error);
}

function listen(server: http.Server, host: string, port: number): Promise<void> {
	return new Promise((resolve, reject) => {
		const onError = (error: NodeJS.ErrnoException) => {
			server.off('listening', onListening);
			reject(listenError(host, port, error));
		};

		const onListening = () => {
			server.off('error', onError);
			resolve();
		};

		server.once('error', onError);
		server.once('listening', onListening);
		try {
			server.listen({host, port, exclusive: true});
		} catch (error) {
			// An invalid host or port can be thrown at once instead of emitted.
			server.off('error', onError);
			server.off('listening', onListening);
			reject(listenError(host, port, error as NodeJS.ErrnoException));
		}
	});
}

/**
 * Serves the timeline viewer, speedscope's release and the catalog's
 * traces, and nothing else:
 *
 *   /                       the timeline of the trace (redirect), or the directory's index page
 *   /timeline/<name>        the timeline page of a trace of the catalog
 *   /viewer/timeline.js     the timeline page's script
 *   /model/<name>           the trace's timeline model (binary; see timeline/model-codec.ts)
 *   /source/<name>?file=f   a source file the trace names in its spans (see source-files.ts)
 *   /stats/<name>           `viztracer stats` of the trace, as JSON
 *   /loaded/<name>          the timeline page saying it drew its first frame
 *   /speedscope/<file>      a file of speedscope's release, by exact name
 *   /trace/<name>           a trace of the catalog, by exact base name
 *
 * Anything else is a 404. When bound to loopback, requests must also name a
 * loopback host, so a web page cannot read the trace through DNS rebinding.
 */
export async function startViewerServer(options: ViewerServerOptions): Promise<ViewerServer> {
	const {catalog, release, host = '127.0.0.1', port = 9001, onTraceServed, onTraceRefused} = options;
	const checkHostHeader = isLoopbackAddress(host);

	const send = (response: http.ServerResponse, status: number, body: string, headers: http.OutgoingHttpHeaders = {}) => {
		response.writeHead(status, {'Content-Type': 'text/plain; charset=utf-8', 'Content-Length': Buffer.byteLength(body), ...headers});
		response.end(response.req.method === 'HEAD' ? undefined : body);
	};

	/** Sends `stream()` (not called for HEAD) as a 200 of `size` bytes, typed after `file`'s extension. */
	const sendStream = (request: http.IncomingMessage, response: http.ServerResponse, file: string, size: number, headers: http.OutgoingHttpHeaders, stream: () => fs.ReadStream, onSent?: () => void) => {
		response.writeHead(200, {'Content-Type': contentTypeOf(file), 'Content-Length': size, ...headers});
		if (request.method === 'HEAD') {
			response.end();
			return;
		}

		if (onSent) {
			response.on('finish', onSent);
		}

		// pipeline() closes the file when the client goes away early.
		pipeline(stream(), response, error => {
			if (error) {
				response.destroy();
			}
		});
	};

	// A `.vizt` trace is sent as the Chrome JSON the viewer reads, converted
	// while it is sent (so without a length), from the descriptor the catalog
	// checked.
	const sendViztAsJson = (request: http.IncomingMessage, response: http.ServerResponse, trace: ServedTrace, fd: number) => {
		response.writeHead(200, {'Content-Type': 'application/json', 'Cache-Control': 'no-store', 'Access-Control-Allow-Origin': perfettoOrigin, Vary: 'Origin'});
		if (request.method === 'HEAD') {
			fs.closeSync(fd);
			response.end();
			return;
		}

		response.on('finish', () => onTraceServed?.(trace));
		let chunks: Iterable<string>;
		try {
			chunks = serializeTrace(viztTraceData(new TraceFileReader(trace.label, {fd, keepText: ['viztracer_metadata'], viztJson: true}), undefined, {json: true}));
		} catch {
			fs.closeSync(fd);
			response.destroy();
			return;
		}

		pipeline(Readable.from(chunks), response, () => {
			fs.closeSync(fd);
		});
	};

	const sendTrace = async (request: http.IncomingMessage, response: http.ServerResponse, trace: ServedTrace) => {
		let opened: OpenedTrace;
		try {
			opened = await catalog.open(trace);
		} catch (error) {
			onTraceRefused?.(trace, error as Error);
			send(response, 404, 'Not found\n');
			return;
		}

		const {fd, size} = opened;
		if (isViztDescriptor(fd)) {
			sendViztAsJson(request, response, trace, fd);
			return;
		}

		if (request.method === 'HEAD') {
			fs.closeSync(fd);
		}

		// Size from the open file, not from start-up: the trace may have been
		// rewritten since. No more than that is sent, should it grow meanwhile.
		sendStream(request, response, trace.name, size, {
			'Cache-Control': 'no-store',
			'Access-Control-Allow-Origin': perfettoOrigin,
			Vary: 'Origin',
		}, () => fs.createReadStream('', {fd, start: 0, end: size - 1}), () => onTraceServed?.(trace));
	};

	const timelines = new TimelineCache();
	const timelineOf = async (trace: ServedTrace) => {
		const {fd} = await catalog.open(trace);
		try {
			return timelines.get(trace, fd);
		} finally {
			fs.closeSync(fd);
		}
	};

	const json = (response: http.ServerResponse, status: number, value: unknown) => send(response, status, JSON.stringify(value), {'Content-Type': 'application/json; charset=utf-8', 'Cache-Control': 'no-store'});

	const sendTimeline = async (request: http.IncomingMessage, response: http.ServerResponse, area: string, trace: ServedTrace, query: URLSearchParams) => {
		const encoded = encodeURIComponent(trace.name);
		switch (area) {
			case 'timeline': {
				const html = serverTimelinePage(trace.name, {
					model: `/model/${encoded}`, source: `/source/${encoded}`, stats: `/stats/${encoded}`, loaded: `/loaded/${encoded}`,
					flame: speedscopePath(trace), script: '/viewer/timeline.js',
				});
				send(response, 200, html, {'Content-Type': 'text/html; charset=utf-8', 'Cache-Control': 'no-store'});
				return;
			}

			case 'model': {
				let timeline;
				try {
					timeline = await timelineOf(trace);
				} catch (error) {
					onTraceRefused?.(trace, error as Error);
					send(response, 404, `Not found: ${(error as Error).message}\n`);
					return;
				}

				response.writeHead(200, {'Content-Type': 'application/octet-stream', 'Content-Length': timeline.bytes, 'Cache-Control': 'no-store'});
				if (request.method === 'HEAD') {
					response.end();
					return;
				}

				pipeline(Readable.from(timeline.parts), response, () => undefined);
				return;
			}

			case 'source': {
				const file = query.get('file');
				const timeline = await timelineOf(trace);
				if (file === null) {
					send(response, 404, 'Not found: no ?file=\n');
					return;
				}

				try {
					send(response, 200, readNamedSource(file, timeline.sources, timeline.baseDirectory), {'Content-Type': 'text/plain; charset=utf-8', 'Cache-Control': 'no-store'});
				} catch (error) {
					send(response, error instanceof SourceRefusedError ? error.status : 404, `${(error as Error).message}\n`);
				}

				return;
			}

			case 'stats': {
				try {
					// Checked as for every other route: still a whole trace, and still the file it resolved to.
					fs.closeSync((await catalog.open(trace)).fd);
					json(response, 200, statsTable(await computeTraceStats(trace.realFile)));
				} catch (error) {
					send(response, 404, `${(error as Error).message}\n`);
				}

				return;
			}

			default: {
				// `loaded`: the page drew its first frame.
				send(response, 204, '');
				onTraceServed?.(trace);
			}
		}
	};

	const handle = (request: http.IncomingMessage, response: http.ServerResponse) => {
		response.setHeader('X-Content-Type-Options', 'nosniff');
		if (request.method !== 'GET' && request.method !== 'HEAD') {
			send(response, 405, 'Method not allowed\n', {Allow: 'GET, HEAD'});
			return;
		}

		if (checkHostHeader && !isLoopbackAddress(hostHeaderName(request.headers.host))) {
			send(response, 403, 'Forbidden: this server only answers requests for 127.0.0.1 or localhost\n');
			return;
		}

		// Only the path is used, and it is split before decoding: an encoded
		// `/` or `..` stays inside one segment, which must then match a name exactly.
		const {pathname} = new URL(request.url ?? '/', 'http://viewer.invalid');
		const notFound = () => send(response, 404, 'Not found\n');
		if (pathname === '/') {
			const traces = catalog.list();
			if (catalog.directory === undefined && traces[0]) {
				send(response, 302, '', {Location: viewerPath(traces[0]), 'Cache-Control': 'no-store'});
			} else {
				const html = indexPage(catalog.directory ?? '', traces, {viewerPath, speedscopePath, tracePath});
				send(response, 200, html, {'Content-Type': 'text/html; charset=utf-8', 'Cache-Control': 'no-store'});
			}

			return;
		}

		const [, area, segment, ...rest] = pathname.split('/');
		const name = segment === undefined || rest.length > 0 ? undefined : decodeSegment(segment);
		if (name === undefined || name === '' || name.includes('/') || name.includes('\\')) {
			notFound();
			return;
		}

		if (area === 'speedscope' && release.files.has(name)) {
			const file = path.join(release.directory, name);
			sendStream(request, response, file, fs.statSync(file).size, {'Cache-Control': 'no-cache'}, () => fs.createReadStream(file));
			return;
		}

		if (area === 'viewer' && name === 'timeline.js') {
			sendStream(request, response, timelineBundleFile, fs.statSync(timelineBundleFile).size, {'Cache-Control': 'no-cache'}, () => fs.createReadStream(timelineBundleFile));
			return;
		}

		const timelineTrace = area === 'timeline' || area === 'model' || area === 'source' || area === 'stats' || area === 'loaded' ? catalog.find(name) : undefined;
		if (timelineTrace) {
			sendTimeline(request, response, area!, timelineTrace, new URL(request.url ?? '/', 'http://viewer.invalid').searchParams).catch(() => {
				if (response.headersSent) {
					response.destroy();
				} else {
					notFound();
				}
			});
			return;
		}

		const trace = area === 'trace' ? catalog.find(name) : undefined;
		if (trace) {
			sendTrace(request, response, trace).catch(() => {
				if (response.headersSent) {
					response.destroy();
				} else {
					notFound();
				}
			});
			return;
		}

		notFound();
	};

	const server = http.createServer((request, response) => {
		try {
			handle(request, response);
		} catch {
			// A file that vanished between listing and reading, and the like.
			if (!response.headersSent) {
				send(response, 404, 'Not found\n');
			} else {
				response.destroy();
			}
		}
	});
	await listen(server, host, port);
	const address = server.address() as net.AddressInfo;
	const base = `http://${urlHost(host)}:${address.port}`;
	return {
		url: `${base}/`,
		host,
		port: address.port,
		viewerPath,
		speedscopePath,
		traceUrl: trace => `${base}${tracePath(trace)}`,
		close: () => new Promise(resolve => {
			server.close(() => resolve());
			server.closeAllConnections();
		}),
	};
}
