import { FanslyError } from '../helpers/errors';
import type {
	LinkLookup,
	NormalisedTrackingLink,
	ProviderClient,
	TrackingLinkProvider,
} from '../providers/types';

/** Answers to a list request that another try in the same run would only repeat. */
const LASTING_FAILURES = new Set([401, 402, 403, 404]);

function isLasting(error: unknown): boolean {
	const status = error instanceof FanslyError ? error.details.httpCode : undefined;
	return status !== undefined && LASTING_FAILURES.has(status);
}

type LinkMap = Map<string, NormalisedTrackingLink>;

/**
 * The tracking links of each account, read at most once per run (not once per item), plus at
 * most one more read per account when a link the run needs is missing from the first, and
 * kept up to date with what this run changes. A read that failed for good (401, 402, 403,
 * 404) is remembered: every later item on that account fails with the same error, and the
 * provider is not asked again. It lives for one run only.
 */
export class LinkDirectory implements LinkLookup {
	private readonly lists = new Map<string, Promise<LinkMap>>();

	/** Accounts already read a second time in this run. */
	private readonly refreshed = new Set<string>();

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
		const first = this.lists.get(accountId);
		const found = (await this.load(accountId)).get(trackingLinkId);
		if (found || this.refreshed.has(accountId)) {
			// A refresh started while this item waited may hold the link.
			const latest = this.lists.get(accountId);
			if (found || latest === first || latest === undefined) return found;
			return (await latest).get(trackingLinkId);
		}
		this.refreshed.add(accountId);
		this.lists.delete(accountId);
		return (await this.load(accountId)).get(trackingLinkId);
	}

	async all(accountId: string): Promise<NormalisedTrackingLink[]> {
		const merged = new Map(await this.load(accountId));
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

	/** The account's list: the one read (or being read) in this run, or a new read. */
	private async load(accountId: string): Promise<LinkMap> {
		const cached = this.lists.get(accountId);
		if (cached) return await cached;
		const loading = this.provider
			.listTrackingLinks(this.client, accountId)
			.then(({ links }) => new Map(links.map((link) => [link.id, link])));
		this.lists.set(accountId, loading);
		loading.catch((error: unknown) => {
			// A passing failure may be read again by a later item; a lasting one is kept.
			if (!isLasting(error) && this.lists.get(accountId) === loading) this.lists.delete(accountId);
		});
		return await loading;
	}
}
