/**
 * Delete on answers that are not a deletion: a 2xx that says the deletion failed, or is in no
 * documented shape, is an error item naming the link, never `{ deleted: true }`.
 */
import nock from 'nock';
import type { IDataObject, INodeParameters } from 'n8n-workflow';

import { runFansly } from './helpers/engine';
import type { RecordedRequest } from './fixtures/http';
import { recordingReply, trackUnmatched } from './fixtures/http';
import {
	ACCOUNT,
	APIFANSLY_BASE,
	APIFANSLY_FAKE_VALUE,
	FANSAPI_BASE,
	FANSAPI_FAKE_VALUE,
	META,
	apiFanslyCredentials,
	fansApiCredentials,
	rl,
} from './fixtures/fansApi';

const LINK = '845759434926862337';
const listPath = `/api/fansly/${ACCOUNT}/tracking-links`;
const tracked = trackUnmatched();
const WHAT = `tracking link "${LINK}" on account "${ACCOUNT}"`;

function deleteParams(authentication: 'apiFanslyApi' | 'fansApiApi'): INodeParameters {
	return {
		authentication,
		resource: 'trackingLink',
		operation: 'delete',
		account: rl(ACCOUNT),
		trackingLink: rl(LINK),
		options: { retry: false },
	} as INodeParameters;
}

let sent: RecordedRequest[];
beforeEach(() => {
	sent = [];
});
afterEach(() => {
	expect(tracked.unmatched).toEqual([]);
	expect(sent).toHaveLength(1);
	nock.cleanAll();
});

async function deleteAnswered(authentication: 'apiFanslyApi' | 'fansApiApi', status: number, body: unknown) {
	const scope =
		authentication === 'fansApiApi'
			? nock(FANSAPI_BASE).matchHeader('authorization', `Bearer ${FANSAPI_FAKE_VALUE}`).delete(`${listPath}/${LINK}`)
			: nock(APIFANSLY_BASE).matchHeader('x-api-key', APIFANSLY_FAKE_VALUE).delete(listPath);
	scope.reply(recordingReply(sent, status, (body === '' ? '' : JSON.stringify(body)) as nock.Body));
	const credentials = authentication === 'fansApiApi' ? fansApiCredentials : apiFanslyCredentials;
	const { items, error } = await runFansly({ parameters: deleteParams(authentication), credentials, continueOnFail: true });
	expect(error).toBeUndefined();
	expect(items).toHaveLength(1);
	return items[0].json;
}

describe('Fans API Delete', () => {
	it.each<[string, number, unknown]>([
		['the documented answer', 200, { data: null, _meta: META }],
		['with a message', 200, { data: null, message: 'Tracking link deleted.', _meta: META }],
		['no body (204)', 204, ''],
	])('%s is the deletion', async (_name, status, body) => {
		expect(await deleteAnswered('fansApiApi', status, body)).toEqual({ deleted: true, id: LINK, provider: 'fansApi' });
	});

	it.each<[string, unknown, string]>([
		['success: false', { success: false, message: 'Tracking link not found' }, 'the answer says the deletion failed: Tracking link not found'],
		['success: false with data', { data: null, success: false, message: 'Tracking link not found' }, 'the answer says the deletion failed: Tracking link not found'],
		['an error beside data', { data: null, error: 'Unauthenticated.' }, 'the answer says the deletion failed: Unauthenticated.'],
		['errors beside data', { data: null, errors: { id: ['The id is invalid.'] } }, 'the answer says the deletion failed: The id is invalid.'],
		['data saying failure', { data: { success: false }, _meta: META }, 'data should be null after a deletion'],
		['a list', [], 'the response body should be object, got array'],
		['text', 'nope', 'the response body should be object, got string'],
		['an object with no data', { foo: 1 }, 'data is missing'],
	])('a 200 with %s is an error naming the link', async (_name, body, detail) => {
		const item = await deleteAnswered('fansApiApi', 200, body);
		expect(item.error).toBe(`Unexpected response from Fans API for ${WHAT}: ${detail}`);
		expect(item.deleted).toBeUndefined();
		expect(item.httpCode).toBe(200);
	});
});

describe('API Fansly Delete', () => {
	it('a 200 with Fansly\'s success: false and no envelope is its refusal, in its words', async () => {
		const item = await deleteAnswered('apiFanslyApi', 200, { success: false, error: 'Tracking link not found' });
		expect(item.error).toBe(`API Fansly refused the request for ${WHAT} (HTTP 400): Tracking link not found`);
		expect(item.providerMessage).toBe('Tracking link not found');
		expect(item.deleted).toBeUndefined();
	});

	it('an envelope that says success is the deletion', async () => {
		const body: IDataObject = { statusCode: 200, message: 'Tracking link deleted', data: { status_code: 200, data: { success: true } } };
		expect(await deleteAnswered('apiFanslyApi', 200, body)).toEqual({ deleted: true, id: LINK, provider: 'apiFansly' });
	});
});
