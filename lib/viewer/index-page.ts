import type {ServedTrace} from './trace-catalog.js';

const escapeHtml = (text: string): string => text.replaceAll(/[&<>"']/g, character => `&#${character.codePointAt(0)!};`);

const formatSize = (bytes: number): string => {
	if (bytes < 1024) {
		return `${bytes} B`;
	}

	return bytes < 1024 ** 2 ? `${(bytes / 1024).toFixed(1)} KiB` : `${(bytes / 1024 ** 2).toFixed(1)} MiB`;
};

type Paths = {viewerPath: (trace: ServedTrace) => string; speedscopePath: (trace: ServedTrace) => string; tracePath: (trace: ServedTrace) => string};

/** The page listing the traces of a directory, each linking to the viewer and to the raw file. */
export function indexPage(directory: string, traces: readonly ServedTrace[], paths: Paths): string {
	const rows = traces.map(trace => `<li><a class="trace" href="${escapeHtml(paths.viewerPath(trace))}">${escapeHtml(trace.name)}</a> <small>${formatSize(trace.size)} · <a class="flame" href="${escapeHtml(paths.speedscopePath(trace))}">flame graph</a> · <a href="${escapeHtml(paths.tracePath(trace))}" download>download</a></small></li>`);
	return `<!DOCTYPE html>
<html>
<head>
<meta charset="UTF-8">
<title>Traces in ${escapeHtml(directory)}</title>
<style>body{font:15px/1.5 system-ui,sans-serif;margin:2em auto;max-width:50em;padding:0 1em}li{margin:.3em 0}small{color:#666}</style>
</head>
<body>
<h1>Traces in ${escapeHtml(directory)}</h1>
${rows.length > 0 ? `<ul>\n${rows.join('\n')}\n</ul>` : '<p>No <code>.json</code> or <code>.json.gz</code> traces here yet; reload once there are.</p>'}
<p><small>Served by vizviewer; each trace opens on a timeline, its flame graphs in speedscope.</small></p>
</body>
</html>
`;
}
