import fs from 'node:fs';
import path from 'node:path';

const nodeScriptExtensions = new Set(['.js', '.cjs', '.mjs']);

function isNodeScript(file: string): boolean {
	if (nodeScriptExtensions.has(path.extname(file))) {
		return true;
	}

	try {
		const fd = fs.openSync(file, 'r');
		const head = Buffer.alloc(128);
		const length = fs.readSync(fd, head, 0, head.length, 0);
		fs.closeSync(fd);
		const firstLine = head.subarray(0, length).toString('utf8').split('\n')[0] ?? '';
		return firstLine.startsWith('#!') && /\bnode\b/.test(firstLine);
	} catch {
		return false;
	}
}

export type ResolvedBin = {file: string} | {error: string};

/**
 * Finds an npm bin the way `npx` would before downloading anything: in
 * `node_modules/.bin` of the working directory and its parents, then on
 * PATH. It must be a Node.js script, since it runs in this process.
 */
export function resolveBin(name: string, cwd: string, searchPath = process.env['PATH'] ?? ''): ResolvedBin {
	const candidates: string[] = [];
	for (let directory = cwd; ; directory = path.dirname(directory)) {
		candidates.push(path.join(directory, 'node_modules', '.bin', name));
		if (path.dirname(directory) === directory) {
			break;
		}
	}

	for (const directory of searchPath.split(path.delimiter).filter(Boolean)) {
		candidates.push(path.join(directory, name));
	}

	for (const candidate of candidates) {
		let file: string;
		try {
			file = fs.realpathSync(candidate);
			if (!fs.statSync(file).isFile()) {
				continue;
			}
		} catch {
			continue;
		}

		return isNodeScript(file) ? {file} : {error: `${name} (${file}) is not a Node.js script, so it cannot be traced in this process`};
	}

	return {error: `cannot find the bin ${name} in node_modules/.bin (from ${cwd} up) or on PATH; install it first (npm install ${name})`};
}
