import type {
	IAdditionalCredentialOptions,
	ICredentialDataDecryptedObject,
	IExecuteFunctions,
	IHttpRequestOptions,
	ILoadOptionsFunctions,
	IPollFunctions,
} from 'n8n-workflow';
import { FanslyError } from '../helpers/errors';
import type {
	ProviderClient,
	ProviderRequest,
	ProviderResponse,
	TrackingLinkProvider,
} from '../providers/types';
import type { BodyText } from './body';
import { ERROR_BODY_LIMIT, parseAnswer, readBody, snippet, SUCCESS_BODY_LIMIT } from './body';
import type { Caller } from './failures';
import { beyondMaxWait, httpError, lowerCaseHeaders, networkCode, networkError, noSlotError, pausedError, redirectError } from './failures';
import { Secrets } from './secrets';
import type { Clock } from './rateLimiter';
import { NoSlotSoon, PausedTooLong, systemClock } from './rateLimiter';
import type { BudgetLease } from './budget';
import { rateBudgets } from './budget';
import type { RetrySettings } from './retry';
import {
	backoff,
	hintedWait,
	isRetryableNetworkCode,
	isRetryableStatus,
	mayHaveBeenApplied,
} from './retry';

export interface TransportSettings {
	retry: RetrySettings;
	/** Per-request time-out in milliseconds. */
	timeout: number;
	/**
	 * The key's budget this execution sets; 0 for the provider's default, which holds the key
	 * only while no execution on it sets a value (see LeaseTerms).
	 */
	requestsPerMinute: number;
	/**
	 * Who waits for these requests (a run when not said). The editor's pickers take the key's
	 * next free slot ahead of the requests running executions have queued, still within its
	 * window; every caller's errors say what it can change.
	 */
	caller?: Caller;
}

export interface TransportOptions {
	credentials: ICredentialDataDecryptedObject;
	settings: TransportSettings;
	/** Told about every answer, so concurrency can adapt. */
	congestion?: CongestionListener;
	/**
	 * Ends every wait and request when it aborts: the execution's cancel signal (Stop, the
	 * workflow time-out), or the one n8n gives a list search.
	 */
	signal?: AbortSignal;
	/** Time and randomness, replaceable in tests. */
	clock?: Clock;
	random?: () => number;
}

/** Told about every answer, so concurrency can adapt (see actions/runner.ts). */
export interface CongestionListener {
	onHealthy(): void;
	onCongested(): void;
}

/**
 * The providers count 60-second windows. The limiter holds each admission for one second more:
 * it stamps a request when it lets it go, and the provider counts it a little later (more so
 * in a busy burst), so a 60-second hold could free a slot before the provider's window does.
 */
const WINDOW_MS = 61_000;

type Context = IExecuteFunctions | ILoadOptionsFunctions | IPollFunctions;

interface RawResponse {
	body: unknown;
	headers: unknown;
	statusCode: number;
}

/** An answer as the transport reads it: its body as text, read only as far as it needs. */
interface Answer extends BodyText {
	headers: unknown;
	statusCode: number;
}

/**
 * Sends a provider's requests through n8n's authenticated HTTP helper, with the execution's
 * rate limiter and the retry rules of retry.ts. One Transport serves one node execution.
 */
export class Transport implements ProviderClient {
	/** This execution's lease on the key's shared rate budget (see budget.ts). */
	private readonly limiter: BudgetLease;

	/** The credential, read once per execution and handed to n8n with every request. */
	private readonly credentialOptions: IAdditionalCredentialOptions | undefined;

	private readonly baseUrl: string;

	/**
	 * Values that must never travel into a message: the API key. Whatever the transport throws
	 * is scrubbed of them; callers scrub what they build from its answers with it too.
	 */
	readonly secrets: Secrets;

	private readonly signal: AbortSignal | undefined;

	private readonly settings: TransportSettings;

	private get caller(): Caller {
		return this.settings.caller ?? 'run';
	}

	private readonly congestion: CongestionListener | undefined;

	private readonly clock: Clock;

	private readonly random: () => number;

	constructor(
		private readonly ctx: Context,
		private readonly provider: TrackingLinkProvider,
		options: TransportOptions,
	) {
		this.baseUrl = provider.resolveBaseUrl(options.credentials);
		this.secrets = credentialSecrets(options.credentials);
		this.signal = options.signal;
		this.settings = options.settings;
		this.congestion = options.congestion;
		this.clock = options.clock ?? systemClock;
		this.random = options.random ?? Math.random;
		this.limiter = rateBudgets.lease(
			{ provider: provider.id, baseUrl: this.baseUrl, apiKey: options.credentials.apiKey },
			options.settings.requestsPerMinute || provider.defaultRequestsPerMinute,
			WINDOW_MS,
			// A person waits for the editor's pickers and for Fetch Test Event, which says to fetch
			// again rather than wait long for the key's next free request.
			{
				urgent: this.caller === 'editor' || this.caller === 'testEvent',
				noLongSlotWait: this.caller === 'testEvent',
				providerDefault: options.settings.requestsPerMinute === 0,
			},
		);
		const ref = ctx.getNode().credentials?.[provider.credentialType];
		this.credentialOptions = ref
			? {
					credentialsDecrypted: {
						id: ref.id ?? '',
						name: ref.name,
						type: provider.credentialType,
						data: options.credentials,
					},
				}
			: undefined;
	}

	/**
	 * Gives back this execution's lease on the key's shared budget: its Requests Per Minute no
	 * longer holds the key's limit, and an idle key's state is dropped. Call it once the
	 * execution is done sending (idempotent).
	 */
	release(): void {
		this.limiter.release();
	}

	async send(request: ProviderRequest): Promise<ProviderResponse> {
		try {
			return await this.sendWithRetries(request);
		} catch (error) {
			throw this.scrubbed(error);
		}
	}

	/** The error with its words scrubbed once more, whatever built them. */
	private scrubbed(error: unknown): unknown {
		if (!(error instanceof FanslyError)) return error;
		return new FanslyError(this.secrets.text(error.message), this.secrets.value(error.details));
	}

	private async sendWithRetries(request: ProviderRequest): Promise<ProviderResponse> {
		const { retry } = this.settings;
		const maxAttempts = retry.enabled ? retry.maxRetries + 1 : 1;
		const name = this.provider.displayName;
		// Whether an attempt so far may have been carried out though it failed (FailureDetails
		// mayHaveBeenApplied): told with the error, or with a success after such an attempt.
		let applied = false;
		for (let attempt = 1; ; attempt++) {
			this.throwIfCancelled(request, attempt - 1);
			// A wait for the rate budget ends without a slot on a cancel, or when a wait hint
			// pauses the key for longer than this execution may wait.
			const refused: unknown = await this.limiter.acquire(this.signal, retry.maxWait).then(
				() => undefined,
				(error: unknown) => error,
			);
			this.throwIfCancelled(request, attempt - 1);
			if (refused instanceof PausedTooLong) throw pausedError(this.provider, refused.waitMs, retry.maxWait, attempt - 1, this.caller, applied);
			// Only Fetch Test Event is refused so (transport caller testEvent): its reads change nothing.
			if (refused instanceof NoSlotSoon) throw noSlotError(this.provider, refused.waitMs, retry.maxWait, attempt - 1, this.caller);
			const exchanged = await this.exchange(request);
			this.throwIfCancelled(request, attempt);
			if (exchanged.kind === 'failed') {
				// Not a network failure: no retry, and only the message travels on, never the
				// request options.
				throw new FanslyError(`Request to ${name} for ${request.subject} failed: ${exchanged.message}`, {
					kind: 'network',
					attempts: attempt,
				});
			}
			if (exchanged.kind === 'network') {
				const { code } = exchanged;
				this.congestion?.onCongested();
				if (attempt < maxAttempts && isRetryableNetworkCode(code, request.idempotent)) {
					applied ||= mayHaveBeenApplied({ code });
					await this.wait(backoff(attempt - 1, retry, this.random), request, attempt);
					continue;
				}
				throw networkError(this.provider, request, code, attempt, maxAttempts, this.settings.timeout, applied || mayHaveBeenApplied({ code }));
			}
			const { answer: raw } = exchanged;

			const headers = lowerCaseHeaders(raw.headers, this.secrets);
			// The body is scrubbed of the API key before anything reads it, so a provider or a
			// proxy that echoes request headers cannot leak the key into an error message.
			const parsed = parseAnswer(raw, this.secrets);
			const response: ProviderResponse = {
				statusCode: raw.statusCode,
				headers,
				// A body that is not JSON (an HTML page from a proxy) is kept as a short snippet.
				body: parsed.ok ? parsed.value : snippet(parsed.text, this.secrets),
			};
			this.limiter.report(this.provider.rateLimit(response));
			// An answer of HTTP 2xx whose body says the provider failed for now (API Fansly's
			// envelope: 429, 5xx) is that failure: retried, paced and counted as that status.
			const inside = raw.statusCode >= 200 && raw.statusCode < 300 && parsed.ok ? this.provider.statusInside?.(parsed.value) : undefined;
			if (inside !== undefined && (inside === 429 || (inside >= 500 && inside < 600))) response.statusCode = inside;

			if (response.statusCode >= 200 && response.statusCode < 300) {
				this.congestion?.onHealthy();
				if (!raw.complete) {
					throw new FanslyError(
						`Unexpected response from ${name} for ${request.subject}: the answer is larger than ${SUCCESS_BODY_LIMIT / 1024 / 1024} MiB`,
						{
							kind: 'shape',
							httpCode: raw.statusCode,
							description: `The node reads at most ${SUCCESS_BODY_LIMIT / 1024 / 1024} MiB of an answer, far more than any list of tracking links holds: the rest was not read, and nothing in it was used. Check the credential's Base URL.`,
						},
					);
				}
				if (!parsed.ok) {
					throw new FanslyError(
						`Unexpected response from ${name} for ${request.subject}: the body is not JSON ("${snippet(parsed.text, this.secrets, 120)}")`,
						{
							kind: 'shape',
							httpCode: raw.statusCode,
							description:
								'The provider answered HTTP 2xx with something other than JSON (for example an HTML page from a proxy, or a cut-off body). Nothing in it was used.',
						},
					);
				}
				if (applied) response.mayHaveBeenApplied = true;
				return response;
			}
			if (raw.statusCode >= 300 && raw.statusCode < 400) {
				// Never followed, never retried: a redirect would carry the key to another host.
				throw redirectError(this.provider, this.baseUrl, request, response, attempt, this.secrets);
			}

			const status = response.statusCode;
			// A Retry-After date is wall-clock time: compared with Date.now, not the monotonic clock.
			const hint = status === 429 || status === 503 ? hintedWait(headers, Date.now()) : undefined;
			if (status === 429 || status >= 500) this.congestion?.onCongested();
			// The whole hint holds the key, even when it is longer than this execution waits: the
			// provider refuses every request with the key until then.
			if (status === 429 && hint !== undefined) this.limiter.pause(hint);
			if (retry.enabled && isRetryableStatus(status, request.idempotent)) {
				if (hint !== undefined && hint > retry.maxWait) {
					throw httpError(this.provider, request, response, attempt, this.secrets, {
						reason: `${name} asked to wait ${Math.ceil(hint / 1000)} s before retrying, ${beyondMaxWait(retry.maxWait, this.caller)}`,
						caller: this.caller,
						mayHaveBeenApplied: applied,
					});
				}
				if (attempt < maxAttempts) {
					applied ||= mayHaveBeenApplied({ status });
					await this.wait(hint ?? backoff(attempt - 1, retry, this.random), request, attempt);
					continue;
				}
			}
			throw httpError(this.provider, request, response, attempt, this.secrets, {
				caller: this.caller,
				mayHaveBeenApplied: applied || mayHaveBeenApplied({ status }),
			});
		}
	}

	/**
	 * One request and its answer. The request is aborted when the execution is cancelled or when
	 * its Timeout passes, whether the answer's headers or its body are late: axios' own
	 * `timeout` only watches for an idle socket, so a body that trickles in would outlast it.
	 * The body is read as a stream, and only as far as needed: all of a successful answer (up
	 * to a generous limit), the start of any other.
	 */
	private async exchange(
		request: ProviderRequest,
	): Promise<
		| { kind: 'answer'; answer: Answer }
		| { kind: 'network'; code: string }
		| { kind: 'failed'; message: string }
	> {
		const deadline = AbortSignal.timeout(this.settings.timeout);
		const signal = this.signal ? AbortSignal.any([this.signal, deadline]) : deadline;
		const options = this.options(request);
		options.abortSignal = signal;
		// n8n-core replaces a request's abortSignal with the execution's cancel signal, read
		// from the context it is called on: hand it a context whose cancel signal also ends at
		// this request's deadline.
		const ctx = Object.create(this.ctx, {
			getExecutionCancelSignal: { value: () => signal },
		}) as Context;
		try {
			// n8n would otherwise fetch and decrypt the credential again for every request.
			const raw = (await this.ctx.helpers.httpRequestWithAuthentication.call(
				ctx,
				this.provider.credentialType,
				options,
				this.credentialOptions,
			)) as RawResponse;
			const success = raw.statusCode >= 200 && raw.statusCode < 300;
			// An error body is read a little past what is kept, so that a key it echoes across
			// the cut is still found whole (see Secrets.head).
			const limit = success ? SUCCESS_BODY_LIMIT : ERROR_BODY_LIMIT + this.secrets.longestForm;
			const body = await readBody(raw.body, limit);
			return { kind: 'answer', answer: { statusCode: raw.statusCode, headers: raw.headers, ...body } };
		} catch (failure) {
			if (deadline.aborted) return { kind: 'network', code: 'ETIMEDOUT' };
			const code = networkCode(failure);
			if (code !== undefined) return { kind: 'network', code };
			return { kind: 'failed', message: this.secrets.text(failure instanceof Error ? failure.message : String(failure)) };
		}
	}

	/** After Stop or the workflow time-out nothing more is sent, and nothing waits. */
	private throwIfCancelled(request: ProviderRequest, attempts: number): void {
		if (!this.signal?.aborted) return;
		throw new FanslyError(
			`The execution was cancelled: the request for ${request.subject} was ${attempts > 0 ? 'abandoned' : 'not sent'}`,
			{ kind: 'cancelled', attempts },
		);
	}

	private options(request: ProviderRequest): IHttpRequestOptions {
		const options: IHttpRequestOptions = {
			method: request.method,
			url: `${this.baseUrl}${request.path}`,
			json: true,
			// Read by readBody(), which stops where the node stops needing more.
			encoding: 'stream',
			returnFullResponse: true,
			ignoreHttpStatusErrors: true,
			// Connection and idle-socket time-out; the whole exchange is bounded in exchange().
			timeout: this.settings.timeout,
			disableFollowRedirect: true,
		};
		if (request.body !== undefined) options.body = request.body;
		if (request.qs !== undefined && Object.keys(request.qs).length) options.qs = request.qs;
		return options;
	}

	/** A backoff or hinted wait, which ends at once when the execution is cancelled. */
	private async wait(ms: number, request: ProviderRequest, attempts: number): Promise<void> {
		if (ms <= 0) return;
		// A sleep ends early only when the execution is cancelled.
		await this.clock.sleep(ms, this.signal).catch(() => undefined);
		this.throwIfCancelled(request, attempts);
	}

}

/** What in a credential must never travel into a message: its API key. */
function credentialSecrets(credentials: ICredentialDataDecryptedObject): Secrets {
	return Secrets.for([credentials.apiKey]);
}

/**
 * What scrubs the credential's key from an error raised before the transport exists (a value
 * the node rejects may quote what was typed or mapped, and that may be the key); undefined when
 * the credential cannot be read.
 */
export async function readSecrets(ctx: Context, provider: TrackingLinkProvider): Promise<Secrets | undefined> {
	try {
		return credentialSecrets(await ctx.getCredentials(provider.credentialType));
	} catch {
		return undefined;
	}
}

/**
 * Reads the credential once per execution and builds its transport. Its waits and requests
 * end when the execution is cancelled (Stop, the workflow time-out). n8n gives a list search
 * (a picker) no such signal: its waits are kept short instead (methods/listSearch.ts).
 */
export async function createTransport(
	ctx: Context,
	provider: TrackingLinkProvider,
	settings: TransportSettings,
	congestion?: CongestionListener,
): Promise<Transport> {
	const credentials = await ctx.getCredentials(provider.credentialType);
	const signal = 'getExecutionCancelSignal' in ctx ? ctx.getExecutionCancelSignal() : undefined;
	return new Transport(ctx, provider, { credentials, settings, congestion, signal });
}
