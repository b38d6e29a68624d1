import {findSourceMap, SourceMap, type SourceMapPayload} from 'node:module';
import {types} from 'node:util';
import type {HiddenFrames} from './hidden-frames.js';
import {instrumentedMapField, linearMapField, loadedMapField} from './map-fields.js';
import {lazyMapOf, type LazyMapPayload} from './lazy-maps.js';

// `err.stack` is mapped back to the original lines by Node's source-map
// support, which `instrument()` turns on. A program's own
// `Error.prepareStackTrace`, though, would get V8's CallSite objects, whose
// lines and columns are those of the instrumented code, and V8 does not let
// their methods be replaced. So `Error.prepareStackTrace` becomes an accessor:
// a function the program assigns is handed to Node wrapped, and the wrapper
// gives it CallSites whose positions in instrumented files are the original
// ones (everything else is V8's). Reading the property back gives the same
// wrapper each time, and assigning a wrapper back (the save-and-restore that
// `callsites`, `depd` and the like do) stores the function it wraps.
// Frames of viztracer's own plumbing (hidden-frames.ts) are left out of the
// CallSites, whichever function formats them.
// What differs from untraced: `Error.prepareStackTrace === f` right after
// assigning `f` is false, and the property is an accessor.

type CallSite = Record<string, (...args: unknown[]) => unknown>;
type Position = {line: number; column: number};
type Prepare = (error: Error, sites: unknown[]) => unknown;

const installed = Symbol.for('viztracer.prepareStackTraceMapped');
const site = Symbol('callSite');
const {apply} = Reflect;
const {defineProperty, getOwnPropertyDescriptor, getPrototypeOf, getOwnPropertyNames, getOwnPropertySymbols, create} = Object;
const ErrorConstructor = Error;
const {isProxy} = types;

/**
 * Whether `error` is one of Node's own (`ERR_*`) errors, whose stack Node
 * heads with `Name [code]: message`. Node marks their prototype with a
 * symbol of its own; nothing of the program runs to find it (a proxy is
 * not looked into).
 */
function isNodeError(error: unknown): error is {name: unknown; code: unknown; message: unknown} {
	if (typeof error !== 'object' || error === null || isProxy(error)) {
		return false;
	}

	for (let prototype = getPrototypeOf(error) as object | null; prototype !== null; prototype = getPrototypeOf(prototype) as object | null) {
		if (isProxy(prototype)) {
			return false;
		}

		const symbols = getOwnPropertySymbols(prototype);
		for (let index = 0; index < symbols.length; index++) {
			if (symbols[index]!.description === 'kIsNodeError') {
				return true;
			}
		}
	}

	return false;
}

/**
 * Installs the accessor once per process; a no-op where the property cannot
 * be redefined. While `formatLikeV8()` holds (the program has not turned
 * on source maps itself, at start or since), Node's default formatting is replaced too, by the one Node uses
 * without source maps (`String(error)` and each CallSite's text), over
 * mapped CallSites: `err.stack` then reads exactly as untraced, where Node's
 * source-mapped format would name frames its own way.
 */
export function mapPrepareStackTracePositions(formatLikeV8: () => boolean, hidden: HiddenFrames = () => false): void {
	const state = globalThis as {[installed]?: true};
	const descriptor = getOwnPropertyDescriptor(ErrorConstructor, 'prepareStackTrace');
	if (state[installed] || (descriptor !== undefined && !descriptor.configurable)) {
		return;
	}

	// Node's format reads the positions a developer wrote (a loader's `.ts`
	// included); a program's own prepareStackTrace gets those of the code it
	// would get untraced, which for a loader's output is that output's.
	const prototype = mappedCallSitePrototype(false);
	const loadedPrototype = mappedCallSitePrototype(true);
	const lazyPrototype = mappedCallSitePrototype(false, true);
	if (prototype === undefined || loadedPrototype === undefined || lazyPrototype === undefined) {
		return;
	}

	const sample = sampleCallSite();
	const sitePrototype = sample === undefined ? undefined : getPrototypeOf(sample) as CallSite;
	const getFileName = sitePrototype?.getFileName;
	const getLineNumber = sitePrototype?.getLineNumber;
	const getColumnNumber = sitePrototype?.getColumnNumber;
	// Leaves out the plumbing's frames, unless nothing else is left (an error of viztracer's own).
	const visible = (sites: unknown[]): unknown[] => {
		if (getFileName === undefined) {
			return sites;
		}

		const kept: unknown[] = [];
		for (let index = 0; index < sites.length; index++) {
			let file: unknown;
			try {
				file = apply(getFileName, sites[index], []);
			} catch {}

			const position = () => {
				try {
					return [apply(getLineNumber!, sites[index], []), apply(getColumnNumber!, sites[index], [])] as const;
				} catch {
					return [undefined, undefined] as const;
				}
			};

			if (!hidden(file, position)) {
				kept[kept.length] = sites[index];
			}
		}

		return kept.length === 0 ? sites : kept;
	};

	defineProperty(state, installed, {value: true});
	// Node's own default (Node 20.20+ has one) is left as it is: Node maps positions itself then.
	const nodeDefault = descriptor && 'value' in descriptor ? descriptor.value as unknown : undefined;
	let current: unknown = nodeDefault;
	const wrappers = new WeakMap<object, Prepare>();
	const originals = new WeakMap<object, unknown>();
	const errorToString = Error.prototype.toString;
	const join = Array.prototype.join;
	const defaultFormat = {
		ErrorPrepareStackTrace(error: Error, sites: unknown[]) {
			const text = isNodeError(error) ? `${String(error.name)} [${String(error.code)}]: ${String(error.message)}` : apply(errorToString, error, []) as string;
			return sites.length === 0 ? text : `${text}\n    at ${apply(join, mapSites(visible(sites), prototype), ['\n    at ']) as string}`;
		},
	}.ErrorPrepareStackTrace;
	originals.set(defaultFormat, nodeDefault);
	// Node's source-mapped default (the program turned source maps on): it maps positions itself, through
	// the inline maps of the files instrumented since; those instrumented before keep theirs out of the code,
	// and their CallSites come mapped.
	const nodeFormat = typeof nodeDefault === 'function' ? {
		ErrorPrepareStackTrace(this: unknown, error: Error, sites: unknown[]) {
			return apply(nodeDefault as Prepare, this, [error, Array.isArray(sites) ? mapSites(visible(sites), lazyPrototype) : sites]);
		},
	}.ErrorPrepareStackTrace : undefined;
	if (nodeFormat) {
		originals.set(nodeFormat, nodeDefault);
	}

	const wrap = (prepare: Prepare): Prepare => {
		let wrapper = wrappers.get(prepare);
		if (wrapper === undefined) {
			wrapper = {
				prepareStackTrace(this: unknown, error: Error, sites: unknown[]) {
					return apply(prepare, this, [error, Array.isArray(sites) ? mapSites(visible(sites), loadedPrototype) : sites]);
				},
			}.prepareStackTrace;
			defineProperty(wrapper, 'name', {value: prepare.name, configurable: true});
			defineProperty(wrapper, 'length', {value: prepare.length, configurable: true});
			wrappers.set(prepare, wrapper);
			originals.set(wrapper, prepare);
		}

		return wrapper;
	};

	defineProperty(ErrorConstructor, 'prepareStackTrace', {
		configurable: true,
		enumerable: descriptor?.enumerable ?? false,
		get() {
			if (current === nodeDefault) {
				return nodeDefault === undefined ? undefined : (formatLikeV8() ? defaultFormat : nodeFormat);
			}

			return typeof current === 'function' ? wrap(current as Prepare) : current;
		},
		set(value: unknown) {
			current = typeof value === 'function' && originals.has(value) ? originals.get(value) : value;
		},
	});
}

function mapSites(sites: unknown[], prototype: object): unknown[] {
	const mapped: unknown[] = [];
	for (let index = 0; index < sites.length; index++) {
		const callSite = sites[index];
		const wrapper = create(prototype) as Record<symbol, unknown>;
		wrapper[site] = callSite;
		mapped[index] = wrapper;
	}

	return mapped;
}

const loadedMaps = new WeakMap<object, SourceMap>();

/** The map from instrumented code to the code as it was loaded (before instrumenting), given the inline map. */
function loadedMapOf(map: SourceMap): SourceMap {
	let loaded = loadedMaps.get(map);
	if (loaded === undefined) {
		const own = (map.payload as unknown as Record<string, unknown>)[loadedMapField];
		loaded = own !== null && typeof own === 'object' ? new SourceMap(own as SourceMapPayload) : map;
		loadedMaps.set(map, loaded);
	}

	return loaded;
}

type LazyMaps = {map: SourceMap; linear: boolean; input: SourceMap | undefined};
const lazySourceMaps = new Map<LazyMapPayload, LazyMaps>();

/** The maps of an instrumented file whose map is kept out of its code (lazy-maps.ts), parsed on first use. */
function lazySourceMapsOf(file: string): LazyMaps | undefined {
	const payload = lazyMapOf(file);
	if (payload === undefined) {
		return undefined;
	}

	let maps = lazySourceMaps.get(payload);
	if (maps === undefined) {
		const map = JSON.parse(payload.map) as SourceMapPayload & Record<string, unknown>;
		maps = {map: new SourceMap(map), linear: map[linearMapField] === 1, input: payload.input === undefined ? undefined : new SourceMap(JSON.parse(payload.input) as SourceMapPayload)};
		lazySourceMaps.set(payload, maps);
	}

	return maps;
}

/** The 0-based original position of a 0-based generated one, through a map; through a linear one (edit-map.ts), at the distance from its segment. */
function lookUp(map: SourceMap, linear: boolean, line: number, column: number): Position | undefined {
	const entry = map.findEntry(line, column) as {generatedLine?: number; generatedColumn?: number; originalLine?: number; originalColumn?: number};
	if (entry.originalLine === undefined || entry.originalColumn === undefined) {
		return undefined;
	}

	if (!linear) {
		return {line: entry.originalLine, column: entry.originalColumn};
	}

	return entry.generatedLine === line ? {line: entry.originalLine, column: entry.originalColumn + column - entry.generatedColumn!} : undefined;
}

/**
 * Where an instrumented file's (line, column) came from, or undefined for
 * any other file: in the original sources, or with `loaded`, in the code
 * as it was loaded (a loader's output, for a `.ts` file it compiled).
 */
function originalPosition(callSite: CallSite, line: unknown, column: unknown, loaded: boolean, lazyOnly: boolean): Position | undefined {
	if (typeof line !== 'number' || typeof column !== 'number') {
		return undefined;
	}

	try {
		const file = apply(callSite.getFileName!, callSite, []);
		if (typeof file !== 'string') {
			return undefined;
		}

		let position: Position | undefined;
		const lazy = lazySourceMapsOf(file);
		if (lazy === undefined) {
			if (lazyOnly) {
				return undefined;
			}

			const map = findSourceMap(file);
			// Only the maps of instrumented code: a file's own map is the program's business.
			if (map === undefined || (map.payload as unknown as Record<string, unknown>)[instrumentedMapField] !== 1) {
				return undefined;
			}

			position = lookUp(loaded ? loadedMapOf(map) : map, false, line - 1, column - 1);
		} else {
			position = lookUp(lazy.map, lazy.linear, line - 1, column - 1);
			if (position !== undefined && lazy.input !== undefined && !loaded) {
				position = lookUp(lazy.input, false, position.line, position.column);
			}
		}

		return position === undefined ? undefined : {line: position.line + 1, column: position.column + 1};
	} catch {
		return undefined;
	}
}

/**
 * A prototype whose methods forward to V8's CallSite, with positions mapped;
 * with `lazyOnly`, only those of files whose map is kept out of their code
 * (the others are for Node's source-mapped format to map, through their inline map).
 */
function mappedCallSitePrototype(loaded: boolean, lazyOnly = false): object | undefined {
	const sample = sampleCallSite();
	if (sample === undefined) {
		return undefined;
	}

	const v8Prototype = getPrototypeOf(sample) as CallSite;
	const prototype: Record<string, unknown> = {};
	const names = getOwnPropertyNames(v8Prototype);
	for (let index = 0; index < names.length; index++) {
		const name = names[index]!;
		const method = v8Prototype[name];
		if (name !== 'constructor' && typeof method === 'function') {
			prototype[name] = {
				[name](this: Record<symbol, CallSite>) {
					return apply(method, this[site], []);
				},
			}[name];
		}
	}

	const position = (self: Record<symbol, CallSite>, lineName: string, columnName: string): Position | undefined => {
		const callSite = self[site]!;
		const line = v8Prototype[lineName];
		const column = v8Prototype[columnName];
		return typeof line === 'function' && typeof column === 'function' ? originalPosition(callSite, apply(line, callSite, []), apply(column, callSite, []), loaded, lazyOnly) : undefined;
	};

	const forward = (self: Record<symbol, CallSite>, name: string) => apply(v8Prototype[name]!, self[site], []);
	prototype.getLineNumber = function getLineNumber(this: Record<symbol, CallSite>) {
		return position(this, 'getLineNumber', 'getColumnNumber')?.line ?? forward(this, 'getLineNumber');
	};

	prototype.getColumnNumber = function getColumnNumber(this: Record<symbol, CallSite>) {
		return position(this, 'getLineNumber', 'getColumnNumber')?.column ?? forward(this, 'getColumnNumber');
	};

	if (typeof v8Prototype.getEnclosingLineNumber === 'function') {
		prototype.getEnclosingLineNumber = function getEnclosingLineNumber(this: Record<symbol, CallSite>) {
			return position(this, 'getEnclosingLineNumber', 'getEnclosingColumnNumber')?.line ?? forward(this, 'getEnclosingLineNumber');
		};

		prototype.getEnclosingColumnNumber = function getEnclosingColumnNumber(this: Record<symbol, CallSite>) {
			return position(this, 'getEnclosingLineNumber', 'getEnclosingColumnNumber')?.column ?? forward(this, 'getEnclosingColumnNumber');
		};
	}

	prototype.toString = function toString(this: Record<symbol, CallSite>) {
		const text = forward(this, 'toString') as string;
		const raw = `:${String(forward(this, 'getLineNumber'))}:${String(forward(this, 'getColumnNumber'))}`;
		const mapped = position(this, 'getLineNumber', 'getColumnNumber');
		const at = text.lastIndexOf(raw);
		return mapped === undefined || at === -1 ? text : `${text.slice(0, at)}:${mapped.line}:${mapped.column}${text.slice(at + raw.length)}`;
	};

	return prototype;
}

function sampleCallSite(): unknown {
	const descriptor = getOwnPropertyDescriptor(ErrorConstructor, 'prepareStackTrace');
	try {
		ErrorConstructor.prepareStackTrace = (_error, sites) => sites;
		const sites = new ErrorConstructor().stack as unknown as unknown[];
		return sites[0];
	} catch {
		return undefined;
	} finally {
		if (descriptor === undefined) {
			Reflect.deleteProperty(ErrorConstructor, 'prepareStackTrace');
		} else {
			defineProperty(ErrorConstructor, 'prepareStackTrace', descriptor);
		}
	}
}
