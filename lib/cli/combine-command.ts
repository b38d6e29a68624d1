import path from 'node:path';
import {combineTraces, readTraceFile} from '../trace-file/combine.js';
import {VizTracerArgumentError, VizTracerInvalidTraceError, VizTracerSaveError, VizTracerTraceNotFoundError} from '../core/errors.js';
import {writeTraceSync} from '../trace-file/write-trace.js';
import {envelopeFor} from '../viewer/html-trace-writer.js';
import type {CliOutput} from './parse-args.js';

/** `viztracer --combine a.json b.json -o all.json` (or `--align-combine`). Returns the exit code. */
export function combineCommand(request: {files: string[]; align: boolean; outputFile: string; quiet: boolean}, io: CliOutput): number {
	try {
		const traces = request.files.map(file => readTraceFile(file));
		const combined = combineTraces(traces, {align: request.align});
		const output = path.resolve(request.outputFile);
		writeTraceSync(combined, output, envelopeFor(output));
		if (!request.quiet) {
			io.stderr(`viztracer: combined ${request.files.length} traces (${combined.traceEvents.length} events) into ${output}\n`);
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
