import {
  VizTracerTraceTooLargeError,
  VizTracerUnwritableTraceError,
  describeValue,
  version
} from "./chunk-SNT263OC.js";

// dist/core/ring-buffer.js
var EntryKind = {
  /** A complete span (`ph: 'X'`): `start`/`end` are clock readings. */
  span: 0,
  /** An instant event (`ph: 'i'`); the scope is in the meta word. */
  instant: 1,
  /** A counter sample (`ph: 'C'`); the values are the payload. */
  counter: 2,
  /** An object created (`ph: 'N'`); `end` holds the object id. */
  objectNew: 3,
  /** An object snapshot (`ph: 'O'`); `end` holds the object id, the payload the snapshot. */
  objectSnapshot: 4,
  /** An object destroyed (`ph: 'D'`); `end` holds the object id. */
  objectDelete: 5,
  /** Where a flow arrow starts (`ph: 's'`); `end` holds the flow id. */
  flowStart: 6,
  /** Where a flow arrow ends (`ph: 'f'`, bound to the enclosing slice); `end` holds the flow id. */
  flowEnd: 7
};
var kindMask = 15;
var payloadFlag = 16;
var scopeShift = 5;
var scopeMask = 3;
var trackShift = 8;
var trackMask = 255;
var depthShift = 16;
var maxDepthField = 65535;
var trackOf = (meta) => meta >>> trackShift & trackMask;
var depthOf = (meta) => (meta >>> depthShift) - 1;
var depthBits = (depth) => (depth < maxDepthField ? depth + 1 : maxDepthField) << depthShift;
var isPlainSpan = (meta) => (meta & 65535) === 0;
var instantScopes = ["t", "p", "g"];
var bytesPerEntry = 8 + 8 + 4 + 4;
var RingBuffer = class {
  capacity;
  mask;
  starts;
  ends;
  names;
  metas;
  payloads = /* @__PURE__ */ new Map();
  /** Total writes since the last clear; the next slot is `head & mask`. */
  head = 0;
  /**
   * Writes before this one were handed on (to a writer that streams them to
   * disk) and are no longer the ring's: the ring holds `base` to `head`.
   */
  base = 0;
  /**
   * When `head` reaches this, `onLimit` runs before the write: a streaming
   * ring hands on its full chunks there. Infinite in a bounded ring, so its
   * writes pay one comparison.
   */
  limit = Number.POSITIVE_INFINITY;
  /** Returns whether the write may go ahead; a refused write is dropped and counted in `refused`. */
  onLimit = () => true;
  /** Writes dropped because `onLimit` refused them. */
  refused = 0;
  /** With `shared`, the arrays live in SharedArrayBuffers, so another thread can read them in place. */
  constructor(entries, shared = false) {
    this.capacity = 2 ** Math.ceil(Math.log2(Math.max(2, entries)));
    this.mask = this.capacity - 1;
    const buffer = (bytes) => shared ? new SharedArrayBuffer(bytes * this.capacity) : new ArrayBuffer(bytes * this.capacity);
    this.starts = new Float64Array(buffer(8));
    this.ends = new Float64Array(buffer(8));
    this.names = new Int32Array(buffer(4));
    this.metas = new Int32Array(buffer(4));
  }
  /** Writes one entry and returns its slot (-1 when `onLimit` refused it). */
  push(name, start, end, meta) {
    if (this.head === this.limit && !this.onLimit()) {
      this.refused++;
      return -1;
    }
    const slot = this.head++ & this.mask;
    if ((this.metas[slot] & payloadFlag) !== 0) {
      this.payloads.delete(slot);
    }
    this.starts[slot] = start;
    this.ends[slot] = end;
    this.names[slot] = name;
    this.metas[slot] = meta;
    return slot;
  }
  pushWithPayload(name, start, end, meta, payload) {
    const slot = this.push(name, start, end, meta | payloadFlag);
    if (slot >= 0) {
      this.payloads.set(slot, payload);
    }
  }
  /** How many entries the ring holds now. */
  get size() {
    return Math.min(this.head - this.base, this.capacity);
  }
  /** Whether entries were overwritten before anyone took them. */
  get overflowed() {
    return this.head - this.base > this.capacity;
  }
  /** Slot of the oldest entry still held. */
  get firstSlot() {
    return (this.overflowed ? this.head : this.base) & this.mask;
  }
  clear() {
    this.head = 0;
    this.base = 0;
    this.refused = 0;
    this.metas.fill(0);
    this.payloads.clear();
  }
};

// dist/core/clock.js
import { performance } from "node:perf_hooks";
var now = performance.now.bind(performance);
function baseTimeNanoseconds() {
  const origin = performance.timeOrigin;
  const milliseconds = Math.floor(origin);
  const nanosWithinMillisecond = Math.round((origin - milliseconds) * 1e6);
  return (BigInt(milliseconds) * 1000000n + BigInt(nanosWithinMillisecond)).toString();
}

// dist/trace-file/trace-data.js
function viewOf(ring, strings, tracks = []) {
  return {
    tracks,
    starts: ring.starts,
    ends: ring.ends,
    names: ring.names,
    metas: ring.metas,
    payloads: ring.payloads,
    first: ring.firstSlot,
    size: ring.size,
    mask: ring.mask,
    strings
  };
}
function snapshotOf(ring, strings, tracks = []) {
  return { ...viewOf(ring, strings, [...tracks]), starts: new Float64Array(ring.starts), ends: new Float64Array(ring.ends), names: new Int32Array(ring.names), metas: new Int32Array(ring.metas), payloads: new Map(ring.payloads) };
}
var emptyView = (strings, tracks = []) => ({
  tracks,
  starts: new Float64Array(0),
  ends: new Float64Array(0),
  names: new Int32Array(0),
  metas: new Int32Array(0),
  payloads: /* @__PURE__ */ new Map(),
  first: 0,
  size: 0,
  mask: 0,
  strings
});
var microseconds = (milliseconds) => Math.round(milliseconds * 1e6) / 1e3;
var objectId = (id) => `0x${id.toString(16)}`;
var phases = {
  [EntryKind.span]: "X",
  [EntryKind.instant]: "i",
  [EntryKind.counter]: "C",
  [EntryKind.objectNew]: "N",
  [EntryKind.objectSnapshot]: "O",
  [EntryKind.objectDelete]: "D",
  [EntryKind.flowStart]: "s",
  [EntryKind.flowEnd]: "f"
};
var phaseOf = (meta) => phases[meta & kindMask] ?? "X";
var scopeOf = (meta) => instantScopes[meta >> scopeShift & scopeMask] ?? "t";
var hasPayload = (meta) => (meta & payloadFlag) !== 0;
var firstLaneTrack = 1e3;
function asyncLanes(view) {
  const laneTrack = view.tracks.indexOf("async");
  const lanes = /* @__PURE__ */ new Map();
  if (laneTrack <= 0) {
    return lanes;
  }
  const slots = [];
  for (let index = 0; index < view.size; index++) {
    const slot = view.first + index & view.mask;
    if (trackOf(view.metas[slot]) === laneTrack) {
      slots.push(slot);
    }
  }
  slots.sort((a, b) => view.starts[a] - view.starts[b]);
  const laneEnds = [];
  for (const slot of slots) {
    let lane = laneEnds.findIndex((end) => end <= view.starts[slot]);
    if (lane === -1) {
      lane = laneEnds.length;
    }
    laneEnds[lane] = view.ends[slot];
    lanes.set(slot, firstLaneTrack + lane);
  }
  return lanes;
}
function laneTracks(lanes) {
  let last = firstLaneTrack - 1;
  for (const track of lanes.values()) {
    last = Math.max(last, track);
  }
  const count = last - firstLaneTrack + 1;
  return Array.from({ length: Math.max(0, count) }, (_, lane) => [firstLaneTrack + lane, `async ${lane + 1}`]);
}
var trackTid = (info, track) => track === 0 ? info.tid : info.tid * 1e4 + track;
function metadataEvents(info, tracks = [], lanes = []) {
  const events = [];
  if (info.isMainThread !== false) {
    events.push({ ph: "M", name: "process_name", pid: info.pid, tid: info.tid, args: { name: info.processName } });
  }
  events.push({ ph: "M", name: "thread_name", pid: info.pid, tid: info.tid, args: { name: info.threadName } });
  for (const [track, name] of [...tracks.entries(), ...lanes]) {
    if (track > 0 && name !== "async") {
      const tid = trackTid(info, track);
      events.push({ ph: "M", name: "thread_name", pid: info.pid, tid, args: { name: `${name} (${info.threadName})` } }, { ph: "M", name: "thread_sort_index", pid: info.pid, tid, args: { sort_index: track } });
    }
  }
  return events;
}
function eventAt(view, slot, info, lanes) {
  const meta = view.metas[slot];
  const kind = meta & kindMask;
  const event = { ph: phaseOf(meta), name: view.strings.get(view.names[slot]), pid: info.pid, tid: trackTid(info, lanes?.get(slot) ?? trackOf(meta)), ts: microseconds(view.starts[slot]) };
  const payload = hasPayload(meta) ? view.payloads.get(slot) : void 0;
  switch (kind) {
    case EntryKind.span: {
      event.cat = "FEE";
      event.dur = microseconds(view.ends[slot] - view.starts[slot]);
      if (payload !== void 0) {
        event.args = payload;
      }
      break;
    }
    case EntryKind.instant: {
      event.s = scopeOf(meta);
      if (payload !== void 0) {
        event.args = payload;
      }
      break;
    }
    case EntryKind.counter: {
      event.args = payload;
      break;
    }
    case EntryKind.flowStart:
    case EntryKind.flowEnd: {
      event.cat = "async";
      event.id = view.ends[slot];
      if (kind === EntryKind.flowEnd) {
        event.bp = "e";
      }
      break;
    }
    default: {
      event.id = objectId(view.ends[slot]);
      if (payload !== void 0) {
        event.args = { snapshot: payload };
      }
    }
  }
  return event;
}
var maxStreamedEventObjects = 1 << 22;
var lazyEvents = Symbol("viztracer.lazyEvents");
function assembleTraceData(view, info, overflow, recording, streamed) {
  let events;
  const data = {
    viztracer_metadata: { version, overflow, ...recording ? { recording: [recording] } : {}, baseTimeNanoseconds: baseTimeNanoseconds(), cwd: process.cwd() },
    displayTimeUnit: "ns"
  };
  Object.defineProperty(data, "traceEvents", {
    enumerable: true,
    configurable: true,
    get() {
      if (events === void 0) {
        const lanes = asyncLanes(view);
        if (streamed === void 0) {
          events = metadataEvents(info, view.tracks, laneTracks(lanes));
        } else {
          if (streamed.entries + view.size > maxStreamedEventObjects) {
            throw new VizTracerTraceTooLargeError(streamed.entries + view.size, maxStreamedEventObjects);
          }
          events = [];
          const batches = streamed.open(false);
          try {
            for (let batch = batches.nextBatch(); batch !== void 0; batch = batches.nextBatch()) {
              for (let index = 0; index < batch.length; index++) {
                events.push(batch[index]);
              }
            }
          } finally {
            batches.close();
          }
        }
        for (let index = 0; index < view.size; index++) {
          events.push(eventAt(view, view.first + index & view.mask, info, lanes));
        }
        delete data[lazyEvents];
      }
      return events;
    },
    set(value) {
      events = value;
      delete data[lazyEvents];
    }
  });
  Object.defineProperty(data, lazyEvents, { value: { view, info, streamed }, configurable: true, enumerable: false });
  return data;
}
function recordingOf(view, info, recorded, bound, droppedAsyncSpans, streamed = 0) {
  const kept = streamed + view.size;
  const dropped = Math.max(0, recorded - kept);
  const recording = { pid: info.pid, tid: info.tid, recorded, kept, dropped, bound, droppedAsyncSpans };
  if (dropped > 0 && view.size > 0) {
    const oldest = view.first;
    recording.completeFrom = microseconds((view.metas[oldest] & kindMask) === EntryKind.span ? view.ends[oldest] : view.starts[oldest]);
  }
  return recording;
}
function recordingsIn(metadata) {
  try {
    const recording = typeof metadata === "object" && metadata !== null ? metadata.recording : void 0;
    if (!Array.isArray(recording)) {
      return [];
    }
    const isCount = (value) => typeof value === "number" && Number.isSafeInteger(value) && value >= 0;
    return recording.filter((entry) => typeof entry === "object" && entry !== null && isCount(entry.kept) && isCount(entry.dropped) && isCount(entry.recorded));
  } catch {
    return [];
  }
}
function unreadEntries(data) {
  return data[lazyEvents];
}
var appendedSources = Symbol("viztracer.appendedEvents");
function appendEventSource(data, open) {
  const target = data;
  if (!Object.hasOwn(target, appendedSources)) {
    Object.defineProperty(target, appendedSources, { value: [], configurable: true, enumerable: false });
  }
  target[appendedSources].push(open);
}
function appendedEventSources(data) {
  return data[appendedSources] ?? [];
}

// dist/trace-file/safe-json.js
var markerKey = "<unserialisable>";
var reasonOf = (error) => {
  try {
    return error instanceof Error ? error.message : String(error);
  } catch {
    return "unknown error";
  }
};
var markerJson = (reason) => `{${JSON.stringify(markerKey)}:${JSON.stringify(reason)}}`;
function safeJson(value) {
  try {
    const json = JSON.stringify(value);
    return json ?? "null";
  } catch {
  }
  return walk(value, "", []) ?? "null";
}
function walk(input, key, ancestors) {
  let value = input;
  try {
    if (typeof value === "object" && value !== null || typeof value === "bigint") {
      const toJSON = value.toJSON;
      if (typeof toJSON === "function") {
        value = toJSON.call(value, key);
      }
    }
  } catch (error) {
    return markerJson(`toJSON() threw: ${reasonOf(error)}`);
  }
  switch (typeof value) {
    case "string": {
      return JSON.stringify(value);
    }
    case "number": {
      return Number.isFinite(value) ? String(value) : "null";
    }
    case "boolean": {
      return value ? "true" : "false";
    }
    case "bigint": {
      return markerJson(`BigInt ${value.toString()}`);
    }
    case "object": {
      break;
    }
    default: {
      return void 0;
    }
  }
  if (value === null) {
    return "null";
  }
  for (let index = 0; index < ancestors.length; index++) {
    if (ancestors[index] === value) {
      return markerJson("a cycle");
    }
  }
  ancestors.push(value);
  try {
    return Array.isArray(value) ? arrayJson(value, ancestors) : objectJson(value, ancestors);
  } catch (error) {
    return markerJson(reasonOf(error));
  } finally {
    ancestors.pop();
  }
}
function arrayJson(array, ancestors) {
  const parts = [];
  const { length } = array;
  for (let index = 0; index < length; index++) {
    let item;
    try {
      item = array[index];
    } catch (error) {
      parts.push(markerJson(reasonOf(error)));
      continue;
    }
    parts.push(walk(item, String(index), ancestors) ?? "null");
  }
  return `[${parts.join(",")}]`;
}
function objectJson(object, ancestors) {
  if (object instanceof Number || object instanceof String || object instanceof Boolean) {
    return walk(object.valueOf(), "", ancestors) ?? "null";
  }
  const keys = Object.keys(object);
  const parts = [];
  for (let index = 0; index < keys.length; index++) {
    const key = keys[index];
    let item;
    try {
      item = object[key];
    } catch (error) {
      parts.push(`${JSON.stringify(key)}:${markerJson(reasonOf(error))}`);
      continue;
    }
    const json = walk(item, key, ancestors);
    if (json !== void 0) {
      parts.push(`${JSON.stringify(key)}:${json}`);
    }
  }
  return `{${parts.join(",")}}`;
}

// dist/trace-file/trace-serializer.js
var chunkCharacters = 1 << 16;
var eventsPerStep = 512;
function* walkTrace(data, sink, withAppended = true, withStreamed = true) {
  const unread = unreadEntries(data);
  let step = 0;
  if (unread) {
    const { view, info, streamed } = unread;
    const lanes = asyncLanes(view);
    if (streamed === void 0) {
      const metadata = metadataEvents(info, view.tracks, laneTracks(lanes));
      for (let index = 0; index < metadata.length; index++) {
        sink.entry(JSON.stringify(metadata[index]));
      }
    } else if (withStreamed) {
      const batches = streamed.open(true);
      try {
        for (let batch = batches.nextBatch(); batch !== void 0; batch = batches.nextBatch()) {
          for (let index = 0; index < batch.length; index++) {
            sink.entry(batch[index]);
          }
          yield;
        }
      } finally {
        batches.close();
      }
    }
    sink.thread(view, info);
    const names = nameCache(view);
    const trackPrefixes = [];
    const prefixOf = (track) => trackPrefixes[track] ??= `,"pid":${info.pid},"tid":${trackTid(info, track)},"ts":`;
    const { starts, ends, metas } = view;
    for (let index = 0; index < view.size; index++) {
      const slot = view.first + index & view.mask;
      if (isPlainSpan(metas[slot])) {
        sink.span(view.names[slot], starts[slot], ends[slot], depthOf(metas[slot]));
      } else {
        const lane = lanes.get(slot);
        sink.entry(entryJson(view, slot, names, lane === void 0 ? prefixOf(trackOf(metas[slot])) : prefixOf(lane)));
      }
      if (++step === eventsPerStep) {
        step = 0;
        yield;
      }
    }
  } else {
    const events = eventsOf(data);
    for (let index = 0; index < events.length; index++) {
      sink.object(events[index], index);
      if (++step === eventsPerStep) {
        step = 0;
        yield;
      }
    }
  }
  const sources = withAppended ? appendedEventSources(data) : [];
  for (let source = 0; source < sources.length; source++) {
    const batches = sources[source]();
    try {
      for (let batch = batches.nextBatch(); batch !== void 0; batch = batches.nextBatch()) {
        if (batches.json === true) {
          for (let index = 0; index < batch.length; index++) {
            sink.entry(batch[index]);
          }
        } else {
          for (let index = 0; index < batch.length; index++) {
            sink.object(batch[index], index);
          }
        }
        yield;
      }
    } finally {
      batches.close();
    }
  }
}
function* serializeTrace(data, withAppended = true) {
  const tail = tailJson(data);
  const parts = ['{"traceEvents":['];
  let length = 0;
  let first = true;
  const add = (json) => {
    parts.push(first ? json : `,
${json}`);
    first = false;
    length += json.length;
  };
  let spanHeads = [];
  let names = String;
  let prefix = "";
  const sink = {
    thread(view, info) {
      spanHeads = [];
      names = nameCache(view);
      prefix = `,"pid":${info.pid},"tid":${info.tid},"ts":`;
    },
    span(name, start, end) {
      const json = (spanHeads[name] ??= `${first ? "" : ",\n"}{"ph":"X","name":${names(name)}${prefix}`) + microsecondsJson(start) + ',"dur":' + microsecondsJson(end - start) + ',"cat":"FEE"}';
      if (first) {
        spanHeads = [];
        first = false;
      }
      parts.push(json);
      length += json.length;
    },
    entry: add,
    object(event, index) {
      add(eventJson(event, index));
    }
  };
  for (const _ of walkTrace(data, sink, withAppended)) {
    if (length >= chunkCharacters) {
      yield parts.join("");
      parts.length = 0;
      length = 0;
    }
  }
  parts.push("\n]", tail, "}\n");
  yield parts.join("");
}
var unwritable = (reason, cause) => new VizTracerUnwritableTraceError(reason, cause);
function reasonOf2(error) {
  try {
    return (error instanceof Error ? error.message : String(error)).replaceAll(/\s*\n\s*/g, " ");
  } catch {
    return "unknown error";
  }
}
function eventsOf(data) {
  let events;
  try {
    events = data.traceEvents;
  } catch (error) {
    throw unwritable(`reading traceEvents threw: ${reasonOf2(error)}`, error);
  }
  if (!Array.isArray(events)) {
    throw unwritable(`traceEvents is ${describeValue(events)}, not an array`);
  }
  return events;
}
function tailJson(data) {
  let keys;
  try {
    keys = Object.keys(data);
  } catch (error) {
    throw unwritable(`its keys cannot be listed: ${reasonOf2(error)}`, error);
  }
  let tail = "";
  for (let index = 0; index < keys.length; index++) {
    const key = keys[index];
    if (key === "traceEvents") {
      continue;
    }
    let value;
    let json;
    try {
      value = data[key];
      json = key === "viztracer_metadata" ? metadataJson(value) : JSON.stringify(value);
    } catch (error) {
      throw error instanceof VizTracerUnwritableTraceError ? error : unwritable(`${key} cannot be serialised: ${reasonOf2(error)}`, error);
    }
    if (json !== void 0) {
      tail += `,${JSON.stringify(key)}:${json}`;
    }
  }
  return tail;
}
function metadataJson(metadata) {
  if (metadata === void 0) {
    return void 0;
  }
  if (typeof metadata !== "object" || metadata === null || Array.isArray(metadata)) {
    throw unwritable(`viztracer_metadata is ${describeValue(metadata)}, not an object`);
  }
  const { baseTimeNanoseconds: baseTimeNanoseconds2, ...rest } = metadata;
  const json = JSON.stringify(rest);
  if (typeof baseTimeNanoseconds2 !== "string" || !/^\d+$/.test(baseTimeNanoseconds2) || json?.charCodeAt(0) !== 123) {
    return JSON.stringify(metadata);
  }
  return `${json.slice(0, -1)}${json.length > 2 ? "," : ""}"baseTimeNanoseconds":${baseTimeNanoseconds2}}`;
}
var fractionDigits = Array.from({ length: 1e3 }, (_, thousandths) => thousandths === 0 ? "" : `.${String(thousandths).padStart(3, "0").replace(/0+$/, "")}`);
function microsecondsJson(milliseconds) {
  return nanosecondsAsMicrosecondsJson(Math.round(milliseconds * 1e6));
}
function nanosecondsAsMicrosecondsJson(nanoseconds) {
  if (nanoseconds >= 0 && nanoseconds < 2 ** 52) {
    const whole = Math.floor(nanoseconds / 1e3);
    return `${whole}${fractionDigits[nanoseconds - whole * 1e3]}`;
  }
  return String(nanoseconds / 1e3);
}
function nameCache(view) {
  const cache = [];
  return (id) => cache[id] ??= JSON.stringify(view.strings.get(id));
}
function entryJson(view, slot, names, prefix) {
  const meta = view.metas[slot];
  const payload = hasPayload(meta) ? view.payloads.get(slot) : void 0;
  return entryText(meta, names(view.names[slot]), prefix, view.starts[slot], view.ends[slot], payload === void 0 ? void 0 : safeJson(payload));
}
function entryText(meta, nameJson, prefix, start, end, payloadJson) {
  const head = `{"ph":"${phaseOf(meta)}","name":${nameJson}${prefix}${microseconds(start)}`;
  const args = payloadJson === void 0 ? "" : `,"args":${payloadJson}`;
  switch (meta & kindMask) {
    case EntryKind.span: {
      return `${head},"dur":${microseconds(end - start)},"cat":"FEE"${args}}`;
    }
    case EntryKind.instant: {
      return `${head},"s":"${scopeOf(meta)}"${args}}`;
    }
    case EntryKind.counter: {
      return `${head}${args}}`;
    }
    case EntryKind.flowStart: {
      return `${head},"cat":"async","id":${end}}`;
    }
    case EntryKind.flowEnd: {
      return `${head},"cat":"async","id":${end},"bp":"e"}`;
    }
    default: {
      const snapshot = payloadJson === void 0 ? "" : `,"args":{"snapshot":${payloadJson}}`;
      return `${head},"id":"${objectId(end)}"${snapshot}}`;
    }
  }
}
function eventJson(event, index) {
  if (typeof event !== "object" || event === null || Array.isArray(event)) {
    throw unwritable(`traceEvents[${index}] is ${describeValue(event)}, not an event object`);
  }
  let json;
  try {
    json = JSON.stringify(event);
  } catch (error) {
    json = withSafeArgs(event, index, error);
  }
  if (typeof json !== "string" || json.charCodeAt(0) !== 123) {
    throw unwritable(`traceEvents[${index}] does not serialise to a JSON object (its toJSON() returned ${json === void 0 ? "nothing" : json.slice(0, 40)})`);
  }
  return json;
}
function withSafeArgs(event, index, error) {
  let args;
  let shell;
  try {
    args = event.args;
    if (args !== void 0) {
      shell = JSON.stringify({ ...event, args: void 0 });
    }
  } catch (cause) {
    throw unwritable(`traceEvents[${index}] cannot be serialised: ${reasonOf2(cause)}`, cause);
  }
  if (args === void 0 || shell?.charCodeAt(0) !== 123) {
    throw unwritable(`traceEvents[${index}] cannot be serialised: ${reasonOf2(error)}`, error);
  }
  return `${shell.slice(0, -1)}${shell.length > 2 ? "," : ""}"args":${safeJson(args)}}`;
}
function unwritableReason(data) {
  try {
    const chunks = serializeTrace(data, false);
    for (let chunk = chunks.next(); chunk.done !== true; chunk = chunks.next()) {
    }
    return void 0;
  } catch (error) {
    return error instanceof VizTracerUnwritableTraceError ? error.reason : reasonOf2(error);
  }
}
function shapeProblem(data) {
  try {
    if (!unreadEntries(data)) {
      const events = data.traceEvents;
      if (!Array.isArray(events)) {
        return `traceEvents is ${describeValue(events)}, not an array`;
      }
    }
    const metadata = data.viztracer_metadata;
    if (metadata !== void 0 && (typeof metadata !== "object" || metadata === null || Array.isArray(metadata))) {
      return `viztracer_metadata is ${describeValue(metadata)}, not an object`;
    }
  } catch (error) {
    return reasonOf2(error);
  }
  return void 0;
}

// dist/trace-file/ring-streamer-state.js
var StateSlot = {
  /** Messages the writer has finished with; bumped and notified after each. */
  done: 0,
  /** 1 once the writer failed: it writes nothing more. */
  failed: 1,
  /** 1 once the writer thread runs. */
  ready: 2
};
var stateSlots = 3;
var NumberSlot = {
  /** Entries (counted from the ring's start) that are in the file. */
  written: 0,
  /** Bytes in the file. */
  bytes: 1,
  /** Strings the file defines (for a writer continuing it). */
  strings: 2,
  /** The file's last span end, in nanoseconds (for a writer continuing it). */
  time: 3
};
var numberSlots = 4;

// dist/trace-file/vizt-format.js
var viztMagic = Uint8Array.of(86, 73, 90, 84, 1);
var ViztTag = {
  string: 1,
  thread: 2,
  event: 3,
  metadata: 4,
  trailer: 5,
  span: 16,
  stackSpan: 17
};
var trailerBytes = 9;
var isViztPath = (file) => file.endsWith(".vizt");
function hasViztMagic(head) {
  return head.length >= 4 && head[0] === viztMagic[0] && head[1] === viztMagic[1] && head[2] === viztMagic[2] && head[3] === viztMagic[3];
}
var spanDepthKey = Symbol.for("viztracer.spanDepth");

// dist/trace-file/vizt-writer.js
var chunkBytes = 1 << 16;
var spanKeys = ["ph", "name", "pid", "tid", "ts", "dur", "cat"];
var spanKeysCatFirst = ["ph", "name", "pid", "tid", "ts", "cat", "dur"];
function varintAt(buffer, at, value) {
  let rest = value;
  if (rest < 2147483648) {
    while (rest > 127) {
      buffer[at++] = rest & 127 | 128;
      rest >>>= 7;
    }
    buffer[at++] = rest;
    return at;
  }
  while (rest >= 128) {
    buffer[at++] = rest % 128 | 128;
    rest = Math.floor(rest / 128);
  }
  buffer[at++] = rest;
  return at;
}
var Bytes = class {
  buffer = new Uint8Array(chunkBytes * 2);
  length = 0;
  /** Makes room for `bytes` more bytes. */
  room(bytes) {
    if (this.length + bytes > this.buffer.length) {
      const grown = new Uint8Array(Math.max(this.buffer.length * 2, this.length + bytes));
      grown.set(this.buffer.subarray(0, this.length));
      this.buffer = grown;
    }
  }
  byte(value) {
    this.room(1);
    this.buffer[this.length++] = value;
  }
  /** Unsigned LEB128 of a non-negative integer up to 2^53. */
  varint(value) {
    this.room(8);
    this.length = varintAt(this.buffer, this.length, value);
  }
  /** Zigzag: 0, -1, 1, -2, … as 0, 1, 2, 3, …, so small negative numbers stay short. */
  signed(value) {
    this.varint(value >= 0 ? value * 2 : -value * 2 - 1);
  }
  text(value) {
    const bytes = Buffer.from(value, "utf8");
    this.varint(bytes.length);
    this.room(bytes.length);
    this.buffer.set(bytes, this.length);
    this.length += bytes.length;
  }
  /** Everything written so far, as a fresh chunk; the buffer starts again empty. */
  take() {
    const chunk = this.buffer.slice(0, this.length);
    this.length = 0;
    return chunk;
  }
};
var isId = (value) => typeof value === "number" && Number.isSafeInteger(value) && value >= 0;
function nanosecondsOf(microseconds2) {
  if (typeof microseconds2 !== "number") {
    return void 0;
  }
  const nanoseconds = Math.round(microseconds2 * 1e3);
  return Number.isSafeInteger(nanoseconds) && nanoseconds / 1e3 === microseconds2 ? nanoseconds : void 0;
}
function sameKeys(keys, expected) {
  if (keys.length !== expected.length) {
    return false;
  }
  for (let index = 0; index < keys.length; index++) {
    if (keys[index] !== expected[index]) {
      return false;
    }
  }
  return true;
}
var ViztEncoder = class {
  out = new Bytes();
  // Strings are interned file-wide; the ring's ids map onto the file's.
  #ids = /* @__PURE__ */ new Map();
  #nextId = 0;
  #ringIds = [];
  #strings;
  #pid = -1;
  #tid = -1;
  #ringPid = 0;
  #ringTid = 0;
  // The last span's end, in a typed array: a number field holding nanoseconds (past 2^31) would box a fresh heap number at every span.
  #time = new Float64Array(1);
  // The span being written: its start and duration in ns.
  #span = new Float64Array(2);
  #scratchStart = new Float64Array(1);
  #scratchEnd = new Float64Array(1);
  constructor(continuation) {
    if (continuation === void 0) {
      this.out.buffer.set(viztMagic);
      this.out.length = viztMagic.length;
    } else {
      this.#nextId = continuation.strings;
      this.#time[0] = continuation.time;
    }
  }
  /** What an encoder continuing this one's file needs. */
  get continuation() {
    return { strings: this.#nextId, time: this.#time[0] };
  }
  /** A TRAILER record pointing at the METADATA record that starts `offset` bytes into the file. */
  trailer(offset) {
    this.out.byte(ViztTag.trailer);
    for (let index = 0, rest = offset; index < 8; index++) {
      this.out.byte(rest % 256);
      rest = Math.floor(rest / 256);
    }
  }
  metadata(json) {
    this.out.byte(ViztTag.metadata);
    this.out.text(json);
  }
  thread(view, info) {
    this.#strings = view.strings;
    this.#ringIds = [];
    this.#ringPid = info.pid;
    this.#ringTid = info.tid;
  }
  span(name, start, end, depth) {
    this.#scratchStart[0] = start;
    this.#scratchEnd[0] = end;
    this.spanAt(name, this.#scratchStart, this.#scratchEnd, 0, depth);
  }
  /**
   * {@link span} for the entry at `slot` of a ring's arrays: the hot path
   * of a streamed recording. The times are read here rather than passed:
   * doubles passed to a function that is not inlined are boxed, one heap
   * number each per span.
   */
  spanAt(name, starts, ends, slot, depth) {
    const id = this.#ringIds[name] ??= this.#intern(this.#strings.get(name));
    if (this.#pid !== this.#ringPid || this.#tid !== this.#ringTid) {
      this.#threadRecord(this.#ringPid, this.#ringTid);
    }
    const start = starts[slot];
    this.#span[0] = Math.round(start * 1e6);
    this.#span[1] = Math.round((ends[slot] - start) * 1e6);
    this.#writeSpan(id, depth);
  }
  /** A SPAN or STACKSPAN record of the span in `#span` (start and duration in ns: in a typed array, so they are never boxed). */
  #writeSpan(id, depth) {
    const duration = this.#span[1];
    const spanEnd = this.#span[0] + duration;
    const delta = spanEnd - this.#time[0];
    this.#time[0] = spanEnd;
    const out = this.out;
    out.room(33);
    const { buffer } = out;
    let at = out.length;
    buffer[at++] = depth < 0 ? ViztTag.span : ViztTag.stackSpan;
    at = varintAt(buffer, at, id);
    at = varintAt(buffer, at, delta >= 0 ? delta * 2 : -delta * 2 - 1);
    at = varintAt(buffer, at, duration);
    if (depth >= 0) {
      at = varintAt(buffer, at, depth);
    }
    out.length = at;
  }
  #threadRecord(pid, tid) {
    this.out.byte(ViztTag.thread);
    this.out.varint(pid);
    this.out.varint(tid);
    this.#pid = pid;
    this.#tid = tid;
  }
  entry(json) {
    this.out.byte(ViztTag.event);
    this.out.text(json);
  }
  object(event, index) {
    if (!this.#compactSpan(event)) {
      this.entry(eventJson(event, index));
    }
  }
  /** Writes `event` as a SPAN record when that says exactly what its JSON says. */
  #compactSpan(event) {
    if (typeof event !== "object" || event === null) {
      return false;
    }
    const span = event;
    if (span["ph"] !== "X" || span["cat"] !== "FEE" || typeof span["name"] !== "string" || !isId(span["pid"]) || !isId(span["tid"])) {
      return false;
    }
    const keys = Object.keys(span);
    if (!sameKeys(keys, spanKeys) && !sameKeys(keys, spanKeysCatFirst)) {
      return false;
    }
    const ts = nanosecondsOf(span["ts"]);
    const duration = nanosecondsOf(span["dur"]);
    if (ts === void 0 || duration === void 0 || duration < 0) {
      return false;
    }
    const depth = span[spanDepthKey];
    this.#spanRecord(this.#intern(span["name"]), span["pid"], span["tid"], ts, duration, typeof depth === "number" && Number.isSafeInteger(depth) && depth >= 0 ? depth : -1);
    return true;
  }
  #spanRecord(name, pid, tid, ts, duration, depth = -1) {
    if (pid !== this.#pid || tid !== this.#tid) {
      this.#threadRecord(pid, tid);
    }
    this.#span[0] = ts;
    this.#span[1] = duration;
    this.#writeSpan(name, depth);
  }
  #intern(name) {
    let id = this.#ids.get(name);
    if (id === void 0) {
      id = this.#nextId++;
      this.#ids.set(name, id);
      this.out.byte(ViztTag.string);
      this.out.text(name);
    }
    return id;
  }
};
function* serializeVizt(data, withAppended = true) {
  const tail = tailJson(data);
  const encoder = new ViztEncoder();
  encoder.metadata(`{${tail.slice(1)}}`);
  for (const _ of walkTrace(data, encoder, withAppended)) {
    if (encoder.out.length >= chunkBytes) {
      yield encoder.out.take();
    }
  }
  yield encoder.out.take();
}
function* serializeViztContinuation(data, continuation, fileBytes) {
  const tail = tailJson(data);
  const encoder = new ViztEncoder(continuation);
  let written = 0;
  for (const _ of walkTrace(data, encoder, true, false)) {
    if (encoder.out.length >= chunkBytes) {
      written += encoder.out.length;
      yield encoder.out.take();
    }
  }
  const offset = fileBytes + written + encoder.out.length;
  encoder.metadata(`{${tail.slice(1)}}`);
  encoder.trailer(offset);
  yield encoder.out.take();
}

export {
  EntryKind,
  kindMask,
  payloadFlag,
  scopeShift,
  trackShift,
  trackOf,
  depthOf,
  depthBits,
  isPlainSpan,
  RingBuffer,
  now,
  baseTimeNanoseconds,
  viewOf,
  snapshotOf,
  emptyView,
  firstLaneTrack,
  trackTid,
  metadataEvents,
  assembleTraceData,
  recordingOf,
  recordingsIn,
  unreadEntries,
  appendEventSource,
  safeJson,
  serializeTrace,
  tailJson,
  nanosecondsAsMicrosecondsJson,
  entryText,
  unwritableReason,
  shapeProblem,
  StateSlot,
  stateSlots,
  NumberSlot,
  numberSlots,
  viztMagic,
  ViztTag,
  trailerBytes,
  isViztPath,
  hasViztMagic,
  spanDepthKey,
  ViztEncoder,
  serializeVizt,
  serializeViztContinuation
};
