import fs from 'node:fs';
import {createRequire} from 'node:module';
import path from 'node:path';

const require = createRequire(import.meta.url);

export type FoundScript = {file: string} | {error: string; code: 1 | 2};

/**
 * Checks that `node <given>` would find a script to run, as Node resolves its
 * main module (`app` finds app.js, a directory its package.json "main" or
 * index.js), so the program is not started only to fail. Returns the
 * absolute path to hand to Node, or what to tell the user and the exit code.
 */
export function findScript(given: string, cwd: string): FoundScript {
	const file = path.resolve(cwd, given);
	try {
		require.resolve(file);
		return {file};
	} catch {}

	// Only reachable after `--`, which a `--plugins` list may have been ended with.
	if (given.startsWith('-')) {
		return {code: 2, error: `cannot find the script ${given}: it comes after --, so it was taken as the script; viztracer's options go before --plugins (or anywhere before the --): viztracer [options] --plugins <spec...> -- script.js [args...]`};
	}

	let isDirectory = false;
	try {
		isDirectory = fs.statSync(file).isDirectory();
	} catch {}

	if (isDirectory) {
		return {code: 1, error: `${given} is a directory, not a script (it has no package.json "main" or index.js to run); give the script's file`};
	}

	return {code: 1, error: `cannot find the script ${given} (looked for ${file})`};
}
