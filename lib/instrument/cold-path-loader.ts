import fs from 'node:fs';
import {fileURLToPath} from 'node:url';
import vm from 'node:vm';
import {distUrl} from '../core/dist-url.js';
import type * as ColdPath from './cold-path.js';

// Captured at load: the program may replace them before the first cache miss.
const {readFileSync} = fs;
const {compileFunction} = vm;
const {getBuiltinModule} = process as unknown as {getBuiltinModule: (id: string) => unknown};

let loaded: typeof ColdPath | undefined;

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
		const filename = fileURLToPath(distUrl('instrument/cold-path.cjs', import.meta.url));
		const module = {exports: {}};
		const run = compileFunction(readFileSync(filename, 'utf8'), ['exports', 'require', 'module'], {filename});
		const requireBuiltin = (id: string): unknown => {
			const builtin = getBuiltinModule(id);
			if (builtin === undefined) {
				throw new Error(`viztracer: the cold path asked for ${id}, which is not a Node builtin`);
			}

			return builtin;
		};

		run.call(module.exports, module.exports, requireBuiltin, module);
		loaded = module.exports as typeof ColdPath;
	}

	return loaded;
}
