import path from 'node:path';
import {Command} from 'commander';
import {VizTracerArgumentError, VizTracerInvalidTraceError, VizTracerSaveError, VizTracerTraceNotFoundError, VizTracerUnwritableTraceError} from '../core/errors.js';
import {convertibleNames, convertTrace} from '../trace-file/convert.js';
import {envelopeFor} from '../viewer/html-trace-writer.js';
import type {CliOutput} from './parse-args.js';
import {parseCommand} from './parse-command.js';

function buildProgram(io: CliOutput): Command {
	return new Command('viztracer convert')
		.usage('[options] <input> <output>')
		.description(`Converts a trace between formats, by the output's name: ${convertibleNames.replaceAll('`', '')}. The input may be any of .json, .json.gz and .vizt; it is streamed, whatever its size.`)
		.helpOption('-h, --help', 'print this help and exit')
		.option('-q, --quiet', 'print nothing but errors')
		.argument('<input>', 'the trace to read')
		.argument('<output>', 'the file to write (replaced whole, once written)')
		.exitOverride()
		.configureOutput({writeOut: io.stdout, writeErr: io.stderr})
		.showHelpAfterError('(run viztracer convert --help for usage)');
}

/** `viztracer convert <input> <output>`; returns the exit code (2: bad usage, 1: unreadable input or unwritable output). */
export function convertMain(argv: string[], io: CliOutput): number {
	const program = buildProgram(io);
	const answered = parseCommand(program, argv);
	if (answered !== undefined) {
		return answered;
	}

	const [input, output] = program.processedArgs as [string, string];
	const target = path.resolve(output);
	try {
		const events = convertTrace(input, target, envelopeFor(target));
		if (program.opts<{quiet?: boolean}>().quiet !== true) {
			io.stderr(`viztracer: converted ${events.toLocaleString('en-US')} events of ${input} into ${target}\n`);
		}

		return 0;
	} catch (error) {
		if (error instanceof VizTracerArgumentError) {
			io.stderr(`viztracer convert: ${error.message}\n`);
			return 2;
		}

		// VizTracerTraceUnreadableError is a VizTracerInvalidTraceError too.
		if (error instanceof VizTracerTraceNotFoundError || error instanceof VizTracerInvalidTraceError || error instanceof VizTracerSaveError || error instanceof VizTracerUnwritableTraceError) {
			io.stderr(`viztracer convert: ${error.message}\n`);
			return 1;
		}

		throw error;
	}
}
