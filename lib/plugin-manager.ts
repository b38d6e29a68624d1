import {VizPluginError, VizTracerInvalidPluginError} from './errors.js';
import {loadPlugin, messageOf} from './plugin-loader.js';
import {isPlugin, type PluginCommandPayload, type PluginEventWhen, type PluginReply, type PluginSpec, type VizPlugin} from './plugin.js';
import type {TraceData} from './trace-event.js';
import {isNewer, parseVersion, version} from './version.js';

type RegisteredPlugin = {plugin: VizPlugin; name: string};

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

	/** Sends `message('event', { when })` to every plugin and runs the `handle_data` handlers they return. */
	event(when: PluginEventWhen, data: () => TraceData): void {
		let firstFailure: VizPluginError | undefined;
		for (const registered of this.#plugins) {
			// Send first, then keep the first failure: `firstFailure ??= send()` would skip the send.
			const failure = this.#sendEvent(registered, when, data);
			firstFailure ??= failure;
		}

		if (firstFailure) {
			throw firstFailure;
		}
	}

	/** Sends the terminate command; every plugin must answer `{ success: true }`. */
	terminate(): void {
		const payload: PluginCommandPayload = {cmd_type: 'terminate'};
		let firstFailure: VizPluginError | undefined;
		for (const {plugin, name} of this.#plugins) {
			let reply: PluginReply;
			try {
				reply = plugin.message('command', payload);
			} catch (error) {
				firstFailure ??= new VizPluginError(name, `Plugin ${name} threw while handling the terminate command: ${messageOf(error)}`, {cause: error});
				continue;
			}

			if (!isSuccess(reply)) {
				firstFailure ??= new VizPluginError(name, `Plugin ${name} did not acknowledge the terminate command: expected the reply { success: true }, got ${describeReply(reply)}`);
			}
		}

		if (firstFailure) {
			throw firstFailure;
		}
	}

	#sendEvent({plugin, name}: RegisteredPlugin, when: PluginEventWhen, data: () => TraceData): VizPluginError | undefined {
		let reply: PluginReply;
		try {
			reply = plugin.message('event', {when});
		} catch (error) {
			return new VizPluginError(name, `Plugin ${name} threw while handling the '${when}' event: ${messageOf(error)}`, {cause: error});
		}

		// `{}`, `undefined` and `null` mean "nothing to do", as in Python.
		if (reply === undefined || reply === null || typeof reply !== 'object' || !('action' in reply)) {
			return undefined;
		}

		if (reply.action !== 'handle_data') {
			process.emitWarning(`Plugin ${name} replied to the '${when}' event with the unknown action ${JSON.stringify(reply.action)}; it was ignored`, {code: 'VIZTRACER_PLUGIN_ACTION'});
			return undefined;
		}

		if (typeof reply.handler !== 'function') {
			return new VizPluginError(name, `Plugin ${name} replied to the '${when}' event with action 'handle_data' but its handler is ${typeof reply.handler}, not a function`);
		}

		try {
			reply.handler(data());
		} catch (error) {
			return new VizPluginError(name, `The handle_data handler of plugin ${name} threw at '${when}': ${messageOf(error)}`, {cause: error});
		}

		return undefined;
	}
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
