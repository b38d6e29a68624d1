import path from 'node:path';
import {TimelineModelBuilder} from '../timeline/model-builder.js';
import type {TimelineModel} from '../timeline/model.js';
import {TraceFileReader} from '../trace-file/read-trace-sync.js';
import {SpanField} from '../trace-file/vizt-reader.js';

export type TimelineSource = {
	/** Names the trace in messages and in the page's title. */
	label: string;
	/** Read from this descriptor (left open) instead of opening `file`. */
	fd?: number;
	file: string;
};

/**
 * Reads a trace (JSON, gzip or `.vizt`) into the timeline model. `.vizt`
 * span records go to the builder without becoming event objects, so a
 * trace of ten million spans costs its typed arrays, not ten million objects.
 */
export function readTimelineModel(source: TimelineSource): TimelineModel {
	const builder = new TimelineModelBuilder();
	const onEvents = (batch: unknown[]) => {
		for (const event of batch) {
			if (typeof event === 'object' && event !== null && !Array.isArray(event)) {
				builder.addEvent(event as Record<string, unknown>);
			}
		}
	};

	let reader: TraceFileReader;
	const localIds: number[] = [];
	const onSpan = (id: number, depth: number, fields: Float64Array) => {
		const name = (localIds[id] ??= builder.intern(reader.stringAt(id)));
		const duration = fields[SpanField.duration]!;
		builder.addSpan(name, depth, (fields[SpanField.end]! - duration) / 1000, duration / 1000, fields[SpanField.pid]!, fields[SpanField.tid]!);
	};

	reader = new TraceFileReader(source.label, {...(source.fd === undefined ? {} : {fd: source.fd}), keepText: ['viztracer_metadata'], onSpan, onEvents});
	try {
		for (let batch = reader.nextBatch(); batch !== undefined; batch = reader.nextBatch()) {
			onEvents(batch);
		}
	} finally {
		reader.close();
	}

	const metadata = reader.other['viztracer_metadata'];
	const cwd = typeof metadata === 'object' && metadata !== null && typeof (metadata as Record<string, unknown>)['cwd'] === 'string' ? (metadata as Record<string, string>)['cwd'] : undefined;
	return builder.finish({title: path.basename(source.file), displayTimeUnit: reader.other['displayTimeUnit'], ...(cwd === undefined ? {} : {cwd})});
}
