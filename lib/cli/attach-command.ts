import {randomBytes} from 'node:crypto';
import path from 'node:path';
import {setTimeout as sleep} from 'node:timers/promises';
import {Command} from 'commander';
import {VizTracerAttachError} from '../core/errors.js';
import {isOutputName, outputNames} from '../tracer/options.js';
import {outputProblem} from '../launch/check-output.js';
import {announcementFile, createControlFile, privateDirectory, processStartTime, processState, readControlFile, removeControlFile, requestFile, statusFile, writeControlFile, type Announcement, type AttachRequest, type AttachStatus} from '../launch/attach-files.js';
import type {CliOutput} from './parse-args.js';
import {parseCommand} from './parse-command.js';

// A process waiting for attach answers from its event loop, normally within a few milliseconds.
const answerTimeoutMillis = 10_000;
const pollMillis = 25;

function buildProgram(io: CliOutput): Command {
	return new Command('viztracer attach')
		.usage('[options] <pid>')
		.description('Records a while in a running process started with `viztracer --on-demand` (or `VIZTRACER_ON_DEMAND=1 node --import viztracer/register`), then saves the trace. Only the process\'s owner can attach; one attach at a time.')
		.helpOption('-h, --help', 'print this help and exit')
		.option('-t, --duration <seconds>', 'stop recording after this many seconds (default: on Ctrl-C)')
		.option('-o, --output-file <file>', 'where the process writes the trace (.json, .json.gz, .html or .vizt)', 'result.json')
		.option('-q, --quiet', 'print nothing but errors')
		.argument('<pid>', 'the process to record')
		.exitOverride()
		.configureOutput({writeOut: io.stdout, writeErr: io.stderr})
		.showHelpAfterError('(run viztracer attach --help for usage)');
}

type Flags = {duration?: string; outputFile: string; quiet?: boolean};

/** The process's announcement, checked to be this very process (not a recycled pid). */
function announcementOf(directory: string, pid: number): Announcement | undefined {
	const found = readControlFile(announcementFile(directory, pid)) as Partial<Announcement> | undefined;
	if (found?.pid !== pid) {
		return undefined;
	}

	const startTime = processStartTime(pid);
	return startTime !== undefined && found.startTime !== undefined && found.startTime !== startTime ? undefined : found as Announcement;
}

/** Takes the process's request file, which is also the lock; a lock whose attach command is gone is taken over. */
function lock(directory: string, pid: number, request: AttachRequest): void {
	const file = requestFile(directory, pid);
	for (let attempt = 0; attempt < 2; attempt++) {
		if (createControlFile(file, request)) {
			return;
		}

		const held = readControlFile(file) as Partial<AttachRequest> | undefined;
		if (typeof held?.attacher === 'number' && held.cancelled !== true && processState(held.attacher) !== 'gone') {
			throw new VizTracerAttachError(`process ${pid} is already being recorded by viztracer attach (process ${held.attacher}); wait for it to end, or stop it with Ctrl-C there`);
		}

		removeControlFile(file);
	}

	throw new VizTracerAttachError(`could not take ${file}: another viztracer attach is starting`);
}

function statusOf(directory: string, pid: number, session: string): AttachStatus | undefined {
	try {
		const status = readControlFile(statusFile(directory, pid)) as AttachStatus | undefined;
		return status?.session === session ? status : undefined;
	} catch {
		return undefined;
	}
}

/** `viztracer attach <pid>`; returns the exit code (2: bad usage, 1: the attach failed). */
export async function attachMain(argv: string[], io: CliOutput): Promise<number> {
	const program = buildProgram(io);
	const answered = parseCommand(program, argv);
	if (answered !== undefined) {
		return answered;
	}

	const [pidText] = program.processedArgs as [string];
	const flags = program.opts<Flags>();
	const pid = Number(pidText);
	if (!/^\d+$/.test(pidText.trim()) || !Number.isSafeInteger(pid) || pid <= 0) {
		io.stderr(`viztracer attach: invalid pid ${JSON.stringify(pidText)}: expected a process id (a positive integer)\n`);
		return 2;
	}

	let duration: number | undefined;
	if (flags.duration !== undefined) {
		duration = Number(flags.duration);
		if (flags.duration.trim() === '' || !Number.isFinite(duration) || duration <= 0 || duration > 86_400) {
			io.stderr(`viztracer attach: invalid --duration ${flags.duration}: expected a number of seconds > 0 (at most 86400)\n`);
			return 2;
		}
	}

	const output = path.resolve(flags.outputFile);
	if (!isOutputName(output)) {
		io.stderr(`viztracer attach: invalid --output-file ${flags.outputFile}: expected ${outputNames}\n`);
		return 2;
	}

	const problem = outputProblem(output);
	if (problem !== undefined) {
		io.stderr(`viztracer attach: invalid --output-file ${flags.outputFile}: ${problem}\n`);
		return 2;
	}

	const say = (text: string) => {
		if (flags.quiet !== true) {
			io.stderr(`viztracer: ${text}\n`);
		}
	};

	let directory: string | undefined;
	let session: AttachRequest | undefined;
	let interrupt: Interrupt | undefined;
	try {
		const state = processState(pid);
		if (state === 'gone') {
			throw new VizTracerAttachError(`no process ${pid}`);
		}

		if (state === 'other-user') {
			throw new VizTracerAttachError(`process ${pid} belongs to another user: only its owner can attach to it`);
		}

		directory = privateDirectory();
		// Without the announcement, SIGUSR2 would kill a program that does not expect it.
		if (announcementOf(directory, pid) === undefined) {
			throw new VizTracerAttachError(`process ${pid} is not waiting for viztracer attach: start it with \`viztracer --on-demand script.js\` or \`VIZTRACER_ON_DEMAND=1 node --import viztracer/register script.js\` (and the same TMPDIR: its announcement would be in ${directory})`);
		}

		session = {session: randomBytes(8).toString('hex'), attacher: process.pid, output, duration};
		lock(directory, pid, session);
		// Listening before the request is made: a Ctrl-C that comes as soon as "recording" is printed (or before) is never the default action, which would leave the process recording with nobody to save for.
		interrupt = new Interrupt(pid, say);
		const recording = await start(directory, pid, session);
		if (recording.state === 'failed') {
			throw new VizTracerAttachError(`process ${pid} did not start recording: ${recording.error ?? 'no reason given'}`);
		}

		say(`recording process ${pid}${duration === undefined ? ' until Ctrl-C' : ` for ${duration} s (Ctrl-C stops it sooner)`}`);
		interrupt.recording();
		const ended = await waitForEnd(directory, pid, session, interrupt);
		if (ended.state === 'failed') {
			throw new VizTracerAttachError(`process ${pid} could not save the trace: ${ended.error ?? 'no reason given'}`);
		}

		say(`saved the trace of process ${pid} to ${ended.file ?? output}`);
		return 0;
	} catch (error) {
		if (error instanceof VizTracerAttachError) {
			io.stderr(`viztracer attach: ${error.message}\n`);
			return 1;
		}

		throw error;
	} finally {
		interrupt?.close();
		if (directory !== undefined && session !== undefined) {
			const held = requestFile(directory, pid);
			try {
				// A voided request stays for the process to find, should it get to the signal after all.
				const request = readControlFile(held) as Partial<AttachRequest> | undefined;
				if (request?.session === session.session && request.cancelled !== true) {
					removeControlFile(held);
				}

				if (statusOf(directory, pid, session.session) !== undefined) {
					removeControlFile(statusFile(directory, pid));
				}
			} catch {}
		}
	}
}

/** Wakes the process and waits for it to take the request. */
async function start(directory: string, pid: number, session: AttachRequest): Promise<AttachStatus> {
	try {
		process.kill(pid, 'SIGUSR2');
	} catch (error) {
		throw new VizTracerAttachError(`cannot signal process ${pid}: ${(error as Error).message}`);
	}

	const deadline = Date.now() + answerTimeoutMillis;
	while (Date.now() < deadline) {
		const status = statusOf(directory, pid, session.session);
		if (status !== undefined) {
			return status;
		}

		if (processState(pid) === 'gone') {
			throw new VizTracerAttachError(`process ${pid} ended before it started recording`);
		}

		// eslint-disable-next-line no-await-in-loop
		await sleep(pollMillis);
	}

	// Void the request, or the process would start recording whenever it gets to the signal.
	writeControlFile(requestFile(directory, pid), {...session, cancelled: true});
	throw new VizTracerAttachError(`process ${pid} did not answer within ${answerTimeoutMillis / 1000} s (is its event loop blocked?)`);
}

/**
 * Ctrl-C (or SIGTERM) here asks the process to stop and save; one that
 * comes before it has started recording is kept until it has.
 */
class Interrupt {
	#asked = false;
	#recording = false;
	readonly #pid: number;
	readonly #say: (text: string) => void;
	readonly #listener = () => {
		this.stop();
	};

	constructor(pid: number, say: (text: string) => void) {
		this.#pid = pid;
		this.#say = say;
		process.on('SIGINT', this.#listener);
		process.on('SIGTERM', this.#listener);
	}

	/** The process has started recording: a stop asked before is sent now. */
	recording(): void {
		this.#recording = true;
		if (this.#asked) {
			this.#send();
		}
	}

	stop(): void {
		if (this.#asked) {
			return;
		}

		this.#asked = true;
		this.#say(`stopping the recording of process ${this.#pid}`);
		if (this.#recording) {
			this.#send();
		}
	}

	close(): void {
		process.removeListener('SIGINT', this.#listener);
		process.removeListener('SIGTERM', this.#listener);
	}

	// Once at most: stop() asks once, and the recording starts once.
	#send(): void {
		try {
			process.kill(this.#pid, 'SIGUSR2');
		} catch {}
	}
}

/** Waits for the recording to end (its duration, or Ctrl-C here) and be saved. */
async function waitForEnd(directory: string, pid: number, session: AttachRequest, interrupt: Interrupt): Promise<AttachStatus> {
	// The process ends a recording of a set duration itself; this is in case its timer could not run.
	const overdue = session.duration === undefined ? Number.POSITIVE_INFINITY : Date.now() + (session.duration * 1000) + answerTimeoutMillis;
	for (;;) {
		const status = statusOf(directory, pid, session.session);
		if (status?.state === 'saved' || status?.state === 'failed') {
			return status;
		}

		if (processState(pid) === 'gone') {
			// Its exit saved the recording, and said so just before.
			const last = statusOf(directory, pid, session.session);
			if (last?.state === 'saved' || last?.state === 'failed') {
				return last;
			}

			throw new VizTracerAttachError(`process ${pid} ended before the trace was saved`);
		}

		if (status?.state === 'recording' && Date.now() > overdue) {
			interrupt.stop();
		}

		// eslint-disable-next-line no-await-in-loop
		await sleep(pollMillis);
	}
}
