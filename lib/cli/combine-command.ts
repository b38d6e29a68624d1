import path from 'node:path';
import {combineTraceFiles} from '../trace-file/combine.js';
import {VizTracerArgumentError, VizTracerInvalidTraceError, VizTracerSaveError, VizTracerTraceNotFoundError} from '../core/errors.js';
import {writeTraceSync} from '../trace-file/write-trace.js';
import {envelopeFor} from '../viewer/html-trace-writer.js';
import type {CliOutput} from './parse-args.js';

/** `viztracer --combine a.json b.json -o all.json` (or `--align-combine`). Returns the exit code. */
export function combineCommand(request: {files: string[]; align: boolean; outputFile: string; quiet: boolean}, io: CliOutput): number {
	try {
		const {data, count} = combineTraceFiles(request.files, {align: request.align});
		const output = path.resolve(request.outputFile);
		try {
			writeTraceSync(data, output, envelopeFor(output));
		} catch (error) {
			// An input that turned out bad while it was read: the input is what to name.
			throw error instanceof VizTracerSaveError && (error.cause instanceof VizTracerInvalidTraceError || error.cause instanceof VizTracerTraceNotFoundError) ? error.cause : error;
		}

		if (!request.quiet) {
			io.stderr(`viztracer: combined ${request.files.length} traces (${count()} events) into ${output}\n`);
		}

		return 0;
	} catch (error) {
		// VizTracerTraceUnreadableError is a VizTracerInvalidTraceError too.
		if (error instanceof VizTracerArgumentError || error instanceof VizTracerSaveError || error instanceof VizTracerTraceNotFoundError || error instanceof VizTracerInvalidTraceError) {
			io.stderr(`viztracer: ${error.message}\n`);
			return 1;
		}

		throw error;
	}
}
