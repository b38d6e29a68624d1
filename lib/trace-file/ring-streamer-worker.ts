// The trace writer thread of a streaming recording (see ring-streamer.ts):
// it reads the traced thread's ring in place, from SharedArrayBuffers,
// encodes each chunk it is handed as `.vizt` records and appends them to its
// file, so the traced thread only copies payloads and posts a message. It
// lays async lifetimes out on rows as they come, and names each new row.

import fs from 'node:fs';
import path from 'node:path';
import {parentPort, workerData, type MessagePort} from 'node:worker_threads';
import {depthOf, EntryKind, isPlainSpan, isSpanWithArgs, kindMask, trackOf} from '../core/ring-buffer.js';
import {makeDirectoriesSync} from './make-directories.js';
import {NumberSlot, StateSlot, type ChunkMessage, type StreamerData, type StreamerMessage} from './ring-streamer-state.js';
import {firstLaneTrack, metadataEvents, trackTid, type EntriesView} from './trace-data.js';
import {entryText} from './trace-serializer.js';
import {ViztEncoder} from './vizt-writer.js';

const data = workerData as StreamerData & {port: MessagePort};
const state = new Int32Array(data.state);
const numbers = new Float64Array(data.numbers);
const starts = new Float64Array(data.starts);
const ends = new Float64Array(data.ends);
const names = new Int32Array(data.names);
const metas = new Int32Array(data.metas);
const {info, mask} = data;

// The ring's string ids (process-wide) and their names, as they were sent.
const ringStrings: string[] = [];
const stringView = {strings: {get: (id: number) => ringStrings[id] ?? '<unknown>'}} as unknown as EntriesView;
const nameJson: string[] = [];
const nameJsonOf = (id: number) => (nameJson[id] ??= JSON.stringify(ringStrings[id] ?? '<unknown>'));

let fd: number | undefined;
// The file's length after the header, the first METADATA and the thread's names: where a clear() cuts it back to.
let startLength = 0;
let length = 0;
let encoder = new ViztEncoder();
let tracks: string[] = [''];
let namedTracks = 1;
// Async lifetimes, on as few rows as overlap needs: each row's last end.
let laneEnds: number[] = [];
const prefixes: string[] = [];
const prefixOf = (track: number) => (prefixes[track] ??= `,"pid":${info.pid},"tid":${trackTid(info, track)},"ts":`);

function writeAll(bytes: Uint8Array): void {
	let offset = 0;
	while (offset < bytes.length) {
		offset += fs.writeSync(fd!, bytes, offset, bytes.length - offset, length + offset);
	}

	length += bytes.length;
}

function open(): void {
	makeDirectoriesSync(path.dirname(data.file));
	// `wx`: never through a file or link someone left under this name.
	fd = fs.openSync(data.file, 'wx', 0o644);
	encoder.metadata(data.metadataJson);
	for (const event of metadataEvents(info)) {
		encoder.entry(JSON.stringify(event));
	}

	encoder.thread(stringView, info);
	writeAll(encoder.out.take());
	startLength = length;
}

/** Names rows that appeared since the last chunk (the async row itself is never shown: its lifetimes go on lanes). */
function nameNewTracks(): void {
	for (; namedTracks < tracks.length; namedTracks++) {
		if (tracks[namedTracks] !== 'async') {
			nameRow(namedTracks, tracks[namedTracks]!);
		}
	}
}

function nameRow(track: number, name: string): void {
	const tid = trackTid(info, track);
	encoder.entry(JSON.stringify({ph: 'M', name: 'thread_name', pid: info.pid, tid, args: {name: `${name} (${info.threadName})`}}));
	encoder.entry(JSON.stringify({ph: 'M', name: 'thread_sort_index', pid: info.pid, tid, args: {sort_index: track}}));
}

/**
 * The lane of an async lifetime. Lifetimes come as they end, so a row whose
 * last lifetime ended by this one's start holds no lifetime it overlaps.
 */
function laneOf(start: number, end: number): number {
	let lane = 0;
	while (lane < laneEnds.length && laneEnds[lane]! > start) {
		lane++;
	}

	if (lane === laneEnds.length) {
		nameRow(firstLaneTrack + lane, `async ${lane + 1}`);
	}

	laneEnds[lane] = end;
	return firstLaneTrack + lane;
}

function writeChunk(message: ChunkMessage): void {
	if (fd === undefined) {
		open();
	}

	for (let index = 0; index < message.strings.length; index++) {
		ringStrings[message.firstString + index] = message.strings[index]!;
	}

	if (message.tracks !== undefined) {
		tracks = message.tracks;
		nameNewTracks();
	}

	const laneTrack = tracks.indexOf('async');
	const payloads = new Map<number, string>();
	for (let index = 0; index < message.payloads.length; index += 2) {
		payloads.set(message.payloads[index] as number, message.payloads[index + 1] as string);
	}

	for (let entry = message.from; entry < message.to; entry++) {
		const slot = entry & mask;
		const meta = metas[slot]!;
		if (isPlainSpan(meta)) {
			encoder.spanAt(names[slot]!, starts, ends, slot, depthOf(meta));
		} else if (isSpanWithArgs(meta) && payloads.get(entry - message.from)?.startsWith('{') === true) {
			encoder.argsSpanAt(names[slot]!, starts, ends, slot, depthOf(meta), payloads.get(entry - message.from)!);
		} else {
			const track = trackOf(meta);
			const row = track === laneTrack && track > 0 && (meta & kindMask) === EntryKind.span ? laneOf(starts[slot]!, ends[slot]!) : track;
			encoder.entry(entryText(meta, nameJsonOf(names[slot]!), prefixOf(row), starts[slot]!, ends[slot]!, payloads.get(entry - message.from)));
		}

		if (encoder.out.length >= 1 << 20) {
			writeAll(encoder.out.take());
		}
	}

	writeAll(encoder.out.take());
	numbers[NumberSlot.written] = message.to;
}

function clear(): void {
	if (fd === undefined) {
		return;
	}

	fs.ftruncateSync(fd, startLength);
	length = startLength;
	encoder = new ViztEncoder({strings: 0, time: 0});
	encoder.thread(stringView, info);
	namedTracks = 1;
	laneEnds = [];
	nameNewTracks();
	numbers[NumberSlot.written] = 0;
}

parentPort!.on('message', (message: StreamerMessage) => {
	if (Atomics.load(state, StateSlot.failed) === 1) {
		return;
	}

	try {
		if (message.type === 'chunk') {
			writeChunk(message);
		} else {
			clear();
		}

		const {strings, time} = encoder.continuation;
		numbers[NumberSlot.bytes] = length;
		numbers[NumberSlot.strings] = strings;
		numbers[NumberSlot.time] = time;
	} catch (error) {
		data.port.postMessage(error instanceof Error ? `${error.message}` : String(error));
		Atomics.store(state, StateSlot.failed, 1);
	}

	Atomics.add(state, StateSlot.done, 1);
	Atomics.notify(state, StateSlot.done);
});

Atomics.store(state, StateSlot.ready, 1);
Atomics.notify(state, StateSlot.done);
