import {ownValue} from './own-value.js';

/**
 * A header of an HTTP/2 headers object as Node passes it on its channels:
 * a null-prototype object, or (responses sent as raw headers, Node 24) a
 * flat `[name, value, …]` array. Read as own values only: the raw array is
 * the program's own.
 */
export function http2Header(headers: unknown, name: string): unknown {
	if (!Array.isArray(headers)) {
		return ownValue(headers, name);
	}

	const length = ownValue(headers, 'length');
	for (let index = 0; typeof length === 'number' && index + 1 < length; index += 2) {
		const key = ownValue(headers, String(index));
		if (typeof key === 'string' && key.toLowerCase() === name) {
			return ownValue(headers, String(index + 1));
		}
	}

	return undefined;
}

/** The `:status` of response headers, as a number (raw headers may hold it as a string). */
export function http2Status(headers: unknown): number | undefined {
	const value = http2Header(headers, ':status');
	const status = typeof value === 'number' || typeof value === 'string' ? Number(value) : Number.NaN;
	return Number.isInteger(status) ? status : undefined;
}
