type Frame =
	| {array: readonly unknown[]; index: number}
	| {entries: Array<[string, unknown]>; index: number; wrote: boolean};

/**
 * `JSON.stringify` of a value parsed from JSON (objects, arrays, strings,
 * numbers, booleans, null), at any depth. V8's `JSON.parse` accepts nesting
 * far deeper than its recursive `JSON.stringify` can write back (a trace's
 * `args` 20,000 levels deep overflows the stack), so past that this walks
 * the value with a stack of its own.
 */
export function stringifyDeep(value: unknown): string {
	try {
		return JSON.stringify(value) ?? 'null';
	} catch (error) {
		if (!(error instanceof RangeError)) {
			throw error;
		}
	}

	return stringifyIteratively(value);
}

const isSkipped = (value: unknown): boolean => value === undefined || typeof value === 'function' || typeof value === 'symbol';

function stringifyIteratively(root: unknown): string {
	const parts: string[] = [];
	const stack: Frame[] = [];
	const open = (value: unknown): void => {
		if (typeof value !== 'object' || value === null) {
			parts.push(JSON.stringify(value) ?? 'null');
		} else if (Array.isArray(value)) {
			parts.push('[');
			stack.push({array: value, index: 0});
		} else {
			parts.push('{');
			stack.push({entries: Object.entries(value), index: 0, wrote: false});
		}
	};

	open(root);
	while (stack.length > 0) {
		const frame = stack.at(-1)!;
		if ('array' in frame) {
			if (frame.index === frame.array.length) {
				parts.push(']');
				stack.pop();
				continue;
			}

			if (frame.index > 0) {
				parts.push(',');
			}

			const item = frame.array[frame.index++];
			open(isSkipped(item) ? null : item);
			continue;
		}

		if (frame.index === frame.entries.length) {
			parts.push('}');
			stack.pop();
			continue;
		}

		const [key, item] = frame.entries[frame.index++]!;
		if (isSkipped(item)) {
			continue;
		}

		parts.push(`${frame.wrote ? ',' : ''}${JSON.stringify(key)}:`);
		frame.wrote = true;
		open(item);
	}

	return parts.join('');
}
