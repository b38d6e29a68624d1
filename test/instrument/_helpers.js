// Shared by the test/instrument/*.test.js files: running fixtures traced and
// untraced as real subprocesses, and reading the spans of the trace they write.
import fs from 'node:fs';
import path from 'node:path';
import {fixturesDir, readTrace, rootDir, run as runToCompletion, cliPath, temporaryDirectory as baseTemporaryDirectory, withSubprocessSlot} from '../helpers/exec.js';

export {rootDir, cliPath};
export const instrumentFixturesDir = path.join(fixturesDir, 'instrument');
export const registerPath = path.join(rootDir, 'dist', 'integrations', 'register.js');


// Variables of the test process that would change how viztracer behaves.
const clearedEnvironment = Object.fromEntries(Object.keys(process.env).filter(name => name.startsWith('VIZTRACER_') || name === 'NODE_OPTIONS').map(name => [name, undefined]));

function cleanEnvironment(env) {
	const merged = {...process.env, ...clearedEnvironment, ...env};
	return Object.fromEntries(Object.entries(merged).filter(([, value]) => value !== undefined));
}

/** Runs a command to completion (see helpers/exec.js), without the test process's VIZTRACER_* variables. */
export const run = (command, args, options = {}) => withSubprocessSlot(() => runToCompletion(command, args, {timeout: 60_000, ...options, env: cleanEnvironment(options.env)}));

/** `node ...args`. */
export const runNode = (args, options) => run(process.execPath, args, options);

/**
 * `viztracer ...args` (the built CLI). The transform cache is off unless the
 * test sets VIZTRACER_CACHE_DIR itself, so tests never share cache entries.
 */
export const runCli = (args, options = {}) => run(process.execPath, [cliPath, ...args], {...options, env: {VIZTRACER_NO_CACHE: '1', ...options.env}});

// One temporary directory for the file (removed when the worker exits), and a fresh one inside it per use.
let filesDirectory;
export function temporaryDirectory() {
	filesDirectory ??= baseTemporaryDirectory('viztracer-instrument-test-');
	return fs.mkdtempSync(path.join(filesDirectory, 'test-'));
}

/**
 * Copies fixtures from test/fixtures/instrument into a fresh temporary
 * directory and returns that directory: each test runs in a project of its
 * own (its own node_modules, cache and output, span paths relative to it).
 */
export function copyFixtures(...names) {
	const directory = temporaryDirectory();
	for (const name of names) {
		fs.cpSync(path.join(instrumentFixturesDir, name), path.join(directory, path.basename(name)), {recursive: true});
	}

	return directory;
}

/** Writes `files` ({relative path: text}) under `directory`. */
export function writeFiles(directory, files) {
	for (const [name, text] of Object.entries(files)) {
		const file = path.join(directory, name);
		fs.mkdirSync(path.dirname(file), {recursive: true});
		fs.writeFileSync(file, text);
	}
}

const spanName = /^(?<fn>.*) \((?<file>[^()]*):(?<line>\d+):(?<column>\d+)\)$/;

/** Splits `name (file:line:col)` into its parts; undefined for a name of another shape. */
export function parseSpanName(name) {
	const match = spanName.exec(name);
	return match && {fn: match.groups.fn, file: match.groups.file, line: Number(match.groups.line), column: Number(match.groups.column)};
}

/** The `X` events of a trace as spans: `{name, fn, file, line, column, ts, end, args}`, in start order. */
export function spansOf(trace) {
	const parsedNames = new Map();
	const spans = [];
	for (const event of trace.traceEvents) {
		if (event.ph !== 'X') {
			continue;
		}

		let parsed = parsedNames.get(event.name);
		if (parsed === undefined) {
			parsed = parseSpanName(event.name) ?? {};
			parsedNames.set(event.name, parsed);
		}

		// Built field by field: spreading 100,000s of events is slow.
		spans.push({name: event.name, fn: parsed.fn, file: parsed.file, line: parsed.line, column: parsed.column, ts: event.ts, dur: event.dur, end: event.ts + event.dur, args: event.args, ph: event.ph, pid: event.pid, tid: event.tid, cat: event.cat});
	}

	return spans.sort((a, b) => a.ts - b.ts || b.end - a.end);
}

/** Reads the trace at `file` and returns it with its spans. */
export async function loadTrace(file) {
	const trace = await readTrace(file);
	return {trace, spans: spansOf(trace), events: trace.traceEvents.filter(event => event.ph !== 'M')};
}

// Timestamps are written in microseconds with three decimals; start + duration may round by a nanosecond.
const rounding = 0.002;

/** Whether span `inner` lies within span `outer` in time. */
export const within = (inner, outer) => inner.ts >= outer.ts - rounding && inner.end <= outer.end + rounding;

/** Whether span `a` ends before span `b` starts. */
export const before = (a, b) => a.end <= b.ts + rounding;

/** The spans whose function name is `fn` (the part before ` (file:line:col)`). */
export const named = (spans, fn) => spans.filter(span => span.fn === fn);

/** The innermost span that strictly encloses `span`, or undefined for a root. */
export function parentOf(spans, span) {
	let parent;
	for (const candidate of spans) {
		if (candidate !== span && within(span, candidate) && candidate.dur >= span.dur && (!parent || within(candidate, parent))) {
			parent = candidate;
		}
	}

	return parent;
}

/** Line and column (1-based) where `needle` first occurs in `text`. */
export function positionOf(text, needle) {
	const offset = text.indexOf(needle);
	if (offset === -1) {
		throw new Error(`${JSON.stringify(needle)} is not in the text`);
	}

	const before = text.slice(0, offset).split('\n');
	return {line: before.length, column: before.at(-1).length + 1};
}

/** `fn (file:line:col)` for the function whose text starts with `needle` in `file` under `directory`. */
export function expectedName(fn, directory, file, needle) {
	const {line, column} = positionOf(fs.readFileSync(path.join(directory, file), 'utf8'), needle);
	return `${fn} (${file}:${line}:${column})`;
}
