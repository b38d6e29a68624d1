import {
  EntryKind,
  NumberSlot,
  StateSlot,
  ViztEncoder,
  depthOf,
  entryText,
  firstLaneTrack,
  isPlainSpan,
  kindMask,
  metadataEvents,
  trackOf,
  trackTid
} from "../chunks/chunk-XZS3WIM7.js";
import {
  makeDirectoriesSync
} from "../chunks/chunk-SNT263OC.js";
import "../chunks/chunk-SK6HMZ5B.js";

// dist/trace-file/ring-streamer-worker.js
import fs from "node:fs";
import path from "node:path";
import { parentPort, workerData } from "node:worker_threads";
var data = workerData;
var state = new Int32Array(data.state);
var numbers = new Float64Array(data.numbers);
var starts = new Float64Array(data.starts);
var ends = new Float64Array(data.ends);
var names = new Int32Array(data.names);
var metas = new Int32Array(data.metas);
var { info, mask } = data;
var ringStrings = [];
var stringView = { strings: { get: (id) => ringStrings[id] ?? "<unknown>" } };
var nameJson = [];
var nameJsonOf = (id) => nameJson[id] ??= JSON.stringify(ringStrings[id] ?? "<unknown>");
var fd;
var startLength = 0;
var length = 0;
var encoder = new ViztEncoder();
var tracks = [""];
var namedTracks = 1;
var laneEnds = [];
var prefixes = [];
var prefixOf = (track) => prefixes[track] ??= `,"pid":${info.pid},"tid":${trackTid(info, track)},"ts":`;
function writeAll(bytes) {
  let offset = 0;
  while (offset < bytes.length) {
    offset += fs.writeSync(fd, bytes, offset, bytes.length - offset, length + offset);
  }
  length += bytes.length;
}
function open() {
  makeDirectoriesSync(path.dirname(data.file));
  fd = fs.openSync(data.file, "wx", 420);
  encoder.metadata(data.metadataJson);
  for (const event of metadataEvents(info)) {
    encoder.entry(JSON.stringify(event));
  }
  encoder.thread(stringView, info);
  writeAll(encoder.out.take());
  startLength = length;
}
function nameNewTracks() {
  for (; namedTracks < tracks.length; namedTracks++) {
    if (tracks[namedTracks] !== "async") {
      nameRow(namedTracks, tracks[namedTracks]);
    }
  }
}
function nameRow(track, name) {
  const tid = trackTid(info, track);
  encoder.entry(JSON.stringify({ ph: "M", name: "thread_name", pid: info.pid, tid, args: { name: `${name} (${info.threadName})` } }));
  encoder.entry(JSON.stringify({ ph: "M", name: "thread_sort_index", pid: info.pid, tid, args: { sort_index: track } }));
}
function laneOf(start, end) {
  let lane = 0;
  while (lane < laneEnds.length && laneEnds[lane] > start) {
    lane++;
  }
  if (lane === laneEnds.length) {
    nameRow(firstLaneTrack + lane, `async ${lane + 1}`);
  }
  laneEnds[lane] = end;
  return firstLaneTrack + lane;
}
function writeChunk(message) {
  if (fd === void 0) {
    open();
  }
  for (let index = 0; index < message.strings.length; index++) {
    ringStrings[message.firstString + index] = message.strings[index];
  }
  if (message.tracks !== void 0) {
    tracks = message.tracks;
    nameNewTracks();
  }
  const laneTrack = tracks.indexOf("async");
  const payloads = /* @__PURE__ */ new Map();
  for (let index = 0; index < message.payloads.length; index += 2) {
    payloads.set(message.payloads[index], message.payloads[index + 1]);
  }
  for (let entry = message.from; entry < message.to; entry++) {
    const slot = entry & mask;
    const meta = metas[slot];
    if (isPlainSpan(meta)) {
      encoder.spanAt(names[slot], starts, ends, slot, depthOf(meta));
    } else {
      const track = trackOf(meta);
      const row = track === laneTrack && track > 0 && (meta & kindMask) === EntryKind.span ? laneOf(starts[slot], ends[slot]) : track;
      encoder.entry(entryText(meta, nameJsonOf(names[slot]), prefixOf(row), starts[slot], ends[slot], payloads.get(entry - message.from)));
    }
    if (encoder.out.length >= 1 << 20) {
      writeAll(encoder.out.take());
    }
  }
  writeAll(encoder.out.take());
  numbers[NumberSlot.written] = message.to;
}
function clear() {
  if (fd === void 0) {
    return;
  }
  fs.ftruncateSync(fd, startLength);
  length = startLength;
  encoder = new ViztEncoder({ strings: 0, time: 0 });
  encoder.thread(stringView, info);
  namedTracks = 1;
  laneEnds = [];
  nameNewTracks();
  numbers[NumberSlot.written] = 0;
}
parentPort.on("message", (message) => {
  if (Atomics.load(state, StateSlot.failed) === 1) {
    return;
  }
  try {
    if (message.type === "chunk") {
      writeChunk(message);
    } else {
      clear();
    }
    const { strings, time } = encoder.continuation;
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
