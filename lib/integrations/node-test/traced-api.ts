// What `import … from 'node:test'` resolves to under `viztracer/node-test`
// (the loader redirects it here): the traced API the preload built.
import original from 'node:test';

const apiKey = Symbol.for('viztracer.nodeTestApi');
const api = ((globalThis as Record<symbol, unknown>)[apiKey] ?? original) as typeof original & Record<string, any>;

export default api;
export const {after, afterEach, before, beforeEach, describe, it, mock, only, run, skip, suite, test, todo} = api;
// Newer Node versions have these; undefined on Node 20.
export const snapshot: unknown = api['snapshot'];
export const assert: unknown = api['assert'];
