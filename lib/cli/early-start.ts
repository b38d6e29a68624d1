import {startSignalWatcher} from '../launch/signal-watcher.js';

// The commands that run no program, so need no signal watcher.
const runsNoProgram = new Set(['stats', 'convert', 'attach', '--combine', '--help', '-h', '--version']);

/**
 * Starts the signal watcher's thread for a command line that will run a
 * program, before the rest of the CLI is loaded: the thread boots (about
 * 30 ms) while the main thread loads and sets up, instead of the program's
 * start waiting for it (see saveOnExit). A guess from the first argument;
 * main() starts it anyway when it was wrong.
 */
export function startEarly(argv: readonly string[]): void {
	if (argv[0] !== undefined && !runsNoProgram.has(argv[0])) {
		startSignalWatcher();
	}
}
