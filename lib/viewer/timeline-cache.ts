import fs from 'node:fs';
import path from 'node:path';
import type {TimelineModel} from '../timeline/model.js';
import {encodeModel} from '../timeline/model-codec.js';
import {readTimelineModel} from './timeline-data.js';
import {namedSourceFiles} from './source-files.js';
import type {ServedTrace} from './trace-catalog.js';

export type CachedTimeline = {
	identity: string;
	model: TimelineModel;
	/** The encoded model, as parts to send one after another. */
	parts: Uint8Array[];
	bytes: number;
	/** The source files the trace names: the only ones its page may show. */
	sources: Set<string>;
	/** What relative source paths are relative to. */
	baseDirectory: string;
};

const identityOf = (stat: fs.Stats): string => `${stat.dev}:${stat.ino}:${stat.size}:${stat.mtimeMs}`;

/**
 * The timeline models of the traces served, built once per version of a
 * file (a reload, the page's source requests and a second tab reuse it),
 * keeping the two most recent.
 */
export class TimelineCache {
	readonly #entries = new Map<string, CachedTimeline>();

	/** The model of `trace`, read from `fd` (the catalog's checked descriptor, left open) unless that version is cached. */
	get(trace: ServedTrace, fd: number): CachedTimeline {
		const identity = identityOf(fs.fstatSync(fd));
		const cached = this.#entries.get(trace.name);
		if (cached?.identity === identity) {
			this.#entries.delete(trace.name);
			this.#entries.set(trace.name, cached);
			return cached;
		}

		const model = readTimelineModel({label: trace.label, file: trace.file, fd});
		const parts = encodeModel(model);
		const entry: CachedTimeline = {
			identity, model, parts, bytes: parts.reduce((sum, part) => sum + part.byteLength, 0),
			sources: namedSourceFiles(model),
			baseDirectory: model.metadata.cwd ?? path.dirname(trace.realFile),
		};
		this.#entries.delete(trace.name);
		this.#entries.set(trace.name, entry);
		while (this.#entries.size > 2) {
			this.#entries.delete(this.#entries.keys().next().value!);
		}

		return entry;
	}
}
