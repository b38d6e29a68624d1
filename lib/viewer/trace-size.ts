export {jsonSizeOf} from '../trace-file/read-trace.js';

/**
 * Past about this much JSON (a million-odd events), browser viewers take
 * tens of seconds and gigabytes to load a trace, or give up: speedscope and
 * the Perfetto UI's JSON importer both hold the whole text and every event
 * object in the page.
 */
export const browserTraceLimitBytes = 128 * 1024 * 1024;

/** `612.3 MB` */
export const formatMegabytes = (bytes: number): string => `${(bytes / 1e6).toFixed(1)} MB`;

/** `820 B`, `12.4 kB`, `612.3 MB` */
export const formatBytes = (bytes: number): string => (bytes < 1000 ? `${bytes} B` : bytes < 1e6 ? `${(bytes / 1000).toFixed(1)} kB` : formatMegabytes(bytes));
