import path from 'node:path';

// Long enough to tell tests apart, short enough for every file system's 255-byte limit with a suffix.
const maxBaseLength = 180;

/** Runs of characters that are unsafe or awkward in file names become one `-`. */
export function sanitizeFileName(text: string): string {
	return text.replaceAll(/[^\w.-]+/g, '-').replaceAll(/^[-.]+|-+$/g, '');
}

/**
 * Names the trace files of one process's tests: `<test file>--<full title>.json`,
 * sanitised, with `-2`, `-3`… for titles that sanitise to the same name.
 */
export class TraceFileNamer {
	readonly #taken = new Set<string>();
	readonly #cwd: string;

	constructor(cwd: string = process.cwd()) {
		this.#cwd = cwd;
	}

	name(file: string, titles: readonly string[]): string {
		const relative = file === '' ? 'test' : path.relative(this.#cwd, file);
		const base = [sanitizeFileName(relative) || 'test', sanitizeFileName(titles.join(' > ')) || 'untitled'].join('--').slice(0, maxBaseLength);
		let name = `${base}.json`;
		for (let copy = 2; this.#taken.has(name.toLowerCase()); copy++) {
			name = `${base}-${copy}.json`;
		}

		// Lower-cased: `Adds` and `adds` must not collide on case-insensitive file systems.
		this.#taken.add(name.toLowerCase());
		return name;
	}
}
