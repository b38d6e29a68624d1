import {parseIntervalArgument, SamplingPlugin} from './sampling-plugin.js';

const megabytes = (bytes: number) => Math.round(bytes / 1024 / 10.24) / 100;

/**
 * Samples `process.memoryUsage()` (heap used and total, RSS, external; in MB)
 * into a "Memory usage" counter.
 *
 * `viztracer --plugins "viztracer/plugins/memory-usage --interval 50" -- app.js`
 */
export class MemoryUsagePlugin extends SamplingPlugin {
	protected readonly counterName = 'Memory usage (MB)';

	protected sample(): Record<string, number> {
		const usage = process.memoryUsage();
		return {
			heapUsed: megabytes(usage.heapUsed),
			heapTotal: megabytes(usage.heapTotal),
			rss: megabytes(usage.rss),
			external: megabytes(usage.external),
		};
	}
}

export const getVizplugin = (arg: string): MemoryUsagePlugin => new MemoryUsagePlugin(parseIntervalArgument(arg, 'memory-usage'));
