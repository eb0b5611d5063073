'use strict';
/**
 * Provider stand-in: one loopback HTTP server emulating both tracking-link providers
 * used by n8n-nodes-fansly.
 *
 *   API Fansly  -> <url>/apifansly/api/fansly/...   (x-api-key, {statusCode,message,data,timestamp})
 *   Fans API    -> <url>/fansapi/api/...            (Bearer,    {data,_meta})
 *   control     -> <url>/__standin/...              (no auth)
 *
 * Zero dependencies, CommonJS, node: built-ins only. See README.md beside this file.
 */

const http = require('node:http');

// ---------------------------------------------------------------------------
// Constants and seed data
// ---------------------------------------------------------------------------

const PROVIDERS = ['apiFansly', 'fansApi'];
const PREFIX_TO_PROVIDER = { apifansly: 'apiFansly', fansapi: 'fansApi' };
/** Limit reported in headers / _meta when the provider is configured unlimited (never enforced). */
const NOMINAL_LIMIT = { apiFansly: 600, fansApi: 5000 };
const DEFAULT_MAX_LOG = 20000;
const MAX_BODY_BYTES = 1024 * 1024;
const DAY_MS = 86400000;
const STATS_MAX_DAYS = 366;
const START_CREDITS = 10055796;
const FANSAPI_RL_NOTICE =
	'We have decided to remove our daily rate limits. Please remove any references to these in your integrations.';

const DEFAULTS = Object.freeze({
	port: 0,
	host: '127.0.0.1',
	apiFanslyKey: 'standin-apifansly-key',
	fansApiKey: 'standin-fansapi-key',
	latencyMs: 0,
	rateLimit: Object.freeze({ apiFansly: null, fansApi: null }),
	windowMs: 60000,
	seed: true,
	log: true,
	maxLogEntries: DEFAULT_MAX_LOG,
	verbose: false,
});

/** The exact seeded ids, for tests elsewhere. */
const SEED_IDS = Object.freeze({
	apiFansly: Object.freeze({
		accountId: 'fansly_acc_demo1',
		linkIds: Object.freeze(['845759434926862336', '845759434926862337']),
	}),
	fansApi: Object.freeze({
		accountId: 'fansly_acct_demo000000001',
		secondAccountId: 'fansly_acct_demo000000002',
		linkIds: Object.freeze(['100000000000000001', '100000000000000002', '100000000000000003']),
		linkAccountId: '800000000000000001',
	}),
});

function link(fields) {
	return {
		id: fields.id,
		accountId: fields.accountId,
		internalId: fields.internalId === undefined ? null : fields.internalId,
		type: fields.type === undefined ? 1000 : fields.type,
		status: fields.status === undefined ? 1 : fields.status,
		label: fields.label,
		description: fields.description === undefined ? null : fields.description,
		metadata: fields.metadata === undefined ? '{}' : fields.metadata,
		createdAt: fields.createdAt,
		clicks: fields.clicks || 0,
		claims: fields.claims || 0,
		follows: fields.follows || 0,
		subscriptions: fields.subscriptions || 0,
		totalNet: fields.totalNet || 0,
		totalGross: fields.totalGross || 0,
	};
}

/**
 * A fresh store. Shape (all plain data, mutate freely from tests):
 *   store.apiFansly.accounts : Array<{accountId,email,name,country,createdAt}>
 *   store.apiFansly.links    : Map<accountId, Map<linkId, Link>>
 *   store.apiFansly.creatorIds: Map<accountId, string>   (value of link.accountId for new links)
 *   store.fansApi.accounts   : Array<{id,display_name,fansly_id,fansly_username,is_authenticated}>
 *   store.fansApi.links      : Map<fanslyAccountId, Map<linkId, Link>>
 *   store.fansApi.creatorIds : Map<fanslyAccountId, string>
 *   store.fansApi.credits    : number (decreases by 1 per successful Fans API call)
 *   store.fansApi.nextInternalId : number
 * Link = {id, accountId, internalId, type, status, label, description, metadata, createdAt,
 *         clicks, claims, follows, subscriptions, totalNet, totalGross}
 */
function createStore(seed) {
	const store = {
		apiFansly: { accounts: [], links: new Map(), creatorIds: new Map() },
		fansApi: { accounts: [], links: new Map(), creatorIds: new Map(), credits: START_CREDITS, nextInternalId: 1000 },
	};
	if (!seed) return store;

	const af = store.apiFansly;
	af.accounts.push({
		accountId: 'fansly_acc_demo1',
		email: 'demo1@example.com',
		name: 'Demo Creator',
		country: 'US',
		createdAt: '2025-06-01T12:00:00.000Z',
	});
	af.creatorIds.set('fansly_acc_demo1', '800000000000000001');
	af.links.set(
		'fansly_acc_demo1',
		new Map([
			['845759434926862336', link({
				id: '845759434926862336', accountId: '800000000000000001', type: 1000, status: 1,
				label: 'Twitter bio', description: 'Link in the Twitter profile', metadata: '{"source":"twitter"}',
				createdAt: 1770544484000, clicks: 584, claims: 0, follows: 27, subscriptions: 4, totalNet: 10500, totalGross: 15000,
			})],
			['845759434926862337', link({
				id: '845759434926862337', accountId: '800000000000000001', type: 1000, status: 1,
				label: 'Reddit', description: '', metadata: '{"source":"reddit"}',
				createdAt: 1770630884000, clicks: 212, claims: 1, follows: 9, subscriptions: 2, totalNet: 5600, totalGross: 8000,
			})],
		]),
	);

	const fa = store.fansApi;
	fa.accounts.push(
		{ id: 'fansly_acct_demo000000001', display_name: 'Demo Creator', fansly_id: '111222333', fansly_username: 'democreator', is_authenticated: true },
		{ id: 'fansly_acct_demo000000002', display_name: 'Second Creator', fansly_id: '444555666', fansly_username: 'secondcreator', is_authenticated: true },
	);
	fa.creatorIds.set('fansly_acct_demo000000001', '800000000000000001');
	fa.creatorIds.set('fansly_acct_demo000000002', '800000000000000002');
	fa.links.set(
		'fansly_acct_demo000000001',
		new Map([
			['100000000000000001', link({
				id: '100000000000000001', accountId: '800000000000000001', internalId: '1000', type: 1, status: 1,
				label: 'Fansly FYP', description: null, metadata: '{}',
				createdAt: 1767225600000, clicks: 1520, claims: 3, follows: 88, subscriptions: 12, totalNet: 42000, totalGross: 60000,
			})],
			['100000000000000002', link({
				id: '100000000000000002', accountId: '800000000000000001', internalId: '1001', type: 1000, status: 1,
				label: 'Twitter bio', description: 'Link in the Twitter profile', metadata: '{}',
				createdAt: 1770544484000, clicks: 584, claims: 0, follows: 27, subscriptions: 4, totalNet: 10500, totalGross: 15000,
			})],
			['100000000000000003', link({
				id: '100000000000000003', accountId: '800000000000000001', internalId: '1002', type: 1000, status: 1,
				label: 'Reddit', description: 'Pinned post on r/democreator', metadata: '{}',
				createdAt: 1780512430000, clicks: 212, claims: 1, follows: 9, subscriptions: 2, totalNet: 5600, totalGross: 8000,
			})],
		]),
	);
	fa.links.set('fansly_acct_demo000000002', new Map());
	fa.nextInternalId = 1003;
	return store;
}

function snapshotStore(store) {
	const linksOf = (m) => {
		const out = {};
		for (const [acct, links] of m) out[acct] = [...links.values()].map((l) => ({ ...l }));
		return out;
	};
	return {
		apiFansly: { accounts: store.apiFansly.accounts.map((a) => ({ ...a })), links: linksOf(store.apiFansly.links) },
		fansApi: {
			accounts: store.fansApi.accounts.map((a) => ({ ...a })),
			links: linksOf(store.fansApi.links),
			credits: store.fansApi.credits,
		},
	};
}

// ---------------------------------------------------------------------------
// Small helpers
// ---------------------------------------------------------------------------

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

function isPlainObject(v) {
	return v !== null && typeof v === 'object' && !Array.isArray(v);
}

/** Merges header objects case-insensitively (later wins, keeps the later spelling). */
function mergeHeaders(...objs) {
	const out = {};
	const names = new Map();
	for (const o of objs) {
		if (!o) continue;
		for (const k of Object.keys(o)) {
			const lk = k.toLowerCase();
			const prev = names.get(lk);
			if (prev !== undefined) delete out[prev];
			names.set(lk, k);
			out[k] = o[k];
		}
	}
	return out;
}

function parseQuery(query) {
	const out = {};
	if (!query) return out;
	for (const [k, v] of new URLSearchParams(query)) out[k] = v;
	return out;
}

/** Sliding window of admitted-request timestamps. */
class SlidingWindow {
	constructor() {
		this.ts = [];
		this.head = 0;
	}
	prune(now, windowMs) {
		const cutoff = now - windowMs;
		const ts = this.ts;
		while (this.head < ts.length && ts[this.head] <= cutoff) this.head++;
		if (this.head > 4096 && this.head * 2 > ts.length) {
			this.ts = ts.slice(this.head);
			this.head = 0;
		}
	}
	get count() {
		return this.ts.length - this.head;
	}
	get oldest() {
		return this.ts[this.head];
	}
	push(now) {
		this.ts.push(now);
	}
}

/** Fixed-capacity ring buffer for the request log. */
class Ring {
	constructor(capacity) {
		this.capacity = capacity;
		this.buf = new Array(capacity);
		this.start = 0;
		this.length = 0;
	}
	push(v) {
		if (this.length < this.capacity) {
			this.buf[(this.start + this.length) % this.capacity] = v;
			this.length++;
		} else {
			this.buf[this.start] = v;
			this.start = (this.start + 1) % this.capacity;
		}
	}
	toArray() {
		const out = new Array(this.length);
		for (let i = 0; i < this.length; i++) out[i] = this.buf[(this.start + i) % this.capacity];
		return out;
	}
}

// ---------------------------------------------------------------------------
// Option validation
// ---------------------------------------------------------------------------

const CONFIGURABLE = ['latencyMs', 'rateLimit', 'windowMs', 'apiFanslyKey', 'fansApiKey', 'log', 'verbose'];
const CREATE_ONLY = ['port', 'host', 'seed', 'maxLogEntries'];
const FAULT_KINDS = ['status', 'reset', 'delay', 'html', 'empty', 'truncated'];

function checkLimit(name, v) {
	if (v === null || v === undefined) return null;
	if (!Number.isInteger(v) || v < 0) throw new TypeError(`rateLimit.${name} must be null (unlimited) or an integer >= 0, got ${JSON.stringify(v)}`);
	return v;
}

/** Validates partial runtime options and merges them into cfg (mutates cfg). */
function applyConfig(cfg, partial, allowCreateOnly) {
	if (!isPlainObject(partial)) throw new TypeError('options must be an object');
	for (const key of Object.keys(partial)) {
		const v = partial[key];
		if (v === undefined) continue;
		if (!CONFIGURABLE.includes(key) && !(allowCreateOnly && CREATE_ONLY.includes(key))) {
			throw new TypeError(
				CREATE_ONLY.includes(key) ? `option ${key} can only be set when creating the stand-in` : `unknown option: ${key}`,
			);
		}
		switch (key) {
			case 'latencyMs':
				if (typeof v !== 'number' || !Number.isFinite(v) || v < 0) throw new TypeError('latencyMs must be a number >= 0');
				cfg.latencyMs = v;
				break;
			case 'windowMs':
				if (typeof v !== 'number' || !Number.isFinite(v) || v <= 0) throw new TypeError('windowMs must be a number > 0');
				cfg.windowMs = v;
				break;
			case 'rateLimit':
				if (v === null) {
					cfg.rateLimit = { apiFansly: null, fansApi: null };
					break;
				}
				if (!isPlainObject(v)) throw new TypeError('rateLimit must be an object {apiFansly, fansApi}');
				for (const k of Object.keys(v)) if (!PROVIDERS.includes(k)) throw new TypeError(`unknown rateLimit provider: ${k}`);
				cfg.rateLimit = {
					apiFansly: 'apiFansly' in v ? checkLimit('apiFansly', v.apiFansly) : cfg.rateLimit.apiFansly,
					fansApi: 'fansApi' in v ? checkLimit('fansApi', v.fansApi) : cfg.rateLimit.fansApi,
				};
				break;
			case 'apiFanslyKey':
			case 'fansApiKey':
			case 'host':
				if (typeof v !== 'string' || v === '') throw new TypeError(`${key} must be a non-empty string`);
				cfg[key] = v;
				break;
			case 'log':
			case 'verbose':
			case 'seed':
				if (typeof v !== 'boolean') throw new TypeError(`${key} must be a boolean`);
				cfg[key] = v;
				break;
			case 'port':
				if (!Number.isInteger(v) || v < 0 || v > 65535) throw new TypeError('port must be an integer 0..65535');
				cfg.port = v;
				break;
			case 'maxLogEntries':
				if (!Number.isInteger(v) || v < 1) throw new TypeError('maxLogEntries must be an integer >= 1');
				cfg.maxLogEntries = v;
				break;
		}
	}
	return cfg;
}

function normalizeFault(f, nextId) {
	if (!isPlainObject(f)) throw new TypeError('fault must be an object');
	const allowed = ['provider', 'method', 'pathIncludes', 'times', 'status', 'body', 'headers', 'kind', 'delayMs'];
	for (const k of Object.keys(f)) if (!allowed.includes(k)) throw new TypeError(`unknown fault field: ${k}`);
	if (f.provider != null && !PROVIDERS.includes(f.provider)) throw new TypeError(`fault.provider must be one of ${PROVIDERS.join(', ')}`);
	const kind = f.kind == null ? 'status' : f.kind;
	if (!FAULT_KINDS.includes(kind)) throw new TypeError(`fault.kind must be one of ${FAULT_KINDS.join(', ')}`);
	// times: default 1; -1 or Infinity = every matching request until clearFaults()/reset()
	const times = f.times == null ? 1 : f.times === -1 ? Infinity : f.times;
	if (!(times === Infinity || (Number.isInteger(times) && times >= 1))) throw new TypeError('fault.times must be an integer >= 1, or -1 / Infinity for always');
	if (f.status != null && (!Number.isInteger(f.status) || f.status < 100 || f.status > 599)) throw new TypeError('fault.status must be an HTTP status');
	if (f.method != null && typeof f.method !== 'string') throw new TypeError('fault.method must be a string');
	if (f.pathIncludes != null && typeof f.pathIncludes !== 'string') throw new TypeError('fault.pathIncludes must be a string');
	if (f.headers != null && !isPlainObject(f.headers)) throw new TypeError('fault.headers must be an object');
	if (kind === 'delay' && (typeof f.delayMs !== 'number' || !(f.delayMs >= 0))) throw new TypeError('fault.delayMs (>= 0) is required for kind "delay"');
	return {
		id: nextId,
		provider: f.provider == null ? null : f.provider,
		method: f.method == null ? null : f.method.toUpperCase(),
		pathIncludes: f.pathIncludes == null ? null : f.pathIncludes,
		kind,
		times,
		remaining: times,
		status: f.status == null ? null : f.status,
		body: f.body,
		headers: f.headers || null,
		delayMs: f.delayMs == null ? 0 : f.delayMs,
	};
}

// ---------------------------------------------------------------------------
// The stand-in
// ---------------------------------------------------------------------------

/**
 * @param {object} [options] see DEFAULTS / README.md
 * @returns {Promise<object>} the Standin
 */
function createStandin(options = {}) {
	let cfg;
	try {
		cfg = applyConfig(
			{ ...DEFAULTS, rateLimit: { ...DEFAULTS.rateLimit } },
			options == null ? {} : options,
			true,
		);
	} catch (err) {
		return Promise.reject(err);
	}

	let store = createStore(cfg.seed);
	let log = new Ring(cfg.maxLogEntries);
	let seq = 0;
	let faults = [];
	let faultSeq = 0;
	let windows = { apiFansly: new SlidingWindow(), fansApi: new SlidingWindow() };
	let stats = newStats();
	const sleepers = new Set();
	let closed = false;

	function newProviderStats() {
		return { requests: 0, byStatus: {}, status429: 0, updatesApplied: 0, createsApplied: 0, deletesApplied: 0, faultsServed: 0 };
	}
	function newStats() {
		return {
			requests: 0,
			byProvider: { apiFansly: newProviderStats(), fansApi: newProviderStats(), unknown: newProviderStats() },
			byRoute: new Map(),
			status429: 0,
			updatesApplied: 0,
			appliedUpdatesByLink: new Map(),
			inFlight: 0,
			maxInFlight: 0,
			startedAt: Date.now(),
		};
	}

	function statsSnapshot() {
		let duplicateUpdates = 0;
		let linksUpdatedMoreThanOnce = 0;
		const byLink = {};
		for (const [k, n] of stats.appliedUpdatesByLink) {
			byLink[k] = n;
			if (n > 1) {
				duplicateUpdates += n - 1;
				linksUpdatedMoreThanOnce++;
			}
		}
		const byRoute = {};
		for (const [k, n] of stats.byRoute) byRoute[k] = n;
		return {
			requests: stats.requests,
			byProvider: JSON.parse(JSON.stringify(stats.byProvider)),
			byRoute,
			status429: stats.status429,
			updatesApplied: stats.updatesApplied,
			duplicateUpdates,
			linksUpdatedMoreThanOnce,
			appliedUpdatesByLink: byLink,
			inFlight: stats.inFlight,
			maxInFlight: stats.maxInFlight,
			sinceMs: Date.now() - stats.startedAt,
		};
	}

	function sleep(ms) {
		if (!(ms > 0)) return null;
		return new Promise((resolve) => {
			const entry = { timer: null, resolve };
			entry.timer = setTimeout(() => {
				sleepers.delete(entry);
				resolve();
			}, ms);
			sleepers.add(entry);
		});
	}

	// ---- rate limiting ------------------------------------------------------

	function admit(provider) {
		const now = Date.now();
		const w = windows[provider];
		w.prune(now, cfg.windowMs);
		const limit = cfg.rateLimit[provider];
		if (limit !== null && w.count >= limit) {
			const freeAt = w.count > 0 ? w.oldest + cfg.windowMs : now + cfg.windowMs;
			const retryAfter = Math.max(1, Math.ceil((freeAt - now) / 1000));
			return { ok: false, limit, remaining: 0, retryAfter };
		}
		w.push(now);
		if (limit === null) {
			const nominal = NOMINAL_LIMIT[provider];
			return { ok: true, limit: nominal, remaining: Math.max(1, nominal - w.count), unlimited: true };
		}
		return { ok: true, limit, remaining: limit - w.count };
	}

	function rateHeaders(provider, rl) {
		if (provider === 'apiFansly') {
			const h = {
				'X-RateLimit-Limit': String(rl.limit),
				'X-RateLimit-Remaining': String(rl.remaining),
				'X-RateLimit-Plan': 'starter',
			};
			if (!rl.ok) h['X-RateLimit-Retry-After'] = String(rl.retryAfter);
			return h;
		}
		const h = {
			'x-rate-limit-limit-minute': String(rl.limit),
			'x-rate-limit-remaining-minute': String(rl.remaining),
		};
		if (!rl.ok) h['Retry-After'] = String(rl.retryAfter);
		return h;
	}

	// ---- response shapes ----------------------------------------------------

	const afEnvelope = (statusCode, message, data) => ({ statusCode, message, data, timestamp: new Date().toISOString() });
	const afError = (statusCode, message) => afEnvelope(statusCode, message, null);

	function fansMeta(rl) {
		return {
			_credits: { used: 1, balance: store.fansApi.credits, note: 'Always' },
			_cache: { is_cached: false, note: 'Cache disabled for this endpoint' },
			_rate_limits: {
				limit_minute: rl.limit,
				limit_day: null,
				remaining_minute: rl.remaining,
				remaining_day: null,
				notice: FANSAPI_RL_NOTICE,
			},
		};
	}

	/** Charge one Fans API credit and produce {status:200, body, headers}. */
	function fansOk(rl, data, bare) {
		store.fansApi.credits -= 1;
		return {
			status: 200,
			body: bare ? data : { data, _meta: fansMeta(rl) },
			headers: { 'x-ofapi-credits-used': '1', 'x-ofapi-credits-balance': String(store.fansApi.credits) },
		};
	}

	const notFoundFans = (message) => ({ status: 404, body: { message } });
	const validationFans = (field, message) => ({ status: 422, body: { message, errors: { [field]: [message] } } });

	const afLinkView = (l) => ({
		id: l.id, accountId: l.accountId, label: l.label, description: l.description, metadata: l.metadata, createdAt: l.createdAt,
		clicks: l.clicks, claims: l.claims, follows: l.follows, subscriptions: l.subscriptions, totalNet: l.totalNet, totalGross: l.totalGross,
	});
	const fansLinkView = (l) => ({
		id: l.id, accountId: l.accountId, internalId: l.internalId, type: l.type, status: l.status, label: l.label,
		description: l.description, metadata: l.metadata, createdAt: l.createdAt,
		clicks: l.clicks, claims: l.claims, follows: l.follows, subscriptions: l.subscriptions, totalNet: l.totalNet, totalGross: l.totalGross,
	});
	const fansLinkUpdateView = (l) => ({
		...fansLinkView(l), clicks: null, claims: null, follows: null, subscriptions: null, totalNet: null, totalGross: null,
	});

	function countUpdate(provider, account, linkId) {
		stats.updatesApplied++;
		stats.byProvider[provider].updatesApplied++;
		const key = `${provider}:${account}:${linkId}`;
		stats.appliedUpdatesByLink.set(key, (stats.appliedUpdatesByLink.get(key) || 0) + 1);
	}

	// ---- API Fansly handlers (ctx.input is the parsed body; {} when absent) ----

	function afAccountLinks(acct) {
		const m = store.apiFansly.links.get(acct);
		if (m) return m;
		if (!store.apiFansly.accounts.some((a) => a.accountId === acct)) return null;
		const fresh = new Map();
		store.apiFansly.links.set(acct, fresh);
		return fresh;
	}

	const apiFansly = {
		accounts() {
			const accounts = store.apiFansly.accounts.map((a) => ({ ...a }));
			return { status: 200, body: afEnvelope(200, 'Accounts retrieved successfully', { success: true, count: accounts.length, accounts }) };
		},
		updateLink(ctx, p) {
			const b = ctx.input;
			const opt = (v) => v === undefined || v === null || typeof v === 'string';
			if (!isPlainObject(b) || typeof b.id !== 'string' || b.id === '' || !opt(b.label) || !opt(b.description)) {
				return { status: 400, body: afError(400, 'Invalid request parameters') };
			}
			const links = afAccountLinks(p.account);
			if (!links) return { status: 404, body: afError(404, `Account ${p.account} not found`) };
			const l = links.get(b.id);
			if (!l) return { status: 404, body: afError(404, `Tracking link ${b.id} not found for account ${p.account}`) };
			if (typeof b.label === 'string') l.label = b.label;
			if (typeof b.description === 'string') l.description = b.description;
			countUpdate('apiFansly', p.account, l.id);
			return {
				status: 200,
				body: afEnvelope(200, 'Tracking link updated successfully', { status_code: 200, data: { success: true, response: afLinkView(l) } }),
			};
		},
		deleteLink(ctx, p) {
			const b = ctx.input;
			if (!isPlainObject(b) || typeof b.trackingLinkId !== 'string' || b.trackingLinkId === '') {
				return { status: 400, body: afError(400, 'Invalid request parameters') };
			}
			const links = afAccountLinks(p.account);
			if (!links) return { status: 404, body: afError(404, `Account ${p.account} not found`) };
			if (!links.delete(b.trackingLinkId)) {
				return { status: 404, body: afError(404, `Tracking link ${b.trackingLinkId} not found for account ${p.account}`) };
			}
			stats.byProvider.apiFansly.deletesApplied++;
			return {
				status: 200,
				body: afEnvelope(200, 'Tracking link deleted successfully', { status_code: 200, data: { success: true, response: null } }),
			};
		},
	};

	function matchApiFansly(s) {
		if (s.length === 3 && s[0] === 'api' && s[1] === 'fansly' && s[2] === 'accounts') {
			return { route: '/api/fansly/accounts', params: {}, methods: { GET: apiFansly.accounts } };
		}
		if (s.length === 4 && s[0] === 'api' && s[1] === 'fansly' && s[2] !== '' && s[3] === 'tracking-links') {
			return {
				route: '/api/fansly/:account/tracking-links',
				params: { account: s[2] },
				methods: { PUT: apiFansly.updateLink, DELETE: apiFansly.deleteLink },
			};
		}
		return null;
	}

	// ---- Fans API handlers (Laravel-like input: strings trimmed, '' -> null) --

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
		if (input.label === undefined || input.label === null) return validationFans('label', 'The label field is required.');
		if (typeof input.label !== 'string') return validationFans('label', 'The label field must be a string.');
		if (input.description !== undefined && input.description !== null && typeof input.description !== 'string') {
			return validationFans('description', 'The description field must be a string.');
		}
		return null;
	}

	function fansAccountLinks(acct) {
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
		if (Number.isNaN(t)) return { error: validationFans(name, `The ${name} field must be a valid date.`) };
		return { value: t };
	}

	function statsHandler(revenue) {
		return (ctx, p, rl) => {
			const links = fansAccountLinks(p.account);
			if (!links) return notFoundFans('Fansly account not found.');
			const l = links.get(p.link);
			if (!l) return notFoundFans('Tracking link not found.');
			const q = parseQuery(ctx.query);
			const now = Date.now();
			const before = parseDateParam('before', q.before, now);
			if (before.error) return before.error;
			const after = parseDateParam('after', q.after, before.value - 30 * DAY_MS);
			if (after.error) return after.error;
			if (after.value > before.value) return validationFans('before', 'The before field must be a date after after.');
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
			return fansOk(rl, data);
		};
	}

	const fansApi = {
		whoami(ctx, p, rl) {
			return fansOk(rl, {
				team: { id: 'team_demo000000001', name: 'Demo Team' },
				api_key: { id: 'key_demo000000001', name: 'Demo key' },
				user: { name: 'Demo User', email: 'demo@example.com' },
			});
		},
		accounts(ctx, p, rl) {
			return fansOk(rl, store.fansApi.accounts.map((a) => ({ ...a })), true);
		},
		listLinks(ctx, p, rl) {
			const links = fansAccountLinks(p.account);
			if (!links) return notFoundFans('Fansly account not found.');
			return fansOk(rl, [...links.values()].map(fansLinkView));
		},
		createLink(ctx, p, rl) {
			const links = fansAccountLinks(p.account);
			if (!links) return notFoundFans('Fansly account not found.');
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
			stats.byProvider.fansApi.createsApplied++;
			return fansOk(rl, { id: l.id, accountId: l.accountId, internalId, type: l.type, status: l.status, label: l.label, description: l.description });
		},
		updateLink(ctx, p, rl) {
			const links = fansAccountLinks(p.account);
			if (!links) return notFoundFans('Fansly account not found.');
			const input = laravelInput(ctx.input);
			const invalid = validateLabelBody(input);
			if (invalid) return invalid;
			const l = links.get(p.link);
			if (!l) return notFoundFans('Tracking link not found.');
			l.label = input.label;
			if (input.description !== undefined) l.description = input.description;
			countUpdate('fansApi', p.account, l.id);
			return fansOk(rl, fansLinkUpdateView(l));
		},
		deleteLink(ctx, p, rl) {
			const links = fansAccountLinks(p.account);
			if (!links) return notFoundFans('Fansly account not found.');
			if (!links.delete(p.link)) return notFoundFans('Tracking link not found.');
			stats.byProvider.fansApi.deletesApplied++;
			return fansOk(rl, null);
		},
		stats: statsHandler(false),
		revenueStats: statsHandler(true),
	};

	function matchFansApi(s) {
		if (s[0] !== 'api') return null;
		if (s.length === 2 && s[1] === 'whoami') return { route: '/api/whoami', params: {}, methods: { GET: fansApi.whoami } };
		if (s[1] !== 'fansly' || s.length < 3) return null;
		if (s.length === 3) {
			return s[2] === 'accounts' ? { route: '/api/fansly/accounts', params: {}, methods: { GET: fansApi.accounts } } : null;
		}
		if (s[2] === '' || s[3] !== 'tracking-links') return null;
		const account = s[2];
		if (s.length === 4) {
			return {
				route: '/api/fansly/:account/tracking-links',
				params: { account },
				methods: { GET: fansApi.listLinks, POST: fansApi.createLink },
			};
		}
		if (s[4] === '') return null;
		const params = { account, link: s[4] };
		if (s.length === 5) {
			return {
				route: '/api/fansly/:account/tracking-links/:link',
				params,
				methods: { PUT: fansApi.updateLink, DELETE: fansApi.deleteLink },
			};
		}
		if (s.length === 6 && s[5] === 'stats') {
			return { route: '/api/fansly/:account/tracking-links/:link/stats', params, methods: { GET: fansApi.stats } };
		}
		if (s.length === 6 && s[5] === 'revenue-stats') {
			return { route: '/api/fansly/:account/tracking-links/:link/revenue-stats', params, methods: { GET: fansApi.revenueStats } };
		}
		return null;
	}

	// ---- auth ---------------------------------------------------------------

	/** Returns 'ok' | 'wrong' | 'missing' (apiFansly) or 'Bearer ok' | 'Bearer wrong' | 'missing' | 'not Bearer' (fansApi). */
	function authState(provider, headers) {
		if (provider === 'apiFansly') {
			const k = headers['x-api-key'];
			if (k === undefined) return 'missing';
			return k === cfg.apiFanslyKey ? 'ok' : 'wrong';
		}
		const a = headers.authorization;
		if (a === undefined) return 'missing';
		const m = /^bearer\s+(.*)$/i.exec(a);
		if (!m) return 'not Bearer';
		return m[1].trim() === cfg.fansApiKey ? 'Bearer ok' : 'Bearer wrong';
	}

	function redactedHeaders(provider, headers, auth) {
		const out = { 'content-type': headers['content-type'] === undefined ? null : headers['content-type'] };
		if (headers['user-agent'] !== undefined) out['user-agent'] = headers['user-agent'];
		if (provider === 'apiFansly') {
			out['x-api-key'] = `<redacted: ${auth}>`;
			if (headers.authorization !== undefined) out.authorization = '<redacted: present>';
		} else if (provider === 'fansApi') {
			out.authorization = `<redacted: ${auth}>`;
			if (headers['x-api-key'] !== undefined) out['x-api-key'] = '<redacted: present>';
		} else {
			if (headers['x-api-key'] !== undefined) out['x-api-key'] = '<redacted: present>';
			if (headers.authorization !== undefined) out.authorization = '<redacted: present>';
		}
		return out;
	}

	// ---- body ---------------------------------------------------------------

	function readBody(req) {
		return new Promise((resolve) => {
			const chunks = [];
			let size = 0;
			let tooLarge = false;
			let done = false;
			req.on('data', (c) => {
				size += c.length;
				if (size > MAX_BODY_BYTES) tooLarge = true;
				else chunks.push(c);
			});
			req.on('end', () => {
				if (done) return;
				done = true;
				resolve({ ok: true, tooLarge, text: chunks.length === 0 ? '' : Buffer.concat(chunks).toString('utf8') });
			});
			const fail = () => {
				if (done) return;
				done = true;
				resolve({ ok: false });
			};
			req.on('error', fail);
			req.on('close', fail);
		});
	}

	/** Sets ctx.logBody (parsed JSON or raw string or null) and ctx.input (what the provider's framework would see). */
	function parseBody(ctx, text, contentType) {
		ctx.input = {};
		ctx.logBody = null;
		ctx.badJson = false;
		if (text === '') return;
		ctx.logBody = text;
		const ct = (contentType || '').toLowerCase();
		if (ct.includes('json')) {
			try {
				ctx.input = JSON.parse(text);
				ctx.logBody = ctx.input;
			} catch {
				ctx.badJson = true;
			}
		} else if (ct.includes('application/x-www-form-urlencoded')) {
			ctx.input = parseQuery(text);
		}
		// any other content type: the provider frameworks would not parse the body -> {}
	}

	// ---- sending / bookkeeping -----------------------------------------------

	function finish(ctx, status) {
		if (ctx.finished) return;
		ctx.finished = true;
		stats.inFlight--;
		const ps = stats.byProvider[ctx.provider || 'unknown'];
		ps.requests++;
		const sk = status === null ? 'none' : String(status);
		ps.byStatus[sk] = (ps.byStatus[sk] || 0) + 1;
		if (status === 429) {
			ps.status429++;
			stats.status429++;
		}
		if (ctx.fault) ps.faultsServed++;
		if (ctx.route) {
			const rk = `${ctx.provider} ${ctx.method} ${ctx.route}`;
			stats.byRoute.set(rk, (stats.byRoute.get(rk) || 0) + 1);
		}
		const durationMs = Math.round((performance.now() - ctx.t0) * 10) / 10;
		if (cfg.log) {
			const entry = {
				seq: ++seq,
				time: new Date(ctx.arrival).toISOString(),
				provider: ctx.provider,
				method: ctx.method,
				rawPath: ctx.rawUrl,
				segments: ctx.segments,
				route: ctx.route,
				headers: redactedHeaders(ctx.provider, ctx.req.headers, ctx.auth || (ctx.provider ? authState(ctx.provider, ctx.req.headers) : null)),
				body: ctx.logBody === undefined ? null : ctx.logBody,
				status,
				durationMs,
			};
			if (ctx.fault) entry.fault = ctx.fault;
			log.push(entry);
		}
		if (cfg.verbose) {
			process.stderr.write(`[standin] ${ctx.method} ${ctx.rawUrl} -> ${status === null ? 'reset' : status} ${durationMs}ms${ctx.fault ? ` (fault: ${ctx.fault})` : ''}\n`);
		}
	}

	function send(ctx, status, body, headers) {
		const res = ctx.res;
		let payload;
		if (body === undefined || body === null) payload = '';
		else if (typeof body === 'string' || Buffer.isBuffer(body)) payload = body;
		else payload = JSON.stringify(body);
		const h = mergeHeaders({ 'Content-Type': 'application/json' }, headers, { 'Content-Length': Buffer.byteLength(payload) });
		if (!res.destroyed && !res.headersSent) {
			res.writeHead(status, h);
			res.end(payload);
		}
		finish(ctx, status);
	}

	// ---- faults ---------------------------------------------------------------

	function takeFault(provider, method, rawUrl) {
		for (let i = 0; i < faults.length; i++) {
			const f = faults[i];
			if (f.provider !== null && f.provider !== provider) continue;
			if (f.method !== null && f.method !== method) continue;
			if (f.pathIncludes !== null && !rawUrl.includes(f.pathIncludes)) continue;
			f.remaining--;
			if (f.remaining <= 0) faults.splice(i, 1);
			return f;
		}
		return null;
	}

	function serveFault(ctx, f) {
		const provider = ctx.provider;
		const userHeaders = f.headers || {};
		const bodyOf = (b) => (b === undefined ? undefined : typeof b === 'string' ? b : JSON.stringify(b));
		switch (f.kind) {
			case 'reset':
				ctx.res.socket && ctx.res.socket.destroy();
				finish(ctx, null);
				return;
			case 'html': {
				const body =
					bodyOf(f.body) ??
					'<html>\r\n<head><title>502 Bad Gateway</title></head>\r\n<body>\r\n<center><h1>502 Bad Gateway</h1></center>\r\n<hr><center>cloudflare</center>\r\n</body>\r\n</html>\r\n';
				send(ctx, f.status || 200, body, mergeHeaders({ 'Content-Type': 'text/html; charset=UTF-8' }, userHeaders));
				return;
			}
			case 'empty':
				send(ctx, f.status || 200, '', userHeaders);
				return;
			case 'truncated': {
				const full =
					bodyOf(f.body) ??
					(provider === 'apiFansly'
						? JSON.stringify(afEnvelope(200, 'Tracking link updated successfully', {
							status_code: 200,
							data: { success: true, response: { id: '845759434926862336', accountId: '800000000000000001', label: 'Twitter bio' } },
						}))
						: JSON.stringify({ data: { id: '100000000000000002', accountId: '800000000000000001', label: 'Twitter bio' }, _meta: {} }));
				send(ctx, f.status || 200, full.slice(0, Math.max(1, Math.floor(full.length / 2))), userHeaders);
				return;
			}
			case 'status':
			default: {
				const status = f.status || 500;
				const defaults = {};
				let body = bodyOf(f.body);
				if (provider === 'apiFansly') {
					if (status === 429) {
						Object.assign(defaults, { 'X-RateLimit-Limit': '600', 'X-RateLimit-Remaining': '0', 'X-RateLimit-Plan': 'starter', 'X-RateLimit-Retry-After': '1' });
					}
					if (body === undefined) {
						const msg = status === 429 ? 'Rate limit exceeded. Please wait before making more requests.' : http.STATUS_CODES[status] || 'Error';
						body = JSON.stringify(afError(status, msg));
					}
				} else {
					if (status === 429) Object.assign(defaults, { 'Retry-After': '1', 'x-rate-limit-limit-minute': '5000', 'x-rate-limit-remaining-minute': '0' });
					if (body === undefined) {
						const msg = status === 429 ? 'Too Many Attempts.' : status >= 500 ? 'Server Error' : http.STATUS_CODES[status] || 'Error';
						body = JSON.stringify({ message: msg });
					}
				}
				send(ctx, status, body, mergeHeaders(defaults, userHeaders));
			}
		}
	}

	// ---- the main request handler -------------------------------------------

	async function onProviderRequest(req, res, ctx, parts) {
		let segments = null;
		try {
			segments = parts.slice(1).map(decodeURIComponent);
		} catch {
			segments = null;
		}
		ctx.segments = segments || parts.slice(1);

		const b = await readBody(req);
		if (!b.ok) {
			ctx.logBody = null;
			finish(ctx, null); // client went away before sending its body
			return;
		}
		parseBody(ctx, b.text, req.headers['content-type']);
		const provider = ctx.provider;
		const wait = () => sleep(cfg.latencyMs);

		if (provider === null) {
			send(ctx, 404, { message: 'Unknown stand-in path. Use /apifansly/api/fansly/... or /fansapi/api/...', path: ctx.path });
			return;
		}

		const fault = takeFault(provider, ctx.method, ctx.rawUrl);
		if (fault) {
			ctx.fault = fault.kind;
			if (fault.kind === 'delay') {
				await sleep(fault.delayMs);
			} else {
				await wait();
				serveFault(ctx, fault);
				return;
			}
		}

		const subPath = ctx.path.slice(provider === 'apiFansly' ? '/apifansly'.length : '/fansapi'.length) || '/';
		if (segments === null || b.tooLarge) {
			await wait();
			const status = b.tooLarge ? 413 : 400;
			const msg = b.tooLarge ? 'Payload Too Large' : 'Malformed URL encoding';
			send(ctx, status, provider === 'apiFansly' ? afError(status, msg) : { message: msg });
			return;
		}

		const s = segments.slice(1);
		const m = provider === 'apiFansly' ? matchApiFansly(s) : matchFansApi(s);
		const method = ctx.method === 'HEAD' ? 'GET' : ctx.method;
		if (!m) {
			await wait();
			send(
				ctx,
				404,
				provider === 'apiFansly'
					? afError(404, `Cannot ${ctx.method} ${subPath}`)
					: { message: `The route ${subPath.replace(/^\//, '')} could not be found.` },
			);
			return;
		}
		ctx.route = m.route;
		const handler = m.methods[method];
		if (!handler) {
			await wait();
			if (provider === 'apiFansly') {
				send(ctx, 404, afError(404, `Cannot ${ctx.method} ${subPath}`));
			} else {
				const allowed = Object.keys(m.methods).flatMap((x) => (x === 'GET' ? ['GET', 'HEAD'] : [x]));
				send(
					ctx,
					405,
					{ message: `The ${ctx.method} method is not supported for route ${subPath.replace(/^\//, '')}. Supported methods: ${allowed.join(', ')}.` },
					{ Allow: allowed.join(', ') },
				);
			}
			return;
		}

		ctx.auth = authState(provider, req.headers);
		if (ctx.auth !== 'ok' && ctx.auth !== 'Bearer ok') {
			await wait();
			send(ctx, 401, provider === 'apiFansly' ? afError(401, 'Invalid or missing API key') : { message: 'Unauthenticated.' });
			return;
		}

		const rl = admit(provider);
		const rh = rateHeaders(provider, rl);
		if (!rl.ok) {
			await wait();
			send(ctx, 429, provider === 'apiFansly' ? afError(429, 'Rate limit exceeded. Please wait before making more requests.') : { message: 'Too Many Attempts.' }, rh);
			return;
		}

		await wait();
		if (provider === 'apiFansly' && ctx.badJson) {
			send(ctx, 400, afError(400, 'Invalid request parameters'), rh);
			return;
		}
		if (provider === 'fansApi' && ctx.badJson) ctx.input = {};
		const out = handler(ctx, m.params, rl);
		send(ctx, out.status, out.body, out.headers ? mergeHeaders(rh, out.headers) : rh);
	}

	// ---- control endpoints ----------------------------------------------------

	function controlJson(res, status, body) {
		const payload = JSON.stringify(body);
		res.writeHead(status, { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(payload) });
		res.end(payload);
	}

	function publicConfig() {
		return {
			latencyMs: cfg.latencyMs,
			rateLimit: { ...cfg.rateLimit },
			windowMs: cfg.windowMs,
			apiFanslyKey: cfg.apiFanslyKey,
			fansApiKey: cfg.fansApiKey,
			log: cfg.log,
			verbose: cfg.verbose,
			seed: cfg.seed,
			maxLogEntries: cfg.maxLogEntries,
		};
	}

	async function onControl(req, res, parts, query) {
		const b = await readBody(req);
		if (!b.ok) return;
		const action = parts.slice(2).join('/');
		const method = req.method;
		let body;
		const needBody = () => {
			if (b.text === '') return {};
			body = JSON.parse(b.text);
			return body;
		};
		try {
			if (action === '' && method === 'GET') {
				return controlJson(res, 200, {
					name: 'n8n-nodes-fansly provider stand-in',
					url: standin.url,
					apiFanslyBaseUrl: standin.apiFanslyBaseUrl,
					fansApiBaseUrl: standin.fansApiBaseUrl,
					endpoints: ['GET requests', 'DELETE requests', 'POST reset', 'GET|POST config', 'GET|POST|DELETE faults', 'GET stats', 'GET store'],
				});
			}
			if (action === 'requests' && method === 'GET') {
				const q = parseQuery(query);
				let entries = log.toArray();
				if (q.provider) entries = entries.filter((e) => e.provider === q.provider);
				if (q.since) entries = entries.filter((e) => e.seq > Number(q.since));
				if (q.limit) entries = entries.slice(-Number(q.limit));
				return controlJson(res, 200, entries);
			}
			if (action === 'requests' && method === 'DELETE') {
				log = new Ring(cfg.maxLogEntries);
				return controlJson(res, 200, { ok: true });
			}
			if (action === 'reset' && method === 'POST') {
				standin.reset();
				return controlJson(res, 200, { ok: true });
			}
			if (action === 'config' && method === 'GET') return controlJson(res, 200, publicConfig());
			if (action === 'config' && method === 'POST') return controlJson(res, 200, standin.configure(needBody()));
			if (action === 'faults' && method === 'GET') return controlJson(res, 200, faults.map((f) => ({ ...f })));
			if (action === 'faults' && method === 'POST') {
				const input = needBody();
				const list = Array.isArray(input) ? input : [input];
				const added = list.map((f) => standin.injectFault(f));
				return controlJson(res, 200, { ok: true, faults: added });
			}
			if (action === 'faults' && method === 'DELETE') {
				standin.clearFaults();
				return controlJson(res, 200, { ok: true });
			}
			if (action === 'stats' && method === 'GET') return controlJson(res, 200, statsSnapshot());
			if (action === 'store' && method === 'GET') return controlJson(res, 200, snapshotStore(store));
			return controlJson(res, 404, { error: `unknown control endpoint: ${method} /__standin/${action}` });
		} catch (err) {
			return controlJson(res, 400, { error: err && err.message ? err.message : String(err) });
		}
	}

	function onRequest(req, res) {
		const rawUrl = req.url || '/';
		const qi = rawUrl.indexOf('?');
		const path = qi === -1 ? rawUrl : rawUrl.slice(0, qi);
		const query = qi === -1 ? '' : rawUrl.slice(qi + 1);
		const parts = path.split('/');
		const prefix = parts.length > 1 ? parts[1] : '';
		if (prefix === '__standin') {
			onControl(req, res, parts, query).catch((err) => {
				if (!res.headersSent) controlJson(res, 500, { error: String(err && err.stack) });
			});
			return;
		}
		const provider = Object.prototype.hasOwnProperty.call(PREFIX_TO_PROVIDER, prefix) ? PREFIX_TO_PROVIDER[prefix] : null;
		stats.requests++;
		stats.inFlight++;
		if (stats.inFlight > stats.maxInFlight) stats.maxInFlight = stats.inFlight;
		const ctx = {
			req, res, provider, method: req.method, rawUrl, path, query,
			segments: null, route: null, input: {}, logBody: null, badJson: false,
			auth: null, fault: null, finished: false,
			t0: performance.now(), arrival: Date.now(),
		};
		onProviderRequest(req, res, ctx, parts).catch((err) => {
			const msg = `stand-in internal error: ${err && err.message}`;
			if (!closed) process.stderr.write(`[standin] ${err && err.stack}\n`);
			if (!ctx.finished) send(ctx, 500, provider === 'apiFansly' ? afError(500, msg) : { message: msg });
		});
	}

	// ---- public object ----------------------------------------------------------

	const server = http.createServer(onRequest);
	server.keepAliveTimeout = 65000; // longer than typical client idle timeouts: avoids reuse races
	server.headersTimeout = 66000;
	server.requestTimeout = 0;
	server.maxRequestsPerSocket = 0;

	const standin = {
		url: null,
		port: null,
		host: cfg.host,
		apiFanslyBaseUrl: null,
		fansApiBaseUrl: null,
		get requests() {
			return log.toArray();
		},
		get store() {
			return store;
		},
		get config() {
			return publicConfig();
		},
		stats() {
			return statsSnapshot();
		},
		snapshot() {
			return snapshotStore(store);
		},
		reset() {
			store = createStore(cfg.seed);
			log = new Ring(cfg.maxLogEntries);
			seq = 0;
			faults = [];
			windows = { apiFansly: new SlidingWindow(), fansApi: new SlidingWindow() };
			const inFlight = stats.inFlight;
			stats = newStats();
			stats.inFlight = inFlight;
		},
		configure(partial) {
			const next = applyConfig({ ...cfg, rateLimit: { ...cfg.rateLimit } }, partial, false);
			Object.assign(cfg, next);
			return publicConfig();
		},
		injectFault(fault) {
			const f = normalizeFault(fault, ++faultSeq);
			faults.push(f);
			return { ...f };
		},
		clearFaults() {
			faults = [];
		},
		close() {
			if (closed) return Promise.resolve();
			closed = true;
			for (const s of sleepers) clearTimeout(s.timer);
			sleepers.clear();
			return new Promise((resolve) => {
				server.close(() => resolve());
				server.closeAllConnections();
			});
		},
	};

	return new Promise((resolve, reject) => {
		const onError = (err) => reject(err);
		server.once('error', onError);
		server.listen({ port: cfg.port, host: cfg.host, backlog: 4096 }, () => {
			server.removeListener('error', onError);
			const addr = server.address();
			let urlHost = cfg.host;
			if (urlHost === '0.0.0.0' || urlHost === '::') urlHost = '127.0.0.1';
			if (urlHost.includes(':')) urlHost = `[${urlHost}]`;
			standin.port = addr.port;
			standin.url = `http://${urlHost}:${addr.port}`;
			standin.apiFanslyBaseUrl = `${standin.url}/apifansly`;
			standin.fansApiBaseUrl = `${standin.url}/fansapi`;
			resolve(standin);
		});
	});
}

module.exports = { createStandin, DEFAULTS, SEED_IDS };
