// The plugin protocol: a port of every scenario of VizTracer's
// tests/test_vizplugin.py (basic, invalid, terminate, version, command-line
// plugin loading), plus the rest of the protocol as the spec describes it.
import fs from 'node:fs';
import path from 'node:path';
import test from 'ava';
import {
	getTracer,
	loadPlugin,
	version,
	VizPluginBase,
	VizPluginError,
	VizTracer,
	VizTracerInvalidPluginError,
	VizTracerStateError,
} from '../../dist/index.js';
import {fixturesDir, readTrace, rootDir, runCli, temporaryDirectory} from '../helpers/exec.js';

const pluginsDir = path.join(fixturesDir, 'plugins');
// Plugin strings resolve from the current directory, which ava sets to the project root.
const fixturePlugin = file => `./${path.relative(rootDir, path.join(pluginsDir, file)).split(path.sep).join('/')}`;

const temporaryRoot = temporaryDirectory();

/** A tracer writing into a fresh temporary directory; terminated after the test whatever happens. */
function makeTracer(t, options = {}) {
	const directory = fs.mkdtempSync(path.join(temporaryRoot, 'case-'));
	const tracer = new VizTracer({verbose: 0, outputFile: path.join(directory, 'result.json'), ...options});
	t.teardown(() => {
		try {
			tracer.terminate();
		} catch {}
	});
	return {tracer, directory, outputFile: tracer.options.outputFile};
}

const recordedNames = trace => trace.traceEvents.filter(event => event.ph !== 'M').map(event => event.name);

/** Runs `action` and returns the process warnings it emitted (they are delivered on a later tick). */
async function collectWarnings(action) {
	const warnings = [];
	const listener = warning => {
		warnings.push(warning);
	};

	process.on('warning', listener);
	try {
		await action();
	} finally {
		await new Promise(resolve => {
			setImmediate(resolve);
		});
		process.off('warning', listener);
	}

	return warnings;
}

// The plugins of test_vizplugin.py, ported.

/** Counts its messages, asks for a handler at pre-save, and answers terminate as told. */
class MyPlugin extends VizPluginBase {
	eventCounter = 0;
	handlerTriggered = false;
	handlerData = [];
	messages = [];

	constructor({terminateWell = true} = {}) {
		super();
		this.terminateWell = terminateWell;
	}

	supportVersion() {
		return version;
	}

	message(mType, payload) {
		this.eventCounter++;
		this.messages.push([mType, {...payload}]);
		if (mType === 'event' && payload.when === 'pre-save') {
			return {
				action: 'handle_data',
				handler: data => {
					this.handlerTriggered = true;
					this.handlerData.push(data);
				},
			};
		}

		if (mType === 'command' && payload.cmd_type === 'terminate') {
			return {success: this.terminateWell};
		}

		return {};
	}
}

/** Overrides nothing: supportVersion() is missing. */
class MyPluginIncomplete extends VizPluginBase {}

/** Supports a viztracer far in the future. */
class MyPluginFuture extends VizPluginBase {
	supportVersion() {
		return '9999.999.99';
	}
}

/** Throws from message() (or from its handler) at the given moments, `times` times in all. */
class ThrowingPlugin extends VizPluginBase {
	received = [];

	constructor({at, inHandler = false, times = Number.POSITIVE_INFINITY}) {
		super();
		this.at = at;
		this.inHandler = inHandler;
		this.remaining = times;
	}

	supportVersion() {
		return version;
	}

	message(mType, payload) {
		const what = mType === 'event' ? payload.when : payload.cmd_type;
		this.received.push(what);
		if (what === this.at && this.remaining > 0) {
			this.remaining--;
			if (!this.inHandler) {
				throw new Error(`boom in message at ${what}`);
			}

			return {
				action: 'handle_data',
				handler: data => {
					// Half-done work before failing must not reach the file.
					data.traceEvents.push({ph: 'i', name: 'half-done', pid: 1, tid: 1, ts: 0, s: 'g'});
					data.viztracer_metadata.halfDone = true;
					throw new Error(`boom in handler at ${what}`);
				},
			};
		}

		return super.message(mType, payload);
	}
}

/** A plain object plugin (no subclassing), recording what it receives. */
function plainPlugin({log = [], eventReply = () => ({}), ...rest} = {}) {
	// `terminateReply` may be given as undefined on purpose, so no default parameter for it.
	const terminateReply = Object.hasOwn(rest, 'terminateReply') ? rest.terminateReply : {success: true};
	return {
		log,
		supportVersion() {
			return '0.1.0';
		},
		message(mType, payload) {
			log.push(mType === 'event' ? payload.when : payload.cmd_type);
			return mType === 'event' ? eventReply(payload.when) : terminateReply;
		},
	};
}

function assertPluginError(t, fn, {plugin, message}) {
	const error = t.throws(fn, {instanceOf: VizPluginError});
	t.is(error.code, 'VIZTRACER_PLUGIN_ERROR');
	t.is(error.name, 'VizPluginError');
	if (plugin !== undefined) {
		t.is(error.plugin, plugin);
	}

	if (message !== undefined) {
		t.regex(error.message, message);
	}

	return error;
}

// test_basic

test.serial('basic - exactly four messages reach a plugin over start, stop and save', t => {
	const plugin = new MyPlugin();
	const {tracer} = makeTracer(t, {plugins: [plugin]});
	tracer.start();
	tracer.stop();
	tracer.save();
	t.is(plugin.eventCounter, 4);
	t.deepEqual(plugin.messages, [
		['event', {when: 'initialize'}],
		['event', {when: 'pre-start'}],
		['event', {when: 'post-stop'}],
		['event', {when: 'pre-save'}],
	]);
});

test.serial('basic - the pre-save handler is triggered with the assembled trace object', async t => {
	const plugin = new MyPlugin();
	const {tracer, outputFile} = makeTracer(t, {plugins: [plugin]});
	let listenerData;
	tracer.on('pre-save', data => {
		listenerData = data;
	});
	tracer.start();
	tracer.logInstant('traced');
	tracer.stop();
	t.false(plugin.handlerTriggered);
	tracer.save();
	t.true(plugin.handlerTriggered);
	t.is(plugin.handlerData.length, 1);
	const [data] = plugin.handlerData;
	t.deepEqual(Object.keys(data).sort(), ['displayTimeUnit', 'traceEvents', 'viztracer_metadata']);
	t.true(Array.isArray(data.traceEvents));
	t.deepEqual(recordedNames(data), ['traced']);
	t.is(data.displayTimeUnit, 'ns');
	t.is(data.viztracer_metadata.version, version);
	t.is(data.viztracer_metadata.overflow, false);
	t.is(data, listenerData, 'plugins and pre-save listeners see the same object');
	const trace = await readTrace(outputFile);
	t.deepEqual(recordedNames(trace), ['traced']);
});

test.serial('basic - initialize is sent at construction, once per plugin', t => {
	const plugin = new MyPlugin();
	const {tracer} = makeTracer(t, {plugins: [plugin]});
	t.deepEqual(plugin.messages, [['event', {when: 'initialize'}]]);
	t.deepEqual(tracer.plugins, [plugin]);
});

test.serial('basic - terminate is a fifth message, a command', t => {
	const plugin = new MyPlugin();
	const {tracer} = makeTracer(t, {plugins: [plugin]});
	tracer.start();
	tracer.stop();
	tracer.save();
	tracer.terminate();
	t.is(plugin.eventCounter, 5);
	t.deepEqual(plugin.messages.at(-1), ['command', {cmd_type: 'terminate'}]);
});

test.serial('basic - pre-start is sent before recording starts and post-stop after it stops', t => {
	const seen = [];
	const plugin = plainPlugin({
		eventReply(when) {
			if (when !== 'initialize') {
				seen.push({when, enabled: tracer.enabled, current: getTracer() === tracer});
			}

			return {};
		},
	});
	const {tracer} = makeTracer(t, {plugins: [plugin]});
	tracer.start();
	tracer.stop();
	t.deepEqual(seen, [
		{when: 'pre-start', enabled: false, current: false},
		{when: 'post-stop', enabled: false, current: false},
	]);
});

test.serial('basic - every plugin gets every message, in plugin order', t => {
	const log = [];
	const first = plainPlugin({log: {push: what => log.push(`first:${what}`)}});
	const second = plainPlugin({log: {push: what => log.push(`second:${what}`)}});
	const {tracer} = makeTracer(t, {plugins: [first, second]});
	tracer.start();
	tracer.stop();
	tracer.save();
	tracer.terminate();
	t.deepEqual(log, [
		'first:initialize',
		'second:initialize',
		'first:pre-start',
		'second:pre-start',
		'first:post-stop',
		'second:post-stop',
		'first:pre-save',
		'second:pre-save',
		'first:terminate',
		'second:terminate',
	]);
});

test.serial('basic - a handle_data reply at post-stop gets the tracer\'s data at once', t => {
	const received = [];
	const plugin = plainPlugin({
		eventReply: when => (when === 'post-stop' ? {action: 'handle_data', handler: data => received.push(recordedNames(data))} : {}),
	});
	const {tracer} = makeTracer(t, {plugins: [plugin]});
	tracer.start();
	tracer.logInstant('before-stop');
	tracer.stop();
	t.deepEqual(received, [['before-stop']], 'the handler ran inside stop(), with what was recorded');
});

test.serial('basic - replies of {}, undefined and null mean nothing to do', async t => {
	for (const reply of [{}, undefined, null]) {
		const plugin = plainPlugin({eventReply: () => reply});
		const {tracer, outputFile} = makeTracer(t, {plugins: [plugin]});
		tracer.start();
		tracer.logInstant('ok');
		tracer.stop();
		tracer.save();
		tracer.terminate();
		t.deepEqual(plugin.log, ['initialize', 'pre-start', 'post-stop', 'pre-save', 'terminate']);
		// eslint-disable-next-line no-await-in-loop
		t.deepEqual(recordedNames(await readTrace(outputFile)), ['ok'], `reply ${JSON.stringify(reply)}`);
	}
});

test.serial('basic - an unknown action is ignored with a warning', async t => {
	const plugin = plainPlugin({eventReply: when => (when === 'pre-save' ? {action: 'make_coffee'} : {})});
	const {tracer, outputFile} = makeTracer(t, {plugins: [plugin]});
	const warnings = await collectWarnings(() => {
		tracer.start();
		tracer.stop();
		tracer.save();
	});
	const actionWarnings = warnings.filter(warning => warning.code === 'VIZTRACER_PLUGIN_ACTION');
	t.is(actionWarnings.length, 1);
	t.regex(actionWarnings[0].message, /make_coffee/);
	t.true(fs.existsSync(outputFile));
});

test.serial('basic - a handle_data reply without a function handler is a VizPluginError', t => {
	const plugin = plainPlugin({eventReply: when => (when === 'pre-save' ? {action: 'handle_data', handler: 'not a function'} : {})});
	const {tracer, outputFile} = makeTracer(t, {plugins: [plugin]});
	tracer.start();
	tracer.stop();
	assertPluginError(t, () => tracer.save(), {message: /handler/});
	t.false(fs.existsSync(outputFile));
});

// Handlers mutate the data in place

test.serial('handle_data - handlers run in plugin order and what they leave is written', async t => {
	const seenBySecond = [];
	const first = plainPlugin({
		eventReply: when => (when === 'pre-save'
			? {
				action: 'handle_data',
				handler(data) {
					data.traceEvents.push({ph: 'i', name: 'from-first', pid: 1, tid: 1, ts: 1, s: 'g'});
					data.viztracer_metadata.firstPlugin = true;
					data.addedByFirst = {answer: 42};
				},
			}
			: {}),
	});
	const second = plainPlugin({
		eventReply: when => (when === 'pre-save'
			? {
				action: 'handle_data',
				handler(data) {
					seenBySecond.push(...recordedNames(data));
					data.traceEvents.push({ph: 'i', name: 'from-second', pid: 1, tid: 1, ts: 2, s: 'g'});
				},
			}
			: {}),
	});
	const {tracer, outputFile} = makeTracer(t, {plugins: [first, second]});
	let listenerSaw;
	tracer.on('pre-save', data => {
		listenerSaw = {names: recordedNames(data), addedByFirst: data.addedByFirst};
	});
	tracer.start();
	tracer.logInstant('recorded');
	tracer.stop();
	tracer.save();
	t.deepEqual(seenBySecond, ['recorded', 'from-first'], 'the second handler sees the first one\'s changes');
	t.deepEqual(listenerSaw, {names: ['recorded', 'from-first', 'from-second'], addedByFirst: {answer: 42}});
	const trace = await readTrace(outputFile);
	t.deepEqual(recordedNames(trace), ['recorded', 'from-first', 'from-second']);
	t.deepEqual(trace.traceEvents.at(-1), {ph: 'i', name: 'from-second', pid: 1, tid: 1, ts: 2, s: 'g'});
	t.deepEqual(trace.addedByFirst, {answer: 42});
	t.true(trace.viztracer_metadata.firstPlugin);
	t.is(trace.viztracer_metadata.version, version);
});

test.serial('handle_data - a handler may replace traceEvents or drop events', async t => {
	const plugin = plainPlugin({
		eventReply: when => (when === 'pre-save'
			? {
				action: 'handle_data',
				handler(data) {
					data.traceEvents = data.traceEvents.filter(event => event.name !== 'secret');
					data.traceEvents.splice(0, 0, {ph: 'i', name: 'first-of-all', pid: 1, tid: 1, ts: 0, s: 'g'});
				},
			}
			: {}),
	});
	const {tracer, outputFile} = makeTracer(t, {plugins: [plugin]});
	tracer.start();
	tracer.logInstant('public');
	tracer.logInstant('secret');
	tracer.stop();
	tracer.save();
	const trace = await readTrace(outputFile);
	t.is(trace.traceEvents[0].name, 'first-of-all');
	t.deepEqual(recordedNames(trace), ['first-of-all', 'public']);
});

test.serial('handle_data - changes made at pre-save affect only that save', async t => {
	const plugin = new MyPlugin();
	const stamper = plainPlugin({
		eventReply: when => (when === 'pre-save' ? {action: 'handle_data', handler: data => data.traceEvents.push({ph: 'i', name: 'stamp', pid: 1, tid: 1, ts: 0, s: 'g'})} : {}),
	});
	const {tracer, directory} = makeTracer(t, {plugins: [plugin, stamper]});
	tracer.start();
	tracer.logInstant('x');
	tracer.stop();
	const first = tracer.save(path.join(directory, 'a.json'));
	const second = tracer.save(path.join(directory, 'b.json'));
	t.deepEqual(recordedNames(await readTrace(first)), ['x', 'stamp']);
	t.deepEqual(recordedNames(await readTrace(second)), ['x', 'stamp'], 'not stamped twice');
	t.not(plugin.handlerData[0], plugin.handlerData[1], 'each save assembles a fresh object');
});

// test_invalid

test.serial('invalid - an array as a plugin is a TypeError with code VIZTRACER_INVALID_PLUGIN', t => {
	const error = t.throws(() => new VizTracer({verbose: 0, plugins: [[]]}), {instanceOf: TypeError});
	t.true(error instanceof VizTracerInvalidPluginError);
	t.is(error.code, 'VIZTRACER_INVALID_PLUGIN');
	t.regex(error.message, /Invalid plugin/);
});

for (const [label, value] of [
	['null', null],
	['undefined', undefined],
	['a number', 42],
	['an empty object', {}],
	['an object with supportVersion() only', {supportVersion: () => '0.1.0'}],
	['an object with message() only', {message: () => ({})}],
	['an object whose methods are not functions', {supportVersion: '0.1.0', message: {}}],
	['a plugin class instead of an instance', MyPlugin],
	['an empty string', ''],
	['a blank string', '   '],
]) {
	test.serial(`invalid - ${label} as a plugin is a TypeError with "Invalid plugin"`, t => {
		const error = t.throws(() => new VizTracer({verbose: 0, plugins: [value]}), {instanceOf: VizTracerInvalidPluginError});
		t.true(error instanceof TypeError);
		t.is(error.code, 'VIZTRACER_INVALID_PLUGIN');
		t.regex(error.message, /Invalid plugin/);
	});
}

test.serial('invalid - a VizPluginBase subclass without supportVersion() fails with "must be overridden"', t => {
	const error = assertPluginError(t, () => new VizTracer({verbose: 0, plugins: [new MyPluginIncomplete()]}), {
		plugin: 'MyPluginIncomplete',
		message: /must be overridden/,
	});
	t.regex(error.message, /MyPluginIncomplete/);
});

test.serial('invalid - a plugin that fails registration leaves no tracer, and the plugins before it are initialised then terminated', t => {
	const good = new MyPlugin();
	t.throws(() => new VizTracer({verbose: 0, plugins: [good, new MyPluginIncomplete()]}), {instanceOf: VizPluginError});
	t.deepEqual(good.messages, [['event', {when: 'initialize'}], ['command', {cmd_type: 'terminate'}]], 'plugins before the bad one were registered, then released');
	t.is(getTracer(), undefined);
});

for (const [label, supported, pattern] of [
	['a number', 42, /version string/],
	['a non-version string', 'latest', /version string/],
	['undefined', undefined, /version string/],
]) {
	test.serial(`invalid - supportVersion() returning ${label} is a VizPluginError`, t => {
		const plugin = {supportVersion: () => supported, message: () => ({})};
		assertPluginError(t, () => new VizTracer({verbose: 0, plugins: [plugin]}), {message: pattern});
	});
}

test.serial('invalid - supportVersion() that throws is a VizPluginError with the cause', t => {
	const cause = new Error('cannot tell');
	class Moody extends VizPluginBase {
		supportVersion() {
			throw cause;
		}
	}

	const error = assertPluginError(t, () => new VizTracer({verbose: 0, plugins: [new Moody()]}), {plugin: 'Moody', message: /cannot tell/});
	t.is(error.cause, cause);
});

// test_terminate

test.serial('terminate - through [Symbol.dispose]() succeeds when the plugin acknowledges', async t => {
	const plugin = new MyPlugin();
	const {tracer, outputFile} = makeTracer(t, {plugins: [plugin]});
	tracer.start();
	tracer.logInstant('inside');
	t.notThrows(() => tracer[Symbol.dispose]());
	t.deepEqual(plugin.messages.map(([, payload]) => payload.when ?? payload.cmd_type), ['initialize', 'pre-start', 'post-stop', 'pre-save', 'terminate']);
	t.deepEqual(recordedNames(await readTrace(outputFile)), ['inside']);
});

test.serial('terminate - a {success: false} reply throws VizPluginError from [Symbol.dispose]() naming the plugin', async t => {
	const plugin = new MyPlugin({terminateWell: false});
	const {tracer, outputFile} = makeTracer(t, {plugins: [plugin]});
	let terminateEmitted = false;
	tracer.on('terminate', () => {
		terminateEmitted = true;
	});
	tracer.start();
	tracer.logInstant('inside');
	const error = assertPluginError(t, () => tracer[Symbol.dispose](), {plugin: 'MyPlugin', message: /MyPlugin/});
	t.regex(error.message, /terminate/);
	t.regex(error.message, /"success":false/, 'the message shows the reply');
	t.deepEqual(recordedNames(await readTrace(outputFile)), ['inside'], 'the trace was saved before terminate failed');
	t.true(terminateEmitted);
	t.throws(() => tracer.start(), {instanceOf: VizTracerStateError}, 'the tracer is terminated all the same');
	t.notThrows(() => tracer.terminate(), 'a second terminate() is a no-op');
});

test.serial('terminate - terminate() itself throws on a bad reply', t => {
	const plugin = new MyPlugin({terminateWell: false});
	const {tracer} = makeTracer(t, {plugins: [plugin]});
	assertPluginError(t, () => tracer.terminate(), {plugin: 'MyPlugin'});
});

for (const [label, reply] of [
	['{}', {}],
	['undefined', undefined],
	['null', null],
	['{success: "yes"}', {success: 'yes'}],
	['{success: 1}', {success: 1}],
]) {
	test.serial(`terminate - a ${label} reply is not an acknowledgement`, t => {
		const plugin = plainPlugin({terminateReply: reply});
		const {tracer} = makeTracer(t, {plugins: [plugin]});
		assertPluginError(t, () => tracer.terminate(), {message: /terminate/});
	});
}

test.serial('terminate - a plugin throwing on terminate is a VizPluginError with the cause', t => {
	const plugin = new ThrowingPlugin({at: 'terminate'});
	const {tracer} = makeTracer(t, {plugins: [plugin]});
	const error = assertPluginError(t, () => tracer.terminate(), {plugin: 'ThrowingPlugin', message: /boom in message at terminate/});
	t.true(error.cause instanceof Error);
});

test.serial('terminate - one plugin failing still sends terminate to the others', t => {
	const failing = new MyPlugin({terminateWell: false});
	const after = new MyPlugin();
	const {tracer} = makeTracer(t, {plugins: [failing, after]});
	t.throws(() => tracer.terminate(), {instanceOf: VizPluginError});
	t.deepEqual(after.messages.at(-1), ['command', {cmd_type: 'terminate'}]);
});

test.serial('terminate - a {success: false} reply rejects [Symbol.asyncDispose]() with VizPluginError', async t => {
	const plugin = new MyPlugin({terminateWell: false});
	const {tracer, outputFile} = makeTracer(t, {plugins: [plugin]});
	tracer.start();
	const error = await t.throwsAsync(tracer[Symbol.asyncDispose](), {instanceOf: VizPluginError});
	t.is(error.code, 'VIZTRACER_PLUGIN_ERROR');
	t.is(error.plugin, 'MyPlugin');
	t.true(fs.existsSync(outputFile));
});

// test_version

test.serial('version - a plugin supporting a newer viztracer warns exactly once', async t => {
	const warnings = await collectWarnings(() => {
		const {tracer} = makeTracer(t, {plugins: [new MyPluginFuture()]});
		tracer.start();
		tracer.stop();
		tracer[Symbol.dispose]();
	});
	const versionWarnings = warnings.filter(warning => warning.code === 'VIZTRACER_PLUGIN_VERSION');
	t.is(versionWarnings.length, 1);
	const [warning] = versionWarnings;
	t.is(warning.message.split('support version is higher').length - 1, 1);
	t.regex(warning.message, /MyPluginFuture/);
	t.regex(warning.message, /9999\.999\.99/);
});

test.serial('version - a plugin supporting this version or an older one does not warn', async t => {
	class Older extends VizPluginBase {
		supportVersion() {
			return '0.0.1';
		}
	}

	const warnings = await collectWarnings(() => {
		for (const plugin of [new MyPlugin(), new Older()]) {
			const {tracer} = makeTracer(t, {plugins: [plugin]});
			tracer.start();
			tracer[Symbol.dispose]();
		}
	});
	t.deepEqual(warnings.filter(warning => warning.code === 'VIZTRACER_PLUGIN_VERSION'), []);
});

// The base class's defaults

test.serial('VizPluginBase - message() answers terminate with {success: true} and everything else with {}', t => {
	class OnlyVersion extends VizPluginBase {
		supportVersion() {
			return version;
		}
	}

	for (const plugin of [new OnlyVersion(), new VizPluginBase()]) {
		for (const when of ['initialize', 'pre-start', 'post-stop', 'pre-save']) {
			t.deepEqual(plugin.message('event', {when}), {});
		}

		t.deepEqual(plugin.message('command', {cmd_type: 'terminate'}), {success: true});
	}
});

test.serial('VizPluginBase - a subclass overriding only supportVersion() goes through the whole lifecycle', async t => {
	class OnlyVersion extends VizPluginBase {
		supportVersion() {
			return version;
		}
	}

	const {tracer, outputFile} = makeTracer(t, {plugins: [new OnlyVersion()]});
	tracer.start();
	tracer.logInstant('fine');
	t.notThrows(() => tracer[Symbol.dispose]());
	t.deepEqual(recordedNames(await readTrace(outputFile)), ['fine']);
});

test.serial('VizPluginBase - the base supportVersion() throws "must be overridden"', t => {
	assertPluginError(t, () => new VizPluginBase().supportVersion(), {plugin: 'VizPluginBase', message: /must be overridden/});
});

// Plugins that are not subclasses, and the brand

test.serial('plain objects - an object with supportVersion() and message() is a plugin', async t => {
	const plugin = plainPlugin({
		eventReply: when => (when === 'pre-save' ? {action: 'handle_data', handler: data => data.traceEvents.push({ph: 'i', name: 'plain', pid: 1, tid: 1, ts: 0, s: 'g'})} : {}),
	});
	t.false(plugin instanceof VizPluginBase);
	const {tracer, outputFile} = makeTracer(t, {plugins: [plugin]});
	t.deepEqual(tracer.plugins, [plugin]);
	tracer.start();
	t.notThrows(() => tracer[Symbol.dispose]());
	t.deepEqual(plugin.log, ['initialize', 'pre-start', 'post-stop', 'pre-save', 'terminate']);
	t.deepEqual(recordedNames(await readTrace(outputFile)), ['plain']);
});

test.serial('plain objects - a class instance not extending VizPluginBase is a plugin too', t => {
	class Standalone {
		log = [];
		supportVersion() {
			return '0.1.0';
		}

		message(mType, payload) {
			this.log.push(payload.when ?? payload.cmd_type);
			return mType === 'command' ? {success: true} : undefined;
		}
	}

	const plugin = new Standalone();
	const {tracer} = makeTracer(t, {plugins: [plugin]});
	tracer.start();
	tracer[Symbol.dispose]();
	t.deepEqual(plugin.log, ['initialize', 'pre-start', 'post-stop', 'pre-save', 'terminate']);
});

test.serial('plain objects - a failing terminate is named after the plugin\'s class', t => {
	class Grumpy {
		supportVersion() {
			return '0.1.0';
		}

		message() {
			return {};
		}
	}

	const {tracer} = makeTracer(t, {plugins: [new Grumpy()]});
	const error = assertPluginError(t, () => tracer.terminate(), {plugin: 'Grumpy'});
	t.regex(error.message, /Grumpy/);
});

test.serial('brand - a plugin from another copy of viztracer is instanceof VizPluginBase', async t => {
	// What another copy of the package's VizPluginBase looks like: a distinct
	// class that carries the same registered brand on its prototype.
	class OtherCopyVizPluginBase {
		get [Symbol.for('viztracer.plugin')]() {
			return true;
		}

		supportVersion() {
			throw new Error('must be overridden');
		}

		message(mType, payload) {
			return mType === 'command' && payload.cmd_type === 'terminate' ? {success: true} : {};
		}
	}

	class ForeignPlugin extends OtherCopyVizPluginBase {
		supportVersion() {
			return version;
		}

		message(mType, payload) {
			if (mType === 'event' && payload.when === 'pre-save') {
				return {action: 'handle_data', handler: data => data.traceEvents.push({ph: 'i', name: 'foreign', pid: 1, tid: 1, ts: 0, s: 'g'})};
			}

			return super.message(mType, payload);
		}
	}

	const plugin = new ForeignPlugin();
	t.true(plugin instanceof VizPluginBase);
	t.false(Object.hasOwn(plugin, Symbol.for('viztracer.plugin')), 'the brand lives on the prototype');
	const {tracer, outputFile} = makeTracer(t, {plugins: [plugin]});
	tracer.start();
	t.notThrows(() => tracer[Symbol.dispose]());
	t.deepEqual(recordedNames(await readTrace(outputFile)), ['foreign']);
});

test.serial('brand - objects without it are not instanceof VizPluginBase', t => {
	t.false({} instanceof VizPluginBase);
	t.false(plainPlugin() instanceof VizPluginBase);
	t.false({[Symbol.for('viztracer.plugin')]: 'yes'} instanceof VizPluginBase);
	t.false(null instanceof VizPluginBase);
	t.true(new MyPlugin() instanceof VizPluginBase);
	t.true(Object.create(MyPlugin.prototype) instanceof VizPluginBase);
});

// A plugin that throws must not corrupt or lose the trace

test.serial('throwing - in message() at initialize makes the constructor throw VizPluginError', t => {
	const plugin = new ThrowingPlugin({at: 'initialize'});
	const error = assertPluginError(t, () => new VizTracer({verbose: 0, plugins: [plugin]}), {plugin: 'ThrowingPlugin', message: /initialize/});
	t.regex(error.message, /boom in message at initialize/);
	t.is(error.cause.message, 'boom in message at initialize');
});

test.serial('throwing - in message() at pre-start surfaces from start(); a later save() writes a valid file', async t => {
	const plugin = new ThrowingPlugin({at: 'pre-start', times: 1});
	const {tracer, outputFile} = makeTracer(t, {plugins: [plugin]});
	const error = assertPluginError(t, () => tracer.start(), {plugin: 'ThrowingPlugin', message: /pre-start/});
	t.is(error.cause.message, 'boom in message at pre-start');
	t.false(tracer.enabled, 'the tracer did not start');
	t.is(getTracer(), undefined);
	tracer.start();
	tracer.logInstant('after-retry');
	tracer.stop();
	tracer.save();
	const trace = await readTrace(outputFile);
	t.deepEqual(recordedNames(trace), ['after-retry']);
});

test.serial('throwing - in message() at post-stop surfaces from stop(); the recording is kept and saved later', async t => {
	const plugin = new ThrowingPlugin({at: 'post-stop'});
	const {tracer, outputFile} = makeTracer(t, {plugins: [plugin]});
	tracer.start();
	tracer.logInstant('kept');
	assertPluginError(t, () => tracer.stop(), {plugin: 'ThrowingPlugin', message: /post-stop/});
	t.false(tracer.enabled, 'the tracer stopped anyway');
	t.is(getTracer(), undefined);
	t.throws(() => tracer.stop(), {instanceOf: VizTracerStateError});
	tracer.save();
	t.deepEqual(recordedNames(await readTrace(outputFile)), ['kept']);
});

test.serial('throwing - in message() at pre-save surfaces from save() without writing; a later save() writes a valid file', async t => {
	const plugin = new ThrowingPlugin({at: 'pre-save', times: 1});
	const {tracer, outputFile} = makeTracer(t, {plugins: [plugin]});
	tracer.start();
	tracer.logInstant('kept');
	tracer.stop();
	assertPluginError(t, () => tracer.save(), {plugin: 'ThrowingPlugin', message: /pre-save/});
	t.false(fs.existsSync(outputFile), 'no file was written');
	t.is(tracer.save(), outputFile);
	t.deepEqual(recordedNames(await readTrace(outputFile)), ['kept']);
});

test.serial('throwing - a handler that throws at pre-save leaves none of its changes in a later save', async t => {
	const plugin = new ThrowingPlugin({at: 'pre-save', inHandler: true, times: 1});
	const {tracer, outputFile} = makeTracer(t, {plugins: [plugin]});
	tracer.start();
	tracer.logInstant('kept');
	tracer.stop();
	const error = assertPluginError(t, () => tracer.save(), {plugin: 'ThrowingPlugin', message: /handler/});
	t.regex(error.message, /boom in handler at pre-save/);
	t.false(fs.existsSync(outputFile));
	tracer.save();
	const trace = await readTrace(outputFile);
	t.deepEqual(recordedNames(trace), ['kept']);
	t.false('halfDone' in trace.viztracer_metadata);
});

test.serial('throwing - a handler that throws at post-stop surfaces from stop()', async t => {
	const plugin = new ThrowingPlugin({at: 'post-stop', inHandler: true, times: 1});
	const {tracer, outputFile} = makeTracer(t, {plugins: [plugin]});
	tracer.start();
	tracer.logInstant('kept');
	assertPluginError(t, () => tracer.stop(), {plugin: 'ThrowingPlugin', message: /boom in handler at post-stop/});
	tracer.save();
	t.deepEqual(recordedNames(await readTrace(outputFile)), ['kept']);
});

test.serial('throwing - the other plugins still get the message, and the first failure is thrown', t => {
	const before = new MyPlugin();
	const failing = new ThrowingPlugin({at: 'pre-start', times: 1});
	const failingToo = new ThrowingPlugin({at: 'pre-start', times: 1});
	const after = new MyPlugin();
	const {tracer} = makeTracer(t, {plugins: [before, failing, failingToo, after]});
	const error = t.throws(() => tracer.start(), {instanceOf: VizPluginError});
	t.is(error.cause.message, 'boom in message at pre-start');
	t.true(failingToo.received.includes('pre-start'));
	t.deepEqual(after.messages.at(-1), ['event', {when: 'pre-start'}]);
	t.deepEqual(before.messages.at(-1), ['event', {when: 'pre-start'}]);
});

test.serial('throwing - [Symbol.dispose]() with a failing pre-save plugin still writes the trace and throws the plugin error', async t => {
	const plugin = new ThrowingPlugin({at: 'pre-save', inHandler: true});
	const {tracer, outputFile} = makeTracer(t, {plugins: [plugin]});
	let preSaveListenerCalls = 0;
	tracer.on('pre-save', () => {
		preSaveListenerCalls++;
	});
	tracer.start();
	tracer.logInstant('must-survive');
	const error = assertPluginError(t, () => tracer[Symbol.dispose](), {plugin: 'ThrowingPlugin', message: /pre-save/});
	t.is(preSaveListenerCalls, 1, 'listeners hear pre-save once, for the file actually written');
	t.regex(error.message, /boom in handler at pre-save/);
	const trace = await readTrace(outputFile);
	t.deepEqual(recordedNames(trace), ['must-survive'], 'written as recorded, without the failed handler\'s changes');
	t.false('halfDone' in trace.viztracer_metadata);
	t.is(plugin.received.at(-1), 'terminate', 'terminate was still sent');
	t.throws(() => tracer.save(), {instanceOf: VizTracerStateError}, 'and the tracer is terminated');
});

test.serial('throwing - [Symbol.dispose]() with a plugin throwing in message() at pre-save still writes the trace', async t => {
	const plugin = new ThrowingPlugin({at: 'pre-save'});
	const {tracer, outputFile} = makeTracer(t, {plugins: [plugin]});
	tracer.start();
	tracer.logInstant('must-survive');
	assertPluginError(t, () => tracer[Symbol.dispose](), {plugin: 'ThrowingPlugin', message: /boom in message at pre-save/});
	t.deepEqual(recordedNames(await readTrace(outputFile)), ['must-survive']);
});

test.serial('throwing - [Symbol.dispose]() with a failing post-stop plugin still saves and terminates', async t => {
	const plugin = new ThrowingPlugin({at: 'post-stop'});
	const {tracer, outputFile} = makeTracer(t, {plugins: [plugin]});
	tracer.start();
	tracer.logInstant('must-survive');
	assertPluginError(t, () => tracer[Symbol.dispose](), {message: /post-stop/});
	t.deepEqual(recordedNames(await readTrace(outputFile)), ['must-survive']);
	t.deepEqual(plugin.received, ['initialize', 'pre-start', 'post-stop', 'pre-save', 'terminate']);
});

test.serial('throwing - [Symbol.asyncDispose]() with a failing pre-save plugin still writes the trace and rejects with the plugin error', async t => {
	const plugin = new ThrowingPlugin({at: 'pre-save', inHandler: true});
	const {tracer, outputFile} = makeTracer(t, {plugins: [plugin]});
	tracer.start();
	tracer.logInstant('must-survive');
	const error = await t.throwsAsync(tracer[Symbol.asyncDispose](), {instanceOf: VizPluginError});
	t.is(error.plugin, 'ThrowingPlugin');
	const trace = await readTrace(outputFile);
	t.deepEqual(recordedNames(trace), ['must-survive']);
	t.false('halfDone' in trace.viztracer_metadata);
	t.is(plugin.received.at(-1), 'terminate');
});

// test_cmdline: plugins given as "module arg" strings

test.serial('string plugin - a CommonJS module\'s getVizplugin gets the whole unparsed string', async t => {
	const spec = `${fixturePlugin('cjs-plugin.cjs')} --rate  100   two words`;
	const {tracer, outputFile} = makeTracer(t, {plugins: [spec]});
	const [plugin] = tracer.plugins;
	t.is(plugin.kind, 'cjs');
	t.is(plugin.arg, spec);
	tracer.start();
	tracer[Symbol.dispose]();
	const trace = await readTrace(outputFile);
	const added = trace.traceEvents.find(event => event.name === 'cjs-plugin');
	t.deepEqual(added.args, {arg: spec});
});

test.serial('string plugin - an ES module exporting getVizplugin', async t => {
	const spec = `${fixturePlugin('esm-plugin.mjs')} a b`;
	const {tracer, outputFile} = makeTracer(t, {plugins: [spec]});
	const [plugin] = tracer.plugins;
	t.is(plugin.kind, 'esm');
	t.is(plugin.arg, spec);
	t.true(plugin instanceof VizPluginBase);
	tracer.start();
	tracer[Symbol.dispose]();
	const trace = await readTrace(outputFile);
	t.is(trace.viztracer_metadata.esmPluginArg, spec);
});

test.serial('string plugin - an ES module exporting get_vizplugin (Python\'s spelling)', t => {
	const spec = `${fixturePlugin('esm-snake-plugin.mjs')} snake`;
	const {tracer} = makeTracer(t, {plugins: [spec]});
	const [plugin] = tracer.plugins;
	t.is(plugin.kind, 'snake');
	t.is(plugin.arg, spec);
	tracer.start();
	t.notThrows(() => tracer[Symbol.dispose]());
});

test.serial('string plugin - getVizplugin on the default export', t => {
	const spec = fixturePlugin('default-export-plugin.mjs');
	const {tracer} = makeTracer(t, {plugins: [spec]});
	t.is(tracer.plugins[0].kind, 'default-export');
	t.is(tracer.plugins[0].arg, spec);
});

test.serial('string plugin - a package directory resolved through its package.json', t => {
	const spec = `${fixturePlugin('directory-plugin')} x=1`;
	const {tracer} = makeTracer(t, {plugins: [spec]});
	t.is(tracer.plugins[0].kind, 'directory');
	t.is(tracer.plugins[0].arg, spec);
});

test.serial('string plugin - an absolute path, with no arguments', t => {
	const spec = path.join(pluginsDir, 'cjs-plugin.cjs');
	const {tracer} = makeTracer(t, {plugins: [spec]});
	t.is(tracer.plugins[0].arg, spec);
});

test.serial('string plugin - the string is passed as given, surrounding spaces included', t => {
	const spec = `   ${fixturePlugin('cjs-plugin.cjs')}   x  `;
	const {tracer} = makeTracer(t, {plugins: [spec]});
	t.is(tracer.plugins[0].arg, spec);
});

test.serial('string plugin - string and object plugins mix, in order', t => {
	const object = new MyPlugin();
	const spec = fixturePlugin('cjs-plugin.cjs');
	const {tracer} = makeTracer(t, {plugins: [object, spec]});
	t.is(tracer.plugins.length, 2);
	t.is(tracer.plugins[0], object);
	t.is(tracer.plugins[1].kind, 'cjs');
});

test.serial('string plugin - loadPlugin() resolves from the directory it is given', t => {
	const plugin = loadPlugin('./cjs-plugin.cjs some args', pluginsDir);
	t.is(plugin.kind, 'cjs');
	t.is(plugin.arg, './cjs-plugin.cjs some args');
});

test.serial('string plugin - a missing module says it cannot be found', t => {
	const spec = './test/fixtures/plugins/does-not-exist.mjs arg';
	const error = assertPluginError(t, () => new VizTracer({verbose: 0, plugins: [spec]}), {
		plugin: './test/fixtures/plugins/does-not-exist.mjs',
		message: /Cannot find plugin module/,
	});
	t.true(error.message.includes('./test/fixtures/plugins/does-not-exist.mjs'));
	t.false(error.message.includes(' arg'), 'the message names the module, not the whole string');
});

test.serial('string plugin - an unknown package name says it cannot be found', t => {
	assertPluginError(t, () => new VizTracer({verbose: 0, plugins: ['viztracer-plugin-that-does-not-exist x']}), {
		plugin: 'viztracer-plugin-that-does-not-exist',
		message: /Cannot find plugin module 'viztracer-plugin-that-does-not-exist'/,
	});
});

test.serial('string plugin - a module without getVizplugin says it does not export it', t => {
	const specifier = fixturePlugin('no-export-plugin.cjs');
	const error = assertPluginError(t, () => new VizTracer({verbose: 0, plugins: [`${specifier} arg`]}), {plugin: specifier, message: /does not export getVizplugin/});
	t.true(error.message.includes(specifier));
});

test.serial('string plugin - an installed package that is not a plugin says it does not export getVizplugin', t => {
	// Python's `--plugin tests.modules`: a real package with no get_vizplugin.
	assertPluginError(t, () => new VizTracer({verbose: 0, plugins: ['eventemitter3']}), {plugin: 'eventemitter3', message: /'eventemitter3' does not export getVizplugin/});
});

test.serial('string plugin - a getVizplugin that is not a function says so', t => {
	const specifier = fixturePlugin('not-a-function-plugin.mjs');
	const error = assertPluginError(t, () => new VizTracer({verbose: 0, plugins: [specifier]}), {plugin: specifier, message: /not a function/});
	t.true(error.message.includes(specifier));
	t.regex(error.message, /object/, 'and what it is instead');
});

test.serial('string plugin - a getVizplugin returning a non-plugin says so', t => {
	const specifier = fixturePlugin('returns-non-plugin.cjs');
	assertPluginError(t, () => new VizTracer({verbose: 0, plugins: [specifier]}), {plugin: specifier, message: /returned number, not a plugin object/});
});

test.serial('string plugin - a getVizplugin that throws says so, with the cause', t => {
	const specifier = fixturePlugin('throwing-factory-plugin.cjs');
	const spec = `${specifier} --bad`;
	const error = assertPluginError(t, () => new VizTracer({verbose: 0, plugins: [spec]}), {plugin: specifier, message: /threw/});
	t.true(error.message.includes(`bad plugin arguments: ${spec}`));
	t.true(error.cause instanceof Error);
});

test.serial('string plugin - a module that fails to load says so, with the cause', t => {
	const specifier = fixturePlugin('broken-plugin.cjs');
	const error = assertPluginError(t, () => new VizTracer({verbose: 0, plugins: [specifier]}), {plugin: specifier, message: /failed to load/});
	t.regex(error.message, /broken plugin module failed at load time/);
	t.true(error.cause instanceof Error);
});

test.serial('string plugin - a failed load leaves no current tracer, and earlier plugins get only initialize and terminate', t => {
	const earlier = new MyPlugin();
	t.throws(() => new VizTracer({verbose: 0, plugins: [earlier, './test/fixtures/plugins/nope.cjs']}), {instanceOf: VizPluginError});
	t.deepEqual(earlier.messages, [['event', {when: 'initialize'}], ['command', {cmd_type: 'terminate'}]]);
	t.is(getTracer(), undefined);
});

// Unwritable data: a handler may leave the trace in a state JSON cannot write.

/** Adds an event at pre-save, then breaks the data with `breakData` (unless it is undefined). */
class DataPlugin extends VizPluginBase {
	constructor(eventName, breakData) {
		super();
		this.eventName = eventName;
		this.breakData = breakData;
		this.calls = 0;
	}

	supportVersion() {
		return version;
	}

	message(mType, payload) {
		if (mType === 'event' && payload.when === 'pre-save') {
			return {
				action: 'handle_data',
				handler: data => {
					this.calls++;
					data.traceEvents.push({ph: 'i', name: this.eventName, pid: 1, tid: 1, ts: 0, s: 'g'});
					this.breakData?.(data);
				},
			};
		}

		return super.message(mType, payload);
	}
}

class BreakingPlugin extends DataPlugin {}

const breakages = {
	'nulls viztracer_metadata': data => {
		data.viztracer_metadata = null;
	},
	'adds an event whose toJSON throws': data => {
		data.traceEvents.push({
			ph: 'i', name: 'bad', pid: 1, tid: 1, ts: 0, toJSON() {
				throw new Error('no JSON for you');
			},
		});
	},
	'adds a cycle at the top level': data => {
		const cycle = {};
		cycle.self = cycle;
		data.extra = cycle;
	},
	'puts a BigInt in an event': data => {
		data.traceEvents.push({ph: 'C', name: 'big', pid: 1, tid: 1, ts: 10n});
	},
	'replaces traceEvents by null': data => {
		data.traceEvents = null;
	},
	'adds a null event': data => {
		data.traceEvents.push(null);
	},
};

const saveModes = {
	'save()': tracer => tracer.save(),
	'saveAsync()': tracer => tracer.saveAsync(),
	'[Symbol.dispose]()': tracer => {
		tracer[Symbol.dispose]();
	},
};

for (const [breakage, breakData] of Object.entries(breakages)) {
	for (const [mode, save] of Object.entries(saveModes)) {
		test.serial(`unwritable - a handler that ${breakage}: ${mode} writes the trace without that plugin's changes and warns naming it`, async t => {
			const before = new DataPlugin('from-before');
			const breaking = new BreakingPlugin('from-breaking', breakData);
			const after = new DataPlugin('from-after');
			const {tracer, outputFile} = makeTracer(t, {plugins: [before, breaking, after]});
			tracer.start();
			tracer.logInstant('recorded', {value: 1});
			if (mode !== '[Symbol.dispose]()') {
				tracer.stop();
			}

			const warnings = await collectWarnings(() => save(tracer));
			const trace = await readTrace(outputFile);
			t.deepEqual(recordedNames(trace), ['recorded', 'from-before', 'from-after'], 'the other plugins\' changes are kept');
			t.is(trace.viztracer_metadata.version, version);
			t.false('extra' in trace);
			const unwritable = warnings.filter(warning => warning.code === 'VIZTRACER_UNWRITABLE_TRACE');
			t.is(unwritable.length, 1);
			t.is(unwritable[0].name, 'VizPluginWarning');
			t.regex(unwritable[0].message, /^Plugin BreakingPlugin's handle_data handler left the trace unwritable \(.+\); the trace was written without its changes$/);
			t.deepEqual(fs.readdirSync(path.dirname(outputFile)).filter(name => name.endsWith('.tmp')), []);
		});
	}
}

test.serial('unwritable - a handler that breaks traceEvents or viztracer_metadata is caught as it returns, and not run again', async t => {
	const breaking = new BreakingPlugin('from-breaking', breakages['nulls viztracer_metadata']);
	const {tracer, outputFile} = makeTracer(t, {plugins: [breaking]});
	tracer.start();
	tracer.logInstant('recorded');
	tracer.stop();
	const warnings = await collectWarnings(() => tracer.save());
	t.deepEqual(recordedNames(await readTrace(outputFile)), ['recorded']);
	t.is(warnings.filter(warning => warning.code === 'VIZTRACER_UNWRITABLE_TRACE').length, 1);
	t.is(breaking.calls, 1);
});

test.serial('unwritable - a handler whose events cannot be written is found by running the handlers again on the recorded data', async t => {
	const before = new DataPlugin('from-before');
	const breaking = new BreakingPlugin('from-breaking', breakages['adds an event whose toJSON throws']);
	const {tracer, outputFile} = makeTracer(t, {plugins: [before, breaking]});
	tracer.start();
	tracer.logInstant('recorded');
	tracer.stop();
	await collectWarnings(() => tracer.save());
	t.deepEqual(recordedNames(await readTrace(outputFile)), ['recorded', 'from-before']);
	// Once for the save, once to find the culprit; the others run once more for the file written.
	t.is(breaking.calls, 2);
	t.is(before.calls, 3);
});

test.serial('unwritable - a pre-save listener that breaks the data is named in the warning', async t => {
	const {tracer, outputFile} = makeTracer(t);
	tracer.on('pre-save', function breakMetadata(data) {
		data.viztracer_metadata = null;
	});
	tracer.start();
	tracer.logInstant('recorded');
	tracer.stop();
	const warnings = await collectWarnings(() => tracer.save());
	t.deepEqual(recordedNames(await readTrace(outputFile)), ['recorded']);
	t.regex(warnings.find(warning => warning.code === 'VIZTRACER_UNWRITABLE_TRACE').message, /^The 'pre-save' listener breakMetadata left the trace unwritable/);
});

test.serial('unwritable - a broken handler under the CLI costs its changes only: a warning naming it, exit 0', async t => {
	const directory = fs.mkdtempSync(path.join(temporaryRoot, 'cli-'));
	const output = path.join(directory, 'result.json');
	const result = await runCli(['-o', output, '--plugins', path.join(pluginsDir, 'nulls-metadata-plugin.mjs'), '--', path.join(fixturesDir, 'cli', 'nested.mjs')]);
	t.is(result.code, 0, result.stderr);
	t.regex(result.stderr, /VizPluginWarning: Plugin .*nulls-metadata-plugin\.mjs's handle_data handler left the trace unwritable \(viztracer_metadata is `null`, not an object\)/);
	const trace = await readTrace(output);
	t.is(trace.viztracer_metadata.version, version);
	t.true(trace.traceEvents.some(event => event.ph === 'X'));
});

// Promises: the protocol is synchronous.

test.serial('async - a message() returning a promise is a VizPluginError naming the plugin, and its rejection is caught', async t => {
	class AsyncPlugin extends VizPluginBase {
		supportVersion() {
			return version;
		}

		async message(mType, payload) {
			if (mType === 'event' && payload.when === 'pre-start') {
				throw new Error('rejected later');
			}

			return super.message(mType, payload);
		}
	}

	const warnings = await collectWarnings(async () => {
		const error = t.throws(() => new VizTracer({verbose: 0, plugins: [new AsyncPlugin()]}), {instanceOf: VizPluginError});
		t.is(error.plugin, 'AsyncPlugin');
		t.regex(error.message, /^Plugin AsyncPlugin returned a promise for the 'initialize' event: the plugin protocol is synchronous/);
	});
	t.deepEqual(warnings.filter(warning => warning.code !== 'VIZTRACER_PLUGIN_ASYNC'), []);
});

test.serial('async - rejections of promises a plugin returns become warnings, never unhandled rejections', async t => {
	let rejectNext = false;
	const plugin = plainPlugin({
		eventReply(when) {
			if (when === 'pre-start') {
				rejectNext = true;
				return Promise.reject(new Error('pre-start went wrong'));
			}

			return {};
		},
	});
	const {tracer} = makeTracer(t, {plugins: [plugin]});
	const unhandled = [];
	const onUnhandled = reason => unhandled.push(reason);
	process.on('unhandledRejection', onUnhandled);
	try {
		const warnings = await collectWarnings(async () => {
			assertPluginError(t, () => tracer.start(), {plugin: 'plugin #1', message: /returned a promise for the 'pre-start' event/});
			await new Promise(resolve => {
				setImmediate(resolve);
			});
		});
		t.true(rejectNext);
		const asyncWarning = warnings.find(warning => warning.code === 'VIZTRACER_PLUGIN_ASYNC');
		t.regex(asyncWarning.message, /^Plugin plugin #1's promise for the 'pre-start' event rejected: pre-start went wrong$/);
	} finally {
		process.off('unhandledRejection', onUnhandled);
	}

	t.deepEqual(unhandled, []);
});

test.serial('async - an async handle_data handler and an async terminate reply are VizPluginErrors too', async t => {
	const plugin = plainPlugin({
		eventReply: when => (when === 'pre-save' ? {action: 'handle_data', handler: async () => {}} : {}),
		terminateReply: Promise.resolve({success: true}),
	});
	const {tracer} = makeTracer(t, {plugins: [plugin]});
	tracer.start();
	tracer.stop();
	assertPluginError(t, () => tracer.save(), {message: /returned a promise for its handle_data handler at 'pre-save'/});
	assertPluginError(t, () => tracer.terminate(), {message: /returned a promise for the terminate command/});
});

test.serial('async - under the CLI a plugin whose message() is async is one line naming it, exit 1, no unhandled rejection', async t => {
	const directory = fs.mkdtempSync(path.join(temporaryRoot, 'cli-'));
	const output = path.join(directory, 'result.json');
	const result = await runCli(['-o', output, '--plugins', path.join(pluginsDir, 'async-plugin.mjs'), '--', path.join(fixturesDir, 'cli', 'nested.mjs')]);
	t.is(result.code, 1);
	t.regex(result.stderr, /^viztracer: cannot load plugin: Plugin .*async-plugin\.mjs returned a promise for the 'initialize' event: the plugin protocol is synchronous[^\n]*\n/);
	t.notRegex(result.stderr, /UnhandledPromiseRejection|\n\s+at /);
});

test.serial('CLI - a plugin that throws at pre-start is one line naming it and exit 1, not a stack trace', async t => {
	const directory = fs.mkdtempSync(path.join(temporaryRoot, 'cli-'));
	const output = path.join(directory, 'result.json');
	const plugin = path.join(pluginsDir, 'pre-start-throws-plugin.mjs');
	const result = await runCli(['-o', output, '--plugins', plugin, '--', path.join(fixturesDir, 'cli', 'prints.mjs')]);
	t.is(result.code, 1);
	t.is(result.stderr, `viztracer: Plugin ${plugin} threw while handling the 'pre-start' event: cannot start\n`);
	t.is(result.stdout, '', 'the script did not run');
	t.false(fs.existsSync(output));
});
