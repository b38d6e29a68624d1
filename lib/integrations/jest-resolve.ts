import {createRequire} from 'node:module';
import path from 'node:path';

/**
 * Loads a module jest's config names (a transformer, an environment) as jest
 * would find it: from the project's root, else from jest's own packages
 * (babel-jest and the node environment come with jest).
 */
export function requireForJest(name: string, rootDir: string): unknown {
	const fromRoot = createRequire(path.join(rootDir, 'package.json'));
	const bases = [fromRoot];
	for (const owner of ['jest-config', 'jest']) {
		try {
			bases.push(createRequire(fromRoot.resolve(`${owner}/package.json`)));
		} catch {}
	}

	let firstError: unknown;
	for (const base of bases) {
		try {
			return base(base.resolve(name));
		} catch (error) {
			firstError ??= error;
		}
	}

	throw firstError;
}

/** A module's default export, as jest takes it (Babel's `__esModule` interop included). */
export function defaultOf(module: unknown): unknown {
	const value = module as {default?: unknown; __esModule?: boolean} | undefined;
	return value !== null && typeof value === 'object' && 'default' in value && value.default !== undefined ? value.default : module;
}
