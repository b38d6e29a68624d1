import {isSliceTrack, type TimelineModel} from './model.js';

export type SliceRef = {track: number; slice: number};

/**
 * What a search box query matches: `/regex/flags` as a regular expression,
 * anything else as a case-insensitive substring. Throws SyntaxError for an
 * invalid expression (the page says so next to the box).
 */
export function queryMatcher(query: string): (text: string) => boolean {
	const regex = /^\/(.+)\/([dgimsuyv]*)$/s.exec(query);
	if (regex) {
		const expression = new RegExp(regex[1]!, regex[2]!.replaceAll(/[gy]/g, ''));
		return text => expression.test(text);
	}

	const needle = query.toLowerCase();
	return text => text.toLowerCase().includes(needle);
}

/** Which strings of the model match: a flag per string, so slices are matched by their name's index. */
export function matchingNames(model: TimelineModel, matches: (text: string) => boolean): Uint8Array {
	const flags = new Uint8Array(model.strings.length);
	for (let id = 0; id < model.strings.length; id++) {
		flags[id] = matches(model.strings[id]!) ? 1 : 0;
	}

	return flags;
}

/** Every slice whose name matches, in order of start time (ties: track order, then depth). */
export function searchSlices(model: TimelineModel, query: string): SliceRef[] {
	if (query === '') {
		return [];
	}

	const flags = matchingNames(model, queryMatcher(query));
	const found: SliceRef[] = [];
	const starts: number[] = [];
	model.tracks.forEach((track, trackIndex) => {
		if (!isSliceTrack(track)) {
			return;
		}

		const {names, start} = track;
		for (let index = 0; index < names.length; index++) {
			if (flags[names[index]!] === 1) {
				found.push({track: trackIndex, slice: index});
				starts.push(start[index]!);
			}
		}
	});
	const order = Array.from(found, (_, index) => index).sort((a, b) => starts[a]! - starts[b]! || found[a]!.track - found[b]!.track || found[a]!.slice - found[b]!.slice);
	return order.map(index => found[index]!);
}
