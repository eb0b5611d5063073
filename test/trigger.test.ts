/**
 * The Fansly Trigger over successive polls, run the way an active n8n 2.41 workflow runs it
 * (test/helpers/poll.ts: n8n-core's PollTriggerExecutor and PollContext, static data kept and
 * saved between polls as the n8n server keeps it), with nock answering for Fans API.
 */
import type { IDataObject, INodeExecutionData, INodeParameters } from 'n8n-workflow';
import { NodeApiError, NodeOperationError } from 'n8n-workflow';
import nock from 'nock';

import { FANSAPI_BASE, FANSAPI_FAKE_VALUE, fansApiCredentials, LINK_KEYS, META } from './fixtures/fansApi';
import type { RecordedRequest, ReplyTuple } from './fixtures/http';
import { recordingReply, trackUnmatched } from './fixtures/http';
import type { Persistence } from './helpers/poll';
import { ENGINE_HAS_TICK_EXECUTOR, fanslyTrigger, PollHarness } from './helpers/poll';

const ACCT = 'fansly_acct_TRIGGER00000001';
const ACCT2 = 'fansly_acct_TRIGGER00000002';
/** Fansly's own account id, which Fans API puts in each link as `accountId`. */
const FANSLY_ID = '800000000000000001';
const FANSLY_ID2 = '800000000000000002';
const LINKS_PATH = `/api/fansly/${ACCT}/tracking-links`;
const LINKS_PATH2 = `/api/fansly/${ACCT2}/tracking-links`;
const AUTH = `Bearer ${FANSAPI_FAKE_VALUE}`;

interface Counts {
	clicks: number | null;
	claims: number | null;
	follows: number | null;
	subscriptions: number | null;
	totalNet: number | null;
	totalGross: number | null;
}

const ZERO: Counts = { clicks: 0, claims: 0, follows: 0, subscriptions: 0, totalNet: 0, totalGross: 0 };

/** A link as Fans API lists it. */
function raw(id: string, label: string, createdAt: string, counts: Partial<Counts> = {}, fanslyId = FANSLY_ID): IDataObject {
	return {
		id,
		accountId: fanslyId,
		internalId: `i${id.slice(-3)}`,
		type: 1000,
		status: 1,
		label,
		description: `${label} link`,
		metadata: null,
		createdAt,
		...ZERO,
		...counts,
	};
}

/** The same link as the node outputs it: `accountId` is the account given to the node. */
function out(link: IDataObject, accountId = ACCT): IDataObject {
	return {
		id: link.id,
		accountId,
		fanslyAccountId: link.accountId,
		label: link.label,
		description: link.description,
		type: 1000,
		status: 1,
		metadata: null,
		createdAt: link.createdAt,
		clicks: link.clicks,
		claims: link.claims,
		follows: link.follows,
		subscriptions: link.subscriptions,
		totalNet: link.totalNet,
		totalGross: link.totalGross,
		provider: 'fansApi',
	};
}

const TWITTER = raw('900000000000000001', 'Twitter bio', '2026-01-05T10:00:00.000Z', {
	clicks: 120,
	claims: 3,
	follows: 10,
	subscriptions: 4,
	totalNet: 8000,
	totalGross: 10000,
});
const REDDIT = raw('900000000000000002', 'Reddit', '2026-02-01T08:30:00.000Z', { clicks: 40, subscriptions: 1 });
const TIKTOK = raw('900000000000000003', 'TikTok', '2026-03-01T12:00:00.000Z');

const grow = (link: IDataObject, counts: Partial<Counts>): IDataObject => ({ ...link, ...counts });

const listBody = (links: IDataObject[]) => ({ data: links, _meta: META });

let requests: RecordedRequest[];
const unmatched = trackUnmatched();

beforeEach(() => {
	requests = [];
});

afterEach(() => {
	// Every request the tests expected was made, and no other one.
	expect(unmatched.unmatched).toEqual([]);
});

/** The next list request for an account answers with these links (or this reply). */
function list(links: IDataObject[] | ReplyTuple, path = LINKS_PATH, times = 1): nock.Scope {
	const reply: ReplyTuple = Array.isArray(links) && typeof links[0] === 'number' ? (links as ReplyTuple) : [200, listBody(links as IDataObject[])];
	return nock(FANSAPI_BASE).get(path).times(times).reply(recordingReply(requests, ...reply));
}

const GET = (path: string) => ({ method: 'GET', path, search: '', authorization: AUTH, body: undefined });
const seen = () => requests.map((r) => ({ method: r.method, path: r.path, search: r.search, authorization: r.headers.authorization, body: r.body }));

function params(extra: INodeParameters = {}): INodeParameters {
	return {
		pollTimes: { item: [{ mode: 'everyMinute' }] },
		accountScope: 'one',
		account: { __rl: true, mode: 'list', value: ACCT },
		events: ['created', 'deleted', 'increased'],
		counters: ['clicks', 'claims', 'follows', 'subscriptions', 'revenue'],
		minimumIncrease: 1,
		...extra,
	};
}

function harness(extra: INodeParameters = {}, persistence: Persistence = 'classic'): PollHarness {
	return new PollHarness({ parameters: params(extra), credentials: fansApiCredentials, persistence });
}

/** Activation (the baseline) with these links: asserts it emits nothing. */
async function activated(h: PollHarness, links: IDataObject[]): Promise<void> {
	list(links);
	expect(await h.activate()).toEqual({});
	requests.length = 0;
}

/** The items of one poll, with `detectedAt` checked to be the poll's time and then fixed. */
async function tick(h: PollHarness): Promise<{ items?: IDataObject[]; error?: Error }> {
	const before = Date.now();
	const outcome = await h.tick();
	const after = Date.now();
	if (outcome.items === undefined) return { error: outcome.error };
	const items = outcome.items.map((item: INodeExecutionData) => {
		const detectedAt = item.json.detectedAt as string;
		expect(detectedAt).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
		const at = Date.parse(detectedAt);
		expect(at).toBeGreaterThanOrEqual(before);
		expect(at).toBeLessThanOrEqual(after);
		return { ...item.json, detectedAt: 'AT' };
	});
	return { items, error: outcome.error };
}

const counters = (l: IDataObject) => [l.clicks, l.claims, l.follows, l.subscriptions, l.totalNet, l.totalGross];
const stateOf = (account: string, links: IDataObject[]) => ({
	[account]: Object.fromEntries(links.map((l) => [l.id as string, counters(l)])),
});

describe('the node', () => {
	test('is a polling trigger for Fans API only, with Poll Times added by n8n', () => {
		const d = fanslyTrigger.description;
		expect(d.name).toBe('fanslyTrigger');
		expect(d.polling).toBe(true);
		expect(d.inputs).toEqual([]);
		expect(d.credentials).toEqual([{ name: 'fansApiApi', required: true }]);
		expect(d.properties.map((p) => p.name)).toEqual([
			'pollTimes',
			'fansApiOnlyNotice',
			'authentication',
			'accountScope',
			'account',
			'events',
			'counters',
			'minimumIncrease',
		]);
		const byName = Object.fromEntries(d.properties.map((p) => [p.name, p]));
		expect(byName.pollTimes.default).toEqual({ item: [{ mode: 'everyMinute' }] });
		expect(byName.authentication).toMatchObject({ type: 'hidden', default: 'fansApiApi' });
		expect(byName.events.default).toEqual(['created', 'deleted', 'increased']);
		expect(byName.counters.default).toEqual(['clicks', 'claims', 'follows', 'subscriptions', 'revenue']);
		expect(byName.minimumIncrease.default).toBe(1);
		expect(byName.fansApiOnlyNotice.displayName).toMatch(/API Fansly documents no way to list tracking links/);
	});
});

describe('the account picker', () => {
	test('lists the Fans API accounts even when the editor sends no `authentication`', async () => {
		const h = harness();
		nock(FANSAPI_BASE)
			.get('/api/fansly/accounts')
			.times(2)
			.reply(recordingReply(requests, 200, [
				{ id: ACCT, display_name: 'Demo Creator', fansly_username: 'democreator' },
				{ id: ACCT2, display_name: 'Second Creator', fansly_username: 'second' },
			]));
		const editorParameters = { accountScope: 'one', account: { __rl: true, mode: 'list', value: '' } };
		expect(await h.searchAccounts(editorParameters)).toEqual({
			results: [
				{ name: 'Demo Creator (@democreator)', value: ACCT },
				{ name: 'Second Creator (@second)', value: ACCT2 },
			],
		});
		// A saved API Fansly value (not possible in the editor) does not switch the provider either.
		expect(await h.searchAccounts({ ...editorParameters, authentication: 'apiFanslyApi' }, 'second')).toEqual({
			results: [{ name: 'Second Creator (@second)', value: ACCT2 }],
		});
		expect(seen()).toEqual([GET('/api/fansly/accounts'), GET('/api/fansly/accounts')]);
	});
});

describe('baseline', () => {
	test('the first poll records every link and emits nothing; an unchanged account emits nothing', async () => {
		const h = harness();
		list([TWITTER, REDDIT]);
		expect(await h.activate()).toEqual({});
		expect(seen()).toEqual([GET(LINKS_PATH)]);
		expect(h.liveState).toEqual({ version: 1, accounts: stateOf(ACCT, [TWITTER, REDDIT]) });

		requests.length = 0;
		list([TWITTER, REDDIT]);
		expect(await tick(h)).toEqual({});
		expect(seen()).toEqual([GET(LINKS_PATH)]);
	});

	test('an account with no links is a baseline too: its first link is reported as created', async () => {
		const h = harness();
		await activated(h, []);
		expect(h.liveState).toEqual({ version: 1, accounts: { [ACCT]: {} } });
		list([TIKTOK]);
		expect(await tick(h)).toEqual({ items: [{ event: 'created', link: out(TIKTOK), detectedAt: 'AT' }] });
	});
});

describe('events', () => {
	test('Link Created: one item with the normalised link, once', async () => {
		const h = harness();
		await activated(h, [TWITTER]);
		list([TWITTER, TIKTOK]);
		const { items } = await tick(h);
		expect(items).toEqual([{ event: 'created', link: out(TIKTOK), detectedAt: 'AT' }]);
		expect(Object.keys(items![0].link as IDataObject).sort()).toEqual(LINK_KEYS);
		expect((items![0].link as IDataObject).accountId).toBe(ACCT);
		expect((items![0].link as IDataObject).fanslyAccountId).toBe(FANSLY_ID);
		list([TWITTER, TIKTOK]);
		expect(await tick(h)).toEqual({});
	});

	test('Link Deleted: the link as last seen (id, account, counters), dropped from the state', async () => {
		const h = harness();
		await activated(h, [TWITTER, REDDIT]);
		list([TWITTER]);
		expect(await tick(h)).toEqual({
			items: [
				{
					event: 'deleted',
					link: {
						id: REDDIT.id,
						accountId: ACCT,
						fanslyAccountId: null,
						label: null,
						description: null,
						type: null,
						status: null,
						metadata: null,
						createdAt: null,
						clicks: 40,
						claims: 0,
						follows: 0,
						subscriptions: 1,
						totalNet: 0,
						totalGross: 0,
						provider: 'fansApi',
					},
					detectedAt: 'AT',
				},
			],
		});
		expect(h.liveState).toEqual({ version: 1, accounts: stateOf(ACCT, [TWITTER]) });
		list([TWITTER]);
		expect(await tick(h)).toEqual({});
	});

	test('Counters Increased: `changes` holds each counter that grew, with from, to and delta', async () => {
		const h = harness();
		await activated(h, [TWITTER, REDDIT]);
		const twitter2 = grow(TWITTER, { clicks: 125, subscriptions: 5, totalNet: 9600, totalGross: 12000 });
		list([twitter2, REDDIT]);
		expect(await tick(h)).toEqual({
			items: [
				{
					event: 'increased',
					link: out(twitter2),
					changes: {
						clicks: { from: 120, to: 125, delta: 5 },
						subscriptions: { from: 4, to: 5, delta: 1 },
						totalNet: { from: 8000, to: 9600, delta: 1600 },
						totalGross: { from: 10000, to: 12000, delta: 2000 },
					},
					detectedAt: 'AT',
				},
			],
		});
		expect(seen()).toEqual([GET(LINKS_PATH)]);
		list([twitter2, REDDIT]);
		expect(await tick(h)).toEqual({});
	});

	test('only the chosen counters are watched (Subscriptions): other growth is absorbed silently', async () => {
		const h = harness({ counters: ['subscriptions'] });
		await activated(h, [TWITTER]);
		list([grow(TWITTER, { clicks: 500, totalNet: 9000 })]);
		expect(await tick(h)).toEqual({});
		const t3 = grow(TWITTER, { clicks: 510, subscriptions: 6 });
		list([t3]);
		expect(await tick(h)).toEqual({
			items: [{ event: 'increased', link: out(t3), changes: { subscriptions: { from: 4, to: 6, delta: 2 } }, detectedAt: 'AT' }],
		});
		expect(h.liveState.accounts).toEqual({ [ACCT]: { [TWITTER.id as string]: [510, 3, 10, 6, 8000, 10000] } });
	});

	test('Revenue means totalNet and totalGross', async () => {
		const h = harness({ counters: ['revenue'] });
		await activated(h, [TWITTER]);
		const t2 = grow(TWITTER, { clicks: 999, totalGross: 10001 });
		list([t2]);
		expect(await tick(h)).toEqual({
			items: [{ event: 'increased', link: out(t2), changes: { totalGross: { from: 10000, to: 10001, delta: 1 } }, detectedAt: 'AT' }],
		});
	});

	test('several events in one poll: list order, deleted last, one item each', async () => {
		const h = harness();
		await activated(h, [TWITTER, REDDIT]);
		const twitter2 = grow(TWITTER, { follows: 11 });
		list([TIKTOK, twitter2]);
		const { items } = await tick(h);
		expect(items!.map((i) => [i.event, (i.link as IDataObject).id])).toEqual([
			['created', TIKTOK.id],
			['increased', TWITTER.id],
			['deleted', REDDIT.id],
		]);
		expect(items![1].changes).toEqual({ follows: { from: 10, to: 11, delta: 1 } });
	});

	test('events not chosen are not emitted, but the state still follows the account', async () => {
		const h = harness({ events: ['increased'] });
		await activated(h, [TWITTER, REDDIT]);
		list([TWITTER, TIKTOK]);
		expect(await tick(h)).toEqual({});
		expect(h.liveState.accounts).toEqual(stateOf(ACCT, [TWITTER, TIKTOK]));
		const tiktok2 = grow(TIKTOK, { clicks: 1 });
		list([TWITTER, tiktok2]);
		expect(await tick(h)).toEqual({
			items: [{ event: 'increased', link: out(tiktok2), changes: { clicks: { from: 0, to: 1, delta: 1 } }, detectedAt: 'AT' }],
		});
	});

	test('with Counters Increased off, growth moves the state and is never reported later', async () => {
		const h = harness({ events: ['created', 'deleted'] });
		await activated(h, [TWITTER]);
		list([grow(TWITTER, { clicks: 300 })]);
		expect(await tick(h)).toEqual({});
		expect(h.liveState.accounts).toEqual({ [ACCT]: { [TWITTER.id as string]: [300, 3, 10, 4, 8000, 10000] } });
	});
});

describe('thresholds (Minimum Increase)', () => {
	test('small changes accumulate until they reach the minimum, counted from the last event', async () => {
		const h = harness({ minimumIncrease: 100, counters: ['clicks'] });
		await activated(h, [TWITTER]);
		list([grow(TWITTER, { clicks: 180 })]); // +60
		expect(await tick(h)).toEqual({});
		const t = grow(TWITTER, { clicks: 219 }); // +99 in all
		list([t]);
		expect(await tick(h)).toEqual({});
		const t2 = grow(TWITTER, { clicks: 220 }); // +100 since the baseline
		list([t2]);
		expect(await tick(h)).toEqual({
			items: [{ event: 'increased', link: out(t2), changes: { clicks: { from: 120, to: 220, delta: 100 } }, detectedAt: 'AT' }],
		});
		list([grow(TWITTER, { clicks: 319 })]); // +99 since the event
		expect(await tick(h)).toEqual({});
		const t3 = grow(TWITTER, { clicks: 450 });
		list([t3]);
		expect((await tick(h)).items).toEqual([
			{ event: 'increased', link: out(t3), changes: { clicks: { from: 220, to: 450, delta: 230 } }, detectedAt: 'AT' },
		]);
	});

	test('each counter has its own count: one that reached the minimum is reported alone', async () => {
		const h = harness({ minimumIncrease: 10 });
		await activated(h, [TWITTER]);
		const t2 = grow(TWITTER, { clicks: 130, follows: 15 }); // +10, +5
		list([t2]);
		expect((await tick(h)).items).toEqual([
			{ event: 'increased', link: out(t2), changes: { clicks: { from: 120, to: 130, delta: 10 } }, detectedAt: 'AT' },
		]);
		const t3 = grow(TWITTER, { clicks: 131, follows: 20 }); // follows +10 since the baseline
		list([t3]);
		expect((await tick(h)).items).toEqual([
			{ event: 'increased', link: out(t3), changes: { follows: { from: 10, to: 20, delta: 10 } }, detectedAt: 'AT' },
		]);
	});
});

describe('counters that go down, links that come back', () => {
	test('a decrease updates the state and emits nothing; growth is then counted from the lower value', async () => {
		const h = harness();
		await activated(h, [TWITTER]);
		list([grow(TWITTER, { clicks: 100, subscriptions: 3 })]);
		expect(await tick(h)).toEqual({});
		expect(h.liveState.accounts).toEqual({ [ACCT]: { [TWITTER.id as string]: [100, 3, 10, 3, 8000, 10000] } });
		const t3 = grow(TWITTER, { clicks: 100, subscriptions: 4 });
		list([t3]);
		expect((await tick(h)).items).toEqual([
			{ event: 'increased', link: out(t3), changes: { subscriptions: { from: 3, to: 4, delta: 1 } }, detectedAt: 'AT' },
		]);
	});

	test('a decrease below a pending minimum restarts the count from the lower value', async () => {
		const h = harness({ minimumIncrease: 50, counters: ['clicks'] });
		await activated(h, [TWITTER]);
		list([grow(TWITTER, { clicks: 160 })]); // +40, pending
		expect(await tick(h)).toEqual({});
		list([grow(TWITTER, { clicks: 110 })]); // recount: below the last event
		expect(await tick(h)).toEqual({});
		list([grow(TWITTER, { clicks: 159 })]); // +49 from 110
		expect(await tick(h)).toEqual({});
		const t = grow(TWITTER, { clicks: 160 });
		list([t]);
		expect((await tick(h)).items).toEqual([
			{ event: 'increased', link: out(t), changes: { clicks: { from: 110, to: 160, delta: 50 } }, detectedAt: 'AT' },
		]);
	});

	test('a counter the provider stops reporting (null) keeps its count; nothing negative, nothing from null', async () => {
		const h = harness();
		await activated(h, [TWITTER]);
		list([grow(TWITTER, { clicks: null })]);
		expect(await tick(h)).toEqual({});
		expect((h.liveState.accounts as IDataObject)[ACCT]).toEqual({ [TWITTER.id as string]: [120, 3, 10, 4, 8000, 10000] });
		const t = grow(TWITTER, { clicks: 121 });
		list([t]);
		expect((await tick(h)).items).toEqual([
			{ event: 'increased', link: out(t), changes: { clicks: { from: 120, to: 121, delta: 1 } }, detectedAt: 'AT' },
		]);
	});

	test('a link that disappears and comes back is deleted, then created', async () => {
		const h = harness();
		await activated(h, [TWITTER, REDDIT]);
		list([TWITTER]);
		expect((await tick(h)).items!.map((i) => [i.event, (i.link as IDataObject).id])).toEqual([['deleted', REDDIT.id]]);
		const back = grow(REDDIT, { clicks: 41 });
		list([TWITTER, back]);
		expect((await tick(h)).items).toEqual([{ event: 'created', link: out(back), detectedAt: 'AT' }]);
		list([TWITTER, back]);
		expect(await tick(h)).toEqual({});
	});
});

describe('a failed poll, then a good one', () => {
	const failures: Array<{
		name: string;
		arrange: () => void;
		message: RegExp;
		httpCode?: string;
		attempts: number;
	}> = [
		{
			name: 'network (connection reset on every attempt)',
			arrange: () => {
				nock(FANSAPI_BASE)
					.get(LINKS_PATH)
					.times(4)
					.reply(async (req: Request) => {
						requests.push({ method: req.method, path: new URL(req.url).pathname, search: '', headers: Object.fromEntries(req.headers), bodyText: '', body: undefined });
						throw Object.assign(new Error('socket hang up'), { code: 'ECONNRESET' });
					});
			},
			message: /^Fans API request for account "fansly_acct_TRIGGER00000001" failed after 4 attempts: network error ECONNRESET$/,
			attempts: 4,
		},
		{
			name: '401 (key rejected, not retried)',
			arrange: () => list([401, { message: 'Unauthenticated.' }]),
			message: /^Fans API rejected the API key \(HTTP 401\): Unauthenticated\.$/,
			httpCode: '401',
			attempts: 1,
		},
		{
			name: '429 beyond retries',
			arrange: () => list([429, { message: 'Too Many Attempts.' }, { 'Retry-After': '0' }], LINKS_PATH, 4),
			message: /^Fans API rate limit reached for account "fansly_acct_TRIGGER00000001" \(HTTP 429\): Too Many Attempts\. \(gave up after 4 attempts\)$/,
			httpCode: '429',
			attempts: 4,
		},
		{
			name: 'an answer in an unexpected shape',
			arrange: () => list([200, { data: { links: [] }, _meta: META }]),
			message: /^Unexpected response from Fans API for the tracking links of account "fansly_acct_TRIGGER00000001": data should be array, got object$/,
			httpCode: '200',
			attempts: 1,
		},
	];

	test.each(failures)('$name: a clear error, the state untouched, then every change since the last good poll', async ({ arrange, message, httpCode, attempts }) => {
		const h = harness();
		await activated(h, [TWITTER, REDDIT]);
		const before = h.liveState;

		arrange();
		const failed = await h.tick();
		expect(failed.items).toBeUndefined();
		expect(failed.error).toBeInstanceOf(NodeApiError);
		expect(failed.error!.message).toMatch(message);
		expect((failed.error as NodeApiError).httpCode ?? undefined).toBe(httpCode);
		expect(JSON.stringify(failed.error)).not.toContain(FANSAPI_FAKE_VALUE);
		expect(seen()).toEqual(Array.from({ length: attempts }, () => GET(LINKS_PATH)));
		expect(h.liveState).toEqual(before);

		requests.length = 0;
		const twitter2 = grow(TWITTER, { subscriptions: 5 });
		list([twitter2, TIKTOK]);
		expect((await tick(h)).items).toEqual([
			{ event: 'increased', link: out(twitter2), changes: { subscriptions: { from: 4, to: 5, delta: 1 } }, detectedAt: 'AT' },
			{ event: 'created', link: out(TIKTOK), detectedAt: 'AT' },
			{ event: 'deleted', link: expect.objectContaining({ id: REDDIT.id, accountId: ACCT, clicks: 40 }), detectedAt: 'AT' },
		]);
		expect(seen()).toEqual([GET(LINKS_PATH)]);
	}, 30_000);

	test('a failure on the second account leaves the first account’s state untouched too', async () => {
		const h = harness({ accountScope: 'all' });
		const accounts = () =>
			nock(FANSAPI_BASE)
				.get('/api/fansly/accounts')
				.reply(recordingReply(requests, 200, [{ id: ACCT, display_name: 'One' }, { id: ACCT2, display_name: 'Two' }]));
		accounts();
		list([TWITTER]);
		list([], LINKS_PATH2);
		expect(await h.activate()).toEqual({});
		const before = h.liveState;

		accounts();
		list([grow(TWITTER, { clicks: 121 })]);
		list([401, { message: 'Unauthenticated.' }], LINKS_PATH2);
		expect((await h.tick()).error?.message).toMatch(/HTTP 401/);
		expect(h.liveState).toEqual(before);

		accounts();
		const t = grow(TWITTER, { clicks: 122 });
		list([t]);
		list([], LINKS_PATH2);
		expect((await tick(h)).items).toEqual([
			{ event: 'increased', link: out(t), changes: { clicks: { from: 120, to: 122, delta: 2 } }, detectedAt: 'AT' },
		]);
	});

	test('a failed activation poll fails the activation, as n8n shows it', async () => {
		const h = harness();
		list([401, { message: 'Unauthenticated.' }]);
		await expect(h.activate()).rejects.toThrow(/^Fans API rejected the API key \(HTTP 401\)/);
		expect(h.liveState).toEqual({});
	});
});

describe('several accounts (All Accounts)', () => {
	function accountsReply(ids: string[]) {
		return nock(FANSAPI_BASE)
			.get('/api/fansly/accounts')
			.reply(recordingReply(requests, 200, ids.map((id, i) => ({ id, display_name: `Creator ${i + 1}`, fansly_username: `c${i + 1}` }))));
	}

	test('one accounts request and one list request per account per poll; events of every account', async () => {
		const h = harness({ accountScope: 'all', account: { __rl: true, mode: 'list', value: '' } });
		const insta = raw('910000000000000001', 'Instagram', '2026-01-01T00:00:00.000Z', { clicks: 7 }, FANSLY_ID2);
		accountsReply([ACCT, ACCT2]);
		list([TWITTER]);
		list([insta], LINKS_PATH2);
		expect(await h.activate()).toEqual({});
		expect(seen()).toEqual([GET('/api/fansly/accounts'), GET(LINKS_PATH), GET(LINKS_PATH2)]);
		expect(h.liveState).toEqual({ version: 1, accounts: { ...stateOf(ACCT, [TWITTER]), ...stateOf(ACCT2, [insta]) } });

		requests.length = 0;
		accountsReply([ACCT, ACCT2]);
		const twitter2 = grow(TWITTER, { clicks: 130 });
		const insta2 = grow(insta, { subscriptions: 1 });
		list([twitter2]);
		list([insta2, TIKTOK], LINKS_PATH2);
		expect((await tick(h)).items).toEqual([
			{ event: 'increased', link: out(twitter2), changes: { clicks: { from: 120, to: 130, delta: 10 } }, detectedAt: 'AT' },
			{ event: 'increased', link: out(insta2, ACCT2), changes: { subscriptions: { from: 0, to: 1, delta: 1 } }, detectedAt: 'AT' },
			{ event: 'created', link: out(TIKTOK, ACCT2), detectedAt: 'AT' },
		]);
		expect(seen()).toEqual([GET('/api/fansly/accounts'), GET(LINKS_PATH), GET(LINKS_PATH2)]);
	});

	test('a newly connected account gets a silent baseline; a disconnected one leaves the state', async () => {
		const h = harness({ accountScope: 'all' });
		accountsReply([ACCT]);
		list([TWITTER]);
		expect(await h.activate()).toEqual({});

		accountsReply([ACCT, ACCT2]);
		list([TWITTER]);
		list([TIKTOK, REDDIT], LINKS_PATH2);
		expect(await tick(h)).toEqual({});
		expect(h.liveState.accounts).toEqual({ ...stateOf(ACCT, [TWITTER]), ...stateOf(ACCT2, [TIKTOK, REDDIT]) });

		accountsReply([ACCT2]);
		list([TIKTOK, REDDIT], LINKS_PATH2);
		expect(await tick(h)).toEqual({});
		expect(h.liveState.accounts).toEqual(stateOf(ACCT2, [TIKTOK, REDDIT]));
	});

	test('switching the watched account starts a new baseline and drops the old account', async () => {
		const h = harness();
		await activated(h, [TWITTER]);
		h.node.parameters.account = { __rl: true, mode: 'id', value: ACCT2 };
		list([TIKTOK], LINKS_PATH2);
		expect(await tick(h)).toEqual({});
		expect(h.liveState.accounts).toEqual(stateOf(ACCT2, [TIKTOK]));
	});
});

describe('Fetch Test Event (manual mode)', () => {
	test('one real sample: the most recently created link as Link Created; the state is not touched', async () => {
		const h = harness();
		await activated(h, [TWITTER, REDDIT]);
		const twitter2 = grow(TWITTER, { clicks: 200 });
		list([twitter2, REDDIT]);
		expect((await tick(h)).items).toHaveLength(1);
		const savedBefore = h.state;
		const liveBefore = h.liveState;

		requests.length = 0;
		list([TWITTER, TIKTOK, REDDIT]);
		const before = Date.now();
		const { items, error } = await h.fetchTestEvent();
		expect(error).toBeUndefined();
		expect(items).toHaveLength(1);
		expect(Date.parse(items[0].json.detectedAt as string)).toBeGreaterThanOrEqual(before);
		expect({ ...items[0].json, detectedAt: 'AT' }).toEqual({ event: 'created', link: out(TIKTOK), detectedAt: 'AT' });
		expect(seen()).toEqual([GET(LINKS_PATH)]);
		expect(h.state).toEqual(savedBefore);
		expect(h.liveState).toEqual(liveBefore);

		// The active workflow's next poll still diffs against its own state: the link the
		// test event showed is new to it.
		requests.length = 0;
		list([twitter2, TIKTOK, REDDIT]);
		expect((await tick(h)).items).toEqual([{ event: 'created', link: out(TIKTOK), detectedAt: 'AT' }]);
	});

	test('with only Counters Increased chosen, the sample is an increase of the watched counters by 0', async () => {
		const h = harness({ events: ['increased'], counters: ['subscriptions', 'revenue'] });
		list([TWITTER, REDDIT]);
		const { items } = await h.fetchTestEvent();
		expect(items.map((i) => ({ ...i.json, detectedAt: 'AT' }))).toEqual([
			{
				event: 'increased',
				link: out(REDDIT),
				changes: {
					subscriptions: { from: 1, to: 1, delta: 0 },
					totalNet: { from: 0, to: 0, delta: 0 },
					totalGross: { from: 0, to: 0, delta: 0 },
				},
				detectedAt: 'AT',
			},
		]);
		expect(h.state).toEqual({});
	});

	test('an account without links: a clear error instead of an empty sample', async () => {
		const h = harness();
		list([]);
		const { items, error } = await h.fetchTestEvent();
		expect(items).toEqual([]);
		expect(error?.message).toBe(`No tracking links on account "${ACCT}" to build a test event from`);
	});
});

describe('the state stays small', () => {
	test('ids and six counters per link, nothing else; deleted links and unwatched accounts are dropped', async () => {
		const h = harness();
		const many = Array.from({ length: 50 }, (_, i) => raw(`9200000000000000${String(i).padStart(2, '0')}`, `L${i}`, '2026-01-01T00:00:00.000Z', { clicks: i }));
		await activated(h, many);
		const state = h.liveState;
		expect(Object.keys(state).sort()).toEqual(['accounts', 'version']);
		const links = (state.accounts as IDataObject)[ACCT] as IDataObject;
		expect(Object.keys(links)).toHaveLength(50);
		for (const value of Object.values(links)) expect(value).toEqual([expect.any(Number), 0, 0, 0, 0, 0]);
		expect(JSON.stringify(state).length).toBeLessThan(50 * 60);

		list(many.slice(0, 3));
		const { items } = await tick(h);
		expect(items).toHaveLength(47);
		expect(Object.keys((h.liveState.accounts as IDataObject)[ACCT] as IDataObject)).toEqual(many.slice(0, 3).map((l) => l.id));
	});

	test('an unreadable saved state is a new baseline, not a flood', async () => {
		const h = harness();
		h.saved = { [`node:Fansly Trigger`]: { version: 1, accounts: { [ACCT]: { x: 'not counters' } } } };
		h.restart();
		list([TWITTER]);
		expect(await h.tick()).toEqual({});
		expect(h.liveState.accounts).toEqual(stateOf(ACCT, [TWITTER]));
	});
});

describe('bad input: a clear error before any request', () => {
	test.each([
		[{ account: { __rl: true, mode: 'list', value: '' } }, '"Account" is empty: choose the account to watch'],
		[{ account: { __rl: true, mode: 'id', value: '   ' } }, '"Account" is empty: choose the account to watch'],
		[{ events: [] }, '"Trigger On" is empty: choose at least one'],
		[{ counters: [] }, '"Counters" is empty: choose at least one'],
		[{ counters: ['views'] }, '"Counters" has an unknown value: "views"'],
		[{ minimumIncrease: 0 }, '"Minimum Increase" must be a number of at least 1, not 0'],
		[{ minimumIncrease: 'lots' }, '"Minimum Increase" must be a number of at least 1, not "lots"'],
	] as Array<[INodeParameters, string]>)('%j → %s', async (extra, message) => {
		const h = harness(extra);
		const error = await h.activate().then(
			() => undefined,
			(e: unknown) => e,
		);
		expect(error).toBeInstanceOf(NodeOperationError);
		expect((error as Error).message).toBe(message);
		expect(requests).toEqual([]);
	});
});

// Durable poll cursors exist only in n8n 2.x's tick engine: on the 1.x engine the classic way,
// the only one there, is what runs.
const PERSISTENCES: Persistence[] = ENGINE_HAS_TICK_EXECUTOR ? ['classic', 'durable'] : ['classic'];

describe.each<Persistence>(PERSISTENCES)('as n8n saves the state (%s)', (persistence) => {
	test('baseline, then each change once; the saved state follows every poll that emitted', async () => {
		const h = harness({}, persistence);
		list([TWITTER, REDDIT]);
		expect(await h.activate()).toEqual({});
		// The activation poll emitted nothing: n8n has written nothing yet.
		expect(h.writes).toBe(0);
		expect(h.state).toEqual({});

		// classic: the baseline lives on in memory; durable: the first tick records it again
		// (the activation poll's cursor is not committed) and commits it.
		list([TWITTER, REDDIT]);
		expect(await h.tick()).toEqual({});
		const baseline = { version: 1, accounts: stateOf(ACCT, [TWITTER, REDDIT]) };
		expect(h.liveState).toEqual(baseline);
		expect(h.state).toEqual(persistence === 'durable' ? baseline : {});

		const t = grow(TWITTER, { subscriptions: 5 });
		list([t, REDDIT]);
		expect((await tick(h)).items).toEqual([
			{ event: 'increased', link: out(t), changes: { subscriptions: { from: 4, to: 5, delta: 1 } }, detectedAt: 'AT' },
		]);
		expect(h.state).toEqual({ version: 1, accounts: stateOf(ACCT, [t, REDDIT]) });

		// After a restart the saved state is what the next poll diffs against: nothing twice.
		h.restart();
		list([t, REDDIT]);
		expect(await h.tick()).toEqual({});
	});

	test('a failed poll saves nothing; after a restart the next good poll still reports the change', async () => {
		const h = harness({}, persistence);
		await activated(h, [TWITTER]);
		list([TWITTER]);
		await h.tick();
		const t = grow(TWITTER, { clicks: 121 });
		list([t]);
		await h.tick(); // saved with the event
		const saved = h.state;
		const writes = h.writes;

		list([401, { message: 'Unauthenticated.' }]);
		expect((await h.tick()).error).toBeInstanceOf(NodeApiError);
		expect(h.state).toEqual(saved);
		expect(h.writes).toBe(writes);

		h.restart();
		const t2 = grow(t, { clicks: 125 });
		list([t2]);
		expect((await tick(h)).items).toEqual([
			{ event: 'increased', link: out(t2), changes: { clicks: { from: 121, to: 125, delta: 4 } }, detectedAt: 'AT' },
		]);
	});

	test('a restart before any event was saved is a new baseline, not a flood', async () => {
		const h = harness({}, persistence);
		await activated(h, [TWITTER]);
		h.restart();
		list([TWITTER, TIKTOK]);
		const outcome = await h.tick();
		// classic: the in-memory baseline is gone, so this poll is a baseline again;
		// durable: nothing was committed yet either.
		expect(outcome).toEqual({});
		list([TWITTER, TIKTOK]);
		expect(await h.tick()).toEqual({});
	});
});
