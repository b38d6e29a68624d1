// cli/: the commands: `viztracer` (this file: parse, run the script or
// --combine), `viztracer stats`, `viztracer convert` and `vizviewer`. On
// top of every room; nothing but bin/ imports it.

import path from 'node:path';
import {VizPluginError, VizTracerAttachError, VizTracerInvalidPluginError, VizTracerOptionError} from '../core/errors.js';
import {resolveOptions, type VizTracerOptions} from '../tracer/options.js';
import {VizTracer} from '../tracer/tracer.js';
import {flagOf, parseArgs, type CliOutput} from './parse-args.js';
import {outputProblem} from '../launch/check-output.js';
import {findScript} from './find-script.js';
import {instrumentFor} from '../launch/instrument-for.js';
import {resolveBin} from './resolve-bin.js';
import {runMain, saveOnExit} from '../launch/run-script.js';
import {checkUserCodeOnSave} from '../launch/user-code-check.js';
import {testRunnerOf} from './test-runners.js';
import {vitestRun} from './vitest-run.js';
import {jestRun} from './jest-run.js';
import {pickInstrumentationOptions} from '../instrument/config.js';
import {startSignalWatcher} from '../launch/signal-watcher.js';
import {traceChildrenOf} from '../multiprocess/child-tracing.js';
import {waitForAttach, type OnDemand} from '../launch/on-demand.js';
import {unsupportedNodeReason} from '../launch/node-support.js';

const processOutput: CliOutput = {
	stdout: text => process.stdout.write(text),
	stderr: text => process.stderr.write(text),
};

/** For the commands that print (not the traced program's streams): a reader that stops early, as `viztracer stats t.json | head` does, is no error. */
function endQuietlyOnClosedPipe(io: CliOutput): void {
	if (io === processOutput) {
		process.stdout.on('error', (error: NodeJS.ErrnoException) => {
			if (error.code !== 'EPIPE') {
				throw error;
			}

			process.exit();
		});
	}
}

/**
 * `viztracer [options] [--] script.js [args...]`. Sets `process.exitCode`
 * for its own failures (2: bad usage, 1: a plugin or the script cannot be
 * loaded) and never calls `process.exit()`, so the traced script's exit code
 * is what the process exits with.
 */
export async function main(argv: string[], io: CliOutput = processOutput): Promise<void> {
	// A subcommand, not a script: `viztracer ./stats` or `viztracer -- stats` still runs a script named stats.
	if (argv[0] === 'stats' || argv[0] === 'convert' || argv[0] === 'attach') {
		endQuietlyOnClosedPipe(io);
	}

	// The commands that run no program are loaded only when asked for: a traced run does not pay for their code.
	if (argv[0] === 'stats') {
		const {statsMain} = await import('./stats-command.js');
		process.exitCode = await statsMain(argv.slice(1), io);
		return;
	}

	if (argv[0] === 'attach') {
		const {attachMain} = await import('./attach-command.js');
		process.exitCode = await attachMain(argv.slice(1), io);
		return;
	}

	if (argv[0] === 'convert') {
		const {convertMain} = await import('./convert-command.js');
		process.exitCode = convertMain(argv.slice(1), io);
		return;
	}

	const request = parseArgs(argv, io);
	if (request.kind === 'exit') {
		// `viztracer --help | head`: the help was written; the reader leaving early is no error.
		endQuietlyOnClosedPipe(io);
		process.exitCode = request.code;
		return;
	}

	if (request.kind === 'combine') {
		const {combineCommand} = await import('./combine-command.js');
		process.exitCode = combineCommand(request, io);
		return;
	}

	const unsupported = unsupportedNodeReason();
	if (unsupported !== undefined) {
		io.stderr(`viztracer: ${unsupported}\n`);
		process.exitCode = 1;
		return;
	}

	let script = path.resolve(request.script);
	let tracer: VizTracer;
	try {
		// Options are checked before the script is looked for, and plugins are loaded only once both are good.
		const {outputFile} = resolveOptions(request.options);
		if (request.bin) {
			const bin = resolveBin(request.script, process.cwd());
			if ('error' in bin) {
				io.stderr(`viztracer: ${bin.error}\n`);
				process.exitCode = 1;
				return;
			}

			script = bin.file;
			const runner = testRunnerOf(script);
			// A bin lives in node_modules: tracing it means tracing its package. A test runner's bin is there to run the tests, which are traced without it.
			request.options.includeNodeModules ??= runner === undefined;
			if (runner !== undefined) {
				const {logAsync, ...rest} = pickInstrumentationOptions(resolveOptions(request.options));
				// The CLI's own options, for the runner's transform (its workers get them in their environment, the runner's own process does not).
				const instrumentation = {...rest, logAsync: logAsync !== false && logAsync !== undefined};
				const run = runner === 'vitest'
					? vitestRun(request.scriptArgs, process.cwd(), instrumentation)
					: jestRun(request.scriptArgs, process.cwd(), script, instrumentation);
				if ('error' in run) {
					io.stderr(`viztracer: ${run.error}\n`);
					process.exitCode = 2;
					return;
				}

				process.once('exit', () => run.remove());
				request.scriptArgs = run.args;
			}
		} else {
			const found = findScript(request.script, process.cwd());
			if ('error' in found) {
				io.stderr(`viztracer: ${found.error}\n`);
				process.exitCode = found.code;
				return;
			}

			script = found.file;
		}

		// Before the program runs, so a trace that could not be written never costs the run (nor waits for it).
		const problem = outputProblem(outputFile);
		if (problem !== undefined) {
			io.stderr(`viztracer: invalid ${flagOf.outputFile} ${outputFile}: ${problem}\n`);
			process.exitCode = 2;
			return;
		}

		// It boots while the plugins and hooks are set up.
		startSignalWatcher();
		tracer = new VizTracer(request.options);
	} catch (error) {
		if (error instanceof VizTracerOptionError) {
			const option = error.option.replace(/\[\d+\]$/, '') as keyof VizTracerOptions;
			io.stderr(`viztracer: invalid ${flagOf[option] ?? error.option}: ${error.message}\n`);
			process.exitCode = 2;
			return;
		}

		if (error instanceof VizPluginError || error instanceof VizTracerInvalidPluginError) {
			io.stderr(`viztracer: cannot load plugin: ${error.message}\n`);
			process.exitCode = 1;
			return;
		}

		throw error;
	}

	instrumentFor(tracer.options, process.env);
	if (request.traceChildren) {
		traceChildrenOf(tracer, io.stderr);
	}

	let onDemand: OnDemand | undefined;
	if (tracer.options.onDemand) {
		try {
			onDemand = waitForAttach(tracer, io);
		} catch (error) {
			if (error instanceof VizTracerAttachError) {
				io.stderr(`viztracer: --on-demand: ${error.message}\n`);
				process.exitCode = 1;
				tracer.terminate();
				return;
			}

			throw error;
		}
	} else {
		checkUserCodeOnSave(tracer, {script, run: request.bin}, io.stderr);
	}

	saveOnExit(tracer, io, onDemand);
	process.argv[1] = script;
	try {
		if (onDemand === undefined) {
			tracer.start();
		}
	} catch (error) {
		// A plugin failing at pre-start: one line naming it, and the script does not run untraced.
		if (error instanceof VizPluginError) {
			io.stderr(`viztracer: ${error.message}\n`);
			process.exitCode = 1;
			try {
				tracer.terminate();
			} catch {}

			return;
		}

		throw error;
	}

	runMain(script, request.scriptArgs);
}
