import {
  heardSlot,
  processedSlot,
  stateSlots,
  watcherState
} from "../chunks/chunk-LYHSUNCG.js";
import {
  TraceFileReader,
  VizTracer,
  baseTimeOfTrace,
  defaultOptions,
  getTracer,
  instrument,
  instrumentedWith,
  readTraceSync,
  recorderKey,
  resolveOptions,
  withIntrinsics
} from "../chunks/chunk-CHUDM34C.js";
import {
  createFileFilter,
  installedHook,
  isInNodeModules,
  pickInstrumentationOptions
} from "../chunks/chunk-VFUWVP6C.js";
import {
  EntryKind,
  appendEventSource,
  baseTimeNanoseconds,
  kindMask,
  recordingsIn
} from "../chunks/chunk-XZS3WIM7.js";
import {
  VizPluginError,
  VizTracerInvalidPluginError,
  VizTracerInvalidTraceError,
  VizTracerOptionError,
  describeValue,
  missingDirectories
} from "../chunks/chunk-SNT263OC.js";
import "../chunks/chunk-SK6HMZ5B.js";

// dist/integrations/register.js
import path6 from "node:path";
import { isMainThread } from "node:worker_threads";

// dist/launch/check-output.js
import fs from "node:fs";
import path from "node:path";
var reason = (error) => error instanceof Error ? error.message : String(error);
function outputProblem(file) {
  const target = path.resolve(file);
  try {
    if (fs.statSync(target).isDirectory()) {
      return `${target} is a directory`;
    }
  } catch {
  }
  const missing = missingDirectories(path.dirname(target));
  const existing = missing.length > 0 ? path.dirname(missing[0]) : path.dirname(target);
  try {
    if (!fs.statSync(existing).isDirectory()) {
      return `${existing} is not a directory`;
    }
  } catch {
  }
  for (const created of missing) {
    try {
      fs.mkdirSync(created);
    } catch (error) {
      return `cannot create the directory ${created}: ${reason(error)}`;
    }
  }
  const probe = path.join(path.dirname(target), `.viztracer-probe-${process.pid}`);
  try {
    fs.closeSync(fs.openSync(probe, "wx"));
    fs.rmSync(probe, { force: true });
  } catch (error) {
    return `cannot write in ${path.dirname(target)}: ${reason(error)}`;
  }
  return void 0;
}

// dist/launch/cache-options.js
function cacheOptions(environment) {
  if (environment["VIZTRACER_NO_CACHE"] === "1") {
    return { cacheDir: false };
  }
  const directory = environment["VIZTRACER_CACHE_DIR"];
  return directory ? { cacheDir: directory } : {};
}

// dist/launch/instrument-for.js
function instrumentFor(options, environment) {
  return instrument({ ...pickInstrumentationOptions(options), ...cacheOptions(environment) });
}

// dist/launch/environment.js
import path2 from "node:path";
var environmentName = (option) => `VIZTRACER_${option.replaceAll(/[A-Z]/g, (letter) => `_${letter}`).toUpperCase()}`;
var booleanWords = { 1: true, true: true, yes: true, on: true, 0: false, false: false, no: false, off: false, "": false };
var booleanExpected = "one of 1, true, yes, on, 0, false, no, off";
function environmentError(variable, raw, expected) {
  return new VizTracerOptionError(variable, raw, expected, `Invalid ${variable}=${JSON.stringify(raw)} in the environment: expected ${expected}`);
}
function parseJson(variable, raw, expected) {
  try {
    return JSON.parse(raw);
  } catch (error) {
    throw environmentError(variable, raw, `${expected} (${error instanceof Error ? error.message : String(error)})`);
  }
}
function parseList(variable, raw) {
  const trimmed = raw.trim();
  if (trimmed.startsWith("[")) {
    return parseJson(variable, trimmed, `a JSON array of paths or globs, or paths separated by "${path2.delimiter}"`);
  }
  return trimmed.split(path2.delimiter).filter(Boolean);
}
function parseValue(option, fallback, variable, raw) {
  if (option === "plugins") {
    return raw.trim().startsWith("[") ? parseJson(variable, raw, 'a JSON array of "module args" strings, or one such string') : [raw];
  }
  if (option === "includeFiles" || option === "excludeFiles") {
    return parseList(variable, raw);
  }
  if (typeof fallback === "boolean") {
    const value = booleanWords[raw.trim().toLowerCase()];
    if (value === void 0) {
      throw environmentError(variable, raw, booleanExpected);
    }
    return value;
  }
  if (typeof fallback === "number" || option === "tracerEntries") {
    return raw.trim() === "" || Number.isNaN(Number(raw)) ? raw : Number(raw);
  }
  return raw;
}
function optionsFromEnvironment(environment) {
  const options = {};
  const raws = /* @__PURE__ */ new Map();
  for (const [option, fallback] of Object.entries(defaultOptions)) {
    const variable = environmentName(option);
    const raw = environment[variable];
    if (raw === void 0) {
      continue;
    }
    raws.set(option, raw);
    options[option] = parseValue(option, fallback, variable, raw);
  }
  try {
    resolveOptions(options);
  } catch (error) {
    if (!(error instanceof VizTracerOptionError)) {
      throw error;
    }
    const option = error.option.replace(/\[\d+\]$/, "");
    const index = /\[(\d+)\]$/.exec(error.option)?.[1];
    const expected = error.expected.replaceAll(/`(\w+)`/g, (quoted, name) => Object.hasOwn(defaultOptions, name) ? environmentName(name) : quoted);
    throw environmentError(environmentName(option), raws.get(option), index === void 0 ? expected : `entry ${index} to be ${expected}`);
  }
  return options;
}
function environmentFromOptions(options) {
  const environment = {};
  for (const [option, value] of Object.entries(options)) {
    if (value === void 0) {
      continue;
    }
    environment[environmentName(option)] = Array.isArray(value) ? JSON.stringify(value) : String(value);
  }
  return environment;
}

// dist/launch/preload-guard.js
import fs2 from "node:fs";
function exitOnSetupError(setUp) {
  try {
    return setUp();
  } catch (error) {
    const code = error instanceof VizTracerOptionError ? 2 : error instanceof VizPluginError || error instanceof VizTracerInvalidPluginError ? 1 : 0;
    if (code === 0) {
      throw error;
    }
    fs2.writeSync(2, `viztracer: ${error.message}
`);
    process.exit(code);
  }
}

// dist/launch/run-script.js
import os2 from "node:os";

// dist/launch/signal-watcher.js
import os from "node:os";
import workerThreads from "node:worker_threads";
var OriginalWorker = workerThreads.Worker;
var watchedSignals = ["SIGINT", "SIGTERM", "SIGHUP"];
var interruptEventKey = "viztracer.signal";
var bootTimeoutMillis = 3e3;
var raiseTimeoutMillis = 3e3;
var started;
function startSignalWatcher() {
  if (started !== void 0 || !workerThreads.isMainThread) {
    return;
  }
  const known = watchedSignals.filter((signal) => os.constants.signals[signal] !== void 0);
  const state = new Int32Array(new SharedArrayBuffer(Int32Array.BYTES_PER_ELEMENT * stateSlots(known.length)));
  const data = { state: state.buffer, signals: known.map((signal) => [signal, os.constants.signals[signal]]), eventKey: interruptEventKey };
  let worker;
  for (const execArgv of [["--expose-internals"], []]) {
    try {
      worker = new OriginalWorker(new URL("signal-watcher-worker.js", import.meta.url), { execArgv, env: {}, workerData: data });
      break;
    } catch {
    }
  }
  if (worker === void 0) {
    return;
  }
  worker.unref();
  worker.on("error", () => {
  });
  const watcher = {
    processed(signal) {
      const index = known.indexOf(signal);
      if (index !== -1) {
        Atomics.add(state, processedSlot(index), 1);
      }
    },
    missed(signal) {
      const index = known.indexOf(signal);
      return index !== -1 && Atomics.load(state, heardSlot(index)) > Atomics.load(state, processedSlot(index));
    },
    raise(signal) {
      const previous = Atomics.compareExchange(state, 0, watcherState.starting, watcherState.released);
      if (previous !== watcherState.watching) {
        return true;
      }
      worker.postMessage(signal);
      Atomics.wait(state, 0, watcherState.watching, raiseTimeoutMillis);
      return false;
    }
  };
  started = { watcher, state };
}
function readySignalWatcher() {
  startSignalWatcher();
  if (started === void 0) {
    return void 0;
  }
  Atomics.wait(started.state, 0, watcherState.starting, bootTimeoutMillis);
  return started.watcher;
}

// dist/launch/run-script.js
function saveOnExit(tracer, io) {
  let finished = false;
  let saving = false;
  let dying = false;
  let deferred;
  const listeners = /* @__PURE__ */ new Map();
  const watcher = readySignalWatcher();
  const dieBy = (signal) => {
    if (dying) {
      return;
    }
    dying = true;
    process.removeListener(signal, listeners.get(signal));
    if (watcher === void 0 || watcher.raise(signal)) {
      process.kill(process.pid, signal);
      Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 1e3);
    }
    process.exit(128 + os2.constants.signals[signal]);
  };
  const finish = () => {
    if (finished) {
      return;
    }
    finished = true;
    saving = true;
    try {
      tracer[Symbol.dispose]();
    } catch (error) {
      io.stderr(`viztracer: ${error instanceof Error ? error.message : String(error)}
`);
      if (!process.exitCode) {
        process.exitCode = 1;
      }
    } finally {
      saving = false;
    }
    if (deferred) {
      dieBy(deferred);
    }
  };
  const onSignal = (signal) => {
    if (dying || process.listenerCount(signal) > 1) {
      return;
    }
    if (saving && deferred === void 0) {
      deferred = signal;
      return;
    }
    finish();
    dieBy(signal);
  };
  process.on("exit", () => withIntrinsics(() => {
    finish();
    for (const signal of watchedSignals) {
      if (watcher?.missed(signal) && process.listenerCount(signal) <= 1) {
        dieBy(signal);
      }
    }
  }));
  for (const signal of watchedSignals) {
    const listener = () => {
      withIntrinsics(() => {
        watcher?.processed(signal);
        onSignal(signal);
      });
    };
    listeners.set(signal, listener);
    process.on(signal, listener);
  }
  process.on(Symbol.for(interruptEventKey), (signal) => {
    withIntrinsics(() => {
      if (watchedSignals.includes(signal)) {
        onSignal(signal);
      }
    });
  });
}

// dist/launch/user-code-check.js
import path3 from "node:path";
function spansIn(ring) {
  let spans = 0;
  for (let index = ring.head - ring.size; index < ring.head; index++) {
    if ((ring.metas[index & ring.mask] & kindMask) === EntryKind.span) {
      spans++;
    }
  }
  return spans;
}
function missingUserCode(program, facts) {
  const { spans, others, files, userFiles } = facts;
  if (others > 0 || spans === void 0) {
    return void 0;
  }
  const options = instrumentedWith();
  const accepted = options !== void 0 && createFileFilter(options)(program.script);
  if (spans > 0 && (userFiles > 0 || program.run === true || !accepted || isInNodeModules(program.script))) {
    return void 0;
  }
  const shown = path3.relative(process.cwd(), program.script) || program.script;
  let reason2;
  if (options === void 0) {
    reason2 = "instrumentation is off in this process, so only what the program records itself (logEvent, wrap, trace) can appear";
  } else if (!accepted) {
    reason2 = isInNodeModules(program.script) && !options.includeNodeModules ? `${shown} is inside node_modules, which is not instrumented: add --include-node-modules (VIZTRACER_INCLUDE_NODE_MODULES=1), or --include-files with its folder` : `--include-files / --exclude-files leave ${shown} out, so it ran untraced`;
  } else if (userFiles === 0 && files > 0) {
    reason2 = "only files in node_modules ran instrumented, none of the program's own (see the warnings above, if any)";
  } else {
    reason2 = `no function of the program was called while recording. Top-level code is not a span: put it in a function, or record it with logEvent. If ${shown} has functions, see the warnings above, if any (a file that does not parse runs untraced), and a loader that compiles it must hand what it makes to Node's module hooks or to require() for viztracer to see it`;
  }
  return `viztracer: warning: the trace holds none of ${shown}'s own function calls: ${reason2}
`;
}
function checkUserCodeOnSave(tracer, program, warn) {
  tracer.on("pre-save", function checkUserCode(data) {
    if (tracer.options.verbose === 0) {
      return;
    }
    try {
      const recorder = tracer[recorderKey];
      const recordings = recordingsIn(data.viztracer_metadata);
      const own = recordings[0];
      const others = recordings.slice(1).reduce((sum, recording) => sum + recording.kept, 0);
      const ring = recorder.hasRing ? recorder.ring : void 0;
      const streamed = own !== void 0 && ring !== void 0 && own.kept > ring.size;
      const hook = installedHook();
      const message = missingUserCode(program, { spans: streamed ? void 0 : ring === void 0 ? 0 : spansIn(ring), others, files: hook?.files ?? 0, userFiles: hook?.userFiles ?? 0 });
      if (message !== void 0) {
        warn(message);
      }
    } catch {
    }
  });
}

// dist/multiprocess/child-tracing.js
import fs4 from "node:fs";
import Module from "node:module";
import os3 from "node:os";
import path5 from "node:path";
import { fileURLToPath } from "node:url";
import workerThreads2 from "node:worker_threads";

// dist/trace-file/combine.js
function shiftedRecording(recording, shift) {
  return recording.map((entry) => typeof entry.completeFrom === "number" && shift !== 0 ? { ...entry, completeFrom: Math.round((entry.completeFrom + shift) * 1e3) / 1e3 } : entry);
}
function timelineShift(base, reference) {
  const from = parseBaseTime(base);
  const to = parseBaseTime(reference);
  return from === void 0 || to === void 0 ? 0 : Number(from - to) / 1e3;
}
function parseBaseTime(base) {
  if (typeof base === "string" && /^\d+$/.test(base) && base !== "0") {
    return BigInt(base);
  }
  return typeof base === "number" && Number.isSafeInteger(base) && base > 0 ? BigInt(base) : typeof base === "number" && base > 0 ? BigInt(Math.round(base)) : void 0;
}
function shiftedEvents(file, shift, options = {}) {
  let reader;
  let position = 0;
  const fail = (error) => {
    reader?.close();
    reader = void 0;
    if (options.onFailure === void 0) {
      throw error;
    }
    options.onFailure(error);
  };
  try {
    reader = new TraceFileReader(file, { spanDepths: true });
  } catch (error) {
    fail(error);
  }
  return {
    nextBatch() {
      while (reader !== void 0) {
        let batch;
        try {
          batch = reader.nextBatch();
        } catch (error) {
          fail(error);
          return void 0;
        }
        if (batch === void 0) {
          reader = void 0;
          return void 0;
        }
        const events = [];
        for (let index = 0; index < batch.length; index++, position++) {
          const event = batch[index];
          if (typeof event !== "object" || event === null || Array.isArray(event)) {
            if (options.strict === true) {
              fail(new VizTracerInvalidTraceError(file, `traceEvents[${position}] is ${describeValue(event)}, not an event object`));
              return void 0;
            }
            continue;
          }
          const { ts } = event;
          events.push(typeof ts === "number" && shift !== 0 ? { ...event, ts: Math.round((ts + shift) * 1e3) / 1e3 } : event);
        }
        if (events.length > 0) {
          options.onBatch?.(events);
          return events;
        }
      }
      return void 0;
    },
    close() {
      reader?.close();
      reader = void 0;
    }
  };
}

// dist/multiprocess/collect-children.js
import fs3 from "node:fs";
import path4 from "node:path";
var childTraceName = (pid, threadId) => `child_${pid}_${threadId}.vizt`;
var childJsonName = (pid, threadId) => `child_${pid}_${threadId}.json`;
function childTraceIn(directory, pid, threadId) {
  for (const name of [childTraceName(pid, threadId), childJsonName(pid, threadId)]) {
    const file = path4.join(directory, name);
    if (fs3.existsSync(file)) {
      return file;
    }
  }
  return void 0;
}
var childMarkerName = (pid, threadId) => `child_${pid}_${threadId}.started`;
function cutChildTraceIn(directory, pid, threadId) {
  const file = path4.join(directory, `child_${pid}_${threadId}.partial-${pid}${threadId === 0 ? "" : `-${threadId}`}.vizt`);
  return fs3.existsSync(file) ? file : void 0;
}
var closedMarkerName = "closed";
var ownerFileName = "owner";
var markerPattern = /^child_(\d+)_(\d+)\.started$/;
function isAlive(pid) {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return error.code === "EPERM";
  }
}
var pause = new Int32Array(new SharedArrayBuffer(4));
var sleep = (milliseconds) => {
  Atomics.wait(pause, 0, 0, milliseconds);
};
function childMarkers(names) {
  const markers = [];
  for (let index = 0; index < names.length; index++) {
    const match = markerPattern.exec(names[index]);
    if (match) {
      markers.push({ name: names[index], pid: Number(match[1]), threadId: Number(match[2]) });
    }
  }
  return markers;
}
function collectChildTraces(directory, timeout) {
  let names;
  try {
    names = fs3.readdirSync(directory);
  } catch {
    return { traces: [], missing: [] };
  }
  const deadline = Date.now() + timeout;
  const traces = [];
  const missing = [];
  const markers = childMarkers(names);
  for (let index = 0; index < markers.length; index++) {
    const { pid, threadId } = markers[index];
    let file = childTraceIn(directory, pid, threadId);
    while (file === void 0 && pid !== process.pid && isAlive(pid) && Date.now() < deadline) {
      sleep(20);
      file = childTraceIn(directory, pid, threadId);
    }
    const running = pid !== process.pid && isAlive(pid);
    const cut = file === void 0 && !running ? cutChildTraceIn(directory, pid, threadId) : void 0;
    if (file !== void 0) {
      traces.push({ pid, threadId, file });
    } else if (cut === void 0) {
      const endedWithItsProcess = threadId !== 0 && (pid === process.pid || childTraceIn(directory, pid, 0) !== void 0);
      if (!endedWithItsProcess) {
        missing.push({ pid, running });
      }
    } else {
      traces.push({ pid, threadId, file: cut, cut: true });
    }
  }
  return { traces, missing };
}
var removeQuietly = (file) => {
  try {
    fs3.rmSync(file, { force: true });
  } catch {
  }
};
var removeDirectoryQuietly = (directory) => {
  try {
    fs3.rmSync(directory, { recursive: true, force: true });
  } catch {
  }
};
function closeChildDirectory(directory, keep = /* @__PURE__ */ new Set()) {
  try {
    fs3.writeFileSync(path4.join(directory, closedMarkerName), "");
  } catch {
    return;
  }
  let names;
  try {
    names = fs3.readdirSync(directory);
  } catch {
    return;
  }
  let running = false;
  const markers = childMarkers(names);
  for (let index = 0; index < markers.length; index++) {
    const { name, pid, threadId } = markers[index];
    const trace = childTraceIn(directory, pid, threadId);
    if (trace === void 0 && pid !== process.pid && isAlive(pid)) {
      running = true;
      continue;
    }
    if (trace !== void 0 && !keep.has(trace)) {
      removeQuietly(trace);
    }
    removeQuietly(path4.join(directory, name));
  }
  if (!running && keep.size === 0) {
    removeDirectoryQuietly(directory);
  }
}
function leaveChildDirectory(directory, pid, threadId) {
  const marker = path4.join(directory, childMarkerName(pid, threadId));
  if (!fs3.existsSync(path4.join(directory, closedMarkerName)) && fs3.existsSync(marker) && ownerIsAlive(directory)) {
    return;
  }
  removeQuietly(path4.join(directory, childTraceName(pid, threadId)));
  removeQuietly(path4.join(directory, childJsonName(pid, threadId)));
  removeQuietly(marker);
  let names;
  try {
    names = fs3.readdirSync(directory);
  } catch {
    return;
  }
  if (childMarkers(names).length === 0 && !names.some((name) => name.endsWith(".vizt") || name.endsWith(".json"))) {
    removeDirectoryQuietly(directory);
  }
}
function ownerIsAlive(directory) {
  let owner;
  try {
    owner = Number(fs3.readFileSync(path4.join(directory, ownerFileName), "utf8"));
  } catch {
    return true;
  }
  return !Number.isSafeInteger(owner) || owner <= 0 || isAlive(owner);
}

// dist/multiprocess/child-tracing.js
var childDirectoryVariable = "VIZTRACER_CHILD_DIR";
var registerPath = fileURLToPath(new URL("../integrations/register.js", import.meta.url));
var importFlag = `--import=${registerPath}`;
function withImportFlag(nodeOptions) {
  const flag = registerPath.includes(" ") ? `--import=${JSON.stringify(registerPath)}` : importFlag;
  return nodeOptions?.includes(registerPath) ? nodeOptions : `${nodeOptions ?? ""} ${flag}`.trim();
}
function traceChildren(options) {
  const directory = fs4.mkdtempSync(path5.join(os3.tmpdir(), "viztracer-children-"));
  fs4.writeFileSync(path5.join(directory, ownerFileName), String(process.pid));
  const childOptions = {
    ...options,
    // Plugins belong to the parent's trace; file names are chosen per child.
    plugins: void 0,
    outputFile: void 0,
    pidSuffix: void 0,
    processName: void 0,
    verbose: 0
  };
  for (const [option, value] of Object.entries(childOptions)) {
    if (value === void 0) {
      delete process.env[environmentName(option)];
    }
  }
  Object.assign(process.env, environmentFromOptions(childOptions), {
    [childDirectoryVariable]: directory,
    NODE_OPTIONS: withImportFlag(process.env["NODE_OPTIONS"])
  });
  patchWorkerThreads();
  return directory;
}
function patchWorkerThreads() {
  const Original = workerThreads2.Worker;
  if (Original.viztracerPatched) {
    return;
  }
  class Worker extends Original {
    static viztracerPatched = true;
    constructor(filename, options = {}) {
      const execArgv = options.execArgv ?? process.execArgv;
      const code = options.eval && typeof filename === "string" ? `require(${JSON.stringify(registerPath)});${filename}` : filename;
      super(code, { ...options, execArgv: execArgv.includes(importFlag) ? execArgv : [...execArgv, importFlag] });
    }
  }
  workerThreads2.Worker = Worker;
  Module.syncBuiltinESMExports();
}
function mergeChildTraces(data, directory, timeout, onUnreadable = () => void 0) {
  const { traces, missing } = collectChildTraces(directory, timeout);
  const report = { merged: 0, cut: [], missing, unreadable: [] };
  const reference = baseTimeNanoseconds();
  for (let index = 0; index < traces.length; index++) {
    const { pid, file, cut } = traces[index];
    let base;
    let childMetadata;
    try {
      const reader = readTraceSync(file, () => void 0, { parseEvents: false, keepText: ["viztracer_metadata"] });
      base = baseTimeOfTrace(reader.other, reader.rawText);
      childMetadata = reader.other["viztracer_metadata"];
    } catch (error) {
      const reason2 = messageOf(error);
      report.unreadable.push({ pid, file, reason: reason2 });
      onUnreadable({ pid, file, reason: reason2, partly: false });
      continue;
    }
    const shift = timelineShift(base, reference);
    addChildRecording(data, childMetadata, shift);
    appendEventSource(data, () => childEvents(file, shift, (reason2) => {
      onUnreadable({ pid, file, reason: reason2, partly: true });
    }));
    report.merged++;
    if (cut === true) {
      report.cut.push(pid);
    }
  }
  return report;
}
function addChildRecording(data, childMetadata, shift) {
  const parent = data.viztracer_metadata;
  if (typeof parent !== "object" || parent === null || typeof childMetadata !== "object" || childMetadata === null) {
    return;
  }
  const { overflow } = childMetadata;
  const target = parent;
  const entries = recordingsIn(childMetadata);
  if (entries.length > 0 && (target.recording === void 0 || Array.isArray(target.recording))) {
    target.recording = [...target.recording ?? [], ...shiftedRecording(entries, shift)];
  }
  if (overflow === true) {
    target.overflow = true;
  }
}
function childEvents(file, shift, onFailure) {
  return shiftedEvents(file, shift, {
    onFailure(error) {
      onFailure(messageOf(error));
    }
  });
}
var messageOf = (error) => error instanceof Error ? error.message : String(error);
function describeMissing(missing, timeout) {
  const running = [];
  const exited = [];
  for (let index = 0; index < missing.length; index++) {
    (missing[index].running ? running : exited).push(missing[index].pid);
  }
  const parts = [];
  if (exited.length > 0) {
    parts.push(`no trace from child process ${exited.join(", ")} (it exited without writing one: killed?)`);
  }
  if (running.length > 0) {
    parts.push(`no trace from child process ${running.join(", ")} (still running after ${timeout} ms)`);
  }
  return parts.join("; ");
}
function traceChildrenOf(tracer, warn) {
  const directory = traceChildren(tracer.options);
  const configured = Number(process.env["VIZTRACER_CHILD_TIMEOUT"] ?? 3e3);
  const timeout = Number.isFinite(configured) && configured >= 0 ? configured : 3e3;
  const kept = /* @__PURE__ */ new Set();
  tracer.on("pre-save", function mergeChildren(data) {
    const { missing, cut } = mergeChildTraces(data, directory, timeout, ({ pid, file, reason: reason2, partly }) => {
      kept.add(file);
      warn(partly ? `viztracer: the trace of child process ${pid} broke off while it was merged (${reason2}); the events before that were merged, and the file was kept: ${file}
` : `viztracer: cannot merge the trace of child process ${pid} (${reason2}); the file was kept: ${file}
`);
    });
    if (missing.length > 0 && tracer.options.verbose > 0) {
      warn(`viztracer: ${describeMissing(missing, timeout)}; the rest was kept
`);
    }
    if (cut.length > 0 && tracer.options.verbose > 0) {
      warn(`viztracer: child process ${cut.join(", ")} died while recording (killed?); what it had streamed to disk was merged
`);
    }
  });
  tracer.on("terminate", () => {
    closeChildDirectory(directory, kept);
  });
}
function prepareChildOptions(options, directory) {
  options.outputFile = path5.join(directory, childTraceName(process.pid, workerThreads2.threadId));
  options.verbose = 0;
  try {
    fs4.writeFileSync(path5.join(directory, childMarkerName(process.pid, workerThreads2.threadId)), "");
  } catch {
  }
  patchWorkerThreads();
}
function leaveParentOnTerminate(tracer, directory) {
  tracer.on("terminate", () => {
    leaveChildDirectory(directory, process.pid, workerThreads2.threadId);
  });
}

// dist/integrations/register.js
if (getTracer() === void 0) {
  startSignalWatcher();
  const childDirectory = process.env[childDirectoryVariable];
  const tracer = exitOnSetupError(() => {
    const options = optionsFromEnvironment(process.env);
    if (childDirectory) {
      prepareChildOptions(options, childDirectory);
    }
    const outputFile = options.outputFile ?? defaultOptions.outputFile;
    const problem = childDirectory || !isMainThread ? void 0 : outputProblem(outputFile);
    if (problem !== void 0) {
      const variable = environmentName("outputFile");
      throw new VizTracerOptionError(variable, process.env[variable], "a file that can be written", `Cannot write the trace to ${outputFile} (${variable} sets where): ${problem}`);
    }
    return new VizTracer(options);
  });
  if (childDirectory) {
    leaveParentOnTerminate(tracer, childDirectory);
  }
  instrumentFor(tracer.options, process.env);
  const io = { stdout: (text) => process.stdout.write(text), stderr: (text) => process.stderr.write(text) };
  if (!childDirectory && isMainThread && !["0", "false"].includes(process.env["VIZTRACER_TRACE_CHILDREN"] ?? "")) {
    traceChildrenOf(tracer, io.stderr);
  }
  const script = process.argv[1];
  if (!childDirectory && isMainThread && script !== void 0) {
    checkUserCodeOnSave(tracer, { script: path6.resolve(script) }, io.stderr);
  }
  exitOnSetupError(() => {
    try {
      tracer.start();
    } catch (error) {
      if (error instanceof VizPluginError) {
        try {
          tracer.terminate();
        } catch {
        }
      }
      throw error;
    }
  });
  saveOnExit(tracer, io);
}
