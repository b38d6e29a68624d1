import {constants, PerformanceObserver, type PerformanceEntry} from 'node:perf_hooks';
import type {Recorder} from '../core/recorder.js';

const kindNames: Record<number, string> = {
	[constants.NODE_PERFORMANCE_GC_MINOR]: 'scavenge',
	[constants.NODE_PERFORMANCE_GC_MAJOR]: 'mark-sweep-compact',
	[constants.NODE_PERFORMANCE_GC_INCREMENTAL]: 'incremental marking',
	[constants.NODE_PERFORMANCE_GC_WEAKCB]: 'weak callbacks',
};

const flagNames: Array<[number, string]> = [
	[constants.NODE_PERFORMANCE_GC_FLAGS_CONSTRUCT_RETAINED, 'construct retained'],
	[constants.NODE_PERFORMANCE_GC_FLAGS_FORCED, 'forced'],
	[constants.NODE_PERFORMANCE_GC_FLAGS_SYNCHRONOUS_PHANTOM_PROCESSING, 'synchronous phantom processing'],
	[constants.NODE_PERFORMANCE_GC_FLAGS_ALL_AVAILABLE_GARBAGE, 'all available garbage'],
	[constants.NODE_PERFORMANCE_GC_FLAGS_ALL_EXTERNAL_MEMORY, 'all external memory'],
	[constants.NODE_PERFORMANCE_GC_FLAGS_SCHEDULE_IDLE, 'schedule idle'],
];

type GcDetail = {kind?: number; flags?: number};

/**
 * Records garbage collections as spans on their own timeline row, from
 * `PerformanceObserver` `gc` entries (which carry V8's own start time and
 * duration on the tracer's clock). Entries arrive a little after the fact,
 * so the returned stop function first takes the pending ones.
 */
export function observeGc(recorder: Recorder): () => void {
	const track = recorder.track('Garbage collection');
	const record = (entries: PerformanceEntry[]) => {
		for (const entry of entries) {
			const detail = ((entry as PerformanceEntry & {detail?: GcDetail}).detail ?? {}) as GcDetail;
			const kind = kindNames[detail.kind ?? 0] ?? `kind ${String(detail.kind)}`;
			const flags = flagNames.filter(([bit]) => ((detail.flags ?? 0) & bit) !== 0).map(([, name]) => name);
			recorder.complete(recorder.intern(`GC (${kind})`), entry.startTime, entry.startTime + entry.duration, track, {kind, flags});
		}
	};

	const observer = new PerformanceObserver(list => {
		record(list.getEntries());
	});
	observer.observe({entryTypes: ['gc']});
	return () => {
		record(observer.takeRecords());
		observer.disconnect();
	};
}
