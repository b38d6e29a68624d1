import path from 'node:path';
import {coldPath} from './cold-path-loader.js';
import type {ResolvedInstrumentOptions} from './config.js';

const globCharacters = /[*?[\]{}!]/;

type Matcher = (file: string) => boolean;

/** A path matches a plain entry when it is that file or lies below that directory; a glob matches by picomatch. */
function matcherFor(entries: string[], cwd: string): Matcher {
	const prefixes: string[] = [];
	const globs: Matcher[] = [];
	for (const entry of entries) {
		if (globCharacters.test(entry)) {
			const isMatch = coldPath().picomatch(entry, {dot: true});
			globs.push(file => isMatch(file) || isMatch(path.relative(cwd, file)));
		} else {
			prefixes.push(path.resolve(cwd, entry));
		}
	}

	return file => prefixes.some(prefix => file === prefix || file.startsWith(prefix.endsWith(path.sep) ? prefix : prefix + path.sep)) || globs.some(isMatch => isMatch(file));
}

/** Whether an absolute path lies inside a `node_modules` folder (dependencies, left out by default). */
export const isInNodeModules = (file: string): boolean => file.split(path.sep).includes('node_modules');

/** Decides, per absolute file path, whether it is instrumented. */
export function createFileFilter(options: ResolvedInstrumentOptions): (file: string) => boolean {
	const included = options.includeFiles ? matcherFor(options.includeFiles, options.cwd) : undefined;
	const excluded = options.excludeFiles ? matcherFor(options.excludeFiles, options.cwd) : undefined;
	const selfPrefix = options.selfDir + path.sep;
	return file => {
		if (file.startsWith(selfPrefix)) {
			return false;
		}

		if (!options.includeNodeModules && isInNodeModules(file)) {
			return included?.(file) ?? false;
		}

		if (included && !included(file)) {
			return false;
		}

		return !excluded?.(file);
	};
}
