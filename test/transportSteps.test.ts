/**
 * The transport's own promises, below n8n's HTTP layer: what it sends, waits and says when an
 * execution is cancelled, how long it backs off, and the request it hands to n8n. Through n8n's
 * engine a cancelled run shows the router's message, and n8n's HTTP helper sends nothing on an
 * aborted signal by itself, so the transport's own checks cannot be told apart there (the
 * whole suite passed without them); here the helper is a stand-in that records every request
 * it is handed and answers whatever the signal says.
 */
import type { IDataObject, IExecuteFunctions, IHttpRequestOptions } from 'n8n-workflow';

import { FanslyError } from '../nodes/Fansly/helpers/errors';
import { providerFor } from '../nodes/Fansly/providers';
import type { ProviderRequest, TrackingLinkProvider } from '../nodes/Fansly/providers/types';
import type { TransportSettings } from '../nodes/Fansly/transport';
import { createTransport, Transport } from '../nodes/Fansly/transport';
import type { Clock } from '../nodes/Fansly/transport/rateLimiter';
import { rateBudgets } from '../nodes/Fansly/transport/budget';
import { hintedWait } from '../nodes/Fansly/transport/retry';

const provider = providerFor('fansApiApi') as TrackingLinkProvider;
const KEY = 'sk-transport-steps-key';

const REQUEST: ProviderRequest = {
	method: 'PUT',
	path: '/api/fansly/acct_1/tracking-links/845759434926862336',
	body: { label: 'L' },
	idempotent: true,
	subject: 'tracking link "845759434926862336" on account "acct_1"',
};

interface Answer {
	statusCode: number;
	headers?: IDataObject;
	body?: string;
}

/** A stand-in for n8n's helper: records each request, then `answer` decides what comes back (an Error is thrown). */
function standIn(answer: (call: number, options: IHttpRequestOptions) => Answer | Error) {
	const sent: IHttpRequestOptions[] = [];
	const ctx = {
		getNode: () => ({ credentials: { fansApiApi: { id: '1', name: 'Fans API account' } } }),
		helpers: {
			httpRequestWithAuthentication: async (_type: string, options: IHttpRequestOptions) => {
				sent.push(options);
				const answered = answer(sent.length, options);
				if (answered instanceof Error) throw answered;
				const { statusCode, headers = {}, body = '{"data":{}}' } = answered;
				return { statusCode, headers: { 'content-type': 'application/json', ...headers }, body: Buffer.from(body) };
			},
		},
	} as unknown as IExecuteFunctions;
	return { ctx, sent };
}

/** A clock that records each wait and lets it pass at once, unless the signal has aborted. */
function recordingClock(): Clock & { waits: number[] } {
	const waits: number[] = [];
	return {
		waits,
		now: () => 0,
		sleep: async (ms, signal) => {
			waits.push(ms);
			if (signal?.aborted) throw new Error('aborted');
		},
	};
}

const settings = (overrides: Partial<TransportSettings> = {}): TransportSettings => ({
	retry: { enabled: true, maxRetries: 3, baseDelay: 100, maxWait: 10_000 },
	timeout: 5_000,
	requestsPerMinute: 600,
	...overrides,
});

async function failure(promise: Promise<unknown>): Promise<FanslyError> {
	const error = await promise.then(
		() => undefined,
		(e: unknown) => e,
	);
	expect(error).toBeInstanceOf(FanslyError);
	return error as FanslyError;
}

describe('a cancelled execution', () => {
	test('cancelled before the request: nothing is sent, and the error says "not sent"', async () => {
		const { ctx, sent } = standIn(() => ({ statusCode: 200 }));
		const cancel = new AbortController();
		cancel.abort();
		const transport = new Transport(ctx, provider, { credentials: { apiKey: KEY }, settings: settings(), signal: cancel.signal });
		const error = await failure(transport.send(REQUEST));
		transport.release();
		expect(error.message).toBe(`The execution was cancelled: the request for ${REQUEST.subject} was not sent`);
		expect(error.details).toMatchObject({ kind: 'cancelled', attempts: 0 });
		expect(sent).toEqual([]);
	});

	test('cancelled while the answer is on its way: it is not used, and the error says "abandoned"', async () => {
		const cancel = new AbortController();
		const { ctx, sent } = standIn(() => {
			cancel.abort();
			return { statusCode: 200 };
		});
		const transport = new Transport(ctx, provider, { credentials: { apiKey: KEY }, settings: settings(), signal: cancel.signal });
		const error = await failure(transport.send(REQUEST));
		transport.release();
		expect(error.message).toBe(`The execution was cancelled: the request for ${REQUEST.subject} was abandoned`);
		expect(error.details).toMatchObject({ kind: 'cancelled', attempts: 1 });
		expect(sent).toHaveLength(1);
	});

	test('cancelled while waiting for the key\'s next slot: the request is not sent', async () => {
		const cancel = new AbortController();
		const { ctx, sent } = standIn(() => ({ statusCode: 200 }));
		// One request a minute: the first takes the slot, the second waits for the next window.
		const transport = new Transport(ctx, provider, { credentials: { apiKey: KEY }, settings: settings({ requestsPerMinute: 1 }), signal: cancel.signal });
		await transport.send(REQUEST);
		const second = transport.send(REQUEST);
		cancel.abort();
		const error = await failure(second);
		transport.release();
		expect(error.message).toBe(`The execution was cancelled: the request for ${REQUEST.subject} was not sent`);
		expect(error.details).toMatchObject({ kind: 'cancelled', attempts: 0 });
		expect(sent).toHaveLength(1);
	});

	test('cancelled during the wait before a retry: no retry is sent, and the error says "abandoned"', async () => {
		const cancel = new AbortController();
		const { ctx, sent } = standIn(() => ({ statusCode: 503 }));
		const clock: Clock = {
			now: () => 0,
			sleep: async () => {
				cancel.abort();
				throw new Error('aborted');
			},
		};
		// The backoff's random part is fixed above 0: a wait of 0 ms is no wait, and the retry would go out at once.
		const transport = new Transport(ctx, provider, { credentials: { apiKey: KEY }, settings: settings(), signal: cancel.signal, clock, random: () => 0.5 });
		const error = await failure(transport.send(REQUEST));
		transport.release();
		expect(error.message).toBe(`The execution was cancelled: the request for ${REQUEST.subject} was abandoned`);
		expect(error.details).toMatchObject({ kind: 'cancelled', attempts: 1 });
		expect(sent).toHaveLength(1);
	});
});

describe("createTransport: its waits and requests end when the execution's cancel signal aborts", () => {
	test('the execution is cancelled (Stop, the workflow time-out): nothing is sent', async () => {
		const cancel = new AbortController();
		const { ctx, sent } = standIn(() => ({ statusCode: 200 }));
		const cancellable = Object.assign(ctx, {
			getCredentials: async () => ({ apiKey: KEY }),
			getExecutionCancelSignal: () => cancel.signal,
		});
		const transport = await createTransport(cancellable, provider, settings());
		cancel.abort();
		const error = await failure(transport.send(REQUEST));
		transport.release();
		expect(error.message).toBe(`The execution was cancelled: the request for ${REQUEST.subject} was not sent`);
		expect(sent).toEqual([]);
	});
});

describe('a key paused by another execution between two retries', () => {
	test.each([
		[1, ''],
		[2, ' (gave up after 2 attempts)'],
	])('paused while attempt %i is answered: the next attempt is not sent, and the failure says how many were', async (pausedAt, gaveUp) => {
		const { ctx, sent } = standIn((call) => {
			// Another execution on the key meets a 429 that asks for a minute, longer than this
			// one's Max Retry Wait of 10 s.
			if (call === pausedAt) {
				const other = rateBudgets.lease({ provider: provider.id, baseUrl: provider.resolveBaseUrl({ apiKey: KEY }), apiKey: KEY }, 600, 61_000);
				other.pause(60_000);
				other.release();
			}
			return { statusCode: 500 };
		});
		const transport = new Transport(ctx, provider, { credentials: { apiKey: KEY }, settings: settings(), clock: recordingClock(), random: () => 0.5 });
		const error = await failure(transport.send(REQUEST));
		transport.release();
		expect(sent).toHaveLength(pausedAt);
		expect(error.message.replace(/wait (59|60) s/, 'wait 60 s')).toBe(
			`Fans API asked to wait 60 s before the next request with this API key, more than the maximum wait of 10 s (option "Max Retry Wait") (HTTP 429)${gaveUp}`,
		);
		// The 500s before may have been carried out: the refusal says so, as the 500 would have.
		expect(error.details).toMatchObject({ httpCode: 429, attempts: pausedAt, mayHaveBeenApplied: true });
	});
});

describe('backoff', () => {
	const failures: Record<string, () => Answer | Error> = {
		'a 500': () => ({ statusCode: 500 }),
		'a connection reset': () => Object.assign(new Error('socket hang up'), { code: 'ECONNRESET' }),
	};

	test.each(Object.keys(failures))('after %s, each retry waits a random share of the base delay, doubled for each retry before it', async (failure) => {
		const { ctx, sent } = standIn((call) => (call < 4 ? failures[failure]() : { statusCode: 200 }));
		const clock = recordingClock();
		const transport = new Transport(ctx, provider, { credentials: { apiKey: KEY }, settings: settings(), clock, random: () => 0.5 });
		await transport.send(REQUEST);
		transport.release();
		expect(sent).toHaveLength(4);
		// Half (the random share) of 100, 200, 400 ms.
		expect(clock.waits).toEqual([50, 100, 200]);
	});

	test('a wait hint of 0 (Retry-After: 0) retries at once, with no wait at all', async () => {
		const { ctx, sent } = standIn((call) => (call === 1 ? { statusCode: 429, headers: { 'retry-after': '0' } } : { statusCode: 200 }));
		const clock = recordingClock();
		const transport = new Transport(ctx, provider, { credentials: { apiKey: KEY }, settings: settings(), clock });
		await transport.send(REQUEST);
		transport.release();
		expect(sent).toHaveLength(2);
		expect(clock.waits).toEqual([]);
	});
});

describe('the request handed to n8n', () => {
	test('the body read as a stream, every status answered, no redirect followed, bounded by the Timeout', async () => {
		const { ctx, sent } = standIn(() => ({ statusCode: 200 }));
		const transport = new Transport(ctx, provider, { credentials: { apiKey: KEY }, settings: settings() });
		await transport.send(REQUEST);
		transport.release();
		expect(sent).toEqual([
			{
				method: 'PUT',
				url: `https://api.fansapi.com${REQUEST.path}`,
				json: true,
				encoding: 'stream',
				returnFullResponse: true,
				ignoreHttpStatusErrors: true,
				timeout: 5_000,
				disableFollowRedirect: true,
				body: { label: 'L' },
				abortSignal: expect.any(AbortSignal),
			},
		]);
	});

	test('no query string when the request has none or an empty one, and no body when it has none', async () => {
		const { ctx, sent } = standIn(() => ({ statusCode: 200 }));
		const transport = new Transport(ctx, provider, { credentials: { apiKey: KEY }, settings: settings() });
		await transport.send({ ...REQUEST, method: 'GET', body: undefined });
		await transport.send({ ...REQUEST, method: 'GET', body: undefined, qs: {} });
		await transport.send({ ...REQUEST, method: 'GET', body: undefined, qs: { page: 2 } });
		transport.release();
		expect(sent.map((options) => ['body' in options, options.qs])).toEqual([
			[false, undefined],
			[false, undefined],
			[false, { page: 2 }],
		]);
	});
});

describe('the wait a Retry-After asks for', () => {
	/** 6 November 1994, 08:49:37 UTC: RFC 9110's example date, 30 s before it. */
	const NOW = Date.UTC(1994, 10, 6, 8, 49, 7);
	const wait = (value: string, now = NOW) => hintedWait({ 'retry-after': value }, now);

	test.each<[string, string, number]>([
		['delta-seconds', '120', 120_000],
		['a fraction of a second (API Fansly)', '0.15', 150],
		['IMF-fixdate', 'Sun, 06 Nov 1994 08:49:37 GMT', 30_000],
		['the obsolete RFC 850 form', 'Sunday, 06-Nov-94 08:49:37 GMT', 30_000],
		['asctime, one-digit day (in UTC, whatever the zone n8n runs in)', 'Sun Nov  6 08:49:37 1994', 30_000],
		['asctime, two-digit day', 'Wed Nov 16 08:49:37 1994', 10 * 86_400_000 + 30_000],
		['a leap second', 'Sun, 06 Nov 1994 08:49:60 GMT', 52_000],
		['a date already past: no wait', 'Sun, 06 Nov 1994 08:00:00 GMT', 0],
		['the last second of a day', 'Sun, 06 Nov 1994 23:59:59 GMT', Date.UTC(1994, 10, 6, 23, 59, 59) - NOW],
		['delta-seconds with spaces around', ' 5 ', 5_000],
	])('%s: %j', (_title, value, ms) => {
		expect(wait(value)).toBe(ms);
	});

	test('RFC 850: a two-digit year more than 50 years ahead is the latest past one ending so, and one more than 50 years back the next', () => {
		const in2026 = Date.UTC(2026, 0, 1);
		expect(wait('Thursday, 01-Jan-76 00:00:00 GMT', in2026)).toBe(Date.UTC(2076, 0, 1) - in2026);
		expect(wait('Tuesday, 01-Jan-77 00:00:00 GMT', in2026)).toBe(0);
		expect(wait('Friday, 01-Jan-27 00:00:00 GMT', Date.UTC(2090, 0, 1))).toBe(Date.UTC(2127, 0, 1) - Date.UTC(2090, 0, 1));
		// Exactly 50 years ahead is not more than 50.
		expect(wait('Sunday, 01-Jan-40 00:00:00 GMT', Date.UTC(2090, 0, 1))).toBe(Date.UTC(2140, 0, 1) - Date.UTC(2090, 0, 1));
	});

	test.each([
		'wait 5',
		'x 99999',
		'-1',
		'1e3',
		'120 seconds',
		'soon',
		'2026-01-01T00:00:00Z',
		'Sun, 06 Nov 1994 08:49:37',
		'Sun, 6 Nov 1994 08:49:37 GMT',
		'sun, 06 nov 1994 08:49:37 gmt',
		'Sun, 31 Feb 1994 08:49:37 GMT',
		'Sun, 06 Nov 1994 24:00:00 GMT',
		'Sun, 06 Nov 1994 08:60:00 GMT',
		'Sunday, 06-Nov-1994 08:49:37 GMT',
		'Sun Nov 6 08:49:37 1994',
	])('no hint: %j', (value) => {
		expect(wait(value)).toBeUndefined();
	});

	test('X-RateLimit-Retry-After first; a value that is no hint leaves the standard header to say', () => {
		expect(hintedWait({ 'x-ratelimit-retry-after': '2', 'retry-after': '9' }, NOW)).toBe(2_000);
		expect(hintedWait({ 'x-ratelimit-retry-after': 'wait 5', 'retry-after': '9' }, NOW)).toBe(9_000);
	});
});
