import path from 'node:path';
import type {TestTracingSettings} from './test-tracing.js';
import {environmentError, optionsFromEnvironment} from '../launch/environment.js';

/**
 * Settings of `viztracer/node-test` and `viztracer/ava` from the environment:
 * the tracer options from `VIZTRACER_*` (as `viztracer/register` reads them),
 * `VIZTRACER_OUTPUT_DIR` (default `viztracer-traces` in the working
 * directory), `VIZTRACER_KEEP` (`all` or `failed`) and
 * `VIZTRACER_KEEP_SLOWER_THAN` (milliseconds). The per-test "saved" report is
 * off unless `VIZTRACER_VERBOSE` asks for it.
 */
export function testTracingFromEnvironment(environment: NodeJS.ProcessEnv): TestTracingSettings {
	const tracerOptions = optionsFromEnvironment(environment);
	tracerOptions.verbose ??= 0;
	const keep = (environment['VIZTRACER_KEEP'] ?? 'all').trim().toLowerCase() || 'all';
	if (keep !== 'all' && keep !== 'failed') {
		throw environmentError('VIZTRACER_KEEP', environment['VIZTRACER_KEEP'], '`all` or `failed`');
	}

	const slower = environment['VIZTRACER_KEEP_SLOWER_THAN'];
	let keepSlowerThan: number | undefined;
	if (slower !== undefined && slower.trim() !== '') {
		keepSlowerThan = Number(slower);
		if (!Number.isFinite(keepSlowerThan) || keepSlowerThan < 0) {
			throw environmentError('VIZTRACER_KEEP_SLOWER_THAN', slower, 'a number of milliseconds >= 0');
		}
	}

	return {
		outputDir: path.resolve(environment['VIZTRACER_OUTPUT_DIR'] || 'viztracer-traces'),
		keep,
		keepSlowerThan,
		tracerOptions,
	};
}
