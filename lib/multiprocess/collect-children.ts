import fs from 'node:fs';
import path from 'node:path';
import {readTraceFile} from '../combine.js';
import type {TraceData} from '../trace-event.js';

/** File name of a child's partial trace, and of the marker it leaves when it starts. */
export const childTraceName = (pid: number, threadId: number): string => `child_${pid}_${threadId}.json`;
export const childMarkerName = (pid: number, threadId: number): string => `child_${pid}_${threadId}.started`;

const markerPattern = /^child_(\d+)_(\d+)\.started$/;

function isAlive(pid: number): boolean {
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

export type CollectedChildren = {traces: TraceData[]; missing: number[]};

/**
 * Reads the partial traces children wrote into `directory`. Children still
 * running get up to `timeout` ms to finish; one that was killed (it never
 * wrote its trace) or outlives the wait is reported in `missing`, and what
 * was collected is kept. Worker threads of this process are never waited
 * for: they cannot outlive it.
 */
export function collectChildTraces(directory: string, timeout: number): CollectedChildren {
	let names: string[];
	try {
		names = fs.readdirSync(directory);
	} catch {
		return {traces: [], missing: []};
	}

	const deadline = Date.now() + timeout;
	const traces: TraceData[] = [];
	const missing: number[] = [];
	for (const name of names) {
		const match = markerPattern.exec(name);
		if (!match) {
			continue;
		}

		const pid = Number(match[1]);
		const traceFile = path.join(directory, childTraceName(pid, Number(match[2])));
		while (!fs.existsSync(traceFile) && pid !== process.pid && isAlive(pid) && Date.now() < deadline) {
			sleep(20);
		}

		try {
			traces.push(readTraceFile(traceFile));
		} catch {
			missing.push(pid);
		}
	}

	return {traces, missing};
}
