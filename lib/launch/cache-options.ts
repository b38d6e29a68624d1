/**
 * `VIZTRACER_CACHE_DIR` moves the transform cache; it is held to the same
 * rules as the default folder (created with mode 0700, refused when another
 * user owns it or others may write to it). `VIZTRACER_NO_CACHE=1` turns it off.
 */
export function cacheOptions(environment: NodeJS.ProcessEnv): {cacheDir?: string | false} {
	if (environment['VIZTRACER_NO_CACHE'] === '1') {
		return {cacheDir: false};
	}

	const directory = environment['VIZTRACER_CACHE_DIR'];
	return directory ? {cacheDir: directory} : {};
}
