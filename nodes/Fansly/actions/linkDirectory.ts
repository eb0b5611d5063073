import type {
	LinkLookup,
	NormalisedTrackingLink,
	ProviderClient,
	TrackingLinkProvider,
} from '../providers/types';

type LinkMap = Map<string, NormalisedTrackingLink>;

/**
 * The tracking links of each account, read at most once per run (not once per item), plus at
 * most one more read per account when a link the run needs is missing from the first, and
 * kept up to date with the links this run creates and updates. An update whose outcome is
 * unknown (see `unsure`) makes the next item needing that link read the account again. A read
 * that failed (after the transport's retries, whatever the failure: a refusal, an outage, a
 * time-out, an answer of the wrong shape) is remembered too: every later item on that account
 * fails with that read's error, and the provider is not asked again, so an outage costs one
 * read per account, not one per item. It lives for one run only.
 */
export class LinkDirectory implements LinkLookup {
	/** Each account's first read in this run: under way, done, or failed. */
	private readonly firstReads = new Map<string, Promise<LinkMap>>();

	/** Each account's one refresh, when a link was missing from its first read. */
	private readonly refreshes = new Map<string, Promise<LinkMap>>();

	/**
	 * What this execution knows of a link now, per account: the link as it created or updated it,
	 * or as the account's read after an unsure update listed it (`null`: not listed then). It wins
	 * over any list, including one fetched later, so a label set by an earlier item is the one a
	 * later description-only update sends.
	 */
	private readonly known = new Map<string, Map<string, NormalisedTrackingLink | null>>();

	/**
	 * Links an update of this run may or may not have changed, per account: no list read before
	 * it, nor its answer, says what the link holds now. Only a new read does.
	 */
	private readonly unsureLinks = new Map<string, Set<string>>();

	/** Each account's read after an unsure update, shared by the items waiting for it. */
	private readonly rereads = new Map<string, Promise<LinkMap>>();

	constructor(
		private readonly provider: TrackingLinkProvider,
		private readonly client: ProviderClient,
	) {}

	async find(accountId: string, trackingLinkId: string): Promise<NormalisedTrackingLink | undefined> {
		const unsure = this.unsureLinks.get(accountId);
		if (unsure?.has(trackingLinkId)) {
			let reread = this.rereads.get(accountId);
			if (!reread) {
				reread = this.read(accountId);
				this.rereads.set(accountId, reread);
			}
			const now = (await reread).get(trackingLinkId);
			// Read after the unsure update was answered, so it tells what that update did, for
			// every later item of the link too.
			unsure.delete(trackingLinkId);
			this.knownOf(accountId).set(trackingLinkId, now ?? null);
			return now;
		}
		const known = this.known.get(accountId);
		if (known?.has(trackingLinkId)) return known.get(trackingLinkId) ?? undefined;
		const found = (await this.latest(accountId)).get(trackingLinkId);
		if (found) return found;
		// Missing: read the account once more (or wait for the refresh another item started,
		// which may hold it). A failed refresh fails the items that needed it, with its error.
		let refresh = this.refreshes.get(accountId);
		if (!refresh) {
			refresh = this.read(accountId);
			this.refreshes.set(accountId, refresh);
		}
		return (await refresh).get(trackingLinkId);
	}

	/**
	 * The account's links as read. Nothing of this run's own changes is merged in: one execution
	 * runs one operation, and Get Many changes none.
	 */
	async all(accountId: string): Promise<NormalisedTrackingLink[]> {
		return [...(await this.latest(accountId)).values()];
	}

	/** Records a link this execution created or updated: what it holds now is known again. */
	remember(accountId: string, link: NormalisedTrackingLink): void {
		this.knownOf(accountId).set(link.id, link);
		this.unsureLinks.get(accountId)?.delete(link.id);
	}

	/**
	 * Records that an update of the link was sent and failed in a way the provider may still have
	 * carried it out (a 5xx, a time-out, an answer in an unexpected shape or about another link):
	 * the next item that needs the link reads the account again rather than trust what was known
	 * before, which could skip a row as "the same" or send an old label back.
	 */
	unsure(accountId: string, trackingLinkId: string): void {
		this.known.get(accountId)?.delete(trackingLinkId);
		let unsure = this.unsureLinks.get(accountId);
		if (!unsure) {
			unsure = new Set();
			this.unsureLinks.set(accountId, unsure);
		}
		unsure.add(trackingLinkId);
		// A read already made, or under way, may have been sent before this update was answered.
		this.rereads.delete(accountId);
	}

	private knownOf(accountId: string): Map<string, NormalisedTrackingLink | null> {
		let known = this.known.get(accountId);
		if (!known) {
			known = new Map();
			this.known.set(accountId, known);
		}
		return known;
	}

	/**
	 * The account's newest list that did not fail: its refresh once back, otherwise its first
	 * read (started now if no item started it; its failure is this item's).
	 */
	private async latest(accountId: string): Promise<LinkMap> {
		const refresh = this.refreshes.get(accountId);
		if (refresh) {
			try {
				return await refresh;
			} catch {
				// Only the items that needed the refresh fail with its error.
			}
		}
		let first = this.firstReads.get(accountId);
		if (!first) {
			first = this.read(accountId);
			this.firstReads.set(accountId, first);
		}
		return await first;
	}

	private async read(accountId: string): Promise<LinkMap> {
		const { links } = await this.provider.listTrackingLinks(this.client, accountId);
		return new Map(links.map((link) => [link.id, link]));
	}
}
