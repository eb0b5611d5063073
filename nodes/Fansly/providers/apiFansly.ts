import type { IDataObject } from 'n8n-workflow';
import { z } from 'zod';

import { FanslyError, missingIn } from '../helpers/errors';
import { segment } from '../helpers/input';
import { firstText, idSchema, parseShape, rawTrackingLinkSchema, shapeError, toNormalisedLink } from '../helpers/normalise';
import type {
	Capability,
	ConnectedAccount,
	ProviderClient,
	ProviderResponse,
	RateLimitReport,
	TrackingLinkProvider,
} from './types';

const NAME = 'API Fansly';

/**
 * API Fansly (v1.apifansly.com). Envelope `{statusCode, message, data, timestamp}`;
 * account-scoped endpoints nest Fansly's own answer as `data.status_code` and
 * `data.data.{success,response}`, but not every endpoint does, so the readers below
 * look in each documented place.
 */
const innerSchema = z
	.object({
		status_code: z.union([z.number(), z.string()]).optional(),
		data: z
			.object({
				success: z.boolean().optional(),
				response: z.unknown().optional(),
				error: z.unknown().optional(),
			})
			.passthrough()
			.nullable()
			.optional(),
	})
	.passthrough();

const envelopeSchema = z
	.object({
		statusCode: z.union([z.number(), z.string()]).optional(),
		message: z.string().optional(),
		data: z.unknown(),
	})
	.passthrough();

function header(response: ProviderResponse, name: string): number | undefined {
	const value = response.headers[name];
	if (value === undefined || value.trim() === '') return undefined;
	const n = Number(value);
	return Number.isFinite(n) ? n : undefined;
}

const innerStatusSchema = z.object({ status_code: z.union([z.number(), z.string()]).optional() }).passthrough();

/**
 * Fansly's answer inside the envelope: its status (200 when it gives none), and its body when
 * that is an object. Its status counts even without a body ("data": null, or text).
 */
function innerOf(envelope: z.infer<typeof envelopeSchema>) {
	const shape = innerStatusSchema.safeParse(envelope.data);
	if (!shape.success) return undefined;
	const inner = innerSchema.safeParse(envelope.data);
	const body = inner.success && inner.data.data !== undefined && inner.data.data !== null ? inner.data.data : undefined;
	return { status: Number(shape.data.status_code ?? 200), body };
}

/** The status the envelope, or else Fansly's inner answer, gives when it says the request failed. */
function statusInside(body: unknown): number | undefined {
	const envelope = envelopeSchema.safeParse(body);
	if (!envelope.success) return undefined;
	const outerStatus = Number(envelope.data.statusCode ?? 200);
	const inner = innerOf(envelope.data);
	const status = outerStatus >= 400 ? outerStatus : inner?.status;
	return status !== undefined && Number.isInteger(status) && status >= 400 ? status : undefined;
}

/**
 * Reads Fansly's nested answer; an envelope `statusCode` of 400 or more, a `success: false` or an
 * inner 4xx/5xx inside a 200 is the provider refusing, and becomes an error with that status.
 * (A 429 or 5xx inside a 200 has already been met by the transport as that status: see
 * `statusInside`.)
 */
function unwrap(body: unknown, what: string, mayHaveBeenApplied = false): unknown {
	const envelope = parseShape(envelopeSchema, body, '', NAME, what);
	// The envelope's own status says the request failed, whatever the HTTP status was.
	const outerStatus = Number(envelope.statusCode ?? 200);
	if (outerStatus >= 400) throw refused(what, outerStatus, messageOf(envelope.message), mayHaveBeenApplied);
	const inner = innerOf(envelope);
	if (inner === undefined) return envelope.data;
	if (inner.body?.success === false || inner.status >= 400) {
		const providerMessage = (inner.body && innerMessage(inner.body)) ?? envelope.message;
		throw refused(what, inner.status >= 400 ? inner.status : 400, providerMessage, mayHaveBeenApplied);
	}
	if (inner.body === undefined) return envelope.data;
	return inner.body.response ?? inner.body;
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
		// A failure told by Fansly's inner answer under a good envelope is in the inner words.
		const envelope = envelopeSchema.safeParse(body);
		const inner = envelope.success && Number(envelope.data.statusCode ?? 200) < 400 ? innerOf(envelope.data) : undefined;
		const ownWords = inner !== undefined && inner.status >= 400 && inner.body !== undefined ? innerMessage(inner.body) : undefined;
		if (ownWords !== undefined) return ownWords;
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
			remaining: header(response, 'x-ratelimit-remaining'),
			limit: header(response, 'x-ratelimit-limit'),
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
