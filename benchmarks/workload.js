// A realistic workload under the tracer: the `marked` markdown library (a
// devDependency) renders a generated ~3 MB markdown document, section by
// section, the way a site generator renders pages. Compared, each in its own
// process so they cannot disturb each other:
//   untraced   plain node
//   traced     viztracer instrumenting every function of marked
//              (instrument({includeNodeModules: true}), what
//              `viztracer --include-node-modules` does), default ring
//              (1,000,000 entries), trace saved at the end
//   stopped    the same instrumented code with no tracer started (what the
//              instrumentation itself costs)
//   cpu-prof   `node --cpu-prof` (V8's sampling profiler, 1 ms interval)
//   otel       OpenTelemetry manual spans (BasicTracerProvider +
//              SimpleSpanProcessor + InMemorySpanExporter): one span around
//              the render and one per section, the granularity people
//              instrument by hand
// Usage: node benchmarks/workload.js [--runs 5] [--size-mb 3] [--json] [--dist dir]
// (a child is `node benchmarks/workload.js --mode=untraced|traced|cpu-prof|otel|otel-span --dir D`;
// otel-span measures the cost of one OpenTelemetry span on its own)
//
// The parent copies marked into a temporary node_modules, outside the
// package (whose own files viztracer declines to instrument), and every mode
// loads that same copy; it checks that every mode renders identical HTML.
import {spawnSync} from 'node:child_process';
import {createHash} from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {performance} from 'node:perf_hooks';
import {fileURLToPath, pathToFileURL} from 'node:url';
import {parseArgs} from 'node:util';

const {values: flags} = parseArgs({
	options: {
		mode: {type: 'string'},
		dir: {type: 'string'},
		runs: {type: 'string', default: '5'},
		'size-mb': {type: 'string', default: '3'},
		json: {type: 'boolean', default: false},
		dist: {type: 'string'},
	},
});

const here = path.dirname(fileURLToPath(import.meta.url));
const dist = path.resolve(flags.dist ?? path.join(here, '..', 'dist'));
const modes = ['untraced', 'stopped', 'traced', 'cpu-prof', 'otel'];

if (flags.mode) {
	await child(flags.mode, flags.dir);
} else {
	parent();
}

// ---------------------------------------------------------------------------
// The document

/** A deterministic pseudo-random markdown document of about `bytes` bytes, as sections. */
function generateSections(bytes) {
	let seed = 0x2545F491;
	const random = () => {
		seed = (Math.imul(seed, 1_103_515_245) + 12_345) >>> 0;
		return seed / 2 ** 32;
	};

	const pick = list => list[Math.floor(random() * list.length)];
	const words = ('lorem ipsum dolor sit amet consectetur adipiscing elit sed do eiusmod tempor incididunt ut labore et dolore magna aliqua '
		+ 'trace span event timeline function call stack async promise module loader hook buffer ring clock sample profile node '
		+ 'render markdown parser token lexer inline block heading list table code quote link image emphasis strong').split(' ');
	const word = () => pick(words);
	const inline = () => {
		const r = random();
		if (r < 0.08) {
			return `**${word()} ${word()}**`;
		}

		if (r < 0.16) {
			return `*${word()}*`;
		}

		if (r < 0.22) {
			return `\`${word()}.${word()}()\``;
		}

		if (r < 0.27) {
			return `[${word()} ${word()}](https://example.com/${word()}/${Math.floor(random() * 1000)} "${word()}")`;
		}

		if (r < 0.29) {
			return '&amp; &lt;tag&gt;';
		}

		if (r < 0.31) {
			return `<https://example.org/${word()}>`;
		}

		if (r < 0.32) {
			return `~~${word()}~~`;
		}

		return word();
	};

	const sentence = () => {
		const parts = [];
		const length = 6 + Math.floor(random() * 14);
		for (let i = 0; i < length; i++) {
			parts.push(inline());
		}

		const text = parts.join(' ');
		return `${text[0].toUpperCase()}${text.slice(1)}.`;
	};

	const paragraph = () => Array.from({length: 2 + Math.floor(random() * 4)}, sentence).join(' ');
	const list = ordered => {
		const lines = [];
		const items = 3 + Math.floor(random() * 5);
		for (let i = 0; i < items; i++) {
			lines.push(`${ordered ? `${i + 1}.` : '-'} ${sentence()}`);
			if (random() < 0.25) {
				lines.push(`    - ${sentence()}`, `    - ${sentence()}`);
			}
		}

		return lines.join('\n');
	};

	const table = () => {
		const columns = 3 + Math.floor(random() * 3);
		const row = () => `| ${Array.from({length: columns}, inline).join(' | ')} |`;
		return [row(), `|${' --- |'.repeat(columns)}`, ...Array.from({length: 4 + Math.floor(random() * 6)}, row)].join('\n');
	};

	const code = () => {
		const lines = Array.from({length: 3 + Math.floor(random() * 8)}, () => `  const ${word()} = ${word()}(${Math.floor(random() * 100)}); // ${word()} <${word()}>`);
		return `\`\`\`js\nfunction ${word()}() {\n${lines.join('\n')}\n}\n\`\`\``;
	};

	const quote = () => `> ${sentence()}\n> ${sentence()}\n>\n> - ${sentence()}`;
	const blocks = [paragraph, paragraph, paragraph, () => list(false), () => list(true), table, code, quote];

	const sections = [];
	let total = 0;
	for (let index = 1; total < bytes; index++) {
		const parts = [`# ${index}. ${sentence()}`];
		for (let sub = 1; sub <= 3; sub++) {
			parts.push(`## ${index}.${sub} ${word()} ${word()}`);
			for (let b = 0; b < 4; b++) {
				parts.push(pick(blocks)());
			}
		}

		parts.push('---');
		const section = `${parts.join('\n\n')}\n`;
		sections.push(section);
		total += Buffer.byteLength(section);
	}

	return sections;
}

// ---------------------------------------------------------------------------
// Children: one configuration each

async function child(mode, directory) {
	if (mode === 'otel-span') {
		process.stdout.write(`${JSON.stringify({mode, ...await measureOpenTelemetrySpan()})}\n`);
		return;
	}

	const sections = JSON.parse(fs.readFileSync(path.join(directory, 'sections.json'), 'utf8'));
	const markedUrl = pathToFileURL(path.join(directory, 'node_modules', 'marked', 'lib', 'marked.esm.js')).href;
	const result = {mode};

	let tracer;
	if (mode === 'traced' || mode === 'stopped') {
		const {VizTracer, instrument} = await import(pathToFileURL(path.join(dist, 'index.js')).href);
		instrument({includeNodeModules: true, cacheDir: false});
		tracer = new VizTracer({outputFile: path.join(directory, `trace-${process.pid}.json`), verbose: 0});
	}

	const {marked} = await import(markedUrl);
	// fn.toString() shows the source as written: the compiled text tells.
	const {compiledText} = await import(pathToFileURL(path.join(dist, 'instrument', 'original-source.js')).href);
	if (tracer && !compiledText(marked.parse).includes('__vz$') && !compiledText(marked.lexer).includes('__vz$')) {
		throw new Error('marked was not instrumented');
	}

	const outputs = new Array(sections.length);
	let render = () => {
		for (let i = 0; i < sections.length; i++) {
			outputs[i] = marked.parse(sections[i]);
		}
	};

	let exporter;
	if (mode === 'otel') {
		const otel = await openTelemetry('simple');
		exporter = otel.exporter;
		const {api, tracer: otelTracer} = otel;
		// Manual instrumentation: a span for the whole render, one per section.
		render = () => {
			const root = otelTracer.startSpan('render document');
			const parent = api.trace.setSpan(api.context.active(), root);
			try {
				for (let i = 0; i < sections.length; i++) {
					const span = otelTracer.startSpan('render section', {attributes: {'section.index': i}}, parent);
					try {
						outputs[i] = marked.parse(sections[i]);
					} finally {
						span.end();
					}
				}
			} finally {
				root.end();
			}
		};
	}

	if (mode === 'traced') {
		tracer.start();
	}

	// performance.now() counts from process start: how long it took to get here.
	const t0 = performance.now();
	result.startMs = t0;
	// The first render is what a one-shot run costs (the JIT warms up on
	// it); the second shows the steady state.
	const cpu0 = process.cpuUsage();
	render();
	const t1 = performance.now();
	const cpu1 = process.cpuUsage(cpu0);
	result.workMs = t1 - t0;
	// CPU time of the process (every thread) during the render: less swayed by other load on the machine.
	result.workCpuMs = (cpu1.user + cpu1.system) / 1000;
	const firstSpans = tracer && mode === 'traced' ? tracer[Symbol.for('viztracer.recorder')].ring.head : 0;
	render();
	result.warmMs = performance.now() - t1;

	if (mode === 'traced') {
		tracer.stop();
		const recorder = tracer[Symbol.for('viztracer.recorder')];
		result.spans = firstSpans;
		result.warmSpans = recorder.ring.head - firstSpans;
		result.kept = recorder.ring.size;
		const s0 = performance.now();
		const file = tracer.save();
		result.saveMs = performance.now() - s0;
		result.traceBytes = fs.statSync(file).size;
		fs.rmSync(file, {force: true});
		tracer.terminate();
	}

	if (exporter) {
		// Let SimpleSpanProcessor's pending exports settle.
		await new Promise(resolve => {
			setImmediate(resolve);
		});
		result.spans = exporter.getFinishedSpans().length / 2;
	}

	const hash = createHash('sha256');
	for (const output of outputs) {
		hash.update(output);
	}

	result.outputHash = hash.digest('hex').slice(0, 16);
	result.outputBytes = outputs.reduce((sum, output) => sum + output.length, 0);
	result.endMs = performance.now();
	process.stdout.write(`${JSON.stringify(result)}\n`);
}

async function openTelemetry(processor) {
	const api = await import('@opentelemetry/api');
	const {BasicTracerProvider, SimpleSpanProcessor, BatchSpanProcessor, InMemorySpanExporter} = await import('@opentelemetry/sdk-trace-base');
	const exporter = new InMemorySpanExporter();
	const spanProcessor = processor === 'simple' ? new SimpleSpanProcessor(exporter) : new BatchSpanProcessor(exporter, {maxQueueSize: 2 ** 20, maxExportBatchSize: 512});
	const provider = new BasicTracerProvider({spanProcessors: [spanProcessor]});
	return {api, exporter, provider, tracer: provider.getTracer('viztracer-benchmark')};
}

/**
 * The cost of one OpenTelemetry span (start with an attribute, end, hand to
 * the processor) around an empty body, against the bare loop; best of
 * several batches, letting exports drain between batches. For
 * SimpleSpanProcessor (what the workload uses) and BatchSpanProcessor (the
 * production choice).
 */
async function measureOpenTelemetrySpan() {
	const count = 20_000;
	const result = {};
	let sink = 0;
	const empty = i => i;
	for (const processor of ['simple', 'batch']) {
		const {api, tracer, exporter, provider} = await openTelemetry(processor);
		const parent = api.trace.setSpan(api.context.active(), tracer.startSpan('parent'));
		const loopBare = () => {
			for (let i = 0; i < count; i++) {
				sink += empty(i);
			}
		};

		const loopSpans = () => {
			for (let i = 0; i < count; i++) {
				const span = tracer.startSpan('span', {attributes: {'section.index': i}}, parent);
				sink += empty(i);
				span.end();
			}
		};

		const time = loop => {
			const t0 = process.hrtime.bigint();
			loop();
			return Number(process.hrtime.bigint() - t0) / count;
		};

		let bare = Number.POSITIVE_INFINITY;
		let spans = Number.POSITIVE_INFINITY;
		for (let round = 0; round < 8; round++) {
			bare = Math.min(bare, time(loopBare));
			spans = Math.min(spans, time(loopSpans));
			await provider.forceFlush();
			exporter.reset();
		}

		await provider.shutdown();
		result[processor] = spans - bare;
	}

	result.sink = sink > 0;
	return result;
}

// ---------------------------------------------------------------------------
// Parent: sets up, runs the children, prints the table

function parent() {
	if (!fs.existsSync(path.join(dist, 'index.js'))) {
		console.error('dist/ is missing: run `npx tsc -p tsconfig.json` (or `npm run build`) first');
		process.exit(1);
	}

	const runs = Number(flags.runs);
	const directory = fs.mkdtempSync(path.join(os.tmpdir(), 'viztracer-bench-workload-'));
	try {
		const markedRoot = path.dirname(fileURLToPath(import.meta.resolve('marked/package.json')));
		const markedCopy = path.join(directory, 'node_modules', 'marked');
		fs.mkdirSync(markedCopy, {recursive: true});
		fs.copyFileSync(path.join(markedRoot, 'package.json'), path.join(markedCopy, 'package.json'));
		fs.cpSync(path.join(markedRoot, 'lib'), path.join(markedCopy, 'lib'), {recursive: true});
		const markedVersion = JSON.parse(fs.readFileSync(path.join(markedRoot, 'package.json'), 'utf8')).version;

		const sections = generateSections(Number(flags['size-mb']) * 1024 * 1024);
		const documentBytes = sections.reduce((sum, section) => sum + Buffer.byteLength(section), 0);
		fs.writeFileSync(path.join(directory, 'sections.json'), JSON.stringify(sections));

		const script = fileURLToPath(import.meta.url);
		const runChild = mode => {
			const nodeFlags = mode === 'cpu-prof' ? ['--cpu-prof', `--cpu-prof-dir=${path.join(directory, 'profiles')}`] : [];
			const args = [...nodeFlags, script, `--mode=${mode}`, '--dir', directory, '--dist', dist];
			const t0 = performance.now();
			const child = spawnSync(process.execPath, args, {cwd: directory, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024});
			const wallMs = performance.now() - t0;
			if (child.status !== 0) {
				throw new Error(`${mode} child failed (${child.status ?? child.signal}):\n${child.stderr}`);
			}

			return {...JSON.parse(child.stdout.trim().split('\n').at(-1)), wallMs};
		};

		// Best of `runs` for each number on its own (render time, process time, ...).
		const best = new Map();
		const keep = (mode, result) => {
			const previous = best.get(mode) ?? {};
			const merged = {...result};
			for (const [key, value] of Object.entries(result)) {
				if (typeof value === 'number' && typeof previous[key] === 'number' && key !== 'spans' && key !== 'kept') {
					merged[key] = Math.min(value, previous[key]);
				}
			}

			best.set(mode, merged);
		};

		const hashes = new Set();
		for (let round = 0; round < runs; round++) {
			// Rounds interleave the modes, so noise on a shared machine hits them all alike.
			for (const mode of modes) {
				const result = runChild(mode);
				hashes.add(result.outputHash);
				keep(mode, result);
			}
		}

		if (hashes.size !== 1) {
			throw new Error(`the rendered HTML differs between modes (${[...hashes].join(', ')})`);
		}

		for (let round = 0; round < Math.min(runs, 3); round++) {
			const {simple, batch} = runChild('otel-span');
			keep('otel-span', {simple, batch});
		}

		const profiles = fs.existsSync(path.join(directory, 'profiles')) ? fs.readdirSync(path.join(directory, 'profiles')) : [];
		const profileBytes = profiles.length > 0 ? fs.statSync(path.join(directory, 'profiles', profiles[0])).size : 0;
		report({runs, sections: sections.length, documentBytes, markedVersion, best, profileBytes});
	} finally {
		fs.rmSync(directory, {recursive: true, force: true});
	}
}

function report({runs, sections, documentBytes, markedVersion, best, profileBytes}) {
	const untraced = best.get('untraced');
	const traced = best.get('traced');
	const otel = best.get('otel');
	const otelSpan = best.get('otel-span');
	const rows = modes.map(mode => {
		const b = best.get(mode);
		return {
			mode,
			startMs: b.startMs,
			workMs: b.workMs,
			workRatio: b.workMs / untraced.workMs,
			workCpuMs: b.workCpuMs,
			workCpuRatio: b.workCpuMs / untraced.workCpuMs,
			warmMs: b.warmMs,
			warmRatio: b.warmMs / untraced.warmMs,
			wallMs: b.wallMs,
			wallRatio: b.wallMs / untraced.wallMs,
			spans: b.spans,
		};
	});
	const tracedRatio = traced.workMs / untraced.workMs;
	const nsPerCall = ((traced.workMs - untraced.workMs) * 1e6) / traced.spans;
	const warmNsPerCall = ((traced.warmMs - untraced.warmMs) * 1e6) / traced.warmSpans;
	const cpuNsPerCall = ((traced.workCpuMs - untraced.workCpuMs) * 1e6) / traced.spans;
	const summary = {
		node: process.version,
		runs,
		marked: markedVersion,
		documentBytes,
		sections,
		rows,
		viztracer: {spans: traced.spans, kept: traced.kept, saveMs: traced.saveMs, traceBytes: traced.traceBytes, nsPerCall, cpuNsPerCall, warmNsPerCall},
		otel: {spans: otel.spans, nsPerSpanSimple: otelSpan.simple, nsPerSpanBatch: otelSpan.batch},
		cpuProfile: {bytes: profileBytes},
		target: {ratio: tracedRatio, cpuRatio: traced.workCpuMs / untraced.workCpuMs, warmRatio: traced.warmMs / untraced.warmMs, max: 5, pass: tracedRatio <= 5},
	};

	if (flags.json) {
		console.log(JSON.stringify(summary));
		return;
	}

	const mb = bytes => (bytes / 1024 / 1024).toFixed(2);
	console.log(`viztracer workload benchmark: Node ${process.version}, marked ${markedVersion} rendering ${mb(documentBytes)} MB of markdown in ${sections} sections, best of ${runs} runs per mode`);
	const labels = {
		untraced: 'untraced',
		stopped: 'viztracer instrumented, not started',
		traced: 'viztracer, every function traced',
		'cpu-prof': 'node --cpu-prof (sampling, 1 ms)',
		otel: 'OpenTelemetry spans, 1 per section',
	};
	const width = Math.max(...Object.values(labels).map(label => label.length));
	const columns = [['start', 7], ['render 1', 8], ['ratio', 5], ['CPU 1', 7], ['ratio', 5], ['render 2', 8], ['ratio', 5], ['process', 7], ['ratio', 5], ['spans/render', 12]];
	console.log(`${'mode'.padEnd(width)}  ${columns.map(([name, size]) => name.padStart(size)).join('  ')}`);
	for (const row of rows) {
		const cells = [row.startMs.toFixed(0), row.workMs.toFixed(0), row.workRatio.toFixed(2), row.workCpuMs.toFixed(0), row.workCpuRatio.toFixed(2), row.warmMs.toFixed(0), row.warmRatio.toFixed(2), row.wallMs.toFixed(0), row.wallRatio.toFixed(2), row.spans === undefined ? '' : String(row.spans)];
		console.log(`${labels[row.mode].padEnd(width)}  ${cells.map((cell, index) => cell.padStart(columns[index][1])).join('  ')}`);
	}

	console.log('(ms. start: process start to the first render, loading marked included; render 1: the first render, JIT warm-up included;');
	console.log(' CPU 1: CPU time of the process during render 1, all threads; render 2: the same render again, steady state;');
	console.log(' process: the whole child process as timed by the parent, trace or profile writing included)');
	console.log('');
	console.log(`viztracer: ${traced.spans} calls per render; per call over untraced: ${nsPerCall.toFixed(0)} ns in render 1 (${cpuNsPerCall.toFixed(0)} ns of CPU), ${warmNsPerCall.toFixed(0)} ns in render 2;`);
	console.log(`  the ring keeps the last ${traced.kept} spans; save ${traced.saveMs.toFixed(0)} ms for a ${mb(traced.traceBytes)} MB trace`);
	console.log(`OpenTelemetry: ${otelSpan.simple.toFixed(0)} ns per span with SimpleSpanProcessor + InMemorySpanExporter (the workload's), ${otelSpan.batch.toFixed(0)} ns with BatchSpanProcessor`);
	console.log(`  (each measured alone around an empty body); ${otel.spans} spans per render`);
	console.log(`node --cpu-prof: ${mb(profileBytes)} MB profile written at exit`);
	console.log(`target: traced/untraced render <= 5x; measured ${tracedRatio.toFixed(2)}x (render 1; ${summary.target.cpuRatio.toFixed(2)}x in CPU time), ${summary.target.warmRatio.toFixed(2)}x (render 2): ${tracedRatio <= 5 ? 'PASS' : 'FAIL'}`);
	console.log('rendered HTML identical in every mode: yes');
}
