import {monitorEventLoopDelay, type IntervalHistogram} from 'node:perf_hooks';
import {parseIntervalArgument, SamplingPlugin} from './sampling-plugin.js';

const milliseconds = (nanoseconds: number) => Math.round(nanoseconds / 1000) / 1000;

/**
 * Samples `perf_hooks.monitorEventLoopDelay` percentiles (ms) into an
 * "Event loop delay" counter; each sample covers the interval since the last.
 *
 * `viztracer --plugins "viztracer/plugins/event-loop-delay --interval 100" -- app.js`
 */
export class EventLoopDelayPlugin extends SamplingPlugin {
	protected readonly counterName = 'Event loop delay (ms)';
	#histogram: IntervalHistogram | undefined;

	protected override begin(): void {
		this.#histogram = monitorEventLoopDelay({resolution: 10});
		this.#histogram.enable();
	}

	protected override end(): void {
		this.#histogram?.disable();
	}

	protected sample(): Record<string, number> {
		const histogram = this.#histogram;
		if (histogram === undefined || histogram.count === 0) {
			return {p50: 0, p99: 0, max: 0};
		}

		const values = {p50: milliseconds(histogram.percentile(50)), p99: milliseconds(histogram.percentile(99)), max: milliseconds(histogram.max)};
		histogram.reset();
		return values;
	}
}

export const getVizplugin = (arg: string): EventLoopDelayPlugin => new EventLoopDelayPlugin(parseIntervalArgument(arg, 'event-loop-delay'));
