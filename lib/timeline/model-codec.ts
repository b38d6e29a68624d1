import type {ArgsTable, CounterTrack, Flow, HeaderTrack, Instant, ObjectTrack, SliceTrack, TimelineMetadata, TimelineModel, Track, TrackInfo} from './model.js';
import {isSliceTrack} from './model.js';

// The model as the server sends it to the page: a JSON header, then each
// typed array's bytes, each at a multiple of 8 bytes from the start, so the
// page makes views onto the one ArrayBuffer it fetched instead of copying
// or parsing millions of numbers.
//
//   "VZTL" · u32 version · u32 header bytes · header (UTF-8 JSON) · padding · arrays

const magic = 0x4C_54_5A_56; // "VZTL" read as little-endian u32
export const modelCodecVersion = 1;

type Block = [offset: number, length: number];

type EncodedSlices = TrackInfo & {depthOffsets: Block; start: Block; dur: Block; self: Block; names: Block; args: Block};
type EncodedCounter = TrackInfo & {series: {name: string; ts: Block; values: Block}[]};
type EncodedTrack = EncodedSlices | EncodedCounter | ObjectTrack | HeaderTrack;

type Header = {
	metadata: TimelineMetadata;
	strings: string[];
	tracks: EncodedTrack[];
	instants: Instant[];
	flows: Flow[];
	args: {offsets: Block; bytes: Block};
};

export class TimelineCodecError extends Error {
	readonly code = 'VIZVIEWER_BAD_MODEL';
}

type Array = Float64Array | Uint32Array | Int32Array | Uint8Array;

const info = (track: TrackInfo): TrackInfo => ({id: track.id, kind: track.kind, name: track.name, pid: track.pid, ...(track.tid === undefined ? {} : {tid: track.tid})});

/** The model as a list of byte parts, to be sent one after the other (no copy of the arrays). */
export function encodeModel(model: TimelineModel): Uint8Array[] {
	const arrays: Array[] = [];
	let offset = 0;
	const block = (array: Array): Block => {
		const at = offset;
		arrays.push(array);
		offset += Math.ceil(array.byteLength / 8) * 8;
		return [at, array.length];
	};

	const tracks = model.tracks.map((track): EncodedTrack => {
		if (isSliceTrack(track)) {
			return {...info(track), depthOffsets: block(track.depthOffsets), start: block(track.start), dur: block(track.dur), self: block(track.self), names: block(track.names), args: block(track.args)};
		}

		if (track.kind === 'counter') {
			return {...info(track), series: track.series.map(series => ({name: series.name, ts: block(series.ts), values: block(series.values)}))};
		}

		return track;
	});
	const header: Header = {
		metadata: model.metadata, strings: model.strings, tracks, instants: model.instants, flows: model.flows,
		args: {offsets: block(model.args.offsets), bytes: block(model.args.bytes)},
	};
	const json = new TextEncoder().encode(JSON.stringify(header));
	const headBytes = Math.ceil((12 + json.byteLength) / 8) * 8;
	const head = new Uint8Array(headBytes);
	const view = new DataView(head.buffer);
	view.setUint32(0, magic, true);
	view.setUint32(4, modelCodecVersion, true);
	view.setUint32(8, json.byteLength, true);
	head.set(json, 12);
	const parts: Uint8Array[] = [head];
	for (const array of arrays) {
		parts.push(new Uint8Array(array.buffer, array.byteOffset, array.byteLength));
		const padding = Math.ceil(array.byteLength / 8) * 8 - array.byteLength;
		if (padding > 0) {
			parts.push(new Uint8Array(padding));
		}
	}

	return parts;
}

/** The model from the bytes of {@link encodeModel}; typed arrays are views onto `buffer` (which must start at an 8-byte boundary). */
export function decodeModel(buffer: ArrayBuffer, byteOffset = 0): TimelineModel {
	if (buffer.byteLength - byteOffset < 12) {
		throw new TimelineCodecError('the timeline data is cut short');
	}

	const view = new DataView(buffer, byteOffset);
	if (view.getUint32(0, true) !== magic) {
		throw new TimelineCodecError('the timeline data does not start with VZTL');
	}

	const version = view.getUint32(4, true);
	if (version !== modelCodecVersion) {
		throw new TimelineCodecError(`the timeline data is version ${version}, this viewer reads version ${modelCodecVersion}`);
	}

	const headerBytes = view.getUint32(8, true);
	if (12 + headerBytes > buffer.byteLength - byteOffset) {
		throw new TimelineCodecError('the timeline data is cut short');
	}

	const header = JSON.parse(new TextDecoder().decode(new Uint8Array(buffer, byteOffset + 12, headerBytes))) as Header;
	const base = byteOffset + Math.ceil((12 + headerBytes) / 8) * 8;
	const array = <T extends Array>(make: new (buffer: ArrayBuffer, offset: number, length: number) => T, [offset, length]: Block): T => {
		if (base + offset + length * (make as unknown as {BYTES_PER_ELEMENT: number}).BYTES_PER_ELEMENT > buffer.byteLength) {
			throw new TimelineCodecError('the timeline data is cut short');
		}

		return new make(buffer, base + offset, length);
	};

	const tracks = header.tracks.map((track): Track => {
		if ('depthOffsets' in track) {
			return {
				...info(track), kind: track.kind as SliceTrack['kind'],
				depthOffsets: array(Uint32Array, track.depthOffsets), start: array(Float64Array, track.start), dur: array(Float64Array, track.dur),
				self: array(Float64Array, track.self), names: array(Uint32Array, track.names), args: array(Int32Array, track.args),
			};
		}

		if (track.kind === 'counter') {
			return {...info(track), kind: 'counter', series: (track as EncodedCounter).series.map(series => ({name: series.name, ts: array(Float64Array, series.ts), values: array(Float64Array, series.values)}))} satisfies CounterTrack;
		}

		if (track.kind === 'object') {
			// JSON has no NaN: an object never destroyed comes back as null.
			const object = track as ObjectTrack;
			return {...object, destroyed: typeof object.destroyed === 'number' ? object.destroyed : Number.NaN};
		}

		return track as HeaderTrack;
	});
	const args: ArgsTable = {offsets: array(Uint32Array, header.args.offsets), bytes: array(Uint8Array, header.args.bytes)};
	return {metadata: header.metadata, strings: header.strings, tracks, instants: header.instants, flows: header.flows, args};
}
