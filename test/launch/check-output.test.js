// The early check of -o / VIZTRACER_OUTPUT_FILE (lib/launch/check-output.ts).
import fs from 'node:fs';
import path from 'node:path';
import test from 'ava';
import {outputProblem} from '../../dist/launch/check-output.js';
import {temporaryDirectory} from '../helpers/exec.js';

test('an output path is checked before the run: missing directories are made, and what cannot be written is named', t => {
	const directory = temporaryDirectory();
	const file = path.join(directory, 'a-file');
	fs.writeFileSync(file, '');

	t.is(outputProblem(path.join(directory, 'new', 'deeper', 'trace.json')), undefined);
	t.true(fs.statSync(path.join(directory, 'new', 'deeper')).isDirectory());
	t.deepEqual(fs.readdirSync(path.join(directory, 'new', 'deeper')), [], 'the probe file is removed');

	t.is(outputProblem(directory), `${directory} is a directory`);
	t.is(outputProblem(path.join(file, 'trace.json')), `${file} is not a directory`);
	t.is(outputProblem(path.join(file, 'a', 'b', 'trace.json')), `${file} is not a directory`);
	if (fs.existsSync('/proc/self')) {
		t.regex(outputProblem('/proc/viztracer-nope/trace.json'), /^cannot create the directory \/proc\/viztracer-nope: /);
	}
});
