/** Slot 0 of the watcher's shared state: where the watcher thread is in its life. */
export const watcherState = {
	starting: 0,
	watching: 1,
	released: 2,
	unavailable: 3,
} as const;

/**
 * What the main thread hands the watcher thread. `state` holds Int32 slots:
 * 0 is the watcher's {@link watcherState}; {@link heardSlot} counts the times
 * the watcher heard `signals[i]`, {@link processedSlot} the times the main
 * thread's own listener got it.
 */
export type WatcherData = {
	state: SharedArrayBuffer;
	signals: Array<[string, number]>;
	eventKey: string;
};

export const heardSlot = (index: number): number => 1 + (2 * index);
export const processedSlot = (index: number): number => 2 + (2 * index);
export const stateSlots = (signals: number): number => 1 + (2 * signals);
