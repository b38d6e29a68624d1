// otlp/: the OpenTelemetry exporter. Trace events become OTLP span records,
// sent by the official exporter (this file), synchronously from a helper
// process when the trace is saved at exit. Imports trace-file/ (the event
// types, the version) and nothing else.

import {SpanKind, SpanStatusCode, TraceFlags, type SpanContext} from '@opentelemetry/api';
import {OTLPTraceExporter} from '@opentelemetry/exporter-trace-otlp-http';
import {resourceFromAttributes} from '@opentelemetry/resources';
import {version} from '../trace-file/version.js';
import type {HrTime, SpanBatch, SpanRecord} from './span-records.js';

// The exporter's own span type, so we need not depend on the SDK package that declares it.
type ReadableSpan = Parameters<OTLPTraceExporter['export']>[0][number];

export type ExportOptions = {
	url: string;
	/** Passed to the exporter; when absent it reads `OTEL_EXPORTER_OTLP_TRACES_TIMEOUT` / `OTEL_EXPORTER_OTLP_TIMEOUT` (default 10 s). */
	timeoutMillis?: number | undefined;
};

/**
 * Sends the spans with the official OTLP/HTTP (JSON) exporter and resolves
 * once the collector accepted them; rejects with the exporter's error.
 */
export async function exportSpans(batch: SpanBatch, {url, timeoutMillis}: ExportOptions): Promise<void> {
	const exporter = new OTLPTraceExporter({url, ...(timeoutMillis === undefined ? {} : {timeoutMillis})});
	const spans = toReadableSpans(batch);
	try {
		// In requests of `requestSpans`, one after the other: one request for
		// 100k spans builds a single ~50 MB JSON string, and a collector may
		// refuse it (the OTel Collector's default limit is 4 MiB per gRPC message).
		for (let start = 0; start < spans.length; start += requestSpans) {
			// eslint-disable-next-line no-await-in-loop
			await exportOnce(exporter, spans.slice(start, start + requestSpans));
		}
	} finally {
		await exporter.shutdown();
	}
}

/** Spans per request; the SDK's BatchSpanProcessor sends 512. */
const requestSpans = 2048;

async function exportOnce(exporter: OTLPTraceExporter, spans: ReadableSpan[]): Promise<void> {
	return new Promise<void>((resolve, reject) => {
		exporter.export(spans, result => {
			// ExportResultCode.SUCCESS is 0.
			if (result.code === 0) {
				resolve();
			} else {
				reject(result.error ?? new Error('the OTLP exporter reported a failure'));
			}
		});
	});
}

const scope = {name: 'viztracer', version};

function toReadableSpans({resources, spans}: SpanBatch): ReadableSpan[] {
	const builtResources = resources.map(attributes => resourceFromAttributes(attributes));
	return spans.map(record => readableSpan(record, builtResources[record.resource]!));
}

function readableSpan(record: SpanRecord, resource: ReadableSpan['resource']): ReadableSpan {
	const context: SpanContext = {traceId: record.traceId, spanId: record.spanId, traceFlags: TraceFlags.SAMPLED};
	return {
		name: record.name,
		kind: SpanKind.INTERNAL,
		spanContext: () => context,
		...(record.parentSpanId === undefined ? {} : {parentSpanContext: {traceId: record.traceId, spanId: record.parentSpanId, traceFlags: TraceFlags.SAMPLED}}),
		startTime: record.startTime,
		endTime: record.endTime,
		duration: difference(record.endTime, record.startTime),
		status: {code: SpanStatusCode.UNSET},
		attributes: record.attributes,
		links: [],
		events: [],
		ended: true,
		resource,
		instrumentationScope: scope,
		droppedAttributesCount: 0,
		droppedEventsCount: 0,
		droppedLinksCount: 0,
	};
}

function difference([endSeconds, endNanos]: HrTime, [startSeconds, startNanos]: HrTime): HrTime {
	let seconds = endSeconds - startSeconds;
	let nanos = endNanos - startNanos;
	if (nanos < 0) {
		seconds -= 1;
		nanos += 1_000_000_000;
	}

	return [seconds, nanos];
}
