/**
 * What the trigger keeps between polls, in the node's static data (n8n saves it with the
 * workflow), and how it is stored.
 *
 * Per watched account: when it was last watched, and per link what the next diff needs (each
 * counter as last seen, and its reference: the value at the last event for that link and
 * counter) plus what a `deleted` event can honestly say about the link (label, description,
 * type, status, creation time, Fansly's account id). Per account that could not be read: since
 * when, and why. A revision number that every saving poll raises, so a poll can tell whether
 * another one saved while it was reading (where polls share the static data: overlap.ts). The
 * items of a poll that was held back to show a failure (report.ts), until the next poll that
 * emits.
 *
 * Stored shape (version 2), compact because it grows with every link:
 * `{ version: 2, revision, accounts: { "<accountId>": { seenAt, links: { "<linkId>": [clicks,
 * claims, follows, subscriptions, totalNet, totalGross, label, description, type, status,
 * createdAt (epoch ms), fanslyAccountId, references?] }, unconfirmed?, baseline? } },
 * failures?, held? }`. `references` (the six reference values) is stored only while one differs
 * from the value last seen, i.e. while growth below the Minimum Increase is pending. A link takes
 * about 90 bytes plus its id, label and description. `unconfirmed` lists the ids of links to be
 * reported deleted when the next read that lists links agrees. `baseline` says the account's
 * baseline is not whole yet (see Baseline): `"empty"` (no read has listed links yet: the first
 * that does is the baseline) or `"paged"` (the baseline came in pages: the next read completes
 * it).
 *
 * Earlier builds (before 0.1.0, installed from source) marked these two in `unconfirmed` instead,
 * with ids no link has: `""` for `"empty"` and `" "` for `"paged"`. A state holding them (the
 * trigger active across the update) reads as `baseline`; they are never written again.
 *
 * `held` is the items a held-back poll would have emitted, as it would have emitted them
 * (scrubbed of the key, with its own `detectedAt`), so a change it saw is reported even if it
 * is undone before the next poll. Its bound: one poll's events, i.e. at most one item per link
 * listed or kept on the accounts that poll read (a link is created, increased or deleted, never
 * two of them in one poll), each the size of an emitted item, metadata included. It never
 * holds two polls' events: a poll that finds items held emits them rather than hold back its
 * own (report.ts). It is present only between the held-back poll and the next poll that emits.
 * A state without it (saved before it existed) holds nothing back.
 *
 * Ids are read back as they were written, whatever they are: a link or account whose id is
 * "__proto__" is an own key of the stored objects like any other.
 *
 * Version 1 (the six references per link, nothing else) is read as version 2 with unknown
 * names, so an update keeps the baseline and reports nothing twice.
 */
import type { IDataObject } from 'n8n-workflow';
import { z } from 'zod';

import { COUNTER_FIELDS } from '../helpers/normalise';
import type { NormalisedTrackingLink } from '../providers/types';

export const STATE_VERSION = 2;

/** The counter fields of a normalised link, in the order they are stored. */
export { COUNTER_FIELDS };

export type CounterField = (typeof COUNTER_FIELDS)[number];

/** The counters of one link, in COUNTER_FIELDS order. */
export type Counters = Array<number | null>;

/** What the trigger knows of one link. */
export interface KeptLink {
	/** Each counter as the provider last reported it (a counter it stopped reporting keeps its last value). */
	counters: Counters;
	/** Each counter at the last event for this link and counter (or when the link was first seen). */
	references: Counters;
	label: string | null;
	description: string | null;
	type: number | null;
	status: number | null;
	createdAt: string | null;
	fanslyAccountId: string | null;
}

export interface KeptAccount {
	/** When the account was last watched (listed by the provider, or the one chosen): ISO time. */
	seenAt: string;
	/**
	 * With All Accounts, while the provider's list leaves the account out: the first poll that
	 * found it missing (ISO time). The week it is kept is counted from it (plan.ts).
	 */
	missingSince?: string;
	links: Map<string, KeptLink>;
	/** Links missing from the last list read in several pages: deleted once the next read that lists links agrees. */
	unconfirmed: string[];
	/** Set while the account's baseline is not whole yet (see Baseline); absent once it is. */
	baseline?: Baseline;
}

/**
 * Why an account's baseline is not whole yet (diff.ts):
 * - `empty`: no read of the account has listed links yet (an account keeps its built-in links,
 *   so an answer that lists none is a provider's hiccup); the first read that does is its
 *   baseline, silently. No link is kept meanwhile.
 * - `paged`: its baseline came in several pages, which a link can move between while they are
 *   read, so a link the next read lists and the baseline lacks joins it silently.
 */
export type Baseline = 'empty' | 'paged';

/**
 * What earlier builds stored in `unconfirmed` for a Baseline, as ids no link has (no link id is
 * empty or starts with a space: helpers/normalise.ts). Read, never written.
 */
const LEGACY_BASELINES: ReadonlyArray<[string, Baseline]> = [
	['', 'empty'],
	[' ', 'paged'],
];

/** An account kept as it is, seen `seenAt`: its links, unconfirmed ids and baseline mark. */
export function keptAsItIs(account: Pick<KeptAccount, 'links' | 'unconfirmed' | 'baseline'>, seenAt: string): KeptAccount {
	const kept: KeptAccount = { seenAt, links: account.links, unconfirmed: account.unconfirmed };
	if (account.baseline !== undefined) kept.baseline = account.baseline;
	return kept;
}

export interface AccountFailure {
	/** When the account's reads started failing: ISO time. */
	since: string;
	/** The last failure, in the words of the error n8n shows (never a secret). */
	message: string;
}

export interface TriggerState {
	revision: number;
	/** Per account id. An account that is present has a baseline. */
	accounts: Map<string, KeptAccount>;
	/** Per account id, the watched accounts whose last read failed. */
	failures: Map<string, AccountFailure>;
	/** The items a poll held back to show a failure, as it would have emitted them: the next poll that emits emits them first. */
	held: IDataObject[];
}

const counter = z.number().finite().nullable();
const countersSchema = z.array(counter).length(COUNTER_FIELDS.length);
const text = z.string().nullable();
/** Epoch milliseconds a Date can hold (state edited by hand may hold any number). */
const time = z.number().int().min(-8.64e15).max(8.64e15).nullable();
const storedLinkSchema = z
	.tuple([counter, counter, counter, counter, counter, counter, text, text, counter, counter, time, text])
	.rest(countersSchema)
	.refine((link) => link.length <= COUNTER_FIELDS.length + 7, 'has too many fields');
const isoTime = z.string().refine((v) => !Number.isNaN(Date.parse(v)));
const stateSchema = z.object({
	version: z.literal(STATE_VERSION),
	revision: z.number().int().nonnegative(),
	accounts: z.record(
		z.string(),
		z.object({
			seenAt: isoTime,
			missingSince: isoTime.optional(),
			links: z.record(z.string(), storedLinkSchema),
			unconfirmed: z.array(z.string()).optional(),
			baseline: z.enum(['empty', 'paged']).optional(),
		}),
	),
	failures: z.record(z.string(), z.object({ since: isoTime, message: z.string() })).optional(),
	held: z
		.array(
			z.object({
				event: z.enum(['created', 'deleted', 'increased']),
				link: z.record(z.string(), z.unknown()),
				changes: z.record(z.string(), z.object({ from: z.number(), to: z.number(), delta: z.number() })).optional(),
				detectedAt: isoTime,
			}),
		)
		.optional(),
});

/**
 * The stored state once `stateSchema` has accepted it. It is read from the static data itself,
 * not from zod's output: zod's records leave out a key named "__proto__", which writeState
 * keeps (and zod checks).
 */
interface StoredState {
	accounts: Record<
		string,
		{ seenAt: string; missingSince?: string; links: Record<string, StoredLink>; unconfirmed?: string[]; baseline?: Baseline }
	>;
	failures?: Record<string, AccountFailure>;
	held?: IDataObject[];
}

const stateV1Schema = z.object({
	version: z.literal(1),
	accounts: z.record(z.string(), z.record(z.string(), countersSchema)),
});

/** A version 1 state once `stateV1Schema` has accepted it (read as StoredState is). */
interface StoredStateV1 {
	accounts: Record<string, Record<string, Counters>>;
}

type StoredLink = Array<number | string | null | Counters>;

function encodeLink(link: KeptLink): StoredLink {
	const createdAt = link.createdAt === null ? null : Date.parse(link.createdAt);
	const stored: StoredLink = [
		...link.counters,
		link.label,
		link.description,
		link.type,
		link.status,
		createdAt,
		link.fanslyAccountId,
	];
	if (link.references.some((value, i) => value !== link.counters[i])) stored.push(link.references);
	return stored;
}

function decodeLink(stored: StoredLink): KeptLink {
	const counters = stored.slice(0, COUNTER_FIELDS.length) as Counters;
	const [label, description, type, status, createdAt, fanslyAccountId, references] = stored.slice(COUNTER_FIELDS.length) as [
		string | null,
		string | null,
		number | null,
		number | null,
		number | null,
		string | null,
		Counters | undefined,
	];
	return {
		counters,
		references: [...(references ?? counters)],
		label,
		description,
		type,
		status,
		createdAt: createdAt === null ? null : new Date(createdAt).toISOString(),
		fanslyAccountId,
	};
}

/** A link as first seen: every reference is the current value. */
export function keepLink(link: NormalisedTrackingLink, counters = countersOf(link), references = counters): KeptLink {
	return {
		counters,
		references,
		label: link.label,
		description: link.description,
		type: link.type,
		status: link.status,
		createdAt: link.createdAt,
		fanslyAccountId: link.fanslyAccountId,
	};
}

/** The revision the saved state is at (0 before the first save). */
export function revisionOf(staticData: IDataObject): number {
	return typeof staticData.revision === 'number' ? staticData.revision : 0;
}

/**
 * Reads the saved state. Version 1 is read as version 2 whose names are unknown until the
 * next read (every account as seen `now`). Anything unreadable (a first poll, data edited by
 * hand) reads as "no baseline", so the next poll records one instead of reporting every link
 * as new.
 */
export function readState(staticData: IDataObject, now: Date): TriggerState {
	const revision = revisionOf(staticData);
	if (stateSchema.safeParse(staticData).success) {
		const stored = staticData as unknown as StoredState;
		const accounts = new Map<string, KeptAccount>();
		for (const [id, account] of Object.entries(stored.accounts)) {
			const links = new Map<string, KeptLink>();
			for (const [linkId, link] of Object.entries(account.links)) links.set(linkId, decodeLink(link));
			const listed = account.unconfirmed ?? [];
			// Earlier builds' marks (LEGACY_BASELINES) are read as the field, `empty` first as
			// their diff read them; the field, where present, is what holds.
			const legacy = LEGACY_BASELINES.find(([mark]) => listed.includes(mark))?.[1];
			const unconfirmed = listed.filter((linkId) => !LEGACY_BASELINES.some(([mark]) => mark === linkId));
			const kept: KeptAccount = { seenAt: account.seenAt, links, unconfirmed };
			const baseline = account.baseline ?? legacy;
			if (baseline !== undefined) kept.baseline = baseline;
			if (account.missingSince !== undefined) kept.missingSince = account.missingSince;
			accounts.set(id, kept);
		}
		const failures = new Map<string, AccountFailure>();
		for (const [id, { since, message }] of Object.entries(stored.failures ?? {})) failures.set(id, { since, message });
		// A copy: the items are emitted later, and must not be the static data's own objects.
		const held = JSON.parse(JSON.stringify(stored.held ?? [])) as IDataObject[];
		return { revision, accounts, failures, held };
	}
	if (stateV1Schema.safeParse(staticData).success) {
		const stored = staticData as unknown as StoredStateV1;
		const accounts = new Map<string, KeptAccount>();
		for (const [id, links] of Object.entries(stored.accounts)) {
			const kept = new Map<string, KeptLink>();
			for (const [linkId, references] of Object.entries(links)) {
				kept.set(linkId, {
					counters: [...references],
					references: [...references],
					label: null,
					description: null,
					type: null,
					status: null,
					createdAt: null,
					fanslyAccountId: null,
				});
			}
			accounts.set(id, { seenAt: now.toISOString(), links: kept, unconfirmed: [] });
		}
		return { revision, accounts, failures: new Map(), held: [] };
	}
	return { revision, accounts: new Map(), failures: new Map(), held: [] };
}

/**
 * Replaces the saved state, whole values only (never the saved objects edited in place): n8n
 * keeps an active workflow's static data in memory between polls, so what a poll writes stays
 * even when the poll then fails, and it must be a state that is whole on its own.
 */
export function writeState(staticData: IDataObject, state: TriggerState): void {
	// Object.fromEntries keeps any id as an own key (even one such as "__proto__").
	const accounts = Object.fromEntries(
		[...state.accounts].map(([id, account]) => {
			const stored: IDataObject = {
				seenAt: account.seenAt,
				links: Object.fromEntries([...account.links].map(([linkId, link]) => [linkId, encodeLink(link)])),
			};
			if (account.missingSince !== undefined) stored.missingSince = account.missingSince;
			if (account.unconfirmed.length > 0) stored.unconfirmed = [...account.unconfirmed];
			if (account.baseline !== undefined) stored.baseline = account.baseline;
			return [id, stored];
		}),
	);
	staticData.version = STATE_VERSION;
	staticData.revision = state.revision;
	staticData.accounts = accounts;
	if (state.failures.size > 0) staticData.failures = Object.fromEntries(state.failures) as unknown as IDataObject;
	else delete staticData.failures;
	if (state.held.length > 0) staticData.held = [...state.held];
	else delete staticData.held;
}

export function countersOf(link: NormalisedTrackingLink): Counters {
	return COUNTER_FIELDS.map((field) => link[field]);
}
