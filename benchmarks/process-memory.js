// Issue 13's memory and process targets: peak RSS of a whole process tree
// (the sum of VmRSS of every process in it, polled every 5 ms) and wall time,
// untraced and traced with --include-node-modules (warm transform cache), for
// (1) eslint --concurrency 2 (worker threads) linting this package's dist/,
// (2) a parent starting `prettier --version` and `eslint --version` as two
// child processes at once (what `concurrently` does), and the start-up of a
// traced child (timed by its parent from spawn to exit) next to a traced main
// process (the same `prettier --version`).
// Targets: peak RSS at most 1.5x untraced plus the ring; a traced child's
// start-up no worse than a traced main process's.
// Usage: node benchmarks/process-memory.js [--runs 3]
import {spawn} from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {fileURLToPath} from 'node:url';
import {parseArgs} from 'node:util';

const {values: flags} = parseArgs({options: {runs: {type: 'string', default: '3'}}});
const runs = Number(flags.runs);
const root = path.join(path.dirname(fileURLToPath(import.meta.url)), '..');
const modules = path.join(root, 'node_modules');
const cli = path.join(root, 'dist', 'bin', 'viztracer.js');
const eslint = path.join(modules, 'eslint', 'bin', 'eslint.js');
const prettier = path.join(modules, 'prettier', 'bin', 'prettier.cjs');
const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'viztracer-bench-memory-'));
process.on('exit', () => fs.rmSync(scratch, {recursive: true, force: true}));

fs.writeFileSync(path.join(scratch, 'eslint.config.js'), 'export default [{files: ["**/*.js"], rules: {"no-unused-vars": "warn", "no-undef": "off", "prefer-const": "warn", "eqeqeq": "warn"}}];\n');
fs.writeFileSync(path.join(scratch, 'package.json'), '{"type": "module"}\n');
fs.cpSync(path.join(root, 'dist'), path.join(scratch, 'src'), {recursive: true, filter: file => !file.endsWith('.d.ts') && !file.endsWith('.map')});
// A traced child's start-up, timed by its parent from spawn to exit, next to the same command traced as the main process.
const childTime = path.join(scratch, 'child-ms.txt');
fs.writeFileSync(path.join(scratch, 'child.mjs'), `import {spawnSync} from 'node:child_process';
import fs from 'node:fs';
const start = performance.now();
spawnSync(process.execPath, [${JSON.stringify(prettier)}, '--version'], {stdio: 'ignore'});
fs.writeFileSync(${JSON.stringify(childTime)}, String(performance.now() - start));
`);
fs.writeFileSync(path.join(scratch, 'both.mjs'), `import {spawn} from 'node:child_process';
const run = args => new Promise(resolve => spawn(process.execPath, args, {stdio: 'ignore'}).on('exit', resolve));
await Promise.all([run([${JSON.stringify(prettier)}, '--version']), run([${JSON.stringify(eslint)}, '--version'])]);
`);

/** The processes under `pid` (itself included), from /proc. */
function tree(pid) {
	const children = new Map();
	for (const entry of fs.readdirSync('/proc')) {
		if (!/^\d+$/.test(entry)) {
			continue;
		}

		try {
			const ppid = Number(/PPid:\s+(\d+)/.exec(fs.readFileSync(`/proc/${entry}/status`, 'utf8'))[1]);
			children.set(ppid, [...children.get(ppid) ?? [], Number(entry)]);
		} catch {}
	}

	const all = [pid];
	for (let index = 0; index < all.length; index++) {
		all.push(...children.get(all[index]) ?? []);
	}

	return all;
}

const rssOf = pid => {
	try {
		return Number(/VmRSS:\s+(\d+)/.exec(fs.readFileSync(`/proc/${pid}/status`, 'utf8'))[1]) * 1024;
	} catch {
		return 0;
	}
};

function measure(args, env = {}) {
	return new Promise((resolve, reject) => {
		const start = performance.now();
		const child = spawn(process.execPath, args, {cwd: scratch, env: {...process.env, ...env}, stdio: ['ignore', 'ignore', 'pipe']});
		let stderr = '';
		child.stderr.on('data', chunk => {
			stderr += chunk;
		});
		let peak = 0;
		const timer = setInterval(() => {
			peak = Math.max(peak, tree(child.pid).reduce((sum, pid) => sum + rssOf(pid), 0));
		}, 5);
		child.on('exit', code => {
			clearInterval(timer);
			const ms = performance.now() - start;
			if (code !== 0 && code !== 1) {
				reject(new Error(`${args.join(' ')} exited ${code}: ${stderr}`));
				return;
			}

			resolve({ms, peak});
		});
	});
}

async function best(args, env) {
	const results = [];
	for (let run = 0; run < runs; run++) {
		results.push(await measure(args, env)); // eslint-disable-line no-await-in-loop
	}

	return {ms: Math.min(...results.map(result => result.ms)), peak: Math.min(...results.map(result => result.peak))};
}

const cache = {VIZTRACER_CACHE_DIR: path.join(scratch, 'cache')};
const traced = args => [cli, '-q', '--include-node-modules', '-o', path.join(scratch, 'trace.json'), '--', ...args];
// rings: the traced threads and processes of each case, each with its own ring (1,000,000 entries of 24 bytes by default).
const ringBytes = 1_000_000 * 24;
const cases = [
	{name: 'eslint --concurrency 2 src/', args: [eslint, '--concurrency', '2', 'src/'], rings: 3},
	{name: 'prettier --version and eslint --version as two children', args: ['both.mjs'], rings: 3},
	{name: 'prettier --version', args: [prettier, '--version'], rings: 1},
];
const rows = [];
for (const {name, args, rings} of cases) {
	await measure(traced(args), cache); // eslint-disable-line no-await-in-loop
	const untraced = await best(args); // eslint-disable-line no-await-in-loop
	const tracedRun = await best(traced(args), cache); // eslint-disable-line no-await-in-loop
	rows.push({name, untraced, traced: tracedRun, budget: (untraced.peak * 1.5) + (rings * ringBytes)});
}

// The child's own start-up, best of the runs, untraced and traced (the parent traced by the CLI, the child by the preload it passes on).
const childStartup = [];
for (const wrap of [args => args, traced]) {
	const times = [];
	for (let run = 0; run < runs; run++) {
		await measure(wrap(['child.mjs']), cache); // eslint-disable-line no-await-in-loop
		times.push(Number(fs.readFileSync(childTime, 'utf8')));
	}

	childStartup.push(Math.min(...times));
}

const mb = bytes => (bytes / 1024 / 1024).toFixed(0);
console.log(`Node ${process.version}, ${os.cpus().length} CPUs, load ${os.loadavg().map(load => load.toFixed(1)).join(' ')}; best of ${runs}, warm cache; peak RSS of the whole process tree\n`);
console.log('| case | untraced ms | traced ms | ratio | untraced peak RSS MB | traced peak RSS MB | ratio | target MB (1.5x + rings) |');
console.log('| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |');
for (const {name, untraced, traced: tracedRun, budget} of rows) {
	console.log(`| ${name} | ${untraced.ms.toFixed(0)} | ${tracedRun.ms.toFixed(0)} | ${(tracedRun.ms / untraced.ms).toFixed(2)}x | ${mb(untraced.peak)} | ${mb(tracedRun.peak)} | ${(tracedRun.peak / untraced.peak).toFixed(2)}x | ${mb(budget)} ${tracedRun.peak <= budget ? 'PASS' : 'FAIL'} |`);
}

const mainStartup = rows.find(row => row.name === 'prettier --version').traced.ms;
console.log(`\nprettier --version as a child, timed by its parent from spawn to exit: untraced ${childStartup[0].toFixed(0)} ms, traced ${childStartup[1].toFixed(0)} ms; traced as the main process (above) ${mainStartup.toFixed(0)} ms: the traced child is ${childStartup[1] <= mainStartup ? 'no slower (PASS)' : 'slower (FAIL)'}`);
