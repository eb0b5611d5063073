/**
 * What the Fansly Trigger remembers in the n8n process between polls (trigger/report.ts: when
 * each failing account was last shown, and the failures the last poll found) is kept only for
 * triggers that poll: a trigger deactivated or deleted while failing polls no more, and must not
 * stay in memory for the life of the process. Run the way an active n8n workflow runs the
 * trigger (test/helpers/poll.ts), with nock answering for Fans API. A file of its own: the
 * memory is per process, and these tests count what it holds.
 */
import nock from 'nock';

import { triggersWithRecordedFailures } from '../nodes/Fansly/trigger/report';
import { FANSAPI_BASE } from './fixtures/fansApi';
import { recordingReply } from './fixtures/http';
import type { Persistence, PollHarness } from './helpers/poll';
import { PERSISTENCES } from './helpers/poll';
import { ACCT, ACCT2, clockAt, harness, LINKS_PATH2, list, raw, REDDIT, requests, TIKTOK, TWITTER, useTriggerTestHooks } from './helpers/trigger';

useTriggerTestHooks();

const START = Date.parse('2026-06-01T10:00:00.000Z');
const MINUTE = 60_000;
const DAY = 24 * 60 * MINUTE;
/** How long a trigger that no longer polls is remembered (trigger/report.ts's FORGET_AFTER_MS). */
const FORGET_AFTER = 35 * DAY;
const INSTA = raw('910000000000000001', 'Instagram', '2026-01-01T00:00:00.000Z', { clicks: 7 });
const FORBIDDEN = `Fans API refused access to account "${ACCT2}" (HTTP 403): Forbidden.`;
const FAILED = `Could not read account "${ACCT2}" (1 of 2 watched accounts): ${FORBIDDEN}`;
const iso = (ms: number) => new Date(ms).toISOString();

afterEach(() => {
	jest.useRealTimers();
});

function accounts(): void {
	nock(FANSAPI_BASE)
		.get('/api/fansly/accounts')
		.reply(recordingReply(requests, 200, [ACCT, ACCT2].map((id) => ({ id, display_name: id }))));
}

/**
 * A trigger on All Accounts with its baseline (durable: n8n keeps nothing of the activation
 * poll, so a first tick records it).
 */
async function watching(persistence: Persistence = 'classic'): Promise<PollHarness> {
	const h = harness({ accountScope: 'all', account: { __rl: true, mode: 'list', value: '' } }, persistence);
	accounts();
	list([TWITTER, REDDIT]);
	list([INSTA], LINKS_PATH2);
	expect(await h.activate()).toEqual({});
	if (persistence === 'durable') expect(await poll(h, START, false)).toEqual({});
	return h;
}

/** One poll at `at`, ACCT2 refused (or read), these links on ACCT. */
async function poll(h: PollHarness, at: number, acct2Fails = true, links = [TWITTER, REDDIT]) {
	jest.setSystemTime(at);
	accounts();
	list(links);
	if (acct2Fails) list([403, { message: 'Forbidden.' }], LINKS_PATH2);
	else list([INSTA], LINKS_PATH2);
	return await h.tick();
}

test('a trigger whose accounts never fail keeps nothing in memory, also after polls n8n does not save', async () => {
	clockAt(START);
	const h = await watching();
	expect(await poll(h, START + MINUTE, false)).toEqual({});
	expect(await poll(h, START + 2 * MINUTE, false)).toEqual({});
	expect(triggersWithRecordedFailures()).toBe(0);
});

test('a trigger whose accounts read well again leaves nothing in memory once n8n saves a poll', async () => {
	clockAt(START);
	const h = await watching();
	expect((await poll(h, START + MINUTE)).error?.message).toBe(FAILED);
	expect(triggersWithRecordedFailures()).toBe(1);
	// The recovery is remembered until a poll that n8n saves (one that emits) has no failure.
	expect(await poll(h, START + 2 * MINUTE, false)).toEqual({});
	expect(await poll(h, START + 3 * MINUTE, false)).toEqual({});
	expect(triggersWithRecordedFailures()).toBe(1);
	expect((await poll(h, START + 4 * MINUTE, false, [TWITTER, REDDIT, TIKTOK])).items).toHaveLength(1);
	expect(triggersWithRecordedFailures()).toBe(0);
});

test('a trigger that stopped polling while failing is forgotten 35 days after its last poll (when another trigger polls), not a moment sooner', async () => {
	clockAt(START);
	const stopped = await watching();
	expect((await poll(stopped, START + MINUTE)).error?.message).toBe(FAILED);
	// `stopped` is deactivated; another trigger goes on failing.
	const other = await watching();
	expect((await poll(other, START + 2 * MINUTE)).error?.message).toBe(FAILED);
	expect(triggersWithRecordedFailures()).toBe(2);
	// Shown again (its last showing was days ago): `stopped` is still remembered.
	expect((await poll(other, START + MINUTE + FORGET_AFTER - 1)).error?.message).toBe(FAILED);
	expect(triggersWithRecordedFailures()).toBe(2);
	expect(await poll(other, START + MINUTE + FORGET_AFTER)).toEqual({});
	expect(triggersWithRecordedFailures()).toBe(1);

	// `stopped` activated again: its failure is news, and starts now (what a restart loses).
	jest.setSystemTime(START + MINUTE + FORGET_AFTER + MINUTE);
	stopped.restart();
	accounts();
	list([TWITTER, REDDIT]);
	list([403, { message: 'Forbidden.' }], LINKS_PATH2);
	expect(await stopped.activate()).toEqual({});
	expect(stopped.liveState.failures).toEqual({ [ACCT2]: { since: iso(START + MINUTE + FORGET_AFTER + MINUTE), message: FORBIDDEN } });
	expect((await poll(stopped, START + MINUTE + FORGET_AFTER + 2 * MINUTE)).error?.message).toBe(FAILED);
	expect(triggersWithRecordedFailures()).toBe(2);
	for (const h of [stopped, other]) {
		expect((await poll(h, START + MINUTE + FORGET_AFTER + 3 * MINUTE, false, [TWITTER, REDDIT, TIKTOK])).items).toHaveLength(1);
	}
	expect(triggersWithRecordedFailures()).toBe(0);
});

describe.each<Persistence>(PERSISTENCES)('as n8n saves the state (%s)', (persistence) => {
	test.each([
		['once a week', 7 * DAY],
		['once a month (31 days)', 31 * DAY],
	])('a trigger that polls %s is still remembered at its next poll: its failure’s `since` is the first failing poll’s, though n8n kept nothing of that poll (durable)', async (_name, interval) => {
		clockAt(START);
		const h = await watching(persistence);
		expect((await poll(h, START + MINUTE)).error?.message).toBe(FAILED);
		const later = await poll(h, START + MINUTE + interval);
		expect(later.error?.message).toBe(FAILED);
		expect((later.error as Error & { description?: string }).description).toContain(`The failing accounts ("${ACCT2}" since ${iso(START + MINUTE)})`);
	});
});
