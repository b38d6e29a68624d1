// `node --test --import viztracer/node-test`: instruments the test files and
// writes one trace per test into `VIZTRACER_OUTPUT_DIR` (default
// `viztracer-traces/`), configured by `VIZTRACER_*` variables (see
// lib/cli/test-environment.ts). Both `import … from 'node:test'` and
// `require('node:test')` get a copy of the API whose tests are traced.
import Module, {createRequire} from 'node:module';
import path from 'node:path';
import {instrumentFor} from '../launch/instrument-for.js';
import {exitOnSetupError} from '../launch/preload-guard.js';
import {testTracingFromEnvironment} from './test-environment.js';
import {tracedNodeTest} from './node-test/wrap.js';
import {TestTracing} from './test-tracing.js';
import {distUrl} from '../core/dist-url.js';

const apiKey = Symbol.for('viztracer.nodeTestApi');
const state = globalThis as Record<symbol, unknown>;

// `node --test` loads this preload in the runner process too, which runs no tests;
// only the processes that run a test file (`--test` is not in their arguments) trace.
if (state[apiKey] === undefined && !process.execArgv.includes('--test')) {
	const tracing = new TestTracing(exitOnSetupError(() => testTracingFromEnvironment(process.env)));
	const {tracerOptions: options} = tracing.settings;
	instrumentFor(options, process.env);

	const original = createRequire(import.meta.url)('node:test') as (...args: unknown[]) => unknown;
	const script = process.argv[1];
	const api = tracedNodeTest(original, tracing, script ? path.resolve(script) : '');
	state[apiKey] = api;

	// CommonJS: `require('node:test')` returns the traced API.
	const loader = Module as unknown as {_load: (request: string, ...rest: unknown[]) => unknown};
	const load = loader._load;
	loader._load = function (request: string, ...rest: unknown[]) {
		return request === 'node:test' ? api : load.call(this, request, ...rest);
	};

	// ES modules: the loader redirects `node:test` to traced-api.js.
	Module.register(distUrl('integrations/node-test/loader.js', import.meta.url), {data: {tracedUrl: distUrl('integrations/node-test/traced-api.js', import.meta.url).href}});
}
