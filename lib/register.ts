// `node --import viztracer/register app.js`: instruments every module loaded
// after this one and traces the whole program, configured by `VIZTRACER_*`
// environment variables; the trace is saved when the process (or, in a worker
// thread, the thread) exits. Under the CLI, child processes and worker
// threads load this too, and write partial traces the parent merges.
import {isMainThread} from 'node:worker_threads';
import {instrumentFor} from './cli/instrument-for.js';
import {optionsFromEnvironment} from './cli/environment.js';
import {saveOnExit} from './cli/run-script.js';
import {getTracer} from './current-tracer.js';
import {childDirectoryVariable, leaveParentOnTerminate, prepareChildOptions, traceChildrenOf} from './multiprocess/child-tracing.js';
import {VizTracer} from './tracer.js';

// Loaded twice (a preload and an import), or under the CLI: one tracer is enough.
if (getTracer() === undefined) {
	const options = optionsFromEnvironment(process.env);
	const childDirectory = process.env[childDirectoryVariable];
	if (childDirectory) {
		prepareChildOptions(options, childDirectory);
	}

	const tracer = new VizTracer(options);
	if (childDirectory) {
		leaveParentOnTerminate(tracer, childDirectory);
	}

	instrumentFor(tracer.options, process.env);
	const io = {stdout: (text: string) => process.stdout.write(text), stderr: (text: string) => process.stderr.write(text)};
	// The first traced process of a tree collects its children's traces, as the CLI does.
	if (!childDirectory && isMainThread && !['0', 'false'].includes(process.env['VIZTRACER_TRACE_CHILDREN'] ?? '')) {
		traceChildrenOf(tracer, io.stderr);
	}

	saveOnExit(tracer, io);
	tracer.start();
}
