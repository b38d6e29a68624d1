// Recursion depth reached before `RangeError: Maximum call stack size
// exceeded`, for a one-line recursive function, untraced and traced (tracing
// stopped and started): instrumented frames are bigger, so the traced depth is
// lower. Two functions: a one-liner (the smallest frame, where the extra
// slots weigh most) and one with two parameters and a few locals.
// Usage: node benchmarks/recursion-depth.js
import {spawnSync} from 'node:child_process';
import os from 'node:os';
import path from 'node:path';
import {fileURLToPath} from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const fixtures = [['one-liner', 'recursion-depth.cjs'], ['with locals', 'recursion-depth-locals.cjs']];
const cli = path.join(root, 'dist', 'bin', 'viztracer.js');
const output = path.join(os.tmpdir(), `viztracer-depth-${process.pid}.json`);

function depth(args) {
	const result = spawnSync(process.execPath, args, {encoding: 'utf8', env: {...process.env, VIZTRACER_NO_CACHE: '1'}});
	return Number.parseInt(result.stdout.trim().split('\n').at(-1), 10);
}

console.log(`recursion depth before RangeError, Node ${process.version}`);
console.log('function      case                          frames   of untraced');
for (const [label, file] of fixtures) {
	const fixture = path.join(root, 'benchmarks', 'fixtures', file);
	const untraced = depth([fixture]);
	const rows = [
		['untraced', untraced],
		['traced (viztracer -o …)', depth([cli, '-q', '-o', output, fixture])],
		['traced, every option', depth([cli, '-q', '-o', output, '--log-func-args', '--log-func-retval', '--log-exception', fixture])],
	];
	for (const [name, frames] of rows) {
		console.log(`${label.padEnd(13)} ${name.padEnd(28)} ${String(frames).padStart(7)}   ${((frames / untraced) * 100).toFixed(1)}%`);
	}
}
