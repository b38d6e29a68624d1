import fs from 'node:fs';
import path from 'node:path';
import {VizTracerInvalidTraceError, VizTracerTraceNotFoundError} from '../errors.js';

export type ServedTrace = {
	/** The file's base name: the only part of it a URL ever names. */
	name: string;
	/** Absolute path. */
	file: string;
	size: number;
};

export const isTraceFileName = (name: string): boolean => /\.json(?:\.gz)?$/i.test(name);

function statTrace(file: string): ServedTrace | undefined {
	try {
		const stat = fs.statSync(file);
		return stat.isFile() ? {name: path.basename(file), file, size: stat.size} : undefined;
	} catch {
		return undefined;
	}
}

/**
 * The traces `vizviewer` may serve: one file, or the `.json`/`.json.gz` files
 * directly inside one directory. Requests are answered by exact lookup of a
 * base name in this list, never by joining a URL path to a directory, so no
 * URL can reach any other file (no `..`, no encoded slashes, no symlinked
 * subdirectories).
 */
export class TraceCatalog {
	/** Set when serving a directory (which is listed afresh on each request, so new traces show up). */
	readonly directory: string | undefined;
	readonly #single: ServedTrace | undefined;

	private constructor(directory: string | undefined, single: ServedTrace | undefined) {
		this.directory = directory;
		this.#single = single;
	}

	/** Throws {@link VizTracerTraceNotFoundError} when `target` does not exist. */
	static open(target: string): TraceCatalog {
		const absolute = path.resolve(target);
		let stat: fs.Stats;
		try {
			stat = fs.statSync(absolute);
		} catch (error) {
			throw new VizTracerTraceNotFoundError(target, error);
		}

		if (stat.isDirectory()) {
			return new TraceCatalog(absolute, undefined);
		}

		if (!stat.isFile()) {
			throw new VizTracerInvalidTraceError(target, 'it is neither a file nor a directory');
		}

		return new TraceCatalog(undefined, {name: path.basename(absolute), file: absolute, size: stat.size});
	}

	list(): ServedTrace[] {
		if (this.#single) {
			return [this.#single];
		}

		const traces: ServedTrace[] = [];
		for (const name of fs.readdirSync(this.directory!).sort()) {
			if (isTraceFileName(name)) {
				const trace = statTrace(path.join(this.directory!, name));
				if (trace) {
					traces.push(trace);
				}
			}
		}

		return traces;
	}

	find(name: string): ServedTrace | undefined {
		return this.list().find(trace => trace.name === name);
	}
}
