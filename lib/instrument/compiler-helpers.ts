import type {Node} from 'acorn';

type AnyNode = Node & Record<string, any>;

// The helpers compilers put at the top of the code they emit (esbuild, as tsx
// and esbuild-register run it; TypeScript's own emit, as ts-node runs it, and
// tslib's names; swc, as @swc-node/register runs it; Babel). They are not the
// program's functions: instrumented, `__name` alone would be a span per class
// and function defined. Left uninstrumented, their time counts in their
// caller's span, which is where a developer looks for it.
const helperNames = new Set([
	// esbuild
	'__name', '__defProp', '__defNormalProp', '__publicField', '__privateGet', '__privateSet', '__privateAdd', '__privateMethod',
	'__privateWrapper', '__privateIn', '__accessCheck', '__async', '__spreadValues', '__spreadProps', '__objRest', '__export',
	'__copyProps', '__toESM', '__toCommonJS', '__reExport', '__commonJS', '__esm', '__require', '__create', '__getProtoOf',
	'__getOwnPropNames', '__getOwnPropDesc', '__hasOwnProp', '__propIsEnum', '__getOwnPropSymbols', '__knownSymbol', '__typeError',
	'__decoratorStart', '__decorateElement', '__decoratorMetadata', '__decorateParam', '__decoratorStrings', '__expectFn',
	'__legacyDecorateClassTS', '__legacyDecorateParamTS', '__legacyMetadataTS', '__using', '__callDispose', '__asyncGenerator',
	'__yieldStar', '__forAwait', '__superGet', '__superSet', '__superWrapper', '__pow', '__template', '__restKey', '__earlyAccess',
	// TypeScript's emit and tslib
	'__extends', '__assign', '__rest', '__decorate', '__param', '__esDecorate', '__runInitializers', '__propKey', '__setFunctionName',
	'__metadata', '__awaiter', '__generator', '__createBinding', '__exportStar', '__values', '__read', '__spread', '__spreadArrays',
	'__spreadArray', '__await', '__asyncDelegator', '__asyncValues', '__makeTemplateObject', '__setModuleDefault', '__importStar',
	'__importDefault', '__classPrivateFieldGet', '__classPrivateFieldSet', '__classPrivateFieldIn', '__addDisposableResource',
	'__disposeResources', '__rewriteRelativeImportExtension',
	// swc
	'_class_call_check', '_create_class', '_defineProperties', '_define_property', '_async_to_generator', 'asyncGeneratorStep',
	'_ts_decorate', '_ts_metadata', '_ts_param', '_ts_generator', '_ts_values', '_interop_require_default', '_interop_require_wildcard',
	'_getRequireWildcardCache', '_export_star', '_export', '_object_spread', '_object_spread_props', '_object_without_properties',
	'_object_without_properties_loose', '_class_private_field_get', '_class_private_field_set', '_class_private_field_init',
	'_class_private_field_loose_base', '_class_private_field_loose_key', '_class_private_method_get', '_class_private_method_init',
	'_check_private_redeclaration', '_class_apply_descriptor_get', '_class_apply_descriptor_set', '_class_extract_field_descriptor',
	'_class_static_private_field_spec_get', '_get_prototype_of', '_set_prototype_of', '_inherits', '_create_super', '_call_super',
	'_possible_constructor_return', '_assert_this_initialized', '_is_native_reflect_construct', '_type_of', '_to_property_key',
	'_to_primitive', '_sliced_to_array', '_to_consumable_array', '_array_like_to_array', '_array_with_holes', '_array_without_holes',
	'_iterable_to_array', '_iterable_to_array_limit', '_non_iterable_rest', '_non_iterable_spread', '_unsupported_iterable_to_array',
	'_using_ctx', '_apply_decs_2203_r', '_identity', '_await_async_generator', '_wrap_async_generator', '_async_iterator',
	'_tagged_template_literal', '_extends', '_get', '_super_prop_base', '_wrap_native_super', '_construct', '_is_native_function',
	// Babel
	'_classCallCheck', '_createClass', '_defineProperty', '_toPropertyKey', '_toPrimitive', '_typeof', '_asyncToGenerator',
	'_interopRequireDefault', '_interopRequireWildcard', '_inherits', '_setPrototypeOf', '_getPrototypeOf', '_createSuper',
	'_callSuper', '_possibleConstructorReturn', '_assertThisInitialized', '_isNativeReflectConstruct', '_classPrivateFieldGet',
	'_classPrivateFieldSet', '_classPrivateFieldGet2', '_classPrivateFieldSet2', '_classPrivateFieldInitSpec', '_assertClassBrand',
	'_checkPrivateRedeclaration', '_classPrivateMethodInitSpec', '_objectSpread', '_objectSpread2', 'ownKeys', '_objectWithoutProperties',
	'_objectWithoutPropertiesLoose', '_slicedToArray', '_toConsumableArray', '_arrayLikeToArray', '_unsupportedIterableToArray',
	'_iterableToArray', '_iterableToArrayLimit', '_arrayWithHoles', '_arrayWithoutHoles', '_nonIterableRest', '_nonIterableSpread',
	'_regeneratorRuntime', '_regenerator', '_regeneratorDefine', '_wrapNativeSuper', '_isNativeFunction', '_construct', '_decorate',
	'_applyDecs2311', '_usingCtx', '_awaitAsyncGenerator', '_wrapAsyncGenerator', '_asyncIterator', '_taggedTemplateLiteral',
	'_initializerDefineProperty', '_applyDecoratedDescriptor', '_superPropBase', '_superPropGet', '_superPropSet', '_readOnlyError',
]);

/**
 * Whether `node`, a statement of the program's top level or a declarator of
 * one (`ancestors` is [Program] or [Program, VariableDeclaration]), defines
 * a compiler helper: everything inside it is left uninstrumented.
 */
export function isCompilerHelper(node: AnyNode, ancestors: readonly AnyNode[]): boolean {
	if (ancestors[0]?.type !== 'Program') {
		return false;
	}

	if (ancestors.length === 1 && node.type === 'FunctionDeclaration') {
		return helperNames.has(node.id?.name as string);
	}

	return ancestors.length === 2 && ancestors[1]!.type === 'VariableDeclaration' && node.type === 'VariableDeclarator' && node.id.type === 'Identifier' && helperNames.has(node.id.name as string);
}

/**
 * The name esbuild's `keepNames` (which tsx turns on) gives a function it
 * wraps, `__name(fn, "name")`: the name V8 shows for it at run time.
 */
export function keptName(fn: AnyNode, parent: AnyNode | undefined): string | undefined {
	if (parent?.type !== 'CallExpression' || parent.callee.type !== 'Identifier' || parent.callee.name !== '__name' || parent.arguments.length !== 2) {
		return undefined;
	}

	let first = parent.arguments[0] as AnyNode;
	while (first.type === 'ParenthesizedExpression') {
		first = first.expression as AnyNode;
	}

	const name = parent.arguments[1] as AnyNode;
	return first === fn && name.type === 'Literal' && typeof name.value === 'string' ? name.value : undefined;
}

const unwrap = (node: AnyNode): AnyNode => {
	let inner = node;
	while (inner.type === 'ParenthesizedExpression') {
		inner = inner.expression as AnyNode;
	}

	return inner;
};

/** The nearest ancestor that is not a parenthesis, and its index. */
function parentOf(ancestors: readonly AnyNode[], from = ancestors.length - 1): {node: AnyNode | undefined; index: number} {
	let index = from;
	while (index >= 0 && ancestors[index]!.type === 'ParenthesizedExpression') {
		index--;
	}

	return {node: ancestors[index], index};
}

const isName = (node: AnyNode | undefined, name: string) => node?.type === 'Identifier' && node.name === name;

/** `X || {}`, `X || (X = {})`, `X || (exports.X = X = {})`: the object a compiled enum or namespace fills. Returns X's name. */
function enumTarget(argument: AnyNode): string | undefined {
	const node = unwrap(argument);
	if (node.type !== 'LogicalExpression' || node.operator !== '||') {
		return undefined;
	}

	let right = unwrap(node.right as AnyNode);
	while (right.type === 'AssignmentExpression') {
		right = unwrap(right.right as AnyNode);
	}

	const left = unwrap(node.left as AnyNode);
	const name = left.type === 'Identifier' ? left.name as string : (left.type === 'MemberExpression' && left.property.type === 'Identifier' ? left.property.name as string : undefined);
	return right.type === 'ObjectExpression' && right.properties.length === 0 ? name : undefined;
}

/**
 * Whether `fn` is a function a compiler made out of a declaration, not one
 * the program wrote: the getters of a CommonJS module's exports (esbuild's
 * `__export(x, {a: () => a})`, swc's `_export(exports, {a: function() {…}})`,
 * TypeScript's `Object.defineProperty(exports, "a", {get: function () {…}})`)
 * and the function that fills a compiled `enum` or `namespace`
 * (`(function (Color) {…})(Color || (Color = {}))`). The functions inside
 * the latter (a namespace's) stay instrumented.
 */
export function isCompiledDeclaration(fn: AnyNode, ancestors: readonly AnyNode[]): boolean {
	const {node: parent, index} = parentOf(ancestors);
	if (parent?.type === 'Property' && parent.value === fn) {
		const call = ancestors[index - 2];
		if (ancestors[index - 1]?.type !== 'ObjectExpression' || call?.type !== 'CallExpression') {
			return false;
		}

		const {callee} = call;
		if (isName(callee, '__export') || isName(callee, '_export')) {
			return true;
		}

		return callee.type === 'MemberExpression' && isName(callee.object, 'Object') && isName(callee.property, 'defineProperty') && isName(unwrap(call.arguments[0] as AnyNode), 'exports') && parent.kind === 'init' && isName(parent.key, 'get');
	}

	if (parent?.type !== 'CallExpression' || unwrap(parent.callee as AnyNode) !== fn || parent.arguments.length !== 1 || fn.params.length !== 1 || fn.params[0].type !== 'Identifier') {
		return false;
	}

	const parameter = fn.params[0].name as string;
	const target = enumTarget(parent.arguments[0] as AnyNode);
	if (target !== undefined) {
		// esbuild renames the parameter (`Color2`).
		return parameter === target || new RegExp(`^${target}\\d+$`).test(parameter);
	}

	// swc: `var Color = function(Color) {…; return Color;}({});`
	const argument = unwrap(parent.arguments[0] as AnyNode);
	const declarator = parentOf(ancestors, parentOf(ancestors).index - 1).node;
	return argument.type === 'ObjectExpression' && argument.properties.length === 0 && declarator?.type === 'VariableDeclarator' && isName(declarator.id, parameter);
}
