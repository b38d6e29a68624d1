import {createRequire} from 'node:module';
import {fileURLToPath} from 'node:url';
import {distUrl} from '../core/dist-url.js';

const require = createRequire(import.meta.url);

/** This package's version, read from its package.json at load time. */
export const version: string = (require(fileURLToPath(distUrl('../package.json', import.meta.url))) as {version: string}).version;

/** Parses `"1.2.3"` (and tolerates a pre-release tail) into numbers, or `undefined` when it is not a version. */
export function parseVersion(text: string): number[] | undefined {
	const match = /^v?(\d+)(?:\.(\d+))?(?:\.(\d+))?(?:[-+].*)?$/.exec(text.trim());
	if (!match) {
		return undefined;
	}

	return [Number(match[1]), Number(match[2] ?? 0), Number(match[3] ?? 0)];
}

/** Whether version `a` is strictly newer than `b` (both already parsed). */
export function isNewer(a: readonly number[], b: readonly number[]): boolean {
	for (let index = 0; index < Math.max(a.length, b.length); index++) {
		const difference = (a[index] ?? 0) - (b[index] ?? 0);
		if (difference !== 0) {
			return difference > 0;
		}
	}

	return false;
}
