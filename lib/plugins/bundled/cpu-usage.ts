import {now as clockNow} from '../../core/clock.js';
import {parseIntervalArgument, SamplingPlugin} from './sampling-plugin.js';

/**
 * Samples the process's CPU use (user + system time over wall time, in
 * percent of one core) into a "CPU usage" counter.
 *
 * `viztracer --plugins "viztracer/plugins/cpu-usage --interval 50" -- app.js`
 */
export class CpuUsagePlugin extends SamplingPlugin {
	protected readonly counterName = 'CPU usage';
	#lastUsage = process.cpuUsage();
	#lastTime = clockNow();

	protected override begin(): void {
		this.#lastUsage = process.cpuUsage();
		this.#lastTime = clockNow();
	}

	protected sample(): Record<string, number> {
		const usage = process.cpuUsage(this.#lastUsage);
		const time = clockNow();
		const elapsedMicroseconds = (time - this.#lastTime) * 1000;
		this.#lastUsage = process.cpuUsage();
		this.#lastTime = time;
		const percent = (value: number) => (elapsedMicroseconds > 0 ? Math.round(value / elapsedMicroseconds * 1000) / 10 : 0);
		return {user: percent(usage.user), system: percent(usage.system)};
	}
}

export const getVizplugin = (arg: string): CpuUsagePlugin => new CpuUsagePlugin(parseIntervalArgument(arg, 'cpu-usage'));
