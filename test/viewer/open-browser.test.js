// Opening the default browser: which command for which desktop, and never a failure without one.
import path from 'node:path';
import test from 'ava';
import {browserCommand, openBrowser} from '../../dist/viewer/open-browser.js';
import {fixturesDir} from '../helpers/exec.js';
import {runViewer} from './_helpers.js';

const url = 'http://127.0.0.1:9001/';

test('browserCommand() - xdg-open with a display, open on macOS, start on Windows, nothing on a headless Linux', t => {
	t.deepEqual(browserCommand(url, {platform: 'linux', hasDisplay: true}), ['xdg-open', [url]]);
	t.is(browserCommand(url, {platform: 'linux', hasDisplay: false}), undefined, 'xdg-open would fall back to a text browser in the terminal');
	t.deepEqual(browserCommand(url, {platform: 'darwin', hasDisplay: false}), ['open', [url]]);
	t.deepEqual(browserCommand(`${url}?a=1&b=2`, {platform: 'win32', hasDisplay: false}), ['cmd', ['/c', 'start', '""', `${url}?a=1^&b=2`]]);
});

test('openBrowser() - with no desktop it starts nothing and does not throw', t => {
	t.false(openBrowser(url, {platform: 'linux', hasDisplay: false}));
});

test('vizviewer without --no-open on a machine with no desktop prints the URL and keeps serving', async t => {
	t.timeout(300_000);
	const result = await runViewer(['--port', '0', '--timeout', '0.3', path.join(fixturesDir, 'stats', 'nested.json')], {env: {DISPLAY: '', WAYLAND_DISPLAY: ''}});
	t.is(result.code, 0, result.stderr);
	t.regex(result.stdout, /^Serving nested\.json at http:\/\/127\.0\.0\.1:\d+\/\n/);
	t.regex(result.stderr, /no desktop browser to open here: open the URL above in a browser/);
});
