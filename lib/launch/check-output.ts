import fs from 'node:fs';
import path from 'node:path';
import {missingDirectories} from '../trace-file/make-directories.js';

const reason = (error: unknown) => error instanceof Error ? error.message : String(error);

/**
 * Makes sure a trace can be written to `file` before the program runs, so a
 * bad output path fails at once rather than after the run. Creates missing
 * directories one level at a time (a recursive mkdir never returns for some
 * paths, such as under /proc), then creates and removes a probe file there.
 * Returns what is wrong, or undefined.
 */
export function outputProblem(file: string): string | undefined {
	const target = path.resolve(file);
	try {
		if (fs.statSync(target).isDirectory()) {
			return `${target} is a directory`;
		}
	} catch {}

	const missing = missingDirectories(path.dirname(target));
	// The deepest directory that exists must be one.
	const existing = missing.length > 0 ? path.dirname(missing[0]!) : path.dirname(target);
	try {
		if (!fs.statSync(existing).isDirectory()) {
			return `${existing} is not a directory`;
		}
	} catch {}

	for (const created of missing) {
		try {
			fs.mkdirSync(created);
		} catch (error) {
			return `cannot create the directory ${created}: ${reason(error)}`;
		}
	}

	const probe = path.join(path.dirname(target), `.viztracer-probe-${process.pid}`);
	try {
		fs.closeSync(fs.openSync(probe, 'wx'));
		fs.rmSync(probe, {force: true});
	} catch (error) {
		return `cannot write in ${path.dirname(target)}: ${reason(error)}`;
	}

	return undefined;
}
