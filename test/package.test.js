// The packed package, installed as a user gets it: every documented entry
// point resolves through the exports map to a file the tarball holds, with
// its types, and works from outside the repository.
import {execFileSync} from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import {pathToFileURL} from 'node:url';
import test from 'ava';
import {rootDir, run, temporaryDirectory} from './helpers/exec.js';

const packageJson = JSON.parse(fs.readFileSync(path.join(rootDir, 'package.json'), 'utf8'));

// The public names of `import … from 'viztracer'`: a contract with users' code.
const mainExports = [
	'ErrorCode', 'TypeScriptSyntaxError', 'VizCounter', 'VizObject', 'VizPluginBase', 'VizPluginError', 'VizTracer', 'VizTracerArgumentError', 'VizTracerAttachError',
	'VizTracerInvalidPluginError', 'VizTracerInvalidTraceError', 'VizTracerOptionError', 'VizTracerOptionRangeError',
	'VizTracerSaveError', 'VizTracerStateError', 'VizTracerTraceNotFoundError', 'VizTracerTraceTooLargeError', 'VizTracerTraceUnreadableError',
	'VizTracerUnwritableTraceError', 'VizViewerPortInUseError', 'computeTraceStats', 'defaultOptions', 'getTracer',
	'ignoreFunction', 'instrument', 'loadPlugin', 'logSparse', 'trace', 'traceAndSave', 'version',
];
const bundledPlugins = {
	'cpu-usage': 'CpuUsagePlugin',
	'event-loop-delay': 'EventLoopDelayPlugin',
	'memory-usage': 'MemoryUsagePlugin',
	otlp: 'OtlpPlugin',
};
const preloads = ['register', 'hooks', 'node-test', 'ava'];

/** Packs the package and unpacks it into a fresh project's node_modules, its dependencies linked from ours. */
function installPacked() {
	const project = temporaryDirectory('viztracer-packed-');
	const packed = JSON.parse(execFileSync('npm', ['pack', '--ignore-scripts', '--json', '--pack-destination', project], {cwd: rootDir, encoding: 'utf8'}));
	const installed = path.join(project, 'node_modules', 'viztracer');
	fs.mkdirSync(installed, {recursive: true});
	execFileSync('tar', ['-xzf', path.join(project, packed[0].filename), '-C', installed, '--strip-components=1']);
	for (const dependency of [...Object.keys(packageJson.dependencies), '@opentelemetry/api', 'ava']) {
		const link = path.join(project, 'node_modules', dependency);
		fs.mkdirSync(path.dirname(link), {recursive: true});
		fs.symlinkSync(path.join(rootDir, 'node_modules', dependency), link);
	}

	return {project, installed, files: packed[0].files.map(file => file.path)};
}

const packed = installPacked();

test('the tarball holds dist/, the README and package.json, and no sources or tests', t => {
	t.true(packed.files.includes('package.json'));
	t.true(packed.files.includes('README.md'));
	t.true(packed.files.includes('dist/index.js'));
	t.deepEqual(packed.files.filter(file => file.startsWith('lib/') || file.startsWith('test/')), []);
});

test('every entry point of the exports map resolves to a file in the tarball, with its types', t => {
	for (const [key, target] of Object.entries(packageJson.exports)) {
		if (typeof target === 'string') {
			t.true(fs.existsSync(path.join(packed.installed, target)), `${key} → ${target}`);
			continue;
		}

		const concrete = key.includes('*') ? Object.keys(bundledPlugins) : [undefined];
		for (const name of concrete) {
			for (const file of [target.default, target.types]) {
				const resolved = name === undefined ? file : file.replace('*', name);
				t.true(fs.existsSync(path.join(packed.installed, resolved)), `${key} → ${resolved}`);
			}
		}
	}

	t.deepEqual(Object.keys(packageJson.exports).sort(), ['.', './ava', './hooks', './jest', './node-test', './package.json', './plugins/*', './register', './vitest'].sort());
});

test('viztracer and viztracer/plugins/* import from an installed copy with their public names', async t => {
	const script = path.join(packed.project, 'names.mjs');
	fs.writeFileSync(script, `
const main = await import('viztracer');
const plugins = {};
for (const name of ${JSON.stringify(Object.keys(bundledPlugins))}) plugins[name] = Object.keys(await import('viztracer/plugins/' + name));
const preloads = {};
for (const name of ${JSON.stringify(preloads)}) preloads[name] = import.meta.resolve('viztracer/' + name);
console.log(JSON.stringify({main: Object.keys(main).sort(), plugins, preloads}));
`);
	const result = await run(process.execPath, [script], {cwd: packed.project});
	t.is(result.code, 0, result.stderr);
	const names = JSON.parse(result.stdout);
	t.deepEqual(names.main, mainExports);
	for (const [name, className] of Object.entries(bundledPlugins)) {
		t.true(names.plugins[name].includes(className), name);
		t.true(names.plugins[name].includes('getVizplugin'), name);
	}

	for (const name of preloads) {
		t.true(names.preloads[name].startsWith(`${pathToFileURL(packed.installed).href}/dist/`), `${name}: ${names.preloads[name]}`);
	}
});

test('node --import viztracer/register traces a script with the installed copy', async t => {
	const script = path.join(packed.project, 'app.mjs');
	fs.writeFileSync(script, 'function work(n) { return n < 2 ? n : work(n - 1) + work(n - 2); }\nconsole.log(work(10));\n');
	const output = path.join(packed.project, 'register.json');
	const result = await run(process.execPath, ['--import', 'viztracer/register', script], {cwd: packed.project, env: {...process.env, VIZTRACER_OUTPUT_FILE: output}});
	t.is(result.code, 0, result.stderr);
	t.is(result.stdout, '55\n');
	const trace = JSON.parse(fs.readFileSync(output, 'utf8'));
	t.true(trace.traceEvents.filter(event => event.ph === 'X' && event.name.startsWith('work ')).length >= 177);
});

test('the viztracer and vizviewer bins of the installed copy run', async t => {
	for (const [name, bin] of Object.entries(packageJson.bin)) {
		// eslint-disable-next-line no-await-in-loop
		const result = await run(process.execPath, [path.join(packed.installed, bin), '--version'], {cwd: packed.project});
		t.is(result.code, 0, `${name}: ${result.stderr}`);
		t.is(result.stdout.trim(), packageJson.version, name);
	}
});
