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
			signal.addEventListener('abort', onAbort, { once: true });
		});
		try {
			await Promise.race([sleep(ms, signal).catch(() => undefined), aborted]);
		} finally {
			signal.removeEventListener('abort', onAbort);
		}
	},
};

interface Waiter {
	grant(): void;
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
 * The window keeps one timestamp per admission still inside it (plus a little slack before the
 * array is compacted), so memory is bounded by the limit.
 */
export class RateLimiter {
	private admitted: number[] = [];

	private head = 0;

	private pausedUntil = 0;

	/** Admissions the provider will still accept, from its last report; Infinity when unknown. */
	private providerRemaining = Infinity;

	/** When the provider's window is expected to renew after it reported 0 left. */
	private exhaustedUntil = 0;

	/** The limit the provider reported last. */
	private reportedLimit = Infinity;

	/** Waiting callers, in call order (a Set: a cancelled one leaves in O(1)). */
	private readonly waiters = new Set<Waiter>();

	/** Waiting urgent callers, in call order: served before `waiters`. */
	private readonly urgentWaiters = new Set<Waiter>();

	/** Admissions since this limiter was created (for tests and diagnostics). */
	private total = 0;

	private pumping = false;

	/** Ends the pump's current sleep early (a waiter left, or the limit rose). */
	private wakePump: AbortController | undefined;

	constructor(
		private limit: number,
		private readonly windowMs: number,
		private readonly clock: Clock,
	) {}

	/**
	 * Waits until a request may be sent, and counts it. Rejects with an `AbortError` when
	 * `signal` aborts first; a rejected call never counts. An `urgent` call goes ahead of every
	 * waiting call that is not urgent.
	 */
	acquire(signal?: AbortSignal, urgent = false): Promise<void> {
		// Not an async function: the caller's continuation is the first reaction to the grant,
		// so it runs before the queue moves on (and before a virtual clock moves).
		if (signal?.aborted) return Promise.reject(abortError(signal));
		const now = this.clock.now();
		const ahead = urgent ? this.urgentWaiters.size : this.waiting;
		if (ahead === 0 && this.nextSlotAt(now) <= now) {
			this.admit(now);
			return Promise.resolve();
		}
		const queue = urgent ? this.urgentWaiters : this.waiters;
		return new Promise<void>((resolve, reject) => {
			const onAbort = () => {
				if (!queue.delete(waiter)) return;
				reject(abortError(signal));
				// Nobody left to wait for: end the pump's sleep, so no timer outlives the queue.
				if (this.waiting === 0) this.wakePump?.abort();
			};
			const waiter: Waiter = {
				grant: () => {
					signal?.removeEventListener('abort', onAbort);
					resolve();
				},
			};
			queue.add(waiter);
			signal?.addEventListener('abort', onAbort, { once: true });
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

	/** Admits waiters in order, sleeping until the next slot whenever none is free. */
	private async pump(): Promise<void> {
		if (this.pumping) return;
		this.pumping = true;
		try {
			// Start after the callers already admitted have gone on (see acquire).
			await Promise.resolve();
			let granted = false;
			while (this.waiting > 0) {
				const now = this.clock.now();
				const at = this.nextSlotAt(now);
				if (at <= now) {
					const first = this.takeNext();
					this.admit(now);
					first.grant();
					granted = true;
					continue;
				}
				if (granted) {
					// Let the callers just granted go first, then look again.
					granted = false;
					await Promise.resolve();
					continue;
				}
				const wake = new AbortController();
				this.wakePump = wake;
				try {
					await this.clock.sleep(at - now, wake.signal);
				} catch {
					// Woken early: look again.
				} finally {
					this.wakePump = undefined;
				}
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
			if (now >= this.exhaustedUntil) {
				// A full window has passed since the report: the provider's count has renewed.
				this.providerRemaining = Infinity;
			} else {
				at = Math.max(at, this.exhaustedUntil);
			}
		}
		if (this.admitted.length - this.head >= this.effectiveLimit) {
			// Full: the next slot frees when enough of the oldest admissions leave the window.
			const freeing = this.admitted.length - this.head - this.effectiveLimit;
			at = Math.max(at, this.admitted[this.head + freeing] + this.windowMs);
		}
		return at;
	}

	private admit(now: number): void {
		this.admitted.push(now);
		this.total += 1;
		if (this.providerRemaining !== Infinity) {
			this.providerRemaining -= 1;
			if (this.providerRemaining <= 0) this.markExhausted(now);
		}
	}

	private markExhausted(now: number): void {
		const oldest = this.head < this.admitted.length ? this.admitted[this.head] : now;
		this.exhaustedUntil = oldest + this.windowMs;
	}

	private expire(now: number): void {
		while (this.head < this.admitted.length && this.admitted[this.head] <= now - this.windowMs) {
			this.head += 1;
		}
		if (this.head === this.admitted.length) {
			this.admitted = [];
			this.head = 0;
		} else if (this.head > 64 && this.head * 2 > this.admitted.length) {
			this.admitted = this.admitted.slice(this.head);
			this.head = 0;
		}
	}

	private get effectiveLimit(): number {
		return Math.max(1, Math.min(this.limit, this.reportedLimit));
	}

	/** What a response said of the provider's window. */
	report(report: RateLimitReport): void {
		if (report.limit !== undefined && report.limit > 0) {
			// The latest report is the provider's truth: one low report (a hiccup, a proxy) must
			// not hold the key for as long as it stays busy.
			const rose = report.limit > this.reportedLimit;
			this.reportedLimit = report.limit;
			if (rose) this.wakePump?.abort();
		}
		if (report.remaining !== undefined && report.remaining >= 0) {
			this.providerRemaining = report.remaining;
			if (report.remaining <= 0) this.markExhausted(this.clock.now());
		}
	}

	/** A 429 asked everyone to wait `ms`. */
	pause(ms: number): void {
		this.pausedUntil = Math.max(this.pausedUntil, this.clock.now() + ms);
		// The hint says when the provider accepts requests again: it replaces the "0 left"
		// reported with the same 429, which would otherwise hold requests for a whole window.
		if (this.providerRemaining <= 0) this.providerRemaining = Infinity;
	}

	/** Sets this limiter's own limit (the provider's reports may still hold it lower). */
	setLimit(limit: number): void {
		const rose = limit > this.limit;
		this.limit = limit;
		if (rose) this.wakePump?.abort();
	}

	/** Requests admitted in the current window (for tests and diagnostics). */
	inWindow(): number {
		this.expire(this.clock.now());
		return this.admitted.length - this.head;
	}

	/** The limit in force: the lower of this limiter's and the provider's. */
	get currentLimit(): number {
		return this.effectiveLimit;
	}

	/** Timestamps held in memory (in the window, plus slack not yet compacted). */
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

	/** Nothing waiting, nothing in the window, no pause ahead: the state can be dropped. */
	isIdle(): boolean {
		const now = this.clock.now();
		return (
			this.waiting === 0 &&
			!this.pumping &&
			this.inWindow() === 0 &&
			this.pausedUntil <= now &&
			(this.providerRemaining > 0 || this.exhaustedUntil <= now)
		);
	}
}
