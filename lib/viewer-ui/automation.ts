import {argsAt, depthOf, isSliceTrack, type SliceTrack, type TrackKind} from '../timeline/model.js';
import type {RangeRow} from '../timeline/range-table.js';
import {firstEndingAfter} from '../timeline/slice-lookup.js';
import type {MarkerDetails, SliceDetails} from './details.js';
import type {FrameRecord} from './renderer.js';
import type {TimelineApp} from './timeline-app.js';

export type TrackSummary = {id: string; kind: TrackKind; name: string; pid: number; tid?: number};
export type SliceSummary = {name: string; ts: number; dur: number; depth: number; args: unknown};
type FlowSide = {track: string; ts: number; slice: SliceSummary | null};

/**
 * `window.vizviewer`: the page's own model, for tests and scripts (see the
 * README). Everything here reads what the renderer draws from, and the
 * calls that change the view draw at once, so a screenshot taken after one
 * shows its effect.
 */
export function automationApi(app: TimelineApp) {
	const {model} = app;
	const sliceSummary = (track: SliceTrack, index: number): SliceSummary => ({
		name: model.strings[track.names[index]!] ?? '',
		ts: track.start[index]!,
		dur: track.dur[index]!,
		depth: depthOf(track, index),
		args: argsAt(model.args, track.args[index]!) ?? {},
	});
	const trackIndex = (id: string): number => {
		const index = model.tracks.findIndex(track => track.id === id);
		if (index < 0) {
			throw new Error(`no track ${JSON.stringify(id)}; vizviewer.tracks() lists them`);
		}

		return index;
	};

	/** The earliest slice (ties: the first track) whose name contains `query`. */
	const earliest = (query: string): {track: number; slice: number} | undefined => {
		let best: {track: number; slice: number; ts: number} | undefined;
		model.tracks.forEach((track, index) => {
			if (!isSliceTrack(track)) {
				return;
			}

			for (let slice = 0; slice < track.names.length; slice++) {
				if ((model.strings[track.names[slice]!] ?? '').includes(query) && (best === undefined || track.start[slice]! < best.ts)) {
					best = {track: index, slice, ts: track.start[slice]!};
				}
			}
		});
		return best === undefined ? undefined : {track: best.track, slice: best.slice};
	};

	const side = (end: {track: number; slice: number; ts: number}): FlowSide => {
		const track = model.tracks[end.track]!;
		return {track: track.id, ts: end.ts, slice: isSliceTrack(track) && end.slice >= 0 ? sliceSummary(track, end.slice) : null};
	};

	return {
		tracks: (): TrackSummary[] => model.tracks.map(track => ({id: track.id, kind: track.kind, name: track.name, pid: track.pid, ...(track.tid === undefined ? {} : {tid: track.tid})})),
		slices(trackId: string, startUs = Number.NEGATIVE_INFINITY, endUs = Number.POSITIVE_INFINITY): SliceSummary[] {
			const track = model.tracks[trackIndex(trackId)]!;
			if (!isSliceTrack(track)) {
				return [];
			}

			const found: SliceSummary[] = [];
			const offsets = track.depthOffsets;
			for (let depth = 0; depth + 1 < offsets.length; depth++) {
				const last = offsets[depth + 1]!;
				for (let index = firstEndingAfter(track, offsets[depth]!, last, startUs, true); index < last && track.start[index]! <= endUs; index++) {
					found.push(sliceSummary(track, index));
				}
			}

			return found.sort((a, b) => a.ts - b.ts || a.depth - b.depth);
		},
		counters(trackId: string) {
			const track = model.tracks[trackIndex(trackId)]!;
			if (track.kind !== 'counter') {
				return {name: track.name, series: []};
			}

			return {name: track.name, series: track.series.map(series => ({name: series.name, ts: [...series.ts], values: [...series.values]}))};
		},
		objects() {
			return model.tracks.flatMap(track => (track.kind === 'object'
				? [{track: track.id, name: track.name, id: track.objectId, created: track.created, destroyed: Number.isNaN(track.destroyed) ? null : track.destroyed, snapshots: track.snapshots.map(snapshot => ({ts: snapshot.ts, args: argsAt(model.args, snapshot.args)}))}]
				: []));
		},
		flows: () => model.flows.map(flow => ({name: flow.name, cat: flow.cat, id: flow.id, from: side(flow.from), to: side(flow.to)})),
		instants: () => model.instants.map(instant => ({name: instant.name, ts: instant.ts, scope: instant.scope, pid: instant.pid, tid: instant.tid, track: model.tracks[instant.track]?.id ?? null, args: argsAt(model.args, instant.args) ?? {}})),
		/** Selects the earliest slice whose name contains `query`, opens its details and resolves once its source is loaded. */
		async select(query: string): Promise<SliceDetails | null> {
			const best = earliest(query);
			if (best === undefined) {
				await app.select(undefined);
				return null;
			}

			return (await app.select({track: best.track, slice: best.slice}, {reveal: true})) ?? null;
		},
		details: (): SliceDetails | MarkerDetails | null => app.details() ?? null,
		/**
		 * Brings the earliest slice whose name contains `query` into view (as
		 * `select` does, without selecting it) and returns the centre of its box
		 * in page coordinates, for a real click; null when no slice matches or
		 * it is not drawn.
		 */
		locate(query: string): {x: number; y: number} | null {
			const found = earliest(query);
			if (found === undefined) {
				return null;
			}

			app.reveal(found);
			app.drawNow();
			const box = app.sliceBox(found);
			return box === undefined ? null : {x: box.x + box.width / 2, y: box.y + box.height / 2};
		},
		search: (query: string): number => app.search(query),
		visibleRange: () => ({start: app.state.start, end: app.state.end}),
		setRange(startUs: number, endUs: number) {
			app.setRange(startUs, endUs);
			return {start: app.state.start, end: app.state.end};
		},
		rangeTable: (startUs: number, endUs: number): RangeRow[] => app.selectRange(startUs, endUs),
		toggleFlows(show?: boolean): boolean {
			app.state.showFlows = show ?? !app.state.showFlows;
			app.drawNow();
			return app.state.showFlows;
		},
		/** Draws a frame now and says what it drew (for benchmarks: its time in ms). */
		redraw: (): FrameRecord => app.drawNow(),
		lastFrame: (): FrameRecord => app.renderer.last,
		frameTimes: (): number[] => [...app.frames],
		metadata: () => ({...model.metadata}),
	};
}

export type VizviewerApi = ReturnType<typeof automationApi>;
