/**
 * Two polls of one Fansly Trigger that overlap, as n8n starts them: at every tick of Poll
 * Times, without waiting for the previous poll (test/helpers/poll.ts keeps one workflow and
 * one poll context across polls, as n8n does). Each provider answer waits for a gate the test
 * opens, so the order of reads and saves is the test's.
 */
import type { IDataObject } from 'n8n-workflow';
import nock from 'nock';

import { triggersPolling } from '../nodes/Fansly/trigger/overlap';
import { FANSAPI_BASE } from './fixtures/fansApi';
import { record } from './fixtures/http';
import type { Persistence, PollHarness } from './helpers/poll';
import { PERSISTENCES } from './helpers/poll';
import { activated, clockAt, GET, harness, LINKS_PATH, list, listBody, out, raw, REDDIT, requests, seen, tick, TIKTOK, TWITTER, useTriggerTestHooks } from './helpers/trigger';

useTriggerTestHooks();

const INSTAGRAM = raw('900000000000000004', 'Instagram', '2026-04-01T12:00:00.000Z');
const MINUTE = 60_000;

afterEach(() => {
	jest.useRealTimers();
});

/**
 * The next list request is answered with these links only once `open` is called; `reached`
 * settles when the request has arrived (the poll has started reading).
 */
function heldList(links: IDataObject[]): { reached: Promise<void>; open: () => void } {
	let arrive!: () => void;
	let open!: () => void;
	const reached = new Promise<void>((resolve) => (arrive = resolve));
	const opened = new Promise<void>((resolve) => (open = resolve));
	nock(FANSAPI_BASE)
		.get(LINKS_PATH)
		.reply(async (req: Request) => {
			requests.push(await record(req));
			arrive();
			await opened;
			return [200, listBody(links), { 'content-type': 'application/json' }];
		});
	return { reached, open };
}

/** A poll started now, its read held. */
async function slowPoll(h: PollHarness, links: IDataObject[]) {
	const held = heldList(links);
	const outcome = tick(h);
	await held.reached;
	return { outcome, open: held.open };
}

const events = (outcome: { items?: IDataObject[] }) => (outcome.items ?? []).map((i) => `${i.event as string} ${(i.link as IDataObject).label as string}`);

describe('a poll that starts while the previous one still runs', () => {
	test('does nothing (no request, no execution); the running one finishes as usual; the next poll reports what changed meanwhile', async () => {
		const h = harness();
		await activated(h, [TWITTER, REDDIT]);
		const old = await slowPoll(h, [TWITTER, REDDIT, TIKTOK]);

		// A tick while the old poll reads: skipped.
		expect(await h.tick()).toEqual({});
		expect(seen()).toEqual([GET(LINKS_PATH)]);

		old.open();
		expect(await old.outcome).toEqual({ items: [{ event: 'created', link: out(TIKTOK), detectedAt: 'AT' }] });

		// Changed after the old poll's read (during the skipped tick): reported now, once.
		list([TWITTER, TIKTOK, INSTAGRAM]);
		expect(events(await tick(h))).toEqual(['created Instagram', 'deleted Reddit']);
		list([TWITTER, TIKTOK, INSTAGRAM]);
		expect(await tick(h)).toEqual({});
	});

	test('"Fetch Test Event" neither waits for the running poll nor takes its place', async () => {
		const h = harness();
		await activated(h, [TWITTER, REDDIT]);
		const old = await slowPoll(h, [TWITTER, REDDIT, TIKTOK]);

		list([TWITTER, REDDIT, TIKTOK]);
		const { items, error } = await h.fetchTestEvent();
		expect(error).toBeUndefined();
		expect(items.map((i) => ({ ...i.json, detectedAt: 'AT' }))).toEqual([{ event: 'created', link: out(TIKTOK), detectedAt: 'AT' }]);

		// The running poll still holds the trigger: a tick now is skipped (no request).
		const before = requests.length;
		expect(await h.tick()).toEqual({});
		expect(requests).toHaveLength(before);

		old.open();
		expect(events(await old.outcome)).toEqual(['created TikTok']);
		list([TWITTER, REDDIT, TIKTOK]);
		expect(await tick(h)).toEqual({});
	});
});

describe('polls of different triggers never hold each other up', () => {
	test.each([
		['two workflows', false],
		['two Fansly Triggers in one workflow', true],
	])('%s: one trigger polls while the other’s poll still runs', async (_, sameWorkflow) => {
		const first = harness();
		const second = harness({}, 'classic', sameWorkflow ? { workflowId: first.workflowId, nodeId: 'second-fansly-trigger' } : {});
		await activated(first, [TWITTER, REDDIT]);
		await activated(second, [TWITTER, REDDIT]);
		const slow = await slowPoll(first, [TWITTER, REDDIT, TIKTOK]);

		list([TWITTER, REDDIT, TIKTOK]);
		expect(events(await tick(second))).toEqual(['created TikTok']);
		slow.open();
		expect(events(await slow.outcome)).toEqual(['created TikTok']);
		expect(seen()).toEqual([GET(LINKS_PATH), GET(LINKS_PATH)]);
	});
});

describe.each<Persistence>(PERSISTENCES)('a poll still running after 15 minutes (%s): a new poll runs beside it, and the one that saves second drops its result', (persistence) => {
	const START = Date.parse('2026-06-01T10:00:00.000Z');

	/**
	 * An active trigger with a baseline of Twitter and Reddit (durable: n8n keeps nothing of the
	 * activation poll, so a first tick records it), then an old poll reading (TikTok created).
	 */
	async function oldPollReading() {
		clockAt(START);
		const h = harness({}, persistence);
		await activated(h, [TWITTER, REDDIT]);
		list([TWITTER, REDDIT]);
		expect(await tick(h)).toEqual({});
		requests.length = 0;
		const old = await slowPoll(h, [TWITTER, REDDIT, TIKTOK]);
		return { h, old };
	}

	/** The same, with the clock 16 minutes later (then Instagram is created and Reddit deleted). */
	async function oldPollStillRunning() {
		const { h, old } = await oldPollReading();
		jest.setSystemTime(START + 16 * MINUTE);
		return { h, old };
	}

	test('a new poll runs from exactly 15 minutes after the running one started, not a millisecond sooner', async () => {
		const { h, old } = await oldPollReading();
		jest.setSystemTime(START + 15 * MINUTE - 1);
		expect(await h.tick()).toEqual({});
		expect(seen()).toEqual([GET(LINKS_PATH)]);

		jest.setSystemTime(START + 15 * MINUTE);
		list([TWITTER, REDDIT, TIKTOK]);
		expect(events(await tick(h))).toEqual(['created TikTok']);
		// The old poll started from the state the new one has replaced: it drops its result.
		old.open();
		expect(await old.outcome).toEqual({});

		list([TWITTER, REDDIT, TIKTOK]);
		expect(await tick(h)).toEqual({});
	});

	test('the old (slow) poll finishes after the new one: no false deletion, no event twice, the new poll’s state kept', async () => {
		const { h, old } = await oldPollStillRunning();
		// A new poll reads the newer list.
		list([TWITTER, TIKTOK, INSTAGRAM]);
		expect(events(await tick(h))).toEqual(['created TikTok', 'created Instagram', 'deleted Reddit']);
		const saved = h.state;
		const writes = h.writes;

		// The old poll's read is older than the saved state: diffing it would report Reddit created
		// and Instagram deleted. It drops its result instead, and n8n saves nothing for it.
		old.open();
		expect(await old.outcome).toEqual({});
		expect(h.state).toEqual(saved);
		expect(h.writes).toBe(writes);

		list([TWITTER, TIKTOK, INSTAGRAM]);
		expect(await tick(h)).toEqual({});
	});

	test('the old poll finishes first, then the new one: each change once', async () => {
		const polling = triggersPolling();
		const { h, old } = await oldPollStillRunning();
		const fresh = await slowPoll(h, [TWITTER, TIKTOK, INSTAGRAM]);
		expect(triggersPolling()).toBe(polling + 1);

		old.open();
		expect(events(await old.outcome)).toEqual(['created TikTok']);
		expect(triggersPolling()).toBe(polling + 1);
		const saved = h.state;
		const writes = h.writes;
		// The new poll started from the state the old one has since replaced: it drops its result.
		fresh.open();
		expect(await fresh.outcome).toEqual({});
		expect(h.state).toEqual(saved);
		expect(h.writes).toBe(writes);

		// Both done: the process forgets the trigger until its next poll.
		expect(triggersPolling()).toBe(polling);

		// What only the new poll saw comes with the next poll, once.
		list([TWITTER, TIKTOK, INSTAGRAM]);
		expect(events(await tick(h))).toEqual(['created Instagram', 'deleted Reddit']);
		list([TWITTER, TIKTOK, INSTAGRAM]);
		expect(await tick(h)).toEqual({});
	});
});
