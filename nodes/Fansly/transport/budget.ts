import type { RateLimitReport } from '../providers/types';
import type { Clock } from './rateLimiter';
import { RateLimiter, systemClock } from './rateLimiter';
import { fingerprintOf } from './secrets';

/** What identifies a provider key: one budget per provider, base URL and API key. */
export interface BudgetKey {
	provider: string;
	baseUrl: string;
	apiKey: unknown;
}

/**
 * One execution's hold on its key's budget. The transport calls `acquire` before every
 * request, `report` with every answer and `pause` on a 429 wait hint, and `release` once when
 * the execution is done with the key.
 */
export interface BudgetLease {
	/** See RateLimiter.acquire: `maxPause` is the longest wait hint the caller waits out. */
	acquire(signal?: AbortSignal, maxPause?: number): Promise<void>;
	report(report: RateLimitReport): void;
	pause(ms: number): void;
	release(): void;
}

/** How a lease holds its key, besides the key itself. */
export interface LeaseTerms {
	/**
	 * A person waits for the lease's requests (the editor's pickers): each takes the key's next
	 * free slot ahead of the waiting requests of other leases.
	 */
	urgent?: boolean;
	/**
	 * Its requests are refused at once when the key's next free slot is further away than their
	 * `maxPause` (Fetch Test Event, which a person waits for and can fetch again), where others
	 * wait for it.
	 */
	noLongSlotWait?: boolean;
	/**
	 * Its Requests Per Minute is the provider's default, which nobody chose (an execution left at
	 * 0, a trigger's poll, a picker): it holds the key only while no lease with a value of its
	 * own does, so opening a picker never lowers the budget a running batch set.
	 */
	providerDefault?: boolean;
}

/** The Requests Per Minute a lease holds its key to. */
interface LeaseLimit {
	limit: number;
	providerDefault: boolean;
}

/** The shared state of one key: its window and the executions currently holding it. */
interface KeyState {
	limiter: RateLimiter;
	/** What each lease still held holds the key to. */
	leases: Map<Lease, LeaseLimit>;
}

/**
 * A fingerprint of the key (sha256 of provider, base URL and API key): the registry never
 * keeps the API key itself, so no map key or diagnostic can show it. The key is trimmed, as
 * the credentials send it: " abc" and "abc" are one key to the provider.
 */
export function fingerprint(key: BudgetKey): string {
	return fingerprintOf([key.provider, key.baseUrl, String(key.apiKey ?? '').trim()]);
}

class Lease implements BudgetLease {
	private released = false;

	constructor(
		private readonly registry: RateBudgets,
		private readonly id: string,
		private readonly state: KeyState,
		private readonly urgent: boolean,
		private readonly noLongSlotWait: boolean,
	) {}

	acquire(signal?: AbortSignal, maxPause?: number): Promise<void> {
		if (this.released) return Promise.reject(new Error('Rate budget used after its lease was released'));
		return this.state.limiter.acquire(signal, this.urgent, maxPause, this.noLongSlotWait);
	}

	report(report: RateLimitReport): void {
		this.state.limiter.report(report);
	}

	pause(ms: number): void {
		this.state.limiter.pause(ms);
	}

	/** Safe to call again: the registry drops only the state the key still has. */
	release(): void {
		this.released = true;
		this.registry.drop(this.id, this.state, this);
	}
}

/**
 * The rate budgets of one n8n process, one per provider key (provider + base URL + API key).
 * Every execution that uses a key leases its budget: all of them share one sliding window,
 * whose limit is the lowest Requests Per Minute among the leases currently held that set one
 * (the provider's default when none did; any lower limit the provider reported holds too). A
 * 429 wait hint or a "0 left" report seen by one execution holds every execution on that key.
 * Different keys never share anything.
 *
 * A key's state is dropped once it is idle (no lease, nothing in the window, no pause ahead):
 * when its last lease is released if the window is already empty, otherwise at the next lease
 * taken or look at the registry after the window has emptied. No timer is involved, so the
 * registry never keeps the process busy; what it holds at any time is bounded by the keys used
 * within the last window and, per key, by its limit.
 */
export class RateBudgets {
	private readonly keys = new Map<string, KeyState>();

	private clock: Clock = systemClock;

	/** Admissions of keys already dropped, so `admissions` never goes back. */
	private retired = 0;

	/**
	 * Takes a lease on the key's budget with this execution's Requests Per Minute. `windowMs`
	 * is the window's length, fixed when the key's state is created. See `LeaseTerms`.
	 */
	lease(key: BudgetKey, requestsPerMinute: number, windowMs: number, terms: LeaseTerms = {}): BudgetLease {
		this.sweep();
		const id = fingerprint(key);
		const limit = Math.max(1, Math.floor(requestsPerMinute));
		let state = this.keys.get(id);
		if (state === undefined) {
			state = { limiter: new RateLimiter(limit, windowMs, this.clock), leases: new Map() };
			this.keys.set(id, state);
		}
		const lease = new Lease(this, id, state, terms.urgent === true, terms.noLongSlotWait === true);
		state.leases.set(lease, { limit, providerDefault: terms.providerDefault === true });
		state.limiter.setLimit(keyLimit(state.leases));
		return lease;
	}

	/** @internal Called by a lease on release. */
	drop(id: string, state: KeyState, lease: Lease): void {
		state.leases.delete(lease);
		if (state.leases.size > 0) {
			state.limiter.setLimit(keyLimit(state.leases));
		} else if (state.limiter.isIdle() && this.keys.get(id) === state) {
			this.forget(id, state);
		}
		// Without a lease, the key keeps the last limit: its window still counts against it.
	}

	/** Drops every key that is idle and held by no lease. */
	private sweep(): void {
		for (const [id, state] of this.keys) {
			if (state.leases.size === 0 && state.limiter.isIdle()) this.forget(id, state);
		}
	}

	private forget(id: string, state: KeyState): void {
		this.keys.delete(id);
		this.retired += state.limiter.admissions;
	}

	/** Requests admitted on every key since the last reset (for tests and diagnostics). */
	get admissions(): number {
		let total = this.retired;
		for (const state of this.keys.values()) total += state.limiter.admissions;
		return total;
	}

	/** Keys held right now, idle ones not yet dropped included (for tests and diagnostics). */
	get held(): number {
		return this.keys.size;
	}

	/** What the registry holds, after dropping idle keys (for tests and diagnostics). */
	snapshot(): Array<{
		key: string;
		leases: number;
		limit: number;
		inWindow: number;
		stored: number;
		waiting: number;
		admissions: number;
	}> {
		this.sweep();
		return [...this.keys].map(([key, state]) => ({
			key,
			leases: state.leases.size,
			limit: state.limiter.currentLimit,
			inWindow: state.limiter.inWindow(),
			stored: state.limiter.stored,
			waiting: state.limiter.waiting,
			admissions: state.limiter.admissions,
		}));
	}

	/**
	 * Test hook: forgets every key and uses `clock` (the real clock when omitted) for the keys
	 * created from now on. Tests call it between cases so one test's window never limits the next.
	 */
	reset(clock?: Clock): void {
		this.keys.clear();
		this.retired = 0;
		this.clock = clock ?? systemClock;
	}
}

/** The lowest Requests Per Minute a lease set, or the lowest default when no lease set one. */
function keyLimit(leases: Map<Lease, LeaseLimit>): number {
	let chosen = Infinity;
	let byDefault = Infinity;
	for (const { limit, providerDefault } of leases.values()) {
		if (providerDefault) byDefault = Math.min(byDefault, limit);
		else chosen = Math.min(chosen, limit);
	}
	return chosen < Infinity ? chosen : byDefault;
}

/** The budgets of this n8n process (one per provider key). */
export const rateBudgets = new RateBudgets();
