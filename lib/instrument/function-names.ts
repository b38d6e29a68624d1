import type {Node} from 'acorn';
import {keptName} from './compiler-helpers.js';

// Names functions the way V8 infers them for stack traces, so a span reads
// like the frame a developer already knows: `parse`, `Parser.next`,
// `config.load`, `module.exports.run`, with `<anonymous>` only as a last resort.

type AnyNode = Node & Record<string, any>;

const maxNameLength = 120;

/** Skips the parentheses `preserveParens` keeps in the tree. */
function unwrapParent(ancestors: readonly AnyNode[], index: number): {node: AnyNode | undefined; index: number} {
	let position = index;
	while (position >= 0 && ancestors[position]?.type === 'ParenthesizedExpression') {
		position--;
	}

	return {node: ancestors[position], index: position};
}

/** Source text of `a`, `a.b.c`, `this.x`, `a.#x`; undefined for anything computed or called. */
export function memberPath(node: AnyNode | undefined, source: string): string | undefined {
	if (!node) {
		return undefined;
	}

	switch (node.type) {
		case 'Identifier': {
			return node.name as string;
		}

		case 'ThisExpression': {
			return 'this';
		}

		case 'Super': {
			return 'super';
		}

		case 'MemberExpression': {
			const object = memberPath(node.object, source);
			if (object === undefined) {
				return undefined;
			}

			if (node.computed) {
				return node.property.type === 'Literal' ? `${object}[${node.property.raw as string}]` : undefined;
			}

			return `${object}.${keyName(node.property, false, source)}`;
		}

		case 'ParenthesizedExpression': {
			return memberPath(node.expression, source);
		}

		default: {
			return undefined;
		}
	}
}

/** The name of a property key: `foo`, `#foo`, `"a b"`, `[Symbol.iterator]`. */
export function keyName(key: AnyNode, computed: boolean, source: string): string {
	if (computed) {
		const text = source.slice(key.start, key.end);
		return `[${text.length > 40 ? `${text.slice(0, 40)}…` : text}]`;
	}

	switch (key.type) {
		case 'Identifier': {
			return key.name as string;
		}

		case 'PrivateIdentifier': {
			return `#${key.name as string}`;
		}

		case 'Literal': {
			return String(key.value);
		}

		default: {
			return source.slice(key.start, key.end);
		}
	}
}

/** The binding name given to a value at `ancestors[index]`'s position, if any. */
function bindingName(ancestors: readonly AnyNode[], index: number, child: AnyNode, source: string): string | undefined {
	const {node: parent} = unwrapParent(ancestors, index);
	if (!parent) {
		return undefined;
	}

	switch (parent.type) {
		case 'VariableDeclarator': {
			return parent.init === child || isWithinParens(parent.init, child) ? memberPath(parent.id, source) : undefined;
		}

		case 'AssignmentExpression': {
			return parent.right === child || isWithinParens(parent.right, child) ? memberPath(parent.left, source) : undefined;
		}

		case 'AssignmentPattern': {
			return memberPath(parent.left, source);
		}

		case 'PropertyDefinition': {
			return undefined;
		}

		case 'ExportDefaultDeclaration': {
			return 'default';
		}

		default: {
			return undefined;
		}
	}
}

function isWithinParens(outer: AnyNode | undefined, inner: AnyNode): boolean {
	let node = outer;
	while (node?.type === 'ParenthesizedExpression') {
		node = node.expression as AnyNode;
		if (node === inner) {
			return true;
		}
	}

	return false;
}

/** The name of the class whose body holds `ancestors[index]`. */
function className(ancestors: readonly AnyNode[], classIndex: number, source: string): string {
	const classNode = ancestors[classIndex];
	if (classNode?.id) {
		return classNode.id.name as string;
	}

	return (classNode && bindingName(ancestors, classIndex - 1, classNode, source)) ?? '<anonymous class>';
}

function truncate(name: string): string {
	return name.length > maxNameLength ? `${name.slice(0, maxNameLength)}…` : name;
}

/**
 * The display name of `fn`, given its ancestors (`ancestors.at(-1)` is its
 * parent). Class members are `ClassName.member`, accessors `ClassName.get x`.
 */
export function functionName(fn: AnyNode, ancestors: readonly AnyNode[], source: string): string {
	const {node: parent, index: parentIndex} = unwrapParent(ancestors, ancestors.length - 1);
	if (parent?.type === 'MethodDefinition' || parent?.type === 'PropertyDefinition') {
		// ancestors: … Class, ClassBody, MethodDefinition
		const owner = className(ancestors, parentIndex - 2, source);
		const key = keyName(parent.key, parent.computed, source);
		const prefix = parent.kind === 'get' || parent.kind === 'set' ? `${parent.kind as string} ` : '';
		return truncate(`${owner}.${prefix}${key}`);
	}

	if (fn.id?.name) {
		return fn.id.name as string;
	}

	const kept = keptName(fn, parent);
	if (kept !== undefined) {
		return truncate(kept);
	}

	if (parent?.type === 'Property' && parent.value === fn) {
		const key = keyName(parent.key, parent.computed, source);
		const prefix = parent.kind === 'get' || parent.kind === 'set' ? `${parent.kind as string} ` : '';
		// ancestors: … ObjectExpression, Property
		const objectNode = ancestors[parentIndex - 1];
		const objectName = objectNode ? bindingName(ancestors, parentIndex - 2, objectNode, source) : undefined;
		return truncate(objectName === undefined ? `${prefix}${key}` : `${prefix}${objectName}.${key}`);
	}

	return truncate(bindingName(ancestors, ancestors.length - 1, fn, source) ?? '<anonymous>');
}
