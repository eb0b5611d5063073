/**
 * The Fansly Trigger watching All Accounts while one account cannot be read, and while the
 * provider leaves an account out of its list of accounts. Run the way an active n8n workflow
 * runs it (test/helpers/poll.ts), with nock answering for Fans API.
 */
import type { IDataObject } from 'n8n-workflow';
import { NodeApiError, NodeOperationError } from 'n8n-workflow';
import nock from 'nock';

import { rateBudgets } from '../nodes/Fansly/transport/budget';
import * as retry from '../nodes/Fansly/transport/retry';
import { accountsFailure, triggersWithRecordedFailures } from '../nodes/Fansly/trigger/report';
import { FANSAPI_BASE, FANSAPI_FAKE_VALUE, META } from './fixtures/fansApi';
import { recordingReply } from './fixtures/http';
import type { Persistence, PollHarness } from './helpers/poll';
import { PERSISTENCES } from './helpers/poll';
import {
	ACCT,
	ACCT2,
	clockAt,
	FANSLY_ID2,
	GET,
	grow,
	harness,
	LINKS_PATH,
	LINKS_PATH2,
	list,
	listBody,
	networkFailure,
	out,
	raw,
	REDDIT,
	requests,
	seen,
	missingStateOf,
	stateOf,
	tick,
	TIKTOK,
	TWITTER,
	useTriggerTestHooks,
} from './helpers/trigger';

useTriggerTestHooks();

const INSTA = raw('910000000000000001', 'Instagram', '2026-01-01T00:00:00.000Z', { clicks: 7 }, FANSLY_ID2);
const ACCOUNTS = '/api/fansly/accounts';
const HOUR = 60 * 60 * 1000;
const DAY = 24 * HOUR;

/** The next answer to the list of accounts. */
function accounts(ids: string[] = [ACCT, ACCT2]): nock.Scope {
	return nock(FANSAPI_BASE)
		.get(ACCOUNTS)
		.reply(recordingReply(requests, 200, ids.map((id, i) => ({ id, display_name: `Creator ${i + 1}` }))));
}

/** A trigger on All Accounts, activated with TWITTER and REDDIT on ACCT, INSTA on ACCT2. */
async function allAccounts(persistence: Persistence = 'classic'): Promise<PollHarness> {
	const h = harness({ accountScope: 'all', account: { __rl: true, mode: 'list', value: '' } }, persistence);
	accounts();
	list([TWITTER, REDDIT]);
	list([INSTA], LINKS_PATH2);
	expect(await h.activate()).toEqual({});
	requests.length = 0;
	return h;
}

afterEach(() => {
	jest.useRealTimers();
	jest.restoreAllMocks();
});

const SHAPE_ADVICE = 'The provider answered successfully but not in the documented shape. The provider may have changed its API; nothing in the response was used.';

/** A failure of ACCT2's list: the error's message (`cause`) and its own advice (its description), if any. */
const failures: Array<{ name: string; arrange: () => void; cause: string; advice?: string; attempts: number }> = [
	{
		name: '403',
		arrange: () => list([403, { message: 'This action is unauthorized.' }], LINKS_PATH2),
		cause: `Fans API refused access to account "${ACCT2}" (HTTP 403): This action is unauthorized.`,
		advice: 'The API key may not have access to this account.',
		attempts: 1,
	},
	{
		name: '500 beyond retries',
		arrange: () => list([500, { message: 'Server Error' }], LINKS_PATH2, 4),
		cause: `Fans API returned HTTP 500 for account "${ACCT2}": Server Error (gave up after 4 attempts)`,
		attempts: 4,
	},
	{
		name: 'a time-out on every attempt',
		arrange: () => networkFailure(LINKS_PATH2, 'ETIMEDOUT', 'timeout of 30000ms exceeded'),
		cause: `Fans API request for account "${ACCT2}" failed after 4 attempts: no answer within 30000 ms`,
		attempts: 4,
	},
	{
		// n8n swaps a message naming a network code for a generic sentence: the account's name must stay.
		name: 'the connection reset on every attempt',
		arrange: () => networkFailure(LINKS_PATH2, 'ECONNRESET', 'socket hang up'),
		cause: `Fans API request for account "${ACCT2}" failed after 4 attempts: network error ECONNRESET`,
		attempts: 4,
	},
	{
		name: 'an answer in an unexpected shape',
		arrange: () => list([200, { data: { links: [] }, _meta: META }], LINKS_PATH2),
		cause: `Unexpected response from Fans API for the tracking links of account "${ACCT2}": data should be array, got object`,
		advice: SHAPE_ADVICE,
		attempts: 1,
	},
	{
		// JSON's 1e309 reads as Infinity: kept, it would make the whole saved state unreadable, and
		// every later poll a silent baseline.
		name: 'a counter too large to be a number',
		arrange: () => list([200, JSON.stringify(listBody([INSTA])).replace('"clicks":7', '"clicks":1e309')], LINKS_PATH2),
		cause: `Unexpected response from Fans API for the tracking links of account "${ACCT2}": data.0.clicks is too large a number ("Infinity")`,
		advice: SHAPE_ADVICE,
		attempts: 1,
	},
	{
		name: 'an answer that says it is partial',
		arrange: () => list([200, { data: [], _pagination: { has_more: true }, _meta: META }], LINKS_PATH2),
		cause: `Unexpected response from Fans API for the tracking links of account "${ACCT2}": only part of the list came back: the answer says more links exist (_pagination.has_more is true) but gives no next page to read`,
		advice: 'The list was not used, so no link on a page that could not be read was taken for deleted or missing. The provider may have started paging this list in a way this node does not read.',
		attempts: 1,
	},
];

describe('All Accounts, one account failing', () => {
	test.each(failures)(
		'$name: the other account’s events in the same poll; the failure shown at the first poll with nothing to emit; the failing account’s changes at its recovery, once',
		async ({ arrange, cause, advice, attempts }) => {
			// No waits between retries. Not by a Math.random of 0: source-map's quicksort, which
			// symbolicates a stack trace on n8n 1.x, then recurses past the stack's limit.
			jest.spyOn(retry, 'backoff').mockReturnValue(0);
			const h = await allAccounts();

			// ACCT gets a new subscriber while ACCT2 cannot be read: the event arrives at once.
			const twitter2 = grow(TWITTER, { subscriptions: 5 });
			accounts();
			list([twitter2, REDDIT]);
			arrange();
			expect(await tick(h)).toEqual({
				items: [{ event: 'increased', link: out(twitter2), changes: { subscriptions: { from: 4, to: 5, delta: 1 } }, detectedAt: 'AT' }],
			});
			expect(seen()).toEqual([GET(ACCOUNTS), GET(LINKS_PATH), ...Array.from({ length: attempts }, () => GET(LINKS_PATH2))]);
			// ACCT's new state is saved with the event; ACCT2 keeps its own, and its failure is recorded.
			expect(h.state.accounts).toEqual({ ...stateOf(ACCT, [twitter2, REDDIT]), ...stateOf(ACCT2, [INSTA]) });
			expect(h.state.failures).toEqual({ [ACCT2]: { since: expect.stringMatching(/^\d{4}-/), message: cause } });

			// Nothing else to emit, ACCT2 still failing: a failed execution naming it and why.
			accounts();
			list([twitter2, REDDIT]);
			arrange();
			const shown = await h.tick();
			expect(shown.items).toBeUndefined();
			expect(shown.error).toBeInstanceOf(NodeOperationError);
			expect(shown.error!.message).toBe(`Could not read account "${ACCT2}" (1 of 2 watched accounts): ${cause}`);
			const { since } = (h.liveState.failures as Record<string, { since: string }>)[ACCT2];
			const description = `The other accounts were read; they had no change to report. The failing accounts ("${ACCT2}" since ${since}) keep what was last read of them: their changes are reported at their first good read. While the failure lasts, it is shown again every hour.`;
			// The account's own advice follows, when its error has one.
			expect((shown.error as NodeOperationError).description).toBe(advice === undefined ? description : `${description} ${advice}`);
			expect(JSON.stringify(shown.error)).not.toContain(FANSAPI_FAKE_VALUE);

			// ACCT2 recovers: what happened on it meanwhile, once.
			const insta2 = grow(INSTA, { clicks: 9 });
			accounts();
			list([twitter2, REDDIT]);
			list([insta2, TIKTOK], LINKS_PATH2);
			expect((await tick(h)).items).toEqual([
				{ event: 'increased', link: out(insta2, ACCT2), changes: { clicks: { from: 7, to: 9, delta: 2 } }, detectedAt: 'AT' },
				{ event: 'created', link: out(TIKTOK, ACCT2), detectedAt: 'AT' },
			]);
			expect(h.state.failures).toBeUndefined();
			accounts();
			list([twitter2, REDDIT]);
			list([insta2, TIKTOK], LINKS_PATH2);
			expect(await tick(h)).toEqual({});
		},
		30_000,
	);

	test('a lasting failure is shown at once, then once an hour, not at every poll; failing again after a recovery is shown at once', async () => {
		const start = Date.parse('2026-06-01T10:00:00.000Z');
		clockAt(start);
		const h = await allAccounts();
		const poll = async (at: number, failing = true) => {
			jest.setSystemTime(at);
			accounts();
			list([TWITTER, REDDIT]);
			if (failing) list([403, { message: 'Forbidden.' }], LINKS_PATH2);
			else list([INSTA], LINKS_PATH2);
			const outcome = await h.tick();
			return outcome.error?.message ?? (outcome.items ? 'items' : 'nothing');
		};
		const failed = `Could not read account "${ACCT2}" (1 of 2 watched accounts): Fans API refused access to account "${ACCT2}" (HTTP 403): Forbidden.`;
		expect(await poll(start + 60_000)).toBe(failed);
		expect(await poll(start + 2 * 60_000)).toBe('nothing');
		expect(await poll(start + 60_000 + HOUR - 1)).toBe('nothing');
		expect(await poll(start + 60_000 + HOUR)).toBe(failed);
		expect(await poll(start + 2 * HOUR)).toBe('nothing');
		expect(await poll(start + 3 * HOUR, false)).toBe('nothing');
		expect(await poll(start + 3 * HOUR + 60_000)).toBe(failed);
		// The clock set back (by a sync): shown again rather than silent until it catches up.
		expect(await poll(start + 2 * HOUR)).toBe(failed);
		expect(await poll(start + 2 * HOUR + 60_000)).toBe('nothing');
	});

	test('two accounts failing beside one that works: each is shown when it starts failing, a lasting failure not at every poll; one that recovered is shown at once when it fails again, while the other still fails', async () => {
		const ACCT3 = 'fansly_acct_TRIGGER00000003';
		const LINKS_PATH3 = `/api/fansly/${ACCT3}/tracking-links`;
		const start = Date.parse('2026-06-01T10:00:00.000Z');
		const at = (minute: number) => start + minute * 60_000;
		const iso = (minute: number) => new Date(at(minute)).toISOString();
		clockAt(start);
		const h = harness({ accountScope: 'all' });
		accounts([ACCT, ACCT2, ACCT3]);
		list([TWITTER]);
		list([INSTA], LINKS_PATH2);
		list([TIKTOK], LINKS_PATH3);
		expect(await h.activate()).toEqual({});
		const poll = async (minute: number, failing: string[]) => {
			jest.setSystemTime(at(minute));
			accounts([ACCT, ACCT2, ACCT3]);
			list([TWITTER]);
			if (failing.includes(ACCT2)) list([403, { message: 'Forbidden.' }], LINKS_PATH2);
			else list([INSTA], LINKS_PATH2);
			if (failing.includes(ACCT3)) list([403, { message: 'Forbidden.' }], LINKS_PATH3);
			else list([TIKTOK], LINKS_PATH3);
			const outcome = await h.tick();
			if (outcome.items !== undefined) return 'items';
			if (outcome.error === undefined) return 'nothing';
			return { message: outcome.error.message, description: (outcome.error as NodeOperationError).description };
		};
		const refused = (account: string) => `"${account}": Fans API refused access to account "${account}" (HTTP 403): Forbidden.`;
		const description = (since: string) =>
			`The other accounts were read; they had no change to report. The failing accounts (${since}) keep what was last read of them: their changes are reported at their first good read. While the failure lasts, it is shown again every hour. The API key may not have access to this account.`;

		expect(await poll(1, [ACCT2])).toEqual({
			message: `Could not read account "${ACCT2}" (1 of 3 watched accounts): Fans API refused access to account "${ACCT2}" (HTTP 403): Forbidden.`,
			description: description(`"${ACCT2}" since ${iso(1)}`),
		});
		// ACCT3 starts failing while ACCT2's failure was shown a minute ago: ACCT3's is news.
		expect(await poll(2, [ACCT2, ACCT3])).toEqual({
			message: `Could not read 2 of 3 watched accounts: ${refused(ACCT2)}; ${refused(ACCT3)}`,
			description: description(`"${ACCT2}" since ${iso(1)}, "${ACCT3}" since ${iso(2)}`),
		});
		expect(await poll(3, [ACCT2, ACCT3])).toBe('nothing');
		expect(await poll(4, [ACCT3])).toBe('nothing');
		// ACCT2 failing again after its recovery is news, though ACCT3's failure was shown 3 minutes ago.
		expect(await poll(5, [ACCT2, ACCT3])).toEqual({
			message: `Could not read 2 of 3 watched accounts: ${refused(ACCT2)}; ${refused(ACCT3)}`,
			description: description(`"${ACCT2}" since ${iso(5)}, "${ACCT3}" since ${iso(2)}`),
		});
		expect(await poll(6, [ACCT2, ACCT3])).toBe('nothing');
	});

	test('an account error with an empty description adds no blank to the failure’s description', () => {
		// Built directly: n8n's errors never keep an empty description, so no poll can produce one.
		const node = harness().node;
		const error = Object.assign(new NodeOperationError(node, 'Forbidden.'), { description: '' });
		const failure = accountsFailure(node, [{ accountId: ACCT2, error, since: '2026-06-01T10:00:00.000Z' }], 2, 'report', true);
		expect(failure.description).toBe(
			`The other accounts were read; they had no change to report. The failing accounts ("${ACCT2}" since 2026-06-01T10:00:00.000Z) keep what was last read of them: their changes are reported at their first good read. While the failure lasts, it is shown again every hour.`,
		);
	});

	test('a busy trigger (events at every poll) still shows a lasting failure after an hour: that poll’s events come one poll later, none lost', async () => {
		const start = Date.parse('2026-06-01T10:00:00.000Z');
		clockAt(start);
		const h = await allAccounts();
		let clicks = 120;
		const poll = async (at: number) => {
			jest.setSystemTime(at);
			clicks += 1;
			accounts();
			list([grow(TWITTER, { clicks }), REDDIT]);
			list([403, { message: 'Forbidden.' }], LINKS_PATH2);
			return await tick(h);
		};
		const reported: number[] = [];
		const record = (outcome: { items?: IDataObject[] }) => {
			for (const item of outcome.items ?? []) reported.push(((item.changes as IDataObject).clicks as IDataObject).to as number);
		};
		for (let minute = 1; minute < 60; minute++) {
			const outcome = await poll(start + minute * 60_000);
			expect(outcome.error).toBeUndefined();
			record(outcome);
		}
		// An hour after the failure started: the failure is shown; this poll's growth is held back.
		const shown = await poll(start + HOUR + 60_000);
		expect(shown.items).toBeUndefined();
		expect(shown.error?.message).toMatch(/^Could not read account "fansly_acct_TRIGGER00000002" \(1 of 2 watched accounts\)/);
		expect((shown.error as NodeOperationError).description).toMatch(/^The changes found on the other accounts are reported by the next poll/);
		const next = await poll(start + HOUR + 2 * 60_000);
		expect(next.items).toEqual([
			{
				event: 'increased',
				link: out(grow(TWITTER, { clicks: clicks - 1 })),
				changes: { clicks: { from: clicks - 2, to: clicks - 1, delta: 1 } },
				detectedAt: new Date(start + HOUR + 60_000).toISOString(),
			},
			{ event: 'increased', link: out(grow(TWITTER, { clicks })), changes: { clicks: { from: clicks - 1, to: clicks, delta: 1 } }, detectedAt: 'AT' },
		]);
		record(next);
		// Every click counted once, each as the poll that saw it reported it: from 121 to the last.
		expect(reported).toEqual(Array.from({ length: 61 }, (_, i) => 121 + i));
	});

	test('the poll that holds back its events keeps what it read of the other accounts: an account first seen then has its baseline, and its next link is reported', async () => {
		const ACCT3 = 'fansly_acct_TRIGGER00000003';
		const LINKS_PATH3 = `/api/fansly/${ACCT3}/tracking-links`;
		const THREADS = raw('930000000000000001', 'Threads', '2026-04-01T00:00:00.000Z', { clicks: 3 });
		const BLUESKY = raw('930000000000000002', 'Bluesky', '2026-04-02T00:00:00.000Z');
		const start = Date.parse('2026-06-01T10:00:00.000Z');
		clockAt(start);
		const h = await allAccounts();
		// The failure starts, with events on ACCT: not due yet, the events are emitted.
		jest.setSystemTime(start + 60_000);
		accounts();
		list([grow(TWITTER, { clicks: 121 }), REDDIT]);
		list([403, { message: 'Forbidden.' }], LINKS_PATH2);
		expect((await tick(h)).items).toHaveLength(1);
		// An hour later, events again, and a third account listed for the first time: the failure
		// is shown and the events held back; the new account's first list is its baseline.
		jest.setSystemTime(start + HOUR + 60_000);
		accounts([ACCT, ACCT2, ACCT3]);
		list([grow(TWITTER, { clicks: 122 }), REDDIT]);
		list([403, { message: 'Forbidden.' }], LINKS_PATH2);
		list([THREADS], LINKS_PATH3);
		const held = await tick(h);
		expect(held.items).toBeUndefined();
		expect((held.error as NodeOperationError).description).toMatch(/^The changes found on the other accounts are reported by the next poll/);
		// The next poll: the held growth, and the link created on the new account since its baseline.
		jest.setSystemTime(start + HOUR + 2 * 60_000);
		accounts([ACCT, ACCT2, ACCT3]);
		list([grow(TWITTER, { clicks: 122 }), REDDIT]);
		list([403, { message: 'Forbidden.' }], LINKS_PATH2);
		list([THREADS, BLUESKY], LINKS_PATH3);
		const next = await tick(h);
		expect(next.error).toBeUndefined();
		expect(next.items).toEqual([
			{
				event: 'increased',
				link: out(grow(TWITTER, { clicks: 122 })),
				changes: { clicks: { from: 121, to: 122, delta: 1 } },
				detectedAt: new Date(start + HOUR + 60_000).toISOString(),
			},
			{ event: 'created', link: out(BLUESKY, ACCT3), detectedAt: 'AT' },
		]);
	});

	test('the activation poll does not fail for one failing account (activation succeeds); the next poll shows it', async () => {
		const h = harness({ accountScope: 'all' });
		accounts();
		list([TWITTER]);
		list([401, { message: 'Unauthenticated.' }], LINKS_PATH2);
		expect(await h.activate()).toEqual({});
		expect(h.liveState.accounts).toEqual(stateOf(ACCT, [TWITTER]));

		accounts();
		list([TWITTER]);
		list([401, { message: 'Unauthenticated.' }], LINKS_PATH2);
		expect((await h.tick()).error?.message).toBe(
			`Could not read account "${ACCT2}" (1 of 2 watched accounts): Fans API rejected the API key (HTTP 401): Unauthenticated.`,
		);

		// Never read yet: its first good read is its baseline.
		accounts();
		list([TWITTER]);
		list([INSTA], LINKS_PATH2);
		expect(await tick(h)).toEqual({});
		expect(h.liveState.accounts).toEqual({ ...stateOf(ACCT, [TWITTER]), ...stateOf(ACCT2, [INSTA]) });
	});

	test('Fetch Test Event: the sample comes from the accounts that can be read; with none readable, the failure', async () => {
		const h = harness({ accountScope: 'all' });
		accounts();
		list([TWITTER]);
		list([403, { message: 'Forbidden.' }], LINKS_PATH2);
		const sample = await h.fetchTestEvent();
		expect(sample.error).toBeUndefined();
		expect(sample.items.map((i) => ({ ...i.json, detectedAt: 'AT' }))).toEqual([{ event: 'created', link: out(TWITTER), detectedAt: 'AT' }]);

		accounts();
		list([403, { message: 'Forbidden.' }]);
		list([403, { message: 'Forbidden.' }], LINKS_PATH2);
		const none = await h.fetchTestEvent();
		expect(none.items).toEqual([]);
		expect(none.error?.message).toBe(`Fans API refused access to account "${ACCT}" (HTTP 403): Forbidden.`);
	});

	test('no account readable: every poll fails, naming each account; nothing is lost', async () => {
		const h = await allAccounts();
		for (let i = 0; i < 2; i++) {
			accounts();
			list([403, { message: 'Forbidden.' }]);
			list([404, { message: 'Fansly account not found.' }], LINKS_PATH2);
			const failed = await h.tick();
			expect(failed.items).toBeUndefined();
			expect(failed.error?.message).toBe(
				`Could not read 2 of 2 watched accounts: "${ACCT}": Fans API refused access to account "${ACCT}" (HTTP 403): Forbidden.; "${ACCT2}": Not found: account "${ACCT2}" (HTTP 404): Fansly account not found.`,
			);
			expect((failed.error as NodeOperationError).description).toMatch(/^No watched account could be read \(/);
		}
		const t = grow(TWITTER, { clicks: 130 });
		accounts();
		list([t, REDDIT]);
		list([INSTA], LINKS_PATH2);
		expect((await tick(h)).items).toEqual([
			{ event: 'increased', link: out(t), changes: { clicks: { from: 120, to: 130, delta: 10 } }, detectedAt: 'AT' },
		]);
	});

	test('the API key rejected (401): the other accounts are not asked, the poll fails as the key’s failure', async () => {
		const h = await allAccounts();
		accounts();
		list([401, { message: 'Unauthenticated.' }]);
		const failed = await h.tick();
		expect(failed.error?.message).toBe(
			`Could not read 2 of 2 watched accounts: "${ACCT}": Fans API rejected the API key (HTTP 401): Unauthenticated.; "${ACCT2}": not asked, after that failure of the API key (HTTP 401)`,
		);
		expect(seen()).toEqual([GET(ACCOUNTS), GET(LINKS_PATH)]);
		expect(h.liveState.accounts).toEqual({ ...stateOf(ACCT, [TWITTER, REDDIT]), ...stateOf(ACCT2, [INSTA]) });
	});

	test('the list of accounts failing is the whole poll failing, as before: nothing read, nothing saved', async () => {
		const h = await allAccounts();
		const before = h.liveState;
		nock(FANSAPI_BASE).get(ACCOUNTS).reply(recordingReply(requests, 500, { message: 'Server Error' })).persist();
		jest.spyOn(retry, 'backoff').mockReturnValue(0);
		const failed = await h.tick();
		nock.cleanAll();
		expect(failed.error).toBeInstanceOf(NodeApiError);
		expect(failed.error?.message).toBe('Fans API returned HTTP 500 for the connected accounts: Server Error (gave up after 4 attempts)');
		expect(h.liveState).toEqual(before);
	});

	test('a poll that gets a 401 leaves no lease on the key’s rate budget', async () => {
		const h = harness();
		list([401, { message: 'Unauthenticated.' }]);
		await expect(h.activate()).rejects.toThrow(/HTTP 401/);
		// The key may still be known (its window is not empty), but no poll holds it.
		expect(rateBudgets.snapshot().map((key) => key.leases)).toEqual([0]);

		list([401, { message: 'Unauthenticated.' }]);
		expect((await h.tick()).error?.message).toMatch(/HTTP 401/);
		expect(rateBudgets.snapshot().map((key) => key.leases)).toEqual([0]);

		// All Accounts, the list of accounts itself rejected.
		const all = harness({ accountScope: 'all' });
		nock(FANSAPI_BASE).get(ACCOUNTS).reply(recordingReply(requests, 401, { message: 'Unauthenticated.' }));
		await expect(all.activate()).rejects.toThrow(/HTTP 401/);
		expect(rateBudgets.snapshot().map((key) => key.leases)).toEqual([0]);
	});
});

/** Polls at a set time with ACCT2 refused: a lasting failure, and the events held back to show it. */
const HELD_START = Date.parse('2026-06-01T10:00:00.000Z');
const MINUTE = 60_000;
const HELD_AT = HELD_START + HOUR + 2 * MINUTE;
const iso = (ms: number) => new Date(ms).toISOString();
const FORBIDDEN = `Fans API refused access to account "${ACCT2}" (HTTP 403): Forbidden.`;
const FAILED = `Could not read account "${ACCT2}" (1 of 2 watched accounts): ${FORBIDDEN}`;

/** One poll at `at`: these links on ACCT, and ACCT2 failing (or INSTA on it). */
async function pollAt(h: PollHarness, at: number, links: IDataObject[], acct2Fails = true) {
	jest.setSystemTime(at);
	accounts();
	list(links);
	if (acct2Fails) list([403, { message: 'Forbidden.' }], LINKS_PATH2);
	else list([INSTA], LINKS_PATH2);
	return await tick(h);
}

/**
 * All Accounts with a baseline (durable: n8n keeps nothing of the activation poll, so a first
 * tick records it); ACCT2 fails from a minute later, shown at once; an hour after that (at
 * HELD_AT), TikTok is created: that poll fails to show the failure again, and holds back its event.
 */
async function heldBack(persistence: Persistence): Promise<PollHarness> {
	clockAt(HELD_START);
	const h = await allAccounts(persistence);
	expect(await pollAt(h, HELD_START, [TWITTER, REDDIT], false)).toEqual({});
	expect((await pollAt(h, HELD_START + MINUTE, [TWITTER, REDDIT])).error?.message).toBe(FAILED);
	const held = await pollAt(h, HELD_AT, [TWITTER, REDDIT, TIKTOK]);
	expect(held.items).toBeUndefined();
	expect(held.error?.message).toBe(FAILED);
	expect((held.error as NodeOperationError).description).toMatch(/^The changes found on the other accounts are reported by the next poll/);
	return h;
}

/** The held event as the held poll would have emitted it. */
const heldCreated = { event: 'created', link: out(TIKTOK), detectedAt: iso(HELD_AT) };

describe.each<Persistence>(PERSISTENCES)('All Accounts, one account failing, as n8n saves the state (%s)', (persistence) => {
	// The durable scheduler builds a new context for every tick, with the activation mode
	// "update": a tick is no activation, so its failure is shown.
	test('a poll after activation with nothing to emit shows the failure as a failed execution', async () => {
		const h = await allAccounts(persistence);
		accounts();
		list([TWITTER, REDDIT]);
		list([INSTA], LINKS_PATH2);
		expect(await h.tick()).toEqual({});
		accounts();
		list([TWITTER, REDDIT]);
		list([403, { message: 'This action is unauthorized.' }], LINKS_PATH2);
		const shown = await h.tick();
		expect(shown.items).toBeUndefined();
		expect(shown.error).toBeInstanceOf(NodeOperationError);
		expect(shown.error!.message).toBe(
			`Could not read account "${ACCT2}" (1 of 2 watched accounts): Fans API refused access to account "${ACCT2}" (HTTP 403): This action is unauthorized.`,
		);
	});

	test('a failing account’s `since` is when it first failed, also when that poll failed (durable: its state is thrown away); the hourly report names it; forgotten once a poll that n8n saves has no failure', async () => {
		const recorded = triggersWithRecordedFailures();
		clockAt(HELD_START);
		const h = await allAccounts(persistence);
		expect(await pollAt(h, HELD_START, [TWITTER, REDDIT], false)).toEqual({});
		expect((await pollAt(h, HELD_START + MINUTE, [TWITTER, REDDIT])).error?.message).toBe(FAILED);
		expect(await pollAt(h, HELD_START + 2 * MINUTE, [TWITTER, REDDIT])).toEqual({});
		expect(h.liveState.failures).toEqual({ [ACCT2]: { since: iso(HELD_START + MINUTE), message: FORBIDDEN } });

		const shown = await pollAt(h, HELD_START + MINUTE + HOUR, [TWITTER, REDDIT]);
		expect(shown.error?.message).toBe(FAILED);
		expect((shown.error as NodeOperationError).description).toContain(`The failing accounts ("${ACCT2}" since ${iso(HELD_START + MINUTE)})`);
		expect(triggersWithRecordedFailures()).toBe(recorded + 1);

		expect(await pollAt(h, HELD_START + MINUTE + HOUR + MINUTE, [TWITTER, REDDIT], false)).toEqual({});
		expect(h.liveState.failures).toBeUndefined();
		// Remembered until a poll that n8n saves (one that emits) has no failure: n8n may not keep
		// the recovery (durable: nothing of a poll that fails or of the activation poll; classic:
		// its database has the state of the last poll that emitted).
		expect(triggersWithRecordedFailures()).toBe(recorded + 1);
		expect(await pollAt(h, HELD_START + MINUTE + HOUR + 2 * MINUTE, [TWITTER, REDDIT], false)).toEqual({});
		expect(triggersWithRecordedFailures()).toBe(recorded + 1);
		expect((await pollAt(h, HELD_START + MINUTE + HOUR + 3 * MINUTE, [TWITTER, REDDIT, TIKTOK], false)).items).toHaveLength(1);
		expect(triggersWithRecordedFailures()).toBe(recorded);
	});
});

describe.each<Persistence>(PERSISTENCES)('a failure’s `since` is the start of the current failure spell, as n8n saves the state (%s)', (persistence) => {
	const FORBIDDEN1 = `Fans API refused access to account "${ACCT}" (HTTP 403): Forbidden.`;
	/** One poll at `at` with the accounts in `failing` refused (403); the others list their links. */
	async function pollFailing(h: PollHarness, at: number, failing: string[], activation = false) {
		jest.setSystemTime(at);
		accounts();
		if (failing.includes(ACCT)) list([403, { message: 'Forbidden.' }]);
		else list([TWITTER, REDDIT]);
		if (failing.includes(ACCT2)) list([403, { message: 'Forbidden.' }], LINKS_PATH2);
		else list([INSTA], LINKS_PATH2);
		return activation ? await h.activate() : await h.tick();
	}
	const description = (outcome: { error?: Error }) => (outcome.error as NodeOperationError | undefined)?.description;

	/** A baseline; ACCT2 failing from a minute later, shown at once, then a quiet poll that n8n saves with the failure. */
	async function failingSaved(): Promise<PollHarness> {
		clockAt(HELD_START);
		const h = await allAccounts(persistence);
		expect(await pollFailing(h, HELD_START, [])).toEqual({});
		expect((await pollFailing(h, HELD_START + MINUTE, [ACCT2])).error?.message).toBe(FAILED);
		expect(await pollFailing(h, HELD_START + 2 * MINUTE, [ACCT2])).toEqual({});
		expect(h.liveState.failures).toEqual({ [ACCT2]: { since: iso(HELD_START + MINUTE), message: FORBIDDEN } });
		return h;
	}

	test('an account that recovers in a poll that fails for another account (durable: n8n throws that poll away), then fails again: its failure starts anew', async () => {
		const h = await failingSaved();
		// ACCT2 is read again, ACCT fails: the poll shows ACCT's failure.
		const other = await pollFailing(h, HELD_START + 3 * MINUTE, [ACCT]);
		expect(other.error?.message).toBe(`Could not read account "${ACCT}" (1 of 2 watched accounts): ${FORBIDDEN1}`);
		expect(description(other)).toContain(`The failing accounts ("${ACCT}" since ${iso(HELD_START + 3 * MINUTE)})`);

		const again = await pollFailing(h, HELD_START + 4 * MINUTE, [ACCT2]);
		expect(again.error?.message).toBe(FAILED);
		expect(description(again)).toContain(`The failing accounts ("${ACCT2}" since ${iso(HELD_START + 4 * MINUTE)})`);
		expect(await pollFailing(h, HELD_START + 5 * MINUTE, [ACCT2])).toEqual({});
		expect(h.liveState.failures).toEqual({ [ACCT2]: { since: iso(HELD_START + 4 * MINUTE), message: FORBIDDEN } });
	});

	test('an account that recovers in the poll run at activation (durable: n8n keeps nothing of it), then fails again: its failure starts anew', async () => {
		const h = await failingSaved();
		h.restart();
		expect(await pollFailing(h, HELD_START + 3 * MINUTE, [], true)).toEqual({});

		const again = await pollFailing(h, HELD_START + 4 * MINUTE, [ACCT2]);
		expect(again.error?.message).toBe(FAILED);
		expect(description(again)).toContain(`The failing accounts ("${ACCT2}" since ${iso(HELD_START + 4 * MINUTE)})`);
	});

	test('an account that recovers in polls with nothing to emit (classic: n8n writes its database only when a poll emits), then the workflow is activated again with the account failing: its failure starts anew', async () => {
		clockAt(HELD_START);
		const h = await allAccounts(persistence);
		expect(await pollFailing(h, HELD_START, [])).toEqual({});
		// ACCT2 fails while ACCT has a new link: the link is emitted (n8n saves the state, with the failure).
		jest.setSystemTime(HELD_START + MINUTE);
		accounts();
		list([TWITTER, REDDIT, TIKTOK]);
		list([403, { message: 'Forbidden.' }], LINKS_PATH2);
		expect(await tick(h)).toEqual({ items: [{ event: 'created', link: out(TIKTOK), detectedAt: 'AT' }] });
		expect(h.state.failures).toEqual({ [ACCT2]: { since: iso(HELD_START + MINUTE), message: FORBIDDEN } });
		// ACCT2 recovers; nothing to emit.
		for (const minute of [2, 3]) {
			jest.setSystemTime(HELD_START + minute * MINUTE);
			accounts();
			list([TWITTER, REDDIT, TIKTOK]);
			list([INSTA], LINKS_PATH2);
			expect(await h.tick()).toEqual({});
		}
		expect(h.liveState.failures).toBeUndefined();

		// The workflow is activated again (n8n loads the state from its database) while ACCT2 fails.
		h.restart();
		jest.setSystemTime(HELD_START + 4 * MINUTE);
		accounts();
		list([TWITTER, REDDIT, TIKTOK]);
		list([403, { message: 'Forbidden.' }], LINKS_PATH2);
		expect(await h.activate()).toEqual({});
		jest.setSystemTime(HELD_START + 5 * MINUTE);
		accounts();
		list([TWITTER, REDDIT, TIKTOK]);
		list([403, { message: 'Forbidden.' }], LINKS_PATH2);
		const again = await h.tick();
		expect(again.error?.message).toBe(FAILED);
		expect(description(again)).toContain(`The failing accounts ("${ACCT2}" since ${iso(HELD_START + 4 * MINUTE)})`);
	});

	test('a busy trigger whose account recovered in a poll n8n threw away: failing again, it is not taken for an hour-old failure (its events are emitted, not held back)', async () => {
		const h = await failingSaved();
		expect((await pollFailing(h, HELD_START + HOUR, [ACCT])).error?.message).toMatch(/^Could not read account "fansly_acct_TRIGGER00000001"/);
		// ACCT2 fails again while ACCT has a new link: the failure is news at its start, not due for an hour.
		jest.setSystemTime(HELD_START + HOUR + MINUTE);
		accounts();
		list([TWITTER, REDDIT, TIKTOK]);
		list([403, { message: 'Forbidden.' }], LINKS_PATH2);
		expect(await tick(h)).toEqual({ items: [{ event: 'created', link: out(TIKTOK), detectedAt: 'AT' }] });
		expect(h.liveState.failures).toEqual({ [ACCT2]: { since: iso(HELD_START + HOUR + MINUTE), message: FORBIDDEN } });
	});
});

describe.each<Persistence>(PERSISTENCES)('a poll whose events are held back to show a lasting failure, as n8n saves the state (%s)', (persistence) => {
	test('what it saw comes first at the next poll, with its own time, once (durable: the failed poll’s state is thrown away, so the next poll finds the change itself)', async () => {
		const h = await heldBack(persistence);
		// classic: the held poll's state stays in memory with the items it held back (not yet in
		// n8n's database); durable: nothing of it is kept.
		expect(h.liveState.held).toEqual(persistence === 'classic' ? [heldCreated] : undefined);

		const twitter2 = grow(TWITTER, { clicks: 121 });
		const increased = { event: 'increased', link: out(twitter2), changes: { clicks: { from: 120, to: 121, delta: 1 } }, detectedAt: 'AT' };
		expect((await pollAt(h, HELD_AT + MINUTE, [twitter2, REDDIT, TIKTOK])).items).toEqual(
			persistence === 'classic' ? [heldCreated, increased] : [increased, { ...heldCreated, detectedAt: 'AT' }],
		);
		expect(h.state.held).toBeUndefined();
		expect(await pollAt(h, HELD_AT + 2 * MINUTE, [twitter2, REDDIT, TIKTOK])).toEqual({});
	});

	test('a change it saw that is undone before the next poll: classic reports it and its undoing; durable (the held poll’s state is thrown away) neither', async () => {
		const h = await heldBack(persistence);
		const next = await pollAt(h, HELD_AT + MINUTE, [TWITTER, REDDIT], false);
		expect(next).toEqual(persistence === 'classic' ? { items: [heldCreated, { event: 'deleted', link: out(TIKTOK), detectedAt: 'AT' }] } : {});
		expect(h.liveState.held).toBeUndefined();
		expect(await pollAt(h, HELD_AT + 2 * MINUTE, [TWITTER, REDDIT], false)).toEqual({});
	});

	test('the next poll emits what was held back even when nothing else changed', async () => {
		const h = await heldBack(persistence);
		expect((await pollAt(h, HELD_AT + MINUTE, [TWITTER, REDDIT, TIKTOK])).items).toEqual([
			persistence === 'classic' ? heldCreated : { ...heldCreated, detectedAt: 'AT' },
		]);
		expect(await pollAt(h, HELD_AT + 2 * MINUTE, [TWITTER, REDDIT, TIKTOK])).toEqual({});
	});

	test('no account readable at the next poll: what was held back stays held, and comes with the first poll that emits', async () => {
		const h = await heldBack(persistence);
		jest.setSystemTime(HELD_AT + MINUTE);
		accounts();
		list([403, { message: 'Forbidden.' }]);
		list([403, { message: 'Forbidden.' }], LINKS_PATH2);
		expect((await h.tick()).error?.message).toMatch(/^Could not read 2 of 2 watched accounts/);
		expect(h.liveState.held).toEqual(persistence === 'classic' ? [heldCreated] : undefined);

		expect((await pollAt(h, HELD_AT + 2 * MINUTE, [TWITTER, REDDIT, TIKTOK], false)).items).toEqual([
			persistence === 'classic' ? heldCreated : { ...heldCreated, detectedAt: 'AT' },
		]);
		expect(await pollAt(h, HELD_AT + 3 * MINUTE, [TWITTER, REDDIT, TIKTOK], false)).toEqual({});
	});
});

describe('a poll whose events are held back (classic: its state stays in memory)', () => {
	test('is never followed by a second one before its events are out: the failure, due again (clock set back), is shown by the poll after', async () => {
		const h = await heldBack('classic');
		// The clock set back: the failure is due again at once, and this poll has events.
		const twitter2 = grow(TWITTER, { clicks: 121 });
		expect((await pollAt(h, HELD_START + 30 * MINUTE, [twitter2, REDDIT, TIKTOK])).items).toEqual([
			heldCreated,
			{ event: 'increased', link: out(twitter2), changes: { clicks: { from: 120, to: 121, delta: 1 } }, detectedAt: 'AT' },
		]);
		expect(h.liveState.held).toBeUndefined();
		expect((await pollAt(h, HELD_START + 31 * MINUTE, [twitter2, REDDIT, TIKTOK])).error?.message).toBe(FAILED);
	});

	test('n8n restarting before the next poll: the state saved last has nothing held, and the next poll finds the change itself, once', async () => {
		const h = await heldBack('classic');
		expect(h.state.held).toBeUndefined();
		h.restart();
		expect((await pollAt(h, HELD_AT + MINUTE, [TWITTER, REDDIT, TIKTOK])).items).toEqual([{ event: 'created', link: out(TIKTOK), detectedAt: 'AT' }]);
		expect(await pollAt(h, HELD_AT + 2 * MINUTE, [TWITTER, REDDIT, TIKTOK])).toEqual({});
	});
});

describe('All Accounts, an account missing from the list of accounts', () => {
	test('left out once, then back with a new link and a grown counter: both reported, once', async () => {
		const h = await allAccounts();
		accounts([ACCT]);
		list([TWITTER, REDDIT]);
		expect(await tick(h)).toEqual({});
		expect(h.liveState.accounts).toEqual({ ...stateOf(ACCT, [TWITTER, REDDIT]), ...missingStateOf(ACCT2, [INSTA]) });

		const insta2 = grow(INSTA, { subscriptions: 2 });
		accounts();
		list([TWITTER, REDDIT]);
		list([insta2, TIKTOK], LINKS_PATH2);
		expect((await tick(h)).items).toEqual([
			{ event: 'increased', link: out(insta2, ACCT2), changes: { subscriptions: { from: 0, to: 2, delta: 2 } }, detectedAt: 'AT' },
			{ event: 'created', link: out(TIKTOK, ACCT2), detectedAt: 'AT' },
		]);
		accounts();
		list([TWITTER, REDDIT]);
		list([insta2, TIKTOK], LINKS_PATH2);
		expect(await tick(h)).toEqual({});
	});

	test('no account connected yet: activation and every poll succeed with nothing to report; the first account connected gets a silent baseline', async () => {
		const h = harness({ accountScope: 'all' });
		accounts([]);
		expect(await h.activate()).toEqual({});
		accounts([]);
		expect(await h.tick()).toEqual({});
		expect(h.liveState.accounts).toEqual({});

		accounts([ACCT]);
		list([TWITTER]);
		expect(await h.tick()).toEqual({});
		expect(h.liveState.accounts).toEqual(stateOf(ACCT, [TWITTER]));
		expect(seen()).toEqual([GET(ACCOUNTS), GET(ACCOUNTS), GET(ACCOUNTS), GET(LINKS_PATH)]);
	});

	/** A poll at `at` whose list of accounts leaves the second account out; nothing to report. */
	async function onlyFirstListed(h: PollHarness, at: number) {
		jest.setSystemTime(at);
		accounts([ACCT]);
		list([TWITTER, REDDIT]);
		expect(await tick(h)).toEqual({});
	}

	test('kept for a week from the first poll that found it missing; gone longer, it is forgotten and comes back with a silent baseline', async () => {
		const start = Date.parse('2026-06-01T10:00:00.000Z');
		clockAt(start);
		const h = await allAccounts();
		const missing = start + HOUR;
		await onlyFirstListed(h, missing);
		await onlyFirstListed(h, missing + 7 * DAY - 1);
		expect(Object.keys(h.liveState.accounts as IDataObject)).toEqual([ACCT, ACCT2]);
		await onlyFirstListed(h, missing + 7 * DAY);
		expect(Object.keys(h.liveState.accounts as IDataObject)).toEqual([ACCT]);

		accounts();
		list([TWITTER, REDDIT]);
		list([grow(INSTA, { clicks: 500 }), TIKTOK], LINKS_PATH2);
		expect(await tick(h)).toEqual({});
		expect(h.liveState.accounts).toEqual({ ...stateOf(ACCT, [TWITTER, REDDIT]), ...stateOf(ACCT2, [grow(INSTA, { clicks: 500 }), TIKTOK]) });
	});

	test('a quiet trigger (its state last saved days ago) restarted while an account is left out: the week counts from the first poll that found it missing', async () => {
		const start = Date.parse('2026-06-01T10:00:00.000Z');
		clockAt(start);
		const h = await allAccounts();
		// Eight quiet days: both accounts listed, nothing emitted, so n8n keeps nothing new.
		for (let day = 1; day <= 8; day++) {
			jest.setSystemTime(start + day * DAY);
			accounts();
			list([TWITTER, REDDIT]);
			list([INSTA], LINKS_PATH2);
			expect(await tick(h)).toEqual({});
		}
		// A reconnect leaves ACCT2 out for a while, and n8n restarts meanwhile (from the saved state).
		jest.setSystemTime(start + 8 * DAY + HOUR);
		accounts([ACCT]);
		list([TWITTER, REDDIT]);
		expect(await tick(h)).toEqual({});
		h.restart();
		jest.setSystemTime(start + 8 * DAY + 2 * HOUR);
		accounts([ACCT]);
		list([TWITTER, REDDIT]);
		expect(await h.activate()).toEqual({});
		expect(Object.keys(h.liveState.accounts as IDataObject)).toEqual([ACCT, ACCT2]);
		// Back, with a new link and 5 more clicks: both reported.
		jest.setSystemTime(start + 8 * DAY + 3 * HOUR);
		const insta2 = grow(INSTA, { clicks: 12 });
		accounts();
		list([TWITTER, REDDIT]);
		list([insta2, TIKTOK], LINKS_PATH2);
		expect((await tick(h)).items).toEqual([
			{ event: 'increased', link: out(insta2, ACCT2), changes: { clicks: { from: 7, to: 12, delta: 5 } }, detectedAt: 'AT' },
			{ event: 'created', link: out(TIKTOK, ACCT2), detectedAt: 'AT' },
		]);
	});

	test('a clock set back while an account is missing (a VM resumed, then NTP): the week starts again, the account is not forgotten early', async () => {
		const start = Date.parse('2026-06-01T10:00:00.000Z');
		clockAt(start);
		const h = await allAccounts();
		// Missing first at a clock 30 days ahead, then the clock is set right.
		await onlyFirstListed(h, start + 30 * DAY);
		await onlyFirstListed(h, start + HOUR);
		await onlyFirstListed(h, start + HOUR + 7 * DAY - 1);
		expect(Object.keys(h.liveState.accounts as IDataObject)).toEqual([ACCT, ACCT2]);
		await onlyFirstListed(h, start + HOUR + 7 * DAY);
		expect(Object.keys(h.liveState.accounts as IDataObject)).toEqual([ACCT]);
	});

	test('listed again, its count is over: missing later, it has a whole week again', async () => {
		const start = Date.parse('2026-06-01T10:00:00.000Z');
		clockAt(start);
		const h = await allAccounts();
		jest.setSystemTime(start + HOUR);
		accounts([ACCT]);
		list([TWITTER, REDDIT]);
		expect(await tick(h)).toEqual({});
		jest.setSystemTime(start + 6 * DAY);
		accounts();
		list([TWITTER, REDDIT]);
		list([INSTA], LINKS_PATH2);
		expect(await tick(h)).toEqual({});
		expect(h.liveState.accounts).toEqual({ ...stateOf(ACCT, [TWITTER, REDDIT]), ...stateOf(ACCT2, [INSTA]) });
		jest.setSystemTime(start + 8 * DAY);
		accounts([ACCT]);
		list([TWITTER, REDDIT]);
		expect(await tick(h)).toEqual({});
		expect(Object.keys(h.liveState.accounts as IDataObject)).toEqual([ACCT, ACCT2]);
	});

	test('an account that fails is still listed: it is never forgotten while it fails', async () => {
		const start = Date.parse('2026-06-01T10:00:00.000Z');
		clockAt(start);
		const h = await allAccounts();
		jest.setSystemTime(start + 8 * DAY);
		accounts();
		list([TWITTER, REDDIT]);
		list([403, { message: 'Forbidden.' }], LINKS_PATH2);
		expect((await h.tick()).error?.message).toMatch(/^Could not read account "fansly_acct_TRIGGER00000002"/);
		expect(h.liveState.accounts).toEqual({ ...stateOf(ACCT, [TWITTER, REDDIT]), ...stateOf(ACCT2, [INSTA]) });
	});
});

describe('an Account the node would refuse is refused by the trigger too', () => {
	test.each<[string, string, string]>([
		['".." (its list would be read at /api/tracking-links)', '..', 'Account ".." is not a valid ID'],
		['"." (at /api/fansly/tracking-links)', '.', 'Account "." is not a valid ID'],
		['with a line feed inside', `${ACCT}\nB`, 'Account contains control characters, which no ID has'],
	])('One Account %s: activation fails before any request', async (_name, account, message) => {
		const h = harness({ account: { __rl: true, mode: 'id', value: account } });
		const error = await h.activate().then(
			() => undefined,
			(e: unknown) => e,
		);
		expect(error).toBeInstanceOf(NodeOperationError);
		expect((error as Error).message).toBe(message);
		expect(requests).toEqual([]);
	});

	test('One Account with a zero-width space after it: watched without it, as the node reads it', async () => {
		const h = harness({ account: { __rl: true, mode: 'id', value: `${ACCT}\u200b` } });
		list([TWITTER]);
		expect(await h.activate()).toEqual({});
		expect(seen()).toEqual([GET(LINKS_PATH)]);
		expect(h.liveState.accounts).toEqual(stateOf(ACCT, [TWITTER]));
	});

	test('All Accounts: an account listed with a zero-width space after its id is read as the node reads the id, without it', async () => {
		const h = harness({ accountScope: 'all', account: { __rl: true, mode: 'list', value: '' } });
		accounts([`${ACCT}\u200b`]);
		list([TWITTER]);
		expect(await h.activate()).toEqual({});
		expect(seen()).toEqual([GET(ACCOUNTS), GET(LINKS_PATH)]);
		expect(h.liveState.accounts).toEqual(stateOf(ACCT, [TWITTER]));
	});

	test('All Accounts: an account listed as ".." is a failing account, never read; the others are', async () => {
		const h = harness({ accountScope: 'all', account: { __rl: true, mode: 'list', value: '' } });
		accounts([ACCT, '..']);
		list([TWITTER]);
		expect(await h.activate()).toEqual({});
		accounts([ACCT, '..']);
		const twitter2 = grow(TWITTER, { clicks: 121 });
		list([twitter2]);
		expect((await tick(h)).items).toEqual([
			{ event: 'increased', link: out(twitter2), changes: { clicks: { from: 120, to: 121, delta: 1 } }, detectedAt: 'AT' },
		]);
		expect(seen()).toEqual([GET(ACCOUNTS), GET(LINKS_PATH), GET(ACCOUNTS), GET(LINKS_PATH)]);
		expect(h.state.failures).toEqual({ '\u2060..': { since: expect.stringMatching(/^\d{4}-/), message: 'Fans API listed an account id the node cannot use: ".."' } });
	});

	// The shown form names a zero-width space "[U+200B]", which an accepted id may contain as text.
	test('All Accounts: an accepted account whose id is written as a refused one is shown keeps its own state; its change is reported once', async () => {
		const accepted = 'fansly_acct_[U+200B]X';
		const path = `/api/fansly/${encodeURIComponent(accepted)}/tracking-links`;
		const h = harness({ accountScope: 'all', account: { __rl: true, mode: 'list', value: '' } });
		accounts([accepted, 'fansly_acct_\u200bX']);
		list([TWITTER], path);
		expect(await h.activate()).toEqual({});
		const twitter2 = grow(TWITTER, { clicks: 121 });
		accounts([accepted, 'fansly_acct_\u200bX']);
		list([twitter2], path);
		expect((await tick(h)).items).toEqual([
			{ event: 'increased', link: out(twitter2, accepted), changes: { clicks: { from: 120, to: 121, delta: 1 } }, detectedAt: 'AT' },
		]);
		// The first poll with nothing else to report shows the refused id's failure; the next one,
		// within the hour, has nothing to report: the change is not reported again.
		accounts([accepted, 'fansly_acct_\u200bX']);
		list([twitter2], path);
		expect((await tick(h)).error?.message).toBe(
			'Could not read account "fansly_acct_[U+200B]X" (1 of 2 watched accounts): Fans API listed an account id the node cannot use: "fansly_acct_[U+200B]X"',
		);
		accounts([accepted, 'fansly_acct_\u200bX']);
		list([twitter2], path);
		expect(await tick(h)).toEqual({});
		expect(h.liveState.accounts).toEqual(stateOf(accepted, [twitter2]));
		expect(Object.keys(h.liveState.failures as IDataObject)).toEqual(['\u2060fansly_acct_[U+200B]X']);
		expect(seen()).toEqual([GET(ACCOUNTS), GET(path), GET(ACCOUNTS), GET(path), GET(ACCOUNTS), GET(path), GET(ACCOUNTS), GET(path)]);
	});

	test('All Accounts: two refused ids that share their first 100 characters are two failing accounts', async () => {
		const start = Date.parse('2026-06-01T10:00:00.000Z');
		clockAt(start);
		const h = harness({ accountScope: 'all', account: { __rl: true, mode: 'list', value: '' } });
		const first = `${'x'.repeat(99)}\t${'a'.repeat(50)}`;
		const second = `${'x'.repeat(99)}\t${'b'.repeat(50)}`;
		const shown = `${'x'.repeat(99)}[U+0009]…`;
		accounts([ACCT, first, second]);
		list([TWITTER]);
		expect(await h.activate()).toEqual({});
		jest.setSystemTime(start + 60_000);
		accounts([ACCT, first, second]);
		list([TWITTER]);
		const failed = await h.tick();
		const cause = `Fans API listed an account id the node cannot use: "${shown}"`;
		expect(failed.error?.message).toBe(`Could not read 2 of 3 watched accounts: "${shown}": ${cause}; "${shown}": ${cause}`);
		const since = new Date(start).toISOString();
		expect(h.liveState.failures).toEqual({
			[`\u2060${shown} sha256:bc0152cff6caf818e7b78efd3afd613d`]: { since, message: cause },
			[`\u2060${shown} sha256:11ba6ec3c6c46913242184ad9a56b20c`]: { since, message: cause },
		});
	});

	const REFUSED_ADVICE =
		'The node checks an account id the provider lists as it checks one typed in, and this one fails that check, so the account is not read. The other accounts are read as usual; if this account should be watched, ask Fans API about its id.';
	const UNSHOWABLE_ADVICE =
		'The node checks an account id the provider lists as it checks one typed in, and this one fails that check (the characters a message cannot show are named by their code point), so the account is not read. The other accounts are read as usual; if this account should be watched, ask Fans API about its id.';
	// The saved key: the shown form after U+2060 (which no accepted id contains), and for an id cut
	// to be shown, the first 32 hex digits of the SHA-256 of the whole id.
	test.each<[string, string, string, string, string?]>([
		['".."', '..', '..', REFUSED_ADVICE],
		['as a number in a spreadsheet’s notation', '8.45759434926862E+17', '8.45759434926862E+17', REFUSED_ADVICE],
		['with digit groups', '845,759,434,926,862,336', '845,759,434,926,862,336', REFUSED_ADVICE],
		['with a line feed inside', `${ACCT}\nB`, `${ACCT}[U+000A]B`, UNSHOWABLE_ADVICE],
		['with a zero-width space inside', 'fansly_acct_\u200bX', 'fansly_acct_[U+200B]X', UNSHOWABLE_ADVICE],
		['with a right-to-left override inside', 'fansly_acct_\u202eX', 'fansly_acct_[U+202E]X', UNSHOWABLE_ADVICE],
		['with a C1 control and a line separator', 'a\u0085b\u2028c', 'a[U+0085]b[U+2028]c', UNSHOWABLE_ADVICE],
		['with half of a character', 'fansly_acct_\ud83dX', 'fansly_acct_[U+D83D]X', UNSHOWABLE_ADVICE],
		['of 100 characters with a tab: shown whole', `${'x'.repeat(50)}\t${'y'.repeat(49)}`, `${'x'.repeat(50)}[U+0009]${'y'.repeat(49)}`, UNSHOWABLE_ADVICE],
		[
			'of 150 characters with a tab',
			`${'x'.repeat(99)}\t${'y'.repeat(50)}`,
			`${'x'.repeat(99)}[U+0009]…`,
			UNSHOWABLE_ADVICE,
			`\u2060${'x'.repeat(99)}[U+0009]… sha256:f06d49ac0350fddc1a2bbd74748af2a0`,
		],
	])(
		'All Accounts: an account listed with an id the node refuses (%s) fails as the provider’s id, named as a message can show it, with no advice about typing or mapping it',
		async (_name, listed, shown, advice, key = `\u2060${shown}`) => {
			const start = Date.parse('2026-06-01T10:00:00.000Z');
			clockAt(start);
			const h = harness({ accountScope: 'all', account: { __rl: true, mode: 'list', value: '' } });
			accounts([ACCT, listed]);
			list([TWITTER]);
			expect(await h.activate()).toEqual({});
			jest.setSystemTime(start + 60_000);
			accounts([ACCT, listed]);
			list([TWITTER]);
			const failed = await h.tick();
			const cause = `Fans API listed an account id the node cannot use: "${shown}"`;
			expect(failed.error).toBeInstanceOf(NodeOperationError);
			expect(failed.error?.message).toBe(`Could not read account "${shown}" (1 of 2 watched accounts): ${cause}`);
			expect((failed.error as NodeOperationError).description).toBe(
				`The other accounts were read; they had no change to report. The failing accounts ("${shown}" since ${new Date(start).toISOString()}) keep what was last read of them: their changes are reported at their first good read. While the failure lasts, it is shown again every hour. ${advice}`,
			);
			expect(h.liveState.failures).toEqual({ [key]: { since: new Date(start).toISOString(), message: cause } });
			expect(seen()).toEqual([GET(ACCOUNTS), GET(LINKS_PATH), GET(ACCOUNTS), GET(LINKS_PATH)]);
		},
	);
});

describe('an answer that lists none, then a read n8n does not keep', () => {
	const events = (outcome: { items?: IDataObject[]; error?: Error }) =>
		outcome.error ? ['error'] : (outcome.items ?? []).map((i) => `${i.event as string} ${(i.link as IDataObject).label as string}`);

	// The full read that followed the empty answer was in a poll that failed (to show ACCT2's
	// failure): with durable cursors n8n keeps nothing of it, so only the empty answers remain.
	test('durable cursors: an empty answer, a full read in a poll that fails, another empty answer: no link is deleted', async () => {
		const h = await allAccounts('durable');
		accounts();
		list([TWITTER, REDDIT]);
		list([INSTA], LINKS_PATH2);
		expect(events(await tick(h))).toEqual([]);
		accounts();
		list([]);
		list([INSTA], LINKS_PATH2);
		expect(events(await tick(h))).toEqual([]);
		accounts();
		list([TWITTER, REDDIT]);
		list([403, { message: 'Forbidden.' }], LINKS_PATH2);
		expect(events(await tick(h))).toEqual(['error']);
		for (const links of [[], [TWITTER, REDDIT]]) {
			accounts();
			list(links);
			list([403, { message: 'Forbidden.' }], LINKS_PATH2);
			expect(events(await tick(h))).toEqual([]);
		}
	});

	// Classic: n8n saves the state after activation and with a poll that emits, not after one
	// that has nothing to emit.
	test('classic, across restarts: an empty answer at a start, a full read not saved, an empty answer at the next start: no link is deleted', async () => {
		const h = harness();
		list([TWITTER, REDDIT]);
		expect(await h.activate()).toEqual({});
		for (let start = 0; start < 2; start++) {
			h.restart();
			list([]);
			expect(events(await h.activate())).toEqual([]);
			list([TWITTER, REDDIT]);
			expect(events(await tick(h))).toEqual([]);
		}
	});
});
