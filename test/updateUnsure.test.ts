/**
 * Update (Fans API) after an earlier row's update of the same link failed in a way the provider
 * may still have carried it out: later rows of that link do not trust what the run knew before
 * (the list read before it, or nothing), they read the account again. "Updates to the same link
 * never run at the same time and keep input order, so the last row wins" holds then too.
 */
import nock from 'nock';
import type { IDataObject } from 'n8n-workflow';

import { runFansly } from './helpers/engine';
import type { RecordedRequest } from './fixtures/http';
import { recordingReply, trackUnmatched } from './fixtures/http';
import {
	ACCOUNT,
	FANSAPI_BASE,
	FANSAPI_FAKE_VALUE,
	META,
	fansApiCredentials,
	listBody,
	rawFyp,
	rawTwitter,
	twitter,
	UNKNOWN_COUNTERS,
} from './fixtures/fansApi';
import { updateRowsParams } from './fixtures/updateRows';

const T = rawTwitter.id;
const OTHER = '845759434926862999';
const listPath = `/api/fansly/${ACCOUNT}/tracking-links`;
const linkPath = `${listPath}/${T}`;
const tracked = trackUnmatched();

/** Every request, in the order sent: method, path and body. */
let sent: RecordedRequest[];
const requests = () => sent.map((r) => [r.method, r.path, r.body]);

function fansApi() {
	return nock(FANSAPI_BASE).matchHeader('authorization', `Bearer ${FANSAPI_FAKE_VALUE}`);
}
const list = (links: unknown[]) => fansApi().get(listPath).reply(recordingReply(sent, 200, listBody(links)));
const put = (path: string, status: number, body: unknown) => fansApi().put(path).reply(recordingReply(sent, status, body as nock.Body));
/** Fans API's answer to an update: the link, with the counters it does not send there. */
const updated = (fields: IDataObject) => ({ data: { ...rawTwitter, ...UNKNOWN_COUNTERS, ...fields }, _meta: META });

const run = async (options: IDataObject, items: IDataObject[]) =>
	await runFansly({ parameters: updateRowsParams(options), items, credentials: fansApiCredentials, continueOnFail: true });

beforeEach(() => {
	sent = [];
});
afterEach(() => {
	expect(tracked.unmatched).toEqual([]);
	expect(nock.pendingMocks()).toEqual([]);
	nock.cleanAll();
});

describe('Only Update When Different, after an update of the link that may have been made', () => {
	it.each<[string, () => void]>([
		['answered 200 about another link', () => put(linkPath, 200, updated({ id: OTHER, label: 'New' }))],
		['answered 502', () => put(linkPath, 502, { message: 'Bad gateway' })],
		['answered 200 in an unexpected shape', () => put(linkPath, 200, { data: 'done', _meta: META })],
	])('row 0 %s: row 1 compares with the account read again, and is sent when the link changed', async (_name, answerRow0) => {
		list([rawTwitter]);
		answerRow0();
		list([{ ...rawTwitter, label: 'New' }]);
		put(linkPath, 200, updated({ label: rawTwitter.label }));
		const { items } = await run({ onlyUpdateWhenDifferent: true }, [
			{ link: T, label: 'New' },
			{ link: T, label: rawTwitter.label },
		]);
		expect(requests()).toEqual([
			['GET', listPath, undefined],
			['PUT', linkPath, { label: 'New' }],
			['GET', listPath, undefined],
			['PUT', linkPath, { label: rawTwitter.label }],
		]);
		expect(items).toHaveLength(2);
		expect(items[0].json.error).toEqual(expect.any(String));
		expect(items[1].json).toEqual({ ...twitter, ...UNKNOWN_COUNTERS, skipped: false });
		expect(items[1].pairedItem).toEqual({ item: 1 });
	});

	it('row 0 answered 502 and the account read again shows it was not made: row 1, asking what the link holds, is skipped', async () => {
		list([rawTwitter]);
		put(linkPath, 502, { message: 'Bad gateway' });
		list([rawTwitter]);
		const { items } = await run({ onlyUpdateWhenDifferent: true }, [
			{ link: T, label: 'New' },
			{ link: T, label: rawTwitter.label },
		]);
		expect(requests()).toEqual([
			['GET', listPath, undefined],
			['PUT', linkPath, { label: 'New' }],
			['GET', listPath, undefined],
		]);
		expect(items[1].json).toEqual({ ...twitter, skipped: true });
	});
});

describe('A description-only row after an update of the link that may have been made', () => {
	it('row 0 set a label and got 502: row 1 sends the label the account holds now, not the one listed before', async () => {
		// Row 0 (another link, description only) reads the list: the link is "Twitter Bio" then.
		list([rawFyp, rawTwitter]);
		put(`${listPath}/${rawFyp.id}`, 200, { data: { ...rawFyp, ...UNKNOWN_COUNTERS, description: 'x' }, _meta: META });
		put(linkPath, 502, { message: 'Bad gateway' });
		list([rawFyp, { ...rawTwitter, label: 'New' }]);
		put(linkPath, 200, updated({ label: 'New', description: 'd' }));
		const { items } = await run({ maxConcurrency: 1 }, [
			{ link: rawFyp.id, description: 'x' },
			{ link: T, label: 'New' },
			{ link: T, description: 'd' },
		]);
		expect(requests()).toEqual([
			['GET', listPath, undefined],
			['PUT', `${listPath}/${rawFyp.id}`, { label: rawFyp.label, description: 'x' }],
			['PUT', linkPath, { label: 'New' }],
			['GET', listPath, undefined],
			['PUT', linkPath, { label: 'New', description: 'd' }],
		]);
		expect(items[1].json.httpCode).toBe(502);
		expect(items[2].json).toEqual({ ...twitter, ...UNKNOWN_COUNTERS, label: 'New', description: 'd' });
	});

	it('two unsure updates in a row: each later row reads the account after the update before it', async () => {
		put(linkPath, 502, { message: 'Bad gateway' });
		list([{ ...rawTwitter, label: 'A' }]);
		put(linkPath, 200, { data: 'done', _meta: META });
		list([{ ...rawTwitter, label: 'A', description: 'c' }]);
		put(linkPath, 200, updated({ label: 'A', description: 'd' }));
		const { items } = await run({}, [
			{ link: T, label: 'A' },
			{ link: T, description: 'c' },
			{ link: T, description: 'd' },
		]);
		expect(requests()).toEqual([
			['PUT', linkPath, { label: 'A' }],
			['GET', listPath, undefined],
			['PUT', linkPath, { label: 'A', description: 'c' }],
			['GET', listPath, undefined],
			['PUT', linkPath, { label: 'A', description: 'd' }],
		]);
		expect(items.map((i) => i.json.error === undefined)).toEqual([false, false, true]);
	});

	it('two links unsure one after the other: each later row takes its link from one read made after both, not from the list read before', async () => {
		const fypPath = `${listPath}/${rawFyp.id}`;
		list([rawFyp, rawTwitter]);
		put(linkPath, 200, updated({ description: 'x' }));
		put(linkPath, 502, { message: 'Bad gateway' });
		put(fypPath, 502, { message: 'Bad gateway' });
		list([{ ...rawFyp, label: 'F1' }, { ...rawTwitter, label: 'T1' }]);
		put(linkPath, 200, updated({ label: 'T1', description: 'd' }));
		put(fypPath, 200, { data: { ...rawFyp, ...UNKNOWN_COUNTERS, label: 'F1', description: 'e' }, _meta: META });
		const { items } = await run({ maxConcurrency: 1 }, [
			{ link: T, description: 'x' },
			{ link: T, label: 'T1' },
			{ link: rawFyp.id, label: 'F1' },
			{ link: T, description: 'd' },
			{ link: rawFyp.id, description: 'e' },
		]);
		expect(requests()).toEqual([
			['GET', listPath, undefined],
			['PUT', linkPath, { label: rawTwitter.label, description: 'x' }],
			['PUT', linkPath, { label: 'T1' }],
			['PUT', fypPath, { label: 'F1' }],
			['GET', listPath, undefined],
			['PUT', linkPath, { label: 'T1', description: 'd' }],
			['PUT', fypPath, { label: 'F1', description: 'e' }],
		]);
		expect(items.map((i) => i.json.error === undefined)).toEqual([true, false, false, true, true]);
	});

	it('a refusal (422) changed nothing: the list read before is still used, and the account is not read again', async () => {
		list([rawTwitter]);
		put(linkPath, 200, updated({ description: 'x' }));
		put(linkPath, 422, { message: 'The label has already been taken.' });
		put(linkPath, 200, updated({ description: 'y' }));
		const { items } = await run({}, [
			{ link: T, description: 'x' },
			{ link: T, label: 'Taken' },
			{ link: T, description: 'y' },
		]);
		expect(requests()).toEqual([
			['GET', listPath, undefined],
			['PUT', linkPath, { label: rawTwitter.label, description: 'x' }],
			['PUT', linkPath, { label: 'Taken' }],
			['PUT', linkPath, { label: rawTwitter.label, description: 'y' }],
		]);
		expect(items[1].json.httpCode).toBe(422);
	});

	it('a failed label look-up sent no update: the next row of the link fails with the same read, which is not made again', async () => {
		fansApi().get(listPath).reply(recordingReply(sent, 500, { message: 'Server Error' }));
		const { items } = await run({}, [
			{ link: T, description: 'x' },
			{ link: T, description: 'y' },
		]);
		expect(requests()).toEqual([['GET', listPath, undefined]]);
		expect(items.map((i) => i.json.httpCode)).toEqual([500, 500]);
	});
});
