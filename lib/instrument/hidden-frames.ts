import fs from 'node:fs';
import path from 'node:path';
import {fileURLToPath, pathToFileURL} from 'node:url';
import type {SourceMapInput, TraceMap} from '@jridgewell/trace-mapping';
import {coldPath} from './cold-path-loader.js';

// Stack frames that exist only because the program runs traced: the require
// hook's (commonjs-hook.ts replaces Module.prototype._compile), the CLI's
// below the script's top level, and the wrappers the test-runner
// integrations put around each test.
// Stacks leave them out, so `err.stack` and the CallSites a program's
// `Error.prepareStackTrace` gets (which `callsites`-style code indexes) are
// those of the untraced run. Frames of the API a program calls itself
// (`trace()`, `logSparse()`, …) stay: they are there untraced too.
//
// A frame's room is the room of the source it was built from. The package
// ships its entry points bundled, several rooms to a file (dist/chunks/), so
// the room is read from the file's source map (every file of dist/ has one),
// once per file and only for viztracer's own files; a file without a map is
// taken to be in the room its path names.

/** The rooms of the package whose frames are viztracer's plumbing. */
const plumbing = new Set(['bin', 'cli', 'launch', 'integrations', 'instrument']);

/** The room of a position in one of the package's files. */
type RoomOf = (line: number, column: number) => string | undefined;

// Captured at load: a program that replaces fs.readFileSync must not run while its stack is formatted.
const {readFileSync} = fs;
const {startsWith} = String.prototype;
const {apply} = Reflect;

/** The room `source` (a path under lib/, as a map names it) is in. */
function roomOfSource(source: string | null | undefined): string | undefined {
	if (typeof source !== 'string') {
		return undefined;
	}

	const parts = source.split(/[\\/]/);
	const lib = parts.lastIndexOf('lib');
	return lib === -1 ? undefined : parts[lib + 1];
}

function roomsOfFile(file: string, selfDir: string): RoomOf {
	const byPath = roomOfSource(`lib${path.sep}${path.relative(selfDir, file)}`);
	const {originalPositionFor, TraceMap: TraceMapOf} = coldPath();
	let map: TraceMap;
	try {
		map = new TraceMapOf(readFileSync(`${file}.map`, 'utf8') as SourceMapInput, file);
	} catch {
		return () => byPath;
	}

	const rooms = new Set(map.sources.map(roomOfSource));
	if (rooms.size === 1) {
		const [only] = rooms;
		return () => only;
	}

	return (line, column) => roomOfSource(originalPositionFor(map, {line, column: Math.max(0, column - 1)}).source);
}

/**
 * A test of a CallSite's file name and 1-based position: true for a frame to
 * leave out. The position is asked for only for the package's own files.
 */
export type HiddenFrames = (file: unknown, position: () => readonly [line: unknown, column: unknown]) => boolean;

export function plumbingFrames(selfDir: string): HiddenFrames {
	// ES modules (all of viztracer) are named by URL in CallSites, CommonJS ones by path.
	const directory = `${selfDir}${path.sep}`;
	const directoryUrl = pathToFileURL(directory).href;
	const files = new Map<string, RoomOf>();
	return (file, position) => {
		if (typeof file !== 'string') {
			return false;
		}

		let filePath = file;
		if (apply(startsWith, file, [directoryUrl]) as boolean) {
			try {
				filePath = fileURLToPath(file);
			} catch {
				return false;
			}
		} else if (!(apply(startsWith, file, [directory]) as boolean)) {
			return false;
		}

		let roomOf = files.get(filePath);
		if (roomOf === undefined) {
			roomOf = roomsOfFile(filePath, selfDir);
			files.set(filePath, roomOf);
		}

		const [line, column] = position();
		const room = typeof line === 'number' && typeof column === 'number' ? roomOf(line, column) : roomOf(1, 1);
		return room !== undefined && plumbing.has(room);
	};
}
