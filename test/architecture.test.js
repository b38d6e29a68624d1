// The rooms of lib/ and the direction of their imports (README, "Development"):
// a room imports only the rooms listed for it, no file imports itself back
// through others, and lib/ holds nothing at its top level but index.ts.
import fs from 'node:fs';
import path from 'node:path';
import test from 'ava';
import {rootDir} from './helpers/exec.js';

const libDir = path.join(rootDir, 'lib');

// Each room and the rooms it may import, top to bottom.
const allowed = {
	bin: ['cli'],
	cli: ['launch', 'multiprocess', 'instrument', 'events', 'tracer', 'viewer', 'stats', 'plugins', 'trace-file', 'core'],
	integrations: ['launch', 'multiprocess', 'instrument', 'events', 'tracer', 'trace-file', 'core'],
	multiprocess: ['launch', 'tracer', 'trace-file', 'core'],
	launch: ['instrument', 'tracer', 'trace-file', 'core'],
	events: ['instrument', 'tracer', 'trace-file', 'core'],
	instrument: ['tracer', 'trace-file', 'core'],
	tracer: ['plugins', 'runtime', 'viewer', 'trace-file', 'core'],
	runtime: ['core'],
	plugins: ['otlp', 'trace-file', 'core'],
	otlp: ['trace-file', 'core'],
	viewer: ['timeline', 'stats', 'trace-file', 'core'],
	// The page (bundled for the browser) and the model it shares with viewer/: neither uses Node.
	'viewer-ui': ['timeline'],
	timeline: [],
	stats: ['trace-file', 'core'],
	'trace-file': ['core'],
	core: [],
};
// The only Node modules the core may use: it does no I/O.
const coreNodeModules = new Set(['node:perf_hooks', 'node:util', 'node:worker_threads']);

function sourceFiles(directory) {
	return fs.readdirSync(directory, {withFileTypes: true}).flatMap(entry => {
		const full = path.join(directory, entry.name);
		return entry.isDirectory() ? sourceFiles(full) : (entry.name.endsWith('.ts') ? [full] : []);
	});
}

const roomOf = file => path.relative(libDir, file).split(path.sep)[0];
const files = sourceFiles(libDir);
const imports = new Map(files.map(file => {
	const text = fs.readFileSync(file, 'utf8');
	const specifiers = [...text.matchAll(/^(?:import|export)\s[^;]*?from\s+'([^']+)'|^import\s+'([^']+)'|\bimport\(\s*'([^']+)'\s*\)/gm)].map(match => match[1] ?? match[2] ?? match[3]);
	return [file, specifiers];
}));
const localImports = file => imports.get(file)
	// Assets the page's bundler inlines (its stylesheet) are not modules.
	.filter(specifier => specifier.startsWith('.') && !specifier.endsWith('.css'))
	.map(specifier => path.resolve(path.dirname(file), specifier).replace(/\.js$/, '.ts'));

test('lib/ holds only index.ts at its top level; every other file is in a room', t => {
	const top = fs.readdirSync(libDir, {withFileTypes: true}).filter(entry => !entry.isDirectory()).map(entry => entry.name);
	t.deepEqual(top, ['index.ts']);
	const rooms = fs.readdirSync(libDir, {withFileTypes: true}).filter(entry => entry.isDirectory()).map(entry => entry.name).sort();
	t.deepEqual(rooms, Object.keys(allowed).sort());
});

test('each room imports only the rooms below it', t => {
	const wrong = [];
	for (const file of files) {
		const from = roomOf(file);
		if (from === 'index.ts') {
			continue;
		}

		for (const target of localImports(file)) {
			t.true(fs.existsSync(target), `${path.relative(libDir, file)} imports ${path.relative(libDir, target)}, which does not exist`);
			const to = roomOf(target);
			if (to !== from && !allowed[from].includes(to)) {
				wrong.push(`${path.relative(libDir, file)} -> ${path.relative(libDir, target)}`);
			}
		}
	}

	t.deepEqual(wrong, []);
});

test('index.ts only re-exports, and nothing but bin/ imports cli/', t => {
	const index = fs.readFileSync(path.join(libDir, 'index.ts'), 'utf8');
	const statements = index.split(/;\s*\n/).map(statement => statement.trim()).filter(Boolean);
	t.true(statements.every(statement => statement.startsWith('export ') && statement.includes(' from ')), 'every statement is `export … from`');
	const intoCli = files.filter(file => roomOf(file) !== 'bin' && roomOf(file) !== 'cli' && localImports(file).some(target => roomOf(target) === 'cli'));
	t.deepEqual(intoCli, []);
});

test('the core uses no Node module beyond perf_hooks, util and worker_threads', t => {
	const used = files.filter(file => roomOf(file) === 'core').flatMap(file => imports.get(file).filter(specifier => !specifier.startsWith('.')).map(specifier => `${path.basename(file)}: ${specifier}`));
	t.deepEqual(used.filter(entry => !coreNodeModules.has(entry.split(': ')[1])), []);
});

test('timeline/ and viewer-ui/ run in the browser: they import no Node module and no package', t => {
	const used = files.filter(file => roomOf(file) === 'timeline' || roomOf(file) === 'viewer-ui')
		.flatMap(file => imports.get(file).filter(specifier => !specifier.startsWith('.')).map(specifier => `${path.relative(libDir, file)}: ${specifier}`));
	t.deepEqual(used, []);
});

test('no import cycles between files', t => {
	const cycles = [];
	const state = new Map();
	const stack = [];
	const visit = file => {
		state.set(file, 'open');
		stack.push(file);
		for (const target of localImports(file)) {
			if (state.get(target) === 'open') {
				cycles.push(stack.slice(stack.indexOf(target)).concat(target).map(entry => path.relative(libDir, entry)).join(' -> '));
			} else if (!state.has(target)) {
				visit(target);
			}
		}

		stack.pop();
		state.set(file, 'done');
	};

	for (const file of files) {
		if (!state.has(file)) {
			visit(file);
		}
	}

	t.deepEqual(cycles, []);
});
