// `.html` as an output file: save() and saveAsync() write the timeline
// viewer's self-contained page with the trace's timeline inside (opened in a
// browser by timeline.test.js).
import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';
import test from 'ava';
import {VizTracer, VizTracerOptionError} from '../../dist/index.js';
import {temporaryDirectory} from '../helpers/exec.js';
import {embeddedModel, modelSliceNames} from './_helpers.js';

/** Records two nested spans with `tracer`. */
function record(tracer) {
	tracer.start();
	const inner = tracer.wrap(() => 1, 'inner');
	const outer = tracer.wrap(() => inner() + 1, 'outer');
	outer();
	tracer.stop();
}

for (const method of ['save', 'saveAsync']) {
	test(`${method}() to an .html file writes the timeline page with the trace's timeline embedded`, async t => {
		const directory = temporaryDirectory();
		const file = path.join(directory, 'trace.html');
		const tracer = new VizTracer({outputFile: file, verbose: 0});
		record(tracer);
		t.is(await tracer[method](), file);
		tracer.terminate();

		t.deepEqual(fs.readdirSync(directory), ['trace.html'], 'written through a temporary file, renamed into place');
		const html = fs.readFileSync(file, 'utf8');
		t.true(html.startsWith('<!DOCTYPE html>'));
		t.regex(html, /<title>trace\.html - vizviewer<\/title>/);
		t.false(/<script src=|<link rel="stylesheet"/.test(html), 'no file is loaded from beside the page');
		t.regex(html, /<script type="application\/json" id="vizviewer-config">\{"mode":"embedded"\}<\/script>/);
		const model = await embeddedModel(html);
		t.deepEqual(modelSliceNames(model), ['outer', 'inner']);
		t.is(model.metadata.displayTimeUnit, 'ns');
		t.is(model.metadata.cwd, process.cwd());
		t.deepEqual(model.tracks.map(track => track.kind), ['process', 'thread']);
		// The Flame graph tab: speedscope's document and the gzipped trace travel with the page.
		const flame = JSON.parse(/<script type="application\/json" id="vizviewer-flame">([^<]*)<\/script>/.exec(html)[1]);
		t.is(flame.sentinel, 'viztracer-embedded-trace');
		t.regex(Buffer.from(flame.head, 'base64').toString(), /<title>trace\.html - speedscope<\/title>/);
		const gzipped = /<script type="application\/octet-stream" id="vizviewer-flame-trace">([^<]*)<\/script>/.exec(html)[1];
		const trace = JSON.parse(zlib.gunzipSync(Buffer.from(gzipped, 'base64')).toString());
		t.deepEqual(trace.traceEvents.filter(event => event.ph === 'X').map(event => event.name), ['inner', 'outer']);
	});
}

test('a page of more spans than speedscope imports in reasonable time leaves the flame graph to vizviewer, and says so', async t => {
	const file = path.join(temporaryDirectory(), 'big.html');
	const tracer = new VizTracer({outputFile: file, verbose: 0, tracerEntries: 300_000});
	const work = tracer.wrap(x => x + 1, 'work');
	tracer.start();
	for (let index = 0; index < 200_001; index++) {
		work(index);
	}

	tracer.stop();
	tracer.save();
	tracer.terminate();
	const html = fs.readFileSync(file, 'utf8');
	const flame = JSON.parse(/<script type="application\/json" id="vizviewer-flame">([^<]*)<\/script>/.exec(html)[1]);
	t.deepEqual(Object.keys(flame), ['note']);
	t.regex(flame.note, /^This trace has 200,001 spans, more than speedscope imports in reasonable time \(200,000 at most are saved with the page\)\. Open the trace with `npx vizviewer <trace>`/);
	t.false(html.includes('id="vizviewer-flame-trace"'));
	t.is(modelSliceNames(await embeddedModel(html)).length, 200_001);
});

test('pidSuffix puts the pid before .html', t => {
	const directory = temporaryDirectory();
	const tracer = new VizTracer({outputFile: path.join(directory, 'trace.html'), pidSuffix: true, verbose: 0});
	record(tracer);
	t.is(tracer.save(), path.join(directory, `trace_${process.pid}.html`));
	tracer.terminate();
});

test('outputFile accepts .html, not other extensions', t => {
	t.notThrows(() => new VizTracer({outputFile: 'x.html'}).terminate());
	for (const outputFile of ['x.htm', 'x.html.gz', 'x.HTML']) {
		const error = t.throws(() => new VizTracer({outputFile}), {instanceOf: VizTracerOptionError});
		t.is(error.expected, 'a file name ending in `.json`, `.json.gz`, `.html` or `.vizt`');
	}
});
