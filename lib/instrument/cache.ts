import {createHash, randomBytes} from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

/** The default cache directory: `node_modules/.cache/viztracer` where there is a node_modules, else the OS temp directory. */
export function defaultCacheDir(cwd: string): string {
	const nodeModules = path.join(cwd, 'node_modules');
	return fs.existsSync(nodeModules) ? path.join(nodeModules, '.cache', 'viztracer') : path.join(os.tmpdir(), 'viztracer-cache');
}

/**
 * A disk cache of instrumented sources, keyed by a hash of everything the
 * output depends on, so a second run skips parsing unchanged files. A cache
 * that cannot be read or written is skipped, never fatal.
 */
export class TransformCache {
	readonly #dir: string;

	constructor(dir: string) {
		this.#dir = dir;
	}

	static key(...parts: string[]): string {
		const hash = createHash('sha256');
		for (const part of parts) {
			hash.update(part).update('\0');
		}

		return hash.digest('hex').slice(0, 40);
	}

	#file(key: string): string {
		return path.join(this.#dir, key.slice(0, 2), `${key}.js`);
	}

	get(key: string): string | undefined {
		try {
			return fs.readFileSync(this.#file(key), 'utf8');
		} catch {
			return undefined;
		}
	}

	set(key: string, code: string): void {
		const file = this.#file(key);
		const temporary = `${file}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`;
		try {
			fs.mkdirSync(path.dirname(file), {recursive: true});
			fs.writeFileSync(temporary, code);
			// Rename is atomic: concurrent processes never read half an entry.
			fs.renameSync(temporary, file);
		} catch {
			try {
				fs.rmSync(temporary, {force: true});
			} catch {}
		}
	}
}
