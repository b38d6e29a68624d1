import fs from 'node:fs';
import path from 'node:path';
import test from 'ava';
import {VizTracer} from '../../dist/index.js';
import {readTrace, runCli, temporaryDirectory} from '../helpers/exec.js';

const directory = temporaryDirectory();

function writeTrace(name, base, events) {
	const file = path.join(directory, name);
	// Written by hand so the 19-digit origin is exact, as the tracer writes it.
	fs.writeFileSync(file, `{"traceEvents":${JSON.stringify(events)},"viztracer_metadata":{"version":"0.1.0","overflow":false,"baseTimeNanoseconds":${base}},"displayTimeUnit":"ns"}`);
	return file;
}

const span = (pid, name, ts, dur) => ({ph: 'X', cat: 'FEE', name, pid, tid: pid, ts, dur});

test('--combine places traces on one wall-clock timeline using baseTimeNanoseconds, exactly', async t => {
	// Origins 1.5 ms apart, with nanosecond digits a double would lose.
	const a = writeTrace('a.json', '1795652466763168123', [span(1, 'a', 100, 10)]);
	const b = writeTrace('b.json', '1795652466764668124', [span(2, 'b', 100, 10)]);
	const output = path.join(directory, 'ab.json');
	const result = await runCli(['--combine', a, b, '-o', output]);
	t.is(result.code, 0, result.stderr);
	t.regex(result.stderr, /combined 2 traces/);
	const trace = await readTrace(output);
	t.is(trace.traceEvents.find(event => event.name === 'a').ts, 100);
	t.is(trace.traceEvents.find(event => event.name === 'b').ts, 1600.001);
	t.regex(fs.readFileSync(output, 'utf8'), /"baseTimeNanoseconds":1795652466763168123\b/);
});

test('--align-combine starts every trace at time 0', async t => {
	const a = writeTrace('c.json', '1795652466763168000', [span(1, 'c1', 500, 10), span(1, 'c2', 520, 10)]);
	const b = writeTrace('d.json', '1795652466999999000', [span(2, 'd', 9000, 10)]);
	const output = path.join(directory, 'cd.json.gz');
	const result = await runCli(['-q', '--align-combine', a, b, '-o', output]);
	t.is(result.code, 0, result.stderr);
	t.is(result.stderr, '');
	const events = (await readTrace(output)).traceEvents;
	t.deepEqual(events.map(event => [event.name, event.ts]), [['c1', 0], ['c2', 20], ['d', 0]]);
});

test('--combine keeps overflow and accepts gzip input and bare event arrays', async t => {
	const gz = path.join(directory, 'e.json.gz');
	const {gzipSync} = await import('node:zlib');
	fs.writeFileSync(gz, gzipSync('{"traceEvents":[{"ph":"X","name":"e","pid":5,"tid":5,"ts":1,"dur":1}],"viztracer_metadata":{"version":"0.1.0","overflow":true,"baseTimeNanoseconds":1000}}'));
	const bare = path.join(directory, 'f.json');
	fs.writeFileSync(bare, '[{"ph":"X","name":"f","pid":6,"tid":6,"ts":2,"dur":1}]');
	const output = path.join(directory, 'ef.json');
	const result = await runCli(['-q', '--combine', gz, bare, '-o', output]);
	t.is(result.code, 0, result.stderr);
	const trace = await readTrace(output);
	t.true(trace.viztracer_metadata.overflow);
	t.deepEqual(trace.traceEvents.map(event => event.name).sort(), ['e', 'f']);
});

test('--combine of a missing or invalid file exits 1 naming it', async t => {
	const missing = await runCli(['--combine', path.join(directory, 'nope.json'), '-o', path.join(directory, 'x.json')]);
	t.is(missing.code, 1);
	t.regex(missing.stderr, /Cannot find the trace .*nope\.json/);
	const invalid = path.join(directory, 'invalid.json');
	fs.writeFileSync(invalid, '{"foo": 1}');
	const result = await runCli(['--combine', invalid, '-o', path.join(directory, 'x.json')]);
	t.is(result.code, 1);
	t.regex(result.stderr, /invalid\.json is not a valid trace: it has no traceEvents array/);
	t.false(fs.existsSync(path.join(directory, 'x.json')));
});

test('--combine with --align-combine, or with a script, is a usage error', async t => {
	const a = writeTrace('g.json', '1', []);
	const both = await runCli(['--combine', a, '--align-combine', a]);
	t.is(both.code, 2);
	t.regex(both.stderr, /one of them/);
});

test('--combine takes each origin from viztracer_metadata, not from an instant whose args name baseTimeNanoseconds', async t => {
	// A real trace whose last event carries the key the old tail search looked for.
	const recorded = path.join(directory, 'instant-args.json');
	const tracer = new VizTracer({verbose: 0, outputFile: recorded}).start();
	tracer.logInstant('start', {});
	tracer.logInstant('x', {baseTimeNanoseconds: 42});
	tracer.stop();
	tracer.save();
	tracer.terminate();
	const base = /"baseTimeNanoseconds":(\d{19})\}/.exec(fs.readFileSync(recorded, 'utf8'))[1];
	// A second trace whose origin is 1 ms later.
	const later = writeTrace('later.json', (BigInt(base) + 1_000_000n).toString(), [span(9, 'later', 10, 1)]);
	const output = path.join(directory, 'instant-args-combined.json');
	const result = await runCli(['-q', '--combine', recorded, later, '-o', output]);
	t.is(result.code, 0, result.stderr);
	const combined = await readTrace(output);
	const original = await readTrace(recorded);
	// The recorded trace has the earlier origin: its events stay where they were, the later one moves by 1000 µs.
	t.is(combined.traceEvents.find(event => event.name === 'x').ts, original.traceEvents.find(event => event.name === 'x').ts);
	t.is(combined.traceEvents.find(event => event.name === 'later').ts, 1010);
	t.regex(fs.readFileSync(output, 'utf8'), new RegExp(`"baseTimeNanoseconds":${base}\\}`));
});

test('--combine of a trace holding a null event exits 1 with one line naming the file and the event', async t => {
	const file = path.join(directory, 'null-event.json');
	fs.writeFileSync(file, '{"traceEvents":[null]}');
	const good = writeTrace('good.json', '1795652466763168123', [span(1, 'a', 100, 10)]);
	const output = path.join(directory, 'null-combined.json');
	const result = await runCli(['--combine', good, file, '-o', output]);
	t.is(result.code, 1);
	t.is(result.stderr, `viztracer: ${file} is not a valid trace: traceEvents[0] is \`null\`, not an event object\n`);
	t.false(fs.existsSync(output));
});

test('--combine of a directory exits 1 with one line', async t => {
	const result = await runCli(['--combine', directory, '-o', path.join(directory, 'dir-combined.json')]);
	t.is(result.code, 1);
	t.is(result.stderr, `viztracer: Cannot read the trace ${directory}: it is a directory, not a file\n`);
});
