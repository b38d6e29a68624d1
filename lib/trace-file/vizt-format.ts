// The `.vizt` trace format: what the writer and the reader share. The whole
// format is described in docs/vizt-format.md; in short, a 5-byte header and
// then records, each a tag byte and its fields (unsigned LEB128 varints,
// zigzag for signed ones, UTF-8 strings with their byte length first):
//
//   STRING    0x01 length bytes                 names the next string id (0, 1, …)
//   THREAD    0x02 pid tid                      the process and row of the spans that follow
//   EVENT     0x03 length bytes                 one event as JSON, any kind
//   METADATA  0x04 length bytes                 the trace's other top-level keys, as a JSON object
//   TRAILER   0x05 offset (8 bytes, LE)         where the trace's final METADATA record starts; the file's last record
//   ARGS      0x06 length bytes                 a JSON object: the args of the ARGSPAN records that follow
//   SPAN      0x10 name endDelta dur            {"ph":"X","name","pid","tid","ts","dur","cat":"FEE"}
//   STACKSPAN 0x11 name endDelta dur depth      the same, for a span of the call stack at `depth` (0: outermost)
//   ARGSPAN   0x12 name endDelta dur depth+1    a span with the last ARGS record's args (`depth` + 1; 0: not on the stack)
//
// Times are integer nanoseconds. A span's end is written as the signed
// difference from the previous span's end (spans are written as they end, so
// it is small), its duration as is. A record cut short (a crash mid-write)
// ends the file: everything before it reads.

/** `VIZT` and the format version. */
export const viztMagic = Uint8Array.of(0x56, 0x49, 0x5A, 0x54, 0x01);

export const ViztTag = {
	string: 0x01,
	thread: 0x02,
	event: 0x03,
	metadata: 0x04,
	trailer: 0x05,
	args: 0x06,
	span: 0x10,
	stackSpan: 0x11,
	argsSpan: 0x12,
} as const;

/** Bytes of a TRAILER record: its tag and an 8-byte offset. */
export const trailerBytes = 9;

/** A `.vizt` output is written in this format, whatever else the name says. */
export const isViztPath = (file: string): boolean => file.endsWith('.vizt');

/** Whether `head` (a file's first bytes) starts with the `.vizt` magic, any version. */
export function hasViztMagic(head: Uint8Array): boolean {
	return head.length >= 4 && head[0] === viztMagic[0] && head[1] === viztMagic[1] && head[2] === viztMagic[2] && head[3] === viztMagic[3];
}

/**
 * A span event read from a STACKSPAN record carries its depth under this key
 * (a symbol: JSON leaves it out), so writing the event to `.vizt` again keeps it.
 */
export const spanDepthKey = Symbol.for('viztracer.spanDepth');
