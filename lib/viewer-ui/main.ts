import {decodeModel} from '../timeline/model-codec.js';
import {automationApi, type VizviewerApi} from './automation.js';
import styles from './styles.css';
import {TimelineApp} from './timeline-app.js';
import {hostFromPage} from './viewer-host.js';

declare global {
	// eslint-disable-next-line @typescript-eslint/consistent-type-definitions
	interface Window {
		vizviewer?: VizviewerApi;
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
		const model = decodeModel(await host.loadModel());
		const app = new TimelineApp(root, model, host);
		window.vizviewer = automationApi(app);
		app.drawNow();
		document.documentElement.dataset['vizviewer'] = 'ready';
		host.ready();
	} catch (error) {
		root.textContent = `vizviewer could not show this trace: ${(error as Error).message}`;
		document.documentElement.dataset['vizviewer'] = 'error';
	}
}

void start();
