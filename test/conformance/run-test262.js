#!/usr/bin/env node
// ECMAScript conformance of instrumented code: runs test262 tests (from a
// checkout of tc39/test262 you provide) untraced and instrumented, in fresh
// `vm` contexts of this process, with a started recorder behind the
// instrumentation, and lists every test that passes untraced but fails
// instrumented. Not part of `npm test` (test262 is not shipped with the
// package); run it by hand after changing the transform:
//
//   node test/conformance/run-test262.js <test262 checkout> [test dirs or files...] [--options all] [--verbose]
//
// e.g. `node test/conformance/run-test262.js ../test262 test/language/statements/function test/annexB`.
// `--options all` instruments with --log-func-args --log-func-retval --log-exception --log-async.
// Module tests, tests needing agents/threads and tests whose untraced run fails are left out.
import fs from 'node:fs';
import path from 'node:path';
import vm from 'node:vm';
import {parseArgs} from 'node:util';
import {instrumentSource} from '../../dist/instrument/transform.js';
import {InstrumentationHook} from '../../dist/core/instrumentation-hook.js';
import {Recorder} from '../../dist/core/recorder.js';
import {showOriginalSource} from '../../dist/instrument/original-source.js';

const {values: flags, positionals} = parseArgs({allowPositionals: true, options: {options: {type: 'string', default: 'plain'}, verbose: {type: 'boolean', default: false}, timeout: {type: 'string', default: '2000'}}});
const [root, ...targets] = positionals;
if (!root || !fs.existsSync(path.join(root, 'harness', 'assert.js'))) {
	console.error('usage: node test/conformance/run-test262.js <test262 checkout> [test dirs or files...] [--options all] [--verbose]');
	process.exit(2);
}

const all = flags.options === 'all';
const transformOptions = {logFuncArgs: all, logFuncRetval: all, logException: all, logAsync: all};
const timeoutMs = Number(flags.timeout);
const harnessCache = new Map();
const harness = name => {
	if (!harnessCache.has(name)) {
		harnessCache.set(name, fs.readFileSync(path.join(root, 'harness', name), 'utf8'));
	}

	return harnessCache.get(name);
};

function* testFiles(target) {
	const stat = fs.statSync(target);
	if (stat.isFile()) {
		if (target.endsWith('.js') && !target.includes('_FIXTURE')) {
			yield target;
		}

		return;
	}

	for (const entry of fs.readdirSync(target).sort()) {
		yield* testFiles(path.join(target, entry));
	}
}

function metadata(source) {
	const match = /\/\*---([\s\S]*?)---\*\//.exec(source);
	const yaml = match ? match[1] : '';
	const list = key => {
		const inline = new RegExp(`^${key}:\\s*\\[(.*)\\]`, 'm').exec(yaml);
		if (inline) {
			return inline[1].split(',').map(item => item.trim()).filter(Boolean);
		}

		const block = new RegExp(`^${key}:\\s*\\n((?:\\s+-.*\\n?)+)`, 'm').exec(yaml);
		return block ? block[1].split('\n').map(line => line.replace(/^\s*-\s*/, '').trim()).filter(Boolean) : [];
	};

	return {flags: list('flags'), includes: list('includes'), features: list('features'), negative: /^negative:/m.test(yaml)};
}

const skippedFeatures = new Set(['Atomics.waitAsync', 'SharedArrayBuffer', 'cross-realm', 'IsHTMLDDA', 'host-gc-required']);

/** Runs `code` in a fresh context; resolves with undefined on success or the failure's text. */
function execute(code, {async, hook}) {
	return new Promise(resolve => {
		let settled = false;
		const finish = result => {
			if (!settled) {
				settled = true;
				clearTimeout(timer);
				resolve(result);
			}
		};

		const timer = setTimeout(() => finish(async ? 'timed out' : undefined), async ? timeoutMs : 0);
		const sandbox = {};
		const context = vm.createContext(sandbox);
		const global = vm.runInContext('this', context);
		global.print = message => {
			const text = String(message);
			if (text.startsWith('Test262:AsyncTestFailure')) {
				finish(text);
			} else if (text.startsWith('Test262:AsyncTestComplete')) {
				finish(undefined);
			}
		};

		global.$262 = {
			global,
			gc() {},
			evalScript: source => vm.runInContext(source, context),
			createRealm() {
				throw new Error('createRealm is not provided');
			},
			detachArrayBuffer(buffer) {
				structuredClone(buffer, {transfer: [buffer]});
			},
			agent: {},
		};
		if (hook) {
			Object.defineProperty(global, '__viztracer', {value: hook, writable: false, configurable: false, enumerable: false});
			// What instrument() does at start-up, in this realm.
			showOriginalSource(global);
		}

		try {
			vm.runInContext(code, context, {timeout: timeoutMs});
			if (!async) {
				finish(undefined);
			}
		} catch (error) {
			finish(describe(error));
		}
	});
}

function describe(error) {
	try {
		return error && typeof error === 'object' ? `${error.constructor?.name}: ${error.message}` : String(error);
	} catch {
		return 'unprintable error';
	}
}

// Some tests leave a rejection unhandled on purpose (and untraced alike): not the runner's business.
process.on('unhandledRejection', () => {});

const hook = new InstrumentationHook();
const recorder = new Recorder({entries: 1 << 16, maxStackDepth: -1, minDuration: 0});
recorder.start();
hook.attach(recorder);

const counts = {run: 0, skipped: 0, untracedFailures: 0, notInstrumented: 0, regressions: 0};
const regressions = [];
for (const target of targets.length > 0 ? targets : ['test/language']) {
	for (const file of testFiles(path.resolve(root, target))) {
		const source = fs.readFileSync(file, 'utf8');
		const meta = metadata(source);
		if (meta.negative || meta.flags.includes('module') || meta.flags.includes('CanBlockIsTrue') || meta.features.some(feature => skippedFeatures.has(feature)) || source.includes('$262.agent') || source.includes('createRealm')) {
			counts.skipped++;
			continue;
		}

		const async = meta.flags.includes('async');
		const includes = meta.flags.includes('raw') ? [] : ['assert.js', 'sta.js', ...(async ? ['doneprintHandle.js'] : []), ...meta.includes];
		const prelude = includes.map(harness).join('\n');
		const modes = meta.flags.includes('onlyStrict') ? ['strict'] : (meta.flags.includes('noStrict') || meta.flags.includes('raw') ? ['sloppy'] : ['sloppy', 'strict']);
		for (const mode of modes) {
			const code = `${mode === 'strict' ? '"use strict";\n' : ''}${prelude}\n${source}`;
			// eslint-disable-next-line no-await-in-loop
			const untraced = await execute(code, {async});
			if (untraced !== undefined) {
				counts.untracedFailures++;
				continue;
			}

			let instrumented;
			try {
				instrumented = instrumentSource(code, {filename: file, displayPath: path.relative(root, file), sourceType: 'script', ...transformOptions});
			} catch {
				counts.notInstrumented++;
				continue;
			}

			if (instrumented === undefined) {
				counts.notInstrumented++;
				continue;
			}

			counts.run++;
			// eslint-disable-next-line no-await-in-loop
			const traced = await execute(instrumented.code, {async, hook});
			if (traced !== undefined) {
				counts.regressions++;
				regressions.push(`${path.relative(root, file)} (${mode}): ${traced}`);
				if (flags.verbose) {
					console.log(`FAIL ${path.relative(root, file)} (${mode}): ${traced}`);
				}
			}
		}
	}
}

recorder.stop();
for (const line of regressions) {
	console.log(line);
}

console.log(`\ntest262 instrumented (${all ? 'every recording option' : 'no recording options'}): ${counts.run} runs compared, ${counts.regressions} pass untraced but fail instrumented; ${counts.untracedFailures} fail untraced too (left out), ${counts.notInstrumented} not instrumented (parse), ${counts.skipped} skipped (negative, module, agents, realms)`);
process.exitCode = counts.regressions > 0 ? 1 : 0;
