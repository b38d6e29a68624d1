import fs from 'node:fs';
import path from 'node:path';

// What `--run vitest` and `--run jest` share: the runner gets a config file
// of this run's own, in place of the project's, which it loads. It goes
// under the project's node_modules/.cache: runners resolve a config's bare
// imports from where the file lives, and there the project's packages are
// found as from the project's own config.

/** Where `--name value` / `--name=value` (or a short form) is in `args`, before any `--`. */
export type FoundOption = {value: string; index: number; width: number};

export function optionIn(args: readonly string[], names: readonly string[]): FoundOption | undefined {
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

export type RunConfig = {args: string[]; configFile: string; remove(): void};

/** Writes `text` as this run's config for `runner` and gives the runner's arguments with `--config` pointing at it (any `--config` of the user's taken out). */
export function writeRunConfig(runner: string, cwd: string, extension: string, text: string, args: readonly string[], replaced: FoundOption | undefined): RunConfig {
	const directory = path.join(cwd, 'node_modules', '.cache', `viztracer-${runner}`);
	fs.mkdirSync(directory, {recursive: true});
	const configFile = path.join(directory, `${runner}.config.${process.pid}${extension}`);
	fs.writeFileSync(configFile, text, {flag: 'wx', mode: 0o600});
	const rest = replaced === undefined ? [...args] : [...args.slice(0, replaced.index), ...args.slice(replaced.index + replaced.width)];
	// Before any `--`: what follows it is not the runner's to parse.
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
