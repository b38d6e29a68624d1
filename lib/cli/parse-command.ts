import {CommanderError, type Command} from 'commander';

/**
 * Parses `argv` with a program built with `exitOverride()`. Returns the exit
 * code when commander already answered (0 after help or the version, 2 for
 * bad usage, which it has explained), or undefined when the command should run.
 */
export function parseCommand(program: Command, argv: string[]): number | undefined {
	try {
		program.parse(argv, {from: 'user'});
		return undefined;
	} catch (error) {
		if (error instanceof CommanderError) {
			return error.code === 'commander.helpDisplayed' || error.code === 'commander.version' || error.code === 'commander.help' ? 0 : 2;
		}

		throw error;
	}
}
