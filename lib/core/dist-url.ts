/**
 * The URL of `file`, a path under the package's dist/ folder (such as
 * `otlp/sender.js`), seen from `from`, the `import.meta.url` of any module
 * of dist/. The package ships its entry points bundled, so the code of a
 * module may run from dist/chunks/, from an entry point one or two folders
 * deep, or from its own place: the nearest folder named dist above it is the
 * one fixed point. (Outside a dist/ folder, as when the sources run
 * directly, the folder above the module's own stands for it.)
 */
export function distUrl(file: string, from: string): URL {
	let directory = new URL('.', from);
	while (!directory.pathname.endsWith('/dist/')) {
		const parent = new URL('..', directory);
		if (parent.href === directory.href) {
			return new URL(`../${file}`, from);
		}

		directory = parent;
	}

	return new URL(file, directory);
}
