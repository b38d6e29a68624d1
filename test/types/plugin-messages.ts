// Type-level tests: `tsc -p test/types` must pass, and each `@ts-expect-error`
// line must really be an error (tsc fails on an unused one). They prove that a
// misspelt protocol key or an unknown event fails to compile.
import {
	VizPluginBase,
	VizTracer,
	type PluginMessage,
	type PluginReply,
	type VizPlugin,
} from '../../lib/index.js';

class GoodPlugin extends VizPluginBase {
	override supportVersion(): string {
		return '0.1.0';
	}

	override message(...[mType, payload]: PluginMessage): PluginReply {
		if (mType === 'event') {
			// The payload is narrowed to the event payload by the message type.
			if (payload.when === 'pre-save') {
				return {action: 'handle_data', handler: data => {
					data.traceEvents.push({ph: 'i', name: 'x', pid: 1, tid: 1, ts: 0});
				}};
			}

			// @ts-expect-error: 'pre-strat' is not an event.
			if (payload.when === 'pre-strat') {
				return {};
			}

			// @ts-expect-error: event payloads have `when`, not `cmd_type`.
			return payload.cmd_type;
		}

		// @ts-expect-error: command payloads have `cmd_type`, not `when`.
		void payload.when;
		return {success: payload.cmd_type === 'terminate'};
	}
}

class MisspeltReplies extends VizPluginBase {
	override supportVersion(): string {
		return '0.1.0';
	}

	override message(...[mType]: PluginMessage): PluginReply {
		if (mType === 'event') {
			// @ts-expect-error: `actoin` is misspelt.
			return {actoin: 'handle_data', handler: () => {}};
		}

		// @ts-expect-error: `sucess` is misspelt.
		return {sucess: true};
	}
}

class UnknownAction extends VizPluginBase {
	override supportVersion(): string {
		return '0.1.0';
	}

	override message(): PluginReply {
		// @ts-expect-error: the only action is 'handle_data'.
		return {action: 'handle_dat', handler: () => {}};
	}
}

const plain: VizPlugin = {
	supportVersion: () => '0.1.0',
	message: (mType, payload) => (mType === 'command' && payload.cmd_type === 'terminate' ? {success: true} : undefined),
};

const base = new VizPluginBase();
base.message('event', {when: 'initialize'});
base.message('command', {cmd_type: 'terminate'});
// @ts-expect-error: 'start' is not an event.
base.message('event', {when: 'start'});
// @ts-expect-error: an event message cannot carry a command payload.
base.message('event', {cmd_type: 'terminate'});
// @ts-expect-error: 'stop' is not a command.
base.message('command', {cmd_type: 'stop'});
// @ts-expect-error: 'action' is not a message type.
base.message('action', {when: 'initialize'});

const tracer = new VizTracer({plugins: [new GoodPlugin(), new MisspeltReplies(), new UnknownAction(), plain, 'some-module arg']});
tracer.on('pre-save', data => {
	data.viztracer_metadata.overflow satisfies boolean;
});
// @ts-expect-error: not an event the tracer emits.
tracer.on('pre-strat', () => {});

// @ts-expect-error: unknown option.
void new VizTracer({outputFiel: 'x.json'});
// @ts-expect-error: verbose is 0 or 1.
void new VizTracer({verbose: 2});
// @ts-expect-error: plugins are objects or strings.
void new VizTracer({plugins: [42]});

// `start()` returns the tracer, for `using tracer = new VizTracer().start()`.
const started: VizTracer = new VizTracer().start();
void started;
