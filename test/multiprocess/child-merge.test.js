// How a parent merges its children's partial traces: streamed, whatever
// their size; an unreadable one kept and reported; and no temporary folder
// left behind, even by a child that outlives the parent.
import fs from 'node:fs';
import path from 'node:path';
import test from 'ava';
import {readTraceSync} from '../../dist/trace-file/read-trace-sync.js';
import {fixturesDir, readTrace, runCli, temporaryDirectory} from '../helpers/exec.js';

const fixture = name => path.join(fixturesDir, 'multiprocess', name);
const childFolders = tmp => fs.readdirSync(tmp).filter(name => name.startsWith('viztracer-children-'));

/** A private TMPDIR, so the test sees only the temporary folders of its own run. */
function privateTmp() {
	return temporaryDirectory('viztracer-tmp-');
}

const isRunning = pid => {
	try {
		process.kill(pid, 0);
		return true;
	} catch {
		return false;
	}
};

async function waitForExit(pid) {
	while (isRunning(pid)) {
		// eslint-disable-next-line no-await-in-loop
		await new Promise(resolve => {
			setTimeout(resolve, 50);
		});
	}
}

test('a child\'s partial trace is merged, shifted by its own origin, and the folder is removed', async t => {
	const tmp = privateTmp();
	const output = path.join(tmp, 'planted.json');
	const result = await runCli(['-q', '-o', output, fixture('planted-child.mjs'), '200000'], {env: {TMPDIR: tmp}, timeout: 120_000});
	t.is(result.code, 0, result.stderr);
	t.is(result.stderr, '');
	const planted = (await readTrace(output)).traceEvents.filter(event => event.name === 'planted');
	t.is(planted.length, 200_000);
	// The child's clock started 5 ms after the parent's.
	t.is(planted[0].ts, 5000);
	t.is(planted.at(-1).ts, 5000 + 199_999);
	t.deepEqual(planted.at(-1).args, {i: 199_999});
	t.deepEqual(childFolders(tmp), []);
});

test('a partial trace longer than V8\'s longest string (about 600 MB) is merged, not dropped', async t => {
	t.timeout(600_000);
	const tmp = privateTmp();
	const output = path.join(tmp, 'huge.json');
	t.teardown(() => {
		fs.rmSync(output, {force: true});
	});
	// 5,600,000 events of about 107 bytes: beyond 2^29 - 24 characters.
	const count = 5_600_000;
	const result = await runCli(['-q', '-o', output, fixture('planted-child.mjs'), String(count)], {env: {TMPDIR: tmp}, timeout: 600_000});
	t.is(result.code, 0, result.stderr);
	t.is(result.stderr, '');
	t.true(fs.statSync(output).size > 536_870_888);
	let planted = 0;
	let first;
	let last;
	readTraceSync(output, batch => {
		for (const event of batch) {
			if (event.name === 'planted') {
				planted++;
				first ??= event.ts;
				last = event.ts;
			}
		}
	});
	t.is(planted, count);
	t.is(first, 5000);
	t.is(last, 5000 + count - 1);
	t.deepEqual(childFolders(tmp), []);
});

for (const mode of ['broken', 'cut']) {
	test(`an unreadable (${mode}) child trace is reported with why and where, and kept`, async t => {
		const tmp = privateTmp();
		const output = path.join(tmp, `${mode}.json`);
		const result = await runCli(['-q', '-o', output, fixture('planted-child.mjs'), '10', mode], {env: {TMPDIR: tmp}, timeout: 120_000});
		t.is(result.code, 0, result.stderr);
		const [, pid, file] = /planted (\d+) (\S+)/.exec(result.stdout);
		t.regex(result.stderr, new RegExp(`^viztracer: cannot merge the trace of child process ${pid} \\(.*${path.basename(file).replace('.', '\\.')} is not a valid trace: .*\\); the file was kept: ${file.replaceAll('.', '\\.')}\\n$`));
		t.true(fs.existsSync(file), 'the file is kept');
		// The parent's own trace is written all the same.
		t.true((await readTrace(output)).traceEvents.some(event => event.name.startsWith('inParent')));
	});
}

for (const variant of ['waited for', 'early']) {
	test(`a child that outlives the parent (${variant}) leaves no viztracer-children-* folder behind`, async t => {
		const tmp = privateTmp();
		const output = path.join(tmp, 'orphan.json');
		const result = await runCli(['-o', output, fixture('orphan-child.mjs'), ...(variant === 'early' ? ['early'] : [])], {env: {TMPDIR: tmp, VIZTRACER_CHILD_TIMEOUT: '100'}, timeout: 120_000});
		t.is(result.code, 0, result.stderr);
		const pid = Number(/orphan (\d+)/.exec(result.stdout)[1]);
		t.teardown(() => {
			try {
				process.kill(pid);
			} catch {}
		});
		if (variant !== 'early') {
			t.regex(result.stderr, new RegExp(`no trace from child process ${pid} \\(still running after 100 ms\\)`));
		}

		await waitForExit(pid);
		t.deepEqual(childFolders(tmp), []);
	});
}

test('a killed child leaves no folder behind', async t => {
	const tmp = privateTmp();
	const output = path.join(tmp, 'killed.json');
	const result = await runCli(['-o', output, fixture('killed-child.mjs')], {env: {TMPDIR: tmp}, timeout: 120_000});
	t.is(result.code, 0, result.stderr);
	t.regex(result.stderr, /no trace from child process \d+ \(it exited without writing one: killed\?\)/);
	t.deepEqual(childFolders(tmp), []);
});
