/**
 * What the trigger keeps between polls, in the node's static data.
 *
 * Only what the diff needs: per watched account, per link id, the six counters as they stood
 * at the last event for that link and counter (or when the link was first seen). Labels and
 * other fields are not kept: they are in every list answer, and keeping them would make the
 * workflow's saved data grow with every link. Links that disappeared are dropped.
 *
 * Shape (version 1): `{ version: 1, accounts: { "<accountId>": { "<linkId>": [clicks, claims,
 * follows, subscriptions, totalNet, totalGross] } } }`, each counter a number or null.
 */
import type { IDataObject } from 'n8n-workflow';
import { z } from 'zod';

import type { NormalisedTrackingLink } from '../providers/types';

export const STATE_VERSION = 1;

/** The counter fields of a normalised link, in the order they are stored. */
export const COUNTER_FIELDS = ['clicks', 'claims', 'follows', 'subscriptions', 'totalNet', 'totalGross'] as const;

export type CounterField = (typeof COUNTER_FIELDS)[number];

/** The counters of one link, in COUNTER_FIELDS order. */
export type Counters = Array<number | null>;

/** Per link id, its counters. */
export type AccountState = Record<string, Counters>;

/** Per account id, its links. An account that is present has a baseline. */
export type TriggerState = Record<string, AccountState>;

const countersSchema = z.array(z.number().finite().nullable()).length(COUNTER_FIELDS.length);
const stateSchema = z.object({
	version: z.literal(STATE_VERSION),
	accounts: z.record(z.string(), z.record(z.string(), countersSchema)),
});

/**
 * Reads the saved state. Anything unreadable (a first poll, an older shape, data edited by
 * hand) reads as "no baseline", so the next poll records one instead of reporting every
 * link as new.
 */
export function readState(staticData: IDataObject): TriggerState {
	const parsed = stateSchema.safeParse({ version: staticData.version, accounts: staticData.accounts });
	return parsed.success ? (parsed.data.accounts as TriggerState) : {};
}

/**
 * Replaces the saved state in one step, after the poll succeeded. Assigning whole values
 * (never editing the saved objects in place) matters: n8n keeps the static data of an active
 * workflow in memory between polls, so an in-place edit by a poll that then fails would stay.
 */
export function writeState(staticData: IDataObject, state: TriggerState): void {
	staticData.version = STATE_VERSION;
	staticData.accounts = state as unknown as IDataObject;
}

export function countersOf(link: NormalisedTrackingLink): Counters {
	return COUNTER_FIELDS.map((field) => link[field]);
}
