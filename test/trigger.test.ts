/**
 * The Fansly Trigger over successive polls, run the way an active n8n 2.41 workflow runs it
 * (test/helpers/poll.ts: n8n-core's PollTriggerExecutor and PollContext, static data kept and
 * saved between polls as the n8n server keeps it), with nock answering for Fans API.
 */
import type { IDataObject, INodeParameters } from 'n8n-workflow';
import { NodeApiError, NodeOperationError } from 'n8n-workflow';
import nock from 'nock';

import { systemClock } from '../nodes/Fansly/transport/rateLimiter';

import { FANSAPI_BASE, FANSAPI_FAKE_VALUE, LINK_KEYS, META, UNKNOWN_COUNTERS } from './fixtures/fansApi';
import { recordingReply } from './fixtures/http';
import type { Persistence } from './helpers/poll';
import { fanslyTrigger, PERSISTENCES, PollHarness } from './helpers/poll';
import {
	ACCT,
	ACCT2,
	activated,
	clockAt,
	counters,
	FANSLY_ID,
	FANSLY_ID2,
	GET,
	grow,
	harness,
	keptAccount,
	keptLink,
	LINKS_PATH,
	LINKS_PATH2,
	list,
	networkFailure,
	out,
	params,
	raw,
	REDDIT,
	requests,
	savedState,
	seen,
	missingStateOf,
	stateOf,
	tick,
	TIKTOK,
	TWITTER,
	useTriggerTestHooks,
} from './helpers/trigger';

useTriggerTestHooks();

/** Fansly's built-in link, which every account has. */
const FYP = { ...raw('900000000000000000', 'Fansly FYP', '2025-12-01T00:00:00.000Z', { clicks: 900, follows: 40 }), type: 1 };

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
		expect(h.liveState).toEqual(savedState(stateOf(ACCT, [TWITTER, REDDIT])));

		requests.length = 0;
		list([TWITTER, REDDIT]);
		expect(await tick(h)).toEqual({});
		expect(seen()).toEqual([GET(LINKS_PATH)]);
	});

	test('an account whose reads list no link has no baseline until one lists links: that read is the baseline, silently', async () => {
		const h = harness();
		await activated(h, []);
		// Not a baseline: every account keeps its built-in links, so the empty list is a provider's hiccup.
		expect(h.liveState).toEqual(savedState({ [ACCT]: { ...keptAccount([]), baseline: 'empty' } }));
		list([]);
		expect(await tick(h)).toEqual({});
		expect(h.liveState).toEqual(savedState({ [ACCT]: { ...keptAccount([]), baseline: 'empty' } }));
		list([FYP, TIKTOK]);
		expect(await tick(h)).toEqual({});
		expect(h.liveState.accounts).toEqual(stateOf(ACCT, [FYP, TIKTOK]));
		list([FYP, TIKTOK, TWITTER]);
		expect(await tick(h)).toEqual({ items: [{ event: 'created', link: out(TWITTER), detectedAt: 'AT' }] });
	});

	test('a first read that lists no link, then the account\'s links (built-in ones included): they are the baseline, no flood of "created"', async () => {
		const h = harness();
		await activated(h, []);
		// Fansly's built-in link, listed without a subscriptions count yet.
		const fyp = grow(FYP, { subscriptions: null });
		list([TWITTER, fyp]);
		expect(await tick(h)).toEqual({});
		expect(h.liveState).toEqual(savedState(stateOf(ACCT, [TWITTER, fyp])));
		// From then on, as after any baseline: a new link is created, and a counter the baseline
		// had no value for starts at its first value.
		const t = grow(TWITTER, { clicks: 125 });
		list([t, grow(FYP, { subscriptions: 3 }), TIKTOK]);
		expect((await tick(h)).items).toEqual([
			{ event: 'increased', link: out(t), changes: { clicks: { from: 120, to: 125, delta: 5 } }, detectedAt: 'AT' },
			{ event: 'created', link: out(TIKTOK), detectedAt: 'AT' },
		]);
	});

	test('Fetch Test Event after a first read that listed no link leaves it unconfirmed: the next poll\'s links are the baseline', async () => {
		const h = harness();
		await activated(h, []);
		list([TWITTER, FYP]);
		const sample = await h.fetchTestEvent();
		expect(sample.error).toBeUndefined();
		expect(sample.items.map((item) => item.json.event)).toEqual(['created']);
		expect(h.liveState).toEqual(savedState({ [ACCT]: { ...keptAccount([]), baseline: 'empty' } }));
		list([TWITTER, FYP]);
		expect(await tick(h)).toEqual({});
	});
});

describe('events', () => {
	test('Link Created: one item with the normalised link, once', async () => {
		const h = harness();
		await activated(h, [TWITTER]);
		list([TWITTER, TIKTOK]);
		const { items } = await tick(h);
		// Strictly: a `changes` key, even undefined, would show in a Code node's Object.keys($json).
		expect(items).toStrictEqual([{ event: 'created', link: out(TIKTOK), detectedAt: 'AT' }]);
		expect(Object.keys(items![0].link as IDataObject).sort()).toEqual(LINK_KEYS);
		expect((items![0].link as IDataObject).accountId).toBe(ACCT);
		expect((items![0].link as IDataObject).fanslyAccountId).toBe(FANSLY_ID);
		list([TWITTER, TIKTOK]);
		expect(await tick(h)).toEqual({});
	});

	test('Link Deleted: the link as last seen (its name, description and counters; metadata null), dropped from the state', async () => {
		const h = harness();
		await activated(h, [TWITTER, REDDIT]);
		const reddit2 = grow(REDDIT, { clicks: 44, label: 'Reddit (old)', description: null, status: 2 });
		list([TWITTER, reddit2]);
		expect(await tick(h)).toEqual({ items: [{ event: 'increased', link: out(reddit2), changes: { clicks: { from: 40, to: 44, delta: 4 } }, detectedAt: 'AT' }] });
		list([TWITTER]);
		expect(await tick(h)).toEqual({
			items: [
				{
					event: 'deleted',
					link: {
						id: REDDIT.id,
						accountId: ACCT,
						fanslyAccountId: FANSLY_ID,
						label: 'Reddit (old)',
						description: null,
						type: 1000,
						status: 2,
						metadata: null,
						createdAt: REDDIT.createdAt,
						clicks: 44,
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
		expect(h.liveState).toEqual(savedState(stateOf(ACCT, [TWITTER])));
		list([TWITTER]);
		expect(await tick(h)).toEqual({});
	});

	test('deactivated, then activated again: that first poll reports what changed while the workflow was off, once', async () => {
		const h = harness();
		await activated(h, [TWITTER, REDDIT]);
		// Off for a while (n8n keeps the workflow's static data), then on again: a new activation.
		h.restart();
		const t = grow(TWITTER, { clicks: 121 });
		list([t, REDDIT, TIKTOK]);
		expect((await h.activate()).items?.map((i) => ({ ...i.json, detectedAt: 'AT' }))).toEqual([
			{ event: 'increased', link: out(t), changes: { clicks: { from: 120, to: 121, delta: 1 } }, detectedAt: 'AT' },
			{ event: 'created', link: out(TIKTOK), detectedAt: 'AT' },
		]);
		list([t, REDDIT, TIKTOK]);
		expect(await tick(h)).toEqual({});
	});

	test('Link Deleted after a restart: the name comes from the saved state', async () => {
		const h = harness();
		await activated(h, [TWITTER, REDDIT]);
		const t = grow(TWITTER, { clicks: 121 });
		list([t, REDDIT]);
		expect((await tick(h)).items).toHaveLength(1); // saved with the event
		h.restart();
		list([t]);
		expect((await tick(h)).items).toEqual([
			{ event: 'deleted', link: out(REDDIT), detectedAt: 'AT' },
		]);
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
		expect(h.liveState.accounts).toEqual(stateOf(ACCT, [t3]));
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
		expect(h.liveState.accounts).toEqual(stateOf(ACCT, [grow(TWITTER, { clicks: 300 })]));
	});
});

describe('the API key never leaves', () => {
	// A key with the characters HTML, JSON and URLs encode. The link's metadata is JSON text
	// whose `\u0026amp;` becomes `&amp;` (the key's HTML form) only when the node decodes the
	// metadata, after the transport has scrubbed the answer: what the trigger emits is scrubbed
	// once more, as the Fansly node's items are.
	const key = 'sk/trIgger+key=&"<x>%';
	const note = JSON.stringify(key).slice(1, -1).replace('&', '\\u0026amp;');
	const withKey = { ...raw('900000000000000009', 'Leaky', '2026-04-01T00:00:00.000Z'), metadata: `{"note":"${note}"}` };

	test('in an emitted link (metadata decoded by the node) and in Fetch Test Event', async () => {
		const h = new PollHarness({ parameters: params(), credentials: { fansApiApi: { apiKey: key } }, persistence: 'classic' });
		await activated(h, [TWITTER]);
		list([TWITTER, withKey]);
		const { items } = await tick(h);
		expect(items).toEqual([{ event: 'created', link: { ...out(withKey), metadata: { note: '[redacted]' } }, detectedAt: 'AT' }]);
		list([TWITTER, withKey]);
		const sample = await h.fetchTestEvent();
		expect(sample.error).toBeUndefined();
		expect(sample.items.map((item) => (item.json.link as IDataObject).metadata)).toEqual([{ note: '[redacted]' }]);
		expect(JSON.stringify([items, sample.items])).not.toContain('&amp;"<x>');
	});

	// A workflow written by hand, or a value mapped by mistake: the message quotes it.
	test('in a value the trigger rejects before any request', async () => {
		const h = new PollHarness({ parameters: params({ accountScope: key }), credentials: { fansApiApi: { apiKey: key } }, persistence: 'classic' });
		const error = await h.activate().then(
			() => undefined,
			(e: unknown) => e as NodeOperationError,
		);
		expect(error?.message).toBe('"Accounts to Watch" must be "one" or "all", not "[redacted]"');
		expect(JSON.stringify([error, error?.message, error?.stack])).not.toContain('trIgger');
		expect(requests).toEqual([]);
	});

	test('in an answer to the list of accounts that echoes it (All Accounts)', async () => {
		const h = new PollHarness({
			parameters: params({ accountScope: 'all', account: { __rl: true, mode: 'list', value: '' } }),
			credentials: { fansApiApi: { apiKey: key } },
			persistence: 'classic',
		});
		nock(FANSAPI_BASE)
			.get('/api/fansly/accounts')
			.reply(recordingReply(requests, 403, `no access for ${key}`, { 'content-type': 'text/plain' }));
		const error = await h.activate().then(
			() => undefined,
			(e: unknown) => e as NodeApiError,
		);
		expect(error).toBeInstanceOf(NodeApiError);
		expect(error?.message).toContain('no access for [redacted]');
		expect(JSON.stringify([error, error?.message, error?.description, error?.stack])).not.toContain('trIgger');
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
		expect(h.liveState.accounts).toEqual(stateOf(ACCT, [grow(TWITTER, { clicks: 100, subscriptions: 3 })]));
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

	test('a dip that stays above the last event changes nothing: 100 → 105 → 103 → 110 at Minimum Increase 10 is one event, from 100 (the README’s example)', async () => {
		const start = grow(TWITTER, { clicks: 100 });
		const h = harness({ minimumIncrease: 10, counters: ['clicks'] });
		await activated(h, [start]);
		for (const clicks of [105, 103]) {
			list([grow(TWITTER, { clicks })]);
			expect(await tick(h)).toEqual({});
		}
		const t = grow(TWITTER, { clicks: 110 });
		list([t]);
		expect((await tick(h)).items).toEqual([
			{ event: 'increased', link: out(t), changes: { clicks: { from: 100, to: 110, delta: 10 } }, detectedAt: 'AT' },
		]);
	});

	test('a counter the provider stops reporting (null) keeps its count; nothing negative, nothing from null', async () => {
		const h = harness();
		await activated(h, [TWITTER]);
		list([grow(TWITTER, { clicks: null })]);
		expect(await tick(h)).toEqual({});
		expect(h.liveState.accounts).toEqual(stateOf(ACCT, [TWITTER]));
		const t = grow(TWITTER, { clicks: 121 });
		list([t]);
		expect((await tick(h)).items).toEqual([
			{ event: 'increased', link: out(t), changes: { clicks: { from: 120, to: 121, delta: 1 } }, detectedAt: 'AT' },
		]);
	});

	test('a link created after the baseline counts a counter it was listed without (null) from 0: its first subscriber is an increase', async () => {
		const h = harness();
		await activated(h, [TWITTER]);
		const fresh = grow(TIKTOK, { clicks: 0, claims: null, follows: null, subscriptions: null, totalNet: null, totalGross: null });
		list([TWITTER, fresh]);
		expect((await tick(h)).items).toEqual([{ event: 'created', link: out(fresh), detectedAt: 'AT' }]);
		list([TWITTER, fresh]);
		expect(await tick(h)).toEqual({});
		const first = grow(TIKTOK, { clicks: 3, claims: null, follows: null, subscriptions: 1, totalNet: 4.8, totalGross: null });
		list([TWITTER, first]);
		expect((await tick(h)).items).toEqual([
			{
				event: 'increased',
				link: out(first),
				changes: { clicks: { from: 0, to: 3, delta: 3 }, subscriptions: { from: 0, to: 1, delta: 1 }, totalNet: { from: 0, to: 4.8, delta: 4.8 } },
				detectedAt: 'AT',
			},
		]);
		list([TWITTER, first]);
		expect(await tick(h)).toEqual({});
	});

	test('a link of the baseline listed without a counter (null) starts that counter at its first value: no increase from an unknown count', async () => {
		const unknown = grow(TWITTER, { subscriptions: null });
		const h = harness();
		await activated(h, [unknown]);
		list([grow(TWITTER, { subscriptions: 9 })]);
		expect(await tick(h)).toEqual({});
		const t = grow(TWITTER, { subscriptions: 10 });
		list([t]);
		expect((await tick(h)).items).toEqual([
			{ event: 'increased', link: out(t), changes: { subscriptions: { from: 9, to: 10, delta: 1 } }, detectedAt: 'AT' },
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
			arrange: () => networkFailure(LINKS_PATH, 'ECONNRESET', 'socket hang up'),
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

	test.each(failures)('$name: a clear error, the links kept untouched and the failure recorded, then every change since the last good poll', async ({ arrange, message, httpCode, attempts }) => {
		const h = harness();
		await activated(h, [TWITTER, REDDIT]);

		arrange();
		const failed = await h.tick();
		expect(failed.items).toBeUndefined();
		expect(failed.error).toBeInstanceOf(NodeApiError);
		expect(failed.error!.message).toMatch(message);
		expect((failed.error as NodeApiError).httpCode ?? undefined).toBe(httpCode);
		expect(JSON.stringify(failed.error)).not.toContain(FANSAPI_FAKE_VALUE);
		expect(seen()).toEqual(Array.from({ length: attempts }, () => GET(LINKS_PATH)));
		expect(h.liveState).toEqual({
			...savedState(stateOf(ACCT, [TWITTER, REDDIT])),
			failures: { [ACCT]: { since: expect.stringMatching(/^\d{4}-/), message: failed.error!.message } },
		});

		requests.length = 0;
		const twitter2 = grow(TWITTER, { subscriptions: 5 });
		list([twitter2, TIKTOK]);
		expect((await tick(h)).items).toEqual([
			{ event: 'increased', link: out(twitter2), changes: { subscriptions: { from: 4, to: 5, delta: 1 } }, detectedAt: 'AT' },
			{ event: 'created', link: out(TIKTOK), detectedAt: 'AT' },
			{ event: 'deleted', link: out(REDDIT), detectedAt: 'AT' },
		]);
		expect(seen()).toEqual([GET(LINKS_PATH)]);
		expect(h.liveState.failures).toBeUndefined();
	}, 30_000);

	test('a 429 asking for longer than a poll waits, then the key still paused: the words name what the trigger waits and what helps, no option it lacks', async () => {
		const h = harness();
		await activated(h, [TWITTER, REDDIT]);
		const advice = 'The next poll reads again; lower "Requests Per Minute" in the workflows that use this key, or poll less often.';
		list([429, { message: 'Too Many Attempts.' }, { 'Retry-After': '120' }]);
		const failed = await h.tick();
		expect([failed.error?.message, (failed.error as NodeApiError).description]).toEqual([
			'Fans API asked to wait 120 s before retrying, more than a poll of the Fansly Trigger waits (60 s) (HTTP 429)',
			`Other requests with this API key use its rate limit now. ${advice}`,
		]);
		// The provider refuses the key for 120 s: the next poll sends nothing and says so.
		requests.length = 0;
		const paused = await h.tick();
		expect(paused.error?.message).toMatch(
			/^Fans API asked to wait 1[12]\d s before the next request with this API key, more than a poll of the Fansly Trigger waits \(60 s\) \(HTTP 429\)$/,
		);
		expect((paused.error as NodeApiError).description).toBe(
			`Another request with this API key met the provider’s rate limit, and every request with the key waits as long as the provider asked. ${advice}`,
		);
		expect(seen()).toEqual([]);
	});

	test('a failed activation poll fails the activation, as n8n shows it', async () => {
		const h = harness();
		list([401, { message: 'Unauthenticated.' }]);
		await expect(h.activate()).rejects.toThrow(/^Fans API rejected the API key \(HTTP 401\)/);
		expect(h.liveState.accounts).toEqual({});
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
		expect(h.liveState).toEqual(savedState({ ...stateOf(ACCT, [TWITTER]), ...stateOf(ACCT2, [insta]) }));

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

	/** All Accounts activated with ACCT alone (Twitter bio), then ACCT2 connected, listing `second`. */
	async function secondConnected(second: IDataObject[]) {
		const h = harness({ accountScope: 'all' });
		accountsReply([ACCT]);
		list([TWITTER]);
		expect(await h.activate()).toEqual({});
		accountsReply([ACCT, ACCT2]);
		list([TWITTER]);
		list(second, LINKS_PATH2);
		expect(await tick(h)).toEqual({});
		return h;
	}

	test('a newly connected account gets a silent baseline; one no longer listed keeps its state', async () => {
		const h = await secondConnected([TIKTOK, REDDIT]);
		expect(h.liveState.accounts).toEqual({ ...stateOf(ACCT, [TWITTER]), ...stateOf(ACCT2, [TIKTOK, REDDIT]) });
		const seenAt = ((h.liveState.accounts as IDataObject)[ACCT] as IDataObject).seenAt;

		accountsReply([ACCT2]);
		list([TIKTOK, REDDIT], LINKS_PATH2);
		expect(await tick(h)).toEqual({});
		expect(h.liveState.accounts).toEqual({ ...missingStateOf(ACCT, [TWITTER]), ...stateOf(ACCT2, [TIKTOK, REDDIT]) });
		expect(((h.liveState.accounts as IDataObject)[ACCT] as IDataObject).seenAt).toBe(seenAt);
	});

	test('a newly connected account whose first read lists no link: its links listed next are its baseline, also after it went missing from the list', async () => {
		const h = await secondConnected([]);
		expect(h.liveState.accounts).toEqual({ ...stateOf(ACCT, [TWITTER]), [ACCT2]: { ...keptAccount([]), baseline: 'empty' } });

		// Left out of the list of accounts for a poll: kept as it was, still unconfirmed.
		accountsReply([ACCT]);
		list([TWITTER]);
		expect(await tick(h)).toEqual({});
		expect(h.liveState.accounts).toEqual({ ...stateOf(ACCT, [TWITTER]), [ACCT2]: { ...missingStateOf(ACCT2, [])[ACCT2], baseline: 'empty' } });

		const fyp2 = { ...FYP, id: '910000000000000000', accountId: FANSLY_ID2 };
		const insta = raw('910000000000000001', 'Instagram', '2026-01-01T00:00:00.000Z', { clicks: 7 }, FANSLY_ID2);
		accountsReply([ACCT, ACCT2]);
		list([TWITTER, TIKTOK]);
		list([fyp2, insta], LINKS_PATH2);
		expect((await tick(h)).items).toEqual([{ event: 'created', link: out(TIKTOK), detectedAt: 'AT' }]);
		expect(h.liveState.accounts).toEqual({ ...stateOf(ACCT, [TWITTER, TIKTOK]), ...stateOf(ACCT2, [fyp2, insta]) });

		accountsReply([ACCT, ACCT2]);
		list([TWITTER, TIKTOK]);
		list([fyp2, insta, REDDIT], LINKS_PATH2);
		expect((await tick(h)).items).toEqual([{ event: 'created', link: out(REDDIT, ACCT2), detectedAt: 'AT' }]);
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

	test('with only Counters Increased chosen, a newest link without counters yet is passed over for the newest that has them', async () => {
		const h = harness({ events: ['increased'], counters: ['subscriptions'] });
		const fresh = raw('900000000000000031', 'Fresh', '2026-07-01T00:00:00.000Z', UNKNOWN_COUNTERS);
		list([TWITTER, REDDIT, fresh]);
		const { items } = await h.fetchTestEvent();
		// A workflow after the trigger reads `{{ $json.changes.subscriptions.delta }}`.
		expect(items.map((i) => ({ ...i.json, detectedAt: 'AT' }))).toEqual([
			{ event: 'increased', link: out(REDDIT), changes: { subscriptions: { from: 1, to: 1, delta: 0 } }, detectedAt: 'AT' },
		]);
	});

	test('with only Counters Increased chosen, a newest link without a value for a watched counter is passed over, though it has the others', async () => {
		const h = harness({ events: ['increased'], counters: ['subscriptions'] });
		const partly = raw('900000000000000032', 'Partly counted', '2026-07-01T00:00:00.000Z', { subscriptions: null });
		list([TWITTER, REDDIT, partly]);
		const { items } = await h.fetchTestEvent();
		expect(items.map((i) => ({ ...i.json, detectedAt: 'AT' }))).toEqual([
			{ event: 'increased', link: out(REDDIT), changes: { subscriptions: { from: 1, to: 1, delta: 0 } }, detectedAt: 'AT' },
		]);
	});

	test('with only Link Deleted chosen, the sample is Link Deleted, without `changes`', async () => {
		const h = harness({ events: ['deleted'] });
		list([TWITTER, REDDIT]);
		const { items, error } = await h.fetchTestEvent();
		expect(error).toBeUndefined();
		// Strictly: a `changes` key, even undefined, would show in a Code node's Object.keys($json).
		expect(items.map((i) => ({ ...i.json, detectedAt: 'AT' }))).toStrictEqual([{ event: 'deleted', link: out(REDDIT), detectedAt: 'AT' }]);
	});

	test('with only Link Deleted chosen, the sample’s link is shaped as a real deleted link’s: metadata null, not the parsed metadata', async () => {
		const tagged = { ...raw('900000000000000021', 'Tagged', '2026-05-01T00:00:00.000Z'), metadata: '{"campaign":"spring"}' };
		const h = harness({ events: ['deleted'] });
		list([TWITTER, tagged]);
		const sample = await h.fetchTestEvent();
		expect(sample.error).toBeUndefined();

		// The same link really deleted, for comparison.
		await activated(h, [TWITTER, tagged]);
		list([TWITTER]);
		const real = await tick(h);
		expect(real).toEqual({ items: [{ event: 'deleted', link: out(tagged), detectedAt: 'AT' }] });
		expect(sample.items.map((i) => ({ ...i.json, detectedAt: 'AT' }))).toStrictEqual(real.items);
	});

	// Fans API may leave a link's creation date out; the sample is still the newest link it dates.
	const UNDATED = { ...raw('900000000000000011', 'Undated', ''), createdAt: null };
	const UNDATED2 = { ...raw('900000000000000012', 'Undated too', ''), createdAt: null };
	const TWITTER_TWIN = raw('900000000000000013', 'Twitter twin', TWITTER.createdAt as string);
	test.each([
		{ name: 'links without a creation date around a dated one: the dated one', links: [UNDATED, TWITTER, UNDATED2], sample: TWITTER },
		{ name: 'no link dated: the first listed', links: [UNDATED, UNDATED2], sample: UNDATED },
		{ name: 'two links created at the same moment: the first listed', links: [TWITTER, TWITTER_TWIN], sample: TWITTER },
	])('the sample is the most recently created link; $name', async ({ links, sample }) => {
		const h = harness();
		list(links);
		const { items, error } = await h.fetchTestEvent();
		expect(error).toBeUndefined();
		expect(items.map((i) => ({ ...i.json, detectedAt: 'AT' }))).toEqual([{ event: 'created', link: out(sample), detectedAt: 'AT' }]);
	});

	const accountsList = (ids: string[]) =>
		nock(FANSAPI_BASE)
			.get('/api/fansly/accounts')
			.reply(recordingReply(requests, 200, ids.map((id, i) => ({ id, display_name: `Creator ${i + 1}` }))));
	test.each([
		{ name: 'One Account, without links', extra: {}, arrange: () => list([]), where: `account "${ACCT}"` },
		{
			name: 'All Accounts, none with links',
			extra: { accountScope: 'all' },
			arrange: () => {
				accountsList([ACCT, ACCT2]);
				list([]);
				list([], LINKS_PATH2);
			},
			where: 'the accounts of this credential',
		},
		{ name: 'All Accounts, no account connected', extra: { accountScope: 'all' }, arrange: () => accountsList([]), where: 'the accounts of this credential' },
	])('$name: a clear error instead of an empty sample', async ({ extra, arrange, where }) => {
		const h = harness(extra);
		arrange();
		const { items, error } = await h.fetchTestEvent();
		expect(items).toEqual([]);
		expect(error?.message).toBe(`No tracking links on ${where} to build a test event from`);
		expect(error?.description).toBe(
			'Create a tracking link on the account (or choose another account), then fetch a test event again.',
		);
	});
});

describe('Fetch Test Event waits for the provider no longer than a person waits in the editor (5 s)', () => {
	const AGAIN = 'Fetch a test event again once that wait is over.';
	// A 429's wait is the key's (other requests may have used its rate); a 503's is the provider's.
	const RATE = `Other requests with this API key use its rate limit now. ${AGAIN}`;
	const accountsReply = (reply: Parameters<typeof recordingReply>) => nock(FANSAPI_BASE).get('/api/fansly/accounts').reply(recordingReply(...reply));
	/**
	 * Fetch Test Event, with the waits the transport asked for (every wait goes through
	 * systemClock.sleep): "not waited out" is no wait at all, whatever the machine's speed.
	 */
	async function fetchCountingWaits(h: PollHarness) {
		const waits: number[] = [];
		const realSleep = systemClock.sleep.bind(systemClock);
		const sleeping = jest.spyOn(systemClock, 'sleep').mockImplementation(async (ms, signal) => {
			waits.push(ms);
			return await realSleep(ms, signal);
		});
		try {
			return { ...(await h.fetchTestEvent()), waits };
		} finally {
			sleeping.mockRestore();
		}
	}

	test.each([
		{
			name: 'a 429 asking to wait 6 s',
			arrange: () => list([429, { message: 'Too Many Attempts.' }, { 'Retry-After': '6' }]),
			message: 'Fans API asked to wait 6 s before retrying, more than Fetch Test Event waits (5 s) (HTTP 429)',
			description: RATE,
			path: LINKS_PATH,
		},
		{
			name: 'a 429 asking to wait 30 s in the rate limit’s own header',
			arrange: () => list([429, { message: 'Too Many Attempts.' }, { 'X-RateLimit-Retry-After': '30' }]),
			message: 'Fans API asked to wait 30 s before retrying, more than Fetch Test Event waits (5 s) (HTTP 429)',
			description: RATE,
			path: LINKS_PATH,
		},
		{
			name: 'a 503 asking to wait 2 minutes',
			arrange: () => list([503, { message: 'Down for maintenance.' }, { 'Retry-After': '120' }]),
			message: 'Fans API asked to wait 120 s before retrying, more than Fetch Test Event waits (5 s) (HTTP 503)',
			description: undefined,
			path: LINKS_PATH,
		},
		{
			name: 'the list of accounts (All Accounts) answering 429, wait 10 s',
			extra: { accountScope: 'all' },
			arrange: () => accountsReply([requests, 429, { message: 'Too Many Attempts.' }, { 'Retry-After': '10' }]),
			message: 'Fans API asked to wait 10 s before retrying, more than Fetch Test Event waits (5 s) (HTTP 429)',
			description: RATE,
			path: '/api/fansly/accounts',
		},
	])('$name: not waited out; the error says how long the provider asks to wait', async ({ extra, arrange, message, description, path }) => {
		const h = harness(extra);
		arrange();
		const { items, error, waits } = await fetchCountingWaits(h);
		expect(waits).toEqual([]);
		expect(items).toEqual([]);
		expect([error?.message, error?.description, (error as NodeApiError | undefined)?.httpCode]).toEqual([message, description, message.slice(-4, -1)]);
		expect(seen()).toEqual([GET(path)]);
		expect(h.state).toEqual({});
	});

	test('the provider reports no request left this minute: no wait for its window to renew, the error says when it frees one', async () => {
		const h = harness({ accountScope: 'all', account: { __rl: true, mode: 'list', value: '' } });
		accountsReply([requests, 200, [{ id: ACCT, display_name: ACCT }], { 'x-rate-limit-limit-minute': '5000', 'x-rate-limit-remaining-minute': '0' }]);
		const { items, error, waits } = await fetchCountingWaits(h);
		expect(waits).toEqual([]);
		expect(items).toEqual([]);
		// The window is 61 s (a second for the provider's clock), counted from the list of accounts.
		expect(error?.message).toMatch(/^Fans API: the rate limit of this API key frees its next request in (61|60) s, more than Fetch Test Event waits \(5 s\)$/);
		expect(error?.description).toBe(`Other requests with this API key use its rate limit now, or the provider reported none left this minute. ${AGAIN}`);
		expect(seen()).toEqual([GET('/api/fansly/accounts')]);
	});

	test('the key paused by a longer wait: nothing is sent, the error says how long is left and to fetch again after it', async () => {
		const h = harness();
		list([429, { message: 'Too Many Attempts.' }, { 'Retry-After': '30' }]);
		expect((await h.fetchTestEvent()).error?.message).toBe('Fans API asked to wait 30 s before retrying, more than Fetch Test Event waits (5 s) (HTTP 429)');
		requests.length = 0;
		const { error, waits } = await fetchCountingWaits(h);
		expect(waits).toEqual([]);
		expect(error?.message).toMatch(/^Fans API asked to wait (30|2\d) s before the next request with this API key, more than Fetch Test Event waits \(5 s\) \(HTTP 429\)$/);
		expect(error?.description).toBe(
			`Another request with this API key met the provider’s rate limit, and every request with the key waits as long as the provider asked. ${AGAIN}`,
		);
		expect(seen()).toEqual([]);
	});

	test('a wait of up to 5 s is waited out, and the request sent again', async () => {
		const h = harness();
		list([429, { message: 'Too Many Attempts.' }, { 'Retry-After': '1' }]);
		list([TWITTER, REDDIT]);
		const { items, error, waits } = await fetchCountingWaits(h);
		expect(error).toBeUndefined();
		expect(waits).toEqual([1000]);
		expect(items.map((i) => ({ ...i.json, detectedAt: 'AT' }))).toEqual([{ event: 'created', link: out(REDDIT), detectedAt: 'AT' }]);
		expect(seen()).toEqual([GET(LINKS_PATH), GET(LINKS_PATH)]);
	});
});

describe('numbers as a person reads them', () => {
	test('decimal deltas are exact, and a change of exactly the Minimum Increase counts', async () => {
		const h = harness({ counters: ['revenue'] });
		const link = grow(TWITTER, { totalNet: 3.35, totalGross: 10.1 });
		await activated(h, [link]);
		// 4.35 − 3.35 is 0.9999999999999996 in floating point (below 1), 17.1 − 10.1 is 7.000000000000002.
		const grown = grow(link, { totalNet: 4.35, totalGross: 17.1 });
		list([grown]);
		expect((await tick(h)).items).toEqual([
			{
				event: 'increased',
				link: out(grown),
				changes: { totalNet: { from: 3.35, to: 4.35, delta: 1 }, totalGross: { from: 10.1, to: 17.1, delta: 7 } },
				detectedAt: 'AT',
			},
		]);
	});

	test.each([
		// 4.37 − 3.35 is 1.0200000000000005 in floating point.
		['two decimals on each side', 3.35, 4.37, 1.02],
		// 5 − 3.35 is 1.6499999999999999: the decimals of the side that has them count.
		['decimals on one side only', 3.35, 5, 1.65],
		// JavaScript writes 0.00000015 as 1.5e-7: its decimals are read from the exponent.
		['an amount written with an exponent', 1.5e-7, 2, 1.99999985],
		// Scaled to whole numbers, 123456789012345.67 is beyond 2^53: subtracted as it is.
		['an amount too precise to scale to whole numbers', 1.5, 123456789012345.67, 123456789012344.17],
	])('revenue delta, %s: from %p to %p is %p', async (_, from, to, delta) => {
		const h = harness({ counters: ['revenue'] });
		const link = grow(TWITTER, { totalNet: from, totalGross: 0 });
		await activated(h, [link]);
		const grown = grow(link, { totalNet: to });
		list([grown]);
		expect((await tick(h)).items).toEqual([
			{ event: 'increased', link: out(grown), changes: { totalNet: { from, to, delta } }, detectedAt: 'AT' },
		]);
	});

	test('growth in decimal steps adds up exactly to the minimum', async () => {
		const h = harness({ counters: ['revenue'], minimumIncrease: 1 });
		const link = grow(TWITTER, { totalNet: 3.35, totalGross: 0 });
		await activated(h, [link]);
		for (const step of [3.75, 4.05, 4.3]) {
			list([grow(link, { totalNet: step })]);
			expect(await tick(h)).toEqual({});
		}
		const reached = grow(link, { totalNet: 4.35 });
		list([reached]);
		expect((await tick(h)).items).toEqual([
			{ event: 'increased', link: out(reached), changes: { totalNet: { from: 3.35, to: 4.35, delta: 1 } }, detectedAt: 'AT' },
		]);
	});
});

describe('one event per link and change', () => {
	test('a link listed twice in one answer is created, grows and is deleted once', async () => {
		const h = harness();
		await activated(h, [TWITTER]);
		list([TWITTER, TIKTOK, TIKTOK]);
		expect((await tick(h)).items).toEqual([{ event: 'created', link: out(TIKTOK), detectedAt: 'AT' }]);
		const t = grow(TWITTER, { clicks: 121 });
		list([t, TIKTOK, t]);
		expect((await tick(h)).items).toEqual([
			{ event: 'increased', link: out(t), changes: { clicks: { from: 120, to: 121, delta: 1 } }, detectedAt: 'AT' },
		]);
		list([t]);
		expect((await tick(h)).items).toEqual([{ event: 'deleted', link: out(TIKTOK), detectedAt: 'AT' }]);
	});

	test('a link listed twice with different counters, the copies in alternating order: its growth once', async () => {
		const h = harness();
		await activated(h, [TWITTER]);
		const grown = grow(TWITTER, { clicks: 130 });
		list([TWITTER, grown]);
		const once = await tick(h);
		expect(once.items).toEqual([
			{ event: 'increased', link: out(grown), changes: { clicks: { from: 120, to: 130, delta: 10 } }, detectedAt: 'AT' },
		]);
		for (const copies of [[grown, TWITTER], [TWITTER, grown], [grown, TWITTER]]) {
			list(copies);
			expect(await tick(h)).toEqual({});
		}
	});

	test('a stale copy listed after the fresh one hides no growth', async () => {
		const h = harness();
		await activated(h, [TWITTER]);
		const grown = grow(TWITTER, { clicks: 130 });
		list([grown, TWITTER]);
		expect((await tick(h)).items).toEqual([
			{ event: 'increased', link: out(grown), changes: { clicks: { from: 120, to: 130, delta: 10 } }, detectedAt: 'AT' },
		]);
		const more = grow(TWITTER, { clicks: 140 });
		list([more, TWITTER]);
		expect((await tick(h)).items).toEqual([
			{ event: 'increased', link: out(more), changes: { clicks: { from: 130, to: 140, delta: 10 } }, detectedAt: 'AT' },
		]);
	});
});

describe('an answer that lists no link, where there were links', () => {
	test('once (a hiccup): nothing is reported deleted, and nothing is lost when the links come back', async () => {
		const h = harness();
		await activated(h, [TWITTER, REDDIT]);
		list([]);
		expect(await tick(h)).toEqual({});
		const grown = grow(TWITTER, { clicks: 121 });
		list([grown, REDDIT]);
		expect((await tick(h)).items).toEqual([
			{ event: 'increased', link: out(grown), changes: { clicks: { from: 120, to: 121, delta: 1 } }, detectedAt: 'AT' },
		]);
	});

	test('again and again: it changes nothing, and proves nothing (the first read that lists links is compared with what was kept)', async () => {
		const h = harness();
		await activated(h, [TWITTER, REDDIT]);
		for (let i = 0; i < 3; i++) {
			list([]);
			expect(await tick(h)).toEqual({});
			expect(h.liveState.accounts).toEqual(stateOf(ACCT, [TWITTER, REDDIT]));
		}
		list([TWITTER]);
		expect((await tick(h)).items).toEqual([{ event: 'deleted', link: out(REDDIT), detectedAt: 'AT' }]);
	});
});

/** The next list read comes in two pages. */
function twoPages(first: IDataObject[], second: IDataObject[]) {
	list([200, { data: first, _pagination: { next_page: `https://api.fansapi.com${LINKS_PATH}?offset=1&limit=1` }, _meta: META }]);
	nock(FANSAPI_BASE)
		.get(LINKS_PATH)
		.query({ offset: '1', limit: '1' })
		.reply(recordingReply(requests, 200, { data: second, _pagination: { next_page: null }, _meta: META }));
}

describe.each<Persistence>(PERSISTENCES)('answers that list none, and lists read in pages, as n8n saves the state (%s)', (persistence) => {
	/** Durable: n8n keeps nothing of the activation poll, so the first tick records the baseline. */
	async function baseline(h: PollHarness, links: IDataObject[]) {
		await activated(h, links);
		if (persistence === 'durable') {
			list(links);
			expect(await tick(h)).toEqual({});
		}
	}

	test('a link missing from a read in pages, then an answer that lists none: neither confirms the other, nothing is deleted', async () => {
		const h = harness({}, persistence);
		await baseline(h, [TWITTER, REDDIT, TIKTOK]);
		twoPages([TWITTER], [TIKTOK]); // Reddit moved between the pages
		expect(await tick(h)).toEqual({});
		list([]);
		expect(await tick(h)).toEqual({});
		list([TWITTER, REDDIT, TIKTOK]);
		expect(await tick(h)).toEqual({});
	});

	test('an answer that lists none, then a link missing from a read in pages: nothing is deleted', async () => {
		const h = harness({}, persistence);
		await baseline(h, [TWITTER, REDDIT, TIKTOK]);
		list([]);
		expect(await tick(h)).toEqual({});
		twoPages([TWITTER], [TIKTOK]);
		expect(await tick(h)).toEqual({});
		list([TWITTER, REDDIT, TIKTOK]);
		expect(await tick(h)).toEqual({});
	});

	test('a baseline read in pages that a link moved between: the next read lists it, and it joins the baseline silently', async () => {
		const h = harness({}, persistence);
		twoPages([TWITTER], [TIKTOK]);
		expect(await h.activate()).toEqual({});
		if (persistence === 'durable') {
			twoPages([TWITTER], [TIKTOK]);
			expect(await tick(h)).toEqual({});
		}
		list([TWITTER, REDDIT, TIKTOK]);
		expect(await tick(h)).toEqual({});
		expect(h.liveState.accounts).toEqual(stateOf(ACCT, [TWITTER, REDDIT, TIKTOK]));
		// One read of grace: from then on a new link is created.
		const fresh = raw('900000000000000009', 'Threads', '2026-06-01T00:00:00.000Z');
		list([TWITTER, REDDIT, TIKTOK, fresh]);
		expect(await tick(h)).toEqual({ items: [{ event: 'created', link: out(fresh), detectedAt: 'AT' }] });
	});
});

describe('a list answer that is not the whole list', () => {
	test('an answer that says more exists, without a next page: a clear error, nothing taken for deleted', async () => {
		const h = harness();
		await activated(h, [TWITTER, REDDIT, TIKTOK]);
		list([200, { data: [TWITTER], _pagination: { has_more: true }, _meta: META }]);
		const failed = await h.tick();
		expect(failed.items).toBeUndefined();
		expect(failed.error).toBeInstanceOf(NodeApiError);
		expect(failed.error!.message).toBe(
			`Unexpected response from Fans API for the tracking links of account "${ACCT}": only part of the list came back: the answer says more links exist (_pagination.has_more is true) but gives no next page to read`,
		);
		expect(h.liveState.accounts).toEqual(stateOf(ACCT, [TWITTER, REDDIT, TIKTOK]));

		const t = grow(TWITTER, { clicks: 121 });
		list([t, REDDIT, TIKTOK]);
		expect((await tick(h)).items).toEqual([
			{ event: 'increased', link: out(t), changes: { clicks: { from: 120, to: 121, delta: 1 } }, detectedAt: 'AT' },
		]);
	});

	test('a list read in pages: every page is read; a link missing from it is deleted only when the next read agrees', async () => {
		const h = harness();
		await activated(h, [TWITTER, REDDIT, TIKTOK]);
		// Reddit moved between the pages while they were read: missing, but not deleted.
		twoPages([TWITTER], [TIKTOK]);
		expect(await tick(h)).toEqual({});
		expect(seen()).toEqual([GET(LINKS_PATH), { ...GET(LINKS_PATH), search: '?offset=1&limit=1' }]);
		list([TWITTER, REDDIT, TIKTOK]);
		expect(await tick(h)).toEqual({});

		// Missing from two reads in a row: deleted, once.
		twoPages([TWITTER], [TIKTOK]);
		expect(await tick(h)).toEqual({});
		twoPages([TWITTER], [TIKTOK]);
		expect((await tick(h)).items).toEqual([{ event: 'deleted', link: out(REDDIT), detectedAt: 'AT' }]);
		list([TWITTER, TIKTOK]);
		expect(await tick(h)).toEqual({});
	});
});

describe.each<Persistence>(PERSISTENCES)('a baseline not whole yet is marked `baseline` in the saved state (%s)', (persistence) => {
	/** The trigger after n8n loads this saved state (an update of the package, or a restart). */
	function loaded(account: IDataObject): PollHarness {
		const h = harness({}, persistence);
		h.saved = { 'node:Fansly Trigger': { version: 2, revision: 7, accounts: { [ACCT]: { seenAt: '2026-05-01T00:00:00.000Z', ...account } } } };
		h.restart();
		return h;
	}

	/** A new trigger whose baseline is read in pages (durable: n8n keeps nothing of the activation poll, so a first tick records it). */
	async function pagedBaseline(): Promise<PollHarness> {
		const h = harness({}, persistence);
		twoPages([TWITTER], [TIKTOK]);
		expect(await h.activate()).toEqual({});
		if (persistence === 'durable') {
			twoPages([TWITTER], [TIKTOK]);
			expect(await h.tick()).toEqual({});
		}
		return h;
	}

	test('a baseline read in pages is saved marked "paged"; the read that completes it drops the mark', async () => {
		const h = await pagedBaseline();
		expect(h.state).toEqual(savedState({ [ACCT]: { ...keptAccount([TWITTER, TIKTOK]), baseline: 'paged' } }));
		expect(h.liveState).toEqual(savedState({ [ACCT]: { ...keptAccount([TWITTER, TIKTOK]), baseline: 'paged' } }));
		list([TWITTER, REDDIT, TIKTOK]);
		expect(await h.tick()).toEqual({});
		expect(h.liveState).toEqual(savedState(stateOf(ACCT, [TWITTER, REDDIT, TIKTOK])));
	});

	test('an account whose read fails keeps its mark: the read after a failed one still completes a baseline read in pages, silently', async () => {
		const h = await pagedBaseline();
		list([403, { message: 'Forbidden.' }]);
		expect((await h.tick()).error?.message).toBe(`Fans API refused access to account "${ACCT}" (HTTP 403): Forbidden.`);
		// classic keeps the failed poll's state in memory, with its failure; durable throws it away.
		expect((h.liveState.accounts as IDataObject)[ACCT]).toEqual({ ...keptAccount([TWITTER, TIKTOK]), baseline: 'paged' });
		list([TWITTER, REDDIT, TIKTOK]);
		expect(await h.tick()).toEqual({});
		list([TWITTER, REDDIT, TIKTOK, FYP]);
		expect((await tick(h)).items).toEqual([{ event: 'created', link: out(FYP), detectedAt: 'AT' }]);
	});

	test('saved by an earlier build, an empty baseline marked `unconfirmed: [""]` is read as "empty", and saved as it: the links listed next are the baseline, silently', async () => {
		const h = loaded({ links: {}, unconfirmed: [''] });
		list([]);
		expect(await h.tick()).toEqual({});
		expect(h.liveState).toEqual(savedState({ [ACCT]: { ...keptAccount([]), baseline: 'empty' } }));
		list([FYP, TWITTER]);
		expect(await h.tick()).toEqual({});
		expect(h.liveState).toEqual(savedState(stateOf(ACCT, [FYP, TWITTER])));
		list([FYP, TWITTER, TIKTOK]);
		expect((await tick(h)).items).toEqual([{ event: 'created', link: out(TIKTOK), detectedAt: 'AT' }]);
	});

	test('saved by an earlier build, a baseline read in pages marked `unconfirmed: [" "]` is read as "paged": a link that moved between the pages joins it silently', async () => {
		const h = loaded({ links: { [TWITTER.id as string]: keptLink(TWITTER), [TIKTOK.id as string]: keptLink(TIKTOK) }, unconfirmed: [' '] });
		list([TWITTER, REDDIT, TIKTOK]);
		expect(await h.tick()).toEqual({});
		expect(h.liveState).toEqual(savedState(stateOf(ACCT, [TWITTER, REDDIT, TIKTOK])));
		list([TWITTER, REDDIT, TIKTOK, FYP]);
		expect((await tick(h)).items).toEqual([{ event: 'created', link: out(FYP), detectedAt: 'AT' }]);
	});

	test('saved by an earlier build, a baseline read in pages that then failed is still read as "paged", and saved as it', async () => {
		const h = loaded({ links: { [TWITTER.id as string]: keptLink(TWITTER), [TIKTOK.id as string]: keptLink(TIKTOK) }, unconfirmed: [' '] });
		list([403, { message: 'Forbidden.' }]);
		expect((await h.tick()).error?.message).toBe(`Fans API refused access to account "${ACCT}" (HTTP 403): Forbidden.`);
		if (persistence === 'classic') expect((h.liveState.accounts as IDataObject)[ACCT]).toEqual({ ...keptAccount([TWITTER, TIKTOK]), baseline: 'paged' });
		list([TWITTER, REDDIT, TIKTOK]);
		expect(await h.tick()).toEqual({});
		expect(h.liveState.accounts).toEqual(stateOf(ACCT, [TWITTER, REDDIT, TIKTOK]));
	});

	test('a link id still unconfirmed in a state of an earlier build stays unconfirmed: the next read in pages that misses it confirms its deletion', async () => {
		const h = loaded({
			links: { [TWITTER.id as string]: keptLink(TWITTER), [REDDIT.id as string]: keptLink(REDDIT), [TIKTOK.id as string]: keptLink(TIKTOK) },
			unconfirmed: [REDDIT.id as string],
		});
		twoPages([TWITTER], [TIKTOK]);
		expect((await tick(h)).items).toEqual([{ event: 'deleted', link: out(REDDIT), detectedAt: 'AT' }]);
		expect(h.liveState.accounts).toEqual(stateOf(ACCT, [TWITTER, TIKTOK]));
	});

	test('a saved mark the trigger does not know makes the state unreadable: a new baseline, not a flood', async () => {
		const h = loaded({ links: { [TWITTER.id as string]: keptLink(TWITTER) }, baseline: 'partial' });
		list([TWITTER, TIKTOK]);
		expect(await h.tick()).toEqual({});
		expect(h.liveState.accounts).toEqual(stateOf(ACCT, [TWITTER, TIKTOK]));
	});
});

describe('a state saved by the previous version (version 1: counters only)', () => {
	test('is kept: no new baseline, no event twice; names are learned at the first read', async () => {
		const h = harness();
		h.saved = {
			'node:Fansly Trigger': { version: 1, accounts: { [ACCT]: { [TWITTER.id as string]: counters(TWITTER), [REDDIT.id as string]: counters(REDDIT) } } },
		};
		h.restart();
		const t = grow(TWITTER, { subscriptions: 5 });
		list([t, REDDIT, TIKTOK]);
		expect((await tick(h)).items).toEqual([
			{ event: 'increased', link: out(t), changes: { subscriptions: { from: 4, to: 5, delta: 1 } }, detectedAt: 'AT' },
			{ event: 'created', link: out(TIKTOK), detectedAt: 'AT' },
		]);
		expect(h.state).toEqual(savedState(stateOf(ACCT, [t, REDDIT, TIKTOK])));

		list([t, TIKTOK]);
		expect((await tick(h)).items).toEqual([{ event: 'deleted', link: out(REDDIT), detectedAt: 'AT' }]);
	});

	test('a link deleted right after the update is reported with what version 1 kept', async () => {
		const h = harness();
		h.saved = { 'node:Fansly Trigger': { version: 1, accounts: { [ACCT]: { [TWITTER.id as string]: counters(TWITTER), [REDDIT.id as string]: counters(REDDIT) } } } };
		h.restart();
		list([TWITTER]);
		expect((await tick(h)).items).toEqual([
			{
				event: 'deleted',
				link: { ...out(REDDIT), fanslyAccountId: null, label: null, description: null, type: null, status: null, createdAt: null },
				detectedAt: 'AT',
			},
		]);
	});
});

describe('the state stays small', () => {
	test('per link: about 120 bytes plus its label and description; deleted links are dropped', async () => {
		const h = harness();
		// Large counters, long ids: the most a link takes, apart from its texts.
		const many = Array.from({ length: 50 }, (_, i) =>
			raw(`92000000000000${String(i).padStart(4, '0')}`, `Campaign ${i} ${'x'.repeat(i % 20)}`, '2026-01-01T00:00:00.000Z', {
				clicks: 999_999,
				claims: 99_999,
				follows: 99_999,
				subscriptions: 99_999,
				totalNet: 99_999_999,
				totalGross: 99_999_999,
			}),
		);
		await activated(h, many);
		const state = h.liveState;
		expect(Object.keys(state).sort()).toEqual(['accounts', 'revision', 'version']);
		const links = ((state.accounts as IDataObject)[ACCT] as IDataObject).links as IDataObject;
		expect(Object.keys(links)).toHaveLength(50);
		for (const link of many) {
			const bytes = JSON.stringify({ [link.id as string]: links[link.id as string] }).length - 1; // the comma between entries instead of braces
			const texts = (link.label as string).length + (link.description as string).length;
			expect(bytes - texts).toBeLessThanOrEqual(120);
		}

		list(many.slice(0, 3));
		const { items } = await tick(h);
		expect(items).toHaveLength(47);
		expect(Object.keys(((h.liveState.accounts as IDataObject)[ACCT] as IDataObject).links as IDataObject)).toEqual(many.slice(0, 3).map((l) => l.id));
	});

	test('an account without links in a state saved before an empty baseline was marked unconfirmed stays a baseline: its first link is created', async () => {
		const h = harness();
		h.saved = { 'node:Fansly Trigger': { version: 2, revision: 3, accounts: { [ACCT]: { seenAt: '2026-05-01T00:00:00.000Z', links: {} } } } };
		h.restart();
		list([TIKTOK]);
		expect((await tick(h)).items).toEqual([{ event: 'created', link: out(TIKTOK), detectedAt: 'AT' }]);
	});

	test('a saved link with more fields than the state has (two reference lists) makes the state unreadable: a new baseline, not a flood', async () => {
		const h = harness();
		h.saved = {
			'node:Fansly Trigger': {
				version: 2,
				revision: 3,
				accounts: {
					[ACCT]: {
						seenAt: '2026-05-01T00:00:00.000Z',
						links: { [TWITTER.id as string]: [...keptLink(TWITTER, counters(TWITTER)), counters(TWITTER)], [REDDIT.id as string]: keptLink(REDDIT) },
					},
				},
			},
		};
		h.restart();
		list([TWITTER, TIKTOK]);
		expect(await h.tick()).toEqual({});
		expect(h.liveState.accounts).toEqual(stateOf(ACCT, [TWITTER, TIKTOK]));
	});

	test('an account kept by version 1 and failing at the first poll after the update keeps its links, with nothing unconfirmed', async () => {
		const h = harness();
		h.saved = { 'node:Fansly Trigger': { version: 1, accounts: { [ACCT]: { [TWITTER.id as string]: counters(TWITTER) } } } };
		h.restart();
		list([403, { message: 'Forbidden.' }]);
		expect((await h.tick()).error?.message).toBe(`Fans API refused access to account "${ACCT}" (HTTP 403): Forbidden.`);
		expect((h.liveState.accounts as IDataObject)[ACCT]).toEqual({
			seenAt: expect.stringMatching(/^\d{4}-\d\d-\d\dT/),
			links: { [TWITTER.id as string]: [...counters(TWITTER), null, null, null, null, null, null] },
		});
	});

	test.each([1e16, -1e16])('a saved creation time no Date can hold (%p, edited by hand) makes the state unreadable: a new baseline, not a poll that fails forever', async (createdAt) => {
		const h = harness();
		const stored = keptLink(TWITTER);
		// Six counters, label, description, type, status, then the creation time.
		stored[10] = createdAt;
		h.saved = { 'node:Fansly Trigger': { version: 2, revision: 3, accounts: { [ACCT]: { seenAt: '2026-05-01T00:00:00.000Z', links: { [TWITTER.id as string]: stored } } } } };
		h.restart();
		list([TWITTER, TIKTOK]);
		expect(await h.tick()).toEqual({});
		expect(h.liveState.accounts).toEqual(stateOf(ACCT, [TWITTER, TIKTOK]));
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

describe('an id that JavaScript objects treat as special ("__proto__")', () => {
	const PROTO = raw('__proto__', 'Proto', '2026-05-01T12:00:00.000Z');
	const PROTO_ACCOUNT = '__proto__';
	const PROTO_PATH = `/api/fansly/${PROTO_ACCOUNT}/tracking-links`;

	afterEach(() => {
		jest.useRealTimers();
	});

	test('a link with that id is created once, then kept like any other, also through n8n’s database', async () => {
		const h = harness();
		await activated(h, [TWITTER]);
		list([TWITTER, PROTO]);
		expect(await tick(h)).toEqual({ items: [{ event: 'created', link: out(PROTO), detectedAt: 'AT' }] });
		list([TWITTER, PROTO]);
		expect(await tick(h)).toEqual({});

		// n8n reloads the state it saved with the `created` event.
		h.restart();
		list([TWITTER]);
		expect(await tick(h)).toEqual({ items: [{ event: 'deleted', link: out(PROTO), detectedAt: 'AT' }] });
		expect(seen()).toEqual([GET(LINKS_PATH), GET(LINKS_PATH), GET(LINKS_PATH)]);
	});

	test('an account with that id keeps its baseline, and its failure keeps the time it started', async () => {
		const start = Date.parse('2026-06-01T10:00:00.000Z');
		clockAt(start);
		const h = harness({ account: { __rl: true, mode: 'id', value: PROTO_ACCOUNT } });
		list([TWITTER], PROTO_PATH);
		expect(await h.activate()).toEqual({});
		list([TWITTER, TIKTOK], PROTO_PATH);
		expect(await tick(h)).toEqual({ items: [{ event: 'created', link: out(TIKTOK, PROTO_ACCOUNT), detectedAt: 'AT' }] });

		const refused = `Fans API refused access to account "${PROTO_ACCOUNT}" (HTTP 403): Forbidden.`;
		for (const minute of [1, 2]) {
			jest.setSystemTime(start + minute * 60_000);
			list([403, { message: 'Forbidden.' }], PROTO_PATH);
			expect((await h.tick()).error?.message).toBe(refused);
		}
		expect(h.liveState.failures).toEqual({ [PROTO_ACCOUNT]: { since: new Date(start + 60_000).toISOString(), message: refused } });
		expect(seen()).toEqual(Array.from({ length: 4 }, () => GET(PROTO_PATH)));
	});
});

describe('bad input: a clear error before any request', () => {
	const ACCOUNT_HELP = 'Pick an account from the list, enter its ID, or set "Accounts to Watch" to "All Accounts".';
	const EVENT_VALUES = 'Possible values: created, deleted, increased.';
	const COUNTER_VALUES = 'Possible values: clicks, claims, follows, subscriptions, revenue.';
	test.each([
		[{ account: { __rl: true, mode: 'list', value: '' } }, '"Account" is empty: choose the account to watch', ACCOUNT_HELP],
		[{ account: { __rl: true, mode: 'id', value: '   ' } }, '"Account" is empty: choose the account to watch', ACCOUNT_HELP],
		// Workflows written by hand (or by an older version) can hold what the editor never offers.
		[{ accountScope: 'some' }, '"Accounts to Watch" must be "one" or "all", not "some"', undefined],
		[{ events: [] }, '"Trigger On" is empty: choose at least one', EVENT_VALUES],
		[{ events: 'created' }, '"Trigger On" is empty: choose at least one', EVENT_VALUES],
		[{ events: ['created', 'renamed'] }, '"Trigger On" has an unknown value: "renamed"', EVENT_VALUES],
		[{ counters: [] }, '"Counters" is empty: choose at least one', COUNTER_VALUES],
		[{ counters: ['views'] }, '"Counters" has an unknown value: "views"', COUNTER_VALUES],
		[{ counters: ['clicks', 5] }, '"Counters" has an unknown value: 5', COUNTER_VALUES],
		[{ counters: ['views', 'clicks', null, 'likes'] }, '"Counters" has unknown values: "views", null, "likes"', COUNTER_VALUES],
		[{ minimumIncrease: 0 }, '"Minimum Increase" must be a number of at least 1, not 0', undefined],
		[{ minimumIncrease: 'lots' }, '"Minimum Increase" must be a number of at least 1, not "lots"', undefined],
		[{ minimumIncrease: '  ' }, '"Minimum Increase" must be a number of at least 1, not "  "', undefined],
		[{ minimumIncrease: '0x2' }, '"Minimum Increase" must be a number of at least 1, not "0x2"', undefined],
		// A workflow written by hand without the Account: n8n gives the parameter's default.
		[{ account: undefined }, '"Account" is empty: choose the account to watch', ACCOUNT_HELP],
	] as Array<[INodeParameters, string, string | undefined]>)('%j → %s', async (extra, message, description) => {
		const h = harness(extra);
		const error = await h.activate().then(
			() => undefined,
			(e: unknown) => e,
		);
		expect(error).toBeInstanceOf(NodeOperationError);
		expect((error as Error).message).toBe(message);
		expect((error as NodeOperationError).description ?? undefined).toBe(description);
		expect(requests).toEqual([]);
	});

	test('Counters and Minimum Increase are not read when Counters Increased is not chosen (they keep whatever they held)', async () => {
		const h = harness({ events: ['created'], counters: [], minimumIncrease: 0 });
		await activated(h, [TWITTER]);
		list([grow(TWITTER, { clicks: 500 }), TIKTOK]);
		expect(await tick(h)).toEqual({ items: [{ event: 'created', link: out(TIKTOK), detectedAt: 'AT' }] });
	});

	test('an account id with spaces around it is watched trimmed; a Minimum Increase given as text is read as its number', async () => {
		const h = harness({ account: { __rl: true, mode: 'id', value: `  ${ACCT}  ` }, minimumIncrease: ' 2 ', counters: ['clicks'] });
		await activated(h, [TWITTER]);
		list([grow(TWITTER, { clicks: 121 })]); // +1: below the minimum of 2
		expect(await tick(h)).toEqual({});
		const t = grow(TWITTER, { clicks: 122 });
		list([t]);
		expect((await tick(h)).items).toEqual([
			{ event: 'increased', link: out(t), changes: { clicks: { from: 120, to: 122, delta: 2 } }, detectedAt: 'AT' },
		]);
		expect(seen()).toEqual([GET(LINKS_PATH), GET(LINKS_PATH)]);
	});
});

describe.each<Persistence>(PERSISTENCES)('as n8n saves the state (%s)', (persistence) => {
	test('baseline, then each change once; the saved state follows every poll that emitted', async () => {
		const h = harness({}, persistence);
		list([TWITTER, REDDIT]);
		expect(await h.activate()).toEqual({});
		const baseline = savedState(stateOf(ACCT, [TWITTER, REDDIT]));
		// classic: n8n saves the static data after the activation; durable: the activation
		// poll's cursor is not committed.
		expect(h.writes).toBe(persistence === 'durable' ? 0 : 1);
		expect(h.state).toEqual(persistence === 'durable' ? {} : baseline);

		// classic: the baseline lives on in memory; durable: the first tick records it again and
		// commits it.
		list([TWITTER, REDDIT]);
		expect(await h.tick()).toEqual({});
		expect(h.liveState).toEqual(baseline);
		expect(h.state).toEqual(baseline);

		const t = grow(TWITTER, { subscriptions: 5 });
		list([t, REDDIT]);
		expect((await tick(h)).items).toEqual([
			{ event: 'increased', link: out(t), changes: { subscriptions: { from: 4, to: 5, delta: 1 } }, detectedAt: 'AT' },
		]);
		expect(h.state).toEqual(savedState(stateOf(ACCT, [t, REDDIT])));

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

	test('a first read that lists no link stays unconfirmed through a restart and a failed poll: the links listed next are the baseline, never a flood', async () => {
		const h = harness({}, persistence);
		list([]);
		expect(await h.activate()).toEqual({});
		// durable: the activation's cursor is not committed; the first tick reads the account again.
		if (persistence === 'durable') {
			list([]);
			expect(await h.tick()).toEqual({});
		}
		const unconfirmed = savedState({ [ACCT]: { ...keptAccount([]), baseline: 'empty' } });
		expect(h.state).toEqual(unconfirmed);

		h.restart();
		list([403, { message: 'Forbidden.' }]);
		expect((await h.tick()).error?.message).toBe(`Fans API refused access to account "${ACCT}" (HTTP 403): Forbidden.`);
		// classic keeps the failed poll's state in memory (with the failure); durable throws it away.
		expect((h.liveState.accounts as IDataObject)[ACCT]).toEqual(unconfirmed.accounts[ACCT]);

		list([TWITTER, FYP]);
		expect(await h.tick()).toEqual({});
		expect(h.liveState.accounts).toEqual(stateOf(ACCT, [TWITTER, FYP]));
		list([TWITTER, FYP, TIKTOK]);
		expect((await tick(h)).items).toEqual([{ event: 'created', link: out(TIKTOK), detectedAt: 'AT' }]);
	});

	test('a restart right after activation: the baseline saved at activation (classic), or a new one (durable), never a flood', async () => {
		const h = harness({}, persistence);
		await activated(h, [TWITTER]);
		h.restart();
		list([TWITTER, TIKTOK]);
		const outcome = await tick(h);
		// classic: n8n saved the activation's baseline, so TikTok is new to it; durable: nothing
		// was committed, so this poll is the baseline.
		expect(outcome).toEqual(persistence === 'durable' ? {} : { items: [{ event: 'created', link: out(TIKTOK), detectedAt: 'AT' }] });
		list([TWITTER, TIKTOK]);
		expect(await h.tick()).toEqual({});
	});
});
