/**
 * One poll of the Fansly Trigger: read the watched accounts' links (one list per account, each
 * on its own), diff them against the saved state, save the new state, and emit the events.
 * What happens when an account fails is in plan.ts and report.ts; overlapping polls in
 * overlap.ts; the saved state in state.ts.
 */
import { createHash } from 'crypto';

import type { IDataObject, INodeExecutionData, IPollFunctions, NodeOperationError } from 'n8n-workflow';

import { DEFAULTS } from '../actions/options';
import { FanslyError, operationError, scrubNodeError, scrubThrown, toNodeError } from '../helpers/errors';
import { checkId, withCodePoints } from '../helpers/input';
import { providerFor } from '../providers';
import type { NormalisedTrackingLink, TrackingLinkProvider } from '../providers/types';
import type { TransportSettings } from '../transport';
import { createTransport, readSecrets } from '../transport';
import type { Secrets } from '../transport/secrets';
import type { TriggerEvent } from './diff';
import { goneLink } from './diff';
import { anotherPollSaved, enterPoll, leavePoll, recordSave, triggerKey } from './overlap';
import type { AccountRead } from './plan';
import { planPoll } from './plan';
import { accountsFailure, recordFailures, verdict, withRecordedFailures } from './report';
import type { TriggerSettings } from './settings';
import { readSettings } from './settings';
import { COUNTER_FIELDS, keepLink, readState, revisionOf, writeState } from './state';

/** The only provider that can list tracking links. */
export const TRIGGER_CREDENTIAL = 'fansApiApi';

/** Failures of the API key itself: every other account would fail the same way, so reading stops. */
const KEY_FAILURES = new Set([401, 402, 429]);

function provider(ctx: IPollFunctions): TrackingLinkProvider {
	const found = providerFor(TRIGGER_CREDENTIAL);
	if (!found) throw operationError(ctx.getNode(), 'The Fans API provider is missing');
	return found;
}

/**
 * The longest wait Fetch Test Event waits out for the provider (a wait hint, or the key paused
 * by one): a person waits in the editor, as for the account picker (methods/listSearch.ts).
 */
export const TEST_EVENT_MAX_WAIT = 5000;

/**
 * The same retries, wait hints, time-out and rate budget as the Fansly node's defaults; for
 * Fetch Test Event (`manual`), a wait hint longer than TEST_EVENT_MAX_WAIT fails at once.
 */
function transportSettings(manual: boolean): TransportSettings {
	return {
		retry: {
			enabled: DEFAULTS.retry,
			maxRetries: DEFAULTS.maxRetries,
			baseDelay: DEFAULTS.retryDelay,
			maxWait: manual ? TEST_EVENT_MAX_WAIT : DEFAULTS.maxRetryWait,
		},
		timeout: DEFAULTS.timeout,
		requestsPerMinute: DEFAULTS.requestsPerMinute,
		caller: manual ? 'testEvent' : 'trigger',
	};
}

/** How many characters of an id a message shows. */
const SHOWN_ID_LENGTH = 100;

/**
 * Before the saved key of an id the node refuses: a format character (U+2060, word joiner),
 * which checkId refuses, so no accepted id starts with it. The shown form alone is no key: an
 * accepted id may be written exactly as it ("fansly_acct_[U+200B]X"), and two long ids may
 * share their first SHOWN_ID_LENGTH characters.
 */
const REFUSED_KEY_MARK = '\u2060';

/**
 * An id the node refuses (scrubbed of the API key), as a message shows it (helpers/input.ts,
 * withCodePoints; cut after SHOWN_ID_LENGTH characters) and as the state saves it: the shown
 * form after REFUSED_KEY_MARK and, for an id cut to be shown, a digest of the whole id, so that
 * the key stays short and tells every id apart.
 */
function refusedId(id: string): { shown: string; key: string } {
	const chars = [...id];
	const cut = chars.length > SHOWN_ID_LENGTH;
	const { shown } = withCodePoints(cut ? `${chars.slice(0, SHOWN_ID_LENGTH).join('')}…` : id);
	const digest = cut ? ` sha256:${createHash('sha256').update(id).digest('hex').slice(0, 32)}` : '';
	return { shown, key: `${REFUSED_KEY_MARK}${shown}${digest}` };
}

/**
 * The failure of an account whose id, as the provider listed it, the node refuses (checkId).
 * checkId's own words are for an id typed in or mapped (its advice is about expressions and
 * spreadsheets), so they are not used: this says what happened, naming the id as a message can.
 */
function refusedListedId(ctx: IPollFunctions, p: TrackingLinkProvider, shown: string, unshowable: boolean): NodeOperationError {
	return operationError(ctx.getNode(), `${p.displayName} listed an account id the node cannot use: "${shown}"`, {
		description: `The node checks an account id the provider lists as it checks one typed in, and this one fails that check${
			unshowable ? ' (the characters a message cannot show are named by their code point)' : ''
		}, so the account is not read. The other accounts are read as usual; if this account should be watched, ask ${p.displayName} about its id.`,
	});
}

/**
 * The watched accounts and, for each, its list of links or why it could not be read. Only a
 * failure of the list of accounts itself (All Accounts) is thrown: then nothing is known.
 * `manual`: for Fetch Test Event (see TEST_EVENT_MAX_WAIT).
 */
async function readAccounts(
	ctx: IPollFunctions,
	p: TrackingLinkProvider,
	settings: TriggerSettings,
	manual = false,
): Promise<{ reads: AccountRead[]; secrets: Secrets }> {
	const client = await createTransport(ctx, p, transportSettings(manual));
	const { secrets } = client;
	try {
		let accountIds: string[];
		try {
			accountIds = settings.account !== undefined ? [settings.account] : (await p.listAccounts(client)).map((a) => a.id);
		} catch (error) {
			throw toNodeError(ctx.getNode(), error, 0); // scrubbed by pollTrigger
		}
		// An id in the provider's list of accounts is read as one typed in: trimmed as the node
		// trims it, and refused where the node refuses it (`..` would read another endpoint). A
		// refused one is a failing account, named as a message can show it, saved under a key
		// no accepted id can take (refusedId); no id the node accepts equals an id it refuses,
		// so the two never meet in `watched`.
		const watched = new Map<string, { refused?: { key: string; shown: string; unshowable: boolean } }>();
		for (const listed of accountIds) {
			let id: string;
			try {
				id = checkId(ctx, listed, 'Account');
			} catch {
				if (!watched.has(listed)) watched.set(listed, { refused: { ...refusedId(secrets.text(listed)), unshowable: withCodePoints(listed).named } });
				continue;
			}
			if (!watched.has(id)) watched.set(id, {});
		}
		const reads: AccountRead[] = [];
		let keyFailed: NodeOperationError | undefined;
		// One account after another: the poll's requests share the key's rate budget with the
		// Fansly node.
		for (const [accountId, { refused }] of watched) {
			if (refused !== undefined) {
				const error = refusedListedId(ctx, p, refused.shown, refused.unshowable);
				reads.push({ accountId: refused.key, shownAs: refused.shown, error: scrubNodeError(error, secrets) });
				continue;
			}
			if (keyFailed !== undefined) {
				reads.push({ accountId, error: keyFailed });
				continue;
			}
			try {
				reads.push({ accountId, list: await p.listTrackingLinks(client, accountId) });
			} catch (error) {
				reads.push({ accountId, error: scrubNodeError(toNodeError(ctx.getNode(), error, 0), secrets) });
				const status = error instanceof FanslyError ? error.details.httpCode : undefined;
				if (status !== undefined && KEY_FAILURES.has(status)) {
					keyFailed = operationError(ctx.getNode(), `not asked, after that failure of the API key (HTTP ${status})`);
				}
			}
		}
		return { reads, secrets };
	} finally {
		// Hands the poll's share of the key's rate budget back (transport/budget.ts), whatever
		// happened.
		client.release();
	}
}

/**
 * The items to emit, scrubbed of the key once more as the Fansly node's are (actions/router.ts):
 * the transport scrubs every answer, but a link's metadata is decoded after that.
 */
function toItems(events: TriggerEvent[], detectedAt: string, secrets: Secrets): INodeExecutionData[] {
	return events.map(({ event, link, changes }) => {
		const json: IDataObject = { event, link: link as unknown as IDataObject };
		if (changes !== undefined) json.changes = changes as IDataObject;
		json.detectedAt = detectedAt;
		return { json: secrets.value(json) };
	});
}

/**
 * "Fetch Test Event" in the editor: one real event built from the current links (the most
 * recently created link), shaped like the first chosen event. The saved state is not read or
 * written, and the overlap guard is neither taken nor waited for: testing never moves or holds
 * up the active workflow.
 */
async function testEvent(ctx: IPollFunctions, p: TrackingLinkProvider, settings: TriggerSettings): Promise<INodeExecutionData[][]> {
	const { reads, secrets } = await readAccounts(ctx, p, settings, true);
	const newer = (link: NormalisedTrackingLink, than: NormalisedTrackingLink | undefined) =>
		than === undefined || (link.createdAt ?? '') > (than.createdAt ?? '');
	let newest: NormalisedTrackingLink | undefined;
	// For an `increased` sample, the newest link with a value for every watched counter: a link
	// too new to have counters yet would give an event without the changes a workflow reads.
	let newestCounted: NormalisedTrackingLink | undefined;
	for (const read of reads) {
		if (!('list' in read)) continue;
		for (const link of read.list.links) {
			if (newer(link, newest)) newest = link;
			if (COUNTER_FIELDS.every((field) => !settings.watched.has(field) || link[field] !== null) && newer(link, newestCounted)) newestCounted = link;
		}
	}
	if (newest === undefined) {
		const failure = reads.find((r): r is { accountId: string; error: unknown } => 'error' in r);
		if (failure) throw failure.error;
		const where = settings.account === undefined ? 'the accounts of this credential' : `account "${settings.account}"`;
		throw operationError(ctx.getNode(), `No tracking links on ${where} to build a test event from`, {
			description: 'Create a tracking link on the account (or choose another account), then fetch a test event again.',
		});
	}
	// Built the way a real deletion is, from what the trigger keeps of a link (metadata null).
	let sample: TriggerEvent = { event: 'deleted', link: goneLink(newest.id, newest.accountId, keepLink(newest), p.id) };
	if (settings.events.has('created')) sample = { event: 'created', link: newest };
	else if (settings.events.has('increased')) {
		// No change has happened yet: each watched counter shows its current value, delta 0.
		const link = newestCounted ?? newest;
		const changes: TriggerEvent['changes'] = {};
		for (const field of COUNTER_FIELDS) {
			const value = link[field];
			if (settings.watched.has(field) && value !== null) changes[field] = { from: value, to: value, delta: 0 };
		}
		sample = { event: 'increased', link, changes };
	}
	return [toItems([sample], new Date().toISOString(), secrets)];
}

/**
 * The poll contexts that have polled. n8n builds one context when it activates a workflow and
 * polls with it at activation and at every tick; its durable scheduler (n8n 2.x, opt-in)
 * builds one per tick, with the activation mode "update".
 */
const polledContexts = new WeakSet<object>();

/**
 * Whether this is the poll n8n runs (and awaits) when it activates the workflow: the first poll
 * of its context, unless that context is one of the durable scheduler's ticks. Re-publishing an
 * active workflow is "update" too, so its first poll counts as a tick.
 */
function isActivationPoll(ctx: IPollFunctions): boolean {
	const first = !polledContexts.has(ctx);
	polledContexts.add(ctx);
	return first && ctx.getActivationMode() !== 'update';
}

async function poll(ctx: IPollFunctions, p: TrackingLinkProvider): Promise<INodeExecutionData[][] | null> {
	const settings = readSettings(ctx);
	if (ctx.getMode() === 'manual') return await testEvent(ctx, p, settings);

	const activation = isActivationPoll(ctx);
	const key = triggerKey(ctx);
	const running = enterPoll(key, Date.now());
	if (running === undefined) {
		ctx.logger.info('Fansly Trigger: the previous poll is still running, so this one does nothing; the next poll reports what changed meanwhile');
		return null;
	}
	try {
		const startRevision = revisionOf(ctx.getWorkflowStaticData('node'));
		const { reads, secrets } = await readAccounts(ctx, p, settings);
		const staticData = ctx.getWorkflowStaticData('node');
		if (revisionOf(staticData) !== startRevision || anotherPollSaved(key, running)) {
			// Another poll saved while this one was reading: what this one read may be older than
			// that poll's state, so diffing it would report false deletions, or the other poll's
			// events again. The next poll reports whatever this one saw. The static data is left
			// untouched, so n8n's durable cursors have nothing of this poll to commit over the
			// other poll's.
			ctx.logger.info('Fansly Trigger: another poll saved the state while this one was reading, so its result is dropped');
			return null;
		}
		const now = new Date();
		const saved = readState(staticData, now);
		const previous = withRecordedFailures(key, saved, now.getTime());
		const plan = planPoll(previous, reads, settings.account === undefined, settings, p.id, now);
		const readAny = plan.failed.length < reads.length;
		// What an earlier poll held back comes first, as it would have been emitted then.
		const items = [...previous.held.map((json) => ({ json })), ...toItems(plan.events, now.toISOString(), secrets)];
		const outcome = verdict(
			key,
			plan.failed,
			{ hasEvents: items.length > 0, readAny, activation, mayHoldBack: previous.held.length === 0 },
			now.getTime(),
		);
		const emits = outcome === 'quiet' && items.length > 0;
		recordFailures(key, saved, plan.next, emits, now.getTime());
		// Held-back items stay in the state until a poll emits them; a held-back poll adds its own.
		// n8n keeps a failed poll's state in memory (its default persistence) or throws it away
		// (durable cursors: the next poll then finds the changes again itself).
		const held = emits ? [] : outcome === 'hold' ? items.map((item) => item.json) : previous.held;
		writeState(staticData, { ...plan.next, held });
		recordSave(key);
		if (outcome === 'quiet') {
			if (plan.failed.length > 0) {
				ctx.logger.warn(accountsFailure(ctx.getNode(), plan.failed, reads.length, 'report', readAny).message);
			}
			return emits ? [items] : null;
		}
		// With One Account, the account's own error, as n8n shows any failed poll.
		if (settings.account !== undefined) throw plan.failed[0].error;
		throw accountsFailure(ctx.getNode(), plan.failed, reads.length, outcome, readAny); // scrubbed by pollTrigger
	} finally {
		leavePoll(key, running);
	}
}

/**
 * One poll, or a test event in the editor. Whatever it throws is scrubbed of the key, also what
 * is thrown before any request: a value the trigger rejects may quote one that holds the key.
 */
export async function pollTrigger(this: IPollFunctions): Promise<INodeExecutionData[][] | null> {
	const p = provider(this);
	try {
		return await poll(this, p);
	} catch (error) {
		throw scrubThrown(error, await readSecrets(this, p));
	}
}
