// Shared pieces of the timeline model tests: a model built from events, a
// seeded random source, random call trees with their true depths, and a
// slice track laid out from spans.
import {TimelineModelBuilder} from '../../dist/timeline/model-builder.js';
import {isSliceTrack, depthOf} from '../../dist/timeline/model.js';
import {layoutRows, selfTimes} from '../../dist/timeline/row-layout.js';

/** The model of `events`, fed to the builder in one batch. */
export function buildModel(events, options = {title: 'trace'}) {
	const builder = new TimelineModelBuilder();
	for (const event of events) {
		builder.addEvent(event);
	}

	return builder.finish(options);
}

/** A small seeded PRNG (mulberry32), so failures replay. */
export function random(seed) {
	let state = seed >>> 0;
	const next = () => {
		state = (state + 0x6D_2B_79_F5) >>> 0;
		let value = state;
		value = Math.imul(value ^ (value >>> 15), value | 1);
		value ^= value + Math.imul(value ^ (value >>> 7), value | 61);
		return ((value ^ (value >>> 14)) >>> 0) / 4_294_967_296;
	};

	next.int = (low, high) => low + Math.floor(next() * (high - low + 1));
	next.pick = list => list[Math.floor(next() * list.length)];
	next.shuffle = list => {
		const copy = [...list];
		for (let index = copy.length - 1; index > 0; index--) {
			const other = Math.floor(next() * (index + 1));
			[copy[index], copy[other]] = [copy[other], copy[index]];
		}

		return copy;
	};

	return next;
}

/**
 * A random forest of properly nested spans on integer times, children often
 * sharing a boundary with their parent or with each other, never identical
 * to their parent. Each span: {start, dur, end, depth (true nesting depth), children, parent}.
 */
export function randomForest(rand, {roots = 3, maxDepth = 6, width = 1000} = {}) {
	const spans = [];
	const grow = (parent, start, end, depth) => {
		if (depth > maxDepth || end - start < 1) {
			return [];
		}

		const points = new Set([start, end]);
		const cuts = rand.int(0, 4);
		for (let cut = 0; cut < cuts; cut++) {
			points.add(rand.int(start, end));
		}

		const sorted = [...points].sort((a, b) => a - b);
		const children = [];
		for (let index = 0; index + 1 < sorted.length; index++) {
			const childStart = sorted[index];
			const childEnd = sorted[index + 1];
			const isWhole = parent !== undefined && childStart === parent.start && childEnd === parent.end;
			if (isWhole || rand() < 0.25) {
				continue;
			}

			const span = {start: childStart, dur: childEnd - childStart, end: childEnd, depth, parent, children: []};
			spans.push(span);
			children.push(span);
			span.children = grow(span, childStart, childEnd, depth + 1);
		}

		return children;
	};

	const top = [];
	for (let root = 0; root < roots; root++) {
		const start = root * width;
		const span = {start, dur: width, end: start + width, depth: 0, parent: undefined, children: []};
		spans.push(span);
		top.push(span);
		span.children = grow(span, start, start + width, 1);
	}

	return {spans, roots: top};
}

/** Post-order: children before parents, as the tracer writes spans (when they return). */
export function endOrder(roots) {
	const out = [];
	const visit = span => {
		for (const child of span.children) {
			visit(child);
		}

		out.push(span);
	};

	for (const root of roots) {
		visit(root);
	}

	return out;
}

/** Pre-order: parents before children, siblings by start. */
export function startOrder(roots) {
	const out = [];
	const visit = span => {
		out.push(span);
		for (const child of span.children) {
			visit(child);
		}
	};

	for (const root of roots) {
		visit(root);
	}

	return out;
}

export const f64 = values => Float64Array.from(values);

/** Depth of each input span from a RowLayout. */
export function inputDepths(layout) {
	const depths = new Int32Array(layout.order.length).fill(-1);
	for (let depth = 0; depth + 1 < layout.depthOffsets.length; depth++) {
		for (let k = layout.depthOffsets[depth]; k < layout.depthOffsets[depth + 1]; k++) {
			depths[layout.order[k]] = depth;
		}
	}

	return depths;
}

/** A SliceTrack (as the model builder makes them) from spans in any order. */
export function sliceTrack(start, dur, {names, id = 't1:1'} = {}) {
	const starts = f64(start);
	const durs = f64(dur);
	const layout = layoutRows(starts, durs);
	const count = starts.length;
	const sortedStart = new Float64Array(count);
	const sortedDur = new Float64Array(count);
	const sortedNames = new Uint32Array(count);
	for (let k = 0; k < count; k++) {
		sortedStart[k] = starts[layout.order[k]];
		sortedDur[k] = durs[layout.order[k]];
		sortedNames[k] = names ? names[layout.order[k]] : 0;
	}

	return {
		id, kind: 'thread', name: 'Thread 1', pid: 1, tid: 1,
		depthOffsets: layout.depthOffsets, start: sortedStart, dur: sortedDur,
		self: selfTimes(sortedStart, sortedDur, layout.depthOffsets), names: sortedNames, args: new Int32Array(count).fill(-1),
	};
}

/** The slices of a slice track as plain objects, in the track's order. */
export function slicesOf(model, track) {
	const out = [];
	for (let index = 0; index < track.start.length; index++) {
		out.push({
			name: model.strings[track.names[index]],
			depth: depthOf(track, index),
			start: track.start[index],
			dur: track.dur[index],
			self: track.self[index],
			args: track.args[index],
		});
	}

	return out;
}

export const trackById = (model, id) => model.tracks.find(track => track.id === id);

export const sliceTracks = model => model.tracks.filter(track => isSliceTrack(track));

/** One ArrayBuffer holding the parts one after the other, as the page fetches them. */
export function concatParts(parts, lead = 0) {
	const total = parts.reduce((sum, part) => sum + part.byteLength, lead);
	const bytes = new Uint8Array(total);
	let offset = lead;
	for (const part of parts) {
		bytes.set(part, offset);
		offset += part.byteLength;
	}

	return bytes.buffer;
}
