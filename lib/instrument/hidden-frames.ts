import path from 'node:path';
import {pathToFileURL} from 'node:url';

// Stack frames that exist only because the program runs traced: the require
// hook's (commonjs-hook.ts replaces Module.prototype._compile), the CLI's
// below the script's top level, and the wrappers the test-runner
// integrations put around each test.
// Stacks leave them out, so `err.stack` and the CallSites a program's
// `Error.prepareStackTrace` gets (which `callsites`-style code indexes) are
// those of the untraced run. Frames of the API a program calls itself
// (`trace()`, `logSparse()`, …) stay: they are there untraced too.

/** The rooms of the package whose frames are viztracer's plumbing, under its dist/ folder. */
const plumbing = ['bin', 'cli', 'launch', 'integrations', 'instrument'];

/** A test of a CallSite's file name: true for a frame to leave out. */
export function plumbingFrames(selfDir: string): (file: unknown) => boolean {
	// ES modules (all of viztracer) are named by URL in CallSites, CommonJS ones by path.
	const prefixes = plumbing.flatMap(room => {
		const directory = `${path.join(selfDir, room)}${path.sep}`;
		return [directory, pathToFileURL(directory).href];
	});
	return file => {
		if (typeof file !== 'string') {
			return false;
		}

		for (const prefix of prefixes) {
			if (file.startsWith(prefix)) {
				return true;
			}
		}

		return false;
	};
}
