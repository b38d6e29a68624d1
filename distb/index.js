import {
  SpanField,
  TraceFileReader,
  VizPluginBase,
  VizTracer,
  assertTraceFile,
  compiledText,
  defaultOptions,
  endWhenSettled,
  getTracer,
  instrument,
  isViztFile,
  jsonSizeOf,
  loadPlugin,
  readTraceEvents,
  recorderKey,
  resolveOptions,
  traceOpenError,
  warnNow
} from "./chunks/chunk-CHUDM34C.js";
import {
  StringTable,
  installedHook,
  recordsOwnSpan
} from "./chunks/chunk-VFUWVP6C.js";
import {
  recordingsIn
} from "./chunks/chunk-XZS3WIM7.js";
import {
  ErrorCode,
  TypeScriptSyntaxError,
  VizPluginError,
  VizTracerArgumentError,
  VizTracerInvalidPluginError,
  VizTracerInvalidTraceError,
  VizTracerOptionError,
  VizTracerOptionRangeError,
  VizTracerSaveError,
  VizTracerStateError,
  VizTracerTraceNotFoundError,
  VizTracerTraceTooLargeError,
  VizTracerTraceUnreadableError,
  VizTracerUnwritableTraceError,
  VizViewerPortInUseError,
  describeValue,
  version
} from "./chunks/chunk-SNT263OC.js";
import "./chunks/chunk-SK6HMZ5B.js";

// dist/events/viz-counter.js
var isTrackedKey = (key) => typeof key === "string" && !key.startsWith("_");
var VizCounter = class {
  constructor(tracer, name, options = {}) {
    const triggerOnChange = options.triggerOnChange ?? true;
    Object.defineProperties(this, {
      _tracer: { value: tracer },
      _name: { value: String(name) },
      _triggerOnChange: { value: triggerOnChange, writable: true }
    });
    return new Proxy(this, {
      defineProperty(target, key, descriptor) {
        if (!isTrackedKey(key) || !("value" in descriptor)) {
          return Reflect.defineProperty(target, key, descriptor);
        }
        if (typeof descriptor.value !== "number") {
          throw new VizTracerArgumentError(`VizCounter '${String(name)}' only takes numeric values, but \`${key}\` was set to ${describeValue(descriptor.value)}`);
        }
        const done = Reflect.defineProperty(target, key, descriptor);
        if (target._triggerOnChange) {
          target.log();
        }
        return done;
      }
    });
  }
  /** Records the current values of all numeric properties as one counter event. */
  log() {
    const values = {};
    for (const key of Object.keys(this)) {
      const value = this[key];
      if (isTrackedKey(key) && typeof value === "number") {
        values[key] = value;
      }
    }
    this._tracer.logCounter(this._name, values);
  }
};

// dist/events/viz-object.js
var isTrackedKey2 = (key) => typeof key === "string" && !key.startsWith("_");
var VizObject = class {
  constructor(tracer, name, options = {}) {
    const id = tracer.constructor.nextObjectId();
    Object.defineProperties(this, {
      _tracer: { value: tracer },
      _name: { value: String(name) },
      _id: { value: id },
      _triggerOnChange: { value: options.triggerOnChange ?? true, writable: true }
    });
    tracer.logObject("N", String(name), id);
    return new Proxy(this, {
      defineProperty(target, key, descriptor) {
        const done = Reflect.defineProperty(target, key, descriptor);
        if (isTrackedKey2(key) && target._triggerOnChange) {
          target.log();
        }
        return done;
      }
    });
  }
  /** Records a snapshot of the public properties now. */
  log() {
    const snapshot = {};
    for (const key of Object.keys(this)) {
      if (isTrackedKey2(key) && typeof this[key] !== "function") {
        snapshot[key] = this[key];
      }
    }
    this._tracer.logObject("O", this._name, this._id, snapshot);
  }
  /** Records that the object is gone (`ph: 'D'`). */
  destroy() {
    this._tracer.logObject("D", this._name, this._id);
  }
  [Symbol.dispose]() {
    this.destroy();
  }
};

// dist/events/trace-decorator.js
function className(self) {
  if (typeof self === "function") {
    return self.name || void 0;
  }
  const name = self?.constructor?.name;
  return typeof name === "string" && name !== "" ? name : void 0;
}
function traceMethod(method, context, fixedName) {
  const methodName2 = String(context.name);
  let cachedRecorder;
  let cachedClass;
  let cachedId = -1;
  return function(...args) {
    const tracer = getTracer();
    if (tracer === void 0 || !tracer.enabled) {
      return method.apply(this, args);
    }
    const recorder = tracer[recorderKey];
    const owner = fixedName === void 0 ? className(this) : void 0;
    if (recorder !== cachedRecorder || owner !== cachedClass) {
      cachedRecorder = recorder;
      cachedClass = owner;
      cachedId = recorder.intern(fixedName ?? (owner === void 0 ? methodName2 : `${owner}.${methodName2}`));
    }
    recorder.enter(cachedId);
    let result;
    try {
      result = method.apply(this, args);
    } catch (error) {
      recorder.exit();
      throw error;
    }
    if (result instanceof Promise) {
      return endWhenSettled(recorder, result);
    }
    recorder.exit();
    return result;
  };
}
function trace(methodOrName, context) {
  if (typeof methodOrName === "string") {
    return (method, methodContext) => traceMethod(method, methodContext, methodOrName);
  }
  if (context?.kind !== "method") {
    throw new TypeError("@trace decorates class methods; use tracer.wrap(fn) for plain functions");
  }
  return traceMethod(methodOrName, context, void 0);
}

// dist/events/method-or-function.js
function callThrough(fn, self, args, newTarget) {
  return newTarget === void 0 ? Reflect.apply(fn, self, args) : Reflect.construct(fn, args, newTarget);
}
function likeOriginal(wrapper, fn) {
  Object.defineProperties(wrapper, {
    name: { value: fn.name, configurable: true },
    length: { value: fn.length, configurable: true }
  });
  if (Object.hasOwn(fn, "prototype")) {
    wrapper.prototype = fn.prototype;
  }
  return wrapper;
}
function methodName(self, method) {
  const owner = typeof self === "function" ? self.name : self?.constructor?.name;
  return owner ? `${owner}.${method}` : method;
}

// dist/events/ignore-function.js
function ignoreFunction(fn, context) {
  if (typeof fn !== "function") {
    throw new VizTracerArgumentError(`ignoreFunction() expects a function, got ${describeValue(fn)}`);
  }
  void context;
  const target = fn;
  const ignored = function() {
    const tracer = getTracer();
    if (tracer === void 0 || !tracer.enabled) {
      return callThrough(target, this, arguments, new.target);
    }
    const recorder = tracer[recorderKey];
    const hook = installedHook();
    const hookWasOn = hook?.on ?? false;
    const wasEnabled = recorder.suspend();
    if (hook) {
      hook.on = false;
    }
    try {
      return callThrough(target, this, arguments, new.target);
    } finally {
      recorder.resume(wasEnabled);
      if (hook) {
        hook.on = hookWasOn;
      }
    }
  };
  return likeOriginal(ignored, target);
}

// dist/events/log-sparse.js
function markSparse(target, stackDepth, methodContext) {
  const fixedName = methodContext ? void 0 : target.name || "<anonymous>";
  const recordsItself = stackDepth > 0 && recordsOwnSpan(compiledText(target));
  const marked = function() {
    const tracer = getTracer();
    if (tracer === void 0 || !tracer.enabled || !tracer.options.logSparse) {
      return callThrough(target, this, arguments, new.target);
    }
    const recorder = tracer[recorderKey];
    const hook = installedHook();
    const hookWasOn = hook?.on ?? false;
    const previousLimit = stackDepth > 0 ? recorder.limitDepth(stackDepth + 1) : void 0;
    if (hook && stackDepth > 0) {
      hook.on = true;
    }
    if (!recordsItself) {
      recorder.enter(recorder.intern(fixedName ?? methodName(this, String(methodContext.name))));
    }
    let result;
    try {
      result = callThrough(target, this, arguments, new.target);
    } catch (error) {
      if (!recordsItself) {
        recorder.exit();
      }
      throw error;
    } finally {
      if (hook) {
        hook.on = hookWasOn;
      }
      if (previousLimit !== void 0) {
        recorder.restoreDepthLimit(previousLimit);
      }
    }
    if (recordsItself) {
      return result;
    }
    if (result instanceof Promise) {
      return endWhenSettled(recorder, result);
    }
    recorder.exit();
    return result;
  };
  return marked;
}
function logSparse(fnOrOptions, context) {
  if (typeof fnOrOptions === "function") {
    return likeOriginal(markSparse(fnOrOptions, 0, context), fnOrOptions);
  }
  if (typeof fnOrOptions !== "object" || fnOrOptions === null) {
    throw new VizTracerArgumentError(`logSparse() expects a function or { stackDepth }, got ${describeValue(fnOrOptions)}`);
  }
  const { stackDepth = 0 } = fnOrOptions;
  if (typeof stackDepth !== "number" || !Number.isInteger(stackDepth) || stackDepth < 0) {
    throw new VizTracerArgumentError(`logSparse() expects stackDepth to be an integer >= 0, got ${describeValue(stackDepth)}`);
  }
  return ((fn, methodContext) => {
    if (typeof fn !== "function") {
      throw new VizTracerArgumentError(`logSparse({stackDepth}) expects a function, got ${describeValue(fn)}`);
    }
    return likeOriginal(markSparse(fn, stackDepth, methodContext), fn);
  });
}

// dist/events/trace-and-save.js
import path from "node:path";
var sequence = 0;
function isInstrumented(fn) {
  try {
    return recordsOwnSpan(compiledText(fn));
  } catch {
    return false;
  }
}
function traced(target, options) {
  const { outputDir = ".", ...tracerOptions } = options;
  resolveOptions(tracerOptions);
  let warned = false;
  const wrapper = function() {
    if (getTracer() !== void 0) {
      if (!warned) {
        warned = true;
        process.emitWarning(`traceAndSave(${target.name || "<anonymous>"}) is called while another VizTracer is started; its calls are not saved on their own`, { code: "VIZTRACER_TRACE_AND_SAVE_NESTED" });
      }
      return callThrough(target, this, arguments, new.target);
    }
    const stamp = Date.now() * 1e3 + sequence++ % 1e3;
    const name = target.name || "anonymous";
    const outputFile = path.join(outputDir, `result_${name.replaceAll(/[^\w.-]/g, "_")}_${stamp}.json`);
    let created;
    try {
      created = new VizTracer({ verbose: 0, ...tracerOptions, outputFile });
      created.start();
    } catch (error) {
      try {
        created?.terminate();
      } catch {
      }
      warnNow(`traceAndSave(${name}) could not start tracing, so this call is not traced: ${error instanceof Error ? error.message : String(error)}`, "VIZTRACER_TRACE_AND_SAVE_FAILED");
      return callThrough(target, this, arguments, new.target);
    }
    const tracer = created;
    const call = isInstrumented(target) ? target : tracer.wrap(target, target.name || "<anonymous>");
    const finish = () => {
      try {
        tracer[Symbol.dispose]();
      } catch (error) {
        warnNow(`traceAndSave(${name}) could not save its trace to ${outputFile}: ${error instanceof Error ? error.message : String(error)}`, "VIZTRACER_TRACE_AND_SAVE_FAILED");
      }
    };
    let result;
    try {
      result = callThrough(call, this, arguments, new.target);
    } catch (error) {
      finish();
      throw error;
    }
    if (result instanceof Promise) {
      return result.then((value) => {
        finish();
        return value;
      }, (error) => {
        finish();
        throw error;
      });
    }
    finish();
    return result;
  };
  return likeOriginal(wrapper, target);
}
function traceAndSave(fnOrOptions, options) {
  if (typeof fnOrOptions === "function") {
    const isDecoratorContext = typeof options === "object" && options !== null && "kind" in options && "name" in options;
    return traced(fnOrOptions, isDecoratorContext ? {} : options ?? {});
  }
  if (typeof fnOrOptions !== "object" || fnOrOptions === null) {
    throw new VizTracerArgumentError(`traceAndSave() expects a function or an options object, got ${describeValue(fnOrOptions)}`);
  }
  return ((fn) => traced(fn, fnOrOptions));
}

// dist/stats/trace-stats.js
import fs from "node:fs";

// dist/stats/span-order.js
var digitBits = 16;
var digits = 1 << digitBits;
var digitMask = digits - 1;
function radixPasses(order, spare, keys, counts) {
  let from = order;
  let to = spare;
  for (let shift = 0; shift < 32; shift += digitBits) {
    counts.fill(0);
    for (let index = 0; index < from.length; index++) {
      counts[keys[from[index]] >>> shift & digitMask]++;
    }
    let total = 0;
    for (let digit = 0; digit < digits; digit++) {
      const count = counts[digit];
      counts[digit] = total;
      total += count;
    }
    for (let index = 0; index < from.length; index++) {
      const span = from[index];
      to[counts[keys[span] >>> shift & digitMask]++] = span;
    }
    [from, to] = [to, from];
  }
}
function spanOrder(spans, trackCount) {
  const { length, tracks, starts, durations } = spans;
  let order = new Uint32Array(length);
  let sorted = true;
  for (let index = 0; index < length; index++) {
    order[index] = index;
    if (sorted && index > 0 && (tracks[index] < tracks[index - 1] || tracks[index] === tracks[index - 1] && starts[index] < starts[index - 1])) {
      sorted = false;
    }
  }
  if (!sorted) {
    const words = new Uint32Array(starts.buffer, starts.byteOffset, length * 2);
    const low = new Uint32Array(length);
    const high = new Uint32Array(length);
    for (let index = 0; index < length; index++) {
      const lowWord = words[2 * index];
      const highWord = words[2 * index + 1];
      const negative = (highWord & 2147483648) !== 0;
      low[index] = negative ? ~lowWord >>> 0 : lowWord;
      high[index] = negative ? ~highWord >>> 0 : (highWord | 2147483648) >>> 0;
    }
    const spare = new Uint32Array(length);
    const counts = new Uint32Array(digits);
    radixPasses(order, spare, low, counts);
    radixPasses(order, spare, high, counts);
  }
  const trackEnds = new Uint32Array(trackCount);
  for (let index = 0; index < length; index++) {
    trackEnds[tracks[index]]++;
  }
  const next = new Uint32Array(trackCount);
  let offset = 0;
  for (let track = 0; track < trackCount; track++) {
    next[track] = offset;
    offset += trackEnds[track];
    trackEnds[track] = offset;
  }
  if (trackCount > 1) {
    const byTrack = new Uint32Array(length);
    for (let index = 0; index < length; index++) {
      const span = order[index];
      byTrack[next[tracks[span]]++] = span;
    }
    order = byTrack;
  }
  for (let index = 1; index < length; index++) {
    const span = order[index];
    let position = index;
    while (position > 0) {
      const previous = order[position - 1];
      if (tracks[previous] !== tracks[span] || starts[previous] !== starts[span] || durations[previous] >= durations[span]) {
        break;
      }
      order[position] = previous;
      position--;
    }
    order[position] = span;
  }
  return { order, trackEnds };
}

// dist/stats/percentile.js
function nearestRank(sorted, p) {
  const { length } = sorted;
  if (length === 0) {
    return Number.NaN;
  }
  const rank = Math.ceil(p / 100 * length);
  return sorted[Math.min(length, Math.max(1, rank)) - 1];
}

// dist/stats/function-stats.js
function computeFunctionStats(spans, names, trackCount, completeFrom, lifetimeTracks) {
  const functionCount = names.size;
  const { length, starts, durations, names: nameOf, tracks: trackOf } = spans;
  const hasLifetime = new Uint8Array(functionCount);
  if (lifetimeTracks !== void 0) {
    for (let span = 0; span < length; span++) {
      if (lifetimeTracks[trackOf[span]] === 1) {
        hasLifetime[nameOf[span]] = 1;
      }
    }
  }
  const counted = (span) => hasLifetime[nameOf[span]] === 0 || lifetimeTracks[trackOf[span]] === 1;
  const self = new Float64Array(functionCount);
  const total = new Float64Array(functionCount);
  const sum = new Float64Array(functionCount);
  const calls = new Uint32Array(functionCount);
  const incomplete = new Uint32Array(functionCount);
  const coveredUntil = new Float64Array(functionCount);
  const coveredTrack = new Int32Array(functionCount).fill(-1);
  const { order, trackEnds } = spanOrder(spans, trackCount);
  let stack = new Int32Array(256);
  let from = 0;
  for (let track = 0; track < trackCount; track++) {
    const to = trackEnds[track];
    let depth = 0;
    let now = Number.NEGATIVE_INFINITY;
    const whole = lifetimeTracks?.[track] === 1 ? Number.POSITIVE_INFINITY : completeFrom?.[track] ?? Number.NEGATIVE_INFINITY;
    const advance = (time) => {
      while (depth > 0) {
        const top = stack[depth - 1];
        const end = starts[top] + durations[top];
        if (end <= time) {
          if (end > now) {
            if (starts[top] >= whole) {
              self[nameOf[top]] += end - now;
            }
            now = end;
          }
          depth--;
        } else {
          if (time > now) {
            if (starts[top] >= whole) {
              self[nameOf[top]] += time - now;
            }
            now = time;
          }
          return;
        }
      }
    };
    for (let position = from; position < to; position++) {
      const span = order[position];
      const start = starts[span];
      const duration = durations[span];
      const name = nameOf[span];
      advance(start);
      if (depth === stack.length) {
        const bigger = new Int32Array(stack.length * 2);
        bigger.set(stack);
        stack = bigger;
      }
      stack[depth++] = span;
      if (start > now) {
        now = start;
      }
      if (!counted(span)) {
        continue;
      }
      calls[name]++;
      sum[name] += duration;
      if (start < whole && lifetimeTracks?.[track] !== 1) {
        incomplete[name]++;
      }
      if (coveredTrack[name] !== track) {
        coveredTrack[name] = track;
        coveredUntil[name] = Number.NEGATIVE_INFINITY;
      }
      const end = start + duration;
      const covered = coveredUntil[name];
      if (end > covered) {
        total[name] += start >= covered ? duration : end - covered;
        coveredUntil[name] = end;
      }
    }
    advance(Number.POSITIVE_INFINITY);
    from = to;
  }
  const groupStart = new Uint32Array(functionCount + 1);
  for (let name = 0; name < functionCount; name++) {
    groupStart[name + 1] = groupStart[name] + calls[name];
  }
  const fill = groupStart.slice(0, functionCount);
  const grouped = new Float64Array(length);
  for (let span = 0; span < length; span++) {
    if (counted(span)) {
      grouped[fill[nameOf[span]]++] = durations[span];
    }
  }
  const rows = [];
  for (let name = 0; name < functionCount; name++) {
    const count = calls[name];
    if (count === 0) {
      continue;
    }
    const group = grouped.subarray(groupStart[name], groupStart[name + 1]).sort();
    rows.push({
      name: names.get(name),
      calls: count,
      total: total[name],
      self: self[name],
      mean: sum[name] / count,
      p50: nearestRank(group, 50),
      p95: nearestRank(group, 95),
      max: group[count - 1],
      incomplete: incomplete[name]
    });
  }
  return rows;
}

// dist/stats/span-columns.js
var SpanColumns = class {
  starts;
  durations;
  names;
  tracks;
  length = 0;
  constructor(capacity = 1 << 16) {
    this.starts = new Float64Array(capacity);
    this.durations = new Float64Array(capacity);
    this.names = new Int32Array(capacity);
    this.tracks = new Int32Array(capacity);
  }
  push(start, duration, name, track) {
    if (this.length === this.starts.length) {
      this.#grow();
    }
    const index = this.length++;
    this.starts[index] = start;
    this.durations[index] = duration;
    this.names[index] = name;
    this.tracks[index] = track;
  }
  #grow() {
    const capacity = Math.ceil(this.starts.length * 1.5);
    const grow = (old, make) => {
      const next = make(capacity);
      next.set(old);
      return next;
    };
    this.starts = grow(this.starts, (size) => new Float64Array(size));
    this.durations = grow(this.durations, (size) => new Float64Array(size));
    this.names = grow(this.names, (size) => new Int32Array(size));
    this.tracks = grow(this.tracks, (size) => new Int32Array(size));
  }
};

// dist/stats/span-collector.js
var toNumber = (value) => typeof value === "number" ? value : typeof value === "string" ? Number(value) : Number.NaN;
var trackKey = (pid, tid) => `${String(pid)}\0${String(tid)}`;
var lifetimeRowName = /^async \d+ \(.*\)$/;
var SpanCollector = class {
  spans;
  names = new StringTable();
  /** `E` events with no open `B` on their track. */
  unmatchedEnds = 0;
  #tracks = /* @__PURE__ */ new Map();
  // pid/tid keys of the rows named `async N (thread)`: async functions' lifetimes (--log-async).
  #lifetimeKeys = /* @__PURE__ */ new Set();
  #open = [];
  // Consecutive events are usually on the same track: skip the map lookup then.
  #lastPid = Symbol("none");
  #lastTid = Symbol("none");
  #lastTrack = -1;
  /** @param capacity Expected number of spans: a good guess saves regrowing the columns. */
  constructor(capacity) {
    this.spans = new SpanColumns(capacity);
  }
  /** `B` events never ended, over all tracks. */
  get unmatchedBegins() {
    let count = 0;
    for (let track = 0; track < this.#open.length; track++) {
      count += this.#open[track]?.names.length ?? 0;
    }
    return count;
  }
  get trackCount() {
    return this.#tracks.size;
  }
  add(batch) {
    for (const item of batch) {
      if (typeof item !== "object" || item === null) {
        continue;
      }
      const event = item;
      const { ph } = event;
      if (ph === "X") {
        const start = toNumber(event.ts);
        if (!Number.isFinite(start)) {
          continue;
        }
        const duration = toNumber(event.dur);
        this.spans.push(start, Number.isFinite(duration) && duration > 0 ? duration : 0, this.#name(event.name), this.#track(event.pid, event.tid));
      } else if (ph === "B") {
        const start = toNumber(event.ts);
        if (!Number.isFinite(start)) {
          continue;
        }
        const open = this.#openOn(this.#track(event.pid, event.tid));
        open.names.push(this.#name(event.name));
        open.starts.push(start);
      } else if (ph === "M") {
        const args = event.args;
        if (event.name === "thread_name" && typeof args?.name === "string" && lifetimeRowName.test(args.name)) {
          this.#lifetimeKeys.add(trackKey(event.pid, event.tid));
        }
      } else if (ph === "E") {
        const end = toNumber(event.ts);
        const track = this.#track(event.pid, event.tid);
        const open = this.#openOn(track);
        const name = open.names.pop();
        const start = open.starts.pop();
        if (name === void 0 || start === void 0) {
          this.unmatchedEnds++;
          continue;
        }
        const duration = Number.isFinite(end) && end > start ? end - start : 0;
        this.spans.push(start, duration, name, track);
      }
    }
  }
  #name(value) {
    return this.names.intern(typeof value === "string" ? value : value === void 0 ? "(unnamed)" : String(value));
  }
  /** The track of `pid`/`tid`, or undefined when no span was on it. */
  trackOf(pid, tid) {
    return this.#tracks.get(trackKey(pid, tid));
  }
  /** Per track, 1 for a row of async lifetimes (named `async N (thread)` by the trace), else 0. */
  lifetimeTracks() {
    const lifetime = new Uint8Array(this.#tracks.size);
    for (const key of this.#lifetimeKeys) {
      const track = this.#tracks.get(key);
      if (track !== void 0) {
        lifetime[track] = 1;
      }
    }
    return lifetime;
  }
  #track(pid, tid) {
    if (pid === this.#lastPid && tid === this.#lastTid) {
      return this.#lastTrack;
    }
    const key = trackKey(pid, tid);
    let track = this.#tracks.get(key);
    if (track === void 0) {
      track = this.#tracks.size;
      this.#tracks.set(key, track);
    }
    this.#lastPid = pid;
    this.#lastTid = tid;
    this.#lastTrack = track;
    return track;
  }
  #openOn(track) {
    let open = this.#open[track];
    if (!open) {
      open = { names: [], starts: [] };
      this.#open[track] = open;
    }
    return open;
  }
};

// dist/stats/streaming-stats.js
var NotStreamableError = class extends Error {
  name = "NotStreamableError";
};
var lifetimeRowName2 = /^async \d+ \(.*\)$/;
var scratch = new Float64Array(1);
var scratchWords = new Uint32Array(scratch.buffer);
var bucketShift = 13;
var bucketOf = (value) => {
  scratch[0] = value;
  return scratchWords[1] >>> bucketShift;
};
var bucketMiddle = (bucket) => {
  scratchWords[0] = 0;
  scratchWords[1] = bucket << bucketShift;
  const low = scratch[0];
  scratchWords[1] = bucket + 1 << bucketShift;
  return (low + scratch[0]) / 2;
};
var Tally = class {
  calls = new Float64Array(1024);
  sum = new Float64Array(1024);
  max = new Float64Array(1024).fill(Number.NEGATIVE_INFINITY);
  histograms = [];
  ensure(name) {
    if (name >= this.calls.length) {
      const size = Math.max(name + 1, this.calls.length * 2);
      const grow = (old, fill = 0) => {
        const next = new Float64Array(size).fill(fill);
        next.set(old);
        return next;
      };
      this.calls = grow(this.calls);
      this.sum = grow(this.sum);
      this.max = grow(this.max, Number.NEGATIVE_INFINITY);
    }
  }
  // The duration being added: passed in a typed array, as a fractional number passed to a method that is not inlined is boxed.
  duration = new Float64Array(1);
  /** Counts one call of `name` lasting `duration[0]`. */
  add(name) {
    const duration = this.duration[0];
    this.ensure(name);
    this.calls[name]++;
    this.sum[name] += duration;
    if (duration > this.max[name]) {
      this.max[name] = duration;
    }
    const histogram = this.histograms[name] ??= /* @__PURE__ */ new Map();
    const bucket = bucketOf(duration);
    histogram.set(bucket, (histogram.get(bucket) ?? 0) + 1);
  }
  percentile(name, p) {
    const histogram = this.histograms[name];
    const calls = this.calls[name];
    if (histogram === void 0 || calls === 0) {
      return Number.NaN;
    }
    const rank = Math.min(calls, Math.max(1, Math.ceil(p / 100 * calls)));
    const buckets = [...histogram.keys()].sort((a, b) => a - b);
    let seen = 0;
    for (const bucket of buckets) {
      seen += histogram.get(bucket);
      if (seen >= rank) {
        return Math.min(this.max[name], bucketMiddle(bucket));
      }
    }
    return this.max[name];
  }
};
var SlotPool = class {
  values = new Float64Array(1024);
  #free = new Int32Array(1024);
  #freeCount = 0;
  #used = 0;
  allocate(value) {
    let slot;
    if (this.#freeCount > 0) {
      slot = this.#free[--this.#freeCount];
    } else {
      if (this.#used === this.values.length) {
        const values = new Float64Array(this.values.length * 2);
        values.set(this.values);
        this.values = values;
      }
      slot = this.#used++;
    }
    this.values[slot] = value;
    return slot;
  }
  release(slot) {
    if (this.#freeCount === this.#free.length) {
      const free = new Int32Array(this.#free.length * 2);
      free.set(this.#free);
      this.#free = free;
    }
    this.#free[this.#freeCount++] = slot;
  }
};
function streamingFunctionStats(file) {
  const names = new StringTable();
  const runs = new Tally();
  const lifetimes = new Tally();
  let self = new Float64Array(1024);
  let total = new Float64Array(1024);
  let incomplete = new Float64Array(1024);
  const ensureTotals = (name) => {
    runs.ensure(name);
    if (name >= self.length) {
      const grow = (old) => {
        const next = new Float64Array(runs.calls.length);
        next.set(old);
        return next;
      };
      self = grow(self);
      total = grow(total);
      incomplete = grow(incomplete);
    }
  };
  const stackRows = /* @__PURE__ */ new Map();
  const pool = new SlotPool();
  let mergeTarget = /* @__PURE__ */ new Map();
  const mergeEntry = (slot, key) => {
    const existing = mergeTarget.get(key);
    if (existing === void 0) {
      mergeTarget.set(key, slot);
    } else {
      pool.values[existing] += pool.values[slot];
      pool.release(slot);
    }
  };
  const flatRows = /* @__PURE__ */ new Map();
  const lifetimeKeys = /* @__PURE__ */ new Set();
  let spans = 0;
  let reader;
  const localIds = [];
  const localName = (id) => localIds[id] ??= names.intern(reader.stringAt(id));
  let lastPid = -1;
  let lastTid = -1;
  let lastRow;
  const stackRow = (pid, tid) => {
    if (pid === lastPid && tid === lastTid) {
      return lastRow;
    }
    const key = `${pid}\0${tid}`;
    if (flatRows.has(key)) {
      throw new NotStreamableError("a row holds spans with and without stack depths");
    }
    let row = stackRows.get(key);
    if (row === void 0) {
      row = { times: new Float64Array(64), names: [], deepest: -1, whole: completeFromIn(recordingsIn(safeMetadata(reader)), pid, tid) };
      stackRows.set(key, row);
    }
    lastPid = pid;
    lastTid = tid;
    lastRow = row;
    return row;
  };
  const onSpan = (id, depth, fields) => {
    const durationNanoseconds = fields[SpanField.duration];
    const duration = durationNanoseconds / 1e3;
    const start = (fields[SpanField.end] - durationNanoseconds) / 1e3;
    if (depth < 0) {
      flatSpan(`${fields[SpanField.pid]}\0${fields[SpanField.tid]}`, localName(id), start, duration);
      return;
    }
    spans++;
    const row = stackRow(fields[SpanField.pid], fields[SpanField.tid]);
    const name = localName(id);
    ensureTotals(name);
    if (row.deepest > depth + 1) {
      throw new NotStreamableError("the stack depths have gaps (a sparse recording)");
    }
    if (depth + 1 >= row.times.length) {
      const times2 = new Float64Array(Math.max(depth + 2, row.times.length * 2));
      times2.set(row.times);
      row.times = times2;
    }
    const { times, names: levelNames } = row;
    const childTime = times[depth + 1];
    const subtree = levelNames[depth + 1];
    times[depth + 1] = 0;
    levelNames[depth + 1] = void 0;
    if (start >= row.whole) {
      self[name] += Math.max(0, duration - childTime);
    } else {
      incomplete[name]++;
    }
    const nestedSlot = subtree?.get(name);
    total[name] += duration - (nestedSlot === void 0 ? 0 : pool.values[nestedSlot]);
    runs.duration[0] = duration;
    runs.add(name);
    times[depth] += duration;
    let into = levelNames[depth];
    if (subtree === void 0) {
      if (into === void 0) {
        into = /* @__PURE__ */ new Map();
        levelNames[depth] = into;
      }
      const slot = into.get(name);
      if (slot === void 0) {
        into.set(name, pool.allocate(duration));
      } else {
        pool.values[slot] += duration;
      }
    } else {
      if (nestedSlot === void 0) {
        subtree.set(name, pool.allocate(duration));
      } else {
        pool.values[nestedSlot] = duration;
      }
      let from = subtree;
      if (into === void 0 || into.size < subtree.size) {
        from = into;
        into = subtree;
      }
      if (from !== void 0) {
        mergeTarget = into;
        from.forEach(mergeEntry);
      }
      levelNames[depth] = into;
    }
    row.deepest = depth;
  };
  const flatSpan = (key, name, start, duration) => {
    if (stackRows.has(key)) {
      throw new NotStreamableError("a row holds spans with and without stack depths");
    }
    let row = flatRows.get(key);
    if (row === void 0) {
      row = { lastEnd: Number.NEGATIVE_INFINITY, lifetimes: lifetimeKeys.has(key) };
      flatRows.set(key, row);
    }
    if (start < row.lastEnd) {
      throw new NotStreamableError("spans overlap on a row");
    }
    row.lastEnd = start + duration;
    spans++;
    ensureTotals(name);
    if (row.lifetimes) {
      lifetimes.duration[0] = duration;
      lifetimes.add(name);
    } else {
      self[name] += duration;
      total[name] += duration;
      runs.duration[0] = duration;
      runs.add(name);
    }
  };
  const onEvents = (batch) => {
    for (const item of batch) {
      if (typeof item !== "object" || item === null) {
        continue;
      }
      const event = item;
      const key = `${String(event["pid"])}\0${String(event["tid"])}`;
      if (event["ph"] === "M") {
        const args = event["args"];
        if (event["name"] === "thread_name" && typeof args?.name === "string" && lifetimeRowName2.test(args.name)) {
          if (flatRows.has(key) || stackRows.has(key)) {
            throw new NotStreamableError("a row was named as async lifetimes after its spans");
          }
          lifetimeKeys.add(key);
        }
      } else if (event["ph"] === "B" || event["ph"] === "E") {
        throw new NotStreamableError("the trace has B/E events");
      } else if (event["ph"] === "X") {
        const start = typeof event["ts"] === "number" ? event["ts"] : Number.NaN;
        const rawDuration = event["dur"];
        const duration = typeof rawDuration === "number" && rawDuration > 0 ? rawDuration : 0;
        if (!Number.isFinite(start)) {
          continue;
        }
        flatSpan(key, names.intern(typeof event["name"] === "string" ? event["name"] : String(event["name"] ?? "(unnamed)")), start, duration);
      }
    }
  };
  reader = new TraceFileReader(file, { keepText: ["viztracer_metadata"], onSpan, onEvents });
  if (!reader.isVizt) {
    reader.close();
    throw new NotStreamableError("it is not a .vizt file");
  }
  try {
    for (let batch = reader.nextBatch(); batch !== void 0; batch = reader.nextBatch()) {
      onEvents(batch);
    }
  } finally {
    reader.close();
  }
  const recording = recordingsIn(safeMetadata(reader));
  for (const [key, row] of stackRows) {
    const [pid, tid] = key.split("\0").map(Number);
    if (completeFromIn(recording, pid, tid) !== row.whole) {
      throw new NotStreamableError("the trace says what it dropped only at its end");
    }
  }
  const functions = [];
  for (let name = 0; name < names.size; name++) {
    const hasLifetime = name < lifetimes.calls.length && lifetimes.calls[name] > 0;
    const tally = hasLifetime ? lifetimes : runs;
    const calls = name < tally.calls.length ? tally.calls[name] : 0;
    if (calls === 0) {
      continue;
    }
    functions.push({
      name: names.get(name),
      calls,
      total: hasLifetime ? lifetimes.sum[name] : total[name],
      self: self[name],
      mean: tally.sum[name] / calls,
      p50: tally.percentile(name, 50),
      p95: tally.percentile(name, 95),
      max: tally.max[name],
      incomplete: hasLifetime ? 0 : incomplete[name]
    });
  }
  let dropped = 0;
  let recorded = 0;
  for (const entry of recording) {
    dropped += entry.dropped;
    recorded += entry.recorded;
  }
  return { functions, spans, tracks: stackRows.size + flatRows.size, dropped, recorded, asyncLifetimes: [...flatRows.values()].some((row) => row.lifetimes) };
}
function completeFromIn(recording, pid, tid) {
  const entry = recording.find((candidate) => candidate.pid === pid && candidate.tid === tid);
  return entry !== void 0 && entry.dropped > 0 && typeof entry.completeFrom === "number" ? entry.completeFrom : Number.NEGATIVE_INFINITY;
}
function safeMetadata(reader) {
  try {
    return reader.other["viztracer_metadata"];
  } catch {
    return void 0;
  }
}

// dist/stats/trace-stats.js
var streamingThresholdBytes = 64 * 1024 * 1024;
function streamingTraceStats(file) {
  try {
    const { functions, spans, tracks, dropped, recorded, asyncLifetimes } = streamingFunctionStats(file);
    return { functions, spans, tracks, unmatched: 0, dropped, recorded, asyncLifetimes };
  } catch (error) {
    if (error instanceof NotStreamableError || error instanceof Error && error.cause instanceof NotStreamableError) {
      return void 0;
    }
    throw error;
  }
}
async function computeTraceStats(file) {
  assertTraceFile(file);
  let size;
  try {
    size = jsonSizeOf(file);
  } catch (error) {
    throw traceOpenError(file, error);
  }
  if (isViztFile(file) && fs.statSync(file).size > streamingThresholdBytes) {
    const streamed = streamingTraceStats(file);
    if (streamed !== void 0) {
      return streamed;
    }
  }
  const collector = new SpanCollector(Math.max(1 << 16, Math.ceil(size / (isViztFile(file) ? 4 : 40))));
  const { other } = await readTraceEvents(file, (batch) => {
    collector.add(batch);
  });
  const recording = recordingsIn(other["viztracer_metadata"]);
  const completeFrom = new Float64Array(collector.trackCount).fill(Number.NEGATIVE_INFINITY);
  let dropped = 0;
  let recorded = 0;
  for (const entry of recording) {
    dropped += entry.dropped;
    recorded += entry.recorded;
    const track = collector.trackOf(entry.pid, entry.tid);
    if (track !== void 0 && typeof entry.completeFrom === "number" && entry.dropped > 0) {
      completeFrom[track] = entry.completeFrom;
    }
  }
  const lifetimeTracks = collector.lifetimeTracks();
  return {
    functions: computeFunctionStats(collector.spans, collector.names, collector.trackCount, completeFrom, lifetimeTracks),
    asyncLifetimes: lifetimeTracks.includes(1),
    spans: collector.spans.length,
    tracks: collector.trackCount,
    unmatched: collector.unmatchedBegins + collector.unmatchedEnds,
    dropped,
    recorded
  };
}
export {
  ErrorCode,
  TypeScriptSyntaxError,
  VizCounter,
  VizObject,
  VizPluginBase,
  VizPluginError,
  VizTracer,
  VizTracerArgumentError,
  VizTracerInvalidPluginError,
  VizTracerInvalidTraceError,
  VizTracerOptionError,
  VizTracerOptionRangeError,
  VizTracerSaveError,
  VizTracerStateError,
  VizTracerTraceNotFoundError,
  VizTracerTraceTooLargeError,
  VizTracerTraceUnreadableError,
  VizTracerUnwritableTraceError,
  VizViewerPortInUseError,
  computeTraceStats,
  defaultOptions,
  getTracer,
  ignoreFunction,
  instrument,
  loadPlugin,
  logSparse,
  trace,
  traceAndSave,
  version
};
