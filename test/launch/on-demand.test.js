// --on-demand (lib/launch/on-demand.ts) and `viztracer attach`
// (lib/cli/attach-command.ts): a live server runs instrumented but records
// only when asked, and each recording is saved where its attach asked.
import {spawn} from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import {setTimeout as sleep} from 'node:timers/promises';
import test from 'ava';
import {load} from '../../examples/server/load.js';
import {cliPath, readTrace, rootDir, run, runCli, spansOnRows, temporaryDirectory} from '../helpers/exec.js';

const app = path.join(rootDir, 'examples', 'server', 'app.js');
const registerUrl = new URL('../../dist/integrations/register.js', import.meta.url).href;
const started = [];
test.after.always(() => {
	for (const child of started) {
		child.kill('SIGKILL');
	}
});

/**
 * Starts a long-running process; `waitFor(pattern)` resolves once its stderr
 * (or stdout) matches, `exited` with its exit code and output.
 */
function start(args, env) {
	const child = spawn(process.execPath, args, {cwd: rootDir, env: {...process.env, ...env}, stdio: ['ignore', 'pipe', 'pipe']});
	started.push(child);
	const output = {stdout: '', stderr: ''};
	const waiting = [];
	const check = () => {
		for (const waiter of [...waiting]) {
			const match = waiter.pattern.exec(output[waiter.stream]);
			if (match) {
				waiting.splice(waiting.indexOf(waiter), 1);
				waiter.resolve(match);
			}
		}
	};

	for (const stream of ['stdout', 'stderr']) {
		child[stream].setEncoding('utf8').on('data', chunk => {
			output[stream] += chunk;
			check();
		});
	}

	const exited = new Promise(resolve => {
		child.on('close', (code, signal) => {
			for (const waiter of waiting) {
				waiter.reject(new Error(`exited (${code ?? signal}) before ${waiter.pattern}: ${output.stderr}`));
			}

			resolve({code, signal, ...output});
		});
	});
	const killer = setTimeout(() => child.kill('SIGKILL'), 90_000);
	exited.then(() => clearTimeout(killer));
	const waitFor = (pattern, stream = 'stderr') => new Promise((resolve, reject) => {
		waiting.push({pattern, stream, resolve, reject});
		check();
	});
	return {child, exited, waitFor, output};
}

/** The example server waiting for attach; resolves once it listens. */
async function startServer(directory, extraArgs = []) {
	const server = start([cliPath, '--on-demand', '--log-requests', ...extraArgs, '-o', path.join(directory, 'never.json'), app], {PORT: '0', TMPDIR: directory});
	const [, url] = await server.waitFor(/listening on (http:\S+)/, 'stdout');
	return {...server, url};
}

const controlDirectory = directory => path.join(directory, `viztracer-${process.getuid()}`);

const requestSpans = trace => spansOnRows(trace, /^requests \d+/);

test('attach records a live express server under load, twice in a row, each where it asked; an attach meanwhile is refused', async t => {
	const directory = temporaryDirectory();
	const server = await startServer(directory);
	const {pid} = server.child;
	t.true(fs.existsSync(path.join(controlDirectory(directory), `${pid}.json`)), 'it announced itself');
	// The load lasts until both recordings are saved, however slowly the attaches start on a busy machine.
	const loading = new AbortController();
	const loaded = load(server.url, {seconds: 60, connections: 4, signal: loading.signal});
	await sleep(300);

	const first = path.join(directory, 'first.json');
	const firstAttach = runCli(['attach', String(pid), '--duration', '2', '-o', first], {env: {TMPDIR: directory}});
	await sleep(800);
	const meanwhile = await runCli(['attach', String(pid), '-t', '1', '-o', path.join(directory, 'meanwhile.json')], {env: {TMPDIR: directory}});
	t.is(meanwhile.code, 1);
	t.regex(meanwhile.stderr, new RegExp(`^viztracer attach: process ${pid} is already being recorded by viztracer attach \\(process \\d+\\); wait for it to end, or stop it with Ctrl-C there\\n$`));
	const firstResult = await firstAttach;
	t.is(firstResult.code, 0, firstResult.stderr);
	t.regex(firstResult.stderr, new RegExp(`recording process ${pid} for 2 s`));
	t.regex(firstResult.stderr, new RegExp(`saved the trace of process ${pid} to ${first.replaceAll('.', '\\.')}\\n$`));

	const second = path.join(directory, 'second.vizt');
	const secondResult = await runCli(['attach', String(pid), '-t', '1', '-q', '-o', second], {env: {TMPDIR: directory}});
	t.is(secondResult.code, 0, secondResult.stderr);
	t.is(secondResult.stderr, '', '-q prints nothing');
	loading.abort();
	const {result} = await loaded;
	t.is(result.errors, 0);
	t.is(result.non2xx, 0);

	server.child.kill('SIGINT');
	const ended = await server.exited;
	t.is(ended.code, 0, ended.stderr);
	// The program's own output is as untraced: its count of requests, printed as it closed.
	const counted = JSON.parse(ended.stdout.trim().split('\n').pop());
	t.true(counted['GET /users/:id'] > 0);
	t.false(fs.existsSync(path.join(directory, 'never.json')), 'nothing recording at exit, nothing written');
	t.false(fs.existsSync(path.join(controlDirectory(directory), `${pid}.json`)), 'the announcement is gone with the process');
	t.false(fs.existsSync(path.join(directory, 'meanwhile.json')));

	const converted = path.join(directory, 'second.json');
	t.is((await runCli(['convert', '-q', second, converted])).code, 0);
	const traces = [await readTrace(first), await readTrace(converted)];
	const windows = [];
	for (const trace of traces) {
		const requests = requestSpans(trace);
		t.true(requests.length > 20, `requests recorded: ${requests.length}`);
		t.true(requests.some(event => event.name === 'GET /users/:id → 200'));
		t.true(requests.some(event => event.name === 'GET /health → 200'));
		// The handlers' functions ran inside, and carry the id of the request they served.
		const ids = new Set(requests.map(event => event.args.request));
		const renders = trace.traceEvents.filter(event => event.ph === 'X' && event.name.startsWith('renderUser '));
		t.true(renders.length > 10);
		// Requests that began before the recording (4 connections: at most 4 of them) have no id, nor a span in it.
		t.true(renders.filter(event => ids.has(event.args?.request)).length >= renders.length - 4);
		windows.push([Math.min(...trace.traceEvents.filter(event => event.ph === 'X').map(event => event.ts)), Math.max(...trace.traceEvents.filter(event => event.ph === 'X').map(event => event.ts + event.dur))]);
	}

	// Each recording holds only its own window (the first was cleared once saved): the second started after the first was saved.
	t.true(windows[1][0] > windows[0][1]);
});

test('kill -USR2 starts recording and a second one saves to the output file; a recording under way at exit is saved (viztracer/register, VIZTRACER_ON_DEMAND=1)', async t => {
	const directory = temporaryDirectory();
	const output = path.join(directory, 'usr2.json');
	const server = start(['--import', registerUrl, app], {PORT: '0', TMPDIR: directory, VIZTRACER_ON_DEMAND: '1', VIZTRACER_LOG_REQUESTS: '1', VIZTRACER_OUTPUT_FILE: output});
	const [, url] = await server.waitFor(/listening on (http:\S+)/, 'stdout');
	const get = async route => (await fetch(`${url}${route}`)).text();

	await get('/users/1');
	server.child.kill('SIGUSR2');
	await server.waitFor(/recording \(process \d+\); send SIGUSR2 again to stop and save to .*usr2\.json\n/);
	await get('/users/2');
	await get('/health');
	server.child.kill('SIGUSR2');
	await server.waitFor(/saved \d+ entries to .*usr2\.json/);
	const saved = await readTrace(output);
	// The example's upstream serves in the same process: each /users request asks it for /prices/<id>.
	t.deepEqual(requestSpans(saved).map(event => event.name).sort(), ['GET /health → 200', 'GET /prices/2 → 200', 'GET /users/:id → 200']);

	server.child.kill('SIGUSR2');
	await server.waitFor(/recording \(process \d+\)[^]*recording \(process \d+\)/);
	await get('/users/3');
	server.child.kill('SIGTERM');
	const ended = await server.exited;
	t.is(ended.code, 0, ended.stderr);
	const atExit = await readTrace(output);
	t.deepEqual(requestSpans(atExit).map(event => event.name).sort(), ['GET /prices/3 → 200', 'GET /users/:id → 200'], 'the second recording, saved as the process ended');
	t.deepEqual(fs.readdirSync(controlDirectory(directory)), [], 'no control file left');
});

test('an attach that is killed, or stopped with Ctrl-C, still has its recording saved where it asked', async t => {
	const directory = temporaryDirectory();
	const server = await startServer(directory);
	const {pid} = server.child;
	const get = async route => (await fetch(`${server.url}${route}`)).text();

	const killedOutput = path.join(directory, 'killed.json');
	const killed = start([cliPath, 'attach', String(pid), '-o', killedOutput], {TMPDIR: directory});
	await killed.waitFor(/recording process \d+ until Ctrl-C/);
	await get('/users/5');
	killed.child.kill('SIGKILL');
	await killed.exited;
	// The process notices within a second that its attach is gone.
	for (let waited = 0; !fs.existsSync(killedOutput) && waited < 10_000; waited += 100) {
		await sleep(100); // eslint-disable-line no-await-in-loop
	}

	t.deepEqual(requestSpans(await readTrace(killedOutput)).map(event => event.name).sort(), ['GET /prices/5 → 200', 'GET /users/:id → 200']);

	const stoppedOutput = path.join(directory, 'stopped.json');
	const stopped = start([cliPath, 'attach', String(pid), '--duration', '60', '-o', stoppedOutput], {TMPDIR: directory});
	await stopped.waitFor(/recording process \d+ for 60 s \(Ctrl-C stops it sooner\)/);
	await get('/health');
	stopped.child.kill('SIGINT');
	const result = await stopped.exited;
	t.is(result.code, 0, result.stderr);
	t.regex(result.stderr, /stopping the recording of process \d+\nviztracer: saved the trace of process \d+ to .*stopped\.json\n$/);
	t.deepEqual(requestSpans(await readTrace(stoppedOutput)).map(event => event.name), ['GET /health → 200']);

	server.child.kill('SIGTERM');
	t.is((await server.exited).code, 0);
});

test('attach refuses what it cannot attach to with one line, and never signals a process that is not waiting', async t => {
	const directory = temporaryDirectory();
	const plain = start(['-e', 'setInterval(() => {}, 1000); console.log("up")']);
	await plain.waitFor(/up/, 'stdout');
	const refused = await runCli(['attach', String(plain.child.pid)], {env: {TMPDIR: directory}});
	t.is(refused.code, 1);
	t.regex(refused.stderr, new RegExp(`^viztracer attach: process ${plain.child.pid} is not waiting for viztracer attach: start it with \`viztracer --on-demand script.js\` or \`VIZTRACER_ON_DEMAND=1 node --import viztracer/register script.js\` \\(and the same TMPDIR: its announcement would be in .*\\)\\n$`));
	await sleep(200);
	t.is(plain.child.exitCode, null, 'still running: SIGUSR2 would have killed it');
	plain.child.kill();
	await plain.exited;

	const cases = [
		[['attach', 'abc'], 2, /^viztracer attach: invalid pid "abc": expected a process id \(a positive integer\)\n$/],
		[['attach', '2147483646'], 1, /^viztracer attach: no process 2147483646\n$/],
		[['attach', '1', '--duration', '0'], 2, /^viztracer attach: invalid --duration 0: expected a number of seconds > 0 \(at most 86400\)\n$/],
		[['attach', '1', '-o', 'trace.txt'], 2, /^viztracer attach: invalid --output-file trace\.txt: expected a file name ending in `\.json`, `\.json\.gz`, `\.html` or `\.vizt`\n$/],
		[['attach'], 2, /missing required argument 'pid'/],
	];
	for (const [args, code, pattern] of cases) {
		const result = await runCli(args, {env: {TMPDIR: directory}}); // eslint-disable-line no-await-in-loop
		t.is(result.code, code, args.join(' '));
		t.regex(result.stderr, pattern);
	}
});

test('--on-demand: option conflicts and a control directory open to others stop the program before it runs', async t => {
	const directory = temporaryDirectory();
	const script = path.join(directory, 'hello.js');
	fs.writeFileSync(script, 'console.log("ran")\n');

	const both = await runCli(['--on-demand', '--flight-recorder', '5', script]);
	t.is(both.code, 2);
	t.is(both.stdout, '');
	t.regex(both.stderr, /^viztracer: invalid --flight-recorder: .*unset when `onDemand` is on \(both answer SIGUSR2: choose one\)/);

	const badVariable = await run(process.execPath, ['--import', registerUrl, script], {env: {VIZTRACER_ON_DEMAND: 'maybe'}});
	t.is(badVariable.code, 2);
	t.regex(badVariable.stderr, /^viztracer: Invalid VIZTRACER_ON_DEMAND="maybe" in the environment: expected one of 1, true/);

	const open = path.join(directory, 'open');
	fs.mkdirSync(controlDirectory(open), {recursive: true});
	fs.chmodSync(controlDirectory(open), 0o777);
	const unsafe = await runCli(['--on-demand', script], {env: {TMPDIR: open}});
	t.is(unsafe.code, 1);
	t.is(unsafe.stdout, '');
	t.regex(unsafe.stderr, /^viztracer: --on-demand: the control directory .* is not a private directory of this user .*\n$/);

	// A program that ends while waiting writes nothing.
	const idle = await runCli(['--on-demand', '-o', path.join(directory, 'idle.json'), script], {env: {TMPDIR: directory}});
	t.is(idle.code, 0, idle.stderr);
	t.is(idle.stdout, 'ran\n');
	t.false(fs.existsSync(path.join(directory, 'idle.json')));
});
