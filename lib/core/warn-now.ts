/**
 * Emits a process warning at once. `process.emitWarning()` defers to the
 * next tick, and the CLI saves in an `exit` handler, after which no tick
 * comes: the warning would vanish. Node's own listener prints it (unless
 * --no-warnings), and user listeners see it as usual.
 */
export function warnNow(message: string, code: string, name = 'Warning'): void {
	process.emit('warning', Object.assign(new Error(message), {name, code}));
}
