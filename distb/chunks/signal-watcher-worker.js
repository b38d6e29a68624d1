import {
  heardSlot,
  processedSlot,
  watcherState
} from "../chunks/chunk-LYHSUNCG.js";
import "../chunks/chunk-SK6HMZ5B.js";

// dist/launch/signal-watcher-worker.js
import inspector from "node:inspector";
import { createRequire } from "node:module";
import { parentPort, workerData } from "node:worker_threads";
var data = workerData;
var state = new Int32Array(data.state);
var idleGraceMillis = 50;
var deathGraceMillis = 1e3;
function signalBinding() {
  const emitWarning = process.emitWarning;
  process.emitWarning = () => {
  };
  try {
    const loaders = [
      () => createRequire(import.meta.url)("internal/test/binding").internalBinding("signal_wrap"),
      () => process.binding("signal_wrap")
    ];
    for (const load of loaders) {
      try {
        const binding2 = load();
        if (typeof binding2?.Signal === "function") {
          return binding2;
        }
      } catch {
      }
    }
    return void 0;
  } finally {
    process.emitWarning = emitWarning;
  }
}
function watch(binding2) {
  const sessions = /* @__PURE__ */ new Set();
  const interrupt = (index, signal) => {
    if (Atomics.load(state, processedSlot(index)) >= Atomics.load(state, heardSlot(index))) {
      return;
    }
    try {
      const session = new inspector.Session();
      session.connectToMainThread();
      sessions.add(session);
      session.post("Runtime.evaluate", { expression: `process.emit(Symbol.for(${JSON.stringify(data.eventKey)}), ${JSON.stringify(signal)})`, silent: true }, () => {
        sessions.delete(session);
        session.disconnect();
      });
    } catch {
    }
  };
  const handles = [];
  for (const [index, [signal, signum]] of data.signals.entries()) {
    const handle = new binding2.Signal();
    handle.onsignal = () => {
      Atomics.add(state, heardSlot(index), 1);
      setTimeout(interrupt, idleGraceMillis, index, signal);
    };
    if (handle.start(signum) === 0) {
      handles.push(handle);
    } else {
      handle.close();
    }
  }
  parentPort.on("message", (signal) => {
    for (const handle of handles) {
      handle.close();
    }
    try {
      process.kill(process.pid, signal);
      Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, deathGraceMillis);
    } finally {
      for (const session of sessions) {
        session.disconnect();
      }
      Atomics.store(state, 0, watcherState.released);
      Atomics.notify(state, 0);
      parentPort.close();
    }
  });
  if (Atomics.compareExchange(state, 0, watcherState.starting, watcherState.watching) === watcherState.starting) {
    Atomics.notify(state, 0);
  } else {
    for (const handle of handles) {
      handle.close();
    }
    parentPort.close();
  }
}
var binding = Atomics.load(state, 0) === watcherState.starting ? signalBinding() : void 0;
if (binding === void 0) {
  Atomics.compareExchange(state, 0, watcherState.starting, watcherState.unavailable);
  Atomics.notify(state, 0);
  parentPort.close();
} else {
  watch(binding);
}
