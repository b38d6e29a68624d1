import path from 'node:path';
import {distUrl} from '../core/dist-url.js';
import type {InstrumentOptions} from '../instrument/config.js';
import {optionIn, writeRunConfig, type RunConfig} from './runner-config.js';

// `viztracer --run jest …`: jest evaluates test files in vm contexts of its
// own, out of reach of Node's module hooks, so the tests are instrumented
// by viztracer/jest's transformer wrapper. The run gets a config of its own
// that reads the project's (with jest's own reader, jest-config, so every
// format and the search jest does are as usual) and wraps it with
// `withViztracer(config, {perTest: false})`: the tests' calls go to the
// trace of the process that runs them (jest's workers are child processes,
// merged into this run's trace), with no trace per test.

/** The run's config and jest's arguments pointing at it. */
export function jestRun(args: readonly string[], cwd: string, jestBin: string, options: Omit<InstrumentOptions, 'cacheDir' | 'cwd'>): RunConfig {
	const option = optionIn(args, ['--config', '-c']);
	const integration = distUrl('integrations/jest.js', import.meta.url).href;
	const lines = [
		'// Written by `viztracer --run jest` for this run, and removed when it ends.',
		'const {createRequire} = require(\'node:module\');',
		'module.exports = async () => {',
		// jest-config is jest's own dependency: found from jest's CLI, as jest finds it.
		`\tconst fromJest = createRequire(${JSON.stringify(path.resolve(jestBin))});`,
		'\tlet fromCli = fromJest;',
		'\ttry {',
		'\t\tfromCli = createRequire(fromJest.resolve(\'jest-cli\'));',
		'\t} catch {}',
		'\tconst {readInitialOptions} = fromCli(\'jest-config\');',
		`\tconst {config} = await readInitialOptions(${option === undefined ? 'undefined' : JSON.stringify(option.value)}, {packageRootOrConfig: ${JSON.stringify(cwd)}});`,
		`\tconst {withViztracer} = await import(${JSON.stringify(integration)});`,
		`\treturn withViztracer(config, {...${JSON.stringify(options)}, perTest: false});`,
		'};',
		'',
	];
	return writeRunConfig('jest', cwd, '.cjs', lines.join('\n'), args, option);
}
