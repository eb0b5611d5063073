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

/**
 * Whether a failed attempt may still have been carried out by the provider: an answer of 500,
 * 502 or 504, or a connection reset or timed out after the request was sent.
 */
export function mayHaveBeenApplied(failure: { status: number } | { code: string }): boolean {
	return 'status' in failure
		? RETRY_STATUSES.has(failure.status) && !NOT_PROCESSED_STATUSES.has(failure.status)
		: AMBIGUOUS_CODES.has(failure.code);
}

export function isKnownNetworkCode(code: string): boolean {
	return NOT_SENT_CODES.has(code) || AMBIGUOUS_CODES.has(code);
}

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
const MONTH = `(${MONTHS.join('|')})`;
const DAY_NAME = '(?:Mon|Tue|Wed|Thu|Fri|Sat|Sun)';
const TIME_OF_DAY = '(\\d{2}):(\\d{2}):(\\d{2})';

/**
 * The three forms of an HTTP date (RFC 9110, 5.6.7), each captured as day, month, year, hour,
 * minute, second: IMF-fixdate (`Sun, 06 Nov 1994 08:49:37 GMT`), the obsolete RFC 850 form
 * (`Sunday, 06-Nov-94 08:49:37 GMT`) and asctime's (`Sun Nov  6 08:49:37 1994`, in UTC).
 */
const IMF_FIXDATE = new RegExp(`^${DAY_NAME}, (\\d{2}) ${MONTH} (\\d{4}) ${TIME_OF_DAY} GMT$`);
const RFC_850_DATE = new RegExp(`^(?:Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday), (\\d{2})-${MONTH}-(\\d{2}) ${TIME_OF_DAY} GMT$`);
const ASCTIME_DATE = new RegExp(`^${DAY_NAME} ${MONTH} ( \\d|\\d{2}) ${TIME_OF_DAY} (\\d{4})$`);

/**
 * An HTTP date in epoch milliseconds; undefined for any other text. Date.parse is no judge:
 * V8 reads almost any text with a number in it as some date ("wait 5" as 1 May 2001, "x 99999"
 * as the year 99999), and asctime's form as local time.
 */
export function httpDate(text: string, now: number): number | undefined {
	let parts: { day: string; month: string; year: number; time: string[] } | undefined;
	let match = IMF_FIXDATE.exec(text);
	if (match) {
		parts = { day: match[1], month: match[2], year: Number(match[3]), time: match.slice(4, 7) };
	} else if ((match = RFC_850_DATE.exec(text))) {
		// The year within 50 of this one: one more than 50 years ahead is the latest past year
		// ending in those digits (RFC 9110).
		const thisYear = new Date(now).getUTCFullYear();
		let year = thisYear - (thisYear % 100) + Number(match[3]);
		if (year > thisYear + 50) year -= 100;
		else if (year + 100 <= thisYear + 50) year += 100;
		parts = { day: match[1], month: match[2], year, time: match.slice(4, 7) };
	} else if ((match = ASCTIME_DATE.exec(text))) {
		parts = { day: match[2], month: match[1], year: Number(match[6]), time: match.slice(3, 6) };
	}
	if (parts === undefined) return undefined;
	const day = Number(parts.day);
	const month = MONTHS.indexOf(parts.month);
	const [hour, minute, second] = parts.time.map(Number);
	if (hour > 23 || minute > 59 || second > 60) return undefined;
	// A leap second (:60) is read as the second before it, which is in the same day.
	const date = new Date(Date.UTC(parts.year, month, day, hour, minute, Math.min(second, 59)));
	// Date.UTC rolls 31 Feb over into March: a day its month does not have is no date.
	if (date.getUTCMonth() !== month || date.getUTCDate() !== day) return undefined;
	return date.getTime();
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
		// RFC 9110's delta-seconds are whole; API Fansly's may have a fraction ("0.15").
		if (/^\d+(\.\d+)?$/.test(value)) return Math.ceil(Number(value) * 1000);
		const date = httpDate(value, now);
		if (date !== undefined) return Math.max(0, date - now);
	}
	return undefined;
}

/** Exponential backoff with full jitter: a random wait in [0, min(maxWait, base * 2^retry)]. */
export function backoff(retry: number, settings: RetrySettings, random: () => number): number {
	const ceiling = Math.min(settings.maxWait, settings.baseDelay * 2 ** retry);
	return Math.floor(random() * ceiling);
}
