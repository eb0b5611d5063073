import type { ILoadOptionsFunctions, INodeListSearchResult } from 'n8n-workflow';

import { DEFAULTS } from '../actions/options';
import { FanslyError, operationError, scrubThrown, toNodeError } from '../helpers/errors';
import { checkId, foldCase } from '../helpers/input';
import { providerFor } from '../providers';
import type { TrackingLinkProvider } from '../providers/types';
import type { Transport } from '../transport';
import { createTransport, readSecrets } from '../transport';
import type { Secrets } from '../transport/secrets';

function providerOf(ctx: ILoadOptionsFunctions): TrackingLinkProvider {
	const provider = providerFor(ctx.getNodeParameter('authentication', 'apiFanslyApi'));
	if (!provider) throw operationError(ctx.getNode(), 'Choose a provider first');
	return provider;
}

async function clientOf(ctx: ILoadOptionsFunctions, provider: TrackingLinkProvider) {
	return await createTransport(ctx, provider, {
		retry: { enabled: true, maxRetries: 1, baseDelay: 500, maxWait: 5000 },
		timeout: DEFAULTS.timeout,
		requestsPerMinute: DEFAULTS.requestsPerMinute,
		// a person waits for the list: ahead of the requests running executions have queued
		caller: 'editor',
	});
}

/** Whether one of the texts holds the filter, compared as Get Many's Label Contains compares. */
function matches(filter: string | undefined, ...texts: Array<string | null>): boolean {
	if (!filter) return true;
	const needle = foldCase(filter);
	return texts.some((t) => t !== null && foldCase(t).includes(needle));
}

/**
 * Runs one search with a transport of its own. What it throws goes to the editor as it is, so it
 * is scrubbed of the key once more, as the node's errors are: the transport scrubs what it
 * throws, but a provider builds messages from what it decoded, or from what was typed.
 */
async function withClient<T>(
	ctx: ILoadOptionsFunctions,
	provider: TrackingLinkProvider,
	search: (client: Transport) => Promise<T>,
): Promise<T> {
	let secrets: Secrets | undefined;
	try {
		const client = await clientOf(ctx, provider);
		secrets = client.secrets;
		try {
			return await search(client);
		} finally {
			client.release();
		}
	} catch (error) {
		const thrown = error instanceof FanslyError ? toNodeError(ctx.getNode(), error, 0) : error;
		throw scrubThrown(thrown, secrets ?? (await readSecrets(ctx, provider)));
	}
}

export async function searchAccounts(
	this: ILoadOptionsFunctions,
	filter?: string,
): Promise<INodeListSearchResult> {
	const provider = providerOf(this);
	const accounts = await withClient(this, provider, async (client) => await provider.listAccounts(client));
	return {
		results: accounts
			.filter((a) => matches(filter, a.name, a.username, a.id))
			.map((a) => ({
				name: a.username && a.username !== a.name ? `${a.name} (@${a.username})` : a.name,
				value: a.id,
			})),
	};
}

export async function searchTrackingLinks(
	this: ILoadOptionsFunctions,
	filter?: string,
): Promise<INodeListSearchResult> {
	const provider = providerOf(this);
	if (!provider.capabilities.has('listTrackingLinks')) {
		throw operationError(
			this.getNode(),
			`${provider.displayName} cannot list tracking links: choose "By ID" and enter the tracking link ID`,
			{ description: `${provider.unsupportedReason}.` },
		);
	}
	const chosen = this.getCurrentNodeParameter('account', { extractValue: true });
	if ((typeof chosen !== 'string' && typeof chosen !== 'number') || String(chosen).trim() === '') {
		throw operationError(this.getNode(), 'Choose an account first');
	}
	// What a run would refuse (".", "..", control characters) is refused here too, before any request.
	const account = checkId(this, chosen, 'Account');
	const { links } = await withClient(this, provider, async (client) => await provider.listTrackingLinks(client, account));
	return {
		results: links
			.filter((l) => matches(filter, l.label, l.id))
			.map((l) => ({
				name: `${l.label ?? '(no label)'}${l.type === 1 ? ' (built-in)' : ''} · ${l.id}`,
				value: l.id,
			})),
	};
}
