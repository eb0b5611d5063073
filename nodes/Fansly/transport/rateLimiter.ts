import { sleep } from 'n8n-workflow';

import type { RateLimitReport } from '../providers/types';

export interface Clock {
	/**
	 * Milliseconds on a clock that only moves forward: windows and waits are measured on it, so
	 * a wall clock stepped back (NTP, a VM resumed) never stalls a key, and one stepped forward
	 * never frees a window early. Only differences between two readings mean anything.
	 */
	now(): number;
	/**
	 * Resolves after `ms`. With a signal, rejects with an `AbortError` as soon as the signal
	 * aborts (at once when it already has).
	 */
	sleep(ms: number, signal?: AbortSignal): Promise<void>;
}

/** The error a cancelled wait rejects with: `name` is `'AbortError'`, as for fetch and axios. */
export function abortError(signal?: AbortSignal): Error {
	const reason: unknown = signal?.reason;
	const error = new Error(
		reason instanceof Error && reason.message ? `Cancelled: ${reason.message}` : 'The operation was aborted',
	);
	error.name = 'AbortError';
	return error;
}

/**
 * Real time: `performance.now()`, monotonic (Date.now follows the wall clock, which can be
 * stepped back by an hour). n8n-workflow's `sleep` is a timer, which runs on the monotonic
 * clock too; it clears its timer on abort (n8n 2.x), and the race settles at once on abort
 * even where an older `sleep` ignores the signal.
 */
export const systemClock: Clock = {
	now: () => performance.now(),
	sleep: async (ms, signal) => {
		if (signal === undefined) {
			await sleep(ms);
			return;
		}
		if (signal.aborted) throw abortError(signal);
		let onAbort: () => void = () => {};
		const aborted = new Promise<never>((_, reject) => {
			onAbort = () => reject(abortError(signal));
			signal.addEventListener('abort', onAbort);
		});
		try {
			await Promise.race([sleep(ms, signal).catch(() => undefined), aborted]);
		} finally {
			signal.removeEventListener('abort', onAbort);
		}
	},
};

/**
 * Why a request was refused a slot: the key is paused by a provider's wait hint for longer than
 * the caller may wait (its Max Retry Wait). `waitMs`: how much of the pause is left.
 */
export class PausedTooLong extends Error {
	constructor(readonly waitMs: number) {
		super(`The provider asked to wait ${waitMs} ms more`);
		this.name = 'PausedTooLong';
	}
}

/**
 * Why a caller that may not wait long for a slot (see `acquire`) was refused one: the key's
 * window (its Requests Per Minute, or the provider's report of none left) frees no request for
 * longer than the caller waits. `waitMs`: how long until the next free slot.
 */
export class NoSlotSoon extends Error {
	constructor(readonly waitMs: number) {
		super(`No request is free on the key for ${waitMs} ms`);
		this.name = 'NoSlotSoon';
	}
}

interface Waiter {
	grant(): void;
	/** Takes the waiter out of its queue and rejects its wait. */
	refuse(error: Error): void;
	/** The longest pause it accepts to wait out. */
	maxPause: number;
}

/**
 * A sliding-window limiter: at most `limit` requests admitted in any `windowMs` span, the way
 * both providers count. Bursts up to the limit go out at once; only the request that would
 * exceed the window waits, until the oldest admission leaves it. Waiting requests are admitted
 * in call order.
 *
 * The provider's own reports adjust it: the limit it reports (the latest report holds, so a
 * later, higher one raises a limit an earlier, lower one set; the limiter's own limit stays the
 * ceiling), `remaining` (requests left in its window, which may be shared with other clients of
 * the same key) and 429 wait hints, which pause every request until the hinted time.
 *
 * An urgent caller (a person waiting in the editor for a picker) takes the next free slot
 * ahead of every waiting batch request; it still counts in the window like any other.
 *
 * A cancelled wait (its AbortSignal aborts) rejects at once with an `AbortError`, leaves the
 * queue, and neither takes a slot nor delays anyone else.
 *
 * The window keeps one timestamp per admission still inside it, so memory is bounded by the
 * limit.
 */
export class RateLimiter {
	/** When each admission still inside the window was admitted, oldest first. */
	private readonly admitted: number[] = [];

	private pausedUntil = 0;

	/** Admissions the provider will still accept, from its last report; Infinity when unknown. */
	private providerRemaining = Infinity;

	/**
	 * When the provider's window renews once its count is used up: a window after the oldest
	 * admission still counted when it last reported or was counted down. Kept at every report
	 * and admission, and read only while none are left.
	 */
	private renewsAt = 0;

	/** The limit the provider reported last. */
	private reportedLimit = Infinity;

	/** Waiting callers, in call order (a Set: a cancelled one leaves in O(1)). */
	private readonly waiters = new Set<Waiter>();

	/** Waiting urgent callers, in call order: served before `waiters`. */
	private readonly urgentWaiters = new Set<Waiter>();

	/** Admissions since this limiter was created (for tests and diagnostics). */
	private total = 0;

	private pumping = false;

	/** Ends the pump's current sleep early (a waiter left, or a limit changed). */
	private wakePump: AbortController | undefined;

	constructor(
		private limit: number,
		private readonly windowMs: number,
		private readonly clock: Clock,
	) {}

	/**
	 * Waits until a request may be sent, and counts it. Rejects with an `AbortError` when
	 * `signal` aborts first; a rejected call never counts. An `urgent` call goes ahead of every
	 * waiting call that is not urgent. Rejects with `PausedTooLong`, at once, when a wait hint
	 * pauses the key for more than `maxPause` ms, now or while the call waits: the caller would
	 * not wait that long for a hint of its own either. With `noLongSlotWait` it also rejects at
	 * once, with `NoSlotSoon`, when the key's next free slot is more than `maxPause` ms away.
	 */
	acquire(signal?: AbortSignal, urgent = false, maxPause = Infinity, noLongSlotWait = false): Promise<void> {
		// Every call queues, even with a slot free: one path admits in call order (the pump's,
		// a few microtasks later). Not an async function: the caller's continuation is the
		// first reaction to the grant, so it runs before the queue moves on (and before a
		// virtual clock moves).
		if (signal?.aborted) return Promise.reject(abortError(signal));
		const paused = this.pausedUntil - this.clock.now();
		if (paused > maxPause) return Promise.reject(new PausedTooLong(paused));
		if (noLongSlotWait) {
			const now = this.clock.now();
			const slotIn = this.nextSlotAt(now) - now;
			if (slotIn > maxPause) return Promise.reject(new NoSlotSoon(slotIn));
		}
		const queue = urgent ? this.urgentWaiters : this.waiters;
		return new Promise<void>((resolve, reject) => {
			const leave = (error: Error) => {
				if (!queue.delete(waiter)) return;
				signal?.removeEventListener('abort', onAbort);
				reject(error);
				// The pump looks again: with nobody left to wait for it ends, so no timer outlives
				// the queue.
				this.wakePump?.abort();
			};
			const onAbort = () => leave(abortError(signal));
			const waiter: Waiter = {
				grant: () => {
					signal?.removeEventListener('abort', onAbort);
					resolve();
				},
				refuse: leave,
				maxPause,
			};
			queue.add(waiter);
			signal?.addEventListener('abort', onAbort);
			void this.pump();
		});
	}

	/** The next caller to admit: the first urgent one, else the first one. */
	private takeNext(): Waiter {
		const queue = this.urgentWaiters.size > 0 ? this.urgentWaiters : this.waiters;
		const first = queue.values().next().value as Waiter;
		queue.delete(first);
		return first;
	}

	/**
	 * Admits waiters in order, one per look, sleeping until the next slot whenever none is
	 * free. After each look it yields once, so the caller just granted goes on (its request
	 * is on its way) before the next look.
	 */
	private async pump(): Promise<void> {
		if (this.pumping) return;
		this.pumping = true;
		try {
			// Start once every caller of this tick has queued (see acquire).
			await Promise.resolve();
			while (this.waiting > 0) {
				const now = this.clock.now();
				const at = this.nextSlotAt(now);
				if (at <= now) {
					const first = this.takeNext();
					this.admit(now);
					first.grant();
				} else {
					const wake = new AbortController();
					this.wakePump = wake;
					// Woken early (a waiter left, a limit changed) it rejects: look again.
					await this.clock.sleep(at - now, wake.signal).catch(() => undefined);
				}
				await Promise.resolve();
			}
		} finally {
			this.pumping = false;
		}
	}

	/** The earliest time a request may go, as of `now` (≤ now: at once). */
	private nextSlotAt(now: number): number {
		this.expire(now);
		let at = this.pausedUntil;
		if (this.providerRemaining <= 0) {
			if (now >= this.renewsAt) {
				// A full window has passed since the report: the provider's count has renewed.
				this.providerRemaining = Infinity;
			} else {
				at = Math.max(at, this.renewsAt);
			}
		}
		const freeing = this.admitted.length - this.effectiveLimit;
		if (freeing >= 0) {
			// Full: the next slot frees when enough of the oldest admissions leave the window.
			at = Math.max(at, this.admitted[freeing] + this.windowMs);
		}
		return at;
	}

	private admit(now: number): void {
		this.admitted.push(now);
		this.total += 1;
		// Infinity (no report) stays Infinity.
		this.providerRemaining -= 1;
		// nextSlotAt expired the window at this same `now`: the oldest admission is inside it.
		this.renewsAt = this.admitted[0] + this.windowMs;
	}

	/** Forgets the admissions that have left the window. */
	private expire(now: number): void {
		const firstInside = this.admitted.findIndex((at) => at > now - this.windowMs);
		this.admitted.splice(0, firstInside === -1 ? this.admitted.length : firstInside);
	}

	private get effectiveLimit(): number {
		return Math.max(1, Math.min(this.limit, this.reportedLimit));
	}

	/**
	 * What a response said of the provider's window. Counts of requests are whole: a fraction is
	 * the whole number below it (2.5 allows 2, never 3), and the window's slots are indexed by it.
	 */
	report(report: RateLimitReport): void {
		const limit = report.limit === undefined ? Number.NaN : Math.floor(report.limit);
		if (limit >= 1) {
			// The latest report is the provider's truth: one low report (a hiccup, a proxy) must
			// not hold the key for as long as it stays busy. A higher one may free a slot now.
			this.reportedLimit = limit;
			this.wakePump?.abort();
		}
		const remaining = report.remaining === undefined ? Number.NaN : Math.floor(report.remaining);
		if (remaining >= 0) {
			this.providerRemaining = remaining;
			// The provider's count renews a window after the oldest admission still inside it
			// (one that has left the window no longer counts).
			const now = this.clock.now();
			this.expire(now);
			this.renewsAt = (this.admitted[0] ?? now) + this.windowMs;
		}
	}

	/**
	 * A 429 asked everyone to wait `ms`: the whole of it, whatever the caller that saw it may
	 * wait. Waiting callers that would wait longer than they accept are refused at once.
	 */
	pause(ms: number): void {
		const now = this.clock.now();
		this.pausedUntil = Math.max(this.pausedUntil, now + ms);
		// The hint says when the provider accepts requests again: it replaces the "0 left"
		// reported with the same 429, which would otherwise hold requests for a whole window.
		if (this.providerRemaining <= 0) this.providerRemaining = Infinity;
		const left = this.pausedUntil - now;
		for (const queue of [this.urgentWaiters, this.waiters]) {
			for (const waiter of queue) if (left > waiter.maxPause) waiter.refuse(new PausedTooLong(left));
		}
	}

	/** Sets this limiter's own limit (the provider's reports may still hold it lower). */
	setLimit(limit: number): void {
		this.limit = limit;
		// A higher limit may free a slot now.
		this.wakePump?.abort();
	}

	/** Requests admitted in the current window (for tests and diagnostics). */
	inWindow(): number {
		this.expire(this.clock.now());
		return this.admitted.length;
	}

	/** The limit in force: the lower of this limiter's and the provider's. */
	get currentLimit(): number {
		return this.effectiveLimit;
	}

	/** Timestamps held in memory (the window's, as of the last look at it). */
	get stored(): number {
		return this.admitted.length;
	}

	/** Admissions since this limiter was created. */
	get admissions(): number {
		return this.total;
	}

	/** Waiting callers. */
	get waiting(): number {
		return this.waiters.size + this.urgentWaiters.size;
	}

	/**
	 * Nothing waiting, nothing in the window, no pause ahead: the state can be dropped. (A
	 * pump still running has nobody left to admit: it ends within a few microtasks.)
	 */
	isIdle(): boolean {
		const now = this.clock.now();
		return (
			this.waiting === 0 &&
			this.inWindow() === 0 &&
			this.pausedUntil <= now &&
			(this.providerRemaining > 0 || this.renewsAt <= now)
		);
	}
}
