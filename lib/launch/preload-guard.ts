import fs from 'node:fs';
import {VizPluginError, VizTracerAttachError, VizTracerInvalidPluginError, VizTracerOptionError} from '../core/errors.js';

/**
 * Runs the set-up of a preload (`--import viztracer/register`, `/hooks`,
 * `/node-test`). A bad `VIZTRACER_*` variable, or a plugin that cannot be
 * loaded, or a control directory for attach that is not private, ends the process with one line on stderr (exit 2, or 1 for a
 * plugin, as the CLI), not the stack trace of a failed `--import`.
 */
export function exitOnSetupError<T>(setUp: () => T): T {
	try {
		return setUp();
	} catch (error) {
		const code = error instanceof VizTracerOptionError ? 2 : (error instanceof VizPluginError || error instanceof VizTracerInvalidPluginError || error instanceof VizTracerAttachError ? 1 : 0);
		if (code === 0) {
			throw error;
		}

		// Written to the descriptor: a worker thread's process.stderr goes through its parent, after this thread is gone.
		fs.writeSync(2, `viztracer: ${(error as Error).message}\n`);
		process.exit(code);
	}
}
