/** A slice's name split for drawing: the function first, the location (`file:line:col`, in parentheses) after it, dimmed. */
export type SliceLabel = {name: string; location: string};

const located = /^(.*?) \(((?:[a-z]+:\/\/)?[^()]*?:\d+(?::\d+)?)\)$/s;

export function sliceLabel(text: string): SliceLabel {
	const match = located.exec(text);
	return match ? {name: match[1]!, location: match[2]!} : {name: text, location: ''};
}

export type SourceLocation = {file: string; line: number; column?: number};

/** The source location a slice's name gives (`fn (src/a.js:12:3)`), if any. */
export function sourceLocation(text: string): SourceLocation | undefined {
	const {location} = sliceLabel(text);
	const match = /^(.*?):(\d+)(?::(\d+))?$/s.exec(location);
	if (!match || match[1] === '') {
		return undefined;
	}

	return {file: match[1]!, line: Number(match[2]), ...(match[3] === undefined ? {} : {column: Number(match[3])})};
}
