/** Where the page gets its data: vizviewer's server, or what a self-contained `.html` file embeds. */
export type ViewerHost = {
	loadModel(): Promise<ArrayBuffer>;
	/** The text of a source file the trace names, exactly as its span names spell it; rejects with the reason it is not shown. */
	loadSource(file: string): Promise<string>;
	/** `viztracer stats` rows for the whole trace, when the host can compute them. */
	loadStats(): Promise<StatsTable | undefined>;
	/** speedscope on the same trace, when the host serves it. */
	flameGraphUrl: string | undefined;
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
			flameGraphUrl: config.flame,
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
		flameGraphUrl: undefined,
		ready() {},
	};
}
