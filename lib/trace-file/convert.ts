import {VizTracerArgumentError} from '../core/errors.js';
import {traceDataOf} from './combine.js';
import {readTraceSync, TraceFileReader} from './read-trace-sync.js';
import {appendEventSource} from './trace-data.js';
import type {TraceData} from './trace-event.js';
import {isViztPath} from './vizt-format.js';
import {isGzipPath, writeTraceSync, type TraceEnvelope} from './write-trace.js';

/** The formats a trace converts to, by the output's name. */
export const convertibleNames = '`.json`, `.json.gz`, `.html` or `.vizt`';

export const isConvertibleName = (file: string): boolean => file.endsWith('.json') || isGzipPath(file) || file.endsWith('.html') || isViztPath(file);

/**
 * A trace object whose events stream from `reader`, a `.vizt` file's (its
 * METADATA record comes before every event, so one pass is enough), opened
 * with `keepText: ['viztracer_metadata']` for the exact base time: for
 * writing once, in any format. With `json` (the reader opened with
 * `viztJson`), the events are JSON texts, for a JSON output only.
 */
export function viztTraceData(reader: TraceFileReader, onBatch: (batch: unknown[]) => void = () => undefined, options: {json?: boolean} = {}): TraceData {
	let first = reader.nextBatch();
	const data = traceDataOf(reader.other, reader.rawText, []);
	appendEventSource(data, () => ({
		json: options.json === true,
		nextBatch() {
			const batch = first ?? reader.nextBatch();
			first = undefined;
			if (batch !== undefined) {
				onBatch(batch);
			}

			return batch;
		},
		close() {
			reader.close();
		},
	}));
	return data;
}

/**
 * Writes the trace in `input` (any format this package reads) to `output`,
 * in the format its name says, streaming: the events are read a batch at a
 * time while the output is written, whatever the trace's size. Returns the
 * number of events. A JSON input is read twice: once for the values besides
 * the events (JSON keeps `viztracer_metadata` after them), once for the
 * events. Throws the readers' and the writer's errors.
 */
export function convertTrace(input: string, output: string, envelope?: TraceEnvelope): number {
	if (!isConvertibleName(output)) {
		throw new VizTracerArgumentError(`cannot convert to ${output}: expected an output name ending in ${convertibleNames}`);
	}

	let events = 0;
	const count = (batch: unknown[]) => {
		events += batch.length;
	};

	let data: TraceData;
	// Into JSON, a `.vizt` file's events go as text, never made into objects.
	const json = !isViztPath(output);
	const reader = new TraceFileReader(input, {keepText: ['viztracer_metadata'], viztJson: json, spanDepths: !json});
	if (reader.isVizt) {
		data = viztTraceData(reader, count, {json});
	} else {
		reader.close();
		const head = readTraceSync(input, () => undefined, {parseEvents: false, keepText: ['viztracer_metadata']});
		data = traceDataOf(head.other, head.rawText, []);
		appendEventSource(data, () => {
			const events = new TraceFileReader(input);
			return {
				nextBatch() {
					const batch = events.nextBatch();
					if (batch !== undefined) {
						count(batch);
					}

					return batch;
				},
				close() {
					events.close();
				},
			};
		});
	}

	try {
		writeTraceSync(data, output, envelope);
	} finally {
		reader.close();
	}

	return events;
}
