/**
 * One poll's outcome from what it read: the events, and the state to save. Pure, like diff.ts.
 *
 * Each watched account is read on its own. The accounts that were read are diffed and get
 * their next state; an account whose read failed keeps what was kept of it (its changes are
 * reported at its next good read) and its failure is recorded. With All Accounts, an account
 * the provider no longer lists keeps its state for ABSENT_FOR_MS from the first poll that found
 * it missing, so a provider hiccup or a reconnect loses nothing; only an account gone longer is
 * forgotten (and gets a silent baseline if it comes back). With One Account, only that account
 * is kept.
 */
import type { ProviderId, TrackingLinkList } from '../providers/types';
import type { DiffSettings, TriggerEvent } from './diff';
import { diffAccount } from './diff';
import type { TriggerState } from './state';
import { keptAsItIs } from './state';

/**
 * How long an account missing from the list of accounts keeps its state: a week, so a
 * reconnect or a provider outage over a weekend still reports what happened meanwhile, while
 * an account removed for good stops taking room in the workflow's saved data.
 */
export const ABSENT_FOR_MS = 7 * 24 * 60 * 60 * 1000;

/**
 * `accountId` is the account's key in the saved state; `shownAs`, where messages name the
 * account otherwise (an id the node refuses, poll.ts).
 */
export type AccountRead = { accountId: string; list: TrackingLinkList } | { accountId: string; error: unknown; shownAs?: string };

export interface FailedAccount {
	accountId: string;
	/** How messages name the account, where not by `accountId`. */
	shownAs?: string;
	error: unknown;
	/** When its reads started failing (ISO time). */
	since: string;
}

export interface PollPlan {
	events: TriggerEvent[];
	/** The state to save with the events (nothing held back: poll.ts decides that). */
	next: TriggerState;
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
	const next: TriggerState = { revision, accounts: new Map(), failures: new Map(), held: [] };
	const events: TriggerEvent[] = [];
	const failed: FailedAccount[] = [];
	for (const read of reads) {
		const kept = previous.accounts.get(read.accountId);
		if ('error' in read) {
			const since = previous.failures.get(read.accountId)?.since ?? seenAt;
			failed.push({ accountId: read.accountId, shownAs: read.shownAs, error: read.error, since });
			next.failures.set(read.accountId, { since, message: errorMessage(read.error) });
			if (kept !== undefined) next.accounts.set(read.accountId, keptAsItIs(kept, seenAt));
			continue;
		}
		const diff = diffAccount(read.accountId, kept, read.list, settings, provider, seenAt);
		events.push(...diff.events);
		next.accounts.set(read.accountId, diff.next);
	}
	if (everyAccount) {
		for (const [accountId, kept] of previous.accounts) {
			if (next.accounts.has(accountId)) continue;
			// Counted from the first poll that found it missing, never from when it was last listed:
			// that time may be as old as the last save (a poll that emits nothing may not be
			// saved, and n8n may restart), or wrong (a clock set back meanwhile). A start ahead of
			// now is a clock set back: the count starts again.
			const since = kept.missingSince === undefined || Date.parse(kept.missingSince) > now.getTime() ? seenAt : kept.missingSince;
			if (now.getTime() - Date.parse(since) >= ABSENT_FOR_MS) continue;
			next.accounts.set(accountId, { ...kept, missingSince: since });
		}
	}
	return { events, next, failed };
}
