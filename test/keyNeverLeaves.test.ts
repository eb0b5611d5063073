/* eslint-disable @n8n/community-nodes/no-restricted-imports --
 * Test code, never published: a local server stands in for a provider that echoes the key. */
/**
 * The API key never leaves the node, whatever the answer looks like: a real local server
 * echoes the key it receives, in every encoding a provider, a proxy or a framework writes it
 * (raw, JSON-escaped with `\/` or `\u`, nested JSON, percent-encoded in either case or twice,
 * form-encoded, HTML references named, decimal and hexadecimal), in every place an answer can
 * carry it (an HTML error page, a text or JSON error body, a 2xx that is not JSON, a redirect's
 * Location, a successful list's fields and metadata). Through n8n's real engine; the run data
 * and the error are then read in every way a person or a program could decode them, and the
 * key must appear in none of the readings.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';

import nock from 'nock';
import type { IDataObject, INode, INodeParameters } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { scrubThrown } from '../nodes/Fansly/helpers/errors';
import { Secrets } from '../nodes/Fansly/transport/secrets';
import type { RunResult } from './helpers/engine';
import { runFansly } from './helpers/engine';

type Provider = 'apiFanslyApi' | 'fansApiApi';

const PROVIDERS: Provider[] = ['apiFanslyApi', 'fansApiApi'];

/**
 * Keys with the characters every encoding changes; the third is trimmed before it is sent. The
 * first holds backslashes (JSON doubles them; a scrub that passes over runs of them cannot).
 */
const KEYS = ['sk\\bs\\key', 'sk&"<>+/=%key', '  a & b " c < d > e + f / g = h % i  ', 'Zx9/q+W=Lm%2F&amp;tail', 'Zx9/q+W=Lm8tailQ', 'sk&live&key42'];

const hex = (code: number, width: number) => code.toString(16).padStart(width, '0');
const codes = (key: string) => [...key].map((char) => char.codePointAt(0) as number);
const lowerPercent = (text: string) => text.replace(/%[0-9A-F]{2}/g, (escape) => escape.toLowerCase());
const NAMED: Record<string, string> = { '&': 'amp', '"': 'quot', '<': 'lt', '>': 'gt', '+': 'plus', '/': 'sol', '=': 'equals', '%': 'percnt' };

/** How a provider, a proxy or a framework may write the key back. */
const ENCODINGS: Record<string, (key: string) => string> = {
	raw: (key) => key,
	'JSON-escaped': (key) => JSON.stringify(key).slice(1, -1),
	'JSON-escaped with \\/ (PHP)': (key) => JSON.stringify(key).slice(1, -1).replace(/\//g, '\\/'),
	'\\u escapes, lower-case hex': (key) => codes(key).map((c) => `\\u${hex(c, 4)}`).join(''),
	'\\u escapes, upper-case hex': (key) => codes(key).map((c) => `\\u${hex(c, 4).toUpperCase()}`).join(''),
	'JSON inside JSON': (key) => JSON.stringify(JSON.stringify(key)).slice(1, -1),
	'\\u escapes inside JSON inside JSON': (key) => JSON.stringify(ENCODINGS['\\u escapes, lower-case hex'](key)).slice(1, -1),
	'percent-encoded, upper case': (key) => encodeURIComponent(key),
	'percent-encoded, lower case (.NET)': (key) => lowerPercent(encodeURIComponent(key)),
	'form-encoded (+ for a space)': (key) => new URLSearchParams({ k: key }).toString().slice(2),
	'percent-encoded twice': (key) => encodeURIComponent(encodeURIComponent(key)),
	'HTML named references': (key) => [...key].map((char) => (NAMED[char] ? `&${NAMED[char]};` : char)).join(''),
	'HTML decimal references': (key) => codes(key).map((c) => `&#${c};`).join(''),
	'HTML hex references': (key) => codes(key).map((c) => `&#x${hex(c, 2)};`).join(''),
	'HTML hex references, capital X, no semicolon': (key) => codes(key).map((c) => `&#X${hex(c, 2).toUpperCase()}`).join(''),
	// An escaped form carried in a URL: a JSON state in a query string, a page's text in a link.
	'JSON-escaped with \\/ (PHP), then percent-encoded': (key) => encodeURIComponent(ENCODINGS['JSON-escaped with \\/ (PHP)'](key)),
	'JSON-escaped, then percent-encoded in lower case': (key) => lowerPercent(encodeURIComponent(ENCODINGS['JSON-escaped'](key))),
	'\\u escapes, then percent-encoded': (key) => encodeURIComponent(ENCODINGS['\\u escapes, upper-case hex'](key)),
	'HTML named references, then percent-encoded': (key) => encodeURIComponent(ENCODINGS['HTML named references'](key)),
	'HTML decimal references, then percent-encoded in lower case': (key) => lowerPercent(encodeURIComponent(ENCODINGS['HTML decimal references'](key))),
	'HTML hex references, then percent-encoded': (key) => encodeURIComponent(ENCODINGS['HTML hex references'](key)),
};

interface Answer {
	status: number;
	headers: Record<string, string>;
	body: string;
}

/** Where an answer carries the echo. */
const ANSWERS: Record<string, (echo: string) => Answer> = {
	'an HTML error page (502)': (echo) => ({
		status: 502,
		headers: { 'content-type': 'text/html' },
		body: `<!DOCTYPE html><html><head><title>502</title><style>p{color:red}</style></head><body><h1>Bad Gateway</h1><p>upstream refused key ${echo} for this request</p></body></html>`,
	}),
	'a text error body (400)': (echo) => ({ status: 400, headers: { 'content-type': 'text/plain' }, body: `bad key: ${echo}` }),
	'a JSON error message (401)': (echo) => ({
		status: 401,
		headers: { 'content-type': 'application/json' },
		body: `{"message":"invalid key ${echo}","key":"${echo}"}`,
	}),
	// The scrub passes over long runs of backslashes in one step: a form right after one is found.
	'a text error body, right after a long run of backslashes (400)': (echo) => ({
		status: 400,
		headers: { 'content-type': 'text/plain' },
		body: `no such file C:${'\\'.repeat(23)}${echo}`,
	}),
	'a 200 that is not JSON': (echo) => ({ status: 200, headers: { 'content-type': 'text/html' }, body: `<p>proxy says ${echo}</p>` }),
	"a redirect's Location that is no URL": (echo) => ({
		status: 302,
		headers: { location: `http://exa mple.com/cb?key=${echo}` },
		body: '',
	}),
};

// ---------------------------------------------------------------------------------------------
// Reading the output in every way it could be decoded (written here, not taken from the node).

const JSON_ESCAPES: Record<string, string> = { '"': '"', '\\': '\\', '/': '/', b: '\b', f: '\f', n: '\n', r: '\r', t: '\t' };
const REFERENCES: Record<string, string> = { amp: '&', quot: '"', lt: '<', gt: '>', apos: "'", nbsp: ' ', plus: '+', sol: '/', equals: '=', percnt: '%' };

const DECODERS: Record<string, (text: string) => string> = {
	json: (text) =>
		text
			.replace(/\\u([0-9a-fA-F]{4})/g, (_, code: string) => String.fromCharCode(parseInt(code, 16)))
			.replace(/\\(["\\/bfnrt])/g, (_, char: string) => JSON_ESCAPES[char]),
	percent: (text) =>
		text.replace(/(?:%[0-9a-fA-F]{2})+/g, (run) =>
			Buffer.from(run.slice(1).split('%').map((byte) => parseInt(byte, 16))).toString('utf8'),
		),
	form: (text) => DECODERS.percent(text.replace(/\+/g, ' ')),
	html: (text) =>
		text.replace(/&(#\d+|#[xX][0-9a-fA-F]+|[a-zA-Z]+);?/g, (whole, ref: string) => {
			if (ref.startsWith('#x') || ref.startsWith('#X')) return String.fromCodePoint(parseInt(ref.slice(2), 16));
			if (ref.startsWith('#')) return String.fromCodePoint(Number(ref.slice(1)));
			return REFERENCES[ref] ?? whole;
		}),
};

/** The decoders applied in turn (up to three deep) under which `text` shows `key`, if any. */
function revealingReading(text: string, key: string): string | undefined {
	const queue: Array<[string, string]> = [['as it is', text]];
	for (let depth = 0; depth <= 3; depth++) {
		const next: Array<[string, string]> = [];
		for (const [path, value] of queue) {
			if (value.includes(key)) return path;
			if (depth < 3) {
				for (const [name, decode] of Object.entries(DECODERS)) {
					const decoded = decode(value);
					if (decoded !== value) next.push([`${path} → ${name}`, decoded]);
				}
			}
		}
		queue.splice(0, queue.length, ...next);
	}
	return undefined;
}

/** Everything n8n keeps or shows of a run: its data, items, and the error with all it carries. */
function everything(result: RunResult): string {
	return [JSON.stringify(result.run), whatTheNodeGave(result)].join('\n');
}

/** The node's output items and its error with all it carries. */
function whatTheNodeGave(result: RunResult): string {
	const error = result.error as (RunResult['error'] & IDataObject) | undefined;
	return [
		JSON.stringify(result.items),
		JSON.stringify(result.errorItems),
		error?.message,
		error?.description,
		error?.stack,
		JSON.stringify(error?.messages),
		JSON.stringify(error?.context),
		JSON.stringify(error?.cause),
		JSON.stringify(error?.errorResponse),
	].join('\n');
}

function expectNoKey(result: RunResult, key: string, where = everything): void {
	expect(revealingReading(where(result), key)).toBeUndefined();
}

// ---------------------------------------------------------------------------------------------
// A provider that echoes the key it receives

let server: http.Server;
let baseUrl: string;
let answer: (key: string, path: string) => Answer;
let received: string[] = [];

beforeAll(async () => {
	nock.enableNetConnect('127.0.0.1');
	server = http.createServer((req, res) => {
		const header = req.headers['x-api-key'] ?? req.headers.authorization ?? '';
		const key = String(header).replace(/^Bearer /, '');
		received.push(key);
		req.resume();
		req.on('end', () => {
			const { status, headers, body } = answer(key, req.url ?? '');
			res.writeHead(status, headers).end(body);
		});
	});
	await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
	baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
	server.closeAllConnections();
	await new Promise((resolve) => server.close(resolve));
	nock.disableNetConnect();
});

beforeEach(() => {
	received = [];
});

function credentials(p: Provider, apiKey: string): Record<string, IDataObject> {
	return p === 'apiFanslyApi'
		? { apiFanslyApi: { apiKey, baseUrl } }
		: { fansApiApi: { apiKey, baseUrl: 'custom', customBaseUrl: baseUrl } };
}

/** An operation of provider `p` on account acct_1. */
function parameters(p: Provider, operation: string, extra: IDataObject = {}): INodeParameters {
	return {
		authentication: p,
		resource: 'trackingLink',
		operation,
		account: { __rl: true, mode: 'id', value: 'acct_1' },
		...extra,
	} as INodeParameters;
}

const update = (p: Provider) =>
	parameters(p, 'update', {
		trackingLink: { __rl: true, mode: 'id', value: '845759434926862336' },
		updateFields: { label: 'L' },
		options: { retry: false, timeout: 5000 },
	});

const fansApi = (operation: string, extra: IDataObject = {}) => parameters('fansApiApi', operation, extra);

const jsonAnswer = (body: string): Answer => ({ status: 200, headers: { 'content-type': 'application/json' }, body });

const CASES = KEYS.flatMap((key) =>
	Object.keys(ENCODINGS).flatMap((encoding) => Object.keys(ANSWERS).map((place) => ({ key, encoding, place }))),
);

describe.each(PROVIDERS)('%s: the key never leaves, however the answer echoes it', (p) => {
	test.each(CASES)('$encoding, in $place (key $key)', async ({ key, encoding, place }) => {
		answer = (sent) => ANSWERS[place](ENCODINGS[encoding](sent));
		for (const onError of ['stop', 'continueRegularOutput'] as const) {
			received = [];
			const result = await runFansly({
				parameters: update(p),
				credentials: credentials(p, key),
				...(onError === 'stop' ? {} : { onError }),
			});
			// The key was sent, trimmed, and echoed...
			expect(received).toEqual([key.trim()]);
			// ...the run failed on the echo, which is shown scrubbed...
			const shown = onError === 'stop' ? result.error?.message : (result.items[0]?.json.error as string);
			expect(shown).toContain('[redacted]');
			// ...and no reading of anything n8n keeps shows the key.
			expectNoKey(result, key.trim());
		}
	});
});

describe('the key in a successful answer: Get Many', () => {
	const key = 'sk/lIst+key=&"<x>%';
	const escapedName = codes(key).map((c) => `\\u${hex(c, 4)}`).join('');
	// Percent-encoded, its `%` signs written as \u0025: no form of the key until parsed.
	const percentInEscapes = encodeURIComponent(key).replace(/%/g, '\\u0025');
	/** A link as Fans API lists it, with `metadata` and `description` as raw JSON. */
	const link = (id: string, metadata: string, description: string) =>
		`{"id":"${id}","accountId":"111","internalId":"1","type":1000,"status":1,"label":"L${id}","description":${description},"metadata":${metadata},"createdAt":"2026-02-08T09:54:44.000Z","clicks":1,"claims":0,"follows":0,"subscriptions":0,"totalNet":0,"totalGross":0}`;

	test('the key as a metadata property name (\\u escapes; percent-encoded with \\u0025), inside metadata written as JSON text, and percent-encoded in a description', async () => {
		const links = [
			link('1', `{"${escapedName}":1}`, 'null'),
			link('2', JSON.stringify(JSON.stringify({ note: `key=${key}` })), 'null'),
			link('3', 'null', `"${lowerPercent(encodeURIComponent(key))}"`),
			link('4', `{"${percentInEscapes}":2}`, 'null'),
		];
		answer = () => jsonAnswer(`{"data":[${links.join(',')}],"_meta":{}}`);
		const result = await runFansly({
			parameters: fansApi('getAll', { returnAll: true }),
			credentials: credentials('fansApiApi', key),
		});
		expect(result.error).toBeUndefined();
		expect(result.items.map((item) => [item.json.id, item.json.metadata, item.json.description])).toEqual([
			['1', { '[redacted]': 1 }, null],
			['2', { note: 'key=[redacted]' }, null],
			['3', null, '[redacted]'],
			['4', { '[redacted]': 2 }, null],
		]);
		expectNoKey(result, key);
	});
});

describe('what the node builds after reading an answer is scrubbed too', () => {
	const key = 'sk/fInal+key=&"<x>%';

	test('metadata written as JSON text decodes to a form of the key the answer did not show (an HTML reference in a \\u escape)', async () => {
		// The answer holds `\u0026amp;` for the key's `&`: no encoding of the key until the
		// node parses the metadata, which makes it `&amp;`, the key's HTML form.
		const note = JSON.stringify(key).slice(1, -1).replace('&', '\\u0026amp;');
		const metadata = JSON.stringify(`{"note":"${note}"}`);
		answer = () => jsonAnswer(`{"data":[{"id":"1","accountId":"111","label":"L","description":null,"metadata":${metadata},"type":1000}],"_meta":{}}`);
		const result = await runFansly({
			parameters: fansApi('getAll', { returnAll: true }),
			credentials: credentials('fansApiApi', key),
		});
		expect(result.error).toBeUndefined();
		expect(result.items.map((item) => item.json.metadata)).toEqual([{ note: '[redacted]' }]);
		expectNoKey(result, key);
	});

	test.each(['stop', 'continueRegularOutput', 'continueErrorOutput'] as const)(
		'an id that holds the key (mapped from elsewhere by mistake): the not-found error and its item are scrubbed (On Error %s)',
		async (onError) => {
			answer = () => jsonAnswer('{"data":[],"_meta":{}}');
			const result = await runFansly({
				parameters: fansApi('get', { trackingLink: { __rl: true, mode: 'id', value: key } }),
				credentials: credentials('fansApiApi', key),
				...(onError === 'stop' ? {} : { onError }),
			});
			const error = onError === 'stop' ? result.error?.message : String((onError === 'continueErrorOutput' ? result.errorItems : result.items)[0]?.json.error);
			expect(error).toBe('Tracking link "[redacted]" not found on account "acct_1"' + (onError === 'stop' ? ' (item 0)' : ''));
			// The run data holds the node's own parameters (the id as typed): what the node gave must not.
			expectNoKey(result, key, whatTheNodeGave);
		},
	);
});

// A value the node rejects before any request may quote what the user typed or mapped, and that
// may be the key (a column mapped by mistake, a workflow written by hand): the error is scrubbed
// as every error after a request is, whatever On Error says and wherever the run stops.
describe('an error before any request that quotes the key is scrubbed too', () => {
	const key = 'sk/fInal+key=&"<x>%';
	const ON_ERROR = ['stop', 'continueRegularOutput', 'continueErrorOutput'] as const;

	/** The error's message as n8n shows it: the run's error, or the first error item's. */
	const errorOf = (result: RunResult, onError: (typeof ON_ERROR)[number]) =>
		onError === 'stop'
			? result.error?.message
			: String((onError === 'continueErrorOutput' ? result.errorItems : result.items)[0]?.json.error);

	test.each(ON_ERROR)('Get Stats with After set to the key: not a date (On Error %s)', async (onError) => {
		answer = () => jsonAnswer('{}');
		const result = await runFansly({
			parameters: fansApi('getStats', {
				trackingLink: { __rl: true, mode: 'id', value: '845759434926862336' },
				range: { after: key },
			}),
			credentials: credentials('fansApiApi', key),
			...(onError === 'stop' ? {} : { onError }),
		});
		expect(errorOf(result, onError)).toBe('After is not a date: "[redacted]" (item 0)');
		expect(received).toEqual([]);
		expectNoKey(result, key, whatTheNodeGave);
	});

	test.each(ON_ERROR)('an operation named with the key (a workflow written by hand): not known (On Error %s)', async (onError) => {
		answer = () => jsonAnswer('{}');
		const result = await runFansly({
			parameters: fansApi(key),
			credentials: credentials('fansApiApi', key),
			...(onError === 'stop' ? {} : { onError }),
		});
		expect(errorOf(result, onError)).toBe('The operation "[redacted]" of "trackingLink" is not known');
		expect(received).toEqual([]);
		expectNoKey(result, key, whatTheNodeGave);
	});

	// What the trigger throws goes through scrubThrown whatever it is, a bug's own error included.
	test('scrubThrown: an n8n error in all it carries, any other error its message and stack, anything else as it is', () => {
		const secrets = new Secrets([key]);
		const node = { id: '1', name: 'Fansly', type: 'fansly', typeVersion: 1, position: [0, 0], parameters: {} } as INode;
		const nodeError = new NodeOperationError(node, `bad ${key}`, { description: `see ${key}` });
		expect(scrubThrown(nodeError, secrets)).toBe(nodeError);
		expect([nodeError.message, nodeError.description]).toEqual(['bad [redacted]', 'see [redacted]']);
		const bug = new TypeError(`cannot read ${key}`);
		expect(scrubThrown(bug, secrets)).toBe(bug);
		expect(bug.message).toBe('cannot read [redacted]');
		expect(bug.stack).toContain('TypeError: cannot read [redacted]');
		expect(bug.stack).not.toContain(key);
		expect(scrubThrown(key, secrets)).toBe(key);
		const untouched = new Error(`bad ${key}`);
		expect(scrubThrown(untouched, undefined).message).toBe(`bad ${key}`);
	});
});

// A next-page URL is read with `new URL`, which drops tabs and line breaks and turns `\` into
// `/`: a key the answer wrote with tabs between its characters (no form of the key, so nothing
// scrubbed it) comes out whole, and the reason quotes the start of that path. Cut there, the key
// could no longer be found by the scrub of the error the node hands to n8n.
describe('a next-page URL that only decodes to the key', () => {
	const keys = ['sk-live-NextPage-7Q2x', 'sk/fInal+key=&"<x>%'];
	const spaced = (key: string) => [...key].join('\t');
	const links = '[{"id":"1","accountId":"111","label":"L","description":null,"metadata":null,"type":1000}]';

	test.each([
		...keys.flatMap((key) => [
			{ key, title: 'the key cut by the 120 characters quoted', nextPage: `/${'a'.repeat(100)}${spaced(key)}/x`, shown: `/${'a'.repeat(100)}[redacted]` },
			{ key, title: 'the key whole in a short path', nextPage: `/x/${spaced(key)}/y`, shown: '/x/[redacted]/y' },
		]),
		{ key: keys[1], title: 'the key with a backslash for its slash', nextPage: `/x/${keys[1].replace('/', '\\')}/y`, shown: '/x/[redacted]/y' },
	])('$title (key $key)', async ({ key, nextPage, shown }) => {
		answer = () => jsonAnswer(`{"data":${links},"_meta":{},"_pagination":{"next_page":${JSON.stringify(nextPage)}}}`);
		const result = await runFansly({
			parameters: fansApi('getAll', { returnAll: true }),
			credentials: credentials('fansApiApi', key),
		});
		expect(received).toEqual([key]);
		expect(result.error?.message).toBe(
			`Unexpected response from Fans API for the tracking links of account "acct_1": only part of the list came back: _pagination.next_page points to another list (${shown}) (item 0)`,
		);
		expectNoKey(result, key);
	});
});
