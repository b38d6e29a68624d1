import {types} from 'node:util';

// A repr of arguments, return values and exceptions, like Python VizTracer's
// repr of arguments but with a fixed budget: at most `maxKeys` entries per
// object, `maxDepth` levels and `maxLength` characters, whatever the value,
// so a 200,000-key object costs what a 10-key one does.
//
// It never runs the program's code: no getters, no `toString`/`toJSON`/
// `Symbol.toStringTag`/`util.inspect.custom`, no Proxy traps (a proxy is
// shown as `Proxy`), and it uses the built-ins as they were when this module
// loaded, so a program that replaces or deletes them changes nothing here.

const maxLength = 256;
const maxKeys = 10;
const maxDepth = 2;
const maxStringLength = 100;

const {isProxy, isNativeError, isDate, isRegExp, isMap, isSet, isPromise, isTypedArray, isArrayBuffer, isWeakMap, isWeakSet, isBoxedPrimitive} = types;
const {getOwnPropertyDescriptor, getPrototypeOf, keys: objectKeys} = Object;
const {isArray} = Array;
const {apply} = Reflect;
const stringify = JSON.stringify;
const symbolToString = Symbol.prototype.toString;
const dateGetTime = Date.prototype.getTime;
const dateToIsoString = Date.prototype.toISOString;
const regExpSource = getOwnPropertyDescriptor(RegExp.prototype, 'source')!.get!;
const regExpFlags = getOwnPropertyDescriptor(RegExp.prototype, 'flags')!.get!;
const mapSize = getOwnPropertyDescriptor(Map.prototype, 'size')!.get!;
const setSize = getOwnPropertyDescriptor(Set.prototype, 'size')!.get!;
const typedArrayPrototype = getPrototypeOf(Uint8Array.prototype) as object;
const typedArrayLength = getOwnPropertyDescriptor(typedArrayPrototype, 'length')!.get!;
const typedArrayTag = getOwnPropertyDescriptor(typedArrayPrototype, Symbol.toStringTag)!.get!;
const arrayBufferByteLength = getOwnPropertyDescriptor(ArrayBuffer.prototype, 'byteLength')!.get!;
const stringSlice = String.prototype.slice;
const numberToString = Number.prototype.toString;
const bigintToString = BigInt.prototype.toString;
const charCodeAt = String.prototype.charCodeAt;

/** A short repr, never longer than 256 characters, never throwing, never running the program's code. */
export function repr(value: unknown): string {
	let text: string;
	try {
		text = describe(value, 0, {left: maxLength * 2});
	} catch {
		// A stack overflow while describing: still say what kind of value it was.
		text = `<${typeof value}>`;
	}

	return text.length > maxLength ? `${apply(stringSlice, text, [0, maxLength - 1]) as string}…` : text;
}

/** `{ name: repr }` for each parameter, in order. */
export function describeArguments(values: unknown[], names: string[]): Record<string, string> {
	const described: Record<string, string> = {};
	for (let index = 0; index < names.length; index++) {
		described[names[index]!] = repr(values[index]);
	}

	return described;
}

/** An exception's type and message, read from its own data properties only. */
export function describeError(error: unknown): {type: string; message: string} {
	if (typeof error !== 'object' || error === null || isProxy(error)) {
		return {type: error === null ? 'null' : (typeof error === 'object' ? 'Proxy' : typeof error), message: repr(error)};
	}

	const name = inheritedDataProperty(error, 'name');
	const message = inheritedDataProperty(error, 'message');
	const type = typeof name === 'string' ? name : (isNativeError(error) ? 'Error' : className(error) ?? 'Object');
	const text = typeof message === 'string' ? message : repr(error);
	return {type, message: text.length > 1000 ? `${apply(stringSlice, text, [0, 1000]) as string}…` : text};
}

type Budget = {left: number};

function describe(value: unknown, depth: number, budget: Budget): string {
	switch (typeof value) {
		case 'string': {
			return quote(value);
		}

		case 'number': {
			return Object.is(value, -0) ? '-0' : (apply(numberToString, value, []) as string);
		}

		case 'bigint': {
			return `${apply(bigintToString, value, []) as string}n`;
		}

		case 'boolean': {
			return value ? 'true' : 'false';
		}

		case 'undefined': {
			return 'undefined';
		}

		case 'symbol': {
			return apply(symbolToString, value, []) as string;
		}

		case 'function': {
			if (isProxy(value)) {
				return 'Proxy [Function]';
			}

			const name = dataProperty(value, 'name');
			const kind = isClass(value) ? 'class' : 'Function';
			return typeof name === 'string' && name !== '' ? `[${kind}: ${name}]` : `[${kind} (anonymous)]`;
		}

		default: {
			return describeObject(value as object | null, depth, budget);
		}
	}
}

function describeObject(value: object | null, depth: number, budget: Budget): string {
	if (value === null) {
		return 'null';
	}

	if (isProxy(value)) {
		return 'Proxy';
	}

	if (isNativeError(value)) {
		const {type, message} = describeError(value);
		return message === '' ? `[${type}]` : `[${type}: ${message}]`;
	}

	if (isDate(value)) {
		const time = apply(dateGetTime, value, []) as number;
		return Number.isNaN(time) ? 'Invalid Date' : (apply(dateToIsoString, value, []) as string);
	}

	if (isRegExp(value)) {
		return `/${apply(regExpSource, value, []) as string}/${apply(regExpFlags, value, []) as string}`;
	}

	if (isPromise(value)) {
		return 'Promise';
	}

	if (isMap(value)) {
		return `Map(${apply(mapSize, value, []) as number})`;
	}

	if (isSet(value)) {
		return `Set(${apply(setSize, value, []) as number})`;
	}

	if (isWeakMap(value) || isWeakSet(value)) {
		return isWeakMap(value) ? 'WeakMap' : 'WeakSet';
	}

	if (isTypedArray(value)) {
		return `${apply(typedArrayTag, value, []) as string}(${apply(typedArrayLength, value, []) as number})`;
	}

	if (isArrayBuffer(value)) {
		return `ArrayBuffer(${apply(arrayBufferByteLength, value, []) as number})`;
	}

	if (isBoxedPrimitive(value)) {
		return `[${className(value) ?? 'Object'}]`;
	}

	if (isArray(value)) {
		return describeArray(value as unknown[], depth, budget);
	}

	return describePlainObject(value, depth, budget);
}

function describeArray(array: unknown[], depth: number, budget: Budget): string {
	const length = array.length;
	if (depth >= maxDepth) {
		return `[Array(${length})]`;
	}

	if (length === 0) {
		return '[]';
	}

	let text = '[ ';
	const shown = length < maxKeys ? length : maxKeys;
	for (let index = 0; index < shown; index++) {
		if (budget.left <= 0) {
			return `${text}, … ]`;
		}

		const descriptor = getOwnPropertyDescriptor(array, index);
		const item = descriptor === undefined ? '<empty>' : ('value' in descriptor ? describe(descriptor.value, depth + 1, budget) : '[Getter]');
		budget.left -= item.length;
		text += index === 0 ? item : `, ${item}`;
	}

	if (length > shown) {
		text += `, … ${length - shown} more`;
	}

	return `${text} ]`;
}

function describePlainObject(object: object, depth: number, budget: Budget): string {
	const name = className(object);
	const prefix = name === undefined || name === 'Object' ? '' : `${name} `;
	if (depth >= maxDepth) {
		return `${prefix}{…}`;
	}

	let text = '';
	let count = 0;
	let more = false;
	// Own enumerable string keys only (no prototype chain: it may hold a proxy).
	const keys = leadingKeys(object);
	for (let index = 0; index < keys.length; index++) {
		const key = keys[index]!;
		if (count === maxKeys || budget.left <= 0) {
			more = true;
			break;
		}

		const descriptor = getOwnPropertyDescriptor(object, key);
		if (descriptor === undefined) {
			continue;
		}

		const item = 'value' in descriptor ? describe(descriptor.value, depth + 1, budget) : '[Getter/Setter]';
		const entry = `${identifierLike(key) ? key : quote(key)}: ${item}`;
		budget.left -= entry.length;
		text += count === 0 ? entry : `, ${entry}`;
		count++;
	}

	if (more) {
		text += ', …';
	}

	return count === 0 && !more ? `${prefix}{}` : `${prefix}{ ${text} }`;
}

// Listing an object's keys costs time in proportion to how many it has (V8
// has no way to take the first few), so for big objects the first keys are
// kept, per object, and reused while each is still an own property: an
// object passed to many calls is listed once. (A key added since, that would
// sort first, such as an integer one, is then not shown.)
const bigObject = 1000;
const keptKeys = new WeakMap<object, string[]>();
const weakMapGet = WeakMap.prototype.get;
const weakMapSet = WeakMap.prototype.set;
const hasOwn = Object.prototype.hasOwnProperty;

function leadingKeys(object: object): string[] {
	const kept = apply(weakMapGet, keptKeys, [object]) as string[] | undefined;
	if (kept !== undefined) {
		let valid = true;
		for (let index = 0; index < kept.length && valid; index++) {
			valid = apply(hasOwn, object, [kept[index]]) as boolean;
		}

		if (valid) {
			return kept;
		}
	}

	const keys = objectKeys(object);
	if (keys.length <= bigObject) {
		return keys;
	}

	const leading: string[] = [];
	for (let index = 0; index <= maxKeys; index++) {
		leading[index] = keys[index]!;
	}

	apply(weakMapSet, keptKeys, [object, leading]);
	return leading;
}

/** The name of the constructor found on the prototype chain, from data properties only. */
function className(object: object): string | undefined {
	// From the prototype: the object's own keys may be many, and are not looked at.
	let prototype = getPrototypeOf(object) as object | null;
	for (let steps = 0; steps < 32 && prototype !== null; steps++) {
		if (isProxy(prototype)) {
			return undefined;
		}

		const constructor = dataProperty(prototype, 'constructor');
		if (typeof constructor === 'function' && !isProxy(constructor)) {
			const name = dataProperty(constructor, 'name');
			if (typeof name === 'string' && name !== '') {
				return name;
			}
		}

		prototype = getPrototypeOf(prototype) as object | null;
	}

	return undefined;
}

/** A data property found on the object or its prototype chain; undefined at a getter or a proxy. */
function inheritedDataProperty(object: object, key: string): unknown {
	let current: object | null = object;
	for (let steps = 0; steps < 32 && current !== null && !isProxy(current); steps++) {
		const descriptor = getOwnPropertyDescriptor(current, key);
		if (descriptor !== undefined) {
			return 'value' in descriptor ? descriptor.value : undefined;
		}

		current = getPrototypeOf(current) as object | null;
	}

	return undefined;
}

function dataProperty(object: object, key: string): unknown {
	const descriptor = getOwnPropertyDescriptor(object, key);
	return descriptor !== undefined && 'value' in descriptor ? descriptor.value : undefined;
}

function isClass(fn: unknown): boolean {
	const prototype = getOwnPropertyDescriptor(fn as object, 'prototype');
	return prototype !== undefined && prototype.writable === false;
}

/** A single-quoted string as `util.inspect` writes it (JSON escapes, `'` escaped), truncated to `maxStringLength`. */
function quote(text: string): string {
	const short = text.length > maxStringLength ? `${apply(stringSlice, text, [0, maxStringLength]) as string}…` : text;
	const json = stringify(short);
	let quoted = "'";
	for (let index = 1; index < json.length - 1; index++) {
		const code = apply(charCodeAt, json, [index]) as number;
		if (code === 92 && (apply(charCodeAt, json, [index + 1]) as number) === 34) {
			quoted += '"';
			index++;
		} else {
			quoted += code === 39 ? '\\\'' : json[index]!;
		}
	}

	return `${quoted}'`;
}

function identifierLike(key: string): boolean {
	if (key.length === 0 || key.length > 64) {
		return false;
	}

	for (let index = 0; index < key.length; index++) {
		const code = apply(charCodeAt, key, [index]) as number;
		const letter = (code >= 65 && code <= 90) || (code >= 97 && code <= 122) || code === 36 || code === 95;
		if (!letter && !(index > 0 && code >= 48 && code <= 57)) {
			return false;
		}
	}

	return true;
}
