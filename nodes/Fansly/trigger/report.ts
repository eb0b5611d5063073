/**
 * How a watched account that cannot be read is shown to the user, when the other accounts can.
 *
 * n8n shows a poll that throws as a failed execution (and runs the error workflow); a poll
 * cannot both start an execution with its events and record a failure. So:
 * - A poll with nothing to emit throws, naming the failing accounts and why, when one of them
 *   has not been shown as failing in the last hour (so at once when it starts failing).
 * - A poll with events emits them. Only if an account has been failing for an hour without
 *   being shown does the poll throw instead, its events held back for one poll (the next poll
 *   reports them): a busy trigger whose every poll has events still shows a lasting failure.
 *   A poll that has events held back by an earlier poll emits them, never holding back again
 *   (the saved state keeps one poll's events at most); the failure then shows at a later poll.
 * - Between those, the failure is logged and kept in the saved state (`failures`), and the
 *   poll goes on as usual.
 * Once an hour rather than every poll: an error workflow is not fired every minute for days,
 * and n8n's durable poll scheduler, which waits longer after each failed poll in a row (up to
 * 30 minutes), does not slow the accounts that work.
 *
 * The activation poll (n8n runs one when the workflow is activated and awaits it) never throws
 * for a partial failure: a throw there fails the activation, and at a restart n8n would retry
 * the activation with waits growing to a day, holding back every account.
 *
 * When the last report was is process memory, per trigger: a restart reports a lasting failure
 * once more.
 *
 * Since when an account fails is kept in the saved state, and in process memory too: n8n does
 * not keep every poll's state. With its durable poll cursors a poll that fails saves nothing, nor
 * does the poll run at activation, so the first failing poll, which shows the failure at once,
 * would not leave its time for the next one to keep; and a recovery seen only by such a poll
 * would leave the failure in the saved state, so that the account failing again would be
 * reported as failing since the old start. So this process remembers, per trigger, the failures
 * as its last poll found them (none, after a recovery) with the revision that poll saved them
 * at; a poll reads them instead of the saved state's when they are at least as recent, i.e.
 * when n8n kept no later poll. They are forgotten once a poll that emits (n8n saves its state,
 * whatever its persistence) finds no failure; a trigger with no failure in its saved state, none
 * remembered and none found leaves nothing in memory. (With n8n's default persistence too, the
 * copy n8n loads when the workflow is activated again may be older than the last poll: n8n
 * writes it to its database when a poll emits.)
 *
 * This memory is kept only for triggers that poll: what a trigger has not touched for
 * FORGET_AFTER_MS (it was deactivated or deleted while failing) is forgotten, so it does not stay
 * for the life of the process. A trigger forgotten that polls again loses only what a restart
 * loses.
 */
import type { INode, NodeOperationError } from 'n8n-workflow';

import type { FailedAccount } from './plan';
import { errorMessage } from './plan';
import type { AccountFailure, TriggerState } from './state';
import { operationError } from '../helpers/errors';

export const REPORT_EVERY_MS = 60 * 60 * 1000;

/**
 * How long this process remembers a trigger that no longer polls: longer than the longest of
 * Poll Times' intervals but custom cron (every month: 31 days, and some slack), so a trigger
 * keeps what it needs between its polls. What a shown time is for lasts an hour
 * (REPORT_EVERY_MS); what a record of failures is for, until the trigger's next poll. A trigger
 * polling less often still (a custom cron) loses, between two polls, what a restart loses.
 */
export const FORGET_AFTER_MS = 35 * 24 * 60 * 60 * 1000;

/** What this process remembers of one trigger between its polls. */
interface Remembered {
	/** Per failing account: when it was last shown as a failed execution. */
	shown: Map<string, number>;
	/**
	 * The failures as the trigger's last poll found them (none, after a recovery) and the
	 * revision it saved them at; undefined when n8n can have lost none (see recordFailures).
	 */
	recorded: { revision: number; failures: Map<string, AccountFailure> } | undefined;
	/** When a poll of the trigger last used this (epoch ms). */
	touched: number;
}

/** Per trigger (overlap.ts's key), the least recently touched first. */
const remembered = new Map<string, Remembered>();

/** Whether a trigger's memory is past FORGET_AFTER_MS at `now` (a clock set back forgets nothing). */
const stale = (entry: Remembered, now: number) => now - entry.touched >= FORGET_AFTER_MS;

/** The trigger's memory, or a new empty one; what is past FORGET_AFTER_MS is not used. */
function recall(key: string, now: number): Remembered {
	const entry = remembered.get(key);
	if (entry === undefined || stale(entry, now)) return { shown: new Map<string, number>(), recorded: undefined, touched: now };
	return entry;
}

/**
 * Keeps the trigger's memory as touched `now`, or drops it when it holds nothing; then forgets
 * the triggers not touched for FORGET_AFTER_MS.
 */
function keep(key: string, entry: Remembered, now: number): void {
	remembered.delete(key);
	entry.touched = now;
	if (entry.shown.size > 0 || entry.recorded !== undefined) remembered.set(key, entry);
	// In the order they were touched: the first that is recent enough ends the sweep (after a
	// clock set back, some are forgotten a little later).
	for (const [other, kept] of remembered) {
		if (!stale(kept, now)) break;
		remembered.delete(other);
	}
}

/**
 * Remembers the failures a poll found (`next`, the state it saves), whether or not n8n keeps
 * that state. A poll that found none is remembered too, as a recovery n8n may not keep, when the
 * state it read (`saved`) lists failures or failures are remembered; not when it `emits`: n8n
 * then saves its state, whatever its persistence.
 */
export function recordFailures(key: string, saved: TriggerState, next: TriggerState, emits: boolean, now: number): void {
	const entry = recall(key, now);
	const unsaved = !emits && (saved.failures.size > 0 || entry.recorded !== undefined);
	entry.recorded = next.failures.size > 0 || unsaved ? { revision: next.revision, failures: new Map(next.failures) } : undefined;
	keep(key, entry, now);
}

/** How many triggers this process remembers failures of: the tests read it to see them forgotten. */
export function triggersWithRecordedFailures(): number {
	return [...remembered.values()].filter((entry) => entry.recorded !== undefined).length;
}

/**
 * The saved state, with the failures this process's last poll of the trigger found instead of
 * the saved ones when that poll is at least as recent as the saved state (see the file comment).
 * A saved state of a later revision was saved by a poll this process did not run: it holds.
 */
export function withRecordedFailures(key: string, state: TriggerState, now: number): TriggerState {
	const { recorded } = recall(key, now);
	if (recorded === undefined || recorded.revision < state.revision) return state;
	return { ...state, failures: new Map(recorded.failures) };
}

export type Verdict =
	/** Emit the events (if any); the failure is only logged. */
	| 'quiet'
	/** Throw after saving the state. */
	| 'report'
	/** Throw after saving the state without the events' changes. */
	| 'hold';

export interface PollSituation {
	/** Whether the poll has events to emit. */
	hasEvents: boolean;
	/** Whether any watched account was read. */
	readAny: boolean;
	/** Whether this is the poll n8n runs at activation. */
	activation: boolean;
	/** Whether its events may be held back: not when it has another poll's held-back events to emit. */
	mayHoldBack: boolean;
}

export function verdict(key: string, failed: FailedAccount[], poll: PollSituation, now: number): Verdict {
	const entry = recall(key, now);
	const { shown } = entry;
	// Accounts that recovered are forgotten: failing again is news again.
	for (const accountId of shown.keys()) {
		if (!failed.some((f) => f.accountId === accountId)) shown.delete(accountId);
	}
	let result: Verdict = 'quiet';
	if (failed.length === 0) {
		// Nothing failing: nothing to show.
	} else if (!poll.readAny) {
		// Nothing was read: a failed poll, every time, as for any poller.
		result = 'report';
	} else if (!poll.activation) {
		const due = failed.some((f) => {
			const last = shown.get(f.accountId) ?? (poll.hasEvents ? Date.parse(f.since) : undefined);
			// A clock set back makes it due too, rather than silent until the clock catches up.
			return last === undefined || now - last >= REPORT_EVERY_MS || now < last;
		});
		if (due && !poll.hasEvents) result = 'report';
		// Not when items are already held back: they are emitted now, and this failure shows later.
		else if (due && poll.mayHoldBack) result = 'hold';
	}
	if (result !== 'quiet') for (const f of failed) shown.set(f.accountId, now);
	keep(key, entry, now);
	return result;
}

/** The failed execution n8n shows for watched accounts that could not be read. */
export function accountsFailure(node: INode, failed: FailedAccount[], watched: number, outcome: 'report' | 'hold', readAny: boolean): NodeOperationError {
	const named = (f: FailedAccount) => f.shownAs ?? f.accountId;
	const message =
		failed.length === 1
			? `Could not read account "${named(failed[0])}" (1 of ${watched} watched accounts): ${errorMessage(failed[0].error)}`
			: `Could not read ${failed.length} of ${watched} watched accounts: ${failed.map((f) => `"${named(f)}": ${errorMessage(f.error)}`).join('; ')}`;
	const since = failed.map((f) => `"${named(f)}" since ${f.since}`).join(', ');
	let description: string;
	if (!readAny) description = `No watched account could be read (${since}). Nothing is lost: every change is reported at the first good read.`;
	else {
		const others =
			outcome === 'hold'
				? 'The changes found on the other accounts are reported by the next poll (held back once, so that this failure shows).'
				: 'The other accounts were read; they had no change to report.';
		description = `${others} The failing accounts (${since}) keep what was last read of them: their changes are reported at their first good read. While the failure lasts, it is shown again every hour.`;
	}
	const details = failed
		.map((f) => (f.error as { description?: unknown })?.description)
		.filter((d): d is string => typeof d === 'string' && d !== '');
	// Its message says which accounts failed and why, even when a cause names a network code.
	return operationError(node, message, { description: [description, ...new Set(details)].join(' ') });
}
