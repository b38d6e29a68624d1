// viewer-ui/: the timeline page, bundled for the browser (esbuild, at build
// time) from these files and timeline/. It draws the model vizviewer sends
// (or the `.html` output embeds) on canvases, and never fetches anything but
// that model, the sources of the trace's functions and the stats, from the
// server that served it.

/** A stable colour per slice name: the same function has the same colour in every track and every load. */
export class NameColors {
	readonly #cache: (string | undefined)[] = [];

	constructor(private readonly strings: readonly string[]) {}

	of(id: number): string {
		let color = this.#cache[id];
		if (color === undefined) {
			const text = this.strings[id] ?? '';
			// The function part only, so one function's calls from different lines share a hue.
			const name = text.replace(/ \([^()]*\)$/, '');
			let hash = 2_166_136_261;
			for (let index = 0; index < name.length; index++) {
				hash = Math.imul(hash ^ name.charCodeAt(index), 16_777_619);
			}

			const hue = (hash >>> 0) % 360;
			color = `hsl(${hue} ${45 + ((hash >>> 9) % 25)}% ${72 + ((hash >>> 17) % 10)}%)`;
			this.#cache[id] = color;
		}

		return color;
	}
}

export const palette = {
	background: '#ffffff',
	alternate: '#f7f8fa',
	grid: '#e3e6ea',
	text: '#1d2228',
	dim: '#6b7480',
	label: '#f1f3f5',
	labelBorder: '#d5d9de',
	merged: '#9aa3ad',
	selection: '#1565c0',
	match: '#ff8f00',
	flow: 'rgba(21, 101, 192, 0.75)',
	flowSelected: '#d81b60',
	instant: '#c62828',
	range: 'rgba(21, 101, 192, 0.12)',
	rangeEdge: '#1565c0',
	object: '#7e57c2',
	counter: ['#1e88e5', '#43a047', '#e53935', '#8e24aa', '#fb8c00', '#00897b'],
	process: '#e8ebef',
};
