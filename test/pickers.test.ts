/**
 * The account and tracking-link pickers (list-search methods), run through n8n-core's real
 * LoadOptionsContext with the credentials applied by the credential types, requests
 * intercepted by nock.
 */
import nock from 'nock';
import type { IDataObject, INodeParameters } from 'n8n-workflow';

import { runListSearch } from './helpers/loadOptions';
import type { RecordedRequest } from './fixtures/http';
import { recordingReply, trackUnmatched } from './fixtures/http';
import {
	ACCOUNT,
	APIFANSLY_BASE,
	APIFANSLY_FAKE_VALUE,
	AWKWARD_ACCOUNT,
	AWKWARD_ACCOUNT_PATH,
	FANSAPI_BASE,
	FANSAPI_FAKE_VALUE,
	OTHER_ACCOUNT,
	apiFanslyCredentials,
	fansApiCredentials,
	fyp,
	listBody,
	noLabel,
	rawFyp,
	rawTwitter,
	retweet,
	twitter,
} from './fixtures/fansApi';

const BEARER = `Bearer ${FANSAPI_FAKE_VALUE}`;
const tracked = trackUnmatched();

function expectAllDone(...scopes: nock.Scope[]) {
	for (const scope of scopes) expect(scope.isDone()).toBe(true);
	expect(nock.pendingMocks()).toEqual([]);
	expect(tracked.unmatched).toEqual([]);
}

function nodeParameters(authentication: string, extra: IDataObject = {}): INodeParameters {
	return {
		authentication,
		resource: 'trackingLink',
		operation: 'update',
		...extra,
	} as INodeParameters;
}

// ---------------------------------------------------------------------------------------------
describe('Account picker (searchAccounts)', () => {
	const apiFanslyAccounts = {
		statusCode: 200,
		message: 'Accounts retrieved successfully',
		data: {
			success: true,
			count: 3,
			accounts: [
				{ accountId: 'fansly_acc_111', email: 'alice@example.com', name: 'Alice Wonder', country: 'US', createdAt: '2025-01-01T00:00:00.000Z' },
				{ accountId: 'fansly_acc_222', email: 'bob@example.com', name: 'Bob Builder', country: 'DE', createdAt: '2025-02-01T00:00:00.000Z' },
				{ accountId: 'fansly_acc_333', email: 'nameless@example.com', name: null, country: 'FR', createdAt: '2025-03-01T00:00:00.000Z' },
			],
		},
		timestamp: '2026-03-21T04:08:45.000Z',
	};
	const fansApiAccounts = [
		{ id: 'fansly_acct_AAA', display_name: 'My Fansly', fansly_id: '111222333', fansly_username: 'tester', is_authenticated: true },
		{ id: 'fansly_acct_BBB', display_name: 'Second Page', fansly_id: '444555666', fansly_username: 'SecondUser', is_authenticated: true },
		{ id: 'fansly_acct_CCC', display_name: 'same', fansly_id: '777', fansly_username: 'same', is_authenticated: false },
	];

	it('API Fansly: GET /api/fansly/accounts with x-api-key; reads data.accounts', async () => {
		const log: RecordedRequest[] = [];
		const scope = nock(APIFANSLY_BASE)
			.matchHeader('x-api-key', APIFANSLY_FAKE_VALUE)
			.get('/api/fansly/accounts')
			.reply(recordingReply(log, 200, apiFanslyAccounts));
		const result = await runListSearch('searchAccounts', {
			parameters: nodeParameters('apiFanslyApi'),
			credentials: apiFanslyCredentials,
		});
		expect(result).toEqual({
			results: [
				{ name: 'Alice Wonder', value: 'fansly_acc_111' },
				{ name: 'Bob Builder', value: 'fansly_acc_222' },
				{ name: 'nameless@example.com', value: 'fansly_acc_333' },
			],
		});
		expect(log).toHaveLength(1);
		expect(log[0]).toMatchObject({ method: 'GET', path: '/api/fansly/accounts', search: '', bodyText: '' });
		expect(log[0].headers['x-api-key']).toBe(APIFANSLY_FAKE_VALUE);
		expect(log[0].headers.authorization).toBeUndefined();
		expectAllDone(scope);
	});

	it('API Fansly: also reads the accounts when nested as data.data.response (defensive reading)', async () => {
		nock(APIFANSLY_BASE)
			.matchHeader('x-api-key', APIFANSLY_FAKE_VALUE)
			.get('/api/fansly/accounts')
			.reply(200, {
				statusCode: 200,
				message: 'ok',
				data: { status_code: 200, data: { success: true, response: { accounts: apiFanslyAccounts.data.accounts.slice(0, 1) } } },
			});
		const result = await runListSearch('searchAccounts', {
			parameters: nodeParameters('apiFanslyApi'),
			credentials: apiFanslyCredentials,
		});
		expect(result).toEqual({ results: [{ name: 'Alice Wonder', value: 'fansly_acc_111' }] });
		expectAllDone();
	});

	it('API Fansly: the filter matches the name, case-insensitively', async () => {
		nock(APIFANSLY_BASE).get('/api/fansly/accounts').reply(200, apiFanslyAccounts);
		const result = await runListSearch('searchAccounts', {
			parameters: nodeParameters('apiFanslyApi'),
			credentials: apiFanslyCredentials,
			filter: 'bUILD',
		});
		expect(result).toEqual({ results: [{ name: 'Bob Builder', value: 'fansly_acc_222' }] });
		expectAllDone();
	});

	it('Fans API: GET /api/fansly/accounts with a Bearer token; reads the bare array', async () => {
		const log: RecordedRequest[] = [];
		const scope = nock(FANSAPI_BASE)
			.matchHeader('authorization', BEARER)
			.get('/api/fansly/accounts')
			.reply(recordingReply(log, 200, fansApiAccounts));
		const result = await runListSearch('searchAccounts', {
			parameters: nodeParameters('fansApiApi'),
			credentials: fansApiCredentials,
		});
		expect(result).toEqual({
			results: [
				{ name: 'My Fansly (@tester)', value: 'fansly_acct_AAA' },
				{ name: 'Second Page (@SecondUser)', value: 'fansly_acct_BBB' },
				{ name: 'same', value: 'fansly_acct_CCC' },
			],
		});
		expect(log).toHaveLength(1);
		expect(log[0]).toMatchObject({ method: 'GET', path: '/api/fansly/accounts', search: '', bodyText: '' });
		expect(log[0].headers.authorization).toBe(BEARER);
		expect(log[0].headers['x-api-key']).toBeUndefined();
		expectAllDone(scope);
	});

	it.each([
		['apiFanslyApi', APIFANSLY_BASE, 'API Fansly'],
		['fansApiApi', FANSAPI_BASE, 'Fans API'],
	] as const)('%s: a 404 on the list of accounts names the list, not an account, though its message mentions one, and points to the Base URL', async (credential, base, name) => {
		nock(base).get('/api/fansly/accounts').reply(404, { message: 'Account not found.' });
		const search = runListSearch('searchAccounts', {
			parameters: nodeParameters(credential),
			credentials: credential === 'apiFanslyApi' ? apiFanslyCredentials : fansApiCredentials,
		});
		await expect(search).rejects.toMatchObject({
			name: 'NodeApiError',
			message: 'Not found: the connected accounts (HTTP 404): Account not found.',
			description: `Check the Base URL of the ${name} credential: the list of accounts is not at that address.`,
		});
		expectAllDone();
	});

	it('Fans API: also reads {data: [...]}', async () => {
		nock(FANSAPI_BASE).get('/api/fansly/accounts').reply(200, { data: fansApiAccounts.slice(0, 1), _meta: {} });
		const result = await runListSearch('searchAccounts', {
			parameters: nodeParameters('fansApiApi'),
			credentials: fansApiCredentials,
		});
		expect(result).toEqual({ results: [{ name: 'My Fansly (@tester)', value: 'fansly_acct_AAA' }] });
		expectAllDone();
	});

	it.each([
		['SECOND', ['fansly_acct_BBB']], // display name
		['seconduser', ['fansly_acct_BBB']], // username
		['TeStEr', ['fansly_acct_AAA']], // username only
		['fansly_acct_c', ['fansly_acct_CCC']], // id
		['no such account', []],
	])('Fans API: the filter %j matches name, username or id, case-insensitively', async (filter, ids) => {
		nock(FANSAPI_BASE).get('/api/fansly/accounts').reply(200, fansApiAccounts);
		const result = await runListSearch('searchAccounts', {
			parameters: nodeParameters('fansApiApi'),
			credentials: fansApiCredentials,
			filter,
		});
		expect(result.results.map((r) => r.value)).toEqual(ids);
		expectAllDone();
	});

	it('the former Fans API domain from the credential is used', async () => {
		const scope = nock('https://app.onlyfansapi.com')
			.matchHeader('authorization', BEARER)
			.get('/api/fansly/accounts')
			.reply(200, fansApiAccounts.slice(0, 1));
		const result = await runListSearch('searchAccounts', {
			parameters: nodeParameters('fansApiApi'),
			credentials: { fansApiApi: { apiKey: FANSAPI_FAKE_VALUE, baseUrl: 'https://app.onlyfansapi.com' } },
		});
		expect(result.results).toHaveLength(1);
		expectAllDone(scope);
	});

	it.each([
		['apiFanslyApi', APIFANSLY_BASE, apiFanslyCredentials, { statusCode: 401, message: 'Invalid API key', data: null }, 'API Fansly rejected the API key (HTTP 401): Invalid API key'],
		['fansApiApi', FANSAPI_BASE, fansApiCredentials, { message: 'Unauthenticated.' }, 'Fans API rejected the API key (HTTP 401): Unauthenticated.'],
	])('%s: a 401 becomes a clear error (one request, no retry)', async (authentication, base, credentials, body, message) => {
		const log: RecordedRequest[] = [];
		nock(base).get('/api/fansly/accounts').reply(recordingReply(log, 401, body));
		const search = runListSearch('searchAccounts', {
			parameters: nodeParameters(authentication),
			credentials,
		});
		await expect(search).rejects.toMatchObject({ name: 'NodeApiError', message, httpCode: '401' });
		await expect(search).rejects.toHaveProperty('description', expect.stringContaining('Check the API key'));
		expect(log).toHaveLength(1);
		expectAllDone();
	});
});

// ---------------------------------------------------------------------------------------------
describe('Tracking link picker (searchTrackingLinks)', () => {
	const fromList = (value: string) => ({ __rl: true, mode: 'list', value });

	const allResults = [
		{ name: `Fansly FYP (built-in) · ${fyp.id}`, value: fyp.id },
		{ name: `Twitter Bio · ${twitter.id}`, value: twitter.id },
		{ name: `retweet twitter promo · ${retweet.id}`, value: retweet.id },
		{ name: `(no label) · ${noLabel.id}`, value: noLabel.id },
	];

	it('Fans API: lists the links of the chosen account, label and id shown, built-in marked', async () => {
		const log: RecordedRequest[] = [];
		const scope = nock(FANSAPI_BASE)
			.matchHeader('authorization', BEARER)
			.get(`/api/fansly/${ACCOUNT}/tracking-links`)
			.reply(recordingReply(log, 200, listBody()));
		const result = await runListSearch('searchTrackingLinks', {
			parameters: nodeParameters('fansApiApi', { account: fromList(ACCOUNT) }),
			credentials: fansApiCredentials,
		});
		expect(result).toEqual({ results: allResults });
		expect(log).toHaveLength(1);
		expect(log[0]).toMatchObject({
			method: 'GET',
			path: `/api/fansly/${ACCOUNT}/tracking-links`,
			search: '',
			bodyText: '',
		});
		expect(log[0].headers.authorization).toBe(BEARER);
		expectAllDone(scope);
	});

	it('Fans API: a link the answer lists twice is offered once', async () => {
		const scope = nock(FANSAPI_BASE)
			.matchHeader('authorization', BEARER)
			.get(`/api/fansly/${ACCOUNT}/tracking-links`)
			.reply(200, listBody([rawFyp, rawTwitter, rawFyp]));
		const result = await runListSearch('searchTrackingLinks', {
			parameters: nodeParameters('fansApiApi', { account: fromList(ACCOUNT) }),
			credentials: fansApiCredentials,
		});
		expect(result).toEqual({ results: allResults.slice(0, 2) });
		expectAllDone(scope);
	});

	it.each([
		['TWITTER', [twitter.id, retweet.id]],
		['fyp', [fyp.id]],
		[noLabel.id, [noLabel.id]],
		['nothing matches this', []],
	])('Fans API: the filter %j matches the label (case-insensitive) or the id', async (filter, ids) => {
		nock(FANSAPI_BASE).get(`/api/fansly/${ACCOUNT}/tracking-links`).reply(200, listBody());
		const result = await runListSearch('searchTrackingLinks', {
			parameters: nodeParameters('fansApiApi', { account: fromList(ACCOUNT) }),
			credentials: fansApiCredentials,
			filter,
		});
		expect(result.results.map((r) => r.value)).toEqual(ids);
		expectAllDone();
	});

	it('the account comes from the parameters being edited, in any mode, URL-encoded in the path', async () => {
		const scope = nock(FANSAPI_BASE)
			.get(`/api/fansly/${AWKWARD_ACCOUNT_PATH}/tracking-links`)
			.reply(200, listBody([]));
		const result = await runListSearch('searchTrackingLinks', {
			parameters: nodeParameters('fansApiApi', {
				account: { __rl: true, mode: 'id', value: `  ${AWKWARD_ACCOUNT}  ` },
			}),
			savedParameters: nodeParameters('fansApiApi', { account: fromList(OTHER_ACCOUNT) }),
			credentials: fansApiCredentials,
		});
		expect(result).toEqual({ results: [] });
		expectAllDone(scope);
	});

	it('without an account chosen: a clear error, no request', async () => {
		const search = runListSearch('searchTrackingLinks', {
			parameters: nodeParameters('fansApiApi', { account: fromList('') }),
			credentials: fansApiCredentials,
		});
		await expect(search).rejects.toMatchObject({ name: 'NodeOperationError', message: 'Choose an account first' });
		expect(tracked.unmatched).toEqual([]);
	});

	it('API Fansly: the list mode throws a clear error telling the user to enter the ID, no request', async () => {
		const search = runListSearch('searchTrackingLinks', {
			parameters: nodeParameters('apiFanslyApi', { account: fromList(ACCOUNT) }),
			credentials: apiFanslyCredentials,
		});
		await expect(search).rejects.toMatchObject({
			name: 'NodeOperationError',
			message: 'API Fansly cannot list tracking links: choose "By ID" and enter the tracking link ID',
		});
		expect(tracked.unmatched).toEqual([]);
		expect(nock.pendingMocks()).toEqual([]);
	});

	it('Fans API: a 401 becomes a clear error', async () => {
		const log: RecordedRequest[] = [];
		nock(FANSAPI_BASE)
			.get(`/api/fansly/${ACCOUNT}/tracking-links`)
			.reply(recordingReply(log, 401, { message: 'Unauthenticated.' }));
		const search = runListSearch('searchTrackingLinks', {
			parameters: nodeParameters('fansApiApi', { account: fromList(ACCOUNT) }),
			credentials: fansApiCredentials,
		});
		await expect(search).rejects.toMatchObject({
			name: 'NodeApiError',
			message: 'Fans API rejected the API key (HTTP 401): Unauthenticated.',
			httpCode: '401',
		});
		expect(log).toHaveLength(1);
		expectAllDone();
	});

	it('Fans API: an unknown account (404) names the account', async () => {
		nock(FANSAPI_BASE)
			.get(`/api/fansly/${ACCOUNT}/tracking-links`)
			.reply(404, { message: 'Account not found.' });
		const search = runListSearch('searchTrackingLinks', {
			parameters: nodeParameters('fansApiApi', { account: fromList(ACCOUNT) }),
			credentials: fansApiCredentials,
		});
		await expect(search).rejects.toMatchObject({
			name: 'NodeApiError',
			message: `Not found: account "${ACCOUNT}" (HTTP 404): Account not found.`,
		});
		expectAllDone();
	});
});

// ---------------------------------------------------------------------------------------------
// What a picker throws goes to the editor as it is: it is scrubbed of the key as the node's errors
// are, also where the key only appears once something was decoded, or was typed by mistake.
describe('picker errors never show the key', () => {
	const fromList = (value: string) => ({ __rl: true, mode: 'list', value });
	const spaced = [...FANSAPI_FAKE_VALUE].join('\t');
	const listFailure = (account: string, reason: string) =>
		`Unexpected response from Fans API for the tracking links of account "${account}": only part of the list came back: ${reason}`;
	/** All the error carries to the editor but the node itself (its parameters hold what was typed). */
	const shown = (error: Error & IDataObject) =>
		JSON.stringify([error.message, error.description, error.stack, error.messages, error.context, error.errorResponse, error.cause]);

	it.each([
		{
			title: 'a next-page URL whose path decodes to the key (tabs between its characters), cut to 120 characters',
			nextPage: `/${'a'.repeat(100)}${spaced}/x`,
			reason: `_pagination.next_page points to another list (/${'a'.repeat(100)}[redacted])`,
		},
		{
			title: 'a next-page URL whose path decodes to the whole key',
			nextPage: `/x/${spaced}/y`,
			reason: '_pagination.next_page points to another list (/x/[redacted]/y)',
		},
	])('Tracking link picker: $title', async ({ nextPage, reason }) => {
		nock(FANSAPI_BASE)
			.get(`/api/fansly/${ACCOUNT}/tracking-links`)
			.reply(200, { ...listBody([rawFyp]), _pagination: { next_page: nextPage } });
		const search = runListSearch('searchTrackingLinks', {
			parameters: nodeParameters('fansApiApi', { account: fromList(ACCOUNT) }),
			credentials: fansApiCredentials,
		});
		const error = (await search.then(
			() => undefined,
			(e: unknown) => e,
		)) as Error & IDataObject;
		expect([error.name, error.message]).toEqual(['NodeApiError', listFailure(ACCOUNT, reason)]);
		expect(shown(error)).not.toContain(FANSAPI_FAKE_VALUE.slice(0, 8));
		expectAllDone();
	});

	it('Tracking link picker: an account that is the key (mapped by mistake), named in an error the provider did not send', async () => {
		nock(FANSAPI_BASE)
			.get(`/api/fansly/${FANSAPI_FAKE_VALUE}/tracking-links`)
			.reply(200, { ...listBody([rawFyp]), _pagination: { has_more: true } });
		const search = runListSearch('searchTrackingLinks', {
			parameters: nodeParameters('fansApiApi', { account: { __rl: true, mode: 'id', value: FANSAPI_FAKE_VALUE } }),
			credentials: fansApiCredentials,
		});
		const error = (await search.then(
			() => undefined,
			(e: unknown) => e,
		)) as Error & IDataObject;
		expect([error.name, error.message]).toEqual([
			'NodeApiError',
			listFailure('[redacted]', 'the answer says more links exist (_pagination.has_more is true) but gives no next page to read'),
		]);
		expect(shown(error)).not.toContain(FANSAPI_FAKE_VALUE);
		expectAllDone();
	});
});

// ---------------------------------------------------------------------------------------------
describe('pickers at their edges (found by the review of the editor side)', () => {
	const fromList = (value: string) => ({ __rl: true, mode: 'list', value });
	// A Fansly snowflake beyond 2^53, as the tracking link ids are.
	const BIG = '845759434926862337';

	it.each<[string, string, () => nock.Interceptor, string]>([
		['Fans API', 'fansApiApi', () => nock(FANSAPI_BASE).get('/api/fansly/accounts'), `[{"id":${BIG},"display_name":"Big"}]`],
		[
			'API Fansly',
			'apiFanslyApi',
			() => nock(APIFANSLY_BASE).get('/api/fansly/accounts'),
			`{"statusCode":200,"message":"ok","data":{"success":true,"count":1,"accounts":[{"accountId":${BIG},"name":"Big"}]}}`,
		],
	])('%s: an account id sent as a number beyond 2^53 is a clear error, never offered rounded', async (name, authentication, accounts, body) => {
		const scope = accounts().reply(200, body, { 'content-type': 'application/json' });
		const error = (await runListSearch('searchAccounts', {
			parameters: nodeParameters(authentication),
			credentials: authentication === 'fansApiApi' ? fansApiCredentials : apiFanslyCredentials,
		}).then(
			() => undefined,
			(e: unknown) => e,
		)) as Error;
		const at = authentication === 'fansApiApi' ? '0.id' : 'data.accounts.0.accountId';
		expect([error?.name, error?.message]).toEqual([
			'NodeApiError',
			`Unexpected response from ${name} for the list of accounts: ${at} is a number too large to be exact`,
		]);
		expectAllDone(scope);
	});

	it('Fans API: an accounts answer that names a next page is read to its end, every page offered', async () => {
		const log: RecordedRequest[] = [];
		const scopes = [
			nock(FANSAPI_BASE)
				.get('/api/fansly/accounts')
				.reply(
					recordingReply(log, 200, {
						data: [{ id: 'fansly_acct_PAGE1', display_name: 'On page one' }],
						_pagination: { next_page: `${FANSAPI_BASE}/api/fansly/accounts?page=2` },
					}),
				),
			nock(FANSAPI_BASE)
				.get('/api/fansly/accounts')
				.query({ page: '2' })
				.reply(recordingReply(log, 200, { data: [{ id: 'fansly_acct_PAGE2', display_name: 'On page two' }], _pagination: { next_page: null } })),
		];
		const result = await runListSearch('searchAccounts', { parameters: nodeParameters('fansApiApi'), credentials: fansApiCredentials });
		expect(result).toEqual({
			results: [
				{ name: 'On page one', value: 'fansly_acct_PAGE1' },
				{ name: 'On page two', value: 'fansly_acct_PAGE2' },
			],
		});
		expect(log.map((r) => r.search)).toEqual(['', '?page=2']);
		expectAllDone(...scopes);
	});

	it('Fans API: an accounts answer that says more exist without a next page is a clear error', async () => {
		const scope = nock(FANSAPI_BASE)
			.get('/api/fansly/accounts')
			.reply(200, { data: [{ id: 'fansly_acct_PAGE1', display_name: 'On page one' }], _pagination: { has_more: true } });
		const error = (await runListSearch('searchAccounts', { parameters: nodeParameters('fansApiApi'), credentials: fansApiCredentials }).then(
			() => undefined,
			(e: unknown) => e,
		)) as Error;
		expect([error?.name, error?.message]).toEqual([
			'NodeApiError',
			'Unexpected response from Fans API for the list of accounts: only part of the list came back: the answer says more accounts exist (_pagination.has_more is true) but gives no next page to read',
		]);
		expectAllDone(scope);
	});

	it.each<[string, string, () => nock.Interceptor, unknown, string]>([
		['Fans API', 'fansApiApi', () => nock(FANSAPI_BASE).get('/api/fansly/accounts'), [{ id: 'fansly_acct_BLANK', display_name: ' ', name: '', fansly_username: 'blank_one' }], 'blank_one'],
		['Fans API, nothing but the id', 'fansApiApi', () => nock(FANSAPI_BASE).get('/api/fansly/accounts'), [{ id: 'fansly_acct_BLANK', display_name: '', fansly_username: '' }], 'fansly_acct_BLANK'],
		[
			'API Fansly',
			'apiFanslyApi',
			() => nock(APIFANSLY_BASE).get('/api/fansly/accounts'),
			{ statusCode: 200, message: 'ok', data: { success: true, count: 1, accounts: [{ accountId: 'fansly_acc_BLANK', name: '', email: 'a@example.com' }] } },
			'a@example.com',
		],
	])('%s: an account whose name is blank is offered under the next name it has', async (_name, authentication, accounts, body, shownAs) => {
		const scope = accounts().reply(200, body as nock.Body);
		const result = await runListSearch('searchAccounts', {
			parameters: nodeParameters(authentication),
			credentials: authentication === 'fansApiApi' ? fansApiCredentials : apiFanslyCredentials,
		});
		expect(result.results.map((r) => r.name)).toEqual([shownAs]);
		expectAllDone(scope);
	});

	it.each([
		['istanbul', 'İstanbul promo'],
		['café', 'Cafe\u0301 flyer'],
		['ΚΟΣ', 'ΚΟΣΜΟΣ promo'],
		['straße', 'STRAẞE flyer'],
	])('the link filter %j finds %j, as Get Many\'s Label Contains does', async (filter, label) => {
		const scope = nock(FANSAPI_BASE)
			.get(`/api/fansly/${ACCOUNT}/tracking-links`)
			.reply(200, listBody([{ ...rawTwitter, label }, rawFyp]));
		const result = await runListSearch('searchTrackingLinks', {
			parameters: nodeParameters('fansApiApi', { account: fromList(ACCOUNT) }),
			credentials: fansApiCredentials,
			filter,
		});
		expect(result).toEqual({ results: [{ name: `${label} · ${rawTwitter.id}`, value: rawTwitter.id }] });
		expectAllDone(scope);
	});

	it.each(['..', '.', 'acct\u0000x', 'acct\u0085x'])('an Account %j is refused as a run refuses it, before any request', async (account) => {
		const error = (await runListSearch('searchTrackingLinks', {
			parameters: nodeParameters('fansApiApi', { account: { __rl: true, mode: 'id', value: account } }),
			credentials: fansApiCredentials,
		}).then(
			() => undefined,
			(e: unknown) => e,
		)) as Error;
		expect(error?.name).toBe('NodeOperationError');
		expect(error?.message).toBe(account.startsWith('acct') ? 'Account contains control characters, which no ID has' : `Account "${account}" is not a valid ID`);
		expectAllDone();
	});

	it("a 429 whose wait is longer than a list waits: the error says to open the list again, and names no option of the node's", async () => {
		const scope = nock(FANSAPI_BASE).get('/api/fansly/accounts').reply(429, { message: 'Too Many Attempts.' }, { 'Retry-After': '10' });
		const error = (await runListSearch('searchAccounts', {
			parameters: nodeParameters('fansApiApi', { options: { maxRetryWait: 120000 } }),
			credentials: fansApiCredentials,
		}).then(
			() => undefined,
			(e: unknown) => e,
		)) as Error & IDataObject;
		expect([error?.name, error?.message, error?.description]).toEqual([
			'NodeApiError',
			'Fans API asked to wait 10 s before retrying, more than a list in the editor waits (5 s) (HTTP 429)',
			'Other requests with this API key use its rate limit now. Open the list again in a moment.',
		]);
		expectAllDone(scope);
	});
});
