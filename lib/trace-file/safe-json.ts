// Values recorded from user code (instant args, object snapshots, counter
// values) are written with this: a value JSON cannot express, or whose
// `toJSON` or getter throws, becomes a marker in its own place, and the rest
// of the value (and the trace) is written as usual.

const markerKey = '<unserialisable>';

const reasonOf = (error: unknown): string => {
	try {
		return error instanceof Error ? error.message : String(error);
	} catch {
		return 'unknown error';
	}
};

const markerJson = (reason: string): string => `{${JSON.stringify(markerKey)}:${JSON.stringify(reason)}}`;

/**
 * `JSON.stringify(value)`, except that nothing in `value` can make it throw:
 * a cycle, a BigInt, a `toJSON`, getter or proxy trap that throws each turn
 * into `{"<unserialisable>": reason}` where they are (`"BigInt 123"` for a BigInt). Returns `'null'` for a
 * value JSON leaves out (`undefined`, a function).
 */
export function safeJson(value: unknown): string {
	// The fast path: nearly every value is plain data.
	try {
		const json = JSON.stringify(value);
		return json ?? 'null';
	} catch {}

	return walk(value, '', []) ?? 'null';
}

/** The JSON of one value, or undefined where JSON.stringify would leave it out. */
function walk(input: unknown, key: string, ancestors: unknown[]): string | undefined {
	let value = input;
	try {
		if ((typeof value === 'object' && value !== null) || typeof value === 'bigint') {
			const toJSON = (value as {toJSON?: unknown}).toJSON;
			if (typeof toJSON === 'function') {
				value = (toJSON as (key: string) => unknown).call(value, key);
			}
		}
	} catch (error) {
		return markerJson(`toJSON() threw: ${reasonOf(error)}`);
	}

	switch (typeof value) {
		case 'string': {
			return JSON.stringify(value);
		}

		case 'number': {
			return Number.isFinite(value) ? String(value) : 'null';
		}

		case 'boolean': {
			return value ? 'true' : 'false';
		}

		case 'bigint': {
			// Marked, with its exact digits: a JSON number would be rounded by
			// readers, and a plain string would pass for one the program logged.
			return markerJson(`BigInt ${value.toString()}`);
		}

		case 'object': {
			break;
		}

		default: {
			return undefined;
		}
	}

	if (value === null) {
		return 'null';
	}

	for (let index = 0; index < ancestors.length; index++) {
		if (ancestors[index] === value) {
			return markerJson('a cycle');
		}
	}

	ancestors.push(value);
	try {
		return Array.isArray(value) ? arrayJson(value, ancestors) : objectJson(value, ancestors);
	} catch (error) {
		return markerJson(reasonOf(error));
	} finally {
		ancestors.pop();
	}
}

function arrayJson(array: unknown[], ancestors: unknown[]): string {
	const parts: string[] = [];
	const {length} = array;
	for (let index = 0; index < length; index++) {
		let item: unknown;
		try {
			item = array[index];
		} catch (error) {
			parts.push(markerJson(reasonOf(error)));
			continue;
		}

		parts.push(walk(item, String(index), ancestors) ?? 'null');
	}

	return `[${parts.join(',')}]`;
}

function objectJson(object: object, ancestors: unknown[]): string {
	// Boxed primitives are written as their value, as JSON.stringify does.
	if (object instanceof Number || object instanceof String || object instanceof Boolean) {
		return walk(object.valueOf(), '', ancestors) ?? 'null';
	}

	const keys = Object.keys(object);
	const parts: string[] = [];
	for (let index = 0; index < keys.length; index++) {
		const key = keys[index]!;
		let item: unknown;
		try {
			item = (object as Record<string, unknown>)[key];
		} catch (error) {
			parts.push(`${JSON.stringify(key)}:${markerJson(reasonOf(error))}`);
			continue;
		}

		const json = walk(item, key, ancestors);
		if (json !== undefined) {
			parts.push(`${JSON.stringify(key)}:${json}`);
		}
	}

	return `{${parts.join(',')}}`;
}
