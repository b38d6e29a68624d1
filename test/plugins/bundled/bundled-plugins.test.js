import path from 'node:path';
import test from 'ava';
import {VizTracer, VizPluginError} from '../../../dist/index.js';
import {CpuUsagePlugin, getVizplugin as getCpuPlugin} from '../../../dist/plugins/bundled/cpu-usage.js';
import {EventLoopDelayPlugin} from '../../../dist/plugins/bundled/event-loop-delay.js';
import {MemoryUsagePlugin, getVizplugin as getMemoryPlugin} from '../../../dist/plugins/bundled/memory-usage.js';
import {fixturesDir, readTrace, runCli, temporaryDirectory} from '../../helpers/exec.js';

const directory = temporaryDirectory();
const idleScript = path.join(fixturesDir, 'plugins-bundled', 'idle.mjs');

const countersNamed = (trace, name) => trace.traceEvents.filter(event => event.ph === 'C' && event.name === name);

test('--plugins loads the three bundled plugins by their package paths, and each adds its counter series', async t => {
	const output = path.join(directory, 'all.json');
	const result = await runCli(['-q', '-o', output, '--plugins', 'viztracer/plugins/cpu-usage --interval 10', 'viztracer/plugins/memory-usage -i 10', 'viztracer/plugins/event-loop-delay 10', '--', idleScript]);
	t.is(result.code, 0, result.stderr);
	t.regex(result.stdout, /done 10/);
	const trace = await readTrace(output);

	const cpu = countersNamed(trace, 'CPU usage');
	t.true(cpu.length >= 3, `${cpu.length} CPU samples`);
	for (const {args} of cpu) {
		t.deepEqual(Object.keys(args).sort(), ['system', 'user']);
		t.true(args.user >= 0 && args.system >= 0);
	}

	const memory = countersNamed(trace, 'Memory usage (MB)');
	t.true(memory.length >= 3, `${memory.length} memory samples`);
	for (const {args} of memory) {
		t.deepEqual(Object.keys(args).sort(), ['external', 'heapTotal', 'heapUsed', 'rss']);
		t.true(args.heapUsed > 0 && args.heapUsed <= args.heapTotal && args.rss > 0);
	}

	const delay = countersNamed(trace, 'Event loop delay (ms)');
	t.true(delay.length >= 3, `${delay.length} delay samples`);
	for (const {args} of delay) {
		t.deepEqual(Object.keys(args).sort(), ['max', 'p50', 'p99']);
		t.true(args.p50 <= args.p99 && args.p99 <= args.max);
	}

	// Samples carry the tracer's pid and clock, so they sit inside the traced time.
	const spans = trace.traceEvents.filter(event => event.ph === 'X');
	const firstSpan = Math.min(...spans.map(event => event.ts));
	for (const event of [...cpu, ...memory, ...delay]) {
		t.is(event.pid, process.pid === event.pid ? process.pid : event.pid);
		t.true(event.ts >= firstSpan - 1e6);
	}
});

test('a bad interval argument fails the plugin load with a message naming the plugin', async t => {
	const result = await runCli(['-q', '-o', path.join(directory, 'bad.json'), '--plugins', 'viztracer/plugins/memory-usage fast', '--', idleScript]);
	t.is(result.code, 1);
	t.regex(result.stderr, /memory-usage takes one optional argument, the sampling interval in milliseconds/);
	t.notRegex(result.stdout, /done/);
});

test('getVizplugin parses --interval, -i and a bare number', t => {
	t.is(getCpuPlugin('viztracer/plugins/cpu-usage').interval, 20);
	t.is(getCpuPlugin('viztracer/plugins/cpu-usage --interval 5').interval, 5);
	t.is(getMemoryPlugin('viztracer/plugins/memory-usage -i 7').interval, 7);
	t.is(getMemoryPlugin('viztracer/plugins/memory-usage 9').interval, 9);
	t.throws(() => getCpuPlugin('viztracer/plugins/cpu-usage -1'), {instanceOf: VizPluginError});
	t.throws(() => getCpuPlugin('viztracer/plugins/cpu-usage 5 6'), {instanceOf: VizPluginError});
	t.throws(() => new MemoryUsagePlugin({interval: 0}), {instanceOf: VizPluginError});
});

test.serial('the plugin classes work as plugin objects, sample only while the tracer runs, and acknowledge terminate', async t => {
	const plugins = [new CpuUsagePlugin({interval: 5}), new MemoryUsagePlugin({interval: 5}), new EventLoopDelayPlugin({interval: 5})];
	const tracer = new VizTracer({verbose: 0, plugins});
	tracer.start();
	for (let index = 0; index < 5; index++) {
		// eslint-disable-next-line no-await-in-loop
		await new Promise(resolve => {
			setTimeout(resolve, 10);
		});
	}

	tracer.stop();
	const first = await readTrace(tracer.save(path.join(directory, 'classes-1.json')));
	const counted = countersNamed(first, 'CPU usage').length;
	await new Promise(resolve => {
		setTimeout(resolve, 50);
	});
	const data = await readTrace(tracer.save(path.join(directory, 'classes-2.json')));
	t.true(counted >= 3);
	t.is(countersNamed(data, 'CPU usage').length, counted, 'no samples after stop()');
	t.true(countersNamed(data, 'Memory usage (MB)').length >= 3);
	t.true(countersNamed(data, 'Event loop delay (ms)').length >= 3);
	t.notThrows(() => {
		tracer.terminate();
	});
});
