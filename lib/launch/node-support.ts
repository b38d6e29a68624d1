/**
 * Why this Node.js cannot run viztracer, or undefined where it can.
 * viztracer ships ES modules, and CommonJS code loads them with require():
 * `-r viztracer/register`, a jest config's `require('viztracer/jest')`,
 * the first line of an `eval` worker, a plugin. Node.js has that from
 * 20.19 and 22.12 on (package.json's engines); 22.0-22.11 throw
 * ERR_REQUIRE_ESM there, and so does --no-experimental-require-module.
 */
export function unsupportedNodeReason(): string | undefined {
	if ((process.features as {require_module?: boolean}).require_module === true) {
		return undefined;
	}

	const [major = 0, minor = 0] = process.versions.node.split('.').map(Number);
	const versionHasIt = (major === 20 && minor >= 19) || (major === 22 && minor >= 12) || major >= 23;
	return versionHasIt
		? 'require() of ES modules is turned off (--no-experimental-require-module), and viztracer needs it: leave the flag out'
		: `Node.js ${process.version} cannot require() ES modules, which viztracer needs: use Node.js 20.19+ or 22.12+`;
}
