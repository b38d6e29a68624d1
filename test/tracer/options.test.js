import test from 'ava';
import {
	defaultOptions,
	getTracer,
	VizPluginBase,
	VizTracer,
	VizTracerOptionError,
	VizTracerOptionRangeError,
} from '../../dist/index.js';

// Constructing a tracer validates its options; none of these tests start one,
// but they run serially like the other tracer tests to keep the global state simple.

const maxTracerEntries = 2 ** 28;

/**
 * Asserts that `new VizTracer(options)` throws a VizTracerOptionError of the
 * given kind ('type' → TypeError, 'range' → RangeError) whose message names
 * the option, shows the value and says what was expected.
 */
function assertOptionError(t, options, {kind, option, shows, expected}) {
	const error = t.throws(() => new VizTracer(options), {instanceOf: VizTracerOptionError});
	t.is(error.code, 'VIZTRACER_INVALID_OPTION');
	t.is(error.option, option);
	if (kind === 'type') {
		t.true(error instanceof TypeError, 'a wrong type is a TypeError');
		t.false(error instanceof RangeError);
		t.false(error instanceof VizTracerOptionRangeError);
	} else {
		t.true(error instanceof RangeError, 'an out-of-range value is a RangeError');
		t.true(error instanceof VizTracerOptionRangeError);
		t.false(error instanceof TypeError);
	}

	t.true(error.message.includes(`\`${option}\``), `message names the option: ${error.message}`);
	t.true(error.message.includes(shows), `message shows the value ${shows}: ${error.message}`);
	t.true(error.message.includes(expected), `message says what was expected (${expected}): ${error.message}`);
	t.is(error.expected, expected);
	return error;
}

const cases = {
	outputFile: {
		accepts: ['trace.json', 'trace.json.gz', '/tmp/some/dir/x.json', 'a.b.json'],
		rejects: [
			{value: 42, kind: 'type', shows: '42', expected: 'a string'},
			{value: null, kind: 'type', shows: 'null', expected: 'a string'},
			{value: ['trace.json'], kind: 'type', shows: 'array', expected: 'a string'},
			{value: 'trace.txt', kind: 'range', shows: '"trace.txt"', expected: 'a file name ending in `.json`, `.json.gz`, `.html` or `.vizt`'},
			{value: 'trace.gz', kind: 'range', shows: '"trace.gz"', expected: 'a file name ending in `.json`, `.json.gz`, `.html` or `.vizt`'},
			{value: 'trace.json.zip', kind: 'range', shows: '"trace.json.zip"', expected: 'a file name ending in `.json`, `.json.gz`, `.html` or `.vizt`'},
			{value: '', kind: 'range', shows: '""', expected: 'a file name ending in `.json`, `.json.gz`, `.html` or `.vizt`'},
		],
	},
	tracerEntries: {
		accepts: [1, 1000, 1_000_000, maxTracerEntries],
		rejects: [
			{value: '1000', kind: 'type', shows: '"1000"', expected: 'an integer from 1 to 268435456'},
			{value: 1000n, kind: 'type', shows: '1000', expected: 'an integer from 1 to 268435456'},
			{value: 0, kind: 'range', shows: '0', expected: 'an integer from 1 to 268435456'},
			{value: -5, kind: 'range', shows: '-5', expected: 'an integer from 1 to 268435456'},
			{value: 10.5, kind: 'range', shows: '10.5', expected: 'an integer from 1 to 268435456'},
			{value: Number.NaN, kind: 'range', shows: 'NaN', expected: 'an integer from 1 to 268435456'},
			{value: Number.POSITIVE_INFINITY, kind: 'range', shows: 'Infinity', expected: 'an integer from 1 to 268435456'},
			{value: maxTracerEntries + 1, kind: 'range', shows: String(maxTracerEntries + 1), expected: 'an integer from 1 to 268435456'},
		],
	},
	flightRecorder: {
		accepts: [0.5, 10, 86_400],
		rejects: [
			{value: '5', kind: 'type', shows: '"5"', expected: 'a number of seconds > 0 (at most 86400)'},
			{value: true, kind: 'type', shows: 'true', expected: 'a number of seconds > 0 (at most 86400)'},
			{value: 0, kind: 'range', shows: '0', expected: 'a number of seconds > 0 (at most 86400)'},
			{value: -1, kind: 'range', shows: '-1', expected: 'a number of seconds > 0 (at most 86400)'},
			{value: Number.NaN, kind: 'range', shows: 'NaN', expected: 'a number of seconds > 0 (at most 86400)'},
			{value: 86_401, kind: 'range', shows: '86401', expected: 'a number of seconds > 0 (at most 86400)'},
		],
	},
	verbose: {
		accepts: [0, 1],
		rejects: [
			{value: true, kind: 'type', shows: 'true', expected: '0 or 1'},
			{value: '1', kind: 'type', shows: '"1"', expected: '0 or 1'},
			{value: 2, kind: 'range', shows: '2', expected: '0 or 1'},
			{value: -1, kind: 'range', shows: '-1', expected: '0 or 1'},
			{value: 0.5, kind: 'range', shows: '0.5', expected: '0 or 1'},
		],
	},
	maxStackDepth: {
		accepts: [-1, 0, 1, 50, Number.MAX_SAFE_INTEGER],
		rejects: [
			{value: '10', kind: 'type', shows: '"10"', expected: 'an integer >= -1'},
			{value: null, kind: 'type', shows: 'null', expected: 'an integer >= -1'},
			{value: -2, kind: 'range', shows: '-2', expected: 'an integer >= -1'},
			{value: 2.5, kind: 'range', shows: '2.5', expected: 'an integer >= -1'},
			{value: Number.POSITIVE_INFINITY, kind: 'range', shows: 'Infinity', expected: 'an integer >= -1'},
			{value: Number.NaN, kind: 'range', shows: 'NaN', expected: 'an integer >= -1'},
		],
	},
	minDuration: {
		accepts: [0, 0.5, 1, 1000],
		rejects: [
			{value: '5', kind: 'type', shows: '"5"', expected: 'a number of microseconds >= 0'},
			{value: false, kind: 'type', shows: 'false', expected: 'a number of microseconds >= 0'},
			{value: -1, kind: 'range', shows: '-1', expected: 'a number of microseconds >= 0'},
			{value: -0.001, kind: 'range', shows: '-0.001', expected: 'a number of microseconds >= 0'},
			{value: Number.NaN, kind: 'range', shows: 'NaN', expected: 'a number of microseconds >= 0'},
			{value: Number.POSITIVE_INFINITY, kind: 'range', shows: 'Infinity', expected: 'a number of microseconds >= 0'},
		],
	},
	includeNodeModules: booleanCases(),
	logException: booleanCases(),
	logFuncArgs: booleanCases(),
	logFuncRetval: booleanCases(),
	logAsync: {
		accepts: [true, false, 'all'],
		rejects: [
			{value: 'yes', kind: 'range', shows: '"yes"', expected: 'true, false or \'all\''},
			{value: 'ALL', kind: 'range', shows: '"ALL"', expected: 'true, false or \'all\''},
			{value: 1, kind: 'type', shows: '1', expected: 'true, false or \'all\''},
			{value: null, kind: 'type', shows: 'null', expected: 'true, false or \'all\''},
		],
	},
	logGc: booleanCases(),
	logPrint: booleanCases(),
	onDemand: booleanCases(),
	logRequests: booleanCases(),
	traceChannels: {
		accepts: [[], ['mysql2:query'], ['pg:query', 'my-lib']],
		rejects: [
			{value: 'pg:query', kind: 'type', shows: '"pg:query"', expected: 'an array of channel names'},
		],
	},
	logSparse: booleanCases(),
	pidSuffix: booleanCases(),
	processName: {
		accepts: ['my-app', 'worker 1', ''],
		rejects: [
			{value: 42, kind: 'type', shows: '42', expected: 'a string'},
			{value: {name: 'x'}, kind: 'type', shows: 'object', expected: 'a string'},
		],
	},
	plugins: {
		accepts: [[]],
		rejects: [
			{value: 'my-plugin arg', kind: 'type', shows: '"my-plugin arg"', expected: 'an array of plugins'},
			{value: {}, kind: 'type', shows: 'object', expected: 'an array of plugins'},
			{value: null, kind: 'type', shows: 'null', expected: 'an array of plugins'},
		],
	},
};

for (const name of ['includeFiles', 'excludeFiles']) {
	cases[name] = {
		accepts: [[], ['src/**'], ['lib/a.js', 'lib/b.js']],
		rejects: [
			{value: 'src/**', kind: 'type', shows: '"src/**"', expected: 'an array of file paths or globs'},
			{value: {0: 'a.js'}, kind: 'type', shows: 'object', expected: 'an array of file paths or globs'},
		],
	};
}

function booleanCases() {
	return {
		accepts: [true, false],
		rejects: [
			{value: 1, kind: 'type', shows: '1', expected: 'a boolean'},
			{value: 'true', kind: 'type', shows: '"true"', expected: 'a boolean'},
			{value: null, kind: 'type', shows: 'null', expected: 'a boolean'},
		],
	};
}

const describe = value => {
	if (typeof value === 'bigint') {
		return `${value}n`;
	}

	if (typeof value === 'number' || value === undefined) {
		return String(value);
	}

	return JSON.stringify(value);
};

test.serial('every documented option has validation cases here', t => {
	t.deepEqual(Object.keys(cases).sort(), Object.keys(defaultOptions).sort());
});

for (const [option, {accepts, rejects}] of Object.entries(cases)) {
	for (const value of accepts) {
		test.serial(`${option} - accepts ${describe(value)}`, t => {
			const tracer = new VizTracer({verbose: 0, [option]: value});
			if (Array.isArray(value)) {
				t.deepEqual(tracer.options[option], value);
			} else {
				t.is(tracer.options[option], value);
			}
		});
	}

	for (const rejection of rejects) {
		const what = rejection.kind === 'type' ? 'TypeError' : 'RangeError';
		test.serial(`${option} - rejects ${describe(rejection.value)} with a ${what}`, t => {
			assertOptionError(t, {[option]: rejection.value}, {...rejection, option});
		});
	}

	test.serial(`${option} - undefined means the default`, t => {
		const tracer = new VizTracer({[option]: undefined});
		t.deepEqual(tracer.options[option], defaultOptions[option]);
	});
}

for (const name of ['includeFiles', 'excludeFiles']) {
	test.serial(`${name} - rejects a non-string entry, naming its index`, t => {
		const error = assertOptionError(t, {[name]: ['ok.js', 3]}, {kind: 'type', option: `${name}[1]`, shows: '3', expected: 'a non-empty string (a file path or glob)'});
		t.is(error.value, 3);
	});

	test.serial(`${name} - rejects an empty string entry`, t => {
		assertOptionError(t, {[name]: ['']}, {kind: 'type', option: `${name}[0]`, shows: '""', expected: 'a non-empty string (a file path or glob)'});
	});
}

test.serial('includeFiles and excludeFiles - are mutually exclusive', t => {
	const error = t.throws(() => new VizTracer({includeFiles: ['src/**'], excludeFiles: ['node_modules/**']}), {instanceOf: VizTracerOptionError});
	t.is(error.code, 'VIZTRACER_INVALID_OPTION');
	t.true(error.message.includes('includeFiles'));
	t.true(error.message.includes('excludeFiles'));
	t.regex(error.message, /mutually exclusive/);
});

test.serial('includeFiles and excludeFiles - are mutually exclusive even when empty', t => {
	t.throws(() => new VizTracer({includeFiles: [], excludeFiles: []}), {instanceOf: VizTracerOptionError, message: /mutually exclusive/});
});

test.serial('includeFiles and excludeFiles - one of them undefined is fine', t => {
	const tracer = new VizTracer({includeFiles: ['src/**'], excludeFiles: undefined});
	t.deepEqual(tracer.options.includeFiles, ['src/**']);
	t.is(tracer.options.excludeFiles, undefined);
});

// Unknown options and a bad options argument

for (const unknown of ['output_file', 'tracerEntry', 'outputfile', 'plugin', 'constructor', 'toString']) {
	test.serial(`options - rejects the unknown option ${unknown}`, t => {
		const error = t.throws(() => new VizTracer({[unknown]: 'x.json'}), {instanceOf: VizTracerOptionError});
		t.true(error instanceof TypeError);
		t.is(error.code, 'VIZTRACER_INVALID_OPTION');
		t.is(error.option, unknown);
		t.true(error.message.includes(`\`${unknown}\``), error.message);
		t.regex(error.message, /unknown option/i);
		t.true(error.message.includes('"x.json"'), 'the message shows the value');
		for (const known of Object.keys(defaultOptions)) {
			t.true(error.message.includes(known), `the message lists ${known}`);
		}
	});
}

test.serial('options - an unknown option is rejected even when undefined', t => {
	t.throws(() => new VizTracer({tracer_entries: undefined}), {instanceOf: VizTracerOptionError, message: /tracer_entries/});
});

for (const bad of ['result.json', 42, null, ['outputFile'], () => ({})]) {
	test.serial(`options - rejects ${typeof bad === 'function' ? 'a function' : describe(bad)} as the options argument`, t => {
		const error = t.throws(() => new VizTracer(bad), {instanceOf: VizTracerOptionError});
		t.true(error instanceof TypeError);
		t.is(error.code, 'VIZTRACER_INVALID_OPTION');
		t.regex(error.message, /`options`/);
		t.regex(error.message, /an object/);
	});
}

test.serial('options - the first invalid option is reported, and no plugin is registered', t => {
	const messages = [];
	const plugin = {
		supportVersion: () => '0.1.0',
		message(mType, payload) {
			messages.push(payload);
			return mType === 'command' ? {success: true} : {};
		},
	};
	t.throws(() => new VizTracer({plugins: [plugin], tracerEntries: 0}), {instanceOf: VizTracerOptionError, message: /tracerEntries/});
	t.deepEqual(messages, [], 'validation happens before any plugin hears initialize');
});

test.serial('options - onDemand and flightRecorder together are refused: both answer SIGUSR2', t => {
	const error = t.throws(() => new VizTracer({onDemand: true, flightRecorder: 5}), {instanceOf: VizTracerOptionError});
	t.is(error.option, 'flightRecorder');
	t.regex(error.message, /unset when `onDemand` is on \(both answer SIGUSR2: choose one\)/);
	t.notThrows(() => new VizTracer({onDemand: false, flightRecorder: 5}).terminate());
});

test.serial('options - an invalid option does not affect the current tracer', t => {
	t.throws(() => new VizTracer({verbose: 3}));
	t.is(getTracer(), undefined);
});

// Defaults and the resolved options

test.serial('defaults - tracer.options holds every option with its documented default', t => {
	const tracer = new VizTracer();
	t.deepEqual({...tracer.options}, {
		outputFile: 'result.json',
		tracerEntries: undefined,
		flightRecorder: undefined,
		onDemand: false,
		verbose: 1,
		maxStackDepth: -1,
		minDuration: 0,
		includeFiles: undefined,
		excludeFiles: undefined,
		includeNodeModules: false,
		logException: false,
		logFuncArgs: false,
		logFuncRetval: false,
		logAsync: false,
		logGc: false,
		logPrint: false,
		logRequests: false,
		traceChannels: [],
		logSparse: false,
		pidSuffix: false,
		processName: undefined,
		plugins: [],
	});
	t.deepEqual({...new VizTracer({}).options}, {...tracer.options});
});

test.serial('defaults - the exported defaultOptions match a default tracer\'s options', t => {
	t.deepEqual({...defaultOptions}, {...new VizTracer().options});
	t.true(Object.isFrozen(defaultOptions));
});

test.serial('defaults - given options override only themselves', t => {
	const tracer = new VizTracer({outputFile: 'x.json.gz', tracerEntries: 64, verbose: 0, logGc: true, processName: 'proc'});
	t.like(tracer.options, {
		outputFile: 'x.json.gz',
		tracerEntries: 64,
		verbose: 0,
		logGc: true,
		processName: 'proc',
		maxStackDepth: -1,
		minDuration: 0,
		pidSuffix: false,
	});
});

test.serial('tracer.options - is frozen', t => {
	const tracer = new VizTracer({verbose: 0});
	t.true(Object.isFrozen(tracer.options));
	t.throws(() => {
		tracer.options.verbose = 1;
	}, {instanceOf: TypeError});
	t.is(tracer.options.verbose, 0);
});

test.serial('tracer.options - later changes to the object passed in do not leak into the tracer', t => {
	const includeFiles = ['src/**'];
	const plugin = new (class extends VizPluginBase {
		supportVersion() {
			return '0.1.0';
		}
	})();
	const plugins = [plugin];
	const options = {verbose: 0, tracerEntries: 128, includeFiles, plugins};
	const tracer = new VizTracer(options);
	options.tracerEntries = -1;
	includeFiles.push(42);
	plugins.push('not even a plugin');
	t.is(tracer.options.tracerEntries, 128);
	t.deepEqual(tracer.options.includeFiles, ['src/**']);
	t.deepEqual(tracer.options.plugins, [plugin]);
	t.deepEqual(tracer.plugins, [plugin]);
});

test.serial('VizTracerOptionError - catches both the TypeError and the RangeError kind', t => {
	const kinds = [];
	for (const options of [{tracerEntries: 'many'}, {tracerEntries: -1}]) {
		try {
			new VizTracer(options); // eslint-disable-line no-new
		} catch (error) {
			if (error instanceof VizTracerOptionError) {
				kinds.push(error instanceof RangeError ? 'range' : 'type');
			}
		}
	}

	t.deepEqual(kinds, ['type', 'range']);
});
