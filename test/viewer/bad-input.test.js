// Input vizviewer cannot show: each gets exit code 1 and one line on stderr
// naming the input and what was wrong with it, never a stack trace, and no
// server is started and no file is written for it.
import {execFileSync, spawnSync} from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import test from 'ava';
import {fixturesDir, run, temporaryDirectory} from '../helpers/exec.js';
import {runViewer, subprocessTimeout, vizviewerPath} from './_helpers.js';

const inputDir = path.join(fixturesDir, 'viewer-input');
const tiny = path.join(inputDir, 'tiny.json');

/** Copies fixtures into a fresh directory (so nothing is written beside the originals); returns it. */
function copies(...names) {
	const directory = temporaryDirectory();
	for (const name of names) {
		fs.copyFileSync(path.join(inputDir, name), path.join(directory, name));
	}

	return directory;
}

/** Asserts a failed run: exit 1, nothing on stdout, and stderr one `vizviewer:` line matching `pattern`. */
function assertOneLine(t, result, pattern, what) {
	t.is(result.code, 1, `${what}: ${result.stderr}`);
	t.is(result.stdout, '', what);
	t.regex(result.stderr, /^vizviewer: [^\n]+\n$/, what);
	t.regex(result.stderr, pattern, what);
	t.false(/\n\s+at /.test(result.stderr), `${what}: no stack trace`);
}

const notTraces = {
	'empty.json': /the file is empty/,
	'null.json': /expected a JSON object or array/,
	'binary.json': /expected a JSON object or array/,
	'truncated.json': /the file ends before the JSON does/,
	'no-events.json': /it has no traceEvents array/,
	'numbers.json': /event 0 is a number, not an object/,
};

test('a file that is not a trace (empty, binary, null, cut off, no events) is refused, served or saved as HTML', async t => {
	t.timeout(300_000);
	const directory = copies(...Object.keys(notTraces));
	for (const [name, reason] of Object.entries(notTraces)) {
		const file = path.join(directory, name);
		const pattern = new RegExp(`^vizviewer: ${file.replaceAll(/[.*+?^${}()|[\]\\]/g, '\\$&')} is not a valid trace: ${reason.source}.*; a trace is Chrome trace JSON \\(an object with a traceEvents array, or an array of event objects\\), plain or gzipped\\n$`);
		// eslint-disable-next-line no-await-in-loop
		const served = await runViewer(['--no-open', '--port', '0', '--timeout', '60', file]);
		assertOneLine(t, served, pattern, `serving ${name}`);

		const html = path.join(directory, `${name}.html`);
		// eslint-disable-next-line no-await-in-loop
		const saved = await runViewer(['--save-html', html, file]);
		assertOneLine(t, saved, pattern, `--save-html ${name}`);
		t.false(fs.existsSync(html), `no page was written for ${name}`);
	}

	t.deepEqual(fs.readdirSync(directory).sort(), Object.keys(notTraces).sort(), 'nothing else was written');
});

test('a truncated .json.gz is reported as a truncated or corrupt gzip file, not with a size read from its missing trailer', async t => {
	t.timeout(300_000);
	const directory = copies('truncated.json.gz');
	const file = path.join(directory, 'truncated.json.gz');
	const served = await runViewer(['--no-open', '--port', '0', '--timeout', '60', file]);
	assertOneLine(t, served, /truncated\.json\.gz is not a valid trace: it is a truncated or corrupt gzip file \(unexpected end of file\)\n$/, 'serving');
	t.false(served.stderr.includes('MB'));

	const saved = await runViewer(['--save-html', path.join(directory, 'out.html'), file]);
	assertOneLine(t, saved, /it is a truncated or corrupt gzip file/, '--save-html');

	const filtered = await runViewer(['--min-duration', '1', file]);
	assertOneLine(t, filtered, /it is a truncated or corrupt gzip file/, '--min-duration');
	t.deepEqual(fs.readdirSync(directory), ['truncated.json.gz']);
});

test('a FIFO named like a trace is refused at once (not waited on)', async t => {
	t.timeout(300_000);
	const fifo = path.join(temporaryDirectory(), 'pipe.json');
	execFileSync('mkfifo', [fifo]);
	const result = await runViewer(['--no-open', '--port', '0', '--timeout', '60', fifo]);
	assertOneLine(t, result, /pipe\.json is not a valid trace: it is neither a file nor a directory\n$/, 'fifo');
});

const nobody = ['--reuid=65534', '--regid=65534', '--clear-groups'];
const canDropPrivileges = process.getuid?.() === 0 && spawnSync('setpriv', [...nobody, process.execPath, '-e', ''], {stdio: 'ignore'}).status === 0;
const asNobody = canDropPrivileges ? test : test.skip;

/** `vizviewer ...args` run as the unprivileged user nobody (root reads any file), in `cwd`. */
const runViewerAsNobody = (args, cwd) => run('setpriv', [...nobody, process.execPath, vizviewerPath, ...args], {cwd, timeout: subprocessTimeout});

asNobody('a trace without read permission, or behind a directory that cannot be read, is one line naming it', async t => {
	t.timeout(300_000);
	const directory = copies('tiny.json');
	fs.chmodSync(directory, 0o755);
	fs.chmodSync(path.join(directory, 'tiny.json'), 0o000);
	fs.mkdirSync(path.join(directory, 'closed'), {mode: 0o000});
	fs.chmodSync(path.join(directory, 'closed'), 0o000);
	const cases = [
		[['--no-open', '--port', '0', '--timeout', '60', 'tiny.json'], /^vizviewer: Cannot read the trace tiny\.json: permission denied \(EACCES\)\n$/],
		[['--save-html', 'tiny.html', 'tiny.json'], /^vizviewer: Cannot read the trace tiny\.json: permission denied \(EACCES\)\n$/],
		[['--min-duration', '1', 'tiny.json'], /^vizviewer: Cannot read the trace tiny\.json: permission denied \(EACCES\)\n$/],
		[['--no-open', '--port', '0', '--timeout', '60', 'closed'], /^vizviewer: Cannot read the trace closed: permission denied \(EACCES\)\n$/],
		[['--no-open', '--port', '0', '--timeout', '60', path.join('closed', 'x.json')], /^vizviewer: Cannot read the trace closed\/x\.json: permission denied \(EACCES\)\n$/],
	];
	for (const [args, pattern] of cases) {
		// eslint-disable-next-line no-await-in-loop
		const result = await runViewerAsNobody(args, directory);
		assertOneLine(t, result, pattern, args.join(' '));
	}
});

test('--host that is no address of this machine is one line naming --host', async t => {
	t.timeout(300_000);
	const result = await runViewer(['--no-open', '--port', '0', '--host', '999.1.1.1', tiny]);
	assertOneLine(t, result, /^vizviewer: --host 999\.1\.1\.1: cannot listen on it \(.*\); expected an IP address or host name of this machine, such as 127\.0\.0\.1, ::1 or 0\.0\.0\.0\n$/, '--host');
});

test('--window outside the trace selects no events: exit 1 with the trace\'s time range, and nothing written', async t => {
	t.timeout(300_000);
	const directory = copies('tiny.json');
	const file = path.join(directory, 'tiny.json');
	// tiny.json holds one span, from 0 to 10 µs.
	const after = await runViewer(['--no-open', '--port', '0', '--timeout', '60', '--window', '5000:', file]);
	assertOneLine(t, after, /^vizviewer: --window 5000: selects no events: the events of tiny\.json run from 0 to 0\.01 ms \(from its first timestamp\); nothing was written\n$/, '--window 5000:');
	const before = await runViewer(['--no-open', '--port', '0', '--timeout', '60', '--window', ':-1', file]);
	assertOneLine(t, before, /^vizviewer: --window :-1 selects no events: the events of tiny\.json run from 0 to 0\.01 ms/, '--window :-1');
	// Inside the range, but nothing is long enough: said as such.
	const none = await runViewer(['--no-open', '--port', '0', '--timeout', '60', '--window', '0:1', '--min-duration', '1000', file]);
	assertOneLine(t, none, /^vizviewer: no event of tiny\.json passes the filter \(--min-duration 1000 --window 0:1\); the events of tiny\.json run from 0 to 0\.01 ms/, 'nothing passes');
	t.deepEqual(fs.readdirSync(directory), ['tiny.json'], 'no filtered trace was written');
});

test('--filter handles args nested 20,000 levels deep', async t => {
	t.timeout(300_000);
	const directory = temporaryDirectory();
	const depth = 20_000;
	const args = `${'{"a":'.repeat(depth)}1${'}'.repeat(depth)}`;
	const file = path.join(directory, 'deep.json');
	fs.writeFileSync(file, `{"traceEvents":[{"ph":"X","name":"deep","ts":0,"dur":50,"pid":1,"tid":1,"args":${args}},{"ph":"X","name":"short","ts":0,"dur":1,"pid":1,"tid":1}]}`);
	const result = await runViewer(['--no-open', '--port', '0', '--timeout', '0.2', '--min-duration', '10', file]);
	t.is(result.code, 0, result.stderr);
	t.regex(result.stderr, /kept 1 of 2 events/);
	const written = fs.readFileSync(path.join(directory, 'deep.filtered.json'), 'utf8');
	t.true(written.includes(args), 'the nested args are written back whole');
	const trace = JSON.parse(written);
	t.deepEqual(trace.traceEvents.map(event => event.name), ['deep']);
});
