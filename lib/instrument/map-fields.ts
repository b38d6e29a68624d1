// Fields (source-map extensions) that viztracer's own maps carry, read by
// call-sites.ts where a stack trace goes through instrumented code.

/** Marks the inline maps of instrumented code. */
export const instrumentedMapField = 'x_viztracer';

/** Holds our map alone, in an inline map chained with the file's own. */
export const loadedMapField = 'x_viztracer_loaded';

/** Marks a linear map: inside a segment, columns advance with the code (edit-map.ts). */
export const linearMapField = 'x_viztracer_linear';
