'use strict';
/**
 * Fans API (OnlyFansAPI) as the stand-in serves it: <url>/fansapi/api/...
 * Auth `Authorization: Bearer`; answers {data, _meta} (1 credit per 2xx); errors {message} or
 * {message, errors}. Laravel-like input: strings trimmed, '' becomes null.
 * Routes: GET whoami, GET accounts (bare array), GET|POST {acct}/tracking-links,
 * PUT|DELETE .../{link}, GET .../{link}/stats and .../{link}/revenue-stats.
 *
 * Handlers take (state, ctx, params, rl) and return {status, body, headers?}; `state.store`
 * and `state.stats` are the stand-in's live data (lib/store.js, lib/stats.js).
 */

const http = require('node:http');

const { isPlainObject, parseQuery } = require('../lib/util.js');
const { SEED, link } = require('../lib/store.js');
const { countUpdate } = require('../lib/stats.js');

const DAY_MS = 86400000;
const STATS_MAX_DAYS = 366;
const RL_NOTICE =
	'We have decided to remove our daily rate limits. Please remove any references to these in your integrations.';

// ---- response shapes --------------------------------------------------------

function meta(store, rl) {
	return {
		_credits: { used: 1, balance: store.fansApi.credits, note: 'Always' },
		_cache: { is_cached: false, note: 'Cache disabled for this endpoint' },
		_rate_limits: {
			limit_minute: rl.limit,
			limit_day: null,
			remaining_minute: rl.remaining,
			remaining_day: null,
			notice: RL_NOTICE,
		},
	};
}

/** Charge one credit and produce {status: 200, body, headers}; `bare`: the data without envelope. */
function ok(state, rl, data, bare) {
	const store = state.store;
	store.fansApi.credits -= 1;
	return {
		status: 200,
		body: bare ? data : { data, _meta: meta(store, rl) },
		headers: { 'x-ofapi-credits-used': '1', 'x-ofapi-credits-balance': String(store.fansApi.credits) },
	};
}

const errorBody = (_status, message) => ({ message });
const notFound = (message) => ({ status: 404, body: { message } });
const validation = (field, message) => ({ status: 422, body: { message, errors: { [field]: [message] } } });

const linkView = (l) => ({
	id: l.id, accountId: l.accountId, internalId: l.internalId, type: l.type, status: l.status, label: l.label,
	description: l.description, metadata: l.metadata, createdAt: l.createdAt,
	clicks: l.clicks, claims: l.claims, follows: l.follows, subscriptions: l.subscriptions, totalNet: l.totalNet, totalGross: l.totalGross,
});
/** Update answers have the six counters null. */
const linkUpdateView = (l) => ({
	...linkView(l), clicks: null, claims: null, follows: null, subscriptions: null, totalNet: null, totalGross: null,
});

// ---- ids and daily numbers --------------------------------------------------

let lastSnowflake = 0n;
/**
 * Fansly-like snowflake string (18 digits), strictly increasing within the process. The epoch is
 * chosen so that the documented example id 845759434926862336 decodes to its createdAt 1770544484000.
 */
const SNOWFLAKE_EPOCH = 1568899721263;
function newSnowflake() {
	let v = BigInt(Date.now() - SNOWFLAKE_EPOCH) << 22n;
	if (v <= lastSnowflake) v = lastSnowflake + 1n;
	lastSnowflake = v;
	return v.toString();
}

/** FNV-1a 32-bit, for deterministic daily stats. */
function hash32(str) {
	let h = 0x811c9dc5;
	for (let i = 0; i < str.length; i++) {
		h ^= str.charCodeAt(i);
		h = Math.imul(h, 0x01000193);
	}
	return h >>> 0;
}

function dailyNumbers(linkId, type, dayStart) {
	const h = hash32(linkId + '|' + dayStart);
	const h2 = hash32(dayStart + '|' + linkId);
	const clicks = (h % 41) * (type === 1 ? 3 : 1);
	const follows = (h >>> 8) % (Math.floor(clicks / 4) + 1);
	const subscriptions = (h >>> 16) % (Math.floor(follows / 3) + 1);
	const claims = h2 % 10 === 0 ? 1 : 0;
	const totalGross = subscriptions * 5000 + (clicks > 0 ? ((h2 >>> 8) % 4) * 1000 : 0);
	const totalNet = Math.round(totalGross * 0.8);
	return { clicks, claims, follows, subscriptions, totalGross, totalNet };
}

// ---- input ------------------------------------------------------------------

function laravelInput(body) {
	if (!isPlainObject(body)) return {};
	const out = {};
	for (const k of Object.keys(body)) {
		let v = body[k];
		if (typeof v === 'string') {
			v = v.trim();
			if (v === '') v = null;
		}
		out[k] = v;
	}
	return out;
}

/** Validates {label (required string), description (nullable string)}; returns an error response or null. */
function validateLabelBody(input) {
	if (input.label === undefined || input.label === null) return validation('label', 'The label field is required.');
	if (typeof input.label !== 'string') return validation('label', 'The label field must be a string.');
	if (input.description !== undefined && input.description !== null && typeof input.description !== 'string') {
		return validation('description', 'The description field must be a string.');
	}
	return null;
}

/** The links of a known account (an empty map is created on first use); null for an unknown account. */
function accountLinks(store, acct) {
	const m = store.fansApi.links.get(acct);
	if (m) return m;
	if (!store.fansApi.accounts.some((a) => a.id === acct)) return null;
	const fresh = new Map();
	store.fansApi.links.set(acct, fresh);
	return fresh;
}

function parseDateParam(name, raw, fallback) {
	if (raw === undefined || raw === '') return { value: fallback };
	const t = Date.parse(raw);
	if (Number.isNaN(t)) return { error: validation(name, `The ${name} field must be a valid date.`) };
	return { value: t };
}

// ---- handlers -----------------------------------------------------------------

function statsHandler(revenue) {
	return (state, ctx, p, rl) => {
		const links = accountLinks(state.store, p.account);
		if (!links) return notFound('Fansly account not found.');
		const l = links.get(p.link);
		if (!l) return notFound('Tracking link not found.');
		const q = parseQuery(ctx.query);
		const now = Date.now();
		const before = parseDateParam('before', q.before, now);
		if (before.error) return before.error;
		const after = parseDateParam('after', q.after, before.value - 30 * DAY_MS);
		if (after.error) return after.error;
		if (after.value > before.value) return validation('before', 'The before field must be a date after after.');
		const today = Math.floor(now / DAY_MS) * DAY_MS;
		const last = Math.min(Math.floor(before.value / DAY_MS) * DAY_MS, today);
		let first = Math.floor(after.value / DAY_MS) * DAY_MS;
		if (last - first > (STATS_MAX_DAYS - 1) * DAY_MS) first = last - (STATS_MAX_DAYS - 1) * DAY_MS;
		const data = [];
		for (let d = first; d <= last; d += DAY_MS) {
			const n = dailyNumbers(l.id, l.type, d);
			const dt = new Date(d);
			const common = { year: dt.getUTCFullYear(), month: dt.getUTCMonth() + 1, date: dt.getUTCDate() };
			if (revenue) {
				data.push({ trackingLinkId: l.id, type: l.type, timestamp: d, totalGross: n.totalGross, totalNet: n.totalNet, ...common });
			} else {
				data.push({
					trackingLinkId: l.id, timestamp: d, clicks: n.clicks, claims: n.claims, follows: n.follows, subscriptions: n.subscriptions, ...common,
				});
			}
		}
		return ok(state, rl, data);
	};
}

const handlers = {
	whoami(state, ctx, p, rl) {
		return ok(state, rl, structuredClone(SEED.fansApi.whoami));
	},
	accounts(state, ctx, p, rl) {
		return ok(state, rl, state.store.fansApi.accounts.map((a) => ({ ...a })), true);
	},
	listLinks(state, ctx, p, rl) {
		const links = accountLinks(state.store, p.account);
		if (!links) return notFound('Fansly account not found.');
		return ok(state, rl, [...links.values()].map(linkView));
	},
	createLink(state, ctx, p, rl) {
		const store = state.store;
		const links = accountLinks(store, p.account);
		if (!links) return notFound('Fansly account not found.');
		const input = laravelInput(ctx.input);
		const invalid = validateLabelBody(input);
		if (invalid) return invalid;
		const internalId = store.fansApi.nextInternalId++;
		const l = link({
			id: newSnowflake(),
			accountId: store.fansApi.creatorIds.get(p.account) || '800000000000000000',
			internalId: String(internalId),
			type: 1000,
			status: 1,
			label: input.label,
			description: input.description === undefined ? null : input.description,
			metadata: '{}',
			createdAt: Date.now(),
		});
		links.set(l.id, l);
		state.stats.byProvider.fansApi.createsApplied++;
		return ok(state, rl, { id: l.id, accountId: l.accountId, internalId, type: l.type, status: l.status, label: l.label, description: l.description });
	},
	updateLink(state, ctx, p, rl) {
		const links = accountLinks(state.store, p.account);
		if (!links) return notFound('Fansly account not found.');
		const input = laravelInput(ctx.input);
		const invalid = validateLabelBody(input);
		if (invalid) return invalid;
		const l = links.get(p.link);
		if (!l) return notFound('Tracking link not found.');
		l.label = input.label;
		if (input.description !== undefined) l.description = input.description;
		countUpdate(state.stats, 'fansApi', p.account, l.id);
		return ok(state, rl, linkUpdateView(l));
	},
	deleteLink(state, ctx, p, rl) {
		const links = accountLinks(state.store, p.account);
		if (!links) return notFound('Fansly account not found.');
		if (!links.delete(p.link)) return notFound('Tracking link not found.');
		state.stats.byProvider.fansApi.deletesApplied++;
		return ok(state, rl, null);
	},
	stats: statsHandler(false),
	revenueStats: statsHandler(true),
};

/** The route for the path segments after /fansapi: {route, params, methods} or null. */
function match(s) {
	if (s[0] !== 'api') return null;
	if (s.length === 2 && s[1] === 'whoami') return { route: '/api/whoami', params: {}, methods: { GET: handlers.whoami } };
	if (s[1] !== 'fansly' || s.length < 3) return null;
	if (s.length === 3) {
		return s[2] === 'accounts' ? { route: '/api/fansly/accounts', params: {}, methods: { GET: handlers.accounts } } : null;
	}
	if (s[2] === '' || s[3] !== 'tracking-links') return null;
	const account = s[2];
	if (s.length === 4) {
		return {
			route: '/api/fansly/:account/tracking-links',
			params: { account },
			methods: { GET: handlers.listLinks, POST: handlers.createLink },
		};
	}
	if (s[4] === '') return null;
	const params = { account, link: s[4] };
	if (s.length === 5) {
		return {
			route: '/api/fansly/:account/tracking-links/:link',
			params,
			methods: { PUT: handlers.updateLink, DELETE: handlers.deleteLink },
		};
	}
	if (s.length === 6 && s[5] === 'stats') {
		return { route: '/api/fansly/:account/tracking-links/:link/stats', params, methods: { GET: handlers.stats } };
	}
	if (s.length === 6 && s[5] === 'revenue-stats') {
		return { route: '/api/fansly/:account/tracking-links/:link/revenue-stats', params, methods: { GET: handlers.revenueStats } };
	}
	return null;
}

/** 'Bearer ok' | 'Bearer wrong' | 'missing' | 'not Bearer' */
function authState(headers, cfg) {
	const a = headers.authorization;
	if (a === undefined) return 'missing';
	const m = /^bearer\s+(.*)$/i.exec(a);
	if (!m) return 'not Bearer';
	return m[1].trim() === cfg.fansApiKey ? 'Bearer ok' : 'Bearer wrong';
}

function rateHeaders(rl) {
	const h = {
		'x-rate-limit-limit-minute': String(rl.limit),
		'x-rate-limit-remaining-minute': String(rl.remaining),
	};
	if (!rl.ok) h['Retry-After'] = String(rl.retryAfter);
	return h;
}

/** The seed's second link of the first account, as the default body of a `truncated` fault. */
const SEED_LINK = SEED.fansApi.links[SEED.fansApi.accounts[0].id][1];

module.exports = {
	id: 'fansApi',
	/** First path segment of its base URL. */
	prefix: 'fansapi',
	/** The header that carries the key (redacted in the log). */
	credentialHeader: 'authorization',
	/** Limit reported in headers / _meta when configured unlimited (never enforced). */
	nominalLimit: 5000,
	match,
	authState,
	isAuthorized: (auth) => auth === 'Bearer ok',
	rateHeaders,
	errorBody,
	unauthorized: () => ({ status: 401, body: { message: 'Unauthenticated.' } }),
	rateLimited: () => ({ message: 'Too Many Attempts.' }),
	/** Laravel: unknown route 404; known route, other method 405 with Allow. */
	unknownRoute: (method, subPath) => ({ status: 404, body: { message: `The route ${subPath.replace(/^\//, '')} could not be found.` } }),
	wrongMethod(method, subPath, methods) {
		const allowed = Object.keys(methods).flatMap((x) => (x === 'GET' ? ['GET', 'HEAD'] : [x]));
		return {
			status: 405,
			body: { message: `The ${method} method is not supported for route ${subPath.replace(/^\//, '')}. Supported methods: ${allowed.join(', ')}.` },
			headers: { Allow: allowed.join(', ') },
		};
	},
	/** A body that is not JSON is read as no input at all. */
	badJson: null,
	/** Defaults of a `status` fault: headers, and the provider-shaped body. */
	faultDefaults(status) {
		const headers = status === 429 ? { 'Retry-After': '1', 'x-rate-limit-limit-minute': '5000', 'x-rate-limit-remaining-minute': '0' } : {};
		const message = status === 429 ? 'Too Many Attempts.' : status >= 500 ? 'Server Error' : http.STATUS_CODES[status] || 'Error';
		return { headers, body: () => ({ message }) };
	},
	truncatedBody: () =>
		JSON.stringify({ data: { id: SEED_LINK.id, accountId: SEED_LINK.accountId, label: SEED_LINK.label }, _meta: {} }),
};
