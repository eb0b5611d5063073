/**
 * The diff between the saved state of one account and its current list of links: the events
 * to emit and the account's next state. Pure (no n8n, no requests) so every rule is in one
 * place and each is tested through the engine.
 */
import type { NormalisedTrackingLink, ProviderId } from '../providers/types';
import type { AccountState, CounterField, Counters } from './state';
import { COUNTER_FIELDS, countersOf } from './state';

export type TriggerEventName = 'created' | 'deleted' | 'increased';

export interface CounterChange {
	from: number;
	to: number;
	delta: number;
}

export type Changes = Partial<Record<CounterField, CounterChange>>;

export interface TriggerEvent {
	event: TriggerEventName;
	link: NormalisedTrackingLink;
	changes?: Changes;
}

export interface DiffSettings {
	events: ReadonlySet<TriggerEventName>;
	/** The counter fields watched for `increased` (revenue = totalNet and totalGross). */
	watched: ReadonlySet<CounterField>;
	/** How much a counter must have grown since its last event to count. */
	minimumIncrease: number;
}

export interface AccountDiff {
	events: TriggerEvent[];
	next: AccountState;
}

/**
 * The next reference value of one counter, and the change to report, if any.
 *
 * The reference is the value at the last event for this link and counter, so growth smaller
 * than the minimum accumulates over polls until it is enough. A counter that went down (the
 * provider recounted) moves the reference down and reports nothing. A counter the provider
 * does not report (null) keeps the reference, so a value missing for one poll does not restart
 * the count.
 */
function step(
	previous: number | null,
	current: number | null,
	watched: boolean,
	minimumIncrease: number,
): { next: number | null; change?: CounterChange } {
	if (current === null) return { next: previous };
	if (previous === null || current <= previous || !watched) return { next: current };
	const delta = current - previous;
	if (delta < minimumIncrease) return { next: previous };
	return { next: current, change: { from: previous, to: current, delta } };
}

/**
 * A link that is gone from the provider's list: only what the state kept is known (its id and
 * last counters), in the normalised shape so downstream nodes read the same fields.
 */
export function goneLink(
	id: string,
	accountId: string,
	counters: Counters,
	provider: ProviderId,
): NormalisedTrackingLink {
	const [clicks, claims, follows, subscriptions, totalNet, totalGross] = counters;
	return {
		id,
		accountId,
		fanslyAccountId: null,
		label: null,
		description: null,
		type: null,
		status: null,
		metadata: null,
		createdAt: null,
		clicks,
		claims,
		follows,
		subscriptions,
		totalNet,
		totalGross,
		provider,
	};
}

/**
 * Compares one account's saved links with its current list. With no saved state (`previous`
 * undefined) the current list becomes the baseline and nothing is reported.
 *
 * Events come in list order (created and increased), then the deleted links in saved order.
 */
export function diffAccount(
	accountId: string,
	previous: AccountState | undefined,
	links: NormalisedTrackingLink[],
	settings: DiffSettings,
	provider: ProviderId,
): AccountDiff {
	const next: AccountState = {};
	const events: TriggerEvent[] = [];
	const watchIncreases = settings.events.has('increased');
	for (const link of links) {
		const current = countersOf(link);
		const saved = previous?.[link.id];
		if (previous === undefined || saved === undefined) {
			next[link.id] = current;
			if (previous !== undefined && settings.events.has('created')) events.push({ event: 'created', link });
			continue;
		}
		const changes: Changes = {};
		next[link.id] = COUNTER_FIELDS.map((field, i) => {
			const watched = watchIncreases && settings.watched.has(field);
			const { next: value, change } = step(saved[i], current[i], watched, settings.minimumIncrease);
			if (change) changes[field] = change;
			return value;
		});
		if (Object.keys(changes).length > 0) events.push({ event: 'increased', link, changes });
	}
	if (previous !== undefined && settings.events.has('deleted')) {
		const present = new Set(links.map((l) => l.id));
		for (const [id, counters] of Object.entries(previous)) {
			if (!present.has(id)) events.push({ event: 'deleted', link: goneLink(id, accountId, counters, provider) });
		}
	}
	return { events, next };
}
