import type {TimelineModel} from '../timeline/model.js';
import type {SliceRef} from '../timeline/slice-search.js';

/** What is shown: the time window, the selection, the range, what is collapsed, search results. */
export class ViewState {
	start: number;
	end: number;
	scrollTop = 0;
	selected: SliceRef | undefined;
	range: {start: number; end: number} | undefined;
	readonly collapsed = new Set<number>();
	showFlows = true;
	matches: SliceRef[] = [];
	matchFlags: Uint8Array | undefined;
	currentMatch = -1;
	/** The slices of the range table's clicked row (by name index). */
	highlightedName = -1;

	/** The smallest window: 10 ns across the canvas, so a 100 ns span is ten times wider than it. */
	static readonly minimumSpan = 0.01;

	constructor(readonly model: TimelineModel) {
		const {start, end} = model.metadata;
		const margin = Math.max((end - start) * 0.01, 1);
		this.start = start - margin;
		this.end = end + margin;
	}

	get span(): number {
		return this.end - this.start;
	}

	/** The whole trace, with a margin. */
	get bounds(): {start: number; end: number} {
		const {start, end} = this.model.metadata;
		const margin = Math.max((end - start) * 0.05, 1);
		return {start: start - margin, end: end + margin};
	}

	setWindow(start: number, end: number): void {
		let span = Math.max(end - start, ViewState.minimumSpan);
		const bounds = this.bounds;
		const widest = bounds.end - bounds.start;
		span = Math.min(span, widest);
		const middle = (start + end) / 2;
		let from = middle - span / 2;
		from = Math.min(Math.max(from, bounds.start), bounds.end - span);
		this.start = from;
		this.end = from + span;
	}

	/** Zooms by `factor` (< 1 zooms in) keeping the time at `anchor` (0-1 across the canvas) in place. */
	zoom(factor: number, anchor: number): void {
		const pivot = this.start + this.span * anchor;
		const span = Math.max(this.span * factor, ViewState.minimumSpan);
		const start = pivot - span * anchor;
		this.setWindow(start, start + span);
	}

	pan(fraction: number): void {
		const shift = this.span * fraction;
		this.setWindow(this.start + shift, this.end + shift);
	}
}
