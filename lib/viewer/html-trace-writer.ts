import type {TraceEnvelope} from '../trace-file/write-trace.js';
import {timelineEnvelope} from './timeline-html.js';

/** An `.html` output is the timeline viewer's self-contained page, with the trace's timeline inside. */
export const isHtmlPath = (file: string): boolean => file.endsWith('.html');

/** What a trace named `file` is written in: the timeline page for `.html`, else nothing (JSON, or gzip for `.gz`). */
export function envelopeFor(file: string): TraceEnvelope | undefined {
	return isHtmlPath(file) ? timelineEnvelope() : undefined;
}
