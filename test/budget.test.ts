/**
 * Issue 11: one rate budget per API key, shared by every execution that uses the key.
 *
 * Unit tests of the limiter and the per-key registry run on a virtual clock. The engine tests
 * run several executions of the node at once through n8n-core, with the registry's clock
 * replaced by `DrivenClock` (the test hook `rateBudgets.reset(clock)`): time only moves when
 * the budget sleeps, and only once every request it has admitted has reached the provider (the
 * nock handlers), so each request is stamped at the virtual time it was let go. Windows are
 * counted from those stamps: no assertion depends on real time.
 */
import nock from 'nock';
import type { IDataObject } from 'n8n-workflow';

import { sleep } from 'n8n-workflow';
import type { BudgetKey } from '../nodes/Fansly/transport/budget';
import { fingerprint, RateBudgets, rateBudgets } from '../nodes/Fansly/transport/budget';
import type { Clock } from '../nodes/Fansly/transport/rateLimiter';
import { RateLimiter, systemClock } from '../nodes/Fansly/transport/rateLimiter';
import { ManualClock, T0, VirtualClock } from './helpers/clocks';
import { runFansly } from './helpers/engine';
import { runListSearch } from './helpers/loadOptions';
import type { SeenRequest } from './helpers/reply';
import { replyWith } from './helpers/reply';
import { updateParameters } from './fixtures/parameters';
import {
	APIFANSLY_FAKE_VALUE,
	APIFANSLY_HOST,
	apiFanslyUpdated,
	credentials,
} from './fixtures/responses';

const WINDOW = 61_000;

/**
 * Virtual time for engine tests: a sleep moves the clock only once `settled()` says every
 * admitted request has arrived, and not while `held`. A waiting budget then sleeps at once in
 * real time, so a minute of budget costs milliseconds.
 */
class DrivenClock implements Clock {
	time = T0;

	held = false;

	constructor(private readonly settled: () => boolean) {}

	now(): number {
		return this.time;
	}

	async sleep(ms: number, signal?: AbortSignal): Promise<void> {
		while (this.held || !this.settled()) {
			if (signal?.aborted) throw Object.assign(new Error('aborted'), { name: 'AbortError' });
			await sleep(1);
		}
		if (signal?.aborted) throw Object.assign(new Error('aborted'), { name: 'AbortError' });
		this.time += Math.max(0, ms);
	}
}

/** The most stamps within any `windowMs` span. */
function maxInAnyWindow(times: number[], windowMs: number): number {
	const sorted = [...times].sort((a, b) => a - b);
	let max = 0;
	let start = 0;
	for (let end = 0; end < sorted.length; end++) {
		while (sorted[end] - sorted[start] >= windowMs) start++;
		max = Math.max(max, end - start + 1);
	}
	return max;
}

async function until(condition: () => boolean): Promise<void> {
	for (let i = 0; i < 5_000 && !condition(); i++) await sleep(1);
	if (!condition()) throw new Error('condition never met');
}

const keyA: BudgetKey = { provider: 'apiFansly', baseUrl: 'https://v1.apifansly.com', apiKey: 'key-a-123456' };
const keyB: BudgetKey = { ...keyA, apiKey: 'key-b-654321' };

describe('RateLimiter: cancelled waits', () => {
	test('an aborted signal rejects at once with an AbortError and counts nothing', async () => {
		const limiter = new RateLimiter(5, WINDOW, new VirtualClock());
		const controller = new AbortController();
		controller.abort();
		await expect(limiter.acquire(controller.signal)).rejects.toMatchObject({ name: 'AbortError' });
		expect(limiter.inWindow()).toBe(0);
		expect(limiter.admissions).toBe(0);
	});

	test('a waiter cancelled in the queue leaves it at once, takes no slot and delays no one', async () => {
		const clock = new ManualClock();
		const limiter = new RateLimiter(2, WINDOW, clock);
		await limiter.acquire();
		await limiter.acquire();
		const controller = new AbortController();
		const cancelled = limiter.acquire(controller.signal);
		let nextAt: number | undefined;
		const next = limiter.acquire().then(() => (nextAt = clock.now() - T0));
		await until(() => clock.pending === 1); // the queue sleeps until the first slot frees
		controller.abort();
		await expect(cancelled).rejects.toMatchObject({ name: 'AbortError' });
		// Rejected with no time passing; the one behind it still waits for the first free slot.
		expect(clock.now()).toBe(T0);
		expect(limiter.waiting).toBe(1);
		clock.advance(WINDOW);
		await next;
		expect(nextAt).toBe(WINDOW);
		expect(limiter.admissions).toBe(3);
		expect(limiter.waiting).toBe(0);
	});

	test('aborting the only waiter ends the real sleep at once (no timer outlives the queue)', async () => {
		const limiter = new RateLimiter(1, WINDOW, systemClock);
		await limiter.acquire();
		const controller = new AbortController();
		const waiting = limiter.acquire(controller.signal);
		await sleep(5);
		controller.abort();
		await expect(waiting).rejects.toMatchObject({ name: 'AbortError' });
		expect(limiter.waiting).toBe(0);
		expect(limiter.admissions).toBe(1);
		// jest would report an open handle if the limiter still slept on a 61 s timer.
	});

	test('systemClock.sleep rejects with an AbortError when its signal aborts, before or during', async () => {
		const before = new AbortController();
		before.abort();
		await expect(systemClock.sleep(60_000, before.signal)).rejects.toMatchObject({ name: 'AbortError' });
		const during = new AbortController();
		const sleeping = systemClock.sleep(60_000, during.signal);
		during.abort();
		await expect(sleeping).rejects.toMatchObject({ name: 'AbortError' });
		await expect(systemClock.sleep(1, new AbortController().signal)).resolves.toBeUndefined();
	});
});

describe('RateBudgets (one registry, virtual clock)', () => {
	let clock: VirtualClock;
	let budgets: RateBudgets;

	beforeEach(() => {
		clock = new VirtualClock();
		budgets = new RateBudgets();
		budgets.reset(clock);
	});

	test('two leases on one key share one window, at the lower of their limits', async () => {
		const fast = budgets.lease(keyA, 10, WINDOW);
		const slow = budgets.lease(keyA, 3, WINDOW);
		expect(budgets.snapshot()).toEqual([
			expect.objectContaining({ leases: 2, limit: 3, inWindow: 0 }),
		]);
		const times: number[] = [];
		for (const lease of [fast, slow, fast, slow, fast]) {
			await lease.acquire();
			times.push(clock.now() - T0);
		}
		expect(times).toEqual([0, 0, 0, WINDOW, WINDOW]);
		// The slower execution ends: the key's limit is the remaining lease's again.
		slow.release();
		expect(budgets.snapshot()[0]).toMatchObject({ leases: 1, limit: 10 });
		for (let i = 0; i < 8; i++) await fast.acquire();
		expect(clock.now() - T0).toBe(WINDOW);
		fast.release();
	});

	test("the provider's default holds a key only while no lease sets a value of its own", () => {
		const limit = () => budgets.snapshot()[0]?.limit;
		const poll = budgets.lease(keyA, 600, WINDOW, { providerDefault: true });
		expect(limit()).toBe(600);
		// A batch that set 1 000 (a Pro plan): a trigger's poll or a picker at the default no longer lowers it.
		const batch = budgets.lease(keyA, 1000, WINDOW);
		expect(limit()).toBe(1000);
		const picker = budgets.lease(keyA, 600, WINDOW, { urgent: true, providerDefault: true });
		expect(limit()).toBe(1000);
		// A value set below the default holds everyone, the default leases included.
		const careful = budgets.lease(keyA, 100, WINDOW);
		expect(limit()).toBe(100);
		careful.release();
		batch.release();
		// Only default leases left: the default again.
		expect(limit()).toBe(600);
		picker.release();
		poll.release();
	});

	test('different keys never slow each other', async () => {
		const a = budgets.lease(keyA, 1, WINDOW);
		const b = budgets.lease(keyB, 1, WINDOW);
		const otherProvider = budgets.lease({ ...keyA, provider: 'fansApi' }, 1, WINDOW);
		const otherHost = budgets.lease({ ...keyA, baseUrl: 'https://proxy.example' }, 1, WINDOW);
		for (const lease of [a, b, otherProvider, otherHost]) await lease.acquire();
		expect(clock.now()).toBe(T0);
		expect(budgets.snapshot()).toHaveLength(4);
		for (const lease of [a, b, otherProvider, otherHost]) lease.release();
	});

	test("a 429 wait hint or a '0 left' report seen through one lease holds every lease on the key", async () => {
		const one = budgets.lease(keyA, 100, WINDOW);
		const two = budgets.lease(keyA, 100, WINDOW);
		const other = budgets.lease(keyB, 100, WINDOW);
		await one.acquire();
		one.pause(5_000);
		await two.acquire();
		expect(clock.now() - T0).toBe(5_000);
		await other.acquire(); // another key: not paused
		expect(clock.now() - T0).toBe(5_000);
		// "0 left": held until the oldest admission of the window has left it.
		two.report({ remaining: 0 });
		await one.acquire();
		expect(clock.now() - T0).toBe(WINDOW);
		// A lower limit reported by the provider holds for every lease.
		one.report({ limit: 2 });
		expect(budgets.snapshot().find((s) => s.leases === 2)?.limit).toBe(2);
		for (const lease of [one, two, other]) lease.release();
	});

	test('the latest limit report holds: a later, higher one raises the limit again, never above the lowest Requests Per Minute held', async () => {
		const lease = budgets.lease(keyA, 50, WINDOW);
		const other = budgets.lease(keyA, 30, WINDOW);
		lease.report({ limit: 2 });
		expect(budgets.snapshot()[0].limit).toBe(2);
		lease.report({ limit: 600 });
		expect(budgets.snapshot()[0].limit).toBe(30);
		other.release();
		expect(budgets.snapshot()[0].limit).toBe(50);
		lease.report({ limit: 40 });
		expect(budgets.snapshot()[0].limit).toBe(40);
		lease.release();
	});

	test('a higher limit report wakes a waiting request at once', async () => {
		const clock = new ManualClock();
		const limiter = new RateLimiter(10, WINDOW, clock);
		limiter.report({ limit: 1 });
		await limiter.acquire();
		let admitted = false;
		const waiting = limiter.acquire().then(() => (admitted = true));
		await until(() => clock.pending === 1);
		limiter.report({ limit: 5 });
		await waiting;
		expect(admitted).toBe(true);
		expect(clock.now()).toBe(T0);
		expect(limiter.currentLimit).toBe(5);
	});

	test('an urgent request takes the next free slot ahead of the waiting ones', async () => {
		const clock = new ManualClock();
		const limiter = new RateLimiter(1, WINDOW, clock);
		await limiter.acquire();
		const order: string[] = [];
		const batch = [1, 2].map(async (i) => {
			await limiter.acquire();
			order.push(`batch ${i}`);
		});
		const editor = limiter.acquire(undefined, true).then(() => order.push('editor'));
		await until(() => clock.pending === 1 && limiter.waiting === 3);
		clock.advance(WINDOW);
		await editor;
		expect(order).toEqual(['editor']);
		clock.advance(WINDOW);
		await until(() => order.length === 2);
		clock.advance(WINDOW);
		await Promise.all(batch);
		expect(order).toEqual(['editor', 'batch 1', 'batch 2']);
		expect(limiter.admissions).toBe(4);
	});

	test('state is dropped once idle: at release when the window is empty, otherwise once it has emptied', async () => {
		const unused = budgets.lease(keyA, 5, WINDOW);
		unused.release();
		expect(budgets.snapshot()).toEqual([]);

		const used = budgets.lease(keyA, 5, WINDOW);
		await used.acquire();
		used.release();
		used.release(); // idempotent
		// The admission still counts against the key for a window, whoever comes next.
		expect(budgets.snapshot()).toEqual([expect.objectContaining({ leases: 0, inWindow: 1 })]);
		clock.time += WINDOW;
		expect(budgets.snapshot()).toEqual([]);
		await expect(used.acquire()).rejects.toThrow(/released/);
	});

	test('a pause ahead keeps an otherwise idle key until it has passed', () => {
		const lease = budgets.lease(keyA, 5, WINDOW);
		lease.pause(3_000);
		lease.release();
		expect(budgets.snapshot()).toHaveLength(1);
		clock.time += 3_000;
		expect(budgets.snapshot()).toEqual([]);
	});

	test('the registry keeps a fingerprint of the key, never the key itself', () => {
		const lease = budgets.lease(keyA, 5, WINDOW);
		lease.pause(1_000);
		const shown = JSON.stringify(budgets.snapshot());
		expect(shown).not.toContain('key-a-123456');
		expect(budgets.snapshot()[0].key).toBe(fingerprint(keyA));
		expect(fingerprint(keyA)).toMatch(/^[0-9a-f]{64}$/);
		expect(fingerprint(keyA)).not.toBe(fingerprint(keyB));
		lease.release();
	});

	test('one budget however the key is written: spaces around it, or missing as empty', () => {
		expect(fingerprint({ ...keyA, apiKey: '  key-a-123456 ' })).toBe(fingerprint(keyA));
		expect(fingerprint({ ...keyA, apiKey: undefined })).toBe(fingerprint({ ...keyA, apiKey: '' }));
	});
});

describe('through the engine: executions share their key budget', () => {
	const ACCOUNT = 'acc';
	let arrived = 0;
	let clock: DrivenClock;

	beforeEach(() => {
		arrived = 0;
		clock = new DrivenClock(() => arrived >= rateBudgets.admissions);
		rateBudgets.reset(clock);
	});

	const updateParams = (authentication: string, options: IDataObject = {}) => updateParameters(authentication, { account: ACCOUNT, options });

	interface Stamp {
		at: number;
		body: IDataObject;
		key: string | undefined;
	}

	/**
	 * API Fansly updates, each stamped with the virtual time it arrived. `before` runs before
	 * the answer and may give it headers.
	 */
	function apiFanslyStamps(
		times: number,
		before?: (req: SeenRequest, stamp: Stamp) => Promise<Record<string, string> | void> | Record<string, string> | void,
	) {
		const stamps: Stamp[] = [];
		const scope = nock(APIFANSLY_HOST)
			.put(`/api/fansly/${ACCOUNT}/tracking-links`)
			.times(times)
			.reply(
				replyWith(async (req) => {
					const stamp = { at: clock.now() - T0, body: req.body as IDataObject, key: req.headers['x-api-key'] };
					stamps.push(stamp);
					arrived++;
					const headers = (await before?.(req, stamp)) ?? {};
					const body = req.body as IDataObject;
					return [200, apiFanslyUpdated({ id: body.id, label: body.label }), headers];
				}),
			);
		return { stamps, scope };
	}

	const rows = (run: number, count: number) =>
		Array.from({ length: count }, (_, i) => ({ link: `${run}-${i}`, label: `run ${run} row ${i}` }));

	test('four concurrent executions on one key never exceed its Requests Per Minute in any window', async () => {
		const { stamps, scope } = apiFanslyStamps(24);
		const runs = await Promise.all(
			[0, 1, 2, 3].map(async (run) =>
				await runFansly({
					parameters: updateParams('apiFanslyApi', { requestsPerMinute: 5 }),
					items: rows(run, 6),
					credentials: credentials.apiFanslyApi,
				}),
			),
		);
		for (const [run, result] of runs.entries()) {
			expect(result.error).toBeUndefined();
			expect(result.items.map((i) => [i.json.id, i.json.label])).toEqual(rows(run, 6).map((r) => [r.link, r.label]));
		}
		expect(scope.isDone()).toBe(true);
		// Exactly the 24 updates, each once, with the key.
		expect(stamps.map((s) => s.body).sort((a, b) => String(a.id).localeCompare(String(b.id)))).toEqual(
			[0, 1, 2, 3].flatMap((run) => rows(run, 6).map((r) => ({ id: r.link, label: r.label }))).sort((a, b) =>
				a.id.localeCompare(b.id),
			),
		);
		expect(new Set(stamps.map((s) => s.key))).toEqual(new Set([APIFANSLY_FAKE_VALUE]));
		// Shared: 5 per window for all four together (one limiter per run would send 20 at once).
		expect(maxInAnyWindow(stamps.map((s) => s.at), 60_000)).toBe(5);
		expect(stamps.filter((s) => s.at === 0)).toHaveLength(5);
		// 24 requests at 5 per window: the last goes out in the fifth window, and no later.
		expect(Math.max(...stamps.map((s) => s.at))).toBe(4 * WINDOW);
		// Nothing is left behind once the window has passed.
		clock.time += WINDOW;
		expect(rateBudgets.snapshot()).toEqual([]);
	});

	test('when executions on one key set different Requests Per Minute, the lower one holds while it runs', async () => {
		let releaseSlow: () => void = () => {};
		const slowHeld = new Promise<void>((resolve) => (releaseSlow = resolve));
		const { stamps } = apiFanslyStamps(12, async (req) => {
			if (String((req.body as IDataObject).id).startsWith('1-')) await slowHeld;
		});
		clock.held = true;
		const slow = runFansly({
			parameters: updateParams('apiFanslyApi', { requestsPerMinute: 3 }),
			items: rows(1, 3),
			credentials: credentials.apiFanslyApi,
		});
		await until(() => stamps.length === 3);
		const fast = runFansly({
			parameters: updateParams('apiFanslyApi', { requestsPerMinute: 100 }),
			items: rows(0, 9),
			credentials: credentials.apiFanslyApi,
		});
		// Both leases held: the key's limit is 3 and its window is full, so the fast run waits.
		await until(() => rateBudgets.snapshot().some((s) => s.leases === 2 && s.waiting > 0));
		expect(rateBudgets.snapshot()).toEqual([expect.objectContaining({ leases: 2, limit: 3, inWindow: 3 })]);
		expect(stamps).toHaveLength(3);
		// The slow run ends: its limit goes with it, and the fast run goes on at once (time
		// stands still), with 12 in the window under its own 100.
		releaseSlow();
		expect((await slow).error).toBeUndefined();
		const result = await fast;
		expect(result.error).toBeUndefined();
		expect(result.items.map((i) => i.json.id)).toEqual(rows(0, 9).map((r) => r.link));
		expect(stamps.map((s) => String(s.body.id).split('-')[0])).toEqual([...'111000000000']);
		expect(stamps.every((s) => s.at === 0)).toBe(true);
		expect(rateBudgets.snapshot()).toEqual([expect.objectContaining({ leases: 0, limit: 100, inWindow: 12 })]);
	});

	/**
	 * Three updates on one API Fansly key, each stamped when it arrives: link A's answered with
	 * `answerOfA`, B1's held until `release429()` (so B2 goes only after A's answer is in), any
	 * other at once.
	 */
	function updatesBesideA(answerOfA: [number, IDataObject, Record<string, string>]) {
		let release429: () => void = () => {};
		const got429 = new Promise<void>((resolve) => (release429 = resolve));
		const stamps: Array<{ at: number; id: unknown }> = [];
		nock(APIFANSLY_HOST)
			.put(`/api/fansly/${ACCOUNT}/tracking-links`)
			.times(3)
			.reply(
				replyWith(async (req) => {
					const body = req.body as IDataObject;
					stamps.push({ at: clock.now() - T0, id: body.id });
					arrived++;
					if (body.id === 'A') return answerOfA;
					if (body.id === 'B1') await got429;
					return [200, apiFanslyUpdated({ id: body.id, label: body.label })];
				}),
			);
		return { stamps, release429 };
	}

	// A 429 is about the key's rate: its wait holds every request on the key. A 503's wait hint
	// is about the provider's state, and holds only the request that got it.
	test.each<{ status: number; message: string; hint: Record<string, string>; b2: number }>([
		{ status: 429, message: 'Rate limit exceeded.', hint: { 'X-RateLimit-Retry-After': '30' }, b2: 30_000 },
		{ status: 503, message: 'Service Unavailable', hint: { 'Retry-After': '30' }, b2: 0 },
	])('a $status wait hint seen by one execution: the next request of another on the same key at $b2 ms', async ({ status, message, hint, b2 }) => {
		const { stamps, release429 } = updatesBesideA([status, { statusCode: status, message }, hint]);
		const runB = runFansly({
			parameters: updateParams('apiFanslyApi', { maxConcurrency: 1 }),
			items: [
				{ link: 'B1', label: 'b1' },
				{ link: 'B2', label: 'b2' },
			],
			credentials: credentials.apiFanslyApi,
		});
		await until(() => stamps.length === 1);
		const runA = runFansly({
			parameters: updateParams('apiFanslyApi', { retry: false }),
			items: [{ link: 'A', label: 'a' }],
			credentials: credentials.apiFanslyApi,
			continueOnFail: true,
		});
		const a = await runA;
		release429();
		const b = await runB;
		expect(a.items[0].json).toMatchObject({ httpCode: status });
		expect(b.error).toBeUndefined();
		expect(b.items.map((i) => i.json.id)).toEqual(['B1', 'B2']);
		// After a 429, B2 waited for the hint that only A saw: 30 s from A's answer.
		expect(stamps).toEqual([
			{ at: 0, id: 'B1' },
			{ at: 0, id: 'A' },
			{ at: b2, id: 'B2' },
		]);
	});

	// The key stays paused for the whole hint, however short the Max Retry Wait of the execution
	// that saw it. An execution that would wait longer than its own Max Retry Wait for the pause
	// fails the item at once, as it would had the 429 been its own.
	test.each<{ bMaxWait: number; b2: 'sent at 3 s' | 'failed at once'; left: string }>([
		{ bMaxWait: 10_000, b2: 'sent at 3 s', left: 'no count' },
		{ bMaxWait: 10_000, b2: 'sent at 3 s', left: '0 left' },
		{ bMaxWait: 3_000, b2: 'sent at 3 s', left: 'no count' },
		{ bMaxWait: 2_000, b2: 'failed at once', left: 'no count' },
	])('a 3 s hint ($left) seen by an execution whose Max Retry Wait is 1 s: another with Max Retry Wait $bMaxWait ms has its next request $b2', async ({ bMaxWait, b2, left }) => {
		const count: Record<string, string> = left === '0 left' ? { 'X-RateLimit-Remaining': '0' } : {};
		const { stamps, release429 } = updatesBesideA([429, { statusCode: 429, message: 'Rate limit exceeded.' }, { 'Retry-After': '3', ...count }]);
		const runB = runFansly({
			parameters: updateParams('apiFanslyApi', { maxConcurrency: 1, maxRetryWait: bMaxWait }),
			items: [
				{ link: 'B1', label: 'b1' },
				{ link: 'B2', label: 'b2' },
			],
			credentials: credentials.apiFanslyApi,
			continueOnFail: true,
		});
		await until(() => stamps.length === 1);
		const a = await runFansly({
			parameters: updateParams('apiFanslyApi', { maxRetryWait: 1_000 }),
			items: [{ link: 'A', label: 'a' }],
			credentials: credentials.apiFanslyApi,
			continueOnFail: true,
		});
		release429();
		const b = await runB;
		expect(a.items.map((i) => [i.json.error, i.json.httpCode, i.json.description])).toEqual([
			[
				'API Fansly asked to wait 3 s before retrying, more than the maximum wait of 1 s (option "Max Retry Wait") (HTTP 429)',
				429,
				'Lower the option "Requests Per Minute", or spread the items over time.',
			],
		]);
		if (b2 === 'sent at 3 s') {
			expect(b.items.map((i) => [i.json.id, i.json.error])).toEqual([
				['B1', undefined],
				['B2', undefined],
			]);
			expect(stamps).toEqual([
				{ at: 0, id: 'B1' },
				{ at: 0, id: 'A' },
				{ at: 3_000, id: 'B2' },
			]);
			return;
		}
		expect(b.items.map((i) => [i.json.id ?? null, i.json.error ?? null, i.json.httpCode ?? null, i.json.description ?? null])).toEqual([
			['B1', null, null, null],
			[
				null,
				'API Fansly asked to wait 3 s before the next request with this API key, more than the maximum wait of 2 s (option "Max Retry Wait") (HTTP 429)',
				429,
				'Another request with this API key met the provider’s rate limit, and every request with the key waits as long as the provider asked. Raise "Max Retry Wait", lower "Requests Per Minute", or spread the items over time.',
			],
		]);
		expect(stamps).toEqual([
			{ at: 0, id: 'B1' },
			{ at: 0, id: 'A' },
		]);
		// At once: no time passed for it.
		expect(clock.now()).toBe(T0);
	});

	test('two keys run independently: a key at its limit never holds the other', async () => {
		const SECOND_VALUE = `${APIFANSLY_FAKE_VALUE}-second`;
		const { stamps } = apiFanslyStamps(8);
		// Time stands still while the second key's run goes: the first key, at its limit, must
		// not hold it for a moment.
		clock.held = true;
		const held = runFansly({
			parameters: updateParams('apiFanslyApi', { requestsPerMinute: 2 }),
			items: rows(0, 6),
			credentials: credentials.apiFanslyApi,
		});
		await until(() => stamps.length === 2 && rateBudgets.snapshot().some((s) => s.waiting > 0));
		const free = await runFansly({
			parameters: updateParams('apiFanslyApi', { requestsPerMinute: 2 }),
			items: rows(1, 2),
			credentials: { apiFanslyApi: { apiKey: SECOND_VALUE } },
		});
		expect(free.error).toBeUndefined();
		expect(free.items.map((i) => i.json.id)).toEqual(['1-0', '1-1']);
		expect(stamps.filter((s) => s.key === SECOND_VALUE).map((s) => s.at)).toEqual([0, 0]);
		expect(stamps.filter((s) => s.key === APIFANSLY_FAKE_VALUE)).toHaveLength(2);
		expect(rateBudgets.snapshot()).toHaveLength(2);
		clock.held = false;
		expect((await held).error).toBeUndefined();
		expect(stamps.filter((s) => s.key === APIFANSLY_FAKE_VALUE).map((s) => s.at)).toEqual([
			0,
			0,
			WINDOW,
			WINDOW,
			2 * WINDOW,
			2 * WINDOW,
		]);
	});

	test('a later, higher limit report raises the key limit an earlier, low one set (up to the lowest Requests Per Minute held)', async () => {
		// The first answer is a hiccup reporting a limit of 2; every later one the plan's 600.
		const { stamps } = apiFanslyStamps(7, (_req, stamp) => ({
			'X-RateLimit-Limit': stamp.body.id === 'A' ? '2' : '600',
		}));
		// Time stands still: whatever waits for the window's first slot to free never goes.
		clock.held = true;
		const first = await runFansly({
			parameters: updateParams('apiFanslyApi'),
			items: [{ link: 'A', label: 'a' }],
			credentials: credentials.apiFanslyApi,
		});
		expect(first.error).toBeUndefined();
		expect(rateBudgets.snapshot()).toEqual([expect.objectContaining({ leases: 0, limit: 2, inWindow: 1 })]);
		const second = runFansly({
			parameters: updateParams('apiFanslyApi', { requestsPerMinute: 100 }),
			items: rows(1, 6),
			credentials: credentials.apiFanslyApi,
		});
		// Its first request fills the window of 2; its answer says 600, so the rest go at once.
		await until(() => stamps.length === 7).catch(() => undefined);
		clock.held = false;
		const result = await second;
		expect(result.error).toBeUndefined();
		expect(result.items.map((i) => i.json.id)).toEqual(rows(1, 6).map((r) => r.link));
		expect(stamps.map((s) => [s.at, s.body.id])).toEqual([[0, 'A'], ...rows(1, 6).map((r) => [0, r.link])]);
		// Never above what the executions set: 100, not the provider's 600.
		expect(rateBudgets.snapshot()).toEqual([expect.objectContaining({ leases: 0, limit: 100, inWindow: 7 })]);
	});

	test.each(['0x2', '2e0', '0b10', '-2'])('a limit report written %s is no report: the key keeps its limit', async (value) => {
		apiFanslyStamps(1, () => ({ 'X-RateLimit-Limit': value, 'X-RateLimit-Remaining': value }));
		const result = await runFansly({
			parameters: updateParams('apiFanslyApi'),
			items: [{ link: 'A', label: 'a' }],
			credentials: credentials.apiFanslyApi,
		});
		expect(result.error).toBeUndefined();
		expect(rateBudgets.snapshot()).toEqual([expect.objectContaining({ limit: 600, inWindow: 1 })]);
	});

	test('a fractional limit report (2.5) allows 2 in a window, never 3', async () => {
		const { stamps } = apiFanslyStamps(5, () => ({ 'X-RateLimit-Limit': '2.5' }));
		// Time stands still until the window is seen full: one at a time, so the request that
		// waits for a slot comes once every answer before it is in.
		clock.held = true;
		const run = runFansly({
			parameters: updateParams('apiFanslyApi', { maxConcurrency: 1 }),
			items: rows(0, 5),
			credentials: credentials.apiFanslyApi,
		});
		await until(() => rateBudgets.snapshot()[0]?.waiting === 1);
		expect(stamps.map((s) => s.at)).toEqual([0, 0]);
		clock.held = false;
		const result = await run;
		expect(result.error).toBeUndefined();
		expect(result.items.map((i) => i.json.id)).toEqual(rows(0, 5).map((r) => r.link));
		expect(stamps.map((s) => [s.at, s.body.id])).toEqual([
			[0, '0-0'],
			[0, '0-1'],
			[WINDOW, '0-2'],
			[WINDOW, '0-3'],
			[2 * WINDOW, '0-4'],
		]);
		expect(rateBudgets.snapshot()).toEqual([expect.objectContaining({ limit: 2 })]);
	});

	test('a wall clock stepped back by an hour does not stall the key: windows run on the monotonic clock', async () => {
		rateBudgets.reset(); // the real clock
		const wallNow = Date.now.bind(Date);
		const monotonicNow = performance.now.bind(performance);
		let wallShift = 0;
		let monotonicShift = 0;
		const wall = jest.spyOn(Date, 'now').mockImplementation(() => wallNow() + wallShift);
		const monotonic = jest.spyOn(performance, 'now').mockImplementation(() => monotonicNow() + monotonicShift);
		try {
			const { stamps } = apiFanslyStamps(3);
			const params = updateParams('apiFanslyApi', { requestsPerMinute: 2 });
			const first = await runFansly({ parameters: params, items: rows(0, 2), credentials: credentials.apiFanslyApi });
			expect(first.error).toBeUndefined();
			expect(rateBudgets.snapshot()).toEqual([expect.objectContaining({ inWindow: 2 })]);
			// A window's length passes on the monotonic clock while NTP steps the wall clock back
			// by an hour: the window has emptied, and the next update goes at once.
			monotonicShift = WINDOW;
			wallShift = -3_600_000;
			// A stalled key waits for its slot: the run must end without any wait, however slow the machine.
			const realSleep = systemClock.sleep.bind(systemClock);
			let waited: (ms: number) => void = () => undefined;
			const waits = new Promise<string>((resolve) => (waited = (ms) => resolve(`waited ${ms} ms`)));
			const sleeping = jest.spyOn(systemClock, 'sleep').mockImplementation(async (ms, signal) => {
				waited(ms);
				return await realSleep(ms, signal);
			});
			const second = runFansly({ parameters: params, items: rows(1, 1), credentials: credentials.apiFanslyApi });
			const outcome = await Promise.race([second.then(() => 'done'), waits]).finally(() => sleeping.mockRestore());
			expect(outcome).toBe('done');
			expect((await second).items.map((i) => i.json.id)).toEqual(['1-0']);
			expect(stamps.map((s) => s.body.id)).toEqual(['0-0', '0-1', '1-0']);
		} finally {
			wall.mockRestore();
			monotonic.mockRestore();
		}
	});

	test('an editor picker takes the next free slot ahead of the requests a running batch has queued', async () => {
		const { stamps } = apiFanslyStamps(6);
		const accounts = {
			statusCode: 200,
			message: 'Accounts retrieved successfully',
			data: { success: true, count: 1, accounts: [{ accountId: 'fansly_acc_111', name: 'Alice Wonder' }] },
			timestamp: '2026-03-21T04:08:45.000Z',
		};
		nock(APIFANSLY_HOST)
			.get('/api/fansly/accounts')
			.reply(
				replyWith((req) => {
					stamps.push({ at: clock.now() - T0, body: { id: 'picker' }, key: req.headers['x-api-key'] });
					arrived++;
					return [200, accounts];
				}),
			);
		const order = () => stamps.map((s) => [s.at, s.body.id]);
		clock.held = true;
		const batch = runFansly({
			parameters: updateParams('apiFanslyApi', { requestsPerMinute: 2 }),
			items: rows(0, 6),
			credentials: credentials.apiFanslyApi,
		});
		await until(() => stamps.length === 2 && rateBudgets.snapshot()[0]?.waiting === 4);
		// A person opens the account picker on the same key while four updates wait.
		const picker = runListSearch('searchAccounts', {
			parameters: { authentication: 'apiFanslyApi', resource: 'trackingLink', operation: 'update' },
			credentials: credentials.apiFanslyApi,
		});
		await until(() => rateBudgets.snapshot()[0]?.waiting === 5);
		clock.held = false;
		expect(await picker).toEqual({ results: [{ name: 'Alice Wonder', value: 'fansly_acc_111' }] });
		expect((await batch).error).toBeUndefined();
		// Still within the window of 2: the picker takes one of the two slots that free at 61 s.
		expect(order()).toEqual([
			[0, '0-0'],
			[0, '0-1'],
			[WINDOW, 'picker'],
			[WINDOW, '0-2'],
			[2 * WINDOW, '0-3'],
			[2 * WINDOW, '0-4'],
			[3 * WINDOW, '0-5'],
		]);
		expect(new Set(stamps.map((s) => s.key))).toEqual(new Set([APIFANSLY_FAKE_VALUE]));
	});

	test('a picker opened while a batch runs does not lower the Requests Per Minute the batch set to its default', async () => {
		// 650 updates at 700 a minute (above API Fansly's default of 600) with the account list open
		// meanwhile: 651 requests, all within the first window.
		const ITEMS = 650;
		const { stamps } = apiFanslyStamps(ITEMS);
		let answerPicker: () => void = () => {};
		const pickerAnswered = new Promise<void>((resolve) => (answerPicker = resolve));
		let pickerArrived = false;
		nock(APIFANSLY_HOST)
			.get('/api/fansly/accounts')
			.reply(
				replyWith(async () => {
					pickerArrived = true;
					arrived++;
					// The provider lists the accounts slowly: the picker holds the key all through the batch.
					await pickerAnswered;
					return [200, { statusCode: 200, message: 'ok', data: { success: true, accounts: [{ accountId: 'a1', name: 'A' }] } }];
				}),
			);
		const picker = runListSearch('searchAccounts', {
			parameters: { authentication: 'apiFanslyApi', resource: 'trackingLink', operation: 'update' },
			credentials: credentials.apiFanslyApi,
		});
		await until(() => pickerArrived);
		const result = await runFansly({
			parameters: updateParams('apiFanslyApi', { requestsPerMinute: 700 }),
			items: rows(0, ITEMS),
			credentials: credentials.apiFanslyApi,
		});
		answerPicker();
		expect(await picker).toEqual({ results: [{ name: 'A', value: 'a1' }] });
		expect(result.error).toBeUndefined();
		expect(stamps).toHaveLength(ITEMS);
		expect(stamps.filter((s) => s.at > 0)).toEqual([]);
	});

	test('10 000 sequential single-item executions leave the shared state empty', async () => {
		const RUNS = 10_000;
		const LIMIT = 100;
		const applied = new Map<string, number>();
		nock(APIFANSLY_HOST)
			.put(`/api/fansly/${ACCOUNT}/tracking-links`)
			.times(RUNS)
			.reply(
				replyWith((req) => {
					const body = req.body as IDataObject;
					applied.set(String(body.id), (applied.get(String(body.id)) ?? 0) + 1);
					arrived++;
					clock.time += 5; // some time passes between executions
					return [200, apiFanslyUpdated({ id: body.id, label: body.label })];
				}),
			);
		let maxKeys = 0;
		let maxStored = 0;
		let maxLeases = 0;
		for (let run = 0; run < RUNS; run++) {
			const result = await runFansly({
				parameters: updateParams('apiFanslyApi', { requestsPerMinute: LIMIT }),
				items: [{ link: String(run), label: 'x' }],
				credentials: credentials.apiFanslyApi,
			});
			if (result.error !== undefined || result.items.length !== 1) throw new Error(`run ${run} failed`);
			const state = rateBudgets.snapshot();
			maxKeys = Math.max(maxKeys, state.length);
			for (const s of state) {
				maxStored = Math.max(maxStored, s.stored);
				maxLeases = Math.max(maxLeases, s.leases);
			}
		}
		expect(applied.size).toBe(RUNS);
		expect([...applied.values()].every((n) => n === 1)).toBe(true);
		// While they ran: one key, no lease left over by a finished execution, and a window of
		// at most the limit, however many executions went.
		expect(maxKeys).toBe(1);
		expect(maxLeases).toBe(0);
		expect(maxStored).toBeLessThanOrEqual(LIMIT);
		// Once the last window has passed, nothing is kept.
		clock.time += WINDOW;
		expect(rateBudgets.snapshot()).toEqual([]);
	}, 600_000);
});
