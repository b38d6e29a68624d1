import {randomBytes} from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import {VizTracerSaveError} from '../core/errors.js';
import {makeDirectories} from '../trace-file/make-directories.js';
import {computeTraceStats} from '../stats/trace-stats.js';
import {statsTable} from './stats-table.js';
import {readTimelineModel} from './timeline-data.js';
import {writeTimelinePage} from './timeline-html.js';
import {checkTraceContent} from './trace-check.js';

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
		}, stats);
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
