import fs from 'node:fs';
import {fileURLToPath} from 'node:url';
import {flameSentinel} from './flame-page.js';
import {distUrl} from '../core/dist-url.js';

/** The bundled page script (built from viewer-ui/ by esbuild into dist/viewer-ui/). */
export const timelineBundleFile = fileURLToPath(distUrl('viewer-ui/timeline.js', import.meta.url));

const escapeHtml = (text: string): string => text.replaceAll(/[&<>"']/g, character => `&#${character.codePointAt(0)!};`);

/** JSON that is safe inside `<script>`: no `<` to close the element or open a comment. */
export const scriptJson = (value: unknown): string => JSON.stringify(value).replaceAll('<', String.raw`\u003c`);

/** Script text that is safe inside `<script>`. */
const inlineScript = (text: string): string => text.replaceAll(/<\/(script)/gi, String.raw`<\/$1`).replaceAll('<!--', String.raw`<\!--`);

export type ServerPageUrls = {model: string; source: string; stats: string; flame: string; loaded: string; script: string};

/** The page's head up to `</head>`, with its data blocks (`<script type="application/json">`, by id). */
function pageHead(title: string, data: Record<string, unknown>): string {
	const blocks = Object.entries(data).map(([id, value]) => `<script type="application/json" id="${id}">${scriptJson(value)}</script>\n`).join('');
	return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="UTF-8">
<meta name="viewport" content="width=device-width, initial-scale=1.0">
<meta name="generator" content="viztracer vizviewer">
<link rel="icon" href="data:,">
<title>${escapeHtml(title)} - vizviewer</title>
${blocks}</head>
<body>
<div id="vizviewer"></div>
`;
}

/** The timeline page vizviewer serves: the config says where the model, sources and stats are. */
export function serverTimelinePage(title: string, urls: ServerPageUrls): string {
	const config = {mode: 'server', model: urls.model, source: urls.source, stats: urls.stats, flame: urls.flame, loaded: urls.loaded};
	return `${pageHead(title, {'vizviewer-config': config})}<script src="${escapeHtml(urls.script)}"></script>
</body>
</html>
`;
}

export type EmbeddedPageParts = {head: string; tail: string};

/** The Flame graph tab of a self-contained page: speedscope's document around the gzipped trace (base64), or why there is none. */
export type EmbeddedFlame = {head: string; tail: string; traceBase64: string} | {note: string};

/**
 * A self-contained page: the model as base64 between `head` and `tail`
 * (written piece by piece by the caller), the sources and stats as JSON,
 * and the page script inlined.
 */
export function embeddedTimelinePage(title: string, extras: {sources: Record<string, string>; stats: unknown; flame: EmbeddedFlame}): EmbeddedPageParts {
	const script = fs.readFileSync(timelineBundleFile, 'utf8');
	// The flame graph's document travels as base64: it is HTML with script elements of its own.
	const flame = 'note' in extras.flame
		? {note: extras.flame.note}
		: {head: Buffer.from(extras.flame.head).toString('base64'), tail: Buffer.from(extras.flame.tail).toString('base64'), sentinel: flameSentinel};
	const head = `${pageHead(title, {'vizviewer-config': {mode: 'embedded'}, 'vizviewer-sources': extras.sources, 'vizviewer-stats': extras.stats ?? null, 'vizviewer-flame': flame})}${'note' in extras.flame ? '' : `<script type="application/octet-stream" id="vizviewer-flame-trace">${extras.flame.traceBase64}</script>\n`}<!-- The timeline model (see timeline/model-codec.ts), base64-encoded. -->
<script type="application/octet-stream" id="vizviewer-model">
`;
	const tail = `
</script>
<script>${inlineScript(script)}</script>
</body>
</html>
`;
	return {head, tail};
}
