/**
 * One poll's outcome from what it read: the events, and the state to save. Pure, like diff.ts.
 *
 * Each watched account is read on its own. The accounts that were read are diffed and get
 * their next state; an account whose read failed keeps what was kept of it (its changes are
 * reported at its next good read) and its failure is recorded. With All Accounts, an account
 * the provider no longer lists keeps its state for ABSENT_FOR_MS after it was last listed, so
 * a provider hiccup or a reconnect loses nothing; only an account gone longer is forgotten
 * (and gets a silent baseline if it comes back). With One Account, only that account is kept.
 */
import type { ProviderId, TrackingLinkList } from '../providers/types';
import type { DiffSettings, TriggerEvent } from './diff';
import { diffAccount } from './diff';
import type { KeptAccount, TriggerState } from './state';

/**
 * How long an account missing from the list of accounts keeps its state: a week, so a
 * reconnect or a provider outage over a weekend still reports what happened meanwhile, while
 * an account removed for good stops taking room in the workflow's saved data.
 */
export const ABSENT_FOR_MS = 7 * 24 * 60 * 60 * 1000;

export type AccountRead = { accountId: string; list: TrackingLinkList } | { accountId: string; error: unknown };

export interface FailedAccount {
	accountId: string;
	error: unknown;
	/** When its reads started failing (ISO time). */
	since: string;
}

export interface PollPlan {
	events: TriggerEvent[];
	/** The state to save with the events. */
	next: TriggerState;
	/**
	 * The state to save when the events are held back for one poll: the accounts that have
	 * events keep what they had, so the next poll reports them.
	 */
	held: TriggerState;
	failed: FailedAccount[];
}

export function errorMessage(error: unknown): string {
	return error instanceof Error ? error.message : String(error);
}

export function planPoll(
	previous: TriggerState,
	reads: AccountRead[],
	everyAccount: boolean,
	settings: DiffSettings,
	provider: ProviderId,
	now: Date,
): PollPlan {
	const seenAt = now.toISOString();
	const revision = previous.revision + 1;
	const next: TriggerState = { revision, accounts: new Map(), failures: new Map() };
	const held: TriggerState = { revision, accounts: new Map(), failures: next.failures };
	const events: TriggerEvent[] = [];
	const failed: FailedAccount[] = [];
	for (const read of reads) {
		const kept = previous.accounts.get(read.accountId);
		if ('error' in read) {
			const since = previous.failures.get(read.accountId)?.since ?? seenAt;
			failed.push({ accountId: read.accountId, error: read.error, since });
			next.failures.set(read.accountId, { since, message: errorMessage(read.error) });
			if (kept !== undefined) {
				const watched: KeptAccount = { ...kept, seenAt };
				next.accounts.set(read.accountId, watched);
				held.accounts.set(read.accountId, watched);
			}
			continue;
		}
		const diff = diffAccount(read.accountId, kept, read.list, settings, provider, seenAt);
		events.push(...diff.events);
		next.accounts.set(read.accountId, diff.next);
		if (diff.events.length === 0) held.accounts.set(read.accountId, diff.next);
		else if (kept !== undefined) held.accounts.set(read.accountId, kept);
	}
	if (everyAccount) {
		for (const [accountId, kept] of previous.accounts) {
			if (next.accounts.has(accountId) || now.getTime() - Date.parse(kept.seenAt) >= ABSENT_FOR_MS) continue;
			next.accounts.set(accountId, kept);
			held.accounts.set(accountId, kept);
		}
	}
	return { events, next, held, failed };
}
