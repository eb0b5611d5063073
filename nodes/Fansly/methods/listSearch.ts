import type { ILoadOptionsFunctions, INodeListSearchResult } from 'n8n-workflow';

import { DEFAULTS } from '../actions/options';
import { FanslyError, operationError, toNodeError } from '../helpers/errors';
import { providerFor } from '../providers';
import type { TrackingLinkProvider } from '../providers/types';
import { createTransport } from '../transport';

function providerOf(ctx: ILoadOptionsFunctions): TrackingLinkProvider {
	const provider = providerFor(ctx.getNodeParameter('authentication', 'apiFanslyApi'));
	if (!provider) throw operationError(ctx.getNode(), 'Choose a provider first');
	return provider;
}

async function clientOf(ctx: ILoadOptionsFunctions, provider: TrackingLinkProvider) {
	return await createTransport(ctx, provider, {
		retry: { enabled: true, maxRetries: 1, baseDelay: 500, maxWait: 5000 },
		timeout: DEFAULTS.timeout,
		requestsPerMinute: provider.defaultRequestsPerMinute,
		// a person waits for the list: ahead of the requests running executions have queued
		interactive: true,
	});
}

function matches(filter: string | undefined, ...texts: Array<string | null>): boolean {
	if (!filter) return true;
	const needle = filter.toLowerCase();
	return texts.some((t) => t !== null && t.toLowerCase().includes(needle));
}

function rethrow(ctx: ILoadOptionsFunctions, error: unknown): never {
	if (error instanceof FanslyError) throw toNodeError(ctx.getNode(), error, 0);
	throw error;
}

export async function searchAccounts(
	this: ILoadOptionsFunctions,
	filter?: string,
): Promise<INodeListSearchResult> {
	const provider = providerOf(this);
	try {
		const client = await clientOf(this, provider);
		let accounts;
		try {
			accounts = await provider.listAccounts(client);
		} finally {
			client.release();
		}
		return {
			results: accounts
				.filter((a) => matches(filter, a.name, a.username, a.id))
				.map((a) => ({
					name: a.username && a.username !== a.name ? `${a.name} (@${a.username})` : a.name,
					value: a.id,
				})),
		};
	} catch (error) {
		rethrow(this, error);
	}
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
	const account = this.getCurrentNodeParameter('account', { extractValue: true });
	if (typeof account !== 'string' || account.trim() === '') {
		throw operationError(this.getNode(), 'Choose an account first');
	}
	try {
		const client = await clientOf(this, provider);
		let links;
		try {
			({ links } = await provider.listTrackingLinks(client, account.trim()));
		} finally {
			client.release();
		}
		return {
			results: links
				.filter((l) => matches(filter, l.label, l.id))
				.map((l) => ({
					name: `${l.label ?? '(no label)'}${l.type === 1 ? ' (built-in)' : ''} · ${l.id}`,
					value: l.id,
				})),
		};
	} catch (error) {
		rethrow(this, error);
	}
}
