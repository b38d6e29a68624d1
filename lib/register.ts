// `node --import viztracer/register app.js`: instruments every module loaded
// after this one and traces the whole program, configured by `VIZTRACER_*`
// environment variables (the CLI sets them for the processes it starts);
// the trace is saved when the process exits.
import {optionsFromEnvironment} from './cli/environment.js';
import {saveOnExit} from './cli/run-script.js';
import {cacheOptions} from './cli/cache-options.js';
import {getTracer} from './current-tracer.js';
import {instrument} from './instrument/install.js';
import {VizTracer} from './tracer.js';

// Loaded twice (a preload and an import), or under the CLI: one tracer is enough.
if (getTracer() === undefined) {
	const tracer = new VizTracer(optionsFromEnvironment(process.env));
	instrument({
		includeFiles: tracer.options.includeFiles,
		excludeFiles: tracer.options.excludeFiles,
		includeNodeModules: tracer.options.includeNodeModules,
		logFuncArgs: tracer.options.logFuncArgs,
		logFuncRetval: tracer.options.logFuncRetval,
		logException: tracer.options.logException,
		...cacheOptions(process.env),
	});
	saveOnExit(tracer, {stdout: text => process.stdout.write(text), stderr: text => process.stderr.write(text)});
	tracer.start();
}
