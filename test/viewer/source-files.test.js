// The sources vizviewer shows in the details panel: only files the trace
// names in its spans, program sources by extension, regular files once
// symlinks are resolved, resolved against the directory the trace was
// recorded in (viztracer_metadata.cwd). Raw HTTP, so paths go out exactly
// as written.
import fs from 'node:fs';
import path from 'node:path';
import test from 'ava';
import {temporaryDirectory} from '../helpers/exec.js';
import {request, startViewer} from './_helpers.js';

function recordedDirectory() {
	const root = temporaryDirectory();
	const cwd = path.join(root, 'project');
	fs.mkdirSync(path.join(cwd, 'src'), {recursive: true});
	fs.writeFileSync(path.join(cwd, 'src', 'app.js'), 'function app() {\n\treturn 1;\n}\n');
	fs.writeFileSync(path.join(cwd, 'src', 'other.js'), 'not named by the trace\n');
	fs.writeFileSync(path.join(cwd, 'secret.txt'), 'a secret\n');
	fs.writeFileSync(path.join(root, 'shared.ts'), 'export const shared = 1;\n');
	fs.writeFileSync(path.join(cwd, 'src', 'big.js'), `// ${'x'.repeat(5 * 1024 * 1024)}\n`);
	fs.symlinkSync('/etc/passwd', path.join(cwd, 'src', 'passwd.js'));
	fs.symlinkSync(path.join(cwd, 'secret.txt'), path.join(cwd, 'src', 'secret.js'));
	const names = ['app (src/app.js:1:1)', 'secret (secret.txt:1:1)', 'passwd (src/passwd.js:1:1)', 'alias (src/secret.js:1:1)', 'shared (../shared.ts:1:1)', 'big (src/big.js:1:1)', 'fs (node:fs:10:3)', 'gone (src/gone.js:2:1)'];
	// The trace lives elsewhere: sources resolve against where it was recorded.
	const traceDirectory = path.join(root, 'traces');
	fs.mkdirSync(traceDirectory);
	fs.writeFileSync(path.join(traceDirectory, 'run.json'), JSON.stringify({
		traceEvents: names.map((name, index) => ({ph: 'X', name, pid: 1, tid: 1, ts: index * 10, dur: 5})),
		viztracer_metadata: {version: '0.1.0', overflow: false, baseTimeNanoseconds: 0, cwd},
	}));
	return {traceDirectory, cwd};
}

test('only the program sources the trace names are served, read-only, by their real paths', async t => {
	t.timeout(300_000);
	const {traceDirectory} = recordedDirectory();
	const viewer = await startViewer(['--no-open', '--port', '0', path.join(traceDirectory, 'run.json')]);
	const source = file => request(viewer.url, `/source/run.json?file=${encodeURIComponent(file)}`);
	try {
		const app = await source('src/app.js');
		t.is(app.status, 200);
		t.is(app.headers['content-type'], 'text/plain; charset=utf-8');
		t.is(app.body.toString(), 'function app() {\n\treturn 1;\n}\n');
		t.is((await source('../shared.ts')).body.toString(), 'export const shared = 1;\n', 'outside the directory, but named by the trace');

		const refused = async (file, status, reason) => {
			const response = await source(file);
			t.is(response.status, status, file);
			t.regex(response.body.toString(), reason, file);
		};

		await refused('src/other.js', 403, /the trace names no such file/);
		await refused('../../../../etc/passwd', 403, /the trace names no such file/);
		await refused('/etc/passwd', 403, /the trace names no such file/);
		await refused('secret.txt', 403, /only JavaScript and TypeScript sources/);
		await refused('src/passwd.js', 403, /only JavaScript and TypeScript sources/);
		await refused('src/secret.js', 403, /only JavaScript and TypeScript sources/);
		await refused('src/big.js', 403, /larger than 4 MiB/);
		await refused('node:fs', 404, /node: modules have no source file here/);
		await refused('src/gone.js', 404, /is not there any more/);
		t.is((await request(viewer.url, '/source/run.json')).status, 404, 'no ?file=');
		t.is((await request(viewer.url, '/source/other.json?file=src%2Fapp.js')).status, 404, 'a trace that is not served');
		t.is((await request(viewer.url, '/source/run.json?file=src%2Fapp.js', {headers: {host: 'evil.example:80'}})).status, 403, 'DNS rebinding');
		t.is((await request(viewer.url, '/model/run.json', {headers: {host: 'evil.example:80'}})).status, 403, 'DNS rebinding');
	} finally {
		viewer.child.kill();
		await viewer.exited;
	}
});
