import {isSliceTrack, type TimelineModel} from '../timeline/model.js';
import {forEachVisibleSlice} from '../timeline/visible-slices.js';
import {palette} from './colors.js';
import {labelWidth} from './renderer.js';
import type {ViewState} from './view-state.js';

/**
 * The strip above the timeline: how busy each process's top-level slices
 * keep it over the whole trace, and a box around the visible window.
 * The busy columns are computed once per width (they do not depend on the
 * window), so a frame only redraws them.
 */
export class Overview {
	#columns: Float32Array[] = [];
	#width = 0;

	constructor(readonly model: TimelineModel, readonly canvas: HTMLCanvasElement) {}

	get plotWidth(): number {
		return Math.max(1, this.canvas.clientWidth - labelWidth);
	}

	#compute(state: ViewState): void {
		const width = Math.floor(this.plotWidth);
		this.#width = width;
		const {start, end} = state.bounds;
		const usPerPixel = (end - start) / width;
		const byProcess = new Map<number, Float32Array>();
		for (const track of this.model.tracks) {
			if (!isSliceTrack(track) || track.kind === 'gc') {
				continue;
			}

			let columns = byProcess.get(track.pid);
			if (columns === undefined) {
				columns = new Float32Array(width);
				byProcess.set(track.pid, columns);
			}

			const busy = columns;
			forEachVisibleSlice(track, 0, start, end, usPerPixel, (_index, from, to) => {
				for (let column = Math.max(0, Math.floor((from - start) / usPerPixel)); column < width && start + column * usPerPixel < to; column++) {
					const left = Math.max(from, start + column * usPerPixel);
					const right = Math.min(to, start + (column + 1) * usPerPixel);
					busy[column]! += Math.max(0, right - left) / usPerPixel;
				}
			});
		}

		this.#columns = [...byProcess.values()];
	}

	/** The time at canvas x. */
	timeAt(state: ViewState, x: number): number {
		const {start, end} = state.bounds;
		return start + ((x - labelWidth) / this.plotWidth) * (end - start);
	}

	draw(state: ViewState): void {
		const {canvas} = this;
		const ratio = globalThis.devicePixelRatio || 1;
		const width = canvas.clientWidth;
		const height = canvas.clientHeight;
		if (canvas.width !== Math.round(width * ratio) || canvas.height !== Math.round(height * ratio)) {
			canvas.width = Math.round(width * ratio);
			canvas.height = Math.round(height * ratio);
		}

		if (Math.floor(this.plotWidth) !== this.#width) {
			this.#compute(state);
		}

		const context = canvas.getContext('2d', {alpha: false})!;
		context.setTransform(ratio, 0, 0, ratio, 0, 0);
		context.fillStyle = palette.label;
		context.fillRect(0, 0, width, height);
		context.fillStyle = palette.background;
		context.fillRect(labelWidth, 0, width - labelWidth, height);
		const lanes = Math.max(1, this.#columns.length);
		const laneHeight = (height - 4) / lanes;
		this.#columns.forEach((columns, lane) => {
			context.fillStyle = palette.counter[lane % palette.counter.length]!;
			context.globalAlpha = 0.55;
			for (let column = 0; column < columns.length; column++) {
				const busy = Math.min(1, columns[column]!);
				if (busy > 0) {
					const barHeight = Math.max(1, busy * laneHeight);
					context.fillRect(labelWidth + column, 2 + (lane + 1) * laneHeight - barHeight, 1, barHeight);
				}
			}
		});
		context.globalAlpha = 1;
		const {start, end} = state.bounds;
		const left = labelWidth + ((state.start - start) / (end - start)) * this.plotWidth;
		const right = labelWidth + ((state.end - start) / (end - start)) * this.plotWidth;
		context.fillStyle = 'rgba(21, 101, 192, 0.15)';
		context.fillRect(left, 0, Math.max(right - left, 2), height);
		context.strokeStyle = palette.selection;
		context.lineWidth = 1;
		context.strokeRect(Math.round(left) + 0.5, 0.5, Math.max(Math.round(right - left), 2), height - 1);
		context.fillStyle = palette.dim;
		context.font = '11px system-ui, sans-serif';
		context.textBaseline = 'middle';
		context.fillText('Overview', 8, height / 2);
	}
}
