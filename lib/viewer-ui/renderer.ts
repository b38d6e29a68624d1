import {depthCount, depthOf, isSliceTrack, type CounterTrack, type ObjectTrack, type SliceTrack, type TimelineModel} from '../timeline/model.js';
import {sliceLabel} from '../timeline/slice-label.js';
import {formatTick, tickStep} from '../timeline/time-units.js';
import {sliceRowHeight, type TrackRow} from '../timeline/track-rows.js';
import {lowerBound} from '../timeline/slice-lookup.js';
import {forEachVisibleSlice} from '../timeline/visible-slices.js';
import {NameColors, palette} from './colors.js';
import type {ViewState} from './view-state.js';

export const labelWidth = 240;
export const axisHeight = 26;
const font = '11px system-ui, -apple-system, "Segoe UI", sans-serif';
const boldFont = '600 11px system-ui, -apple-system, "Segoe UI", sans-serif';

/** What the last frame drew, for the automation surface and tests: true to the pixels. */
export type FrameRecord = {
	slices: number;
	merged: number;
	flows: number;
	instants: number;
	counterPoints: number;
	milliseconds: number;
};

/**
 * Draws the time axis and every visible track onto one canvas: slices per
 * depth through the level-of-detail visitor, counters as step graphs
 * decimated to min/max per pixel column, objects, instants and flow arrows.
 */
export class Renderer {
	readonly colors: NameColors;
	readonly #labels: {name: string; location: string}[] = [];
	readonly #nameWidths: number[] = [];
	rows: TrackRow[] = [];
	last: FrameRecord = {slices: 0, merged: 0, flows: 0, instants: 0, counterPoints: 0, milliseconds: 0};

	constructor(readonly model: TimelineModel, readonly canvas: HTMLCanvasElement) {
		this.colors = new NameColors(model.strings);
	}

	label(id: number): {name: string; location: string} {
		return (this.#labels[id] ??= sliceLabel(this.model.strings[id] ?? ''));
	}

	// The canvas's size, read once a frame (reading layout per slice costs more than drawing it).
	#width = 0;
	#height = 0;

	get width(): number {
		return this.#width || this.canvas.clientWidth;
	}

	get height(): number {
		return this.#height || this.canvas.clientHeight;
	}

	/** Reads the canvas's size again (on resize, and at the start of each frame). */
	measure(): void {
		this.#width = this.canvas.clientWidth;
		this.#height = this.canvas.clientHeight;
	}

	get plotWidth(): number {
		return Math.max(1, this.width - labelWidth);
	}

	xOf(state: ViewState, time: number): number {
		return labelWidth + ((time - state.start) / state.span) * this.plotWidth;
	}

	timeAt(state: ViewState, x: number): number {
		return state.start + ((x - labelWidth) / this.plotWidth) * state.span;
	}

	/** The y of a track row's top on the canvas. */
	yOf(state: ViewState, row: TrackRow): number {
		return axisHeight + row.top - state.scrollTop;
	}

	draw(state: ViewState): FrameRecord {
		const began = performance.now();
		const {canvas} = this;
		const ratio = globalThis.devicePixelRatio || 1;
		this.measure();
		const width = this.width;
		const height = this.height;
		if (canvas.width !== Math.round(width * ratio) || canvas.height !== Math.round(height * ratio)) {
			canvas.width = Math.round(width * ratio);
			canvas.height = Math.round(height * ratio);
		}

		const context = canvas.getContext('2d', {alpha: false})!;
		context.setTransform(ratio, 0, 0, ratio, 0, 0);
		context.fillStyle = palette.background;
		context.fillRect(0, 0, width, height);
		context.font = font;
		context.textBaseline = 'middle';
		const record: FrameRecord = {slices: 0, merged: 0, flows: 0, instants: 0, counterPoints: 0, milliseconds: 0};
		const step = tickStep(state.span / this.plotWidth, 90);
		this.#grid(context, state, step, height);
		for (const row of this.rows) {
			const top = this.yOf(state, row);
			if (top > height || top + row.height < axisHeight) {
				continue;
			}

			const track = this.model.tracks[row.track]!;
			context.save();
			context.beginPath();
			context.rect(labelWidth, Math.max(top, axisHeight), this.plotWidth, row.height);
			context.clip();
			if (isSliceTrack(track)) {
				this.#slices(context, state, track, top, record);
			} else if (track.kind === 'counter') {
				this.#counter(context, state, track, top, row.height, record);
			} else if (track.kind === 'object') {
				this.#object(context, state, track, top);
			} else if (track.kind === 'process') {
				context.fillStyle = palette.process;
				context.fillRect(labelWidth, top, this.plotWidth, row.height);
			}

			context.restore();
		}

		this.#instants(context, state, record);
		if (state.showFlows) {
			this.#flows(context, state, record);
		}

		this.#range(context, state, height);
		this.#labelsColumn(context, state, height);
		this.#axis(context, state, step);
		record.milliseconds = performance.now() - began;
		this.last = record;
		return record;
	}

	#grid(context: CanvasRenderingContext2D, state: ViewState, step: number, height: number): void {
		context.strokeStyle = palette.grid;
		context.lineWidth = 1;
		context.beginPath();
		const first = Math.ceil((state.start - this.model.metadata.start) / step);
		for (let tick = first; ; tick++) {
			const time = this.model.metadata.start + tick * step;
			if (time > state.end) {
				break;
			}

			const x = Math.round(this.xOf(state, time)) + 0.5;
			context.moveTo(x, axisHeight);
			context.lineTo(x, height);
		}

		context.stroke();
	}

	#axis(context: CanvasRenderingContext2D, state: ViewState, step: number): void {
		context.fillStyle = palette.label;
		context.fillRect(0, 0, this.width, axisHeight);
		context.strokeStyle = palette.labelBorder;
		context.beginPath();
		context.moveTo(0, axisHeight - 0.5);
		context.lineTo(this.width, axisHeight - 0.5);
		context.stroke();
		context.fillStyle = palette.text;
		context.font = font;
		const origin = this.model.metadata.start;
		const first = Math.ceil((state.start - origin) / step);
		for (let tick = first; ; tick++) {
			const time = origin + tick * step;
			if (time > state.end) {
				break;
			}

			const x = this.xOf(state, time);
			if (x < labelWidth) {
				continue;
			}

			context.fillRect(Math.round(x), axisHeight - 6, 1, 6);
			context.fillText(formatTick(time - origin, step), x + 3, axisHeight / 2 - 1);
		}

		context.fillStyle = palette.dim;
		context.fillText(`${this.model.metadata.title}`, 8, axisHeight / 2 - 1);
	}

	#slices(context: CanvasRenderingContext2D, state: ViewState, track: SliceTrack, top: number, record: FrameRecord): void {
		const usPerPixel = state.span / this.plotWidth;
		const origin = state.start;
		const scale = this.plotWidth / state.span;
		const canvasWidth = this.width;
		const canvasHeight = this.height;
		const depths = depthCount(track);
		const {names} = track;
		const selected = state.selected !== undefined && this.model.tracks[state.selected.track] === track ? state.selected.slice : -1;
		const flags = state.matchFlags;
		const highlight = state.highlightedName;
		for (let depth = 0; depth < depths; depth++) {
			const y = top + 2 + depth * sliceRowHeight;
			if (y > canvasHeight || y + sliceRowHeight < axisHeight) {
				continue;
			}

			// Runs of merged blocks (and slices under a pixel) that touch are drawn as one rectangle: zoomed out, that is a handful of rectangles per depth instead of one per pixel column.
			let runLeft = Number.NaN;
			let runRight = Number.NaN;
			const flushRun = () => {
				if (!Number.isNaN(runLeft)) {
					context.fillStyle = palette.merged;
					context.fillRect(runLeft, y, Math.max(runRight - runLeft, 1), sliceRowHeight - 1);
					runLeft = Number.NaN;
				}
			};

			forEachVisibleSlice(track, depth, state.start, state.end, usPerPixel, (index, start, end, count) => {
				const x = labelWidth + (start - origin) * scale;
				const right = labelWidth + (end - origin) * scale;
				const left = Math.max(x, labelWidth - 1);
				const width = Math.max(right - left, 1);
				const name = names[index]!;
				const marked = (flags !== undefined && flags[name] === 1) || name === highlight || (index === selected && count === 1);
				if (count > 1 || (width <= 1 && !marked)) {
					record.merged += count > 1 ? 1 : 0;
					record.slices += count > 1 ? 0 : 1;
					if (!Number.isNaN(runLeft) && left <= runRight + 1) {
						runRight = Math.max(runRight, left + width);
					} else {
						flushRun();
						runLeft = left;
						runRight = left + width;
					}

					return;
				}

				flushRun();
				record.slices++;
				context.fillStyle = this.colors.of(name);
				context.fillRect(left, y, width, sliceRowHeight - 1);
				if (marked) {
					context.strokeStyle = index === selected ? palette.selection : palette.match;
					context.lineWidth = index === selected ? 2 : 1.5;
					context.strokeRect(left + 0.75, y + 0.75, Math.max(width - 1.5, 0.5), sliceRowHeight - 2.5);
				}

				if (width > 24) {
					this.#sliceText(context, name, left, Math.min(right, canvasWidth), y);
				}
			});
			flushRun();
		}
	}

	#sliceText(context: CanvasRenderingContext2D, name: number, left: number, right: number, y: number): void {
		const room = right - left - 6;
		const label = this.label(name);
		const nameWidth = (this.#nameWidths[name] ??= context.measureText(label.name).width);
		context.fillStyle = palette.text;
		const textY = y + sliceRowHeight / 2;
		if (nameWidth <= room) {
			context.fillText(label.name, left + 3, textY);
			if (label.location !== '' && room - nameWidth > 30) {
				context.fillStyle = palette.dim;
				context.fillText(fitText(context, ` ${label.location}`, room - nameWidth), left + 3 + nameWidth, textY);
			}

			return;
		}

		context.fillText(fitText(context, label.name, room), left + 3, textY);
	}

	#counter(context: CanvasRenderingContext2D, state: ViewState, track: CounterTrack, top: number, height: number, record: FrameRecord): void {
		let max = 0;
		for (const series of track.series) {
			for (const value of series.values) {
				max = Math.max(max, value);
			}
		}

		const scale = max > 0 ? (height - 8) / max : 0;
		const bottom = top + height - 3;
		track.series.forEach((series, seriesIndex) => {
			const color = palette.counter[seriesIndex % palette.counter.length]!;
			context.strokeStyle = color;
			context.fillStyle = color;
			context.globalAlpha = track.series.length === 1 ? 0.35 : 0.12;
			const path = counterPath(this, state, series.ts, series.values, scale, bottom, record);
			context.beginPath();
			context.moveTo(path[0] ?? labelWidth, bottom);
			for (let index = 0; index < path.length; index += 2) {
				context.lineTo(path[index]!, path[index + 1]!);
			}

			context.lineTo(path.at(-2) ?? labelWidth, bottom);
			context.fill();
			context.globalAlpha = 1;
			context.beginPath();
			for (let index = 0; index < path.length; index += 2) {
				if (index === 0) {
					context.moveTo(path[0]!, path[1]!);
				} else {
					context.lineTo(path[index]!, path[index + 1]!);
				}
			}

			context.lineWidth = 1.25;
			context.stroke();
		});
	}

	#object(context: CanvasRenderingContext2D, state: ViewState, track: ObjectTrack, top: number): void {
		const end = Number.isNaN(track.destroyed) ? this.model.metadata.end : track.destroyed;
		const left = Math.max(this.xOf(state, track.created), labelWidth - 1);
		const right = this.xOf(state, end);
		const y = top + 2;
		context.fillStyle = 'rgba(126, 87, 194, 0.18)';
		context.fillRect(left, y, Math.max(right - left, 1), sliceRowHeight - 1);
		context.fillStyle = palette.object;
		for (const snapshot of track.snapshots) {
			const x = this.xOf(state, snapshot.ts);
			if (x < labelWidth - 6 || x > this.width + 6) {
				continue;
			}

			context.beginPath();
			context.moveTo(x, y + 2);
			context.lineTo(x + 5, y + sliceRowHeight / 2);
			context.lineTo(x, y + sliceRowHeight - 3);
			context.lineTo(x - 5, y + sliceRowHeight / 2);
			context.closePath();
			context.fill();
		}
	}

	#instants(context: CanvasRenderingContext2D, state: ViewState, record: FrameRecord): void {
		const rowOf = new Map(this.rows.map(row => [row.track, row]));
		const processExtent = new Map<number, {top: number; bottom: number}>();
		for (const row of this.rows) {
			const track = this.model.tracks[row.track]!;
			const extent = processExtent.get(track.pid);
			const top = this.yOf(state, row);
			processExtent.set(track.pid, {top: Math.min(extent?.top ?? top, top), bottom: Math.max(extent?.bottom ?? 0, top + row.height)});
		}

		for (const instant of this.model.instants) {
			if (instant.ts < state.start || instant.ts > state.end) {
				continue;
			}

			const x = this.xOf(state, instant.ts);
			context.strokeStyle = palette.instant;
			context.fillStyle = palette.instant;
			context.lineWidth = 1;
			if (instant.scope === 'g' || instant.scope === 'p') {
				const extent = instant.scope === 'g' ? {top: axisHeight, bottom: this.height} : processExtent.get(instant.pid);
				if (extent === undefined) {
					continue;
				}

				context.setLineDash([4, 3]);
				context.beginPath();
				context.moveTo(Math.round(x) + 0.5, Math.max(extent.top, axisHeight));
				context.lineTo(Math.round(x) + 0.5, extent.bottom);
				context.stroke();
				context.setLineDash([]);
			}

			const row = rowOf.get(instant.track);
			if (row === undefined) {
				continue;
			}

			const y = this.yOf(state, row) + 1;
			if (y < axisHeight) {
				continue;
			}

			record.instants++;
			context.beginPath();
			context.moveTo(x - 5, y);
			context.lineTo(x + 5, y);
			context.lineTo(x, y + 8);
			context.closePath();
			context.fill();
		}
	}

	#flows(context: CanvasRenderingContext2D, state: ViewState, record: FrameRecord): void {
		const selected = state.selected;
		const rowTop = new Map(this.rows.map(row => [row.track, this.yOf(state, row)]));
		context.lineWidth = 1.25;
		for (const flow of this.model.flows) {
			if (Math.max(flow.from.ts, flow.to.ts) < state.start || Math.min(flow.from.ts, flow.to.ts) > state.end) {
				continue;
			}

			const fromTop = rowTop.get(flow.from.track);
			const toTop = rowTop.get(flow.to.track);
			if (fromTop === undefined || toTop === undefined) {
				continue;
			}

			const fromY = fromTop + 2 + this.#depthAt(flow.from.track, flow.from.slice) * sliceRowHeight + sliceRowHeight / 2;
			const toY = toTop + 2 + this.#depthAt(flow.to.track, flow.to.slice) * sliceRowHeight + sliceRowHeight / 2;
			const fromX = this.xOf(state, flow.from.ts);
			const toX = this.xOf(state, flow.to.ts);
			const touchesSelection = selected !== undefined && ((flow.from.track === selected.track && flow.from.slice === selected.slice) || (flow.to.track === selected.track && flow.to.slice === selected.slice));
			context.strokeStyle = touchesSelection ? palette.flowSelected : palette.flow;
			context.fillStyle = context.strokeStyle;
			const bend = Math.max(Math.abs(toX - fromX) / 3, 12);
			context.beginPath();
			context.moveTo(fromX, fromY);
			context.bezierCurveTo(fromX + bend, fromY, toX - bend, toY, toX, toY);
			context.stroke();
			// The arrowhead, pointing along the curve's last tangent (horizontal).
			context.beginPath();
			context.moveTo(toX, toY);
			context.lineTo(toX - 6, toY - 3.5);
			context.lineTo(toX - 6, toY + 3.5);
			context.closePath();
			context.fill();
			record.flows++;
		}
	}

	#depthAt(trackIndex: number, slice: number): number {
		const track = this.model.tracks[trackIndex];
		return track === undefined || !isSliceTrack(track) || slice < 0 ? 0 : depthOf(track, slice);
	}

	#range(context: CanvasRenderingContext2D, state: ViewState, height: number): void {
		if (state.range === undefined) {
			return;
		}

		const left = Math.max(this.xOf(state, state.range.start), labelWidth);
		const right = Math.min(this.xOf(state, state.range.end), this.width);
		if (right < labelWidth || left > this.width) {
			return;
		}

		context.fillStyle = palette.range;
		context.fillRect(left, axisHeight, Math.max(right - left, 1), height - axisHeight);
		context.fillStyle = palette.rangeEdge;
		context.fillRect(Math.round(left), axisHeight, 1, height - axisHeight);
		context.fillRect(Math.round(right), axisHeight, 1, height - axisHeight);
	}

	#labelsColumn(context: CanvasRenderingContext2D, state: ViewState, height: number): void {
		context.fillStyle = palette.label;
		context.fillRect(0, axisHeight, labelWidth, height - axisHeight);
		context.strokeStyle = palette.labelBorder;
		context.beginPath();
		for (const row of this.rows) {
			const top = this.yOf(state, row);
			if (top > height || top + row.height < axisHeight) {
				continue;
			}

			const track = this.model.tracks[row.track]!;
			const isProcess = track.kind === 'process';
			if (isProcess) {
				context.fillStyle = palette.process;
				context.fillRect(0, top, labelWidth, row.height);
			}

			context.font = isProcess ? boldFont : font;
			context.fillStyle = isProcess ? palette.text : palette.dim;
			const indent = isProcess || (track.kind === 'instant' && track.pid < 0) ? 8 : (track.kind === 'thread' || track.kind === 'counter' || track.kind === 'object' ? 22 : 34);
			const prefix = isProcess ? `${state.collapsed.has(track.pid) ? '▸' : '▾'} ` : '';
			const suffix = isProcess ? ` pid ${track.pid}` : (track.kind === 'thread' && track.tid !== undefined ? ` ${track.tid}` : '');
			context.fillStyle = isProcess || track.kind === 'thread' ? palette.text : palette.dim;
			const suffixWidth = suffix === '' ? 0 : context.measureText(suffix).width;
			const text = fitText(context, `${prefix}${track.name}`, labelWidth - indent - 8 - suffixWidth);
			const textWidth = context.measureText(text).width;
			context.fillText(text, indent, top + Math.min(row.height, 22) / 2);
			if (suffix !== '') {
				context.fillStyle = palette.dim;
				context.font = font;
				context.fillText(suffix, indent + textWidth, top + Math.min(row.height, 22) / 2);
			}

			context.moveTo(0, Math.round(top + row.height) - 0.5);
			context.lineTo(this.width, Math.round(top + row.height) - 0.5);
		}

		context.moveTo(labelWidth - 0.5, axisHeight);
		context.lineTo(labelWidth - 0.5, height);
		context.stroke();
	}
}

/** Canvas x, y pairs of a counter series' step graph, at most a few points per pixel column (its first, min, max and last). */
function counterPath(renderer: Renderer, state: ViewState, ts: Float64Array, values: Float64Array, scale: number, bottom: number, record: FrameRecord): number[] {
	const points: number[] = [];
	if (ts.length === 0) {
		return points;
	}

	// The value in force at the left edge is the last one before it.
	let index = lowerBound(ts, state.start);
	if (index > 0) {
		index--;
	}

	let lastColumn = Number.NaN;
	let columnMin = 0;
	let columnMax = 0;
	let previousY = bottom - values[index]! * scale;
	const flush = (x: number) => {
		points.push(x, bottom - columnMax * scale, x, bottom - columnMin * scale);
	};

	for (; index < ts.length; index++) {
		const x = Math.max(renderer.xOf(state, ts[index]!), labelWidth);
		const column = Math.floor(x);
		const value = values[index]!;
		record.counterPoints++;
		if (column === lastColumn) {
			columnMin = Math.min(columnMin, value);
			columnMax = Math.max(columnMax, value);
			previousY = bottom - value * scale;
			continue;
		}

		if (!Number.isNaN(lastColumn)) {
			flush(lastColumn);
		}

		// A step: the previous value holds until this sample.
		points.push(x, previousY);
		lastColumn = column;
		columnMin = value;
		columnMax = value;
		previousY = bottom - value * scale;
		points.push(x, previousY);
		if (ts[index]! > state.end) {
			break;
		}
	}

	points.push(renderer.width, previousY);
	return points;
}

/** `text` cut with an ellipsis to fit `width` pixels. */
export function fitText(context: CanvasRenderingContext2D, text: string, width: number): string {
	if (width <= 0) {
		return '';
	}

	if (context.measureText(text).width <= width) {
		return text;
	}

	let low = 0;
	let high = text.length;
	while (low < high) {
		const middle = (low + high + 1) >> 1;
		if (context.measureText(`${text.slice(0, middle)}…`).width <= width) {
			low = middle;
		} else {
			high = middle - 1;
		}
	}

	return low === 0 ? '' : `${text.slice(0, low)}…`;
}
