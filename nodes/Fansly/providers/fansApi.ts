import type { IDataObject } from 'n8n-workflow';
import { z } from 'zod';

import { FanslyError } from '../helpers/errors';
import { segment } from '../helpers/input';
import { pageSign } from './fansApiPages';
import {
	dayOf,
	emptyDay,
	firstText,
	idSchema,
	mergeListings,
	parseShape,
	rawDailyCountsSchema,
	rawTrackingLinkSchema,
	shapeError,
	toNormalisedLink,
} from '../helpers/normalise';
import type {
	Capability,
	ConnectedAccount,
	DailyStats,
	NormalisedTrackingLink,
	ProviderClient,
	ProviderRequest,
	ProviderResponse,
	RateLimitReport,
	StatsRange,
	TrackingLinkProvider,
} from './types';
import { headerNumber, saysFalse, saysSomething } from './signs';

const NAME = 'Fans API';

/** The most pages one list is read in, so an answer that always names a next page ends. */
const MAX_PAGES = 100;

/** Fans API (formerly OnlyFansAPI). Envelope `{data, _meta: {_credits, _rate_limits}}`. */
const envelopeSchema = z.object({ data: z.unknown() }).passthrough();

const rateLimitsSchema = z
	.object({
		_meta: z
			.object({
				_rate_limits: z
					.object({
						limit_minute: z.number().nullish(),
						remaining_minute: z.number().nullish(),
					})
					.passthrough()
					.nullish(),
			})
			.passthrough()
			.nullish(),
	})
	.passthrough();

const accountSchema = z
	.object({
		id: idSchema,
		display_name: z.string().nullish(),
		fansly_username: z.string().nullish(),
		name: z.string().nullish(),
		username: z.string().nullish(),
	})
	.passthrough();

const accountsSchema = z.union([
	z.array(accountSchema),
	z.object({ data: z.array(accountSchema) }).passthrough(),
]);

function linksPath(accountId: string): string {
	return `/api/fansly/${segment(accountId)}/tracking-links`;
}

function linkPath(accountId: string, trackingLinkId: string): string {
	return `${linksPath(accountId)}/${segment(trackingLinkId)}`;
}

function readLink(body: unknown, accountId: string, what: string): NormalisedTrackingLink {
	const envelope = parseShape(envelopeSchema, body, '', NAME, what);
	const raw = parseShape(rawTrackingLinkSchema, envelope.data, 'data', NAME, what);
	return toNormalisedLink(raw, 'fansApi', accountId);
}

/**
 * Whether a row's link id can be the link asked for. A number beyond 2^53 lost its last digits
 * on the way (JSON), and blank text names no link, so neither says it is another link.
 */
function sameId(rowId: string | number, trackingLinkId: string): boolean {
	if (typeof rowId === 'number' && !Number.isSafeInteger(rowId)) return true;
	const id = String(rowId).trim();
	return id === '' || id === trackingLinkId;
}

/**
 * A deletion is answered `{"data": null, "_meta": …}`, or with no body. Anything else (a
 * `success: false`, an error's words, a link in `data`, no `data` at all) is not that answer,
 * so the link is not reported deleted on it.
 */
function confirmDeletion(body: unknown, what: string): void {
	if (body === undefined || body === '') return;
	const envelope = parseShape(envelopeSchema, body, '', NAME, what);
	if (saysFalse(envelope.success) || saysSomething(envelope.error) || saysSomething(envelope.errors)) {
		const said = fansApi.errorMessage({ message: envelope.message ?? envelope.error, errors: envelope.errors });
		throw shapeError(NAME, what, `the answer says the deletion failed${said ? `: ${said}` : ''}`);
	}
	if (!('data' in envelope)) throw shapeError(NAME, what, 'data is missing');
	if (envelope.data !== null) throw shapeError(NAME, what, 'data should be null after a deletion');
}

/**
 * A list answer that says more links exist than the node could read: failing is the only safe
 * answer, as a caller would otherwise take the links on the unread pages for missing.
 */
function partialList(what: string, reason: string): FanslyError {
	return new FanslyError(`Unexpected response from ${NAME} for ${what}: only part of the list came back: ${reason}`, {
		kind: 'shape',
		httpCode: 200,
		description:
			'The list was not used, so no link on a page that could not be read was taken for deleted or missing. The provider may have started paging this list in a way this node does not read.',
	});
}

/**
 * Reads a list of `holding` (accounts, links) whole, page after page while the answer names a
 * next page (fansApiPages.ts), each on the credential's own Base URL. An entry listed twice (in
 * one answer, or on two pages) is one entry: `merge` of its listings, by default the last. A
 * list that pages in circles (a next page already read, a page that brings nothing new, more
 * than MAX_PAGES) fails instead of spending a credit a page.
 */
async function readPages<T>(
	client: ProviderClient,
	request: Omit<ProviderRequest, 'qs'>,
	what: string,
	holding: string,
	read: (body: unknown) => Array<{ id: string; entry: T }>,
	merge: (earlier: T, later: T) => T = (_earlier, later) => later,
): Promise<{ entries: T[]; pages: number }> {
	const byId = new Map<string, T>();
	const asked = new Set<string>();
	let qs: IDataObject | undefined;
	for (let pages = 1; ; pages++) {
		const response = await client.send({ ...request, qs });
		const known = byId.size;
		for (const { id, entry } of read(response.body)) {
			const earlier = byId.get(id);
			byId.set(id, earlier === undefined ? entry : merge(earlier, entry));
		}
		const sign = pageSign(response.body, request.path, client.secrets, holding);
		if (sign.kind === 'last') return { entries: [...byId.values()], pages };
		if (sign.kind === 'unreadable') throw partialList(what, sign.reason);
		const query = JSON.stringify(sign.query);
		if (asked.has(query)) throw partialList(what, `the next page it names (${query}) was already read`);
		if (byId.size === known) throw partialList(what, `page ${pages} brought none that was not already read, and names a next page (${query})`);
		if (pages >= MAX_PAGES) throw partialList(what, `it still names a next page after ${MAX_PAGES} pages`);
		asked.add(query);
		qs = sign.query;
	}
}

/**
 * A statistics row. Revenue rows also say which kind of income they count (`type`: a
 * subscription, a tip), so a day has one revenue row per kind; kept as it came, only compared.
 */
const rawDailyRowSchema = rawDailyCountsSchema.extend({ type: z.unknown() });

type DailyRow = z.output<typeof rawDailyRowSchema>;

/** What tells two rows of one day apart: their time and their numbers. */
const ROW_VALUES = ['timestamp', 'clicks', 'claims', 'follows', 'subscriptions', 'totalGross', 'totalNet'] as const;

const DAY_MS = 86_400_000;

function clipped(text: string): string {
	return text.length > 40 ? `${text.slice(0, 40)}…` : text;
}

function rangeText(range: StatsRange): string {
	return [range.after && `after ${range.after}`, range.before && `before ${range.before}`].filter(Boolean).join(', ');
}

/**
 * Whether a row's day lies wholly outside the range asked for. The provider's days are UTC days
 * (its rows' timestamps are UTC midnights) while After and Before are instants (sent in UTC,
 * from the workflow's time zone), so a day that overlaps the range only in part is one of its
 * edge days, and belongs. The day a row's timestamp starts counts too, so a provider counting
 * days in another time zone loses no edge day either: only a day outside the range by every
 * reading is refused.
 */
function outsideRange(range: StatsRange): (day: string, timestamp: string | null) => boolean {
	const after = range.after === undefined ? Number.NEGATIVE_INFINITY : Date.parse(range.after);
	const before = range.before === undefined ? Number.POSITIVE_INFINITY : Date.parse(range.before);
	const overlaps = (start: number) => start + DAY_MS > after && start <= before;
	return (day, timestamp) => {
		const dayStart = Date.parse(`${day}T00:00:00.000Z`);
		if (overlaps(dayStart)) return false;
		if (timestamp === null) return true;
		// Another time zone's day is at most a day away from the UTC day its timestamp falls in.
		const at = Date.parse(timestamp);
		return !(overlaps(at) && Math.abs(at - dayStart) < 2 * DAY_MS);
	};
}

/**
 * A revenue row's kind of income as a key: `1` and `"1"` are one kind (the provider writes
 * numbers either way), as are absent and `null`.
 */
function kindKey(type: unknown): string {
	if (typeof type === 'number' || typeof type === 'string') return String(type).trim();
	return JSON.stringify(type ?? null);
}

const capabilities: ReadonlySet<Capability> = new Set<Capability>([
	'listAccounts',
	'listTrackingLinks',
	'getTrackingLink',
	'createTrackingLink',
	'updateTrackingLink',
	'deleteTrackingLink',
	'getStats',
]);

export const fansApi: TrackingLinkProvider = {
	id: 'fansApi',
	displayName: NAME,
	credentialType: 'fansApiApi',
	defaultRequestsPerMinute: 5000,
	// `label` is required in every update (provider-apis.md).
	updateNeedsLabel: true,
	capabilities,
	unsupportedReason: '',

	resolveBaseUrl(credentials: IDataObject): string {
		const choice = typeof credentials.baseUrl === 'string' ? credentials.baseUrl.trim() : '';
		const url =
			choice === 'custom'
				? typeof credentials.customBaseUrl === 'string'
					? credentials.customBaseUrl.trim()
					: ''
				: choice;
		return (url || 'https://api.fansapi.com').replace(/\/+$/, '');
	},

	errorMessage(body: unknown): string | undefined {
		if (typeof body === 'string') return body.trim() || undefined;
		if (body === null || typeof body !== 'object') return undefined;
		const b = body as IDataObject;
		const message = typeof b.message === 'string' && b.message.trim() ? b.message : undefined;
		const errors =
			b.errors !== null && typeof b.errors === 'object'
				? Object.values(b.errors as IDataObject)
						.flat()
						.filter((e): e is string => typeof e === 'string')
				: [];
		const extra = errors.filter((e) => e !== message);
		if (message && extra.length) return `${message} ${extra.join(' ')}`;
		return message ?? (extra.length ? extra.join(' ') : undefined);
	},

	rateLimit(response: ProviderResponse): RateLimitReport {
		const parsed = rateLimitsSchema.safeParse(response.body);
		const meta = parsed.success ? parsed.data._meta?._rate_limits : undefined;
		return {
			remaining: headerNumber(response, 'x-rate-limit-remaining-minute') ?? meta?.remaining_minute ?? undefined,
			limit: headerNumber(response, 'x-rate-limit-limit-minute') ?? meta?.limit_minute ?? undefined,
		};
	},

	async listAccounts(client: ProviderClient): Promise<ConnectedAccount[]> {
		const what = 'the list of accounts';
		const request = { method: 'GET', path: '/api/fansly/accounts', idempotent: true, subject: 'the connected accounts' } as const;
		const { entries } = await readPages(client, request, what, 'accounts', (body) => {
			const parsed = parseShape(accountsSchema, body, '', NAME, what);
			return (Array.isArray(parsed) ? parsed : parsed.data).map((a) => {
				const username = firstText(a.fansly_username, a.username);
				const entry = { id: a.id, name: firstText(a.display_name, a.name, username) ?? a.id, username };
				return { id: a.id, entry };
			});
		});
		return entries;
	},

	async listTrackingLinks(client, accountId) {
		const what = `the tracking links of account "${accountId}"`;
		const request = { method: 'GET', path: linksPath(accountId), idempotent: true, subject: `account "${accountId}"`, accountId } as const;
		const { entries, pages } = await readPages(client, request, what, 'links', (body) => {
			const envelope = parseShape(envelopeSchema, body, '', NAME, what);
			const raws = parseShape(z.array(rawTrackingLinkSchema), envelope.data, 'data', NAME, what);
			return raws.map((raw) => ({ id: raw.id, entry: toNormalisedLink(raw, 'fansApi', accountId) }));
		}, mergeListings);
		return { links: entries, pages };
	},

	async createTrackingLink(client, accountId, fields) {
		const what = `a new tracking link on account "${accountId}"`;
		const body: IDataObject = { label: fields.label };
		if (fields.description !== undefined) body.description = fields.description;
		const response = await client.send({
			method: 'POST',
			path: linksPath(accountId),
			body,
			// Creating twice makes two links: never resend after an ambiguous failure.
			idempotent: false,
			subject: `account "${accountId}"`,
			accountId,
		});
		return readLink(response.body, accountId, what);
	},

	async updateTrackingLink(client, accountId, trackingLinkId, fields, lookup) {
		const what = `tracking link "${trackingLinkId}" on account "${accountId}"`;
		let label = fields.label;
		if (label === undefined) {
			// The API requires a label on every update: send the link's current one.
			const current = await lookup.find(accountId, trackingLinkId);
			if (!current) {
				throw new FanslyError(
					`Tracking link "${trackingLinkId}" not found on account "${accountId}"`,
					{
						kind: 'notFound',
						httpCode: 404,
						description:
							'Fans API needs the current label to update only the description, and the link is not in the account’s list of tracking links. Nothing was updated.',
					},
				);
			}
			if (current.label === null || current.label.trim() === '') {
				throw new FanslyError(`Tracking link "${trackingLinkId}" on account "${accountId}" has no label, and ${NAME} needs one with every update`, {
					kind: 'input',
					description: 'Add Label to Update Fields (with the description) to give the link one. Nothing was updated.',
				});
			}
			label = current.label;
		}
		const body: IDataObject = { label };
		if (fields.description !== undefined) body.description = fields.description;
		const response = await client.send({
			method: 'PUT',
			path: linkPath(accountId, trackingLinkId),
			body,
			idempotent: true,
			subject: what,
			accountId,
		});
		return readLink(response.body, accountId, what);
	},

	async deleteTrackingLink(client, accountId, trackingLinkId) {
		const what = `tracking link "${trackingLinkId}" on account "${accountId}"`;
		const response = await client.send({
			method: 'DELETE',
			path: linkPath(accountId, trackingLinkId),
			idempotent: true,
			subject: what,
			accountId,
		});
		confirmDeletion(response.body, what);
	},

	async getStats(client, accountId, trackingLinkId, range) {
		const subject = `tracking link "${trackingLinkId}" on account "${accountId}"`;
		const qs: IDataObject = {};
		if (range.after) qs.after = range.after;
		if (range.before) qs.before = range.before;
		const outside = outsideRange(range);
		const rowsOf = async (kind: 'stats' | 'revenue-stats') => {
			const path = `${linkPath(accountId, trackingLinkId)}/${kind}`;
			const response = await client.send({
				method: 'GET',
				path,
				qs,
				idempotent: true,
				subject,
				accountId,
			});
			const what = `the ${kind === 'stats' ? 'statistics' : 'revenue statistics'} of ${subject}`;
			const envelope = parseShape(envelopeSchema, response.body, '', NAME, what);
			const rows = parseShape(z.array(rawDailyRowSchema), envelope.data, 'data', NAME, what);
			// Statistics are not documented to page: an answer that says more exist is not the whole range.
			const sign = pageSign(response.body, path, client.secrets, 'days');
			if (sign.kind !== 'last') {
				const reason = sign.kind === 'unreadable' ? sign.reason : 'the answer names a next page';
				throw shapeError(NAME, what, `only part of the statistics came back: ${reason}`);
			}
			const other = rows.find((row) => row.trackingLinkId !== undefined && row.trackingLinkId !== null && !sameId(row.trackingLinkId, trackingLinkId));
			if (other !== undefined) {
				throw shapeError(NAME, what, `a row is about tracking link "${String(other.trackingLinkId)}", not "${trackingLinkId}"`);
			}
			// One row a day (and, for revenue, a day and a kind of income: subscriptions, tips).
			// The same row listed again is one row; the same day listed with other numbers could
			// be a stale copy or a second part of the day, and no sum or choice would be sure.
			const byDay = new Map<string, { day: string; row: DailyRow }>();
			for (const row of rows) {
				const date = dayOf(row);
				if ('problem' in date) throw shapeError(NAME, what, date.problem);
				if (outside(date.day, row.timestamp)) {
					throw shapeError(NAME, what, `a row is about ${date.day}, a day outside the range asked for (${rangeText(range)})`);
				}
				const key = JSON.stringify([date.day, kindKey(row.type)]);
				const earlier = byDay.get(key);
				if (earlier === undefined) {
					byDay.set(key, { day: date.day, row });
					continue;
				}
				const differs = ROW_VALUES.find((field) => earlier.row[field] !== row[field]);
				if (differs !== undefined) {
					const kindOf = row.type === undefined || row.type === null ? '' : ` (type ${clipped(JSON.stringify(row.type))})`;
					throw shapeError(
						NAME,
						what,
						`${date.day}${kindOf} is listed twice, with different values (${differs} ${String(earlier.row[differs])} and ${String(row[differs])})`,
					);
				}
			}
			return [...byDay.values()];
		};
		const counts = await rowsOf('stats');
		const revenue = await rowsOf('revenue-stats');
		const days = new Map<string, DailyStats>();
		const dayFor = (date: string) => {
			let day = days.get(date);
			if (!day) {
				day = emptyDay(date, trackingLinkId, accountId, 'fansApi');
				days.set(date, day);
			}
			return day;
		};
		const add = (a: number | null, b: number | null) => (b === null ? a : (a ?? 0) + b);
		for (const { day: date, row } of counts) {
			const day = dayFor(date);
			day.clicks = add(day.clicks, row.clicks);
			day.claims = add(day.claims, row.claims);
			day.follows = add(day.follows, row.follows);
			day.subscriptions = add(day.subscriptions, row.subscriptions);
		}
		for (const { day: date, row } of revenue) {
			const day = dayFor(date);
			day.totalGross = add(day.totalGross, row.totalGross);
			day.totalNet = add(day.totalNet, row.totalNet);
		}
		return [...days.values()].sort((a, b) => a.date.localeCompare(b.date));
	},
};
