import fs from 'node:fs';
import path from 'node:path';
import {distUrl} from '../core/dist-url.js';
import type {InstrumentOptions} from '../instrument/config.js';

// `viztracer --run vitest …`: vitest evaluates test files through Vite's
// module runner, which Node's module hooks never see, so the tests can only
// be instrumented from inside Vite. The run gets a config of its own that
// loads the project's config and adds viztracer's Vite plugin in its
// whole-run mode (no tracer per test: the tests' calls go to the trace of
// the worker or fork that runs them, merged into this run's trace like any
// child's). Vitest bundles a config file with its imports, resolving bare
// imports from where the file lives, so the file goes under the project's
// node_modules, where the project's own config would find its packages too.

// Vitest's own search: these names, in this order, in the root.
const configNames = ['vitest.config', 'vite.config'];
const configExtensions = ['.ts', '.mts', '.cts', '.js', '.mjs', '.cjs'];

export type VitestRun = {args: string[]; configFile: string; remove(): void};

/** The value of `--name value` / `--name=value` (or its short form) in `args`, with where it is. */
function optionIn(args: readonly string[], names: readonly string[]): {value: string; index: number; width: number} | undefined {
	for (const [index, argument] of args.entries()) {
		if (argument === '--') {
			return undefined;
		}

		for (const name of names) {
			if (argument === name && index + 1 < args.length) {
				return {value: args[index + 1]!, index, width: 2};
			}

			if (argument.startsWith(`${name}=`)) {
				return {value: argument.slice(name.length + 1), index, width: 1};
			}
		}
	}

	return undefined;
}

function projectConfig(args: readonly string[], cwd: string): {file: string | undefined; option: ReturnType<typeof optionIn>} {
	const option = optionIn(args, ['--config', '-c']);
	if (option !== undefined) {
		return {file: path.resolve(cwd, option.value), option};
	}

	const root = path.resolve(cwd, optionIn(args, ['--root', '-r'])?.value ?? '.');
	for (const name of configNames) {
		for (const extension of configExtensions) {
			const file = path.join(root, `${name}${extension}`);
			if (fs.existsSync(file)) {
				return {file, option};
			}
		}
	}

	return {file: undefined, option};
}

/**
 * Writes the run's config and returns vitest's arguments pointing at it, or
 * an error line when the project's config named on the command line is not
 * there (vitest would say so too, after viztracer had started).
 */
export function vitestRun(args: readonly string[], cwd: string, options: Omit<InstrumentOptions, 'cacheDir' | 'cwd'>): VitestRun | {error: string} {
	const {file, option} = projectConfig(args, cwd);
	if (option !== undefined && (file === undefined || !fs.existsSync(file))) {
		return {error: `--run vitest: no vitest config at ${option.value} (from --config)`};
	}

	const directory = path.join(cwd, 'node_modules', '.cache', 'viztracer-vitest');
	fs.mkdirSync(directory, {recursive: true});
	const configFile = path.join(directory, `vitest.config.${process.pid}.mjs`);
	const plugin = distUrl('integrations/vitest.js', import.meta.url).href;
	const lines = [
		'// Written by `viztracer --run vitest` for this run, and removed when it ends.',
		...(file === undefined ? ['const project = {};'] : [`import project from ${JSON.stringify(file)};`]),
		// A variable, so the bundler vitest runs on config files leaves the plugin to be loaded from viztracer's own files.
		`const pluginUrl = ${JSON.stringify(plugin)};`,
		'const {default: viztracer} = await import(pluginUrl);',
		'const hasViztracer = plugins => (plugins ?? []).flat(Infinity).some(plugin => plugin?.name === \'viztracer\');',
		'export default async environment => {',
		'\tconst config = (await (typeof project === \'function\' ? project(environment) : project)) ?? {};',
		`\treturn hasViztracer(config.plugins) ? config : {...config, plugins: [...(config.plugins ?? []), viztracer({...${JSON.stringify(options)}, perTest: false})]};`,
		'};',
		'',
	];
	fs.writeFileSync(configFile, lines.join('\n'), {flag: 'wx', mode: 0o600});
	const rest = option === undefined ? [...args] : [...args.slice(0, option.index), ...args.slice(option.index + option.width)];
	// Before any `--`: what follows it is not vitest's to parse.
	const end = rest.indexOf('--');
	const at = end === -1 ? rest.length : end;
	return {
		args: [...rest.slice(0, at), '--config', configFile, ...rest.slice(at)],
		configFile,
		remove() {
			try {
				fs.rmSync(configFile, {force: true});
			} catch {}
		},
	};
}
