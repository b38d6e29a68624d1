import fs from 'node:fs';
import {createRequire} from 'node:module';
import path from 'node:path';

const require = createRequire(import.meta.url);

/**
 * The directory of speedscope's built release (`index.html`, one JS bundle,
 * one stylesheet, fonts, icons), found through Node's resolution so it works
 * from a nested or a hoisted `node_modules`.
 */
export function speedscopeReleaseDirectory(): string {
	return path.join(path.dirname(require.resolve('speedscope/package.json')), 'dist', 'release');
}

export type SpeedscopeRelease = {
	directory: string;
	/** The file names in the release, the only viewer files ever served. */
	files: ReadonlySet<string>;
	/** The bundle and stylesheet `index.html` loads (their names carry content hashes). */
	script: string;
	stylesheet: string;
};

/** Reads which files the installed speedscope release has, and which of them `index.html` loads. */
export function loadSpeedscopeRelease(): SpeedscopeRelease {
	const directory = speedscopeReleaseDirectory();
	const files = new Set(fs.readdirSync(directory, {withFileTypes: true}).filter(entry => entry.isFile()).map(entry => entry.name));
	const index = fs.readFileSync(path.join(directory, 'index.html'), 'utf8');
	const script = /<script src="([^"]+\.js)"/.exec(index)?.[1];
	const stylesheet = /<link rel="stylesheet" href="([^"]+\.css)"/.exec(index)?.[1];
	if (!script || !stylesheet || !files.has(script) || !files.has(stylesheet)) {
		throw new Error(`Unexpected layout of speedscope's release in ${directory}: cannot find its script and stylesheet`);
	}

	return {directory, files, script, stylesheet};
}
