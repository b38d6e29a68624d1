// The part `viztracer/node-test` and `viztracer/ava` share: a fresh VizTracer
// around each test body, one trace file per kept test, the test's name,
// result and duration in `viztracer_metadata.test`.
import {AsyncLocalStorage} from 'node:async_hooks';
import path from 'node:path';
import {now as clockNow} from '../core/clock.js';
import type {VizTracerOptions} from '../tracer/options.js';
import {getTracer, VizTracer} from '../tracer/tracer.js';
import {TraceFileNamer} from './trace-file-name.js';

export type TestStatus = 'pass' | 'fail' | 'skip' | 'todo';

export type TestTracingSettings = {
	/** Where the trace files go (created when needed). */
	outputDir: string;
	/** `'failed'`: only failed tests' traces are written. @default 'all' */
	keep: 'all' | 'failed';
	/** When set, only tests that took longer (milliseconds) are written; with `keep: 'failed'`, a test that meets either condition is. */
	keepSlowerThan: number | undefined;
	/** Options of each test's tracer (`outputFile` is replaced by the per-test name). */
	tracerOptions: VizTracerOptions;
};

/** What lands in `viztracer_metadata.test`. */
export type TestMetadata = {
	name: string;
	fullName: string;
	file: string;
	status: TestStatus;
	durationMs: number;
	[key: string]: unknown;
};

export type TestIdentity = {
	name: string;
	/** The titles of the enclosing suites, outermost first, then the test's own. */
	titles: readonly string[];
	file: string;
	extra?: Record<string, unknown>;
};

export type TestRun = {
	/** Ends the trace; `status` is the body's outcome. Returns the file written, if any. */
	end(status: TestStatus): string | undefined;
};

export class TestTracing {
	readonly settings: TestTracingSettings;
	readonly #namer = new TraceFileNamer();
	// Inside a traced body: tests created there (subtests) are part of its trace.
	readonly #inside = new AsyncLocalStorage<true>();
	#queue: Promise<void> = Promise.resolve();
	// Bodies running or waiting in the queue.
	#pending = 0;
	#warned = false;

	constructor(settings: TestTracingSettings) {
		this.settings = settings;
	}

	/** Whether the caller runs inside a traced test body. */
	get nested(): boolean {
		return this.#inside.getStore() === true;
	}

	/**
	 * Runs `body` traced. Only one tracer records at a time, so bodies that
	 * would overlap (concurrent tests) wait for the previous one to finish:
	 * each trace holds exactly one test. A body called inside a traced one
	 * (a subtest) runs untraced there and is part of its parent's trace.
	 */
	async trace<T>(identity: TestIdentity, body: (run: TestRun | undefined) => Promise<T>): Promise<T> {
		if (this.nested) {
			return body(undefined);
		}

		const previous = this.#queue;
		let release!: () => void;
		this.#queue = new Promise(resolve => {
			release = resolve;
		});
		// With nothing to wait for the body starts at once, in the runner's own async context: node:test finds the
		// parent of a test() called in a body by the body's async id, which an await here would change.
		const waits = this.#pending > 0;
		this.#pending++;
		if (waits) {
			await previous;
		}

		try {
			return await this.#inside.run(true, () => body(this.begin(identity)));
		} finally {
			this.#pending--;
			release();
		}
	}

	/** Starts a tracer for one test; undefined (with a one-time warning) when another tracer is recording. */
	begin(identity: TestIdentity): TestRun | undefined {
		const other = getTracer();
		if (other !== undefined) {
			this.#warnOnce(`viztracer: a tracer was already recording when test \`${identity.titles.join(' > ')}\` started (is viztracer/register loaded too?); tests get no trace files of their own while it records`);
			return undefined;
		}

		const tracer = new VizTracer(this.settings.tracerOptions);
		const started = clockNow();
		tracer.start();
		let ended = false;
		return {
			end: status => {
				if (ended) {
					return undefined;
				}

				ended = true;
				const durationMs = clockNow() - started;
				try {
					tracer.stop();
					if (!this.#keeps(status, durationMs)) {
						return undefined;
					}

					const metadata: TestMetadata = {...identity.extra, name: identity.name, fullName: identity.titles.join(' > '), file: identity.file, status, durationMs};
					tracer.on('pre-save', data => {
						data.viztracer_metadata['test'] = metadata;
					});
					return tracer.save(path.join(this.settings.outputDir, this.#namer.name(identity.file, identity.titles)));
				} catch (error) {
					// A lost trace must not fail the test; say so instead.
					process.stderr.write(`viztracer: no trace for test \`${identity.titles.join(' > ')}\`: ${error instanceof Error ? error.message : String(error)}\n`);
					return undefined;
				} finally {
					try {
						tracer.terminate();
					} catch {}
				}
			},
		};
	}

	#keeps(status: TestStatus, durationMs: number): boolean {
		const {keep, keepSlowerThan} = this.settings;
		if (keep === 'all' && keepSlowerThan === undefined) {
			return true;
		}

		return (keep === 'failed' && status === 'fail') || (keepSlowerThan !== undefined && durationMs > keepSlowerThan);
	}

	#warnOnce(message: string): void {
		if (!this.#warned) {
			this.#warned = true;
			process.stderr.write(`${message}\n`);
		}
	}
}
