// plugins/: the VizPlugin protocol (plugin.ts: the typed messages and the
// base class), the loader of plugins named by module, and this manager,
// which runs every plugin's handlers and keeps a failing one from costing the
// trace. plugins/bundled/ holds the plugins viztracer ships. Imports the
// trace file, the OTLP exporter (for the bundled otlp plugin) and the core.

import {VizPluginError, VizTracerInvalidPluginError} from '../core/errors.js';
import {loadPlugin, messageOf} from './plugin-loader.js';
import {isPlugin, type PluginCommandPayload, type PluginDataHandler, type PluginEventWhen, type PluginReply, type PluginSpec, type VizPlugin} from './plugin.js';
import type {TraceData} from '../trace-file/trace-event.js';
import {shapeProblem} from '../trace-file/trace-serializer.js';
import {isNewer, parseVersion, version} from '../trace-file/version.js';
import {warnNow} from '../core/warn-now.js';

type RegisteredPlugin = {plugin: VizPlugin; name: string};

/**
 * A `handle_data` handler, with the plugin it belongs to: a save that cannot
 * write the result reruns all but the culprit on the recorded data.
 */
export type HandlerRun = {
	name: string;
	handler: PluginDataHandler;
	/** What the handler broke (`traceEvents` no longer an array, …), when it did. */
	broke?: string;
	/** Not run: an earlier handler broke the data (it would only have failed on it). */
	deferred?: boolean;
};

const ourVersion = parseVersion(version) ?? [0, 0, 0];

/**
 * Delivers the protocol's messages to each plugin in order and carries out
 * their replies. A plugin that throws does not stop the others from getting
 * the message; the first failure is thrown, as a `VizPluginError` naming the
 * plugin, once every plugin has been served.
 */
export class PluginManager {
	readonly #plugins: RegisteredPlugin[] = [];

	get size(): number {
		return this.#plugins.length;
	}

	get plugins(): VizPlugin[] {
		return this.#plugins.map(({plugin}) => plugin);
	}

	/** Resolves, checks and registers one `plugins` entry, then sends it `initialize`. */
	register(spec: PluginSpec, data: () => TraceData, cwd?: string): VizPlugin {
		let plugin: VizPlugin;
		let name: string;
		if (typeof spec === 'string') {
			plugin = loadPlugin(spec, cwd);
			name = spec.trim().split(/\s+/)[0]!;
		} else if (isPlugin(spec)) {
			plugin = spec;
			name = pluginName(spec, this.#plugins.length);
		} else {
			throw new VizTracerInvalidPluginError(spec);
		}

		checkSupportVersion(plugin, name);
		const registered = {plugin, name};
		this.#plugins.push(registered);
		const failure = this.#sendEvent(registered, 'initialize', data);
		if (failure) {
			throw failure;
		}

		return plugin;
	}

	/**
	 * Sends `message('event', { when })` to every plugin and runs the
	 * `handle_data` handlers they return. Returns the handlers that ran
	 * without throwing, in order. With `checkShape`, a handler that leaves
	 * `traceEvents` or `viztracer_metadata` unusable is marked (`broke`), and
	 * the later handlers are not run on that data (`deferred`): they would
	 * fail on it, and be blamed for it.
	 */
	event(when: PluginEventWhen, data: () => TraceData, checkShape = false): HandlerRun[] {
		let firstFailure: VizPluginError | undefined;
		const ran: HandlerRun[] = [];
		for (let index = 0; index < this.#plugins.length; index++) {
			// Send first, then keep the first failure: `firstFailure ??= send()` would skip the send.
			const failure = this.#sendEvent(this.#plugins[index]!, when, data, ran, checkShape);
			firstFailure ??= failure;
		}

		if (firstFailure) {
			throw firstFailure;
		}

		return ran;
	}

	/** Sends the terminate command; every plugin must answer `{ success: true }`. */
	terminate(): void {
		const payload: PluginCommandPayload = {cmd_type: 'terminate'};
		let firstFailure: VizPluginError | undefined;
		for (let index = 0; index < this.#plugins.length; index++) {
			const {plugin, name} = this.#plugins[index]!;
			let reply: PluginReply;
			try {
				reply = plugin.message('command', payload);
			} catch (error) {
				firstFailure ??= new VizPluginError(name, `Plugin ${name} threw while handling the terminate command: ${messageOf(error)}`, {cause: error});
				continue;
			}

			if (settleAside(reply, name, 'the terminate command')) {
				firstFailure ??= asyncReplyError(name, 'the terminate command');
			} else if (!isSuccess(reply)) {
				firstFailure ??= new VizPluginError(name, `Plugin ${name} did not acknowledge the terminate command: expected the reply { success: true }, got ${describeReply(reply)}`);
			}
		}

		if (firstFailure) {
			throw firstFailure;
		}
	}

	#sendEvent({plugin, name}: RegisteredPlugin, when: PluginEventWhen, data: () => TraceData, ran?: HandlerRun[], checkShape = false): VizPluginError | undefined {
		let reply: PluginReply;
		try {
			reply = plugin.message('event', {when});
		} catch (error) {
			return new VizPluginError(name, `Plugin ${name} threw while handling the '${when}' event: ${messageOf(error)}`, {cause: error});
		}

		const event = `the '${when}' event`;
		if (settleAside(reply, name, event)) {
			return asyncReplyError(name, event);
		}

		// The reply is the plugin's object: reading it runs its getters or proxy traps.
		let action: unknown;
		let handler: unknown;
		try {
			// `{}`, `undefined` and `null` mean "nothing to do", as in Python.
			if (reply === undefined || reply === null || typeof reply !== 'object' || !('action' in reply)) {
				return undefined;
			}

			action = reply.action;
			handler = (reply as {handler?: unknown}).handler;
		} catch (error) {
			return new VizPluginError(name, `Plugin ${name}'s reply to ${event} cannot be read: ${messageOf(error)}`, {cause: error});
		}

		if (action !== 'handle_data') {
			warnNow(`Plugin ${name} replied to ${event} with the unknown action ${describeReply(action)}; it was ignored`, 'VIZTRACER_PLUGIN_ACTION');
			return undefined;
		}

		if (typeof handler !== 'function') {
			return new VizPluginError(name, `Plugin ${name} replied to ${event} with action 'handle_data' but its handler is ${typeof handler}, not a function`);
		}

		const run: HandlerRun = {name, handler: handler as PluginDataHandler};
		if (ran !== undefined && ran.some(earlier => earlier.broke !== undefined)) {
			run.deferred = true;
			ran.push(run);
			return undefined;
		}

		const target = data();
		const failure = runHandler(run, target, when);
		if (failure === undefined) {
			if (checkShape) {
				run.broke = shapeProblem(target);
			}

			ran?.push(run);
		}

		return failure;
	}
}

/** Runs one `handle_data` handler; a throw, or a promise (handlers are synchronous), is a `VizPluginError` naming the plugin. */
export function runHandler({name, handler}: HandlerRun, data: TraceData, when: PluginEventWhen): VizPluginError | undefined {
	let result: unknown;
	try {
		result = handler(data);
	} catch (error) {
		return new VizPluginError(name, `The handle_data handler of plugin ${name} threw at '${when}': ${messageOf(error)}`, {cause: error});
	}

	const what = `its handle_data handler at '${when}'`;
	return settleAside(result, name, what) ? asyncReplyError(name, what) : undefined;
}

/**
 * The protocol is synchronous, so a promise (a thenable) from a plugin is an
 * error; its rejection is still caught here, reported as a warning, so it
 * never becomes an unhandled rejection that kills the program.
 */
function settleAside(value: unknown, name: string, what: string): boolean {
	let then: unknown;
	try {
		then = typeof value === 'object' && value !== null ? (value as {then?: unknown}).then : undefined;
	} catch {
		return false;
	}

	if (typeof then !== 'function') {
		return false;
	}

	try {
		(then as (onFulfilled: unknown, onRejected: (reason: unknown) => void) => unknown).call(value, undefined, (reason: unknown) => {
			let text: string;
			try {
				text = messageOf(reason);
			} catch {
				text = 'a reason that cannot be printed';
			}

			warnNow(`Plugin ${name}'s promise for ${what} rejected: ${text}`, 'VIZTRACER_PLUGIN_ASYNC', 'VizPluginWarning');
		});
	} catch {}

	return true;
}

function asyncReplyError(name: string, what: string): VizPluginError {
	return new VizPluginError(name, `Plugin ${name} returned a promise for ${what}: the plugin protocol is synchronous, so the promise's result is not used; do the work synchronously (message() and handlers must not be async)`);
}

/** A class name, else the plugin's position, so two plain-object plugins can be told apart in errors. */
function pluginName(plugin: VizPlugin, index: number): string {
	const constructorName = (plugin as {constructor?: {name?: unknown}}).constructor?.name;
	return typeof constructorName === 'string' && constructorName !== '' && constructorName !== 'Object' ? constructorName : `plugin #${index + 1}`;
}

function checkSupportVersion(plugin: VizPlugin, name: string): void {
	let supported: unknown;
	try {
		supported = plugin.supportVersion();
	} catch (error) {
		if (error instanceof VizPluginError) {
			throw error;
		}

		throw new VizPluginError(name, `Plugin ${name} threw in supportVersion(): ${messageOf(error)}`, {cause: error});
	}

	const parsed = typeof supported === 'string' ? parseVersion(supported) : undefined;
	if (parsed === undefined) {
		throw new VizPluginError(name, `Plugin ${name}'s supportVersion() must return a version string such as '${version}', got ${JSON.stringify(supported) ?? String(supported)}`);
	}

	if (isNewer(parsed, ourVersion)) {
		process.emitWarning(`Plugin ${name}'s support version is higher than viztracer's version (${String(supported)} > ${version}); consider upgrading viztracer`, {code: 'VIZTRACER_PLUGIN_VERSION', type: 'VizPluginWarning'});
	}
}

function isSuccess(reply: PluginReply): boolean {
	return typeof reply === 'object' && reply !== null && 'success' in reply && reply.success === true;
}

function describeReply(reply: unknown): string {
	try {
		return JSON.stringify(reply) ?? String(reply);
	} catch {
		return String(reply);
	}
}
