import fs from 'node:fs';
import path from 'node:path';

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

	const missing: string[] = [];
	let directory = path.dirname(target);
	for (;;) {
		let stats: fs.Stats | undefined;
		try {
			stats = fs.statSync(directory);
		} catch {}

		if (stats) {
			if (!stats.isDirectory()) {
				return `${directory} is not a directory`;
			}

			break;
		}

		missing.unshift(directory);
		const parent = path.dirname(directory);
		if (parent === directory) {
			break;
		}

		directory = parent;
	}

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
