/**
 * The rows ("requests 1", "I/O 2", …) of operations that overlap: each takes
 * the lowest row free when it starts and frees it when it ends, so there are
 * as many rows as operations were in flight at once, and none holds two that
 * overlap.
 */
export type RowLanes = {take(): number; free(lane: number): void};

export function rowLanes(): RowLanes {
	const busy: boolean[] = [];
	return {
		take() {
			let lane = busy.indexOf(false);
			if (lane === -1) {
				lane = busy.length;
			}

			busy[lane] = true;
			return lane;
		},
		free(lane) {
			busy[lane] = false;
		},
	};
}
