// The stylesheet is bundled as text (esbuild's text loader) and added to the page at start.
declare module '*.css' {
	const text: string;
	export default text;
}
