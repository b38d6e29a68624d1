import path from 'node:path';

// Test runners that evaluate test files with a module runner of their own
// (Vite's, jest's vm contexts), out of reach of Node's module hooks: run
// under `--run`, only the runner's own code would be traced. Each has an
// integration that plugs into the runner instead; vitest's is added to the
// run by the CLI (vitest-run.ts), jest's is the user's to configure.
const runners: Array<{name: string; test: RegExp; recipe: string}> = [
	{name: 'vitest', test: /[\\/]node_modules[\\/]vitest[\\/]/, recipe: 'add `plugins: [viztracer()]` (`import viztracer from \'viztracer/vitest\'`) to vitest.config.* and run vitest as usual'},
	{name: 'jest', test: /[\\/]node_modules[\\/](jest|jest-cli)[\\/]/, recipe: 'wrap jest.config.* in `require(\'viztracer/jest\').withViztracer({...})` and run jest as usual'},
];

/** Which of these test runners `binFile` is, if any. */
export function testRunnerOf(binFile: string): 'vitest' | 'jest' | undefined {
	const file = path.resolve(binFile);
	return runners.find(candidate => candidate.test.test(file))?.name as 'vitest' | 'jest' | undefined;
}

/** What to tell a user who runs a test runner under `--run` that the CLI cannot plug into itself, or undefined for any other bin. */
export function runnerHint(binFile: string): string | undefined {
	const name = testRunnerOf(binFile);
	const runner = name === 'vitest' ? undefined : runners.find(candidate => candidate.name === name);
	return runner === undefined
		? undefined
		: `viztracer: ${runner.name} runs test files through its own module runner, which Node's module hooks do not see, so this traces ${runner.name} itself, not the tests; for one trace per test, ${runner.recipe} (see "Trace your tests" in viztracer's README)\n`;
}
