// The showcase's worker thread: a CPU-bound sum, traced on its own thread.
import {parentPort, workerData} from 'node:worker_threads';

function square(value) {
	return value * value;
}

function sumOfSquares(count) {
	let sum = 0;
	for (let index = 0; index < count; index++) {
		sum = (sum + square(index)) % 1_000_003;
	}

	return sum;
}

parentPort.postMessage(sumOfSquares(workerData));
