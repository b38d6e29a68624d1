import path from 'node:path';

// Test runners that evaluate test files with a module runner of their own
// (Vite's, jest's vm contexts), out of reach of Node's module hooks: run
// under `--run`, only the runner's own code would be traced. Each has an
// integration that plugs into the runner instead.
const runners: Array<{name: string; test: RegExp; recipe: string}> = [
	{name: 'vitest', test: /[\\/]node_modules[\\/]vitest[\\/]/, recipe: 'add `plugins: [viztracer()]` (`import viztracer from \'viztracer/vitest\'`) to vitest.config.* and run vitest as usual'},
	{name: 'jest', test: /[\\/]node_modules[\\/](jest|jest-cli)[\\/]/, recipe: 'wrap jest.config.* in `require(\'viztracer/jest\').withViztracer({...})` and run jest as usual'},
];

/** What to tell a user who runs a test runner under `--run`, or undefined for any other bin. */
export function runnerHint(binFile: string): string | undefined {
	const file = path.resolve(binFile);
	const runner = runners.find(candidate => candidate.test.test(file));
	return runner === undefined
		? undefined
		: `viztracer: ${runner.name} runs test files through its own module runner, which Node's module hooks do not see, so this traces ${runner.name} itself, not the tests; for one trace per test, ${runner.recipe} (see "Trace your tests" in viztracer's README)\n`;
}
