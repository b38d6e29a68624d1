import {randomBytes} from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';
import {VizTracerSaveError} from '../core/errors.js';
import {makeDirectories} from '../trace-file/make-directories.js';
import {computeTraceStats} from '../stats/trace-stats.js';
import {statsTable} from './stats-table.js';
import type {TimelineModel} from '../timeline/model.js';
import {viztTraceData} from '../trace-file/convert.js';
import {isGzipFile, isViztFile} from '../trace-file/read-trace.js';
import {TraceFileReader} from '../trace-file/read-trace-sync.js';
import {serializeTrace} from '../trace-file/trace-serializer.js';
import {GzipSyncWriter} from '../trace-file/write-trace.js';
import {readTimelineModel} from './timeline-data.js';
import {embeddedFlameSpanLimit, spanCount, writeTimelinePage} from './timeline-html.js';
import {checkTraceContent} from './trace-check.js';

/** The trace as gzipped Chrome JSON for the page's Flame graph tab, unless speedscope could not import that many spans anyway. */
function gzippedJson(traceFile: string, model: TimelineModel): Uint8Array | undefined {
	if (spanCount(model) > embeddedFlameSpanLimit) {
		return undefined;
	}

	if (isGzipFile(traceFile)) {
		return fs.readFileSync(traceFile);
	}

	if (!isViztFile(traceFile)) {
		return zlib.gzipSync(fs.readFileSync(traceFile), {level: zlib.constants.Z_BEST_SPEED});
	}

	const pieces: Uint8Array[] = [];
	const gzip = new GzipSyncWriter(bytes => {
		pieces.push(bytes);
	});
	for (const chunk of serializeTrace(viztTraceData(new TraceFileReader(traceFile, {keepText: ['viztracer_metadata'], viztJson: true}), undefined, {json: true}))) {
		gzip.push(Buffer.from(chunk), false);
	}

	gzip.push(Buffer.alloc(0), true);
	return Buffer.concat(pieces);
}

/**
 * Writes a trace file (`.json`, gzip or `.vizt`) as one self-contained HTML
 * page: the timeline viewer with the trace's timeline model, its
 * `viztracer stats` table and the source files it names inside, which
 * opens offline with a double click. Like
 * traces, the page is written to a temporary file and renamed into place.
 * The trace is read through first, so no page is written around a file that
 * is not a whole trace. Throws `VizTracerTraceNotFoundError` for a missing
 * trace, `VizTracerTraceUnreadableError` for one that cannot be read,
 * `VizTracerInvalidTraceError` for one that is not a trace (empty, binary,
 * `null`, cut off, a truncated gzip), `VizTracerSaveError` when the page
 * cannot be written.
 */
export async function saveTraceAsHtml(traceFile: string, htmlFile: string, title = path.basename(traceFile), options: {checked?: boolean} = {}): Promise<void> {
	// `checked`: the caller has just read the trace through itself.
	if (!options.checked) {
		await checkTraceContent(traceFile);
	}

	const model = readTimelineModel({label: traceFile, file: traceFile});
	const flameTrace = gzippedJson(traceFile, model);
	// The page counts from its timeline when the trace's own count fails.
	const stats = await computeTraceStats(traceFile).then(statsTable, () => undefined);
	model.metadata.title = title;
	const temporary = path.join(path.dirname(htmlFile), `.${path.basename(htmlFile)}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`);
	let fd: number | undefined;
	try {
		await makeDirectories(path.dirname(htmlFile));
		fd = fs.openSync(temporary, 'wx');
		const out = fd;
		writeTimelinePage(model, model.metadata.cwd ?? path.dirname(path.resolve(traceFile)), bytes => {
			fs.writeSync(out, bytes);
		}, stats, flameTrace);
		fs.closeSync(fd);
		fd = undefined;
		fs.renameSync(temporary, htmlFile);
	} catch (error) {
		if (fd !== undefined) {
			fs.closeSync(fd);
		}

		fs.rmSync(temporary, {force: true});
		throw new VizTracerSaveError(htmlFile, error);
	}
}
