// Which properties of an ESTree node hold its child nodes, in source order,
// for the node types acorn and oxc-parser produce from JavaScript. Walking
// these lists instead of every property with `for…in` is most of what the
// transform's walk costs on a large file (typescript.js: about 0.5 s of
// 0.8 s on Node 24), since a node also carries flags, names, values and,
// from oxc, empty decorator lists. A type missing from the table is walked
// through all of its properties, so a node kind added by a newer parser is
// still visited.

const noChildren: readonly string[] = [];
const functionKeys = ['id', 'params', 'body'];
const classKeys = ['decorators', 'id', 'superClass', 'body'];
const memberKeys = ['decorators', 'key', 'value'];
const binaryKeys = ['left', 'right'];
const argumentKeys = ['argument'];
const expressionKeys = ['expression'];
const bodyKeys = ['body'];
const calleeKeys = ['callee', 'arguments'];
const conditionalKeys = ['test', 'consequent', 'alternate'];

const keysByType = new Map<string, readonly string[]>([
	['Program', ['hashbang', 'body']],
	['Hashbang', noChildren],
	['Identifier', noChildren],
	['PrivateIdentifier', noChildren],
	['Literal', noChildren],
	['ThisExpression', noChildren],
	['Super', noChildren],
	['EmptyStatement', noChildren],
	['DebuggerStatement', noChildren],
	['TemplateElement', noChildren],
	['ExpressionStatement', expressionKeys],
	['ParenthesizedExpression', expressionKeys],
	['ChainExpression', expressionKeys],
	['Decorator', expressionKeys],
	['BlockStatement', bodyKeys],
	['StaticBlock', bodyKeys],
	['ClassBody', bodyKeys],
	['WithStatement', ['object', 'body']],
	['ReturnStatement', argumentKeys],
	['ThrowStatement', argumentKeys],
	['UnaryExpression', argumentKeys],
	['UpdateExpression', argumentKeys],
	['YieldExpression', argumentKeys],
	['AwaitExpression', argumentKeys],
	['SpreadElement', argumentKeys],
	['RestElement', argumentKeys],
	['LabeledStatement', ['label', 'body']],
	['BreakStatement', ['label']],
	['ContinueStatement', ['label']],
	['IfStatement', conditionalKeys],
	['ConditionalExpression', conditionalKeys],
	['SwitchStatement', ['discriminant', 'cases']],
	['SwitchCase', ['test', 'consequent']],
	['TryStatement', ['block', 'handler', 'finalizer']],
	['CatchClause', ['param', 'body']],
	['WhileStatement', ['test', 'body']],
	['DoWhileStatement', ['body', 'test']],
	['ForStatement', ['init', 'test', 'update', 'body']],
	['ForInStatement', ['left', 'right', 'body']],
	['ForOfStatement', ['left', 'right', 'body']],
	['FunctionDeclaration', functionKeys],
	['FunctionExpression', functionKeys],
	['ArrowFunctionExpression', ['params', 'body']],
	['VariableDeclaration', ['declarations']],
	['VariableDeclarator', ['id', 'init']],
	['ArrayExpression', ['elements']],
	['ArrayPattern', ['elements']],
	['ObjectExpression', ['properties']],
	['ObjectPattern', ['properties']],
	['Property', ['key', 'value']],
	['AssignmentPattern', binaryKeys],
	['AssignmentExpression', binaryKeys],
	['BinaryExpression', binaryKeys],
	['LogicalExpression', binaryKeys],
	['MemberExpression', ['object', 'property']],
	['CallExpression', calleeKeys],
	['NewExpression', calleeKeys],
	['SequenceExpression', ['expressions']],
	['TemplateLiteral', ['quasis', 'expressions']],
	['TaggedTemplateExpression', ['tag', 'quasi']],
	['ClassDeclaration', classKeys],
	['ClassExpression', classKeys],
	['MethodDefinition', memberKeys],
	['PropertyDefinition', memberKeys],
	['AccessorProperty', memberKeys],
	['MetaProperty', ['meta', 'property']],
	['ImportExpression', ['source', 'options']],
	['ImportDeclaration', ['specifiers', 'source', 'attributes']],
	['ImportSpecifier', ['imported', 'local']],
	['ImportDefaultSpecifier', ['local']],
	['ImportNamespaceSpecifier', ['local']],
	['ImportAttribute', ['key', 'value']],
	['ExportNamedDeclaration', ['declaration', 'specifiers', 'source', 'attributes']],
	['ExportDefaultDeclaration', ['declaration']],
	['ExportAllDeclaration', ['exported', 'source', 'attributes']],
	['ExportSpecifier', ['local', 'exported']],
]);

/** The properties of `node` that may hold child nodes (or arrays of them), in source order. */
export function childKeys(node: {type: string}): readonly string[] {
	return keysByType.get(node.type) ?? Object.keys(node).filter(key => key !== 'type' && key !== 'start' && key !== 'end');
}

/** Calls `callback` with each child node of `node`, in source order. */
export function forEachChild<N extends {type: string}>(node: N, callback: (child: N) => void): void {
	for (const key of childKeys(node)) {
		const value = (node as Record<string, any>)[key];
		if (Array.isArray(value)) {
			for (const item of value) {
				if (item && typeof item.type === 'string') {
					callback(item);
				}
			}
		} else if (value && typeof value.type === 'string') {
			callback(value);
		}
	}
}
