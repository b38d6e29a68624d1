/** `document.createElement` with attributes and children; text children become text nodes (never HTML). */
export function element<K extends keyof HTMLElementTagNameMap>(tag: K, attributes: Record<string, string> = {}, ...children: (Node | string)[]): HTMLElementTagNameMap[K] {
	const node = document.createElement(tag);
	for (const [name, value] of Object.entries(attributes)) {
		node.setAttribute(name, value);
	}

	for (const child of children) {
		node.append(child);
	}

	return node;
}

/** A value of `args` for a table cell: strings as they are, anything else as JSON, bounded. */
export function argText(value: unknown, limit = 2000): string {
	const text = typeof value === 'string' ? value : JSON.stringify(value, undefined, 1) ?? String(value);
	return text.length > limit ? `${text.slice(0, limit)}… (${text.length - limit} more characters)` : text;
}
