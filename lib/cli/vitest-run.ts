import fs from 'node:fs';
import path from 'node:path';
import {distUrl} from '../core/dist-url.js';
import type {InstrumentOptions} from '../instrument/config.js';
import {optionIn, writeRunConfig, type FoundOption, type RunConfig} from './runner-config.js';

// `viztracer --run vitest …`: vitest evaluates test files through Vite's
// module runner, which Node's module hooks never see, so the tests can only
// be instrumented from inside Vite. The run gets a config of its own that
// loads the project's config and adds viztracer's Vite plugin in its
// whole-run mode (no tracer per test: the tests' calls go to the trace of
// the worker or fork that runs them, merged into this run's trace like any
// child's).

// Vitest's own search: these names, in this order, in the root.
const configNames = ['vitest.config', 'vite.config'];
const configExtensions = ['.ts', '.mts', '.cts', '.js', '.mjs', '.cjs'];

function projectConfig(args: readonly string[], cwd: string): {file: string | undefined; option: FoundOption | undefined} {
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
export function vitestRun(args: readonly string[], cwd: string, options: Omit<InstrumentOptions, 'cacheDir' | 'cwd'>): RunConfig | {error: string} {
	const {file, option} = projectConfig(args, cwd);
	if (option !== undefined && (file === undefined || !fs.existsSync(file))) {
		return {error: `--run vitest: no vitest config at ${option.value} (from --config)`};
	}

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
	return writeRunConfig('vitest', cwd, '.mjs', lines.join('\n'), args, option);
}
