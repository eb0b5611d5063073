import nock from 'nock';
import type { IDataObject } from 'n8n-workflow';
import { sleep } from 'n8n-workflow';

import { AdaptiveConcurrency, runTasks } from '../nodes/Fansly/actions/runner';
import type { Clock } from '../nodes/Fansly/transport/rateLimiter';
import { RateLimiter } from '../nodes/Fansly/transport/rateLimiter';
import { runFansly } from './helpers/engine';
import { replyWith } from './helpers/reply';
import { type UpdateParameters, updateParameters } from './fixtures/parameters';
import {
	APIFANSLY_HOST,
	apiFanslyUpdated,
	credentials,
	FANSAPI_HOST,
	fansApiEnvelope,
	fansApiListLink,
} from './fixtures/responses';

/** Virtual time: sleeping moves the clock forward at once. */
class VirtualClock implements Clock {
	time = 1_000_000;

	now(): number {
		return this.time;
	}

	async sleep(ms: number): Promise<void> {
		this.time += Math.max(0, ms);
	}
}

const wait = async (ms: number) => await sleep(ms);

describe('RateLimiter (sliding 60-second window, virtual clock)', () => {
	function maxInAnyWindow(times: number[], windowMs: number): number {
		let max = 0;
		let start = 0;
		for (let end = 0; end < times.length; end++) {
			while (times[end] - times[start] >= windowMs) start++;
			max = Math.max(max, end - start + 1);
		}
		return max;
	}

	test('never admits more than the limit in any window, and lets a burst through at once', async () => {
		const clock = new VirtualClock();
		const limiter = new RateLimiter(600, 60_000, clock);
		const admitted: number[] = [];
		for (let i = 0; i < 1000; i++) {
			await limiter.acquire();
			admitted.push(clock.now());
			clock.time += 7; // some work between requests
		}
		expect(maxInAnyWindow(admitted, 60_000)).toBe(600);
		// The first 600 are a burst (no waiting); the 601st waits for the first to leave the window.
		expect(admitted[599] - admitted[0]).toBe(599 * 7);
		expect(admitted[600]).toBe(admitted[0] + 60_000);
		// The 1000th request goes out exactly when the window allows it.
		expect(admitted[999]).toBe(admitted[399] + 60_000);
	});

	test('concurrent callers are admitted in call order and still within the limit', async () => {
		const clock = new VirtualClock();
		const limiter = new RateLimiter(10, 60_000, clock);
		const order: number[] = [];
		const admitted: number[] = [];
		await Promise.all(
			Array.from({ length: 35 }, async (_, i) => {
				await limiter.acquire();
				order.push(i);
				admitted.push(clock.now());
			}),
		);
		expect(order).toEqual(Array.from({ length: 35 }, (_, i) => i));
		expect(maxInAnyWindow(admitted, 60_000)).toBe(10);
	});

	test('a provider report of 0 remaining holds requests until the window turns', async () => {
		const clock = new VirtualClock();
		const limiter = new RateLimiter(600, 60_000, clock);
		await limiter.acquire();
		const first = clock.now();
		limiter.report({ remaining: 0 });
		await limiter.acquire();
		expect(clock.now()).toBe(first + 60_000);
		// After the window turned, the count renews.
		const before = clock.now();
		await limiter.acquire();
		expect(clock.now()).toBe(before);
	});

	test('a smaller limit reported by the provider tightens the window', async () => {
		const clock = new VirtualClock();
		const limiter = new RateLimiter(600, 60_000, clock);
		limiter.report({ limit: 5 });
		const admitted: number[] = [];
		for (let i = 0; i < 12; i++) {
			await limiter.acquire();
			admitted.push(clock.now());
		}
		expect(limiter.currentLimit).toBe(5);
		expect(maxInAnyWindow(admitted, 60_000)).toBe(5);
	});

	test('a 429 wait hint pauses every request until the hinted time', async () => {
		const clock = new VirtualClock();
		const limiter = new RateLimiter(600, 60_000, clock);
		await limiter.acquire();
		limiter.pause(2_500);
		const t0 = clock.now();
		await limiter.acquire();
		expect(clock.now()).toBe(t0 + 2_500);
	});
});

describe('AdaptiveConcurrency', () => {
	test('grows while healthy, up to the maximum', () => {
		const c = new AdaptiveConcurrency(32, 8);
		expect(c.limit).toBe(8);
		for (let i = 0; i < 10; i++) c.onHealthy();
		expect(c.limit).toBe(18);
		for (let i = 0; i < 100; i++) c.onHealthy();
		expect(c.limit).toBe(32);
	});

	test('halves on congestion, ignores the answers already in flight, then grows additively', () => {
		const c = new AdaptiveConcurrency(64, 16);
		c.onCongested();
		expect(c.limit).toBe(8);
		c.onCongested(); // the rest of the same burst (up to 16 in flight): ignored
		c.onCongested();
		expect(c.limit).toBe(8);
		for (let i = 0; i < 8; i++) c.onHealthy(); // one round at 8: +1
		expect(c.limit).toBe(9);
		c.onCongested(); // 12th answer since the decrease: still from the old round
		expect(c.limit).toBe(9);
		for (let i = 0; i < 5; i++) c.onHealthy();
		c.onCongested(); // 18th answer: a new signal
		expect(c.limit).toBe(4);
		const floor = new AdaptiveConcurrency(4, 1);
		floor.onCongested();
		expect(floor.limit).toBe(1);
	});
});

describe('runTasks', () => {
	test('keeps results per index, runs same-key tasks one at a time in order', async () => {
		const log: string[] = [];
		const inFlight = new Map<string, number>();
		let overlap = false;
		const tasks = [
			{ key: 'a', ms: 30 },
			{ key: 'b', ms: 5 },
			{ key: 'a', ms: 5 },
			{ key: 'c', ms: 1 },
			{ key: 'a', ms: 1 },
		].map((t, index) => ({
			index,
			key: t.key,
			run: async () => {
				const n = (inFlight.get(t.key) ?? 0) + 1;
				inFlight.set(t.key, n);
				if (n > 1) overlap = true;
				log.push(`start ${index}`);
				await wait(t.ms);
				inFlight.set(t.key, n - 1);
				return index * 10;
			},
		}));
		const outcomes = await runTasks(tasks, { limit: 4 }, false);
		expect(overlap).toBe(false);
		expect([...outcomes.keys()].sort()).toEqual([0, 1, 2, 3, 4]);
		expect([...outcomes.values()].every((o) => o.ok)).toBe(true);
		expect(outcomes.get(4)).toEqual({ ok: true, value: 40 });
		const starts = log.map((l) => Number(l.split(' ')[1]));
		expect(starts.filter((i) => [0, 2, 4].includes(i))).toEqual([0, 2, 4]);
	});

	test('with stopOnError, starts nothing after the first failure', async () => {
		const started: number[] = [];
		const tasks = Array.from({ length: 10 }, (_, index) => ({
			index,
			run: async () => {
				started.push(index);
				await wait(1);
				if (index === 1) throw new Error('boom');
				return index;
			},
		}));
		const outcomes = await runTasks(tasks, { limit: 2 }, true);
		expect(outcomes.get(1)).toEqual({ ok: false, error: new Error('boom') });
		expect(started.length).toBeLessThanOrEqual(3);
		expect(outcomes.has(9)).toBe(false);
	});
});

describe('through the engine', () => {
	const ACCOUNT = 'acc';

	const updateParams = (authentication: string, extra: Omit<UpdateParameters, 'account'> = {}) =>
		updateParameters(authentication, { account: ACCOUNT, ...extra });

	test('output keeps input order and pairing while requests run in parallel and finish out of order', async () => {
		let inFlight = 0;
		let peak = 0;
		nock(APIFANSLY_HOST)
			.put(`/api/fansly/${ACCOUNT}/tracking-links`)
			.times(40)
			.reply(
				replyWith(async ({ body }) => {
					inFlight++;
					peak = Math.max(peak, inFlight);
					const b = body as IDataObject;
					await wait((Number(b.id) * 7) % 13);
					inFlight--;
					return [200, apiFanslyUpdated({ id: b.id, label: b.label })];
				}),
			);
		const items = Array.from({ length: 40 }, (_, i) => ({ link: String(i), label: `L${i}` }));
		const result = await runFansly({ parameters: updateParams('apiFanslyApi'), items, credentials: credentials.apiFanslyApi });
		expect(result.error).toBeUndefined();
		expect(peak).toBeGreaterThan(1);
		expect(result.items.map((i) => [i.pairedItem, i.json.id, i.json.label])).toEqual(
			items.map((item, index) => [{ item: index }, item.link, item.label]),
		);
	});

	test('updates to the same link never overlap and apply in input order (the last row wins)', async () => {
		const inFlight = new Map<string, number>();
		const applied: string[] = [];
		let overlaps = 0;
		nock(FANSAPI_HOST)
			.put((p) => p.startsWith(`/api/fansly/${ACCOUNT}/tracking-links/`))
			.times(30)
			.reply(
				replyWith(async ({ path, body }) => {
					const id = path.split('/').pop() as string;
					const n = (inFlight.get(id) ?? 0) + 1;
					inFlight.set(id, n);
					if (n > 1) overlaps++;
					await wait(3);
					inFlight.set(id, n - 1);
					applied.push(`${id}:${(body as IDataObject).label}`);
					return n > 1 ? [500, { message: 'overlap' }] : [200, fansApiEnvelope({ id, label: (body as IDataObject).label })];
				}),
			);
		// Three links, ten rows each, interleaved.
		const items = Array.from({ length: 30 }, (_, i) => ({ link: String(i % 3), label: `row${i}` }));
		const result = await runFansly({ parameters: updateParams('fansApiApi'), items, credentials: credentials.fansApiApi });
		expect(result.error).toBeUndefined();
		expect(overlaps).toBe(0);
		for (const link of ['0', '1', '2']) {
			const rows = applied.filter((a) => a.startsWith(`${link}:`)).map((a) => Number(a.split(':row')[1]));
			expect(rows).toEqual([...rows].sort((a, b) => a - b));
			expect(rows).toHaveLength(10);
		}
		expect(result.items).toHaveLength(30);
	});

	/**
	 * Runs `count` updates and returns how many requests the node had in flight in each round
	 * trip: the stand-in holds every request until none has come for a whole second (the node
	 * has sent all its concurrency allows), or until `full` are held, then answers them all at
	 * once. The counts do not depend on how fast the machine is, as long as it never pauses a
	 * second between two sends. `status` answers each call (200: the link as updated).
	 */
	async function roundTrips(
		count: number,
		options: IDataObject,
		{ full = Infinity, status = () => 200, continueOnFail = false }: { full?: number; status?: (call: number) => number; continueOnFail?: boolean } = {},
	): Promise<number[]> {
		const rounds: number[] = [];
		let held: Array<() => void> = [];
		let quiet: NodeJS.Timeout | undefined;
		let calls = 0;
		const answerAll = () => {
			// eslint-disable-next-line @n8n/community-nodes/no-restricted-globals -- test code, as below
			clearTimeout(quiet);
			rounds.push(held.length);
			const release = held;
			held = [];
			for (const answer of release) answer();
		};
		nock(FANSAPI_HOST)
			.put((p) => p.startsWith(`/api/fansly/${ACCOUNT}/tracking-links/`))
			.times(count * 2)
			.reply(
				replyWith(async ({ path, body }) => {
					const answer = status(++calls);
					await new Promise<void>((resolve) => {
						held.push(resolve);
						// eslint-disable-next-line @n8n/community-nodes/no-restricted-globals -- test code: the stand-in's quiet timer, restarted by each request
						clearTimeout(quiet);
						if (held.length >= full) return answerAll();
						// eslint-disable-next-line @n8n/community-nodes/no-restricted-globals -- test code, as above
						quiet = setTimeout(answerAll, 1000);
					});
					if (answer !== 200) return [answer, { message: `status ${answer}` }, { 'Retry-After': '0' }];
					return [200, fansApiEnvelope({ id: path.split('/').pop(), label: (body as IDataObject).label })];
				}),
			);
		const items = Array.from({ length: count }, (_, i) => ({ link: String(i), label: `L${i}` }));
		const result = await runFansly({ parameters: updateParams('fansApiApi', { options }), items, credentials: credentials.fansApiApi, continueOnFail });
		expect(result.error).toBeUndefined();
		expect(result.items.map((i) => i.json.id ?? i.json.trackingLinkId)).toEqual(items.map((i) => i.link));
		return rounds;
	}

	// Each round trip takes a second of the stand-in's; a busy machine needs more than jest's 20 s.
	test('starts moderate, at 64 in flight, and doubles each round trip up to Max Concurrency, which defaults to 256', async () => {
		expect(await roundTrips(64 + 128 + 256 + 1, {})).toEqual([64, 128, 256, 1]);
	}, 90_000);

	test('starts at Max Concurrency when it is below 64', async () => {
		expect(await roundTrips(60, { maxConcurrency: 24 })).toEqual([24, 24, 12]);
	}, 90_000);

	test('Max Concurrency caps the growth', async () => {
		expect(await roundTrips(64 + 100 + 1, { maxConcurrency: 100 })).toEqual([64, 100, 1]);
	}, 90_000);

	// A 429 or a 5xx says the provider is overloaded; a 4xx other than 429 is about the request.
	// The first round of 16 (Max Concurrency) gets `status`, every later call succeeds.
	test.each([429, 500, 503])('concurrency shrinks after a round of %i answers', async (status) => {
		const rounds = await roundTrips(60, { maxConcurrency: 16, maxRetries: 10, retryDelay: 1 }, { full: 16, status: (call) => (call <= 16 ? status : 200) });
		// The second round is the first one's retries (a retry stays within its task); the tasks
		// started after them run at half the concurrency (8), growing back one per round that
		// answers well, the retries' round first.
		expect(rounds).toEqual([16, 16, 9, 10, 11, 12, 2]);
	}, 90_000);

	test.each([404, 422])('concurrency holds after a round of %i answers (not retried: those items fail)', async (status) => {
		const rounds = await roundTrips(60, { maxConcurrency: 16 }, { full: 16, status: (call) => (call <= 16 ? status : 200), continueOnFail: true });
		expect(rounds).toEqual([16, 16, 16, 12]);
	}, 90_000);

	test('Fans API lists the account links once per execution for description-only updates', async () => {
		let lists = 0;
		const scope = nock(FANSAPI_HOST)
			.get(`/api/fansly/${ACCOUNT}/tracking-links`)
			.reply(
				replyWith(() => {
					lists++;
					return [200, fansApiEnvelope(Array.from({ length: 10 }, (_, i) => fansApiListLink(String(i), `Label ${i}`)))];
				}),
			)
			.put((p) => p.startsWith(`/api/fansly/${ACCOUNT}/tracking-links/`))
			.times(10)
			.reply(
				replyWith(({ path, body }) => [200, fansApiEnvelope({ id: path.split('/').pop(), ...(body as IDataObject) })]),
			);
		const items = Array.from({ length: 10 }, (_, i) => ({ link: String(i), description: `d${i}` }));
		const result = await runFansly({
			parameters: updateParams('fansApiApi', { updateFields: { description: '={{ $json.description }}' } }),
			items,
			credentials: credentials.fansApiApi,
		});
		expect(result.error).toBeUndefined();
		expect(scope.isDone()).toBe(true);
		expect(lists).toBe(1);
		expect(result.items.map((i) => i.json.label)).toEqual(items.map((_, i) => `Label ${i}`));
	});

	test('a label changed earlier in the same execution is the one sent with a later description-only update', async () => {
		const sent: IDataObject[] = [];
		nock(FANSAPI_HOST)
			.get(`/api/fansly/${ACCOUNT}/tracking-links`)
			.reply(200, fansApiEnvelope([fansApiListLink('7', 'Old label')]))
			.put(`/api/fansly/${ACCOUNT}/tracking-links/7`)
			.times(2)
			.reply(
				replyWith(({ body }) => {
					sent.push(body as IDataObject);
					return [200, fansApiEnvelope({ id: '7', ...(body as IDataObject) })];
				}),
			);
		const result = await runFansly({
			parameters: updateParams('fansApiApi', {
				updateFields: { label: '={{ $json.label }}', description: '={{ $json.description }}' },
			}),
			items: [
				{ link: '7', label: 'New label' },
				{ link: '7', description: 'only the description' },
			],
			credentials: credentials.fansApiApi,
		});
		expect(result.error).toBeUndefined();
		expect(sent).toEqual([{ label: 'New label' }, { label: 'New label', description: 'only the description' }]);
	});
});
