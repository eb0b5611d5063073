import type { CongestionListener } from '../transport';

/**
 * Adaptive concurrency for one execution: halves on 429, 5xx, time-outs and network errors and
 * grows back while answers are healthy (additive increase, multiplicative decrease, as TCP
 * does). Below its threshold (Max Concurrency at first, half the congested level after a
 * decrease) it grows by one per answer, a slow start. After a decrease, the answers to
 * requests that were already in flight are not counted again: one burst of 429s is one signal.
 *
 * It starts moderate, at `MODERATE_START` (or Max Concurrency when that is lower), and doubles
 * each round trip up to Max Concurrency while answers are healthy: a provider that struggles
 * is not met with a full window of requests at once. Not lower: the key's rate budget is what
 * keeps the provider within its plan, and a slow start from 8 left n8n idle for five round
 * trips at the start of every batch (8 → 256 in flight at 150 ms per answer); from 64 it is two.
 */
export const MODERATE_START = 64;

export class AdaptiveConcurrency implements CongestionListener {
	private current: number;

	private threshold: number;

	private answers = 0;

	/** Congestion is ignored until this many answers have come back. */
	private recoverAfter = 0;

	private credit = 0;

	constructor(
		private readonly max: number,
		initial = MODERATE_START,
	) {
		this.current = Math.max(1, Math.min(initial, max));
		this.threshold = max;
	}

	get limit(): number {
		return this.current;
	}

	onHealthy(): void {
		this.answers += 1;
		if (this.current >= this.max) return;
		if (this.current < this.threshold) {
			this.current += 1;
			return;
		}
		this.credit += 1 / this.current;
		if (this.credit >= 1) {
			this.credit = 0;
			this.current += 1;
		}
	}

	onCongested(): void {
		this.answers += 1;
		if (this.answers <= this.recoverAfter) return;
		this.recoverAfter = this.answers + this.current;
		this.threshold = Math.max(1, Math.floor(this.current / 2));
		this.current = this.threshold;
		this.credit = 0;
	}
}

export interface Task<T> {
	index: number;
	/** Tasks with the same key run one at a time, in index order. */
	key?: string;
	run(): Promise<T>;
}

export type Outcome<T> = { ok: true; value: T } | { ok: false; error: unknown };

/**
 * Runs tasks with at most `concurrency.limit` in flight, preferring lower indexes, never two
 * of the same key at once. Returns one outcome per task, in task order. With `stopOnError`,
 * no task starts after the first failure (tasks already in flight finish); tasks never
 * started are left out of the result. Once `signal` aborts (Stop, the workflow time-out), no
 * task starts either, and the result comes as soon as the tasks in flight have ended.
 */
export async function runTasks<T>(
	tasks: Array<Task<T>>,
	concurrency: { readonly limit: number },
	stopOnError: boolean,
	signal?: AbortSignal,
): Promise<Map<number, Outcome<T>>> {
	const outcomes = new Map<number, Outcome<T>>();
	// Chains of same-key tasks: only the head of a chain is ready to run.
	const successor = new Map<Task<T>, Task<T>>();
	const lastOfKey = new Map<string, Task<T>>();
	const ready: Array<Task<T>> = [];
	for (const task of tasks) {
		const previous = task.key === undefined ? undefined : lastOfKey.get(task.key);
		if (previous) successor.set(previous, task);
		else ready.push(task);
		if (task.key !== undefined) lastOfKey.set(task.key, task);
	}
	ready.sort((a, b) => b.index - a.index); // pop() takes the lowest index

	let running = 0;
	let failed = false;
	return await new Promise((resolve) => {
		const pump = () => {
			while (!(stopOnError && failed) && !signal?.aborted && ready.length > 0 && running < concurrency.limit) {
				const task = ready.pop() as Task<T>;
				running += 1;
				task.run().then(
					(value) => finish(task, { ok: true, value }),
					(error: unknown) => finish(task, { ok: false, error }),
				);
			}
			if (running === 0) resolve(outcomes);
		};
		const finish = (task: Task<T>, outcome: Outcome<T>) => {
			running -= 1;
			outcomes.set(task.index, outcome);
			if (!outcome.ok) failed = true;
			const next = successor.get(task);
			if (next) insertByIndex(ready, next);
			pump();
		};
		pump();
	});
}

/** Keeps `ready` sorted by descending index. */
function insertByIndex<T>(ready: Array<Task<T>>, task: Task<T>): void {
	let lo = 0;
	let hi = ready.length;
	while (lo < hi) {
		const mid = (lo + hi) >> 1;
		if (ready[mid].index > task.index) lo = mid + 1;
		else hi = mid;
	}
	ready.splice(lo, 0, task);
}
