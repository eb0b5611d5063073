import { z } from 'zod';

import { FanslyError } from './errors';
import type { DailyStats, NormalisedTrackingLink, ProviderId } from '../providers/types';

/** The counters of a normalised link. */
export const COUNTER_FIELDS = ['clicks', 'claims', 'follows', 'subscriptions', 'totalNet', 'totalGross'] as const;

/**
 * One link from two listings of it in one read (an answer that lists it twice, or two pages):
 * the later listing, each counter at the higher of the two. Counters only grow, so the lower
 * one is the older count; a stale copy listed last would otherwise hide the growth, and two
 * copies in alternating order would report the same growth again and again.
 */
export function mergeListings(earlier: NormalisedTrackingLink, later: NormalisedTrackingLink): NormalisedTrackingLink {
	const merged = { ...later };
	for (const field of COUNTER_FIELDS) {
		const a = earlier[field];
		const b = later[field];
		merged[field] = a === null ? b : b === null ? a : Math.max(a, b);
	}
	return merged;
}

/** Ids arrive as strings; numbers are accepted when they are exact. */
export const idSchema = z.union([
	z.string().trim().min(1),
	z
		.number()
		.int()
		.refine((n) => Number.isSafeInteger(n), 'is a number too large to be exact')
		.transform(String),
]);

/** The first of the values that is text with more than spaces in it, as it came; null when none is. */
export function firstText(...values: Array<string | null | undefined>): string | null {
	return values.find((v): v is string => typeof v === 'string' && v.trim() !== '') ?? null;
}

const nullableText = z
	.union([z.string(), z.null()])
	.optional()
	.transform((v) => v ?? null);

const NUMERIC = /^-?\d+(\.\d+)?$/;

/** A number, a numeric string or null; returns a number or null. */
const nullableNumber = z
	.union([z.number(), z.string(), z.null()])
	.optional()
	.transform((v, ctx) => {
		if (v === undefined || v === null) return null;
		const text = typeof v === 'number' ? String(v) : v.trim();
		if (text === '') return null;
		const number = typeof v === 'number' ? v : NUMERIC.test(text) ? Number(text) : Number.NaN;
		if (Number.isNaN(number)) {
			ctx.addIssue({ code: z.ZodIssueCode.custom, message: `is not a number ("${clip(text)}")` });
			return z.NEVER;
		}
		// JSON's 1e309 or a numeral of 400 digits reads as Infinity: no count or amount is that, and
		// the trigger could not keep it in its saved state.
		if (!Number.isFinite(number)) {
			ctx.addIssue({ code: z.ZodIssueCode.custom, message: `is too large a number ("${clip(text)}")` });
			return z.NEVER;
		}
		return number;
	});

/**
 * A date written as text: ISO 8601, a date or a date and time with or without an offset (without
 * one it is UTC, as the providers' times are, never the n8n host's zone). `Date.parse` alone
 * reads almost any text as some date ("foo 1" as 1 January 2001).
 */
const ISO_DATE = /^\d{4}-\d{2}-\d{2}(?:[T ]\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(Z|[+-]\d{2}:?\d{2})?)?$/i;

function parseDateText(text: string): number {
	const iso = ISO_DATE.exec(text);
	if (iso === null) return Number.NaN;
	const dateTime = text.replace(' ', 'T');
	return Date.parse(iso[1] === undefined && text.length > 10 ? `${dateTime}Z` : dateTime);
}

/** The last millisecond of the year 9999: a timestamp beyond it is in another unit (µs, ns). */
const LAST_DATE_MS = Date.UTC(9999, 11, 31, 23, 59, 59, 999);

/** Epoch milliseconds (number or numeric string; seconds when the value is too small) or an ISO date. */
const timestamp = z
	.union([z.number(), z.string(), z.null()])
	.optional()
	.transform((v, ctx) => {
		if (v === undefined || v === null || v === '') return null;
		let ms: number;
		if (typeof v === 'number' || NUMERIC.test(v.trim())) {
			ms = Number(v);
			if (Math.abs(ms) < 1e11) ms *= 1000;
		} else {
			ms = parseDateText(v.trim());
		}
		if (!Number.isFinite(ms) || Math.abs(ms) > LAST_DATE_MS) {
			ctx.addIssue({ code: z.ZodIssueCode.custom, message: `is not a date ("${clip(String(v))}")` });
			return z.NEVER;
		}
		return new Date(ms).toISOString();
	});

/** The parsed object when the string is JSON of an object or array, otherwise the string. */
const metadata = z
	.unknown()
	.optional()
	.transform((v) => {
		if (v === undefined || v === null) return null;
		if (typeof v !== 'string') return v;
		try {
			const parsed: unknown = JSON.parse(v);
			return typeof parsed === 'object' && parsed !== null ? parsed : v;
		} catch {
			return v;
		}
	});

/** Fansly's id of the account, when the provider sends one: `null` or blank is none. */
const optionalId = z
	.union([z.null(), z.string().trim().max(0), idSchema])
	.optional()
	.transform((v) => v || null);

export const rawTrackingLinkSchema = z.object({
	id: idSchema,
	accountId: optionalId,
	label: nullableText,
	description: nullableText,
	type: nullableNumber,
	status: nullableNumber,
	metadata,
	createdAt: timestamp,
	clicks: nullableNumber,
	claims: nullableNumber,
	follows: nullableNumber,
	subscriptions: nullableNumber,
	totalNet: nullableNumber,
	totalGross: nullableNumber,
});

function clip(text: string): string {
	return text.length > 40 ? `${text.slice(0, 40)}…` : text;
}

/**
 * Of the shapes a value may take, the one it came closest to, when it says more than "an
 * unexpected type": the value had that shape's outer form and a field inside it failed (an
 * account list with one id too large), or had its type and failed a check (a number id too
 * large to be exact).
 */
function closestBranch(issue: z.ZodInvalidUnionIssue): z.ZodError | undefined {
	let best: z.ZodError | undefined;
	let bestScore = 0;
	for (const branch of issue.unionErrors) {
		const deeper = Math.max(...branch.issues.map((i) => i.path.length)) - issue.path.length;
		const typed = branch.issues.every((i) => i.code !== z.ZodIssueCode.invalid_type || i.path.length > issue.path.length);
		const score = deeper * 2 + (typed ? 1 : 0);
		if (score > bestScore) {
			best = branch;
			bestScore = score;
		}
	}
	return best;
}

/** Describes zod issues as `data.id is missing; data.clicks is not a number ("x")`. */
export function describeIssues(error: z.ZodError, at: string): string {
	return error.issues
		.slice(0, 5)
		.map((issue) => {
			const inner = [at, ...issue.path.map(String)].filter(Boolean).join('.');
			const path = inner || 'the response body';
			if (issue.code === z.ZodIssueCode.invalid_type && issue.received === 'undefined') {
				return inner ? `${path} is missing` : 'the response body is empty';
			}
			if (issue.code === z.ZodIssueCode.invalid_type) {
				return `${path} should be ${issue.expected}, got ${issue.received}`;
			}
			if (issue.code === z.ZodIssueCode.invalid_union) {
				const branch = closestBranch(issue);
				return branch === undefined ? `${path} has an unexpected type` : describeIssues(branch, at);
			}
			return `${path} ${issue.message}`;
		})
		.join('; ');
}

export function shapeError(providerName: string, what: string, detail: string): FanslyError {
	return new FanslyError(`Unexpected response from ${providerName} for ${what}: ${detail}`, {
		kind: 'shape',
		httpCode: 200,
		description:
			'The provider answered successfully but not in the documented shape. The provider may have changed its API; nothing in the response was used.',
	});
}

/** Parses with a schema, turning a failure into a clear shape error. */
export function parseShape<T extends z.ZodTypeAny>(
	schema: T,
	value: unknown,
	at: string,
	providerName: string,
	what: string,
): z.output<T> {
	const result = schema.safeParse(value);
	if (!result.success) throw shapeError(providerName, what, describeIssues(result.error, at));
	return result.data as z.output<T>;
}

/**
 * `accountId` is the account the node was given (what the provider's paths take), so a
 * Get Many → Update chain can map `{{ $json.accountId }}` as it is; Fansly's own account id,
 * which the providers put in the link, travels as `fanslyAccountId`.
 */
export function toNormalisedLink(
	raw: z.output<typeof rawTrackingLinkSchema>,
	provider: ProviderId,
	accountId: string,
): NormalisedTrackingLink {
	return {
		id: raw.id,
		accountId,
		fanslyAccountId: raw.accountId ?? null,
		label: raw.label,
		description: raw.description,
		type: raw.type,
		status: raw.status,
		metadata: raw.metadata,
		createdAt: raw.createdAt,
		clicks: raw.clicks,
		claims: raw.claims,
		follows: raw.follows,
		subscriptions: raw.subscriptions,
		totalNet: raw.totalNet,
		totalGross: raw.totalGross,
		provider,
	};
}

export const rawDailyCountsSchema = z.object({
	/** The link the row is about, when the row says (text, or a number: exact only up to 2^53). */
	trackingLinkId: z.union([z.string(), z.number(), z.null()]).optional(),
	timestamp: timestamp,
	date: z.union([z.string(), z.number(), z.null()]).optional(),
	year: z.union([z.number(), z.string(), z.null()]).optional(),
	month: z.union([z.number(), z.string(), z.null()]).optional(),
	clicks: nullableNumber,
	claims: nullableNumber,
	follows: nullableNumber,
	subscriptions: nullableNumber,
	totalGross: nullableNumber,
	totalNet: nullableNumber,
});

/** The number of days in a month (1 to 12) of a year, by the calendar (Date.UTC would read years 0 to 99 as 1900 and later). */
function daysIn(year: number, month: number): number {
	const last = new Date(0);
	last.setUTCFullYear(year, month, 0);
	return last.getUTCDate();
}

/**
 * The UTC day (YYYY-MM-DD) a stats row is about: its year, month and date when it gives all
 * three (a blank one counts as not given) or a date written YYYY-MM-DD, otherwise its
 * timestamp's day; `{ problem }` in words when it gives neither, or a day no calendar has.
 */
export function dayOf(row: z.output<typeof rawDailyCountsSchema>): { day: string } | { problem: string } {
	// `date` may also be the whole day, as ISO 8601 writes it (2026-01-05).
	const isoDay = typeof row.date === 'string' ? /^(\d{4})-(\d{2})-(\d{2})$/.exec(row.date.trim()) : null;
	const parts = isoDay ? isoDay.slice(1) : [row.year, row.month, row.date].map((part) => (typeof part === 'string' ? part.trim() : part));
	// A part that is absent, null or blank says nothing: the row's timestamp tells the day then.
	if (parts.every((part) => part !== undefined && part !== null && part !== '')) {
		const [y, m, d] = parts.map(Number);
		if (!Number.isInteger(y) || !Number.isInteger(m) || !Number.isInteger(d) || y < 1 || y > 9999 || m < 1 || m > 12 || d < 1 || d > daysIn(y, m)) {
			return { problem: `a row's year, month and date (${parts.map((part) => clip(String(part))).join(', ')}) are no day of the calendar` };
		}
		return { day: `${String(y).padStart(4, '0')}-${String(m).padStart(2, '0')}-${String(d).padStart(2, '0')}` };
	}
	return row.timestamp ? { day: row.timestamp.slice(0, 10) } : { problem: 'a row has neither a date nor a timestamp' };
}

export function emptyDay(
	date: string,
	trackingLinkId: string,
	accountId: string,
	provider: ProviderId,
): DailyStats {
	return {
		date,
		trackingLinkId,
		accountId,
		clicks: null,
		claims: null,
		follows: null,
		subscriptions: null,
		totalGross: null,
		totalNet: null,
		provider,
	};
}
