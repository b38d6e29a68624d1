// A small program to trace: it builds a text, counts word frequencies and
// prints the most common words. Run it with `npm start` (or
// `npx viztracer examples/word-frequency.js`) and open the trace it writes.
// Every function below becomes a span with no change to the code; the
// tracer is only used for the extra events (a counter, instants, a block).
import {getTracer, VizCounter} from 'viztracer';

// Under the viztracer CLI, getTracer() is the running tracer; under plain
// `node` it is undefined and the program runs untraced.
const tracer = getTracer();

const words = ['trace', 'node', 'span', 'event', 'timeline', 'viewer', 'counter', 'async', 'plugin', 'ring'];

function makeLine(seed) {
	const line = [];
	for (let index = 0; index < 12; index++) {
		line.push(words[(seed * 7 + index * 3) % words.length]);
	}

	return line.join(' ');
}

function makeText(lines) {
	const text = [];
	for (let index = 0; index < lines; index++) {
		text.push(makeLine(index));
	}

	return text.join('\n');
}

function countWords(text, progress) {
	const counts = new Map();
	for (const [index, line] of text.split('\n').entries()) {
		for (const word of line.split(' ')) {
			counts.set(word, (counts.get(word) ?? 0) + 1);
		}

		if (progress && index % 100 === 0) {
			progress.lines = index;
		}
	}

	return counts;
}

function topWords(counts, limit) {
	return [...counts].sort((a, b) => b[1] - a[1]).slice(0, limit);
}

async function pause(milliseconds) {
	await new Promise(resolve => {
		setTimeout(resolve, milliseconds);
	});
}

async function main() {
	const progress = tracer ? new VizCounter(tracer, 'lines counted') : undefined;
	for (let round = 1; round <= 3; round++) {
		// `using span = tracer.logEvent(…)` does this in TypeScript, or on Node 24+.
		const span = tracer?.logEvent(`round ${round}`);
		const text = makeText(round * 500);
		const counts = countWords(text, progress);
		tracer?.logInstant('counted', {round, distinctWords: counts.size});
		console.log(`round ${round}:`, topWords(counts, 3).map(([word, count]) => `${word}=${count}`).join(', '));
		await pause(5);
		span?.end();
	}
}

await main();
