/* eslint-disable @n8n/community-nodes/no-restricted-imports --
 * Test code, never published: a local server stands in for a provider whose answer goes on. */
/**
 * What the node shows of a provider's answer, exactly: the readable snippet of an error page
 * (markup, scripts, styles and comments left out, character references decoded, whitespace
 * collapsed), the start of an answer that is cut, a byte-order mark, and which values count as
 * the key. Through n8n's real engine: an update answered with each body, Continue On Fail.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';

import nock from 'nock';
import type { IDataObject, INodeParameters } from 'n8n-workflow';

import { runFansly } from './helpers/engine';
import { ERROR_BODY_LIMIT } from '../nodes/Fansly/transport/body';

const HOST = 'https://api.fansapi.com';
const ACCOUNT = 'acct_1';
const LINK = '845759434926862336';
const PUT = `/api/fansly/${ACCOUNT}/tracking-links/${LINK}`;

function update(extra: IDataObject = {}): INodeParameters {
	return {
		authentication: 'fansApiApi',
		resource: 'trackingLink',
		operation: 'update',
		account: { __rl: true, mode: 'id', value: ACCOUNT },
		trackingLink: { __rl: true, mode: 'id', value: LINK },
		updateFields: { label: 'L' },
		options: { retry: false },
		...extra,
	} as INodeParameters;
}

async function providerMessageOf(body: string, contentType: string, apiKey = 'answer-text-key'): Promise<unknown> {
	nock(HOST).put(PUT).reply(400, body, { 'content-type': contentType });
	const result = await runFansly({ parameters: update(), credentials: { fansApiApi: { apiKey } }, continueOnFail: true });
	expect(result.items).toHaveLength(1);
	expect(result.items[0].json.httpCode).toBe(400);
	return result.items[0].json.providerMessage;
}

const PAGES: Array<[string, string, string]> = [
	['a comment', '<p>before<!-- hidden <b>not shown</b> -->after</p>', 'before after'],
	['an unclosed comment runs to the end', '<p>shown</p><!-- never closed <p>hidden</p>', 'shown'],
	['a script and a style, with their content', '<style>p{color:red}</style><p>a</p><script>if (a < b) x = "<p>";</script><p>b</p>', 'a b'],
	['an upper-case SCRIPT with attributes', '<SCRIPT type="text/javascript">var hidden = 1;</SCRIPT><p>shown</p>', 'shown'],
	['an unclosed script runs to the end', '<p>shown</p><script>var x = "</p>hidden";', 'shown'],
	['a script element without its end tag name closed', '<p>a</p><script>hidden</script', 'a'],
	['a doctype and a processing instruction', '<?xml version="1.0"?><!DOCTYPE html><p>text</p>', 'text'],
	['a `<` that starts no tag', '<p>1 < 2 and 3 <= 4</p>', '1 < 2 and 3 <= 4'],
	['a `<` closed only by a later tag: all of it is markup', '<p>shown</p> a <b c d', 'shown a'],
	['named, decimal and hexadecimal references', '<p>Fish &amp; Chips &lt;3 &quot;ok&quot; &#38; &#x26; &#X26; &amp</p>', 'Fish & Chips <3 "ok" & & & &'],
	['references that stand for no character', '<p>[&#0;] [&#xD800;] [&#1114112;] [&unknown;]</p>', '[\uFFFD] [\uFFFD] [\uFFFD] [&unknown;]'],
	['whitespace and no-break spaces collapsed', '<p>\n  a \t b&nbsp;&nbsp;c\r\n</p>', 'a b c'],
];

describe('the snippet of an HTML error page', () => {
	test.each(PAGES)('%s', async (_title, page, shown) => {
		expect(await providerMessageOf(`<html><body>${page}</body></html>`, 'text/html')).toBe(shown);
	});

	test('a `<` that no `>` closes is text', async () => {
		expect(await providerMessageOf('<p>shown</p> a <b c d', 'text/html')).toBe('shown a <b c d');
	});

	test('text that is not markup keeps its character references as written', async () => {
		expect(await providerMessageOf('Fish &amp; Chips, 1 < 2', 'text/plain')).toBe('Fish &amp; Chips, 1 < 2');
	});

	test('a page whose text is longer than 300 characters is cut there', async () => {
		expect(await providerMessageOf(`<p>${'a'.repeat(400)}</p>`, 'text/html')).toBe(`${'a'.repeat(300)}…`);
	});
});

describe('which values count as the key', () => {
	test.each([
		['a key of 4 characters is scrubbed', 'k3y!', 'denied for [redacted]'],
		['a value shorter than 4 characters is not (it would blank out ordinary words)', 'k3y', 'denied for k3y!'],
	])('%s', async (_title, apiKey, shown) => {
		expect(await providerMessageOf('denied for k3y!', 'text/plain', apiKey)).toBe(shown);
	});

	// Each key is turned into a pattern: a character a pattern reads as an operator must stand for
	// itself, or the key would match other text (`.`, `|`), match nowhere (`^`, `$`), or break
	// the pattern (and with it every request with that key).
	test.each([...'.*+?^$()[]{}|\\/-'])('a key with %j: scrubbed where it is, and text that only looks like it is kept', async (char) => {
		const key = `key${char}01`;
		const message = `denied for ${key}; keyX01 and key01 are other keys`;
		expect(await providerMessageOf(message, 'text/plain', key)).toBe('denied for [redacted]; keyX01 and key01 are other keys');
	});

	test('a key with a tab inside, quoted in a text body as JSON writes it (the tab as \\t)', async () => {
		const key = 'sk-key\twith-tab';
		const echoed = `upstream said ${JSON.stringify(key)}`;
		expect(echoed).toBe('upstream said "sk-key\\twith-tab"');
		expect(await providerMessageOf(echoed, 'text/plain', key)).toBe('upstream said "[redacted]"');
	});

	test('a key that ends in a quote, echoed raw before a JSON quote: the answer is still read as JSON', async () => {
		// Scrubbing the raw text takes the string's closing quote with the key; the JSON is then
		// read from the unscrubbed text, and its strings scrubbed once parsed.
		const message = await providerMessageOf('{"message":"sk-x\\"","detail":"sk-x\\""}', 'application/json', 'sk-x"');
		expect(message).toBe('[redacted]');
		const echoedRaw = await providerMessageOf('{"message":"no: sk-x","n":1}', 'application/json', 'sk-x"');
		expect(echoedRaw).toBe('no: sk-x');
	});
});

describe('a successful answer that starts with a byte-order mark', () => {
	test('is read as JSON', async () => {
		const link = { id: LINK, accountId: '111', label: 'L', description: null, type: 1000 };
		nock(HOST).put(PUT).reply(200, `\uFEFF${JSON.stringify({ data: link, _meta: {} })}`, { 'content-type': 'application/json' });
		const result = await runFansly({ parameters: update(), credentials: { fansApiApi: { apiKey: 'answer-text-key' } } });
		expect(result.error).toBeUndefined();
		expect(result.items[0].json).toMatchObject({ id: LINK, label: 'L' });
	});
});

describe('the key where an error body is cut', () => {
	const key = 'cut-key/+=&"0123456789abcdef';
	/** Markup (left out of the snippet) up to a few characters before the cut, then the key. */
	const before = (at: number) => `<!--${'x'.repeat(at - 7)}-->`;
	let server: http.Server;
	let base: string;

	beforeAll(() => nock.enableNetConnect('127.0.0.1'));
	afterAll(() => nock.disableNetConnect());

	async function serve(write: (res: http.ServerResponse) => void): Promise<void> {
		server = http.createServer((req, res) => {
			res.writeHead(500, { 'content-type': 'text/html' });
			write(res);
		});
		await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
		base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
	}

	/** Filler after what was written, until the node hangs up. */
	function endless(res: http.ServerResponse): void {
		while (!res.destroyed && res.write(' filler')) {
			// until the socket's buffer is full
		}
		if (!res.destroyed) res.once('drain', () => endless(res));
	}

	afterEach(async () => {
		server.closeAllConnections();
		await new Promise((resolve) => server.close(resolve));
	});

	async function shown(): Promise<unknown> {
		const result = await runFansly({
			parameters: update(),
			credentials: { fansApiApi: { apiKey: key, baseUrl: 'custom', customBaseUrl: base } },
			continueOnFail: true,
		});
		return result.items[0].json.providerMessage;
	}

	test('a body read whole (a little past the cut): its key is scrubbed, and what follows it shown', async () => {
		await serve((res) => res.end(`${before(ERROR_BODY_LIMIT - 3)}${key} and more`));
		expect(await shown()).toBe('[redacted] and more');
	});

	test.each([3, 10, key.length - 1])('a body that never ends, the key starting %d characters before the cut: replaced whole', async (ahead) => {
		await serve((res) => {
			res.write(`${before(ERROR_BODY_LIMIT - ahead)}${key}`);
			endless(res);
		});
		expect(await shown()).toBe('[redacted]');
	});

	test('a 2xx that is not JSON, the key where the snippet stops looking (twice the error limit): replaced whole', async () => {
		server = http.createServer((req, res) => {
			res.writeHead(200, { 'content-type': 'text/html' }).end(`${before(2 * ERROR_BODY_LIMIT - 3)}${key} and more`);
		});
		await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
		base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
		const result = await runFansly({
			parameters: update(),
			credentials: { fansApiApi: { apiKey: key, baseUrl: 'custom', customBaseUrl: base } },
			continueOnFail: true,
		});
		// The key was replaced before the snippet's cut, which then falls inside the marker.
		expect(result.items[0].json.error).toBe(
			`Unexpected response from Fans API for tracking link "${LINK}" on account "${ACCOUNT}": the body is not JSON ("[re")`,
		);
		expect(result.items[0].json.description).toBe(
			'The provider answered HTTP 2xx with something other than JSON (for example an HTML page from a proxy, or a cut-off body). Nothing in it was used.',
		);
	});

	test('a body that never ends, in two-byte characters, the key cut where the reading stops: none of it shown', async () => {
		// The body is read in bytes and cut in characters: with two bytes a character, the cut
		// falls well before the last characters read, and a key the read cut short is left out.
		const readTo = ERROR_BODY_LIMIT + key.length * 64;
		const wide = Math.floor((readTo - 17) / 2);
		await serve((res) => {
			res.write(`<!--${'é'.repeat(wide)}-->${key}`);
			endless(res);
		});
		expect(await shown()).toBeUndefined();
	});

	test('a body that never ends, the key just after the cut: not shown', async () => {
		await serve((res) => {
			res.write(`${before(ERROR_BODY_LIMIT + 1)}${key}`);
			endless(res);
		});
		expect(await shown()).toBeUndefined();
	});
});
