import type { IDataObject } from 'n8n-workflow';

import type { Secrets } from '../transport/secrets';

export type ProviderId = 'apiFansly' | 'fansApi';

/** The one tracking-link shape the node outputs, whatever the provider. */
export interface NormalisedTrackingLink {
	id: string;
	/** The account the node was given: the id the provider's paths take. */
	accountId: string;
	/** Fansly's own id of the account, when the provider sends it. */
	fanslyAccountId: string | null;
	label: string | null;
	description: string | null;
	type: number | null;
	status: number | null;
	metadata: unknown;
	createdAt: string | null;
	clicks: number | null;
	claims: number | null;
	follows: number | null;
	subscriptions: number | null;
	totalNet: number | null;
	totalGross: number | null;
	provider: ProviderId;
}

/** An account's tracking links, as one read of its whole list found them. */
export interface TrackingLinkList {
	/** Each link once, in the provider's order. */
	links: NormalisedTrackingLink[];
	/**
	 * How many answers the list came in: 1 unless the provider paged it. Links can move between
	 * pages while they are read, so a link missing from a list read in several pages may still
	 * exist.
	 */
	pages: number;
}

export interface ConnectedAccount {
	id: string;
	name: string;
	username: string | null;
}

export interface DailyStats {
	trackingLinkId: string;
	accountId: string;
	date: string;
	clicks: number | null;
	claims: number | null;
	follows: number | null;
	subscriptions: number | null;
	totalGross: number | null;
	totalNet: number | null;
	provider: ProviderId;
}

export type HttpMethod = 'GET' | 'POST' | 'PUT' | 'DELETE';

/**
 * What an operation wants sent. Built by a provider only; the transport adds the base URL,
 * authentication, retries and rate limiting.
 */
export interface ProviderRequest {
	method: HttpMethod;
	/** Path below the base URL, every dynamic segment already URL-encoded. */
	path: string;
	body?: IDataObject;
	qs?: IDataObject;
	/**
	 * Whether sending the request twice has the same effect as sending it once. Only an
	 * idempotent request is retried after a failure that may have reached the provider
	 * (time-out, connection reset). See transport/retry.ts.
	 */
	idempotent: boolean;
	/** Words for error messages: what the request was about, e.g. `tracking link "1" on account "a"`. */
	subject: string;
	/** The account the request is about, for a 404 that says the account is unknown. */
	accountId?: string;
}

export interface ProviderResponse {
	statusCode: number;
	headers: Record<string, string | undefined>;
	/** The parsed JSON body (undefined when the body is empty). */
	body: unknown;
	/**
	 * An earlier attempt of this request failed in a way the provider may still have carried it
	 * out (FailureDetails.mayHaveBeenApplied): this answer may be to a request already done.
	 */
	mayHaveBeenApplied?: boolean;
}

/** Sends provider requests; implemented by the transport. */
export interface ProviderClient {
	send(request: ProviderRequest): Promise<ProviderResponse>;
	/**
	 * What scrubbed the answers of the key: whatever a provider decodes further from an answer
	 * (a next-page URL) is scrubbed with it again before it is quoted or cut short.
	 */
	readonly secrets: Secrets;
}

export interface RateLimitReport {
	/** Requests left in the provider's current window, when it says. */
	remaining?: number;
	/** The provider's limit per window, when it says. */
	limit?: number;
}

export interface UpdateFields {
	label?: string;
	description?: string;
}

export interface CreateFields {
	label: string;
	description?: string;
}

export interface StatsRange {
	after?: string;
	before?: string;
}

export type Capability =
	| 'listAccounts'
	| 'listTrackingLinks'
	| 'getTrackingLink'
	| 'createTrackingLink'
	| 'updateTrackingLink'
	| 'deleteTrackingLink'
	| 'getStats';

/**
 * Everything the node knows about one provider: how to build each request and how to read
 * each response. Operations talk to this interface only and never branch on the provider.
 */
export interface TrackingLinkProvider {
	readonly id: ProviderId;
	readonly displayName: string;
	readonly credentialType: string;
	/** Requests per minute allowed on the provider's smallest plan. */
	readonly defaultRequestsPerMinute: number;
	readonly capabilities: ReadonlySet<Capability>;
	/** Why a capability is missing, in words for the user. */
	readonly unsupportedReason: string;
	/** Whether every update must carry a label that is not blank (the API's validation). */
	readonly updateNeedsLabel: boolean;

	resolveBaseUrl(credentials: IDataObject): string;
	/** The provider's own words from an error body, if any. */
	errorMessage(body: unknown): string | undefined;
	/**
	 * The status a successful (HTTP 2xx) answer's body gives when it says the request failed
	 * (API Fansly's envelope), so the transport retries and paces it as that HTTP status.
	 */
	statusInside?(body: unknown): number | undefined;
	/** What the provider reports of its rate limit in a response. */
	rateLimit(response: ProviderResponse): RateLimitReport;

	listAccounts(client: ProviderClient): Promise<ConnectedAccount[]>;
	/** The account's whole list of tracking links (every page of it), or a FanslyError. */
	listTrackingLinks(client: ProviderClient, accountId: string): Promise<TrackingLinkList>;
	createTrackingLink(
		client: ProviderClient,
		accountId: string,
		fields: CreateFields,
	): Promise<NormalisedTrackingLink>;
	/**
	 * Updates one link. `currentLabel` is looked up (through `lookup`) only by a provider whose
	 * API needs the label on every update.
	 */
	updateTrackingLink(
		client: ProviderClient,
		accountId: string,
		trackingLinkId: string,
		fields: UpdateFields,
		lookup: LinkLookup,
	): Promise<NormalisedTrackingLink>;
	deleteTrackingLink(client: ProviderClient, accountId: string, trackingLinkId: string): Promise<void>;
	getStats(
		client: ProviderClient,
		accountId: string,
		trackingLinkId: string,
		range: StatsRange,
	): Promise<DailyStats[]>;
}

/** Finds a link's current state from the account's list (cached for one execution). */
export interface LinkLookup {
	find(accountId: string, trackingLinkId: string): Promise<NormalisedTrackingLink | undefined>;
}
