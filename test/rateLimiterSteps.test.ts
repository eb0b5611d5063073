/* eslint-disable @n8n/community-nodes/no-restricted-imports --
 * Test code, never published: node:events counts the listeners left on a signal. */
/**
 * The rate limiter and the per-key registry at their edges, on virtual clocks: the provider's
 * "requests left" count, a limit lowered below what the window holds, reports that are not
 * numbers a provider means, who is first when a slot frees, what a cancelled wait leaves
 * behind, and when a key's state may be dropped. Each test is exact about times.
 */
import { getEventListeners } from 'node:events';

import type { BudgetKey } from '../nodes/Fansly/transport/budget';
import { RateBudgets } from '../nodes/Fansly/transport/budget';
import { PausedTooLong, RateLimiter, systemClock } from '../nodes/Fansly/transport/rateLimiter';
import { ManualClock, T0, VirtualClock } from './helpers/clocks';

const WINDOW = 61_000;

const ticks = async (n = 20) => {
	for (let i = 0; i < n; i++) await Promise.resolve();
};

/** When each of `count` requests, asked for at once, was let go (ms since T0). */
async function times(limiter: RateLimiter, clock: VirtualClock, count: number): Promise<number[]> {
	const at: number[] = [];
	await Promise.all(Array.from({ length: count }, async () => limiter.acquire().then(() => at.push(clock.at()))));
	return at;
}

describe("the provider's count of requests left", () => {
	test('two left: two go at once, the third when the oldest leaves the window', async () => {
		const clock = new VirtualClock();
		const limiter = new RateLimiter(100, WINDOW, clock);
		limiter.report({ remaining: 2 });
		expect(await times(limiter, clock, 3)).toEqual([0, 0, WINDOW]);
	});

	test('one left: it goes at once, the next when it leaves the window', async () => {
		const clock = new VirtualClock();
		const limiter = new RateLimiter(100, WINDOW, clock);
		limiter.report({ remaining: 1 });
		expect(await times(limiter, clock, 2)).toEqual([0, WINDOW]);
	});

	test('none left with nothing in the window: the next request waits a whole window from now', async () => {
		const clock = new VirtualClock();
		const limiter = new RateLimiter(100, WINDOW, clock);
		limiter.report({ remaining: 0 });
		expect(await times(limiter, clock, 1)).toEqual([WINDOW]);
	});

	test('"none left" reported after the oldest admission has left the window: held until the next one leaves', async () => {
		const clock = new VirtualClock();
		const limiter = new RateLimiter(100, WINDOW, clock);
		await limiter.acquire();
		clock.time = T0 + WINDOW - 1_000;
		await limiter.acquire();
		// The first admission has left the window (nothing looked at it since); the answer to
		// the second says none are left: the provider renews when the second leaves.
		clock.time = T0 + WINDOW + 1_000;
		limiter.report({ remaining: 0 });
		expect(await times(limiter, clock, 1)).toEqual([2 * WINDOW - 1_000]);
	});

	// A count of requests is whole: 2.5 allows 2. Read as it came, a limit of 2.5 let a third
	// request into the window, then made the next slot NaN, and the limiter slept NaN ms in a loop.
	test('a fractional limit is the whole number below it', async () => {
		const clock = new ManualClock();
		const limiter = new RateLimiter(100, WINDOW, clock);
		limiter.report({ limit: 2.5 });
		expect(limiter.currentLimit).toBe(2);
		const at: number[] = [];
		const all = Array.from({ length: 5 }, async () => await limiter.acquire().then(() => at.push(clock.now() - T0)));
		await ticks(50);
		expect(at).toEqual([0, 0]);
		expect(clock.pending).toBe(1);
		clock.advance(WINDOW);
		await ticks(50);
		expect(at).toEqual([0, 0, WINDOW, WINDOW]);
		clock.advance(WINDOW);
		await Promise.all(all);
		expect(at).toEqual([0, 0, WINDOW, WINDOW, 2 * WINDOW]);
	});

	test('a fractional count left is the whole number below it; a limit below 1 is no report', async () => {
		const clock = new VirtualClock();
		const limiter = new RateLimiter(100, WINDOW, clock);
		limiter.report({ remaining: 1.5, limit: 0.5 });
		expect(limiter.currentLimit).toBe(100);
		expect(await times(limiter, clock, 2)).toEqual([0, WINDOW]);
	});

	test('a negative count, or a limit of 0, is no report', async () => {
		const clock = new VirtualClock();
		const limiter = new RateLimiter(100, WINDOW, clock);
		limiter.report({ remaining: -1, limit: 0 });
		expect(await times(limiter, clock, 3)).toEqual([0, 0, 0]);
		expect(limiter.currentLimit).toBe(100);
	});

	test('a wait hint keeps a count that is not used up: after the pause, only what was left goes at once', async () => {
		const clock = new VirtualClock();
		const limiter = new RateLimiter(100, WINDOW, clock);
		limiter.report({ remaining: 2 });
		limiter.pause(1_000);
		// The third waits for the window of the first two, admitted when the pause ended.
		expect(await times(limiter, clock, 3)).toEqual([1_000, 1_000, 1_000 + WINDOW]);
	});
});

describe('a limit lowered below what the window holds', () => {
	test('the next request waits until enough of the oldest admissions have left', async () => {
		const clock = new VirtualClock();
		const limiter = new RateLimiter(3, WINDOW, clock);
		for (const at of [0, 1_000, 2_000]) {
			clock.time = T0 + at;
			await limiter.acquire();
		}
		limiter.setLimit(1);
		// Three in the window, one allowed: two must leave, so the second one's time counts.
		expect(await times(limiter, clock, 1)).toEqual([2_000 + WINDOW]);
	});
});

describe('who goes first when a slot frees', () => {
	test('a request that asks at the very moment a slot frees queues behind the one already waiting', async () => {
		const clock = new ManualClock();
		const limiter = new RateLimiter(1, WINDOW, clock);
		await limiter.acquire();
		const order: string[] = [];
		const waiting = limiter.acquire().then(() => order.push('waiting'));
		await ticks();
		expect(clock.pending).toBe(1);
		clock.advance(WINDOW);
		const newcomer = limiter.acquire().then(() => order.push('newcomer'));
		await waiting;
		expect(order).toEqual(['waiting']);
		clock.advance(WINDOW);
		await newcomer;
		expect(order).toEqual(['waiting', 'newcomer']);
	});
});

describe('what a wait leaves behind', () => {
	test('the only waiter cancelled: the limiter stops sleeping at once', async () => {
		const clock = new ManualClock();
		const limiter = new RateLimiter(1, WINDOW, clock);
		await limiter.acquire();
		const cancel = new AbortController();
		const waiting = limiter.acquire(cancel.signal);
		await ticks();
		expect(clock.pending).toBe(1);
		cancel.abort();
		await expect(waiting).rejects.toMatchObject({ name: 'AbortError', message: 'The operation was aborted' });
		await ticks();
		expect(clock.pending).toBe(0);
	});

	test("a cancelled wait says the signal's reason", async () => {
		const limiter = new RateLimiter(1, WINDOW, new VirtualClock());
		const cancel = new AbortController();
		cancel.abort(new Error('Stopped by the user'));
		await expect(limiter.acquire(cancel.signal)).rejects.toMatchObject({ name: 'AbortError', message: 'Cancelled: Stopped by the user' });
	});

	test("granted waits leave no listener on the execution's signal (one per request would pile up)", async () => {
		const clock = new VirtualClock();
		const limiter = new RateLimiter(2, WINDOW, clock);
		const cancel = new AbortController();
		await Promise.all(Array.from({ length: 6 }, async () => await limiter.acquire(cancel.signal)));
		expect(clock.at()).toBe(2 * WINDOW);
		expect(getEventListeners(cancel.signal, 'abort')).toHaveLength(0);
	});

	test("systemClock.sleep leaves no listener on the signal once it has slept", async () => {
		const cancel = new AbortController();
		await systemClock.sleep(1, cancel.signal);
		expect(getEventListeners(cancel.signal, 'abort')).toHaveLength(0);
	});
});

describe('when a key may be forgotten', () => {
	const key: BudgetKey = { provider: 'apiFansly', baseUrl: 'https://v1.apifansly.com', apiKey: 'key-a-123456' };

	/** A registry of its own, on a virtual clock. */
	function registry(): { clock: VirtualClock; budgets: RateBudgets } {
		const clock = new VirtualClock();
		const budgets = new RateBudgets();
		budgets.reset(clock);
		return { clock, budgets };
	}

	test('released with nothing in its window: dropped at once, before anything looks at the registry', () => {
		const { budgets } = registry();
		budgets.lease(key, 10, WINDOW).release();
		expect(budgets.held).toBe(0);
	});

	test('released with requests still in its window: the next lease waits for that window', async () => {
		const { clock, budgets } = registry();
		const first = budgets.lease(key, 2, WINDOW);
		await first.acquire();
		await first.acquire();
		first.release();
		const second = budgets.lease(key, 2, WINDOW);
		await second.acquire();
		expect(clock.at()).toBe(WINDOW);
		second.release();
	});

	test('released after the provider said none are left: kept until its window renews, then dropped', async () => {
		const { clock, budgets } = registry();
		const lease = budgets.lease(key, 10, WINDOW);
		lease.report({ remaining: 0 });
		lease.release();
		expect(budgets.snapshot()).toEqual([expect.objectContaining({ leases: 0, inWindow: 0 })]);
		clock.time += WINDOW;
		expect(budgets.snapshot()).toEqual([]);
	});

	test('released with requests left again after an earlier "none left": dropped at once', () => {
		const { budgets } = registry();
		const lease = budgets.lease(key, 10, WINDOW);
		lease.report({ remaining: 0 });
		lease.report({ remaining: 5 });
		lease.release();
		expect(budgets.snapshot()).toEqual([]);
	});

	test('released twice, then dropped: the count of admissions never changes', async () => {
		const { clock, budgets } = registry();
		const lease = budgets.lease(key, 10, WINDOW);
		await lease.acquire();
		await lease.acquire();
		clock.time += WINDOW;
		lease.release();
		lease.release();
		expect(budgets.snapshot()).toEqual([]);
		expect(budgets.admissions).toBe(2);
	});

	test('released again after its key was dropped and leased anew: the new lease keeps the key', async () => {
		const { budgets } = registry();
		const old = budgets.lease(key, 10, WINDOW);
		old.release();
		const current = budgets.lease(key, 10, WINDOW);
		await current.acquire();
		old.release();
		expect(budgets.snapshot()).toEqual([expect.objectContaining({ leases: 1, inWindow: 1, admissions: 1 })]);
		expect(budgets.admissions).toBe(1);
		current.release();
	});

	test('a request asked for as its lease is released still counts against the key', async () => {
		const { budgets } = registry();
		const ending = budgets.lease(key, 10, WINDOW);
		const asked = ending.acquire();
		ending.release();
		const next = budgets.lease(key, 10, WINDOW);
		await asked;
		expect(budgets.snapshot()).toEqual([expect.objectContaining({ leases: 1, inWindow: 1, admissions: 1 })]);
		next.release();
	});
});

describe('an urgent lease', () => {
	test("a picker's lease takes the next free slot ahead of another execution's waiting request", async () => {
		const key: BudgetKey = { provider: 'apiFansly', baseUrl: 'https://v1.apifansly.com', apiKey: 'key-a-123456' };
		const clock = new ManualClock();
		const budgets = new RateBudgets();
		budgets.reset(clock);
		const batch = budgets.lease(key, 1, WINDOW);
		await batch.acquire();
		const order: string[] = [];
		const batchNext = batch.acquire().then(() => order.push('batch'));
		await ticks();
		const picker = budgets.lease(key, 1, WINDOW, { urgent: true });
		const pick = picker.acquire().then(() => order.push('picker'));
		await ticks();
		clock.advance(WINDOW);
		await ticks();
		expect(order).toEqual(['picker']);
		clock.advance(WINDOW);
		await Promise.all([pick, batchNext]);
		expect(order).toEqual(['picker', 'batch']);
		picker.release();
		batch.release();
	});
});

describe('memory', () => {
	test('a key kept busy for many windows stores only what its window holds, not every request it ever sent', async () => {
		const clock = new VirtualClock();
		const limiter = new RateLimiter(100, WINDOW, clock);
		let most = 0;
		// One request every fiftieth of a window: the window always holds about 50, never empties.
		for (let i = 0; i < 1_000; i++) {
			clock.time += WINDOW / 50;
			await limiter.acquire();
			most = Math.max(most, limiter.stored);
		}
		expect(limiter.admissions).toBe(1_000);
		expect(limiter.inWindow()).toBe(50);
		expect(most).toBe(50);
	});
});

describe('a wait hint longer than a caller waits', () => {
	test('the key stays paused for the whole hint; a caller that accepts less is refused at once, with what is left of it', async () => {
		const clock = new VirtualClock();
		const limiter = new RateLimiter(100, WINDOW, clock);
		limiter.pause(3_000);
		const refused = await limiter.acquire(undefined, false, 2_999).catch((error: unknown) => error);
		expect(refused).toBeInstanceOf(PausedTooLong);
		expect(refused).toMatchObject({ waitMs: 3_000 });
		expect(clock.at()).toBe(0);
		expect(limiter.admissions).toBe(0);
		// Exactly the hint is waited out, as a caller's own hint is.
		await limiter.acquire(undefined, false, 3_000);
		expect(clock.at()).toBe(3_000);
	});

	test('a pause that comes while callers wait refuses those that accept less, and keeps the others', async () => {
		const clock = new ManualClock();
		const limiter = new RateLimiter(1, WINDOW, clock);
		await limiter.acquire();
		const order: string[] = [];
		const patient = limiter.acquire(undefined, false, 120_000).then(() => order.push('patient'));
		const hasty = limiter.acquire(undefined, false, 1_000).catch((error: unknown) => error);
		// Accepts exactly the pause: it waits, as a caller whose own hint equals its Max Retry Wait does.
		const exact = limiter.acquire(undefined, false, 70_000).then(() => order.push('exact'));
		await ticks();
		expect(limiter.waiting).toBe(3);
		clock.advance(10_000);
		limiter.pause(70_000);
		expect(await hasty).toMatchObject({ name: 'PausedTooLong', waitMs: 70_000 });
		expect(limiter.waiting).toBe(2);
		// The window's slot frees at 61 s, but the pause holds the patient one until 80 s.
		clock.advance(WINDOW - 10_000);
		await ticks();
		expect(order).toEqual([]);
		clock.advance(80_000 - WINDOW);
		await patient;
		expect(order).toEqual(['patient']);
		expect(limiter.admissions).toBe(2);
		// A limit of one a window: the second slot frees 61 s after the first.
		clock.advance(WINDOW);
		await exact;
		expect(order).toEqual(['patient', 'exact']);
	});

	test('the only waiter refused: the limiter stops sleeping at once', async () => {
		const clock = new ManualClock();
		const limiter = new RateLimiter(1, WINDOW, clock);
		await limiter.acquire();
		const waiting = limiter.acquire(undefined, false, 1_000).catch((error: unknown) => error);
		await ticks();
		expect(clock.pending).toBe(1);
		limiter.pause(5_000);
		expect(await waiting).toBeInstanceOf(PausedTooLong);
		await ticks();
		expect(clock.pending).toBe(0);
	});

	test('a wait for a pause ends at once when its signal aborts', async () => {
		const clock = new ManualClock();
		const limiter = new RateLimiter(100, WINDOW, clock);
		limiter.pause(5_000);
		const cancel = new AbortController();
		const waiting = limiter.acquire(cancel.signal, false, 10_000);
		await ticks();
		expect(clock.pending).toBe(1);
		cancel.abort();
		await expect(waiting).rejects.toMatchObject({ name: 'AbortError' });
		await ticks();
		expect(clock.pending).toBe(0);
		expect(limiter.admissions).toBe(0);
	});
});
