/**
 * One poll of the Fansly Trigger: read the settings, list the watched accounts' links (one
 * request per account), diff them against the saved state, and save the new state only once
 * everything succeeded.
 */
import type { IDataObject, INodeExecutionData, IPollFunctions } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { DEFAULTS } from '../actions/options';
import { toNodeError } from '../helpers/errors';
import { providerFor } from '../providers';
import type { NormalisedTrackingLink, TrackingLinkProvider } from '../providers/types';
import type { TransportSettings } from '../transport';
import { createTransport } from '../transport';
import type { DiffSettings, TriggerEvent, TriggerEventName } from './diff';
import { diffAccount } from './diff';
import type { CounterField, TriggerState } from './state';
import { COUNTER_FIELDS, readState, writeState } from './state';

/** The only provider that can list tracking links. */
export const TRIGGER_CREDENTIAL = 'fansApiApi';

const EVENT_NAMES: readonly TriggerEventName[] = ['created', 'deleted', 'increased'];
const COUNTER_CHOICES: Record<string, readonly CounterField[]> = {
	clicks: ['clicks'],
	claims: ['claims'],
	follows: ['follows'],
	subscriptions: ['subscriptions'],
	revenue: ['totalNet', 'totalGross'],
};

interface TriggerSettings extends DiffSettings {
	/** The account id given, or undefined for every account of the credential. */
	account: string | undefined;
}

function provider(ctx: IPollFunctions): TrackingLinkProvider {
	const found = providerFor(TRIGGER_CREDENTIAL);
	if (!found) throw new NodeOperationError(ctx.getNode(), 'The Fans API provider is missing');
	return found;
}

/** The same retries, wait hints, time-out and rate budget as the Fansly node's defaults. */
function transportSettings(p: TrackingLinkProvider): TransportSettings {
	return {
		retry: {
			enabled: DEFAULTS.retry,
			maxRetries: DEFAULTS.maxRetries,
			baseDelay: DEFAULTS.retryDelay,
			maxWait: DEFAULTS.maxRetryWait,
		},
		timeout: DEFAULTS.timeout,
		requestsPerMinute: p.defaultRequestsPerMinute,
	};
}

function choices(ctx: IPollFunctions, name: string, label: string, allowed: readonly string[]): string[] {
	const value = ctx.getNodeParameter(name, []) as unknown;
	const list = Array.isArray(value) ? value : [];
	const unknown = list.filter((v) => typeof v !== 'string' || !allowed.includes(v));
	if (unknown.length > 0 || list.length === 0) {
		throw new NodeOperationError(
			ctx.getNode(),
			list.length === 0
				? `"${label}" is empty: choose at least one`
				: `"${label}" has an unknown value: ${unknown.map((v) => JSON.stringify(v)).join(', ')}`,
			{ description: `Possible values: ${allowed.join(', ')}.` },
		);
	}
	return list as string[];
}

/** Reads and checks the parameters before any request. */
function readSettings(ctx: IPollFunctions): TriggerSettings {
	const node = ctx.getNode();
	const scope = ctx.getNodeParameter('accountScope', 'one');
	if (scope !== 'one' && scope !== 'all') {
		throw new NodeOperationError(node, `"Accounts to Watch" must be "one" or "all", not ${JSON.stringify(scope)}`);
	}
	let account: string | undefined;
	if (scope === 'one') {
		const value = ctx.getNodeParameter('account', '', { extractValue: true });
		if (typeof value !== 'string' || value.trim() === '') {
			throw new NodeOperationError(node, '"Account" is empty: choose the account to watch', {
				description: 'Pick an account from the list, enter its ID, or set "Accounts to Watch" to "All Accounts".',
			});
		}
		account = value.trim();
	}
	const events = choices(ctx, 'events', 'Trigger On', EVENT_NAMES) as TriggerEventName[];
	const watched = new Set<CounterField>();
	let minimumIncrease = 1;
	if (events.includes('increased')) {
		for (const choice of choices(ctx, 'counters', 'Counters', Object.keys(COUNTER_CHOICES))) {
			for (const field of COUNTER_CHOICES[choice]) watched.add(field);
		}
		const raw = ctx.getNodeParameter('minimumIncrease', 1);
		const n = typeof raw === 'string' && raw.trim() !== '' ? Number(raw) : raw;
		if (typeof n !== 'number' || !Number.isFinite(n) || n < 1) {
			throw new NodeOperationError(node, `"Minimum Increase" must be a number of at least 1, not ${JSON.stringify(raw)}`);
		}
		minimumIncrease = n;
	}
	return { account, events: new Set(events), watched, minimumIncrease };
}

/** The watched accounts and their current links, in account order. */
async function fetchLinks(
	ctx: IPollFunctions,
	p: TrackingLinkProvider,
	settings: TriggerSettings,
): Promise<Array<{ accountId: string; links: NormalisedTrackingLink[] }>> {
	const client = await createTransport(ctx, p, transportSettings(p));
	try {
		const accountIds =
			settings.account !== undefined ? [settings.account] : (await p.listAccounts(client)).map((a) => a.id);
		const out: Array<{ accountId: string; links: NormalisedTrackingLink[] }> = [];
		// One account after another: the poll's requests share the key's rate budget with the
		// Fansly node, and a failure stops the poll before more credits are spent.
		for (const accountId of accountIds) {
			out.push({ accountId, links: (await p.listTrackingLinks(client, accountId)).links });
		}
		return out;
	} finally {
		// Hands the poll's share of the key's rate budget back (transport/budget.ts).
		client.release();
	}
}

function toItems(events: TriggerEvent[], detectedAt: string): INodeExecutionData[] {
	return events.map(({ event, link, changes }) => {
		const json: IDataObject = { event, link: link as unknown as IDataObject };
		if (changes !== undefined) json.changes = changes as IDataObject;
		json.detectedAt = detectedAt;
		return { json };
	});
}

/**
 * "Fetch Test Event" in the editor: one real event built from the current links (the most
 * recently created link), shaped like the first chosen event. The saved state is not read or
 * written, so testing never moves the active workflow's baseline.
 */
function sampleEvent(
	links: NormalisedTrackingLink[],
	settings: TriggerSettings,
): TriggerEvent | undefined {
	let newest: NormalisedTrackingLink | undefined;
	for (const link of links) {
		if (newest === undefined || (link.createdAt ?? '') > (newest.createdAt ?? '')) newest = link;
	}
	if (newest === undefined) return undefined;
	if (settings.events.has('created')) return { event: 'created', link: newest };
	if (settings.events.has('increased')) {
		// No change has happened yet: each watched counter shows its current value, delta 0.
		const changes: TriggerEvent['changes'] = {};
		for (const field of COUNTER_FIELDS) {
			const value = newest[field];
			if (settings.watched.has(field) && value !== null) changes[field] = { from: value, to: value, delta: 0 };
		}
		return { event: 'increased', link: newest, changes };
	}
	return { event: 'deleted', link: newest };
}

export async function pollTrigger(this: IPollFunctions): Promise<INodeExecutionData[][] | null> {
	const p = provider(this);
	const settings = readSettings(this);
	let fetched: Awaited<ReturnType<typeof fetchLinks>>;
	try {
		fetched = await fetchLinks(this, p, settings);
	} catch (error) {
		// n8n records the failed poll as a failed execution; the saved state is untouched, so
		// the next good poll reports every change since the last good one.
		throw toNodeError(this.getNode(), error, 0);
	}
	const detectedAt = new Date().toISOString();

	if (this.getMode() === 'manual') {
		const sample = sampleEvent(fetched.flatMap((a) => a.links), settings);
		if (sample === undefined) {
			const where = settings.account === undefined ? 'the accounts of this credential' : `account "${settings.account}"`;
			throw new NodeOperationError(this.getNode(), `No tracking links on ${where} to build a test event from`, {
				description: 'Create a tracking link on the account (or choose another account), then fetch a test event again.',
			});
		}
		return [toItems([sample], detectedAt)];
	}

	const staticData = this.getWorkflowStaticData('node');
	const previous = readState(staticData);
	const next: TriggerState = {};
	const events: TriggerEvent[] = [];
	for (const { accountId, links } of fetched) {
		const diff = diffAccount(accountId, previous[accountId], links, settings, p.id);
		next[accountId] = diff.next;
		events.push(...diff.events);
	}
	// Accounts no longer watched are left out: the state holds only what the next diff needs.
	writeState(staticData, next);
	return events.length > 0 ? [toItems(events, detectedAt)] : null;
}
