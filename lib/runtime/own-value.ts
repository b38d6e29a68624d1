/**
 * A value `object` holds itself (an own data property), never one a getter
 * would compute: reading the program's objects must not run its code.
 * Undefined for anything else, a proxy's trap that throws included.
 */
export function ownValue(object: unknown, key: string): unknown {
	if (typeof object !== 'object' || object === null) {
		return undefined;
	}

	try {
		const descriptor = Object.getOwnPropertyDescriptor(object, key);
		return descriptor !== undefined && 'value' in descriptor ? descriptor.value : undefined;
	} catch {
		return undefined;
	}
}

/** A property of one of Node's own objects (net.Socket, http.ClientRequest), read through Node's accessors; undefined if the read throws. */
export function nodeValue(object: unknown, key: string): unknown {
	try {
		return (object as Record<string, unknown> | undefined)?.[key];
	} catch {
		return undefined;
	}
}
