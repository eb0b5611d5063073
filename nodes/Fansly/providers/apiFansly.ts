import type { IDataObject } from 'n8n-workflow';
import { z } from 'zod';

import { FanslyError, missingIn } from '../helpers/errors';
import { segment } from '../helpers/input';
import { describeIssues, firstText, idSchema, parseShape, rawTrackingLinkSchema, shapeError, toNormalisedLink } from '../helpers/normalise';
import type {
	Capability,
	ConnectedAccount,
	ProviderClient,
	ProviderResponse,
	RateLimitReport,
	TrackingLinkProvider,
} from './types';
import { headerNumber, saysFalse } from './signs';

const NAME = 'API Fansly';

/**
 * API Fansly (v1.apifansly.com). Envelope `{statusCode, message, data, timestamp}`;
 * account-scoped endpoints nest Fansly's own answer as `data.status_code` and
 * `data.data.{success,response}`, but not every endpoint does, so the reader below looks in
 * each documented place.
 *
 * Only what this schema checks makes an envelope unreadable; `readAnswer` checks the same by
 * hand (it runs on every answer, twice: see `statusInside`), and this schema only describes
 * what is wrong, in the words of every other shape error.
 */
const envelopeSchema = z
	.object({
		statusCode: z.union([z.number(), z.string()]).optional(),
		message: z.string().nullish(),
		data: z.unknown(),
	})
	.passthrough();

type Fields = Record<string, unknown>;

function isObject(value: unknown): value is Fields {
	return value !== null && typeof value === 'object' && !Array.isArray(value);
}

/** A status as a text: its three digits, nothing around them (no sign, exponent, hex, space). */
const STATUS_TEXT = /^[1-5][0-9]{2}$/;

/**
 * The HTTP status a field gives: a whole number from 100 to 599, as a JSON number or as its
 * digits in text. Anything else (`"5e2"`, `"0x1f4"`, `" 404 "`, `""`, `4.5`, `0`, `null`) is
 * no status: `undefined`.
 */
function statusOf(value: unknown): number | undefined {
	if (typeof value === 'number') return Number.isInteger(value) && value >= 100 && value <= 599 ? value : undefined;
	return typeof value === 'string' && STATUS_TEXT.test(value) ? Number(value) : undefined;
}

/** A value as the answer wrote it (JSON), cut short. */
function shown(value: unknown): string {
	const text = JSON.stringify(value) ?? String(value);
	return text.length > 40 ? `${text.slice(0, 40)}…` : text;
}

/** What an API Fansly answer says, as `readAnswer` reads it. */
type Reading =
	/** The request succeeded: what it answered (Fansly's `response`, or what stands in its place). */
	| { kind: 'answer'; payload: unknown }
	/**
	 * The provider refused: the status it gives (400 for a bare `success: false`), its words,
	 * and whether Fansly's answer inside a good envelope said it (`inner`) or the envelope did.
	 */
	| { kind: 'refusal'; status: number; providerMessage: string | undefined; inner: boolean }
	/** Not in the documented shape: `detail` says why, or the envelope schema describes it. */
	| { kind: 'shape'; detail?: string };

const ENVELOPE_SHAPE: Reading = { kind: 'shape' };

/**
 * Reads an answer's envelope and Fansly's answer inside it, by hand: the transport reads every
 * 2xx answer (`statusInside`) and the operation reads it again (`unwrap`), so this stays a few
 * property reads, with no copy of the body.
 *
 * - The envelope's `statusCode` of 400 or more is the refusal, whatever is inside.
 * - Otherwise an object `data` is Fansly's answer: its `status_code` (200 when absent) of 400
 *   or more, or a `success: false` in its `data`, is the refusal, told in Fansly's own words
 *   (`data.data.error`, else `data.data.response`) or none: the envelope's `message` then
 *   describes the envelope, which said success ("Tracking link updated successfully" in the
 *   seed), not the failure.
 * - A status field that is present but no status (see `statusOf`) is an answer in an
 *   unexpected shape: it may say failure or success, and neither is guessed.
 */
function readAnswer(body: unknown): Reading {
	if (!isObject(body)) return ENVELOPE_SHAPE;
	const { statusCode, message } = body;
	// A `null` message is no message.
	if (message !== undefined && message !== null && typeof message !== 'string') return ENVELOPE_SHAPE;
	let outer = 200;
	if (statusCode !== undefined) {
		if (typeof statusCode !== 'number' && typeof statusCode !== 'string') return ENVELOPE_SHAPE;
		const status = statusOf(statusCode);
		if (status === undefined) return { kind: 'shape', detail: `statusCode is not an HTTP status (${shown(statusCode)})` };
		outer = status;
	}
	// The envelope's own status says the request failed, whatever the HTTP status was.
	if (outer >= 400) return { kind: 'refusal', status: outer, providerMessage: messageOf(message), inner: false };
	// Fansly's own way of saying failure, with no envelope status around it.
	if (saysFalse(body.success)) return { kind: 'refusal', status: 400, providerMessage: messageOf(body.error) ?? messageOf(message), inner: false };

	const data = body.data;
	if (!isObject(data)) return { kind: 'answer', payload: data };
	// Fansly's answer inside: its status counts even without a body ("data": null, or text).
	let status = 200;
	if (data.status_code !== undefined) {
		const stated = statusOf(data.status_code);
		if (stated === undefined) return { kind: 'shape', detail: `data.status_code is not an HTTP status (${shown(data.status_code)})` };
		status = stated;
	}
	const answer = data.data;
	const inner = isObject(answer) ? answer : undefined;
	if (status >= 400 || saysFalse(inner?.success)) {
		return {
			kind: 'refusal',
			status: status >= 400 ? status : 400,
			providerMessage: inner === undefined ? undefined : innerMessage(inner),
			inner: true,
		};
	}
	if (inner === undefined) return { kind: 'answer', payload: data };
	return { kind: 'answer', payload: inner.response ?? inner };
}

/**
 * The status the envelope, or else Fansly's inner answer, gives when it says the request
 * failed: the transport's view of a 2xx answer (it retries and paces a 429 or 5xx there as that
 * HTTP status), the same reading as `unwrap`'s. An answer in an unexpected shape gives none: it
 * is `unwrap`'s clear error, never retried.
 */
function statusInside(body: unknown): number | undefined {
	const reading = readAnswer(body);
	return reading.kind === 'refusal' ? reading.status : undefined;
}

/**
 * Reads Fansly's nested answer; an envelope `statusCode` of 400 or more, a `success: false` or an
 * inner 4xx/5xx inside a 200 is the provider refusing, and becomes an error with that status.
 * (A 429 or 5xx inside a 200 has already been met by the transport as that status: see
 * `statusInside`.)
 */
function unwrap(body: unknown, what: string, mayHaveBeenApplied = false): unknown {
	const reading = readAnswer(body);
	switch (reading.kind) {
		case 'answer':
			return reading.payload;
		case 'refusal':
			throw refused(what, reading.status, reading.providerMessage, mayHaveBeenApplied);
		default:
			throw shapeError(NAME, what, reading.detail ?? envelopeProblem(body));
	}
}

/** What is wrong with a body `readAnswer` found no envelope in, as every other shape error says it. */
function envelopeProblem(body: unknown): string {
	const result = envelopeSchema.safeParse(body);
	return result.success ? 'the response body is not an envelope' : describeIssues(result.error, '');
}

/** The provider's refusal inside a 200, as the transport tells one it met as an HTTP status. */
function refused(what: string, httpCode: number, providerMessage: string | undefined, mayHaveBeenApplied: boolean): FanslyError {
	const missing = httpCode === 404 ? missingIn(providerMessage) : undefined;
	return new FanslyError(`${NAME} refused the request for ${what} (HTTP ${httpCode})${providerMessage ? `: ${providerMessage}` : ''}`, {
		kind: 'http',
		httpCode,
		providerMessage,
		...(missing ? { missing } : {}),
		...(mayHaveBeenApplied ? { mayHaveBeenApplied } : {}),
	});
}

function innerMessage(inner: { response?: unknown; error?: unknown }): string | undefined {
	return messageOf(inner.error) ?? messageOf(inner.response);
}

function messageOf(value: unknown): string | undefined {
	if (typeof value === 'string' && value.trim() !== '') return value;
	if (value !== null && typeof value === 'object' && 'message' in value) {
		const message = (value as { message: unknown }).message;
		if (typeof message === 'string' && message.trim() !== '') return message;
	}
	return undefined;
}

const accountSchema = z
	.object({
		accountId: idSchema,
		name: z.string().nullish(),
		username: z.string().nullish(),
		email: z.string().nullish(),
	})
	.passthrough();

const accountsPayloadSchema = z.union([
	z.object({ accounts: z.array(accountSchema) }).passthrough(),
	z.array(accountSchema),
]);

const capabilities: ReadonlySet<Capability> = new Set<Capability>([
	'listAccounts',
	'updateTrackingLink',
	'deleteTrackingLink',
]);

function unsupported(): never {
	throw new FanslyError(
		`${NAME} does not offer this operation`,
		{
			kind: 'unsupported',
			description:
				'API Fansly documents no endpoint to list, read, create or get statistics of tracking links. Use the Fans API provider for these, or enter the tracking link ID by hand.',
		},
	);
}

export const apiFansly: TrackingLinkProvider = {
	id: 'apiFansly',
	displayName: NAME,
	credentialType: 'apiFanslyApi',
	defaultRequestsPerMinute: 600,
	// `label` is optional in an update; an empty one is sent as asked.
	updateNeedsLabel: false,
	capabilities,
	unsupportedReason:
		'API Fansly documents no endpoint to list, read, create or get statistics of tracking links',

	resolveBaseUrl(credentials: IDataObject): string {
		const url = typeof credentials.baseUrl === 'string' ? credentials.baseUrl.trim() : '';
		return (url || 'https://v1.apifansly.com').replace(/\/+$/, '');
	},

	errorMessage(body: unknown): string | undefined {
		if (body === null || typeof body !== 'object') return messageOf(body);
		// A failure told by Fansly's inner answer under a good envelope is in Fansly's words, or in
		// none: the envelope's message then describes the envelope ("OK"), not the failure.
		const reading = readAnswer(body);
		if (reading.kind === 'refusal' && reading.inner) return reading.providerMessage;
		const b = body as IDataObject;
		const nested =
			b.data !== null && typeof b.data === 'object' ? (b.data as IDataObject).data : undefined;
		const nestedResponse =
			nested !== null && typeof nested === 'object' ? (nested as IDataObject).response : undefined;
		return messageOf(b) ?? messageOf(nestedResponse) ?? messageOf(b.error);
	},

	statusInside,

	rateLimit(response: ProviderResponse): RateLimitReport {
		return {
			remaining: headerNumber(response, 'x-ratelimit-remaining'),
			limit: headerNumber(response, 'x-ratelimit-limit'),
		};
	},

	async listAccounts(client: ProviderClient): Promise<ConnectedAccount[]> {
		const what = 'the list of accounts';
		const response = await client.send({
			method: 'GET',
			path: '/api/fansly/accounts',
			idempotent: true,
			subject: 'the connected accounts',
		});
		const payload = unwrap(response.body, what);
		const parsed = parseShape(accountsPayloadSchema, payload, 'data', NAME, what);
		const accounts = Array.isArray(parsed) ? parsed : parsed.accounts;
		return accounts.map((a) => ({
			id: a.accountId,
			name: firstText(a.name, a.username, a.email) ?? a.accountId,
			username: firstText(a.username),
		}));
	},

	async updateTrackingLink(client, accountId, trackingLinkId, fields) {
		const what = `tracking link "${trackingLinkId}" on account "${accountId}"`;
		const body: IDataObject = { id: trackingLinkId };
		if (fields.label !== undefined) body.label = fields.label;
		if (fields.description !== undefined) body.description = fields.description;
		const response = await client.send({
			method: 'PUT',
			path: `/api/fansly/${segment(accountId)}/tracking-links`,
			body,
			idempotent: true,
			subject: what,
			accountId,
		});
		const link = unwrap(response.body, what);
		if (link === null || typeof link !== 'object') {
			throw shapeError(NAME, what, 'data.data.response is missing');
		}
		const raw = parseShape(rawTrackingLinkSchema, link, 'data.data.response', NAME, what);
		return toNormalisedLink(raw, 'apiFansly', accountId);
	},

	async deleteTrackingLink(client, accountId, trackingLinkId) {
		const what = `tracking link "${trackingLinkId}" on account "${accountId}"`;
		const response = await client.send({
			method: 'DELETE',
			path: `/api/fansly/${segment(accountId)}/tracking-links`,
			body: { trackingLinkId },
			idempotent: true,
			subject: what,
			accountId,
		});
		if (response.body !== undefined) unwrap(response.body, what, response.mayHaveBeenApplied === true);
	},

	listTrackingLinks: async () => unsupported(),
	createTrackingLink: async () => unsupported(),
	getStats: async () => unsupported(),
};
