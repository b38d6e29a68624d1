// runtime/: observers of the Node runtime that the tracer turns on by option:
// async resources and their flow arrows (this file), garbage collections.
// They write through the core's recorder and import nothing else.

import asyncHooks from 'node:async_hooks';
import {now as clockNow} from '../core/clock.js';
import type {Recorder} from '../core/recorder.js';
import {EntryKind} from '../core/ring-buffer.js';

// Flow ids of async resources live above those of awaits (which count from 1).
const flowIdBase = 2 ** 40;
// Resources that never run (a server handle) would stay in the table for
// ever without the costly destroy hook; past this many, new ones are skipped.
const maxPending = 100_000;

type Pending = {name: number; scheduled: number};

let supported: boolean | undefined;

/**
 * Whether `async_hooks.createHook({trackPromises: false})` is honoured (Node
 * 26+): without it, any hook also turns on Node's promise bookkeeping, which
 * costs about 4x on promise-heavy code before recording anything.
 */
export function untrackedPromiseHooksSupported(): boolean {
	// Older Node has no `trackPromises`, and probing there turns on promise
	// hooks, whose switching off Node defers to a later tick: into the
	// program's time, where it runs Node's own code against the program's
	// built-ins. So the probe only confirms what the version promises.
	if (supported === undefined && Number.parseInt(process.versions.node, 10) < 26) {
		supported = false;
	}

	if (supported === undefined) {
		let promiseSeen = false;
		const probe = asyncHooks.createHook({
			init(_id: number, type: string) {
				promiseSeen ||= type === 'PROMISE';
			},
			trackPromises: false,
		} as asyncHooks.HookCallbacks);
		probe.enable();
		void Promise.resolve().then(() => undefined);
		probe.disable();
		supported = !promiseSeen;
	}

	return supported;
}

/**
 * For `logAsync`: each timer, immediate, nextTick and I/O callback gets a flow
 * arrow from where it was scheduled to a span named after its type around the
 * callback's run, and its wait on an async row. Where Node cannot hook them
 * without tracking promises (before 26), only with `trackingPromises` (the
 * user's `logAsync: 'all'`). Returns the stop function, or undefined when off.
 */
export function traceAsyncResources(recorder: Recorder, {trackingPromises = false}: {trackingPromises?: boolean} = {}): (() => void) | undefined {
	if (!trackingPromises && !untrackedPromiseHooksSupported()) {
		return undefined;
	}

	const pending = new Map<number, Pending>();
	const names = new Map<string, number>();
	const running: boolean[] = [];
	const hook = asyncHooks.createHook({
		init(asyncId: number, type: string) {
			// Where Node reports promises, awaits already have their flows from
			// the instrumentation, and a span per promise reaction would bury
			// them: the trace is the one Node 26 gives.
			if (type === 'PROMISE' || !recorder.enabled || pending.size >= maxPending) {
				return;
			}

			let name = names.get(type);
			if (name === undefined) {
				name = recorder.intern(type);
				names.set(type, name);
			}

			const scheduled = clockNow();
			pending.set(asyncId, {name, scheduled});
			recorder.flow(EntryKind.flowStart, name, flowIdBase + asyncId, scheduled);
		},
		before(asyncId: number) {
			const resource = pending.get(asyncId);
			running.push(resource !== undefined && recorder.enabled);
			if (resource === undefined || !recorder.enabled) {
				return;
			}

			// Only the first run ends the flow (an interval runs again and again).
			pending.delete(asyncId);
			recorder.enter(resource.name);
			const now = clockNow();
			recorder.lane(resource.name, resource.scheduled, now);
			recorder.flow(EntryKind.flowEnd, resource.name, flowIdBase + asyncId, now);
		},
		after() {
			if (running.pop()) {
				recorder.exit();
			}
		},
		trackPromises: false,
	} as asyncHooks.HookCallbacks);
	hook.enable();
	return () => {
		hook.disable();
		pending.clear();
	};
}
