// The in-thread, synchronous form of the ES module hooks, for
// `module.registerHooks()` (Node 22.15+).
import type {ResolvedInstrumentOptions} from './config.js';
import {loadContextFor, loaderRole, transformLoaded, type LoadContext, type LoadResult, type NextLoad} from './esm-transform.js';
import {createFileFilter} from './file-filter.js';
import type {InstrumentFile} from './instrument-file.js';

export type SyncLoad = (url: string, context: LoadContext, nextLoad: NextLoad) => LoadResult;

/** The load hook of the instance of generation `generation` (see LoaderRole). */
export function createSyncLoad(options: ResolvedInstrumentOptions, instrumentFile: InstrumentFile, generation = 1): SyncLoad {
	const instrumenter = {accept: createFileFilter(options), instrumentFile, inThread: true};
	const role = loaderRole(generation);
	return (url, context, nextLoad) => {
		const current = role();
		return transformLoaded(url, nextLoad(url, loadContextFor(url, context, current)) as LoadResult, instrumenter, current, context);
	};
}
