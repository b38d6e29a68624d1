// What the vizviewer server reads from disk: only regular trace files inside
// the directory it serves (symlinks resolved), or the one file it was given;
// each read through before it is served, so only whole traces are.
import fs from 'node:fs';
import path from 'node:path';
import test from 'ava';
import {fixturesDir, temporaryDirectory} from '../helpers/exec.js';
import {request, startViewer} from './_helpers.js';

const nestedTrace = path.join(fixturesDir, 'stats', 'nested.json');
const passwd = '/etc/passwd';

/** Links and files around a served directory, each named like a trace. */
function trickyDirectory() {
	const directory = temporaryDirectory();
	const outside = temporaryDirectory();
	fs.copyFileSync(nestedTrace, path.join(directory, 'nested.json'));
	fs.copyFileSync(nestedTrace, path.join(outside, 'outside.json'));
	fs.mkdirSync(path.join(directory, 'sub'));
	fs.copyFileSync(nestedTrace, path.join(directory, 'sub', 'deep.json'));
	fs.writeFileSync(path.join(directory, 'secret.txt'), '{"traceEvents":[], "secret": "not to be served"}');
	const links = {
		'passwd.json': passwd,
		'outside-dir.json': outside,
		// The hard one to spot: a valid trace, but not in the directory served.
		'outside.json': path.join(outside, 'outside.json'),
		'parent.json': path.join('..', path.basename(outside), 'outside.json'),
		'secret.json': 'secret.txt',
		'sub-dir.json': 'sub',
		'dangling.json': 'no-such-file.json',
		'loop.json': 'loop.json',
		// These two resolve to trace files inside the directory: served.
		'alias.json': 'nested.json',
		'indirect.json': path.join('sub', 'deep.json'),
	};
	for (const [name, target] of Object.entries(links)) {
		fs.symlinkSync(target, path.join(directory, name));
	}

	return {directory, outside};
}

const listedNames = html => [...html.matchAll(/<a class="trace" href="[^"]+">([^<]+)<\/a>/g)].map(match => match[1]);

test('in a directory, a symlink is served only when it resolves to a trace file inside the directory', async t => {
	t.timeout(300_000);
	const {directory} = trickyDirectory();
	const viewer = await startViewer(['--no-open', '--port', '0', directory]);
	try {
		const index = await request(viewer.url, '/');
		t.is(index.status, 200);
		t.deepEqual(listedNames(index.body.toString()), ['alias.json', 'indirect.json', 'nested.json']);

		const expected = {
			'passwd.json': 404,
			'outside-dir.json': 404,
			'outside.json': 404,
			'parent.json': 404,
			'secret.json': 404,
			'sub-dir.json': 404,
			'dangling.json': 404,
			'loop.json': 404,
			'secret.txt': 404,
			'alias.json': 200,
			'indirect.json': 200,
			'nested.json': 200,
		};
		for (const [name, status] of Object.entries(expected)) {
			for (const method of ['GET', 'HEAD']) {
				// eslint-disable-next-line no-await-in-loop
				const response = await request(viewer.url, `/trace/${encodeURIComponent(name)}`, {method});
				t.is(response.status, status, `${method} ${name}`);
				const body = response.body.toString();
				t.false(body.includes('root:'), name);
				t.false(body.includes('not to be served'), name);
			}
		}

		t.deepEqual((await request(viewer.url, '/trace/indirect.json')).body, fs.readFileSync(nestedTrace));
	} finally {
		viewer.child.kill();
	}

	await viewer.exited;
});

test('a symlink retargeted while serving is resolved again: pointed outside, it is no longer served', async t => {
	t.timeout(300_000);
	const directory = temporaryDirectory();
	fs.copyFileSync(nestedTrace, path.join(directory, 'nested.json'));
	const link = path.join(directory, 'link.json');
	fs.symlinkSync('nested.json', link);
	const viewer = await startViewer(['--no-open', '--port', '0', directory]);
	try {
		t.is((await request(viewer.url, '/trace/link.json')).status, 200);
		fs.rmSync(link);
		fs.symlinkSync(passwd, link);
		const response = await request(viewer.url, '/trace/link.json');
		t.is(response.status, 404);
		t.false(response.body.toString().includes('root:'));
		t.deepEqual(listedNames((await request(viewer.url, '/')).body.toString()), ['nested.json']);
	} finally {
		viewer.child.kill();
	}

	await viewer.exited;
});

test('the one trace named on the command line may be a symlink to anywhere; it is the only file served', async t => {
	t.timeout(300_000);
	const {outside} = trickyDirectory();
	const link = path.join(temporaryDirectory(), 'elsewhere.json');
	fs.symlinkSync(path.join(outside, 'outside.json'), link);
	const viewer = await startViewer(['--no-open', '--port', '0', link]);
	try {
		const trace = await request(viewer.url, '/trace/elsewhere.json');
		t.is(trace.status, 200);
		t.deepEqual(trace.body, fs.readFileSync(nestedTrace));
		for (const name of ['outside.json', 'passwd.json', 'nested.json']) {
			// eslint-disable-next-line no-await-in-loop
			t.is((await request(viewer.url, `/trace/${name}`)).status, 404, name);
		}
	} finally {
		viewer.child.kill();
	}

	await viewer.exited;
});

test('a file that is not a whole trace is not served: a 404, and one line on stderr saying why', async t => {
	t.timeout(300_000);
	const directory = temporaryDirectory();
	fs.copyFileSync(nestedTrace, path.join(directory, 'nested.json'));
	fs.writeFileSync(path.join(directory, 'null.json'), 'null');
	fs.writeFileSync(path.join(directory, 'cut.json'), fs.readFileSync(nestedTrace).subarray(0, 100));
	const viewer = await startViewer(['--no-open', '--port', '0', directory]);
	try {
		t.is((await request(viewer.url, '/trace/null.json')).status, 404);
		t.is((await request(viewer.url, '/trace/cut.json')).status, 404);
		t.is((await request(viewer.url, '/trace/nested.json')).status, 200);
		// Rewritten while served: read through again, and refused.
		fs.writeFileSync(path.join(directory, 'nested.json'), '');
		t.is((await request(viewer.url, '/trace/nested.json')).status, 404);
	} finally {
		viewer.child.kill();
	}

	const {stderr} = await viewer.exited;
	const refusals = stderr.split('\n').filter(line => line.startsWith('vizviewer: not serving'));
	t.is(refusals.length, 3, stderr);
	t.regex(refusals[0], /^vizviewer: not serving null\.json: \S*null\.json is not a valid trace: expected a JSON object or array .*; a trace is Chrome trace JSON/);
	t.regex(refusals[1], /^vizviewer: not serving cut\.json: \S*cut\.json is not a valid trace: the file ends before the JSON does/);
	t.regex(refusals[2], /^vizviewer: not serving nested\.json: \S*nested\.json is not a valid trace: the file is empty/);
});
