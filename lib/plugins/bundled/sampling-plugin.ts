// plugins/bundled/: the plugins viztracer ships, one per file, each importable
// as `viztracer/plugins/<file>`. This file is the base of the sampling ones
// (cpu-usage, memory-usage, event-loop-delay); otlp.ts exports spans.

import {now as clockNow} from '../../core/clock.js';
import {VizPluginError} from '../../core/errors.js';
import {VizPluginBase, type PluginMessage, type PluginReply} from '../plugin.js';
import type {TraceData} from '../../trace-file/trace-event.js';
import {version} from '../../trace-file/version.js';

export type SamplingOptions = {
	/**
	 * Milliseconds between samples.
	 * @default 20
	 */
	interval?: number;
};

type Sample = {time: number; values: Record<string, number>};

/** Reads `--interval 50`, `-i 50` or a bare `50` (milliseconds) from a `--plugins` argument string. */
export function parseIntervalArgument(arg: string, plugin: string): SamplingOptions {
	const words = arg.trim().split(/\s+/).slice(1);
	if (words.length === 0) {
		return {};
	}

	const value = words[0] === '--interval' || words[0] === '-i' ? words[1] : words[0];
	const interval = Number(value);
	if (words.length > (value === words[0] ? 1 : 2) || !Number.isFinite(interval) || interval <= 0) {
		throw new VizPluginError(plugin, `${plugin} takes one optional argument, the sampling interval in milliseconds (e.g. "viztracer/plugins/${plugin} --interval 50"), got ${JSON.stringify(words.join(' '))}`);
	}

	return {interval};
}

/**
 * A plugin that samples something on an unref'd timer while the tracer runs
 * (it never keeps the process alive) and adds the samples to the trace as
 * counter events through `handle_data` at `pre-save`.
 */
export abstract class SamplingPlugin extends VizPluginBase {
	readonly interval: number;
	#timer: NodeJS.Timeout | undefined;
	#samples: Sample[] = [];

	constructor(options: SamplingOptions = {}) {
		super();
		const interval = options.interval ?? 20;
		if (typeof interval !== 'number' || !Number.isFinite(interval) || interval <= 0) {
			throw new VizPluginError(this.constructor.name, `${this.constructor.name}: expected \`interval\` to be a number of milliseconds > 0, got ${String(interval)}`);
		}

		this.interval = interval;
	}

	/** The counter's name in the trace. */
	protected abstract readonly counterName: string;

	/** Called when sampling starts, before the first sample. */
	protected begin(): void {}

	/** Called when sampling stops. */
	protected end(): void {}

	/** One sample: series name → value. */
	protected abstract sample(): Record<string, number>;

	override supportVersion(): string {
		return version;
	}

	override message(...[mType, payload]: PluginMessage): PluginReply {
		if (mType === 'command') {
			this.#stop();
			return super.message(mType, payload);
		}

		switch (payload.when) {
			case 'pre-start': {
				this.#start();
				return {};
			}

			case 'post-stop': {
				this.#takeSample();
				this.#stop();
				return {};
			}

			case 'pre-save': {
				return {action: 'handle_data', handler: data => {
					this.#addCounters(data);
				}};
			}

			default: {
				return {};
			}
		}
	}

	#start(): void {
		this.#stop();
		this.begin();
		this.#takeSample();
		this.#timer = setInterval(() => {
			this.#takeSample();
		}, this.interval);
		this.#timer.unref();
	}

	#stop(): void {
		if (this.#timer !== undefined) {
			clearInterval(this.#timer);
			this.#timer = undefined;
			this.end();
		}
	}

	#takeSample(): void {
		this.#samples.push({time: clockNow(), values: this.sample()});
	}

	#addCounters(data: TraceData): void {
		const pid = process.pid;
		const processEvent = data.traceEvents.find(event => event.ph === 'M' && event.name === 'process_name');
		const tid = processEvent?.tid ?? pid;
		for (const {time, values} of this.#samples) {
			data.traceEvents.push({ph: 'C', name: this.counterName, pid: processEvent?.pid ?? pid, tid, ts: Math.round(time * 1e6) / 1000, args: values});
		}
	}
}
