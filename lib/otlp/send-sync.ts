import {spawnSync} from 'node:child_process';
import {fileURLToPath} from 'node:url';
import type {ExportOptions} from './export-spans.js';
import type {SpanBatch} from './span-records.js';
import {distUrl} from '../core/dist-url.js';

const senderPath = fileURLToPath(distUrl('otlp/sender.js', import.meta.url));

/** Time the sender gets beyond the export timeout, to start Node and load the exporter. */
const startupAllowanceMillis = 5000;

/**
 * Exports the spans and waits for the answer without an event loop: the CLI
 * saves from a `process.on('exit')` handler, where nothing asynchronous runs
 * again. A child process runs the same exporter as the async path, and is
 * killed if it outlives the export timeout, so a hung collector cannot hold
 * the traced program's exit for ever. Returns the failure, if any.
 */
export function exportSpansSync(batch: SpanBatch, options: ExportOptions & {timeoutMillis: number}): Error | undefined {
	const result = spawnSync(process.execPath, [senderPath], {
		input: JSON.stringify({options, batch}),
		timeout: options.timeoutMillis + startupAllowanceMillis,
		killSignal: 'SIGKILL',
		stdio: ['pipe', 'ignore', 'pipe'],
		encoding: 'utf8',
		maxBuffer: 1024 * 1024,
		// The traced program's --import / --require hooks (the tracer itself among them) must not load into the sender.
		env: {...process.env, NODE_OPTIONS: ''},
	});
	if (result.error) {
		return result.error;
	}

	if (result.status !== 0) {
		return new Error(result.stderr.trim() || `the OTLP sender exited with ${result.signal ?? `code ${result.status}`}`);
	}

	return undefined;
}
