// The files through which `viztracer attach` and a process waiting for it
// (`--on-demand`) talk, beside the signal that wakes the process. They live
// in a directory only their user can enter, and each is read only when it is
// a regular file of that user reached without a symbolic link: another user
// can neither start a recording nor choose where a trace is written. The
// signal itself can only come from the process's owner (or root): the kernel
// checks that.

import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {VizTracerAttachError} from '../core/errors.js';

/** What a process waiting for attach publishes while it lives: `<pid>.json`. */
export type Announcement = {pid: number; startTime: string | undefined; output: string; version: string};

/** The request `viztracer attach` leaves for the process, also its lock: `<pid>.attach.json`, created exclusively. */
export type AttachRequest = {session: string; attacher: number; output: string; duration: number | undefined; cancelled?: boolean};

/** What the process answers, replaced whole at each step: `<pid>.status.json`. */
export type AttachStatus = {session: string; state: 'recording' | 'saving' | 'saved' | 'failed'; file?: string; error?: string};

// Control files are a few hundred bytes; anything bigger was not written by viztracer.
const maxControlBytes = 64 * 1024;

/**
 * The directory of this user's control files. Both sides must see the same
 * temporary directory (`TMPDIR`): the process's, as it was when it started.
 */
export function controlDirectory(): string {
	return path.join(os.tmpdir(), `viztracer-${process.getuid?.() ?? 'user'}`);
}

export const announcementFile = (directory: string, pid: number): string => path.join(directory, `${pid}.json`);
export const requestFile = (directory: string, pid: number): string => path.join(directory, `${pid}.attach.json`);
export const statusFile = (directory: string, pid: number): string => path.join(directory, `${pid}.status.json`);

/** Creates the control directory (mode 0700) or checks the one there: a directory, no link, this user's, closed to others. */
export function privateDirectory(directory = controlDirectory()): string {
	try {
		fs.mkdirSync(directory, {mode: 0o700});
	} catch (error) {
		if ((error as NodeJS.ErrnoException).code !== 'EEXIST') {
			throw new VizTracerAttachError(`cannot create the control directory ${directory}: ${(error as Error).message}`);
		}
	}

	const stat = fs.lstatSync(directory);
	const uid = process.getuid?.();
	if (!stat.isDirectory() || (uid !== undefined && stat.uid !== uid) || (stat.mode & 0o077) !== 0) {
		throw new VizTracerAttachError(`the control directory ${directory} is not a private directory of this user (it must be a directory, not a link, owned by uid ${uid ?? '?'}, mode 0700): remove it, or set TMPDIR elsewhere`);
	}

	return directory;
}

/**
 * Reads a control file, or returns undefined when there is none. A file that
 * is not a regular file of this user, is too big or is not JSON throws.
 */
export function readControlFile(file: string): unknown {
	let descriptor: number;
	try {
		descriptor = fs.openSync(file, fs.constants.O_RDONLY | fs.constants.O_NOFOLLOW);
	} catch (error) {
		if ((error as NodeJS.ErrnoException).code === 'ENOENT') {
			return undefined;
		}

		throw new VizTracerAttachError(`cannot read ${file}: ${(error as Error).message}`);
	}

	try {
		const stat = fs.fstatSync(descriptor);
		const uid = process.getuid?.();
		if (!stat.isFile() || (uid !== undefined && stat.uid !== uid) || stat.size > maxControlBytes) {
			throw new VizTracerAttachError(`${file} is not a control file of this user (a regular file owned by uid ${uid ?? '?'}, at most ${maxControlBytes} bytes)`);
		}

		const text = fs.readFileSync(descriptor, 'utf8');
		try {
			return JSON.parse(text) as unknown;
		} catch {
			// A file being replaced is renamed into place whole, so a torn read means someone else wrote it.
			throw new VizTracerAttachError(`${file} is not valid JSON`);
		}
	} finally {
		fs.closeSync(descriptor);
	}
}

/** Replaces a control file whole (written beside it, then renamed): a reader sees the old file or the new one. */
export function writeControlFile(file: string, value: unknown): void {
	const temporary = `${file}.${process.pid}.tmp`;
	fs.writeFileSync(temporary, JSON.stringify(value), {mode: 0o600, flag: 'w'});
	fs.renameSync(temporary, file);
}

/** Creates a control file that must not exist yet; returns false when it does. */
export function createControlFile(file: string, value: unknown): boolean {
	try {
		fs.writeFileSync(file, JSON.stringify(value), {mode: 0o600, flag: 'wx'});
		return true;
	} catch (error) {
		if ((error as NodeJS.ErrnoException).code === 'EEXIST') {
			return false;
		}

		throw error;
	}
}

export function removeControlFile(file: string): void {
	fs.rmSync(file, {force: true});
}

/**
 * When the kernel started process `pid` (clock ticks since boot, from
 * /proc), so that a recycled pid is not taken for the process that
 * announced itself. Undefined where /proc is not there.
 */
export function processStartTime(pid: number): string | undefined {
	try {
		const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
		// The command name, in parentheses, may hold spaces: fields are counted after its closing one.
		const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
		return fields[19];
	} catch {
		return undefined;
	}
}

/** Whether process `pid` lives: 'other-user' when it does but signals to it are not allowed. */
export function processState(pid: number): 'alive' | 'gone' | 'other-user' {
	try {
		process.kill(pid, 0);
		return 'alive';
	} catch (error) {
		return (error as NodeJS.ErrnoException).code === 'EPERM' ? 'other-user' : 'gone';
	}
}
