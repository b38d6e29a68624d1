import path from 'node:path';
import {VizTracerOptionError} from '../core/errors.js';
import {defaultOptions, resolveOptions, type VizTracerOptions} from '../tracer/options.js';

/** `tracerEntries` → `VIZTRACER_TRACER_ENTRIES`. */
export const environmentName = (option: string): string => `VIZTRACER_${option.replaceAll(/[A-Z]/g, letter => `_${letter}`).toUpperCase()}`;

const booleanWords: Record<string, boolean> = {1: true, true: true, yes: true, on: true, 0: false, false: false, no: false, off: false, '': false};
const booleanExpected = 'one of 1, true, yes, on, 0, false, no, off';

/**
 * A `VIZTRACER_*` variable holds a value its option does not take. The error
 * names the variable (what the user set), not the option behind it.
 */
export function environmentError(variable: string, raw: string | undefined, expected: string): VizTracerOptionError {
	return new VizTracerOptionError(variable, raw, expected, `Invalid ${variable}=${JSON.stringify(raw)} in the environment: expected ${expected}`);
}

function parseJson(variable: string, raw: string, expected: string): unknown {
	try {
		return JSON.parse(raw) as unknown;
	} catch (error) {
		throw environmentError(variable, raw, `${expected} (${error instanceof Error ? error.message : String(error)})`);
	}
}

function parseList(variable: string, raw: string): unknown {
	const trimmed = raw.trim();
	if (trimmed.startsWith('[')) {
		return parseJson(variable, trimmed, `a JSON array of paths or globs, or paths separated by "${path.delimiter}"`);
	}

	return trimmed.split(path.delimiter).filter(Boolean);
}

function parseValue(option: string, fallback: unknown, variable: string, raw: string): unknown {
	if (option === 'plugins') {
		return raw.trim().startsWith('[') ? parseJson(variable, raw, 'a JSON array of "module args" strings, or one such string') : [raw];
	}

	if (option === 'traceChannels') {
		// Channel names hold colons, so the list is comma-separated (or a JSON array).
		return raw.trim().startsWith('[') ? parseJson(variable, raw, 'a JSON array of channel names, or names separated by ","') : raw.split(',').map(name => name.trim()).filter(Boolean);
	}

	if (option === 'includeFiles' || option === 'excludeFiles') {
		return parseList(variable, raw);
	}

	if (option === 'logAsync' && raw.trim().toLowerCase() === 'all') {
		return 'all';
	}

	if (typeof fallback === 'boolean') {
		const value = booleanWords[raw.trim().toLowerCase()];
		if (value === undefined) {
			throw environmentError(variable, raw, option === 'logAsync' ? `all, or ${booleanExpected}` : booleanExpected);
		}

		return value;
	}

	// tracerEntries and flightRecorder default to unset but take a number.
	if (typeof fallback === 'number' || option === 'tracerEntries' || option === 'flightRecorder') {
		return raw.trim() === '' || Number.isNaN(Number(raw)) ? raw : Number(raw);
	}

	return raw;
}

/**
 * Reads tracer options from `VIZTRACER_*` variables (what `viztracer/register`
 * and traced child processes use). Values are converted by the option's type
 * and then validated by the library like any other options; a bad value
 * throws a `VizTracerOptionError` whose `option` and message name the
 * variable.
 */
export function optionsFromEnvironment(environment: NodeJS.ProcessEnv): VizTracerOptions {
	const options: Record<string, unknown> = {};
	const raws = new Map<string, string>();
	for (const [option, fallback] of Object.entries(defaultOptions)) {
		const variable = environmentName(option);
		const raw = environment[variable];
		if (raw === undefined) {
			continue;
		}

		raws.set(option, raw);
		options[option] = parseValue(option, fallback, variable, raw);
	}

	try {
		resolveOptions(options);
	} catch (error) {
		if (!(error instanceof VizTracerOptionError)) {
			throw error;
		}

		// `includeFiles[2]` → includeFiles; option names quoted in the expectation become variable names too.
		const option = error.option.replace(/\[\d+\]$/, '');
		const index = /\[(\d+)\]$/.exec(error.option)?.[1];
		const expected = error.expected.replaceAll(/`(\w+)`/g, (quoted, name: string) => Object.hasOwn(defaultOptions, name) ? environmentName(name) : quoted);
		throw environmentError(environmentName(option), raws.get(option), index === undefined ? expected : `entry ${index} to be ${expected}`);
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
