/**
 * Values at the edges, through n8n's engine: what the node makes of odd values in a provider's
 * answer (numbers too large to be counts, dates in no documented form, a missing Fansly account
 * id) and of odd values a webhook or a spreadsheet maps into its fields (yes/no and whole numbers
 * as text, a filter choice in another case, names that only exist on JavaScript's objects). Each
 * case either reads as the provider or the user meant it, or fails with a message naming the
 * field and the item: never a silent guess.
 */
import nock from 'nock';
import type { IDataObject, INodeParameters } from 'n8n-workflow';

import { runFansly } from './helpers/engine';
import type { RecordedRequest } from './fixtures/http';
import { recordingReply, trackUnmatched } from './fixtures/http';
import {
	ACCOUNT,
	FANSAPI_BASE,
	fansApiCredentials,
	fyp,
	listBody,
	rawFyp,
	rawTwitter,
	rl,
	twitter,
} from './fixtures/fansApi';

const linksPath = `/api/fansly/${ACCOUNT}/tracking-links`;
const tracked = trackUnmatched();

function params(operation: string, extra: IDataObject = {}): INodeParameters {
	return { authentication: 'fansApiApi', resource: 'trackingLink', operation, account: rl(ACCOUNT), ...extra } as INodeParameters;
}

/** One list answer whose body is exactly `text` (JSON numbers beyond what a double holds stay as written). */
function listAnswerText(text: string, log: RecordedRequest[] = []) {
	return nock(FANSAPI_BASE).get(linksPath).reply(recordingReply(log, 200, text, { 'content-type': 'application/json' }));
}

function listAnswer(links: unknown[], log: RecordedRequest[] = []) {
	return nock(FANSAPI_BASE).get(linksPath).reply(recordingReply(log, 200, listBody(links)));
}

afterEach(() => {
	expect(tracked.unmatched).toEqual([]);
});

const shapeError = (detail: string) => `Unexpected response from Fans API for the tracking links of account "${ACCOUNT}": ${detail} (item 0)`;

describe('numbers in an answer', () => {
	it.each([
		['the JSON number 1e309', '1e309', 'Infinity'],
		['a numeral of 400 digits', `"1${'0'.repeat(399)}"`, `1${'0'.repeat(39)}…`],
	])('a counter given as %s (Infinity once read) is a shape error, not a count', async (_, written, quoted) => {
		const body = JSON.stringify(listBody([rawTwitter])).replace('"clicks":"12"', `"clicks":${written}`);
		expect(body).toContain(`"clicks":${written}`);
		listAnswerText(body);
		const { items, error } = await runFansly({ parameters: params('getAll', { returnAll: true }), credentials: fansApiCredentials });
		expect(items).toEqual([]);
		expect(error?.message).toBe(shapeError(`data.0.clicks is too large a number ("${quoted}")`));
	});
});

describe('Fansly’s account id in a link', () => {
	it.each([null, '', '  '])('sent as %j: fanslyAccountId is null and the link reads as any other', async (accountId) => {
		listAnswer([{ ...rawTwitter, accountId }]);
		const { items, error } = await runFansly({ parameters: params('getAll', { returnAll: true }), credentials: fansApiCredentials });
		expect(error).toBeUndefined();
		expect(items).toEqual([{ json: { ...twitter, fanslyAccountId: null }, pairedItem: { item: 0 } }]);
	});
});

/** Sets the n8n host's time zone (see test/helpers/environment.js); gives back the one replaced. */
declare function hostTimeZone(zone: string | undefined): string | undefined;

describe('dates in an answer', () => {
	let zone: string | undefined;
	afterEach(() => {
		hostTimeZone(zone);
	});

	it.each([
		['2026-02-09T10:00:00', '2026-02-09T10:00:00.000Z'],
		['2026-02-09 10:00:00', '2026-02-09T10:00:00.000Z'],
		['2026-02-09T10:00', '2026-02-09T10:00:00.000Z'],
		['2026-02-09T10:00:00.123456', '2026-02-09T10:00:00.123Z'],
		['2026-02-09T10:00:00+01:00', '2026-02-09T09:00:00.000Z'],
		['2026-02-09', '2026-02-09T00:00:00.000Z'],
	])('createdAt %s is read as UTC (or its own offset), whatever the n8n host’s time zone', async (written, iso) => {
		zone = hostTimeZone('America/New_York');
		expect(new Date(2026, 1, 9, 10).toISOString()).toBe('2026-02-09T15:00:00.000Z');
		listAnswer([{ ...rawTwitter, createdAt: written }]);
		const { items, error } = await runFansly({ parameters: params('getAll', { returnAll: true }), credentials: fansApiCredentials });
		expect(error).toBeUndefined();
		expect(items.map((i) => i.json.createdAt)).toEqual([iso]);
	});

	it.each([
		['text that is no date', 'foo 1', '"foo 1"'],
		['epoch microseconds', 1770544484000000, '"1770544484000000"'],
		['epoch nanoseconds', 1770544484000000000, '"1770544484000000000"'],
	])('createdAt as %s is a shape error, never a made-up date', async (_, written, quoted) => {
		listAnswer([{ ...rawTwitter, createdAt: written }]);
		const { items, error } = await runFansly({ parameters: params('getAll', { returnAll: true }), credentials: fansApiCredentials });
		expect(items).toEqual([]);
		expect(error?.message).toBe(shapeError(`data.0.createdAt is not a date (${quoted})`));
	});
});

describe('fields mapped by an expression', () => {
	it.each([
		['"false"', 1],
		['" FALSE "', 1],
		['"true"', 2],
		['false', 1],
	])('Return All %s is read by its word (Limit 1)', async (returnAll, count) => {
		listAnswer([rawFyp, rawTwitter]);
		const { items, error } = await runFansly({
			parameters: params('getAll', { returnAll: `={{ ${returnAll} }}`, limit: 1 }),
			credentials: fansApiCredentials,
		});
		expect(error).toBeUndefined();
		expect(items.map((i) => i.json)).toEqual([fyp, twitter].slice(0, count));
	});

	it('Only Update When Different "true" (text) is on: same values, no PUT, skipped: true', async () => {
		const log: RecordedRequest[] = [];
		listAnswer([rawFyp, rawTwitter], log);
		const { items, error } = await runFansly({
			parameters: params('update', {
				trackingLink: rl(twitter.id),
				updateFields: { label: twitter.label, description: twitter.description },
				options: { onlyUpdateWhenDifferent: '={{ "true" }}' },
			}),
			credentials: fansApiCredentials,
		});
		expect(error).toBeUndefined();
		expect(items).toEqual([{ json: { ...twitter, skipped: true }, pairedItem: { item: 0 } }]);
		expect(log.map((r) => r.method)).toEqual(['GET']);
	});

	it('Retry "false" (text) is off: a 500 is not retried', async () => {
		const log: RecordedRequest[] = [];
		nock(FANSAPI_BASE).get(linksPath).reply(recordingReply(log, 500, { message: 'Server Error' }));
		const { error } = await runFansly({
			parameters: params('getAll', { returnAll: true, options: { retry: '={{ "false" }}', retryDelay: 1 } }),
			credentials: fansApiCredentials,
		});
		expect(error?.message).toBe(`Fans API returned HTTP 500 for account "${ACCOUNT}": Server Error (item 0)`);
		expect(log).toHaveLength(1);
	});

	it.each([
		['Return All', { returnAll: '={{ "yes" }}' }, 'Return All must be true or false, but the value is "yes" (item 0)'],
		['Return All', { returnAll: '={{ 1 }}' }, 'Return All must be true or false, but the value is a number (item 0)'],
		['Limit', { returnAll: false, limit: '={{ [2] }}' }, 'Limit must be a whole number of at least 1, but the value is a list (item 0)'],
		['Limit', { returnAll: false, limit: '={{ true }}' }, 'Limit must be a whole number of at least 1, but the value is a boolean (item 0)'],
		['Limit', { returnAll: false, limit: '={{ "2.5" }}' }, 'Limit must be a whole number of at least 1, but the value is "2.5" (item 0)'],
		['Limit', { returnAll: false, limit: 0 }, 'Limit must be a whole number of at least 1, but the value is 0 (item 0)'],
		[
			'Kind',
			{ returnAll: true, filters: { kind: '={{ { a: 1 } }}' } },
			'Kind must be one of "all", "builtIn", "userCreated", but the value is an object (item 0)',
		],
		['Kind', { returnAll: true, filters: { kind: '={{ "custom" }}' } }, 'Kind must be one of "all", "builtIn", "userCreated", but the value is "custom" (item 0)'],
	])('%s that cannot be read is an error naming it, before any request', async (_, extra, message) => {
		const { items, error } = await runFansly({ parameters: params('getAll', extra), credentials: fansApiCredentials });
		expect(items).toEqual([]);
		expect(error?.message).toBe(message);
		expect(nock.pendingMocks()).toEqual([]);
	});

	it('Limit "2" (text) is 2, and Kind "builtin" in another case is Built-In', async () => {
		listAnswer([rawFyp, rawTwitter]);
		listAnswer([rawFyp, rawTwitter]);
		const limited = await runFansly({ parameters: params('getAll', { returnAll: false, limit: '={{ "2" }}' }), credentials: fansApiCredentials });
		expect(limited.items.map((i) => i.json)).toEqual([fyp, twitter]);
		const builtIn = await runFansly({
			parameters: params('getAll', { returnAll: true, filters: { kind: '={{ "builtin" }}' } }),
			credentials: fansApiCredentials,
		});
		expect(builtIn.error).toBeUndefined();
		expect(builtIn.items.map((i) => i.json)).toEqual([fyp]);
	});

	it.each([
		['istanbul', 'İstanbul promo'],
		['café', 'Cafe\u0301 bio'],
		['CAFÉ', 'café bio'],
		// Greek: "ΚΟΣ" lower-cases to "κος" (final sigma) but to "κοσ" inside "ΚΟΣΜΟΣ".
		['ΚΟΣ', 'ΚΟΣΜΟΣ promo'],
		['Σ', 'ΟΔΟΣ'],
		['STRASSE', 'Straße flyer'],
		['straße', 'STRAẞE flyer'],
		['strasse', 'STRAẞE flyer'],
	])('Label Contains "%s" finds "%s" (composed or not, any case)', async (needle, label) => {
		listAnswer([{ ...rawTwitter, label }, rawFyp]);
		const { items, error } = await runFansly({
			parameters: params('getAll', { returnAll: true, filters: { labelContains: needle } }),
			credentials: fansApiCredentials,
		});
		expect(error).toBeUndefined();
		expect(items.map((i) => i.json.label)).toEqual([label]);
	});

	it.each(['constructor', 'toString', '__proto__'])('operation "%s" is not known (no name of a JavaScript object is an operation)', async (operation) => {
		const { error } = await runFansly({ parameters: params(operation), credentials: fansApiCredentials });
		expect(error?.message).toBe(`The operation "${operation}" of "trackingLink" is not known`);
	});

	it('provider "constructor" is not known either', async () => {
		const { error } = await runFansly({
			parameters: { ...params('getAll', { returnAll: true }), authentication: 'constructor' },
			credentials: fansApiCredentials,
		});
		expect(error?.message).toBe('Unknown provider: choose an API Fansly or a Fans API credential for this node');
	});

	it('Get Stats: After past the year 9999 is later than a Before in 2026 (compared as instants, not as text)', async () => {
		const { error } = await runFansly({
			parameters: params('getStats', {
				trackingLink: rl(rawTwitter.id),
				range: { after: '={{ DateTime.fromISO("2026-03-01T00:00:00Z").plus({ years: 8000 }).toISO() }}', before: '2026-03-01T00:00:00Z' },
			}),
			credentials: fansApiCredentials,
		});
		expect(error?.message).toBe('After is later than Before (item 0)');
		expect(nock.pendingMocks()).toEqual([]);
	});
});

describe('output items', () => {
	it('two items that read the same link get equal objects, not one object: a node after this one may edit an item in place', async () => {
		const log: RecordedRequest[] = [];
		listAnswer([rawFyp, rawTwitter], log);
		const get = await runFansly({ parameters: params('get', { trackingLink: rl(rawTwitter.id) }), items: [{}, {}], credentials: fansApiCredentials });
		expect(get.items).toEqual([
			{ json: twitter, pairedItem: { item: 0 } },
			{ json: twitter, pairedItem: { item: 1 } },
		]);
		expect(get.items[0].json).not.toBe(get.items[1].json);
		expect(get.items[0].json.metadata).not.toBe(get.items[1].json.metadata);
		expect(log).toHaveLength(1);

		listAnswer([rawFyp, rawTwitter]);
		const many = await runFansly({ parameters: params('getAll', { returnAll: true }), items: [{}, {}], credentials: fansApiCredentials });
		expect(many.items.map((i) => i.json)).toEqual([fyp, twitter, fyp, twitter]);
		expect(many.items[0].json).not.toBe(many.items[2].json);
		expect(many.items[1].json).not.toBe(many.items[3].json);
	});

	it('Get Many whose filter matches nothing outputs nothing; with Always Output Data, n8n outputs one empty item paired to every input', async () => {
		listAnswer([rawFyp, rawTwitter]);
		listAnswer([rawFyp, rawTwitter]);
		const parameters = params('getAll', { returnAll: true, filters: { labelContains: 'no such label' } });
		const plain = await runFansly({ parameters, items: [{}, {}], credentials: fansApiCredentials });
		expect(plain.error).toBeUndefined();
		expect(plain.items).toEqual([]);
		const always = await runFansly({ parameters, items: [{}, {}], credentials: fansApiCredentials, alwaysOutputData: true });
		expect(always.items).toEqual([
			{
				json: {},
				pairedItem: [
					{ item: 0, input: 0 },
					{ item: 1, input: 0 },
				],
			},
		]);
	});
});
