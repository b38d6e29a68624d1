import {createRequire} from 'node:module';
import path from 'node:path';
import {VizPluginError, VizTracerInvalidPluginError} from '../core/errors.js';
import {isPlugin, type GetVizplugin, type VizPlugin} from './plugin.js';

type PluginModule = {getVizplugin?: unknown; get_vizplugin?: unknown; default?: unknown};

/**
 * Loads a plugin from a `"module arg1 arg2"` string, as `--plugins` does: the
 * first word is resolved like a `require()` specifier from `cwd` (a relative
 * path or a package name; ES modules load through `require(esm)`), and the
 * module's `getVizplugin(arg)` (or Python's spelling `get_vizplugin`) is
 * called with the whole, unparsed string.
 */
export function loadPlugin(spec: string, cwd = process.cwd()): VizPlugin {
	const specifier = spec.trim().split(/\s+/)[0];
	if (!specifier) {
		throw new VizTracerInvalidPluginError(spec);
	}

	const pluginModule = requirePluginModule(specifier, cwd);
	const factory = pluginModule.getVizplugin ?? pluginModule.get_vizplugin ?? exportOfDefault(pluginModule.default);
	if (factory === undefined) {
		throw new VizPluginError(specifier, `Plugin module '${specifier}' does not export getVizplugin(arg); it is not a viztracer plugin`);
	}

	if (typeof factory !== 'function') {
		throw new VizPluginError(specifier, `Plugin module '${specifier}' exports getVizplugin, but it is ${typeof factory}, not a function`);
	}

	let plugin: unknown;
	try {
		plugin = (factory as GetVizplugin)(spec);
	} catch (error) {
		throw new VizPluginError(specifier, `getVizplugin() of plugin module '${specifier}' threw: ${messageOf(error)}`, {cause: error});
	}

	if (!isPlugin(plugin)) {
		throw new VizPluginError(specifier, `getVizplugin() of plugin module '${specifier}' returned ${plugin === null ? 'null' : typeof plugin}, not a plugin object with supportVersion() and message()`);
	}

	return plugin;
}

function exportOfDefault(value: unknown): unknown {
	if (typeof value === 'object' && value !== null) {
		const defaults = value as PluginModule;
		return defaults.getVizplugin ?? defaults.get_vizplugin;
	}

	return undefined;
}

function requirePluginModule(specifier: string, cwd: string): PluginModule {
	const candidates = [createRequire(path.join(cwd, 'noop.js'))];
	// Bundled plugins (`viztracer/plugins/…`) resolve from this package too, so
	// they load even where the traced project does not depend on viztracer.
	if (specifier === 'viztracer' || specifier.startsWith('viztracer/')) {
		candidates.push(createRequire(import.meta.url));
	}

	let resolved: string | undefined;
	let lastError: unknown;
	for (const require of candidates) {
		try {
			resolved = require.resolve(specifier);
			return require(resolved) as PluginModule;
		} catch (error) {
			lastError = error;
			if (resolved !== undefined) {
				break;
			}
		}
	}

	if (resolved === undefined) {
		throw new VizPluginError(specifier, `Cannot find plugin module '${specifier}' from ${cwd}; is it installed, or is the path right?`, {cause: lastError});
	}

	throw new VizPluginError(specifier, `Plugin module '${specifier}' (${resolved}) failed to load: ${messageOf(lastError)}`, {cause: lastError});
}

export function messageOf(error: unknown): string {
	return error instanceof Error ? error.message : String(error);
}
