import {context, isSpanContextValid, trace} from '@opentelemetry/api';
import {describeValue, VizPluginError, VizTracerOptionError, VizTracerOptionRangeError} from '../../core/errors.js';
import {resolveTracesEndpoint} from '../../otlp/endpoint.js';
import {exportSpans} from '../../otlp/export-spans.js';
import {exportSpansSync} from '../../otlp/send-sync.js';
import {traceToSpans, type ParentSpan, type SpanBatch} from '../../otlp/span-records.js';
import {VizPluginBase, type PluginMessage, type PluginReply} from '../plugin.js';
import type {TraceData} from '../../trace-file/trace-event.js';
import {version} from '../../trace-file/version.js';

export type OtlpPluginOptions = {
	/**
	 * The collector's OTLP/HTTP traces URL.
	 * @default `OTEL_EXPORTER_OTLP_TRACES_ENDPOINT`, else `OTEL_EXPORTER_OTLP_ENDPOINT` + `/v1/traces`, else `http://localhost:4318/v1/traces`
	 */
	endpoint?: string;
	/**
	 * How long one export may take, retries included, in milliseconds.
	 * @default `OTEL_EXPORTER_OTLP_TRACES_TIMEOUT`, else `OTEL_EXPORTER_OTLP_TIMEOUT`, else 10000
	 */
	timeoutMillis?: number;
	/**
	 * Export before `save()` returns, through a short-lived child process.
	 * Needed where no event loop runs after the save (the CLI saves at process
	 * exit); otherwise the export runs in the background and `flush()` awaits it.
	 * @default false (true when loaded with `--plugins`)
	 */
	synchronous?: boolean;
	/**
	 * Where the defaults above are read from.
	 * @default process.env
	 */
	env?: NodeJS.ProcessEnv;
};

/** The warning code of a failed export; the local trace file is written regardless. */
export const otlpExportWarningCode = 'VIZTRACER_OTLP_EXPORT_FAILED';

const defaultTimeoutMillis = 10_000;

/**
 * Sends the recorded spans to an OpenTelemetry collector at save time, with
 * their nesting, thread and process, so they sit next to the service's own
 * spans in Jaeger, Tempo or any OTLP backend. When the tracer starts inside
 * an active OpenTelemetry span, the spans join its trace under that span.
 *
 * `viztracer --plugins "viztracer/plugins/otlp http://collector:4318/v1/traces" -- app.js`
 */
export class OtlpPlugin extends VizPluginBase {
	readonly endpoint: string;
	readonly timeoutMillis: number;
	readonly synchronous: boolean;
	readonly #serviceName: string | undefined;
	#parent: ParentSpan | undefined;
	readonly #pending = new Set<Promise<void>>();

	constructor(endpointOrOptions: string | OtlpPluginOptions = {}) {
		super();
		const options = typeof endpointOrOptions === 'string' ? {endpoint: endpointOrOptions} : endpointOrOptions;
		if (typeof options !== 'object' || options === null) {
			throw new VizTracerOptionError('options', options, 'an endpoint URL string or an options object');
		}

		const env = options.env ?? process.env;
		this.endpoint = resolveTracesEndpoint(options.endpoint, env);
		try {
			new URL(this.endpoint); // eslint-disable-line no-new
		} catch {
			throw new VizTracerOptionError('endpoint', this.endpoint, 'an absolute http(s) URL');
		}

		const timeout = options.timeoutMillis ?? Number(env['OTEL_EXPORTER_OTLP_TRACES_TIMEOUT'] ?? env['OTEL_EXPORTER_OTLP_TIMEOUT'] ?? defaultTimeoutMillis);
		if (!Number.isInteger(timeout) || timeout <= 0) {
			throw new VizTracerOptionRangeError('timeoutMillis', timeout, 'an integer > 0');
		}

		this.timeoutMillis = timeout;
		this.synchronous = options.synchronous ?? false;
		this.#serviceName = env['OTEL_SERVICE_NAME'] || undefined;
	}

	override supportVersion(): string {
		return version;
	}

	override message(...message: PluginMessage): PluginReply {
		const [mType, payload] = message;
		if (mType === 'event' && payload.when === 'pre-start') {
			const active = trace.getSpanContext(context.active());
			this.#parent = active !== undefined && isSpanContextValid(active) ? {traceId: active.traceId, spanId: active.spanId} : undefined;
			return {};
		}

		if (mType === 'event' && payload.when === 'pre-save') {
			return {action: 'handle_data', handler: data => this.#export(data)};
		}

		return super.message(...message);
	}

	/** Resolves once every export started so far has finished (failures are warnings, so it never rejects). */
	async flush(): Promise<void> {
		await Promise.all(this.#pending);
	}

	// Runs as a pre-save handler; the trace file is written after it, so it
	// must not throw for a collector that is down: that is a warning.
	#export(data: TraceData): void {
		const batch = traceToSpans(data, {parent: this.#parent, serviceName: this.#serviceName});
		if (batch.spans.length === 0) {
			return;
		}

		const options = {url: this.endpoint, timeoutMillis: this.timeoutMillis};
		if (this.synchronous) {
			const failure = exportSpansSync(batch, options);
			if (failure) {
				this.#warn(batch, failure);
			}

			return;
		}

		const pending = exportSpans(batch, options).catch((error: unknown) => {
			this.#warn(batch, error);
		}).finally(() => {
			this.#pending.delete(pending);
		});
		this.#pending.add(pending);
	}

	#warn(batch: SpanBatch, error: unknown): void {
		const reason = error instanceof Error ? error.message : String(error);
		const warning = Object.assign(new Error(`Could not export ${batch.spans.length} spans to the OTLP collector at ${this.endpoint}: ${reason}; the local trace file is unaffected`), {name: 'VizPluginWarning', code: otlpExportWarningCode});
		// Emitted now rather than through process.emitWarning(), which defers to
		// the next tick: the CLI saves in an `exit` handler, after which no tick
		// comes, and the warning would vanish. Node's own listener prints it
		// (unless --no-warnings), and user listeners see it as usual.
		process.emit('warning', warning);
	}
}

/** `--plugins "viztracer/plugins/otlp [URL] [--timeout MS]"`: exports synchronously, since the CLI saves at exit. */
export function getVizplugin(arg: string): OtlpPlugin {
	const words = arg.trim().split(/\s+/).slice(1);
	let endpoint: string | undefined;
	let timeoutMillis: number | undefined;
	for (let index = 0; index < words.length; index++) {
		const word = words[index]!;
		if (word === '--timeout' || word === '-t') {
			timeoutMillis = Number(words[++index]);
			if (!Number.isInteger(timeoutMillis) || timeoutMillis <= 0) {
				throw new VizPluginError('viztracer/plugins/otlp', `viztracer/plugins/otlp: --timeout takes a number of milliseconds > 0, got ${describeValue(words[index])}`);
			}
		} else if (endpoint === undefined && !word.startsWith('-')) {
			endpoint = word;
		} else {
			throw new VizPluginError('viztracer/plugins/otlp', `viztracer/plugins/otlp takes an optional collector URL and an optional --timeout MS, got ${describeValue(word)}`);
		}
	}

	return new OtlpPlugin({endpoint, timeoutMillis, synchronous: true});
}
