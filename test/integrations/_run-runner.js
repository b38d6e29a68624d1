// What the `viztracer --run vitest` and `--run jest` tests share: the
// runner's bin linked into a fixture project's node_modules/.bin (where
// --run looks for it), then run there untraced and under the CLI.
import fs from 'node:fs';
import path from 'node:path';
import {cliPath} from '../helpers/exec.js';
import {run} from '../instrument/_helpers.js';

/** Links `cli` as the bin `name`, runs it with `args` untraced, then as `viztracer -o run.json --run name ...args`. */
export async function runUntracedAndUnderRun(directory, name, cli, args) {
	fs.mkdirSync(path.join(directory, 'node_modules', '.bin'), {recursive: true});
	fs.symlinkSync(cli, path.join(directory, 'node_modules', '.bin', name));
	const options = {cwd: directory, env: {CI: '1', NO_COLOR: '1'}, timeout: 120_000};
	const untraced = await run(process.execPath, [cli, ...args], options);
	const output = path.join(directory, 'run.json');
	const traced = await run(process.execPath, [cliPath, '-o', output, '--run', name, ...args], options);
	return {untraced, traced, output, options};
}
