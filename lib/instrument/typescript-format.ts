import fs from 'node:fs';
import path from 'node:path';
import {coldPath} from './cold-path-loader.js';

const packageTypes = new Map<string, string | undefined>();

/** The `type` of the package.json that governs `directory` (the nearest one above it, as Node looks it up), if any. */
function packageType(directory: string): string | undefined {
	if (packageTypes.has(directory)) {
		return packageTypes.get(directory);
	}

	let type: string | undefined;
	const file = path.join(directory, 'package.json');
	let text: string | undefined;
	try {
		text = fs.readFileSync(file, 'utf8');
	} catch {}

	if (text === undefined) {
		const parent = path.dirname(directory);
		// Node stops at the root, and at a node_modules folder (a package's own scope ends there).
		type = parent === directory || path.basename(directory) === 'node_modules' ? undefined : packageType(parent);
	} else {
		try {
			const value = (JSON.parse(text) as {type?: unknown}).type;
			type = typeof value === 'string' ? value : undefined;
		} catch {}
	}

	packageTypes.set(directory, type);
	return type;
}

/** Whether `source` only parses as an ES module (import/export, import.meta, top-level await), as Node detects it. */
export function hasModuleSyntax(source: string): boolean {
	const {parse} = coldPath();
	const options = {ecmaVersion: 'latest', allowHashBang: true} as const;
	try {
		parse(source, {...options, sourceType: 'script', allowReturnOutsideFunction: true});
		return false;
	} catch {}

	try {
		parse(source, {...options, sourceType: 'module'});
		return true;
	} catch {
		return false;
	}
}

/**
 * How Node 22.18+ runs a TypeScript file, by its extension, then its
 * package's `type`, then (a `.ts` file with neither) its syntax, given its
 * JavaScript once the types are stripped.
 */
export function typescriptModuleFormat(filename: string, javascript: string): 'module' | 'commonjs' {
	if (filename.endsWith('.mts')) {
		return 'module';
	}

	if (filename.endsWith('.cts')) {
		return 'commonjs';
	}

	const type = packageType(path.dirname(filename));
	if (type === 'module' || type === 'commonjs') {
		return type;
	}

	return hasModuleSyntax(javascript) ? 'module' : 'commonjs';
}
