// The transform only inserts text and moves whole function declarations, and
// it marks both, so the original text of any instrumented function or class
// can be had back from its instrumented text (`Function.prototype.toString`
// does that: see original-source.ts):
//
//   /*·vz*/…/*vz·*/   inserted text: taken out
//   /*·vz@N·*/        where moved piece N stood: put back there
//   /*·vz<N·*/…/*·vz>N·*/   moved piece N (original text, itself marked inside): taken out
//
// The markers are comments without a line break, so they change no meaning;
// U+00B7 (middle dot) keeps them from meeting anything a program writes. It
// is below U+0100, so code that was one byte per character in V8 stays so
// (a character above U+00FF would double the memory of every instrumented
// file and slow down reading it).
const joiner = '\u00b7';
export const insertedOpen = `/*${joiner}vz*/`;
export const insertedClose = `/*vz${joiner}*/`;
const movedPrefix = `/*${joiner}vz`;

/** How every instrumented file's prologue (transform.ts) begins: code that holds it was instrumented already. */
export const prologueStart = 'var __vz$b=__vz$n();function __vz$n(){return __vz$b=';

/** The marker of moved piece `id`: `<` its start, `>` its end, `@` where it stood. */
export const movedMarker = (kind: '<' | '>' | '@', id: number): string => `${movedPrefix}${kind}${id}${joiner}*/`;

const {apply} = Reflect;
const indexOf = String.prototype.indexOf;
const slice = String.prototype.slice;
const find = (text: string, needle: string, from = 0) => apply(indexOf, text, [needle, from]) as number;
const cut = (text: string, from: number, to?: number) => apply(slice, text, to === undefined ? [from] : [from, to]) as string;

/** `text` as it was before the transform; `text` itself when it holds no markers. */
export function originalText(text: string): string {
	if (find(text, movedPrefix) === -1) {
		return text;
	}

	// Take the moved pieces out (innermost last: a piece may hold pieces).
	const pieces = Object.create(null) as Record<string, string>;
	let rest = text;
	for (let start = find(rest, `${movedPrefix}<`); start !== -1; start = find(rest, `${movedPrefix}<`)) {
		const idEnd = find(rest, `${joiner}*/`, start + movedPrefix.length + 1);
		const id = cut(rest, start + movedPrefix.length + 1, idEnd);
		const endMarker = `${movedPrefix}>${id}${joiner}*/`;
		const end = find(rest, endMarker, idEnd);
		if (idEnd === -1 || end === -1) {
			break;
		}

		pieces[id] = cut(rest, idEnd + joiner.length + 2, end);
		rest = cut(rest, 0, start) + cut(rest, end + endMarker.length);
	}

	return stripInserted(restore(rest, pieces, 0));
}

/** Puts each moved piece back where its placeholder stands. */
function restore(text: string, pieces: Readonly<Record<string, string>>, depth: number): string {
	let result = '';
	let from = 0;
	for (let at = find(text, `${movedPrefix}@`); at !== -1; at = find(text, `${movedPrefix}@`, from)) {
		const idEnd = find(text, `${joiner}*/`, at + movedPrefix.length + 1);
		if (idEnd === -1) {
			break;
		}

		const piece = pieces[cut(text, at + movedPrefix.length + 1, idEnd)];
		result += cut(text, from, at) + (piece === undefined || depth > 64 ? '' : restore(piece, pieces, depth + 1));
		from = idEnd + joiner.length + 2;
	}

	return result + cut(text, from);
}

/** `text` without the inserted pieces. */
function stripInserted(text: string): string {
	let original = '';
	let from = 0;
	for (let at = find(text, insertedOpen); at !== -1; at = find(text, insertedOpen, from)) {
		const close = find(text, insertedClose, at + insertedOpen.length);
		if (close === -1) {
			// The text ends inside an insertion (an arrow's body ends in the block the transform gave it).
			return original + cut(text, from, at);
		}

		original += cut(text, from, at);
		from = close + insertedClose.length;
	}

	return original + cut(text, from);
}
