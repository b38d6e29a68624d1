import {createHash, randomBytes} from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import {makeDirectoriesSync} from '../trace-file/make-directories.js';
import path from 'node:path';

// The cache holds code that is run as the user running viztracer (often root
// in a container): whoever can write to it can run code as that user. So the
// folder must be this user's own and closed to others, and every entry is
// checked (owner, mode, integrity) before its code is used.

const ownerOnly = 0o700;
const entryMode = 0o600;
const groupOrOtherWritable = 0o022;
const warningCode = 'VIZTRACER_CACHE_UNSAFE';

// Opening with O_NOFOLLOW makes a planted symlink fail instead of being read
// through; O_NONBLOCK keeps a planted FIFO from blocking the open. Neither
// exists on Windows, where the checks below do not apply either.
const entryOpenFlags = fs.constants.O_RDONLY | (fs.constants.O_NOFOLLOW ?? 0) | (fs.constants.O_NONBLOCK ?? 0);

// Each entry starts with a line (a JavaScript comment, so an entry stays a
// readable file of code), then the value. The digest binds the value, as the
// bytes stored, to its key: an edited entry, or one copied in under another
// key, does not match.
// A value whose characters all fit in one byte (most code, with the
// transform's markers) is stored as Latin-1: it reads back with no UTF-8
// decoding, which takes an order of magnitude longer once a file holds any
// character above U+007F, and V8 keeps it as a one-byte string. Others are
// stored as UTF-8.
const utf8Header = '//viztracer-cache-entry sha256=';
const latin1Header = '//viztracer-cache-entry latin1 sha256=';
const digestLength = 64;
const newline = 0x0a;

const currentUid = (): number | undefined => process.getuid?.();

function isUsableHome(home: string): boolean {
	try {
		const stat = fs.statSync(home);
		const uid = currentUid();
		return stat.isDirectory() && (uid === undefined || stat.uid === uid);
	} catch {
		return false;
	}
}

/**
 * Where the cache goes unless `VIZTRACER_CACHE_DIR` says otherwise: the
 * project's `node_modules/.cache/viztracer` when the working directory has a
 * node_modules; else the user's cache directory (`$XDG_CACHE_HOME/viztracer`,
 * `~/.cache/viztracer`); else a folder of this user's in the OS temp
 * directory, never one shared by all users.
 */
export function defaultCacheDir(cwd: string, environment: NodeJS.ProcessEnv = process.env): string {
	const nodeModules = path.join(cwd, 'node_modules');
	if (fs.existsSync(nodeModules)) {
		return path.join(nodeModules, '.cache', 'viztracer');
	}

	// The XDG spec says to ignore a relative XDG_CACHE_HOME.
	const xdg = environment['XDG_CACHE_HOME'];
	if (xdg && path.isAbsolute(xdg)) {
		return path.join(xdg, 'viztracer');
	}

	const home = os.homedir();
	if (home && path.isAbsolute(home) && isUsableHome(home)) {
		return path.join(home, '.cache', 'viztracer');
	}

	return path.join(os.tmpdir(), `viztracer-cache-${currentUid() ?? safeUserName()}`);
}

function safeUserName(): string {
	try {
		return os.userInfo().username.replaceAll(/[^\w.-]/g, '_') || 'user';
	} catch {
		return 'user';
	}
}

/** Why `stat` may not be trusted: someone else owns it, or others may write to it. */
function trustProblem(stat: fs.Stats): string | undefined {
	const uid = currentUid();
	if (uid === undefined) {
		return undefined;
	}

	if (stat.uid !== uid) {
		return `is owned by uid ${stat.uid}, not by the current user (uid ${uid})`;
	}

	if ((stat.mode & groupOrOtherWritable) !== 0) {
		return `is writable by ${(stat.mode & 0o020) === 0 ? 'others' : 'its group'} (mode ${(stat.mode & 0o777).toString(8).padStart(3, '0')})`;
	}

	return undefined;
}

export type CacheDirCheck =
	| {usable: true; unsafe?: undefined}
	/** Not a directory, or it cannot be created: skipped quietly, as a full disk would be. */
	| {usable: false; unsafe?: undefined}
	/** A directory this user must not trust: skipped with a warning. */
	| {usable: false; unsafe: string};

/**
 * Creates the cache directory when it is missing (mode 0700; its parents
 * with the default mode) and says whether it may be used: it must be a
 * directory owned by the current user that no one else may write to. A
 * symlink to such a directory is accepted when the link is the user's (or
 * root's), so a link someone else planted in a shared folder is not.
 */
export function prepareCacheDir(dir: string): CacheDirCheck {
	let link: fs.Stats;
	try {
		link = fs.lstatSync(dir);
	} catch {
		try {
			makeDirectoriesSync(path.dirname(dir));
			// Not recursive: it fails if someone created the directory meanwhile, which is then checked below.
			fs.mkdirSync(dir, {mode: ownerOnly});
		} catch {}

		try {
			link = fs.lstatSync(dir);
		} catch {
			return {usable: false};
		}
	}

	let stat = link;
	if (link.isSymbolicLink()) {
		const uid = currentUid();
		if (uid !== undefined && link.uid !== uid && link.uid !== 0) {
			return {usable: false, unsafe: `${dir} is a symlink owned by uid ${link.uid}, not by the current user (uid ${uid})`};
		}

		try {
			stat = fs.statSync(dir);
		} catch {
			return {usable: false};
		}
	}

	if (!stat.isDirectory()) {
		return {usable: false};
	}

	const problem = trustProblem(stat);
	return problem === undefined ? {usable: true} : {usable: false, unsafe: `${dir} ${problem}`};
}

const directoryRefusal = (what: string) => `viztracer: the transform cache is not used in this run: ${what}. Cached code runs as you, so only a folder of yours that others cannot write to is trusted: make it so (chmod 700), or set VIZTRACER_CACHE_DIR to another.`;

const entryRefusal = (what: string) => `viztracer: a transform cache entry is not used (and is rewritten): ${what}. Cached code runs as you, so only your own files that others cannot write to are trusted.`;

/**
 * The cache directory to hand to the loader hooks, or `false` (after one
 * warning when it is unsafe) when the cache must not be used.
 */
export function usableCacheDir(dir: string, warn: (message: string) => void = defaultWarn): string | false {
	const check = prepareCacheDir(dir);
	if (check.usable) {
		return dir;
	}

	if (check.unsafe !== undefined) {
		warn(directoryRefusal(check.unsafe));
	}

	return false;
}

function defaultWarn(message: string): void {
	process.emitWarning(message, {code: warningCode});
}

const integrityOf = (key: string, value: Uint8Array): string => createHash('sha256').update('viztracer-cache-entry\0').update(key).update('\0').update(value).digest('hex');

// No character above U+00FF. V8's regular expressions answer at once for a one-byte string.
const fitsLatin1 = (value: string): boolean => !/[^\u0000-\u00ff]/.test(value);

/** The value an entry file holds, or undefined when it is not a whole entry of `key`. */
function parseEntry(bytes: Buffer, key: string): string | undefined {
	for (const [header, encoding] of [[utf8Header, 'utf8'], [latin1Header, 'latin1']] as const) {
		const valueStart = header.length + digestLength + 1;
		if (bytes.length < valueStart || bytes[valueStart - 1] !== newline || bytes.toString('latin1', 0, header.length) !== header) {
			continue;
		}

		const value = bytes.subarray(valueStart);
		return bytes.toString('latin1', header.length, valueStart - 1) === integrityOf(key, value) ? value.toString(encoding) : undefined;
	}

	return undefined;
}

export type TransformCacheOptions = {
	/** Told once when an entry or the directory is refused as unsafe. @default process.emitWarning */
	warn?: (message: string) => void;
};

/**
 * A disk cache of instrumented sources, keyed by a hash of everything the
 * output depends on, so a second run skips parsing unchanged files. A cache
 * that cannot be read or written is skipped, never fatal. An entry is used
 * only when it is a regular file of the current user that no one else may
 * write to, and its recorded digest matches its key and value; any other
 * entry is ignored (and replaced by the next `set`).
 */
/** What an entry holds: instrumented code, or its source map. */
export type EntryKind = 'js' | 'map';

export class TransformCache {
	readonly #dir: string;
	readonly #warn: (message: string) => void;
	#state: 'unchecked' | 'usable' | 'unusable' = 'unchecked';
	#warned = false;

	constructor(dir: string, options: TransformCacheOptions = {}) {
		this.#dir = dir;
		this.#warn = options.warn ?? defaultWarn;
	}

	static key(...parts: string[]): string {
		const hash = createHash('sha256');
		for (const part of parts) {
			hash.update(part).update('\0');
		}

		return hash.digest('hex').slice(0, 40);
	}

	#file(key: string, kind: EntryKind): string {
		return path.join(this.#dir, key.slice(0, 2), `${key}.${kind}`);
	}

	#refuse(message: string): void {
		if (!this.#warned) {
			this.#warned = true;
			this.#warn(message);
		}
	}

	#usable(): boolean {
		if (this.#state === 'unchecked') {
			const check = prepareCacheDir(this.#dir);
			this.#state = check.usable ? 'usable' : 'unusable';
			if (check.unsafe !== undefined) {
				this.#refuse(directoryRefusal(check.unsafe));
			}
		}

		return this.#state === 'usable';
	}

	/** The entry under `key`: instrumented code (`js`), or the source map kept beside it (`map`, see lazy-maps.ts). */
	get(key: string, kind: EntryKind = 'js'): string | undefined {
		if (!this.#usable()) {
			return undefined;
		}

		const file = this.#file(key, kind);
		let fd: number;
		try {
			fd = fs.openSync(file, entryOpenFlags);
		} catch (error) {
			if ((error as NodeJS.ErrnoException).code === 'ELOOP') {
				this.#refuse(entryRefusal(`${file} is a symlink`));
			}

			return undefined;
		}

		try {
			// Checked on the open descriptor: what is read is what was checked.
			const stat = fs.fstatSync(fd);
			if (!stat.isFile()) {
				this.#refuse(entryRefusal(`${file} is not a regular file`));
				return undefined;
			}

			const problem = trustProblem(stat);
			if (problem !== undefined) {
				this.#refuse(entryRefusal(`${file} ${problem}`));
				return undefined;
			}

			return parseEntry(fs.readFileSync(fd), kind === 'js' ? key : `${key}.${kind}`);
		} catch {
			return undefined;
		} finally {
			fs.closeSync(fd);
		}
	}

	/** Stores `value` under `key`; returns whether it was written. */
	set(key: string, value: string, kind: EntryKind = 'js'): boolean {
		if (!this.#usable()) {
			return false;
		}

		const file = this.#file(key, kind);
		const temporary = `${file}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`;
		try {
			makeDirectoriesSync(path.dirname(file), ownerOnly);
			// `wx`: never write through something already at the temporary name.
			const latin1 = fitsLatin1(value);
			const bytes = Buffer.from(value, latin1 ? 'latin1' : 'utf8');
			const header = `${latin1 ? latin1Header : utf8Header}${integrityOf(kind === 'js' ? key : `${key}.${kind}`, bytes)}\n`;
			const fd = fs.openSync(temporary, 'wx', entryMode);
			try {
				// Two writes rather than one of a joined copy: an entry can be over 10 MB.
				writeAll(fd, Buffer.from(header, 'latin1'));
				writeAll(fd, bytes);
			} finally {
				fs.closeSync(fd);
			}

			// Rename is atomic: concurrent processes never read half an entry.
			fs.renameSync(temporary, file);
			return true;
		} catch {
			try {
				fs.rmSync(temporary, {force: true});
			} catch {}

			return false;
		}
	}
}

/** Writes all of `bytes` at the file's current position (a write may take less than it is given). */
function writeAll(fd: number, bytes: Uint8Array): void {
	for (let written = 0; written < bytes.length;) {
		written += fs.writeSync(fd, bytes, written, bytes.length - written);
	}
}
