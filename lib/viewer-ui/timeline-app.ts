import {argsAt, depthOf, isSliceTrack, type Instant, type SliceTrack, type TimelineModel} from '../timeline/model.js';
import {rangeTable, type RangeRow} from '../timeline/range-table.js';
import {lowerBound, sliceAtDepth} from '../timeline/slice-lookup.js';
import {matchingNames, queryMatcher, searchSlices, type SliceRef} from '../timeline/slice-search.js';
import {formatDuration} from '../timeline/time-units.js';
import {layoutTrackRows, rowAt, sliceRowHeight, type TrackRow} from '../timeline/track-rows.js';
import {sliceDetails, sourceExcerpt, sourceLocation, type MarkerDetails, type SliceDetails} from './details.js';
import {element} from './dom.js';
import {Overview} from './overview.js';
import {renderDetails, renderMarker, renderRangeTable, renderSource, renderStats} from './panels.js';
import {axisHeight, labelWidth, Renderer, type FrameRecord} from './renderer.js';
import type {ViewerHost} from './viewer-host.js';
import {ViewState} from './view-state.js';

type View = 'timeline' | 'flame' | 'stats';

/** The page: the timeline and its panels, the flame graph and stats views, and the keys and mouse that drive them. */
export class TimelineApp {
	readonly state: ViewState;
	readonly renderer: Renderer;
	readonly overview: Overview;
	rows: TrackRow[] = [];
	readonly frames: number[] = [];
	readonly #root: HTMLElement;
	readonly #scroller: HTMLDivElement;
	readonly #spacer: HTMLDivElement;
	readonly #details: HTMLDivElement;
	readonly #tooltip: HTMLDivElement;
	readonly #searchInput: HTMLInputElement;
	readonly #searchCount: HTMLSpanElement;
	readonly #views: Record<View, HTMLElement>;
	readonly #tabs: Record<View, HTMLButtonElement>;
	#detailsState: SliceDetails | MarkerDetails | undefined;
	#rangeRows: RangeRow[] | undefined;
	#pending = 0;
	#mouseX: number | undefined;
	#sourceRequest = 0;
	#statsLoaded = false;

	constructor(root: HTMLElement, readonly model: TimelineModel, readonly host: ViewerHost) {
		this.#root = root;
		this.state = new ViewState(model);
		const canvas = element('canvas', {id: 'timeline', tabindex: '0', 'aria-label': 'Timeline'});
		const overviewCanvas = element('canvas', {id: 'overview', 'aria-label': 'Overview of the whole trace'});
		this.#spacer = element('div', {class: 'spacer'});
		this.#scroller = element('div', {class: 'scroller'}, canvas, this.#spacer);
		this.#details = element('div', {class: 'details', id: 'details'}, element('p', {class: 'dim'}, 'Click a slice for its details; Shift+drag to select a range.'));
		this.#tooltip = element('div', {class: 'tooltip', hidden: ''});
		this.#searchInput = element('input', {type: 'search', id: 'search', placeholder: 'Search slices (text or /regex/)', spellcheck: 'false'});
		this.#searchCount = element('span', {class: 'search-count dim'});
		const flowsToggle = element('input', {type: 'checkbox', id: 'show-flows', checked: ''});
		const fit = element('button', {type: 'button', title: 'Fit to the selection (F)'}, 'Fit');
		const help = element('button', {type: 'button', title: 'Keys'}, '?');
		this.#tabs = {
			timeline: element('button', {type: 'button', class: 'tab active', 'data-view': 'timeline'}, 'Timeline'),
			flame: element('button', {type: 'button', class: 'tab', 'data-view': 'flame'}, 'Flame graph'),
			stats: element('button', {type: 'button', class: 'tab', 'data-view': 'stats'}, 'Stats'),
		};
		const header = element('header', {},
			element('strong', {class: 'title'}, model.metadata.title),
			element('nav', {}, this.#tabs.timeline, this.#tabs.flame, this.#tabs.stats),
			element('span', {class: 'search'}, this.#searchInput, this.#searchCount),
			element('label', {class: 'toggle'}, flowsToggle, ' Flows'),
			fit, help,
		);
		const timelineView = element('section', {class: 'view timeline-view'}, overviewCanvas, this.#scroller, this.#details);
		this.#views = {
			timeline: timelineView,
			flame: element('section', {class: 'view flame-view', hidden: ''}),
			stats: element('section', {class: 'view stats-view', hidden: ''}),
		};
		root.replaceChildren(header, this.#views.timeline, this.#views.flame, this.#views.stats, this.#tooltip);
		this.renderer = new Renderer(model, canvas);
		this.overview = new Overview(model, overviewCanvas);
		this.#relayout();
		for (const [view, tab] of Object.entries(this.#tabs) as [View, HTMLButtonElement][]) {
			tab.addEventListener('click', () => this.showView(view));
		}

		flowsToggle.addEventListener('change', () => {
			this.state.showFlows = flowsToggle.checked;
			this.requestDraw();
		});
		fit.addEventListener('click', () => this.fitSelection());
		help.addEventListener('click', () => this.#toggleHelp());
		this.#searchInput.addEventListener('input', () => this.search(this.#searchInput.value));
		this.#searchInput.addEventListener('keydown', event => {
			if (event.key === 'Enter') {
				event.preventDefault();
				this.stepMatch(event.shiftKey ? -1 : 1);
			} else if (event.key === 'Escape') {
				this.#searchInput.blur();
			}
		});
		this.#listen(canvas, overviewCanvas);
	}

	#relayout(): void {
		this.rows = layoutTrackRows(this.model, this.state.collapsed);
		this.renderer.rows = this.rows;
		const last = this.rows.at(-1);
		const total = last === undefined ? 0 : last.top + last.height;
		this.#spacer.style.height = `${Math.max(0, total + axisHeight - this.#scroller.clientHeight)}px`;
	}

	/** Draws now (the automation surface and the first frame need the pixels at once). */
	drawNow(): FrameRecord {
		this.#pending = 0;
		this.state.scrollTop = this.#scroller.scrollTop;
		const record = this.renderer.draw(this.state);
		this.overview.draw(this.state);
		this.frames.push(record.milliseconds);
		if (this.frames.length > 1000) {
			this.frames.splice(0, this.frames.length - 1000);
		}

		return record;
	}

	requestDraw(): void {
		if (this.#pending === 0) {
			this.#pending = requestAnimationFrame(() => this.drawNow());
		}
	}

	showView(view: View): void {
		for (const [name, section] of Object.entries(this.#views) as [View, HTMLElement][]) {
			section.hidden = name !== view;
			this.#tabs[name].classList.toggle('active', name === view);
		}

		if (view === 'flame') {
			const section = this.#views.flame;
			if (section.childElementCount === 0) {
				const flame = this.host.flameGraph();
				section.append('note' in flame
					? element('p', {class: 'dim pad'}, flame.note)
					: element('iframe', {src: flame.url, title: 'speedscope flame graphs'}));
			}
		} else if (view === 'stats' && !this.#statsLoaded) {
			this.#statsLoaded = true;
			renderStats(this.#views.stats, undefined, 'Counting…');
			this.host.loadStats().then(
				stats => renderStats(this.#views.stats, stats ?? this.#statsFromModel()),
				(error: unknown) => renderStats(this.#views.stats, undefined, `No statistics: ${(error as Error).message}`),
			);
		} else if (view === 'timeline') {
			this.requestDraw();
		}
	}

	#statsFromModel() {
		const rows = rangeTable(this.model, this.model.metadata.start, this.model.metadata.end);
		return {
			columns: ['Function', 'Calls', 'Total (µs)', 'Self (µs)', 'Mean (µs)', 'Max (µs)'],
			rows: rows.map(row => [row.name, row.calls, round(row.total), round(row.self), round(row.mean), round(row.max)]),
			note: 'Counted from the timeline (this page has no `viztracer stats` table).',
		};
	}

	// Selection and details.

	select(ref: SliceRef | undefined, options: {reveal?: boolean} = {}): Promise<SliceDetails | undefined> {
		this.state.selected = ref;
		if (ref === undefined) {
			this.#detailsState = undefined;
			this.#details.replaceChildren(element('p', {class: 'dim'}, 'Click a slice for its details; Shift+drag to select a range.'));
			this.requestDraw();
			return Promise.resolve(undefined);
		}

		// The slice is now the selection (as a click makes it): a range left from before would have F fit that instead.
		this.#clearRange();
		if (options.reveal) {
			this.reveal(ref);
		}

		const details = sliceDetails(this.model, ref)!;
		this.#detailsState = details;
		const location = sourceLocation(details.name);
		const request = ++this.#sourceRequest;
		let loaded: Promise<SliceDetails | undefined> = Promise.resolve(details);
		if (location !== undefined) {
			details.source = 'loading';
			loaded = this.host.loadSource(location.file).then(
				text => {
					details.source = sourceExcerpt(location.file, text, location.line);
				},
				(error: unknown) => {
					details.source = {error: (error as Error).message};
				},
			).then(() => {
				if (request === this.#sourceRequest) {
					const container = this.#details.querySelector('.source');
					if (container) {
						renderSource(container, details.source);
					}
				}

				return details;
			});
		}

		renderDetails(this.#details, details, this.model.metadata.displayTimeUnit, (track, slice) => {
			void this.select({track, slice}, {reveal: true});
		});
		this.drawNow();
		return loaded;
	}

	details(): SliceDetails | MarkerDetails | undefined {
		return this.#detailsState;
	}

	/** Pans (and zooms in, for a slice narrower than a few pixels) so the slice is in view, and scrolls its track into view. */
	reveal(ref: SliceRef): void {
		const track = this.model.tracks[ref.track] as SliceTrack;
		const start = track.start[ref.slice]!;
		const dur = track.dur[ref.slice]!;
		const usPerPixel = this.state.span / this.renderer.plotWidth;
		let span = this.state.span;
		if (dur / usPerPixel < 4) {
			span = Math.max(dur * 4, ViewState.minimumSpan);
		}

		if (start < this.state.start || start + dur > this.state.end || span !== this.state.span) {
			const middle = start + dur / 2;
			this.state.setWindow(middle - span / 2, middle + span / 2);
		}

		if (this.state.collapsed.delete(track.pid)) {
			this.#relayout();
		}

		const row = this.rows.find(candidate => candidate.track === ref.track);
		if (row !== undefined) {
			const y = row.top + 2 + depthOf(track, ref.slice) * sliceRowHeight;
			const visible = this.#scroller.clientHeight - axisHeight;
			if (y < this.#scroller.scrollTop || y + sliceRowHeight > this.#scroller.scrollTop + visible) {
				this.#scroller.scrollTop = Math.max(0, y - visible / 3);
			}
		}
	}

	/** The box a slice is drawn in, in page coordinates, or undefined when it is scrolled or folded out of view. */
	sliceBox(ref: SliceRef): {x: number; y: number; width: number; height: number} | undefined {
		const track = this.model.tracks[ref.track] as SliceTrack;
		const row = this.rows.find(candidate => candidate.track === ref.track);
		if (row === undefined) {
			return undefined;
		}

		const canvas = this.renderer.canvas.getBoundingClientRect();
		const top = this.renderer.yOf(this.state, row) + 2 + depthOf(track, ref.slice) * sliceRowHeight;
		const left = Math.max(this.renderer.xOf(this.state, track.start[ref.slice]!), labelWidth);
		const right = Math.min(this.renderer.xOf(this.state, track.start[ref.slice]! + track.dur[ref.slice]!), this.renderer.width);
		if (top < axisHeight || top > this.renderer.height || right < labelWidth) {
			return undefined;
		}

		return {x: canvas.left + left, y: canvas.top + top, width: Math.max(right - left, 1), height: sliceRowHeight - 1};
	}

	fitSelection(): void {
		const {range, selected} = this.state;
		if (range !== undefined) {
			this.setRange(range.start, range.end);
		} else if (selected !== undefined) {
			const track = this.model.tracks[selected.track] as SliceTrack;
			const start = track.start[selected.slice]!;
			const dur = Math.max(track.dur[selected.slice]!, ViewState.minimumSpan);
			this.setRange(start - dur * 0.05, start + dur * 1.05);
		} else {
			const {start, end} = this.model.metadata;
			this.setRange(start, end);
		}
	}

	setRange(start: number, end: number): void {
		this.state.setWindow(start, end);
		this.drawNow();
	}

	// Search.

	search(query: string): number {
		if (this.#searchInput.value !== query) {
			this.#searchInput.value = query;
		}

		this.#searchInput.classList.remove('invalid');
		try {
			this.state.matches = searchSlices(this.model, query);
			this.state.matchFlags = query === '' ? undefined : matchingNames(this.model, queryMatcher(query));
		} catch {
			this.#searchInput.classList.add('invalid');
			this.state.matches = [];
			this.state.matchFlags = undefined;
		}

		this.state.currentMatch = -1;
		this.#searchCount.textContent = query === '' ? '' : `${this.state.matches.length} match${this.state.matches.length === 1 ? '' : 'es'}`;
		this.drawNow();
		return this.state.matches.length;
	}

	stepMatch(direction: 1 | -1): void {
		const {matches} = this.state;
		if (matches.length === 0) {
			return;
		}

		this.state.currentMatch = (this.state.currentMatch + direction + matches.length) % matches.length;
		this.#searchCount.textContent = `${this.state.currentMatch + 1} of ${matches.length}`;
		void this.select(matches[this.state.currentMatch], {reveal: true});
	}

	// Range selection.

	selectRange(start: number, end: number): RangeRow[] {
		const from = Math.min(start, end);
		const to = Math.max(start, end);
		this.state.range = {start: from, end: to};
		const rows = rangeTable(this.model, from, to);
		this.#rangeRows = rows;
		renderRangeTable(this.#details, this.state.range, rows, this.model.metadata.displayTimeUnit, name => {
			this.state.highlightedName = this.model.strings.indexOf(name);
			this.drawNow();
		});
		this.drawNow();
		return rows;
	}

	get rangeRows(): RangeRow[] | undefined {
		return this.#rangeRows;
	}

	#clearRange(): void {
		this.state.range = undefined;
		this.state.highlightedName = -1;
		this.#rangeRows = undefined;
	}

	// Input.

	/** The slice under canvas point (x, y), if any. */
	hit(x: number, y: number): SliceRef | undefined {
		const row = rowAt(this.rows, y - axisHeight + this.state.scrollTop);
		if (row === undefined || x < labelWidth) {
			return undefined;
		}

		const track = this.model.tracks[row.track]!;
		if (!isSliceTrack(track)) {
			return undefined;
		}

		const depth = Math.floor((y - this.renderer.yOf(this.state, row) - 2) / sliceRowHeight);
		const usPerPixel = this.state.span / this.renderer.plotWidth;
		const slice = sliceAtDepth(track, depth, this.renderer.timeAt(this.state, x), usPerPixel * 1.5);
		return slice < 0 ? undefined : {track: row.track, slice};
	}

	#listen(canvas: HTMLCanvasElement, overviewCanvas: HTMLCanvasElement): void {
		const point = (event: MouseEvent) => {
			const box = canvas.getBoundingClientRect();
			return {x: event.clientX - box.left, y: event.clientY - box.top};
		};

		this.#scroller.addEventListener('scroll', () => this.requestDraw());
		globalThis.addEventListener('resize', () => {
			this.#relayout();
			this.requestDraw();
		});
		canvas.addEventListener('wheel', event => {
			const {x} = point(event);
			if (x < labelWidth) {
				return;
			}

			event.preventDefault();
			const anchor = (x - labelWidth) / this.renderer.plotWidth;
			if (event.shiftKey || Math.abs(event.deltaX) > Math.abs(event.deltaY)) {
				this.state.pan((event.shiftKey ? event.deltaY : event.deltaX) / this.renderer.plotWidth);
			} else {
				const lines = event.deltaMode === 1 ? 16 : (event.deltaMode === 2 ? 400 : 1);
				this.state.zoom(Math.exp(event.deltaY * lines * 0.0025), anchor);
			}

			this.requestDraw();
		}, {passive: false});

		let drag: {x: number; y: number; start: number; end: number; scrollTop: number; range: boolean; moved: boolean} | undefined;
		canvas.addEventListener('mousedown', event => {
			if (event.button !== 0) {
				return;
			}

			const {x, y} = point(event);
			canvas.focus();
			if (x < labelWidth) {
				this.#clickLabel(y);
				return;
			}

			drag = {x, y, start: this.state.start, end: this.state.end, scrollTop: this.#scroller.scrollTop, range: event.shiftKey, moved: false};
		});
		globalThis.addEventListener('mousemove', event => {
			const {x, y} = point(event);
			this.#mouseX = x >= labelWidth && x <= this.renderer.width ? x : undefined;
			if (drag === undefined) {
				this.#hover(event, x, y);
				return;
			}

			if (Math.abs(x - drag.x) + Math.abs(y - drag.y) > 3) {
				drag.moved = true;
			}

			if (!drag.moved) {
				return;
			}

			if (drag.range) {
				const from = this.renderer.timeAt(this.state, drag.x);
				this.state.range = {start: Math.min(from, this.renderer.timeAt(this.state, x)), end: Math.max(from, this.renderer.timeAt(this.state, x))};
				this.requestDraw();
				return;
			}

			const shift = ((drag.x - x) / this.renderer.plotWidth) * (drag.end - drag.start);
			this.state.setWindow(drag.start + shift, drag.end + shift);
			this.#scroller.scrollTop = drag.scrollTop + (drag.y - y);
			this.requestDraw();
		});
		globalThis.addEventListener('mouseup', event => {
			if (drag === undefined) {
				return;
			}

			const {x, y} = point(event);
			const finished = drag;
			drag = undefined;
			if (finished.range && finished.moved) {
				this.selectRange(this.renderer.timeAt(this.state, finished.x), this.renderer.timeAt(this.state, x));
				return;
			}

			if (!finished.moved) {
				this.#clearRange();
				const slice = this.hit(x, y);
				const marker = slice === undefined ? this.markerAt(x, y) : undefined;
				if (marker === undefined) {
					void this.select(slice);
				} else {
					this.showMarker(marker);
				}
			}
		});
		canvas.addEventListener('mouseleave', () => {
			this.#tooltip.hidden = true;
		});

		let overviewDrag = false;
		const moveOverview = (event: MouseEvent) => {
			const box = overviewCanvas.getBoundingClientRect();
			const time = this.overview.timeAt(this.state, event.clientX - box.left);
			const half = this.state.span / 2;
			this.state.setWindow(time - half, time + half);
			this.requestDraw();
		};

		overviewCanvas.addEventListener('mousedown', event => {
			overviewDrag = true;
			moveOverview(event);
		});
		globalThis.addEventListener('mousemove', event => {
			if (overviewDrag) {
				moveOverview(event);
			}
		});
		globalThis.addEventListener('mouseup', () => {
			overviewDrag = false;
		});

		document.addEventListener('keydown', event => {
			const target = event.target as HTMLElement | null;
			if (target?.tagName === 'INPUT' || event.ctrlKey || event.metaKey || event.altKey) {
				return;
			}

			const anchor = this.#mouseX === undefined ? 0.5 : (this.#mouseX - labelWidth) / this.renderer.plotWidth;
			switch (event.key.toLowerCase()) {
				case 'w': {
					this.state.zoom(event.shiftKey ? 0.5 : 0.8, anchor);
					break;
				}

				case 's': {
					this.state.zoom(event.shiftKey ? 2 : 1.25, anchor);
					break;
				}

				case 'a': {
					this.state.pan(event.shiftKey ? -0.5 : -0.1);
					break;
				}

				case 'd': {
					this.state.pan(event.shiftKey ? 0.5 : 0.1);
					break;
				}

				case 'f': {
					this.fitSelection();
					break;
				}

				case 'escape': {
					this.#clearRange();
					void this.select(undefined);
					break;
				}

				case '/': {
					this.#searchInput.focus();
					break;
				}

				default: {
					return;
				}
			}

			event.preventDefault();
			this.requestDraw();
		});
	}

	#clickLabel(y: number): void {
		const row = rowAt(this.rows, y - axisHeight + this.state.scrollTop);
		const track = row === undefined ? undefined : this.model.tracks[row.track];
		if (track?.kind !== 'process') {
			return;
		}

		if (!this.state.collapsed.delete(track.pid)) {
			this.state.collapsed.add(track.pid);
		}

		this.#relayout();
		this.drawNow();
	}

	#hover(event: MouseEvent, x: number, y: number): void {
		const inside = x >= labelWidth && x <= this.renderer.width && y >= axisHeight && y <= this.renderer.height;
		const text = inside ? this.#hoverText(x, y) : undefined;
		if (text === undefined) {
			this.#tooltip.hidden = true;
			return;
		}

		this.#tooltip.textContent = text;
		this.#tooltip.hidden = false;
		this.#tooltip.style.left = `${Math.min(event.clientX + 12, globalThis.innerWidth - 320)}px`;
		this.#tooltip.style.top = `${event.clientY + 14}px`;
	}

	#hoverText(x: number, y: number): string | undefined {
		const unit = this.model.metadata.displayTimeUnit;
		const ref = this.hit(x, y);
		if (ref !== undefined) {
			const track = this.model.tracks[ref.track] as SliceTrack;
			return `${this.model.strings[track.names[ref.slice]!]}\n${formatDuration(track.dur[ref.slice]!, unit)} (self ${formatDuration(track.self[ref.slice]!, unit)})`;
		}

		const marker = this.markerAt(x, y);
		if (marker === undefined) {
			return undefined;
		}

		const values = Object.entries(marker.args).map(([name, value]) => `${name}: ${typeof value === 'number' ? round(value) : JSON.stringify(value)}`);
		return `${marker.name} (${marker.kind === 'instant' ? `instant, scope ${marker.scope ?? 't'}` : marker.kind}) at ${formatDuration(marker.start, unit)}${values.length > 0 ? `\n${values.join('\n')}` : ''}`;
	}

	/** The instant, object snapshot or counter sample under canvas point (x, y), if any. */
	markerAt(x: number, y: number): MarkerDetails | undefined {
		if (x < labelWidth) {
			return undefined;
		}

		const row = rowAt(this.rows, y - axisHeight + this.state.scrollTop);
		const track = row === undefined ? undefined : this.model.tracks[row.track];
		const time = this.renderer.timeAt(this.state, x);
		const pixel = this.state.span / this.renderer.plotWidth;
		const marker = (kind: MarkerDetails['kind'], name: string, ts: number, args: unknown, extra: {scope?: string} = {}): MarkerDetails => ({
			kind, name, ts, start: ts - this.model.metadata.start, track: track?.name ?? '', trackId: track?.id ?? '',
			args: typeof args === 'object' && args !== null ? args as Record<string, unknown> : (args === undefined ? {} : {value: args}), ...extra,
		});
		if (track?.kind === 'counter') {
			// The values in force: each series' last sample at or before the pointer.
			const values: Record<string, number> = {};
			let at = Number.NEGATIVE_INFINITY;
			for (const series of track.series) {
				let index = lowerBound(series.ts, time) - 1;
				if (index + 1 < series.ts.length && series.ts[index + 1] === time) {
					index++;
				}

				if (index >= 0) {
					values[series.name] = series.values[index]!;
					at = Math.max(at, series.ts[index]!);
				}
			}

			return Number.isFinite(at) ? marker('counter', track.name, at, values) : undefined;
		}

		if (track?.kind === 'object') {
			const snapshot = track.snapshots.find(candidate => Math.abs(candidate.ts - time) <= pixel * 6);
			return snapshot === undefined ? undefined : marker('snapshot', track.name, snapshot.ts, argsAt(this.model.args, snapshot.args));
		}

		// The row's own instants first; then the lines drawn across it: its process's instants and the global ones. Nearest wins.
		const nearest = (accepts: (instant: Instant) => boolean): Instant | undefined => {
			let best: Instant | undefined;
			for (const candidate of this.model.instants) {
				const distance = Math.abs(candidate.ts - time);
				if (distance <= pixel * 5 && accepts(candidate) && (best === undefined || distance < Math.abs(best.ts - time))) {
					best = candidate;
				}
			}

			return best;
		};

		const instant = nearest(candidate => row !== undefined && candidate.track === row.track)
			?? nearest(candidate => candidate.scope === 'g' || (candidate.scope === 'p' && track !== undefined && candidate.pid === track.pid));
		if (instant === undefined) {
			return undefined;
		}

		const own = this.model.tracks[instant.track];
		return {...marker('instant', instant.name, instant.ts, argsAt(this.model.args, instant.args), {scope: instant.scope}), track: own?.name ?? '', trackId: own?.id ?? ''};
	}

	/** Shows an instant, snapshot or counter sample in the details panel (what `details()` then returns). */
	showMarker(marker: MarkerDetails): void {
		this.state.selected = undefined;
		this.#detailsState = marker;
		renderMarker(this.#details, marker, this.model.metadata.displayTimeUnit);
		this.drawNow();
	}

	#toggleHelp(): void {
		const existing = this.#root.querySelector('.help');
		if (existing) {
			existing.remove();
			return;
		}

		const keys: [string, string][] = [
			['W / S', 'zoom in / out (Shift: faster), around the pointer'],
			['A / D', 'pan left / right'],
			['Wheel', 'zoom around the pointer; Shift+wheel pans'],
			['Drag', 'pan'],
			['Shift+drag', 'select a time range: what ran in it, per function'],
			['Click', 'a slice: its details and source; a process: fold it'],
			['F', 'fit to the selection (or the range, or the whole trace)'],
			['/', 'search; Enter / Shift+Enter step through matches'],
			['Esc', 'clear the selection'],
		];
		const table = element('table', {}, ...keys.map(([key, what]) => element('tr', {}, element('th', {}, key), element('td', {}, what))));
		const box = element('div', {class: 'help'}, element('h2', {}, 'Keys'), table);
		box.addEventListener('click', () => box.remove());
		this.#root.append(box);
	}
}

const round = (value: number): number => Math.round(value * 1000) / 1000;
