import type {VizTracer} from '../tracer/tracer.js';

export type VizObjectOptions = {
	/**
	 * Record a snapshot on every property write. When false, call `log()` to record.
	 * @default true
	 */
	triggerOnChange?: boolean;
};

const isTrackedKey = (key: string | symbol): key is string => typeof key === 'string' && !key.startsWith('_');

/**
 * An object whose state is recorded as Chrome object events, like Python's
 * `VizObject`: `ph: 'N'` when created, a `ph: 'O'` snapshot of its public
 * properties on each write, `ph: 'D'` on `destroy()` (or leaving a `using` block).
 *
 * ```ts
 * using request = new VizObject(tracer, 'request')
 * request.state = 'parsing'   // records a snapshot { state: 'parsing' }
 * ```
 */
export class VizObject {
	[key: string]: unknown;

	constructor(tracer: VizTracer, name: string, options: VizObjectOptions = {}) {
		const id = (tracer.constructor as typeof VizTracer).nextObjectId();
		Object.defineProperties(this, {
			_tracer: {value: tracer},
			_name: {value: String(name)},
			_id: {value: id},
			_triggerOnChange: {value: options.triggerOnChange ?? true, writable: true},
		});
		tracer.logObject('N', String(name), id);
		// The defineProperty trap sees both assignments and subclasses' class fields.
		return new Proxy(this, {
			defineProperty(target, key, descriptor) {
				const done = Reflect.defineProperty(target, key, descriptor);
				if (isTrackedKey(key) && target._triggerOnChange) {
					target.log();
				}

				return done;
			},
		});
	}

	/** Records a snapshot of the public properties now. */
	log(): void {
		const snapshot: Record<string, unknown> = {};
		for (const key of Object.keys(this)) {
			if (isTrackedKey(key) && typeof this[key] !== 'function') {
				snapshot[key] = this[key];
			}
		}

		(this._tracer as VizTracer).logObject('O', this._name as string, this._id as number, snapshot);
	}

	/** Records that the object is gone (`ph: 'D'`). */
	destroy(): void {
		(this._tracer as VizTracer).logObject('D', this._name as string, this._id as number);
	}

	[Symbol.dispose](): void {
		this.destroy();
	}
}
