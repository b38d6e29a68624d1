import fs from 'node:fs';
import path from 'node:path';
import {loadSpeedscopeRelease, type SpeedscopeRelease} from './speedscope-release.js';

// Stands in for a file path in speedscope's `#localProfilePath=`; the script
// speedscope would load from it is never added to the page (see below).
export const flameSentinel = 'viztracer-embedded-trace';

/** Text that is safe inside `<script>`/`<style>`: nothing in it can close the element or open a comment. */
const inlineSafe = (text: string, tag: 'script' | 'style'): string =>
	text.replaceAll(new RegExp(`</(${tag})`, 'gi'), String.raw`<\/$1`).replaceAll('<!--', String.raw`<\!--`);

/** A JavaScript literal of `value` that is safe inside `<script>`. */
const scriptLiteral = (value: string): string => JSON.stringify(value).replaceAll('<', String.raw`\u003c`);

function dataUrl(file: string, type: string): string {
	return `data:${type};base64,${fs.readFileSync(file).toString('base64')}`;
}

/**
 * Hands the embedded trace to speedscope without a fetch (speedscope will not
 * fetch from a `file://` page). It uses the entry point speedscope's own
 * command line uses: with `#localProfilePath=…` in the URL (the timeline page
 * opens this document with that hash), speedscope defines
 * `window.speedscope.loadFileFromBase64(name, base64)` and then adds a
 * `<script src="file:///…">` that is expected to call it. This runs before
 * speedscope's bundle: it catches the definition with a setter, swallows the
 * script element (nothing is loaded from disk) and makes the call itself, a
 * tick later as a loaded script would. speedscope inflates the gzip itself.
 */
function handoffScript(importName: string): string {
	return `(() => {
	const sentinel = ${scriptLiteral(flameSentinel)};
	// A blob: document of a file:// page has an opaque origin, which may not
	// use localStorage (speedscope keeps its settings there): a memory stand-in.
	try {
		void window.localStorage;
	} catch {
		const items = new Map();
		const storage = {
			getItem: key => (items.has(String(key)) ? items.get(String(key)) : null),
			setItem: (key, value) => items.set(String(key), String(value)),
			removeItem: key => items.delete(String(key)),
			clear: () => items.clear(),
			key: index => [...items.keys()][index] ?? null,
			get length() {
				return items.size;
			},
		};
		Object.defineProperty(window, 'localStorage', {value: storage, configurable: true});
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

export type FlamePageParts = {
	/** Everything before the base64 of the gzipped trace. */
	head: string;
	/** Everything after it. */
	tail: string;
};

/**
 * speedscope as one document for the Flame graph tab of a self-contained
 * timeline page: its stylesheet (font inlined), the hand-off script, the
 * gzipped Chrome JSON as base64 (which the page puts between `head` and
 * `tail`) and its bundle. The page opens it in an iframe from a blob: URL
 * ending in `#localProfilePath=<sentinel>`.
 */
export function flamePageParts(title: string, release: SpeedscopeRelease = loadSpeedscopeRelease()): FlamePageParts {
	const read = (name: string) => fs.readFileSync(path.join(release.directory, name), 'utf8');
	const css = read(release.stylesheet)
		.replaceAll(/url\("?\.\/([^")]+\.woff2)"?\)/g, (match, font: string) => (release.files.has(font) ? `url("${dataUrl(path.join(release.directory, font), 'font/woff2')}")` : match))
		.replaceAll(/\/\*# sourceMappingURL=[^*]*\*\//g, '');
	const script = read(release.script).replaceAll(/\/\/# sourceMappingURL=\S+/g, '');
	// speedscope picks its importer by the name: `.json` for Chrome trace JSON.
	const importName = `${title.replace(/\.(?:html|json\.gz|json|vizt)$/, '')}.json`;
	const head = `<!DOCTYPE html>
<html>
<head>
<meta charset="UTF-8">
<title>${title.replaceAll(/[&<>"']/g, character => `&#${character.codePointAt(0)!};`)} - speedscope</title>
<style>${inlineSafe(css, 'style')}</style>
</head>
<body>
<script type="application/octet-stream" id="viztracer-trace">`;
	const tail = `</script>
<script>${inlineSafe(handoffScript(importName), 'script')}</script>
<script>${inlineSafe(script, 'script')}</script>
</body>
</html>
`;
	return {head, tail};
}
