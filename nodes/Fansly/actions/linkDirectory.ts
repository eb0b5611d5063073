import type {
	LinkLookup,
	NormalisedTrackingLink,
	ProviderClient,
	TrackingLinkProvider,
} from '../providers/types';

/**
 * The tracking links of each account, listed at most once per execution (not once per item),
 * listed again only when a link being looked for is missing, and kept up to date with what
 * this execution changes. It lives for one execution only.
 */
export class LinkDirectory implements LinkLookup {
	private readonly lists = new Map<string, Promise<Map<string, NormalisedTrackingLink>>>();

	private readonly refreshedFor = new Set<string>();

	constructor(
		private readonly provider: TrackingLinkProvider,
		private readonly client: ProviderClient,
	) {}

	async find(accountId: string, trackingLinkId: string): Promise<NormalisedTrackingLink | undefined> {
		const found = (await this.load(accountId, false)).get(trackingLinkId);
		if (found) return found;
		const key = `${accountId}\u0000${trackingLinkId}`;
		if (this.refreshedFor.has(key)) return undefined;
		this.refreshedFor.add(key);
		return (await this.load(accountId, true)).get(trackingLinkId);
	}

	async all(accountId: string): Promise<NormalisedTrackingLink[]> {
		return [...(await this.load(accountId, false)).values()];
	}

	/** Records a link this execution created or updated. */
	remember(accountId: string, link: NormalisedTrackingLink): void {
		void this.lists.get(accountId)?.then((links) => links.set(link.id, link));
	}

	forget(accountId: string, trackingLinkId: string): void {
		void this.lists.get(accountId)?.then((links) => links.delete(trackingLinkId));
	}

	private async load(accountId: string, refresh: boolean): Promise<Map<string, NormalisedTrackingLink>> {
		const cached = this.lists.get(accountId);
		if (cached && !refresh) return await cached;
		const loading = this.provider
			.listTrackingLinks(this.client, accountId)
			.then((links) => new Map(links.map((link) => [link.id, link])));
		this.lists.set(accountId, loading);
		loading.catch(() => {
			if (this.lists.get(accountId) === loading) this.lists.delete(accountId);
		});
		return await loading;
	}
}
