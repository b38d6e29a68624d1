// `node --import viztracer/hooks`: installs the instrumentation only (options
// from `VIZTRACER_*` variables), without starting a tracer. For runners that
// start tracers of their own after the code is loaded, such as `viztracer/ava`
// with ava's `nodeArguments`, so statically imported modules are traced too.
import {optionsFromEnvironment} from '../launch/environment.js';
import {instrumentFor} from '../launch/instrument-for.js';
import {exitOnSetupError} from '../launch/preload-guard.js';

instrumentFor(exitOnSetupError(() => optionsFromEnvironment(process.env)), process.env);
