import fs from 'node:fs';
import path from 'node:path';
import {VizTracerInvalidTraceError} from '../core/errors.js';
import {checkTraceContent, openError} from './trace-check.js';

export type ServedTrace = {
	/** The file's base name: the only part of it a URL ever names. */
	name: string;
	/** Absolute path, as given (names derived from it follow it). */
	file: string;
	/** The path as the user typed it, for messages. */
	label: string;
	/** The path with every symlink resolved: what is read. */
	realFile: string;
	size: number;
};

export type OpenedTrace = {fd: number; size: number};

export const isTraceFileName = (name: string): boolean => /\.json(?:\.gz)?$|\.vizt$/i.test(name);

// O_NOFOLLOW: a symlink put in place of the resolved path after the check is
// not followed; O_NONBLOCK: a FIFO there does not hang the server.
const openFlags = fs.constants.O_RDONLY | (fs.constants.O_NOFOLLOW ?? 0) | (fs.constants.O_NONBLOCK ?? 0);

/** Whether `real` (a resolved path) lies below the resolved directory `root`. */
function isInside(root: string, real: string): boolean {
	const relative = path.relative(root, real);
	return relative !== '' && relative !== '..' && !relative.startsWith(`..${path.sep}`) && !path.isAbsolute(relative);
}

type Checked = {identity: string; error: Error | undefined};

const identityOf = (stat: fs.BigIntStats): string => `${stat.dev}:${stat.ino}:${stat.size}:${stat.mtimeNs}`;

/**
 * The traces `vizviewer` may serve: one file, or the `.json`/`.json.gz`/`.vizt` files
 * directly inside one directory. Requests are answered by exact lookup of a
 * base name, never by joining a URL path to a directory, so no URL can reach
 * any other file (no `..`, no encoded slashes). Symlinks are resolved: a
 * directory's entry is served only when its real path is a regular trace file
 * inside the directory's real path, so a link to `/etc/passwd`, to a folder
 * or to a trace elsewhere is not. A trace is read through before it is
 * first served, and again whenever it changes, so only whole traces are.
 */
export class TraceCatalog {
	/** Set when serving a directory (which is listed afresh on each request, so new traces show up). */
	readonly directory: string | undefined;
	readonly #realDirectory: string | undefined;
	readonly #target: string;
	readonly #single: ServedTrace | undefined;
	readonly #checked = new Map<string, Checked>();

	private constructor(directory: string | undefined, realDirectory: string | undefined, target: string, single: ServedTrace | undefined) {
		this.directory = directory;
		this.#realDirectory = realDirectory;
		this.#target = target;
		this.#single = single;
	}

	/**
	 * Throws `VizTracerTraceNotFoundError` when `target` does not exist,
	 * `VizTracerTraceUnreadableError` when it cannot be read, and
	 * `VizTracerInvalidTraceError` when it is neither a file nor a directory.
	 */
	static open(target: string): TraceCatalog {
		const absolute = path.resolve(target);
		let real: string;
		let stat: fs.Stats;
		try {
			real = fs.realpathSync(absolute);
			stat = fs.statSync(real);
		} catch (error) {
			throw openError(target, error);
		}

		if (stat.isDirectory()) {
			try {
				fs.readdirSync(real);
			} catch (error) {
				throw openError(target, error);
			}

			return new TraceCatalog(absolute, real, target, undefined);
		}

		if (!stat.isFile()) {
			throw new VizTracerInvalidTraceError(target, 'it is neither a file nor a directory');
		}

		return new TraceCatalog(undefined, undefined, target, {name: path.basename(absolute), file: absolute, label: target, realFile: real, size: stat.size});
	}

	list(): ServedTrace[] {
		if (this.#single) {
			return [this.#single];
		}

		let names: string[];
		try {
			names = fs.readdirSync(this.#realDirectory!).sort();
		} catch {
			return [];
		}

		return names.map(name => this.#entry(name)).filter((trace): trace is ServedTrace => trace !== undefined);
	}

	find(name: string): ServedTrace | undefined {
		if (this.#single) {
			return name === this.#single.name ? this.#single : undefined;
		}

		return name.includes('/') || name.includes('\\') || name.includes('\0') ? undefined : this.#entry(name);
	}

	/** The directory's entry `name`, when it is a trace file that may be served. */
	#entry(name: string): ServedTrace | undefined {
		if (!isTraceFileName(name)) {
			return undefined;
		}

		const file = path.join(this.directory!, name);
		try {
			const real = fs.realpathSync(path.join(this.#realDirectory!, name));
			if (!isInside(this.#realDirectory!, real) || !isTraceFileName(path.basename(real))) {
				return undefined;
			}

			const stat = fs.statSync(real);
			return stat.isFile() ? {name, file, label: path.join(this.#target, name), realFile: real, size: stat.size} : undefined;
		} catch {
			return undefined;
		}
	}

	/**
	 * Throws, as `readCheckedTraceEvents` does, unless `trace` holds a whole
	 * trace; remembered until the file changes.
	 */
	async check(trace: ServedTrace): Promise<void> {
		let stat: fs.BigIntStats;
		try {
			stat = fs.statSync(trace.realFile, {bigint: true});
		} catch (error) {
			throw openError(trace.label, error);
		}

		await this.#check(trace, identityOf(stat));
	}

	async #check(trace: ServedTrace, identity: string): Promise<void> {
		let checked = this.#checked.get(trace.realFile);
		if (checked?.identity !== identity) {
			let error: Error | undefined;
			try {
				await checkTraceContent(trace.realFile, trace.label);
			} catch (caught) {
				error = caught as Error;
			}

			checked = {identity, error};
			this.#checked.set(trace.realFile, checked);
		}

		if (checked.error) {
			throw checked.error;
		}
	}

	/**
	 * Opens `trace` for sending: its resolved path, not following a symlink
	 * put there since, and only when it is (still) a regular file holding a
	 * whole trace. The caller closes the descriptor.
	 */
	async open(trace: ServedTrace): Promise<OpenedTrace> {
		let fd: number;
		try {
			fd = fs.openSync(trace.realFile, openFlags);
		} catch (error) {
			throw openError(trace.label, error);
		}

		try {
			const stat = fs.fstatSync(fd, {bigint: true});
			if (!stat.isFile()) {
				throw new VizTracerInvalidTraceError(trace.label, 'it is not a regular file');
			}

			await this.#check(trace, identityOf(stat));
			return {fd, size: Number(stat.size)};
		} catch (error) {
			fs.closeSync(fd);
			throw openError(trace.label, error);
		}
	}
}
