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
 *   runs anyway), a poll during which another poll of the trigger saved drops its result (see
 *   poll.ts). With n8n's default persistence the polls share the static data, so the state's
 *   revision shows the other poll's save. With n8n's durable poll cursors each poll works on
 *   its own copy of the saved state, where no other poll's save ever shows: so this process
 *   counts the saves of each trigger's polls (`recordSave`, `anotherPollSaved`).
 */
import type { IPollFunctions } from 'n8n-workflow';

/** How long a running poll holds its trigger before a new poll may run beside it. */
const STALE_AFTER_MS = 15 * 60 * 1000;

/** One poll that runs: given by `enterPoll`, handed back to `leavePoll`. */
export interface RunningPoll {
	/** The trigger's count of saves when this poll started. */
	readonly savesAtStart: number;
}

interface TriggerPolls {
	/** The poll that holds the trigger, and since when. */
	holder: { poll: RunningPoll; since: number } | undefined;
	/** The polls running: the holder, and a stale holder still running beside its successor. */
	running: number;
	/** How many times a poll saved while polls of the trigger were running. */
	saves: number;
}

/**
 * The triggers with polls running in this process. A trigger is forgotten once none runs: a
 * count of saves only matters to polls that were running when it moved.
 */
const triggers = new Map<string, TriggerPolls>();

/** One trigger in this process: its workflow and its node. */
export function triggerKey(ctx: IPollFunctions): string {
	const node = ctx.getNode();
	return `${ctx.getWorkflow().id ?? ''}\u0000${node.id || node.name}`;
}

/** Takes the trigger for one poll, or answers undefined when another poll holds it. */
export function enterPoll(key: string, now: number): RunningPoll | undefined {
	const trigger = triggers.get(key) ?? { holder: undefined, running: 0, saves: 0 };
	if (trigger.holder !== undefined && now - trigger.holder.since < STALE_AFTER_MS) return undefined;
	const poll: RunningPoll = { savesAtStart: trigger.saves };
	trigger.holder = { poll, since: now };
	trigger.running++;
	triggers.set(key, trigger);
	return poll;
}

/** Ends one poll (and gives the trigger back if this poll still holds it). */
export function leavePoll(key: string, poll: RunningPoll): void {
	const trigger = triggers.get(key);
	if (trigger === undefined) return;
	if (trigger.holder?.poll === poll) trigger.holder = undefined;
	trigger.running--;
	if (trigger.running === 0) triggers.delete(key);
}

/** How many triggers have a poll running in this process: the tests read it to see a trigger forgotten. */
export function triggersPolling(): number {
	return triggers.size;
}

/** A running poll of the trigger has written the state it leaves to n8n. */
export function recordSave(key: string): void {
	const trigger = triggers.get(key);
	if (trigger !== undefined) trigger.saves++;
}

/** Whether another poll of the trigger saved since this one started. */
export function anotherPollSaved(key: string, poll: RunningPoll): boolean {
	return triggers.get(key)?.saves !== poll.savesAtStart;
}
