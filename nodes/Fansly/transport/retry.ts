/**
 * Which failures are retried, and how long to wait. This is the one place these rules live.
 *
 * Retried: HTTP 429, 500, 502, 503, 504, and network failures (connection reset or refused,
 * time-out). Never retried: every other status (400, 401, 402, 403, 404, 422, ...).
 *
 * Idempotency: an update (PUT) or delete is safe to send again. A create (POST) is not: after a
 * time-out, a reset connection, or a 500/502/504, the provider may already have created the
 * link, and a second POST would create a second one. A non-idempotent request is therefore
 * retried only when the provider cannot have acted on it: 429 and 503 (refused before any
 * work) and a refused connection (never reached it).
 */

export interface RetrySettings {
	enabled: boolean;
	/** Retries after the first attempt. */
	maxRetries: number;
	/** Base of the exponential backoff, in milliseconds. */
	baseDelay: number;
	/** The longest single wait, in milliseconds; a longer hint fails the request instead. */
	maxWait: number;
}

const RETRY_STATUSES = new Set([429, 500, 502, 503, 504]);
/** Statuses that say the provider did nothing with the request. */
const NOT_PROCESSED_STATUSES = new Set([429, 503]);

/** The request never reached the provider. */
const NOT_SENT_CODES = new Set(['ECONNREFUSED', 'EAI_AGAIN', 'EHOSTUNREACH', 'ENETUNREACH']);
/** The request may have reached the provider, with no answer. */
const AMBIGUOUS_CODES = new Set([
	'ECONNRESET',
	'EPIPE',
	'ETIMEDOUT',
	'ECONNABORTED',
	'ESOCKETTIMEDOUT',
	'ERR_SOCKET_CONNECTION_TIMEOUT',
	'UND_ERR_SOCKET',
	'ERR_BAD_RESPONSE',
]);

export function isRetryableStatus(status: number, idempotent: boolean): boolean {
	return idempotent ? RETRY_STATUSES.has(status) : NOT_PROCESSED_STATUSES.has(status);
}

export function isRetryableNetworkCode(code: string, idempotent: boolean): boolean {
	if (NOT_SENT_CODES.has(code)) return true;
	return idempotent && AMBIGUOUS_CODES.has(code);
}

export function isKnownNetworkCode(code: string): boolean {
	return NOT_SENT_CODES.has(code) || AMBIGUOUS_CODES.has(code);
}

/**
 * The wait the provider asks for, in milliseconds: `X-RateLimit-Retry-After` (API Fansly,
 * seconds) first, then the standard `Retry-After` (seconds or an HTTP date). A negative or
 * unreadable value is no hint: the caller backs off as usual.
 */
export function hintedWait(
	headers: Record<string, string | undefined>,
	now: number,
): number | undefined {
	for (const name of ['x-ratelimit-retry-after', 'retry-after']) {
		const value = headers[name]?.trim();
		if (!value) continue;
		if (/^\d+(\.\d+)?$/.test(value)) return Math.ceil(Number(value) * 1000);
		// An HTTP date names its day and month; anything else ("-1", "soon") is no hint, and
		// Date.parse would read "-1" as the year 1 BC, a date long past: a retry at once.
		if (!/[a-z]/i.test(value)) continue;
		const date = Date.parse(value);
		if (!Number.isNaN(date)) return Math.max(0, date - now);
	}
	return undefined;
}

/** Exponential backoff with full jitter: a random wait in [0, min(maxWait, base * 2^retry)]. */
export function backoff(retry: number, settings: RetrySettings, random: () => number): number {
	const ceiling = Math.min(settings.maxWait, settings.baseDelay * 2 ** retry);
	return Math.floor(random() * ceiling);
}
