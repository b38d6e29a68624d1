/** `VIZTRACER_CACHE_DIR` moves the transform cache; `VIZTRACER_NO_CACHE=1` turns it off. */
export function cacheOptions(environment: NodeJS.ProcessEnv): {cacheDir?: string | false} {
	if (environment['VIZTRACER_NO_CACHE'] === '1') {
		return {cacheDir: false};
	}

	const directory = environment['VIZTRACER_CACHE_DIR'];
	return directory ? {cacheDir: directory} : {};
}
