export {VizTracer} from './tracer.js';
export type {VizTracerEvents} from './tracer.js';
export {getTracer} from './current-tracer.js';
export {VizPluginBase} from './plugin.js';
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
} from './plugin.js';
export {loadPlugin} from './plugin-loader.js';
export {VizCounter} from './viz-counter.js';
export type {VizCounterOptions} from './viz-counter.js';
export {VizObject} from './viz-object.js';
export type {VizObjectOptions} from './viz-object.js';
export {trace} from './trace-decorator.js';
export {ignoreFunction} from './ignore-function.js';
export {logSparse} from './log-sparse.js';
export type {LogSparseOptions} from './log-sparse.js';
export {traceAndSave} from './trace-and-save.js';
export type {TraceAndSaveOptions} from './trace-and-save.js';
export type {Span} from './span.js';
export type {VizTracerOptions, ResolvedOptions} from './options.js';
export {defaultOptions} from './options.js';
export type {TraceData, TraceEvent, VizTracerMetadata} from './trace-event.js';
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
	VizViewerPortInUseError,
} from './errors.js';
export {computeTraceStats} from './stats/trace-stats.js';
export type {TraceStats} from './stats/trace-stats.js';
export type {FunctionStats} from './stats/function-stats.js';
export {version} from './version.js';
export {instrument} from './instrument/install.js';
export type {InstrumentOptions} from './instrument/config.js';
