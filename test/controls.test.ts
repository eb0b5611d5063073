/* eslint-disable @n8n/community-nodes/no-restricted-imports, @n8n/community-nodes/no-restricted-globals, @n8n/community-nodes/no-hardcoded-secrets --
 * Test code, never published: local servers stand in for a provider and for the host a
 * redirect points at, timers drip a slow body, and the keys are fakes made for these tests. */
/**
 * The node under n8n's own controls, through n8n's real execution engine: the error output,
 * Stop (the execution's cancel signal), redirects, keys echoed back in any encoding, large
 * error pages, whole-request time-outs and option bounds.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';

import nock from 'nock';
import type { IDataObject, INodeParameters } from 'n8n-workflow';

import { AdaptiveConcurrency } from '../nodes/Fansly/actions/runner';
import { NODE_NAME, runFansly, startFansly } from './helpers/engine';
import type { SeenRequest } from './helpers/reply';
import { replyWith } from './helpers/reply';
import { updateParameters } from './fixtures/parameters';
import { apiFanslyUpdated, fansApiEnvelope, fansApiListLink } from './fixtures/responses';

type Provider = 'apiFanslyApi' | 'fansApiApi';

const ACC_AF = 'fansly_acc_controls';
const ACC_FA = 'fansly_acct_CONTROLS0000001';
const LINK = '845759434926862336';
const HOST: Record<Provider, string> = {
	apiFanslyApi: 'https://v1.apifansly.com',
	fansApiApi: 'https://api.fansapi.com',
};
const PROVIDERS: Provider[] = ['apiFanslyApi', 'fansApiApi'];

/** A fresh key per test: the rate budget is shared per key, so tests must not share one. */
let keySeq = 0;
function freshKey(): string {
	keySeq += 1;
	return `controls-key-${keySeq}-${Date.now()}`;
}

function account(p: Provider): string {
	return p === 'apiFanslyApi' ? ACC_AF : ACC_FA;
}

const updateParams = (p: Provider, options: IDataObject = {}, trackingLink = LINK) =>
	updateParameters(p, { account: account(p), trackingLink, options });

/** The provider's success answer for an update of `id` to `label`. */
function updated(p: Provider, id: string, label: string): IDataObject {
	const link = { id, accountId: '800000000000000001', label, description: null };
	return (p === 'apiFanslyApi' ? apiFanslyUpdated(link) : fansApiEnvelope(link)) as IDataObject;
}

/** The id of the link a PUT is about (in the body for API Fansly, in the path for Fans API). */
function linkOf(p: Provider, req: SeenRequest): string {
	return p === 'apiFanslyApi' ? String((req.body as IDataObject).id) : req.path.split('/').pop()!;
}

const putPath = (p: Provider) => (path: string) => path.startsWith(`/api/fansly/${account(p)}/tracking-links`);

async function settle(ms: number): Promise<void> {
	await new Promise((resolve) => setTimeout(resolve, ms));
}

// ---------------------------------------------------------------------------------------------
describe.each(PROVIDERS)('%s: On Error → Continue (using error output)', (p) => {
	it('failed items leave by the error output, paired and with the same fields; the others by the success output, in order', async () => {
		const key = freshKey();
		nock(HOST[p])
			.put(putPath(p))
			.times(4)
			.reply(
				replyWith((req) => {
					const id = linkOf(p, req);
					return id === 'missing'
						? [404, p === 'apiFanslyApi' ? { statusCode: 404, message: 'Tracking link not found', data: null } : { message: 'Tracking link not found' }]
						: [200, updated(p, id, (req.body as IDataObject).label as string)];
				}),
			);
		const result = await runFansly({
			parameters: updateParams(p, {}, '={{ $json.link }}'),
			items: [
				{ link: '1', label: 'A' },
				{ link: 'missing', label: 'B' },
				{ link: '3', label: 'C' },
				{ link: '4', label: 'D' },
			],
			credentials: { [p]: { apiKey: key } },
			onError: 'continueErrorOutput',
		});
		expect(result.error).toBeUndefined();
		expect(result.items.map((i) => [i.json.id, i.json.label, i.pairedItem])).toEqual([
			['1', 'A', { item: 0 }],
			['3', 'C', { item: 2 }],
			['4', 'D', { item: 3 }],
		]);
		expect(result.errorItems).toHaveLength(1);
		const failed = result.errorItems[0];
		expect(failed.pairedItem).toEqual({ item: 1 });
		// The node's fields are under `message` (n8n also merges in the input item's fields
		// when the node has a parent, which this single-node run does not).
		expect(failed.json).toEqual({
			error: `Not found: tracking link "missing" on account "${account(p)}" (HTTP 404): Tracking link not found`,
			message: {
				description: expect.stringContaining('Check the IDs'),
				itemIndex: 1,
				accountId: account(p),
				trackingLinkId: 'missing',
				httpCode: 404,
				providerMessage: 'Tracking link not found',
				provider: p === 'apiFanslyApi' ? 'apiFansly' : 'fansApi',
			},
		});
		expect(JSON.stringify(result.run)).not.toContain(key);
	});

	it('a bad item (checked before any request) also leaves by the error output', async () => {
		const scope = nock(HOST[p])
			.put(putPath(p))
			.reply(replyWith((req) => [200, updated(p, linkOf(p, req), 'A')]));
		const result = await runFansly({
			parameters: updateParams(p, {}, '={{ $json.link }}'),
			items: [{ link: '1', label: 'A' }, { link: '   ', label: 'B' }],
			credentials: { [p]: { apiKey: freshKey() } },
			onError: 'continueErrorOutput',
		});
		expect(scope.isDone()).toBe(true);
		expect(result.items.map((i) => i.pairedItem)).toEqual([{ item: 0 }]);
		expect(result.errorItems.map((i) => i.pairedItem)).toEqual([{ item: 1 }]);
		expect(result.errorItems[0].json.error).toMatch(/Tracking Link/);
		expect(result.errorItems[0].json.message).toEqual({
			itemIndex: 1,
			description: 'Choose a value or map one from the input item.',
			provider: p === 'apiFanslyApi' ? 'apiFansly' : 'fansApi',
		});
	});

	it('with Continue (regular output) a failed item stays on the success output, as before', async () => {
		nock(HOST[p])
			.put(putPath(p))
			.times(2)
			.reply(
				replyWith((req) =>
					linkOf(p, req) === 'missing' ? [404, { message: 'Tracking link not found' }] : [200, updated(p, linkOf(p, req), 'A')],
				),
			);
		const result = await runFansly({
			parameters: updateParams(p, {}, '={{ $json.link }}'),
			items: [{ link: 'missing', label: 'A' }, { link: '2', label: 'A' }],
			credentials: { [p]: { apiKey: freshKey() } },
			continueOnFail: true,
		});
		expect(result.errorItems).toEqual([]);
		expect(result.items.map((i) => [i.pairedItem, i.json.httpCode ?? null])).toEqual([
			[{ item: 0 }, 404],
			[{ item: 1 }, null],
		]);
		expect(result.items[0].error).toBeUndefined();
	});
});

// ---------------------------------------------------------------------------------------------
describe.each(PROVIDERS)('%s: Stop and the workflow time-out', (p) => {
	/** Counts the PUTs that reach the provider, answering each after `latencyMs`. */
	function countingProvider(latencyMs = 0, status = 200, headers: Record<string, string> = {}) {
		const seen: string[] = [];
		nock(HOST[p])
			.put(putPath(p))
			.times(1000)
			.delay(latencyMs)
			.reply(
				replyWith((req) => {
					seen.push(linkOf(p, req));
					return status === 200 ? [200, updated(p, linkOf(p, req), 'L')] : [status, { message: 'busy' }, headers];
				}),
			);
		return seen;
	}

	async function until(condition: () => boolean): Promise<void> {
		while (!condition()) await settle(10);
	}

	const items = (n: number) => Array.from({ length: n }, (_, i) => ({ link: String(i + 1), label: 'L' }));

	/**
	 * Starts an update of `count` links, waits until the provider has seen `before` requests
	 * (and a moment more, so the node is in its wait), presses Stop, and returns what the
	 * provider saw by the time the run ended and a while after.
	 */
	async function stopWhileWaiting(seen: string[], options: IDataObject, count: number, before: number, completed: number) {
		// A backoff is a random part of its ceiling (full jitter): fixed at half of it, so that a
		// backoff of a long base delay is never the few milliseconds before Stop arrives.
		const random = jest.spyOn(Math, 'random').mockReturnValue(0.5);
		// Called once the node has read a good answer: from there its item completes without I/O,
		// so Stop cannot catch it however slow the machine is.
		const answered = jest.spyOn(AdaptiveConcurrency.prototype, 'onHealthy');
		try {
			const run = startFansly({
				parameters: updateParams(p, options, '={{ $json.link }}'),
				items: items(count),
				credentials: { [p]: { apiKey: freshKey() } },
			});
			await until(() => seen.length === before);
			await until(() => answered.mock.calls.length === completed);
			await settle(50);
			run.cancel();
			const result = await run.done;
			// n8n reports the cancel at once; the node's run data (its error) follows when it returns.
			await until(() => result.run.data.resultData.runData[NODE_NAME] !== undefined);
			await settle(300);
			return result;
		} finally {
			random.mockRestore();
			answered.mockRestore();
		}
	}

	// The last column: what the node's run data says, counting the items that were done.
	it.each([
		['items waiting for a rate-limit slot are never sent', { latencyMs: 0, status: 200 }, { requestsPerMinute: 2 }, 6, 2, '2 of 6 items'],
		['a provider wait hint (429, Retry-After 30 s) ends at once: no retry is sent', { latencyMs: 0, status: 429, headers: { 'Retry-After': '30', 'X-RateLimit-Retry-After': '30' } }, {}, 1, 1, '0 of 1 item'],
		['a backoff wait (503, long base delay) ends at once: no retry is sent', { latencyMs: 0, status: 503 }, { retryDelay: 60_000 }, 1, 1, '0 of 1 item'],
		['a request in flight is aborted, and no later item is sent', { latencyMs: 60_000, status: 200 }, { maxConcurrency: 1 }, 3, 1, '0 of 3 items'],
	] as const)('after Stop, %s; the execution is cancelled', async (_title, provider, options, count, before, done) => {
		const seen = countingProvider(provider.latencyMs, provider.status, 'headers' in provider ? provider.headers : {});
		const result = await stopWhileWaiting(seen, options, count, before, Number(done.split(' ')[0]));
		expect(seen).toEqual(Array.from({ length: before }, (_, i) => String(i + 1)));
		expect(result.run.status).toBe('canceled');
		expect(result.run.data.resultData.runData[NODE_NAME]?.[0]?.error?.message).toBe(
			`The execution was cancelled: ${done} completed, nothing more was sent`,
		);
	}, 10_000);
});

describe('Fans API: Stop during the label look-up', () => {
	it('a description-only update waiting on the list ends at once, and no PUT is sent', async () => {
		const seen: string[] = [];
		nock(HOST.fansApiApi)
			.get(`/api/fansly/${ACC_FA}/tracking-links`)
			.times(10)
			.reply(
				replyWith((req) => {
					seen.push(`${req.method} ${req.path}`);
					return [429, { message: 'Too Many Requests' }, { 'Retry-After': '30' }];
				}),
			)
			.put(() => true)
			.times(10)
			.reply(
				replyWith((req) => {
					seen.push(`${req.method} ${req.path}`);
					return [200, fansApiEnvelope(fansApiListLink(LINK, 'x'))];
				}),
			);
		const run = startFansly({
			parameters: {
				...updateParams('fansApiApi'),
				updateFields: { description: 'New' },
			} as INodeParameters,
			credentials: { fansApiApi: { apiKey: freshKey() } },
		});
		while (seen.length === 0) await settle(10);
		await settle(50);
		run.cancel();
		await run.done;
		await settle(300);
		expect(seen).toEqual([`GET /api/fansly/${ACC_FA}/tracking-links`]);
	}, 10_000);
});

// ---------------------------------------------------------------------------------------------
describe.each(PROVIDERS)('%s: redirects are never followed', (p) => {
	let provider: http.Server;
	let other: http.Server;
	let reachedOther: Array<{ method?: string; url?: string; headers: http.IncomingHttpHeaders }>;
	let reachedProvider = 0;
	let otherUrl = '';

	beforeAll(() => nock.enableNetConnect('127.0.0.1'));
	afterAll(() => nock.disableNetConnect());

	beforeEach(async () => {
		reachedOther = [];
		reachedProvider = 0;
		other = http.createServer((req, res) => {
			reachedOther.push({ method: req.method, url: req.url, headers: req.headers });
			res.writeHead(200, { 'content-type': 'application/json' }).end('{}');
		});
		await new Promise<void>((resolve) => other.listen(0, '127.0.0.1', resolve));
		otherUrl = `http://127.0.0.1:${(other.address() as AddressInfo).port}`;
		provider = http.createServer((req, res) => {
			reachedProvider += 1;
			res.writeHead(307, { location: `${otherUrl}${req.url}` }).end();
		});
		await new Promise<void>((resolve) => provider.listen(0, '127.0.0.1', resolve));
	});

	afterEach(async () => {
		await new Promise((resolve) => provider.close(resolve));
		await new Promise((resolve) => other.close(resolve));
	});

	it('a 307 is a clear error naming the status and the host, not retried, and nothing reaches the other host', async () => {
		const key = 'sk/redirect+key=';
		const base = `http://127.0.0.1:${(provider.address() as AddressInfo).port}`;
		const credentials: Record<string, IDataObject> =
			p === 'apiFanslyApi'
				? { apiFanslyApi: { apiKey: key, baseUrl: base } }
				: { fansApiApi: { apiKey: key, baseUrl: 'custom', customBaseUrl: base } };
		const result = await runFansly({
			parameters: updateParams(p, { retryDelay: 0 }),
			items: [{ label: 'L' }],
			credentials,
		});
		expect(reachedProvider).toBe(1);
		expect(reachedOther).toEqual([]);
		const host = new URL(otherUrl).host;
		expect(result.error?.message).toContain(`answered 307 → ${host}`);
		expect(result.error?.message).toMatch(/check the Base URL/);
		expect(result.error?.description).toBe(
			`The node never follows a redirect, so the API key is never sent to another host. Set the credential's Base URL to the provider's address (${host} if you trust it).`,
		);
		expect(JSON.stringify(result.run)).not.toContain(key);
	});
});

describe.each(PROVIDERS)('%s: a redirect that names no address', (p) => {
	it.each([
		['no Location header', 302, {}],
		['a Location with no host', 302, { location: 'mailto:' }],
		// The first status of the range: a redirect too, not an answer to read.
		['a 300 (Multiple Choices) with no Location header', 300, {}],
	])('%s: the error says "another address" and its advice names no host', async (_, status, headers) => {
		const scope = nock(HOST[p]).put(putPath(p)).once().reply(status, '', headers);
		const name = p === 'apiFanslyApi' ? 'API Fansly' : 'Fans API';
		const result = await runFansly({
			parameters: updateParams(p, { retryDelay: 0 }),
			items: [{ label: 'L' }],
			credentials: { [p]: { apiKey: freshKey() } },
		});
		expect(result.error?.message).toBe(
			`${name} answered ${status} → another address for tracking link "${LINK}" on account "${account(p)}"; redirects are not followed: check the Base URL (item 0)`,
		);
		expect(result.error?.description).toBe(
			"The node never follows a redirect, so the API key is never sent to another host. Set the credential's Base URL to the provider's address.",
		);
		expect(scope.isDone()).toBe(true);
	});
});

// ---------------------------------------------------------------------------------------------
describe.each(PROVIDERS)('%s: the key is scrubbed however it comes back', (p) => {
	const keys = ['sk/abc+def=ghi', '  sk/spaced+key==  ', 'plain-key-with/slash'];

	it.each(keys)('key %j: echoed raw, JSON-escaped and URL-encoded, it never reaches the run data', async (key) => {
		const sent = key.trim();
		const seenKeys: string[] = [];
		const escaped = JSON.stringify(sent).slice(1, -1).replace(/\//g, '\\/');
		// The echo is written by hand, as PHP's json_encode writes it: "/" as "\/".
		nock(HOST[p])
			.put(putPath(p))
			.reply(
				replyWith((req) => {
					seenKeys.push(p === 'apiFanslyApi' ? req.headers['x-api-key'] : req.headers.authorization);
					const body = `{"message":"Bad key ${escaped}","key":"${escaped}","url":"?k=${encodeURIComponent(sent)}","${escaped}":1}`;
					return [400, body, { 'content-type': 'application/json' }];
				}),
			);
		const result = await runFansly({
			parameters: updateParams(p),
			items: [{ label: 'L' }],
			credentials: { [p]: { apiKey: key } },
			continueOnFail: true,
		});
		// Exactly the trimmed key is sent, and exactly that is scrubbed.
		expect(seenKeys).toEqual([p === 'apiFanslyApi' ? sent : `Bearer ${sent}`]);
		expect(result.items).toHaveLength(1);
		expect(result.items[0].json.providerMessage).toBe('Bad key [redacted]');
		const everything = JSON.stringify(result.run);
		expect(everything).not.toContain(sent);
		expect(everything).not.toContain(escaped);
		expect(everything).not.toContain(encodeURIComponent(sent));
	});
});

// ---------------------------------------------------------------------------------------------
describe.each(PROVIDERS)('%s: error items stay small', (p) => {
	it('a 20 KB HTML error page becomes a short readable snippet in error and providerMessage', async () => {
		const page = `<!DOCTYPE html><html><head><title>502 Bad Gateway</title><style>body{color:red}</style><script>var x = 1;</script></head><body><h1>502 Bad Gateway</h1><p>The upstream server   did not answer.</p>${'<div>filler text</div>\n'.repeat(900)}</body></html>`;
		expect(page.length).toBeGreaterThan(20_000);
		nock(HOST[p]).put(putPath(p)).reply(400, page, { 'content-type': 'text/html' });
		const result = await runFansly({
			parameters: updateParams(p),
			items: [{ label: 'L' }],
			credentials: { [p]: { apiKey: freshKey() } },
			continueOnFail: true,
		});
		const json = result.items[0].json;
		expect(json.httpCode).toBe(400);
		const message = json.providerMessage as string;
		expect(message.startsWith('502 Bad Gateway 502 Bad Gateway The upstream server did not answer. filler text')).toBe(true);
		expect(message.length).toBeLessThanOrEqual(301);
		expect(message).not.toMatch(/[<>]|color:red|var x/);
		expect((json.error as string).length).toBeLessThan(500);
	});
});

// ---------------------------------------------------------------------------------------------
describe.each(PROVIDERS)('%s: Timeout (Ms) bounds the whole request', (p) => {
	let server: http.Server;
	let requests = 0;

	beforeAll(() => nock.enableNetConnect('127.0.0.1'));
	afterAll(() => nock.disableNetConnect());

	beforeEach(async () => {
		requests = 0;
		// Headers at once, then the body one byte every 100 ms for 10 s: never idle for long.
		server = http.createServer((req, res) => {
			requests += 1;
			res.writeHead(200, { 'content-type': 'application/json' });
			let sent = 0;
			const drip = setInterval(() => {
				if (sent++ >= 100 || res.destroyed) {
					clearInterval(drip);
					res.end();
					return;
				}
				res.write(' ');
			}, 100);
			req.on('close', () => clearInterval(drip));
		});
		await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
	});

	afterEach(async () => {
		server.closeAllConnections();
		await new Promise((resolve) => server.close(resolve));
	});

	it('a body that trickles in past the Timeout fails as a time-out (and is retried as one)', async () => {
		const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
		const credentials: Record<string, IDataObject> =
			p === 'apiFanslyApi'
				? { apiFanslyApi: { apiKey: freshKey(), baseUrl: base } }
				: { fansApiApi: { apiKey: freshKey(), baseUrl: 'custom', customBaseUrl: base } };
		const result = await runFansly({
			parameters: updateParams(p, { timeout: 1000, maxRetries: 1, retryDelay: 0 }),
			items: [{ label: 'L' }],
			credentials,
		});
		expect(result.error?.message).toContain('failed after 2 attempts: no answer within 1000 ms');
		expect(requests).toBe(2);
	}, 8_000);
});
