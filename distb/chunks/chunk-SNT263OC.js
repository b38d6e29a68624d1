// dist/core/errors.js
var ErrorCode = {
  invalidOption: "VIZTRACER_INVALID_OPTION",
  invalidPlugin: "VIZTRACER_INVALID_PLUGIN",
  pluginError: "VIZTRACER_PLUGIN_ERROR",
  invalidState: "VIZTRACER_INVALID_STATE",
  invalidArgument: "VIZTRACER_INVALID_ARGUMENT",
  saveFailed: "VIZTRACER_SAVE_FAILED",
  traceNotFound: "VIZTRACER_TRACE_NOT_FOUND",
  invalidTrace: "VIZTRACER_INVALID_TRACE",
  portInUse: "VIZTRACER_PORT_IN_USE",
  listenFailed: "VIZTRACER_LISTEN_FAILED",
  unwritableTrace: "VIZTRACER_UNWRITABLE_TRACE",
  traceUnreadable: "VIZTRACER_TRACE_UNREADABLE",
  traceTooLarge: "VIZTRACER_TRACE_TOO_LARGE"
};
var brandOf = (name) => Symbol.for(`viztracer.error.${name}`);
function hasBrand(value, brand) {
  return typeof value === "object" && value !== null && value[brand] === true;
}
function describeValue(value) {
  if (value === null) {
    return "`null`";
  }
  if (Array.isArray(value)) {
    return `an array of length ${value.length}`;
  }
  switch (typeof value) {
    case "string": {
      return `\`${JSON.stringify(value)}\` (string)`;
    }
    case "function": {
      return `a function${value.name ? ` (${value.name})` : ""}`;
    }
    case "object": {
      return `an object (${value.constructor?.name ?? "null prototype"})`;
    }
    case "symbol": {
      return `\`${String(value)}\` (symbol)`;
    }
    default: {
      return `\`${String(value)}\` (${typeof value})`;
    }
  }
}
var optionBrand = brandOf("option");
var VizTracerOptionError = class extends TypeError {
  code = ErrorCode.invalidOption;
  option;
  value;
  expected;
  constructor(option, value, expected, message = optionMessage(option, value, expected)) {
    super(message);
    this.name = "VizTracerOptionError";
    this.option = option;
    this.value = value;
    this.expected = expected;
    Object.defineProperty(this, optionBrand, { value: true });
  }
  static [Symbol.hasInstance](value) {
    return hasBrand(value, optionBrand);
  }
};
var VizTracerOptionRangeError = class extends RangeError {
  code = ErrorCode.invalidOption;
  option;
  value;
  expected;
  constructor(option, value, expected) {
    super(optionMessage(option, value, expected));
    this.name = "VizTracerOptionError";
    this.option = option;
    this.value = value;
    this.expected = expected;
    Object.defineProperty(this, optionBrand, { value: true });
  }
  static [Symbol.hasInstance](value) {
    return hasBrand(value, optionBrand) && value instanceof RangeError;
  }
};
function optionMessage(option, value, expected) {
  return `Expected \`${option}\` to be ${expected}, got ${describeValue(value)}`;
}
var invalidPluginBrand = brandOf("invalid-plugin");
var VizTracerInvalidPluginError = class extends TypeError {
  code = ErrorCode.invalidPlugin;
  plugin;
  constructor(plugin) {
    super(`Invalid plugin: expected a VizPluginBase instance, an object with supportVersion() and message() methods, or a "module args" string, got ${describeValue(plugin)}`);
    this.name = "VizTracerInvalidPluginError";
    this.plugin = plugin;
    Object.defineProperty(this, invalidPluginBrand, { value: true });
  }
  static [Symbol.hasInstance](value) {
    return hasBrand(value, invalidPluginBrand);
  }
};
var pluginBrand = brandOf("plugin");
var VizPluginError = class extends Error {
  code = ErrorCode.pluginError;
  /** The plugin's name (its class name, or the module specifier it was loaded from). */
  plugin;
  constructor(plugin, message, options) {
    super(message, options);
    this.name = "VizPluginError";
    this.plugin = plugin;
    Object.defineProperty(this, pluginBrand, { value: true });
  }
  static [Symbol.hasInstance](value) {
    return hasBrand(value, pluginBrand);
  }
};
var stateBrand = brandOf("state");
var VizTracerStateError = class extends Error {
  code = ErrorCode.invalidState;
  constructor(message) {
    super(message);
    this.name = "VizTracerStateError";
    Object.defineProperty(this, stateBrand, { value: true });
  }
  static [Symbol.hasInstance](value) {
    return hasBrand(value, stateBrand);
  }
};
var argumentBrand = brandOf("argument");
var VizTracerArgumentError = class extends TypeError {
  code = ErrorCode.invalidArgument;
  constructor(message) {
    super(message);
    this.name = "VizTracerArgumentError";
    Object.defineProperty(this, argumentBrand, { value: true });
  }
  static [Symbol.hasInstance](value) {
    return hasBrand(value, argumentBrand);
  }
};
var saveBrand = brandOf("save");
var VizTracerSaveError = class extends Error {
  code = ErrorCode.saveFailed;
  path;
  constructor(path2, cause) {
    super(`Could not write the trace to ${path2}: ${cause instanceof Error ? cause.message : String(cause)}`, { cause });
    this.name = "VizTracerSaveError";
    this.path = path2;
    Object.defineProperty(this, saveBrand, { value: true });
  }
  static [Symbol.hasInstance](value) {
    return hasBrand(value, saveBrand);
  }
};
var unwritableTraceBrand = brandOf("unwritable-trace");
var VizTracerUnwritableTraceError = class extends Error {
  code = ErrorCode.unwritableTrace;
  /** What is wrong, without the sentence around it. */
  reason;
  constructor(reason, cause) {
    super(`The trace data cannot be written: ${reason}`, { cause });
    this.reason = reason;
    this.name = "VizTracerUnwritableTraceError";
    Object.defineProperty(this, unwritableTraceBrand, { value: true });
  }
  static [Symbol.hasInstance](value) {
    return hasBrand(value, unwritableTraceBrand);
  }
};
var traceNotFoundBrand = brandOf("trace-not-found");
var VizTracerTraceNotFoundError = class extends Error {
  code = ErrorCode.traceNotFound;
  path;
  constructor(path2, cause) {
    super(`Cannot find the trace ${path2}`, { cause });
    this.name = "VizTracerTraceNotFoundError";
    this.path = path2;
    Object.defineProperty(this, traceNotFoundBrand, { value: true });
  }
  static [Symbol.hasInstance](value) {
    return hasBrand(value, traceNotFoundBrand);
  }
};
var invalidTraceBrand = brandOf("invalid-trace");
var VizTracerInvalidTraceError = class extends Error {
  code = ErrorCode.invalidTrace;
  path;
  constructor(path2, reason, cause) {
    super(`${path2} is not a valid trace: ${reason}`, { cause });
    this.name = "VizTracerInvalidTraceError";
    this.path = path2;
    Object.defineProperty(this, invalidTraceBrand, { value: true });
  }
  static [Symbol.hasInstance](value) {
    return hasBrand(value, invalidTraceBrand);
  }
};
var traceUnreadableBrand = brandOf("trace-unreadable");
var VizTracerTraceUnreadableError = class extends Error {
  code = ErrorCode.traceUnreadable;
  path;
  constructor(path2, reason, cause) {
    super(`Cannot read the trace ${path2}: ${reason}`, { cause });
    this.name = "VizTracerTraceUnreadableError";
    this.path = path2;
    Object.defineProperty(this, traceUnreadableBrand, { value: true });
    Object.defineProperty(this, invalidTraceBrand, { value: true });
  }
  static [Symbol.hasInstance](value) {
    return hasBrand(value, traceUnreadableBrand);
  }
};
var portInUseBrand = brandOf("port-in-use");
var VizViewerPortInUseError = class extends Error {
  code = ErrorCode.portInUse;
  host;
  port;
  constructor(host, port, cause) {
    super(`Port ${port} on ${host} is already in use; stop the program using it or pick another port with --port`, { cause });
    this.name = "VizViewerPortInUseError";
    this.host = host;
    this.port = port;
    Object.defineProperty(this, portInUseBrand, { value: true });
  }
  static [Symbol.hasInstance](value) {
    return hasBrand(value, portInUseBrand);
  }
};
var listenBrand = brandOf("listen");
var tooLargeBrand = brandOf("too-large");
var VizTracerTraceTooLargeError = class extends RangeError {
  code = ErrorCode.traceTooLarge;
  events;
  limit;
  constructor(events, limit) {
    super(`The trace holds ${events} events, more than traceEvents hands over in memory (${limit}); it was streamed to disk as it was recorded. Read it from the saved file instead (readTraceEvents), or bound the recording with tracerEntries`);
    this.name = "VizTracerTraceTooLargeError";
    this.events = events;
    this.limit = limit;
    Object.defineProperty(this, tooLargeBrand, { value: true });
  }
  static [Symbol.hasInstance](value) {
    return hasBrand(value, tooLargeBrand);
  }
};
var typescriptBrand = brandOf("typescript-syntax");
var TypeScriptSyntaxError = class extends SyntaxError {
  code;
  constructor(code, message, file, line, column, snippet) {
    super(message);
    this.name = "SyntaxError";
    this.code = code;
    Object.defineProperty(this, typescriptBrand, { value: true });
    const where = line === void 0 ? "" : `${file}:${line}
${snippet ?? ""}
`;
    this.stack = `${where}SyntaxError [${code}]: ${message}
    at ${file}${line === void 0 ? "" : `:${line}:${(column ?? 0) + 1}`}`;
  }
  static [Symbol.hasInstance](value) {
    return hasBrand(value, typescriptBrand);
  }
};

// dist/trace-file/make-directories.js
import fs from "node:fs";
import fsp from "node:fs/promises";
import path from "node:path";
function missingDirectories(directory) {
  const missing = [];
  for (let current = path.resolve(directory); ; current = path.dirname(current)) {
    if (fs.existsSync(current)) {
      break;
    }
    missing.unshift(current);
    if (path.dirname(current) === current) {
      break;
    }
  }
  return missing;
}
function makeDirectoriesSync(directory, mode) {
  for (const created of missingDirectories(directory)) {
    try {
      fs.mkdirSync(created, mode === void 0 ? void 0 : { mode });
    } catch (error) {
      if (error.code !== "EEXIST") {
        throw error;
      }
    }
  }
}
async function makeDirectories(directory, mode) {
  for (const created of missingDirectories(directory)) {
    try {
      await fsp.mkdir(created, mode === void 0 ? void 0 : { mode });
    } catch (error) {
      if (error.code !== "EEXIST") {
        throw error;
      }
    }
  }
}

// dist/trace-file/version.js
import { createRequire } from "node:module";
var require2 = createRequire(import.meta.url);
var version = require2("../../package.json").version;
function parseVersion(text) {
  const match = /^v?(\d+)(?:\.(\d+))?(?:\.(\d+))?(?:[-+].*)?$/.exec(text.trim());
  if (!match) {
    return void 0;
  }
  return [Number(match[1]), Number(match[2] ?? 0), Number(match[3] ?? 0)];
}
function isNewer(a, b) {
  for (let index = 0; index < Math.max(a.length, b.length); index++) {
    const difference = (a[index] ?? 0) - (b[index] ?? 0);
    if (difference !== 0) {
      return difference > 0;
    }
  }
  return false;
}

export {
  ErrorCode,
  describeValue,
  VizTracerOptionError,
  VizTracerOptionRangeError,
  VizTracerInvalidPluginError,
  VizPluginError,
  VizTracerStateError,
  VizTracerArgumentError,
  VizTracerSaveError,
  VizTracerUnwritableTraceError,
  VizTracerTraceNotFoundError,
  VizTracerInvalidTraceError,
  VizTracerTraceUnreadableError,
  VizViewerPortInUseError,
  VizTracerTraceTooLargeError,
  TypeScriptSyntaxError,
  missingDirectories,
  makeDirectoriesSync,
  makeDirectories,
  version,
  parseVersion,
  isNewer
};
