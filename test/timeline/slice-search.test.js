// The search box: substrings without case, /regex/flags, matches by start.
import test from 'ava';
import {matchingNames, queryMatcher, searchSlices} from '../../dist/timeline/slice-search.js';
import {buildModel} from './helpers.js';

const model = buildModel([
	// Tid 1: Alpha [0,100] > beta [10,20], alphabet [30,40]; tid 2: ALPHA [10,15], gamma [50,60]; a counter.
	{ph: 'X', name: 'beta (src/b.js:1:1)', ts: 10, dur: 10, pid: 1, tid: 1},
	{ph: 'X', name: 'alphabet', ts: 30, dur: 10, pid: 1, tid: 1},
	{ph: 'X', name: 'Alpha (src/a.js:3:7)', ts: 0, dur: 100, pid: 1, tid: 1},
	{ph: 'X', name: 'ALPHA', ts: 10, dur: 5, pid: 1, tid: 2},
	{ph: 'X', name: 'gamma', ts: 50, dur: 10, pid: 1, tid: 2},
	{ph: 'C', name: 'alpha counter', ts: 5, pid: 1, args: {v: 1}},
], {title: 'search'});
const names = refs => refs.map(({track, slice}) => model.strings[model.tracks[track].names[slice]]);

test('a plain query is a case-insensitive substring', t => {
	const matches = queryMatcher('AlPh');
	t.true(matches('alpha'));
	t.true(matches('the ALPHABET'));
	t.false(matches('alp ha'));
	// Regex characters are literal.
	const literal = queryMatcher('a.c');
	t.true(literal('xA.Cx'));
	t.false(literal('abc'));
	t.true(queryMatcher('(src')('beta (src/b.js:1:1)'));
	// A lone slash or two are text, not an expression.
	t.true(queryMatcher('/')('a/b'));
	t.false(queryMatcher('//')('a/b'));
	t.true(queryMatcher('//')('http://x'));
});

test('/regex/flags is a regular expression', t => {
	const anchored = queryMatcher('/^al.ha$/');
	t.true(anchored('alpha'));
	t.false(anchored('Alpha'), 'case-sensitive without the i flag');
	t.false(anchored('alphabet'));
	t.true(queryMatcher('/^AL.HA$/i')('alpha'));
	t.true(queryMatcher('/a.b/s')('a\nb'));
	t.false(queryMatcher('/a.b/')('a\nb'));
	// A slash inside the expression.
	t.true(queryMatcher('/src\\/a/')('Alpha (src/a.js:3:7)'));
	t.true(queryMatcher('/a/b/')('xa/by'));
});

test('the g and y flags are dropped, so a matcher gives the same answer every time', t => {
	const global = queryMatcher('/alpha/g');
	t.true(global('alpha'));
	t.true(global('alpha'));
	t.true(global('alpha'));
	const sticky = queryMatcher('/pha/y');
	t.true(sticky('alpha'));
	t.true(sticky('alpha'));
});

test('an invalid expression throws SyntaxError', t => {
	t.throws(() => queryMatcher('/(/'), {instanceOf: SyntaxError});
	t.throws(() => queryMatcher('/[a-/'), {instanceOf: SyntaxError});
	t.throws(() => searchSlices(model, '/a{2,1}/'), {instanceOf: SyntaxError});
	// Unknown flags make it no expression: text.
	t.notThrows(() => queryMatcher('/(/x'));
	t.true(queryMatcher('/(/x')('a/(/xb'));
});

test('matchingNames: one flag per string of the model', t => {
	const flags = matchingNames(model, queryMatcher('alpha'));
	t.true(flags instanceof Uint8Array);
	t.is(flags.length, model.strings.length);
	t.deepEqual(model.strings.filter((_, index) => flags[index] === 1).sort(), ['ALPHA', 'Alpha (src/a.js:3:7)', 'alphabet']);
});

test('searchSlices: every matching slice by start time, ties by track then depth', t => {
	// Alpha starts at 0 (tid 1); ALPHA at 10 (tid 2); alphabet at 30. The counter's name is no slice.
	t.deepEqual(names(searchSlices(model, 'alpha')), ['Alpha (src/a.js:3:7)', 'ALPHA', 'alphabet']);
	// Beta and ALPHA both start at 10: tid 1's track comes first.
	t.deepEqual(names(searchSlices(model, '/^(beta|ALPHA)/')), ['beta (src/b.js:1:1)', 'ALPHA']);
	t.deepEqual(names(searchSlices(model, 'src/')), ['Alpha (src/a.js:3:7)', 'beta (src/b.js:1:1)']);
	t.deepEqual(searchSlices(model, 'nothing like it'), []);
	t.deepEqual(searchSlices(model, ''), [], 'an empty query finds nothing');
	const [first] = searchSlices(model, 'gamma');
	t.is(model.tracks[first.track].id, 't1:2');
	t.is(model.tracks[first.track].start[first.slice], 50);
});

test('searchSlices: equal starts on one track come shallowest first', t => {
	// Three calls of f starting at the same time, nested; one later.
	const result = buildModel([
		{ph: 'X', name: 'f', ts: 0, dur: 1, pid: 1, tid: 1},
		{ph: 'X', name: 'f', ts: 0, dur: 2, pid: 1, tid: 1},
		{ph: 'X', name: 'f', ts: 0, dur: 3, pid: 1, tid: 1},
		{ph: 'X', name: 'f', ts: 5, dur: 1, pid: 1, tid: 1},
	], {title: 'nested'});
	const track = result.tracks[1];
	t.deepEqual(searchSlices(result, 'f').map(({slice}) => [track.start[slice], track.dur[slice]]), [[0, 3], [0, 2], [0, 1], [5, 1]]);
});
