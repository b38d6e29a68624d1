// VIZTRACER_* variables → tracer options (lib/launch/environment.ts): what
// viztracer/register, the test integrations and traced children read.
import test from 'ava';
import {optionsFromEnvironment} from '../../dist/launch/environment.js';
import {testTracingFromEnvironment} from '../../dist/integrations/test-environment.js';
import {VizTracerOptionError} from '../../dist/index.js';

test('values are converted by the option\'s type', t => {
	t.deepEqual(optionsFromEnvironment({
		VIZTRACER_TRACER_ENTRIES: '2048',
		VIZTRACER_LOG_GC: 'yes',
		VIZTRACER_LOG_ASYNC: 'OFF',
		VIZTRACER_INCLUDE_FILES: '["src", "lib/*.js"]',
		VIZTRACER_PROCESS_NAME: 'worker',
		VIZTRACER_PLUGINS: './plugin.mjs some args',
		UNRELATED: 'x',
	}), {tracerEntries: 2048, logGc: true, logAsync: false, includeFiles: ['src', 'lib/*.js'], processName: 'worker', plugins: ['./plugin.mjs some args']});
	t.deepEqual(optionsFromEnvironment({VIZTRACER_EXCLUDE_FILES: 'a.js:b/'}), {excludeFiles: ['a.js', 'b/']});
	t.deepEqual(optionsFromEnvironment({VIZTRACER_LOG_ASYNC: 'all'}), {logAsync: 'all'});
	t.deepEqual(optionsFromEnvironment({VIZTRACER_LOG_ASYNC: ' All '}), {logAsync: 'all'});
	t.deepEqual(optionsFromEnvironment({VIZTRACER_LOG_ASYNC: 'yes'}), {logAsync: true});
});

for (const [environment, variable, expected] of [
	[{VIZTRACER_TRACER_ENTRIES: 'abc'}, 'VIZTRACER_TRACER_ENTRIES', 'an integer from 1 to 268435456'],
	[{VIZTRACER_TRACER_ENTRIES: '0'}, 'VIZTRACER_TRACER_ENTRIES', 'an integer from 1 to 268435456'],
	[{VIZTRACER_MIN_DURATION: '-1'}, 'VIZTRACER_MIN_DURATION', 'a number of microseconds >= 0'],
	[{VIZTRACER_LOG_GC: 'sometimes'}, 'VIZTRACER_LOG_GC', 'one of 1, true, yes, on, 0, false, no, off'],
	[{VIZTRACER_LOG_ASYNC: 'some'}, 'VIZTRACER_LOG_ASYNC', 'all, or one of 1, true, yes, on, 0, false, no, off'],
	[{VIZTRACER_INCLUDE_FILES: '['}, 'VIZTRACER_INCLUDE_FILES', 'a JSON array of paths or globs, or paths separated by ":" (Unexpected end of JSON input)'],
	[{VIZTRACER_INCLUDE_FILES: '[1]'}, 'VIZTRACER_INCLUDE_FILES', 'entry 0 to be a non-empty string (a file path or glob)'],
	[{VIZTRACER_PLUGINS: '[oops]'}, 'VIZTRACER_PLUGINS', 'a JSON array of "module args" strings, or one such string ('],
	[{VIZTRACER_INCLUDE_FILES: 'a', VIZTRACER_EXCLUDE_FILES: 'b'}, 'VIZTRACER_EXCLUDE_FILES', 'unset when VIZTRACER_INCLUDE_FILES is given (they are mutually exclusive)'],
	[{VIZTRACER_OUTPUT_FILE: 'trace.txt'}, 'VIZTRACER_OUTPUT_FILE', 'a file name ending in `.json`, `.json.gz`, `.html` or `.vizt`'],
]) {
	test(`${Object.entries(environment).map(([name, value]) => `${name}=${value}`).join(' ')} throws naming ${variable}, not its option`, t => {
		const error = t.throws(() => optionsFromEnvironment(environment), {instanceOf: VizTracerOptionError});
		t.is(error.code, 'VIZTRACER_INVALID_OPTION');
		t.is(error.option, variable);
		t.is(error.value, environment[variable]);
		t.true(error.message.startsWith(`Invalid ${variable}=${JSON.stringify(environment[variable])} in the environment: expected ${expected}`), error.message);
		t.false(error.message.includes('\n'));
	});
}

test('the test integrations\' own variables are reported the same way', t => {
	const keep = t.throws(() => testTracingFromEnvironment({VIZTRACER_KEEP: 'some'}), {instanceOf: VizTracerOptionError});
	t.is(keep.message, 'Invalid VIZTRACER_KEEP="some" in the environment: expected `all` or `failed`');
	const slower = t.throws(() => testTracingFromEnvironment({VIZTRACER_KEEP_SLOWER_THAN: 'soon'}), {instanceOf: VizTracerOptionError});
	t.is(slower.message, 'Invalid VIZTRACER_KEEP_SLOWER_THAN="soon" in the environment: expected a number of milliseconds >= 0');
});
