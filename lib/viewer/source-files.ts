import fs from 'node:fs';
import path from 'node:path';
import {fileURLToPath} from 'node:url';
import {sourceLocation} from '../timeline/slice-label.js';
import type {TimelineModel} from '../timeline/model.js';

/** The largest source file the viewer shows. */
export const sourceLimitBytes = 4 * 1024 * 1024;

// Only program sources: a trace that names `../.ssh/id_rsa:1` in a span's
// name still cannot have that file shown.
const sourceExtensions = /\.(?:[cm]?[jt]sx?|coffee|vue|svelte|astro|es6)$/i;

/** The source files a trace names in its span names (`fn (src/a.js:3:1)`), exactly as spelled there. */
export function namedSourceFiles(model: TimelineModel): Set<string> {
	const files = new Set<string>();
	for (const text of model.strings) {
		const location = sourceLocation(text);
		if (location !== undefined) {
			files.add(location.file);
		}
	}

	return files;
}

export class SourceRefusedError extends Error {
	readonly code = 'VIZVIEWER_SOURCE_REFUSED';
	constructor(readonly status: 403 | 404, message: string) {
		super(message);
	}
}

/**
 * Reads a source file for the details panel, by the rules traces are served
 * by: `file` must be one the trace names (exactly), a program source by its
 * extension, resolved against the directory the trace was recorded in (or,
 * for traces that do not say, the trace's own directory), a regular file
 * once every symlink is resolved, and at most 4 MiB. Node's own modules
 * (`node:…`) have no file.
 */
export function readNamedSource(file: string, named: ReadonlySet<string>, baseDirectory: string): string {
	if (!named.has(file)) {
		throw new SourceRefusedError(403, 'the trace names no such file');
	}

	let absolute: string;
	if (file.startsWith('file://')) {
		try {
			absolute = fileURLToPath(file);
		} catch {
			throw new SourceRefusedError(404, 'not a file URL of this machine');
		}
	} else if (/^[a-z][\w+.-]*:/i.test(file) && !/^[a-z]:[\\/]/i.test(file)) {
		throw new SourceRefusedError(404, `${file.split(':')[0]}: modules have no source file here`);
	} else {
		absolute = path.resolve(baseDirectory, file);
	}

	if (!sourceExtensions.test(absolute)) {
		throw new SourceRefusedError(403, 'only JavaScript and TypeScript sources are shown');
	}

	let real: string;
	try {
		real = fs.realpathSync(absolute);
	} catch {
		throw new SourceRefusedError(404, `${absolute} is not there any more`);
	}

	if (!sourceExtensions.test(real)) {
		throw new SourceRefusedError(403, 'only JavaScript and TypeScript sources are shown');
	}

	let fd: number;
	try {
		fd = fs.openSync(real, fs.constants.O_RDONLY | (fs.constants.O_NOFOLLOW ?? 0) | (fs.constants.O_NONBLOCK ?? 0));
	} catch {
		throw new SourceRefusedError(404, `${absolute} cannot be read`);
	}

	try {
		const stat = fs.fstatSync(fd);
		if (!stat.isFile()) {
			throw new SourceRefusedError(403, `${absolute} is not a regular file`);
		}

		if (stat.size > sourceLimitBytes) {
			throw new SourceRefusedError(403, `${absolute} is larger than ${sourceLimitBytes / 1024 / 1024} MiB`);
		}

		const bytes = Buffer.alloc(stat.size);
		let read = 0;
		while (read < bytes.length) {
			const count = fs.readSync(fd, bytes, read, bytes.length - read, read);
			if (count === 0) {
				break;
			}

			read += count;
		}

		return bytes.subarray(0, read).toString('utf8');
	} finally {
		fs.closeSync(fd);
	}
}
