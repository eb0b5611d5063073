/**
 * Polls of one trigger that overlap. n8n starts a poll at every tick of Poll Times without
 * waiting for the previous one, and a poll can outlast the interval (each request may take
 * four attempts of 30 s, plus waits for the key's rate budget). Two polls diffing against the
 * same saved state would report a change twice, or take the other's newer links for deleted.
 *
 * Two guards, one inside the other:
 * - In this process, a poll that starts while the previous poll of the same trigger (workflow
 *   and node) still runs does nothing (`enterPoll` answers undefined): no request, no
 *   execution; the next poll reports what changed meanwhile.
 * - Whatever the guard misses (a poll still running after STALE_AFTER_MS, whose successor then
 *   runs anyway), the state's revision catches: a poll whose starting revision is no longer
 *   the saved one drops its result (see poll.ts).
 */
import type { IPollFunctions } from 'n8n-workflow';

/** How long a running poll holds its trigger before a new poll may run beside it. */
const STALE_AFTER_MS = 15 * 60 * 1000;

interface Holder {
	token: object;
	since: number;
}

/** The polls running in this process, per trigger. */
const running = new Map<string, Holder>();

/** One trigger in this process: its workflow and its node. */
export function triggerKey(ctx: IPollFunctions): string {
	const node = ctx.getNode();
	return `${ctx.getWorkflow().id ?? ''}\u0000${node.id || node.name}`;
}

/** Takes the trigger for one poll: a token for `leavePoll`, or undefined when another poll holds it. */
export function enterPoll(key: string, now: number): object | undefined {
	const holder = running.get(key);
	if (holder !== undefined && now - holder.since < STALE_AFTER_MS) return undefined;
	const token = {};
	running.set(key, { token, since: now });
	return token;
}

/** Gives the trigger back (only if this poll still holds it). */
export function leavePoll(key: string, token: object): void {
	if (running.get(key)?.token === token) running.delete(key);
}
