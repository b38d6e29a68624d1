/// <reference path="./oxc-internals.d.ts" />
// The native parser (oxc-parser), for a cache miss on Node 22+: the build
// bundles this file into dist/instrument/native-parser.cjs, which
// cold-path-loader.ts compiles on first use, handing it a `require` that
// reaches Node's builtins and the parser's own binary (process.dlopen),
// nothing else. Its raw transfer (the syntax tree handed over in one
// buffer) needs buffers larger than Node 20 allows. oxc parses
// typescript.js six times as fast as acorn here, to an ESTree tree with the
// same UTF-16 offsets (benchmarks/README.md).
import {isJsAst, parseSyncRawImpl, returnBufferToCache} from 'oxc-parser/src-js/raw-transfer/common.js';
import {deserialize} from 'oxc-parser/src-js/generated/deserialize/js.js';
import type {NativeParse} from './parse-program.js';

export const parseNative: NativeParse = (source, sourceType) => parseSyncRawImpl('file.js', source, {sourceType: sourceType === 'script' ? 'commonjs' : 'module', lang: 'js', preserveParens: true}, (buffer, text, start, length) => {
	if (!isJsAst(buffer)) {
		throw new Error('viztracer: the native parser read JavaScript as TypeScript');
	}

	const data = deserialize(buffer, text, start, length);
	returnBufferToCache(buffer);
	return data;
});
