/**
 * Delete answers, API Fansly envelopes read strictly, Create's
 * "may exist" warning on every error path, and the API key in the new error texts.
 */
import nock from 'nock';
import type { IDataObject, INodeParameters } from 'n8n-workflow';

import { runFansly } from './helpers/engine';
import type { RecordedRequest } from './fixtures/http';
import { recordingReply, trackUnmatched } from './fixtures/http';
import { ACCOUNT, APIFANSLY_BASE, FANSAPI_BASE, META, apiFanslyCredentials, fansApiCredentials, rl } from './fixtures/fansApi';

const LINK = '845759434926862337';
const listPath = `/api/fansly/${ACCOUNT}/tracking-links`;
const tracked = trackUnmatched();

let sent: RecordedRequest[];
beforeEach(() => {
	sent = [];
});
afterEach(() => {
	expect(tracked.unmatched).toEqual([]);
	nock.cleanAll();
});

const deleteParams = (authentication: string, link: string = LINK, options: IDataObject = { retry: false }) =>
	({ authentication, resource: 'trackingLink', operation: 'delete', account: rl(ACCOUNT), trackingLink: rl(link), options }) as INodeParameters;

async function fansDelete(status: number, body: unknown, credentials: Record<string, IDataObject> = fansApiCredentials) {
	nock(FANSAPI_BASE).delete(`${listPath}/${LINK}`).reply(recordingReply(sent, status, JSON.stringify(body) as nock.Body));
	const { items } = await runFansly({ parameters: deleteParams('fansApiApi'), credentials, continueOnFail: true });
	return items[0].json;
}

async function apiFanslyDelete(status: number, body: unknown) {
	nock(APIFANSLY_BASE).delete(listPath).reply(recordingReply(sent, status, (body === '' ? '' : JSON.stringify(body)) as nock.Body));
	const { items } = await runFansly({ parameters: deleteParams('apiFanslyApi'), credentials: apiFanslyCredentials, continueOnFail: true });
	return items[0].json;
}

const DELETED_FANS = { deleted: true, id: LINK, provider: 'fansApi' };
const DELETED_API = { deleted: true, id: LINK, provider: 'apiFansly' };

describe('Fans API Delete answers that plausibly mean success', () => {
	it.each<[string, unknown]>([
		['{"data": null, "errors": []} (an empty error list)', { data: null, errors: [], _meta: META }],
		['{"data": null, "error": ""} (an empty error text)', { data: null, error: '', _meta: META }],
		['{"data": null, "errors": {}} (an empty error bag)', { data: null, errors: {}, _meta: META }],
		['{"data": null, "error": false}', { data: null, error: false, _meta: META }],
	])('%s is the deletion', async (_name, body) => {
		expect(await fansDelete(200, body)).toEqual(DELETED_FANS);
	});
});

describe('Delete answers that say failure must not be output as deleted', () => {
	it('API Fansly: Fansly\'s success "false" (as text) with an error is not the deletion', async () => {
		const item = await apiFanslyDelete(200, {
			statusCode: 200,
			message: 'OK',
			data: { status_code: 200, data: { success: 'false', error: 'Tracking link not found' } },
		});
		expect(item.deleted).toBeUndefined();
	});

	it('API Fansly: a top-level success "false" (as text) is not the deletion', async () => {
		const item = await apiFanslyDelete(200, { success: 'false', error: 'Tracking link not found' });
		expect(item.deleted).toBeUndefined();
	});

	it('Fans API: success "false" (as text) with an error is not the deletion', async () => {
		const item = await fansDelete(200, { data: null, success: 'false', message: 'Could not delete' });
		expect(item.deleted).toBeUndefined();
	});
});

describe('API Fansly answers that real servers plausibly send (must not be refused)', () => {
	it.each<[string, number, unknown]>([
		['204 with no body', 204, ''],
		['statusCode 201 and data null', 200, { statusCode: 201, message: 'Deleted', data: null }],
		['no statusCode, success: true', 200, { success: true, message: 'Tracking link deleted' }],
		['status_code "200" inside', 200, { statusCode: '200', message: 'OK', data: { status_code: '200', data: { success: true } } }],
		['statusCode 200.0 (a JSON number with a decimal point)', 200, '{"statusCode":200.0,"message":"OK","data":null}'],
	])('Delete, %s: the deletion', async (_name, status, body) => {
		if (typeof body === 'string' && body !== '') {
			nock(APIFANSLY_BASE).delete(listPath).reply(recordingReply(sent, status, body as nock.Body));
			const { items } = await runFansly({ parameters: deleteParams('apiFanslyApi'), credentials: apiFanslyCredentials, continueOnFail: true });
			expect(items[0].json).toEqual(DELETED_API);
			return;
		}
		expect(await apiFanslyDelete(status, body)).toEqual(DELETED_API);
	});

	const link = { id: LINK, accountId: 'x', label: 'L', description: 'd', createdAt: 1770544484000 };
	it.each<[string, unknown]>([
		['statusCode 201', { statusCode: 201, message: 'Updated', data: { status_code: 200, data: { success: true, response: link } } }],
		['status_code "200"', { statusCode: 200, message: 'Updated', data: { status_code: '200', data: { success: true, response: link } } }],
		['no statusCode, success: true', { success: true, message: 'Updated', data: { status_code: 200, data: { success: true, response: link } } }],
		['message null', { statusCode: 200, message: null, data: { status_code: 200, data: { success: true, response: link } } }],
	])('Update, %s: the link', async (_name, body) => {
		nock(APIFANSLY_BASE).put(listPath).reply(recordingReply(sent, 200, body as nock.Body));
		const { items } = await runFansly({
			parameters: { authentication: 'apiFanslyApi', resource: 'trackingLink', operation: 'update', account: rl(ACCOUNT), trackingLink: rl(LINK), updateFields: { label: 'L' }, options: { retry: false } } as INodeParameters,
			credentials: apiFanslyCredentials,
			continueOnFail: true,
		});
		expect(items[0].json.error).toBeUndefined();
		expect(items[0].json.label).toBe('L');
	});

	it('Update, a top-level success "false" (as text) next to the link is not taken for success', async () => {
		nock(APIFANSLY_BASE)
			.put(listPath)
			.reply(recordingReply(sent, 200, { statusCode: 200, success: 'false', message: 'Not updated', data: { status_code: 200, data: { success: true, response: link } } } as nock.Body));
		const { items } = await runFansly({
			parameters: { authentication: 'apiFanslyApi', resource: 'trackingLink', operation: 'update', account: rl(ACCOUNT), trackingLink: rl(LINK), updateFields: { label: 'L' }, options: { retry: false } } as INodeParameters,
			credentials: apiFanslyCredentials,
			continueOnFail: true,
		});
		expect(items[0].json.error).toEqual(expect.any(String));
	});
});

describe('a Delete answered 2xx in an unexpected shape may have deleted the link', () => {
	it('Fans API: row 0 answered 200 with the deleted link in data (an error), row 1 of the same link told 404 "not found": the deletion', async () => {
		nock(FANSAPI_BASE).delete(`${listPath}/${LINK}`).reply(recordingReply(sent, 200, { data: { id: LINK }, _meta: META } as nock.Body));
		nock(FANSAPI_BASE).delete(`${listPath}/${LINK}`).reply(recordingReply(sent, 404, { message: 'Tracking link not found.' } as nock.Body));
		const { items } = await runFansly({
			parameters: {
				...deleteParams('fansApiApi', '={{ $json.link }}'),
			} as INodeParameters,
			items: [{ link: LINK }, { link: LINK }],
			credentials: fansApiCredentials,
			continueOnFail: true,
		});
		expect(items[0].json.error).toEqual(expect.any(String));
		expect(items[1].json).toEqual(DELETED_FANS);
	});

	it('Fans API, n8n Retry On Fail: try 1 answered 200 with the link in data, try 2 told 404 "not found": the deletion', async () => {
		nock(FANSAPI_BASE).delete(`${listPath}/${LINK}`).reply(recordingReply(sent, 200, { data: { id: LINK }, _meta: META } as nock.Body));
		nock(FANSAPI_BASE).delete(`${listPath}/${LINK}`).reply(recordingReply(sent, 404, { message: 'Tracking link not found.' } as nock.Body));
		const { items, error } = await runFansly({ parameters: deleteParams('fansApiApi'), credentials: fansApiCredentials, retryOnFail: { maxTries: 2 } });
		expect(error).toBeUndefined();
		expect(items[0]?.json).toEqual(DELETED_FANS);
	});
});

describe('Create that may exist, through the error outputs', () => {
	const WARNING = /may have created the link/;
	const createParams = (options: IDataObject = { retry: false }) =>
		({ authentication: 'fansApiApi', resource: 'trackingLink', operation: 'create', account: rl(ACCOUNT), label: 'Reddit', options }) as INodeParameters;

	it('Continue (regular output): the error item carries the warning', async () => {
		nock(FANSAPI_BASE).post(listPath).reply(recordingReply(sent, 502, { message: 'Bad gateway' } as nock.Body));
		const { items } = await runFansly({ parameters: createParams(), credentials: fansApiCredentials, continueOnFail: true });
		expect(String(items[0].json.description)).toMatch(WARNING);
	});

	it('Continue (using error output): the error item carries the warning', async () => {
		nock(FANSAPI_BASE).post(listPath).reply(recordingReply(sent, 502, { message: 'Bad gateway' } as nock.Body));
		const { errorItems } = await runFansly({ parameters: createParams(), credentials: fansApiCredentials, onError: 'continueErrorOutput' });
		expect(JSON.stringify(errorItems[0].json)).toMatch(WARNING);
	});

	it('a 503 (retried) then a 500: one warning, two POSTs only', async () => {
		nock(FANSAPI_BASE).post(listPath).reply(recordingReply(sent, 503, { message: 'Unavailable' } as nock.Body));
		nock(FANSAPI_BASE).post(listPath).reply(recordingReply(sent, 500, { message: 'Server Error' } as nock.Body));
		const { error } = await runFansly({ parameters: createParams({ retry: true, retryDelay: 1 }), credentials: fansApiCredentials });
		expect(sent).toHaveLength(2);
		expect(error?.description).toMatch(WARNING);
	});

	it('a 200 that is not JSON (a proxy page): the warning', async () => {
		nock(FANSAPI_BASE).post(listPath).reply(200, '<html>ok</html>', { 'content-type': 'text/html' });
		const { error } = await runFansly({ parameters: createParams(), credentials: fansApiCredentials });
		expect(error?.description).toMatch(WARNING);
	});

	it('a 503 (retried) then a time-out with retries left: the error says the link may exist', async () => {
		nock(FANSAPI_BASE).post(listPath).reply(recordingReply(sent, 503, { message: 'Unavailable' } as nock.Body));
		nock(FANSAPI_BASE).post(listPath).delay(400).reply(201, { data: { id: '1', label: 'Reddit' }, _meta: META });
		const { error } = await runFansly({ parameters: createParams({ retry: true, retryDelay: 1, timeout: 100 }), credentials: fansApiCredentials });
		expect(`${error?.message} ${error?.description}`).toMatch(/may have created|duplicate|created twice/);
	});
});

describe('the API key in the new error texts', () => {
	const KEY = 'sk/live+Key=42&x%y"z';
	const creds = { fansApiApi: { apiKey: KEY } };
	const forms = [KEY, encodeURIComponent(KEY), JSON.stringify(KEY).slice(1, -1), encodeURIComponent(encodeURIComponent(KEY))];
	const leaks = (text: string) => forms.filter((f) => text.includes(f)).concat(text.includes('sk/live') ? ['prefix'] : []);

	it.each<[string, (echo: string) => unknown]>([
		['error', (echo) => ({ data: null, error: `bad key ${echo}` })],
		['errors', (echo) => ({ data: null, errors: { key: [`bad key ${echo}`] } })],
		['message with success: false', (echo) => ({ success: false, message: `bad key ${echo}` })],
		['message with error object', (echo) => ({ data: null, message: `bad key ${echo}`, error: { key: echo } })],
	])('Fans API Delete, the key echoed in %s: not in the error item', async (_name, body) => {
		for (const echo of forms) {
			nock(FANSAPI_BASE).delete(`${listPath}/${LINK}`).reply(200, body(echo) as nock.Body, { 'content-type': 'application/json' });
			const { items } = await runFansly({ parameters: deleteParams('fansApiApi'), credentials: creds, continueOnFail: true });
			const text = JSON.stringify(items);
			expect(leaks(text)).toEqual([]);
			expect(leaks(decodeURIComponent(text.replace(/%(?![0-9a-fA-F]{2})/g, '%25')))).toEqual([]);
		}
	});

	it('API Fansly: the key echoed as Fansly\'s status_code (shown in the shape error), cut at 40 characters', async () => {
		const fakeValue = `sk_live_${'0123456789'}abcdefghijklmnopqrstuvwxyz`;
		const padding = 'x'.repeat(30);
		for (const echo of [fakeValue, encodeURIComponent(fakeValue), `${padding}${fakeValue}`, `${padding}${encodeURIComponent(fakeValue)}`]) {
			nock(APIFANSLY_BASE).delete(listPath).reply(200, { statusCode: 200, data: { status_code: echo } } as nock.Body, { 'content-type': 'application/json' });
			const { items } = await runFansly({ parameters: deleteParams('apiFanslyApi'), credentials: { apiFanslyApi: { apiKey: fakeValue } }, continueOnFail: true });
			const text = JSON.stringify(items);
			expect(text).not.toContain('sk_live_0123');
		}
	});
});
