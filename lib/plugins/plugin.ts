import {VizPluginError} from '../core/errors.js';
import type {TraceData} from '../trace-file/trace-event.js';

// The message and reply shapes of the VizTracer plugin protocol. Keys are
// spelt as in Python's protocol (`when`, `cmd_type`, `action`, `handler`,
// `success`) so plugins port line by line; the unions make a misspelt key or
// an unknown event name a compile error.

/** When an event message is sent. */
export type PluginEventWhen = 'initialize' | 'pre-start' | 'post-stop' | 'pre-save';

export type PluginEventPayload = {when: PluginEventWhen};

export type PluginCommandPayload = {cmd_type: 'terminate'};

/** The arguments of `message()`: `('event', { when })` or `('command', { cmd_type })`. */
export type PluginMessage = ['event', PluginEventPayload] | ['command', PluginCommandPayload];

export type PluginMessageType = PluginMessage[0];

/** Receives the tracer's data; at `pre-save`, the assembled trace just before it is written. */
export type PluginDataHandler = (data: TraceData) => void;

/** Reply to an event: ask the tracer to call `handler` with its data. */
export type HandleDataAction = {action: 'handle_data'; handler: PluginDataHandler};

/** Reply to an event: an action, or nothing to do (`{}`, `undefined` or `null`). */
export type PluginEventReply = HandleDataAction | Record<string, never> | undefined | null | void;

/** Reply to a command: `{ success: true }` says the plugin did what was asked. */
export type PluginCommandReply = {success: boolean};

export type PluginReply = PluginEventReply | PluginCommandReply;

/**
 * What the tracer needs of a plugin. Subclass {@link VizPluginBase}, or hand
 * any object with these two methods (plain-JS plugins need not import us).
 */
export type VizPlugin = {
	supportVersion(): string;
	message(...message: PluginMessage): PluginReply;
};

/** A `plugins` entry: a plugin object, or `"module arg1 arg2"` naming a module that exports `getVizplugin(arg)`. */
export type PluginSpec = VizPlugin | string;

/** Exported by a plugin module so `--plugins "module args"` can load it. */
export type GetVizplugin = (arg: string) => VizPlugin;

const pluginBrand = Symbol.for('viztracer.plugin');

/**
 * Base class for plugins, the counterpart of Python's `VizPluginBase`.
 *
 * ```ts
 * class MyPlugin extends VizPluginBase {
 *   override supportVersion() { return '0.1.0' }
 *   override message(...[mType, payload]: PluginMessage): PluginReply {
 *     if (mType === 'event' && payload.when === 'pre-save') {
 *       return { action: 'handle_data', handler: data => { data.traceEvents.push(…) } }
 *     }
 *     return super.message(mType, payload)
 *   }
 * }
 * ```
 */
export class VizPluginBase implements VizPlugin {
	// Recognised by brand rather than `instanceof`, so a plugin built against
	// another copy of this package is still a plugin.
	static [Symbol.hasInstance](value: unknown): boolean {
		return typeof value === 'object' && value !== null && (value as Record<symbol, unknown>)[pluginBrand] === true;
	}

	get [pluginBrand](): true {
		return true;
	}

	/** The newest viztracer version this plugin was written for. Subclasses must override it. */
	supportVersion(): string {
		throw new VizPluginError(this.constructor.name, `${this.constructor.name}.supportVersion() must be overridden to return the viztracer version the plugin supports`);
	}

	/** Answers the terminate command with `{ success: true }` and every other message with `{}`. */
	message(...[mType, payload]: PluginMessage): PluginReply {
		if (mType === 'command' && payload.cmd_type === 'terminate') {
			return {success: true};
		}

		return {};
	}
}

/** Whether a value is a plugin object: it must have both protocol methods (a brand alone is not enough). */
export function isPlugin(value: unknown): value is VizPlugin {
	return typeof value === 'object' && value !== null
		&& typeof (value as Partial<VizPlugin>).supportVersion === 'function'
		&& typeof (value as Partial<VizPlugin>).message === 'function';
}
