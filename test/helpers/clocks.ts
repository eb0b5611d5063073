/**
 * Virtual clocks for the limiter's and the budget's tests: time starts at T0 and moves only as
 * each clock says, so every wait is exact and no test depends on real time.
 */
import type { Clock } from '../../nodes/Fansly/transport/rateLimiter';

export const T0 = 1_000_000;

/** Virtual time for unit tests: sleeping moves the clock forward at once. */
export class VirtualClock implements Clock {
	time = T0;

	now(): number {
		return this.time;
	}

	/** Milliseconds since T0. */
	at(): number {
		return this.time - T0;
	}

	async sleep(ms: number, signal?: AbortSignal): Promise<void> {
		if (signal?.aborted) throw Object.assign(new Error('aborted'), { name: 'AbortError' });
		this.time += Math.max(0, ms);
	}
}

/** Virtual time that moves only when the test advances it. */
export class ManualClock implements Clock {
	time = T0;

	private timers: Array<{ at: number; resolve: () => void }> = [];

	now(): number {
		return this.time;
	}

	get pending(): number {
		return this.timers.length;
	}

	async sleep(ms: number, signal?: AbortSignal): Promise<void> {
		await new Promise<void>((resolve, reject) => {
			const timer = { at: this.time + ms, resolve };
			this.timers.push(timer);
			signal?.addEventListener(
				'abort',
				() => {
					this.timers = this.timers.filter((t) => t !== timer);
					reject(Object.assign(new Error('aborted'), { name: 'AbortError' }));
				},
				{ once: true },
			);
		});
	}

	advance(ms: number): void {
		this.time += ms;
		const due = this.timers.filter((t) => t.at <= this.time);
		this.timers = this.timers.filter((t) => t.at > this.time);
		for (const t of due) t.resolve();
	}
}
