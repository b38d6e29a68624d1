// `onDemand`: the program runs instrumented but records nothing until asked.
// SIGUSR2 asks. With a request from `viztracer attach` in the control
// directory (attach-files.ts), the recording goes where the request says and
// ends after its duration, when the attach command is gone or on the next
// SIGUSR2 (which is how its Ctrl-C stops it); without one, a plain
// `kill -USR2 <pid>` starts a recording and the next one saves it to the
// tracer's own output file. Then the process waits again, as before.

import path from 'node:path';
import {withIntrinsics} from '../core/intrinsics.js';
import type {VizTracer} from '../tracer/tracer.js';
import {version} from '../trace-file/version.js';
import {announcementFile, privateDirectory, processStartTime, processState, readControlFile, removeControlFile, requestFile, statusFile, writeControlFile, type AttachRequest, type AttachStatus} from './attach-files.js';

type Output = {stderr: (text: string) => void};

type Session = {
	request: AttachRequest | undefined;
	output: string;
	timers: Array<ReturnType<typeof setTimeout>>;
};

export type OnDemand = {
	/** At exit: a recording under way is saved (synchronously) and the announcement removed. */
	finish(): void;
};

// How often a recording checks that its attach command still lives.
const attacherCheckMillis = 500;

const isRequest = (value: unknown): value is AttachRequest => {
	const request = value as Partial<AttachRequest> | undefined;
	return typeof request === 'object' && request !== null && typeof request.session === 'string' && Number.isInteger(request.attacher)
		&& typeof request.output === 'string' && path.isAbsolute(request.output)
		&& (request.duration === undefined || request.duration === null || (typeof request.duration === 'number' && request.duration > 0));
};

/**
 * Announces that this process waits for `viztracer attach` and answers
 * SIGUSR2. The tracer must not be started: each recording starts and stops it.
 */
export function waitForAttach(tracer: VizTracer, io: Output): OnDemand {
	const directory = privateDirectory();
	const {pid} = process;
	const announcement = announcementFile(directory, pid);
	writeControlFile(announcement, {pid, startTime: processStartTime(pid), output: path.resolve(tracer.options.outputFile), version});
	const verbose = tracer.options.verbose > 0;
	let session: Session | undefined;
	// The recording being written, while it is.
	let saving: Session | undefined;

	const answer = (request: AttachRequest | undefined, status: Omit<AttachStatus, 'session'>) => {
		if (request !== undefined) {
			try {
				writeControlFile(statusFile(directory, pid), {session: request.session, ...status});
			} catch (error) {
				io.stderr(`viztracer: cannot answer viztracer attach: ${(error as Error).message}\n`);
			}
		}
	};

	const begin = () => {
		let request: AttachRequest | undefined;
		try {
			const found = readControlFile(requestFile(directory, pid));
			if (found !== undefined && !isRequest(found)) {
				io.stderr(`viztracer: ignored SIGUSR2: ${requestFile(directory, pid)} is not a request of viztracer attach\n`);
				return;
			}

			request = found;
		} catch (error) {
			io.stderr(`viztracer: ignored SIGUSR2: ${(error as Error).message}\n`);
			return;
		}

		// The attach command gave up waiting (this process was busy): its request is void.
		if (request?.cancelled === true) {
			removeControlFile(requestFile(directory, pid));
			return;
		}

		if (saving !== undefined) {
			answer(request, {state: 'failed', error: 'the previous recording is still being saved; try again in a moment'});
			return;
		}

		const output = request?.output ?? path.resolve(tracer.options.outputFile);
		try {
			tracer.start();
		} catch (error) {
			answer(request, {state: 'failed', error: `cannot start recording: ${(error as Error).message}`});
			io.stderr(`viztracer: cannot start recording: ${(error as Error).message}\n`);
			return;
		}

		const current: Session = {request, output, timers: []};
		session = current;
		answer(request, {state: 'recording'});
		if (request === undefined) {
			if (verbose) {
				io.stderr(`viztracer: recording (process ${pid}); send SIGUSR2 again to stop and save to ${output}\n`);
			}

			return;
		}

		if (typeof request.duration === 'number') {
			current.timers.push(setTimeout(() => {
				end(current);
			}, request.duration * 1000).unref());
		}

		// Killed or gone without a word: the recording it asked for still ends, and is saved where it asked.
		current.timers.push(setInterval(() => {
			if (processState(request.attacher) === 'gone') {
				end(current);
			}
		}, attacherCheckMillis).unref());
	};

	const end = (ended: Session) => {
		if (session !== ended) {
			return;
		}

		session = undefined;
		for (const timer of ended.timers) {
			clearTimeout(timer);
		}

		tracer.stop();
		answer(ended.request, {state: 'saving'});
		// Saved without blocking the event loop: the program serves on meanwhile. The entries were copied first.
		saving = ended;
		void tracer.saveAsync(ended.output).then(file => {
			answer(ended.request, {state: 'saved', file});
		}, (error: unknown) => {
			answer(ended.request, {state: 'failed', error: `cannot save the trace: ${(error as Error).message}`});
			io.stderr(`viztracer: cannot save the trace to ${ended.output}: ${(error as Error).message}\n`);
		}).finally(() => {
			tracer.clear();
			saving = undefined;
		});
	};

	process.on('SIGUSR2', () => {
		withIntrinsics(() => {
			if (session === undefined) {
				begin();
			} else {
				end(session);
			}
		});
	});

	return {
		finish() {
			const ended = session;
			session = undefined;
			try {
				if (ended !== undefined) {
					for (const timer of ended.timers) {
						clearTimeout(timer);
					}

					tracer.stop();
					try {
						const file = tracer.save(ended.output);
						answer(ended.request, {state: 'saved', file});
					} catch (error) {
						answer(ended.request, {state: 'failed', error: `cannot save the trace: ${(error as Error).message}`});
						throw error;
					}
				} else if (saving !== undefined) {
					// The process ends while a recording is being written: what the tracer holds is written now, at once.
					const file = tracer.save(saving.output);
					answer(saving.request, {state: 'saved', file});
				}
			} finally {
				removeControlFile(announcement);
				tracer.terminate();
			}
		},
	};
}
