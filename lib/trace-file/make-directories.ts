import fs from 'node:fs';
import fsp from 'node:fs/promises';
import path from 'node:path';

// Node's recursive mkdir never returns for some paths (a missing directory
// under /proc, on Linux: it retries forever), so missing directories are made
// one level at a time, from the deepest one that exists.

/** The missing directories of `directory` (itself included), outermost first. */
export function missingDirectories(directory: string): string[] {
	const missing: string[] = [];
	for (let current = path.resolve(directory); ; current = path.dirname(current)) {
		if (fs.existsSync(current)) {
			break;
		}

		missing.unshift(current);
		if (path.dirname(current) === current) {
			break;
		}
	}

	return missing;
}

/** `mkdir -p directory`, without the hang: each missing level in turn (`mode` for those it makes). */
export function makeDirectoriesSync(directory: string, mode?: number): void {
	for (const created of missingDirectories(directory)) {
		try {
			fs.mkdirSync(created, mode === undefined ? undefined : {mode});
		} catch (error) {
			if ((error as NodeJS.ErrnoException).code !== 'EEXIST') {
				throw error;
			}
		}
	}
}

/** {@link makeDirectoriesSync}, asynchronously. */
export async function makeDirectories(directory: string, mode?: number): Promise<void> {
	// Finding what is missing takes a few stat calls: done as the sync version does.
	for (const created of missingDirectories(directory)) {
		try {
			// eslint-disable-next-line no-await-in-loop
			await fsp.mkdir(created, mode === undefined ? undefined : {mode});
		} catch (error) {
			if ((error as NodeJS.ErrnoException).code !== 'EEXIST') {
				throw error;
			}
		}
	}
}
