// What only a cache miss (or a rarer case) needs: the parser, the transform,
// the source-map libraries and the glob matcher. Loading them costs about
// 20 ms a thread, which a warm run would pay for nothing, so the build
// bundles this file with its dependencies into dist/instrument/cold-path.cjs,
// which cold-path-loader.ts compiles on first use. Bundled, the instances
// are private: a program that loads acorn or picomatch itself gets its own
// (instrumented, when node_modules are), never ours, and ours never go
// through the hooks that are calling them.
export {parse} from 'acorn';
export {default as picomatch} from 'picomatch';
export {originalPositionFor, TraceMap} from '@jridgewell/trace-mapping';
export {composeSourceMaps, originalPositionLookup} from './source-map-chain.js';
export {instrumentSource} from './transform.js';
export {useNativeParser} from './parse-program.js';
