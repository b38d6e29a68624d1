// Why acorn: parse throughput of the candidate parsers on real files, best
// of 5, in one run. acorn is a dependency; the others are measured when
// installed (`npm install --no-save meriyah oxc-parser`).
import fs from 'node:fs';
import {fileURLToPath} from 'node:url';
import {parse} from 'acorn';

const modules = fileURLToPath(new URL('../node_modules/', import.meta.url));
const files = [`${modules}typescript/lib/typescript.js`, `${modules}marked/lib/marked.esm.js`];

async function optional(name) {
	try {
		return await import(name);
	} catch {
		return undefined;
	}
}

const meriyah = await optional('meriyah');
const oxc = await optional('oxc-parser');
const parsers = {
	acorn: (source, sourceType) => parse(source, {ecmaVersion: 'latest', sourceType, preserveParens: true}),
	...(meriyah && {meriyah: (source, sourceType) => (sourceType === 'module' ? meriyah.parseModule : meriyah.parseScript)(source, {next: true, ranges: true})}),
	...(oxc && {'oxc-parser (native)': (source, sourceType) => oxc.parseSync(sourceType === 'module' ? 'x.mjs' : 'x.js', source)}),
};

console.log(`parse throughput, best of 5 (Node ${process.version})\n`);
console.log('| file | MB | parser | ms | MB/s |');
console.log('| --- | ---: | --- | ---: | ---: |');
for (const file of files) {
	const source = fs.readFileSync(file, 'utf8');
	const sourceType = file.endsWith('.esm.js') ? 'module' : 'script';
	const megabytes = source.length / 1e6;
	for (const [name, parseWith] of Object.entries(parsers)) {
		let best = Number.POSITIVE_INFINITY;
		for (let run = 0; run < 5; run++) {
			const start = performance.now();
			parseWith(source, sourceType);
			best = Math.min(best, performance.now() - start);
		}

		console.log(`| ${file.split('node_modules/')[1]} | ${megabytes.toFixed(2)} | ${name} | ${best.toFixed(1)} | ${(megabytes / (best / 1000)).toFixed(1)} |`);
	}
}
