/**
 * Every operation on both providers, run through n8n's real execution engine, with the exact
 * requests asserted (method, path, query string, auth header, JSON body) and the exact output
 * items (including pairedItem).
 */
import nock from 'nock';
import type { IDataObject, IHttpRequestOptions, INodeExecutionData, INodeParameters } from 'n8n-workflow';

import { credentialTypes, requiredParameterRefusal, resolveWithCredentials, runFansly, withDefaults } from './helpers/engine';
import { tinyWorkflow } from './helpers/loadOptions';
import type { RecordedRequest } from './fixtures/http';
import { recordingReply, trackUnmatched } from './fixtures/http';
import {
	ACCOUNT,
	FANSLY_ACCOUNT_ID,
	APIFANSLY_BASE,
	APIFANSLY_FAKE_VALUE,
	AWKWARD_ACCOUNT,
	AWKWARD_ACCOUNT_PATH,
	AWKWARD_LINK,
	AWKWARD_LINK_PATH,
	FANSAPI_BASE,
	FANSAPI_FAKE_VALUE,
	LINK_KEYS,
	META,
	OTHER_ACCOUNT,
	apiFanslyCredentials,
	fansApiCredentials,
	fyp,
	listBody,
	noLabel,
	normalisedList,
	rawFyp,
	rawNoLabel,
	rawRetweet,
	rawTwitter,
	retweet,
	rl,
	twitter,
	UNKNOWN_COUNTERS,
	statsDay,
} from './fixtures/fansApi';
import { apiFanslyError, DOCUMENTED_COUNTERS, DOCUMENTED_CREATED_AT } from './fixtures/responses';
import { apiFansly as apiFanslyProvider } from '../nodes/Fansly/providers/apiFansly';
import { fansApi as fansApiProvider } from '../nodes/Fansly/providers/fansApi';
import { keptRuns, limits } from '../nodes/Fansly/actions/deletions';
import { ApiFanslyApi } from '../credentials/ApiFanslyApi.credentials';

type Provider = 'apiFanslyApi' | 'fansApiApi';

function params(authentication: Provider, operation: string, extra: IDataObject = {}): INodeParameters {
	return { authentication, resource: 'trackingLink', operation, ...extra } as INodeParameters;
}

const BEARER = `Bearer ${FANSAPI_FAKE_VALUE}`;
/**
 * Fast retries. `retry: true` is spelled out because n8n drops Max Retries, Max Retry Wait and
 * Retry Base Delay from the Options unless Retry is in the collection too (see the
 * "Options" tests at the end: that is a bug).
 */
const FAST = { retry: true, retryDelay: 1 };

function fansApi() {
	return nock(FANSAPI_BASE).matchHeader('authorization', BEARER);
}

function apiFansly() {
	return nock(APIFANSLY_BASE).matchHeader('x-api-key', APIFANSLY_FAKE_VALUE);
}

function paired(jsons: object[], item: number): INodeExecutionData[] {
	return jsons.map((json) => ({ json: json as IDataObject, pairedItem: { item } }));
}

const linksPath = (account = ACCOUNT) => `/api/fansly/${account}/tracking-links`;

/** A Fans API Update of one link with Only Update When Different, once per input item. */
async function onlyWhenDifferent(trackingLinkId: string, updateFields: IDataObject, items?: IDataObject[]) {
	return await runFansly({
		parameters: params('fansApiApi', 'update', {
			account: rl(ACCOUNT),
			trackingLink: rl(trackingLinkId),
			updateFields,
			options: { onlyUpdateWhenDifferent: true },
		}),
		...(items ? { items } : {}),
		credentials: fansApiCredentials,
	});
}

const tracked = trackUnmatched();

/** Everything mocked was used, and nothing unmocked was asked for. */
function expectAllDone(...scopes: nock.Scope[]) {
	for (const scope of scopes) expect(scope.isDone()).toBe(true);
	expect(nock.pendingMocks()).toEqual([]);
	expect(tracked.unmatched).toEqual([]);
}

function expectFansApiAuth(request: RecordedRequest) {
	expect(request.headers.authorization).toBe(BEARER);
	expect(request.headers['x-api-key']).toBeUndefined();
}

function expectApiFanslyAuth(request: RecordedRequest) {
	expect(request.headers['x-api-key']).toBe(APIFANSLY_FAKE_VALUE);
	expect(request.headers.authorization).toBeUndefined();
}

// ---------------------------------------------------------------------------------------------
describe('Fans API: Get Many', () => {
	it('lists the account’s links once, normalised, and paired to the input item', async () => {
		const log: RecordedRequest[] = [];
		const scope = fansApi().get(linksPath()).reply(recordingReply(log, 200, listBody()));

		const { items, error } = await runFansly({
			parameters: params('fansApiApi', 'getAll', { account: rl(ACCOUNT), returnAll: true }),
			credentials: fansApiCredentials,
		});

		expect(error).toBeUndefined();
		expect(items).toEqual(paired(normalisedList, 0));
		for (const item of items) expect(Object.keys(item.json).sort()).toEqual(LINK_KEYS);
		expect(log).toHaveLength(1);
		expect(log[0]).toMatchObject({ method: 'GET', path: linksPath(), search: '', bodyText: '' });
		expectFansApiAuth(log[0]);
		expectAllDone(scope);
	});

	it('Limit returns the first N links; Return All returns every one; the default limit is 50', async () => {
		const many = Array.from({ length: 60 }, (_, i) => ({
			...rawFyp,
			id: `9000000000000000${String(i).padStart(2, '0')}`,
			type: 1000,
			label: `L${i}`,
		}));

		fansApi().get(linksPath()).reply(200, listBody());
		const limited = await runFansly({
			parameters: params('fansApiApi', 'getAll', { account: rl(ACCOUNT), returnAll: false, limit: 2 }),
			credentials: fansApiCredentials,
		});
		expect(limited.error).toBeUndefined();
		expect(limited.items).toEqual(paired([fyp, twitter], 0));

		fansApi().get(linksPath()).reply(200, listBody(many));
		const byDefault = await runFansly({
			parameters: params('fansApiApi', 'getAll', { account: rl(ACCOUNT) }),
			credentials: fansApiCredentials,
		});
		expect(byDefault.items).toHaveLength(50);
		expect(byDefault.items.map((i) => i.json.label)).toEqual(many.slice(0, 50).map((l) => l.label));

		fansApi().get(linksPath()).reply(200, listBody(many));
		const all = await runFansly({
			parameters: params('fansApiApi', 'getAll', { account: rl(ACCOUNT), returnAll: true, limit: 2 }),
			credentials: fansApiCredentials,
		});
		expect(all.items).toHaveLength(60);
		expectAllDone();
	});

	it('Label Contains is case-insensitive and skips links without a label', async () => {
		fansApi().get(linksPath()).reply(200, listBody());
		const { items, error } = await runFansly({
			parameters: params('fansApiApi', 'getAll', {
				account: rl(ACCOUNT),
				returnAll: true,
				filters: { labelContains: 'TWITTER' },
			}),
			credentials: fansApiCredentials,
		});
		expect(error).toBeUndefined();
		expect(items).toEqual(paired([twitter, retweet], 0));
		expectAllDone();
	});

	it.each([
		['all', [fyp, twitter, retweet, noLabel]],
		['builtIn', [fyp]],
		['userCreated', [twitter, retweet, noLabel]],
	])('Kind "%s" selects by type (1 = built-in, 1000 = user-created)', async (kind, expected) => {
		fansApi().get(linksPath()).reply(200, listBody());
		const { items, error } = await runFansly({
			parameters: params('fansApiApi', 'getAll', { account: rl(ACCOUNT), returnAll: true, filters: { kind } }),
			credentials: fansApiCredentials,
		});
		expect(error).toBeUndefined();
		expect(items).toEqual(paired(expected, 0));
		expectAllDone();
	});

	it('Kind and Label Contains combine, and Limit applies after filtering', async () => {
		fansApi().get(linksPath()).reply(200, listBody());
		const { items } = await runFansly({
			parameters: params('fansApiApi', 'getAll', {
				account: rl(ACCOUNT),
				returnAll: false,
				limit: 1,
				filters: { kind: 'userCreated', labelContains: 'tWiTtEr' },
			}),
			credentials: fansApiCredentials,
		});
		expect(items).toEqual(paired([twitter], 0));
		expectAllDone();
	});

	it('several input items: each output paired to its item; the list is fetched once per account', async () => {
		const rawOther = { ...rawFyp, id: '700000000000000001', label: 'Other FYP' };
		delete (rawOther as Partial<typeof rawOther>).accountId; // the account comes from the parameter
		const otherLink = { ...fyp, id: '700000000000000001', label: 'Other FYP', accountId: OTHER_ACCOUNT, fanslyAccountId: null };

		const log: RecordedRequest[] = [];
		const a = fansApi().get(linksPath(ACCOUNT)).once().reply(recordingReply(log, 200, listBody()));
		const b = fansApi().get(linksPath(OTHER_ACCOUNT)).once().reply(recordingReply(log, 200, listBody([rawOther])));

		const { items, error } = await runFansly({
			parameters: params('fansApiApi', 'getAll', {
				account: rl('={{ $json.account }}'),
				returnAll: true,
				filters: { labelContains: '={{ $json.needle }}' },
			}),
			items: [
				{ account: ACCOUNT, needle: '' },
				{ account: OTHER_ACCOUNT, needle: '' },
				{ account: ACCOUNT, needle: 'twitter' },
				{ account: ACCOUNT, needle: 'fyp' },
			],
			credentials: fansApiCredentials,
		});

		expect(error).toBeUndefined();
		expect(items).toEqual([
			...paired(normalisedList, 0),
			...paired([otherLink], 1),
			...paired([twitter, retweet], 2),
			...paired([fyp], 3),
		]);
		expect(log.map((r) => `${r.method} ${r.path}`).sort()).toEqual(
			[`GET ${linksPath(ACCOUNT)}`, `GET ${linksPath(OTHER_ACCOUNT)}`].sort(),
		);
		expectAllDone(a, b);
	});

	it('Continue On Fail: a failed list is one request, and one error item per input item', async () => {
		const log: RecordedRequest[] = [];
		fansApi()
			.get(linksPath())
			.once()
			.reply(recordingReply(log, 404, { message: 'Account not found.' }));
		const { items, error } = await runFansly({
			parameters: params('fansApiApi', 'getAll', { account: rl(ACCOUNT), returnAll: true }),
			items: [{}, {}, {}],
			credentials: fansApiCredentials,
			continueOnFail: true,
		});
		expect(error).toBeUndefined();
		expect(items).toEqual(
			[0, 1, 2].map((index) => ({
				json: {
					error: `Not found: account "${ACCOUNT}" (HTTP 404): Account not found.`,
					itemIndex: index,
					accountId: ACCOUNT,
					description: 'Check the Account: Fans API does not know this account, or it is not connected to this API key.',
					httpCode: 404,
					providerMessage: 'Account not found.',
					provider: 'fansApi',
				},
				pairedItem: { item: index },
			})),
		);
		expect(log).toHaveLength(1);
		expectAllDone();
	});

	it('an item whose filter matches nothing outputs nothing, the others still pair correctly', async () => {
		fansApi().get(linksPath()).reply(200, listBody());
		const { items } = await runFansly({
			parameters: params('fansApiApi', 'getAll', {
				account: rl(ACCOUNT),
				returnAll: true,
				filters: { labelContains: '={{ $json.needle }}' },
			}),
			items: [{ needle: 'nothing like this' }, { needle: 'Bio' }],
			credentials: fansApiCredentials,
		});
		expect(items).toEqual(paired([twitter], 1));
		expectAllDone();
	});

	it.each(['continueRegularOutput', 'continueErrorOutput'] as const)(
		'two accounts, the second failing (On Error %s): more items than inputs, the error item paired to input 1',
		async (onError) => {
			fansApi().get(linksPath()).reply(200, listBody());
			fansApi().get(linksPath(OTHER_ACCOUNT)).reply(404, { message: 'Fansly account not found' });
			const result = await runFansly({
				parameters: params('fansApiApi', 'getAll', { account: rl('={{ $json.account }}'), returnAll: true }),
				items: [{ account: ACCOUNT }, { account: OTHER_ACCOUNT }],
				credentials: fansApiCredentials,
				onError,
			});
			expect(result.error).toBeUndefined();
			const failed = onError === 'continueErrorOutput' ? result.errorItems : result.items.slice(normalisedList.length);
			const listed = result.items.slice(0, normalisedList.length);
			expect(listed).toEqual(paired(normalisedList, 0));
			expect(failed.map((item) => item.pairedItem)).toEqual([{ item: 1 }]);
			expect(failed[0].json.error).toBe(`Not found: account "${OTHER_ACCOUNT}" (HTTP 404): Fansly account not found`);
			expect(result.items).toHaveLength(normalisedList.length + (onError === 'continueErrorOutput' ? 0 : 1));
			expectAllDone();
		},
	);
});

// ---------------------------------------------------------------------------------------------
describe('Fans API: a list answer that comes in pages (the provider seam Get Many, Get and the pickers share)', () => {
	// Fans API's envelope documents `_pagination.next_page` (the next page's URL, null on the
	// last); the Fansly list is documented without paging, so this guards an answer that ever has it.
	const nextPage = (query: string) => `https://app.onlyfansapi.com/api/fansly/${ACCOUNT}/tracking-links?${query}`;
	const paged = (links: unknown[], pagination: IDataObject, at: '_pagination' | '_meta' = '_pagination') =>
		at === '_pagination'
			? { data: links, _pagination: pagination, _meta: META }
			: { data: links, _meta: { ...META, _pagination: pagination } };

	function pages(log: RecordedRequest[]) {
		return [
			fansApi().get(linksPath()).reply(recordingReply(log, 200, paged([rawFyp, rawTwitter], { next_page: nextPage('offset=2&limit=2') }))),
			fansApi()
				.get(linksPath())
				.query({ offset: '2', limit: '2' })
				// Twitter again: the list moved while it was read.
				.reply(recordingReply(log, 200, paged([rawTwitter, rawRetweet], { next_page: nextPage('offset=4&limit=2') }, '_meta'))),
			fansApi()
				.get(linksPath())
				.query({ offset: '4', limit: '2' })
				.reply(recordingReply(log, 200, paged([rawNoLabel], { next_page: null }))),
		];
	}

	it('Get Many reads every page, on the credential’s own host, and outputs each link once', async () => {
		const log: RecordedRequest[] = [];
		const scopes = pages(log);
		const { items, error } = await runFansly({
			parameters: params('fansApiApi', 'getAll', { account: rl(ACCOUNT), returnAll: true }),
			credentials: fansApiCredentials,
		});
		expect(error).toBeUndefined();
		expect(items).toEqual(paired([fyp, twitter, retweet, noLabel], 0));
		expect(log.map((r) => `${r.method} ${r.path}${r.search}`)).toEqual([
			`GET ${linksPath()}`,
			`GET ${linksPath()}?offset=2&limit=2`,
			`GET ${linksPath()}?offset=4&limit=2`,
		]);
		for (const request of log) expectFansApiAuth(request);
		expectAllDone(...scopes);
	});

	it('Get finds a link that is only on a later page', async () => {
		const log: RecordedRequest[] = [];
		const scopes = pages(log);
		const { items, error } = await runFansly({
			parameters: params('fansApiApi', 'get', { account: rl(ACCOUNT), trackingLink: rl(noLabel.id) }),
			credentials: fansApiCredentials,
		});
		expect(error).toBeUndefined();
		expect(items).toEqual(paired([noLabel], 0));
		expect(log).toHaveLength(3);
		expectAllDone(...scopes);
	});

	it.each([
		['has_more without a next page', { _pagination: { has_more: true } }, 'the answer says more links exist (_pagination.has_more is true) but gives no next page to read'],
		['Laravel paging: page 1 of 3', { meta: { current_page: 1, last_page: 3 } }, 'the answer says more links exist (page 1 of 3) but gives no next page to read'],
		['a next page of another list', { _pagination: { next_page: `https://api.fansapi.com/api/fansly/${OTHER_ACCOUNT}/tracking-links?offset=2` } }, `_pagination.next_page points to another list (/api/fansly/${OTHER_ACCOUNT}/tracking-links)`],
		['a next page without a query', { _pagination: { next_page: `/api/fansly/${ACCOUNT}/tracking-links` } }, '_pagination.next_page gives no page to ask for'],
	] as Array<[string, IDataObject, string]>)('%s: a clear error, no partial list', async (_name, extra, reason) => {
		const log: RecordedRequest[] = [];
		const scope = fansApi().get(linksPath()).reply(recordingReply(log, 200, { ...listBody(), ...extra }));
		const { items, error } = await runFansly({
			parameters: params('fansApiApi', 'getAll', { account: rl(ACCOUNT), returnAll: true }),
			credentials: fansApiCredentials,
		});
		expect(items).toEqual([]);
		expect(error?.message).toBe(`Unexpected response from Fans API for the tracking links of account "${ACCOUNT}": only part of the list came back: ${reason} (item 0)`);
		expect(log).toHaveLength(1);
		expectAllDone(scope);
	});

	it('a page that brings no link not already read, yet names another page, ends the reading (a pager ignoring its offset)', async () => {
		const log: RecordedRequest[] = [];
		const scopes = [
			fansApi().get(linksPath()).reply(recordingReply(log, 200, paged([rawFyp, rawTwitter], { next_page: nextPage('offset=2') }))),
			fansApi().get(linksPath()).query({ offset: '2' }).reply(recordingReply(log, 200, paged([rawFyp, rawTwitter], { next_page: nextPage('offset=4') }))),
		];
		const { items, error } = await runFansly({
			parameters: params('fansApiApi', 'getAll', { account: rl(ACCOUNT), returnAll: true }),
			credentials: fansApiCredentials,
		});
		expect(items).toEqual([]);
		expect(error?.message).toBe(
			`Unexpected response from Fans API for the tracking links of account "${ACCOUNT}": only part of the list came back: page 2 brought none that was not already read, and names a next page ({"offset":"4"}) (item 0)`,
		);
		// Two requests, not a hundred.
		expect(log.map((r) => r.search)).toEqual(['', '?offset=2']);
		expectAllDone(...scopes);
	});

	it('a next page that was already read ends the reading with a clear error', async () => {
		const log: RecordedRequest[] = [];
		const scopes = [
			fansApi().get(linksPath()).reply(recordingReply(log, 200, paged([rawFyp], { next_page: nextPage('offset=1') }))),
			fansApi().get(linksPath()).query({ offset: '1' }).reply(recordingReply(log, 200, paged([rawTwitter], { next_page: nextPage('offset=1') }))),
		];
		const { items, error } = await runFansly({
			parameters: params('fansApiApi', 'getAll', { account: rl(ACCOUNT), returnAll: true }),
			credentials: fansApiCredentials,
		});
		expect(items).toEqual([]);
		expect(error?.message).toBe(
			`Unexpected response from Fans API for the tracking links of account "${ACCOUNT}": only part of the list came back: the next page it names ({"offset":"1"}) was already read (item 0)`,
		);
		expect(log.map((r) => r.search)).toEqual(['', '?offset=1']);
		expectAllDone(...scopes);
	});
});

// ---------------------------------------------------------------------------------------------
describe('Fans API: Get', () => {
	it('reads one link from the account’s list (there is no get-one endpoint)', async () => {
		const log: RecordedRequest[] = [];
		const scope = fansApi().get(linksPath()).reply(recordingReply(log, 200, listBody()));
		const { items, error } = await runFansly({
			parameters: params('fansApiApi', 'get', { account: rl(ACCOUNT), trackingLink: rl(twitter.id) }),
			credentials: fansApiCredentials,
		});
		expect(error).toBeUndefined();
		expect(items).toEqual(paired([twitter], 0));
		expect(log).toHaveLength(1);
		expect(log[0]).toMatchObject({ method: 'GET', path: linksPath(), search: '' });
		expectFansApiAuth(log[0]);
		expectAllDone(scope);
	});

	it('several items on one account share one list request', async () => {
		const scope = fansApi().get(linksPath()).once().reply(200, listBody());
		const { items, error } = await runFansly({
			parameters: params('fansApiApi', 'get', { account: rl(ACCOUNT), trackingLink: rl('={{ $json.id }}') }),
			items: [{ id: twitter.id }, { id: fyp.id }, { id: twitter.id }],
			credentials: fansApiCredentials,
		});
		expect(error).toBeUndefined();
		expect(items).toEqual([...paired([twitter], 0), ...paired([fyp], 1), ...paired([twitter], 2)]);
		expectAllDone(scope);
	});

	it('a link missing from the list is a clear error naming the link and the account', async () => {
		// The list is read again once before giving up (the link may be new).
		const log: RecordedRequest[] = [];
		const scope = fansApi().get(linksPath()).times(2).reply(recordingReply(log, 200, listBody()));
		const { items, error } = await runFansly({
			parameters: params('fansApiApi', 'get', { account: rl(ACCOUNT), trackingLink: rl('123456789') }),
			credentials: fansApiCredentials,
		});
		expect(items).toEqual([]);
		expect(error).toBeDefined();
		expect(error?.message).toContain(`Tracking link "123456789" not found on account "${ACCOUNT}"`);
		expect(log).toHaveLength(2);
		expectAllDone(scope);
	});

	it('with Continue On Fail, the missing link becomes an error item paired to its input', async () => {
		fansApi().get(linksPath()).times(2).reply(200, listBody());
		const { items, error } = await runFansly({
			parameters: params('fansApiApi', 'get', { account: rl(ACCOUNT), trackingLink: rl('={{ $json.id }}') }),
			items: [{ id: fyp.id }, { id: '123456789' }, { id: twitter.id }],
			credentials: fansApiCredentials,
			continueOnFail: true,
		});
		expect(error).toBeUndefined();
		expect(items).toHaveLength(3);
		expect(items[0]).toEqual({ json: fyp, pairedItem: { item: 0 } });
		expect(items[2]).toEqual({ json: twitter, pairedItem: { item: 2 } });
		expect(items[1].pairedItem).toEqual({ item: 1 });
		expect(items[1].json).toEqual({
			error: expect.stringContaining(`Tracking link "123456789" not found on account "${ACCOUNT}"`),
			itemIndex: 1,
			accountId: ACCOUNT,
			trackingLinkId: '123456789',
			httpCode: 404,
			provider: 'fansApi',
		});
		expectAllDone();
	});
});

// ---------------------------------------------------------------------------------------------
describe('Fans API: Create', () => {
	const created = {
		id: '845759434926862400',
		accountId: FANSLY_ACCOUNT_ID,
		internalId: 4242, // a number in create responses: never in the output
		type: 1000,
		status: 1,
		label: 'Reddit',
		description: 'From r/example',
	};
	const createdLink = {
		id: '845759434926862400',
		accountId: ACCOUNT,
		fanslyAccountId: FANSLY_ACCOUNT_ID,
		label: 'Reddit',
		description: 'From r/example',
		type: 1000,
		status: 1,
		metadata: null,
		createdAt: null,
		...UNKNOWN_COUNTERS,
		provider: 'fansApi',
	};

	it('POSTs {label, description} and outputs the normalised link', async () => {
		const log: RecordedRequest[] = [];
		const scope = fansApi()
			.post(linksPath(), { label: 'Reddit', description: 'From r/example' })
			.reply(recordingReply(log, 201, { data: created, _meta: META }));
		const { items, error } = await runFansly({
			parameters: params('fansApiApi', 'create', {
				account: rl(ACCOUNT),
				label: 'Reddit',
				additionalFields: { description: 'From r/example' },
			}),
			credentials: fansApiCredentials,
		});
		expect(error).toBeUndefined();
		expect(items).toEqual(paired([createdLink], 0));
		expect(items[0].json).not.toHaveProperty('internalId');
		expect(log).toHaveLength(1);
		expect(log[0]).toMatchObject({ method: 'POST', path: linksPath(), search: '' });
		expect(log[0].body).toStrictEqual({ label: 'Reddit', description: 'From r/example' });
		expect(log[0].headers['content-type']).toContain('application/json');
		expectFansApiAuth(log[0]);
		expectAllDone(scope);
	});

	it('without a description the body is exactly {label}', async () => {
		const log: RecordedRequest[] = [];
		fansApi()
			.post(linksPath(), { label: 'Reddit' })
			.reply(recordingReply(log, 201, { data: { ...created, description: null }, _meta: META }));
		const { items, error } = await runFansly({
			parameters: params('fansApiApi', 'create', { account: rl(ACCOUNT), label: 'Reddit' }),
			credentials: fansApiCredentials,
		});
		expect(error).toBeUndefined();
		expect(items).toEqual(paired([{ ...createdLink, description: null }], 0));
		expect(log[0].body).toStrictEqual({ label: 'Reddit' });
		expectAllDone();
	});

	it('an empty Label typed in the node: n8n itself refuses to run the node (required parameter)', async () => {
		await expect(
			runFansly({
				parameters: params('fansApiApi', 'create', { account: rl(ACCOUNT), label: '' }),
				credentials: fansApiCredentials,
			}),
		).rejects.toThrow(requiredParameterRefusal('Label'));
		expect(tracked.unmatched).toEqual([]);
	});

	it.each([[''], ['   ']])('label %j (from an expression) is a NodeOperationError before any request', async (label) => {
		const { items, error } = await runFansly({
			parameters: params('fansApiApi', 'create', { account: rl(ACCOUNT), label: '={{ $json.label }}' }),
			items: [{ label }],
			credentials: fansApiCredentials,
		});
		expect(items).toEqual([]);
		expect(error?.name).toBe('NodeOperationError');
		expect(error?.message).toContain('Label is empty');
		expect(tracked.unmatched).toEqual([]);
	});

	it('one bad item stops the whole batch before any request (without Continue On Fail)', async () => {
		const { error } = await runFansly({
			parameters: params('fansApiApi', 'create', { account: rl(ACCOUNT), label: '={{ $json.label }}' }),
			items: [{ label: 'Good' }, { label: '' }],
			credentials: fansApiCredentials,
		});
		expect(error?.name).toBe('NodeOperationError');
		expect(error?.message).toBe('Label is empty (item 1)');
		expect(tracked.unmatched).toEqual([]);
	});

	it('Continue On Fail: the item with an empty label is an error item, the others are created', async () => {
		const log: RecordedRequest[] = [];
		fansApi()
			.post(linksPath(), { label: 'A' })
			.once()
			.reply(recordingReply(log, 201, { data: { ...created, id: '1', label: 'A', description: null }, _meta: META }));
		const { items, error } = await runFansly({
			parameters: params('fansApiApi', 'create', { account: rl(ACCOUNT), label: '={{ $json.label }}' }),
			items: [{ label: '' }, { label: 'A' }],
			credentials: fansApiCredentials,
			continueOnFail: true,
		});
		expect(error).toBeUndefined();
		expect(items).toEqual([
			{
				json: {
					error: 'Label is empty (item 0)',
					itemIndex: 0,
					description: 'A new tracking link needs a label.',
					provider: 'fansApi',
				},
				pairedItem: { item: 0 },
			},
			{ json: { ...createdLink, id: '1', label: 'A', description: null }, pairedItem: { item: 1 } },
		]);
		expect(log).toHaveLength(1);
		expectAllDone();
	});

	it('a 500 on create is NOT retried (exactly one POST)', async () => {
		const log: RecordedRequest[] = [];
		const scope = fansApi()
			.post(linksPath())
			.once()
			.reply(recordingReply(log, 500, { message: 'Server Error' }));
		const { items, error } = await runFansly({
			parameters: params('fansApiApi', 'create', { account: rl(ACCOUNT), label: 'Reddit', options: FAST }),
			credentials: fansApiCredentials,
		});
		expect(items).toEqual([]);
		expect(error?.name).toBe('NodeApiError');
		expect(error?.message).toContain('HTTP 500');
		expect(error?.message).toContain('Server Error');
		expect(log).toHaveLength(1);
		expectAllDone(scope);
	});

	it('a refused connection on create IS retried (the request never reached the provider): two POSTs, one link', async () => {
		const log: RecordedRequest[] = [];
		const scope = fansApi()
			.post(linksPath(), { label: 'Reddit' })
			.once()
			.replyWithError(Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' }))
			.post(linksPath(), { label: 'Reddit' })
			.once()
			.reply(recordingReply(log, 201, { data: { ...created, id: '1', label: 'Reddit', description: null }, _meta: META }));
		const { items, error } = await runFansly({
			parameters: params('fansApiApi', 'create', { account: rl(ACCOUNT), label: 'Reddit', options: FAST }),
			credentials: fansApiCredentials,
		});
		expect(error).toBeUndefined();
		expect(items).toEqual([{ json: { ...createdLink, id: '1', label: 'Reddit', description: null }, pairedItem: { item: 0 } }]);
		expect(log).toHaveLength(1);
		expectAllDone(scope);
	});

	it('a connection reset on create is NOT retried (exactly one POST)', async () => {
		let posts = 0;
		const scope = fansApi()
			.post(linksPath())
			.once()
			.replyWithError(
				Object.assign(new Error('socket hang up'), { code: 'ECONNRESET', errno: -104 }),
			);
		scope.on('request', () => {
			posts += 1;
		});
		const { items, error } = await runFansly({
			parameters: params('fansApiApi', 'create', { account: rl(ACCOUNT), label: 'Reddit', options: FAST }),
			credentials: fansApiCredentials,
		});
		expect(items).toEqual([]);
		expect(error).toBeDefined();
		expect(error?.description).toContain('Not retried');
		expect(posts).toBe(1);
		expectAllDone(scope);
	});

	it('a refused connection on every attempt of a create: all attempts made, and no "Not retried" advice (every retry was spent)', async () => {
		const scope = fansApi()
			.post(linksPath(), { label: 'Reddit' })
			.times(4)
			.replyWithError(Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' }));
		const { items, error } = await runFansly({
			parameters: params('fansApiApi', 'create', { account: rl(ACCOUNT), label: 'Reddit', options: FAST }),
			credentials: fansApiCredentials,
		});
		expect(items).toEqual([]);
		expect(error?.message).toBe(`Fans API request for account "${ACCOUNT}" failed after 4 attempts: network error ECONNREFUSED (item 0)`);
		expect(error?.description).toBeUndefined();
		expectAllDone(scope);
	});

	it('a 500 without a provider message: the message ends at the subject', async () => {
		const scope = fansApi().post(linksPath(), { label: 'Reddit' }).once().reply(500, '');
		const { items, error } = await runFansly({
			parameters: params('fansApiApi', 'create', { account: rl(ACCOUNT), label: 'Reddit', options: FAST }),
			credentials: fansApiCredentials,
		});
		expect(items).toEqual([]);
		expect(error?.message).toBe(`Fans API returned HTTP 500 for account "${ACCOUNT}" (item 0)`);
		expect(error?.description).toBe(
			"Fans API may have created the link although the request failed. Check the account's links (Get Many) before running this item again, or the link may be created twice.",
		);
		expectAllDone(scope);
	});

	it.each([
		['ETIMEDOUT', 'no answer within 30000 ms'],
		['ECONNABORTED', 'no answer within 30000 ms'],
		['ESOCKETTIMEDOUT', 'no answer within 30000 ms'],
		['ECONNRESET', 'network error ECONNRESET'],
		['EPIPE', 'network error EPIPE'],
	])('a connection failing with %s is worded "%s"', async (code, words) => {
		const LINK_ID = '845759434926862336';
		const scope = fansApi()
			.delete(`${linksPath()}/${LINK_ID}`)
			.once()
			.replyWithError(Object.assign(new Error(`failed: ${code}`), { code }));
		const { error } = await runFansly({
			parameters: params('fansApiApi', 'delete', { account: rl(ACCOUNT), trackingLink: rl(LINK_ID), options: { retry: false } }),
			credentials: fansApiCredentials,
		});
		expect(error?.message).toBe(`Fans API request for tracking link "${LINK_ID}" on account "${ACCOUNT}" failed after 1 attempt: ${words} (item 0)`);
		expect(error?.description).toBeUndefined();
		expectAllDone(scope);
	});

	// Neither an answer nor a known network failure (a certificate that cannot be verified, an
	// address n8n refuses): said as it came, and never retried, since nothing says a retry helps.
	it('a failure that is no network failure is worded as it came and not retried, even with retries on', async () => {
		const LINK_ID = '845759434926862336';
		const scope = fansApi()
			.delete(`${linksPath()}/${LINK_ID}`)
			.once()
			.replyWithError(Object.assign(new Error('unable to verify the first certificate'), { code: 'UNABLE_TO_VERIFY_LEAF_SIGNATURE' }));
		const { error } = await runFansly({
			parameters: params('fansApiApi', 'delete', { account: rl(ACCOUNT), trackingLink: rl(LINK_ID), options: { retryDelay: 0 } }),
			credentials: fansApiCredentials,
		});
		expect(error?.message).toBe(`Request to Fans API for tracking link "${LINK_ID}" on account "${ACCOUNT}" failed: unable to verify the first certificate (item 0)`);
		expectAllDone(scope);
	});

	it('Continue On Fail: a failure without an HTTP status, description or provider message gives an item with only the fields that have a value', async () => {
		// Retry off: one attempt, no answer (so no status and no provider message), and nothing to
		// add to what failed (the request never reached the provider).
		const LINK_ID = '845759434926862336';
		const scope = fansApi()
			.delete(`${linksPath()}/${LINK_ID}`)
			.once()
			.replyWithError(Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' }));
		const { items, error } = await runFansly({
			parameters: params('fansApiApi', 'delete', { account: rl(ACCOUNT), trackingLink: rl(LINK_ID), options: { retry: false } }),
			credentials: fansApiCredentials,
			continueOnFail: true,
		});
		expect(error).toBeUndefined();
		// toStrictEqual: a field present without a value (undefined) would show as an empty row in n8n.
		expect(items).toStrictEqual([
			{
				json: {
					error: `Fans API request for tracking link "${LINK_ID}" on account "${ACCOUNT}" failed after 1 attempt: network error ECONNREFUSED`,
					itemIndex: 0,
					accountId: ACCOUNT,
					trackingLinkId: LINK_ID,
					provider: 'fansApi',
				},
				pairedItem: { item: 0 },
			},
		]);
		expectAllDone(scope);
	});

	it('a 429 with Retry-After: 0 IS retried, and the second answer is used', async () => {
		const log: RecordedRequest[] = [];
		const scope = fansApi()
			.post(linksPath(), { label: 'Reddit' })
			.reply(recordingReply(log, 429, { message: 'Too Many Requests' }, { 'retry-after': '0' }))
			.post(linksPath(), { label: 'Reddit' })
			.reply(recordingReply(log, 201, { data: created, _meta: META }));
		const { items, error } = await runFansly({
			parameters: params('fansApiApi', 'create', { account: rl(ACCOUNT), label: 'Reddit', options: FAST }),
			credentials: fansApiCredentials,
		});
		expect(error).toBeUndefined();
		expect(items).toEqual(paired([createdLink], 0));
		expect(log.map((r) => r.method)).toEqual(['POST', 'POST']);
		expectAllDone(scope);
	});

	it('Continue On Fail: a failed create is an error item paired to its input, the others succeed', async () => {
		fansApi()
			.post(linksPath(), { label: 'A' })
			.reply(201, { data: { ...created, id: '1', label: 'A', description: null }, _meta: META })
			.post(linksPath(), { label: 'B' })
			.reply(422, { message: 'The label has already been taken.', errors: { label: ['The label has already been taken.'] } });
		const { items, error } = await runFansly({
			parameters: params('fansApiApi', 'create', { account: rl(ACCOUNT), label: '={{ $json.label }}', options: FAST }),
			items: [{ label: 'A' }, { label: 'B' }],
			credentials: fansApiCredentials,
			continueOnFail: true,
		});
		expect(error).toBeUndefined();
		expect(items[0]).toEqual({ json: { ...createdLink, id: '1', label: 'A', description: null }, pairedItem: { item: 0 } });
		expect(items[1].pairedItem).toEqual({ item: 1 });
		expect(items[1].json).toMatchObject({
			itemIndex: 1,
			accountId: ACCOUNT,
			httpCode: 422,
			providerMessage: 'The label has already been taken.',
			provider: 'fansApi',
		});
		expectAllDone();
	});

	it('a 422 whose errors say more than its message: both are kept, in that order', async () => {
		fansApi()
			.post(linksPath(), { label: 'B' })
			.reply(422, {
				message: 'The given data was invalid.',
				errors: { label: ['The label has already been taken.'], description: ['The given data was invalid.'] },
			});
		const { items } = await runFansly({
			parameters: params('fansApiApi', 'create', { account: rl(ACCOUNT), label: 'B', options: FAST }),
			credentials: fansApiCredentials,
			continueOnFail: true,
		});
		expect(items.map((item) => [item.json.httpCode, item.json.providerMessage, item.json.error])).toEqual([
			[
				422,
				'The given data was invalid. The label has already been taken.',
				`Fans API returned HTTP 422 for account "${ACCOUNT}": The given data was invalid. The label has already been taken.`,
			],
		]);
		expectAllDone();
	});

	describe("with n8n's Retry On Fail (Settings), which runs the whole node again after a failure", () => {
		const refusal =
			'Create does not run with the node setting "Retry On Fail": n8n would run the whole node again after a failure and create the links of the rows that succeeded a second time';

		it('Stop Workflow: the run fails with why, before any request, on every try n8n gives it', async () => {
			const { items, error } = await runFansly({
				parameters: params('fansApiApi', 'create', { account: rl(ACCOUNT), label: '={{ $json.label }}' }),
				items: [{ label: 'A' }, { label: 'B' }],
				credentials: fansApiCredentials,
				retryOnFail: { maxTries: 2 },
			});
			expect(items).toEqual([]);
			expect([error?.name, error?.message]).toEqual(['NodeOperationError', refusal]);
			expect(error?.description).toContain('Turn off Settings → Retry On Fail for this node.');
			expectAllDone();
		});

		it('Continue (regular output): every row is an error item saying why, nothing is sent', async () => {
			const { items } = await runFansly({
				parameters: params('fansApiApi', 'create', { account: rl(ACCOUNT), label: '={{ $json.label }}' }),
				items: [{ label: 'A' }, { label: 'B' }],
				credentials: fansApiCredentials,
				continueOnFail: true,
				retryOnFail: { maxTries: 2 },
			});
			expect(items.map((item) => [item.json.error, item.pairedItem])).toEqual([
				[refusal, { item: 0 }],
				[refusal, { item: 1 }],
			]);
			expectAllDone();
		});

		it('Update, which is safe to send again, runs as usual with it', async () => {
			const scope = fansApi()
				.put(`${linksPath()}/${rawTwitter.id}`)
				.reply(200, { data: { ...rawTwitter, label: 'New' }, _meta: META });
			const { items, error } = await runFansly({
				parameters: params('fansApiApi', 'update', { account: rl(ACCOUNT), trackingLink: rl(rawTwitter.id), updateFields: { label: 'New' } }),
				credentials: fansApiCredentials,
				retryOnFail: { maxTries: 2 },
			});
			expect(error).toBeUndefined();
			expect(items.map((item) => [item.json.id, item.json.label])).toEqual([[rawTwitter.id, 'New']]);
			expectAllDone(scope);
		});
	});
});

// ---------------------------------------------------------------------------------------------
describe('Delete', () => {
	it('API Fansly: DELETE /api/fansly/{account}/tracking-links with {"trackingLinkId"} in the body', async () => {
		const log: RecordedRequest[] = [];
		const scope = apiFansly()
			.delete(linksPath(), { trackingLinkId: twitter.id })
			.reply(
				recordingReply(log, 200, {
					statusCode: 200,
					message: 'Tracking link deleted successfully',
					data: { status_code: 200, data: { success: true, response: true } },
					timestamp: '2026-03-21T04:08:45.000Z',
				}),
			);
		const { items, error } = await runFansly({
			parameters: params('apiFanslyApi', 'delete', { account: rl(ACCOUNT), trackingLink: rl(twitter.id) }),
			credentials: apiFanslyCredentials,
		});
		expect(error).toBeUndefined();
		expect(items).toEqual(paired([{ deleted: true, id: twitter.id, provider: 'apiFansly' }], 0));
		expect(log).toHaveLength(1);
		expect(log[0]).toMatchObject({ method: 'DELETE', path: linksPath(), search: '' });
		expect(log[0].body).toStrictEqual({ trackingLinkId: twitter.id });
		expectApiFanslyAuth(log[0]);
		expectAllDone(scope);
	});

	it('API Fansly: the account id is URL-encoded in the path, the link id is sent as is in the body', async () => {
		const log: RecordedRequest[] = [];
		const scope = apiFansly()
			.delete(`/api/fansly/${AWKWARD_ACCOUNT_PATH}/tracking-links`, { trackingLinkId: AWKWARD_LINK })
			.reply(recordingReply(log, 200, { statusCode: 200, message: 'ok', data: null }));
		const { items, error } = await runFansly({
			parameters: params('apiFanslyApi', 'delete', {
				account: rl(AWKWARD_ACCOUNT),
				trackingLink: rl(AWKWARD_LINK),
			}),
			credentials: apiFanslyCredentials,
		});
		expect(error).toBeUndefined();
		expect(items).toEqual(paired([{ deleted: true, id: AWKWARD_LINK, provider: 'apiFansly' }], 0));
		expect(log[0].path).toBe(`/api/fansly/${AWKWARD_ACCOUNT_PATH}/tracking-links`);
		expect(log[0].search).toBe('');
		expect(log[0].body).toStrictEqual({ trackingLinkId: AWKWARD_LINK });
		expectAllDone(scope);
	});

	it('API Fansly: an answer with an empty body is still a success', async () => {
		apiFansly().delete(linksPath(), { trackingLinkId: '42' }).reply(204);
		const { items, error } = await runFansly({
			parameters: params('apiFanslyApi', 'delete', { account: rl(ACCOUNT), trackingLink: rl('42') }),
			credentials: apiFanslyCredentials,
		});
		expect(error).toBeUndefined();
		expect(items).toEqual(paired([{ deleted: true, id: '42', provider: 'apiFansly' }], 0));
		expectAllDone();
	});

	it('Fans API: DELETE .../tracking-links/{id} without a body', async () => {
		const log: RecordedRequest[] = [];
		const scope = fansApi()
			.delete(`${linksPath()}/${twitter.id}`)
			.reply(recordingReply(log, 200, { data: null, _meta: META }));
		const { items, error } = await runFansly({
			parameters: params('fansApiApi', 'delete', { account: rl(ACCOUNT), trackingLink: rl(twitter.id) }),
			credentials: fansApiCredentials,
		});
		expect(error).toBeUndefined();
		expect(items).toEqual(paired([{ deleted: true, id: twitter.id, provider: 'fansApi' }], 0));
		expect(log).toHaveLength(1);
		expect(log[0]).toMatchObject({ method: 'DELETE', path: `${linksPath()}/${twitter.id}`, search: '', bodyText: '' });
		expectFansApiAuth(log[0]);
		expectAllDone(scope);
	});

	it('Fans API: both ids are URL-encoded as path segments (/ ? # space)', async () => {
		const path = `/api/fansly/${AWKWARD_ACCOUNT_PATH}/tracking-links/${AWKWARD_LINK_PATH}`;
		const log: RecordedRequest[] = [];
		const scope = fansApi().delete(path).reply(recordingReply(log, 200, { data: null, _meta: META }));
		const { items, error } = await runFansly({
			parameters: params('fansApiApi', 'delete', {
				account: rl(AWKWARD_ACCOUNT),
				trackingLink: rl(AWKWARD_LINK),
			}),
			credentials: fansApiCredentials,
		});
		expect(error).toBeUndefined();
		expect(items).toEqual(paired([{ deleted: true, id: AWKWARD_LINK, provider: 'fansApi' }], 0));
		expect(log[0].path).toBe(path);
		expect(log[0].search).toBe('');
		expectAllDone(scope);
	});

	it('several items: one DELETE each, outputs paired in input order', async () => {
		const log: RecordedRequest[] = [];
		for (const id of ['1', '2', '3']) {
			fansApi().delete(`${linksPath()}/${id}`).reply(recordingReply(log, 200, { data: null, _meta: META }));
		}
		const { items, error } = await runFansly({
			parameters: params('fansApiApi', 'delete', { account: rl(ACCOUNT), trackingLink: rl('={{ $json.id }}') }),
			items: [{ id: '1' }, { id: '2' }, { id: '3' }],
			credentials: fansApiCredentials,
		});
		expect(error).toBeUndefined();
		expect(items).toEqual([
			...paired([{ deleted: true, id: '1', provider: 'fansApi' }], 0),
			...paired([{ deleted: true, id: '2', provider: 'fansApi' }], 1),
			...paired([{ deleted: true, id: '3', provider: 'fansApi' }], 2),
		]);
		expect(log.map((r) => r.path).sort()).toEqual(['1', '2', '3'].map((id) => `${linksPath()}/${id}`));
		expectAllDone();
	});
});

// ---------------------------------------------------------------------------------------------
describe('Delete: safe to repeat, and a link it deleted stays deleted', () => {
	const reset = () => Object.assign(new Error('socket hang up'), { code: 'ECONNRESET' });
	const fansApiDelete = () => fansApi().delete(`${linksPath()}/${twitter.id}`);
	const apiFanslyDelete = () => apiFansly().delete(linksPath(), { trackingLinkId: twitter.id });
	const deleteParams = (authentication: Provider) =>
		params(authentication, 'delete', { account: rl(ACCOUNT), trackingLink: rl(twitter.id), options: FAST });

	it.each<[string, Provider, Array<() => nock.Scope>]>([
		['Fans API: a 502, then a 404', 'fansApiApi', [() => fansApiDelete().reply(502, { message: 'Bad gateway' }), () => fansApiDelete().reply(404, { message: 'Tracking link not found.' })]],
		['Fans API: a reset connection, then a 404', 'fansApiApi', [() => fansApiDelete().replyWithError(reset()), () => fansApiDelete().reply(404, { message: 'Tracking link not found.' })]],
		['Fans API: a 504, a 500, then a 404', 'fansApiApi', [() => fansApiDelete().reply(504), () => fansApiDelete().reply(500), () => fansApiDelete().reply(404, { message: 'Tracking link not found.' })]],
		[
			'API Fansly: a 500, then a 404',
			'apiFanslyApi',
			[() => apiFanslyDelete().reply(500, apiFanslyError(500, 'Internal server error')), () => apiFanslyDelete().reply(404, apiFanslyError(404, 'Tracking link not found'))],
		],
		[
			'API Fansly: a 500, then HTTP 200 whose envelope says 404',
			'apiFanslyApi',
			[() => apiFanslyDelete().reply(500, apiFanslyError(500, 'Internal server error')), () => apiFanslyDelete().reply(200, apiFanslyError(404, 'Tracking link not found'))],
		],
		[
			"API Fansly: a 502, then HTTP 200 with Fansly's own status 404",
			'apiFanslyApi',
			[
				() => apiFanslyDelete().reply(502),
				() =>
					apiFanslyDelete().reply(200, {
						statusCode: 200,
						message: 'OK',
						data: { status_code: 404, data: { success: false, error: { message: 'Tracking link not found' } } },
					}),
			],
		],
	])('%s: the attempt that failed may have deleted it, so the 404 is that deletion', async (_name, authentication, answers) => {
		const scopes = answers.map((answer) => answer());
		const { items, error } = await runFansly({
			parameters: deleteParams(authentication),
			credentials: authentication === 'fansApiApi' ? fansApiCredentials : apiFanslyCredentials,
		});
		expect(error).toBeUndefined();
		expect(items).toEqual(paired([{ deleted: true, id: twitter.id, provider: authentication === 'fansApiApi' ? 'fansApi' : 'apiFansly' }], 0));
		expectAllDone(...scopes);
	});

	it.each<[string, Array<() => nock.Scope>, string]>([
		['a 404 at the first attempt', [() => fansApiDelete().reply(404, { message: 'Tracking link not found.' })], `Not found: tracking link "${twitter.id}" on account "${ACCOUNT}" (HTTP 404): Tracking link not found.`],
		['a 503 (nothing done), then a 404', [() => fansApiDelete().reply(503), () => fansApiDelete().reply(404, { message: 'Tracking link not found.' })], `Not found: tracking link "${twitter.id}" on account "${ACCOUNT}" (HTTP 404): Tracking link not found. (gave up after 2 attempts)`],
		['a 502, then a 404 for the account', [() => fansApiDelete().reply(502), () => fansApiDelete().reply(404, { message: 'Account not found.' })], `Not found: account "${ACCOUNT}" (HTTP 404): Account not found. (gave up after 2 attempts)`],
		// "linked" is no "link": the message is about the account.
		['a 502, then a 404 saying the account is not linked', [() => fansApiDelete().reply(502), () => fansApiDelete().reply(404, { message: 'Account not linked to this API key.' })], `Not found: account "${ACCOUNT}" (HTTP 404): Account not linked to this API key. (gave up after 2 attempts)`],
		['a 502, then a 404 without a body (nothing says what is missing)', [() => fansApiDelete().reply(502), () => fansApiDelete().reply(404)], `Not found: tracking link "${twitter.id}" on account "${ACCOUNT}" (HTTP 404) (gave up after 2 attempts)`],
		[
			"a 502, then a proxy's page 404 Not Found",
			[() => fansApiDelete().reply(502), () => fansApiDelete().reply(404, '<html><head><title>404 Not Found</title></head><body><h1>404 Not Found</h1><hr>nginx</body></html>', { 'content-type': 'text/html' })],
			`Not found: tracking link "${twitter.id}" on account "${ACCOUNT}" (HTTP 404): 404 Not Found 404 Not Found nginx (gave up after 2 attempts)`,
		],
	])('%s: still an error', async (_name, answers, message) => {
		const scopes = answers.map((answer) => answer());
		const { items, error } = await runFansly({ parameters: deleteParams('fansApiApi'), credentials: fansApiCredentials });
		expect(items).toEqual([]);
		expect(error?.message).toBe(`${message} (item 0)`);
		expectAllDone(...scopes);
	});

	it.each<[string, () => nock.Scope, string]>([
		['502s', () => fansApiDelete().reply(502), `Fans API returned HTTP 502 for tracking link "${twitter.id}" on account "${ACCOUNT}" (gave up after 2 attempts)`],
		[
			'reset connections',
			() => fansApiDelete().replyWithError(reset()),
			`Fans API request for tracking link "${twitter.id}" on account "${ACCOUNT}" failed after 2 attempts: network error ECONNRESET`,
		],
	])('the same link on two rows, the first giving up after %s: the second row\'s 404 about the link is its deletion', async (_name, failing, gaveUp) => {
		const scopes = [failing(), failing(), fansApiDelete().reply(404, { message: 'Tracking link not found.' })];
		const { items } = await runFansly({
			parameters: params('fansApiApi', 'delete', { account: rl(ACCOUNT), trackingLink: rl(twitter.id), options: { ...FAST, maxRetries: 1 } }),
			items: [{}, {}],
			credentials: fansApiCredentials,
			continueOnFail: true,
		});
		expect(items.map((item) => [item.json.deleted ?? item.json.error, item.pairedItem])).toEqual([
			[gaveUp, { item: 0 }],
			[true, { item: 1 }],
		]);
		expectAllDone(...scopes);
	});

	it('rows of links A, B, A: the third row is the first one\'s deletion, with no request', async () => {
		const log: RecordedRequest[] = [];
		const scopes = [
			fansApiDelete().reply(recordingReply(log, 200, { data: null, _meta: META })),
			fansApi().delete(`${linksPath()}/${rawFyp.id}`).reply(recordingReply(log, 200, { data: null, _meta: META })),
		];
		const { items, error } = await runFansly({
			// One request at a time: B's deletion is recorded between A's and A's second row.
			parameters: params('fansApiApi', 'delete', { account: rl(ACCOUNT), trackingLink: rl('={{ $json.link }}'), options: { maxConcurrency: 1 } }),
			items: [{ link: twitter.id }, { link: rawFyp.id }, { link: twitter.id }],
			credentials: fansApiCredentials,
		});
		expect(error).toBeUndefined();
		expect(items.map((item) => [item.json.id, item.json.deleted, item.pairedItem])).toEqual([
			[twitter.id, true, { item: 0 }],
			[rawFyp.id, true, { item: 1 }],
			[twitter.id, true, { item: 2 }],
		]);
		expect(log.map((r) => r.path)).toEqual([`${linksPath()}/${twitter.id}`, `${linksPath()}/${rawFyp.id}`]);
		expectAllDone(...scopes);
	});

	it('the same link on two rows: deleted once, both rows say so', async () => {
		const log: RecordedRequest[] = [];
		const scope = fansApiDelete().reply(recordingReply(log, 200, { data: null, _meta: META }));
		const { items, error } = await runFansly({
			parameters: params('fansApiApi', 'delete', { account: rl(ACCOUNT), trackingLink: rl(twitter.id) }),
			items: [{}, {}],
			credentials: fansApiCredentials,
		});
		expect(error).toBeUndefined();
		const gone = { deleted: true, id: twitter.id, provider: 'fansApi' };
		expect(items).toEqual([...paired([gone], 0), ...paired([gone], 1)]);
		expect(log).toHaveLength(1);
		expectAllDone(scope);
	});

	it.each<[string, string, number]>([
		['Delete', 'delete', 404],
		['Update', 'update', 403],
	])('API Fansly: %s answered HTTP 200 whose envelope says it failed is that failure', async (_name, operation, status) => {
		const scope = apiFansly()
			.intercept(linksPath(), operation === 'delete' ? 'DELETE' : 'PUT')
			.reply(200, { statusCode: status, message: 'Not allowed for this link', data: null, timestamp: '2026-01-09T21:59:45.908Z' });
		const { items } = await runFansly({
			parameters: params('apiFanslyApi', operation, { account: rl(ACCOUNT), trackingLink: rl(twitter.id), updateFields: { label: 'X' } }),
			credentials: apiFanslyCredentials,
			continueOnFail: true,
		});
		expect(items.map((item) => [item.json.error, item.json.httpCode, item.json.providerMessage])).toEqual([
			[`API Fansly refused the request for tracking link "${twitter.id}" on account "${ACCOUNT}" (HTTP ${status}): Not allowed for this link`, status, 'Not allowed for this link'],
		]);
		expectAllDone(scope);
	});
});

describe('API Fansly: an HTTP 200 whose envelope says 429 or 5xx is that failure, retried and paced as it', () => {
	const envelope = (statusCode: number | string, message: string) => ({ statusCode, message, data: null, timestamp: '2026-01-09T21:59:45.908Z' });
	const inner = (status_code: number, message: string) => ({
		statusCode: 200,
		message: 'OK',
		data: { status_code, data: { success: false, error: { message } } },
		timestamp: '2026-01-09T21:59:45.908Z',
	});
	/** Fansly's inner status with no inner answer to read: `data` null, text, or absent. */
	const bare = (status_code: number, data?: unknown) => ({
		statusCode: 200,
		message: 'OK',
		data: data === undefined ? { status_code } : { status_code, data },
		timestamp: '2026-01-09T21:59:45.908Z',
	});
	const deleted = { statusCode: 200, message: 'Tracking link deleted', data: null, timestamp: '2026-01-09T21:59:45.908Z' };
	const deleteParams = (options: IDataObject) =>
		params('apiFanslyApi', 'delete', { account: rl(ACCOUNT), trackingLink: rl(twitter.id), options });

	it.each<[string, object]>([
		['the envelope says 503', envelope(503, 'Service unavailable')],
		['the envelope says "502" (as text)', envelope('502', 'Bad gateway')],
		['the envelope says 429', envelope(429, 'Too many requests')],
		["Fansly's inner answer says 500", inner(500, 'Internal error')],
		["Fansly's inner status says 500, its answer null", bare(500, null)],
		["Fansly's inner status says 503, its answer a text", bare(503, 'Service Unavailable')],
		["Fansly's inner status says 502, with no answer", bare(502)],
	])('%s: retried, then the deletion', async (_name, failure) => {
		const log: RecordedRequest[] = [];
		const scope = apiFansly()
			.delete(linksPath())
			.reply(recordingReply(log, 200, failure))
			.delete(linksPath())
			.reply(recordingReply(log, 200, deleted));
		const { items, error } = await runFansly({ parameters: deleteParams({ retryDelay: 1 }), credentials: apiFanslyCredentials });
		expect(error).toBeUndefined();
		expect(items).toEqual(paired([{ deleted: true, id: twitter.id, provider: 'apiFansly' }], 0));
		expect(log).toHaveLength(2);
		expectAllDone(scope);
	});

	it.each<[string, object, number, string]>([
		['the envelope says 503', envelope(503, 'Service unavailable'), 503, 'Service unavailable'],
		["Fansly's inner answer says 500", inner(500, 'Internal error'), 500, 'Internal error'],
	])('%s, with Retry off: the error is that status and the provider\'s words', async (_name, failure, status, words) => {
		const scope = apiFansly().delete(linksPath()).reply(200, failure);
		const { items } = await runFansly({ parameters: deleteParams({ retry: false }), credentials: apiFanslyCredentials, continueOnFail: true });
		expect(items.map((item) => [item.json.error, item.json.httpCode, item.json.providerMessage])).toEqual([
			[`API Fansly returned HTTP ${status} for tracking link "${twitter.id}" on account "${ACCOUNT}": ${words}`, status, words],
		]);
		expectAllDone(scope);
	});

	it("Fansly's inner status 401 with no answer to read is that refusal, never a deletion", async () => {
		const scope = apiFansly().delete(linksPath()).reply(200, bare(401, null));
		const { items } = await runFansly({ parameters: deleteParams({ retry: false }), credentials: apiFanslyCredentials, continueOnFail: true });
		expect(items.map((item) => [item.json.error, item.json.httpCode])).toEqual([
			[`API Fansly refused the request for tracking link "${twitter.id}" on account "${ACCOUNT}" (HTTP 401)`, 401],
		]);
		expectAllDone(scope);
	});

	it("n8n's Retry On Fail: a try answered with an envelope 500 may have deleted the link, so the next try's 404 naming it is the deletion", async () => {
		const log: RecordedRequest[] = [];
		const scope = apiFansly()
			.delete(linksPath())
			.reply(recordingReply(log, 200, envelope(500, 'Internal server error')))
			.delete(linksPath())
			.reply(recordingReply(log, 404, envelope(404, 'Tracking link not found')));
		const { items, error } = await runFansly({ parameters: deleteParams({ retry: false }), credentials: apiFanslyCredentials, retryOnFail: { maxTries: 2 } });
		expect(error).toBeUndefined();
		expect(items).toEqual(paired([{ deleted: true, id: twitter.id, provider: 'apiFansly' }], 0));
		expect(log).toHaveLength(2);
		expectAllDone(scope);
	});
});

describe('API Fansly: the credential test refuses an HTTP 200 whose envelope says failure, as the node does', () => {
	// n8n's credential tester (responseSuccessBody rules): the first rule whose key holds exactly its value.
	const testResult = (body: IDataObject) => {
		const rule = new ApiFanslyApi().test.rules?.find(
			(r) => r.type === 'responseSuccessBody' && body[r.properties.key] === r.properties.value,
		) as { properties: { message: string } } | undefined;
		return rule === undefined ? 'OK' : rule.properties.message;
	};

	it.each([400, 401, 402, 403, 404, 429, 500, 502, 503, 504].flatMap((status) => [status, String(status)]))(
		'statusCode %p: the node fails, and so does the credential test',
		async (statusCode) => {
			const body = { statusCode, message: 'Refused', data: null, timestamp: '2026-01-09T21:59:45.908Z' };
			const scope = apiFansly().delete(linksPath()).reply(200, body);
			const { items } = await runFansly({
				parameters: params('apiFanslyApi', 'delete', { account: rl(ACCOUNT), trackingLink: rl(twitter.id), options: { retry: false } }),
				credentials: apiFanslyCredentials,
				continueOnFail: true,
			});
			expect(items.map((item) => item.json.httpCode)).toEqual([Number(statusCode)]);
			expectAllDone(scope);
			expect(testResult(body)).toMatch(new RegExp(`^API Fansly\\b.*\\(statusCode ${statusCode} in its answer\\)$|^API Fansly answered with statusCode ${statusCode}: `));
		},
	);
});

describe("Delete under n8n's Retry On Fail (Settings): a try knows what the earlier tries of the run deleted", () => {
	const deleteOf = (id: string) => fansApi().delete(`${linksPath()}/${id}`);
	const deleteRows = (options: IDataObject = { retry: false }) =>
		params('fansApiApi', 'delete', { account: rl(ACCOUNT), trackingLink: rl('={{ $json.link }}'), options });
	const rows = (...ids: string[]) => ids.map((link) => ({ link }));
	const gone = (id: string) => ({ deleted: true, id, provider: 'fansApi' });

	it.each<[string, string[], { continueOnFail?: boolean }]>([
		['Stop Workflow: the second try sends no request for a link the first deleted, and the run succeeds', [twitter.id, rawFyp.id], {}],
		[
			'Continue (regular output), which n8n tries again when the first item is an error: the rows that succeeded stay deleted',
			[rawFyp.id, twitter.id],
			{ continueOnFail: true },
		],
	])('%s', async (_name, order, onError) => {
		// rawFyp's first DELETE fails; one request at a time, so the other row is done by then.
		const log: RecordedRequest[] = [];
		const scopes = [
			...order.map((id) =>
				deleteOf(id).reply(id === rawFyp.id ? recordingReply(log, 500, { message: 'Server Error' }) : recordingReply(log, 200, { data: null, _meta: META })),
			),
			deleteOf(rawFyp.id).reply(recordingReply(log, 200, { data: null, _meta: META })),
		];
		const { items, error } = await runFansly({
			parameters: deleteRows({ retry: false, maxConcurrency: 1 }),
			items: rows(...order),
			credentials: fansApiCredentials,
			retryOnFail: { maxTries: 2 },
			...onError,
		});
		expect(error).toBeUndefined();
		expect(items).toEqual(order.flatMap((id, index) => paired([gone(id)], index)));
		expect(log.map((r) => r.path)).toEqual([...order, rawFyp.id].map((id) => `${linksPath()}/${id}`));
		expectAllDone(...scopes);
	});

	it.each<[string, number, boolean]>([
		["a try that may have deleted the link (a 502) and gave up: the next try's 404 about the link is that deletion", 502, true],
		["a try whose attempt did nothing (a 503): the next try's 404 is still an error", 503, false],
	])('%s', async (_name, status, deleted) => {
		const scopes = [deleteOf(twitter.id).reply(status), deleteOf(twitter.id).reply(404, { message: 'Tracking link not found.' })];
		const { items, error } = await runFansly({
			parameters: deleteRows(),
			items: rows(twitter.id),
			credentials: fansApiCredentials,
			retryOnFail: { maxTries: 2 },
		});
		expect([items, error?.message]).toEqual(
			deleted
				? [paired([gone(twitter.id)], 0), undefined]
				: [[], `Not found: tracking link "${twitter.id}" on account "${ACCOUNT}" (HTTP 404): Tracking link not found. (item 0)`],
		);
		expectAllDone(...scopes);
	});

	it('what a run deleted is its own: another execution of the workflow asks the provider again', async () => {
		const first = [
			deleteOf(twitter.id).reply(200, { data: null, _meta: META }),
			deleteOf(rawFyp.id).reply(500, { message: 'Server Error' }),
			deleteOf(rawFyp.id).reply(500, { message: 'Server Error' }),
		];
		const options = { parameters: deleteRows({ retry: false, maxConcurrency: 1 }), items: rows(twitter.id, rawFyp.id), credentials: fansApiCredentials, retryOnFail: { maxTries: 2 } };
		const firstRun = await runFansly(options);
		expect(firstRun.error?.message).toBe(`Fans API returned HTTP 500 for tracking link "${rawFyp.id}" on account "${ACCOUNT}": Server Error (item 1)`);
		expectAllDone(...first);
		const second = [deleteOf(twitter.id).reply(404, { message: 'Tracking link not found.' })];
		const secondRun = await runFansly({ ...options, retryOnFail: undefined });
		expect(secondRun.error?.message).toBe(`Not found: tracking link "${twitter.id}" on account "${ACCOUNT}" (HTTP 404): Tracking link not found. (item 0)`);
		expectAllDone(...second);
	});

	it('kept only when n8n will run the node again and a link was or may have been deleted; dropped after 10 idle minutes, whatever runs next', async () => {
		const IDLE_MS = limits.idleMs;
		const before = keptRuns();
		const serverError = () => [500, { message: 'Server Error' }] as const;
		// A try that succeeded: n8n does not repeat it.
		const succeeded = deleteOf(twitter.id).reply(200, { data: null, _meta: META });
		expect((await runFansly({ parameters: deleteRows(), items: rows(twitter.id), credentials: fansApiCredentials, retryOnFail: { maxTries: 2 } })).error).toBeUndefined();
		expect(keptRuns()).toBe(before);
		// Without Retry On Fail.
		const failedWithout = deleteOf(twitter.id).reply(...serverError());
		expect((await runFansly({ parameters: deleteRows(), items: rows(twitter.id), credentials: fansApiCredentials })).error).toBeDefined();
		expect(keptRuns()).toBe(before);
		// Continue (regular output), the first row deleted and the second failing: n8n repeats a
		// node only when it threw or its first item is an error item.
		const firstDeleted = [deleteOf(twitter.id).reply(200, { data: null, _meta: META }), deleteOf(rawFyp.id).reply(...serverError())];
		const continued = await runFansly({
			parameters: deleteRows({ retry: false, maxConcurrency: 1 }),
			items: rows(twitter.id, rawFyp.id),
			credentials: fansApiCredentials,
			continueOnFail: true,
			retryOnFail: { maxTries: 2 },
		});
		expect(continued.items.map((item) => item.json.deleted ?? item.json.httpCode)).toEqual([true, 500]);
		expect(keptRuns()).toBe(before);
		// An Update that n8n repeats: nothing deleted, nothing kept.
		const updates = [fansApi().put(`${linksPath()}/${twitter.id}`).reply(...serverError()), fansApi().put(`${linksPath()}/${twitter.id}`).reply(...serverError())];
		const update = await runFansly({
			parameters: params('fansApiApi', 'update', { account: rl(ACCOUNT), trackingLink: rl(twitter.id), updateFields: { label: 'X' }, options: { retry: false } }),
			credentials: fansApiCredentials,
			retryOnFail: { maxTries: 2 },
		});
		expect(update.error).toBeDefined();
		expect(keptRuns()).toBe(before);
		// A Delete that n8n repeats, whose tries may have deleted the link: kept.
		const failedWith = [deleteOf(twitter.id).reply(...serverError()), deleteOf(twitter.id).reply(...serverError())];
		expect((await runFansly({ parameters: deleteRows(), items: rows(twitter.id), credentials: fansApiCredentials, retryOnFail: { maxTries: 2 } })).error).toBeDefined();
		expect(keptRuns()).toBe(before + 1);
		expectAllDone(succeeded, failedWithout, ...firstDeleted, ...updates, ...failedWith);

		// 10 minutes and 1 ms later (the clock that only moves forward), any run of the node drops
		// what was kept, here one without Retry On Fail.
		const now = performance.now();
		const clock = jest.spyOn(performance, 'now').mockImplementation(() => now + IDLE_MS + 1);
		try {
			const later = deleteOf(twitter.id).reply(200, { data: null, _meta: META });
			expect((await runFansly({ parameters: deleteRows(), items: rows(twitter.id), credentials: fansApiCredentials })).error).toBeUndefined();
			expect(keptRuns()).toBe(0);
			expectAllDone(later);
		} finally {
			clock.mockRestore();
		}
	});
	it('kept for 10 idle minutes and not a millisecond more, at most `maxLinks` links (the oldest run dropped first), after days of uptime too', async () => {
		let clock = 5 * 24 * 3_600_000; // n8n up for five days
		const spy = jest.spyOn(performance, 'now').mockImplementation(() => clock);
		const maxLinks = limits.maxLinks;
		limits.maxLinks = 1;
		const deleteOk = async () => {
			const scope = deleteOf(twitter.id).reply(200, { data: null, _meta: META });
			expect((await runFansly({ parameters: deleteRows(), items: rows(twitter.id), credentials: fansApiCredentials })).error).toBeUndefined();
			expectAllDone(scope);
		};
		// A Delete n8n runs twice, both tries 502 (the link may be deleted): its one link is kept.
		const keepOne = async (id: string) => {
			const scopes = [deleteOf(id).reply(502), deleteOf(id).reply(502)];
			expect((await runFansly({ parameters: deleteRows(), items: rows(id), credentials: fansApiCredentials, retryOnFail: { maxTries: 2 } })).error).toBeDefined();
			expectAllDone(...scopes);
		};
		try {
			await deleteOk(); // days after every other test's runs: those are dropped
			expect(keptRuns()).toBe(0);
			await keepOne(twitter.id);
			expect(keptRuns()).toBe(1);
			clock += limits.idleMs; // idle for exactly 10 minutes, and one link: kept
			await deleteOk();
			expect(keptRuns()).toBe(1);
			// Its second try finds two runs' links where one is allowed: the older run goes.
			await keepOne(rawFyp.id);
			expect(keptRuns()).toBe(1);
			clock += limits.idleMs;
			await deleteOk();
			expect(keptRuns()).toBe(1);
			clock += 1;
			await deleteOk();
			expect(keptRuns()).toBe(0);
			// Two links allowed, three runs of one: only the oldest goes.
			limits.maxLinks = 2;
			for (const id of [twitter.id, rawFyp.id, '100000000000000009']) await keepOne(id);
			expect(keptRuns()).toBe(2);
		} finally {
			spy.mockRestore();
			limits.maxLinks = maxLinks;
		}
	});
});

// ---------------------------------------------------------------------------------------------
describe('Fans API: Get Stats', () => {
	const LINK = twitter.id;
	const statsPath = `${linksPath()}/${LINK}/stats`;
	const revenuePath = `${linksPath()}/${LINK}/revenue-stats`;

	const counts = [
		{ trackingLinkId: LINK, timestamp: '2026-01-03T00:00:00.000Z', clicks: 5, claims: 1, follows: 2, subscriptions: 1, year: 2026, month: 1, date: 3 },
		{ trackingLinkId: LINK, timestamp: '2026-01-01T00:00:00.000Z', clicks: 10, claims: 0, follows: 4, subscriptions: 2, year: 2026, month: 1, date: 1 },
	];
	const revenue = [
		{ trackingLinkId: LINK, type: 'subscription', timestamp: '2026-01-02T00:00:00.000Z', totalGross: 15000, totalNet: 12000, year: 2026, month: 1, date: 2 },
		{ trackingLinkId: LINK, type: 'subscription', timestamp: '2026-01-01T00:00:00.000Z', totalGross: 3000, totalNet: 2400, year: 2026, month: 1, date: 1 },
		{ trackingLinkId: LINK, type: 'tip', timestamp: '2026-01-01T00:00:00.000Z', totalGross: 2000, totalNet: 1600, year: 2026, month: 1, date: 1 },
	];
	const day = statsDay;
	const merged = [
		day('2026-01-01', { clicks: 10, claims: 0, follows: 4, subscriptions: 2, totalGross: 5000, totalNet: 4000 }),
		day('2026-01-02', { totalGross: 15000, totalNet: 12000 }),
		day('2026-01-03', { clicks: 5, claims: 1, follows: 2, subscriptions: 1 }),
	];

	it('sends both requests with after/before as ISO dates and merges them into one item per day, sorted', async () => {
		const query = {
			after: '2026-01-01T00:00:00.000Z',
			before: '2026-01-31T08:00:00.000Z',
		};
		const rawSearch = '?after=2026-01-01T00%3A00%3A00.000Z&before=2026-01-31T08%3A00%3A00.000Z';
		const log: RecordedRequest[] = [];
		const scope = fansApi()
			.get(statsPath)
			.query(query)
			.reply(recordingReply(log, 200, { data: counts, _meta: META }))
			.get(revenuePath)
			.query(query)
			.reply(recordingReply(log, 200, { data: revenue, _meta: META }));

		const { items, error } = await runFansly({
			parameters: params('fansApiApi', 'getStats', {
				account: rl(ACCOUNT),
				trackingLink: rl(LINK),
				range: { after: '2026-01-01T00:00:00Z', before: '2026-01-31T10:00:00+02:00' },
			}),
			credentials: fansApiCredentials,
		});

		expect(error).toBeUndefined();
		expect(items).toEqual(paired(merged, 0));
		expect(log.map((r) => [r.method, r.path, r.search, r.bodyText])).toEqual([
			['GET', statsPath, rawSearch, ''],
			['GET', revenuePath, rawSearch, ''],
		]);
		for (const r of log) expectFansApiAuth(r);
		expectAllDone(scope);
	});

	it('without a date range no query string is sent', async () => {
		const log: RecordedRequest[] = [];
		fansApi()
			.get(statsPath)
			.reply(recordingReply(log, 200, { data: counts, _meta: META }))
			.get(revenuePath)
			.reply(recordingReply(log, 200, { data: revenue, _meta: META }));
		const { items, error } = await runFansly({
			parameters: params('fansApiApi', 'getStats', { account: rl(ACCOUNT), trackingLink: rl(LINK) }),
			credentials: fansApiCredentials,
		});
		expect(error).toBeUndefined();
		expect(items).toEqual(paired(merged, 0));
		expect(log.map((r) => r.search)).toEqual(['', '']);
		expectAllDone();
	});

	it('only After: only after= is sent', async () => {
		const log: RecordedRequest[] = [];
		fansApi()
			.get(statsPath)
			.query({ after: '2026-01-05T12:30:00.000Z' })
			.reply(recordingReply(log, 200, { data: [], _meta: META }))
			.get(revenuePath)
			.query({ after: '2026-01-05T12:30:00.000Z' })
			.reply(recordingReply(log, 200, { data: [], _meta: META }));
		const { items, error } = await runFansly({
			parameters: params('fansApiApi', 'getStats', {
				account: rl(ACCOUNT),
				trackingLink: rl(LINK),
				range: { after: '2026-01-05T12:30:00.000Z' },
			}),
			credentials: fansApiCredentials,
		});
		expect(error).toBeUndefined();
		expect(items).toEqual([]);
		expect(log.map((r) => r.search)).toEqual([
			'?after=2026-01-05T12%3A30%3A00.000Z',
			'?after=2026-01-05T12%3A30%3A00.000Z',
		]);
		expectAllDone();
	});

	it.each([
		['America/New_York', '2026-01-05T00:00:00', '2026-01-05T05:00:00.000Z'],
		['America/New_York', '2026-07-05T00:00:00', '2026-07-05T04:00:00.000Z'],
		['Asia/Tokyo', '2026-01-05T00:00:00', '2026-01-04T15:00:00.000Z'],
		['UTC', '2026-01-05T00:00:00', '2026-01-05T00:00:00.000Z'],
		['Asia/Tokyo', '2026-01-05T00:00:00+01:00', '2026-01-04T23:00:00.000Z'],
	])('the workflow in %s: After %s (a date without offset means the workflow time zone) is sent as %s', async (timezone, after, sent) => {
		const log: RecordedRequest[] = [];
		fansApi()
			.get(statsPath)
			.query({ after: sent })
			.reply(recordingReply(log, 200, { data: [], _meta: META }))
			.get(revenuePath)
			.query({ after: sent })
			.reply(recordingReply(log, 200, { data: [], _meta: META }));
		const { error } = await runFansly({
			parameters: params('fansApiApi', 'getStats', { account: rl(ACCOUNT), trackingLink: rl(LINK), range: { after } }),
			credentials: fansApiCredentials,
			timezone,
		});
		expect(error).toBeUndefined();
		expect(log.map((r) => r.search)).toEqual([`?after=${encodeURIComponent(sent)}`, `?after=${encodeURIComponent(sent)}`]);
		expectAllDone();
	});

	it('URL-encodes both ids in the stats paths', async () => {
		const base = `/api/fansly/${AWKWARD_ACCOUNT_PATH}/tracking-links/${AWKWARD_LINK_PATH}`;
		const log: RecordedRequest[] = [];
		fansApi()
			.get(`${base}/stats`)
			.reply(recordingReply(log, 200, { data: [], _meta: META }))
			.get(`${base}/revenue-stats`)
			.reply(recordingReply(log, 200, { data: [], _meta: META }));
		const { error } = await runFansly({
			parameters: params('fansApiApi', 'getStats', {
				account: rl(AWKWARD_ACCOUNT),
				trackingLink: rl(AWKWARD_LINK),
			}),
			credentials: fansApiCredentials,
		});
		expect(error).toBeUndefined();
		expect(log.map((r) => r.path)).toEqual([`${base}/stats`, `${base}/revenue-stats`]);
		expectAllDone();
	});

	it('After later than Before is an error before any request', async () => {
		const { error } = await runFansly({
			parameters: params('fansApiApi', 'getStats', {
				account: rl(ACCOUNT),
				trackingLink: rl(LINK),
				range: { after: '2026-02-01T00:00:00.000Z', before: '2026-01-01T00:00:00.000Z' },
			}),
			credentials: fansApiCredentials,
		});
		expect(error?.name).toBe('NodeOperationError');
		expect(error?.message).toContain('After is later than Before');
		expect(tracked.unmatched).toEqual([]);
	});

	it.each<[string, string, string]>([
		['an expression that gives null', '={{ null }}', 'After must be a date, but the value is null (item 0)'],
		['"12" (ISO 8601 would read it as noon today)', '12', 'After is not a date: "12" (item 0)'],
		['"10:00" (a time without a day)', '10:00', 'After is not a date: "10:00" (item 0)'],
	])('After from %s is an error before any request', async (_name, after, message) => {
		const { error } = await runFansly({
			parameters: params('fansApiApi', 'getStats', { account: rl(ACCOUNT), trackingLink: rl(LINK), range: { after } }),
			credentials: fansApiCredentials,
		});
		expect([error?.name, error?.message]).toEqual(['NodeOperationError', message]);
		expectAllDone();
	});

	it.each<[string, string, string]>([
		['spaces around it (a spreadsheet cell) are trimmed', ' 2026-01-05T00:00:00Z ', '?after=2026-01-05T00%3A00%3A00.000Z'],
		['only spaces is no bound', '   ', ''],
		// As a spreadsheet or SQL writes a date and time: in the workflow's time zone (n8n's default, New York: UTC−5 in January).
		['a space between the day and the time', '2026-01-05 10:00:00', '?after=2026-01-05T15%3A00%3A00.000Z'],
		['a space before the time and its offset', '2026-01-05 10:00:00.250 -05:00', '?after=2026-01-05T15%3A00%3A00.250Z'],
	])('After with %s', async (_name, after, search) => {
		const log: RecordedRequest[] = [];
		fansApi()
			.get(statsPath)
			.query(true)
			.reply(recordingReply(log, 200, { data: [], _meta: META }))
			.get(revenuePath)
			.query(true)
			.reply(recordingReply(log, 200, { data: [], _meta: META }));
		const { error } = await runFansly({
			parameters: params('fansApiApi', 'getStats', { account: rl(ACCOUNT), trackingLink: rl(LINK), range: { after } }),
			credentials: fansApiCredentials,
		});
		expect(error).toBeUndefined();
		expect(log.map((r) => r.search)).toEqual([search, search]);
		expectAllDone();
	});

	const statsAnswers = (countRows: IDataObject[], extra: IDataObject = {}) =>
		fansApi()
			.get(statsPath)
			.reply(200, { data: countRows, _meta: META, ...extra })
			.get(revenuePath)
			.optionally()
			.reply(200, { data: [], _meta: META });
	const statsError = async () =>
		(await runFansly({ parameters: params('fansApiApi', 'getStats', { account: rl(ACCOUNT), trackingLink: rl(LINK) }), credentials: fansApiCredentials })).error?.message;
	const unexpected = (detail: string) =>
		`Unexpected response from Fans API for the statistics of tracking link "${LINK}" on account "${ACCOUNT}": ${detail} (item 0)`;

	it.each<[string, IDataObject, string]>([
		['month 13, date 0', { year: 2026, month: 13, date: 0 }, "a row's year, month and date (2026, 13, 0) are no day of the calendar"],
		['30 February', { year: 2026, month: 2, date: 30 }, "a row's year, month and date (2026, 2, 30) are no day of the calendar"],
		['a fraction of a day', { year: 2026, month: 1, date: 1.5 }, "a row's year, month and date (2026, 1, 1.5) are no day of the calendar"],
		['parts that are no numbers', { year: '2026', month: 'Jan', date: '5' }, "a row's year, month and date (2026, Jan, 5) are no day of the calendar"],
	])('a row whose day is %s is an answer in an unexpected shape, never output as a date', async (_name, parts, detail) => {
		const scope = statsAnswers([{ ...counts[0], ...parts }]);
		expect(await statsError()).toBe(unexpected(detail));
		expectAllDone(scope);
	});

	it.each<[string, IDataObject, string]>([
		['blank year, month and date: its timestamp gives the day', { year: '', month: ' ', date: '' }, '2026-01-03'],
		['null year, month and date: its timestamp gives the day', { year: null, month: null, date: null }, '2026-01-03'],
		['29 February of a leap year', { year: 2028, month: 2, date: 29, timestamp: '2028-02-29T00:00:00.000Z' }, '2028-02-29'],
		['the year 50 (not 1950)', { year: 50, month: 1, date: 1, timestamp: null }, '0050-01-01'],
		['its date written as an ISO day', { date: '2026-01-05', timestamp: '2026-01-03T00:00:00.000Z' }, '2026-01-05'],
	])('a row with %s', async (_name, parts, date) => {
		const scope = statsAnswers([{ ...counts[0], ...parts }]);
		const { items, error } = await runFansly({
			parameters: params('fansApiApi', 'getStats', { account: rl(ACCOUNT), trackingLink: rl(LINK) }),
			credentials: fansApiCredentials,
		});
		expect(error).toBeUndefined();
		expect(items.map((item) => item.json.date)).toEqual([date]);
		expectAllDone(scope);
	});

	it.each<[string, string | number | null, string | undefined]>([
		['another link (text)', '999', 'the statistics of'],
		['another link (a number)', 999, 'the statistics of'],
		// JSON's 845759434926862337 read as a number: 845759434926862300.
		['this link as a number beyond 2^53 (inexact, so it cannot say it is another link)', Number(LINK), undefined],
		['this link with spaces around it', ` ${LINK} `, undefined],
		['no link (null)', null, undefined],
		['no link (blank text)', ' ', undefined],
	])('a row naming %s', async (_name, trackingLinkId, fails) => {
		const scope = statsAnswers([{ ...counts[0], trackingLinkId }]);
		const message = await statsError();
		if (fails === undefined) expect(message).toBeUndefined();
		else expect(message).toBe(`Unexpected response from Fans API for the statistics of tracking link "${LINK}" on account "${ACCOUNT}": a row is about tracking link "${String(trackingLinkId)}", not "${LINK}" (item 0)`);
		expectAllDone(scope);
	});

	it.each<[string, IDataObject, string]>([
		['names a next page', { _pagination: { next_page: `${statsPath}?offset=2&limit=2` } }, 'only part of the statistics came back: the answer names a next page'],
		['says more exist without saying where', { _pagination: { has_more: true } }, 'only part of the statistics came back: the answer says more days exist (_pagination.has_more is true) but gives no next page to read'],
	])('an answer that %s is not taken for the whole range', async (_name, paging, detail) => {
		const scope = statsAnswers(counts, paging);
		expect(await statsError()).toBe(unexpected(detail));
		expectAllDone(scope);
	});
});

// ---------------------------------------------------------------------------------------------
describe('API Fansly: operations it does not offer', () => {
	const cases: Array<[string, IDataObject]> = [
		['create', { account: rl(ACCOUNT), label: 'Reddit' }],
		['get', { account: rl(ACCOUNT), trackingLink: rl(twitter.id) }],
		['getAll', { account: rl(ACCOUNT), returnAll: true }],
		['getStats', { account: rl(ACCOUNT), trackingLink: rl(twitter.id), range: { after: '2026-01-01' } }],
	];
	const reason =
		'API Fansly documents no endpoint to list, read, create or get statistics of tracking links. Choose Fans API as the provider for this operation.';

	it.each(cases)('%s: a clear NodeOperationError, and no request sent', async (operation, extra) => {
		const { items, error } = await runFansly({
			parameters: params('apiFanslyApi', operation, extra),
			credentials: apiFanslyCredentials,
		});
		expect(items).toEqual([]);
		expect(error?.name).toBe('NodeOperationError');
		expect(error?.message).toBe('API Fansly does not support this operation');
		expect(error?.description).toBe(reason);
		expect(tracked.unmatched).toEqual([]);
		expect(nock.pendingMocks()).toEqual([]);
	});

	it('control: a request nobody mocked IS noticed by these checks', async () => {
		const { error } = await runFansly({
			parameters: params('apiFanslyApi', 'delete', {
				account: rl(ACCOUNT),
				trackingLink: rl('1'),
				options: { retry: false },
			}),
			credentials: apiFanslyCredentials,
		});
		expect(error).toBeDefined();
		expect(tracked.unmatched).toEqual([`DELETE ${APIFANSLY_BASE}${linksPath()}`]);
	});

	it.each(cases)('%s with Continue On Fail: one error item per input item, no request', async (operation, extra) => {
		const { items, error } = await runFansly({
			parameters: params('apiFanslyApi', operation, extra),
			items: [{ n: 0 }, { n: 1 }, { n: 2 }],
			credentials: apiFanslyCredentials,
			continueOnFail: true,
		});
		expect(error).toBeUndefined();
		expect(items).toEqual(
			[0, 1, 2].map((index) => ({
				json: {
					error: 'API Fansly does not support this operation',
					itemIndex: index,
					description: reason,
					provider: 'apiFansly',
				},
				pairedItem: { item: index },
			})),
		);
		expect(tracked.unmatched).toEqual([]);
	});
});

// ---------------------------------------------------------------------------------------------
describe('Update', () => {
	/** API Fansly's documented answer to an update, about the link `id`. */
	const updatedAnswer = (id: string) => ({
		statusCode: 200,
		message: 'Tracking link updated successfully',
		data: {
			status_code: 200,
			data: {
				success: true,
				response: {
					id,
					accountId: FANSLY_ACCOUNT_ID,
					label: 'New label',
					description: 'New description',
					metadata: 'stringified_json_metadata',
					createdAt: DOCUMENTED_CREATED_AT,
					...DOCUMENTED_COUNTERS,
				},
			},
		},
		timestamp: '2026-03-21T04:08:45.000Z',
	});
	const apiFanslyUpdated = updatedAnswer(twitter.id);
	const apiFanslyLink = {
		id: twitter.id,
		accountId: ACCOUNT,
		fanslyAccountId: FANSLY_ACCOUNT_ID,
		label: 'New label',
		description: 'New description',
		type: null,
		status: null,
		metadata: 'stringified_json_metadata',
		createdAt: '2026-02-08T09:54:44.000Z',
		...DOCUMENTED_COUNTERS,
		provider: 'apiFansly',
	};
	const fansApiUpdated = (label: string, description: string | null) => ({
		data: {
			...rawTwitter,
			internalId: '102',
			label,
			description,
			...UNKNOWN_COUNTERS,
		},
		_meta: META,
	});
	const fansApiLink = (label: string, description: string | null) => ({
		...twitter,
		label,
		description,
		...UNKNOWN_COUNTERS,
	});

	it('API Fansly: PUT /api/fansly/{account}/tracking-links with {id, label, description}', async () => {
		const log: RecordedRequest[] = [];
		const body = { id: twitter.id, label: 'New label', description: 'New description' };
		const scope = apiFansly().put(linksPath(), body).reply(recordingReply(log, 200, apiFanslyUpdated));
		const { items, error } = await runFansly({
			parameters: params('apiFanslyApi', 'update', {
				account: rl(ACCOUNT),
				trackingLink: rl(twitter.id),
				updateFields: { label: 'New label', description: 'New description' },
			}),
			credentials: apiFanslyCredentials,
		});
		expect(error).toBeUndefined();
		expect(items).toEqual(paired([apiFanslyLink], 0));
		expect(log).toHaveLength(1);
		expect(log[0]).toMatchObject({ method: 'PUT', path: linksPath(), search: '' });
		expect(log[0].body).toStrictEqual(body);
		expectApiFanslyAuth(log[0]);
		expectAllDone(scope);
	});

	it('API Fansly: only the fields added are sent (label only)', async () => {
		const log: RecordedRequest[] = [];
		apiFansly()
			.put(`/api/fansly/${AWKWARD_ACCOUNT_PATH}/tracking-links`, { id: AWKWARD_LINK, label: 'New label' })
			.reply(recordingReply(log, 200, updatedAnswer(AWKWARD_LINK)));
		const { error } = await runFansly({
			parameters: params('apiFanslyApi', 'update', {
				account: rl(AWKWARD_ACCOUNT),
				trackingLink: rl(AWKWARD_LINK),
				updateFields: { label: 'New label' },
			}),
			credentials: apiFanslyCredentials,
		});
		expect(error).toBeUndefined();
		expect(log[0].body).toStrictEqual({ id: AWKWARD_LINK, label: 'New label' });
		expectAllDone();
	});

	it('API Fansly: "Only Update When Different" cannot read the link, so it always updates (skipped: false)', async () => {
		apiFansly()
			.put(linksPath(), { id: twitter.id, label: 'New label' })
			.reply(200, apiFanslyUpdated);
		const { items, error } = await runFansly({
			parameters: params('apiFanslyApi', 'update', {
				account: rl(ACCOUNT),
				trackingLink: rl(twitter.id),
				updateFields: { label: 'New label' },
				options: { onlyUpdateWhenDifferent: true },
			}),
			credentials: apiFanslyCredentials,
		});
		expect(error).toBeUndefined();
		expect(items).toEqual(paired([{ ...apiFanslyLink, skipped: false }], 0));
		expectAllDone();
	});

	it('Fans API: PUT .../tracking-links/{id} with {label, description}', async () => {
		const log: RecordedRequest[] = [];
		const body = { label: 'New label', description: 'New description' };
		const scope = fansApi()
			.put(`${linksPath()}/${twitter.id}`, body)
			.reply(recordingReply(log, 200, fansApiUpdated('New label', 'New description')));
		const { items, error } = await runFansly({
			parameters: params('fansApiApi', 'update', {
				account: rl(ACCOUNT),
				trackingLink: rl(twitter.id),
				updateFields: { label: 'New label', description: 'New description' },
			}),
			credentials: fansApiCredentials,
		});
		expect(error).toBeUndefined();
		expect(items).toEqual(paired([fansApiLink('New label', 'New description')], 0));
		expect(log).toHaveLength(1);
		expect(log[0]).toMatchObject({ method: 'PUT', path: `${linksPath()}/${twitter.id}`, search: '' });
		expect(log[0].body).toStrictEqual(body);
		expectFansApiAuth(log[0]);
		expectAllDone(scope);
	});

	it('Fans API: description only sends the current label, read from the list', async () => {
		const log: RecordedRequest[] = [];
		fansApi()
			.get(linksPath())
			.reply(recordingReply(log, 200, listBody()))
			.put(`${linksPath()}/${twitter.id}`, { label: 'Twitter Bio', description: '' })
			.reply(recordingReply(log, 200, fansApiUpdated('Twitter Bio', '')));
		const { items, error } = await runFansly({
			parameters: params('fansApiApi', 'update', {
				account: rl(ACCOUNT),
				trackingLink: rl(twitter.id),
				updateFields: { description: '' },
			}),
			credentials: fansApiCredentials,
		});
		expect(error).toBeUndefined();
		expect(items).toEqual(paired([fansApiLink('Twitter Bio', '')], 0));
		expect(log.map((r) => `${r.method} ${r.path}`)).toEqual([
			`GET ${linksPath()}`,
			`PUT ${linksPath()}/${twitter.id}`,
		]);
		expect(log[1].body).toStrictEqual({ label: 'Twitter Bio', description: '' });
		expectAllDone();
	});

	it('Fans API: a 500 on update (idempotent) IS retried', async () => {
		const log: RecordedRequest[] = [];
		fansApi()
			.put(`${linksPath()}/${twitter.id}`, { label: 'X' })
			.reply(recordingReply(log, 500, { message: 'Server Error' }))
			.put(`${linksPath()}/${twitter.id}`, { label: 'X' })
			.reply(recordingReply(log, 200, fansApiUpdated('X', rawTwitter.description)));
		const { items, error } = await runFansly({
			parameters: params('fansApiApi', 'update', {
				account: rl(ACCOUNT),
				trackingLink: rl(twitter.id),
				updateFields: { label: 'X' },
				options: FAST,
			}),
			credentials: fansApiCredentials,
		});
		expect(error).toBeUndefined();
		expect(items).toEqual(paired([fansApiLink('X', twitter.description)], 0));
		expect(log).toHaveLength(2);
		expectAllDone();
	});

	it('Fans API, Only Update When Different: same values → no PUT, current link with skipped: true', async () => {
		const log: RecordedRequest[] = [];
		const scope = fansApi().get(linksPath()).once().reply(recordingReply(log, 200, listBody()));
		const { items, error } = await onlyWhenDifferent(twitter.id, { label: twitter.label, description: twitter.description });
		expect(error).toBeUndefined();
		expect(items).toEqual(paired([{ ...twitter, skipped: true }], 0));
		expect(log.map((r) => r.method)).toEqual(['GET']);
		expectAllDone(scope);
	});

	it('Fans API, Only Update When Different: different values → PUT, output with skipped: false', async () => {
		const log: RecordedRequest[] = [];
		fansApi()
			.get(linksPath())
			.once()
			.reply(recordingReply(log, 200, listBody()))
			.put(`${linksPath()}/${twitter.id}`, { label: twitter.label, description: 'Changed' })
			.reply(recordingReply(log, 200, fansApiUpdated(twitter.label, 'Changed')));
		const { items, error } = await onlyWhenDifferent(twitter.id, { label: twitter.label, description: 'Changed' });
		expect(error).toBeUndefined();
		expect(items).toEqual(paired([{ ...fansApiLink(twitter.label, 'Changed'), skipped: false }], 0));
		expect(log.map((r) => r.method)).toEqual(['GET', 'PUT']);
		expect(log[1].body).toStrictEqual({ label: twitter.label, description: 'Changed' });
		expectAllDone();
	});

	it('Fans API, Only Update When Different, several items: one list request, PUT only where needed', async () => {
		const log: RecordedRequest[] = [];
		fansApi()
			.get(linksPath())
			.once()
			.reply(recordingReply(log, 200, listBody()))
			.put(`${linksPath()}/${fyp.id}`, { label: 'Renamed FYP' })
			.reply(recordingReply(log, 200, { data: { ...rawFyp, label: 'Renamed FYP' }, _meta: META }));
		const { items, error } = await runFansly({
			parameters: params('fansApiApi', 'update', {
				account: rl(ACCOUNT),
				trackingLink: rl('={{ $json.id }}'),
				updateFields: { label: '={{ $json.label }}' },
				options: { onlyUpdateWhenDifferent: true },
			}),
			items: [
				{ id: twitter.id, label: 'Twitter Bio' },
				{ id: fyp.id, label: 'Renamed FYP' },
				{ id: retweet.id, label: 'retweet twitter promo' },
			],
			credentials: fansApiCredentials,
		});
		expect(error).toBeUndefined();
		expect(items).toEqual([
			...paired([{ ...twitter, skipped: true }], 0),
			...paired([{ ...fyp, label: 'Renamed FYP', skipped: false }], 1),
			...paired([{ ...retweet, skipped: true }], 2),
		]);
		expect(log.map((r) => r.method)).toEqual(['GET', 'PUT']);
		expectAllDone();
	});
});

// ---------------------------------------------------------------------------------------------
describe('Update: the answer is about the link asked for, and every output is its own', () => {
	const OTHER = '845759434926862999';
	const listPath = linksPath();

	it.each<[string, Provider, () => nock.Scope]>([
		['Fans API', 'fansApiApi', () => fansApi().put(`${listPath}/${twitter.id}`).reply(200, { data: { ...rawTwitter, id: OTHER, label: 'New' }, _meta: META })],
		[
			'API Fansly',
			'apiFanslyApi',
			() =>
				apiFansly()
					.put(listPath)
					.reply(200, { statusCode: 200, message: 'ok', data: { status_code: 200, data: { success: true, response: { id: OTHER, label: 'New' } } } }),
		],
	])('%s: an update answered about another link is an error, never that link as this one', async (name, authentication, answer) => {
		const scope = answer();
		const { items, error } = await runFansly({
			parameters: params(authentication, 'update', { account: rl(ACCOUNT), trackingLink: rl(twitter.id), updateFields: { label: 'New' } }),
			credentials: authentication === 'fansApiApi' ? fansApiCredentials : apiFanslyCredentials,
		});
		expect(items).toEqual([]);
		expect(error?.message).toBe(
			`Unexpected response from ${name} for tracking link "${twitter.id}" on account "${ACCOUNT}": the answer is about tracking link "${OTHER}", not "${twitter.id}" (item 0)`,
		);
		expectAllDone(scope);
	});

	it("Fans API: such an answer is not remembered as the other link: a later description-only row sends that link's own label", async () => {
		const log: RecordedRequest[] = [];
		const scopes = [
			// Row 0 renames the FYP link; the answer is about the Twitter link, with the FYP's new label.
			fansApi().put(`${listPath}/${rawFyp.id}`).reply(200, { data: { ...rawTwitter, label: 'Label for FYP' }, _meta: META }),
			fansApi().get(listPath).reply(200, listBody([rawFyp, rawTwitter])),
			fansApi()
				.put(`${listPath}/${rawTwitter.id}`)
				.reply(recordingReply(log, 200, { data: { ...rawTwitter, description: 'Only this' }, _meta: META })),
		];
		const { items } = await runFansly({
			parameters: params('fansApiApi', 'update', {
				account: rl(ACCOUNT),
				trackingLink: rl('={{ $json.link }}'),
				updateFields: { label: '={{ $json.label }}', description: '={{ $json.description }}' },
			}),
			items: [
				{ link: rawFyp.id, label: 'Label for FYP' },
				{ link: rawTwitter.id, description: 'Only this' },
			],
			credentials: fansApiCredentials,
			continueOnFail: true,
		});
		expect(items.map((item) => item.json.error ?? item.json.id)).toEqual([
			`Unexpected response from Fans API for tracking link "${rawFyp.id}" on account "${ACCOUNT}": the answer is about tracking link "${rawTwitter.id}", not "${rawFyp.id}"`,
			rawTwitter.id,
		]);
		expect(log.map((r) => r.body)).toEqual([{ label: rawTwitter.label, description: 'Only this' }]);
		expectAllDone(...scopes);
	});

	it('Only Update When Different: rows that find the link as asked each get an object of their own, nested ones included', async () => {
		const scope = fansApi().get(listPath).reply(200, listBody([rawTwitter]));
		const { items, error } = await onlyWhenDifferent(twitter.id, { label: twitter.label }, [{}, {}]);
		expect(error).toBeUndefined();
		expect(items).toEqual([...paired([{ ...twitter, skipped: true }], 0), ...paired([{ ...twitter, skipped: true }], 1)]);
		// A node after this one that edits $json.metadata in place edits one item only.
		expect(items[0].json.metadata).not.toBe(items[1].json.metadata);
		expectAllDone(scope);
	});

	it('Only Update When Different: an empty description asked for a link that has none is already as asked', async () => {
		const scope = fansApi().get(listPath).reply(200, listBody([rawFyp]));
		const { items, error } = await onlyWhenDifferent(rawFyp.id, { label: rawFyp.label, description: '' });
		expect(error).toBeUndefined();
		expect(items.map((item) => [item.json.id, item.json.description, item.json.skipped])).toEqual([[rawFyp.id, null, true]]);
		expectAllDone(scope);
	});

	it('Only Update When Different: a label typed with the accent apart ("e" and U+0301, as a Mac may send it) is the same label', async () => {
		const scope = fansApi().get(listPath).reply(200, listBody([{ ...rawTwitter, label: 'Café bio' }]));
		const { items, error } = await onlyWhenDifferent(rawTwitter.id, { label: 'Cafe\u0301 bio' });
		expect(error).toBeUndefined();
		expect(items.map((item) => [item.json.id, item.json.label, item.json.skipped])).toEqual([[rawTwitter.id, 'Café bio', true]]);
		expectAllDone(scope);
	});
});

// ---------------------------------------------------------------------------------------------
describe('Credential test requests', () => {
	const { workflow, node } = tinyWorkflow({});

	function testRequest(type: 'apiFanslyApi' | 'fansApiApi', data: IDataObject) {
		const request = credentialTypes[type].test?.request;
		if (!request) throw new Error(`${type} has no test request`);
		const credentials = withDefaults(type, data);
		return {
			baseURL: resolveWithCredentials(workflow, node, String(request.baseURL), credentials),
			url: request.url,
			method: request.method ?? 'GET',
		};
	}

	it('API Fansly: GET https://v1.apifansly.com/api/fansly/accounts by default', () => {
		expect(testRequest('apiFanslyApi', { apiKey: APIFANSLY_FAKE_VALUE })).toEqual({
			baseURL: 'https://v1.apifansly.com',
			url: '/api/fansly/accounts',
			method: 'GET',
		});
	});

	it('API Fansly: a custom base URL', () => {
		expect(testRequest('apiFanslyApi', { apiKey: APIFANSLY_FAKE_VALUE, baseUrl: 'http://127.0.0.1:9' })).toEqual({
			baseURL: 'http://127.0.0.1:9',
			url: '/api/fansly/accounts',
			method: 'GET',
		});
	});

	it('Fans API: GET https://api.fansapi.com/api/whoami by default', () => {
		expect(testRequest('fansApiApi', { apiKey: FANSAPI_FAKE_VALUE })).toEqual({
			baseURL: 'https://api.fansapi.com',
			url: '/api/whoami',
			method: 'GET',
		});
	});

	it('Fans API: the former domain', () => {
		expect(testRequest('fansApiApi', { apiKey: FANSAPI_FAKE_VALUE, baseUrl: 'https://app.onlyfansapi.com' })).toEqual({
			baseURL: 'https://app.onlyfansapi.com',
			url: '/api/whoami',
			method: 'GET',
		});
	});

	it('Fans API: the custom base URL choice', () => {
		expect(
			testRequest('fansApiApi', { apiKey: FANSAPI_FAKE_VALUE, baseUrl: 'custom', customBaseUrl: 'http://127.0.0.1:9' }),
		).toEqual({ baseURL: 'http://127.0.0.1:9', url: '/api/whoami', method: 'GET' });
	});

	it('the credentials authenticate with exactly the documented headers, keeping the others', async () => {
		type Authenticate = (c: IDataObject, r: IHttpRequestOptions) => Promise<IHttpRequestOptions>;
		const request: IHttpRequestOptions = { url: '/x', headers: { Accept: 'application/json' } };
		const apiFansly = await (credentialTypes.apiFanslyApi.authenticate as Authenticate)(
			withDefaults('apiFanslyApi', { apiKey: APIFANSLY_FAKE_VALUE }),
			request,
		);
		const fansApi = await (credentialTypes.fansApiApi.authenticate as Authenticate)(
			withDefaults('fansApiApi', { apiKey: FANSAPI_FAKE_VALUE }),
			request,
		);
		expect(apiFansly.headers).toEqual({ Accept: 'application/json', 'x-api-key': APIFANSLY_FAKE_VALUE });
		expect(fansApi.headers).toEqual({ Accept: 'application/json', Authorization: BEARER });
		expect(request.headers).toEqual({ Accept: 'application/json' });
	});

	it.each<[Provider, IDataObject, string]>([
		['apiFanslyApi', { baseUrl: '  http://127.0.0.1:9  ' }, 'http://127.0.0.1:9'],
		['apiFanslyApi', { baseUrl: 'http://127.0.0.1:9/' }, 'http://127.0.0.1:9'],
		['apiFanslyApi', { baseUrl: '' }, 'https://v1.apifansly.com'],
		['fansApiApi', { baseUrl: 'custom', customBaseUrl: ' http://127.0.0.1:9 ' }, 'http://127.0.0.1:9'],
		['fansApiApi', { baseUrl: 'custom', customBaseUrl: '' }, 'https://api.fansapi.com'],
		['fansApiApi', { baseUrl: 'custom' }, 'https://api.fansapi.com'],
		['fansApiApi', { baseUrl: 'https://app.onlyfansapi.com/' }, 'https://app.onlyfansapi.com'],
	])('%s %j: the credential test goes where the node goes (%s)', (type, settings, expected) => {
		const provider = type === 'apiFanslyApi' ? apiFanslyProvider : fansApiProvider;
		const credentials = withDefaults(type, { apiKey: 'k', ...settings });
		// axios joins a base URL ending in "/" and a path starting with one into one "/".
		const tested = String(testRequest(type, { apiKey: 'k', ...settings }).baseURL).replace(/\/$/, '');
		expect([tested, provider.resolveBaseUrl(credentials)]).toEqual([expected, expected]);
	});

	describe('the node sends its requests to the same base URL as the credential test', () => {
		it.each([
			['https://app.onlyfansapi.com', { baseUrl: 'https://app.onlyfansapi.com' }],
			['http://127.0.0.1:9', { baseUrl: 'custom', customBaseUrl: 'http://127.0.0.1:9' }],
			['http://127.0.0.1:9', { baseUrl: 'custom', customBaseUrl: 'http://127.0.0.1:9/' }],
		])('Fans API → %s', async (host, settings) => {
			const scope = nock(host)
				.matchHeader('authorization', BEARER)
				.delete(`${linksPath()}/1`)
				.reply(200, { data: null, _meta: META });
			const { items, error } = await runFansly({
				parameters: params('fansApiApi', 'delete', { account: rl(ACCOUNT), trackingLink: rl('1') }),
				credentials: { fansApiApi: { apiKey: FANSAPI_FAKE_VALUE, ...settings } },
			});
			expect(error).toBeUndefined();
			expect(items).toEqual(paired([{ deleted: true, id: '1', provider: 'fansApi' }], 0));
			expectAllDone(scope);
		});

		it('API Fansly → custom base URL', async () => {
			const scope = nock('http://127.0.0.1:9')
				.matchHeader('x-api-key', APIFANSLY_FAKE_VALUE)
				.delete(linksPath(), { trackingLinkId: '1' })
				.reply(200, { statusCode: 200, message: 'ok', data: null });
			const { items, error } = await runFansly({
				parameters: params('apiFanslyApi', 'delete', { account: rl(ACCOUNT), trackingLink: rl('1') }),
				credentials: { apiFanslyApi: { apiKey: APIFANSLY_FAKE_VALUE, baseUrl: 'http://127.0.0.1:9' } },
			});
			expect(error).toBeUndefined();
			expect(items).toEqual(paired([{ deleted: true, id: '1', provider: 'apiFansly' }], 0));
			expectAllDone(scope);
		});
	});
});

// ---------------------------------------------------------------------------------------------
describe('Options', () => {
	const path = `${linksPath()}/${twitter.id}`;
	const updated = { data: { ...rawTwitter, label: 'X' }, _meta: META };

	async function updateWith(options: IDataObject) {
		return await runFansly({
			parameters: params('fansApiApi', 'update', {
				account: rl(ACCOUNT),
				trackingLink: rl(twitter.id),
				updateFields: { label: 'X' },
				options,
			}),
			credentials: fansApiCredentials,
		});
	}

	it('Max Retries is honoured when Retry is added too', async () => {
		const log: RecordedRequest[] = [];
		fansApi()
			.put(path)
			.times(2)
			.reply(recordingReply(log, 503, { message: 'Busy' }, { 'retry-after': '0' }));
		const { error } = await updateWith({ retry: true, maxRetries: 1 });
		expect(error?.message).toContain('HTTP 503');
		expect(log).toHaveLength(2);
		expectAllDone();
	});

	// BUG: the three retry settings have `displayOptions: { show: { retry: [true] } }` inside the
	// same collection; when Retry itself was not added (it defaults to true), n8n removes them
	// from the parameters, and the node silently uses its defaults.
	it('Max Retries is honoured without adding Retry (Retry defaults to true)', async () => {
		const log: RecordedRequest[] = [];
		fansApi()
			.put(path)
			.times(4)
			.reply(recordingReply(log, 503, { message: 'Busy' }, { 'retry-after': '0' }));
		const { error } = await updateWith({ maxRetries: 1 });
		expect(error?.message).toContain('HTTP 503');
		// 1 + 1 retry; with the bug: 1 + 3 (the default Max Retries)
		expect(log.map((r) => r.method)).toEqual(['PUT', 'PUT']);
		nock.cleanAll();
	});

	/* eslint-disable @n8n/community-nodes/no-restricted-globals --
	 * The test replaces the global timer that n8n's `sleep` (and so the node's waits) uses. */
	it('without a hint, each retry waits a random part (full jitter) of Retry Base Delay × 2^retry, at most Max Retry Wait', async () => {
		const log: RecordedRequest[] = [];
		fansApi()
			.put(path)
			.times(3)
			.reply(recordingReply(log, 500, { message: 'Server Error' }))
			.put(path)
			.reply(recordingReply(log, 200, updated));
		// The waits are recorded and end at once; Math.random, the jitter, gives half of each ceiling.
		const realSetTimeout = global.setTimeout;
		const waits: number[] = [];
		const timer = jest.spyOn(global, 'setTimeout').mockImplementation(((callback: (...args: unknown[]) => void, ms?: number, ...args: unknown[]) => {
			// The time-out of each request (30 s) is a timer too: only the waits are recorded.
			if (ms !== undefined && ms >= 100 && ms < 10_000) {
				waits.push(ms);
				return realSetTimeout(callback, 0, ...args);
			}
			return realSetTimeout(callback, ms, ...args);
		}) as unknown as typeof setTimeout);
		const random = jest.spyOn(Math, 'random').mockReturnValue(0.5);
		try {
			const { error, items } = await updateWith({ retry: true, maxRetries: 3, retryDelay: 1000, maxRetryWait: 3000 });
			expect(error).toBeUndefined();
			expect(items.map((item) => item.json.label)).toEqual(['X']);
		} finally {
			timer.mockRestore();
			random.mockRestore();
		}
		// Ceilings 1000, 2000, then 4000 capped at 3000; half of each.
		expect(waits).toEqual([500, 1000, 1500]);
		expect(log.map((r) => r.method)).toEqual(['PUT', 'PUT', 'PUT', 'PUT']);
		expectAllDone();
	});
	/* eslint-enable @n8n/community-nodes/no-restricted-globals */

	it('Max Retry Wait is honoured without adding Retry', async () => {
		const log: RecordedRequest[] = [];
		fansApi()
			.put(path)
			.reply(recordingReply(log, 429, { message: 'Slow down' }, { 'retry-after': '1' }))
			.put(path)
			.times(3)
			.reply(recordingReply(log, 200, updated));
		const { error } = await updateWith({ maxRetryWait: 10 });
		// The provider asks for 1 s, more than the 10 ms allowed: the item fails at once.
		expect(error?.message).toContain('more than the maximum wait');
		expect(log.map((r) => r.method)).toEqual(['PUT']);
		nock.cleanAll();
	});
});
