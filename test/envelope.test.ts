/**
 * API Fansly's envelope `{statusCode, message, data, timestamp}` and Fansly's answer inside it
 * (`data.status_code`, `data.data.{success, response, error}`), read by the transport (is a 2xx
 * answer a 429 or 5xx to retry?) and by the operation (the link, or the refusal): which statuses
 * are read, whose words a refusal carries, and what reading an answer costs. Through n8n's real
 * engine, the provider's host mocked, except the last block (the reading itself).
 */
import nock from 'nock';
import type { IDataObject, INodeParameters } from 'n8n-workflow';

import { runFansly } from './helpers/engine';
import type { RecordedRequest, ReplyTuple } from './fixtures/http';
import { recordingReply, trackUnmatched } from './fixtures/http';
import { ACCOUNT, APIFANSLY_BASE, APIFANSLY_FAKE_VALUE, apiFanslyCredentials, rl } from './fixtures/fansApi';
import { apiFansly as apiFanslyProvider } from '../nodes/Fansly/providers/apiFansly';
import type { ProviderRequest, ProviderResponse } from '../nodes/Fansly/providers/types';
import { Secrets } from '../nodes/Fansly/transport/secrets';

const LINK = '845759434926862336';
const PATH = `/api/fansly/${ACCOUNT}/tracking-links`;
const WHAT = `tracking link "${LINK}" on account "${ACCOUNT}"`;
const TIMESTAMP = '2026-03-21T04:08:45.000Z';
const SHAPE_DESCRIPTION =
	'The provider answered successfully but not in the documented shape. The provider may have changed its API; nothing in the response was used.';

/** The link as the seed's update answer gives it (`data.data.response`). */
const rawLink = {
	id: LINK,
	accountId: '800000000000000001',
	label: 'Renamed',
	description: 'In the Twitter bio',
	metadata: '{"source":"twitter"}',
	createdAt: 1770544484000,
	clicks: 584,
	claims: 0,
	follows: 27,
	subscriptions: 4,
	totalNet: 10500,
	totalGross: 15000,
};

const renamed = {
	id: LINK,
	accountId: ACCOUNT,
	fanslyAccountId: '800000000000000001',
	label: 'Renamed',
	description: 'In the Twitter bio',
	type: null,
	status: null,
	metadata: { source: 'twitter' },
	createdAt: '2026-02-08T09:54:44.000Z',
	clicks: 584,
	claims: 0,
	follows: 27,
	subscriptions: 4,
	totalNet: 10500,
	totalGross: 15000,
	provider: 'apiFansly',
};

/** A JSON answer's body. */
type Answer = Record<string, unknown>;

/** The seed's update answer, with the envelope and Fansly's status given. */
function updated(statusCode: unknown, status_code: unknown = 200): Answer {
	return {
		statusCode,
		message: 'Tracking link updated successfully',
		data: { status_code, data: { success: true, response: rawLink } },
		timestamp: TIMESTAMP,
	};
}

/** A good envelope around Fansly's answer `data`. */
function around(data: unknown, message = 'OK'): Answer {
	return { statusCode: 200, message, data, timestamp: TIMESTAMP };
}

const deleted = { statusCode: 200, message: 'Tracking link deleted', data: null, timestamp: TIMESTAMP };

const tracked = trackUnmatched();

function api() {
	return nock(APIFANSLY_BASE).matchHeader('x-api-key', APIFANSLY_FAKE_VALUE);
}

type Operation = 'update' | 'delete';

/** Runs one item of `operation` (label "Renamed"), Continue On Fail, each answer in turn. */
async function run(operation: Operation, answers: ReplyTuple[], options: IDataObject = { retry: true, retryDelay: 1 }) {
	const log: RecordedRequest[] = [];
	const scope = api();
	for (const answer of answers) scope.intercept(PATH, operation === 'update' ? 'PUT' : 'DELETE').reply(recordingReply(log, ...answer));
	const { items, error } = await runFansly({
		parameters: {
			authentication: 'apiFanslyApi',
			resource: 'trackingLink',
			operation,
			account: rl(ACCOUNT),
			trackingLink: rl(LINK),
			updateFields: { label: 'Renamed' },
			options,
		} as INodeParameters,
		credentials: apiFanslyCredentials,
		continueOnFail: true,
	});
	expect(error).toBeUndefined();
	expect(scope.isDone()).toBe(true);
	expect(nock.pendingMocks()).toEqual([]);
	expect(tracked.unmatched).toEqual([]);
	const sent = operation === 'update' ? { id: LINK, label: 'Renamed' } : { trackingLinkId: LINK };
	expect(log.map((r) => [r.method, r.path, r.body])).toEqual(answers.map(() => [operation === 'update' ? 'PUT' : 'DELETE', PATH, sent]));
	return items.map((item) => [item.json, item.pairedItem]);
}

/** The error item of the one input item. */
function failed(error: string, httpCode: number, extra: IDataObject = {}) {
	return [
		[
			{ error, itemIndex: 0, accountId: ACCOUNT, trackingLinkId: LINK, httpCode, provider: 'apiFansly', ...extra },
			{ item: 0 },
		],
	];
}

function shapeFailure(detail: string) {
	return failed(`Unexpected response from API Fansly for ${WHAT}: ${detail}`, 200, { description: SHAPE_DESCRIPTION });
}

const gone = [[{ deleted: true, id: LINK, provider: 'apiFansly' }, { item: 0 }]];

// ---------------------------------------------------------------------------------------------
describe('API Fansly: a status is read only when it is one, a whole number from 100 to 599 (a JSON number, or its digits as text)', () => {
	// Each was read by Number(): "5e2" and "0x1f4" as 500 (retried), " 404 " as 404, "" as 0
	// and "abc" as NaN (both a success).
	const unreadable: unknown[] = ['5e2', '0x1f4', ' 404 ', '404 ', '', 'abc', '0404', '+404', '404.0', '4.04e2', 4.5, 0, 99, 600, 1e21, -500];

	it.each(unreadable)('the envelope’s statusCode %j: an answer in an unexpected shape, not retried', async (statusCode) => {
		expect(await run('update', [[200, updated(statusCode)]])).toEqual(
			shapeFailure(`statusCode is not an HTTP status (${JSON.stringify(statusCode)})`),
		);
	});

	it.each([...unreadable, null, true, { code: 500 }, [500]])(
		'Fansly’s status_code %j: an answer in an unexpected shape, never a deletion, not retried',
		async (status_code) => {
			expect(await run('delete', [[200, around({ status_code, data: { success: true, response: true } })]])).toEqual(
				shapeFailure(`data.status_code is not an HTTP status (${JSON.stringify(status_code)})`),
			);
		},
	);

	it.each(['5e2', '0x1f4', ''])('Fansly’s status_code %j in an update answer: the same', async (status_code) => {
		expect(await run('update', [[200, updated(200, status_code)]])).toEqual(
			shapeFailure(`data.status_code is not an HTTP status (${JSON.stringify(status_code)})`),
		);
	});

	it('a status quoted long is cut short', async () => {
		const statusCode = `500${' '.repeat(60)}`;
		expect(await run('update', [[200, updated(statusCode)]])).toEqual(
			shapeFailure(`statusCode is not an HTTP status (${JSON.stringify(statusCode).slice(0, 40)}…)`),
		);
	});

	it.each<[string, unknown, unknown]>([
		['numbers', 200, 200],
		['texts', '200', '200'],
		['201 and 204, as text', '201', '204'],
		['the envelope’s absent (Fansly’s answer says)', undefined, 200],
		['Fansly’s absent', 200, undefined],
		['a 3xx in the envelope (below 400: no failure)', 304, 200],
	])('statuses that say success, as %s: the link', async (_name, statusCode, status_code) => {
		expect(await run('update', [[200, updated(statusCode, status_code)]])).toEqual([[renamed, { item: 0 }]]);
	});

	it.each<[string, unknown, unknown, number, string]>([
		['the envelope’s "404" (text)', '404', 200, 404, 'Tracking link updated successfully'],
		['the envelope’s 499', 499, 200, 499, 'Tracking link updated successfully'],
		['Fansly’s "403" (text)', 200, '403', 403, ''],
		['Fansly’s 400', '200', 400, 400, ''],
	])('%s: that refusal', async (_name, statusCode, status_code, status, words) => {
		const said = words ? `: ${words}` : '';
		expect(await run('update', [[200, updated(statusCode, status_code)]], { retry: false })).toEqual(
			failed(`API Fansly refused the request for ${WHAT} (HTTP ${status})${said}`, status, words ? { providerMessage: words } : {}),
		);
	});

	it('Fansly’s "503" (text): retried as a 503, then the deletion', async () => {
		expect(await run('delete', [[200, around({ status_code: '503', data: null })], [200, deleted]])).toEqual(gone);
	});

	// The envelope schema's own words, as before.
	it.each<[string, unknown, string]>([
		['a statusCode of null', { statusCode: null, message: 'OK', data: null }, 'statusCode has an unexpected type'],
		['a statusCode of true', { statusCode: true, message: 'OK', data: null }, 'statusCode has an unexpected type'],
		['a message that is no text', { statusCode: 200, message: 5, data: null }, 'message should be string, got number'],
		['an array', [{ statusCode: 200 }], 'the response body should be object, got array'],
		['a number', 200, 'the response body should be object, got number'],
		['null', null, 'the response body should be object, got null'],
	])('an envelope with %s: the same clear error as before', async (_name, body, detail) => {
		expect(await run('delete', [[200, JSON.stringify(body), { 'content-type': 'application/json' }]])).toEqual(shapeFailure(detail));
	});
});

// ---------------------------------------------------------------------------------------------
describe('API Fansly: a failure Fansly’s answer tells inside a good envelope carries Fansly’s words, or none, never the envelope’s', () => {
	it.each<[string, Answer, number]>([
		// The seed's envelope message, "Tracking link updated successfully", describes the envelope.
		['an inner 404 (the link still in its answer)', updated(200, 404), 404],
		['an inner 403, its answer null', { ...updated(200, 403), data: { status_code: 403, data: null } }, 403],
		['success: false under an inner 200', { ...updated(200), data: { status_code: 200, data: { success: false } } }, 400],
		['success: false with no envelope status', { message: 'Success', data: { status_code: 200, data: { success: false } } }, 400],
	])('%s: the refusal without words', async (_name, body, status) => {
		expect(await run('update', [[200, body]], { retry: false })).toEqual(failed(`API Fansly refused the request for ${WHAT} (HTTP ${status})`, status));
	});

	it.each<[string, Answer, string]>([
		['data.data.error.message', { status_code: 404, data: { success: false, error: { message: 'Tracking link not found' } } }, 'Tracking link not found'],
		['data.data.error as text', { status_code: 404, data: { success: false, error: 'Account not found' } }, 'Account not found'],
		['data.data.response as text', { status_code: 200, data: { success: false, response: 'Label too long' } }, 'Label too long'],
	])('Fansly’s own words in %s: kept', async (_name, data, words) => {
		const status = data.status_code === 404 ? 404 : 400;
		expect(await run('update', [[200, around(data)]], { retry: false })).toEqual(
			failed(`API Fansly refused the request for ${WHAT} (HTTP ${status}): ${words}`, status, { providerMessage: words }),
		);
	});

	it('the envelope’s own refusal keeps its words', async () => {
		const body = { statusCode: 404, message: 'Tracking link not found', data: null, timestamp: TIMESTAMP };
		expect(await run('update', [[200, body]], { retry: false })).toEqual(
			failed(`API Fansly refused the request for ${WHAT} (HTTP 404): Tracking link not found`, 404, { providerMessage: 'Tracking link not found' }),
		);
	});

	describe('a Delete after an attempt that may have deleted the link (a 502)', () => {
		it('an inner 404 without words, under the envelope’s "Tracking link deleted": nothing says the link is missing, so an error, not the deletion', async () => {
			const answer = around({ status_code: 404, data: { success: false } }, 'Tracking link deleted');
			expect(await run('delete', [[502, ''], [200, answer]])).toEqual(failed(`API Fansly refused the request for ${WHAT} (HTTP 404)`, 404));
		});

		it('an inner 404 whose words name the link: the deletion', async () => {
			const answer = around({ status_code: 404, data: { success: false, error: { message: 'Tracking link not found' } } });
			expect(await run('delete', [[502, ''], [200, answer]])).toEqual(gone);
		});

		it('an inner 404 whose words name the account: an error', async () => {
			const answer = around({ status_code: 404, data: { success: false, error: { message: 'Account not found' } } }, 'Tracking link deleted');
			expect(await run('delete', [[502, ''], [200, answer]])).toEqual(
				failed(`API Fansly refused the request for ${WHAT} (HTTP 404): Account not found`, 404, { providerMessage: 'Account not found' }),
			);
		});
	});

	describe('a 429 or 5xx inside a good envelope, met by the transport as that status (Retry off)', () => {
		it.each<[string, unknown]>([
			['its answer null', null],
			['success: false', { success: false }],
			['an error without a message', { success: false, error: { code: 17 } }],
		])('Fansly’s 503, %s: the error has no words, not the envelope’s "OK"', async (_name, data) => {
			expect(await run('delete', [[200, around({ status_code: 503, data })]], { retry: false })).toEqual(
				failed(`API Fansly returned HTTP 503 for ${WHAT}`, 503),
			);
		});

		it('Fansly’s 500 with its words: those words', async () => {
			const answer = around({ status_code: 500, data: { success: false, error: { message: 'Internal error' } } });
			expect(await run('delete', [[200, answer]], { retry: false })).toEqual(
				failed(`API Fansly returned HTTP 500 for ${WHAT}: Internal error`, 500, { providerMessage: 'Internal error' }),
			);
		});
	});

	it.each<[string, number, unknown, string]>([
		['an envelope with its status', 404, { statusCode: 404, message: 'Tracking link not found', data: null }, 'Not found: tracking link'],
		['a bare message (no envelope status)', 404, { message: 'Tracking link not found' }, 'Not found: tracking link'],
	])('an HTTP error answer, %s: its message, as before', async (_name, status, body, start) => {
		const words = 'Tracking link not found';
		expect(await run('update', [[status, body as IDataObject]], { retry: false })).toEqual(
			failed(`${start} "${LINK}" on account "${ACCOUNT}" (HTTP ${status}): ${words}`, status, {
				providerMessage: words,
				description: 'Check the IDs: API Fansly does not know this account or tracking link.',
			}),
		);
	});
});

// ---------------------------------------------------------------------------------------------
describe('API Fansly: reading an answer is a few property reads, the envelope never copied', () => {
	/** `value` behind a proxy that counts how often its keys are listed (what copying it takes). */
	function counted<T extends object>(value: T, listed: { count: number }): T {
		return new Proxy(value, {
			ownKeys(target) {
				listed.count++;
				return Reflect.ownKeys(target);
			},
		});
	}

	it('the transport’s reading and the update’s: the link, and no key of the envelope or of Fansly’s answer listed', async () => {
		const listed = { count: 0 };
		const inner = counted({ success: true, response: { ...rawLink } }, listed);
		const body = counted({ statusCode: 200, message: 'OK', data: counted({ status_code: 200, data: inner }, listed), timestamp: TIMESTAMP }, listed);
		const sent: ProviderRequest[] = [];
		const client = {
			secrets: new Secrets([APIFANSLY_FAKE_VALUE]),
			send: async (request: ProviderRequest): Promise<ProviderResponse> => {
				sent.push(request);
				// The transport's own reading of a 2xx answer.
				expect(apiFanslyProvider.statusInside?.(body)).toBeUndefined();
				return { statusCode: 200, headers: {}, body };
			},
		};
		const lookup = {
			find: async () => {
				throw new Error('API Fansly reads no list');
			},
		};
		const link = await apiFanslyProvider.updateTrackingLink(client, ACCOUNT, LINK, { label: 'Renamed' }, lookup);
		expect(link).toEqual(renamed);
		expect(sent.map((r) => [r.method, r.path, r.body])).toEqual([['PUT', PATH, { id: LINK, label: 'Renamed' }]]);
		expect(listed.count).toBe(0);
	});

	it.each<[string, unknown, number | undefined]>([
		['an envelope 503', { statusCode: 503, message: 'Service unavailable', data: null }, 503],
		['an envelope "429"', { statusCode: '429', message: 'Rate limit exceeded', data: null }, 429],
		['Fansly’s 502', around({ status_code: 502, data: null }), 502],
		['Fansly’s success: false (a refusal of 400)', around({ status_code: 200, data: { success: false } }), 400],
		['an unreadable status', around({ status_code: '5e2', data: null }), undefined],
		['the seed’s answer', updated(200), undefined],
	])('the transport’s view of %s', (_name, body, status) => {
		expect(apiFanslyProvider.statusInside?.(body)).toBe(status);
	});
});
