// Debian's chromium, driven by playwright-core (nothing is downloaded;
// .ci/run installs chromium with apt-get), for the viewer's browser tests.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {chromium} from 'playwright-core';
import {rootDir} from '../helpers/exec.js';
import {subprocessTimeout} from './_helpers.js';

export const chromiumPath = '/usr/bin/chromium';

/** Where the browser tests leave their screenshots (not committed; CI may keep them). */
export const artifactsDir = path.join(rootDir, 'test-artifacts');

/** A fresh persistent profile (no extensions, history or settings from earlier runs); returns the context and a cleanup. */
export async function launchBrowser() {
	if (!fs.existsSync(chromiumPath)) {
		throw new Error(`${chromiumPath} is missing: install Debian's chromium (apt-get install chromium), as .ci/run does`);
	}

	const profileDirectory = fs.mkdtempSync(path.join(os.tmpdir(), 'viztracer-chromium-'));
	const context = await chromium.launchPersistentContext(profileDirectory, {
		executablePath: chromiumPath,
		headless: true,
		timeout: subprocessTimeout,
		viewport: {width: 1400, height: 900},
		args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
	});
	return {
		context,
		async close() {
			await context.close();
			fs.rmSync(profileDirectory, {recursive: true, force: true});
		},
	};
}

/**
 * A fresh page that records what could make a test pass wrongly: page
 * errors, dialogs and every request by URL.
 */
export async function newPage(t, context) {
	const page = await context.newPage();
	page.setDefaultTimeout(subprocessTimeout);
	const problems = [];
	const requests = [];
	page.on('pageerror', error => problems.push(`page error: ${error.message}`));
	page.on('dialog', async dialog => {
		problems.push(`dialog: ${dialog.message()}`);
		await dialog.dismiss();
	});
	page.on('request', request => requests.push(request.url()));
	t.teardown(() => page.close());
	return {page, problems, requests};
}

/** Saves a screenshot of `page` under test-artifacts/ (for a person to look at; nothing compares it). */
export async function keepScreenshot(page, name) {
	fs.mkdirSync(artifactsDir, {recursive: true});
	await page.screenshot({path: path.join(artifactsDir, `${name}.png`)});
}

/**
 * Opens speedscope's Sandwich view (in `scope`, a page or a frame) and waits
 * for `rowText` in its table. A click that lands while speedscope is still
 * laying out its first profile is dropped, so the click is retried.
 */
export async function openSandwich(scope, rowText, attempts = 6) {
	for (let attempt = 1; ; attempt++) {
		await scope.getByText('Sandwich').first().click();
		try {
			await scope.getByText(rowText, {exact: true}).first().waitFor({timeout: 10_000});
			return;
		} catch (error) {
			if (attempt >= attempts) {
				throw error;
			}
		}
	}
}
