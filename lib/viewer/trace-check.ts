import fs from 'node:fs';
import {VizTracerInvalidTraceError, VizTracerTraceNotFoundError, VizTracerTraceUnreadableError} from '../core/errors.js';
import {readTraceEvents, type TraceExtras} from '../trace-file/read-trace.js';

/** What a trace is, for the messages about a file that is not one. */
export const traceShape = 'a trace is Chrome trace JSON (an object with a traceEvents array, or an array of event objects), plain or gzipped';

type ErrnoError = Error & {code: string};

function isErrno(error: unknown): error is ErrnoError {
	const code = error instanceof Error ? (error as {code?: unknown}).code : undefined;
	return typeof code === 'string' && !code.startsWith('VIZTRACER_');
}

const errnoReasons: Record<string, string> = {
	EACCES: 'permission denied',
	EPERM: 'permission denied',
	EISDIR: 'it is a directory',
	ELOOP: 'it is a symlink loop',
	EIO: 'an I/O error',
	ENAMETOOLONG: 'the path is too long',
};

/** `permission denied (EACCES)` */
const errnoReason = (error: ErrnoError): string => `${errnoReasons[error.code] ?? error.message} (${error.code})`;

/**
 * A file-system error met while opening `label` as a trace, as the error
 * vizviewer reports: missing, or there but unreadable.
 */
export function openError(label: string, error: unknown): Error {
	if (isErrno(error) && (error.code === 'ENOENT' || error.code === 'ENOTDIR')) {
		return new VizTracerTraceNotFoundError(label, error);
	}

	return isErrno(error) ? new VizTracerTraceUnreadableError(label, errnoReason(error), error) : (error as Error);
}

const isZlibError = (error: unknown): boolean => isErrno(error) && error.code.startsWith('Z_');

/** Rewords an error from reading `file` so it names `label` and says what was wrong and what a trace is. */
function explain(file: string, label: string, error: unknown): unknown {
	if (error instanceof VizTracerTraceUnreadableError) {
		const {cause, message} = error as Error;
		const prefix = `Cannot read the trace ${file}: `;
		return message.startsWith(prefix) && file !== label ? new VizTracerTraceUnreadableError(label, message.slice(prefix.length), cause) : error;
	}

	if (error instanceof VizTracerTraceNotFoundError) {
		const cause = (error as Error).cause;
		return isErrno(cause) && cause.code !== 'ENOENT' && cause.code !== 'ENOTDIR' ? openError(label, cause) : new VizTracerTraceNotFoundError(label, cause);
	}

	if (error instanceof VizTracerInvalidTraceError) {
		const {cause, message} = error as Error;
		if (message.includes(traceShape)) {
			return error;
		}

		// A gzip stream cut short decompresses to text that just stops; its
		// trailer (where sizes are read from) is then random bytes.
		if (isZlibError(cause)) {
			return new VizTracerInvalidTraceError(label, `it is a truncated or corrupt gzip file (${(cause as Error).message})`, cause);
		}

		const prefix = `${file} is not a valid trace: `;
		const reason = message.startsWith(prefix) ? message.slice(prefix.length) : message;
		const html = /\.html?$/i.test(label) ? '; an .html page written by viztracer opens directly in a web browser' : '';
		return new VizTracerInvalidTraceError(label, `${reason}; ${traceShape}${html}`, cause ?? error);
	}

	if (isZlibError(error)) {
		return new VizTracerInvalidTraceError(label, `it is a truncated or corrupt gzip file (${(error as Error).message})`, error);
	}

	return isErrno(error) ? openError(label, error) : error;
}

/**
 * Throws as {@link openError} does unless `file` can be opened for reading.
 * Checked before a read starts, so a file without read permission is one
 * clear error rather than a stream failing halfway through setting up.
 */
export function assertReadable(file: string, label = file): void {
	try {
		// O_NONBLOCK: opening a FIFO does not wait for a writer.
		fs.closeSync(fs.openSync(file, fs.constants.O_RDONLY | (fs.constants.O_NONBLOCK ?? 0)));
	} catch (error) {
		throw openError(label, error);
	}
}

const describeItem = (item: unknown): string => (item === null ? 'null' : Array.isArray(item) ? 'an array' : typeof item === 'string' ? 'a string' : `a ${typeof item}`);

/**
 * {@link readTraceEvents}, which also insists that every event is an object,
 * and whose errors name `label` (the path as the user gave it) and say what
 * a trace is: a file that cannot be read throws
 * {@link VizTracerTraceUnreadableError}, one that is not a trace (empty,
 * binary, `null`, cut off, a truncated gzip) {@link VizTracerInvalidTraceError}.
 */
export async function readCheckedTraceEvents(file: string, onEvents: (batch: unknown[]) => void, label = file): Promise<TraceExtras> {
	assertReadable(file, label);
	let index = 0;
	try {
		return await readTraceEvents(file, batch => {
			for (const item of batch) {
				if (typeof item !== 'object' || item === null || Array.isArray(item)) {
					throw new VizTracerInvalidTraceError(label, `event ${index} is ${describeItem(item)}, not an object; ${traceShape}`);
				}

				index++;
			}

			onEvents(batch);
		});
	} catch (error) {
		throw explain(file, label, error);
	}
}

/** Reads `file` through to the end and throws as {@link readCheckedTraceEvents} does when it is not a whole trace. */
export async function checkTraceContent(file: string, label = file): Promise<void> {
	await readCheckedTraceEvents(file, () => undefined, label);
}
