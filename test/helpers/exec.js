import {spawn} from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {fileURLToPath} from 'node:url';

export const rootDir = fileURLToPath(new URL('../..', import.meta.url));
export const fixturesDir = path.join(rootDir, 'test', 'fixtures');
export const cliPath = path.join(rootDir, 'dist', 'bin', 'viztracer.js');

const temporaryDirectories = [];

/** A fresh temporary directory, removed when the test process exits. */
export function temporaryDirectory(prefix = 'viztracer-test-') {
	const directory = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
	if (temporaryDirectories.length === 0) {
		process.once('exit', () => {
			for (const created of temporaryDirectories) {
				fs.rmSync(created, {recursive: true, force: true});
			}
		});
	}

	temporaryDirectories.push(directory);
	return directory;
}

/**
 * Runs a command to completion and resolves with its exit code, signal and
 * output; never rejects on a non-zero exit, so tests can assert on it.
 */
export function run(command, args, {cwd = rootDir, env, input, timeout = 30_000, onSpawn} = {}) {
	return new Promise((resolve, reject) => {
		const child = spawn(command, args, {cwd, env: {...process.env, ...env}, stdio: ['pipe', 'pipe', 'pipe']});
		let stdout = '';
		let stderr = '';
		child.stdout.setEncoding('utf8').on('data', chunk => {
			stdout += chunk;
		});
		child.stderr.setEncoding('utf8').on('data', chunk => {
			stderr += chunk;
		});
		const timer = setTimeout(() => child.kill('SIGKILL'), timeout);
		child.on('error', reject);
		child.on('close', (code, signal) => {
			clearTimeout(timer);
			resolve({code, signal, stdout, stderr});
		});
		onSpawn?.(child);
		child.stdin.end(input);
	});
}

/** Runs `viztracer ...args` (the built CLI) with Node. */
export const runCli = (args, options) => run(process.execPath, [cliPath, ...args], options);

/** Reads and parses a trace file (gzip or plain). */
export async function readTrace(file) {
	const {gunzipSync} = await import('node:zlib');
	const raw = fs.readFileSync(file);
	return JSON.parse(file.endsWith('.gz') ? gunzipSync(raw).toString('utf8') : raw.toString('utf8'));
}

// ava runs a file's tests concurrently; at most this many of their
// subprocesses run at once (per test file), so a loaded machine slows the
// tests down instead of timing their processes out.
const maxSubprocesses = Math.max(2, os.availableParallelism());
let runningSubprocesses = 0;
const waitingForSlot = [];

/** Runs `action` once fewer than `maxSubprocesses` others are running. */
export async function withSubprocessSlot(action) {
	if (runningSubprocesses >= maxSubprocesses) {
		await new Promise(resolve => {
			waitingForSlot.push(resolve);
		});
	} else {
		runningSubprocesses++;
	}

	try {
		return await action();
	} finally {
		const next = waitingForSlot.shift();
		if (next) {
			next();
		} else {
			runningSubprocesses--;
		}
	}
}

/** The per-test traces a test-runner integration wrote into `outputDir`: name → {metadata, spans}. */
export async function readTestTraces(outputDir) {
	const names = fs.existsSync(outputDir) ? fs.readdirSync(outputDir).sort() : [];
	const traces = {};
	for (const name of names) {
		const data = await readTrace(path.join(outputDir, name)); // eslint-disable-line no-await-in-loop
		traces[name] = {metadata: data.viztracer_metadata.test, spans: data.traceEvents.filter(event => event.ph === 'X').map(event => event.name)};
	}

	return {names, traces};
}

/**
 * Every Node to run the cross-version tests under: the one running the
 * tests, then each binary in VIZTRACER_TEST_NODES (paths separated by `:`;
 * .ci/run installs Node 22 and 24 there), each once by its real path.
 */
export function testNodes() {
	const realNode = node => {
		try {
			return fs.realpathSync(node);
		} catch {
			return node;
		}
	};

	return [...new Map([process.execPath, ...(process.env.VIZTRACER_TEST_NODES ?? '').split(':').filter(Boolean)].map(node => [realNode(node), node])).values()];
}

/** A trace's row names, by tid (its `thread_name` metadata events). */
export function rowNames(trace) {
	return new Map(trace.traceEvents.filter(event => event.ph === 'M' && event.name === 'thread_name').map(event => [event.tid, event.args.name]));
}

/** The complete spans on the rows whose names match `pattern` ("requests 1 (MainThread)", "I/O 2 (MainThread)", …). */
export function spansOnRows(trace, pattern) {
	const rows = rowNames(trace);
	return trace.traceEvents.filter(event => event.ph === 'X' && pattern.test(rows.get(event.tid) ?? ''));
}

/**
 * Runs `script` untraced and then traced by the CLI with `flags` into
 * `output`, and asserts the traced run exits 0 with the untraced run's
 * stdout, byte for byte. Resolves with the traced run and its trace.
 */
export async function traceLikeUntraced(t, script, flags, output) {
	const untraced = await run(process.execPath, [script]);
	const traced = await run(process.execPath, [cliPath, '-q', ...flags, '-o', output, script]);
	t.is(traced.code, 0, traced.stderr);
	t.is(traced.stdout, untraced.stdout);
	return {traced, trace: await readTrace(output)};
}
