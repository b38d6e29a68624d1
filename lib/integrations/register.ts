// integrations/: the entry points users preload or import: viztracer/register
// (this file), viztracer/hooks, viztracer/node-test and viztracer/ava, with
// the per-test tracing they share. Thin: they wire launch/, multiprocess/
// and the tracer together.

// `node --import viztracer/register app.js`: instruments every module loaded
// after this one and traces the whole program, configured by `VIZTRACER_*`
// environment variables; the trace is saved when the process (or, in a worker
// thread, the thread) exits. Under the CLI, child processes and worker
// threads load this too, and write partial traces the parent merges.
// A bad variable stops the program before it runs, with one line naming it.
import fs from 'node:fs';
import path from 'node:path';
import {isMainThread} from 'node:worker_threads';
import {VizPluginError, VizTracerOptionError} from '../core/errors.js';
import {outputProblem} from '../launch/check-output.js';
import {instrumentFor} from '../launch/instrument-for.js';
import {environmentName, optionsFromEnvironment} from '../launch/environment.js';
import {exitOnSetupError} from '../launch/preload-guard.js';
import {saveOnExit} from '../launch/run-script.js';
import {waitForAttach} from '../launch/on-demand.js';
import {checkUserCodeOnSave} from '../launch/user-code-check.js';
import {unsupportedNodeReason} from '../launch/node-support.js';
import {startSignalWatcher} from '../launch/signal-watcher.js';
import {defaultOptions} from '../tracer/options.js';
import {childDirectoryVariable, leaveParentOnTerminate, prepareChildOptions, traceChildrenOf} from '../multiprocess/child-tracing.js';
import {getTracer, VizTracer} from '../tracer/tracer.js';

const unsupported = unsupportedNodeReason();
if (unsupported !== undefined) {
	// The program is not viztracer's to stop: it runs, untraced.
	fs.writeSync(2, `viztracer: warning: ${unsupported}; the program runs untraced\n`);
} else if (getTracer() === undefined) {
	// Loaded twice (a preload and an import), or under the CLI: one tracer is enough.
	// It boots while the tracer and hooks are set up.
	startSignalWatcher();
	const childDirectory = process.env[childDirectoryVariable];
	const tracer = exitOnSetupError(() => {
		const options = optionsFromEnvironment(process.env);
		if (childDirectory) {
			prepareChildOptions(options, childDirectory);
		}

		// As the CLI checks -o: a trace that cannot be written must not cost the run. A child writes where its parent made room.
		const outputFile = options.outputFile ?? defaultOptions.outputFile;
		const problem = childDirectory || !isMainThread ? undefined : outputProblem(outputFile);
		if (problem !== undefined) {
			const variable = environmentName('outputFile');
			throw new VizTracerOptionError(variable, process.env[variable], 'a file that can be written', `Cannot write the trace to ${outputFile} (${variable} sets where): ${problem}`);
		}

		return new VizTracer(options);
	});

	if (childDirectory) {
		leaveParentOnTerminate(tracer, childDirectory);
	}

	instrumentFor(tracer.options, process.env);
	const io = {stdout: (text: string) => process.stdout.write(text), stderr: (text: string) => process.stderr.write(text)};
	// The first traced process of a tree collects its children's traces, as the CLI does.
	// (Not with the flight recorder, which writes this process's recent past only.)
	// (Nor waiting for attach, which records this process when asked.)
	const onDemand = !childDirectory && isMainThread && tracer.options.onDemand;
	if (!childDirectory && isMainThread && tracer.options.flightRecorder === undefined && !onDemand && !['0', 'false'].includes(process.env['VIZTRACER_TRACE_CHILDREN'] ?? '')) {
		traceChildrenOf(tracer, io.stderr);
	}

	// The program is the main module Node was asked to run (none under `node -e`, or a REPL).
	const script = process.argv[1];
	if (!childDirectory && isMainThread && script !== undefined && !onDemand) {
		checkUserCodeOnSave(tracer, {script: path.resolve(script)}, io.stderr);
	}

	const waiting = onDemand ? exitOnSetupError(() => waitForAttach(tracer, io)) : undefined;
	exitOnSetupError(() => {
		try {
			if (waiting === undefined) {
				tracer.start();
			}
		} catch (error) {
			// A plugin failing at pre-start: the program does not run untraced, and no empty trace is written.
			if (error instanceof VizPluginError) {
				try {
					tracer.terminate();
				} catch {}
			}

			throw error;
		}
	});
	saveOnExit(tracer, io, waiting);
}
