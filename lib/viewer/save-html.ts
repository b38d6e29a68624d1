import {randomBytes} from 'node:crypto';
import fs from 'node:fs';
import fsp from 'node:fs/promises';
import path from 'node:path';
import {pipeline} from 'node:stream/promises';
import zlib from 'node:zlib';
import {VizTracerSaveError} from '../core/errors.js';
import {viztTraceData} from '../trace-file/convert.js';
import {isGzipFile, isViztFile} from '../trace-file/read-trace.js';
import {TraceFileReader} from '../trace-file/read-trace-sync.js';
import {writeTraceAsync} from '../trace-file/write-trace.js';
import {htmlEnvelopeTitled, htmlTraceTransform} from './html-trace-writer.js';
import {makeDirectories} from '../trace-file/make-directories.js';
import {checkTraceContent} from './trace-check.js';

/**
 * Writes a trace file (`.json`, gzip or `.vizt`) as one self-contained HTML page that
 * opens in speedscope offline, streaming: the trace is gzipped (unless it
 * already is) and base64-encoded on the way. Like traces, the page is written
 * to a temporary file and renamed into place. The trace is read through
 * first, so no page is written around a file that is not a whole trace.
 * Throws `VizTracerTraceNotFoundError` for a missing trace,
 * `VizTracerTraceUnreadableError` for one that cannot be read,
 * `VizTracerInvalidTraceError` for one that is not a trace (empty, binary,
 * `null`, cut off, a truncated gzip), `VizTracerSaveError` when the page
 * cannot be written.
 */
export async function saveTraceAsHtml(traceFile: string, htmlFile: string, title = path.basename(traceFile), options: {checked?: boolean} = {}): Promise<void> {
	// `checked`: the caller has just read the trace through itself.
	if (!options.checked) {
		await checkTraceContent(traceFile);
	}

	const temporary = path.join(path.dirname(htmlFile), `.${path.basename(htmlFile)}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`);
	try {
		await makeDirectories(path.dirname(htmlFile));
		if (isViztFile(traceFile)) {
			// The page holds Chrome JSON: a `.vizt` trace is converted on the way.
			await writeTraceAsync(viztTraceData(new TraceFileReader(traceFile, {keepText: ['viztracer_metadata'], viztJson: true}), undefined, {json: true}), temporary, htmlEnvelopeTitled(title));
			await fsp.rename(temporary, htmlFile);
			return;
		}

		const source = fs.createReadStream(traceFile);
		const sink = fs.createWriteStream(temporary);
		await (isGzipFile(traceFile)
			? pipeline(source, htmlTraceTransform(title), sink)
			: pipeline(source, zlib.createGzip({level: zlib.constants.Z_BEST_SPEED}), htmlTraceTransform(title), sink));
		await fsp.rename(temporary, htmlFile);
	} catch (error) {
		await fsp.rm(temporary, {force: true}).catch(() => undefined);
		throw new VizTracerSaveError(htmlFile, error);
	}
}
