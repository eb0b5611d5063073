/**
 * Output that feeds the next node as it is, the account's link list read once per run, and
 * messages that say what was wrong: through n8n's real execution engine, nock on the provider.
 */
import nock from 'nock';
import type { IDataObject, INodeParameters } from 'n8n-workflow';

import { runChain, runFansly, TestCredentialsHelper } from './helpers/engine';
import type { SeenRequest } from './helpers/reply';
import { replyWith } from './helpers/reply';
import { hintedWait } from '../nodes/Fansly/transport/retry';
import { ACCOUNT, FANSLY_ACCOUNT_ID, fyp, listBody, META, rawFyp, rawTwitter, twitter } from './fixtures/fansApi';

const FANS_API = 'https://api.fansapi.com';
const API_FANSLY = 'https://v1.apifansly.com';

let keySeq = 0;
/** A fresh key per test: the rate budget is shared per key. */
function credentials(type: 'fansApiApi' | 'apiFanslyApi' = 'fansApiApi') {
	keySeq += 1;
	return { [type]: { apiKey: `chaining-key-${keySeq}` } };
}

const rl = (value: string) => ({ __rl: true, mode: 'id', value });

function params(operation: string, extra: IDataObject): INodeParameters {
	return { authentication: 'fansApiApi', resource: 'trackingLink', operation, ...extra } as INodeParameters;
}

/** Records every request nock answers on the Fans API host. */
function recorder() {
	const seen: string[] = [];
	const note = (req: SeenRequest) => seen.push(`${req.method} ${req.path}`);
	return { seen, note };
}

describe('Get Many → Update and Get Many → Get Stats map {{ $json.accountId }} as it is', () => {
	it('Update reaches the account the list was read from, and every link carries it', async () => {
		const { seen, note } = recorder();
		nock(FANS_API)
			.get(`/api/fansly/${ACCOUNT}/tracking-links`)
			.reply(replyWith((req) => (note(req), [200, listBody([rawFyp, rawTwitter])])))
			.put((path) => path.startsWith(`/api/fansly/${ACCOUNT}/tracking-links/`))
			.times(2)
			.reply(
				replyWith((req) => {
					note(req);
					const id = req.path.split('/').pop()!;
					const raw = id === rawFyp.id ? rawFyp : rawTwitter;
					return [200, { data: { ...raw, label: (req.body as IDataObject).label }, _meta: META }];
				}),
			);
		const results = await runChain(
			[
				{ name: 'List', parameters: params('getAll', { account: rl(ACCOUNT), returnAll: true }) },
				{
					name: 'Rename',
					parameters: params('update', {
						account: rl('={{ $json.accountId }}'),
						trackingLink: rl('={{ $json.id }}'),
						updateFields: { label: '={{ $json.label }} (2026)' },
					}),
				},
			],
			{ credentials: credentials() },
		);
		expect(results.List.items.map((i) => i.json)).toEqual([fyp, twitter]);
		expect(results.Rename.error).toBeUndefined();
		expect(seen).toEqual([
			`GET /api/fansly/${ACCOUNT}/tracking-links`,
			`PUT /api/fansly/${ACCOUNT}/tracking-links/${rawFyp.id}`,
			`PUT /api/fansly/${ACCOUNT}/tracking-links/${rawTwitter.id}`,
		]);
		expect(results.Rename.items.map((i) => [i.json.accountId, i.json.fanslyAccountId, i.json.label, i.pairedItem])).toEqual([
			[ACCOUNT, FANSLY_ACCOUNT_ID, `${rawFyp.label} (2026)`, { item: 0 }],
			[ACCOUNT, FANSLY_ACCOUNT_ID, `${rawTwitter.label} (2026)`, { item: 1 }],
		]);
	});

	it('Get Stats reaches the account the list was read from, and its rows name it', async () => {
		const { seen, note } = recorder();
		const row = { trackingLinkId: rawTwitter.id, timestamp: '2026-01-01T00:00:00.000Z', clicks: 3, claims: 0, follows: 1, subscriptions: 1, year: 2026, month: 1, date: 1 };
		nock(FANS_API)
			.get(`/api/fansly/${ACCOUNT}/tracking-links`)
			.reply(replyWith((req) => (note(req), [200, listBody([rawTwitter])])))
			.get(`/api/fansly/${ACCOUNT}/tracking-links/${rawTwitter.id}/stats`)
			.reply(replyWith((req) => (note(req), [200, { data: [row], _meta: META }])))
			.get(`/api/fansly/${ACCOUNT}/tracking-links/${rawTwitter.id}/revenue-stats`)
			.reply(replyWith((req) => (note(req), [200, { data: [], _meta: META }])));
		const results = await runChain(
			[
				{ name: 'List', parameters: params('getAll', { account: rl(ACCOUNT), returnAll: true }) },
				{
					name: 'Stats',
					parameters: params('getStats', { account: rl('={{ $json.accountId }}'), trackingLink: rl('={{ $json.id }}') }),
				},
			],
			{ credentials: credentials() },
		);
		expect(results.Stats.error).toBeUndefined();
		expect(seen).toEqual([
			`GET /api/fansly/${ACCOUNT}/tracking-links`,
			`GET /api/fansly/${ACCOUNT}/tracking-links/${rawTwitter.id}/stats`,
			`GET /api/fansly/${ACCOUNT}/tracking-links/${rawTwitter.id}/revenue-stats`,
		]);
		expect(results.Stats.items.map((i) => i.json)).toEqual([
			{
				date: '2026-01-01',
				trackingLinkId: rawTwitter.id,
				accountId: ACCOUNT,
				clicks: 3,
				claims: 0,
				follows: 1,
				subscriptions: 1,
				totalGross: null,
				totalNet: null,
				provider: 'fansApi',
			},
		]);
	});
});

describe('the credential is read once per run', () => {
	afterEach(() => {
		jest.restoreAllMocks();
	});

	// n8n decrypts a credential each time a node asks for it; the transport hands the one it read
	// to every request, so 50 updates cost one decryption, not 51.
	it('50 updates: the credential is decrypted once', async () => {
		const decrypted = jest.spyOn(TestCredentialsHelper.prototype, 'getDecrypted');
		nock(FANS_API)
			.put((path) => path.startsWith(`/api/fansly/${ACCOUNT}/tracking-links/`))
			.times(50)
			.reply(replyWith((req) => [200, { data: { ...rawTwitter, id: req.path.split('/').pop(), label: 'L' }, _meta: META }]));
		const result = await runFansly({
			parameters: params('update', { account: rl(ACCOUNT), trackingLink: rl('={{ $json.link }}'), updateFields: { label: 'L' } }),
			items: Array.from({ length: 50 }, (_, i) => ({ link: String(i) })),
			credentials: credentials(),
		});
		expect(result.error).toBeUndefined();
		expect(result.items).toHaveLength(50);
		expect(decrypted).toHaveBeenCalledTimes(1);
	});
});

describe("Fans API: the account's link list is read once per run", () => {
	const descriptionOnly = (links: string[]) => ({
		parameters: params('update', {
			account: rl(ACCOUNT),
			trackingLink: rl('={{ $json.link }}'),
			updateFields: { description: 'New' },
		}),
		items: links.map((link) => ({ link })),
		credentials: credentials(),
		continueOnFail: true,
	});

	it('300 links missing from the list: one read and one refresh, not 301 reads', async () => {
		const { seen, note } = recorder();
		nock(FANS_API)
			.get(`/api/fansly/${ACCOUNT}/tracking-links`)
			.times(400)
			.reply(replyWith((req) => (note(req), [200, listBody([rawFyp])])));
		const missing = Array.from({ length: 300 }, (_, i) => `9${String(i).padStart(17, '0')}`);
		const result = await runFansly(descriptionOnly(missing));
		expect(seen).toEqual([`GET /api/fansly/${ACCOUNT}/tracking-links`, `GET /api/fansly/${ACCOUNT}/tracking-links`]);
		expect(result.items).toHaveLength(300);
		expect(result.items.every((item, index) => item.json.httpCode === 404 && item.json.itemIndex === index)).toBe(true);
	});

	it('a link created on the provider after the first read is found by the one refresh', async () => {
		const { seen, note } = recorder();
		let reads = 0;
		nock(FANS_API)
			.get(`/api/fansly/${ACCOUNT}/tracking-links`)
			.times(5)
			.reply(replyWith((req) => (note(req), [200, listBody(++reads === 1 ? [rawFyp] : [rawFyp, rawTwitter])])))
			.put(`/api/fansly/${ACCOUNT}/tracking-links/${rawTwitter.id}`)
			.reply(replyWith((req) => (note(req), [200, { data: { ...rawTwitter, description: 'New' }, _meta: META }])));
		const result = await runFansly(descriptionOnly([rawTwitter.id]));
		expect(result.items.map((i) => i.json.description)).toEqual(['New']);
		expect(seen).toEqual([
			`GET /api/fansly/${ACCOUNT}/tracking-links`,
			`GET /api/fansly/${ACCOUNT}/tracking-links`,
			`PUT /api/fansly/${ACCOUNT}/tracking-links/${rawTwitter.id}`,
		]);
	});

	it.each([
		[401, 'rejected the API key'],
		[402, 'credits are used up'],
		[403, 'refused access'],
		[404, 'Not found'],
	])('a read that failed with %d is asked once; every item that needed it fails with that error', async (status, words) => {
		const { seen, note } = recorder();
		nock(FANS_API)
			.get(`/api/fansly/${ACCOUNT}/tracking-links`)
			.times(10)
			.reply(replyWith((req) => (note(req), [status, { message: `Provider says ${status}` }])));
		const result = await runFansly({
			...descriptionOnly(['1', '2', '3', '4']),
			parameters: { ...descriptionOnly([]).parameters, options: { maxConcurrency: 1 } } as INodeParameters,
		});
		expect(seen).toEqual([`GET /api/fansly/${ACCOUNT}/tracking-links`]);
		expect(result.items.map((i) => [i.json.itemIndex, i.json.httpCode, i.json.providerMessage])).toEqual(
			[0, 1, 2, 3].map((index) => [index, status, `Provider says ${status}`]),
		);
		expect(result.items.every((i) => String(i.json.error).includes(words))).toBe(true);
	});
});

describe("Fans API: a failed read of the account's link list is remembered for the run, whatever the failure", () => {
	const LIST = `/api/fansly/${ACCOUNT}/tracking-links`;
	const getLinks = (links: string[], options: IDataObject) => ({
		parameters: params('get', {
			account: rl(ACCOUNT),
			trackingLink: rl('={{ $json.link }}'),
			// One item after another: each would read the list again if its failure were forgotten.
			options: { timeout: 1000, retryDelay: 0, maxConcurrency: 1, ...options },
		}),
		items: links.map((link) => ({ link })),
		credentials: credentials(),
		continueOnFail: true,
	});
	const hundredLinks = Array.from({ length: 100 }, (_, i) => `7${String(i).padStart(17, '0')}`);

	it.each([
		['retries on (3 retries)', { maxRetries: 3 }, 4, ' (gave up after 4 attempts)'],
		['retries off', { retry: false }, 1, ''],
	])('a 500 outage, %s: 100 Get items make one read and its retries, each item fails with its error', async (_title, options, reads, gaveUp) => {
		const { seen, note } = recorder();
		nock(FANS_API)
			.get(LIST)
			.times(1000)
			.reply(replyWith((req) => (note(req), [500, { message: 'Server Error' }])));
		const result = await runFansly(getLinks(hundredLinks, options));
		expect(seen).toEqual(Array.from({ length: reads }, () => `GET ${LIST}`));
		expect(result.items).toHaveLength(100);
		result.items.forEach((item, index) => {
			expect(item.pairedItem).toEqual({ item: index });
			expect(item.json).toMatchObject({
				error: `Fans API returned HTTP 500 for account "${ACCOUNT}": Server Error${gaveUp}`,
				httpCode: 500,
				itemIndex: index,
				trackingLinkId: hundredLinks[index],
			});
		});
	});

	it.each([
		// Only the time-out row has a short Timeout: an answer on a busy machine can take longer than 200 ms.
		['a time-out', () => nock(FANS_API).get(LIST).times(10).delay(3000).reply(200, listBody([rawFyp])), /no answer within 200 ms/, 200],
		['an answer of an unexpected shape', () => nock(FANS_API).get(LIST).times(10).reply(200, { data: 'not a list' }), /Unexpected response from Fans API/, 30_000],
		['a redirect', () => nock(FANS_API).get(LIST).times(10).reply(302, '', { location: 'https://elsewhere.example/x' }), /answered 302 → elsewhere\.example/, 30_000],
	] as const)('%s: one read for 5 items, each fails with that read\'s error', async (_title, reply, says, timeout) => {
		let reads = 0;
		reply().on('request', () => (reads += 1));
		const result = await runFansly(getLinks(['1', '2', '3', '4', '5'], { retry: false, timeout }));
		expect(reads).toBe(1);
		expect(result.items.map((item) => item.json.itemIndex)).toEqual([0, 1, 2, 3, 4]);
		const errors = new Set(result.items.map((item) => item.json.error));
		expect(errors.size).toBe(1);
		expect([...errors][0]).toMatch(says);
	});

	it('a refresh that fails fails only the items that needed it; the others are found in the first read', async () => {
		const { seen, note } = recorder();
		let reads = 0;
		nock(FANS_API)
			.get(LIST)
			.times(10)
			.reply(replyWith((req) => (note(req), ++reads === 1 ? [200, listBody([rawFyp, rawTwitter])] : [503, { message: 'Down' }])));
		const result = await runFansly({
			...getLinks([rawFyp.id, 'missing-1', rawTwitter.id, 'missing-2'], { retry: false }),
		});
		expect(seen).toEqual([`GET ${LIST}`, `GET ${LIST}`]);
		expect(result.items.map((item) => [item.json.id ?? null, item.json.httpCode ?? null])).toEqual([
			[rawFyp.id, null],
			[null, 503],
			[rawTwitter.id, null],
			[null, 503],
		]);
	});
});

describe('messages that say what was wrong', () => {
	it.each([
		['fansApiApi', FANS_API, `/api/fansly/${ACCOUNT}/tracking-links/1`, { message: 'Fansly account not found' }],
		['apiFanslyApi', API_FANSLY, `/api/fansly/${ACCOUNT}/tracking-links`, { statusCode: 404, message: 'Fansly account not found', data: null }],
	] as const)('%s: a 404 about the account names the account, not a tracking link', async (type, host, path, body) => {
		nock(host).put(path).reply(404, body);
		const result = await runFansly({
			parameters: { ...params('update', { account: rl(ACCOUNT), trackingLink: rl('1'), updateFields: { label: 'L' } }), authentication: type },
			credentials: credentials(type),
			continueOnFail: true,
		});
		expect(result.items[0].json).toMatchObject({
			error: `Not found: account "${ACCOUNT}" (HTTP 404): Fansly account not found`,
			description: expect.stringContaining('Check the Account'),
			httpCode: 404,
		});
	});

	it('Custom API Call (added by n8n) says to use the HTTP Request node with this credential, and sends nothing', async () => {
		const result = await runFansly({
			parameters: params('__CUSTOM_API_CALL__', {}),
			credentials: credentials(),
		});
		expect(result.error?.message).toBe(
			'Custom API Call is not an operation of the Fansly node: use the HTTP Request node for other endpoints',
		);
		expect(result.error?.description).toContain('Predefined Credential Type');
	});

	it.each(['-1', '-0.5', 'soon', ''])('Retry-After %j is no hint: the node backs off as usual', async (value) => {
		expect(hintedWait({ 'retry-after': value }, Date.now())).toBeUndefined();
		const { seen, note } = recorder();
		nock(FANS_API)
			.put(`/api/fansly/${ACCOUNT}/tracking-links/1`)
			.reply(replyWith((req) => (note(req), [429, { message: 'slow down' }, { 'Retry-After': value }])))
			.put(`/api/fansly/${ACCOUNT}/tracking-links/1`)
			.reply(replyWith((req) => (note(req), [200, { data: { ...rawTwitter, id: '1' }, _meta: META }])));
		const result = await runFansly({
			parameters: params('update', {
				account: rl(ACCOUNT),
				trackingLink: rl('1'),
				updateFields: { label: 'L' },
				options: { retryDelay: 1 },
			}),
			credentials: credentials(),
		});
		expect(result.error).toBeUndefined();
		expect(seen).toHaveLength(2);
	});

	it('an HTTP date is still a hint; a date in the past means now', () => {
		const now = Date.parse('2026-12-02T12:00:00Z');
		expect(hintedWait({ 'retry-after': 'Wed, 02 Dec 2026 12:00:05 GMT' }, now)).toBe(5000);
		expect(hintedWait({ 'retry-after': 'Wed, 02 Dec 2026 11:00:00 GMT' }, now)).toBe(0);
		expect(hintedWait({ 'retry-after': '2' }, now)).toBe(2000);
	});
});
