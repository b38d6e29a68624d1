// The vizviewer server, run as a real subprocess of the built bin: what it
// serves, what it refuses, and its exits (--once, --timeout, errors).
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import zlib from 'node:zlib';
import test from 'ava';
import {fixturesDir, rootDir, temporaryDirectory} from '../helpers/exec.js';
import {request, runViewer, startViewer} from './_helpers.js';

const nestedTrace = path.join(fixturesDir, 'stats', 'nested.json');

/** A directory holding a copy of the nested trace and a file that must never be served. */
function traceDirectory() {
	const directory = temporaryDirectory();
	fs.copyFileSync(nestedTrace, path.join(directory, 'nested.json'));
	fs.writeFileSync(path.join(directory, 'secret.txt'), 'not a trace');
	return directory;
}

test('serves the viewer and the trace: / redirects to the timeline; speedscope and the raw trace are served too', async t => {
	t.timeout(300_000);
	const directory = traceDirectory();
	const viewer = await startViewer(['--no-open', '--port', '0', path.join(directory, 'nested.json')]);
	try {
		t.regex(viewer.url, /^http:\/\/127\.0\.0\.1:\d+\/$/);
		const root = await request(viewer.url, '/');
		t.is(root.status, 302);
		t.is(root.headers.location, '/timeline/nested.json');
		const timeline = await request(viewer.url, '/timeline/nested.json');
		t.is(timeline.status, 200);
		t.is(timeline.headers['content-type'], 'text/html; charset=utf-8');
		t.regex(timeline.body.toString(), /<title>nested\.json - vizviewer<\/title>/);
		t.regex(timeline.body.toString(), /<script src="\/viewer\/timeline\.js"><\/script>/);
		const config = JSON.parse(/<script type="application\/json" id="vizviewer-config">([^<]+)<\/script>/.exec(timeline.body.toString())[1]);
		t.deepEqual(config, {mode: 'server', model: '/model/nested.json', source: '/source/nested.json', stats: '/stats/nested.json', flame: '/speedscope/index.html#profileURL=%2Ftrace%2Fnested.json', loaded: '/loaded/nested.json'});
		const script = await request(viewer.url, '/viewer/timeline.js');
		t.is(script.status, 200);
		t.is(script.headers['content-type'], 'text/javascript; charset=utf-8');
		const model = await request(viewer.url, '/model/nested.json');
		t.is(model.status, 200);
		t.is(model.headers['content-type'], 'application/octet-stream');
		t.is(model.body.subarray(0, 4).toString('latin1'), 'VZTL');
		const stats = await request(viewer.url, '/stats/nested.json');
		t.is(stats.status, 200);
		t.deepEqual(JSON.parse(stats.body.toString()).rows.map(row => row.slice(0, 4)), [['main (main.js:1:1)', 1, 100, 50], ['a (lib/a.js:3:1)', 2, 50, 40], ['b (lib/b.js:1:1)', 1, 10, 10]]);

		const page = await request(viewer.url, '/speedscope/index.html');
		t.is(page.status, 200);
		t.is(page.headers['content-type'], 'text/html; charset=utf-8');
		t.regex(page.body.toString(), /<title>speedscope<\/title>/);
		const speedscopeScript = /<script src="([^"]+)"/.exec(page.body.toString())[1];
		const bundle = await request(viewer.url, `/speedscope/${speedscopeScript}`);
		t.is(bundle.status, 200);
		t.is(bundle.headers['content-type'], 'text/javascript; charset=utf-8');

		const trace = await request(viewer.url, '/trace/nested.json');
		t.is(trace.status, 200);
		t.is(trace.headers['content-type'], 'application/json');
		t.is(trace.headers['access-control-allow-origin'], 'https://ui.perfetto.dev', 'the Perfetto UI may fetch it');
		t.deepEqual(trace.body, fs.readFileSync(nestedTrace));

		const head = await request(viewer.url, '/trace/nested.json', {method: 'HEAD'});
		t.is(head.status, 200);
		t.is(Number(head.headers['content-length']), fs.statSync(nestedTrace).size);
		t.is(head.body.length, 0);
	} finally {
		viewer.child.kill();
	}

	const {stdout, stderr} = await viewer.exited;
	t.regex(stdout, /^Serving nested\.json at http:\/\/127\.0\.0\.1:\d+\/\n/);
	t.regex(stdout, /To open it in Perfetto instead: at https:\/\/ui\.perfetto\.dev choose "Open trace file" and pick .*nested\.json\n/);
	t.regex(stderr, /press Ctrl-C to stop/);
});

test('path traversal and anything outside the trace and the viewer files get 404', async t => {
	t.timeout(300_000);
	const directory = traceDirectory();
	const viewer = await startViewer(['--no-open', '--port', '0', path.join(directory, 'nested.json')]);
	try {
		const attempts = [
			'/../package.json',
			'/../../package.json',
			'/speedscope/../package.json',
			'/speedscope/../../package.json',
			'/speedscope/../../../package.json',
			'/speedscope/..%2Fpackage.json',
			'/speedscope/..%2F..%2F..%2Fpackage.json',
			'/speedscope/%2e%2e/%2e%2e/%2e%2e/package.json',
			'/speedscope/%2E%2E%2F%2E%2E%2F%2E%2E%2Fpackage.json',
			'/speedscope/%252e%252e%252fpackage.json',
			'/speedscope/..%5C..%5C..%5Cpackage.json',
			'/speedscope/..\\..\\..\\package.json',
			'/speedscope/%2Fetc%2Fpasswd',
			'/speedscope/',
			'/speedscope',
			'/speedscope/index.html/..',
			'/speedscope/index.html/x',
			'/speedscope/%',
			'/speedscope/index.html%00',
			'/trace/secret.txt',
			'/trace/..%2Fsecret.txt',
			'/trace/%2E%2E%2Fnested.json',
			'/trace/nested.json/../secret.txt',
			'/trace/nested.json%2F..%2Fsecret.txt',
			'/trace/' + encodeURIComponent(path.join(directory, 'secret.txt')),
			'/trace/',
			'/secret.txt',
			'/nested.json',
			'/package.json',
			'/node_modules/speedscope/package.json',
			'/dist/index.js',
			'//etc/passwd',
			'/%2e%2e/package.json',
		];
		for (const attempt of attempts) {
			// eslint-disable-next-line no-await-in-loop
			const response = await request(viewer.url, attempt);
			t.is(response.status, 404, attempt);
			t.false(response.body.toString().includes('"name": "viztracer"'), attempt);
			t.false(response.body.toString().includes('not a trace'), attempt);
		}
	} finally {
		viewer.child.kill();
	}

	await viewer.exited;
});

test('requests for other host names (DNS rebinding) and other methods are refused', async t => {
	t.timeout(300_000);
	const viewer = await startViewer(['--no-open', '--port', '0', nestedTrace]);
	try {
		const rebound = await request(viewer.url, '/trace/nested.json', {headers: {host: 'attacker.example:9001'}});
		t.is(rebound.status, 403);
		const localhost = await request(viewer.url, '/trace/nested.json', {headers: {host: 'localhost:9001'}});
		t.is(localhost.status, 200);
		const post = await request(viewer.url, '/trace/nested.json', {method: 'POST'});
		t.is(post.status, 405);
		t.is(post.headers.allow, 'GET, HEAD');
	} finally {
		viewer.child.kill();
	}

	await viewer.exited;
});

test('a busy port is a clear error, exit code 1', async t => {
	t.timeout(300_000);
	const blocker = net.createServer();
	await new Promise(resolve => {
		blocker.listen({host: '127.0.0.1', port: 0}, resolve);
	});
	const {port} = blocker.address();
	try {
		const result = await runViewer(['--no-open', '--port', String(port), nestedTrace]);
		t.is(result.code, 1);
		t.is(result.stderr, `vizviewer: Port ${port} on 127.0.0.1 is already in use; stop the program using it or pick another port with --port\n`);
		t.is(result.stdout, '');
	} finally {
		blocker.close();
	}
});

test('a missing trace is a clear error, exit code 1; bad usage exits 2', async t => {
	t.timeout(300_000);
	const missing = path.join(temporaryDirectory(), 'missing.json');
	const result = await runViewer(['--no-open', missing]);
	t.is(result.code, 1);
	t.is(result.stderr, `vizviewer: Cannot find the trace ${missing}\n`);

	const noTrace = await runViewer([]);
	t.is(noTrace.code, 2);
	t.regex(noTrace.stderr, /missing required argument 'trace'/);

	for (const args of [['--port', '70000'], ['--port', 'x'], ['--timeout', '0'], ['--window', '5:1'], ['--window', 'abc'], ['--match', '/(/'], ['--min-duration', '-1']]) {
		// eslint-disable-next-line no-await-in-loop
		const bad = await runViewer([...args, nestedTrace]);
		t.is(bad.code, 2, args.join(' '));
		t.regex(bad.stderr, /is invalid|Expected/, args.join(' '));
	}

	const filterAlone = await runViewer(['--filter', nestedTrace]);
	t.is(filterAlone.code, 2);
	t.regex(filterAlone.stderr, /--filter needs at least one of --min-duration, --match, --file, --window/);
});

test('--once exits 0 as soon as the trace has been sent', async t => {
	t.timeout(300_000);
	const viewer = await startViewer(['--no-open', '--port', '0', '--once', nestedTrace]);
	const page = await request(viewer.url, '/speedscope/index.html');
	t.is(page.status, 200);
	const trace = await request(viewer.url, '/trace/nested.json');
	t.is(trace.status, 200);
	const {code, stderr} = await viewer.exited;
	t.is(code, 0);
	t.regex(stderr, /the viewer loaded nested\.json; exiting \(--once\)/);
});

test('--timeout stops the server: exit 0, or 1 with --once when the trace was never loaded', async t => {
	t.timeout(300_000);
	const plain = await startViewer(['--no-open', '--port', '0', '--timeout', '0.5', nestedTrace]);
	const plainResult = await plain.exited;
	t.is(plainResult.code, 0);
	t.regex(plainResult.stderr, /stopping after 0\.5 s \(--timeout\)/);

	const once = await startViewer(['--no-open', '--port', '0', '--once', '--timeout', '0.5', nestedTrace]);
	const onceResult = await once.exited;
	t.is(onceResult.code, 1);
	t.regex(onceResult.stderr, /no viewer loaded the trace within 0\.5 s \(--timeout\)/);
});

test('a directory: an index page of its .json and .json.gz traces, each served, nothing else', async t => {
	t.timeout(300_000);
	const directory = traceDirectory();
	const gzipped = zlib.gzipSync(fs.readFileSync(nestedTrace));
	fs.writeFileSync(path.join(directory, 'second run.json.gz'), gzipped);
	fs.mkdirSync(path.join(directory, 'sub.json'));
	const viewer = await startViewer(['--no-open', '--port', '0', directory]);
	try {
		t.regex(viewer.output().stdout, new RegExp(`Serving the traces in ${directory.replaceAll(/[.*+?^${}()|[\]\\]/g, '\\$&')} at`));
		const index = await request(viewer.url, '/');
		t.is(index.status, 200);
		const html = index.body.toString();
		const links = [...html.matchAll(/<a class="(?:trace|flame)" href="([^"]+)">([^<]+)<\/a>/g)].map(match => [match[1].replaceAll('&#38;', '&'), match[2]]);
		t.deepEqual(links, [
			['/timeline/nested.json', 'nested.json'],
			['/speedscope/index.html#profileURL=%2Ftrace%2Fnested.json', 'flame graph'],
			['/timeline/second%20run.json.gz', 'second run.json.gz'],
			['/speedscope/index.html#profileURL=%2Ftrace%2Fsecond%2520run.json.gz', 'flame graph'],
		]);
		t.false(html.includes('secret.txt'));

		const gz = await request(viewer.url, '/trace/second%20run.json.gz');
		t.is(gz.status, 200);
		t.is(gz.headers['content-type'], 'application/gzip');
		t.deepEqual(gz.body, gzipped, 'sent as it is on disk: speedscope inflates it');

		// Traces added later show up; files that are not traces never do.
		fs.copyFileSync(nestedTrace, path.join(directory, 'later.json'));
		t.is((await request(viewer.url, '/trace/later.json')).status, 200);
		t.is((await request(viewer.url, '/trace/secret.txt')).status, 404);
		t.is((await request(viewer.url, '/trace/sub.json')).status, 404);
	} finally {
		viewer.child.kill();
	}

	await viewer.exited;
});

test('a trace too big for the timeline brings a warning that offers --filter and stats', async t => {
	t.timeout(300_000);
	// 2.1 GB of JSON (mostly whitespace), 10 MB gzipped: the size comes from
	// the gzip trailer (the estimate: some 100 bytes a span).
	const file = path.join(temporaryDirectory(), 'big.json.gz');
	const gzip = zlib.createGzip({level: 1});
	const out = fs.createWriteStream(file);
	gzip.pipe(out);
	gzip.write(fs.readFileSync(nestedTrace, 'utf8').replace('{"traceEvents":[', '{"padding":"x", "traceEvents":['));
	const spaces = Buffer.alloc(1 << 24, 0x20);
	for (let index = 0; index < 128; index++) {
		if (!gzip.write(spaces)) {
			// eslint-disable-next-line no-await-in-loop
			await new Promise(resolve => {
				gzip.once('drain', resolve);
			});
		}
	}

	gzip.end();
	await new Promise(resolve => {
		out.on('finish', resolve);
	});
	const result = await runViewer(['--no-open', '--port', '0', '--timeout', '0.2', file]);
	t.is(result.code, 0, result.stderr);
	t.regex(result.stderr, /warning: big\.json\.gz holds about 21 million spans \(2147\.\d MB of JSON\), more than the timeline loads quickly \(about 20 million\); it will need about 687\.\d MB in the browser\./);
	t.regex(result.stderr, /--filter, e\.g\. `vizviewer --min-duration 100 \S*big\.json\.gz`/);
	t.regex(result.stderr, /`viztracer stats \S*big\.json\.gz`/);

	const small = await runViewer(['--no-open', '--port', '0', '--timeout', '0.2', nestedTrace]);
	t.false(small.stderr.includes('warning'));
});

test('the Perfetto deep link is printed on port 9001, the one the Perfetto UI may fetch from', async t => {
	t.timeout(300_000);
	const probe = net.createServer();
	const free = await new Promise(resolve => {
		probe.once('error', () => resolve(false));
		probe.listen({host: '127.0.0.1', port: 9001}, () => probe.close(() => resolve(true)));
	});
	if (!free) {
		// Something else holds 9001 here: then the default port must fail clearly.
		const busy = await runViewer(['--no-open', nestedTrace]);
		t.is(busy.code, 1);
		t.regex(busy.stderr, /Port 9001 on 127\.0\.0\.1 is already in use/);
		return;
	}

	const viewer = await startViewer(['--no-open', '--once', '--timeout', '120', nestedTrace], {cwd: rootDir});
	t.is(viewer.url, 'http://127.0.0.1:9001/');
	await request(viewer.url, '/trace/nested.json');
	const exited = await viewer.exited;
	t.is(exited.code, 0, JSON.stringify(viewer.output()));
	// Read once the process is gone: the line may arrive after the URL, in a later chunk.
	t.regex(viewer.output().stdout, /To open it in Perfetto instead: https:\/\/ui\.perfetto\.dev\/#!\/\?url=http:\/\/127\.0\.0\.1:9001\/trace\/nested\.json\n/);
});
