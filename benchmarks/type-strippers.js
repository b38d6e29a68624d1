// Why amaro: stripping throughput of the candidate TypeScript strippers on
// real TypeScript (this repository's own lib/, the files strip-only mode
// accepts), best of 5, in one run, next to Node's own stripper where this
// Node has one. amaro is a dependency; the others are measured when
// installed (`npm install --no-save ts-blank-space sucrase oxc-transform`).
// "positions kept" checks that every line keeps its length: then spans and
// stack traces point at the .ts lines and columns without a source map.
import fs from 'node:fs';
import {createRequire} from 'node:module';
import path from 'node:path';
import {fileURLToPath} from 'node:url';

const require = createRequire(import.meta.url);
const libDir = fileURLToPath(new URL('../lib/', import.meta.url));

function optional(name) {
	try {
		const start = performance.now();
		const module = require(name);
		return {module, loadMs: performance.now() - start};
	} catch {
		return undefined;
	}
}

const amaro = optional('amaro');
const strippers = {
	amaro: {...amaro, strip: source => amaro.module.transformSync(source, {mode: 'strip-only'}).code},
};
const nodeStripper = require('node:module').stripTypeScriptTypes;
if (nodeStripper) {
	process.removeAllListeners('warning');
	strippers[`Node ${process.version} stripTypeScriptTypes`] = {loadMs: 0, strip: source => nodeStripper(source)};
}

for (const [name, strip] of [
	['ts-blank-space', module => source => module.default(source)],
	['sucrase', module => source => module.transform(source, {transforms: ['typescript'], disableESTransforms: true, keepUnusedImports: true}).code],
	['oxc-transform', module => source => module.transformSync('file.ts', source, {sourcemap: false}).code],
]) {
	const loaded = optional(name);
	if (loaded) {
		strippers[name] = {...loaded, strip: strip(loaded.module)};
	}
}

const files = fs.readdirSync(libDir, {recursive: true}).filter(file => file.endsWith('.ts')).map(file => fs.readFileSync(path.join(libDir, file), 'utf8')).filter(source => {
	try {
		strippers.amaro.strip(source);
		return true;
	} catch {
		return false;
	}
});
const megabytes = files.reduce((sum, source) => sum + Buffer.byteLength(source), 0) / 1e6;
const positionsKept = strip => files.every(source => {
	const before = source.split('\n');
	const after = strip(source).split('\n');
	return before.length === after.length && before.every((line, index) => line.length === after[index].length);
});

console.log(`TypeScript stripping, ${files.length} files, ${megabytes.toFixed(2)} MB, best of 5 (Node ${process.version})\n`);
console.log('| stripper | load (ms) | ms | MB/s | positions kept |');
console.log('| --- | ---: | ---: | ---: | --- |');
for (const [name, {loadMs, strip}] of Object.entries(strippers)) {
	let best = Number.POSITIVE_INFINITY;
	for (let run = 0; run < 5; run++) {
		const start = performance.now();
		for (const source of files) {
			strip(source);
		}

		best = Math.min(best, performance.now() - start);
	}

	console.log(`| ${name} | ${loadMs.toFixed(0)} | ${best.toFixed(1)} | ${(megabytes / (best / 1000)).toFixed(1)} | ${positionsKept(strip) ? 'yes' : 'no'} |`);
}

if (nodeStripper) {
	const same = files.filter(source => nodeStripper(source) === strippers.amaro.strip(source)).length;
	console.log(`\namaro's output is Node's own, byte for byte, for ${same} of ${files.length} files`);
}
