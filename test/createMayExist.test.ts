/**
 * Create after a failure where the link may have been created: the node never sends it again
 * (README: "A Create is never sent again after a failure where it may have reached the
 * provider"), and the error says so, so that nobody runs the row again blindly.
 */
import nock from 'nock';
import type { IDataObject, INodeParameters } from 'n8n-workflow';

import { runFansly } from './helpers/engine';
import type { RecordedRequest } from './fixtures/http';
import { recordingReply, trackUnmatched } from './fixtures/http';
import { ACCOUNT, FANSAPI_BASE, FANSAPI_FAKE_VALUE, META, fansApiCredentials, rl } from './fixtures/fansApi';

const linksPath = `/api/fansly/${ACCOUNT}/tracking-links`;
const tracked = trackUnmatched();
const fansApi = () => nock(FANSAPI_BASE).matchHeader('authorization', `Bearer ${FANSAPI_FAKE_VALUE}`);
const createParams = (options: IDataObject) =>
	({ authentication: 'fansApiApi', resource: 'trackingLink', operation: 'create', account: rl(ACCOUNT), label: 'Reddit', options }) as INodeParameters;

const WARNING =
	"Fans API may have created the link although the request failed. Check the account's links (Get Many) before running this item again, or the link may be created twice.";
const reset = () => Object.assign(new Error('socket hang up'), { code: 'ECONNRESET' });

let sent: RecordedRequest[];
beforeEach(() => {
	sent = [];
});
afterEach(() => {
	expect(tracked.unmatched).toEqual([]);
	nock.cleanAll();
});

describe('Create: a failure after which the link may exist says so', () => {
	it.each<[string, IDataObject, () => void, string]>([
		['HTTP 500', { retry: true, retryDelay: 1 }, () => fansApi().post(linksPath).reply(recordingReply(sent, 500, { message: 'Server Error' })), 'Fans API returned HTTP 500 for account "fansly_acct_ABCDEF123456789": Server Error (item 0)'],
		['HTTP 502', { retry: true, retryDelay: 1 }, () => fansApi().post(linksPath).reply(recordingReply(sent, 502, { message: 'Bad gateway' })), 'Fans API returned HTTP 502 for account "fansly_acct_ABCDEF123456789": Bad gateway (item 0)'],
		['HTTP 504', { retry: true, retryDelay: 1 }, () => fansApi().post(linksPath).reply(recordingReply(sent, 504, '')), 'Fans API returned HTTP 504 for account "fansly_acct_ABCDEF123456789" (item 0)'],
		[
			'a reset connection with Retry off',
			{ retry: false },
			() =>
				fansApi()
					.post(linksPath)
					.reply(async (req: Request) => {
						sent.push({ method: req.method, path: new URL(req.url).pathname, search: '', headers: {}, bodyText: '', body: undefined });
						throw reset();
					}),
			'Fans API request for account "fansly_acct_ABCDEF123456789" failed after 1 attempt: network error ECONNRESET (item 0)',
		],
	])('%s: one POST, and the error warns that the link may exist', async (_name, options, mock, message) => {
		mock();
		const { error } = await runFansly({ parameters: createParams(options), credentials: fansApiCredentials });
		expect(sent.map((r) => r.method)).toEqual(['POST']);
		expect(error?.message).toBe(message);
		expect(error?.description).toBe(WARNING);
	});

	it('a 201 with no link in it: the shape error says so, and warns that the link may exist', async () => {
		fansApi().post(linksPath).reply(recordingReply(sent, 201, { data: null, _meta: META }));
		const { error } = await runFansly({ parameters: createParams({}), credentials: fansApiCredentials });
		expect(sent).toHaveLength(1);
		expect(error?.message).toMatch(/^Unexpected response from Fans API for /);
		expect(error?.description).toBe(
			`The provider answered successfully but not in the documented shape. The provider may have changed its API; nothing in the response was used. ${WARNING}`,
		);
	});

	it('a refusal (422) created nothing: no warning', async () => {
		fansApi().post(linksPath).reply(recordingReply(sent, 422, { message: 'The label has already been taken.' }));
		const { error } = await runFansly({ parameters: createParams({}), credentials: fansApiCredentials });
		expect(error?.message).toContain('HTTP 422');
		expect(error?.description ?? '').not.toContain('created twice');
	});
});
