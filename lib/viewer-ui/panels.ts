import type {RangeRow} from '../timeline/range-table.js';
import {formatDuration} from '../timeline/time-units.js';
import type {MarkerDetails, SliceDetails, SourceLines} from './details.js';
import {argText, element} from './dom.js';
import type {StatsTable} from './viewer-host.js';

type Unit = 'ms' | 'ns';

/** Fills the details panel for a slice; `onJump` is called when one of its flows is clicked. */
export function renderDetails(panel: HTMLElement, details: SliceDetails, unit: Unit, onJump: (track: number, slice: number) => void): void {
	panel.replaceChildren();
	panel.append(element('h2', {class: 'details-name'}, details.function, ...(details.location === '' ? [] : [' ', element('span', {class: 'dim'}, details.location)])));
	const table = element('table', {class: 'fields'});
	const row = (name: string, value: Node | string) => table.append(element('tr', {}, element('th', {}, name), element('td', {}, value)));
	row('Track', details.track);
	row('Start', `${formatDuration(details.start, unit)} (ts ${details.ts})`);
	row('Duration', formatDuration(details.dur, unit));
	row('Self time', formatDuration(details.self, unit));
	row('Depth', String(details.depth));
	for (const [name, value] of Object.entries(details.args ?? {})) {
		row(name, element('pre', {class: 'arg'}, argText(value)));
	}

	const info = element('div', {class: 'details-info'}, table);
	panel.append(info);
	if (details.flows.length > 0) {
		const list = element('ul', {class: 'flows'});
		for (const flow of details.flows) {
			const label = `${flow.direction === 'out' ? '→' : '←'} ${flow.name || 'flow'} ${flow.direction === 'out' ? 'to' : 'from'} `;
			const target = flow.other;
			list.append(element('li', {}, label, target === undefined
				? element('span', {class: 'dim'}, '(no slice)')
				: (() => {
					const button = element('button', {class: 'link', type: 'button'}, target.name);
					button.addEventListener('click', () => onJump(target.track, target.slice));
					return button;
				})()));
		}

		info.append(element('h3', {}, 'Flows'), list);
	}

	const source = element('div', {class: 'source'});
	panel.append(source);
	renderSource(source, details.source);
}

export function renderMarker(panel: HTMLElement, marker: MarkerDetails, unit: Unit): void {
	panel.replaceChildren();
	const kind = marker.kind === 'instant' ? `instant, scope ${marker.scope ?? 't'}` : (marker.kind === 'snapshot' ? 'object snapshot' : 'counter values');
	panel.append(element('h2', {class: 'details-name'}, marker.name, ' ', element('span', {class: 'dim'}, kind)));
	const table = element('table', {class: 'fields'});
	const row = (name: string, value: Node | string) => table.append(element('tr', {}, element('th', {}, name), element('td', {}, value)));
	row('Track', marker.track);
	row('Time', `${formatDuration(marker.start, unit)} (ts ${marker.ts})`);
	for (const [name, value] of Object.entries(marker.args)) {
		row(name, element('pre', {class: 'arg'}, argText(value)));
	}

	panel.append(element('div', {class: 'details-info'}, table));
}

export function renderSource(container: Element, source: SliceDetails['source']): void {
	container.replaceChildren();
	if (source === undefined) {
		return;
	}

	if (source === 'loading') {
		container.append(element('p', {class: 'dim'}, 'Loading the source…'));
		return;
	}

	if ('error' in source) {
		container.append(element('p', {class: 'dim'}, `Source not shown: ${source.error}`));
		return;
	}

	const block = sourceBlock(source);
	container.append(element('h3', {}, `${source.file}:${source.line}`), block);
	// The function's line in the middle of the block, not below its fold.
	const line = block.querySelector<HTMLElement>('.highlighted');
	if (line !== null) {
		block.scrollTop = Math.max(0, line.offsetTop - block.offsetTop - (block.clientHeight - line.offsetHeight) / 2);
	}
}

function sourceBlock(source: SourceLines): HTMLElement {
	const block = element('pre', {class: 'code'});
	for (const line of source.lines) {
		block.append(element('span', {class: line.highlighted ? 'line highlighted' : 'line'}, element('span', {class: 'number'}, String(line.number).padStart(5)), ` ${line.text}\n`));
	}

	return block;
}

/** The range selection's table; clicking a row calls `onPick` with its function name. */
export function renderRangeTable(panel: HTMLElement, range: {start: number; end: number}, rows: RangeRow[], unit: Unit, onPick: (name: string) => void): void {
	panel.replaceChildren();
	panel.append(element('h2', {}, `Range ${formatDuration(range.end - range.start, unit)}: ${rows.length} function${rows.length === 1 ? '' : 's'}`));
	const shown = rows.slice(0, 500);
	const table = element('table', {class: 'grid range-table'});
	table.append(element('thead', {}, element('tr', {}, ...['Function', 'Calls', 'Total', 'Self', 'Mean', 'Max'].map(name => element('th', {}, name)))));
	const body = element('tbody');
	for (const row of shown) {
		const line = element('tr', {}, element('td', {}, row.name), element('td', {class: 'number'}, String(row.calls)),
			...[row.total, row.self, row.mean, row.max].map(value => element('td', {class: 'number'}, formatDuration(value, unit))));
		line.addEventListener('click', () => {
			for (const other of body.querySelectorAll('tr.picked')) {
				other.classList.remove('picked');
			}

			line.classList.add('picked');
			onPick(row.name);
		});
		body.append(line);
	}

	table.append(body);
	panel.append(table);
	if (rows.length > shown.length) {
		panel.append(element('p', {class: 'dim'}, `and ${rows.length - shown.length} more functions`));
	}
}

export function renderStats(container: HTMLElement, stats: StatsTable | undefined, error?: string): void {
	container.replaceChildren();
	if (error !== undefined || stats === undefined) {
		container.append(element('p', {class: 'dim'}, error ?? 'No statistics for this trace.'));
		return;
	}

	if (stats.note) {
		container.append(element('p', {class: 'dim'}, stats.note));
	}

	const table = element('table', {class: 'grid stats-table'});
	table.append(element('thead', {}, element('tr', {}, ...stats.columns.map(name => element('th', {}, name)))));
	const body = element('tbody');
	for (const row of stats.rows) {
		body.append(element('tr', {}, ...row.map(value => element('td', typeof value === 'number' ? {class: 'number'} : {}, String(value)))));
	}

	table.append(body);
	container.append(table);
}
