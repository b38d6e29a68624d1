// The in-thread, synchronous form of the ES module hooks, for
// `module.registerHooks()` (Node 22.15+).
import type {ResolvedInstrumentOptions} from './config.js';
import {loadContextFor, transformLoaded, type LoadContext, type LoadResult, type NextLoad} from './esm-transform.js';
import {createFileFilter} from './file-filter.js';
import type {InstrumentFile} from './instrument-file.js';

export type SyncLoad = (url: string, context: LoadContext, nextLoad: NextLoad) => LoadResult;

export function createSyncLoad(options: ResolvedInstrumentOptions, instrumentFile: InstrumentFile): SyncLoad {
	const instrumenter = {accept: createFileFilter(options), instrumentFile};
	return (url, context, nextLoad) => transformLoaded(url, nextLoad(url, loadContextFor(url, context)) as LoadResult, instrumenter);
}
