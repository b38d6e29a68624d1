// Module hook (runs on the loader thread): imports of `node:test` resolve to
// the traced API, except the traced API's own import of the original.
type ResolveResult = {url: string; shortCircuit?: boolean; format?: string};
type NextResolve = (specifier: string, context: {parentURL?: string}) => Promise<ResolveResult>;

let tracedUrl = '';

export function initialize(data: {tracedUrl: string}): void {
	tracedUrl = data.tracedUrl;
}

export async function resolve(specifier: string, context: {parentURL?: string}, next: NextResolve): Promise<ResolveResult> {
	if (specifier === 'node:test' && context.parentURL !== tracedUrl) {
		return {url: tracedUrl, shortCircuit: true, format: 'module'};
	}

	return next(specifier, context);
}
