/**
 * Get Stats (Fans API): which days an answer may hold, and a day listed more than once. Through
 * n8n's real execution engine, nock on both provider hosts (nothing else reachable), the exact
 * requests and the exact output items or error messages asserted.
 *
 * The provider's days are UTC days: its documented rows carry their day as year, month and date
 * and a timestamp at 00:00 UTC (1780358400000, 1780444800000), and its example asks
 * `after=2026-05-03T00:00:00Z&before=2026-06-03T23:59:59Z`. After and Before are instants: a date
 * without an offset is read in the workflow's time zone and sent in UTC. So the first and the
 * last day of a range are often UTC days the range covers only in part, and they belong.
 */
import nock from 'nock';
import type { IDataObject, INodeExecutionData, INodeParameters } from 'n8n-workflow';

import { runFansly } from './helpers/engine';
import type { RecordedRequest } from './fixtures/http';
import { recordingReply, trackUnmatched } from './fixtures/http';
import { ACCOUNT, APIFANSLY_BASE, FANSAPI_BASE, FANSAPI_FAKE_VALUE, META, fansApiCredentials, rl, statsDay, twitter } from './fixtures/fansApi';

const LINK = twitter.id;
const statsPath = `/api/fansly/${ACCOUNT}/tracking-links/${LINK}/stats`;
const revenuePath = `/api/fansly/${ACCOUNT}/tracking-links/${LINK}/revenue-stats`;

const tracked = trackUnmatched();

/** API Fansly must never be asked: Get Stats is Fans API's. */
let apiFanslyHost: nock.Scope;
beforeEach(() => {
	apiFanslyHost = nock(APIFANSLY_BASE).get(() => true).reply(500);
});

function expectAllDone(log: RecordedRequest[], searches: string[]) {
	expect(log.map((r) => [r.method, r.path, r.search, r.headers.authorization])).toEqual(
		searches.map((search, i) => ['GET', i === 0 ? statsPath : revenuePath, search, `Bearer ${FANSAPI_FAKE_VALUE}`]),
	);
	expect(apiFanslyHost.isDone()).toBe(false);
	nock.cleanAll();
	expect(tracked.unmatched).toEqual([]);
}

/** Both answers, each recorded; `revenue` undefined: the node must not ask for it. */
function answers(log: RecordedRequest[], counts: IDataObject[], revenue?: IDataObject[]) {
	const scope = nock(FANSAPI_BASE).get(statsPath).query(true).reply(recordingReply(log, 200, { data: counts, _meta: META }));
	if (revenue !== undefined) scope.get(revenuePath).query(true).reply(recordingReply(log, 200, { data: revenue, _meta: META }));
	return scope;
}

function getStats(range: IDataObject = {}): INodeParameters {
	return { authentication: 'fansApiApi', resource: 'trackingLink', operation: 'getStats', account: rl(ACCOUNT), trackingLink: rl(LINK), range } as INodeParameters;
}

/** A documented stats row: the day as year, month and date, and its UTC midnight. */
function countRow(day: string, values: IDataObject = {}): IDataObject {
	const [year, month, date] = day.split('-').map(Number);
	return { trackingLinkId: LINK, timestamp: Date.parse(`${day}T00:00:00Z`), clicks: 1, claims: 0, follows: 0, subscriptions: 0, year, month, date, ...values };
}

function revenueRow(day: string, type: string | number | null | undefined, values: IDataObject = {}): IDataObject {
	const [year, month, date] = day.split('-').map(Number);
	return { trackingLinkId: LINK, type, timestamp: Date.parse(`${day}T00:00:00Z`), totalGross: 1000, totalNet: 800, year, month, date, ...values };
}

const day = statsDay;

const paired = (jsons: IDataObject[]): INodeExecutionData[] => jsons.map((json) => ({ json, pairedItem: { item: 0 } }));

const query = (after?: string, before?: string) =>
	`?${[after && `after=${encodeURIComponent(after)}`, before && `before=${encodeURIComponent(before)}`].filter(Boolean).join('&')}`;

/** The message; n8n's Stop Workflow error names the item, an error item has its own `itemIndex`. */
const unexpected = (which: 'statistics' | 'revenue statistics', detail: string, item = ' (item 0)') =>
	`Unexpected response from Fans API for the ${which} of tracking link "${LINK}" on account "${ACCOUNT}": ${detail}${item}`;

describe('Get Stats: the days of the range asked for', () => {
	it.each<[string, string, string, string, string, string, string]>([
		// Tokyo is UTC+9: its 5 January starts on 4 January in UTC, its 10 January at 15:00 UTC on the 9th.
		['Asia/Tokyo', '2026-01-05T00:00:00', '2026-01-10T00:00:00', '2026-01-04T15:00:00.000Z', '2026-01-09T15:00:00.000Z', '2026-01-04', '2026-01-09'],
		// New York is UTC−5: its 5 January starts at 05:00 UTC, its 10 January at 05:00 UTC on the 10th.
		['America/New_York', '2026-01-05T00:00:00', '2026-01-10T00:00:00', '2026-01-05T05:00:00.000Z', '2026-01-10T05:00:00.000Z', '2026-01-05', '2026-01-10'],
		// A Before exactly at a UTC midnight: that day begins at the range's last instant.
		['UTC', '2026-01-05T00:00:00', '2026-01-10T00:00:00', '2026-01-05T00:00:00.000Z', '2026-01-10T00:00:00.000Z', '2026-01-05', '2026-01-10'],
	])('workflow in %s, After %s, Before %s (sent as %s and %s): the UTC days the range covers in part, %s and %s, are output', async (timezone, after, before, sentAfter, sentBefore, first, last) => {
		const log: RecordedRequest[] = [];
		answers(log, [countRow(first, { clicks: 3 }), countRow(last, { clicks: 4 })], [revenueRow(last, 'tip')]);
		const { items, error } = await runFansly({ parameters: getStats({ after, before }), credentials: fansApiCredentials, timezone });
		expect(error).toBeUndefined();
		expect(items).toEqual(
			paired([
				day(first, { clicks: 3, claims: 0, follows: 0, subscriptions: 0 }),
				day(last, { clicks: 4, claims: 0, follows: 0, subscriptions: 0, totalGross: 1000, totalNet: 800 }),
			]),
		);
		expectAllDone(log, [query(sentAfter, sentBefore), query(sentAfter, sentBefore)]);
	});

	it('a day the provider counts in another time zone (its timestamp the local midnight) is one of the range, by that timestamp', async () => {
		// 4 January in New York runs from 05:00 UTC on the 4th to 05:00 UTC on the 5th: it overlaps an After of 02:00 UTC on the 5th.
		const log: RecordedRequest[] = [];
		answers(log, [countRow('2026-01-04', { timestamp: '2026-01-04T05:00:00Z' })], []);
		const { items, error } = await runFansly({ parameters: getStats({ after: '2026-01-05T02:00:00Z' }), credentials: fansApiCredentials });
		expect(error).toBeUndefined();
		expect(items).toEqual(paired([day('2026-01-04', { clicks: 1, claims: 0, follows: 0, subscriptions: 0 })]));
		expectAllDone(log, [query('2026-01-05T02:00:00.000Z'), query('2026-01-05T02:00:00.000Z')]);
	});

	it.each<[string, IDataObject, 'stats' | 'revenue-stats', IDataObject, string]>([
		[
			'a day that ended before After',
			{ after: '2026-01-05T00:00:00Z', before: '2026-01-10T00:00:00Z' },
			'stats',
			countRow('2026-01-04'),
			'a row is about 2026-01-04, a day outside the range asked for (after 2026-01-05T00:00:00.000Z, before 2026-01-10T00:00:00.000Z)',
		],
		[
			'a day that begins after Before',
			{ after: '2026-01-05T00:00:00Z', before: '2026-01-10T00:00:00Z' },
			'stats',
			countRow('2026-01-11'),
			'a row is about 2026-01-11, a day outside the range asked for (after 2026-01-05T00:00:00.000Z, before 2026-01-10T00:00:00.000Z)',
		],
		[
			'a day before After (only After asked)',
			{ after: '2026-01-05T12:00:00Z' },
			'stats',
			countRow('2025-12-20'),
			'a row is about 2025-12-20, a day outside the range asked for (after 2026-01-05T12:00:00.000Z)',
		],
		[
			'a day after Before (only Before asked), in the revenue statistics',
			{ before: '2026-01-10T12:00:00Z' },
			'revenue-stats',
			revenueRow('2026-01-12', 'tip'),
			'a row is about 2026-01-12, a day outside the range asked for (before 2026-01-10T12:00:00.000Z)',
		],
		[
			'a day outside by its year, month and date and by its timestamp',
			{ after: '2026-01-05T00:00:00Z' },
			'stats',
			countRow('2026-01-03', { timestamp: '2026-01-03T05:00:00Z' }),
			'a row is about 2026-01-03, a day outside the range asked for (after 2026-01-05T00:00:00.000Z)',
		],
	])('%s: an answer in an unexpected shape, never output', async (_title, range, where, row, detail) => {
		const log: RecordedRequest[] = [];
		const inRange = countRow(String(range.after ?? range.before).slice(0, 10));
		if (where === 'stats') answers(log, [inRange, row]);
		else answers(log, [inRange], [row]);
		const { items, error } = await runFansly({ parameters: getStats(range), credentials: fansApiCredentials });
		expect(items).toEqual([]);
		expect([error?.name, error?.message]).toEqual(['NodeApiError', unexpected(where === 'stats' ? 'statistics' : 'revenue statistics', detail)]);
		const iso = (value: unknown) => (value === undefined ? undefined : new Date(String(value)).toISOString());
		const sent = query(iso(range.after), iso(range.before));
		// A stats answer that fails is not followed by the revenue request (one credit saved).
		expectAllDone(log, where === 'stats' ? [sent] : [sent, sent]);
	});

	it('with On Error → Continue, the item whose answer holds a day outside its range is an error item; the next item is output', async () => {
		const log: RecordedRequest[] = [];
		nock(FANSAPI_BASE)
			.get(statsPath)
			.query({ after: '2026-01-05T00:00:00.000Z' })
			.reply(recordingReply(log, 200, { data: [countRow('2026-01-01')], _meta: META }))
			.get(statsPath)
			.query({ after: '2026-01-01T00:00:00.000Z' })
			.reply(recordingReply(log, 200, { data: [countRow('2026-01-01')], _meta: META }))
			.get(revenuePath)
			.query({ after: '2026-01-01T00:00:00.000Z' })
			.reply(recordingReply(log, 200, { data: [], _meta: META }));
		const { items, error } = await runFansly({
			parameters: getStats({ after: '={{ $json.after }}' }),
			items: [{ after: '2026-01-05T00:00:00Z' }, { after: '2026-01-01T00:00:00Z' }],
			credentials: fansApiCredentials,
			continueOnFail: true,
		});
		expect(error).toBeUndefined();
		expect(items).toEqual([
			{
				json: {
					error: unexpected('statistics', 'a row is about 2026-01-01, a day outside the range asked for (after 2026-01-05T00:00:00.000Z)', ''),
					description:
						'The provider answered successfully but not in the documented shape. The provider may have changed its API; nothing in the response was used.',
					itemIndex: 0,
					accountId: ACCOUNT,
					trackingLinkId: LINK,
					httpCode: 200,
					provider: 'fansApi',
				},
				pairedItem: { item: 0 },
			},
			{ json: day('2026-01-01', { clicks: 1, claims: 0, follows: 0, subscriptions: 0 }), pairedItem: { item: 1 } },
		]);
		expect(log.map((r) => `${r.path}${r.search}`).sort()).toEqual(
			[`${statsPath}${query('2026-01-05T00:00:00.000Z')}`, `${statsPath}${query('2026-01-01T00:00:00.000Z')}`, `${revenuePath}${query('2026-01-01T00:00:00.000Z')}`].sort(),
		);
		nock.cleanAll();
		expect(tracked.unmatched).toEqual([]);
	});
});

describe('Get Stats: a day listed more than once in one answer', () => {
	it('the same stats row listed twice is one day, counted once', async () => {
		const log: RecordedRequest[] = [];
		const row = countRow('2026-01-03', { clicks: 5, claims: 1, follows: 2, subscriptions: 1 });
		answers(log, [row, countRow('2026-01-04'), { ...row }], []);
		const { items, error } = await runFansly({ parameters: getStats(), credentials: fansApiCredentials });
		expect(error).toBeUndefined();
		expect(items).toEqual(
			paired([
				day('2026-01-03', { clicks: 5, claims: 1, follows: 2, subscriptions: 1 }),
				day('2026-01-04', { clicks: 1, claims: 0, follows: 0, subscriptions: 0 }),
			]),
		);
		expectAllDone(log, ['', '']);
	});

	it('the same row written as the provider may write it (numbers as text, its timestamp in seconds) is still the same row', async () => {
		const log: RecordedRequest[] = [];
		const row = countRow('2026-01-03', { clicks: 5 });
		answers(log, [row, { ...row, clicks: '5', timestamp: Number(row.timestamp) / 1000 }], []);
		const { items, error } = await runFansly({ parameters: getStats(), credentials: fansApiCredentials });
		expect(error).toBeUndefined();
		expect(items).toEqual(paired([day('2026-01-03', { clicks: 5, claims: 0, follows: 0, subscriptions: 0 })]));
		expectAllDone(log, ['', '']);
	});

	it('the same revenue row (a day and a kind of income) listed twice is counted once; the day’s other kinds are added to it', async () => {
		const log: RecordedRequest[] = [];
		const tip = revenueRow('2026-01-03', 'tip', { totalGross: 2000, totalNet: 1600 });
		answers(log, [], [tip, revenueRow('2026-01-03', 'subscription', { totalGross: 3000, totalNet: 2400 }), { ...tip }]);
		const { items, error } = await runFansly({ parameters: getStats(), credentials: fansApiCredentials });
		expect(error).toBeUndefined();
		expect(items).toEqual(paired([day('2026-01-03', { totalGross: 5000, totalNet: 4000 })]));
		expectAllDone(log, ['', '']);
	});

	it('revenue rows that name no kind of income, listed twice alike, are counted once', async () => {
		const log: RecordedRequest[] = [];
		const row = revenueRow('2026-01-03', undefined);
		answers(log, [], [row, { ...row, type: null }]);
		const { items, error } = await runFansly({ parameters: getStats(), credentials: fansApiCredentials });
		expect(error).toBeUndefined();
		expect(items).toEqual(paired([day('2026-01-03', { totalGross: 1000, totalNet: 800 })]));
		expectAllDone(log, ['', '']);
	});

	it.each<[string, 'stats' | 'revenue-stats', IDataObject[], string]>([
		[
			'stats with other counts',
			'stats',
			[countRow('2026-01-03', { clicks: 5 }), countRow('2026-01-03', { clicks: 7 })],
			'2026-01-03 is listed twice, with different values (clicks 5 and 7)',
		],
		[
			'stats with the same counts at another time of the day',
			'stats',
			[countRow('2026-01-03'), countRow('2026-01-03', { timestamp: '2026-01-03T12:00:00Z' })],
			'2026-01-03 is listed twice, with different values (timestamp 2026-01-03T00:00:00.000Z and 2026-01-03T12:00:00.000Z)',
		],
		[
			'revenue of one kind with other amounts',
			'revenue-stats',
			[revenueRow('2026-01-03', 'tip'), revenueRow('2026-01-03', 'tip', { totalNet: 900 })],
			'2026-01-03 (type "tip") is listed twice, with different values (totalNet 800 and 900)',
		],
		[
			'revenue naming no kind, with other amounts',
			'revenue-stats',
			[revenueRow('2026-01-03', null), revenueRow('2026-01-03', null, { totalGross: 1200 })],
			'2026-01-03 is listed twice, with different values (totalGross 1000 and 1200)',
		],
	])('a day listed twice in %s: an answer in an unexpected shape (neither added up nor one of them chosen)', async (_title, where, rows, detail) => {
		const log: RecordedRequest[] = [];
		if (where === 'stats') answers(log, rows);
		else answers(log, [], rows);
		const { items, error } = await runFansly({ parameters: getStats(), credentials: fansApiCredentials });
		expect(items).toEqual([]);
		expect([error?.name, error?.message]).toEqual(['NodeApiError', unexpected(where === 'stats' ? 'statistics' : 'revenue statistics', detail)]);
		expectAllDone(log, where === 'stats' ? [''] : ['', '']);
	});
});
