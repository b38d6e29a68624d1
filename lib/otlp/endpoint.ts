/** Where the OTLP/HTTP trace exporter sends when nothing else is said (the OpenTelemetry default). */
export const defaultTracesEndpoint = 'http://localhost:4318/v1/traces';

/**
 * The collector URL: the explicit one, else the standard variables, in the
 * order the OpenTelemetry specification gives them. The signal-specific
 * variable is used as is; the generic one is a base URL that gets `/v1/traces`.
 */
export function resolveTracesEndpoint(explicit: string | undefined, env: NodeJS.ProcessEnv): string {
	const traces = env['OTEL_EXPORTER_OTLP_TRACES_ENDPOINT']?.trim();
	const base = env['OTEL_EXPORTER_OTLP_ENDPOINT']?.trim();
	if (explicit !== undefined && explicit !== '') {
		return explicit;
	}

	if (traces) {
		return traces;
	}

	if (base) {
		return `${base.replace(/\/+$/, '')}/v1/traces`;
	}

	return defaultTracesEndpoint;
}
