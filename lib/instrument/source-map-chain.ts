// The source-map work of a cache miss (part of the cold path, cold-path.ts):
// reading positions through a file's own map, and chaining ours onto it.
import path from 'node:path';
import {fileURLToPath, pathToFileURL} from 'node:url';
import remapping from '@jridgewell/remapping';
import {originalPositionFor, TraceMap, type SourceMapInput} from '@jridgewell/trace-mapping';

export type OriginalPosition = {source: string; line: number; column: number; name?: string};

/** Looks up where a generated position came from (and the original identifier there, if the map names one), with the source path relative to `cwd`. */
export function originalPositionLookup(input: SourceMapInput, filename: string, cwd: string): (line: number, column: number) => OriginalPosition | undefined {
	const map = new TraceMap(input, pathToFileURL(filename).href);
	return (line, column) => {
		const position = originalPositionFor(map, {line, column});
		if (position.source === null || position.line === null || position.column === null) {
			return undefined;
		}

		const source = position.source.startsWith('file:') ? fileURLToPath(position.source) : position.source;
		const relative = path.isAbsolute(source) ? path.relative(cwd, source) : source;
		return position.name === null ? {source: relative, line: position.line, column: position.column} : {source: relative, line: position.line, column: position.column, name: position.name};
	};
}

/** Chains our map (instrumented → file) with the file's own (file → original sources). */
export function composeSourceMaps(ours: string, input: SourceMapInput | undefined): string {
	if (input === undefined) {
		return ours;
	}

	return remapping([ours, input], () => null).toString();
}
