// TypeScript fixtures (they use `using` and TC39 decorators, which Node 20
// cannot parse): transpiled to runnable ES modules, and type-checked against
// the package's published typings.
import fs from 'node:fs';
import path from 'node:path';
import ts from 'typescript';
import {rootDir} from './exec.js';

export const indexUrl = new URL('../../dist/index.js', import.meta.url).href;

const flatten = diagnostic => ts.flattenDiagnosticMessageText(diagnostic.messageText, '\n');

/** Transpiles `source` (TS downlevels `using` and decorators), pointing its `viztracer` import at the built package. */
export function transpileFixture(source) {
	const {outputText, diagnostics} = ts.transpileModule(fs.readFileSync(source, 'utf8'), {
		fileName: path.basename(source),
		reportDiagnostics: true,
		compilerOptions: {target: ts.ScriptTarget.ES2022, module: ts.ModuleKind.ESNext},
	});
	return {
		code: outputText.replaceAll(/from (["'])viztracer\1/g, `from ${JSON.stringify(indexUrl)}`),
		diagnostics: diagnostics.map(flatten),
	};
}

/** The type errors of `files`, checked strictly as a user's NodeNext project would be. */
export function typeErrors(files) {
	const program = ts.createProgram(files, {
		target: ts.ScriptTarget.ES2022,
		module: ts.ModuleKind.NodeNext,
		moduleResolution: ts.ModuleResolutionKind.NodeNext,
		lib: ['lib.es2023.d.ts', 'lib.esnext.disposable.d.ts', 'lib.esnext.decorators.d.ts'],
		types: ['node'],
		strict: true,
		noEmit: true,
		skipLibCheck: true,
	});
	return ts.getPreEmitDiagnostics(program).map(flatten);
}

export const typescriptFixture = name => path.join(rootDir, 'test', 'fixtures', 'typescript', name);
