import {spawn} from 'node:child_process';

export type BrowserEnvironment = {
	platform: NodeJS.Platform;
	/** On Linux and BSDs, whether a graphical session is there (`DISPLAY` or `WAYLAND_DISPLAY`). */
	hasDisplay: boolean;
};

/** The command that hands a URL to the desktop's default browser, if there is a desktop. */
export function browserCommand(url: string, environment: BrowserEnvironment): [string, string[]] | undefined {
	switch (environment.platform) {
		case 'darwin': {
			return ['open', [url]];
		}

		case 'win32': {
			// `start` is a cmd built-in; its first quoted argument is a window title.
			return ['cmd', ['/c', 'start', '""', url.replaceAll('&', '^&')]];
		}

		default: {
			// Without a display, xdg-open falls back to a text browser that
			// would take over the terminal: print the URL instead.
			return environment.hasDisplay ? ['xdg-open', [url]] : undefined;
		}
	}
}

/**
 * Opens `url` in the default browser, detached and without waiting. Never
 * fails: with no browser (no display, no `xdg-open`, a failing opener) the
 * printed URL is what the user has. Returns whether an opener was started.
 */
export function openBrowser(url: string, environment: BrowserEnvironment): boolean {
	const command = browserCommand(url, environment);
	if (!command) {
		return false;
	}

	try {
		const child = spawn(command[0], command[1], {stdio: 'ignore', detached: true, windowsHide: true});
		child.on('error', () => undefined);
		child.unref();
		return true;
	} catch {
		return false;
	}
}
