import {
  createFileFilter,
  createFileInstrumenter,
  defaultCacheDir,
  hasInlineSourceMap,
  installedHook,
  instrumentationHook,
  isCompiledSourceFile,
  isTypeScriptFile,
  loadContextFor,
  loaderRole,
  mapPrepareStackTracePositions,
  originalText,
  pickInstrumentationOptions,
  sharedStringTable,
  stripTypes,
  stripTypesAsNodeWould,
  stripsTypesItself,
  transformLoaded,
  usableCacheDir
} from "./chunk-VFUWVP6C.js";
import {
  EntryKind,
  NumberSlot,
  RingBuffer,
  StateSlot,
  ViztTag,
  assembleTraceData,
  depthBits,
  emptyView,
  hasViztMagic,
  isViztPath,
  nanosecondsAsMicrosecondsJson,
  now,
  numberSlots,
  payloadFlag,
  recordingOf,
  recordingsIn,
  safeJson,
  scopeShift,
  serializeTrace,
  serializeVizt,
  serializeViztContinuation,
  shapeProblem,
  snapshotOf,
  spanDepthKey,
  stateSlots,
  tailJson,
  trackShift,
  trailerBytes,
  unreadEntries,
  unwritableReason,
  viewOf,
  viztMagic
} from "./chunk-XZS3WIM7.js";
import {
  VizPluginError,
  VizTracerArgumentError,
  VizTracerInvalidPluginError,
  VizTracerInvalidTraceError,
  VizTracerOptionError,
  VizTracerOptionRangeError,
  VizTracerSaveError,
  VizTracerStateError,
  VizTracerTraceNotFoundError,
  VizTracerTraceUnreadableError,
  VizTracerUnwritableTraceError,
  describeValue,
  isNewer,
  makeDirectories,
  makeDirectoriesSync,
  parseVersion,
  version
} from "./chunk-SNT263OC.js";
import {
  __commonJS,
  __toESM
} from "./chunk-SK6HMZ5B.js";

// node_modules/eventemitter3/index.js
var require_eventemitter3 = __commonJS({
  "node_modules/eventemitter3/index.js"(exports, module) {
    "use strict";
    var has = Object.prototype.hasOwnProperty;
    var prefix = "~";
    function Events() {
    }
    if (Object.create) {
      Events.prototype = /* @__PURE__ */ Object.create(null);
      if (!new Events().__proto__) prefix = false;
    }
    function EE(fn, context, once) {
      this.fn = fn;
      this.context = context;
      this.once = once || false;
    }
    function addListener(emitter, event, fn, context, once) {
      if (typeof fn !== "function") {
        throw new TypeError("The listener must be a function");
      }
      var listener = new EE(fn, context || emitter, once), evt = prefix ? prefix + event : event;
      if (!emitter._events[evt]) emitter._events[evt] = listener, emitter._eventsCount++;
      else if (!emitter._events[evt].fn) emitter._events[evt].push(listener);
      else emitter._events[evt] = [emitter._events[evt], listener];
      return emitter;
    }
    function clearEvent(emitter, evt) {
      if (--emitter._eventsCount === 0) emitter._events = new Events();
      else delete emitter._events[evt];
    }
    function EventEmitter2() {
      this._events = new Events();
      this._eventsCount = 0;
    }
    EventEmitter2.prototype.eventNames = function eventNames() {
      var names = [], events, name;
      if (this._eventsCount === 0) return names;
      for (name in events = this._events) {
        if (has.call(events, name)) names.push(prefix ? name.slice(1) : name);
      }
      if (Object.getOwnPropertySymbols) {
        return names.concat(Object.getOwnPropertySymbols(events));
      }
      return names;
    };
    EventEmitter2.prototype.listeners = function listeners(event) {
      var evt = prefix ? prefix + event : event, handlers = this._events[evt];
      if (!handlers) return [];
      if (handlers.fn) return [handlers.fn];
      for (var i = 0, l = handlers.length, ee = new Array(l); i < l; i++) {
        ee[i] = handlers[i].fn;
      }
      return ee;
    };
    EventEmitter2.prototype.listenerCount = function listenerCount(event) {
      var evt = prefix ? prefix + event : event, listeners = this._events[evt];
      if (!listeners) return 0;
      if (listeners.fn) return 1;
      return listeners.length;
    };
    EventEmitter2.prototype.emit = function emit(event, a1, a2, a3, a4, a5) {
      var evt = prefix ? prefix + event : event;
      if (!this._events[evt]) return false;
      var listeners = this._events[evt], len = arguments.length, args, i;
      if (listeners.fn) {
        if (listeners.once) this.removeListener(event, listeners.fn, void 0, true);
        switch (len) {
          case 1:
            return listeners.fn.call(listeners.context), true;
          case 2:
            return listeners.fn.call(listeners.context, a1), true;
          case 3:
            return listeners.fn.call(listeners.context, a1, a2), true;
          case 4:
            return listeners.fn.call(listeners.context, a1, a2, a3), true;
          case 5:
            return listeners.fn.call(listeners.context, a1, a2, a3, a4), true;
          case 6:
            return listeners.fn.call(listeners.context, a1, a2, a3, a4, a5), true;
        }
        for (i = 1, args = new Array(len - 1); i < len; i++) {
          args[i - 1] = arguments[i];
        }
        listeners.fn.apply(listeners.context, args);
      } else {
        var length = listeners.length, j;
        for (i = 0; i < length; i++) {
          if (listeners[i].once) this.removeListener(event, listeners[i].fn, void 0, true);
          switch (len) {
            case 1:
              listeners[i].fn.call(listeners[i].context);
              break;
            case 2:
              listeners[i].fn.call(listeners[i].context, a1);
              break;
            case 3:
              listeners[i].fn.call(listeners[i].context, a1, a2);
              break;
            case 4:
              listeners[i].fn.call(listeners[i].context, a1, a2, a3);
              break;
            default:
              if (!args) for (j = 1, args = new Array(len - 1); j < len; j++) {
                args[j - 1] = arguments[j];
              }
              listeners[i].fn.apply(listeners[i].context, args);
          }
        }
      }
      return true;
    };
    EventEmitter2.prototype.on = function on(event, fn, context) {
      return addListener(this, event, fn, context, false);
    };
    EventEmitter2.prototype.once = function once(event, fn, context) {
      return addListener(this, event, fn, context, true);
    };
    EventEmitter2.prototype.removeListener = function removeListener(event, fn, context, once) {
      var evt = prefix ? prefix + event : event;
      if (!this._events[evt]) return this;
      if (!fn) {
        clearEvent(this, evt);
        return this;
      }
      var listeners = this._events[evt];
      if (listeners.fn) {
        if (listeners.fn === fn && (!once || listeners.once) && (!context || listeners.context === context)) {
          clearEvent(this, evt);
        }
      } else {
        for (var i = 0, events = [], length = listeners.length; i < length; i++) {
          if (listeners[i].fn !== fn || once && !listeners[i].once || context && listeners[i].context !== context) {
            events.push(listeners[i]);
          }
        }
        if (events.length) this._events[evt] = events.length === 1 ? events[0] : events;
        else clearEvent(this, evt);
      }
      return this;
    };
    EventEmitter2.prototype.removeAllListeners = function removeAllListeners(event) {
      var evt;
      if (event) {
        evt = prefix ? prefix + event : event;
        if (this._events[evt]) clearEvent(this, evt);
      } else {
        this._events = new Events();
        this._eventsCount = 0;
      }
      return this;
    };
    EventEmitter2.prototype.off = EventEmitter2.prototype.removeListener;
    EventEmitter2.prototype.addListener = EventEmitter2.prototype.on;
    EventEmitter2.prefixed = prefix;
    EventEmitter2.EventEmitter = EventEmitter2;
    if ("undefined" !== typeof module) {
      module.exports = EventEmitter2;
    }
  }
});

// dist/tracer/options.js
var defaultOptions = Object.freeze({
  outputFile: "result.json",
  tracerEntries: void 0,
  verbose: 1,
  maxStackDepth: -1,
  minDuration: 0,
  includeFiles: void 0,
  excludeFiles: void 0,
  includeNodeModules: false,
  logException: false,
  logFuncArgs: false,
  logFuncRetval: false,
  logAsync: false,
  logGc: false,
  logSparse: false,
  pidSuffix: false,
  processName: void 0,
  plugins: []
});
var maxTracerEntries = 2 ** 28;
var isString = (name, value) => {
  if (typeof value !== "string") {
    throw new VizTracerOptionError(name, value, "a string");
  }
  return value;
};
var isBoolean = (name, value) => {
  if (typeof value !== "boolean") {
    throw new VizTracerOptionError(name, value, "a boolean");
  }
  return value;
};
var isIntegerInRange = (min, max) => (name, value) => {
  const expected = max === Number.MAX_SAFE_INTEGER ? `an integer >= ${min}` : `an integer from ${min} to ${max}`;
  if (typeof value !== "number") {
    throw new VizTracerOptionError(name, value, expected);
  }
  if (!Number.isInteger(value) || value < min || value > max) {
    throw new VizTracerOptionRangeError(name, value, expected);
  }
  return value;
};
var isStringArray = (name, value) => {
  if (!Array.isArray(value)) {
    throw new VizTracerOptionError(name, value, "an array of file paths or globs");
  }
  for (const [index, entry] of value.entries()) {
    if (typeof entry !== "string" || entry === "") {
      throw new VizTracerOptionError(`${name}[${index}]`, entry, "a non-empty string (a file path or glob)");
    }
  }
  return [...value];
};
var outputNames = "a file name ending in `.json`, `.json.gz`, `.html` or `.vizt`";
var isOutputName = (file) => /\.json(?:\.gz)?$|\.html$|\.vizt$/.test(file);
var validators = {
  outputFile(name, value) {
    const file = isString(name, value);
    if (!isOutputName(file)) {
      throw new VizTracerOptionRangeError(name, value, outputNames);
    }
    return file;
  },
  tracerEntries: isIntegerInRange(1, maxTracerEntries),
  verbose(name, value) {
    if (value !== 0 && value !== 1) {
      throw typeof value === "number" ? new VizTracerOptionRangeError(name, value, "0 or 1") : new VizTracerOptionError(name, value, "0 or 1");
    }
    return value;
  },
  maxStackDepth: isIntegerInRange(-1, Number.MAX_SAFE_INTEGER),
  minDuration(name, value) {
    if (typeof value !== "number") {
      throw new VizTracerOptionError(name, value, "a number of microseconds >= 0");
    }
    if (!Number.isFinite(value) || value < 0) {
      throw new VizTracerOptionRangeError(name, value, "a number of microseconds >= 0");
    }
    return value;
  },
  includeFiles: isStringArray,
  excludeFiles: isStringArray,
  includeNodeModules: isBoolean,
  logException: isBoolean,
  logFuncArgs: isBoolean,
  logFuncRetval: isBoolean,
  logAsync: isBoolean,
  logGc: isBoolean,
  logSparse: isBoolean,
  pidSuffix: isBoolean,
  processName: isString,
  plugins(name, value) {
    if (!Array.isArray(value)) {
      throw new VizTracerOptionError(name, value, "an array of plugins");
    }
    return [...value];
  }
};
function resolveOptions(options = {}) {
  if (typeof options !== "object" || options === null || Array.isArray(options)) {
    throw new VizTracerOptionError("options", options, "an object");
  }
  const resolved = { ...defaultOptions, plugins: [] };
  for (const [name, value] of Object.entries(options)) {
    if (!Object.hasOwn(validators, name)) {
      const known = Object.keys(validators).join(", ");
      throw new VizTracerOptionError(name, value, `one of ${known}`, `Unknown option \`${name}\` (set to ${describeValue(value)}); expected one of ${known}`);
    }
    if (value === void 0) {
      continue;
    }
    const validator = validators[name];
    resolved[name] = validator(name, value);
  }
  if (resolved.includeFiles !== void 0 && resolved.excludeFiles !== void 0) {
    throw new VizTracerOptionError("excludeFiles", resolved.excludeFiles, "unset when `includeFiles` is given (they are mutually exclusive)");
  }
  return resolved;
}

// dist/instrument/install.js
import Module2 from "node:module";
import path2 from "node:path";
import { fileURLToPath } from "node:url";

// dist/instrument/commonjs-hook.js
import Module from "node:module";
var { apply } = Reflect;
var { defineProperty, hasOwn } = Object;
function hookCommonJs(instrumentFile, accept) {
  const prototype = Module.prototype;
  const original = prototype._compile;
  if (typeof original !== "function") {
    return;
  }
  const instrumented = (content, filename) => {
    if (typeof content !== "string" || typeof filename !== "string" || !(filename.endsWith(".js") || filename.endsWith(".cjs"))) {
      return content;
    }
    try {
      return accept(filename) ? instrumentFile(content, filename, "script") : content;
    } catch {
      return content;
    }
  };
  const typescript = (content, filename, format) => {
    if (format !== "commonjs-typescript" && format !== "typescript" || typeof content !== "string" || typeof filename !== "string") {
      return void 0;
    }
    try {
      const javascript = accept(filename) ? stripTypes(content) : void 0;
      return javascript === void 0 ? void 0 : [instrumentFile(javascript, filename, "script"), format === "typescript" ? void 0 : "commonjs"];
    } catch {
      return void 0;
    }
  };
  const ownStripping = stripsTypesItself();
  const typescriptAsJavaScript = (content, filename, format) => {
    if (typeof content !== "string" || typeof filename !== "string" || !isCompiledSourceFile(filename) || format !== void 0 && format !== "commonjs") {
      return void 0;
    }
    const javascript = ownStripping && isTypeScriptFile(filename) && !hasInlineSourceMap(content) ? stripTypesAsNodeWould(content, filename) : content;
    try {
      return accept(filename) ? instrumentFile(javascript, filename, "script") : javascript;
    } catch {
      return javascript;
    }
  };
  prototype._compile = {
    _compile(content, filename, ...rest) {
      const stripped = typescript(content, filename, rest[0]);
      const code = stripped === void 0 ? typescriptAsJavaScript(content, filename, rest[0]) ?? instrumented(content, filename) : stripped[0];
      if (stripped !== void 0) {
        rest[0] = stripped[1];
      }
      const module = this;
      const lend = typeof module === "object" && module !== null && !hasOwn(module, "_compile");
      if (lend) {
        defineProperty(module, "_compile", { value: original, writable: true, configurable: true, enumerable: true });
      }
      let completed = false;
      try {
        const result = apply(original, this, [code, filename, ...rest]);
        completed = true;
        return result;
      } finally {
        if (lend && completed && module._compile === original) {
          delete module._compile;
        }
      }
    }
  }._compile;
}

// dist/instrument/hidden-frames.js
import path from "node:path";
import { pathToFileURL } from "node:url";
var plumbing = ["bin", "cli", "launch", "integrations", "instrument"];
function plumbingFrames(selfDir2) {
  const prefixes = plumbing.flatMap((room) => {
    const directory = `${path.join(selfDir2, room)}${path.sep}`;
    return [directory, pathToFileURL(directory).href];
  });
  return (file) => {
    if (typeof file !== "string") {
      return false;
    }
    for (const prefix of prefixes) {
      if (file.startsWith(prefix)) {
        return true;
      }
    }
    return false;
  };
}

// dist/instrument/original-source.js
var installed = Symbol.for("viztracer.originalSource");
var nativeKey = Symbol.for("viztracer.nativeFunctionToString");
var { apply: apply2 } = Reflect;
var { defineProperty: defineProperty2, getOwnPropertyDescriptor } = Object;
var loadedToString = Function.prototype.toString;
function compiledText(fn) {
  const native = globalThis[nativeKey] ?? loadedToString;
  return apply2(native, fn, []);
}
function showOriginalSource(realm = globalThis) {
  const state = realm;
  const functionPrototype = realm.Function.prototype;
  const descriptor = getOwnPropertyDescriptor(functionPrototype, "toString");
  if (state[installed] || descriptor === void 0 || typeof descriptor.value !== "function" || !descriptor.configurable) {
    return;
  }
  defineProperty2(state, installed, { value: true });
  const nativeToString = descriptor.value;
  defineProperty2(state, nativeKey, { value: nativeToString });
  const replacement = {
    toString() {
      if (this === replacement) {
        return apply2(nativeToString, nativeToString, []);
      }
      return originalText(apply2(nativeToString, this, []));
    }
  }.toString;
  defineProperty2(functionPrototype, "toString", { ...descriptor, value: replacement });
}

// dist/instrument/esm-loader-sync.js
function createSyncLoad(options, instrumentFile, generation = 1) {
  const instrumenter = { accept: createFileFilter(options), instrumentFile, inThread: true };
  const role = loaderRole(generation);
  return (url, context, nextLoad) => {
    const current = role();
    return transformLoaded(url, nextLoad(url, loadContextFor(url, context, current)), instrumenter, current, context);
  };
}

// dist/instrument/install.js
var installedKey = Symbol.for("viztracer.instrumented");
var selfDir = path2.resolve(fileURLToPath(new URL("..", import.meta.url)));
var sourceMapsAtStart = process.sourceMapsEnabled === true;
var programMapsSources = () => sourceMapsAtStart;
function resolveInstrumentOptions(options = {}) {
  const resolved = pickInstrumentationOptions(resolveOptions(pickInstrumentationOptions(options)));
  const cwd = path2.resolve(options.cwd ?? process.cwd());
  return {
    ...resolved,
    // Checked here, once per process, so an unsafe cache is refused with one
    // warning before the options reach the loader thread.
    cacheDir: options.cacheDir === false ? false : usableCacheDir(path2.resolve(cwd, options.cacheDir ?? defaultCacheDir(cwd))),
    cwd,
    selfDir,
    chainSourceMaps: programMapsSources()
  };
}
function instrument(options = {}) {
  const state = globalThis;
  if (state[installedKey]) {
    return false;
  }
  const resolved = resolveInstrumentOptions(options);
  state[installedKey] = resolved;
  instrumentationHook();
  const registerHooks = Module2.registerHooks;
  if (typeof registerHooks !== "function" && resolved.cacheDir === false) {
    process.setSourceMapsEnabled(true);
  }
  mapPrepareStackTracePositions(!resolved.chainSourceMaps, plumbingFrames(selfDir));
  showOriginalSource();
  const accept = createFileFilter(resolved);
  const warn = (message) => {
    process.emitWarning(message, { code: "VIZTRACER_NOT_INSTRUMENTED" });
  };
  const instrumentFile = createFileInstrumenter(resolved, warn, { inThread: true });
  hookCommonJs(instrumentFile, accept);
  const registerLoader = typeof registerHooks === "function" ? (generation) => registerHooks({ load: createSyncLoad(resolved, instrumentFile, generation) }) : (generation) => Module2.register(new URL(generation === 1 ? "esm-loader.js" : `esm-loader.js?generation=${generation}`, import.meta.url), { data: { ...resolved, generation } });
  registerLoader(1);
  stayOutermost(registerLoader);
  return true;
}
function stayOutermost(registerLoader) {
  const exports = Module2;
  let generation = 1;
  let registering = false;
  for (const name of ["register", "registerHooks"]) {
    const original = exports[name];
    if (typeof original !== "function") {
      continue;
    }
    const replacement = {
      [name](...args) {
        const result = Reflect.apply(original, this, args);
        if (!registering) {
          registering = true;
          try {
            registerLoader(++generation);
          } finally {
            registering = false;
          }
        }
        return result;
      }
    }[name];
    Object.defineProperty(replacement, "length", { value: original.length });
    exports[name] = replacement;
  }
  Module2.syncBuiltinESMExports();
}
function instrumentedWith() {
  return globalThis[installedKey];
}

// dist/plugins/plugin.js
var pluginBrand = Symbol.for("viztracer.plugin");
var VizPluginBase = class {
  // Recognised by brand rather than `instanceof`, so a plugin built against
  // another copy of this package is still a plugin.
  static [Symbol.hasInstance](value) {
    return typeof value === "object" && value !== null && value[pluginBrand] === true;
  }
  get [pluginBrand]() {
    return true;
  }
  /** The newest viztracer version this plugin was written for. Subclasses must override it. */
  supportVersion() {
    throw new VizPluginError(this.constructor.name, `${this.constructor.name}.supportVersion() must be overridden to return the viztracer version the plugin supports`);
  }
  /** Answers the terminate command with `{ success: true }` and every other message with `{}`. */
  message(...[mType, payload]) {
    if (mType === "command" && payload.cmd_type === "terminate") {
      return { success: true };
    }
    return {};
  }
};
function isPlugin(value) {
  return typeof value === "object" && value !== null && typeof value.supportVersion === "function" && typeof value.message === "function";
}

// dist/plugins/plugin-loader.js
import { createRequire } from "node:module";
import path3 from "node:path";
function loadPlugin(spec, cwd = process.cwd()) {
  const specifier = spec.trim().split(/\s+/)[0];
  if (!specifier) {
    throw new VizTracerInvalidPluginError(spec);
  }
  const pluginModule = requirePluginModule(specifier, cwd);
  const factory = pluginModule.getVizplugin ?? pluginModule.get_vizplugin ?? exportOfDefault(pluginModule.default);
  if (factory === void 0) {
    throw new VizPluginError(specifier, `Plugin module '${specifier}' does not export getVizplugin(arg); it is not a viztracer plugin`);
  }
  if (typeof factory !== "function") {
    throw new VizPluginError(specifier, `Plugin module '${specifier}' exports getVizplugin, but it is ${typeof factory}, not a function`);
  }
  let plugin;
  try {
    plugin = factory(spec);
  } catch (error) {
    throw new VizPluginError(specifier, `getVizplugin() of plugin module '${specifier}' threw: ${messageOf(error)}`, { cause: error });
  }
  if (!isPlugin(plugin)) {
    throw new VizPluginError(specifier, `getVizplugin() of plugin module '${specifier}' returned ${plugin === null ? "null" : typeof plugin}, not a plugin object with supportVersion() and message()`);
  }
  return plugin;
}
function exportOfDefault(value) {
  if (typeof value === "object" && value !== null) {
    const defaults = value;
    return defaults.getVizplugin ?? defaults.get_vizplugin;
  }
  return void 0;
}
function requirePluginModule(specifier, cwd) {
  const candidates = [createRequire(path3.join(cwd, "noop.js"))];
  if (specifier === "viztracer" || specifier.startsWith("viztracer/")) {
    candidates.push(createRequire(import.meta.url));
  }
  let resolved;
  let lastError;
  for (const require3 of candidates) {
    try {
      resolved = require3.resolve(specifier);
      return require3(resolved);
    } catch (error) {
      lastError = error;
      if (resolved !== void 0) {
        break;
      }
    }
  }
  if (resolved === void 0) {
    throw new VizPluginError(specifier, `Cannot find plugin module '${specifier}' from ${cwd}; is it installed, or is the path right?`, { cause: lastError });
  }
  throw new VizPluginError(specifier, `Plugin module '${specifier}' (${resolved}) failed to load: ${messageOf(lastError)}`, { cause: lastError });
}
function messageOf(error) {
  return error instanceof Error ? error.message : String(error);
}

// dist/tracer/tracer.js
import path9 from "node:path";
import { inspect } from "node:util";
import { isMainThread, threadId } from "node:worker_threads";

// node_modules/eventemitter3/index.mjs
var import_index = __toESM(require_eventemitter3(), 1);

// dist/tracer/current-tracer.js
var slotKey = Symbol.for("viztracer.currentTracerSlot");
function sharedSlot() {
  const existing = globalThis[slotKey];
  if (typeof existing === "object" && existing !== null) {
    return existing;
  }
  const created = { tracer: void 0 };
  try {
    Object.defineProperty(globalThis, slotKey, { value: created });
  } catch {
  }
  return created;
}
var slot = sharedSlot();
function currentTracer() {
  return slot.tracer;
}
function setCurrentTracer(tracer) {
  slot.tracer = tracer;
}

// dist/runtime/async-resource-flows.js
import asyncHooks from "node:async_hooks";
var flowIdBase = 2 ** 40;
var maxPending = 1e5;
var supported;
function untrackedPromiseHooksSupported() {
  if (supported === void 0 && Number.parseInt(process.versions.node, 10) < 26) {
    supported = false;
  }
  if (supported === void 0) {
    let promiseSeen = false;
    const probe = asyncHooks.createHook({
      init(_id, type) {
        promiseSeen ||= type === "PROMISE";
      },
      trackPromises: false
    });
    probe.enable();
    void Promise.resolve().then(() => void 0);
    probe.disable();
    supported = !promiseSeen;
  }
  return supported;
}
function traceAsyncResources(recorder) {
  if (!untrackedPromiseHooksSupported()) {
    return void 0;
  }
  const pending = /* @__PURE__ */ new Map();
  const names = /* @__PURE__ */ new Map();
  const running = [];
  const hook = asyncHooks.createHook({
    init(asyncId, type) {
      if (!recorder.enabled || pending.size >= maxPending) {
        return;
      }
      let name = names.get(type);
      if (name === void 0) {
        name = recorder.intern(type);
        names.set(type, name);
      }
      const scheduled = now();
      pending.set(asyncId, { name, scheduled });
      recorder.flow(EntryKind.flowStart, name, flowIdBase + asyncId, scheduled);
    },
    before(asyncId) {
      const resource = pending.get(asyncId);
      running.push(resource !== void 0 && recorder.enabled);
      if (resource === void 0 || !recorder.enabled) {
        return;
      }
      pending.delete(asyncId);
      recorder.enter(resource.name);
      const now2 = now();
      recorder.lane(resource.name, resource.scheduled, now2);
      recorder.flow(EntryKind.flowEnd, resource.name, flowIdBase + asyncId, now2);
    },
    after() {
      if (running.pop()) {
        recorder.exit();
      }
    },
    trackPromises: false
  });
  hook.enable();
  return () => {
    hook.disable();
    pending.clear();
  };
}

// dist/runtime/gc-observer.js
import { constants, PerformanceObserver } from "node:perf_hooks";
var kindNames = {
  [constants.NODE_PERFORMANCE_GC_MINOR]: "scavenge",
  [constants.NODE_PERFORMANCE_GC_MAJOR]: "mark-sweep-compact",
  [constants.NODE_PERFORMANCE_GC_INCREMENTAL]: "incremental marking",
  [constants.NODE_PERFORMANCE_GC_WEAKCB]: "weak callbacks"
};
var flagNames = [
  [constants.NODE_PERFORMANCE_GC_FLAGS_CONSTRUCT_RETAINED, "construct retained"],
  [constants.NODE_PERFORMANCE_GC_FLAGS_FORCED, "forced"],
  [constants.NODE_PERFORMANCE_GC_FLAGS_SYNCHRONOUS_PHANTOM_PROCESSING, "synchronous phantom processing"],
  [constants.NODE_PERFORMANCE_GC_FLAGS_ALL_AVAILABLE_GARBAGE, "all available garbage"],
  [constants.NODE_PERFORMANCE_GC_FLAGS_ALL_EXTERNAL_MEMORY, "all external memory"],
  [constants.NODE_PERFORMANCE_GC_FLAGS_SCHEDULE_IDLE, "schedule idle"]
];
function observeGc(recorder) {
  const track = recorder.track("Garbage collection");
  const record = (entries) => {
    for (const entry of entries) {
      const detail = entry.detail ?? {};
      const kind = kindNames[detail.kind ?? 0] ?? `kind ${String(detail.kind)}`;
      const flags = flagNames.filter(([bit]) => ((detail.flags ?? 0) & bit) !== 0).map(([, name]) => name);
      recorder.complete(recorder.intern(`GC (${kind})`), entry.startTime, entry.startTime + entry.duration, track, { kind, flags });
    }
  };
  const observer = new PerformanceObserver((list) => {
    record(list.getEntries());
  });
  observer.observe({ entryTypes: ["gc"] });
  return () => {
    record(observer.takeRecords());
    observer.disconnect();
  };
}

// dist/core/intrinsics.js
var { getOwnPropertyDescriptor: getOwnPropertyDescriptor2, defineProperty: defineProperty3, getPrototypeOf } = Object;
var { deleteProperty, ownKeys, apply: apply3 } = Reflect;
var setHas = Set.prototype.has;
var iteratorPrototypeOf = (iterable) => getPrototypeOf(iterable[Symbol.iterator]());
var arrayIterator = iteratorPrototypeOf([]);
var generatorPrototype = getPrototypeOf((function* () {
})());
var guarded = [
  Array.prototype,
  arrayIterator,
  getPrototypeOf(arrayIterator),
  Map.prototype,
  iteratorPrototypeOf(/* @__PURE__ */ new Map()),
  Set.prototype,
  iteratorPrototypeOf(/* @__PURE__ */ new Set()),
  String.prototype,
  iteratorPrototypeOf(""),
  getPrototypeOf(generatorPrototype),
  generatorPrototype,
  Object.prototype,
  Object,
  Array,
  JSON,
  Function.prototype,
  Promise.prototype,
  Number.prototype,
  Math
];
var slots = [];
var originalKeys = [];
for (let index = 0; index < guarded.length; index++) {
  const target = guarded[index];
  const keys = ownKeys(target);
  originalKeys.push(new Set(keys));
  for (let keyIndex = 0; keyIndex < keys.length; keyIndex++) {
    const key = keys[keyIndex];
    const original = getOwnPropertyDescriptor2(target, key);
    if (original?.configurable) {
      slots.push({ target, key, original });
    }
  }
}
var slotCount = slots.length;
var depth = 0;
function sameDescriptor(a, b) {
  return a !== void 0 && a.value === b.value && a.get === b.get && a.set === b.set && a.writable === b.writable && a.enumerable === b.enumerable && a.configurable === b.configurable;
}
function withIntrinsics(fn) {
  if (depth > 0) {
    return fn();
  }
  const changed = [];
  for (let index = 0; index < slotCount; index++) {
    const slot2 = slots[index];
    const current = getOwnPropertyDescriptor2(slot2.target, slot2.key);
    if (!sameDescriptor(current, slot2.original) && (current === void 0 || current.configurable)) {
      try {
        defineProperty3(slot2.target, slot2.key, slot2.original);
        changed[changed.length] = { slot: slot2, current };
      } catch {
      }
    }
  }
  for (let index = 0; index < guarded.length; index++) {
    const target = guarded[index];
    const known = originalKeys[index];
    const keys = ownKeys(target);
    for (let keyIndex = 0; keyIndex < keys.length; keyIndex++) {
      const key = keys[keyIndex];
      if (!apply3(setHas, known, [key])) {
        const current = getOwnPropertyDescriptor2(target, key);
        if (current?.configurable) {
          deleteProperty(target, key);
          changed[changed.length] = { slot: { target, key, original: current }, current };
        }
      }
    }
  }
  depth++;
  try {
    return fn();
  } finally {
    depth--;
    for (let index = changed.length - 1; index >= 0; index--) {
      const { slot: slot2, current } = changed[index];
      if (current === void 0) {
        deleteProperty(slot2.target, slot2.key);
      } else {
        defineProperty3(slot2.target, slot2.key, current);
      }
    }
  }
}

// dist/core/warn-now.js
function warnNow(message, code, name = "Warning") {
  process.emit("warning", Object.assign(new Error(message), { name, code }));
}

// dist/plugins/plugin-manager.js
var ourVersion = parseVersion(version) ?? [0, 0, 0];
var PluginManager = class {
  #plugins = [];
  get size() {
    return this.#plugins.length;
  }
  get plugins() {
    return this.#plugins.map(({ plugin }) => plugin);
  }
  /** Resolves, checks and registers one `plugins` entry, then sends it `initialize`. */
  register(spec, data, cwd) {
    let plugin;
    let name;
    if (typeof spec === "string") {
      plugin = loadPlugin(spec, cwd);
      name = spec.trim().split(/\s+/)[0];
    } else if (isPlugin(spec)) {
      plugin = spec;
      name = pluginName(spec, this.#plugins.length);
    } else {
      throw new VizTracerInvalidPluginError(spec);
    }
    checkSupportVersion(plugin, name);
    const registered = { plugin, name };
    this.#plugins.push(registered);
    const failure = this.#sendEvent(registered, "initialize", data);
    if (failure) {
      throw failure;
    }
    return plugin;
  }
  /**
   * Sends `message('event', { when })` to every plugin and runs the
   * `handle_data` handlers they return. Returns the handlers that ran
   * without throwing, in order. With `checkShape`, a handler that leaves
   * `traceEvents` or `viztracer_metadata` unusable is marked (`broke`), and
   * the later handlers are not run on that data (`deferred`): they would
   * fail on it, and be blamed for it.
   */
  event(when, data, checkShape = false) {
    let firstFailure;
    const ran = [];
    for (let index = 0; index < this.#plugins.length; index++) {
      const failure = this.#sendEvent(this.#plugins[index], when, data, ran, checkShape);
      firstFailure ??= failure;
    }
    if (firstFailure) {
      throw firstFailure;
    }
    return ran;
  }
  /** Sends the terminate command; every plugin must answer `{ success: true }`. */
  terminate() {
    const payload = { cmd_type: "terminate" };
    let firstFailure;
    for (let index = 0; index < this.#plugins.length; index++) {
      const { plugin, name } = this.#plugins[index];
      let reply;
      try {
        reply = plugin.message("command", payload);
      } catch (error) {
        firstFailure ??= new VizPluginError(name, `Plugin ${name} threw while handling the terminate command: ${messageOf(error)}`, { cause: error });
        continue;
      }
      if (settleAside(reply, name, "the terminate command")) {
        firstFailure ??= asyncReplyError(name, "the terminate command");
      } else if (!isSuccess(reply)) {
        firstFailure ??= new VizPluginError(name, `Plugin ${name} did not acknowledge the terminate command: expected the reply { success: true }, got ${describeReply(reply)}`);
      }
    }
    if (firstFailure) {
      throw firstFailure;
    }
  }
  #sendEvent({ plugin, name }, when, data, ran, checkShape = false) {
    let reply;
    try {
      reply = plugin.message("event", { when });
    } catch (error) {
      return new VizPluginError(name, `Plugin ${name} threw while handling the '${when}' event: ${messageOf(error)}`, { cause: error });
    }
    const event = `the '${when}' event`;
    if (settleAside(reply, name, event)) {
      return asyncReplyError(name, event);
    }
    let action;
    let handler;
    try {
      if (reply === void 0 || reply === null || typeof reply !== "object" || !("action" in reply)) {
        return void 0;
      }
      action = reply.action;
      handler = reply.handler;
    } catch (error) {
      return new VizPluginError(name, `Plugin ${name}'s reply to ${event} cannot be read: ${messageOf(error)}`, { cause: error });
    }
    if (action !== "handle_data") {
      warnNow(`Plugin ${name} replied to ${event} with the unknown action ${describeReply(action)}; it was ignored`, "VIZTRACER_PLUGIN_ACTION");
      return void 0;
    }
    if (typeof handler !== "function") {
      return new VizPluginError(name, `Plugin ${name} replied to ${event} with action 'handle_data' but its handler is ${typeof handler}, not a function`);
    }
    const run = { name, handler };
    if (ran !== void 0 && ran.some((earlier) => earlier.broke !== void 0)) {
      run.deferred = true;
      ran.push(run);
      return void 0;
    }
    const target = data();
    const failure = runHandler(run, target, when);
    if (failure === void 0) {
      if (checkShape) {
        run.broke = shapeProblem(target);
      }
      ran?.push(run);
    }
    return failure;
  }
};
function runHandler({ name, handler }, data, when) {
  let result;
  try {
    result = handler(data);
  } catch (error) {
    return new VizPluginError(name, `The handle_data handler of plugin ${name} threw at '${when}': ${messageOf(error)}`, { cause: error });
  }
  const what = `its handle_data handler at '${when}'`;
  return settleAside(result, name, what) ? asyncReplyError(name, what) : void 0;
}
function settleAside(value, name, what) {
  let then;
  try {
    then = typeof value === "object" && value !== null ? value.then : void 0;
  } catch {
    return false;
  }
  if (typeof then !== "function") {
    return false;
  }
  try {
    then.call(value, void 0, (reason) => {
      let text;
      try {
        text = messageOf(reason);
      } catch {
        text = "a reason that cannot be printed";
      }
      warnNow(`Plugin ${name}'s promise for ${what} rejected: ${text}`, "VIZTRACER_PLUGIN_ASYNC", "VizPluginWarning");
    });
  } catch {
  }
  return true;
}
function asyncReplyError(name, what) {
  return new VizPluginError(name, `Plugin ${name} returned a promise for ${what}: the plugin protocol is synchronous, so the promise's result is not used; do the work synchronously (message() and handlers must not be async)`);
}
function pluginName(plugin, index) {
  const constructorName = plugin.constructor?.name;
  return typeof constructorName === "string" && constructorName !== "" && constructorName !== "Object" ? constructorName : `plugin #${index + 1}`;
}
function checkSupportVersion(plugin, name) {
  let supported2;
  try {
    supported2 = plugin.supportVersion();
  } catch (error) {
    if (error instanceof VizPluginError) {
      throw error;
    }
    throw new VizPluginError(name, `Plugin ${name} threw in supportVersion(): ${messageOf(error)}`, { cause: error });
  }
  const parsed = typeof supported2 === "string" ? parseVersion(supported2) : void 0;
  if (parsed === void 0) {
    throw new VizPluginError(name, `Plugin ${name}'s supportVersion() must return a version string such as '${version}', got ${JSON.stringify(supported2) ?? String(supported2)}`);
  }
  if (isNewer(parsed, ourVersion)) {
    process.emitWarning(`Plugin ${name}'s support version is higher than viztracer's version (${String(supported2)} > ${version}); consider upgrading viztracer`, { code: "VIZTRACER_PLUGIN_VERSION", type: "VizPluginWarning" });
  }
}
function isSuccess(reply) {
  return typeof reply === "object" && reply !== null && "success" in reply && reply.success === true;
}
function describeReply(reply) {
  try {
    return JSON.stringify(reply) ?? String(reply);
  } catch {
    return String(reply);
  }
}

// dist/core/recorder.js
var scopeBits = { t: 0, p: 1, g: 2 };
var asyncSlotLimit = 2 ** 24;
var depthLimit = 2 ** 24;
var Recorder = class {
  enabled = false;
  /** Names are interned process-wide, so ids baked into instrumented modules stay valid across tracers. */
  strings = sharedStringTable();
  #ring;
  #entries;
  #shared;
  // Spans at this depth or deeper are not recorded: `maxStackDepth`, or a
  // tighter bound while a logSparse subtree runs.
  #maxStackDepth;
  #minDurationMs;
  #depth = 0;
  // `generation * depthLimit`: changes at every start().
  #generationBase = 0;
  #stackNames = new Int32Array(256);
  #stackStarts = new Float64Array(256);
  // Arguments and return values of open spans (logFuncArgs / logFuncRetval).
  // Only touched once `#withPayloads` is set, so plain spans never pay for them.
  #withPayloads = false;
  #stackPayloads = [];
  #asyncPayloads = [];
  // Extra timeline rows (GC, async work); index 0 is the thread itself.
  #tracks = [""];
  // Async lifetimes are laid out on rows of their own at save time ("lanes").
  #laneTrack = 0;
  #asyncLanes = new Uint8Array(64);
  #flowIds = 0;
  #awaitName = 0;
  #asyncNames = new Int32Array(64);
  #asyncStarts = new Float64Array(64);
  #asyncSerials = new Float64Array(64);
  // Free slots, as a stack in a typed array: no Array methods a program could replace.
  #asyncFree = new Int32Array(64);
  #asyncFreeCount = 0;
  #asyncUsed = 0;
  #asyncOpen = 0;
  #serial = 0;
  /** Async spans not recorded because too many were open at once. */
  droppedAsyncSpans = 0;
  constructor(config) {
    this.#entries = config.entries;
    this.#shared = config.shared === true;
    this.#maxStackDepth = config.maxStackDepth < 0 ? Number.POSITIVE_INFINITY : config.maxStackDepth;
    this.#minDurationMs = config.minDuration / 1e3;
  }
  /** The ring, allocated on first use so an unstarted tracer costs no memory. */
  get ring() {
    this.#ring ??= new RingBuffer(this.#entries, this.#shared);
    return this.#ring;
  }
  get hasRing() {
    return this.#ring !== void 0;
  }
  get depth() {
    return this.#depth;
  }
  intern(name) {
    return this.strings.intern(name);
  }
  start() {
    void this.ring;
    this.#depth = 0;
    this.#generationBase += depthLimit;
    this.enabled = true;
  }
  /** Stops recording; spans still open end at `stopTime`. */
  stop(stopTime = now()) {
    for (let depth2 = this.#depth - 1; depth2 >= 0; depth2--) {
      this.#write(this.#stackNames[depth2], this.#stackStarts[depth2], stopTime, depth2, this.#stackPayloads[depth2]);
    }
    this.#depth = 0;
    this.#stackPayloads = [];
    for (let slot2 = 0; slot2 < this.#asyncUsed; slot2++) {
      if (this.#asyncSerials[slot2] !== 0) {
        this.#writeAsync(slot2, stopTime);
        this.#releaseAsync(slot2);
      }
    }
    this.enabled = false;
  }
  clear() {
    this.#ring?.clear();
    this.droppedAsyncSpans = 0;
  }
  /**
   * Opens a span. Call only while `enabled`; pair with `exit()`,
   * `exitTo(token)` or `detachAsync()`. Returns the span's stack token.
   * Nothing changes until the last statement, so a stack overflow thrown
   * anywhere inside leaves the stack as it was.
   */
  enter(name) {
    const start = now();
    const depth2 = this.#depth;
    if (depth2 === this.#stackNames.length) {
      this.#growStack();
    }
    this.#stackNames[depth2] = name;
    this.#stackStarts[depth2] = start;
    this.#depth = depth2 + 1;
    return this.#generationBase + depth2 + 1;
  }
  /**
   * Closes the span `token` (from `enter`) and any left open above it. A
   * token from an earlier start, or for a span already closed, is ignored.
   */
  exitTo(token) {
    const end = now();
    if (!this.enabled) {
      return;
    }
    if (token !== this.#generationBase + this.#depth) {
      const depth2 = token - this.#generationBase - 1;
      if (depth2 < 0 || depth2 >= this.#depth) {
        return;
      }
      this.#closeAbove(depth2 + 1, end);
    }
    this.exitAt(end);
  }
  /** Ends every open span at `depth` or deeper at `end`. */
  #closeAbove(depth2, end) {
    while (this.#depth > depth2) {
      this.exitAt(end);
    }
  }
  /** Closes the innermost open span. A no-op when stopped (open spans were closed by `stop()`). */
  exit() {
    this.exitAt(now());
  }
  /** `exit()` at a time the caller read. */
  exitAt(end) {
    if (!this.enabled || this.#depth === 0) {
      return;
    }
    const depth2 = --this.#depth;
    if (this.#withPayloads) {
      const payload = this.#stackPayloads[depth2];
      this.#stackPayloads[depth2] = void 0;
      this.#write(this.#stackNames[depth2], this.#stackStarts[depth2], end, depth2, payload);
      return;
    }
    this.#write(this.#stackNames[depth2], this.#stackStarts[depth2], end, depth2);
  }
  /** `enter()` with a payload (the call's arguments) that lands in the span's `args`. */
  enterWithPayload(name, payload) {
    this.#withPayloads = true;
    this.#stackPayloads[this.#depth] = payload;
    return this.enter(name);
  }
  /** Adds `key: value` to the innermost open span's `args`. */
  annotate(key, value) {
    const depth2 = this.#depth - 1;
    if (!this.enabled || depth2 < 0) {
      return;
    }
    this.#withPayloads = true;
    (this.#stackPayloads[depth2] ??= {})[key] = value;
  }
  /** `openAsync()` with a payload. */
  openAsyncWithPayload(name, payload) {
    const token = this.openAsync(name);
    if (token > 0) {
      this.#asyncPayloads[token % asyncSlotLimit] = payload;
    }
    return token;
  }
  /** Adds `key: value` to the `args` of the async span `token`. */
  annotateAsync(token, key, value) {
    const slot2 = token % asyncSlotLimit;
    if (token <= 0 || !this.enabled || this.#asyncSerials[slot2] !== Math.floor(token / asyncSlotLimit)) {
      return;
    }
    (this.#asyncPayloads[slot2] ??= {})[key] = value;
  }
  /**
   * Moves the innermost open span off the stack, to be closed later by
   * `closeAsync(token)`; returns the token, or -1 when nothing was open.
   */
  detachAsync() {
    if (!this.enabled || this.#depth === 0) {
      return -1;
    }
    const depth2 = --this.#depth;
    if (depth2 >= this.#maxStackDepth) {
      return -1;
    }
    const slot2 = this.#asyncFreeCount > 0 ? this.#asyncFree[--this.#asyncFreeCount] : this.#allocateAsyncSlot();
    if (slot2 < 0) {
      return -1;
    }
    const serial = ++this.#serial;
    this.#asyncNames[slot2] = this.#stackNames[depth2];
    this.#asyncStarts[slot2] = this.#stackStarts[depth2];
    if (this.#withPayloads) {
      this.#asyncPayloads[slot2] = this.#stackPayloads[depth2];
      this.#stackPayloads[depth2] = void 0;
    }
    this.#asyncSerials[slot2] = serial;
    this.#asyncOpen++;
    return serial * asyncSlotLimit + slot2;
  }
  /**
   * Opens a span that is not on the call stack (an async call, a generator
   * resumption): returns a token for `closeAsync`, or 0 when not recorded.
   */
  openAsync(name) {
    if (!this.enabled || this.#depth >= this.#maxStackDepth) {
      return 0;
    }
    const start = now();
    const slot2 = this.#asyncFreeCount > 0 ? this.#asyncFree[--this.#asyncFreeCount] : this.#allocateAsyncSlot();
    if (slot2 < 0) {
      return 0;
    }
    const serial = ++this.#serial;
    this.#asyncNames[slot2] = name;
    this.#asyncStarts[slot2] = start;
    this.#asyncSerials[slot2] = serial;
    this.#asyncOpen++;
    return serial * asyncSlotLimit + slot2;
  }
  /** `openAsync()` for an async function's lifetime, which is written to an async row, not the thread's. */
  openLane(name, payload) {
    const token = payload === void 0 ? this.openAsync(name) : this.openAsyncWithPayload(name, payload);
    if (token > 0) {
      this.#laneTrack ||= this.track("async");
      this.#asyncLanes[token % asyncSlotLimit] = 1;
    }
    return token;
  }
  /** The row async lifetimes are written to (0 until the first one). */
  get laneTrack() {
    return this.#laneTrack;
  }
  /** Records, on an async row, how long an async resource waited between being scheduled and running. */
  lane(name, start, end) {
    this.#laneTrack ||= this.track("async");
    this.complete(name, start, end, this.#laneTrack);
  }
  /** Records one end of a flow arrow with a caller-chosen id, named `name`, at `time`. */
  flow(kind, name, id, time = now()) {
    if (this.enabled) {
      this.ring.push(name, time, id, kind);
    }
  }
  /**
   * An `await`: ends the run `token` (from `enter`/`resumeWithFlow`) and
   * starts a flow arrow there, on one clock reading. Returns the flow's id
   * for `resumeWithFlow`, or 0. A run that is no longer open (closed by a
   * `stop()`) ends nothing: another function's run is never ended for it.
   */
  pauseWithFlow(token) {
    const time = now();
    const depth2 = token - this.#generationBase - 1;
    if (!this.enabled || depth2 < 0 || depth2 >= this.#depth) {
      return 0;
    }
    const id = ++this.#flowIds;
    this.#awaitName ||= this.intern("await");
    this.ring.push(this.#awaitName, time, id, EntryKind.flowStart);
    this.#closeAbove(depth2, time);
    return id;
  }
  /** The resumption after an `await`: enters a span and ends flow `flowId` there, on one clock reading; returns the run's token. */
  resumeWithFlow(name, flowId) {
    const token = this.enter(name);
    if (flowId > 0) {
      this.#awaitName ||= this.intern("await");
      this.ring.push(this.#awaitName, this.#stackStarts[this.#depth - 1], flowId, EntryKind.flowEnd);
    }
    return token;
  }
  /** Ends flow `flowId` now, inside whatever span is open. */
  flowEndNow(flowId) {
    if (this.enabled && flowId > 0) {
      this.#awaitName ||= this.intern("await");
      this.ring.push(this.#awaitName, now(), flowId, EntryKind.flowEnd);
    }
  }
  closeAsync(token) {
    const end = now();
    if (token <= 0 || !this.enabled) {
      return;
    }
    const slot2 = token % asyncSlotLimit;
    if (this.#asyncSerials[slot2] !== Math.floor(token / asyncSlotLimit)) {
      return;
    }
    this.#writeAsync(slot2, end);
    this.#releaseAsync(slot2);
  }
  #writeAsync(slot2, end) {
    if (this.#asyncLanes[slot2] === 0) {
      this.#write(this.#asyncNames[slot2], this.#asyncStarts[slot2], end, 0, this.#asyncPayloads[slot2], true);
    } else {
      this.complete(this.#asyncNames[slot2], this.#asyncStarts[slot2], end, this.#laneTrack, this.#asyncPayloads[slot2]);
    }
  }
  /**
   * Limits recording to `levels` more levels below the current depth (a
   * logSparse subtree); returns the previous bound, for `restoreDepthLimit`.
   */
  limitDepth(levels) {
    const previous = this.#maxStackDepth;
    this.#maxStackDepth = Math.min(previous, this.#depth + levels);
    return previous;
  }
  restoreDepthLimit(previous) {
    this.#maxStackDepth = previous;
  }
  /** Stops recording for a while (an ignored function's subtree); returns whether it was recording, for `resume`. */
  suspend() {
    const wasEnabled = this.enabled;
    this.enabled = false;
    return wasEnabled;
  }
  resume(wasEnabled) {
    this.enabled = wasEnabled;
  }
  /** The id of the timeline row called `name`, created on first use. */
  track(name) {
    let track = this.#tracks.indexOf(name);
    if (track === -1) {
      track = this.#tracks.push(name) - 1;
    }
    return track;
  }
  /** Names of the timeline rows, by id. */
  get tracks() {
    return this.#tracks;
  }
  /** Records a span the caller measured, on a given row, with optional args; not bound by the call stack. */
  complete(name, start, end, track, payload) {
    if (!this.enabled || end - start < this.#minDurationMs) {
      return;
    }
    const meta = EntryKind.span | track << trackShift;
    if (payload === void 0) {
      this.ring.push(name, start, end, meta);
    } else {
      this.ring.pushWithPayload(name, start, end, meta, payload);
    }
  }
  /** Records a complete span whose times the caller measured. */
  span(name, start, end) {
    if (this.enabled) {
      this.#write(name, start, end, this.#depth);
    }
  }
  instant(name, args, scope, time = now()) {
    const meta = EntryKind.instant | scopeBits[scope] << scopeShift;
    if (args === void 0) {
      this.ring.push(name, time, 0, meta);
    } else {
      this.ring.pushWithPayload(name, time, 0, meta, args);
    }
  }
  counter(name, values, time = now()) {
    this.ring.pushWithPayload(name, time, 0, EntryKind.counter, values);
  }
  object(kind, name, id, snapshot, time = now()) {
    if (snapshot === void 0) {
      this.ring.push(name, time, id, kind);
    } else {
      this.ring.pushWithPayload(name, time, id, kind, snapshot);
    }
  }
  /** Writes a span of the call stack at `depth` (a detached async span: pass `offStack`). */
  #write(name, start, end, depth2, payload, offStack = false) {
    if (depth2 >= this.#maxStackDepth || end - start < this.#minDurationMs) {
      return;
    }
    const meta = offStack ? EntryKind.span : EntryKind.span | depthBits(depth2);
    if (payload === void 0) {
      this.#ring.push(name, start, end, meta);
    } else {
      this.#ring.pushWithPayload(name, start, end, meta, payload);
    }
  }
  #growStack() {
    const names = new Int32Array(this.#stackNames.length * 2);
    names.set(this.#stackNames);
    const starts = new Float64Array(this.#stackStarts.length * 2);
    starts.set(this.#stackStarts);
    this.#stackNames = names;
    this.#stackStarts = starts;
  }
  /** A fresh slot, or -1 when `asyncSlotLimit` spans are open: the span is then dropped and counted, never thrown about in the traced program. */
  #allocateAsyncSlot() {
    if (this.#asyncUsed === asyncSlotLimit) {
      this.droppedAsyncSpans++;
      return -1;
    }
    const slot2 = this.#asyncUsed++;
    if (slot2 === this.#asyncNames.length) {
      const size = Math.min(slot2 * 2, asyncSlotLimit);
      const names = new Int32Array(size);
      names.set(this.#asyncNames);
      const starts = new Float64Array(size);
      starts.set(this.#asyncStarts);
      const serials = new Float64Array(size);
      serials.set(this.#asyncSerials);
      const lanes = new Uint8Array(size);
      lanes.set(this.#asyncLanes);
      this.#asyncLanes = lanes;
      this.#asyncNames = names;
      this.#asyncStarts = starts;
      this.#asyncSerials = serials;
    }
    return slot2;
  }
  #releaseAsync(slot2) {
    this.#asyncSerials[slot2] = 0;
    this.#asyncLanes[slot2] = 0;
    this.#asyncPayloads[slot2] = void 0;
    if (this.#asyncFreeCount === this.#asyncFree.length) {
      const free = new Int32Array(this.#asyncFree.length * 2);
      free.set(this.#asyncFree);
      this.#asyncFree = free;
    }
    this.#asyncFree[this.#asyncFreeCount++] = slot2;
    this.#asyncOpen--;
  }
  get openAsyncSpans() {
    return this.#asyncOpen;
  }
};

// dist/core/span.js
var OpenSpan = class {
  #recorder;
  #token;
  constructor(recorder, token) {
    this.#recorder = recorder;
    this.#token = token;
  }
  end() {
    if (this.#token !== -1) {
      this.#recorder.closeAsync(this.#token);
      this.#token = -1;
    }
  }
  [Symbol.dispose]() {
    this.end();
  }
};
var inactiveSpan = Object.freeze({
  end() {
  },
  [Symbol.dispose]() {
  }
});
function openSpan(recorder, name) {
  recorder.enter(recorder.intern(name));
  const token = recorder.detachAsync();
  return token === -1 ? inactiveSpan : new OpenSpan(recorder, token);
}

// dist/trace-file/ring-streamer.js
import fs from "node:fs";
import path4 from "node:path";
import { performance } from "node:perf_hooks";
import workerThreads, { MessageChannel, receiveMessageOnPort } from "node:worker_threads";
var OriginalWorker = workerThreads.Worker;
while (OriginalWorker.viztracerPatched === true) {
  OriginalWorker = Object.getPrototypeOf(OriginalWorker);
}
var streamChunkEntries = 1 << 16;
var streamRingEntries = 1 << 20;
var streamRingEntriesWithArgs = 1 << 18;
var startFraction = 4;
var firstHandOffFraction = 2;
var stallTimeoutMillis = 3e4;
var bootTimeoutMillis = 1e4;
var RingStreamer = class {
  file;
  #ring;
  #strings;
  #tracks;
  #options;
  #chunk;
  #state = new Int32Array(new SharedArrayBuffer(stateSlots * 4));
  #numbers = new Float64Array(new SharedArrayBuffer(numberSlots * 8));
  #worker;
  #port;
  #post;
  #sent = 0;
  #handed = 0;
  #stringsSent = 0;
  #tracksSent = 1;
  #failure;
  #closed = false;
  /** Times the traced thread waited for the writer, and for how long in all. */
  waits = 0;
  waitedMillis = 0;
  constructor(ring, strings, tracks, options) {
    this.#ring = ring;
    this.#strings = strings;
    this.#tracks = tracks;
    this.#options = options;
    this.file = options.file;
    this.#chunk = Math.min(options.chunkEntries ?? streamChunkEntries, ring.capacity / 4);
    ring.onLimit = () => this.#onLimit();
    this.#arm();
  }
  /** Why the writer stopped, when it did. */
  get failure() {
    return this.#failure;
  }
  /** Whether any entry went to the file. */
  get streaming() {
    return this.#handed > 0;
  }
  /** Entries (counted from the ring's start) that are in the file. */
  get written() {
    return this.#numbers[NumberSlot.written];
  }
  /**
   * Hands the writer every entry it has not had and waits until they are
   * in the file. Returns what the file holds, or undefined when nothing
   * was ever streamed (the ring holds everything). After a failure the file
   * holds what was written before it, and the ring the newest entries since.
   */
  flush() {
    if (!this.streaming) {
      return void 0;
    }
    withIntrinsics(() => {
      if (this.#failure === void 0) {
        this.#handOff(this.#ring.head);
        this.#waitForMessages(this.#sent);
      }
      this.#settle();
    });
    return {
      file: this.file,
      bytes: this.#numbers[NumberSlot.bytes],
      entries: this.written,
      continuation: { strings: this.#numbers[NumberSlot.strings], time: this.#numbers[NumberSlot.time] }
    };
  }
  /** The ring was cleared: the file starts again. */
  clear() {
    withIntrinsics(() => {
      if (this.#worker !== void 0 && this.#failure === void 0) {
        this.#send({ type: "clear" });
        this.#waitForMessages(this.#sent);
      }
      this.#handed = 0;
      this.#settle();
      this.#arm();
    });
  }
  /** Stops the writer and removes its file. */
  close() {
    if (this.#closed) {
      return;
    }
    this.#closed = true;
    this.#ring.limit = Number.POSITIVE_INFINITY;
    void this.#worker?.terminate();
    this.#worker = void 0;
    this.#port?.close();
    fs.rmSync(this.file, { force: true });
  }
  #arm() {
    this.#ring.limit = this.#failure === void 0 && !this.#closed ? this.#worker === void 0 ? this.#ring.capacity / startFraction : this.#ring.capacity / firstHandOffFraction : Number.POSITIVE_INFINITY;
  }
  /** At a chunk boundary: start the writer, or make room for the next chunk and hand on the last one. */
  #onLimit() {
    const ring = this.#ring;
    ring.limit = Number.POSITIVE_INFINITY;
    withIntrinsics(() => {
      try {
        const { head, capacity } = ring;
        if (this.#worker === void 0) {
          this.#start();
          ring.limit = capacity / firstHandOffFraction;
          return;
        }
        if (!this.#waitForWritten(head + this.#chunk - capacity)) {
          return;
        }
        this.#settle();
        this.#handOff(head);
        ring.limit = head + this.#chunk;
      } catch (error) {
        this.#fail(error instanceof Error ? error.message : String(error));
      }
    });
    return true;
  }
  #start() {
    const ring = this.#ring;
    const channel = new MessageChannel();
    const data = {
      state: this.#state.buffer,
      numbers: this.#numbers.buffer,
      starts: ring.starts.buffer,
      ends: ring.ends.buffer,
      names: ring.names.buffer,
      metas: ring.metas.buffer,
      mask: ring.mask,
      file: this.file,
      info: this.#options.info,
      metadataJson: this.#options.metadataJson,
      port: channel.port2
    };
    const worker = new OriginalWorker(new URL("ring-streamer-worker.js", import.meta.url), { execArgv: [], env: {}, workerData: data, transferList: [channel.port2], stdout: true, stderr: true });
    worker.unref();
    worker.on("error", (error) => {
      this.#fail(`the trace writer thread failed: ${error.message}`);
    });
    this.#worker = worker;
    this.#port = channel.port1;
    channel.port1.unref();
    const post = worker.postMessage.bind(worker);
    this.#post = (message) => {
      post(message);
    };
  }
  #send(message) {
    this.#post(message);
    this.#sent++;
  }
  /** Posts entries `#handed` to `to` a chunk at a time (so the file's count moves as each is written), with the strings, rows and payloads they need. */
  #handOff(to) {
    while (this.#handed < to) {
      this.#handOffChunk(Math.min(to, this.#handed + this.#chunk));
    }
  }
  #handOffChunk(to) {
    const from = this.#handed;
    const ring = this.#ring;
    const payloads = [];
    if (ring.payloads.size > 0) {
      const { metas, mask } = ring;
      for (let entry = from; entry < to; entry++) {
        const slot2 = entry & mask;
        if ((metas[slot2] & payloadFlag) !== 0) {
          const payload = ring.payloads.get(slot2);
          ring.payloads.delete(slot2);
          if (payload !== void 0) {
            payloads.push(entry - from, safeJson(payload));
          }
        }
      }
    }
    const strings = this.#strings;
    const tracks = this.#tracks();
    const message = {
      type: "chunk",
      from,
      to,
      firstString: this.#stringsSent,
      strings: strings.since(this.#stringsSent),
      tracks: tracks.length === this.#tracksSent ? void 0 : [...tracks],
      payloads
    };
    this.#stringsSent = strings.size;
    this.#tracksSent = tracks.length;
    this.#send(message);
    this.#handed = to;
  }
  /** Waits until entry `entries` is in the file; false when the writer failed meanwhile. */
  #waitForWritten(entries) {
    return this.#waitUntil(() => this.written >= entries);
  }
  #waitForMessages(count) {
    return this.#waitUntil(() => Atomics.load(this.#state, StateSlot.done) >= count);
  }
  #waitUntil(done) {
    if (done()) {
      return this.#failure === void 0;
    }
    const began = performance.now();
    let progress = began;
    let seen = Atomics.load(this.#state, StateSlot.done);
    while (!done() && this.#failure === void 0) {
      if (Atomics.load(this.#state, StateSlot.failed) === 1) {
        this.#fail(this.#writerError() ?? "the trace writer failed");
        break;
      }
      Atomics.wait(this.#state, StateSlot.done, seen, 1e3);
      const current = Atomics.load(this.#state, StateSlot.done);
      const time = performance.now();
      if (current !== seen) {
        seen = current;
        progress = time;
      } else if (Atomics.load(this.#state, StateSlot.ready) === 0 && time - began > bootTimeoutMillis) {
        this.#fail(`the trace writer thread did not start within ${bootTimeoutMillis / 1e3} s`);
      } else if (time - progress > stallTimeoutMillis) {
        this.#fail(`the trace writer made no progress for ${stallTimeoutMillis / 1e3} s`);
      }
    }
    this.waits++;
    this.waitedMillis += performance.now() - began;
    if (Atomics.load(this.#state, StateSlot.failed) === 1 && this.#failure === void 0) {
      this.#fail(this.#writerError() ?? "the trace writer failed");
    }
    return this.#failure === void 0;
  }
  #writerError() {
    const received = this.#port === void 0 ? void 0 : receiveMessageOnPort(this.#port);
    return received === void 0 ? void 0 : String(received.message);
  }
  /**
   * The writer is gone: the ring keeps the newest entries from here on, and
   * the file keeps what reached it.
   */
  #fail(reason) {
    this.#failure ??= reason;
    Atomics.store(this.#state, StateSlot.failed, 1);
    this.#ring.limit = Number.POSITIVE_INFINITY;
    this.#settle();
  }
  /** The ring's oldest entry is the first one not in the file. */
  #settle() {
    this.#ring.base = Math.min(this.#ring.head, this.written);
  }
};
function streamFileFor(output, pid, threadId2) {
  const base = path4.basename(output).replace(/(\.json(?:\.gz)?|\.html|\.vizt)$/, "");
  return path4.join(path4.dirname(output), `${base}.partial-${pid}${threadId2 === 0 ? "" : `-${threadId2}`}.vizt`);
}

// dist/trace-file/read-trace-sync.js
import fs2 from "node:fs";
import { StringDecoder } from "node:string_decoder";
import zlib from "node:zlib";

// dist/trace-file/trace-event-splitter.js
var quote = 34;
var backslash = 92;
var comma = 44;
var colon = 58;
var openBrace = 123;
var closeBrace = 125;
var openBracket = 91;
var closeBracket = 93;
var byteOrderMark = 65279;
var isWhitespace = (code) => code === 32 || code === 10 || code === 13 || code === 9;
var TraceSyntaxError = class extends Error {
  name = "TraceSyntaxError";
};
function closingQuote(text, open) {
  let close = text.indexOf('"', open + 1);
  while (close !== -1) {
    let backslashes = 0;
    while (text.charCodeAt(close - 1 - backslashes) === backslash) {
      backslashes++;
    }
    if (backslashes % 2 === 0) {
      return close;
    }
    close = text.indexOf('"', close + 1);
  }
  return -1;
}
var TraceEventSplitter = class {
  /** Top-level values other than `traceEvents`, parsed. */
  other = {};
  /** The JSON text of the top-level values named in `keepText`. */
  rawText = {};
  /** Whether the text held an events array (`traceEvents`, or a top-level array). */
  sawEvents = false;
  #onEvents;
  #parseEvents;
  #keepText;
  #text = "";
  /** Where scanning resumes in `#text`. */
  #index = 0;
  /** Characters dropped from the front of `#text` so far, for error positions. */
  #dropped = 0;
  #state = "start";
  #topLevelArray = false;
  #key = "";
  /** Nesting depth inside the current event (events) or top-level value (raw-value). */
  #depth = 0;
  /** Start of the text not yet handed over as events, or of the raw value. */
  #start = 0;
  /** End (inclusive) of the last complete event after `#start`, or -1. */
  #lastEventEnd = -1;
  constructor(onEvents, options = {}) {
    this.#onEvents = onEvents;
    this.#parseEvents = options.parseEvents ?? true;
    this.#keepText = options.keepText ?? [];
  }
  /** Feeds the next piece of text; calls `onEvents` for every batch it completes. */
  push(chunk) {
    this.#text += chunk;
    this.#run();
    this.#compact();
  }
  /** Signals the end of the text: hands over what is left, or throws if the text stops mid-trace. */
  end() {
    this.#run();
    if (this.#state === "events" && this.#topLevelArray) {
      this.#flush(this.#lastEventEnd);
      const rest = this.#text.slice(this.#start).trim();
      if (rest !== "" && rest !== ",") {
        this.#fail("the last event is cut off");
      }
      this.#state = "done";
    }
    if (this.#state !== "done") {
      this.#fail(this.#state === "start" ? "the file is empty" : "the file ends before the JSON does");
    }
  }
  #fail(reason, at = this.#index) {
    throw new TraceSyntaxError(`${reason} (at character ${this.#dropped + at})`);
  }
  /** Drops text that has been consumed, so memory stays bounded by the chunk size. */
  #compact() {
    const keepFrom = this.#state === "events" || this.#state === "raw-value" ? this.#start : this.#index;
    if (keepFrom > 0) {
      this.#text = this.#text.slice(keepFrom);
      this.#dropped += keepFrom;
      this.#index -= keepFrom;
      this.#start -= keepFrom;
      if (this.#lastEventEnd >= 0) {
        this.#lastEventEnd -= keepFrom;
      }
    }
  }
  /** Hands over the events between `#start` and `end` (inclusive) as one batch. */
  #flush(end) {
    if (end < this.#start) {
      return;
    }
    const text = this.#text;
    let from = this.#start;
    while (from <= end && isWhitespace(text.charCodeAt(from))) {
      from++;
    }
    if (text.charCodeAt(from) === comma) {
      from++;
    }
    if (!this.#parseEvents) {
      this.#start = end + 1;
      this.#lastEventEnd = -1;
      return;
    }
    let batch;
    try {
      batch = JSON.parse(`[${text.slice(from, end + 1)}]`);
    } catch (error) {
      this.#fail(`invalid JSON in traceEvents: ${error.message}`, from);
    }
    this.#start = end + 1;
    this.#lastEventEnd = -1;
    this.#onEvents(batch);
  }
  #skipWhitespace() {
    const text = this.#text;
    let index = this.#index;
    while (index < text.length) {
      const code = text.charCodeAt(index);
      if (!isWhitespace(code) && !(code === byteOrderMark && this.#dropped + index === 0)) {
        break;
      }
      index++;
    }
    this.#index = index;
    return index < text.length ? text.charCodeAt(index) : -1;
  }
  #run() {
    for (; ; ) {
      switch (this.#state) {
        case "events": {
          if (!this.#scanEvents()) {
            return;
          }
          break;
        }
        case "raw-value": {
          if (!this.#scanRawValue()) {
            return;
          }
          break;
        }
        case "done": {
          if (this.#skipWhitespace() !== -1) {
            this.#fail("unexpected text after the end of the trace");
          }
          return;
        }
        default: {
          if (!this.#structure()) {
            return;
          }
        }
      }
    }
  }
  /** One step through the top-level object. Returns false when it needs more text. */
  #structure() {
    const code = this.#skipWhitespace();
    if (code === -1) {
      return false;
    }
    const text = this.#text;
    switch (this.#state) {
      case "start": {
        if (code === openBrace) {
          this.#state = "key-or-end";
        } else if (code === openBracket) {
          this.#topLevelArray = true;
          this.#enterEvents(this.#index + 1);
          return true;
        } else {
          this.#fail("expected a JSON object or array");
        }
        this.#index++;
        return true;
      }
      case "key-or-end":
      case "key": {
        if (code === closeBrace && this.#state === "key-or-end") {
          this.#state = "done";
          this.#index++;
          return true;
        }
        if (code !== quote) {
          this.#fail("expected a key");
        }
        const close = closingQuote(text, this.#index);
        if (close === -1) {
          return false;
        }
        this.#key = JSON.parse(text.slice(this.#index, close + 1));
        this.#index = close + 1;
        this.#state = "colon";
        return true;
      }
      case "colon": {
        if (code !== colon) {
          this.#fail("expected `:`");
        }
        this.#index++;
        this.#state = "value";
        return true;
      }
      case "value": {
        if (this.#key === "traceEvents" && code === openBracket) {
          this.#enterEvents(this.#index + 1);
          return true;
        }
        this.#state = "raw-value";
        this.#start = this.#index;
        this.#depth = 0;
        return true;
      }
      case "comma-or-end": {
        if (code === comma) {
          this.#state = "key";
        } else if (code === closeBrace) {
          this.#state = "done";
        } else {
          this.#fail("expected `,` or `}`");
        }
        this.#index++;
        return true;
      }
      default: {
        throw new Error(`unreachable state ${this.#state}`);
      }
    }
  }
  #enterEvents(start) {
    this.sawEvents = true;
    this.#state = "events";
    this.#index = start;
    this.#start = start;
    this.#depth = 0;
    this.#lastEventEnd = -1;
  }
  /**
   * Scans events up to the end of the text or of the array. This is the hot
   * loop: one `charCodeAt` per character outside strings, `indexOf` inside them.
   * Returns false when it needs more text.
   */
  #scanEvents() {
    const text = this.#text;
    const { length } = text;
    let index = this.#index;
    let depth2 = this.#depth;
    let lastEventEnd = this.#lastEventEnd;
    let arrayEnd = -1;
    while (index < length) {
      const code = text.charCodeAt(index);
      if (code === quote) {
        const close = closingQuote(text, index);
        if (close === -1) {
          break;
        }
        index = close + 1;
        continue;
      }
      if (code === openBrace || code === openBracket) {
        depth2++;
      } else if (code === closeBrace || code === closeBracket) {
        if (depth2 === 0) {
          if (code === closeBrace) {
            this.#index = index;
            this.#fail("unbalanced `}` in traceEvents");
          }
          arrayEnd = index;
          break;
        }
        depth2--;
        if (depth2 === 0) {
          lastEventEnd = index;
        }
      }
      index++;
    }
    this.#index = index;
    this.#depth = depth2;
    this.#lastEventEnd = lastEventEnd;
    if (arrayEnd === -1) {
      this.#flush(lastEventEnd);
      return false;
    }
    this.#flushUntilArrayEnd(arrayEnd);
    this.#index = arrayEnd + 1;
    this.#state = this.#topLevelArray ? "done" : "comma-or-end";
    return true;
  }
  #flushUntilArrayEnd(arrayEnd) {
    const text = this.#text;
    let last = arrayEnd - 1;
    while (last >= this.#start && isWhitespace(text.charCodeAt(last))) {
      last--;
    }
    this.#flush(last);
  }
  /** Scans a top-level value other than `traceEvents`. Returns false when it needs more text. */
  #scanRawValue() {
    const text = this.#text;
    const { length } = text;
    let index = this.#index;
    let depth2 = this.#depth;
    let end = -1;
    while (index < length) {
      const code = text.charCodeAt(index);
      if (code === quote) {
        const close = closingQuote(text, index);
        if (close === -1) {
          break;
        }
        index = close + 1;
        if (depth2 === 0) {
          end = index;
          break;
        }
        continue;
      }
      if (code === openBrace || code === openBracket) {
        depth2++;
      } else if (code === closeBrace || code === closeBracket) {
        if (depth2 === 0) {
          end = index;
          break;
        }
        depth2--;
        if (depth2 === 0) {
          end = index + 1;
          break;
        }
      } else if (depth2 === 0 && (code === comma || isWhitespace(code))) {
        end = index;
        break;
      }
      index++;
    }
    this.#depth = depth2;
    if (end === -1) {
      this.#index = index;
      return false;
    }
    try {
      const json = text.slice(this.#start, end);
      this.other[this.#key] = JSON.parse(json);
      if (this.#keepText.includes(this.#key)) {
        this.rawText[this.#key] = json;
      }
    } catch (error) {
      this.#fail(`invalid JSON in "${this.#key}": ${error.message}`, this.#start);
    }
    this.#index = end;
    this.#start = end;
    this.#state = "comma-or-end";
    return true;
  }
};

// dist/trace-file/vizt-reader.js
var ViztFormatError = class extends Error {
  name = "ViztFormatError";
};
var batchEvents = 4096;
var decoder = new TextDecoder("utf-8", { fatal: true });
var maxTextBytes = 3 * 2 ** 29;
var SpanField = { end: 0, duration: 1, pid: 2, tid: 3 };
var incomplete = Symbol("incomplete");
var ViztDecoder = class {
  /** The METADATA record's JSON text, once read (the last one read, unless {@link useMetadata} fixed it). */
  metadataText;
  #metadataFixed = false;
  /** The stream ended inside a record. */
  truncated = false;
  #onEvents;
  #rest = new Uint8Array(0);
  #sawHeader = false;
  #strings = [];
  #pid = 0;
  #tid = 0;
  // The last span's end (ns), in a typed array: a number field past 2^31 boxes a fresh heap number at every span.
  #time = new Float64Array(1);
  #spanFields = new Float64Array(4);
  #batch = [];
  // With `json`, events come out as their JSON text, as the JSON writer writes them.
  #json;
  #nameJson = [];
  #threadJson = ',"pid":0,"tid":0,"ts":';
  // Where the record being read starts, and the read position in it.
  #bytes = this.#rest;
  #at = 0;
  // An incomplete record's known length (from its length field), and the pieces gathered for it.
  #needs = 0;
  #restNeeds = 0;
  #pieces = [];
  #pieceBytes = 0;
  // With `onSpan`, span records go there as numbers instead of becoming events.
  #onSpan;
  // With `spanDepths`, span events from STACKSPAN records carry their depth under spanDepthKey.
  #spanDepths;
  constructor(onEvents, options = {}) {
    this.#onEvents = onEvents;
    this.#json = options.json === true;
    this.#onSpan = options.onSpan;
    this.#spanDepths = options.spanDepths === true;
  }
  /** The string with file id `id` (for an `onSpan` handler's names). */
  stringAt(id) {
    return this.#strings[id] ?? "<unknown>";
  }
  /** Takes `text` as the trace's metadata whatever METADATA records come (the one a trailer points at). */
  get metadataFixed() {
    return this.#metadataFixed;
  }
  useMetadata(text) {
    this.metadataText = text;
    this.#metadataFixed = true;
  }
  push(chunk) {
    if (this.#rest.length > 0 && this.#restNeeds > this.#rest.length + this.#pieceBytes + chunk.length) {
      this.#pieces.push(chunk);
      this.#pieceBytes += chunk.length;
      return;
    }
    let bytes = chunk;
    if (this.#rest.length > 0) {
      bytes = new Uint8Array(this.#rest.length + this.#pieceBytes + chunk.length);
      bytes.set(this.#rest);
      let offset = this.#rest.length;
      for (const piece of this.#pieces) {
        bytes.set(piece, offset);
        offset += piece.length;
      }
      bytes.set(chunk, offset);
      this.#pieces = [];
      this.#pieceBytes = 0;
    }
    this.#bytes = bytes;
    this.#at = 0;
    if (!this.#sawHeader) {
      if (bytes.length < viztMagic.length) {
        this.#rest = bytes;
        return;
      }
      for (let index = 0; index < 4; index++) {
        if (bytes[index] !== viztMagic[index]) {
          throw new ViztFormatError("it does not start with the .vizt header");
        }
      }
      if (bytes[4] !== viztMagic[4]) {
        throw new ViztFormatError(`it is .vizt version ${bytes[4]}; this viztracer reads version ${viztMagic[4]}`);
      }
      this.#sawHeader = true;
      this.#at = viztMagic.length;
    }
    let start = this.#at;
    this.#restNeeds = 0;
    this.#needs = 0;
    try {
      for (; ; ) {
        start = this.#at;
        if (start >= bytes.length) {
          break;
        }
        this.#record();
      }
    } catch (error) {
      if (error !== incomplete) {
        throw error;
      }
      this.#restNeeds = this.#needs > 0 ? this.#needs - start : 0;
    }
    this.#rest = bytes.slice(start);
    if (this.#batch.length >= batchEvents) {
      this.#flush();
    }
  }
  /** The stream is over: hands on the last batch. */
  end() {
    if (!this.#sawHeader) {
      throw new ViztFormatError("it is too short to be a .vizt file");
    }
    this.truncated = this.#rest.length > 0;
    this.#rest = new Uint8Array(0);
    this.#pieces = [];
    this.#pieceBytes = 0;
    this.#flush();
  }
  #flush() {
    if (this.#batch.length > 0) {
      const batch = this.#batch;
      this.#batch = [];
      this.#onEvents(batch);
    }
  }
  #record() {
    const tag = this.#byte();
    switch (tag) {
      case ViztTag.span:
      case ViztTag.stackSpan: {
        const name = this.#varint();
        const end = this.#time[0] + this.#signed();
        const duration = this.#varint();
        const depth2 = tag === ViztTag.stackSpan ? this.#varint() : -1;
        const text = this.#strings[name];
        if (text === void 0) {
          throw new ViztFormatError(`a span names string ${name}, which no record defined`);
        }
        this.#time[0] = end;
        if (this.#onSpan !== void 0) {
          this.#flush();
          const fields = this.#spanFields;
          fields[SpanField.end] = end;
          fields[SpanField.duration] = duration;
          fields[SpanField.pid] = this.#pid;
          fields[SpanField.tid] = this.#tid;
          this.#onSpan(name, depth2, fields);
        } else if (this.#json) {
          const nameJson = this.#nameJson[name] ??= JSON.stringify(text);
          this.#batch.push(`{"ph":"X","name":${nameJson}${this.#threadJson}${nanosecondsAsMicrosecondsJson(end - duration)},"dur":${nanosecondsAsMicrosecondsJson(duration)},"cat":"FEE"}`);
        } else {
          const event = { ph: "X", name: text, pid: this.#pid, tid: this.#tid, ts: (end - duration) / 1e3, dur: duration / 1e3, cat: "FEE" };
          if (depth2 >= 0 && this.#spanDepths) {
            event[spanDepthKey] = depth2;
          }
          this.#batch.push(event);
        }
        break;
      }
      case ViztTag.string: {
        this.#strings.push(this.#text());
        break;
      }
      case ViztTag.thread: {
        const pid = this.#varint();
        this.#tid = this.#varint();
        this.#pid = pid;
        this.#threadJson = `,"pid":${pid},"tid":${this.#tid},"ts":`;
        break;
      }
      case ViztTag.event: {
        const json = this.#text();
        if (this.#json) {
          if (json.charCodeAt(0) !== 123 || json.charCodeAt(json.length - 1) !== 125) {
            throw new ViztFormatError("an event record holds no JSON object");
          }
          this.#batch.push(json);
          break;
        }
        let event;
        try {
          event = JSON.parse(json);
        } catch (error) {
          throw new ViztFormatError(`an event record holds no JSON (${error.message})`);
        }
        this.#batch.push(event);
        break;
      }
      case ViztTag.metadata: {
        const text = this.#text();
        if (!this.#metadataFixed) {
          this.metadataText = text;
        }
        break;
      }
      case ViztTag.trailer: {
        for (let index = 0; index < trailerBytes - 1; index++) {
          this.#byte();
        }
        break;
      }
      default: {
        throw new ViztFormatError(`it holds a record of unknown type 0x${tag.toString(16)} at byte ${this.#at - 1}`);
      }
    }
  }
  #byte() {
    if (this.#at >= this.#bytes.length) {
      throw incomplete;
    }
    return this.#bytes[this.#at++];
  }
  #varint() {
    let value = 0;
    let scale = 1;
    for (; ; ) {
      const byte = this.#byte();
      value += (byte & 127) * scale;
      if (byte < 128) {
        return value;
      }
      scale *= 128;
      if (scale > 2 ** 56) {
        throw new ViztFormatError("a number in it is longer than 8 bytes");
      }
    }
  }
  #signed() {
    const zigzag = this.#varint();
    return zigzag % 2 === 0 ? zigzag / 2 : -(zigzag + 1) / 2;
  }
  #text() {
    const length = this.#varint();
    if (length > maxTextBytes) {
      throw new ViztFormatError(`a record in it claims ${length} bytes, more than a string can hold`);
    }
    if (this.#at + length > this.#bytes.length) {
      this.#needs = this.#at + length;
      throw incomplete;
    }
    const start = this.#at;
    this.#at += length;
    try {
      return decoder.decode(this.#bytes.subarray(start, this.#at));
    } catch {
      throw new ViztFormatError("a string in it is not UTF-8");
    }
  }
};
var maxTrailerMetadataBytes = 1 << 26;
function trailerMetadata(readAt, size) {
  if (size < viztMagic.length + trailerBytes + 2) {
    return void 0;
  }
  const trailer = readAt(size - trailerBytes, trailerBytes);
  if (trailer.length !== trailerBytes || trailer[0] !== ViztTag.trailer) {
    return void 0;
  }
  let offset = 0;
  for (let index = trailerBytes - 1; index >= 1; index--) {
    offset = offset * 256 + trailer[index];
  }
  const recordBytes = size - trailerBytes - offset;
  if (offset < viztMagic.length || recordBytes < 2 || recordBytes > maxTrailerMetadataBytes) {
    return void 0;
  }
  const record = readAt(offset, recordBytes);
  if (record.length !== recordBytes || record[0] !== ViztTag.metadata) {
    return void 0;
  }
  let length = 0;
  let scale = 1;
  let at = 1;
  for (; at < record.length && at < 10; at++) {
    length += (record[at] & 127) * scale;
    scale *= 128;
    if (record[at] < 128) {
      break;
    }
  }
  at++;
  if (at + length !== record.length) {
    return void 0;
  }
  try {
    return decoder.decode(record.subarray(at));
  } catch {
    return void 0;
  }
}

// dist/trace-file/read-trace-sync.js
var defaultChunkBytes = 1 << 16;
var errnoReasons = {
  EACCES: "permission denied",
  EPERM: "permission denied",
  EISDIR: "it is a directory, not a file",
  EIO: "an I/O error",
  ELOOP: "too many symbolic links",
  EMFILE: "too many open files",
  ENFILE: "too many open files"
};
function reasonOf(error) {
  const code = error?.code;
  if (typeof code === "string") {
    return `${errnoReasons[code] ?? error.message} (${code})`;
  }
  return error instanceof Error ? error.message : String(error);
}
function traceOpenError(file, error) {
  const code = error?.code;
  if (code === "ENOENT" || code === "ENOTDIR") {
    return new VizTracerTraceNotFoundError(file, error);
  }
  return new VizTracerTraceUnreadableError(file, reasonOf(error), error);
}
function openTraceFileSync(file) {
  let fd;
  try {
    fd = fs2.openSync(file, "r");
  } catch (error) {
    throw traceOpenError(file, error);
  }
  let stat;
  try {
    stat = fs2.fstatSync(fd);
  } catch (error) {
    fs2.closeSync(fd);
    throw traceOpenError(file, error);
  }
  if (!stat.isFile()) {
    fs2.closeSync(fd);
    throw new VizTracerTraceUnreadableError(file, stat.isDirectory() ? "it is a directory, not a file" : "it is not a regular file");
  }
  return fd;
}
var TraceFileReader = class {
  file;
  #splitter;
  #chunkBytes;
  #fd;
  #position = 0;
  // Gzip is inflated whole (zlib has no synchronous streaming API); its text is still fed in chunks.
  #inflated;
  #decoder = new StringDecoder("utf8");
  #pending = [];
  #ended = false;
  // Set for a `.vizt` file, which is decoded from bytes instead of split from text.
  #vizt;
  #viztOther;
  #keepText;
  #ownsFd;
  #end;
  constructor(file, options = {}) {
    this.file = file;
    this.#chunkBytes = Math.max(1, Math.floor(options.chunkBytes ?? defaultChunkBytes));
    this.#keepText = options.keepText ?? [];
    this.#end = options.end ?? Number.POSITIVE_INFINITY;
    const onBatch = options.onSpan !== void 0 && options.onEvents !== void 0 ? options.onEvents : (batch) => {
      if (this.#pending.length === 0) {
        this.#pending = batch;
      } else {
        for (let index = 0; index < batch.length; index++) {
          this.#pending.push(batch[index]);
        }
      }
    };
    this.#splitter = new TraceEventSplitter(onBatch, options);
    this.#ownsFd = options.fd === void 0;
    this.#fd = options.fd ?? openTraceFileSync(file);
    try {
      const head = Buffer.alloc(4);
      const read = fs2.readSync(this.#fd, head, 0, 4, 0);
      if (read === 4 && hasViztMagic(head)) {
        this.#vizt = new ViztDecoder(onBatch, { json: options.viztJson === true, onSpan: options.onSpan, spanDepths: options.spanDepths });
        const descriptor = this.#fd;
        const final = trailerMetadata((position, length) => {
          const bytes = Buffer.alloc(length);
          return bytes.subarray(0, fs2.readSync(descriptor, bytes, 0, length, position));
        }, Math.min(this.#end, fs2.fstatSync(descriptor).size));
        if (final !== void 0) {
          this.#vizt.useMetadata(final);
        }
      } else if (read >= 2 && head[0] === 31 && head[1] === 139) {
        this.#inflated = zlib.gunzipSync(fs2.readFileSync(this.#fd));
        this.#closeFile();
      }
    } catch (error) {
      this.close();
      throw this.#wrap(error);
    }
  }
  /** Top-level values other than `traceEvents`, once the reader is done (for `.vizt`, once the first batch is read). */
  get other() {
    return this.#vizt ? this.#viztValues().other : this.#splitter.other;
  }
  /** The JSON text of the values named in `keepText`, once the reader is done. */
  get rawText() {
    return this.#vizt ? this.#viztValues().rawText : this.#splitter.rawText;
  }
  /** A `.vizt` file's string by id (for an `onSpan` handler). */
  stringAt(id) {
    return this.#vizt?.stringAt(id) ?? "<unknown>";
  }
  /** Whether the file is in the `.vizt` format (whatever its name). */
  get isVizt() {
    return this.#vizt !== void 0;
  }
  /** Whether the file ended inside a record (a `.vizt` file whose writer was cut short; JSON that is cut short is an error). */
  get truncated() {
    return this.#vizt?.truncated ?? false;
  }
  #viztValues() {
    if (this.#viztOther === void 0) {
      const text = this.#vizt.metadataText;
      let other = {};
      if (text !== void 0) {
        try {
          other = JSON.parse(text);
        } catch (error) {
          throw new VizTracerInvalidTraceError(this.file, `its metadata record holds no JSON object (${error.message})`, error);
        }
      }
      const rawText = {};
      for (const key of this.#keepText) {
        const value = text === void 0 ? void 0 : memberText(text, key);
        if (value !== void 0) {
          rawText[key] = value;
        }
      }
      if (this.#ended || this.#vizt.metadataFixed) {
        this.#viztOther = { other, rawText };
      }
      return { other, rawText };
    }
    return this.#viztOther;
  }
  /** The next batch of events in file order, or `undefined` once the file is read. */
  nextBatch() {
    try {
      while (this.#vizt && this.#pending.length === 0 && !this.#ended) {
        const bytes = this.#readBytes();
        if (bytes === void 0) {
          this.#vizt.end();
          this.#ended = true;
          this.close();
        } else {
          this.#vizt.push(bytes);
        }
      }
      while (!this.#vizt && this.#pending.length === 0 && !this.#ended) {
        const text = this.#readText();
        if (text === void 0) {
          this.#splitter.end();
          this.#ended = true;
          this.close();
          if (!this.#splitter.sawEvents) {
            throw new VizTracerInvalidTraceError(this.file, "it has no traceEvents array");
          }
        } else {
          this.#splitter.push(text);
        }
      }
    } catch (error) {
      this.close();
      throw this.#wrap(error);
    }
    if (this.#pending.length === 0) {
      return void 0;
    }
    const batch = this.#pending;
    this.#pending = [];
    return batch;
  }
  /** Releases the file; reading stops. */
  close() {
    this.#ended = true;
    this.#inflated = void 0;
    this.#closeFile();
  }
  #closeFile() {
    if (this.#fd !== void 0) {
      const fd = this.#fd;
      this.#fd = void 0;
      if (this.#ownsFd) {
        try {
          fs2.closeSync(fd);
        } catch {
        }
      }
    }
  }
  /** The next piece of the file as bytes (not inflated: `.vizt` is not gzipped), or undefined at its end. */
  #readBytes() {
    if (this.#fd === void 0) {
      return void 0;
    }
    const bytes = Buffer.allocUnsafe(Math.max(0, Math.min(this.#chunkBytes, this.#end - this.#position)));
    const read = bytes.length === 0 ? 0 : fs2.readSync(this.#fd, bytes, 0, bytes.length, this.#position);
    this.#position += read;
    return read === 0 ? void 0 : bytes.subarray(0, read);
  }
  /** The next piece of text, or undefined at the end of the file. */
  #readText() {
    let bytes;
    if (this.#inflated === void 0) {
      if (this.#fd === void 0) {
        return void 0;
      }
      bytes = Buffer.allocUnsafe(this.#chunkBytes);
      const read = fs2.readSync(this.#fd, bytes, 0, bytes.length, this.#position);
      this.#position += read;
      if (read === 0) {
        return this.#decoder.end() || void 0;
      }
      bytes = bytes.subarray(0, read);
    } else {
      if (this.#position >= this.#inflated.length) {
        return this.#decoder.end() || void 0;
      }
      bytes = this.#inflated.subarray(this.#position, this.#position + this.#chunkBytes);
      this.#position += bytes.length;
    }
    return this.#decoder.write(bytes);
  }
  #wrap(error) {
    if (error instanceof VizTracerInvalidTraceError || error instanceof VizTracerTraceNotFoundError) {
      return error;
    }
    if (error instanceof TraceSyntaxError || error instanceof ViztFormatError) {
      return new VizTracerInvalidTraceError(this.file, error.message, error);
    }
    const code = error?.code;
    if (typeof code === "string" && code.startsWith("Z_")) {
      return new VizTracerInvalidTraceError(this.file, `cannot decompress it (${error.message})`, error);
    }
    if (error instanceof RangeError) {
      return new VizTracerInvalidTraceError(this.file, `a value in it is too large to read (${error.message})`, error);
    }
    return new VizTracerTraceUnreadableError(this.file, reasonOf(error), error);
  }
};
function readTraceSync(file, onEvents, options) {
  const reader = new TraceFileReader(file, options);
  for (let batch = reader.nextBatch(); batch !== void 0; batch = reader.nextBatch()) {
    onEvents(batch);
  }
  return reader;
}
function memberText(json, key) {
  const isSpace = (code) => code === 32 || code === 10 || code === 13 || code === 9;
  let index = 0;
  const skipSpace = () => {
    while (index < json.length && isSpace(json.charCodeAt(index))) {
      index++;
    }
  };
  skipSpace();
  if (json[index] !== "{") {
    return void 0;
  }
  index++;
  for (; ; ) {
    skipSpace();
    if (json[index] !== '"') {
      return void 0;
    }
    const close = closingQuote(json, index);
    if (close === -1) {
      return void 0;
    }
    let name;
    try {
      name = JSON.parse(json.slice(index, close + 1));
    } catch {
      return void 0;
    }
    index = close + 1;
    skipSpace();
    if (json[index] !== ":") {
      return void 0;
    }
    index++;
    skipSpace();
    const start = index;
    let depth2 = 0;
    while (index < json.length) {
      const code = json.charCodeAt(index);
      if (code === 34) {
        const end = closingQuote(json, index);
        if (end === -1) {
          return void 0;
        }
        index = end + 1;
        if (depth2 === 0) {
          break;
        }
        continue;
      }
      if (code === 123 || code === 91) {
        depth2++;
      } else if (code === 125 || code === 93) {
        if (depth2 === 0) {
          break;
        }
        depth2--;
        if (depth2 === 0) {
          index++;
          break;
        }
      } else if (depth2 === 0 && (code === 44 || isSpace(code))) {
        break;
      }
      index++;
    }
    if (name === key) {
      return json.slice(start, index);
    }
    skipSpace();
    if (json[index] !== ",") {
      return void 0;
    }
    index++;
  }
}
function baseTimeOfTrace(other, rawText) {
  const raw = rawText["viztracer_metadata"];
  const text = raw === void 0 ? void 0 : memberText(raw, "baseTimeNanoseconds");
  if (text !== void 0 && /^\d+$/.test(text)) {
    return text;
  }
  const metadata = other["viztracer_metadata"];
  const value = typeof metadata === "object" && metadata !== null ? metadata["baseTimeNanoseconds"] : void 0;
  if (typeof value === "string" && /^\d+$/.test(value)) {
    return value;
  }
  return typeof value === "number" && Number.isFinite(value) && value > 0 ? BigInt(Math.round(value)).toString() : void 0;
}

// dist/trace-file/write-trace.js
import { randomBytes } from "node:crypto";
import fs3 from "node:fs";
import fsp from "node:fs/promises";
import path5 from "node:path";
import { pipeline } from "node:stream/promises";
import { Readable } from "node:stream";
import zlib2 from "node:zlib";
function streamedBase(data, file) {
  return isViztPath(file) ? unreadEntries(data)?.streamed : void 0;
}
var gzipLevel = zlib2.constants.Z_BEST_SPEED;
var stagingBytes = 1 << 20;
var isGzipPath = (file) => file.endsWith(".gz");
function withPidSuffix(file, pid) {
  const match = /(\.json(?:\.gz)?|\.html|\.vizt)$/.exec(file);
  const extension = match?.[1] ?? "";
  return `${file.slice(0, file.length - extension.length)}_${pid}${extension}`;
}
function temporaryPathFor(file) {
  return path5.join(path5.dirname(file), `.${path5.basename(file)}.${process.pid}.${randomBytes(4).toString("hex")}.tmp`);
}
var GzipSyncWriter = class {
  #crc = 0;
  #length = 0;
  #write;
  constructor(write) {
    this.#write = write;
    write(Uint8Array.of(31, 139, 8, 0, 0, 0, 0, 0, 0, 255));
  }
  push(chunk, last) {
    this.#crc = zlib2.crc32(chunk, this.#crc);
    this.#length = (this.#length + chunk.length) % 2 ** 32;
    this.#write(zlib2.deflateRawSync(chunk, { level: gzipLevel, finishFlush: last ? zlib2.constants.Z_FINISH : zlib2.constants.Z_SYNC_FLUSH }));
    if (last) {
      const trailer = Buffer.alloc(8);
      trailer.writeUInt32LE(this.#crc >>> 0, 0);
      trailer.writeUInt32LE(this.#length, 4);
      this.#write(trailer);
    }
  }
};
function writeTraceSync(data, file, envelope) {
  const temporary = temporaryPathFor(file);
  let fd;
  try {
    makeDirectoriesSync(path5.dirname(file));
    const base = streamedBase(data, file);
    if (base !== void 0) {
      fs3.copyFileSync(base.file, temporary);
    }
    fd = fs3.openSync(temporary, base === void 0 ? "w" : "r+");
    const descriptor = fd;
    let position = 0;
    const writeAll = (buffer) => {
      let offset = 0;
      while (offset < buffer.length) {
        offset += fs3.writeSync(descriptor, buffer, offset, buffer.length - offset, position + offset);
      }
      position += buffer.length;
    };
    if (base !== void 0) {
      fs3.ftruncateSync(descriptor, base.bytes);
      position = base.bytes;
      for (const chunk of serializeViztContinuation(data, base.continuation, base.bytes)) {
        writeAll(chunk);
      }
    } else if (isViztPath(file)) {
      for (const chunk of serializeVizt(data)) {
        writeAll(chunk);
      }
    } else {
      writeJson(data, file, writeAll, envelope);
    }
    fs3.closeSync(fd);
    fd = void 0;
    fs3.renameSync(temporary, file);
  } catch (error) {
    if (fd !== void 0) {
      fs3.closeSync(fd);
    }
    try {
      fs3.rmSync(temporary, { force: true });
    } catch {
    }
    throw new VizTracerSaveError(file, error);
  }
}
function writeJson(data, file, writeAll, envelope) {
  const wrapper = envelope?.open(writeAll, path5.basename(file));
  const gzip = isGzipPath(file) || wrapper && !envelope?.raw ? new GzipSyncWriter(wrapper ? (bytes) => {
    wrapper.push(bytes);
  } : writeAll) : void 0;
  const emit = (bytes, last) => {
    if (gzip) {
      gzip.push(bytes, last);
    } else if (wrapper) {
      wrapper.push(bytes);
    } else {
      writeAll(bytes);
    }
  };
  const staging = Buffer.allocUnsafe(stagingBytes);
  let used = 0;
  for (const chunk of serializeTrace(data)) {
    if (used > 0 && used + chunk.length * 3 > stagingBytes) {
      emit(staging.subarray(0, used), false);
      used = 0;
    }
    if (chunk.length * 3 > stagingBytes) {
      emit(Buffer.from(chunk), false);
    } else {
      used += staging.write(chunk, used);
    }
  }
  emit(staging.subarray(0, used), true);
  wrapper?.end();
}
function* utf8Batches(data) {
  let staging = Buffer.allocUnsafe(stagingBytes);
  let used = 0;
  for (const chunk of serializeTrace(data)) {
    if (used > 0 && used + chunk.length * 3 > stagingBytes) {
      yield staging.subarray(0, used);
      staging = Buffer.allocUnsafe(stagingBytes);
      used = 0;
    }
    if (chunk.length * 3 > stagingBytes) {
      yield Buffer.from(chunk);
    } else {
      used += staging.write(chunk, used);
    }
  }
  yield staging.subarray(0, used);
}
async function writeTraceAsync(data, file, envelope) {
  const temporary = temporaryPathFor(file);
  try {
    await makeDirectories(path5.dirname(file));
    const base = streamedBase(data, file);
    if (base !== void 0) {
      await fsp.copyFile(base.file, temporary);
      await fsp.truncate(temporary, base.bytes);
    }
    const source = Readable.from(base === void 0 ? isViztPath(file) ? serializeVizt(data) : utf8Batches(data) : serializeViztContinuation(data, base.continuation, base.bytes), { objectMode: false });
    const sink = fs3.createWriteStream(temporary, base === void 0 ? {} : { flags: "r+", start: base.bytes });
    if (isViztPath(file)) {
      await pipeline(source, sink);
    } else if (envelope?.raw) {
      await pipeline(source, envelope.transform(path5.basename(file)), sink);
    } else if (envelope) {
      await pipeline(source, zlib2.createGzip({ level: gzipLevel, chunkSize: 1 << 16 }), envelope.transform(path5.basename(file)), sink);
    } else {
      await (isGzipPath(file) ? pipeline(source, zlib2.createGzip({ level: gzipLevel, chunkSize: 1 << 16 }), sink) : pipeline(source, sink));
    }
    await fsp.rename(temporary, file);
  } catch (error) {
    await fsp.rm(temporary, { force: true }).catch(() => void 0);
    throw new VizTracerSaveError(file, error);
  }
}

// dist/viewer/timeline-html.js
import { StringDecoder as StringDecoder2 } from "node:string_decoder";
import { Transform } from "node:stream";

// dist/timeline/growable.js
var Growable = class {
  #make;
  #items;
  length = 0;
  constructor(make, capacity = 1024) {
    this.#make = make;
    this.#items = new make(capacity);
  }
  push(value) {
    if (this.length === this.#items.length) {
      const bigger = new this.#make(this.#items.length * 2);
      bigger.set(this.#items);
      this.#items = bigger;
    }
    this.#items[this.length++] = value;
  }
  at(index) {
    return this.#items[index];
  }
  set(index, value) {
    this.#items[index] = value;
  }
  /** The items so far, as a view (no copy). */
  view() {
    return this.#items.subarray(0, this.length);
  }
};

// dist/timeline/args-table.js
var ArgsTableBuilder = class {
  #offsets = new Growable(Uint32Array);
  #bytes = new Uint8Array(1 << 16);
  #used = 0;
  #encoder = new TextEncoder();
  constructor() {
    this.#offsets.push(0);
  }
  /** Adds the JSON text of a value and returns its index. */
  add(json) {
    const needed = this.#used + json.length * 3;
    if (needed > this.#bytes.length) {
      let size = this.#bytes.length * 2;
      while (size < needed) {
        size *= 2;
      }
      const bigger = new Uint8Array(size);
      bigger.set(this.#bytes.subarray(0, this.#used));
      this.#bytes = bigger;
    }
    this.#used += this.#encoder.encodeInto(json, this.#bytes.subarray(this.#used)).written;
    this.#offsets.push(this.#used);
    return this.#offsets.length - 2;
  }
  finish() {
    return { offsets: this.#offsets.view().slice(), bytes: this.#bytes.slice(0, this.#used) };
  }
};

// dist/timeline/row-layout.js
var epsilon = 1e-6;
function isEndOrdered(start, dur) {
  let last = Number.NEGATIVE_INFINITY;
  for (let index = 0; index < start.length; index++) {
    const end = start[index] + dur[index];
    if (end < last - epsilon) {
      return false;
    }
    last = Math.max(last, end);
  }
  return true;
}
function isStartOrdered(start, dur) {
  for (let index = 1; index < start.length; index++) {
    const previous = start[index - 1];
    const current = start[index];
    if (current < previous || current === previous && dur[index] > dur[index - 1]) {
      return false;
    }
  }
  return true;
}
function layoutFromDepths(start, dur, depth2) {
  const lastEnd = [];
  for (let index = 0; index < start.length; index++) {
    const level = depth2[index];
    if (level < 0) {
      return void 0;
    }
    if (start[index] < (lastEnd[level] ?? Number.NEGATIVE_INFINITY) - epsilon) {
      return void 0;
    }
    lastEnd[level] = start[index] + dur[index];
  }
  return depth2;
}
function layoutBackwards(start, dur) {
  const depths = new Int32Array(start.length);
  const stackStart = [];
  const firstStart = [];
  for (let index = start.length - 1; index >= 0; index--) {
    const begin = start[index];
    const end = begin + dur[index];
    while (stackStart.length > 0 && stackStart.at(-1) > begin + epsilon) {
      stackStart.pop();
    }
    let level = stackStart.length;
    while ((firstStart[level] ?? Number.POSITIVE_INFINITY) < end - epsilon) {
      level++;
    }
    depths[index] = level;
    firstStart[level] = begin;
    stackStart.length = Math.min(stackStart.length, level);
    while (stackStart.length <= level) {
      stackStart.push(begin);
    }
  }
  return depths;
}
function layoutForwards(start, dur, order) {
  const depths = new Int32Array(start.length);
  const stackEnd = [];
  const lastEnd = [];
  for (const index of order) {
    const begin = start[index];
    const end = begin + dur[index];
    while (stackEnd.length > 0 && stackEnd.at(-1) < end - epsilon) {
      stackEnd.pop();
    }
    let level = stackEnd.length;
    while ((lastEnd[level] ?? Number.NEGATIVE_INFINITY) > begin + epsilon) {
      level++;
    }
    depths[index] = level;
    lastEnd[level] = end;
    stackEnd.length = Math.min(stackEnd.length, level);
    while (stackEnd.length <= level) {
      stackEnd.push(end);
    }
  }
  return depths;
}
function layoutRows(start, dur, depth2) {
  const count = start.length;
  let depths = depth2 ? layoutFromDepths(start, dur, depth2) : void 0;
  if (depths === void 0) {
    if (isStartOrdered(start, dur)) {
      depths = layoutForwards(start, dur, Uint32Array.from({ length: count }, (_, index) => index));
    } else if (isEndOrdered(start, dur)) {
      depths = layoutBackwards(start, dur);
    } else {
      const order = Uint32Array.from({ length: count }, (_, index) => index).sort((a, b) => start[a] - start[b] || dur[b] - dur[a] || a - b);
      return group(layoutForwards(start, dur, order), order);
    }
  }
  return group(depths, void 0);
}
function group(depths, within) {
  let maxDepth = -1;
  for (const level of depths) {
    maxDepth = Math.max(maxDepth, level);
  }
  const depthOffsets = new Uint32Array(maxDepth + 2);
  for (const level of depths) {
    depthOffsets[level + 1]++;
  }
  for (let level = 1; level < depthOffsets.length; level++) {
    depthOffsets[level] += depthOffsets[level - 1];
  }
  const next = depthOffsets.slice(0, -1);
  const order = new Uint32Array(depths.length);
  const count = depths.length;
  for (let k = 0; k < count; k++) {
    const index = within ? within[k] : k;
    order[next[depths[index]]++] = index;
  }
  return { order, depthOffsets };
}
function selfTimes(start, dur, depthOffsets) {
  const self = Float64Array.from(dur);
  for (let level = 0; level + 2 < depthOffsets.length; level++) {
    let parent = depthOffsets[level];
    const parentEnd = depthOffsets[level + 1];
    const lastChild = depthOffsets[level + 2];
    for (let child = parentEnd; child < lastChild && parent < parentEnd; child++) {
      const childStart = start[child];
      const childEnd = childStart + dur[child];
      while (parent < parentEnd && start[parent] + dur[parent] < childEnd - epsilon) {
        parent++;
      }
      if (parent < parentEnd && start[parent] <= childStart + epsilon) {
        self[parent] -= dur[child];
      }
    }
  }
  for (let index = 0; index < self.length; index++) {
    if (self[index] < 0) {
      self[index] = 0;
    }
  }
  return self;
}

// dist/timeline/slice-lookup.js
function lowerBound(array, value, from = 0, to = array.length) {
  let low = from;
  let high = to;
  while (low < high) {
    const middle = low + high >>> 1;
    if (array[middle] < value) {
      low = middle + 1;
    } else {
      high = middle;
    }
  }
  return low;
}
function firstStartingFrom(track, from, to, time) {
  return lowerBound(track.start, time, from, to);
}
function lastStartingBy(track, from, to, time) {
  const { start } = track;
  let low = from;
  let high = to;
  while (low < high) {
    const middle = low + high >>> 1;
    if (start[middle] <= time) {
      low = middle + 1;
    } else {
      high = middle;
    }
  }
  return low - 1;
}
function sliceAt(track, time) {
  const offsets = track.depthOffsets;
  for (let depth2 = offsets.length - 2; depth2 >= 0; depth2--) {
    const from = offsets[depth2];
    const to = offsets[depth2 + 1];
    const index = lastStartingBy(track, from, to, time);
    if (index >= from && track.start[index] + track.dur[index] >= time) {
      return index;
    }
  }
  return -1;
}
function nextSliceFrom(track, time) {
  const offsets = track.depthOffsets;
  let best = -1;
  for (let depth2 = 0; depth2 + 1 < offsets.length; depth2++) {
    const to = offsets[depth2 + 1];
    const index = firstStartingFrom(track, offsets[depth2], to, time);
    if (index < to && (best < 0 || track.start[index] < track.start[best])) {
      best = index;
    }
  }
  return best;
}

// dist/timeline/model-builder.js
var finite = (value) => typeof value === "number" && Number.isFinite(value);
var asInteger = (value) => {
  if (typeof value === "number" && Number.isFinite(value)) {
    return value;
  }
  if (typeof value === "string" && /^-?\d+$/.test(value)) {
    return Number(value);
  }
  return void 0;
};
var textOf = (value, fallback) => typeof value === "string" ? value : typeof value === "number" ? String(value) : fallback;
function idOf(event) {
  const { id, id2 } = event;
  if (typeof id === "string" || typeof id === "number") {
    return { id: String(id), local: false };
  }
  if (typeof id2 === "object" && id2 !== null) {
    const { local, global } = id2;
    if (typeof local === "string" || typeof local === "number") {
      return { id: String(local), local: true };
    }
    if (typeof global === "string" || typeof global === "number") {
      return { id: String(global), local: false };
    }
  }
  return void 0;
}
function argsJson(value) {
  if (value === void 0 || value === null || typeof value === "object" && Object.keys(value).length === 0) {
    return void 0;
  }
  try {
    return JSON.stringify(value);
  } catch {
    return void 0;
  }
}
var TimelineModelBuilder = class {
  #strings = [];
  #stringIds = /* @__PURE__ */ new Map();
  #threads = /* @__PURE__ */ new Map();
  #processes = /* @__PURE__ */ new Map();
  #counters = /* @__PURE__ */ new Map();
  #objects = /* @__PURE__ */ new Map();
  #instants = [];
  #flowSteps = [];
  #args = new ArgsTableBuilder();
  #asyncOpen = /* @__PURE__ */ new Map();
  #start = Number.POSITIVE_INFINITY;
  #end = Number.NEGATIVE_INFINITY;
  #skipped = 0;
  #lastThreadKey = "";
  #lastThread;
  intern(text) {
    let id = this.#stringIds.get(text);
    if (id === void 0) {
      id = this.#strings.length;
      this.#strings.push(text);
      this.#stringIds.set(text, id);
    }
    return id;
  }
  #thread(pid, tid) {
    const key = `${pid}:${tid}`;
    if (key === this.#lastThreadKey) {
      return this.#lastThread;
    }
    let thread = this.#threads.get(key);
    if (thread === void 0) {
      thread = newThread(pid, tid);
      this.#threads.set(key, thread);
      this.#process(pid);
    }
    this.#lastThreadKey = key;
    this.#lastThread = thread;
    return thread;
  }
  #process(pid) {
    let process2 = this.#processes.get(pid);
    if (process2 === void 0) {
      process2 = {};
      this.#processes.set(pid, process2);
    }
    return process2;
  }
  #time(start, end) {
    if (start < this.#start) {
      this.#start = start;
    }
    if (end > this.#end) {
      this.#end = end;
    }
  }
  #slice(thread, name, ts, dur, args, depth2) {
    thread.start.push(ts);
    thread.dur.push(dur);
    thread.names.push(name);
    thread.args.push(args);
    thread.depth.push(depth2);
    if (depth2 < 0) {
      thread.knownDepths = false;
    }
    this.#time(ts, ts + dur);
  }
  /** A span of a `.vizt` call stack: times in µs, `depth` -1 when the file does not say. */
  addSpan(name, depth2, start, dur, pid, tid) {
    this.#slice(this.#thread(pid, tid), name, start, dur, -1, depth2);
  }
  #addArgs(value) {
    const json = argsJson(value);
    return json === void 0 ? -1 : this.#args.add(json);
  }
  addEvent(event) {
    const ph = event["ph"];
    const pid = asInteger(event["pid"]) ?? 0;
    const tid = asInteger(event["tid"]) ?? 0;
    const ts = event["ts"];
    switch (ph) {
      case "X": {
        if (!finite(ts)) {
          this.#skipped++;
          return;
        }
        const dur = finite(event["dur"]) && event["dur"] > 0 ? event["dur"] : 0;
        this.#slice(this.#thread(pid, tid), this.intern(textOf(event["name"], "(unnamed)")), ts, dur, this.#addArgs(event["args"]), -1);
        return;
      }
      case "B": {
        if (!finite(ts)) {
          this.#skipped++;
          return;
        }
        this.#thread(pid, tid).open.push({ name: this.intern(textOf(event["name"], "(unnamed)")), ts, args: this.#addArgs(event["args"]) });
        this.#time(ts, ts);
        return;
      }
      case "E": {
        const thread = this.#thread(pid, tid);
        const open = thread.open.pop();
        if (open === void 0 || !finite(ts)) {
          this.#skipped++;
          return;
        }
        this.#slice(thread, open.name, open.ts, Math.max(0, ts - open.ts), open.args, -1);
        return;
      }
      case "b":
      case "e":
      case "n": {
        this.#asyncEvent(event, ph, pid, ts);
        return;
      }
      case "i":
      case "I":
      case "R": {
        if (!finite(ts)) {
          this.#skipped++;
          return;
        }
        const scope = event["s"] === "g" || event["s"] === "p" ? event["s"] : "t";
        this.#thread(pid, tid);
        this.#instants.push({ ts, name: textOf(event["name"], "(unnamed)"), scope, pid, tid, args: this.#addArgs(event["args"]) });
        this.#time(ts, ts);
        return;
      }
      case "C": {
        this.#counter(event, pid, ts);
        return;
      }
      case "N":
      case "O":
      case "D": {
        this.#object(event, ph, pid, ts);
        return;
      }
      case "s":
      case "t":
      case "f": {
        const id = idOf(event);
        if (!finite(ts) || id === void 0) {
          this.#skipped++;
          return;
        }
        const cat = textOf(event["cat"], "");
        this.#thread(pid, tid);
        this.#flowSteps.push({
          ph,
          ts,
          pid,
          tid,
          order: this.#flowSteps.length,
          name: textOf(event["name"], ""),
          cat,
          id: id.id,
          // `id2.local` ids are the process's own; others are shared by every process, within a category.
          scope: id.local ? String(pid) : "",
          // The end of a flow binds to the slice that encloses it only with `bp: 'e'`; by default, to the next slice.
          enclosing: ph !== "f" || event["bp"] === "e"
        });
        this.#time(ts, ts);
        return;
      }
      case "M": {
        this.#metadata(event, pid, tid);
        return;
      }
      default: {
        this.#skipped++;
      }
    }
  }
  #asyncEvent(event, ph, pid, ts) {
    const id = idOf(event);
    if (!finite(ts) || id === void 0) {
      this.#skipped++;
      return;
    }
    const cat = textOf(event["cat"], "");
    const trackKey = `${pid}:async:${cat}`;
    const key = `${trackKey}\0${id.id}\0${textOf(event["name"], "")}`;
    let thread = this.#threads.get(trackKey);
    if (thread === void 0) {
      thread = newThread(pid, 0);
      thread.asyncKey = `a${pid}:${cat}`;
      thread.name = cat === "" ? "async events" : cat;
      this.#threads.set(trackKey, thread);
      this.#process(pid);
    }
    const name = this.intern(textOf(event["name"], "(unnamed)"));
    if (ph === "n") {
      this.#slice(thread, name, ts, 0, this.#addArgs(event["args"]), -1);
      return;
    }
    let open = this.#asyncOpen.get(key);
    if (ph === "b") {
      if (open === void 0) {
        open = [];
        this.#asyncOpen.set(key, open);
      }
      open.push({ name, ts, args: this.#addArgs(event["args"]) });
      this.#time(ts, ts);
      return;
    }
    const begin = open?.pop();
    if (begin === void 0) {
      this.#skipped++;
      return;
    }
    this.#slice(thread, begin.name, begin.ts, Math.max(0, ts - begin.ts), begin.args, -1);
  }
  #counter(event, pid, ts) {
    const args = event["args"];
    if (!finite(ts) || typeof args !== "object" || args === null) {
      this.#skipped++;
      return;
    }
    const id = idOf(event);
    const name = textOf(event["name"], "(counter)") + (id === void 0 ? "" : ` ${id.id}`);
    const key = `${pid}\0${name}`;
    let counter = this.#counters.get(key);
    if (counter === void 0) {
      counter = { pid, name, series: /* @__PURE__ */ new Map() };
      this.#counters.set(key, counter);
      this.#process(pid);
    }
    for (const [seriesName, value] of Object.entries(args)) {
      const number = typeof value === "number" ? value : typeof value === "string" && value.trim() !== "" ? Number(value) : Number.NaN;
      if (!Number.isFinite(number)) {
        continue;
      }
      let series = counter.series.get(seriesName);
      if (series === void 0) {
        series = { ts: new Growable(Float64Array, 64), values: new Growable(Float64Array, 64) };
        counter.series.set(seriesName, series);
      }
      series.ts.push(ts);
      series.values.push(number);
    }
    this.#time(ts, ts);
  }
  #object(event, ph, pid, ts) {
    const id = idOf(event);
    if (!finite(ts) || id === void 0) {
      this.#skipped++;
      return;
    }
    const name = textOf(event["name"], "(object)");
    const key = `${pid}\0${id.id}\0${name}`;
    let object = this.#objects.get(key);
    if (object === void 0) {
      object = { pid, id: id.id, name, created: ts, destroyed: Number.NaN, snapshots: [] };
      this.#objects.set(key, object);
      this.#process(pid);
    }
    if (ph === "N") {
      object.created = Math.min(object.created, ts);
    } else if (ph === "D") {
      object.destroyed = ts;
    } else {
      object.created = Math.min(object.created, ts);
      const args = event["args"];
      const snapshot = typeof args === "object" && args !== null && "snapshot" in args ? args["snapshot"] : args;
      object.snapshots.push({ ts, args: this.#addArgs(snapshot) });
    }
    this.#time(ts, ts);
  }
  #metadata(event, pid, tid) {
    const args = typeof event["args"] === "object" && event["args"] !== null ? event["args"] : {};
    switch (event["name"]) {
      case "process_name": {
        this.#process(pid).name = textOf(args["name"], "");
        break;
      }
      case "process_sort_index": {
        this.#process(pid).sortIndex = asInteger(args["sort_index"]);
        break;
      }
      case "process_labels": {
        this.#process(pid).labels = textOf(args["labels"], "");
        break;
      }
      case "thread_name": {
        this.#thread(pid, tid).name = textOf(args["name"], "");
        break;
      }
      case "thread_sort_index": {
        this.#thread(pid, tid).sortIndex = asInteger(args["sort_index"]);
        break;
      }
      default:
    }
  }
  finish(options) {
    const tracks = [];
    for (const thread of this.#threads.values()) {
      for (let open = thread.open.pop(); open !== void 0; open = thread.open.pop()) {
        this.#slice(thread, open.name, open.ts, Math.max(0, this.#end - open.ts), open.args, -1);
      }
    }
    const hasGlobal = this.#instants.some((instant) => instant.scope === "g");
    if (hasGlobal) {
      tracks.push({ id: "g", kind: "instant", name: "Global instants", pid: -1 });
    }
    const processes = [...this.#processes.entries()].sort(([a, left], [b, right]) => (left.sortIndex ?? 0) - (right.sortIndex ?? 0) || a - b);
    const threadsOf = /* @__PURE__ */ new Map();
    for (const thread of this.#threads.values()) {
      let list = threadsOf.get(thread.pid);
      if (list === void 0) {
        list = [];
        threadsOf.set(thread.pid, list);
      }
      list.push(thread);
    }
    for (const [pid, process2] of processes) {
      tracks.push({ id: `p${pid}`, kind: "process", name: process2.name || `Process ${pid}`, pid });
      const counters = [...this.#counters.values()].filter((counter) => counter.pid === pid).sort((a, b) => a.name < b.name ? -1 : a.name > b.name ? 1 : 0);
      for (const counter of counters) {
        tracks.push({
          id: `c${pid}:${counter.name}`,
          kind: "counter",
          name: counter.name,
          pid,
          series: [...counter.series.entries()].map(([name, series]) => ({ name, ts: series.ts.view().slice(), values: series.values.view().slice() }))
        });
      }
      const objects = [...this.#objects.values()].filter((object) => object.pid === pid).sort((a, b) => a.created - b.created);
      for (const object of objects) {
        tracks.push({
          id: `o${pid}:${object.id}`,
          kind: "object",
          name: `${object.name} ${object.id}`,
          pid,
          objectId: object.id,
          created: object.created,
          destroyed: object.destroyed,
          snapshots: object.snapshots
        });
      }
      if (this.#instants.some((instant) => instant.scope === "p" && instant.pid === pid)) {
        tracks.push({ id: `i${pid}`, kind: "instant", name: "Process instants", pid });
      }
      for (const thread of orderThreads(threadsOf.get(pid) ?? [])) {
        thread.track = tracks.length;
        tracks.push(this.#sliceTrack(thread));
      }
    }
    const instants = this.#instants.map((instant) => ({
      ...instant,
      track: instant.scope === "g" ? 0 : instant.scope === "p" ? tracks.findIndex((track) => track.id === `i${instant.pid}`) : this.#threads.get(`${instant.pid}:${instant.tid}`).track
    })).sort((a, b) => a.ts - b.ts);
    const flows = this.#flows(tracks);
    const start = Number.isFinite(this.#start) ? this.#start : 0;
    const end = Number.isFinite(this.#end) ? this.#end : start;
    const metadata = {
      title: options.title,
      displayTimeUnit: options.displayTimeUnit === "ns" ? "ns" : "ms",
      start,
      end,
      skipped: this.#skipped,
      ...options.cwd === void 0 ? {} : { cwd: options.cwd }
    };
    return { metadata, strings: this.#strings, tracks, instants, flows, args: this.#args.finish() };
  }
  #sliceTrack(thread) {
    const start = thread.start.view();
    const dur = thread.dur.view();
    const layout = layoutRows(start, dur, thread.knownDepths ? thread.depth.view() : void 0);
    const count = start.length;
    const sortedStart = new Float64Array(count);
    const sortedDur = new Float64Array(count);
    const sortedName = new Uint32Array(count);
    const sortedArgs = new Int32Array(count);
    const names = thread.names.view();
    const args = thread.args.view();
    const { order } = layout;
    for (let k = 0; k < count; k++) {
      const index = order[k];
      sortedStart[k] = start[index];
      sortedDur[k] = dur[index];
      sortedName[k] = names[index];
      sortedArgs[k] = args[index];
    }
    const kind = thread.asyncKey !== void 0 ? "async" : kindOf(thread);
    const name = thread.name || (thread.asyncKey === void 0 ? `Thread ${thread.tid}` : "async events");
    return {
      id: thread.asyncKey ?? `t${thread.pid}:${thread.tid}`,
      kind,
      name,
      pid: thread.pid,
      ...thread.asyncKey === void 0 ? { tid: thread.tid } : {},
      depthOffsets: layout.depthOffsets,
      start: sortedStart,
      dur: sortedDur,
      self: selfTimes(sortedStart, sortedDur, layout.depthOffsets),
      names: sortedName,
      args: sortedArgs
    };
  }
  #flows(tracks) {
    const byKey = /* @__PURE__ */ new Map();
    for (const step of this.#flowSteps) {
      const key = `${step.cat}\0${step.scope}\0${step.id}`;
      let steps = byKey.get(key);
      if (steps === void 0) {
        steps = [];
        byKey.set(key, steps);
      }
      steps.push(step);
    }
    const phaseOrder = { s: 0, t: 1, f: 2 };
    const flows = [];
    for (const steps of byKey.values()) {
      steps.sort((a, b) => a.ts - b.ts || phaseOrder[a.ph] - phaseOrder[b.ph] || a.order - b.order);
      let from;
      let first;
      for (const step of steps) {
        if (step.ph === "s") {
          if (from !== void 0) {
            this.#skipped++;
          }
          from = this.#flowEnd(tracks, step);
          first = step;
          continue;
        }
        if (from === void 0 || first === void 0) {
          this.#skipped++;
          continue;
        }
        const to = this.#flowEnd(tracks, step);
        flows.push({ name: first.name || step.name, cat: first.cat, id: first.id, from, to });
        from = step.ph === "f" ? void 0 : to;
        if (step.ph === "f") {
          first = void 0;
        }
      }
      if (from !== void 0 && first !== void 0 && steps.at(-1).ph === "s") {
        this.#skipped++;
      }
    }
    return flows.sort((a, b) => a.from.ts - b.from.ts);
  }
  #flowEnd(tracks, step) {
    const trackIndex = this.#threads.get(`${step.pid}:${step.tid}`).track;
    const track = tracks[trackIndex];
    let slice = sliceAt(track, step.ts);
    if (!step.enclosing) {
      const next = nextSliceFrom(track, step.ts);
      slice = next >= 0 ? next : slice;
    }
    return { track: trackIndex, slice, ts: step.ts };
  }
};
function newThread(pid, tid) {
  return {
    pid,
    tid,
    start: new Growable(Float64Array, 256),
    dur: new Growable(Float64Array, 256),
    names: new Growable(Uint32Array, 256),
    args: new Growable(Int32Array, 256),
    depth: new Growable(Int32Array, 256),
    knownDepths: true,
    open: []
  };
}
function kindOf(thread) {
  const name = thread.name ?? "";
  if (/^Garbage collection\b/.test(name)) {
    return "gc";
  }
  if (/^async \d+\b/.test(name)) {
    return "async";
  }
  return "thread";
}
function orderThreads(threads) {
  const tids = new Set(threads.map((thread) => thread.tid));
  const ownerOf = (thread) => {
    if (thread.asyncKey !== void 0 || thread.tid < 1e4) {
      return void 0;
    }
    const owner = Math.floor(thread.tid / 1e4);
    return tids.has(owner) && kindOf(thread) !== "thread" ? owner : void 0;
  };
  const compare = (a, b) => (a.sortIndex ?? 0) - (b.sortIndex ?? 0) || a.tid - b.tid || (a.asyncKey ?? "").localeCompare(b.asyncKey ?? "");
  const owners = threads.filter((thread) => ownerOf(thread) === void 0).sort(compare);
  const extras = threads.filter((thread) => ownerOf(thread) !== void 0).sort(compare);
  const ordered = [];
  for (const owner of owners) {
    ordered.push(owner);
    if (owner.asyncKey === void 0) {
      ordered.push(...extras.filter((extra) => ownerOf(extra) === owner.tid));
    }
  }
  return ordered;
}

// dist/timeline/model.js
var isSliceTrack = (track) => track.kind === "thread" || track.kind === "async" || track.kind === "gc";
var textDecoder = new TextDecoder();

// dist/timeline/model-codec.js
var magic = 1280596566;
var modelCodecVersion = 1;
var info = (track) => ({ id: track.id, kind: track.kind, name: track.name, pid: track.pid, ...track.tid === void 0 ? {} : { tid: track.tid } });
function encodeModel(model) {
  const arrays = [];
  let offset = 0;
  const block = (array) => {
    const at = offset;
    arrays.push(array);
    offset += Math.ceil(array.byteLength / 8) * 8;
    return [at, array.length];
  };
  const tracks = model.tracks.map((track) => {
    if (isSliceTrack(track)) {
      return { ...info(track), depthOffsets: block(track.depthOffsets), start: block(track.start), dur: block(track.dur), self: block(track.self), names: block(track.names), args: block(track.args) };
    }
    if (track.kind === "counter") {
      return { ...info(track), series: track.series.map((series) => ({ name: series.name, ts: block(series.ts), values: block(series.values) })) };
    }
    return track;
  });
  const header = {
    metadata: model.metadata,
    strings: model.strings,
    tracks,
    instants: model.instants,
    flows: model.flows,
    args: { offsets: block(model.args.offsets), bytes: block(model.args.bytes) }
  };
  const json = new TextEncoder().encode(JSON.stringify(header));
  const headBytes = Math.ceil((12 + json.byteLength) / 8) * 8;
  const head = new Uint8Array(headBytes);
  const view = new DataView(head.buffer);
  view.setUint32(0, magic, true);
  view.setUint32(4, modelCodecVersion, true);
  view.setUint32(8, json.byteLength, true);
  head.set(json, 12);
  const parts = [head];
  for (const array of arrays) {
    parts.push(new Uint8Array(array.buffer, array.byteOffset, array.byteLength));
    const padding = Math.ceil(array.byteLength / 8) * 8 - array.byteLength;
    if (padding > 0) {
      parts.push(new Uint8Array(padding));
    }
  }
  return parts;
}

// dist/viewer/flame-page.js
import fs5 from "node:fs";
import path7 from "node:path";

// dist/viewer/speedscope-release.js
import fs4 from "node:fs";
import { createRequire as createRequire2 } from "node:module";
import path6 from "node:path";
var require2 = createRequire2(import.meta.url);
function speedscopeReleaseDirectory() {
  return path6.join(path6.dirname(require2.resolve("speedscope/package.json")), "dist", "release");
}
function loadSpeedscopeRelease() {
  const directory = speedscopeReleaseDirectory();
  const files = new Set(fs4.readdirSync(directory, { withFileTypes: true }).filter((entry) => entry.isFile()).map((entry) => entry.name));
  const index = fs4.readFileSync(path6.join(directory, "index.html"), "utf8");
  const script = /<script src="([^"]+\.js)"/.exec(index)?.[1];
  const stylesheet = /<link rel="stylesheet" href="([^"]+\.css)"/.exec(index)?.[1];
  if (!script || !stylesheet || !files.has(script) || !files.has(stylesheet)) {
    throw new Error(`Unexpected layout of speedscope's release in ${directory}: cannot find its script and stylesheet`);
  }
  return { directory, files, script, stylesheet };
}

// dist/viewer/flame-page.js
var flameSentinel = "viztracer-embedded-trace";
var inlineSafe = (text, tag) => text.replaceAll(new RegExp(`</(${tag})`, "gi"), String.raw`<\/$1`).replaceAll("<!--", String.raw`<\!--`);
var scriptLiteral = (value) => JSON.stringify(value).replaceAll("<", String.raw`\u003c`);
function dataUrl(file, type) {
  return `data:${type};base64,${fs5.readFileSync(file).toString("base64")}`;
}
function handoffScript(importName) {
  return `(() => {
	const sentinel = ${scriptLiteral(flameSentinel)};
	// A blob: document of a file:// page has an opaque origin, which may not
	// use localStorage (speedscope keeps its settings there): a memory stand-in.
	try {
		void window.localStorage;
	} catch {
		const items = new Map();
		const storage = {
			getItem: key => (items.has(String(key)) ? items.get(String(key)) : null),
			setItem: (key, value) => items.set(String(key), String(value)),
			removeItem: key => items.delete(String(key)),
			clear: () => items.clear(),
			key: index => [...items.keys()][index] ?? null,
			get length() {
				return items.size;
			},
		};
		Object.defineProperty(window, 'localStorage', {value: storage, configurable: true});
	}

	Object.defineProperty(window, 'speedscope', {
		configurable: true,
		get() {},
		set(api) {
			Object.defineProperty(window, 'speedscope', {value: api, writable: true, configurable: true});
			const append = document.head.appendChild;
			document.head.appendChild = function (node) {
				if (node instanceof HTMLScriptElement && node.src.endsWith(sentinel)) {
					document.head.appendChild = append;
					setTimeout(() => api.loadFileFromBase64(${scriptLiteral(importName)}, document.getElementById('viztracer-trace').textContent.trim()));
					return node;
				}

				return append.call(this, node);
			};
		},
	});
})();`;
}
function flamePageParts(title, release = loadSpeedscopeRelease()) {
  const read = (name) => fs5.readFileSync(path7.join(release.directory, name), "utf8");
  const css = read(release.stylesheet).replaceAll(/url\("?\.\/([^")]+\.woff2)"?\)/g, (match, font) => release.files.has(font) ? `url("${dataUrl(path7.join(release.directory, font), "font/woff2")}")` : match).replaceAll(/\/\*# sourceMappingURL=[^*]*\*\//g, "");
  const script = read(release.script).replaceAll(/\/\/# sourceMappingURL=\S+/g, "");
  const importName = `${title.replace(/\.(?:html|json\.gz|json|vizt)$/, "")}.json`;
  const head = `<!DOCTYPE html>
<html>
<head>
<meta charset="UTF-8">
<title>${title.replaceAll(/[&<>"']/g, (character) => `&#${character.codePointAt(0)};`)} - speedscope</title>
<style>${inlineSafe(css, "style")}</style>
</head>
<body>
<script type="application/octet-stream" id="viztracer-trace">`;
  const tail = `</script>
<script>${inlineSafe(handoffScript(importName), "script")}</script>
<script>${inlineSafe(script, "script")}</script>
</body>
</html>
`;
  return { head, tail };
}

// dist/viewer/source-files.js
import fs6 from "node:fs";
import path8 from "node:path";
import { fileURLToPath as fileURLToPath2 } from "node:url";

// dist/timeline/slice-label.js
var located = /^(.*?) \(((?:[a-z]+:\/\/)?[^()]*?:\d+(?::\d+)?)\)$/s;
function sliceLabel(text) {
  const match = located.exec(text);
  return match ? { name: match[1], location: match[2] } : { name: text, location: "" };
}
function sourceLocation(text) {
  const { location } = sliceLabel(text);
  const match = /^(.*?):(\d+)(?::(\d+))?$/s.exec(location);
  if (!match || match[1] === "") {
    return void 0;
  }
  return { file: match[1], line: Number(match[2]), ...match[3] === void 0 ? {} : { column: Number(match[3]) } };
}

// dist/viewer/source-files.js
var sourceLimitBytes = 4 * 1024 * 1024;
var sourceExtensions = /\.(?:[cm]?[jt]sx?|coffee|vue|svelte|astro|es6)$/i;
function namedSourceFiles(model) {
  const files = /* @__PURE__ */ new Set();
  for (const text of model.strings) {
    const location = sourceLocation(text);
    if (location !== void 0) {
      files.add(location.file);
    }
  }
  return files;
}
var SourceRefusedError = class extends Error {
  status;
  code = "VIZVIEWER_SOURCE_REFUSED";
  constructor(status, message) {
    super(message);
    this.status = status;
  }
};
function readNamedSource(file, named, baseDirectory) {
  if (!named.has(file)) {
    throw new SourceRefusedError(403, "the trace names no such file");
  }
  let absolute;
  if (file.startsWith("file://")) {
    try {
      absolute = fileURLToPath2(file);
    } catch {
      throw new SourceRefusedError(404, "not a file URL of this machine");
    }
  } else if (/^[a-z][\w+.-]*:/i.test(file) && !/^[a-z]:[\\/]/i.test(file)) {
    throw new SourceRefusedError(404, `${file.split(":")[0]}: modules have no source file here`);
  } else {
    absolute = path8.resolve(baseDirectory, file);
  }
  if (!sourceExtensions.test(absolute)) {
    throw new SourceRefusedError(403, "only JavaScript and TypeScript sources are shown");
  }
  let real;
  try {
    real = fs6.realpathSync(absolute);
  } catch {
    throw new SourceRefusedError(404, `${absolute} is not there any more`);
  }
  if (!sourceExtensions.test(real)) {
    throw new SourceRefusedError(403, "only JavaScript and TypeScript sources are shown");
  }
  let fd;
  try {
    fd = fs6.openSync(real, fs6.constants.O_RDONLY | (fs6.constants.O_NOFOLLOW ?? 0) | (fs6.constants.O_NONBLOCK ?? 0));
  } catch {
    throw new SourceRefusedError(404, `${absolute} cannot be read`);
  }
  try {
    const stat = fs6.fstatSync(fd);
    if (!stat.isFile()) {
      throw new SourceRefusedError(403, `${absolute} is not a regular file`);
    }
    if (stat.size > sourceLimitBytes) {
      throw new SourceRefusedError(403, `${absolute} is larger than ${sourceLimitBytes / 1024 / 1024} MiB`);
    }
    const bytes = Buffer.alloc(stat.size);
    let read = 0;
    while (read < bytes.length) {
      const count = fs6.readSync(fd, bytes, read, bytes.length - read, read);
      if (count === 0) {
        break;
      }
      read += count;
    }
    return bytes.subarray(0, read).toString("utf8");
  } finally {
    fs6.closeSync(fd);
  }
}

// dist/viewer/timeline-page.js
import fs7 from "node:fs";
import { fileURLToPath as fileURLToPath3 } from "node:url";
var timelineBundleFile = fileURLToPath3(new URL("../viewer-ui/timeline.js", import.meta.url));
var escapeHtml = (text) => text.replaceAll(/[&<>"']/g, (character) => `&#${character.codePointAt(0)};`);
var scriptJson = (value) => JSON.stringify(value).replaceAll("<", String.raw`\u003c`);
var inlineScript = (text) => text.replaceAll(/<\/(script)/gi, String.raw`<\/$1`).replaceAll("<!--", String.raw`<\!--`);
function pageHead(title, data) {
  const blocks = Object.entries(data).map(([id, value]) => `<script type="application/json" id="${id}">${scriptJson(value)}</script>
`).join("");
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="UTF-8">
<meta name="viewport" content="width=device-width, initial-scale=1.0">
<meta name="generator" content="viztracer vizviewer">
<link rel="icon" href="data:,">
<title>${escapeHtml(title)} - vizviewer</title>
${blocks}</head>
<body>
<div id="vizviewer"></div>
`;
}
function embeddedTimelinePage(title, extras) {
  const script = fs7.readFileSync(timelineBundleFile, "utf8");
  const flame = "note" in extras.flame ? { note: extras.flame.note } : { head: Buffer.from(extras.flame.head).toString("base64"), tail: Buffer.from(extras.flame.tail).toString("base64"), sentinel: flameSentinel };
  const head = `${pageHead(title, { "vizviewer-config": { mode: "embedded" }, "vizviewer-sources": extras.sources, "vizviewer-stats": extras.stats ?? null, "vizviewer-flame": flame })}${"note" in extras.flame ? "" : `<script type="application/octet-stream" id="vizviewer-flame-trace">${extras.flame.traceBase64}</script>
`}<!-- The timeline model (see timeline/model-codec.ts), base64-encoded. -->
<script type="application/octet-stream" id="vizviewer-model">
`;
  const tail = `
</script>
<script>${inlineScript(script)}</script>
</body>
</html>
`;
  return { head, tail };
}

// dist/viewer/timeline-html.js
var embeddedSourceLimitBytes = 16 * 1024 * 1024;
function embeddedSources(model, baseDirectory) {
  const named = namedSourceFiles(model);
  const sources = {};
  let total = 0;
  for (const file of named) {
    try {
      const text = readNamedSource(file, named, baseDirectory);
      if (total + text.length > embeddedSourceLimitBytes) {
        continue;
      }
      total += text.length;
      sources[file] = text;
    } catch {
    }
  }
  return sources;
}
var embeddedFlameSpanLimit = 2e5;
var spanCount = (model) => model.tracks.reduce((sum, track) => sum + (isSliceTrack(track) ? track.start.length : 0), 0);
function embeddedFlame(model, gzippedTrace) {
  const spans = spanCount(model);
  if (gzippedTrace === void 0 || spans > embeddedFlameSpanLimit) {
    return { note: spans > embeddedFlameSpanLimit ? `This trace has ${spans.toLocaleString("en-US")} spans, more than speedscope imports in reasonable time (${embeddedFlameSpanLimit.toLocaleString("en-US")} at most are saved with the page). Open the trace with \`npx vizviewer <trace>\` for the flame graph views.` : "This page was saved without the flame graph. Open the trace with `npx vizviewer <trace>` for the flame graph views." };
  }
  return { ...flamePageParts(model.metadata.title), traceBase64: Buffer.from(gzippedTrace.buffer, gzippedTrace.byteOffset, gzippedTrace.byteLength).toString("base64") };
}
function writeTimelinePage(model, baseDirectory, write, stats, flameTrace) {
  const { head, tail } = embeddedTimelinePage(model.metadata.title, { sources: embeddedSources(model, baseDirectory), stats: stats ?? null, flame: embeddedFlame(model, flameTrace) });
  write(Buffer.from(head));
  let carry = Buffer.alloc(0);
  for (const part of encodeModel(model)) {
    const all = carry.length > 0 ? Buffer.concat([carry, part]) : Buffer.from(part.buffer, part.byteOffset, part.byteLength);
    const whole = all.length - all.length % 3;
    if (whole > 0) {
      write(Buffer.from(all.subarray(0, whole).toString("base64"), "latin1"));
    }
    carry = Buffer.from(all.subarray(whole));
  }
  write(Buffer.from(`${carry.toString("base64")}${tail}`));
}
var cwdOf = (metadata) => {
  const cwd = typeof metadata === "object" && metadata !== null ? metadata["cwd"] : void 0;
  return typeof cwd === "string" ? cwd : void 0;
};
var TimelineHtmlWriter = class {
  write;
  title;
  fallbackDirectory;
  #builder = new TimelineModelBuilder();
  #decoder = new StringDecoder2("utf8");
  #splitter;
  // The JSON gzipped as it passes, for the Flame graph tab (speedscope reads the trace itself).
  // Dropped as soon as the trace has more spans than the page embeds a flame graph for: no gzip work for what is not kept.
  #gzipped = [];
  #gzip = new GzipSyncWriter((bytes) => {
    this.#gzipped?.push(bytes);
  });
  #spans = 0;
  constructor(write, title, fallbackDirectory) {
    this.write = write;
    this.title = title;
    this.fallbackDirectory = fallbackDirectory;
    this.#splitter = new TraceEventSplitter((batch) => {
      for (const event of batch) {
        if (typeof event === "object" && event !== null && !Array.isArray(event)) {
          const { ph } = event;
          if (ph === "X" || ph === "B" || ph === "b" || ph === "n") {
            this.#spans++;
          }
          this.#builder.addEvent(event);
        }
      }
    });
  }
  push = (bytes) => {
    const buffer = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    this.#splitter.push(this.#decoder.write(buffer));
    if (this.#spans > embeddedFlameSpanLimit) {
      this.#gzipped = void 0;
    } else {
      this.#gzip.push(buffer, false);
    }
  };
  end() {
    this.#splitter.push(this.#decoder.end());
    this.#splitter.end();
    const cwd = cwdOf(this.#splitter.other["viztracer_metadata"]);
    const model = this.#builder.finish({ title: this.title, displayTimeUnit: this.#splitter.other["displayTimeUnit"], ...cwd === void 0 ? {} : { cwd } });
    if (this.#gzipped !== void 0) {
      this.#gzip.push(Buffer.alloc(0), true);
    }
    writeTimelinePage(model, cwd ?? this.fallbackDirectory, this.write, void 0, this.#gzipped && Buffer.concat(this.#gzipped));
  }
};
function timelineEnvelope(title, fallbackDirectory = process.cwd()) {
  return {
    raw: true,
    open: (write, fileTitle) => new TimelineHtmlWriter(write, title ?? fileTitle, fallbackDirectory),
    transform(fileTitle) {
      let writer;
      const start = (stream) => {
        writer ??= new TimelineHtmlWriter((bytes) => stream.push(bytes), title ?? fileTitle, fallbackDirectory);
        return writer;
      };
      return new Transform({
        transform(chunk, _encoding, callback) {
          try {
            start(this).push(chunk);
            callback();
          } catch (error) {
            callback(error);
          }
        },
        flush(callback) {
          try {
            start(this).end();
            callback();
          } catch (error) {
            callback(error);
          }
        }
      });
    }
  };
}

// dist/viewer/html-trace-writer.js
var isHtmlPath = (file) => file.endsWith(".html");
function envelopeFor(file) {
  return isHtmlPath(file) ? timelineEnvelope() : void 0;
}

// dist/trace-file/read-trace.js
import fs8 from "node:fs";
import zlib3 from "node:zlib";
import { setImmediate as nextTurn } from "node:timers/promises";
var readBytes = 1 << 16;
function isViztFile(file) {
  const fd = fs8.openSync(file, "r");
  try {
    const head = Buffer.alloc(4);
    return fs8.readSync(fd, head, 0, 4, 0) === 4 && hasViztMagic(head);
  } finally {
    fs8.closeSync(fd);
  }
}
function isGzipFile(file) {
  const fd = fs8.openSync(file, "r");
  try {
    const head = Buffer.alloc(2);
    const read = fs8.readSync(fd, head, 0, 2, 0);
    return read === 2 && head[0] === 31 && head[1] === 139;
  } finally {
    fs8.closeSync(fd);
  }
}
function assertTraceFile(file) {
  fs8.closeSync(openTraceFileSync(file));
}
function jsonSizeOf(file) {
  const { size } = fs8.statSync(file);
  const fd = fs8.openSync(file, "r");
  try {
    const head = Buffer.alloc(2);
    if (size < 18 || fs8.readSync(fd, head, 0, 2, 0) !== 2 || head[0] !== 31 || head[1] !== 139) {
      return size;
    }
    const trailer = Buffer.alloc(4);
    fs8.readSync(fd, trailer, 0, 4, size - 4);
    let uncompressed = trailer.readUInt32LE(0);
    while (uncompressed < size) {
      uncompressed += 2 ** 32;
    }
    return uncompressed;
  } finally {
    fs8.closeSync(fd);
  }
}
function openTraceText(file) {
  assertTraceFile(file);
  const raw = fs8.createReadStream(file, { highWaterMark: readBytes });
  if (!isGzipFile(file)) {
    return raw.setEncoding("utf8");
  }
  const gunzip = zlib3.createGunzip({ chunkSize: readBytes });
  raw.on("error", (error) => gunzip.destroy(error));
  return raw.pipe(gunzip).setEncoding("utf8");
}
async function readTraceEvents(file, onEvents) {
  assertTraceFile(file);
  if (isViztFile(file)) {
    const reader = new TraceFileReader(file);
    try {
      for (let batch = reader.nextBatch(); batch !== void 0; batch = reader.nextBatch()) {
        onEvents(batch);
        await nextTurn();
      }
    } finally {
      reader.close();
    }
    return { other: reader.other };
  }
  const splitter = new TraceEventSplitter(onEvents);
  try {
    for await (const chunk of openTraceText(file)) {
      splitter.push(chunk);
    }
    splitter.end();
  } catch (error) {
    if (error instanceof TraceSyntaxError) {
      throw new VizTracerInvalidTraceError(file, error.message, error);
    }
    if (error instanceof Error && "code" in error && typeof error.code === "string" && error.code.startsWith("Z_")) {
      throw new VizTracerInvalidTraceError(file, `cannot decompress it (${error.message})`, error);
    }
    if (error instanceof Error && "code" in error && typeof error.code === "string" && !(error instanceof VizTracerInvalidTraceError) && !(error instanceof VizTracerTraceNotFoundError)) {
      throw traceOpenError(file, error);
    }
    throw error;
  }
  if (!splitter.sawEvents) {
    throw new VizTracerInvalidTraceError(file, "it has no traceEvents array");
  }
  return { other: splitter.other };
}

// dist/viewer/trace-size.js
var browserTraceLimitBytes = 128 * 1024 * 1024;
var formatMegabytes = (bytes) => `${(bytes / 1e6).toFixed(1)} MB`;

// dist/core/wrap.js
function endWhenSettled(recorder, promise) {
  const token = recorder.detachAsync();
  return promise.then((value) => {
    recorder.closeAsync(token);
    return value;
  }, (error) => {
    recorder.closeAsync(token);
    throw error;
  });
}
function wrapFunction(recorder, fn, name) {
  const id = recorder.intern(name);
  const target = fn;
  const wrapped = function() {
    if (!recorder.enabled) {
      return new.target === void 0 ? target.apply(this, arguments) : Reflect.construct(target, arguments, new.target);
    }
    recorder.enter(id);
    let result;
    try {
      result = new.target === void 0 ? target.apply(this, arguments) : Reflect.construct(target, arguments, new.target);
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
  Object.defineProperties(wrapped, {
    name: { value: fn.name, configurable: true },
    length: { value: fn.length, configurable: true }
  });
  if (Object.hasOwn(fn, "prototype")) {
    wrapped.prototype = fn.prototype;
  }
  return wrapped;
}

// dist/tracer/tracer.js
function getTracer() {
  return currentTracer();
}
function readMetadata(data) {
  try {
    return data.viztracer_metadata;
  } catch {
    return void 0;
  }
}
function jsonSizeOrZero(file) {
  try {
    return jsonSizeOf(file);
  } catch {
    return 0;
  }
}
var jsonBytesPerEntry = 100;
var reportedWaitMillis = 250;
var recorderKey = Symbol.for("viztracer.recorder");
var nextObjectId = 1;
var VizTracer = class extends import_index.default {
  /** The validated options, with defaults filled in. */
  options;
  #recorder;
  // Set on the first start of an unbounded tracer: it streams the ring to disk once it fills.
  #streamer;
  #plugins = new PluginManager();
  // No outputFile given: a run too long for JSON viewers is saved as .vizt instead.
  #defaultOutput;
  #state = "idle";
  #stopGc;
  #stopAsyncResources;
  constructor(options = {}) {
    super();
    this.options = Object.freeze(resolveOptions(options));
    this.#defaultOutput = options?.outputFile === void 0;
    this.#recorder = new Recorder({
      entries: this.options.tracerEntries ?? (this.options.logFuncArgs || this.options.logFuncRetval ? streamRingEntriesWithArgs : streamRingEntries),
      maxStackDepth: this.options.maxStackDepth,
      minDuration: this.options.minDuration,
      shared: this.options.tracerEntries === void 0
    });
    try {
      for (const spec of this.options.plugins) {
        const plugin = this.#plugins.register(spec, () => this.data);
        this.emit("initialize", plugin);
      }
    } catch (error) {
      try {
        this.#plugins.terminate();
      } catch {
      }
      throw error;
    }
  }
  /** Whether the tracer is recording now. */
  get enabled() {
    return this.#recorder.enabled;
  }
  /** The plugins registered with this tracer, in order. */
  get plugins() {
    return this.#plugins.plugins;
  }
  /** The trace as it would be saved now (what `handle_data` handlers receive). */
  get data() {
    return withIntrinsics(() => {
      const { view, streamed } = this.#collect();
      return this.#assemble(view, streamed);
    });
  }
  get [recorderKey]() {
    return this.#recorder;
  }
  /** Starts recording. Returns the tracer, so `using tracer = new VizTracer().start()` works. */
  start() {
    this.#assertNotTerminated("start");
    if (this.#state === "running") {
      throw new VizTracerStateError("start() was called on a tracer that is already started; call stop() first");
    }
    const current = currentTracer();
    if (current !== void 0 && current !== this) {
      throw new VizTracerStateError("start() was called while another VizTracer is started; only one tracer records at a time (stop the other, or use getTracer() to reach it)");
    }
    this.#plugins.event("pre-start", () => this.data);
    this.emit("pre-start");
    this.#recorder.start();
    if (this.options.tracerEntries === void 0 && this.#streamer === void 0) {
      this.#streamer = this.#startStreamer();
    }
    installedHook()?.attach(this.#recorder, !this.options.logSparse);
    if (this.options.logGc) {
      this.#stopGc = observeGc(this.#recorder);
    }
    if (this.options.logAsync) {
      this.#stopAsyncResources = traceAsyncResources(this.#recorder);
    }
    this.#state = "running";
    setCurrentTracer(this);
    return this;
  }
  /** Stops recording. Spans still open end at the stop time. */
  stop() {
    withIntrinsics(() => {
      if (this.#state !== "running") {
        throw new VizTracerStateError(this.#state === "terminated" ? "stop() was called on a terminated tracer" : "stop() was called on a tracer that is not started; call start() first");
      }
      this.#stopRecording();
      this.#state = "idle";
      if (currentTracer() === this) {
        setCurrentTracer(void 0);
      }
      this.#plugins.event("post-stop", () => this.data);
      this.emit("post-stop");
    });
  }
  /**
   * Writes the trace and returns the path written. Plugins get `pre-save`
   * with the assembled trace first; a plugin that throws makes `save()`
   * throw without writing, and the recorded data stays for a later save.
   */
  save(outputFile) {
    return withIntrinsics(() => {
      const prepared = this.#prepareSave(outputFile, this.#collect());
      this.#writeSync(prepared);
      this.#report(prepared.file, prepared.data);
      return prepared.file;
    });
  }
  /** Like `save()`, but streams the file without blocking the event loop. The entries are copied first, so tracing may go on meanwhile. */
  async saveAsync(outputFile) {
    const streamed = this.#flushStreamer();
    const prepared = this.#prepareSave(outputFile, { view: this.#recorder.hasRing ? snapshotOf(this.#recorder.ring, this.#recorder.strings, this.#recorder.tracks) : emptyView(this.#recorder.strings, this.#recorder.tracks), streamed });
    await this.#writeAsync(prepared);
    this.#report(prepared.file, prepared.data);
    return prepared.file;
  }
  /** Drops everything recorded so far. */
  clear() {
    this.#recorder.clear();
    this.#streamer?.clear();
  }
  /**
   * Ends the tracer's life: stops it if it is running and sends plugins the
   * terminate command, which each must acknowledge. A second call does nothing.
   */
  terminate() {
    withIntrinsics(() => {
      if (this.#state === "terminated") {
        return;
      }
      if (this.#state === "running") {
        this.#stopRecording();
        if (currentTracer() === this) {
          setCurrentTracer(void 0);
        }
      }
      this.#state = "terminated";
      try {
        this.#streamer?.close();
        this.#plugins.terminate();
      } finally {
        this.emit("terminate");
      }
    });
  }
  /** `stop()` (when running), `save()` and `terminate()`: what leaving a `using` block does. */
  [Symbol.dispose]() {
    withIntrinsics(() => {
      const errors = [];
      if (this.#state === "running") {
        attempt(errors, () => {
          this.stop();
        });
      }
      if (this.#state !== "terminated") {
        attempt(errors, () => this.#saveEvenIfPluginsFail());
      }
      attempt(errors, () => {
        this.terminate();
      });
      rethrowFirst(errors);
    });
  }
  /** The `await using` form: saves with `saveAsync()`. */
  async [Symbol.asyncDispose]() {
    const errors = [];
    if (this.#state === "running") {
      attempt(errors, () => {
        this.stop();
      });
    }
    if (this.#state !== "terminated") {
      try {
        await this.saveAsync();
      } catch (error) {
        errors.push(error);
        if (error instanceof VizPluginError) {
          attempt(errors, () => this.#saveWithoutPlugins());
        }
      }
    }
    attempt(errors, () => {
      this.terminate();
    });
    rethrowFirst(errors);
  }
  /**
   * Wraps `fn` so each call records a span named `name` (default: the
   * function's name). `this`, arguments, the return value, exceptions and
   * `new` behave as with `fn`; an async call's span ends when it settles.
   */
  wrap(fn, name) {
    if (typeof fn !== "function") {
      throw new VizTracerArgumentError(`wrap() expects a function, got ${describeValue(fn)}`);
    }
    return wrapFunction(this.#recorder, fn, name ?? (fn.name || "<anonymous>"));
  }
  /** Opens a span for a block: `using span = tracer.logEvent('load config')`. */
  logEvent(name) {
    if (!this.#recorder.enabled) {
      return inactiveSpan;
    }
    return openSpan(this.#recorder, String(name));
  }
  /** Records an instant event (`ph: 'i'`). `scope`: `'t'` thread (default), `'p'` process, `'g'` global. */
  logInstant(name, args, scope = "t") {
    if (scope !== "t" && scope !== "p" && scope !== "g") {
      throw new VizTracerArgumentError(`logInstant() expects scope 't', 'p' or 'g', got ${describeValue(scope)}`);
    }
    if (args !== void 0 && (typeof args !== "object" || args === null || Array.isArray(args))) {
      throw new VizTracerArgumentError(`logInstant() expects args to be an object, got ${describeValue(args)}`);
    }
    if (this.#recorder.enabled) {
      this.#recorder.instant(this.#recorder.intern(String(name)), args, scope);
    }
  }
  /** Records a variable: a counter for a number, an instant event with its repr otherwise. */
  logVar(name, value) {
    if (!this.#recorder.enabled) {
      return;
    }
    if (typeof value === "number") {
      this.#recorder.counter(this.#recorder.intern(String(name)), { [name]: value });
    } else {
      this.#recorder.instant(this.#recorder.intern(String(name)), { object: reprOf(value) }, "t");
    }
  }
  /** Records a counter sample (`ph: 'C'`), one series per key. */
  logCounter(name, values) {
    if (typeof values !== "object" || values === null) {
      throw new VizTracerArgumentError(`logCounter() expects an object of numbers, got ${describeValue(values)}`);
    }
    for (const [key, value] of Object.entries(values)) {
      if (typeof value !== "number") {
        throw new VizTracerArgumentError(`logCounter() expects numeric values, but \`${key}\` is ${describeValue(value)}`);
      }
    }
    if (this.#recorder.enabled) {
      this.#recorder.counter(this.#recorder.intern(String(name)), { ...values });
    }
  }
  /** Records an object event; used by `VizObject`. */
  logObject(phase, name, id, snapshot) {
    if (!this.#recorder.enabled) {
      return;
    }
    const kind = phase === "N" ? EntryKind.objectNew : phase === "O" ? EntryKind.objectSnapshot : EntryKind.objectDelete;
    this.#recorder.object(kind, this.#recorder.intern(String(name)), id, snapshot);
  }
  /** A fresh id for an object tracked with object events. */
  static nextObjectId() {
    return nextObjectId++;
  }
  #stopRecording() {
    this.#stopGc?.();
    this.#stopGc = void 0;
    this.#stopAsyncResources?.();
    this.#stopAsyncResources = void 0;
    this.#recorder.stop();
    installedHook()?.detach(this.#recorder);
  }
  #view() {
    return this.#recorder.hasRing ? viewOf(this.#recorder.ring, this.#recorder.strings, this.#recorder.tracks) : emptyView(this.#recorder.strings, this.#recorder.tracks);
  }
  /** Everything recorded: a streaming recording's file is brought up to date first. */
  #collect() {
    const streamed = this.#flushStreamer();
    return { view: this.#view(), streamed };
  }
  #flushStreamer() {
    const flushed = this.#streamer?.flush();
    if (flushed === void 0) {
      return void 0;
    }
    return {
      ...flushed,
      open(json) {
        const reader = new TraceFileReader(flushed.file, { end: flushed.bytes, viztJson: json, spanDepths: !json });
        return {
          json,
          nextBatch: () => reader.nextBatch(),
          close() {
            reader.close();
          }
        };
      }
    };
  }
  #startStreamer() {
    const info2 = this.#processInfo();
    const metadata = assembleTraceData(emptyView(this.#recorder.strings), info2, false);
    return new RingStreamer(this.#recorder.ring, this.#recorder.strings, () => this.#recorder.tracks, {
      file: streamFileFor(this.#outputPath(void 0), process.pid, threadId),
      info: info2,
      metadataJson: `{${tailJson(metadata).slice(1)}}`
    });
  }
  #processInfo() {
    const { pid } = process;
    const script = process.argv[1];
    return {
      pid,
      tid: isMainThread ? pid : pid * 1e3 + threadId,
      processName: this.options.processName ?? (script ? path9.basename(script) : "node"),
      threadName: isMainThread ? "MainThread" : `Worker ${threadId}`,
      isMainThread
    };
  }
  #outputPath(outputFile) {
    let file = this.options.outputFile;
    if (outputFile !== void 0) {
      if (typeof outputFile !== "string" || !isOutputName(outputFile)) {
        throw new VizTracerOptionRangeError("outputFile", outputFile, outputNames);
      }
      file = outputFile;
    }
    return path9.resolve(this.options.pidSuffix ? withPidSuffix(file, process.pid) : file);
  }
  #prepareSave(outputFile, { view, streamed }, withPlugins = true) {
    this.#assertNotTerminated("save");
    let file = this.#outputPath(outputFile);
    const entries = (streamed?.entries ?? 0) + view.size;
    if (outputFile === void 0 && this.#defaultOutput && file.endsWith(".json") && entries * jsonBytesPerEntry > browserTraceLimitBytes) {
      const vizt = file.replace(/\.json$/, ".vizt");
      if (this.options.verbose > 0) {
        process.stderr.write(`viztracer: the run recorded ${entries} entries, about ${formatMegabytes(entries * jsonBytesPerEntry)} of JSON, more than browser viewers load well: writing ${path9.basename(vizt)} instead of ${path9.basename(file)} (choose the output with -o or outputFile; \`viztracer convert\` turns one into the other)
`);
      }
      file = vizt;
    }
    const data = this.#assemble(view, streamed);
    const handlers = withPlugins ? this.#plugins.event("pre-save", () => data, true) : [];
    if (!handlers.some((run) => run.broke !== void 0)) {
      this.emit("pre-save", data);
    }
    return { file, data, view, streamed, handlers };
  }
  /** Writes a prepared save; when its data cannot be written, writes what {@link VizTracer.#recover} makes of it. */
  #writeSync({ file, data, view, streamed, handlers }) {
    const broken = handlers.some((run) => run.broke !== void 0);
    try {
      if (!broken) {
        writeTraceSync(data, file, envelopeFor(file));
        return;
      }
    } catch (error) {
      if (!isUnwritable(error)) {
        throw error;
      }
    }
    writeTraceSync(this.#recover(view, streamed, handlers), file, envelopeFor(file));
  }
  async #writeAsync({ file, data, view, streamed, handlers }) {
    const broken = handlers.some((run) => run.broke !== void 0);
    try {
      if (!broken) {
        await writeTraceAsync(data, file, envelopeFor(file));
        return;
      }
    } catch (error) {
      if (!isUnwritable(error)) {
        throw error;
      }
    }
    await writeTraceAsync(this.#recover(view, streamed, handlers), file, envelopeFor(file));
  }
  #assemble(view, streamed) {
    const info2 = this.#processInfo();
    const recorder = this.#recorder;
    const ring = recorder.hasRing ? recorder.ring : void 0;
    const streamer = this.#streamer;
    const recording = recordingOf(view, info2, (ring?.head ?? 0) + (ring?.refused ?? 0), streamer === void 0 ? ring?.capacity ?? 0 : 0, recorder.droppedAsyncSpans, streamed?.entries ?? 0);
    if (streamed !== void 0) {
      recording.streamed = true;
      recording.writerWaitMs = Math.round(streamer.waitedMillis);
    }
    if (streamer?.failure !== void 0) {
      recording.writerFailure = streamer.failure;
    }
    return assembleTraceData(view, info2, this.#overflowed() || recording.droppedAsyncSpans > 0, recording, streamed);
  }
  #overflowed() {
    return this.#recorder.hasRing && (this.#recorder.ring.overflowed || this.#recorder.ring.refused > 0);
  }
  /**
   * After a write that failed because the data could not be serialised:
   * finds which `handle_data` handler or `pre-save` listener made it so by
   * running them again, one at a time, on the recorded data (checking it
   * after each), and returns the data with the changes of all but the
   * culprits, which are named in a warning. Any other failure is rethrown.
   */
  #recover(view, streamed, handlers) {
    const steps = [];
    const skipped = [];
    for (let index = 0; index < handlers.length; index++) {
      const handler = handlers[index];
      const describe = `Plugin ${handler.name}'s handle_data handler`;
      if (handler.broke !== void 0) {
        skipped[index] = true;
        warnNow(`${describe} left the trace unwritable (${handler.broke}); the trace was written without its changes`, "VIZTRACER_UNWRITABLE_TRACE", "VizPluginWarning");
      }
      steps.push({ describe, run: (fresh) => runHandler(handler, fresh, "pre-save") });
    }
    const listeners = this.listeners("pre-save");
    for (let index = 0; index < listeners.length; index++) {
      const listener = listeners[index];
      steps.push({
        describe: `The 'pre-save' listener ${listener.name || `#${index + 1}`}`,
        run: (fresh) => {
          listener.call(this, fresh);
        }
      });
    }
    for (let attempt2 = 0; attempt2 <= steps.length; attempt2++) {
      const fresh = this.#assemble(view, streamed);
      let culprit = -1;
      let reason = "";
      for (let index = 0; index < steps.length && culprit === -1; index++) {
        if (skipped[index]) {
          continue;
        }
        let failure;
        try {
          const result = steps[index].run(fresh);
          failure = result instanceof VizPluginError ? result.message : unwritableReason(fresh);
        } catch (thrown) {
          failure = thrown instanceof Error ? thrown.message : String(thrown);
        }
        if (failure !== void 0) {
          culprit = index;
          reason = failure;
        }
      }
      if (culprit === -1) {
        return fresh;
      }
      skipped[culprit] = true;
      warnNow(`${steps[culprit].describe} left the trace unwritable (${reason}); the trace was written without its changes`, "VIZTRACER_UNWRITABLE_TRACE", "VizPluginWarning");
    }
    return this.#assemble(view, streamed);
  }
  #saveWithoutPlugins() {
    const prepared = this.#prepareSave(void 0, this.#collect(), false);
    this.#writeSync(prepared);
    this.#report(prepared.file, prepared.data);
    return prepared.file;
  }
  // A plugin that fails at pre-save must not lose the trace when a `using`
  // block ends: the trace is written as recorded, and the error still surfaces.
  #saveEvenIfPluginsFail() {
    try {
      this.save();
    } catch (error) {
      if (error instanceof VizPluginError) {
        this.#saveWithoutPlugins();
      }
      throw error;
    }
  }
  #report(file, data) {
    if (this.options.verbose === 0) {
      return;
    }
    const streamer = this.#streamer;
    const ring = this.#recorder.hasRing ? this.#recorder.ring : void 0;
    if (streamer?.failure !== void 0) {
      const lost = ring === void 0 ? 0 : ring.head + ring.refused - streamer.written - ring.size;
      process.stderr.write(`viztracer: the trace writer stopped (${streamer.failure}): the trace has the first ${streamer.written} entries and the newest ${ring?.size ?? 0}${lost > 0 ? `; ${lost} in between were dropped` : ""}
`);
    } else if (this.#overflowed()) {
      process.stderr.write(`viztracer: the ring buffer overflowed and the oldest entries were dropped; raise tracerEntries (now ${this.options.tracerEntries}, --tracer-entries on the command line) or leave it unset to keep them all
`);
    }
    if (streamer !== void 0 && streamer.waitedMillis >= reportedWaitMillis) {
      process.stderr.write(`viztracer: the program waited ${(streamer.waitedMillis / 1e3).toFixed(1)} s in all (${streamer.waits} times) for the trace writer to catch up
`);
    }
    if (this.#recorder.droppedAsyncSpans > 0) {
      process.stderr.write(`viztracer: ${this.#recorder.droppedAsyncSpans} async spans were not recorded: too many were open at once
`);
    }
    let entries = (ring?.size ?? 0) + (streamer?.streaming ? streamer.written : 0);
    for (const other of recordingsIn(readMetadata(data)).slice(1)) {
      entries += other.kept;
      if (other.dropped > 0) {
        process.stderr.write(`viztracer: process ${other.pid}${other.tid === other.pid ? "" : ` thread ${other.tid}`} dropped the oldest ${other.dropped} of its ${other.recorded} entries (it keeps ${other.bound}; raise tracerEntries to keep them)
`);
      }
    }
    process.stderr.write(`viztracer: saved ${entries} entries to ${file}
`);
    const json = /\.json(?:\.gz)?$/.test(file) ? jsonSizeOrZero(file) : 0;
    if (json > browserTraceLimitBytes) {
      process.stderr.write(`viztracer: that is ${formatMegabytes(json)} of JSON, more than browser viewers load well (${formatMegabytes(browserTraceLimitBytes)}): write .vizt instead (-o or outputFile ending in .vizt: about a twentieth of the size), or view a part of it with \`npx vizviewer --filter\`
`);
    }
    process.stderr.write(file.endsWith(".html") ? "viztracer: open it in a web browser (it needs no server and no network)\n" : file.endsWith(".vizt") ? `viztracer: view it with \`npx vizviewer ${file}\`, or make Chrome JSON of it with \`npx viztracer convert ${file} ${file.replace(/\.vizt$/, ".json")}\`
` : `viztracer: view it with \`npx vizviewer ${file}\`, or open it at https://ui.perfetto.dev ("Open trace file"), in chrome://tracing, or at https://www.speedscope.app
`);
  }
  #assertNotTerminated(method) {
    if (this.#state === "terminated") {
      throw new VizTracerStateError(`${method}() was called on a terminated tracer; create a new VizTracer`);
    }
  }
};
function isUnwritable(error) {
  return error instanceof VizTracerSaveError && error.cause instanceof VizTracerUnwritableTraceError;
}
function attempt(errors, action) {
  try {
    action();
  } catch (error) {
    errors.push(error);
  }
}
function rethrowFirst(errors) {
  if (errors.length > 0) {
    throw errors[0];
  }
}
function reprOf(value) {
  return typeof value === "string" ? value : inspect(value, { depth: 2, maxArrayLength: 20, maxStringLength: 1e3, breakLength: Number.POSITIVE_INFINITY });
}

export {
  defaultOptions,
  resolveOptions,
  compiledText,
  instrument,
  instrumentedWith,
  withIntrinsics,
  VizPluginBase,
  loadPlugin,
  warnNow,
  SpanField,
  traceOpenError,
  TraceFileReader,
  readTraceSync,
  baseTimeOfTrace,
  isViztFile,
  assertTraceFile,
  jsonSizeOf,
  readTraceEvents,
  endWhenSettled,
  getTracer,
  recorderKey,
  VizTracer
};
