/**
 * Get Stats days at the edges of the range and of the calendar. README: "one item per UTC day (the first and the last day
 * the range covers in part included; a row the provider lists twice counts once)"; "a statistics
 * row ... about a day wholly outside the range asked for, a day listed twice with different
 * numbers ... [is an answer in an unexpected shape]".
 */
import nock from 'nock';
import type { IDataObject, INodeParameters } from 'n8n-workflow';

import { runFansly } from './helpers/engine';
import { recordingReply, trackUnmatched } from './fixtures/http';
import type { RecordedRequest } from './fixtures/http';
import { ACCOUNT, APIFANSLY_BASE, FANSAPI_BASE, META, fansApiCredentials, rl, statsDay, twitter } from './fixtures/fansApi';

const LINK = twitter.id;
const statsPath = `/api/fansly/${ACCOUNT}/tracking-links/${LINK}/stats`;
const revenuePath = `/api/fansly/${ACCOUNT}/tracking-links/${LINK}/revenue-stats`;
const tracked = trackUnmatched();

beforeEach(() => {
	nock(APIFANSLY_BASE).get(() => true).reply(500);
});
afterEach(() => {
	nock.cleanAll();
	expect(tracked.unmatched).toEqual([]);
});

function answers(log: RecordedRequest[], counts: IDataObject[], revenue: IDataObject[]) {
	nock(FANSAPI_BASE)
		.get(statsPath)
		.query(true)
		.reply(recordingReply(log, 200, { data: counts, _meta: META }))
		.get(revenuePath)
		.query(true)
		.reply(recordingReply(log, 200, { data: revenue, _meta: META }));
}

function getStats(range: IDataObject = {}): INodeParameters {
	return { authentication: 'fansApiApi', resource: 'trackingLink', operation: 'getStats', account: rl(ACCOUNT), trackingLink: rl(LINK), range } as INodeParameters;
}

function countRow(day: string, values: IDataObject = {}): IDataObject {
	const [year, month, date] = day.split('-').map(Number);
	return { trackingLinkId: LINK, timestamp: Date.parse(`${day}T00:00:00Z`), clicks: 1, claims: 0, follows: 0, subscriptions: 0, year, month, date, ...values };
}

function revenueRow(day: string, type: string | number, values: IDataObject = {}): IDataObject {
	const [year, month, date] = day.split('-').map(Number);
	return { trackingLinkId: LINK, type, timestamp: Date.parse(`${day}T00:00:00Z`), totalGross: 1000, totalNet: 800, year, month, date, ...values };
}

test('the same revenue row listed twice, its kind once as a number and once as text (as the provider writes numbers either way), counts once', async () => {
	const log: RecordedRequest[] = [];
	answers(log, [], [revenueRow('2026-01-03', 1), revenueRow('2026-01-03', '1')]);
	const { items, error } = await runFansly({ parameters: getStats(), credentials: fansApiCredentials });
	expect(error).toBeUndefined();
	expect(items.map((i) => i.json)).toEqual([statsDay('2026-01-03', { totalGross: 1000, totalNet: 800 })]);
});

test('a row whose year, month and date name a day wholly outside the range (its timestamp inside) is refused, not output as that day', async () => {
	const log: RecordedRequest[] = [];
	answers(log, [countRow('2026-01-06'), countRow('2025-12-01', { timestamp: '2026-01-07T00:00:00Z' })], []);
	const { items, error } = await runFansly({
		parameters: getStats({ after: '2026-01-05T00:00:00Z', before: '2026-01-10T00:00:00Z' }),
		credentials: fansApiCredentials,
	});
	expect(items).toEqual([]);
	expect(error?.message).toBe(
		`Unexpected response from Fans API for the statistics of tracking link "${LINK}" on account "${ACCOUNT}": a row is about 2025-12-01, a day outside the range asked for (after 2026-01-05T00:00:00.000Z, before 2026-01-10T00:00:00.000Z) (item 0)`,
	);
});

test('workflow in Europe/Berlin, After and Before on the day DST starts (29 March 2026): the UTC days covered are output', async () => {
	const log: RecordedRequest[] = [];
	answers(log, [countRow('2026-03-28', { clicks: 2 }), countRow('2026-03-29', { clicks: 3 })], []);
	const { items, error } = await runFansly({
		parameters: getStats({ after: '2026-03-29T00:00:00', before: '2026-03-29T23:59:59' }),
		credentials: fansApiCredentials,
		timezone: 'Europe/Berlin',
	});
	expect(error).toBeUndefined();
	expect(items.map((i) => i.json.date)).toEqual(['2026-03-28', '2026-03-29']);
	expect(log.map((r) => r.search)).toEqual([
		`?after=${encodeURIComponent('2026-03-28T23:00:00.000Z')}&before=${encodeURIComponent('2026-03-29T21:59:59.000Z')}`,
		`?after=${encodeURIComponent('2026-03-28T23:00:00.000Z')}&before=${encodeURIComponent('2026-03-29T21:59:59.000Z')}`,
	]);
});

test('workflow in America/New_York, only Before given on the day DST ends (1 Nov 2026): the day after Before is refused, the day of Before is output', async () => {
	const log: RecordedRequest[] = [];
	answers(log, [countRow('2026-11-01'), countRow('2026-11-02')], []);
	const { items, error } = await runFansly({
		parameters: getStats({ before: '2026-11-01T23:30:00' }),
		credentials: fansApiCredentials,
		timezone: 'America/New_York',
	});
	// 23:30 EST on 1 Nov is 04:30 UTC on 2 Nov: both UTC days overlap the range.
	expect(error).toBeUndefined();
	expect(items.map((i) => i.json.date)).toEqual(['2026-11-01', '2026-11-02']);
});

test('After equal to Before (one instant): the UTC day holding it is output, the day before refused', async () => {
	const log: RecordedRequest[] = [];
	answers(log, [countRow('2026-01-05')], []);
	const { items, error } = await runFansly({
		parameters: getStats({ after: '2026-01-05T00:00:00Z', before: '2026-01-05T00:00:00Z' }),
		credentials: fansApiCredentials,
	});
	expect(error).toBeUndefined();
	expect(items.map((i) => i.json.date)).toEqual(['2026-01-05']);
});

test('Before earlier than After is refused before any request', async () => {
	const { items, error } = await runFansly({
		parameters: getStats({ after: '2026-01-06T00:00:00Z', before: '2026-01-05T00:00:00Z' }),
		credentials: fansApiCredentials,
	});
	expect(items).toEqual([]);
	expect(error?.message).toBe('After is later than Before (item 0)');
});
