// The parts of oxc-parser's raw transfer that native-parser.ts bundles (the
// package publishes types for its entry point only).
declare module 'oxc-parser/src-js/raw-transfer/common.js' {
	export type RawBuffer = Uint8Array & {block: Uint8Array};
	export function parseSyncRawImpl<T>(filename: string, sourceText: string, options: Record<string, unknown>, convert: (buffer: RawBuffer, sourceText: string, sourceStartPos: number, sourceByteLen: number) => T): T;
	export function isJsAst(buffer: RawBuffer): boolean;
	export function returnBufferToCache(buffer: RawBuffer): void;
}

declare module 'oxc-parser/src-js/generated/deserialize/js.js' {
	import type {RawBuffer} from 'oxc-parser/src-js/raw-transfer/common.js';

	export function deserialize(buffer: RawBuffer, sourceText: string, sourceStartPos: number, sourceByteLen: number): {program: unknown; comments: Array<{type: string; value: string; start: number; end: number}>; errors: unknown[]};
}
