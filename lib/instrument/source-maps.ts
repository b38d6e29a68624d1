import fs from 'node:fs';
import path from 'node:path';
import {fileURLToPath, pathToFileURL} from 'node:url';
import type {SourceMapInput} from '@jridgewell/trace-mapping';
import {instrumentedMapField, loadedMapField} from './map-fields.js';

const sourceMappingUrl = /\/[*/][#@]\s*sourceMappingURL=([^\s*'"]+)\s*(?:\*\/\s*)?$/;

/** Whether `source` ends with an inline source map (`//# sourceMappingURL=data:…`), as compilers' output does. */
export function hasInlineSourceMap(source: string): boolean {
	const tail = source.slice(-65_536).trimEnd();
	return sourceMappingUrl.exec(tail.slice(tail.lastIndexOf('\n') + 1))?.[1]?.startsWith('data:') === true;
}

/** `source` without its trailing `//# sourceMappingURL=` comment, if it has one. */
export function withoutSourceMapComment(source: string): string {
	const end = source.trimEnd();
	const start = end.lastIndexOf('\n') + 1;
	return sourceMappingUrl.test(end.slice(start)) ? source.slice(0, start) : source;
}

/** The file's own source map (inline or beside it), if it names one that can be read. */
export function readInputSourceMap(source: string, filename: string): SourceMapInput | undefined {
	const tail = source.slice(-4096).trimEnd();
	const lastLine = tail.slice(tail.lastIndexOf('\n') + 1);
	const match = sourceMappingUrl.exec(lastLine);
	const url = match?.[1];
	if (!url) {
		return undefined;
	}

	try {
		if (url.startsWith('data:')) {
			const comma = url.indexOf(',');
			const payload = url.slice(comma + 1);
			const json = url.slice(0, comma).endsWith(';base64') ? Buffer.from(payload, 'base64').toString('utf8') : decodeURIComponent(payload);
			return withAbsoluteSources(JSON.parse(json) as RawMap, filename);
		}

		const mapFile = url.startsWith('file:') ? fileURLToPath(url) : path.resolve(path.dirname(filename), decodeURIComponent(url));
		return withAbsoluteSources(JSON.parse(fs.readFileSync(mapFile, 'utf8')) as RawMap, mapFile);
	} catch {
		// A missing or broken map only costs the mapping, never the program.
		return undefined;
	}
}

type RawMap = {sources?: Array<string | null>; sourceRoot?: string; [key: string]: unknown};

// Our map is inlined into the instrumented file, whose location may differ
// from the original map's: sources become absolute URLs so they resolve anywhere.
function withAbsoluteSources(map: RawMap, base: string): SourceMapInput {
	const root = map.sourceRoot ?? '';
	const baseUrl = pathToFileURL(base);
	map.sources = (map.sources ?? []).map(source => (source === null ? null : new URL(root + source, baseUrl).href));
	delete map.sourceRoot;
	return map as unknown as SourceMapInput;
}

/**
 * The map as a comment, marked as instrumented code's (see call-sites.ts);
 * with `ownMapJson` (when the map is chained with the file's own), our map
 * alone goes in too, for the positions of the code as it was loaded.
 */
export function inlineSourceMapComment(mapJson: string, ownMapJson?: string): string {
	const own = ownMapJson === undefined || ownMapJson === mapJson ? '' : `"${loadedMapField}":${ownMapJson},`;
	const marked = `{"${instrumentedMapField}":1,${own}${mapJson.slice(1)}`;
	return `\n//# sourceMappingURL=data:application/json;charset=utf-8;base64,${Buffer.from(marked).toString('base64')}\n`;
}
