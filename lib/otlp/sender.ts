import {exportSpans, type ExportOptions} from './export-spans.js';
import type {SpanBatch} from './span-records.js';

// Run by `send-sync.ts` as a short-lived child: reads `{ options, batch }` as
// JSON on stdin and exports it with the official exporter. Exit code 0 means
// the collector took the spans; otherwise the reason is on stderr.

const chunks: Buffer[] = [];
for await (const chunk of process.stdin) {
	chunks.push(chunk as Buffer);
}

const {options, batch} = JSON.parse(Buffer.concat(chunks).toString('utf8')) as {options: ExportOptions; batch: SpanBatch};
try {
	await exportSpans(batch, options);
} catch (error) {
	process.stderr.write(error instanceof Error ? error.message : String(error));
	process.exitCode = 1;
}
