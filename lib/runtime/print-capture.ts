import type {Recorder} from '../core/recorder.js';

// `logPrint` (Python VizTracer's log_print): what the program prints becomes
// an instant event with its text, on the thread that printed it, at the time
// it printed it. The output itself is untouched: each wrapper calls what it
// replaced with the same `this` and arguments and returns what it returned.
// The text is taken only from what was written (a string or bytes), never by
// formatting a value, so recording runs none of the program's code.

/** At most this many characters of one write are kept (a longer one ends with …). */
export const printTextLimit = 1000;

const consoleMethods = [['log', 'stdout'], ['info', 'stdout'], ['debug', 'stdout'], ['warn', 'stderr'], ['error', 'stderr']] as const;
type StreamName = 'stdout' | 'stderr';
type Write = (this: unknown, ...args: unknown[]) => unknown;
type Printing = {method: string; stream: StreamName} | undefined;

const {apply} = Reflect;
const {isView} = ArrayBuffer;
const {slice} = String.prototype;
const decoder = new TextDecoder('utf-8', {fatal: false});

/** The text of a chunk a program wrote, bounded; undefined for anything but a string or bytes (the write itself then decides). */
function textOf(chunk: unknown): string | undefined {
	if (typeof chunk === 'string') {
		return chunk.length > printTextLimit ? `${apply(slice, chunk, [0, printTextLimit]) as string}…` : chunk;
	}

	if (isView(chunk)) {
		// Four bytes at most per character: enough bytes for the limit, and no more decoded.
		const bytes = new Uint8Array(chunk.buffer, chunk.byteOffset, Math.min(chunk.byteLength, printTextLimit * 4));
		const text = decoder.decode(bytes);
		return text.length > printTextLimit || bytes.byteLength < chunk.byteLength ? `${apply(slice, text, [0, printTextLimit]) as string}…` : text;
	}

	return undefined;
}

/**
 * Records every write to `process.stdout` and `process.stderr`, and names the
 * ones `console.log`, `info`, `debug`, `warn` and `error` make after the
 * method. Returns the function that puts back what it replaced (a wrapper the
 * program replaced in turn stays in place, and records nothing more).
 */
export function capturePrints(recorder: Recorder): () => void {
	let active = true;
	let printing: Printing;
	// Above 0 while a worker thread's output is being passed on to this thread's streams: the worker recorded it already, on its own thread.
	let forwarding = 0;
	const restores: Array<() => void> = [];
	const names = new Map<string, number>();
	const nameId = (name: string) => {
		let id = names.get(name);
		if (id === undefined) {
			id = recorder.intern(name);
			names.set(name, id);
		}

		return id;
	};

	/** Replaces `owner[key]` with `make(original)`, as an own property of the same kind, and remembers how to undo it. */
	const replace = (owner: Record<string, unknown>, key: string, make: (original: Write) => Write) => {
		const original = owner[key];
		if (typeof original !== 'function') {
			return;
		}

		const own = Object.getOwnPropertyDescriptor(owner, key);
		const wrapper = make(original as Write);
		try {
			Object.defineProperty(owner, key, {value: wrapper, writable: own?.writable ?? true, enumerable: own?.enumerable ?? true, configurable: true});
		} catch {
			return;
		}

		restores.push(() => {
			if (owner[key] === wrapper) {
				if (own === undefined) {
					delete owner[key];
				} else {
					Object.defineProperty(owner, key, own);
				}
			}
		});
	};

	for (const stream of ['stdout', 'stderr'] as const) {
		let target: Record<string, unknown>;
		try {
			// Node creates each stream when it is first read: reading it here creates it no earlier than the program's first write would.
			target = process[stream] as unknown as Record<string, unknown>;
		} catch {
			continue;
		}

		replace(target, 'write', original => ({
			write(this: unknown, ...args: unknown[]): unknown {
				if (active && forwarding === 0) {
					// Whatever goes wrong in recording, the write happens as it would have.
					try {
						const text = textOf(args[0]);
						if (text !== undefined) {
							const by = printing !== undefined && printing.stream === stream ? `console.${printing.method}` : `process.${stream}.write`;
							recorder.instant(nameId(by), recorder.withContext({string: text}), 't');
						}
					} catch {}
				}

				return apply(original, this, args);
			},
		}).write);
	}

	const consoleObject = globalThis.console as unknown as Record<string, unknown>;
	for (const [method, stream] of consoleMethods) {
		replace(consoleObject, method, original => ({
			[method](this: unknown, ...args: unknown[]): unknown {
				const outer = printing;
				printing = {method, stream};
				try {
					return apply(original, this, args);
				} finally {
					printing = outer;
				}
			},
		})[method]!);
	}

	// Node pipes a worker's stdout and stderr into this thread's streams, from the 'data' events of the worker's side of them.
	const onWorker = (worker: {stdout?: unknown; stderr?: unknown}) => {
		for (const readable of [worker.stdout, worker.stderr]) {
			if (typeof readable === 'object' && readable !== null) {
				replace(readable as Record<string, unknown>, 'emit', original => ({
					emit(this: unknown, ...args: unknown[]): unknown {
						forwarding++;
						try {
							return apply(original, this, args);
						} finally {
							forwarding--;
						}
					},
				}).emit);
			}
		}
	};

	process.on('worker', onWorker);
	restores.push(() => {
		process.removeListener('worker', onWorker);
	});

	return () => {
		active = false;
		for (const restore of restores.reverse()) {
			restore();
		}
	};
}
