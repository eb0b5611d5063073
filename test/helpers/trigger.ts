/**
 * What the Fansly Trigger's tests share: the accounts and links Fans API answers with, the
 * links as the trigger outputs them, the state as the trigger saves it, and the harness set up
 * as a user sets the trigger up.
 */
import type { IDataObject, INodeExecutionData, INodeParameters } from 'n8n-workflow';
import nock from 'nock';

import { FANSAPI_BASE, FANSAPI_FAKE_VALUE, fansApiCredentials, META } from '../fixtures/fansApi';
import type { RecordedRequest, ReplyTuple } from '../fixtures/http';
import { record, recordingReply, trackUnmatched } from '../fixtures/http';
import type { NormalisedTrackingLink } from '../../nodes/Fansly/providers/types';
import type { Persistence } from './poll';
import { PollHarness } from './poll';

export const ACCT = 'fansly_acct_TRIGGER00000001';
export const ACCT2 = 'fansly_acct_TRIGGER00000002';
/** Fansly's own account id, which Fans API puts in each link as `accountId`. */
export const FANSLY_ID = '800000000000000001';
export const FANSLY_ID2 = '800000000000000002';
export const LINKS_PATH = `/api/fansly/${ACCT}/tracking-links`;
export const LINKS_PATH2 = `/api/fansly/${ACCT2}/tracking-links`;
export const AUTH = `Bearer ${FANSAPI_FAKE_VALUE}`;

/** A link's counters, as the normalised link carries them. */
export type Counts = Pick<NormalisedTrackingLink, 'clicks' | 'claims' | 'follows' | 'subscriptions' | 'totalNet' | 'totalGross'>;

export const ZERO: Counts = { clicks: 0, claims: 0, follows: 0, subscriptions: 0, totalNet: 0, totalGross: 0 };

/** A link as Fans API lists it. */
export function raw(id: string, label: string, createdAt: string, counts: Partial<Counts> = {}, fanslyId = FANSLY_ID): IDataObject {
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
export function out(link: IDataObject, accountId = ACCT): IDataObject {
	return {
		id: link.id,
		accountId,
		fanslyAccountId: link.accountId,
		label: link.label,
		description: link.description,
		type: link.type,
		status: link.status,
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

export const TWITTER = raw('900000000000000001', 'Twitter bio', '2026-01-05T10:00:00.000Z', {
	clicks: 120,
	claims: 3,
	follows: 10,
	subscriptions: 4,
	totalNet: 8000,
	totalGross: 10000,
});
export const REDDIT = raw('900000000000000002', 'Reddit', '2026-02-01T08:30:00.000Z', { clicks: 40, subscriptions: 1 });
export const TIKTOK = raw('900000000000000003', 'TikTok', '2026-03-01T12:00:00.000Z');

/** The link with some of its fields changed (counters, or label, description, status). */
export const grow = (link: IDataObject, changed: Partial<Counts> & IDataObject): IDataObject => ({ ...link, ...changed });

export const listBody = (links: IDataObject[]) => ({ data: links, _meta: META });

/** The requests the mocked provider answered in the current test. */
export const requests: RecordedRequest[] = [];

/** Call once per test file: clears `requests` before each test, and fails a test that made a request nobody mocked. */
export function useTriggerTestHooks(): void {
	const unmatched = trackUnmatched();
	beforeEach(() => {
		requests.length = 0;
	});
	afterEach(() => {
		// Every request the tests expected was made, and no other one.
		expect(unmatched.unmatched).toEqual([]);
	});
}

/** The next `times` list requests for an account get no answer: a network failure with this code. */
export function networkFailure(path: string, code: string, message: string, times = 4): nock.Scope {
	return nock(FANSAPI_BASE)
		.get(path)
		.times(times)
		.reply(async (req: Request) => {
			requests.push(await record(req));
			throw Object.assign(new Error(message), { code });
		});
}

/** Fakes only `Date` (from `ms` on): timers, nock and n8n run as usual. Undo with jest.useRealTimers(). */
export function clockAt(ms: number): void {
	jest.useFakeTimers({
		now: ms,
		doNotFake: ['hrtime', 'nextTick', 'performance', 'queueMicrotask', 'setImmediate', 'clearImmediate', 'setInterval', 'clearInterval', 'setTimeout', 'clearTimeout'],
	});
}

/** The next list request for an account answers with these links (or this reply). */
export function list(links: IDataObject[] | ReplyTuple, path = LINKS_PATH, times = 1): nock.Scope {
	const reply: ReplyTuple = Array.isArray(links) && typeof links[0] === 'number' ? (links as ReplyTuple) : [200, listBody(links as IDataObject[])];
	return nock(FANSAPI_BASE).get(path).times(times).reply(recordingReply(requests, ...reply));
}

export const GET = (path: string) => ({ method: 'GET', path, search: '', authorization: AUTH, body: undefined });
export const seen = () => requests.map((r) => ({ method: r.method, path: r.path, search: r.search, authorization: r.headers.authorization, body: r.body }));

export function params(extra: INodeParameters = {}): INodeParameters {
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

export function harness(
	extra: INodeParameters = {},
	persistence: Persistence = 'classic',
	place: { workflowId?: string; nodeId?: string } = {},
): PollHarness {
	return new PollHarness({ parameters: params(extra), credentials: fansApiCredentials, persistence, ...place });
}

/** Activation (the baseline) with these links: asserts it emits nothing. */
export async function activated(h: PollHarness, links: IDataObject[]): Promise<void> {
	list(links);
	expect(await h.activate()).toEqual({});
	requests.length = 0;
}

/**
 * The items of one poll, `detectedAt` as 'AT' when it is the poll's time. An item held back by
 * an earlier poll keeps that poll's time (trigger/state.ts), which the test then names exactly.
 */
export async function tick(h: PollHarness): Promise<{ items?: IDataObject[]; error?: Error }> {
	const before = Date.now();
	const outcome = await h.tick();
	const after = Date.now();
	if (outcome.items === undefined) return { error: outcome.error };
	const items = outcome.items.map((item: INodeExecutionData) => {
		const detectedAt = item.json.detectedAt as string;
		expect(detectedAt).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
		const at = Date.parse(detectedAt);
		return { ...item.json, detectedAt: at >= before && at <= after ? 'AT' : detectedAt };
	});
	return { items, error: outcome.error };
}

export const counters = (l: IDataObject) => [l.clicks, l.claims, l.follows, l.subscriptions, l.totalNet, l.totalGross];
/** What the trigger keeps of a link (trigger/state.ts's stored shape): counters as last seen, then what a deleted event tells. */
export const keptLink = (l: IDataObject, references?: unknown[]) => [
	...counters(l),
	l.label,
	l.description,
	l.type,
	l.status,
	Date.parse(l.createdAt as string),
	l.accountId,
	...(references ? [references] : []),
];
export const keptAccount = (links: IDataObject[]) => ({
	seenAt: expect.stringMatching(/^\d{4}-\d\d-\d\dT/),
	links: Object.fromEntries(links.map((l) => [l.id as string, keptLink(l)])),
});
export const stateOf = (account: string, links: IDataObject[]) => ({ [account]: keptAccount(links) });
/** An account the list of accounts left out (All Accounts), kept with when that was first seen. */
export const missingStateOf = (account: string, links: IDataObject[]) => ({
	[account]: { ...keptAccount(links), missingSince: expect.stringMatching(/^\d{4}-\d\d-\d\dT/) },
});
/** The whole saved state (version 2) with these accounts. */
export const savedState = (accounts: IDataObject) => ({ version: 2, revision: expect.any(Number), accounts });
