import {describeValue, VizTracerArgumentError} from '../core/errors.js';
import type {VizTracer} from '../tracer/tracer.js';

export type VizCounterOptions = {
	/**
	 * Record a counter event on every property write. When false, call `log()` to record.
	 * @default true
	 */
	triggerOnChange?: boolean;
};

const isTrackedKey = (key: string | symbol): key is string => typeof key === 'string' && !key.startsWith('_');

/**
 * A counter whose numeric properties become `ph: 'C'` events, one series per
 * property, like Python's `VizCounter`:
 *
 * ```ts
 * const counter = new VizCounter(tracer, 'queue')
 * counter.pending = 3   // records { pending: 3 }
 * ```
 *
 * Properties starting with `_` are not recorded. Writing a non-number throws.
 */
export class VizCounter {
	[key: string]: unknown;

	constructor(tracer: VizTracer, name: string, options: VizCounterOptions = {}) {
		const triggerOnChange = options.triggerOnChange ?? true;
		Object.defineProperties(this, {
			_tracer: {value: tracer},
			_name: {value: String(name)},
			_triggerOnChange: {value: triggerOnChange, writable: true},
		});
		// A proxy is what lets plain property writes record; subclasses get it too,
		// since their `this` is what the base constructor returns. The
		// defineProperty trap sees both assignments and class fields.
		return new Proxy(this, {
			defineProperty(target, key, descriptor) {
				if (!isTrackedKey(key) || !('value' in descriptor)) {
					return Reflect.defineProperty(target, key, descriptor);
				}

				if (typeof descriptor.value !== 'number') {
					throw new VizTracerArgumentError(`VizCounter '${String(name)}' only takes numeric values, but \`${key}\` was set to ${describeValue(descriptor.value)}`);
				}

				const done = Reflect.defineProperty(target, key, descriptor);
				if (target._triggerOnChange) {
					target.log();
				}

				return done;
			},
		});
	}

	/** Records the current values of all numeric properties as one counter event. */
	log(): void {
		const values: Record<string, number> = {};
		for (const key of Object.keys(this)) {
			const value = this[key];
			if (isTrackedKey(key) && typeof value === 'number') {
				values[key] = value;
			}
		}

		(this._tracer as VizTracer).logCounter(this._name as string, values);
	}
}
