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
 * Since when an account fails is kept in the saved state, and in process memory too: with n8n's
 * durable poll cursors a poll that fails saves nothing, so the first failing poll, which shows
 * the failure at once, would not leave its time for the next one to keep.
 */
import type { INode, NodeOperationError } from 'n8n-workflow';

import type { FailedAccount } from './plan';
import { errorMessage } from './plan';
import type { AccountFailure, TriggerState } from './state';
import { operationError } from '../helpers/errors';

export const REPORT_EVERY_MS = 60 * 60 * 1000;

/** Per trigger (overlap.ts's key), per failing account: when it was last shown as a failed execution. */
const lastShown = new Map<string, Map<string, number>>();

/** Per trigger, the failing accounts as the last poll that read them recorded them. */
const recordedFailures = new Map<string, Map<string, AccountFailure>>();

/** Remembers the failures a poll recorded, whether or not n8n keeps the state it saves them in. */
export function recordFailures(key: string, failures: ReadonlyMap<string, AccountFailure>): void {
	if (failures.size > 0) recordedFailures.set(key, new Map(failures));
	else recordedFailures.delete(key);
}

/** How many triggers have failures recorded in this process: the tests read it to see them forgotten. */
export function triggersWithRecordedFailures(): number {
	return recordedFailures.size;
}

/** The saved state, with the failures this process recorded that it lacks (see the file comment). */
export function withRecordedFailures(key: string, state: TriggerState): TriggerState {
	const recorded = recordedFailures.get(key);
	if (recorded === undefined) return state;
	const failures = new Map(recorded);
	for (const [accountId, failure] of state.failures) failures.set(accountId, failure);
	return { ...state, failures };
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
	const shown = lastShown.get(key) ?? new Map<string, number>();
	// Accounts that recovered are forgotten: failing again is news again.
	for (const accountId of shown.keys()) {
		if (!failed.some((f) => f.accountId === accountId)) shown.delete(accountId);
	}
	lastShown.delete(key);
	if (failed.length === 0) return 'quiet';
	let result: Verdict = 'quiet';
	if (!poll.readAny) {
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
	if (shown.size > 0) lastShown.set(key, shown);
	return result;
}

/** The failed execution n8n shows for watched accounts that could not be read. */
export function accountsFailure(node: INode, failed: FailedAccount[], watched: number, outcome: 'report' | 'hold', readAny: boolean): NodeOperationError {
	const message =
		failed.length === 1
			? `Could not read account "${failed[0].accountId}" (1 of ${watched} watched accounts): ${errorMessage(failed[0].error)}`
			: `Could not read ${failed.length} of ${watched} watched accounts: ${failed.map((f) => `"${f.accountId}": ${errorMessage(f.error)}`).join('; ')}`;
	const since = failed.map((f) => `"${f.accountId}" since ${f.since}`).join(', ');
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
