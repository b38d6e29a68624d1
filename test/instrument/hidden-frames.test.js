// Which stack frames are viztracer's plumbing (lib/instrument/hidden-frames.ts),
// on the package as built: its entry points are bundled, several rooms to a
// file, so a frame's room comes from the file's source map.
import fs from 'node:fs';
import path from 'node:path';
import {pathToFileURL} from 'node:url';
import test from 'ava';
import {plumbingFrames} from '../../dist/instrument/hidden-frames.js';
import {rootDir} from '../helpers/exec.js';

const distDir = path.join(rootDir, 'dist');
const chunksDir = path.join(distDir, 'chunks');
const plumbing = new Set(['bin', 'cli', 'launch', 'integrations', 'instrument']);
const hidden = plumbingFrames(distDir);
const at = (line, column) => () => [line, column];

/** Each bundled module of `file`: its room and the line its code starts on (esbuild heads each with a `// lib/…` comment). */
function sectionsOf(file) {
	return fs.readFileSync(file, 'utf8').split('\n').flatMap((text, index) => {
		const match = /^\/\/ lib\/([\w-]+)\//.exec(text);
		return match ? [{room: match[1], line: index + 2}] : [];
	});
}

test('in a bundled file holding plumbing and other rooms, each frame is judged by the room of its own code', t => {
	const mixed = fs.readdirSync(chunksDir).filter(name => name.endsWith('.js')).map(name => ({file: path.join(chunksDir, name), sections: sectionsOf(path.join(chunksDir, name))}))
		.find(({sections}) => sections.some(section => plumbing.has(section.room)) && sections.some(section => !plumbing.has(section.room)));
	t.truthy(mixed, 'the build has a chunk that mixes plumbing with the API');
	let checked = 0;
	for (const {room, line} of mixed.sections) {
		// The first line of a module's code that is not blank, and its first non-space column.
		const lines = fs.readFileSync(mixed.file, 'utf8').split('\n');
		let row = line;
		while (row <= lines.length && lines[row - 1].trim() === '') {
			row++;
		}

		const column = lines[row - 1].search(/\S/) + 1;
		for (const name of [mixed.file, pathToFileURL(mixed.file).href]) {
			t.is(hidden(name, at(row, column)), plumbing.has(room), `${name}:${row}:${column} (${room})`);
			checked++;
		}
	}

	t.true(checked >= 4);
});

test('a file of one room is judged by it; the program\'s files and frames without a file never are plumbing', t => {
	t.true(hidden(path.join(distDir, 'instrument', 'hidden-frames.js'), at(1, 1)));
	t.false(hidden(path.join(distDir, 'core', 'clock.js'), at(1, 1)));
	t.false(hidden(path.join(rootDir, 'test', 'fixtures', 'x.js'), at(1, 1)));
	t.false(hidden(pathToFileURL(path.join(rootDir, 'lib', 'instrument', 'install.ts')).href, at(1, 1)));
	t.false(hidden(undefined, at(1, 1)));
	t.false(hidden('node:internal/modules/cjs/loader', at(1, 1)));
	// No map beside it: the room its path names.
	t.true(hidden(path.join(distDir, 'cli', 'no-such-file.js'), at(1, 1)));
	t.false(hidden(path.join(distDir, 'tracer', 'no-such-file.js'), at(1, 1)));
});
