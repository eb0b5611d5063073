import type { RateLimitReport } from '../providers/types';

export interface Clock {
	now(): number;
	sleep(ms: number): Promise<void>;
}

/**
 * A sliding-window limiter for one execution: at most `limit` requests admitted in any
 * `windowMs` span, the way both providers count. Bursts up to the limit go out at once; only
 * the request that would exceed the window waits, until the oldest admission leaves it.
 *
 * The provider's own reports tighten it: `remaining` (requests left in its window, which may
 * be shared with other clients of the same key) and 429 wait hints, which pause every request
 * of the execution until the hinted time.
 */
export class RateLimiter {
	private readonly admitted: number[] = [];

	private head = 0;

	private pausedUntil = 0;

	/** Admissions the provider will still accept, from its last report; Infinity when unknown. */
	private providerRemaining = Infinity;

	private queue: Promise<void> = Promise.resolve();

	constructor(
		private limit: number,
		private readonly windowMs: number,
		private readonly clock: Clock,
	) {}

	/** Waits until a request may be sent, and counts it. Requests are admitted in call order. */
	async acquire(): Promise<void> {
		const turn = this.queue.then(async () => await this.admit());
		this.queue = turn.catch(() => undefined);
		await turn;
	}

	private async admit(): Promise<void> {
		for (;;) {
			const now = this.clock.now();
			this.expire(now);
			const inWindow = this.admitted.length - this.head;
			let waitUntil = this.pausedUntil;
			if (inWindow >= this.limit || this.providerRemaining <= 0) {
				const oldest = this.admitted[this.head];
				waitUntil = Math.max(waitUntil, oldest === undefined ? now : oldest + this.windowMs);
			}
			if (waitUntil <= now) {
				this.admitted.push(now);
				if (this.providerRemaining !== Infinity) this.providerRemaining -= 1;
				return;
			}
			await this.clock.sleep(waitUntil - now);
			if (this.providerRemaining <= 0 && this.clock.now() >= waitUntil) {
				// A full window has passed since the report: the provider's count has renewed.
				this.providerRemaining = Infinity;
			}
		}
	}

	private expire(now: number): void {
		while (this.head < this.admitted.length && this.admitted[this.head] <= now - this.windowMs) {
			this.head += 1;
		}
		if (this.head > 1024 && this.head * 2 > this.admitted.length) {
			this.admitted.splice(0, this.head);
			this.head = 0;
		}
	}

	/** What a response said of the provider's window. */
	report(report: RateLimitReport): void {
		if (report.limit !== undefined && report.limit > 0 && report.limit < this.limit) {
			this.limit = report.limit;
		}
		if (report.remaining !== undefined && report.remaining >= 0) {
			this.providerRemaining = report.remaining;
		}
	}

	/** A 429 asked everyone to wait `ms`. */
	pause(ms: number): void {
		this.pausedUntil = Math.max(this.pausedUntil, this.clock.now() + ms);
		// The hint says when the provider accepts requests again: it replaces the "0 left"
		// reported with the same 429, which would otherwise hold requests for a whole window.
		if (this.providerRemaining <= 0) this.providerRemaining = Infinity;
	}

	/** Requests admitted in the current window (for tests and diagnostics). */
	inWindow(): number {
		this.expire(this.clock.now());
		return this.admitted.length - this.head;
	}

	get currentLimit(): number {
		return this.limit;
	}
}
