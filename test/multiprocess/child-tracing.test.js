import path from 'node:path';
import test from 'ava';
import {cliPath, fixturesDir, readTrace, run, runCli, temporaryDirectory, testNodes} from '../helpers/exec.js';

const directory = temporaryDirectory();
const fixture = name => path.join(fixturesDir, 'multiprocess', name);
const spanNames = (trace, pid) => trace.traceEvents.filter(event => event.ph === 'X' && (pid === undefined || event.pid === pid)).map(event => event.name.replace(/ \(.*$/, ''));

test('children started by spawnSync, execFileSync, fork (and its own child) and a worker thread land in the parent\'s trace under their own pids and tids', async t => {
	const output = path.join(directory, 'family.json');
	const result = await runCli(['-q', '-o', output, fixture('parent.mjs')], {timeout: 120_000});
	t.is(result.code, 0, result.stderr);
	t.regex(result.stdout, /parent done/);
	const trace = await readTrace(output);
	const parentPid = trace.traceEvents.find(event => event.name === 'process_name' && event.args.name === 'parent.mjs').pid;

	t.true(spanNames(trace, parentPid).includes('inParent'));
	const childPids = [...new Set(trace.traceEvents.filter(event => event.ph === 'X' && event.name.startsWith('inChild')).map(event => event.pid))];
	t.is(childPids.length, 4, 'spawned, exec-file, forked and the grandchild');
	t.false(childPids.includes(parentPid));
	for (const pid of childPids) {
		t.true(trace.traceEvents.some(event => event.ph === 'M' && event.name === 'process_name' && event.pid === pid), `process ${pid} is named`);
	}

	const workerSpan = trace.traceEvents.find(event => event.ph === 'X' && event.name.startsWith('inWorker'));
	t.truthy(workerSpan, 'the worker thread was traced');
	t.is(workerSpan.pid, parentPid);
	t.not(workerSpan.tid, parentPid);
	t.true(trace.traceEvents.some(event => event.ph === 'M' && event.name === 'thread_name' && event.tid === workerSpan.tid && /^Worker \d+$/.test(event.args.name)));
	t.false(trace.traceEvents.some(event => event.ph === 'M' && event.name === 'process_name' && event.pid === parentPid && event.args.name !== 'parent.mjs'), 'the worker does not rename the process');

	// Children run while the parent waits for them, so on the shared timeline
	// their spans fall inside the parent's run.
	const parentSpans = trace.traceEvents.filter(event => event.ph === 'X' && event.pid === parentPid);
	const parentStart = Math.min(...parentSpans.map(event => event.ts));
	const parentEnd = Math.max(...parentSpans.map(event => event.ts + event.dur));
	for (const event of trace.traceEvents.filter(event => event.ph === 'X' && event.pid !== parentPid)) {
		t.true(event.ts >= parentStart && event.ts <= parentEnd, `${event.name} at ${event.ts} is within ${parentStart}..${parentEnd}`);
	}
});

test('VIZTRACER_* variables of the user\'s own environment that the CLI does not hand on (plugins, process name, output file) do not reach the children', async t => {
	const output = path.join(directory, 'environment.json');
	const env = {VIZTRACER_PLUGINS: JSON.stringify(['./no-such-plugin.mjs']), VIZTRACER_PROCESS_NAME: 'leaked', VIZTRACER_OUTPUT_FILE: path.join(directory, 'leaked.json')};
	const result = await runCli(['-q', '-o', output, fixture('parent.mjs')], {env, timeout: 120_000});
	t.is(result.code, 0, result.stderr);
	const trace = await readTrace(output);
	const names = trace.traceEvents.filter(event => event.ph === 'M' && event.name === 'process_name').map(event => event.args.name);
	t.false(names.includes('leaked'), names.join(', '));
	t.is(trace.traceEvents.filter(event => event.ph === 'X' && event.name.startsWith('inChild')).length, 4, 'every child traced');
});

test('a child killed mid-run leaves the parent\'s trace intact, without waiting for it', async t => {
	const output = path.join(directory, 'killed.json');
	const started = Date.now();
	const result = await runCli(['-o', output, fixture('killed-child.mjs')], {env: {VIZTRACER_CHILD_TIMEOUT: '30000'}, timeout: 120_000});
	t.is(result.code, 0, result.stderr);
	t.regex(result.stdout, /killed SIGKILL/);
	t.regex(result.stderr, /no trace from child process \d+/);
	t.true(Date.now() - started < 30_000, 'a dead child is not waited for');
	const names = spanNames(await readTrace(output));
	t.true(names.includes('beforeKill'));
	t.true(names.includes('afterKill'));
});

test('a child that outlives the parent is waited for at most VIZTRACER_CHILD_TIMEOUT', async t => {
	const output = path.join(directory, 'outlived.json');
	const result = await runCli(['-o', output, fixture('outliving-child.mjs')], {env: {VIZTRACER_CHILD_TIMEOUT: '500'}, timeout: 60_000});
	t.is(result.code, 0, result.stderr);
	const pid = Number(/leaving (\d+)/.exec(result.stdout)[1]);
	try {
		process.kill(pid);
	} catch {}

	t.regex(result.stderr, /still running after 500 ms/);
	t.true((await readTrace(output)).traceEvents.length > 0);
});

test('--no-trace-children leaves children untraced', async t => {
	const output = path.join(directory, 'alone.json');
	const result = await runCli(['-q', '--no-trace-children', '-o', output, fixture('parent.mjs')], {timeout: 120_000});
	t.is(result.code, 0, result.stderr);
	const trace = await readTrace(output);
	t.deepEqual([...new Set(trace.traceEvents.map(event => event.pid))].length, 1);
	t.false(spanNames(trace).some(name => name === 'inChild' || name === 'inWorker'));
});

test('cluster workers are traced under their own pids', async t => {
	const output = path.join(directory, 'cluster.json');
	const result = await runCli(['-q', '-o', output, fixture('cluster.mjs')], {timeout: 120_000});
	t.is(result.code, 0, result.stderr);
	t.regex(result.stdout, /workers done/);
	const trace = await readTrace(output);
	const primary = trace.traceEvents.find(event => event.ph === 'X' && event.name.startsWith('inPrimary'));
	const workers = trace.traceEvents.filter(event => event.ph === 'X' && event.name.startsWith('inClusterWorker'));
	t.truthy(primary);
	t.is(workers.length, 2);
	t.is(new Set(workers.map(event => event.pid)).size, 2);
	t.false(workers.some(event => event.pid === primary.pid));
});

test('what each process recorded and dropped is in viztracer_metadata.recording, the saved line counts every process, and a child\'s overflow is reported', async t => {
	const output = path.join(directory, 'overflowing.json');
	const result = await runCli(['--tracer-entries', '1000', '-o', output, fixture('overflowing-child.mjs')], {timeout: 120_000});
	t.is(result.code, 0, result.stderr);
	const trace = await readTrace(output);
	const {recording, overflow} = trace.viztracer_metadata;
	t.true(overflow, 'a child overflowed, so the trace did');
	t.is(recording.length, 2);
	const [parent, child] = recording;
	t.is(parent.pid, trace.traceEvents.find(event => event.name === 'process_name' && event.args.name === 'overflowing-child.mjs').pid);
	t.is(parent.dropped, 0);
	t.is(child.bound, 1024);
	t.is(child.kept, 1024);
	t.true(child.recorded >= 5000, `${child.recorded} recorded`);
	t.is(child.dropped, child.recorded - child.kept);
	t.is(typeof child.completeFrom, 'number');
	const saved = Number(/saved (\d+) entries/.exec(result.stderr)[1]);
	t.is(saved, parent.kept + child.kept, 'the saved line counts the child too');
	t.regex(result.stderr, new RegExp(`process ${child.pid} dropped the oldest ${child.dropped} of its ${child.recorded} entries`));
});

test('a worker thread still running as the process exits ends with it, and is not reported as a missing child', async t => {
	const output = path.join(directory, 'daemon-worker.json');
	const result = await runCli(['-o', output, fixture('daemon-worker.mjs')], {timeout: 120_000});
	t.is(result.code, 0, result.stderr);
	t.is(result.stdout, 'main done\n');
	t.notRegex(result.stderr, /no trace from child/);
	t.true(spanNames(await readTrace(output)).some(name => name.startsWith('inMain')));
});

test('flow ids are the process\'s own across its worker threads, so every await arrow joins two runs of one thread', async t => {
	const output = path.join(directory, 'async-workers.json');
	const result = await runCli(['-q', '--log-async', '-o', output, fixture('async-workers.mjs')], {timeout: 120_000});
	t.is(result.code, 0, result.stderr);
	t.is(result.stdout, 'steps 4 4 4\n');
	const trace = await readTrace(output);
	const flowsById = new Map();
	for (const event of trace.traceEvents.filter(event => event.ph === 's' || event.ph === 'f')) {
		flowsById.set(event.id, [...(flowsById.get(event.id) ?? []), event]);
	}

	const threads = new Set([...flowsById.values()].flat().map(event => event.tid));
	t.is(threads.size, 3, 'the main thread and both workers have await flows');
	for (const [id, events] of flowsById) {
		t.deepEqual(events.map(event => event.ph).sort(), ['f', 's'], `flow ${id} has one start and one end`);
		t.is(new Set(events.map(event => event.tid)).size, 1, `flow ${id} stays on one thread`);
		t.true(Number.isSafeInteger(id), `flow id ${id} is exact`);
	}

	const objects = trace.traceEvents.filter(event => event.ph === 'N');
	t.is(objects.length, 3);
	t.is(new Set(objects.map(event => event.id)).size, 3, `one object id per thread: ${objects.map(event => event.id).join(', ')}`);
	for (const object of objects) {
		t.is(trace.traceEvents.filter(event => event.ph === 'O' && event.id === object.id && event.tid === object.tid).length, 4, `${object.id}: its thread's four snapshots`);
	}
});

for (const node of testNodes()) {
	const label = node === process.execPath ? '' : ` (under ${node})`;
	test(`a worker's row is named after the name its creator gave it (Node 22+ hands it to the worker), with its thread id; an unnamed one is "Worker <id>"${label}`, async t => {
		const output = path.join(temporaryDirectory(), 'named.json');
		const result = await run(node, [cliPath, '-q', '-o', output, fixture('named-workers.mjs')], {timeout: 60_000});
		t.is(result.code, 0, result.stderr);
		const trace = await readTrace(output);
		const names = trace.traceEvents.filter(event => event.ph === 'M' && event.name === 'thread_name' && event.args.name !== 'MainThread').map(event => event.args.name).sort();
		const hasThreadName = (await run(node, ['-p', '"threadName" in require("node:worker_threads")'])).stdout.trim() === 'true';
		// Thread ids are not 1 and 2: viztracer's own threads (the signal watcher) come first.
		t.is(names.length, 2, names.join(', '));
		t.regex(names[0], /^Worker \d+$/);
		t.regex(names[1], hasThreadName ? /^resizer \(Worker \d+\)$/ : /^Worker \d+$/);
	});
}
