import {fileURLToPath} from 'node:url';
import {hookGlobal} from '../core/hook-names.js';
import {TransformCache} from './cache.js';

// The source maps of instrumented code, kept out of the code: an inline map
// makes the code about four times its size, which V8 then scans when it
// compiles it and Node decodes and measures as it loads it (most of a warm
// traced start-up, benchmarks/README.md). Instead each instrumented file's
// prologue tells the hook where its map is (`__viztracer.n(names, file,
// ref)`), and the map is read only when a stack trace goes through the file
// (call-sites.ts). A ref is `c<json [cache dir, entry key]>`, an entry of the
// transform cache (read with the cache's own checks: owner, mode, digest), or
// `m<id>`, a map held in this thread's memory (no cache, instrumented in the
// thread that runs the code).

/** What a file's lazy map holds: our map (linear, see edit-map.ts) to the code as it was loaded, and the file's own map from there to the original sources, if it has one. */
export type LazyMapPayload = {map: string; input?: string};

const memoryKey = Symbol.for('viztracer.lazyMaps');
const memory = ((globalThis as Record<symbol, unknown>)[memoryKey] ??= new Map<string, LazyMapPayload>()) as Map<string, LazyMapPayload>;

let reserved = 0;

/** A ref for a map to be held in this thread's memory (the prologue names it before the map exists). */
export const reserveMemoryRef = (): string => `m${++reserved}`;

/** Holds `payload` under `ref` in this thread's memory. */
export function holdInMemory(ref: string, payload: LazyMapPayload): void {
	memory.set(ref, payload);
}

/** The ref of a cache entry. */
export const cacheRef = (dir: string, key: string): string => `c${JSON.stringify([dir, key])}`;

const caches = new Map<string, TransformCache>();
const loaded = new Map<string, LazyMapPayload | null>();

function load(ref: string): LazyMapPayload | undefined {
	// A map that could not be cached is held in memory under its cache ref.
	const held = memory.get(ref);
	if (held !== undefined || ref.startsWith('m')) {
		return held;
	}

	if (!ref.startsWith('c')) {
		return undefined;
	}

	const [dir, key] = JSON.parse(ref.slice(1)) as [string, string];
	let cache = caches.get(dir);
	if (cache === undefined) {
		cache = new TransformCache(dir, {warn() {}});
		caches.set(dir, cache);
	}

	const text = cache.get(key, 'map');
	return text === undefined ? undefined : JSON.parse(text) as LazyMapPayload;
}

/** The lazy map of the instrumented file `file` (a path or a file URL, as a CallSite names it), read on first use; undefined for any other file. */
export function lazyMapOf(file: string): LazyMapPayload | undefined {
	const maps = ((globalThis as Record<string, unknown>)[hookGlobal] as {maps?: Map<string, string>} | undefined)?.maps;
	if (maps === undefined || maps.size === 0) {
		return undefined;
	}

	let ref = maps.get(file);
	if (ref === undefined && file.startsWith('file:')) {
		try {
			ref = maps.get(fileURLToPath(file));
		} catch {}
	}

	if (ref === undefined) {
		return undefined;
	}

	let payload = loaded.get(ref);
	if (payload === undefined) {
		try {
			payload = load(ref) ?? null;
		} catch {
			payload = null;
		}

		loaded.set(ref, payload);
	}

	return payload ?? undefined;
}
