// --log-requests's I/O spans (lib/runtime/outgoing-spans.ts) and their flow
// arrows: from the end of an I/O span whose ending event calls its listeners
// at once (an http.get's response, a child's 'exit', a socket's 'connect') to
// the span of the listener that consumed the result.
import path from 'node:path';
import test from 'ava';
import {fixturesDir, rowNames, temporaryDirectory, traceLikeUntraced} from '../helpers/exec.js';

const directory = temporaryDirectory();
const fixture = path.join(fixturesDir, 'requests', 'io-flows.mjs');

test('--log-requests draws a flow from an I/O span to the listener its ending event called', async t => {
	const {traced, trace} = await traceLikeUntraced(t, fixture, ['--log-requests', '--no-trace-children'], path.join(directory, 'flows.json'));
	t.is(traced.stdout, '200 3 connected answer to /fetched\n');
	const rows = rowNames(trace);
	const mainTid = [...rows].find(([, name]) => name === 'MainThread')[0];
	const spans = trace.traceEvents.filter(event => event.ph === 'X');
	const starts = trace.traceEvents.filter(event => event.ph === 's' && event.cat === 'async' && /^I\/O \d+ /.test(rows.get(event.tid) ?? ''));
	const ends = new Map(trace.traceEvents.filter(event => event.ph === 'f').map(event => [event.id, event]));
	const arrows = starts.map(start => {
		const from = spans.find(span => span.tid === start.tid && span.ts <= start.ts && start.ts <= span.ts + span.dur);
		const end = ends.get(start.id);
		const to = spans.find(span => span.tid === end?.tid && span.ts === end?.ts);
		return `${from?.name} -> ${to?.name.split(' ')[0]}`;
	});
	t.deepEqual(arrows.map(arrow => arrow.replace(/:\d+/, ':PORT')), [
		'http GET 127.0.0.1/got → 200 -> onResponse',
		'spawn node → exit 3 -> onExit',
		'connect 127.0.0.1:PORT -> onConnect',
	]);
	t.true(starts.every(start => ends.get(start.id).tid === mainTid && ends.get(start.id).bp === 'e'), 'each ends on the thread, in the listener\'s span');
	t.false(starts.some(start => start.name.startsWith('fetch ')), 'a promise\'s consumer gets no arrow');
});
