import fs from 'node:fs';
import path from 'node:path';
import {loadSpeedscopeRelease, type SpeedscopeRelease} from './speedscope-release.js';

// Stands in for a file path in speedscope's `#localProfilePath=`; the script
// speedscope would load from it is never added to the page (see below).
const sentinel = 'viztracer-embedded-trace';

/** Text that is safe inside `<script>`/`<style>`: nothing in it can close the element or open a comment. */
const inlineSafe = (text: string, tag: 'script' | 'style'): string =>
	text.replaceAll(new RegExp(`</(${tag})`, 'gi'), String.raw`<\/$1`).replaceAll('<!--', String.raw`<\!--`);

/** A JavaScript literal of `value` that is safe inside `<script>`. */
const scriptLiteral = (value: string): string => JSON.stringify(value).replaceAll('<', String.raw`\u003c`);

function dataUrl(file: string, type: string): string {
	return `data:${type};base64,${fs.readFileSync(file).toString('base64')}`;
}

/**
 * Hands the embedded trace to speedscope without a fetch (speedscope refuses
 * to fetch from a `file://` page). It uses the entry point speedscope's own
 * command line uses: with `#localProfilePath=…` in the URL, speedscope defines
 * `window.speedscope.loadFileFromBase64(name, base64)` and then adds a
 * `<script src="file:///…">` that is expected to call it. This runs before
 * speedscope's bundle: it puts that hash in place, catches the definition
 * with a setter, swallows the script element (nothing is loaded from disk)
 * and makes the call itself, a tick later as a loaded script would.
 * speedscope inflates gzip data itself, so the trace travels compressed.
 */
function handoffScript(importName: string, title: string): string {
	return `(() => {
	const sentinel = ${scriptLiteral(sentinel)};
	if (!/(?:^#|&)localProfilePath=/.test(location.hash)) {
		history.replaceState(null, '', '#localProfilePath=' + sentinel + '&title=' + encodeURIComponent(${scriptLiteral(title)}));
	}

	Object.defineProperty(window, 'speedscope', {
		configurable: true,
		get() {},
		set(api) {
			Object.defineProperty(window, 'speedscope', {value: api, writable: true, configurable: true});
			const append = document.head.appendChild;
			document.head.appendChild = function (node) {
				if (node instanceof HTMLScriptElement && node.src.endsWith(sentinel)) {
					document.head.appendChild = append;
					setTimeout(() => api.loadFileFromBase64(${scriptLiteral(importName)}, document.getElementById('viztracer-trace').textContent.trim()));
					return node;
				}

				return append.call(this, node);
			};
		},
	});
})();`;
}

export type StandaloneHtmlParts = {
	/** Everything before the base64 of the gzipped trace. */
	head: string;
	/** Everything after it. */
	tail: string;
};

/**
 * The page around the embedded trace: speedscope's stylesheet (its font
 * inlined as a data URL), the hand-off script, the trace as base64 in an
 * inert `<script type="application/octet-stream">` element, and speedscope's
 * bundle, all in one file that opens offline with a double click. The base64
 * itself (`[A-Za-z0-9+/=]`) needs no escaping; callers write head, base64 and
 * tail one after the other so a large trace never becomes one giant string.
 *
 * `title` is the name speedscope shows; `importName` must end in `.json` so
 * speedscope's importer picks the Chrome trace format first.
 */
export function standaloneHtmlParts(title: string, release: SpeedscopeRelease = loadSpeedscopeRelease()): StandaloneHtmlParts {
	const read = (name: string) => fs.readFileSync(path.join(release.directory, name), 'utf8');
	const css = read(release.stylesheet)
		.replaceAll(/url\("?\.\/([^")]+\.woff2)"?\)/g, (match, font: string) => (release.files.has(font) ? `url("${dataUrl(path.join(release.directory, font), 'font/woff2')}")` : match))
		.replaceAll(/\/\*# sourceMappingURL=[^*]*\*\//g, '');
	const script = read(release.script).replaceAll(/\/\/# sourceMappingURL=\S+/g, '');
	const icon = [...release.files].find(name => /^favicon-32x32-.*\.png$/.test(name));
	const importName = title.endsWith('.json') ? title : `${title.replace(/\.(?:html|json\.gz)$/, '')}.json`;
	const head = `<!DOCTYPE html>
<html>
<head>
<meta charset="UTF-8">
<meta name="viewport" content="width=device-width, initial-scale=1.0">
<meta name="generator" content="viztracer (speedscope viewer)">
<title>${title.replaceAll(/[&<>"']/g, character => `&#${character.codePointAt(0)!};`)} - speedscope</title>
${icon ? `<link rel="icon" type="image/png" href="${dataUrl(path.join(release.directory, icon), 'image/png')}">\n` : ''}<style>${inlineSafe(css, 'style')}</style>
</head>
<body>
<!-- The trace: gzipped Chrome Trace Event JSON, base64-encoded. -->
<script type="application/octet-stream" id="viztracer-trace">
`;
	const tail = `
</script>
<script>${inlineSafe(handoffScript(importName, title), 'script')}</script>
<script>${inlineSafe(script, 'script')}</script>
</body>
</html>
`;
	return {head, tail};
}

/** The whole page as one string, for small traces (tests, `--save-html` of a modest trace). */
export function standaloneHtml(gzippedTrace: Uint8Array, title: string, release?: SpeedscopeRelease): string {
	const {head, tail} = standaloneHtmlParts(title, release);
	return head + Buffer.from(gzippedTrace).toString('base64') + tail;
}
