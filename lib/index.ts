export {getTracer, VizTracer} from './tracer/tracer.js';
export type {VizTracerEvents} from './tracer/tracer.js';
export {VizPluginBase} from './plugins/plugin.js';
export type {
	GetVizplugin,
	HandleDataAction,
	PluginCommandPayload,
	PluginCommandReply,
	PluginDataHandler,
	PluginEventPayload,
	PluginEventReply,
	PluginEventWhen,
	PluginMessage,
	PluginMessageType,
	PluginReply,
	PluginSpec,
	VizPlugin,
} from './plugins/plugin.js';
export {loadPlugin} from './plugins/plugin-loader.js';
export {VizCounter} from './events/viz-counter.js';
export type {VizCounterOptions} from './events/viz-counter.js';
export {VizObject} from './events/viz-object.js';
export type {VizObjectOptions} from './events/viz-object.js';
export {trace} from './events/trace-decorator.js';
export {ignoreFunction} from './events/ignore-function.js';
export {logSparse} from './events/log-sparse.js';
export type {LogSparseOptions} from './events/log-sparse.js';
export {traceAndSave} from './events/trace-and-save.js';
export type {TraceAndSaveOptions} from './events/trace-and-save.js';
export type {Span} from './core/span.js';
export type {VizTracerOptions, ResolvedOptions} from './tracer/options.js';
export {defaultOptions} from './tracer/options.js';
export type {TraceData, TraceEvent, VizTracerMetadata} from './trace-file/trace-event.js';
export {
	ErrorCode,
	VizPluginError,
	VizTracerArgumentError,
	VizTracerInvalidPluginError,
	VizTracerOptionError,
	VizTracerOptionRangeError,
	VizTracerSaveError,
	VizTracerStateError,
	VizTracerTraceNotFoundError,
	VizTracerInvalidTraceError,
	VizTracerTraceUnreadableError,
	VizTracerUnwritableTraceError,
	VizTracerTraceTooLargeError,
	VizViewerPortInUseError,
	VizTracerAttachError,
	TypeScriptSyntaxError,
} from './core/errors.js';
export {computeTraceStats} from './stats/trace-stats.js';
export type {TraceStats} from './stats/trace-stats.js';
export type {FunctionStats} from './stats/function-stats.js';
export {version} from './trace-file/version.js';
export {instrument} from './instrument/install.js';
export type {InstrumentOptions} from './instrument/config.js';
