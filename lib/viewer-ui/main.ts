import {decodeModel} from '../timeline/model-codec.js';
import {automationApi, type VizviewerApi} from './automation.js';
import styles from './styles.css';
import {TimelineApp} from './timeline-app.js';
import {hostFromPage} from './viewer-host.js';

declare global {
	// eslint-disable-next-line @typescript-eslint/consistent-type-definitions
	interface Window {
		vizviewer?: VizviewerApi & {timings(): Record<string, number>};
	}
}

async function start(): Promise<void> {
	const style = document.createElement('style');
	style.textContent = styles;
	document.head.append(style);
	const root = document.getElementById('vizviewer') ?? document.body;
	root.textContent = 'Loading the trace…';
	const host = hostFromPage(document);
	try {
		// performance.now() counts from the start of the navigation: these are times since the page began to load.
		const fetchStart = performance.now();
		const bytes = await host.loadModel();
		const fetched = performance.now();
		const model = decodeModel(bytes);
		const decoded = performance.now();
		const app = new TimelineApp(root, model, host);
		const api = automationApi(app);
		app.drawNow();
		const timings = {modelBytes: bytes.byteLength, fetchStartMs: fetchStart, fetchedMs: fetched, decodedMs: decoded, firstFrameMs: performance.now()};
		window.vizviewer = {...api, timings: () => ({...timings})};
		document.documentElement.dataset['vizviewer'] = 'ready';
		host.ready();
	} catch (error) {
		root.textContent = `vizviewer could not show this trace: ${(error as Error).message}`;
		document.documentElement.dataset['vizviewer'] = 'error';
	}
}

void start();
