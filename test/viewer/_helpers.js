// Helpers for the vizviewer tests: run the built bin as a subprocess, wait for
// the URL it prints, and send raw HTTP requests (paths exactly as given, not
// normalised the way fetch() would).
import {spawn} from 'node:child_process';
import http from 'node:http';
import path from 'node:path';
import {rootDir, run} from '../helpers/exec.js';

export const vizviewerPath = path.join(rootDir, 'dist', 'bin', 'vizviewer.js');

// The machine running the suite may be loaded: be generous.
export const subprocessTimeout = 120_000;

/** Runs `vizviewer ...args` to completion. */
export const runViewer = (args, options) => run(process.execPath, [vizviewerPath, ...args], {timeout: subprocessTimeout, ...options});

/**
 * Starts `vizviewer ...args` and resolves once it has printed its URL, with
 * the child, the URL, and `exited`: a promise of {code, signal, stdout, stderr}.
 */
export function startViewer(args, {cwd = rootDir} = {}) {
	const child = spawn(process.execPath, [vizviewerPath, ...args], {cwd, stdio: ['ignore', 'pipe', 'pipe']});
	let stdout = '';
	let stderr = '';
	const timer = setTimeout(() => child.kill('SIGKILL'), subprocessTimeout);
	const exited = new Promise(resolve => {
		child.on('close', (code, signal) => {
			clearTimeout(timer);
			resolve({code, signal, stdout, stderr});
		});
	});
	return new Promise((resolve, reject) => {
		let resolved = false;
		child.stdout.setEncoding('utf8').on('data', chunk => {
			stdout += chunk;
			const url = /at (http:\/\/\S+\/)\n/.exec(stdout)?.[1];
			if (url && !resolved) {
				resolved = true;
				resolve({child, url, exited, output: () => ({stdout, stderr})});
			}
		});
		child.stderr.setEncoding('utf8').on('data', chunk => {
			stderr += chunk;
		});
		exited.then(result => {
			if (!resolved) {
				reject(new Error(`vizviewer exited (${result.code}) before printing its URL:\n${result.stdout}${result.stderr}`));
			}
		});
	});
}

/** A GET (or other method) with the path sent exactly as given. Resolves with {status, headers, body: Buffer}. */
export function request(base, rawPath, {method = 'GET', headers = {}} = {}) {
	const {hostname, port} = new URL(base);
	return new Promise((resolve, reject) => {
		const outgoing = http.request({host: hostname, port, path: rawPath, method, headers, agent: false}, response => {
			const chunks = [];
			response.on('data', chunk => chunks.push(chunk));
			response.on('end', () => resolve({status: response.statusCode, headers: response.headers, body: Buffer.concat(chunks)}));
			response.on('error', reject);
		});
		outgoing.on('error', reject);
		outgoing.end();
	});
}

/** The timeline model embedded in a page written by --save-html or `-o x.html`, decoded as the page decodes it. */
export async function embeddedModel(html) {
	const match = /<script type="application\/octet-stream" id="vizviewer-model">\s*([A-Za-z\d+/=]+)\s*<\/script>/.exec(html);
	if (!match) {
		throw new Error('no embedded timeline in the page');
	}

	const {decodeModel} = await import('../../dist/timeline/model-codec.js');
	const bytes = Buffer.from(match[1], 'base64');
	// A copy at offset 0: the model's typed arrays are views at 8-byte boundaries.
	return decodeModel(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength));
}

/** Every slice name of a model, by track (in the model's order) then depth and start. */
export function modelSliceNames(model) {
	return model.tracks.filter(track => track.names !== undefined).flatMap(track => [...track.names].map(name => model.strings[name]));
}
