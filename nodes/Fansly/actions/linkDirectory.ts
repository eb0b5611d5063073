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

	/**
	 * What this execution itself changed, per account and link (null: deleted). It wins over
	 * any list, including one fetched later, so a label set by an earlier item is the one a
	 * later description-only update sends.
	 */
	private readonly changed = new Map<string, Map<string, NormalisedTrackingLink | null>>();

	constructor(
		private readonly provider: TrackingLinkProvider,
		private readonly client: ProviderClient,
	) {}

	async find(accountId: string, trackingLinkId: string): Promise<NormalisedTrackingLink | undefined> {
		const own = this.changed.get(accountId);
		if (own?.has(trackingLinkId)) return own.get(trackingLinkId) ?? undefined;
		const found = (await this.load(accountId, false)).get(trackingLinkId);
		if (found) return found;
		const key = `${accountId}\u0000${trackingLinkId}`;
		if (this.refreshedFor.has(key)) return undefined;
		this.refreshedFor.add(key);
		return (await this.load(accountId, true)).get(trackingLinkId);
	}

	async all(accountId: string): Promise<NormalisedTrackingLink[]> {
		const merged = new Map(await this.load(accountId, false));
		for (const [id, link] of this.changed.get(accountId) ?? []) {
			if (link) merged.set(id, link);
			else merged.delete(id);
		}
		return [...merged.values()];
	}

	/** Records a link this execution created or updated. */
	remember(accountId: string, link: NormalisedTrackingLink): void {
		this.own(accountId).set(link.id, link);
	}

	/** Records a link this execution deleted. */
	forget(accountId: string, trackingLinkId: string): void {
		this.own(accountId).set(trackingLinkId, null);
	}

	private own(accountId: string): Map<string, NormalisedTrackingLink | null> {
		let own = this.changed.get(accountId);
		if (!own) {
			own = new Map();
			this.changed.set(accountId, own);
		}
		return own;
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
