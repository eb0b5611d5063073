/**
 * The diff between what the trigger kept of one account and its current list of links: the
 * events to emit and the account's next state. Pure (no n8n, no requests) so every rule is in
 * one place and each is tested through the engine.
 */
import type { NormalisedTrackingLink, ProviderId, TrackingLinkList } from '../providers/types';
import type { CounterField, KeptAccount, KeptLink } from './state';
import { COUNTER_FIELDS, countersOf, keepLink, keptAsItIs } from './state';

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
	next: KeptAccount;
}

/** How many digits a number has after the decimal point, as JavaScript writes it. */
function decimals(n: number): number {
	const [digits, exponent] = String(n).split('e');
	const fraction = digits.split('.')[1]?.length ?? 0;
	return Math.max(0, fraction - Number(exponent ?? 0));
}

/**
 * `to − from` as a person computes it from the numbers the provider sent: 4.35 − 3.35 is 1
 * and 10.1 − 3.1 is 7, where binary floating point gives 0.9999999999999996 and
 * 7.000000000000001. The subtraction is done on whole numbers scaled by the decimals both
 * numbers show; numbers too precise for that are subtracted as they are.
 */
export function exactDifference(to: number, from: number): number {
	const places = Math.max(decimals(to), decimals(from));
	const scale = 10 ** places;
	const a = Math.round(to * scale);
	const b = Math.round(from * scale);
	if (!Number.isSafeInteger(a) || !Number.isSafeInteger(b)) return to - from;
	return (a - b) / scale;
}

/**
 * One counter's next value and reference, and the change to report, if any.
 *
 * The reference is the value at the last event for this link and counter, so growth smaller
 * than the minimum accumulates over polls until it is enough. A counter that went down (the
 * provider recounted) moves the reference down and reports nothing. A counter the provider
 * does not report (null) keeps its value and reference, so a value missing for one poll does
 * not restart the count.
 */
function step(
	value: number | null,
	reference: number | null,
	current: number | null,
	watched: boolean,
	minimumIncrease: number,
): { value: number | null; reference: number | null; change?: CounterChange } {
	if (current === null) return { value, reference };
	if (reference === null || current <= reference || !watched) return { value: current, reference: current };
	const delta = exactDifference(current, reference);
	if (delta < minimumIncrease) return { value: current, reference };
	return { value: current, reference: current, change: { from: reference, to: current, delta } };
}

/** A link that is gone from the provider's list, as the trigger last saw it. */
export function goneLink(id: string, accountId: string, kept: KeptLink, provider: ProviderId): NormalisedTrackingLink {
	const [clicks, claims, follows, subscriptions, totalNet, totalGross] = kept.counters;
	return {
		id,
		accountId,
		fanslyAccountId: kept.fanslyAccountId,
		label: kept.label,
		description: kept.description,
		type: kept.type,
		status: kept.status,
		// Not kept: it can be large, and the state is saved with the workflow.
		metadata: null,
		createdAt: kept.createdAt,
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
 * Compares one account's kept links with its current list. With nothing kept (`previous`
 * undefined) the current list becomes the baseline and nothing is reported.
 *
 * An answer that lists no link changes nothing: an account keeps its built-in links, so it is a
 * provider's hiccup, not every link deleted at once. It proves nothing either, so it confirms no
 * deletion, and a first read that lists none is no baseline: the account is kept marked
 * (baseline `empty`) until a read lists links, which are then its baseline, silently.
 *
 * A link missing from a list read in one answer is deleted. A link missing from a list read
 * in several pages is kept and reported deleted only when the next read that lists links agrees:
 * links can move from one page to another while the pages are read. For the same reason, a link
 * the read after a baseline in several pages lists, and the baseline lacks, joins it silently
 * (baseline `paged`).
 *
 * Events come in list order (created and increased), then the deleted links in kept order.
 */
export function diffAccount(
	accountId: string,
	previous: KeptAccount | undefined,
	list: TrackingLinkList,
	settings: DiffSettings,
	provider: ProviderId,
	seenAt: string,
): AccountDiff {
	if (list.links.length === 0) {
		const kept = previous ?? { links: new Map(), unconfirmed: [], baseline: 'empty' };
		return { events: [], next: keptAsItIs(kept, seenAt) };
	}
	// What the list is compared with: nothing, when no read has listed links yet (they are the
	// baseline).
	const before = previous?.baseline === 'empty' ? undefined : previous;
	const next: KeptAccount = { seenAt, links: new Map(), unconfirmed: [] };
	const events: TriggerEvent[] = [];
	const watchIncreases = settings.events.has('increased');
	for (const link of list.links) {
		// The provider seam lists each link once; a repeat here would be reported twice.
		if (next.links.has(link.id)) continue;
		const saved = before?.links.get(link.id);
		// Nothing kept of the account (its baseline) means nothing kept of the link; nor does a
		// baseline read in pages, which this link may have moved between.
		if (saved === undefined) {
			if (before === undefined || before.baseline === 'paged') {
				next.links.set(link.id, keepLink(link));
				continue;
			}
			// A link created since the last poll started from nothing: a counter the provider
			// does not report yet (null) grows from 0, so its first subscriber is an increase.
			const counters = countersOf(link);
			next.links.set(link.id, keepLink(link, counters, counters.map((value) => value ?? 0)));
			if (settings.events.has('created')) events.push({ event: 'created', link });
			continue;
		}
		const current = countersOf(link);
		const changes: Changes = {};
		const counters: Array<number | null> = [];
		const references: Array<number | null> = [];
		COUNTER_FIELDS.forEach((field, i) => {
			const watched = watchIncreases && settings.watched.has(field);
			const moved = step(saved.counters[i], saved.references[i], current[i], watched, settings.minimumIncrease);
			counters.push(moved.value);
			references.push(moved.reference);
			if (moved.change) changes[field] = moved.change;
		});
		next.links.set(link.id, keepLink(link, counters, references));
		if (Object.keys(changes).length > 0) events.push({ event: 'increased', link, changes });
	}
	if (before === undefined) {
		if (list.pages > 1) next.baseline = 'paged';
		return { events, next };
	}
	for (const [id, kept] of before.links) {
		if (next.links.has(id)) continue;
		if (list.pages > 1 && !before.unconfirmed.includes(id)) {
			next.links.set(id, kept);
			next.unconfirmed.push(id);
			continue;
		}
		if (settings.events.has('deleted')) events.push({ event: 'deleted', link: goneLink(id, accountId, kept, provider) });
	}
	return { events, next };
}
