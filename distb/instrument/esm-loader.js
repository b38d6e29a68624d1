import {
  createFileFilter,
  createFileInstrumenter,
  instrumentationHook,
  loadContextFor,
  loaderRole,
  transformLoaded
} from "../chunks/chunk-VFUWVP6C.js";
import "../chunks/chunk-SNT263OC.js";
import "../chunks/chunk-SK6HMZ5B.js";

// dist/instrument/esm-loader.js
var instrumenter;
var role = () => "sole";
function initialize(options) {
  instrumentationHook();
  role = loaderRole(options.generation ?? 1);
  instrumenter = {
    accept: createFileFilter(options),
    instrumentFile: createFileInstrumenter(options, (message) => {
      process.stderr.write(`${message}
`);
    })
  };
}
async function load(url, context, nextLoad) {
  if (instrumenter === void 0) {
    return nextLoad(url, context);
  }
  const current = role();
  return transformLoaded(url, await nextLoad(url, loadContextFor(url, context, current)), instrumenter, current, context);
}
export {
  initialize,
  load
};
