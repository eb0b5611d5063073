/* eslint-disable @n8n/community-nodes/no-restricted-imports --
 * Test code, never published: a stream stands in for the body of an answer n8n hands over. */
/**
 * The steps that read an answer, one by one and exactly: reading a body up to its limit, parsing
 * it, the snippet of a page, character references, and the key's scrub of text and of parsed
 * values. The suites through n8n's engine (answerText, keyNeverLeaves, hostileBodies) show what
 * a user sees; these pin the edges of each step (a body of exactly the limit, a reference at the
 * last code point, an array in an answer, two keys), which a mutation run found unpinned.
 */
import { Readable } from 'node:stream';
import { setImmediate as jobEnded } from 'node:timers/promises';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';

import { parseBody, readBody, snippet } from '../nodes/Fansly/transport/body';
import { decodeReferences } from '../nodes/Fansly/transport/entities';
import { Secrets, sharedSecretsCount } from '../nodes/Fansly/transport/secrets';

const KEY = 'abcd-key-1234';
const secrets = new Secrets([KEY]);

describe('readBody: the text of a body, up to a limit', () => {
	const stream = (...chunks: string[]) => Readable.from(chunks.map((c) => Buffer.from(c)));

	it.each<[string, unknown, { text: string; complete: boolean }]>([
		['no body (undefined)', undefined, { text: '', complete: true }],
		['no body (null)', null, { text: '', complete: true }],
		['a string shorter than the limit', 'abc', { text: 'abc', complete: true }],
		['a string of exactly the limit', 'abcde', { text: 'abcde', complete: true }],
		['a string past the limit: cut', 'abcdef', { text: 'abcde', complete: false }],
		['a Buffer of exactly the limit', Buffer.from('abcde'), { text: 'abcde', complete: true }],
		['a Buffer past the limit: cut', Buffer.from('abcdef'), { text: 'abcde', complete: false }],
		['parsed JSON past the limit, as its JSON text, cut', { a: 1 }, { text: '{"a":', complete: false }],
		['parsed JSON within the limit', [1], { text: '[1]', complete: true }],
		['an iterable that cannot be closed is not read as a stream', { [Symbol.asyncIterator]: async function* () {} }, { text: '{}', complete: true }],
		['an object that can be closed but not iterated is not a stream', { destroy: () => undefined, a: 1 }, { text: '{"a":', complete: false }],
	])('%s', async (_, body, expected) => {
		expect(await readBody(body, 5)).toEqual(expected);
	});

	it('a stream of exactly the limit is read whole', async () => {
		expect(await readBody(stream('abc', 'de'), 5)).toEqual({ text: 'abcde', complete: true });
	});

	it('a stream that goes on past the limit: cut, and known to go on', async () => {
		expect(await readBody(stream('abcde', 'f'), 5)).toEqual({ text: 'abcde', complete: false });
		expect(await readBody(stream('abc', 'def', 'ghi'), 5)).toEqual({ text: 'abcde', complete: false });
	});
});

describe('parseBody: JSON when it is, the key scrubbed either way', () => {
	it.each<[string, string, unknown]>([
		['an empty body', '', undefined],
		['a body of spaces and newlines', ' \n\t ', undefined],
		['JSON', '{"message":"no"}', { message: 'no' }],
	])('%s', (_, text, value) => {
		expect(parseBody(text, secrets)).toEqual({ ok: true, value });
	});

	it('JSON broken by an unescaped echo of a key that holds a quote: read once the key is scrubbed', () => {
		const quoted = new Secrets(['ab"cd-key']);
		expect(parseBody('{"message":"bad key ab"cd-key"}', quoted)).toEqual({ ok: true, value: { message: 'bad key [redacted]' } });
	});

	it('text that is not JSON, scrubbed', () => {
		expect(parseBody(`no ${KEY} here`, secrets)).toEqual({ ok: false, text: 'no [redacted] here' });
	});
});

describe('snippet: the readable start of a page', () => {
	it.each<[string, string, string]>([
		['text before the first tag is kept', 'Error ab <b>x</b> done', 'Error ab x done'],
		['a comment after a stray "-->"', 'a--> <!-- c -->d', 'a--> d'],
		['a script whose end tag is in another case', 'a<SCRIPT>var k = 1</script>b', 'a b'],
		['a style, closed', 'a<style>p { color: red }</style>b', 'a b'],
		['an unclosed comment runs to the end', 'a<!-- b', 'a'],
		['references decoded once markup is found', '<p>a &amp; b</p>', 'a & b'],
	])('%s', (_, text, expected) => {
		expect(snippet(text, secrets)).toBe(expected);
	});

	it('exactly the longest length: not cut, no ellipsis', () => {
		const text = 'x'.repeat(300);
		expect(snippet(text, secrets)).toBe(text);
		expect(snippet(`${text}y`, secrets)).toBe(`${text}…`);
	});
});

describe('decodeReferences: what a browser shows for a reference', () => {
	it.each<[string, string, string]>([
		['named, decimal and hexadecimal', 'a&amp;b&#38;c&#x26;d', 'a&b&c&d'],
		['the last code point', '&#x10FFFF;', '\u{10FFFF}'],
		['past the last code point', '&#x110000;', '\uFFFD'],
		['the last surrogate', '&#xDFFF;', '\uFFFD'],
		['the first code point after the surrogates', '&#xE000;', '\uE000'],
		['zero', '&#0;', '\uFFFD'],
		['an unknown name stays as written', '&nosuch;', '&nosuch;'],
	])('%s', (_, text, expected) => {
		expect(decodeReferences(text)).toBe(expected);
	});
});

describe('Secrets.text: the key in each form', () => {
	const scrubs = (key: string, text: string) => new Secrets([key]).text(text);

	it.each<[string, string, string]>([
		['every character \\u-escaped', KEY, [...KEY].map((c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`).join('')],
		['a numeric reference with leading zeros', KEY, `&#0097;${KEY.slice(1)}`],
		['percent-encoded, a character of two bytes', 'clé-1234', encodeURIComponent('clé-1234')],
		['a key that starts with a run of backslashes', `${'\\'.repeat(10)}abcd`, `${'\\'.repeat(10)}abcd`],
		['JSON-escaped with \\/, then percent-encoded in lower case', 'Zx9/q+W=Lm8tailQ', 'Zx9%5c%2fq%2bW%3dLm8tailQ'],
		['\\u escapes nested in JSON, then percent-encoded', 'ab/cd', 'ab%5C%5Cu002Fcd'],
		['an HTML reference, then percent-encoded', 'sk&live&key42', 'sk%26amp%3Blive%26amp%3Bkey42'],
		['an HTML hex reference, then percent-encoded twice', 'sk&live&key42', 'sk%2526%2523x26%253Blive%2526%2523X26key42'],
	])('%s', (_, key, text) => {
		expect(scrubs(key, text)).toBe('[redacted]');
	});

	it.each<[string, string]>([
		['a backslash before a letter is not an escape of it', '\\k\\k\\k\\k'],
		['"\\undefined" is no character', 'k\\undefinedkk'],
		['"+" stands for a space only', 'k+kk'],
		['a long run of backslashes is passed over, not replaced', '\\'.repeat(40)],
		['a percent-encoded backslash before a letter is not an escape of it', '%5Ck%5Ck%5Ck%5Ck'],
	])('%s', (_, text) => {
		expect(scrubs('kkkk', text)).toBe(text);
	});

	it('values that are not text, or too short, are no key', () => {
		const some = new Secrets([123, undefined, null, 'abc', ' kkkk ']);
		expect(some.text('123 abc kkkk')).toBe('123 abc [redacted]');
	});

	it('two keys, one inside the other: the longer is replaced whole, the shorter alone too', () => {
		const two = new Secrets(['abcd', 'abcdefgh']);
		expect(two.text('abcdefgh')).toBe('[redacted]');
		expect(two.text('abcd')).toBe('[redacted]');
	});

	it('two keys, one holding a backslash: each is replaced whole', () => {
		const two = new Secrets(['kkkkkkkk', `${'\\'.repeat(10)}abcd`]);
		expect(two.text(`${'\\'.repeat(10)}abcd`)).toBe('[redacted]');
	});
});

describe('Secrets.for: one pattern per key in use, shared by its executions', () => {
	it('the same key (trimmed as it is sent) gets the same Secrets; another key its own', () => {
		const first = Secrets.for([KEY]);
		expect(Secrets.for([` ${KEY} `])).toBe(first);
		expect(Secrets.for(['wxyz-other-9876'])).not.toBe(first);
		expect(Secrets.for([KEY])).toBe(first);
		expect(first.text(`a ${encodeURIComponent(KEY)} b`)).toBe('a [redacted] b');
	});

	it('two keys are not the one key their letters make together', () => {
		const two = Secrets.for(['abcd', 'efgh']);
		expect(Secrets.for(['abcdefgh'])).not.toBe(two);
		expect(two.text('efgh')).toBe('[redacted]');
	});

	it('Secrets no execution holds any more are collected and forgotten', async () => {
		// Jest runs without --expose-gc: the flag can be set at run time, and the collector is
		// then reached through a fresh context.
		setFlagsFromString('--expose-gc');
		const collect = runInNewContext('gc') as () => void;
		(() => Secrets.for(['held-by-nobody-1234']))();
		expect(sharedSecretsCount()).toBeGreaterThan(0);
		// A weakly held object lives at least until the current job ends.
		await jobEnded();
		collect();
		const kept = Secrets.for(['kept-by-this-test-5678']);
		expect(sharedSecretsCount()).toBe(1);
		expect(Secrets.for(['kept-by-this-test-5678'])).toBe(kept);
	});
});

describe('Secrets.head: the start of a text, scrubbed', () => {
	it('without a key: only cut', () => {
		expect(new Secrets([]).head('abcdef', 3)).toBe('abc');
	});

	it('a key that starts at the cut is not shown, nor replaced', () => {
		expect(secrets.head(`xyz${KEY}${'-'.repeat(2000)}`, 3)).toBe('xyz');
	});

	it('a long run of backslashes before the cut stays as it is', () => {
		expect(secrets.head(`${'\\'.repeat(40)}${'-'.repeat(2000)}`, 50)).toBe(`${'\\'.repeat(40)}${'-'.repeat(10)}`);
	});
});

describe('Secrets.value: every string and key of a parsed answer', () => {
	it('strings inside arrays, at every position', () => {
		expect(secrets.value([KEY, 'ok', { errors: [`bad ${KEY}`] }, KEY])).toEqual(['[redacted]', 'ok', { errors: ['bad [redacted]'] }, '[redacted]']);
	});

	it('what holds no key is handed back as it is', () => {
		const list = ['a', 'b', { c: ['d'] }];
		const record = { a: 'b', c: ['d'], e: { f: 1 } };
		expect(secrets.value(list)).toBe(list);
		expect(secrets.value(record)).toBe(record);
	});

	it('what holds a key is copied, the input left unchanged', () => {
		const record = { a: 'b', [KEY]: 1, c: KEY };
		expect(secrets.value(record)).toEqual({ a: 'b', '[redacted]': 1, c: '[redacted]' });
		expect(record).toEqual({ a: 'b', [KEY]: 1, c: KEY });
	});

	it('a cycle ends', () => {
		const cyclic: Record<string, unknown> = { a: KEY };
		cyclic.self = cyclic;
		expect(secrets.value(cyclic)).toEqual({ a: '[redacted]', self: '[circular]' });
	});
});
