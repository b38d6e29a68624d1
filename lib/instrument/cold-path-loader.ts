import fs from 'node:fs';
import path from 'node:path';
import {fileURLToPath} from 'node:url';
import vm from 'node:vm';
import {distUrl} from '../core/dist-url.js';
import type * as ColdPath from './cold-path.js';
import type * as NativeParser from './native-parser.js';

// Captured at load: the program may replace them before the first cache miss.
const {readFileSync, existsSync} = fs;
const {compileFunction} = vm;
const {getBuiltinModule, dlopen} = process as unknown as {getBuiltinModule: (id: string) => unknown; dlopen: (module: {exports: unknown}, file: string) => void};
const nodeMajor = Number(process.versions.node.split('.')[0]);

let loaded: typeof ColdPath | undefined;

const requireBuiltin = (id: string): unknown => {
	const builtin = getBuiltinModule(id);
	if (builtin === undefined) {
		throw new Error(`viztracer: the cold path asked for ${id}, which is not a Node builtin`);
	}

	return builtin;
};

/** Compiles one of the private bundles of dist/ with the given `require` and globals (see coldPath()). */
function compileBundle(name: string, require: (id: string) => unknown, globals: Record<string, unknown> = {}): unknown {
	const filename = fileURLToPath(distUrl(name, import.meta.url));
	const module = {exports: {}};
	const run = compileFunction(readFileSync(filename, 'utf8'), ['exports', 'require', 'module', ...Object.keys(globals)], {filename});
	run.call(module.exports, module.exports, require, module, ...Object.values(globals));
	return module.exports;
}

/**
 * The cold path (cold-path.ts), loaded on first use: a CommonJS bundle that
 * needs only Node's builtins, compiled here rather than require()d, so that
 * loading it goes through no module hook (ours, which would be re-entered
 * from inside a load, or the program's own: require-in-the-middle, tsx,
 * registerHooks) and takes no time waiting on a module load in Node 20's
 * loader thread; nothing of it shows in require.cache either.
 */
export function coldPath(): typeof ColdPath {
	if (loaded === undefined) {
		loaded = compileBundle('instrument/cold-path.cjs', requireBuiltin) as typeof ColdPath;
		// Raw transfer needs Node 22's larger buffers, and a 64-bit little-endian machine.
		if (nodeMajor >= 22 && (process.arch === 'x64' || process.arch === 'arm64')) {
			loaded.useNativeParser(() => loadNativeParser()?.parseNative);
		}
	}

	return loaded;
}

/**
 * The native parser's bundle (native-parser.ts). Its binding loader asks for
 * the binary by package name: it gets it from the node_modules next to this
 * package, opened with process.dlopen, so again no module hook is involved;
 * it gets no child_process (the loader would run `ldd` to tell musl from
 * glibc; the files it reads first tell it too). Its timers, which let the
 * parser's big buffer go after a while, would be the program's: the buffer
 * is handed to a weak reference at once instead, so a run of parses reuses
 * it and the garbage collector takes it when memory is short. Undefined
 * where the binary is missing (no build for this platform).
 */
function loadNativeParser(): typeof NativeParser | undefined {
	const bindingRequire = (id: string): unknown => {
		const match = /^@oxc-parser\/(binding-[\w-]+)(\/package\.json)?$/.exec(id);
		if (match !== null) {
			const directory = findPackage(`@oxc-parser/${match[1]!}`);
			if (directory !== undefined) {
				const manifest = JSON.parse(readFileSync(path.join(directory, 'package.json'), 'utf8')) as {main?: string};
				if (match[2] !== undefined) {
					return manifest;
				}

				const module = {exports: {}};
				dlopen(module, path.join(directory, manifest.main ?? 'index.node'));
				return module.exports;
			}
		}

		if (id === 'child_process' || id === 'node:child_process' || !/^(?:node:)?[a-z_]+$/.test(id)) {
			throw Object.assign(new Error(`Cannot find module '${id}'`), {code: 'MODULE_NOT_FOUND'});
		}

		return requireBuiltin(id);
	};

	if (findPackage('oxc-parser') === undefined) {
		return undefined;
	}

	const immediately = (callback: () => void) => {
		callback();
		return {unref() {}, ref() {}};
	};

	return compileBundle('instrument/native-parser.cjs', id => (id === 'module' || id === 'node:module' ? {createRequire: () => bindingRequire} : bindingRequire(id)), {setTimeout: immediately, clearTimeout() {}}) as typeof NativeParser;
}

/** The directory of `name` in the node_modules this package is installed with (its own, or one above it). */
function findPackage(name: string): string | undefined {
	for (let directory = fileURLToPath(distUrl('.', import.meta.url)); ; directory = path.dirname(directory)) {
		const candidate = path.join(directory, 'node_modules', name);
		if (existsSync(path.join(candidate, 'package.json'))) {
			return candidate;
		}

		if (path.dirname(directory) === directory) {
			return undefined;
		}
	}
}
