import {pickInstrumentationOptions} from '../instrument/config.js';
import {instrument} from '../instrument/install.js';
import type {VizTracerOptions} from '../tracer/options.js';
import {cacheOptions} from './cache-options.js';

/**
 * Installs the loader hooks configured by a tracer's options (the ones that
 * shape instrumentation) and the cache variables of `environment`: what the
 * CLI, `viztracer/register` and the test integrations all do before loading
 * the code to trace.
 */
export function instrumentFor(options: VizTracerOptions, environment: NodeJS.ProcessEnv): boolean {
	return instrument({...pickInstrumentationOptions(options), ...cacheOptions(environment)});
}
