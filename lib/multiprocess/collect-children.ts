import fs from 'node:fs';
import path from 'node:path';

/**
 * File name of a child's partial trace (in the compact format, a twentieth
 * of the JSON), and of the marker it leaves when it starts.
 */
export const childTraceName = (pid: number, threadId: number): string => `child_${pid}_${threadId}.vizt`;

/** A partial trace by its older name: a child of another copy of viztracer may write JSON. */
const childJsonName = (pid: number, threadId: number): string => `child_${pid}_${threadId}.json`;

/** The partial trace the child (`pid`, `threadId`) left in `directory`, in either format, or undefined. */
function childTraceIn(directory: string, pid: number, threadId: number): string | undefined {
	for (const name of [childTraceName(pid, threadId), childJsonName(pid, threadId)]) {
		const file = path.join(directory, name);
		if (fs.existsSync(file)) {
			return file;
		}
	}

	return undefined;
}
export const childMarkerName = (pid: number, threadId: number): string => `child_${pid}_${threadId}.started`;

/**
 * What a child that streamed its recording and then died without saving
 * (SIGKILL, a crash) left: its writer's file, a valid `.vizt` trace of what
 * reached it (the name ring-streamer.ts gives it beside the child's trace).
 */
function cutChildTraceIn(directory: string, pid: number, threadId: number): string | undefined {
	const file = path.join(directory, `child_${pid}_${threadId}.partial-${pid}${threadId === 0 ? '' : `-${threadId}`}.vizt`);
	return fs.existsSync(file) ? file : undefined;
}

/**
 * Left in the directory by the parent once it has collected what it will:
 * a child that finishes later knows nobody will read its trace.
 */
export const closedMarkerName = 'closed';

/** Holds the pid of the process that collects the directory: when it is gone without closing it (killed), so is the reader. */
export const ownerFileName = 'owner';

const markerPattern = /^child_(\d+)_(\d+)\.started$/;

export function isAlive(pid: number): boolean {
	try {
		process.kill(pid, 0);
		return true;
	} catch (error) {
		return (error as NodeJS.ErrnoException).code === 'EPERM';
	}
}

// `exit` handlers must be synchronous, so waiting is a blocking sleep.
const pause = new Int32Array(new SharedArrayBuffer(4));
const sleep = (milliseconds: number) => {
	Atomics.wait(pause, 0, 0, milliseconds);
};

/** A child's partial trace, found but not read yet; `cut` when the child died while recording and this is what it streamed. */
export type ChildTrace = {pid: number; threadId: number; file: string; cut?: boolean};

/** A child that left no trace: it died first (`exited`), or was still running when the wait ended. */
export type MissingChild = {pid: number; running: boolean};

export type CollectedChildren = {traces: ChildTrace[]; missing: MissingChild[]};

/** The pid and thread id of each child that announced itself in `names`. */
export function childMarkers(names: readonly string[]): Array<{name: string; pid: number; threadId: number}> {
	const markers: Array<{name: string; pid: number; threadId: number}> = [];
	for (let index = 0; index < names.length; index++) {
		const match = markerPattern.exec(names[index]!);
		if (match) {
			markers.push({name: names[index]!, pid: Number(match[1]), threadId: Number(match[2])});
		}
	}

	return markers;
}

/**
 * Finds the partial traces children wrote into `directory`. Children still
 * running get up to `timeout` ms to finish; one that was killed (it never
 * wrote its trace) or outlives the wait is reported in `missing`. Worker
 * threads of this process are never waited for: they cannot outlive it.
 * The files are not read here (see mergeChildTraces).
 */
export function collectChildTraces(directory: string, timeout: number): CollectedChildren {
	let names: string[];
	try {
		names = fs.readdirSync(directory);
	} catch {
		return {traces: [], missing: []};
	}

	const deadline = Date.now() + timeout;
	const traces: ChildTrace[] = [];
	const missing: MissingChild[] = [];
	const markers = childMarkers(names);
	for (let index = 0; index < markers.length; index++) {
		const {pid, threadId} = markers[index]!;
		let file = childTraceIn(directory, pid, threadId);
		while (file === undefined && pid !== process.pid && isAlive(pid) && Date.now() < deadline) {
			sleep(20);
			file = childTraceIn(directory, pid, threadId);
		}

		const running = pid !== process.pid && isAlive(pid);
		const cut = file === undefined && !running ? cutChildTraceIn(directory, pid, threadId) : undefined;
		if (file !== undefined) {
			traces.push({pid, threadId, file});
		} else if (cut === undefined) {
			// A worker thread still running as its process exits (esbuild's sync
			// service worker, any `unref()`ed worker) ends with it, as untraced:
			// nobody killed it. Reported only when its process left no trace either.
			const endedWithItsProcess = threadId !== 0 && (pid === process.pid || childTraceIn(directory, pid, 0) !== undefined);
			if (!endedWithItsProcess) {
				missing.push({pid, running});
			}
		} else {
			traces.push({pid, threadId, file: cut, cut: true});
		}
	}

	return {traces, missing};
}

const removeQuietly = (file: string) => {
	try {
		fs.rmSync(file, {force: true});
	} catch {}
};

const removeDirectoryQuietly = (directory: string) => {
	try {
		fs.rmSync(directory, {recursive: true, force: true});
	} catch {}
};

/**
 * The parent is done with `directory`: the files of children that finished
 * (or died) go, except `keep` (traces that could not be read, reported to
 * the user); markers of children still running stay, with the closed marker,
 * so the last of them removes the directory (see leaveChildDirectory).
 * Without any, the directory is removed now.
 */
export function closeChildDirectory(directory: string, keep: ReadonlySet<string> = new Set()): void {
	// First, so a child finishing meanwhile either sees it or has its trace
	// already written, which the scan below then removes.
	try {
		fs.writeFileSync(path.join(directory, closedMarkerName), '');
	} catch {
		return;
	}

	let names: string[];
	try {
		names = fs.readdirSync(directory);
	} catch {
		return;
	}

	let running = false;
	const markers = childMarkers(names);
	for (let index = 0; index < markers.length; index++) {
		const {name, pid, threadId} = markers[index]!;
		const trace = childTraceIn(directory, pid, threadId);
		if (trace === undefined && pid !== process.pid && isAlive(pid)) {
			running = true;
			continue;
		}

		if (trace !== undefined && !keep.has(trace)) {
			removeQuietly(trace);
		}

		removeQuietly(path.join(directory, name));
	}

	if (!running && keep.size === 0) {
		removeDirectoryQuietly(directory);
	}
}

/**
 * A child (`pid`, `threadId`) is done: when the parent has closed the
 * directory (or it is gone), nobody will read this trace, so the child
 * removes its own files, and the directory when no other child is left.
 */
export function leaveChildDirectory(directory: string, pid: number, threadId: number): void {
	const marker = path.join(directory, childMarkerName(pid, threadId));
	if (!fs.existsSync(path.join(directory, closedMarkerName)) && fs.existsSync(marker) && ownerIsAlive(directory)) {
		return;
	}

	removeQuietly(path.join(directory, childTraceName(pid, threadId)));
	removeQuietly(path.join(directory, childJsonName(pid, threadId)));
	removeQuietly(marker);
	let names: string[];
	try {
		names = fs.readdirSync(directory);
	} catch {
		return;
	}

	if (childMarkers(names).length === 0 && !names.some(name => name.endsWith('.vizt') || name.endsWith('.json'))) {
		removeDirectoryQuietly(directory);
	}
}

function ownerIsAlive(directory: string): boolean {
	let owner: number;
	try {
		owner = Number(fs.readFileSync(path.join(directory, ownerFileName), 'utf8'));
	} catch {
		// No owner file: assume a reader, as before owner files existed.
		return true;
	}

	return !Number.isSafeInteger(owner) || owner <= 0 || isAlive(owner);
}
