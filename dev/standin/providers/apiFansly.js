'use strict';
/**
 * API Fansly as the stand-in serves it: <url>/apifansly/api/fansly/...
 * Auth `x-api-key`; every answer in the envelope {statusCode, message, data, timestamp}.
 * Routes: GET accounts; PUT / DELETE {acct}/tracking-links (the link id in the body).
 *
 * Handlers take (state, ctx, params, rl) and return {status, body, headers?}; `state.store`
 * and `state.stats` are the stand-in's live data (lib/store.js, lib/stats.js).
 */

const http = require('node:http');

const { isPlainObject } = require('../lib/util.js');
const { SEED } = require('../lib/store.js');
const { countUpdate } = require('../lib/stats.js');

const envelope = (statusCode, message, data) => ({ statusCode, message, data, timestamp: new Date().toISOString() });
const errorBody = (statusCode, message) => envelope(statusCode, message, null);
const RATE_LIMITED = 'Rate limit exceeded. Please wait before making more requests.';

const linkView = (l) => ({
	id: l.id, accountId: l.accountId, label: l.label, description: l.description, metadata: l.metadata, createdAt: l.createdAt,
	clicks: l.clicks, claims: l.claims, follows: l.follows, subscriptions: l.subscriptions, totalNet: l.totalNet, totalGross: l.totalGross,
});

/** The links of a known account (an empty map is created on first use); null for an unknown account. */
function accountLinks(store, acct) {
	const m = store.apiFansly.links.get(acct);
	if (m) return m;
	if (!store.apiFansly.accounts.some((a) => a.accountId === acct)) return null;
	const fresh = new Map();
	store.apiFansly.links.set(acct, fresh);
	return fresh;
}

const handlers = {
	accounts(state) {
		const accounts = state.store.apiFansly.accounts.map((a) => ({ ...a }));
		return { status: 200, body: envelope(200, 'Accounts retrieved successfully', { success: true, count: accounts.length, accounts }) };
	},
	updateLink(state, ctx, p) {
		const b = ctx.input;
		const opt = (v) => v === undefined || v === null || typeof v === 'string';
		if (!isPlainObject(b) || typeof b.id !== 'string' || b.id === '' || !opt(b.label) || !opt(b.description)) {
			return { status: 400, body: errorBody(400, 'Invalid request parameters') };
		}
		const links = accountLinks(state.store, p.account);
		if (!links) return { status: 404, body: errorBody(404, `Account ${p.account} not found`) };
		const l = links.get(b.id);
		if (!l) return { status: 404, body: errorBody(404, `Tracking link ${b.id} not found for account ${p.account}`) };
		if (typeof b.label === 'string') l.label = b.label;
		if (typeof b.description === 'string') l.description = b.description;
		countUpdate(state.stats, 'apiFansly', p.account, l.id);
		return {
			status: 200,
			body: envelope(200, 'Tracking link updated successfully', { status_code: 200, data: { success: true, response: linkView(l) } }),
		};
	},
	deleteLink(state, ctx, p) {
		const b = ctx.input;
		if (!isPlainObject(b) || typeof b.trackingLinkId !== 'string' || b.trackingLinkId === '') {
			return { status: 400, body: errorBody(400, 'Invalid request parameters') };
		}
		const links = accountLinks(state.store, p.account);
		if (!links) return { status: 404, body: errorBody(404, `Account ${p.account} not found`) };
		if (!links.delete(b.trackingLinkId)) {
			return { status: 404, body: errorBody(404, `Tracking link ${b.trackingLinkId} not found for account ${p.account}`) };
		}
		state.stats.byProvider.apiFansly.deletesApplied++;
		return {
			status: 200,
			body: envelope(200, 'Tracking link deleted successfully', { status_code: 200, data: { success: true, response: null } }),
		};
	},
};

/** The route for the path segments after /apifansly: {route, params, methods} or null. */
function match(s) {
	if (s.length === 3 && s[0] === 'api' && s[1] === 'fansly' && s[2] === 'accounts') {
		return { route: '/api/fansly/accounts', params: {}, methods: { GET: handlers.accounts } };
	}
	if (s.length === 4 && s[0] === 'api' && s[1] === 'fansly' && s[2] !== '' && s[3] === 'tracking-links') {
		return {
			route: '/api/fansly/:account/tracking-links',
			params: { account: s[2] },
			methods: { PUT: handlers.updateLink, DELETE: handlers.deleteLink },
		};
	}
	return null;
}

/** 'ok' | 'wrong' | 'missing' */
function authState(headers, cfg) {
	const k = headers['x-api-key'];
	if (k === undefined) return 'missing';
	return k === cfg.apiFanslyKey ? 'ok' : 'wrong';
}

function rateHeaders(rl) {
	const h = {
		'X-RateLimit-Limit': String(rl.limit),
		'X-RateLimit-Remaining': String(rl.remaining),
		'X-RateLimit-Plan': 'starter',
	};
	if (!rl.ok) h['X-RateLimit-Retry-After'] = String(rl.retryAfter);
	return h;
}

/** The seed's first link, as the default body of a `truncated` fault (half of it is sent). */
const SEED_LINK = SEED.apiFansly.links[SEED.apiFansly.accounts[0].accountId][0];

module.exports = {
	id: 'apiFansly',
	/** First path segment of its base URL. */
	prefix: 'apifansly',
	/** The header that carries the key (redacted in the log). */
	credentialHeader: 'x-api-key',
	/** Limit reported in headers when configured unlimited (never enforced). */
	nominalLimit: 600,
	match,
	authState,
	isAuthorized: (auth) => auth === 'ok',
	rateHeaders,
	errorBody,
	unauthorized: () => ({ status: 401, body: errorBody(401, 'Invalid or missing API key') }),
	rateLimited: () => errorBody(429, RATE_LIMITED),
	/** Express-like: an unknown route and a known route with another method are both 404. */
	unknownRoute: (method, subPath) => ({ status: 404, body: errorBody(404, `Cannot ${method} ${subPath}`) }),
	wrongMethod: (method, subPath) => ({ status: 404, body: errorBody(404, `Cannot ${method} ${subPath}`) }),
	/** A body that is not JSON is rejected (after auth and rate limit). */
	badJson: () => ({ status: 400, body: errorBody(400, 'Invalid request parameters') }),
	/** Defaults of a `status` fault: headers, and the message of the provider-shaped body. */
	faultDefaults(status) {
		const headers =
			status === 429 ? { 'X-RateLimit-Limit': '600', 'X-RateLimit-Remaining': '0', 'X-RateLimit-Plan': 'starter', 'X-RateLimit-Retry-After': '1' } : {};
		const message = status === 429 ? RATE_LIMITED : http.STATUS_CODES[status] || 'Error';
		return { headers, body: () => errorBody(status, message) };
	},
	truncatedBody: () =>
		JSON.stringify(envelope(200, 'Tracking link updated successfully', {
			status_code: 200,
			data: { success: true, response: { id: SEED_LINK.id, accountId: SEED_LINK.accountId, label: SEED_LINK.label } },
		})),
};
