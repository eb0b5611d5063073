/**
 * Fault injection through n8n's real execution engine, for both providers: rate limits with
 * wait hints, server errors, connection resets, time-outs, permanent errors, exhausted
 * retries, malformed 2xx answers, and a Continue On Fail batch with faults sprinkled in.
 * Every request is answered by nock and recorded (see fixtures/faults.ts).
 */
import nock from 'nock';
import type { IDataObject, INodeExecutionData } from 'n8n-workflow';

import type { RunResult } from './helpers/engine';
import { runFansly } from './helpers/engine';
import type { ProviderCase, Seen, Step, UpdateFields } from './fixtures/faults';
import {
	FAULTS_FAKE_VALUE,
	NORMALISED_KEYS,
	PROVIDERS,
	Traffic,
	apiFanslyCase,
	driftCases,
	fansApiCase,
	fastRetry,
	listBody,
	rawLink,
	scriptList,
	scriptPut,
} from './fixtures/faults';
import { updateParameters } from './fixtures/parameters';

const ACC = 'fansly_acct_A1B2C3';
const LINK = '845759434926862336';

let traffic: Traffic;

beforeEach(() => {
	traffic = new Traffic();
});

afterEach(() => {
	traffic.stop();
});

interface Outcome {
	result: RunResult;
	elapsed: number;
}

async function timed(run: Promise<RunResult>): Promise<Outcome> {
	const started = Date.now();
	const result = await run;
	return { result, elapsed: Date.now() - started };
}

interface ErrorView {
	name: string;
	message: string;
	description: string;
	httpCode?: string;
}

function errorOf(result: RunResult): ErrorView {
	const error = result.error;
	if (!error) throw new Error(`expected the run to fail, got ${JSON.stringify(result.items)}`);
	const httpCode = 'httpCode' in error && error.httpCode != null ? String(error.httpCode) : undefined;
	return {
		name: error.name,
		message: error.message,
		description: error.description ?? '',
		httpCode,
	};
}

function expectNoStrays(): void {
	expect(traffic.unmatched).toEqual([]);
	expect(traffic.strays).toEqual([]);
}

/** A normalised link: every key present, none undefined, the values of the provider's answer. */
function expectLink(
	json: IDataObject,
	p: ProviderCase,
	id: string,
	accountId: string,
	label: string | null,
): void {
	expect(Object.keys(json).sort()).toEqual(NORMALISED_KEYS);
	for (const key of NORMALISED_KEYS) expect(json[key]).not.toBeUndefined();
	expect(json).toMatchObject({ id, accountId, label, provider: p.id });
}

/** One update of LINK on ACC, with scripted answers to its PUT. */
async function updateWith(
	p: ProviderCase,
	steps: Step[],
	options: IDataObject = fastRetry(),
	fields: UpdateFields = { label: 'Renamed' },
): Promise<Outcome> {
	scriptPut(traffic, p, ACC, LINK, steps);
	traffic.catchAll();
	return await timed(
		runFansly({
			parameters: updateParameters(p.authentication, { account: ACC, trackingLink: LINK, updateFields: { ...fields }, options }),
			credentials: p.credentials,
		}),
	);
}

const okStep = (p: ProviderCase, fields: UpdateFields = { label: 'Renamed' }): Step => ({
	status: 200,
	body: p.ok(rawLink(p, LINK, ACC, fields)),
});

const errStep = (p: ProviderCase, status: number, message: string, headers?: Record<string, string>): Step => ({
	status,
	body: p.errorBody(status, message),
	headers,
});

/**
 * Makes every timer longer than `limit` ms fire at once and moves Date.now() forward by its
 * length, recording it; shorter timers (hints, back-off, HTTP time-outs) run for real.
 */
/* eslint-disable @n8n/community-nodes/no-restricted-globals --
 * The test replaces the global timer that n8n's `sleep` (and so the node's waits) uses. */
function skipWaitsLongerThan(limit: number): { skipped: number[]; restore(): void } {
	const realSetTimeout = global.setTimeout;
	const realNow = Date.now.bind(Date);
	const skipped: number[] = [];
	let offset = 0;
	const now = jest.spyOn(Date, 'now').mockImplementation(() => realNow() + offset);
	const timer = jest.spyOn(global, 'setTimeout').mockImplementation(((
		callback: (...args: unknown[]) => void,
		ms?: number,
		...args: unknown[]
	) => {
		if (ms !== undefined && ms > limit) {
			skipped.push(ms);
			offset += ms;
			return realSetTimeout(callback, 0, ...args);
		}
		return realSetTimeout(callback, ms, ...args);
	}) as unknown as typeof setTimeout);
	return {
		skipped,
		restore: () => {
			timer.mockRestore();
			now.mockRestore();
		},
	};
}
/* eslint-enable @n8n/community-nodes/no-restricted-globals */

const RATE_LIMITED = 'Rate limit exceeded. Please wait before making more requests.';

describe.each(PROVIDERS)('reliability: $name', (p) => {
	const puts = () => traffic.requests('PUT');
	const expectedPut = (fields: UpdateFields = { label: 'Renamed' }) => ({
		path: p.putPath(ACC, LINK),
		body: p.putBody(LINK, fields),
	});

	function expectSuccess(outcome: Outcome, requests: number): void {
		expect(outcome.result.error).toBeUndefined();
		expect(outcome.result.items).toHaveLength(1);
		expectLink(outcome.result.items[0].json, p, LINK, ACC, 'Renamed');
		expect(puts()).toHaveLength(requests);
		// Every attempt is the same request, sent again unchanged.
		for (const seen of puts()) expect({ path: seen.path, body: seen.body }).toEqual(expectedPut());
		expectNoStrays();
	}

	describe('transient failures are retried until success', () => {
		test('429 with a fractional X-RateLimit-Retry-After, then 200: waits the hinted time, 2 requests', async () => {
			const outcome = await updateWith(p, [
				errStep(p, 429, RATE_LIMITED, { 'X-RateLimit-Retry-After': '0.15' }),
				okStep(p),
			]);
			expectSuccess(outcome, 2);
			expect(outcome.elapsed).toBeGreaterThanOrEqual(140);
		});

		test('429 with Retry-After in seconds, then 200: 2 requests', async () => {
			const outcome = await updateWith(p, [errStep(p, 429, RATE_LIMITED, { 'Retry-After': '0' }), okStep(p)]);
			expectSuccess(outcome, 2);
		});

		test('429 with Retry-After as an HTTP date in the past, then 200: 2 requests, no wait', async () => {
			const past = new Date(Date.now() - 120_000).toUTCString();
			const outcome = await updateWith(
				p,
				[errStep(p, 429, RATE_LIMITED, { 'Retry-After': past }), okStep(p)],
				fastRetry({ retryDelay: 0 }),
			);
			expectSuccess(outcome, 2);
			expect(outcome.elapsed).toBeLessThan(2000);
		});

		test('429 with no hint at all, then 200: backs off and retries, 2 requests', async () => {
			const outcome = await updateWith(p, [errStep(p, 429, RATE_LIMITED), okStep(p)]);
			expectSuccess(outcome, 2);
		});

		test('503, 503, 200: 3 requests', async () => {
			const outcome = await updateWith(p, [
				errStep(p, 503, 'Service Unavailable'),
				errStep(p, 503, 'Service Unavailable'),
				okStep(p),
			]);
			expectSuccess(outcome, 3);
		});

		test.each([500, 502, 504])('%i, then 200: 2 requests', async (status) => {
			const outcome = await updateWith(p, [errStep(p, status, 'Upstream trouble'), okStep(p)]);
			expectSuccess(outcome, 2);
		});

		test('a 5xx with an HTML body (a proxy page), then 200: 2 requests', async () => {
			const outcome = await updateWith(p, [
				{ status: 502, body: '<html><body>502 Bad Gateway</body></html>', headers: { 'Content-Type': 'text/html' } },
				okStep(p),
			]);
			expectSuccess(outcome, 2);
		});

		test('connection reset (ECONNRESET), then 200: the idempotent PUT is sent again, 2 requests', async () => {
			const outcome = await updateWith(p, [{ reset: true }, okStep(p)]);
			expectSuccess(outcome, 2);
		});

		// A time-out of 1 s, not less: the answer that follows must come within it on a busy machine.
		test('no answer within the time-out (headers stall), then 200: 2 requests', async () => {
			const outcome = await updateWith(
				p,
				[{ stallMs: 3000, ...okStep(p) } as Step, okStep(p)],
				fastRetry({ timeout: 1000 }),
			);
			expectSuccess(outcome, 2);
		});

		test('an answer whose body stalls past the time-out (nock .delay), then 200: 2 requests', async () => {
			const outcome = await updateWith(
				p,
				[{ bodyStallMs: 3000, ...okStep(p) } as Step, okStep(p)],
				fastRetry({ timeout: 1000 }),
			);
			expectSuccess(outcome, 2);
		});
	});

	describe('permanent failures are not retried', () => {
		test('401: one request, "rejected the API key", httpCode 401', async () => {
			const outcome = await updateWith(p, [
				errStep(p, 401, 'Invalid API key'),
				errStep(p, 401, 'Invalid API key'),
				errStep(p, 401, 'Invalid API key'),
			]);
			const error = errorOf(outcome.result);
			expect(error.name).toBe('NodeApiError');
			expect(error.message).toContain(`${p.name} rejected the API key`);
			expect(error.message).toContain('(item 0)');
			expect(error.httpCode).toBe('401');
			// n8n-core may repeat a request once after a 401 to refresh credentials; the node never does.
			expect(puts().length).toBeLessThanOrEqual(2);
			expect(puts()).toHaveLength(1);
			expectNoStrays();
		});

		test.each([
			[400, 'Invalid request parameters'],
			[402, 'Insufficient credits'],
			[403, 'Forbidden'],
			[404, 'Tracking link not found'],
			[422, 'The label field must not be greater than 255 characters.'],
		])('%i: exactly one request, a clear error with the status', async (status, providerMessage) => {
			const outcome = await updateWith(p, [
				errStep(p, status, providerMessage),
				errStep(p, status, providerMessage),
			]);
			const error = errorOf(outcome.result);
			expect(error.name).toBe('NodeApiError');
			expect(error.message).toContain(`HTTP ${status}`);
			expect(error.message).toContain(providerMessage);
			expect(error.message).toContain('(item 0)');
			expect(error.message).not.toMatch(/gave up/);
			expect(error.httpCode).toBe(String(status));
			expect(puts()).toHaveLength(1);
			expectNoStrays();
		});
	});

	describe('limits of retrying', () => {
		test('retries exhausted (maxRetries 2, 503 x3): says 3 attempts and 503, no 4th request', async () => {
			const steps = Array.from({ length: 4 }, () => errStep(p, 503, 'Service Unavailable'));
			const outcome = await updateWith(p, steps, fastRetry({ maxRetries: 2 }));
			const error = errorOf(outcome.result);
			expect(error.message).toMatch(/503/);
			expect(error.message).toMatch(/after 3 attempts/);
			expect(error.message).toContain(`"${LINK}"`);
			expect(error.httpCode).toBe('503');
			expect(puts()).toHaveLength(3);
			expectNoStrays();
		});

		test('network failures exhausted (maxRetries 1, reset x2): names the link, the attempts and the cause', async () => {
			const outcome = await updateWith(p, [{ reset: true }, { reset: true }, okStep(p)], fastRetry({ maxRetries: 1 }));
			expect(puts()).toHaveLength(2);
			expectNoStrays();
			const error = errorOf(outcome.result);
			expect(error.message).toContain(`tracking link "${LINK}"`);
			expect(error.message).toMatch(/after 2 attempts/);
			expect(error.message).toMatch(/ECONNRESET|connection/i);
		});

		test.each(['X-RateLimit-Retry-After', 'Retry-After'])(
			'a 429 whose %s hint exceeds maxRetryWait fails at once, saying so',
			async (header) => {
				const outcome = await updateWith(
					p,
					[errStep(p, 429, RATE_LIMITED, { [header]: '120' }), okStep(p)],
					fastRetry({ maxRetryWait: 2000 }),
				);
				const error = errorOf(outcome.result);
				expect(outcome.elapsed).toBeLessThan(2000);
				expect(error.message).toMatch(/wait 120 s/);
				expect(error.message).toMatch(/Max Retry Wait/);
				expect(error.message).toContain('429');
				expect(error.httpCode).toBe('429');
				expect(puts()).toHaveLength(1);
				expectNoStrays();
			},
		);

		test('a 503 whose Retry-After exceeds maxRetryWait fails at once too, naming both waits', async () => {
			const outcome = await updateWith(
				p,
				[errStep(p, 503, 'Service Unavailable', { 'Retry-After': '120' }), okStep(p)],
				fastRetry({ maxRetryWait: 2000 }),
			);
			const error = errorOf(outcome.result);
			expect(outcome.elapsed).toBeLessThan(2000);
			expect(error.message).toContain('asked to wait 120 s before retrying, more than the maximum wait of 2 s (option "Max Retry Wait")');
			expect(error.httpCode).toBe('503');
			expect(puts()).toHaveLength(1);
			expectNoStrays();
		});

		test('a hint of exactly maxRetryWait is waited, then retried', async () => {
			const outcome = await updateWith(
				p,
				[errStep(p, 503, 'Service Unavailable', { 'Retry-After': '1' }), okStep(p)],
				fastRetry({ maxRetryWait: 1000 }),
			);
			expect(outcome.result.error).toBeUndefined();
			expect(outcome.elapsed).toBeGreaterThanOrEqual(950);
			expect(puts()).toHaveLength(2);
			expectNoStrays();
		});

		test('a 500 carries no wait hint: its Retry-After beyond maxRetryWait is not read, and the retry comes after the backoff', async () => {
			const outcome = await updateWith(
				p,
				[errStep(p, 500, 'Server Error', { 'Retry-After': '120' }), okStep(p)],
				fastRetry({ maxRetryWait: 2000 }),
			);
			expect(outcome.result.error).toBeUndefined();
			expect(outcome.elapsed).toBeLessThan(2000);
			expect(puts()).toHaveLength(2);
			expectNoStrays();
		});

		test('a Retry-After that starts with a number but is none ("120 seconds") is no hint: retried after the backoff', async () => {
			const outcome = await updateWith(
				p,
				[errStep(p, 429, RATE_LIMITED, { 'Retry-After': '120 seconds' }), okStep(p)],
				fastRetry({ maxRetryWait: 2000 }),
			);
			expect(outcome.result.error).toBeUndefined();
			expect(outcome.elapsed).toBeLessThan(2000);
			expect(puts()).toHaveLength(2);
			expectNoStrays();
		});

		// V8's Date.parse reads almost any text with a number in it as some date: "wait 5" as
		// 1 May 2001 (long past: a retry with no wait at all), "x 99999" as the year 99999 (far
		// beyond Max Retry Wait: a failure at once). Neither is an HTTP date: no hint, so the retry
		// comes after the backoff. Waits longer than 2 s are recorded and skipped; the random share
		// of the backoff is fixed at a half, so it is 5 s exactly.
		test.each(['wait 5', 'x 99999'])('a Retry-After that is text with a number ("%s") is no date and no hint: retried after the backoff', async (value) => {
			const waits = skipWaitsLongerThan(2000);
			const random = jest.spyOn(Math, 'random').mockReturnValue(0.5);
			try {
				const outcome = await updateWith(
					p,
					[errStep(p, 429, RATE_LIMITED, { 'Retry-After': value }), okStep(p)],
					fastRetry({ retryDelay: 10_000, maxRetryWait: 10_000, timeout: 1500 }),
				);
				expectSuccess(outcome, 2);
				expect(waits.skipped).toEqual([5_000]);
			} finally {
				random.mockRestore();
				waits.restore();
			}
		});

		test('retry: false sends a single request on 503', async () => {
			const outcome = await updateWith(
				p,
				[errStep(p, 503, 'Service Unavailable', { 'Retry-After': '0' }), okStep(p)],
				{ retry: false, timeout: 2000 },
			);
			const error = errorOf(outcome.result);
			expect(error.message).toMatch(/HTTP 503/);
			expect(error.message).not.toMatch(/attempts/);
			expect(puts()).toHaveLength(1);
			expectNoStrays();
		});

		test('retry: false sends a single request on a connection reset', async () => {
			const outcome = await updateWith(p, [{ reset: true }, okStep(p)], { retry: false });
			expect(outcome.result.error).toBeDefined();
			expect(outcome.result.items).toEqual([]);
			expect(puts()).toHaveLength(1);
			expectNoStrays();
		});

		// A 429 usually also reports 0 requests left. The explicit wait hint must still decide
		// when to retry, and Max Retry Wait must still bound the wait: the node must not sit out
		// a whole 60-second window. Waits longer than Max Retry Wait are recorded and skipped
		// (with the clock moved forward), so a failure here costs no real time.
		test('a 429 that also reports 0 requests left resumes after the short hint, within Max Retry Wait', async () => {
			const waits = skipWaitsLongerThan(2000);
			try {
				const outcome = await updateWith(
					p,
					[errStep(p, 429, RATE_LIMITED, { [p.hintHeader]: '0.3', [p.remainingHeader]: '0' }), okStep(p)],
					fastRetry({ maxRetryWait: 2000, timeout: 1500 }),
				);
				expect(outcome.result.error).toBeUndefined();
				expect(puts()).toHaveLength(2);
				expect(outcome.elapsed).toBeGreaterThanOrEqual(280);
				expect(waits.skipped).toEqual([]);
			} finally {
				waits.restore();
			}
		});

		// Regression: n8n drops options whose displayOptions are not met before the node reads
		// them. With `show: { retry: [true] }`, Max Retries without an explicit Retry entry was
		// silently replaced by the defaults (3 retries, 1 s base delay, 60 s max wait).
		test('Max Retries is honoured when the Retry option itself is not set', async () => {
			const steps = Array.from({ length: 5 }, () => errStep(p, 503, 'Service Unavailable', { 'Retry-After': '0' }));
			const outcome = await updateWith(p, steps, { maxRetries: 1 });
			expect(errorOf(outcome.result).message).toMatch(/after 2 attempts/);
			expect(puts()).toHaveLength(2);
		});
	});

	describe('the API key never leaks into the run data', () => {
		const keyHeader = () => {
			const headers = puts()[0].headers;
			return p.id === 'apiFansly' ? headers['x-api-key'] : headers.authorization;
		};

		test.each<[string, () => Step[], IDataObject]>([
			['401', () => [errStep(p, 401, 'Unauthenticated.')], fastRetry()],
			['a network error', () => [{ reset: true }, { reset: true }], fastRetry({ maxRetries: 1 })],
			[
				'a time-out',
				() => [{ stallMs: 150, ...okStep(p) } as Step, { stallMs: 150, ...okStep(p) } as Step],
				fastRetry({ maxRetries: 1, timeout: 40 }),
			],
		])('%s', async (_title, steps, options) => {
			const outcome = await updateWith(p, steps(), options);
			expect(outcome.result.error).toBeDefined();
			// The key was sent (so it could have leaked)...
			expect(keyHeader()).toContain(FAULTS_FAKE_VALUE);
			// ...and appears nowhere in what n8n keeps of the run.
			const run = JSON.stringify(outcome.result.run);
			expect(run).not.toContain(FAULTS_FAKE_VALUE);
			expect(run).not.toContain(FAULTS_FAKE_VALUE.slice(0, 12));
			const error = errorOf(outcome.result);
			expect(`${error.message} ${error.description}`).not.toContain(FAULTS_FAKE_VALUE);
		});
	});

	describe('shape drift on a 200 answer: a clear error, not retried', () => {
		test.each(driftCases(p, LINK))('$title', async (drift) => {
			const outcome = await updateWith(p, [
				{ status: 200, body: drift.body, headers: drift.headers },
				okStep(p),
			]);
			const error = errorOf(outcome.result);
			expect(error.message).toContain(`Unexpected response from ${p.name}`);
			expect(error.message).toContain(`tracking link "${LINK}" on account "${ACC}"`);
			expect(error.message).toMatch(drift.says);
			expect(error.message).toContain('(item 0)');
			expect(error.message).not.toMatch(/undefined/);
			expect(error.message).not.toMatch(/:\s{2}|:\s+is missing/);
			expect(outcome.result.items).toEqual([]);
			expect(puts()).toHaveLength(1);
			expectNoStrays();
		});

		test('with Continue On Fail, the items around a drifted answer still succeed', async () => {
			const drifts = driftCases(p, 'X');
			const links = ['D0', ...drifts.map((_, i) => `D${i + 1}`), `D${drifts.length + 1}`];
			const answerFor = (seen: Seen): Step => {
				const id = p.linkIdOf(seen.path, seen.body);
				const index = links.indexOf(id);
				const drift = drifts[index - 1];
				if (drift) return { status: 200, body: drift.body, headers: drift.headers };
				return { status: 200, body: p.ok(rawLink(p, id, ACC, { label: 'Renamed' })) };
			};
			nock(p.host)
				.persist()
				.put((path) => path.startsWith(`/api/fansly/${ACC}/tracking-links`))
				.reply(traffic.replyWith(answerFor));
			traffic.catchAll();
			const result = await runFansly({
				parameters: updateParameters(p.authentication, {
					account: ACC,
					trackingLink: '={{ $json.link }}',
					updateFields: { label: 'Renamed' },
					options: fastRetry(),
				}),
				items: links.map((link) => ({ link })),
				credentials: p.credentials,
				continueOnFail: true,
			});
			expect(result.error).toBeUndefined();
			expect(result.items).toHaveLength(links.length);
			result.items.forEach((item, index) => {
				expect(item.pairedItem).toEqual({ item: index });
				const drift = drifts[index - 1];
				if (!drift) {
					expectLink(item.json, p, links[index], ACC, 'Renamed');
					return;
				}
				expect(item.json.error).toEqual(
					expect.stringContaining(`Unexpected response from ${p.name} for tracking link "${links[index]}"`),
				);
				expect(item.json).toMatchObject({
					itemIndex: index,
					trackingLinkId: links[index],
					accountId: ACC,
					httpCode: 200,
					provider: p.id,
				});
				for (const value of Object.values(item.json)) expect(value).not.toBeUndefined();
			});
			// One request per item: a malformed answer is never retried.
			expect(puts()).toHaveLength(links.length);
			expectNoStrays();
		});
	});

	test('without Continue On Fail, the first failure stops the run and names its item', async () => {
		const links = ['S0', 'S1', 'S2', 'S3', 'S4'];
		nock(p.host)
			.persist()
			.put((path) => path.startsWith(`/api/fansly/${ACC}/tracking-links`))
			.reply(
				traffic.replyWith((seen) => {
					const id = p.linkIdOf(seen.path, seen.body);
					return id === 'S2'
						? errStep(p, 404, 'Tracking link not found')
						: { status: 200, body: p.ok(rawLink(p, id, ACC, { label: 'Renamed' })) };
				}),
			);
		traffic.catchAll();
		const result = await runFansly({
			parameters: updateParameters(p.authentication, {
				account: ACC,
				trackingLink: '={{ $json.link }}',
				updateFields: { label: 'Renamed' },
				options: fastRetry({ maxConcurrency: 1 }),
			}),
			items: links.map((link) => ({ link })),
			credentials: p.credentials,
		});
		const error = errorOf(result);
		expect(error.message).toContain('(item 2)');
		expect(error.message).toContain('"S2"');
		expect(error.message).toContain('HTTP 404');
		expect(error.httpCode).toBe('404');
		expect(result.items).toEqual([]);
		// One at a time: nothing after the failed item was sent.
		expect(puts().map((s) => p.linkIdOf(s.path, s.body))).toEqual(['S0', 'S1', 'S2']);
		expectNoStrays();
	});

	test('two updates of the same link stay in input order, even when the first is retried', async () => {
		const order: string[] = [];
		let first = true;
		nock(p.host)
			.persist()
			.put(p.putPath(ACC, LINK))
			.reply(
				traffic.replyWith((seen) => {
					const body = seen.body as IDataObject;
					order.push(String(body.label));
					if (first) {
						first = false;
						return errStep(p, 503, 'Service Unavailable', { 'Retry-After': '0' });
					}
					return { status: 200, body: p.ok(rawLink(p, LINK, ACC, { label: String(body.label) })) };
				}),
			);
		traffic.catchAll();
		const result = await runFansly({
			parameters: updateParameters(p.authentication, {
				account: ACC,
				trackingLink: LINK,
				updateFields: { label: '={{ $json.label }}' },
				options: fastRetry(),
			}),
			items: [{ label: 'first' }, { label: 'second' }],
			credentials: p.credentials,
		});
		expect(result.error).toBeUndefined();
		expect(order).toEqual(['first', 'first', 'second']);
		expect(result.items.map((i) => i.json.label)).toEqual(['first', 'second']);
		expectNoStrays();
	});

	test('Continue On Fail batch of 50 with faults: 50 outputs in order, exact requests per link', async () => {
		// Per link: the answers in order. Successes answer 200 once; permanent and exhausted
		// failures end in an error item.
		type Plan = { steps: Step[]; ok: boolean; status?: number };
		const rateLimited = (i: number): Step =>
			i % 20 === 3
				? errStep(p, 429, RATE_LIMITED, { 'X-RateLimit-Retry-After': '0.01' })
				: errStep(p, 429, RATE_LIMITED, { 'Retry-After': '0' });
		const unavailable = errStep(p, 503, 'Service Unavailable');
		const planFor = (i: number, id: string): Plan => {
			const ok: Step = { status: 200, body: p.ok(rawLink(p, id, ACC, { label: `Batch ${id}` })) };
			switch (i % 10) {
				case 1:
					return { steps: [errStep(p, 502, 'Bad Gateway'), ok], ok: true };
				case 3:
					return { steps: [rateLimited(i), ok], ok: true };
				case 5:
					return { steps: [unavailable, unavailable, ok], ok: true };
				case 7:
					return { steps: [errStep(p, 404, 'Tracking link not found')], ok: false, status: 404 };
				case 9:
					return { steps: [unavailable, unavailable, unavailable], ok: false, status: 503 };
				default:
					return { steps: [ok], ok: true };
			}
		};
		const links = Array.from({ length: 50 }, (_, i) => `B${String(i).padStart(2, '0')}`);
		const plans = new Map(links.map((id, i) => [id, planFor(i, id)]));
		const sent = new Map<string, number>();
		const succeeded = new Map<string, number>();
		nock(p.host)
			.persist()
			.put((path) => path.startsWith(`/api/fansly/${ACC}/tracking-links`))
			.reply(
				traffic.replyWith((seen) => {
					const id = p.linkIdOf(seen.path, seen.body);
					const n = sent.get(id) ?? 0;
					sent.set(id, n + 1);
					const step = plans.get(id)?.steps[n];
					if (!step) return { status: 409, body: { message: `unplanned request ${n + 1} for ${id}` } };
					if ('status' in step && step.status === 200) succeeded.set(id, (succeeded.get(id) ?? 0) + 1);
					return step;
				}),
			);
		traffic.catchAll();

		const { result } = await timed(
			runFansly({
				parameters: updateParameters(p.authentication, {
					account: ACC,
					trackingLink: '={{ $json.link }}',
					updateFields: { label: '={{ "Batch " + $json.link }}' },
					options: fastRetry({ maxRetries: 2 }),
				}),
				items: links.map((link) => ({ link })),
				credentials: p.credentials,
				continueOnFail: true,
			}),
		);

		expect(result.error).toBeUndefined();
		expect(result.items).toHaveLength(50);
		result.items.forEach((item: INodeExecutionData, index) => {
			const id = links[index];
			const plan = plans.get(id) as Plan;
			expect(item.pairedItem).toEqual({ item: index });
			if (plan.ok) {
				expectLink(item.json, p, id, ACC, `Batch ${id}`);
				return;
			}
			expect(item.json).toMatchObject({
				itemIndex: index,
				trackingLinkId: id,
				accountId: ACC,
				httpCode: plan.status,
				provider: p.id,
			});
			expect(item.json.error).toEqual(expect.stringContaining(`"${id}"`));
			expect(item.json.error).toEqual(expect.stringContaining(String(plan.status)));
			if (plan.status === 503) expect(item.json.error).toMatch(/after 3 attempts/);
		});
		// Exactly the planned number of requests per link, and never a second successful PUT.
		for (const id of links) {
			expect([id, sent.get(id)]).toEqual([id, (plans.get(id) as Plan).steps.length]);
			expect([id, succeeded.get(id) ?? 0]).toEqual([id, (plans.get(id) as Plan).ok ? 1 : 0]);
		}
		// Every PUT carried its own item's label.
		for (const seen of puts()) {
			const id = p.linkIdOf(seen.path, seen.body);
			expect(seen.body).toEqual(p.putBody(id, { label: `Batch ${id}` }));
		}
		expectNoStrays();
	});
});

describe('Fans API: description-only updates read the current label first', () => {
	const p = fansApiCase;
	const current = rawLink(p, LINK, ACC, { label: 'Current label', description: 'old' });
	const other = rawLink(p, '900000000000000001', ACC, { label: 'Other' });

	test('GET 503 then 200, PUT 503 then 200: success with exactly 2 GETs and 2 PUTs', async () => {
		scriptList(traffic, ACC, [errStep(p, 503, 'Service Unavailable'), { status: 200, body: listBody([other, current]) }]);
		scriptPut(traffic, p, ACC, LINK, [
			errStep(p, 503, 'Service Unavailable'),
			{ status: 200, body: p.ok(rawLink(p, LINK, ACC, { label: 'Current label', description: 'new' })) },
		]);
		traffic.catchAll();
		const result = await runFansly({
			parameters: updateParameters(p.authentication, {
				account: ACC,
				trackingLink: LINK,
				updateFields: { description: 'new' },
				options: fastRetry(),
			}),
			credentials: p.credentials,
		});
		expect(result.error).toBeUndefined();
		expectLink(result.items[0].json, p, LINK, ACC, 'Current label');
		expect(result.items[0].json.description).toBe('new');
		expect(traffic.requests('GET')).toHaveLength(2);
		expect(traffic.requests('PUT')).toHaveLength(2);
		// The list is read before the update, and the PUT is never followed by another GET.
		expect(traffic.seen.map((s) => s.method)).toEqual(['GET', 'GET', 'PUT', 'PUT']);
		for (const put of traffic.requests('PUT')) {
			expect(put.path).toBe(`/api/fansly/${ACC}/tracking-links/${LINK}`);
			expect(put.body).toEqual({ label: 'Current label', description: 'new' });
		}
		expectNoStrays();
	});

	test('a batch of description-only updates on one account lists the account once', async () => {
		const ids = Array.from({ length: 12 }, (_, i) => `8457594349268620${String(i).padStart(2, '0')}`);
		const links = ids.map((id) => rawLink(p, id, ACC, { label: `L-${id}` }));
		scriptList(traffic, ACC, [errStep(p, 503, 'Service Unavailable'), { status: 200, body: listBody(links) }]);
		nock(p.host)
			.persist()
			.put((path) => path.startsWith(`/api/fansly/${ACC}/tracking-links/`))
			.reply(
				traffic.replyWith((seen) => {
					const id = p.linkIdOf(seen.path, seen.body);
					const body = seen.body as IDataObject;
					return { status: 200, body: p.ok(rawLink(p, id, ACC, body as UpdateFields)) };
				}),
			);
		traffic.catchAll();
		const result = await runFansly({
			parameters: updateParameters(p.authentication, {
				account: ACC,
				trackingLink: '={{ $json.id }}',
				updateFields: { description: '={{ "d-" + $json.id }}' },
				options: fastRetry(),
			}),
			items: ids.map((id) => ({ id })),
			credentials: p.credentials,
		});
		expect(result.error).toBeUndefined();
		expect(result.items.map((i) => i.json.id)).toEqual(ids);
		expect(traffic.requests('GET')).toHaveLength(2);
		expect(traffic.requests('PUT')).toHaveLength(ids.length);
		for (const put of traffic.requests('PUT')) {
			const id = p.linkIdOf(put.path, put.body);
			expect(put.body).toEqual({ label: `L-${id}`, description: `d-${id}` });
		}
		expectNoStrays();
	});

	test('the list fails permanently: a clear error and no PUT', async () => {
		scriptList(traffic, ACC, [errStep(p, 404, 'Account not found')]);
		traffic.catchAll();
		const result = await runFansly({
			parameters: updateParameters(p.authentication, {
				account: ACC,
				trackingLink: LINK,
				updateFields: { description: 'new' },
				options: fastRetry(),
			}),
			credentials: p.credentials,
		});
		const error = errorOf(result);
		expect(error.message).toContain('HTTP 404');
		expect(error.message).toContain('(item 0)');
		expect(traffic.requests('GET')).toHaveLength(1);
		expect(traffic.requests('PUT')).toHaveLength(0);
		expectNoStrays();
	});

	test('the link is missing from the list: not found, no PUT', async () => {
		scriptList(traffic, ACC, [
			{ status: 200, body: listBody([other]) },
			{ status: 200, body: listBody([other]) },
		]);
		traffic.catchAll();
		const result = await runFansly({
			parameters: updateParameters(p.authentication, {
				account: ACC,
				trackingLink: LINK,
				updateFields: { description: 'new' },
				options: fastRetry(),
			}),
			credentials: p.credentials,
		});
		const error = errorOf(result);
		expect(error.message).toContain(`"${LINK}" not found`);
		expect(error.httpCode).toBe('404');
		expect(traffic.requests('PUT')).toHaveLength(0);
		expectNoStrays();
	});
});

describe('API Fansly specifics', () => {
	const p = apiFanslyCase;

	test('a description-only update sends {id, description} and never lists', async () => {
		const outcome = await updateWith(
			p,
			[{ status: 200, body: p.ok(rawLink(p, LINK, ACC, { label: 'Kept', description: 'new' })) }],
			fastRetry(),
			{ description: 'new' },
		);
		expect(outcome.result.error).toBeUndefined();
		expect(traffic.seen.map((s) => [s.method, s.path, s.body])).toEqual([
			['PUT', `/api/fansly/${ACC}/tracking-links`, { id: LINK, description: 'new' }],
		]);
		expect(outcome.result.items[0].json).toMatchObject({ id: LINK, label: 'Kept', description: 'new' });
		expectNoStrays();
	});

	test.each([
		['an inner status_code 404', { status_code: 404, data: { success: false, error: { message: 'Link not found' } } }, '404'],
		['success: false', { status_code: 200, data: { success: false, response: 'Label too long' } }, '400'],
	])('a 200 envelope carrying %s is a clear refusal, not retried', async (_title, data, httpCode) => {
		const outcome = await updateWith(p, [
			{ status: 200, body: { statusCode: 200, message: 'ok', data, timestamp: 't' } },
			okStep(p),
		]);
		const error = errorOf(outcome.result);
		expect(error.message).toContain('API Fansly refused the request');
		expect(error.message).toContain(`HTTP ${httpCode}`);
		expect(error.httpCode).toBe(httpCode);
		expect(traffic.requests('PUT')).toHaveLength(1);
		expectNoStrays();
	});
});
