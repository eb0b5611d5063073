import type { IDataObject } from 'n8n-workflow';

import type { FailureDetails } from '../helpers/errors';
import { FanslyError, missingIn } from '../helpers/errors';
import type { ProviderRequest, ProviderResponse, TrackingLinkProvider } from '../providers/types';
import { snippet } from './body';
import { isKnownNetworkCode } from './retry';
import type { Secrets } from './secrets';

/*
 * What went wrong, read from n8n's HTTP helper and put in words for the user: the errors the
 * transport throws after a provider's answer (HTTP status, redirect) or its absence (network).
 * They never hold request options, headers or the key.
 */

/** An answer's headers by lower-case name, scrubbed of secrets: a `Location` may echo the key. */
export function lowerCaseHeaders(headers: unknown, secrets: Secrets): Record<string, string | undefined> {
	const out: Record<string, string | undefined> = {};
	if (headers === null || typeof headers !== 'object') return out;
	for (const [key, value] of Object.entries(headers as IDataObject)) {
		const text = Array.isArray(value) ? value.join(', ') : value == null ? undefined : String(value);
		out[key.toLowerCase()] = text === undefined ? undefined : secrets.text(text);
	}
	return out;
}

/**
 * The network failure in an error thrown by n8n's HTTP helper (wrapped axios errors), as a code
 * the retry rules know; `undefined` when the error is not a known network failure.
 */
export function networkCode(error: unknown): string | undefined {
	let current: unknown = error;
	for (let depth = 0; depth < 5 && current !== null && typeof current === 'object'; depth++) {
		const { code, message, httpCode, messages } = current as {
			code?: unknown;
			message?: unknown;
			httpCode?: unknown;
			messages?: unknown;
		};
		if (typeof code === 'string' && isKnownNetworkCode(code)) return code;
		// n8n-workflow 1.x's NodeApiError loses its `cause` (the axios error): the code survives
		// as `httpCode`, the axios message in `messages`.
		if (typeof httpCode === 'string' && isKnownNetworkCode(httpCode)) return httpCode;
		for (const text of [message, ...(Array.isArray(messages) ? messages : [])]) {
			if (typeof text !== 'string') continue;
			if (/timeout of \d+ms exceeded/.test(text)) return 'ETIMEDOUT';
			// axios' ERR_BAD_RESPONSE when the body stream is cut (time-out while reading it).
			if (text === 'stream has been aborted') return 'ERR_BAD_RESPONSE';
		}
		current = (current as { cause?: unknown }).cause;
	}
	return undefined;
}

export function httpError(
	provider: TrackingLinkProvider,
	request: ProviderRequest,
	response: ProviderResponse,
	attempts: number,
	secrets: Secrets,
	{ reason, caller = 'run', mayHaveBeenApplied = false }: { reason?: string; caller?: Caller; mayHaveBeenApplied?: boolean } = {},
): FanslyError {
	const status = response.statusCode;
	const name = provider.displayName;
	const ownWords = provider.errorMessage(response.body);
	// A provider's message is kept short: it is copied into every failed item.
	const providerMessage = ownWords === undefined ? undefined : snippet(ownWords, secrets);
	const said = providerMessage ? `: ${providerMessage}` : '';
	let message: string;
	let description: string | undefined;
	let missing: FailureDetails['missing'];
	switch (status) {
		case 401:
			message = `${name} rejected the API key (HTTP 401)${said}`;
			description = `Check the API key in the ${name} credential.`;
			break;
		case 402:
			message = `${name} credits are used up (HTTP 402)${said}`;
			description = `Top up the ${name} account, then run the workflow again.`;
			break;
		case 403:
			message = `${name} refused access to ${request.subject} (HTTP 403)${said}`;
			description = 'The API key may not have access to this account.';
			break;
		case 404:
			missing = missingIn(providerMessage);
			if (request.accountId !== undefined && missing === 'account') {
				message = `Not found: account "${request.accountId}" (HTTP 404)${said}`;
				description = `Check the Account: ${name} does not know this account, or it is not connected to this API key.`;
			} else {
				message = `Not found: ${request.subject} (HTTP 404)${said}`;
				// A request that names no account (the list of accounts) was sent to the wrong address.
				description =
					request.accountId === undefined
						? `Check the Base URL of the ${name} credential: the list of accounts is not at that address.`
						: `Check the IDs: ${name} does not know this account or tracking link.`;
			}
			break;
		case 429:
			message = `${name} rate limit reached for ${request.subject} (HTTP 429)${said}`;
			description = `${caller === 'run' ? '' : 'Other requests with this API key use its rate limit now. '}${rateLimitAdvice(caller)}`;
			break;
		default:
			message = `${name} returned HTTP ${status} for ${request.subject}${said}`;
	}
	if (reason) message = `${reason} (HTTP ${status})`;
	if (attempts > 1) message = `${message} (gave up after ${attempts} attempts)`;
	return new FanslyError(message, {
		kind: 'http',
		httpCode: status,
		providerMessage,
		description,
		attempts,
		...(missing ? { missing } : {}),
		...(mayHaveBeenApplied ? { mayHaveBeenApplied } : {}),
	});
}

/**
 * Who waits for a transport's requests: a run of the Fansly node (its options apply), a person
 * in the editor (a picker, which reads no option), a poll of the Fansly Trigger (which has
 * no such options either), or a person waiting for the trigger's Fetch Test Event. Its errors
 * say what that one can change.
 */
export type Caller = 'run' | 'editor' | 'trigger' | 'testEvent';

/** The end of a message about a wait hint longer than the caller may wait. */
export function beyondMaxWait(maxWait: number, caller: Caller = 'run'): string {
	const seconds = Math.ceil(maxWait / 1000);
	if (caller === 'editor') return `more than a list in the editor waits (${seconds} s)`;
	if (caller === 'trigger') return `more than a poll of the Fansly Trigger waits (${seconds} s)`;
	if (caller === 'testEvent') return `more than Fetch Test Event waits (${seconds} s)`;
	return `more than the maximum wait of ${seconds} s (option "Max Retry Wait")`;
}

/**
 * What to change after the provider's rate limit, as the caller can; `paused`: the key was paused
 * for longer than the caller waits (a run can raise its Max Retry Wait).
 */
function rateLimitAdvice(caller: Caller, paused = false): string {
	if (caller === 'editor') return 'Open the list again in a moment.';
	if (caller === 'trigger') return 'The next poll reads again; lower "Requests Per Minute" in the workflows that use this key, or poll less often.';
	if (caller === 'testEvent') return 'Fetch a test event again once that wait is over.';
	return paused
		? 'Raise "Max Retry Wait", lower "Requests Per Minute", or spread the items over time.'
		: 'Lower the option "Requests Per Minute", or spread the items over time.';
}

/**
 * A request not sent because a 429 met by another request on the same key (in this execution or
 * another) paused the key for longer than this execution's Max Retry Wait: the same failure as
 * that 429 would have been had this request met it.
 */
export function pausedError(
	provider: TrackingLinkProvider,
	waitMs: number,
	maxWait: number,
	attempts: number,
	caller: Caller = 'run',
	mayHaveBeenApplied = false,
): FanslyError {
	let message = `${provider.displayName} asked to wait ${Math.ceil(waitMs / 1000)} s before the next request with this API key, ${beyondMaxWait(maxWait, caller)} (HTTP 429)`;
	if (attempts > 1) message = `${message} (gave up after ${attempts} attempts)`;
	return new FanslyError(message, {
		kind: 'http',
		httpCode: 429,
		description: `Another request with this API key met the provider’s rate limit, and every request with the key waits as long as the provider asked. ${rateLimitAdvice(caller, true)}`,
		attempts,
		// An earlier attempt (a 500, a time-out) may have been carried out: this refusal does not undo it.
		...(mayHaveBeenApplied ? { mayHaveBeenApplied } : {}),
	});
}

/**
 * A request a person waits for (Fetch Test Event) not sent because the key's rate limit frees
 * no request for longer than that person waits: the key's Requests Per Minute are used up by
 * other requests, or the provider reported none left this minute.
 */
export function noSlotError(provider: TrackingLinkProvider, waitMs: number, maxWait: number, attempts: number, caller: Caller): FanslyError {
	let message = `${provider.displayName}: the rate limit of this API key frees its next request in ${Math.ceil(waitMs / 1000)} s, ${beyondMaxWait(maxWait, caller)}`;
	if (attempts > 1) message = `${message} (gave up after ${attempts} attempts)`;
	return new FanslyError(message, {
		kind: 'http',
		httpCode: 429,
		description: `Other requests with this API key use its rate limit now, or the provider reported none left this minute. ${rateLimitAdvice(caller)}`,
		attempts,
	});
}

export function redirectError(
	provider: TrackingLinkProvider,
	baseUrl: string,
	request: ProviderRequest,
	response: ProviderResponse,
	attempts: number,
	secrets: Secrets,
): FanslyError {
	const status = response.statusCode;
	const location = response.headers.location;
	let target: string | undefined;
	if (location) {
		try {
			target = secrets.text(new URL(location, `${baseUrl}${request.path}`).host) || undefined;
		} catch {
			// Quoted as written (the key it may hold scrubbed), since it names no host.
			target = snippet(location, secrets, 80);
		}
	}
	return new FanslyError(
		`${provider.displayName} answered ${status} → ${target ?? 'another address'} for ${request.subject}; redirects are not followed: check the Base URL`,
		{
			kind: 'http',
			httpCode: status,
			attempts,
			description: `The node never follows a redirect, so the API key is never sent to another host. Set the credential's Base URL to the provider's address${target ? ` (${target} if you trust it)` : ''}.`,
		},
	);
}

export function networkError(
	provider: TrackingLinkProvider,
	request: ProviderRequest,
	code: string,
	attempts: number,
	maxAttempts: number,
	timeoutMs: number,
	mayHaveBeenApplied: boolean,
): FanslyError {
	const timedOut = code === 'ETIMEDOUT' || code === 'ECONNABORTED' || code === 'ESOCKETTIMEDOUT';
	const what = timedOut ? `no answer within ${timeoutMs} ms` : `network error ${code}`;
	const stoppedEarly = attempts < maxAttempts && !request.idempotent;
	return new FanslyError(
		`${provider.displayName} request for ${request.subject} failed after ${attempts} attempt${attempts > 1 ? 's' : ''}: ${what}`,
		{
			kind: 'network',
			attempts,
			...(mayHaveBeenApplied ? { mayHaveBeenApplied } : {}),
			description: stoppedEarly
				? 'Not retried: the request may have reached the provider, and sending it again could create a duplicate. Check the account before running this item again.'
				: undefined,
		},
	);
}

