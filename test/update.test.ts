import nock from 'nock';
import type { IDataObject, INodeParameters } from 'n8n-workflow';

import { runFansly } from './helpers/engine';
import { replyWith } from './helpers/reply';
import { UNKNOWN_COUNTERS } from './fixtures/fansApi';
import { updateParameters } from './fixtures/parameters';
import {
	APIFANSLY_HOST,
	APIFANSLY_FAKE_VALUE,
	apiFanslySeedLink as apiFanslyDocumentedLink,
	apiFanslyUpdated,
	credentials,
	DOCUMENTED_COUNTERS,
	FANSAPI_HOST,
	FANSAPI_FAKE_VALUE,
	fansApiEnvelope,
	fansApiListLink,
	fansApiSeedLink as fansApiDocumentedLink,
} from './fixtures/responses';

const ACCOUNT_AF = 'fansly_acc_123';
const ACCOUNT_FA = 'fansly_acct_XXXXXXXXXXXXXXX';
const LINK = '845759434926862336';

// The providers' documented answers to an update, about the link the tests ask to update (the
// documents show placeholder ids; an answer about another link is an error).
const apiFanslySeedLink = { ...apiFanslyDocumentedLink, id: LINK };
const fansApiSeedLink = { ...fansApiDocumentedLink, id: LINK };

function params(authentication: 'apiFanslyApi' | 'fansApiApi', updateFields: IDataObject, extra: INodeParameters = {}): INodeParameters {
	const account = authentication === 'apiFanslyApi' ? ACCOUNT_AF : ACCOUNT_FA;
	return { ...updateParameters(authentication, { account, trackingLink: LINK, updateFields }), ...extra };
}

/** API Fansly: only the x-api-key header, never a Bearer token. */
function apiFansly() {
	return nock(APIFANSLY_HOST, { badheaders: ['authorization'] })
		.matchHeader('x-api-key', APIFANSLY_FAKE_VALUE)
		.matchHeader('content-type', /^application\/json/)
		.matchHeader('accept', /application\/json/);
}

/** Fans API: only the Bearer token, never an x-api-key header. */
function fansApi() {
	return nock(FANSAPI_HOST, { badheaders: ['x-api-key'] })
		.matchHeader('authorization', `Bearer ${FANSAPI_FAKE_VALUE}`)
		.matchHeader('accept', /application\/json/);
}

/** Records every request that no interceptor matched. */
function unmatched(): string[] {
	const seen: string[] = [];
	nock.emitter.removeAllListeners('no match');
	nock.emitter.on('no match', (req: { method?: string; path?: string }) => {
		seen.push(`${req.method} ${req.path}`);
	});
	return seen;
}

const normalisedSeedAF = {
	id: apiFanslySeedLink.id,
	accountId: ACCOUNT_AF,
	fanslyAccountId: apiFanslySeedLink.accountId,
	label: apiFanslySeedLink.label,
	description: apiFanslySeedLink.description,
	type: null,
	status: null,
	metadata: apiFanslySeedLink.metadata,
	createdAt: '2026-02-08T09:54:44.000Z',
	...DOCUMENTED_COUNTERS,
	provider: 'apiFansly',
};

const normalisedSeedFA = {
	id: fansApiSeedLink.id,
	accountId: ACCOUNT_FA,
	fanslyAccountId: fansApiSeedLink.accountId,
	label: fansApiSeedLink.label,
	description: fansApiSeedLink.description,
	type: fansApiSeedLink.type,
	status: fansApiSeedLink.status,
	metadata: {},
	createdAt: '2026-06-03T18:47:10.000Z',
	...UNKNOWN_COUNTERS,
	provider: 'fansApi',
};

afterEach(() => {
	nock.emitter.removeAllListeners('no match');
});

describe('API Fansly: Update', () => {
	const cases: Array<[string, IDataObject, IDataObject]> = [
		['label only', { label: 'Twitter bio' }, { id: LINK, label: 'Twitter bio' }],
		['description only', { description: 'From the bio' }, { id: LINK, description: 'From the bio' }],
		['label and description', { label: 'X', description: 'Y' }, { id: LINK, label: 'X', description: 'Y' }],
		['a cleared description', { description: '' }, { id: LINK, description: '' }],
		['a cleared label and description', { label: '', description: '' }, { id: LINK, label: '', description: '' }],
	];

	test.each(cases)('%s: PUT with the id in the body, exactly', async (_name, fields, body) => {
		const misses = unmatched();
		const scope = apiFansly()
			.put(`/api/fansly/${ACCOUNT_AF}/tracking-links`, (sent: IDataObject) => {
				expect(sent).toStrictEqual(body);
				return true;
			})
			.reply(200, apiFanslyUpdated(apiFanslySeedLink));

		const result = await runFansly({ parameters: params('apiFanslyApi', fields), credentials: credentials.apiFanslyApi });

		expect(result.error).toBeUndefined();
		expect(scope.isDone()).toBe(true);
		expect(misses).toEqual([]);
		expect(result.items).toEqual([{ json: normalisedSeedAF, pairedItem: { item: 0 } }]);
	});

	test('normalises numeric strings, nulls, valid JSON metadata and missing fields', async () => {
		apiFansly()
			.put(`/api/fansly/${ACCOUNT_AF}/tracking-links`)
			.reply(
				200,
				apiFanslyUpdated({
					id: LINK,
					label: 'L',
					description: null,
					metadata: '{"source":"twitter","tags":["bio"]}',
					createdAt: '1770544484000',
					clicks: '584',
					claims: null,
					follows: '0',
					subscriptions: 4,
					totalNet: '10500',
					totalGross: null,
				}),
			);
		const result = await runFansly({ parameters: params('apiFanslyApi', { label: 'L' }), credentials: credentials.apiFanslyApi });
		expect(result.items.map((i) => i.json)).toEqual([
			{
				id: LINK,
				accountId: ACCOUNT_AF,
				fanslyAccountId: null,
				label: 'L',
				description: null,
				type: null,
				status: null,
				metadata: { source: 'twitter', tags: ['bio'] },
				createdAt: '2026-02-08T09:54:44.000Z',
				clicks: 584,
				claims: null,
				follows: 0,
				subscriptions: 4,
				totalNet: 10500,
				totalGross: null,
				provider: 'apiFansly',
			},
		]);
	});

	test('reads the link when the response is not nested (data is the link)', async () => {
		apiFansly()
			.put(`/api/fansly/${ACCOUNT_AF}/tracking-links`)
			.reply(200, { statusCode: 200, message: 'ok', data: { ...apiFanslySeedLink }, timestamp: 'x' });
		const result = await runFansly({ parameters: params('apiFanslyApi', { label: 'L' }), credentials: credentials.apiFanslyApi });
		expect(result.items.map((i) => i.json)).toEqual([normalisedSeedAF]);
	});

	test('a 200 whose inner Fansly answer failed is an error, not a link', async () => {
		apiFansly()
			.put(`/api/fansly/${ACCOUNT_AF}/tracking-links`)
			.reply(200, {
				statusCode: 200,
				message: 'ok',
				data: { status_code: 404, data: { success: false, error: { message: 'Tracking link not found' } } },
			});
		const result = await runFansly({ parameters: params('apiFanslyApi', { label: 'L' }), credentials: credentials.apiFanslyApi });
		expect(result.error?.message).toContain('HTTP 404');
		expect(result.error?.message).toContain('Tracking link not found');
		expect(result.items).toEqual([]);
	});
});

describe('Fans API: Update', () => {
	test.each([
		['label only', { label: 'Twitter bio' }, { label: 'Twitter bio' }],
		['label and description', { label: 'X', description: 'Y' }, { label: 'X', description: 'Y' }],
		['a label and a cleared description', { label: 'X', description: '' }, { label: 'X', description: '' }],
	])('%s: PUT with the id in the path, no list request', async (_name, fields, body) => {
		const misses = unmatched();
		const scope = fansApi()
			.put(`/api/fansly/${ACCOUNT_FA}/tracking-links/${LINK}`, (sent: IDataObject) => {
				expect(sent).toStrictEqual(body);
				return true;
			})
			.reply(200, fansApiEnvelope(fansApiSeedLink));
		const result = await runFansly({ parameters: params('fansApiApi', fields as IDataObject), credentials: credentials.fansApiApi });
		expect(result.error).toBeUndefined();
		expect(scope.isDone()).toBe(true);
		expect(misses).toEqual([]);
		expect(result.items).toEqual([{ json: normalisedSeedFA, pairedItem: { item: 0 } }]);
	});

	test.each([
		['description only', { description: 'New words' }, { label: 'Current label', description: 'New words' }],
		['a cleared description only', { description: '' }, { label: 'Current label', description: '' }],
	])('%s: lists the links for the current label, then PUTs it along', async (_name, fields, body) => {
		const misses = unmatched();
		const order: string[] = [];
		const scope = fansApi()
			.get(`/api/fansly/${ACCOUNT_FA}/tracking-links`)
			.reply(200, () => {
				order.push('list');
				return fansApiEnvelope([fansApiListLink('1', 'Other'), fansApiListLink(LINK, 'Current label')]);
			})
			.put(`/api/fansly/${ACCOUNT_FA}/tracking-links/${LINK}`, (sent: IDataObject) => {
				expect(sent).toStrictEqual(body);
				return true;
			})
			.reply(200, () => {
				order.push('update');
				return fansApiEnvelope({ ...fansApiSeedLink, id: LINK, label: 'Current label', description: body.description });
			});
		const result = await runFansly({ parameters: params('fansApiApi', fields), credentials: credentials.fansApiApi });
		expect(result.error).toBeUndefined();
		expect(scope.isDone()).toBe(true);
		expect(misses).toEqual([]);
		expect(order).toEqual(['list', 'update']);
		expect(result.items[0].json).toMatchObject({ id: LINK, label: 'Current label', description: body.description });
	});

	// One row at a time (Max Concurrency 1), so that each row starts after the one before ends.
	const rowByRow = updateParameters('fansApiApi', {
		account: ACCOUNT_FA,
		updateFields: { label: '={{ $json.label }}', description: '={{ $json.description }}' },
		options: { maxConcurrency: 1 },
	});
	const LINK_B = '845759434926862337';

	/** Every PUT answered with what it sent; the bodies in the order they came. */
	function echoPuts(times: number): IDataObject[] {
		const sent: IDataObject[] = [];
		fansApi()
			.put((path) => path.startsWith(`/api/fansly/${ACCOUNT_FA}/tracking-links/`))
			.times(times)
			.reply(
				replyWith(({ path, body }) => {
					const id = path.split('/').pop() as string;
					sent.push({ id, ...(body as IDataObject) });
					return [200, fansApiEnvelope({ ...fansApiSeedLink, id, ...(body as IDataObject) })];
				}),
			);
		return sent;
	}

	test('a description-only row after rows that relabelled links in the same run sends the label those rows set, not the listed one', async () => {
		const misses = unmatched();
		const list = fansApi()
			.get(`/api/fansly/${ACCOUNT_FA}/tracking-links`)
			.reply(200, fansApiEnvelope([fansApiListLink(LINK, 'A listed'), fansApiListLink(LINK_B, 'B listed')]));
		const sent = echoPuts(4);
		const items = [
			{ link: LINK, label: 'A set' },
			{ link: LINK_B, label: 'B set' },
			{ link: LINK, description: 'about A' },
			{ link: LINK_B, description: 'about B' },
		];
		const result = await runFansly({ parameters: rowByRow, items, credentials: credentials.fansApiApi });
		expect(result.error).toBeUndefined();
		expect(sent).toEqual([
			{ id: LINK, label: 'A set' },
			{ id: LINK_B, label: 'B set' },
			{ id: LINK, label: 'A set', description: 'about A' },
			{ id: LINK_B, label: 'B set', description: 'about B' },
		]);
		// Nothing needed the list: each label came from this run's own changes.
		expect(list.isDone()).toBe(false);
		nock.cleanAll();
		expect(misses).toEqual([]);
		expect(result.items.map((item) => [item.json.id, item.json.label, item.json.description ?? null, item.pairedItem])).toEqual([
			[LINK, 'A set', fansApiSeedLink.description ?? null, { item: 0 }],
			[LINK_B, 'B set', fansApiSeedLink.description ?? null, { item: 1 }],
			[LINK, 'A set', 'about A', { item: 2 }],
			[LINK_B, 'B set', 'about B', { item: 3 }],
		]);
	});

	test('after a link was missing from the first list and read again, later rows take labels from the newer list', async () => {
		const misses = unmatched();
		// The first list lacks LINK_B and holds LINK's label as it was; the second has both, LINK renamed meanwhile.
		const lists = fansApi()
			.get(`/api/fansly/${ACCOUNT_FA}/tracking-links`)
			.reply(200, fansApiEnvelope([fansApiListLink(LINK, 'A before')]))
			.get(`/api/fansly/${ACCOUNT_FA}/tracking-links`)
			.reply(200, fansApiEnvelope([fansApiListLink(LINK, 'A renamed elsewhere'), fansApiListLink(LINK_B, 'B new')]));
		const sent = echoPuts(2);
		const items = [
			{ link: LINK_B, description: 'about B' },
			{ link: LINK, description: 'about A' },
		];
		const result = await runFansly({ parameters: rowByRow, items, credentials: credentials.fansApiApi });
		expect(result.error).toBeUndefined();
		expect(lists.isDone()).toBe(true);
		expect(misses).toEqual([]);
		expect(sent).toEqual([
			{ id: LINK_B, label: 'B new', description: 'about B' },
			{ id: LINK, label: 'A renamed elsewhere', description: 'about A' },
		]);
	});

	test('description only, link missing from the list: clear error and no update', async () => {
		const misses = unmatched();
		// Listed once, and once more when the link is missing, in case the list was stale.
		const scope = fansApi()
			.get(`/api/fansly/${ACCOUNT_FA}/tracking-links`)
			.times(2)
			.reply(200, fansApiEnvelope([fansApiListLink('1', 'Other')]));
		const result = await runFansly({ parameters: params('fansApiApi', { description: 'x' }), credentials: credentials.fansApiApi });
		expect(scope.isDone()).toBe(true);
		expect(misses).toEqual([]);
		expect(result.error?.message).toBe(`Tracking link "${LINK}" not found on account "${ACCOUNT_FA}" (item 0)`);
		expect(result.items).toEqual([]);
	});

	test('old domain and custom base URL from the credential are used as they are', async () => {
		const old = nock('https://app.onlyfansapi.com')
			.matchHeader('authorization', `Bearer ${FANSAPI_FAKE_VALUE}`)
			.put(`/api/fansly/${ACCOUNT_FA}/tracking-links/${LINK}`, { label: 'L' })
			.reply(200, fansApiEnvelope(fansApiSeedLink));
		const r1 = await runFansly({
			parameters: params('fansApiApi', { label: 'L' }),
			credentials: { fansApiApi: { apiKey: FANSAPI_FAKE_VALUE, baseUrl: 'https://app.onlyfansapi.com' } },
		});
		expect(r1.error).toBeUndefined();
		expect(old.isDone()).toBe(true);

		const custom = nock('http://proxy.test:8080')
			.matchHeader('authorization', `Bearer ${FANSAPI_FAKE_VALUE}`)
			.put(`/prefix/api/fansly/${ACCOUNT_FA}/tracking-links/${LINK}`, { label: 'L' })
			.reply(200, fansApiEnvelope(fansApiSeedLink));
		const r2 = await runFansly({
			parameters: params('fansApiApi', { label: 'L' }),
			credentials: { fansApiApi: { apiKey: FANSAPI_FAKE_VALUE, baseUrl: 'custom', customBaseUrl: 'http://proxy.test:8080/prefix/' } },
		});
		expect(r2.error).toBeUndefined();
		expect(custom.isDone()).toBe(true);
	});
});

describe.each([
	['apiFanslyApi', ACCOUNT_AF] as const,
	['fansApiApi', ACCOUNT_FA] as const,
])('%s: expressions and batches', (authentication, account) => {
	const host = authentication === 'apiFanslyApi' ? apiFansly : fansApi;
	const path = (link: string) =>
		authentication === 'apiFanslyApi'
			? `/api/fansly/${account}/tracking-links`
			: `/api/fansly/${account}/tracking-links/${link}`;
	const reply = (link: IDataObject) =>
		authentication === 'apiFanslyApi' ? apiFanslyUpdated(link) : fansApiEnvelope(link);

	test('resolves expressions per item, one paired output per input, in order', async () => {
		const rows = [
			{ link: '101', label: 'Twitter bio', description: 'bio' },
			{ link: '102', label: 'Reddit', description: 'r/fansly' },
			{ link: '103', label: 'FYP 🎯', description: '' },
		];
		const received: IDataObject[] = [];
		const scope = host()
			.put((p) => p.startsWith(`/api/fansly/${account}/tracking-links`))
			.times(3)
			.reply(
				replyWith(({ path: uri, body }) => {
					const sent = body as IDataObject;
					const id = authentication === 'apiFanslyApi' ? (sent.id as string) : uri.split('/').pop()!;
					received.push({ uri, ...sent });
					return [200, reply({ id, accountId: account, label: sent.label, description: sent.description })];
				}),
			);
		const result = await runFansly({
			parameters: {
				...params(authentication, { label: '={{ $json.label }}', description: '={{ $json.description }}' }),
				trackingLink: { __rl: true, mode: 'id', value: '={{ $json.link }}' },
			} as INodeParameters,
			items: rows,
			credentials: credentials[authentication],
		});
		expect(result.error).toBeUndefined();
		expect(scope.isDone()).toBe(true);
		expect(received.sort((a, b) => String(a.label).localeCompare(String(b.label)))).toEqual(
			[...rows]
				.sort((a, b) => a.label.localeCompare(b.label))
				.map((r) =>
					authentication === 'apiFanslyApi'
						? { uri: path(r.link), id: r.link, label: r.label, description: r.description }
						: { uri: path(r.link), label: r.label, description: r.description },
				),
		);
		expect(result.items.map((i) => [i.pairedItem, i.json.id, i.json.label])).toEqual([
			[{ item: 0 }, '101', 'Twitter bio'],
			[{ item: 1 }, '102', 'Reddit'],
			[{ item: 2 }, '103', 'FYP 🎯'],
		]);
	});

	// Item 0 is valid; item 1 is bad in one field: the error names that field and item 1.
	const badSecondItem: Array<[string, INodeParameters, IDataObject, string]> = [
		['empty account', { account: { __rl: true, mode: 'id', value: '={{ $json.account }}' } }, { account: '' }, 'Account is empty (item 1)'],
		['blank account', { account: { __rl: true, mode: 'id', value: '={{ $json.account }}' } }, { account: '   ' }, 'Account is empty (item 1)'],
		['empty tracking link', {}, { link: '' }, 'Tracking Link is empty (item 1)'],
		['no update field', { updateFields: { label: '={{ $json.label }}' } }, {}, 'Update Fields: add Label or Description, there is nothing to update (item 1)'],
	];

	test.each(badSecondItem)('%s: a NodeOperationError naming the field and the item, before any request', async (_n, override, item1, message) => {
		const misses = unmatched();
		const scope = host().put(/.*/).reply(500);
		const result = await runFansly({
			parameters: { ...params(authentication, { label: 'ok' }), trackingLink: { __rl: true, mode: 'id', value: '={{ $json.link }}' }, ...override } as INodeParameters,
			items: [
				{ link: '1', account: 'acc', label: 'ok' },
				{ link: '2', account: 'acc', ...item1 },
			],
			credentials: credentials[authentication],
		});
		expect(result.error?.message).toBe(message);
		expect(result.error?.name).toBe('NodeOperationError');
		expect(scope.isDone()).toBe(false);
		expect(misses).toEqual([]);
		expect(result.items).toEqual([]);
	});

	test('path segments are encoded and ids trimmed', async () => {
		const misses = unmatched();
		const encodedAccount = 'acc%2F..%3Fx%3D1%23frag';
		const scope = host()
			.put(
				authentication === 'apiFanslyApi'
					? `/api/fansly/${encodedAccount}/tracking-links`
					: `/api/fansly/${encodedAccount}/tracking-links/a%2Fb%20c`,
			)
			.reply(
				replyWith(({ body }) => [
					200,
					reply({ id: authentication === 'apiFanslyApi' ? (body as IDataObject).id : 'a/b c', label: 'L' }),
				]),
			);
		const result = await runFansly({
			parameters: {
				...params(authentication, { label: 'L' }),
				account: { __rl: true, mode: 'id', value: '  acc/..?x=1#frag ' },
				trackingLink: { __rl: true, mode: 'id', value: ' a/b c\t' },
			} as INodeParameters,
			credentials: credentials[authentication],
		});
		expect(result.error).toBeUndefined();
		expect(scope.isDone()).toBe(true);
		expect(misses).toEqual([]);
		expect(result.items[0].json.id).toBe('a/b c');
	});

	const provider = authentication === 'apiFanslyApi' ? 'API Fansly' : 'Fans API';
	// What to do about it, in the error's description (none for a status the node has no advice for).
	const failures: Array<[number, IDataObject, RegExp, string | null]> = [
		[400, { statusCode: 400, message: 'Invalid request parameters', data: null }, /returned HTTP 400 .*Invalid request parameters/, null],
		[
			401,
			{ statusCode: 401, message: 'Invalid API key', data: null },
			/rejected the API key \(HTTP 401\): Invalid API key/,
			`Check the API key in the ${provider} credential.`,
		],
		[402, { message: 'Insufficient credits' }, /credits are used up \(HTTP 402\): Insufficient credits/, `Top up the ${provider} account, then run the workflow again.`],
		[403, { message: 'Forbidden' }, /refused access to tracking link "845759434926862336" on account ".*" \(HTTP 403\): Forbidden \(item 0\)$/, 'The API key may not have access to this account.'],
		[
			404,
			{ message: 'Tracking link not found.' },
			/^Not found: tracking link "845759434926862336" on account ".*" \(HTTP 404\): Tracking link not found\./,
			`Check the IDs: ${provider} does not know this account or tracking link.`,
		],
		[
			429,
			{ message: 'Too Many Attempts.' },
			/rate limit reached for tracking link "845759434926862336" on account ".*" \(HTTP 429\): Too Many Attempts\./,
			'Lower the option "Requests Per Minute", or spread the items over time.',
		],
		[500, { message: 'Server exploded' }, /returned HTTP 500 .*Server exploded/, null],
	];

	test.each(failures)('HTTP %i becomes a NodeApiError with the provider message, status and advice', async (status, body, message, advice) => {
		host().put(/.*/).reply(status, body);
		const result = await runFansly({
			parameters: params(authentication, { label: 'L' }, { options: { retry: false } }),
			credentials: credentials[authentication],
		});
		expect(result.error?.name).toBe('NodeApiError');
		expect(result.error?.message).toMatch(message);
		expect(result.error?.message).toMatch(/\(item 0\)$/);
		expect((result.error as unknown as { httpCode: string }).httpCode).toBe(String(status));
		if (advice !== null) expect(result.error?.description).toBe(advice);
		expect(JSON.stringify(result.run)).not.toContain(authentication === 'apiFanslyApi' ? APIFANSLY_FAKE_VALUE : FANSAPI_FAKE_VALUE);
	});

	test('Continue On Fail: the failing item becomes a paired error item and the rest still run', async () => {
		host()
			.put((p) => p.startsWith(`/api/fansly/${account}/tracking-links`))
			.times(3)
			.reply(
				replyWith(({ path: uri, body }) => {
					const id = authentication === 'apiFanslyApi' ? ((body as IDataObject).id as string) : uri.split('/').pop()!;
					if (id === '2') return [404, { message: 'Tracking link not found.' }];
					return [200, reply({ id, label: (body as IDataObject).label })];
				}),
			);
		const result = await runFansly({
			parameters: {
				...params(authentication, { label: '={{ "L" + $json.link }}' }),
				trackingLink: { __rl: true, mode: 'id', value: '={{ $json.link }}' },
			} as INodeParameters,
			items: [{ link: '1' }, { link: '2' }, { link: '3' }],
			credentials: credentials[authentication],
			continueOnFail: true,
		});
		expect(result.error).toBeUndefined();
		expect(result.items.map((i) => i.pairedItem)).toEqual([{ item: 0 }, { item: 1 }, { item: 2 }]);
		expect(result.items[0].json).toMatchObject({ id: '1', label: 'L1' });
		expect(result.items[2].json).toMatchObject({ id: '3', label: 'L3' });
		expect(result.items[1].json).toEqual({
			error: `Not found: tracking link "2" on account "${account}" (HTTP 404): Tracking link not found.`,
			description: expect.stringContaining('Check the IDs'),
			itemIndex: 1,
			accountId: account,
			trackingLinkId: '2',
			httpCode: 404,
			providerMessage: 'Tracking link not found.',
			provider: authentication === 'apiFanslyApi' ? 'apiFansly' : 'fansApi',
		});
	});
});

describe('secrets', () => {
	test('the API keys appear in no output, error or run data', async () => {
		apiFansly().put(/.*/).reply(200, apiFanslyUpdated(apiFanslySeedLink));
		fansApi().put(/.*/).times(2).reply(401, { message: 'Unauthenticated.' });
		const ok = await runFansly({ parameters: params('apiFanslyApi', { label: 'L' }), credentials: credentials.apiFanslyApi });
		const failed = await runFansly({ parameters: params('fansApiApi', { label: 'L' }), credentials: credentials.fansApiApi });
		const cof = await runFansly({
			parameters: params('fansApiApi', { label: 'L' }),
			credentials: credentials.fansApiApi,
			continueOnFail: true,
		});
		expect(ok.items).toHaveLength(1);
		expect(failed.error?.message).toContain('rejected the API key');
		for (const result of [ok, failed, cof]) {
			const everything = JSON.stringify(result.run) + String(result.error?.stack) + JSON.stringify(result.error);
			expect(everything).not.toContain(APIFANSLY_FAKE_VALUE);
			expect(everything).not.toContain(FANSAPI_FAKE_VALUE);
		}
	});

	test('a provider error that echoes the request headers does not leak the key', async () => {
		fansApi()
			.put(/.*/)
			.reply(400, { message: `Bad header: Authorization: Bearer ${FANSAPI_FAKE_VALUE}` });
		apiFansly()
			.put(/.*/)
			.reply(200, `<html>proxy error for x-api-key=${APIFANSLY_FAKE_VALUE}</html>`);
		const fa = await runFansly({ parameters: params('fansApiApi', { label: 'L' }), credentials: credentials.fansApiApi });
		const af = await runFansly({ parameters: params('apiFanslyApi', { label: 'L' }), credentials: credentials.apiFanslyApi });
		expect(fa.error?.message).toContain('Bad header: Authorization: Bearer [redacted]');
		expect(af.error?.message).toContain('the body is not JSON ("proxy error for x-api-key=[redacted]")');
		for (const result of [fa, af]) {
			const everything = JSON.stringify(result.run) + JSON.stringify(result.error);
			expect(everything).not.toContain(APIFANSLY_FAKE_VALUE);
			expect(everything).not.toContain(FANSAPI_FAKE_VALUE);
		}
	});
});
