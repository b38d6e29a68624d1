/** Where the page gets its data: vizviewer's server, or what a self-contained `.html` file embeds. */
export type ViewerHost = {
	loadModel(): Promise<ArrayBuffer>;
	/** The text of a source file the trace names, exactly as its span names spell it; rejects with the reason it is not shown. */
	loadSource(file: string): Promise<string>;
	/** `viztracer stats` rows for the whole trace, when the host can compute them. */
	loadStats(): Promise<StatsTable | undefined>;
	/** Where speedscope shows the same trace (made on first use), or why it cannot. */
	flameGraph(): {url: string} | {note: string};
	/** Tells the host the first frame is drawn (`vizviewer --once` exits then). */
	ready(): void;
};

export type StatsTable = {
	columns: string[];
	rows: (string | number)[][];
	note?: string;
};

export type HostConfig =
	| {mode: 'server'; model: string; source: string; stats: string; flame: string; loaded: string}
	| {mode: 'embedded'};

function base64Bytes(text: string): ArrayBuffer {
	const binary = atob(text.replaceAll(/\s+/g, ''));
	const bytes = new Uint8Array(binary.length);
	for (let index = 0; index < binary.length; index++) {
		bytes[index] = binary.charCodeAt(index);
	}

	return bytes.buffer;
}

type FlameConfig = {head: string; tail: string; sentinel: string} | {note: string};

const utf8 = (base64: string): string => new TextDecoder().decode(base64Bytes(base64));

let flameUrl: string | undefined;

/**
 * speedscope's document, saved with the page around the gzipped trace,
 * opened from a blob: URL with the hash speedscope's own command line uses
 * (flame-page.ts explains the hand-off).
 */
function embeddedFlame(document: Document): {url: string} | {note: string} {
	const config = JSON.parse(document.getElementById('vizviewer-flame')?.textContent ?? 'null') as FlameConfig | null;
	if (config === null || 'note' in config) {
		return {note: config?.note ?? 'This page was saved without the flame graph. Open the trace with `npx vizviewer <trace>` for the flame graph views.'};
	}

	if (flameUrl === undefined) {
		const trace = document.getElementById('vizviewer-flame-trace')?.textContent ?? '';
		flameUrl = `${URL.createObjectURL(new Blob([utf8(config.head), trace.trim(), utf8(config.tail)], {type: 'text/html'}))}#localProfilePath=${config.sentinel}`;
	}

	return {url: flameUrl};
}

async function fetchOk(url: string): Promise<Response> {
	const response = await fetch(url, {cache: 'no-store'});
	if (!response.ok) {
		throw new Error((await response.text()).trim() || `${response.status} ${response.statusText}`);
	}

	return response;
}

export function hostFromPage(document: Document): ViewerHost {
	const config = JSON.parse(document.getElementById('vizviewer-config')?.textContent ?? '{"mode":"embedded"}') as HostConfig;
	if (config.mode === 'server') {
		return {
			loadModel: async () => (await fetchOk(config.model)).arrayBuffer(),
			loadSource: async file => (await fetchOk(`${config.source}?file=${encodeURIComponent(file)}`)).text(),
			loadStats: async () => (await fetchOk(config.stats)).json() as Promise<StatsTable>,
			flameGraph: () => ({url: config.flame}),
			ready() {
				fetch(config.loaded, {cache: 'no-store'}).catch(() => undefined);
			},
		};
	}

	const sources = JSON.parse(document.getElementById('vizviewer-sources')?.textContent ?? '{}') as Record<string, string>;
	const stats = JSON.parse(document.getElementById('vizviewer-stats')?.textContent ?? 'null') as StatsTable | null;
	return {
		loadModel: async () => base64Bytes(document.getElementById('vizviewer-model')?.textContent ?? ''),
		async loadSource(file) {
			const text = Object.hasOwn(sources, file) ? sources[file] : undefined;
			if (text === undefined) {
				throw new Error('this page was saved without that file');
			}

			return text;
		},
		loadStats: async () => stats ?? undefined,
		flameGraph: () => embeddedFlame(document),
		ready() {},
	};
}
