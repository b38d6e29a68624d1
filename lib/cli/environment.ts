import path from 'node:path';
import {defaultOptions, type VizTracerOptions} from '../options.js';

/** `tracerEntries` → `VIZTRACER_TRACER_ENTRIES`. */
export const environmentName = (option: string): string => `VIZTRACER_${option.replaceAll(/[A-Z]/g, letter => `_${letter}`).toUpperCase()}`;

const booleanWords: Record<string, boolean> = {1: true, true: true, yes: true, on: true, 0: false, false: false, no: false, off: false, '': false};

function parseList(text: string): string[] {
	const trimmed = text.trim();
	if (trimmed.startsWith('[')) {
		return JSON.parse(trimmed) as string[];
	}

	return trimmed.split(path.delimiter).filter(Boolean);
}

/**
 * Reads tracer options from `VIZTRACER_*` variables (what `viztracer/register`
 * and traced child processes use). Values are converted by the option's type
 * and then validated by the library like any other options: a bad value
 * throws a `VizTracerOptionError` naming the option.
 */
export function optionsFromEnvironment(environment: NodeJS.ProcessEnv): VizTracerOptions {
	const options: Record<string, unknown> = {};
	for (const [option, fallback] of Object.entries(defaultOptions)) {
		const raw = environment[environmentName(option)];
		if (raw === undefined) {
			continue;
		}

		if (option === 'plugins') {
			options[option] = raw.trim().startsWith('[') ? JSON.parse(raw) as unknown : [raw];
		} else if (option === 'includeFiles' || option === 'excludeFiles') {
			options[option] = parseList(raw);
		} else if (typeof fallback === 'boolean') {
			options[option] = booleanWords[raw.trim().toLowerCase()] ?? raw;
		} else if (typeof fallback === 'number') {
			options[option] = raw.trim() === '' || Number.isNaN(Number(raw)) ? raw : Number(raw);
		} else {
			options[option] = raw;
		}
	}

	return options as VizTracerOptions;
}

/** The inverse, for handing a tracer's options to child processes. */
export function environmentFromOptions(options: VizTracerOptions): Record<string, string> {
	const environment: Record<string, string> = {};
	for (const [option, value] of Object.entries(options)) {
		if (value === undefined) {
			continue;
		}

		environment[environmentName(option)] = Array.isArray(value) ? JSON.stringify(value) : String(value);
	}

	return environment;
}
