// The control files of attach (lib/launch/attach-files.ts): only a private
// directory of this user, and only its own regular files, are trusted.
import fs from 'node:fs';
import path from 'node:path';
import test from 'ava';
import {temporaryDirectory} from '../helpers/exec.js';

import {createControlFile, privateDirectory, processStartTime, processState, readControlFile, writeControlFile} from '../../dist/launch/attach-files.js';

test('the control directory is created 0700, and one open to others, a file or a link is refused', t => {
	const base = temporaryDirectory();
	const made = privateDirectory(path.join(base, 'fresh'));
	t.is(fs.statSync(made).mode & 0o777, 0o700);
	t.is(privateDirectory(made), made, 'taken as it is the second time');

	const open = path.join(base, 'open');
	fs.mkdirSync(open, {mode: 0o700});
	fs.chmodSync(open, 0o755);
	t.throws(() => privateDirectory(open), {code: 'VIZTRACER_ATTACH_FAILED', message: /is not a private directory of this user/});

	const link = path.join(base, 'link');
	fs.symlinkSync(made, link);
	t.throws(() => privateDirectory(link), {code: 'VIZTRACER_ATTACH_FAILED'}, 'a link to a good one is not good');

	const file = path.join(base, 'file');
	fs.writeFileSync(file, '');
	t.throws(() => privateDirectory(file), {code: 'VIZTRACER_ATTACH_FAILED'});
});

test('control files: written whole with mode 0600, created once, read back; links, big files and bad JSON refused', t => {
	const directory = privateDirectory(path.join(temporaryDirectory(), 'control'));
	const file = path.join(directory, '1.json');
	t.is(readControlFile(file), undefined, 'none there');
	writeControlFile(file, {a: 1});
	t.deepEqual(readControlFile(file), {a: 1});
	t.is(fs.statSync(file).mode & 0o777, 0o600);
	writeControlFile(file, {a: 2});
	t.deepEqual(readControlFile(file), {a: 2});
	t.deepEqual(fs.readdirSync(directory), ['1.json'], 'no temporary file left');

	const lock = path.join(directory, 'lock.json');
	t.true(createControlFile(lock, {b: 1}));
	t.false(createControlFile(lock, {b: 2}));
	t.deepEqual(readControlFile(lock), {b: 1});

	const link = path.join(directory, 'link.json');
	fs.symlinkSync(file, link);
	t.throws(() => readControlFile(link), {code: 'VIZTRACER_ATTACH_FAILED'});
	const big = path.join(directory, 'big.json');
	fs.writeFileSync(big, JSON.stringify({x: 'x'.repeat(70_000)}));
	t.throws(() => readControlFile(big), {code: 'VIZTRACER_ATTACH_FAILED', message: /not a control file of this user/});
	const torn = path.join(directory, 'torn.json');
	fs.writeFileSync(torn, '{"a":');
	t.throws(() => readControlFile(torn), {code: 'VIZTRACER_ATTACH_FAILED', message: /not valid JSON/});
});

test('processes: this one lives and has a start time; a pid nobody has is gone', t => {
	t.is(processState(process.pid), 'alive');
	t.is(processState(2_147_483_646), 'gone');
	if (fs.existsSync('/proc/self/stat')) {
		t.regex(processStartTime(process.pid), /^\d+$/);
		t.is(processStartTime(process.pid), processStartTime(process.pid));
		t.not(processStartTime(process.pid), processStartTime(process.ppid), 'its parent started earlier');
	}

	t.is(processStartTime(2_147_483_646), undefined);
});
