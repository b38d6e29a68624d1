import path from 'node:path';

// Test runners that evaluate test files with a module runner of their own
// (Vite's, jest's vm contexts), out of reach of Node's module hooks: under
// `--run`, only the runner's own code would be traced, so the CLI plugs the
// runner's integration into the run (vitest-run.ts, jest-run.ts).
const runners: Array<{name: 'vitest' | 'jest'; test: RegExp}> = [
	{name: 'vitest', test: /[\\/]node_modules[\\/]vitest[\\/]/},
	{name: 'jest', test: /[\\/]node_modules[\\/](jest|jest-cli)[\\/]/},
];

/** Which of these test runners the bin `binFile` is, if any. */
export function testRunnerOf(binFile: string): 'vitest' | 'jest' | undefined {
	const file = path.resolve(binFile);
	return runners.find(candidate => candidate.test.test(file))?.name;
}
