'use strict';
/**
 * Self-tests of the provider stand-in. Run with: node --test dev/standin/
 *
 * If the project's jest picks this file up (its default testMatch includes *.test.js), it runs
 * one jest test that delegates to `node --test` on this file instead of failing.
 */

if (process.env.JEST_WORKER_ID !== undefined && typeof globalThis.test === 'function') {
	globalThis.test(
		'provider stand-in self-tests (delegated to node --test)',
		() => {
			const env = { ...process.env };
			delete env.JEST_WORKER_ID;
			const r = require('node:child_process').spawnSync(process.execPath, ['--test', __filename], { encoding: 'utf8', env });
			if (r.status !== 0) throw new Error(`node --test failed:\n${r.stdout}\n${r.stderr}`);
		},
		120000,
	);
} else {
	defineTests();
}

function defineTests() {
	const { describe, it, before, after, beforeEach } = require('node:test');
	const assert = require('node:assert/strict');
	const path = require('node:path');
	const { spawn } = require('node:child_process');
	const { createStandin, SEED_IDS, DEFAULTS } = require('./server.js');

	const AF_KEY = DEFAULTS.apiFanslyKey;
	const FA_KEY = DEFAULTS.fansApiKey;
	// The seed: the shared fixture data (also read by the unit and end-to-end tests)
	const SEED = require('../../test/fixtures/data/seed.json');
	const AF_ACCT = SEED_IDS.apiFansly.accountId;
	const FA_ACCT = SEED_IDS.fansApi.accountId;
	const FA_ACCT2 = SEED_IDS.fansApi.secondAccountId;
	const AF_LINK = SEED_IDS.apiFansly.linkIds[0];
	const FA_LINK = SEED_IDS.fansApi.linkIds[1];
	/** The seed records of AF_LINK and of FA_ACCT's links (FA_LINK is the second). */
	const AF_SEED_LINK = SEED.apiFansly.links[AF_ACCT][0];
	const FA_SEED_LINKS = SEED.fansApi.links[FA_ACCT];
	const ISO = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;
	const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

	async function call(url, { method = 'GET', body, headers = {} } = {}) {
		const init = { method, headers: { ...headers } };
		if (body !== undefined) {
			init.body = typeof body === 'string' ? body : JSON.stringify(body);
			if (!Object.keys(init.headers).some((h) => h.toLowerCase() === 'content-type')) init.headers['content-type'] = 'application/json';
		}
		const res = await fetch(url, init);
		const text = await res.text();
		let json;
		try {
			json = JSON.parse(text);
		} catch {
			json = undefined;
		}
		return { status: res.status, headers: res.headers, text, json };
	}
	/** API Fansly request; key: undefined = right key, null = no header, string = that key. */
	const af = (s, method, p, { body, key, headers } = {}) =>
		call(s.apiFanslyBaseUrl + p, {
			method,
			body,
			headers: { ...(key === null ? {} : { 'x-api-key': key === undefined ? AF_KEY : key }), ...headers },
		});
	/** Fans API request; key: undefined = right key, null = no header, string = that token. */
	const fa = (s, method, p, { body, key, headers } = {}) =>
		call(s.fansApiBaseUrl + p, {
			method,
			body,
			headers: { ...(key === null ? {} : { authorization: `Bearer ${key === undefined ? FA_KEY : key}` }), ...headers },
		});
	const faLinks = (acct = FA_ACCT) => `/api/fansly/${acct}/tracking-links`;
	const afLinks = (acct = AF_ACCT) => `/api/fansly/${acct}/tracking-links`;

	async function withStandin(opts, fn) {
		const s = await createStandin({ ...opts });
		try {
			return await fn(s);
		} finally {
			await s.close();
		}
	}

	// -----------------------------------------------------------------------
	describe('createStandin', () => {
		it('starts on a free loopback port with the documented defaults and object shape', async () => {
			await withStandin({}, async (s) => {
				assert.ok(s.port > 0);
				assert.equal(s.url, `http://127.0.0.1:${s.port}`);
				assert.equal(s.apiFanslyBaseUrl, `${s.url}/apifansly`);
				assert.equal(s.fansApiBaseUrl, `${s.url}/fansapi`);
				for (const fn of ['close', 'reset', 'configure', 'injectFault', 'clearFaults', 'stats', 'snapshot']) assert.equal(typeof s[fn], 'function', fn);
				assert.ok(Array.isArray(s.requests));
				assert.deepEqual(s.config.rateLimit, { apiFansly: null, fansApi: null });
				assert.equal(s.config.latencyMs, 0);
				assert.equal(s.config.windowMs, 60000);
				assert.ok(s.store.apiFansly.links instanceof Map);
			});
		});

		it('rejects unknown or invalid options', async () => {
			await assert.rejects(createStandin({ latency: 5 }), /unknown option: latency/);
			await assert.rejects(createStandin({ rateLimit: { apiFansly: -1 } }), /rateLimit\.apiFansly/);
			await withStandin({}, async (s) => {
				assert.throws(() => s.configure({ port: 1 }), /only be set when creating/);
				assert.throws(() => s.configure({ latencyMs: -1 }), /latencyMs/);
				assert.throws(() => s.injectFault({ kind: 'nope' }), /fault\.kind/);
			});
		});

		it('seeds the exact ids', async () => {
			await withStandin({}, async (s) => {
				assert.deepEqual([...s.store.apiFansly.links.get(AF_ACCT).keys()], SEED_IDS.apiFansly.linkIds);
				assert.deepEqual([...s.store.fansApi.links.get(FA_ACCT).keys()], SEED_IDS.fansApi.linkIds);
				assert.deepEqual(s.store.fansApi.accounts.map((a) => a.id), [FA_ACCT, FA_ACCT2]);
				assert.deepEqual(s.store.apiFansly.links.get(AF_ACCT).get(AF_LINK), AF_SEED_LINK);
				assert.deepEqual(s.store.fansApi.links.get(FA_ACCT).get(FA_LINK), FA_SEED_LINKS[1]);
			});
		});

		it('the shared seed data is consistent: link owners, unique ids, next internal id', () => {
			for (const [provider, idOf] of [['apiFansly', (a) => a.accountId], ['fansApi', (a) => a.id]]) {
				const seed = SEED[provider];
				const accounts = seed.accounts.map(idOf);
				assert.deepEqual(Object.keys(seed.fanslyAccountIds), accounts, `${provider}: one Fansly id per account`);
				for (const acct of Object.keys(seed.links)) {
					assert.ok(accounts.includes(acct), `${provider}: links of a seeded account (${acct})`);
					for (const l of seed.links[acct]) assert.equal(l.accountId, seed.fanslyAccountIds[acct], `${provider}: owner of ${l.id}`);
				}
				const ids = Object.values(seed.links).flat().map((l) => l.id);
				assert.equal(new Set(ids).size, ids.length, `${provider}: unique link ids`);
			}
			const internalIds = Object.values(SEED.fansApi.links).flat().map((l) => Number(l.internalId));
			assert.equal(SEED.fansApi.nextInternalId, Math.max(...internalIds) + 1);
		});

		it('seed:false starts empty', async () => {
			await withStandin({ seed: false }, async (s) => {
				const r = await af(s, 'GET', '/api/fansly/accounts');
				assert.equal(r.json.data.count, 0);
				const r2 = await fa(s, 'GET', '/api/fansly/accounts');
				assert.deepEqual(r2.json, []);
			});
		});
	});

	// -----------------------------------------------------------------------
	describe('API Fansly emulation', () => {
		let s;
		before(async () => {
			s = await createStandin();
		});
		after(() => s.close());
		beforeEach(() => s.reset());

		it('401 when x-api-key is missing or wrong', async () => {
			for (const key of [null, 'wrong-key']) {
				const r = await af(s, 'GET', '/api/fansly/accounts', { key });
				assert.equal(r.status, 401);
				assert.equal(r.json.statusCode, 401);
				assert.equal(r.json.message, 'Invalid or missing API key');
				assert.equal(r.json.data, null);
				assert.match(r.json.timestamp, ISO);
			}
			// a Bearer header is not accepted by this provider
			const r = await af(s, 'GET', '/api/fansly/accounts', { key: null, headers: { authorization: `Bearer ${AF_KEY}` } });
			assert.equal(r.status, 401);
		});

		it('GET accounts: envelope, data and rate-limit headers', async () => {
			const r = await af(s, 'GET', '/api/fansly/accounts');
			assert.equal(r.status, 200);
			assert.equal(r.json.statusCode, 200);
			assert.equal(r.json.message, 'Accounts retrieved successfully');
			assert.match(r.json.timestamp, ISO);
			assert.deepEqual(r.json.data, {
				success: true,
				count: 1,
				accounts: SEED.apiFansly.accounts,
			});
			assert.equal(r.headers.get('x-ratelimit-limit'), '600');
			assert.equal(r.headers.get('x-ratelimit-remaining'), '599');
			assert.equal(r.headers.get('x-ratelimit-plan'), 'starter');
			assert.equal(r.headers.get('x-ratelimit-retry-after'), null);
		});

		it('PUT updates label and description and answers the nested envelope', async () => {
			const r = await af(s, 'PUT', afLinks(), { body: { id: AF_LINK, label: 'Twitter (new)', description: 'New description' } });
			assert.equal(r.status, 200);
			assert.equal(r.json.message, 'Tracking link updated successfully');
			assert.equal(r.json.data.status_code, 200);
			assert.equal(r.json.data.data.success, true);
			// every field of the link but internalId, type and status
			const { internalId: _i, type: _t, status: _s, ...answered } = AF_SEED_LINK;
			assert.deepEqual(r.json.data.data.response, { ...answered, label: 'Twitter (new)', description: 'New description' });
			assert.equal(s.store.apiFansly.links.get(AF_ACCT).get(AF_LINK).label, 'Twitter (new)');
		});

		it('PUT applies only the fields present; empty string sets empty', async () => {
			let r = await af(s, 'PUT', afLinks(), { body: { id: AF_LINK, label: 'Only label' } });
			assert.equal(r.json.data.data.response.description, AF_SEED_LINK.description);
			r = await af(s, 'PUT', afLinks(), { body: { id: AF_LINK, description: '' } });
			assert.equal(r.json.data.data.response.label, 'Only label');
			assert.equal(r.json.data.data.response.description, '');
			r = await af(s, 'PUT', afLinks(), { body: { id: AF_LINK } });
			assert.equal(r.status, 200);
			assert.equal(r.json.data.data.response.label, 'Only label');
		});

		it('PUT 400 when id is missing or fields have the wrong type', async () => {
			for (const body of [{ label: 'x' }, { id: '' }, { id: Number(AF_LINK) }, { id: AF_LINK, label: 5 }, 'not json']) {
				const r = await af(s, 'PUT', afLinks(), { body });
				assert.equal(r.status, 400, JSON.stringify(body));
				assert.equal(r.json.statusCode, 400);
				assert.equal(r.json.message, 'Invalid request parameters');
				assert.equal(r.json.data, null);
			}
			// JSON sent without a JSON content type is not parsed, as on the real frameworks
			const r = await af(s, 'PUT', afLinks(), { body: JSON.stringify({ id: AF_LINK }), headers: { 'content-type': 'text/plain' } });
			assert.equal(r.status, 400);
			assert.equal(s.stats().updatesApplied, 0);
		});

		it('PUT 404 naming the unknown account or link', async () => {
			let r = await af(s, 'PUT', afLinks('fansly_acc_nope'), { body: { id: AF_LINK, label: 'x' } });
			assert.equal(r.status, 404);
			assert.equal(r.json.statusCode, 404);
			assert.match(r.json.message, /fansly_acc_nope/);
			r = await af(s, 'PUT', afLinks(), { body: { id: '999', label: 'x' } });
			assert.equal(r.status, 404);
			assert.match(r.json.message, /999/);
		});

		it('DELETE with {trackingLinkId} removes the link; then 404; {id} is a 400', async () => {
			let r = await af(s, 'DELETE', afLinks(), { body: { id: AF_LINK } });
			assert.equal(r.status, 400);
			r = await af(s, 'DELETE', afLinks(), { body: { trackingLinkId: AF_LINK } });
			assert.equal(r.status, 200);
			assert.deepEqual(
				{ ...r.json, timestamp: 'x' },
				{ statusCode: 200, message: 'Tracking link deleted successfully', data: { status_code: 200, data: { success: true, response: null } }, timestamp: 'x' },
			);
			assert.equal(s.store.apiFansly.links.get(AF_ACCT).has(AF_LINK), false);
			r = await af(s, 'DELETE', afLinks(), { body: { trackingLinkId: AF_LINK } });
			assert.equal(r.status, 404);
			r = await af(s, 'PUT', afLinks(), { body: { id: AF_LINK, label: 'x' } });
			assert.equal(r.status, 404);
		});

		it('no list/create/get endpoints: 404 "Cannot METHOD path" in the envelope', async () => {
			let r = await af(s, 'GET', afLinks());
			assert.equal(r.status, 404);
			assert.equal(r.json.statusCode, 404);
			assert.equal(r.json.message, `Cannot GET /api/fansly/${AF_ACCT}/tracking-links`);
			r = await af(s, 'POST', afLinks(), { body: { label: 'x' } });
			assert.equal(r.json.message, `Cannot POST /api/fansly/${AF_ACCT}/tracking-links`);
			r = await af(s, 'GET', `${afLinks()}/${AF_LINK}`);
			assert.equal(r.status, 404);
			r = await af(s, 'GET', '/api/nothing?x=1');
			assert.equal(r.json.message, 'Cannot GET /api/nothing');
		});
	});

	// -----------------------------------------------------------------------
	describe('Fans API emulation', () => {
		let s;
		before(async () => {
			s = await createStandin();
		});
		after(() => s.close());
		beforeEach(() => s.reset());

		function assertMeta(meta, limit = 5000) {
			assert.equal(meta._credits.used, 1);
			assert.equal(typeof meta._credits.balance, 'number');
			assert.equal(meta._credits.note, 'Always');
			assert.deepEqual(meta._cache, { is_cached: false, note: 'Cache disabled for this endpoint' });
			assert.equal(meta._rate_limits.limit_minute, limit);
			assert.equal(meta._rate_limits.limit_day, null);
			assert.equal(meta._rate_limits.remaining_day, null);
			assert.equal(typeof meta._rate_limits.remaining_minute, 'number');
			assert.equal(typeof meta._rate_limits.notice, 'string');
		}

		it('401 {"message":"Unauthenticated."} without a valid Bearer token', async () => {
			for (const opts of [{ key: null }, { key: 'wrong' }, { key: null, headers: { authorization: `Basic ${FA_KEY}` } }, { key: null, headers: { 'x-api-key': FA_KEY } }]) {
				const r = await fa(s, 'GET', '/api/whoami', opts);
				assert.equal(r.status, 401);
				assert.deepEqual(r.json, { message: 'Unauthenticated.' });
			}
		});

		it('GET whoami: team and key, with _meta and credit headers; balance decreases', async () => {
			const r1 = await fa(s, 'GET', '/api/whoami');
			assert.equal(r1.status, 200);
			assert.deepEqual(r1.json.data, SEED.fansApi.whoami);
			assertMeta(r1.json._meta);
			assert.equal(r1.headers.get('x-ofapi-credits-used'), '1');
			assert.equal(r1.headers.get('x-rate-limit-limit-minute'), '5000');
			assert.equal(r1.headers.get('x-rate-limit-remaining-minute'), '4999');
			const r2 = await fa(s, 'GET', '/api/whoami');
			assert.equal(r2.json._meta._credits.balance, r1.json._meta._credits.balance - 1);
			assert.equal(r2.headers.get('x-ofapi-credits-balance'), String(r2.json._meta._credits.balance));
		});

		it('GET accounts is a bare array', async () => {
			const r = await fa(s, 'GET', '/api/fansly/accounts');
			assert.equal(r.status, 200);
			assert.ok(Array.isArray(r.json));
			assert.deepEqual(r.json, SEED.fansApi.accounts);
			assert.deepEqual(r.json.map((a) => a.id), [FA_ACCT, FA_ACCT2]);
			assert.ok(r.headers.get('x-rate-limit-remaining-minute'));
		});

		it('GET tracking-links lists links with numeric counters', async () => {
			const r = await fa(s, 'GET', faLinks());
			assert.equal(r.status, 200);
			assertMeta(r.json._meta);
			assert.deepEqual(r.json.data, FA_SEED_LINKS);
			for (const l of r.json.data) {
				assert.deepEqual(Object.keys(l), ['id', 'accountId', 'internalId', 'type', 'status', 'label', 'description', 'metadata', 'createdAt', 'clicks', 'claims', 'follows', 'subscriptions', 'totalNet', 'totalGross']);
				assert.equal(l.accountId, SEED_IDS.fansApi.linkAccountId);
				assert.equal(typeof l.internalId, 'string');
				assert.equal(l.metadata, '{}');
				assert.equal(typeof l.createdAt, 'number');
				for (const k of ['clicks', 'claims', 'follows', 'subscriptions', 'totalNet', 'totalGross']) assert.equal(typeof l[k], 'number');
			}
			const r2 = await fa(s, 'GET', faLinks(FA_ACCT2));
			assert.deepEqual(r2.json.data, []);
			const r3 = await fa(s, 'GET', faLinks('fansly_acct_nope'));
			assert.equal(r3.status, 404);
			assert.deepEqual(r3.json, { message: 'Fansly account not found.' });
		});

		it('POST creates a link (internalId a number in the answer, a string in lists)', async () => {
			const r = await fa(s, 'POST', faLinks(FA_ACCT2), { body: { label: 'Instagram', description: 'Bio link' } });
			assert.equal(r.status, 200);
			const d = r.json.data;
			assert.match(d.id, /^\d{18}$/);
			assert.deepEqual({ ...d, id: 'x' }, { id: 'x', accountId: SEED.fansApi.fanslyAccountIds[FA_ACCT2], internalId: d.internalId, type: 1000, status: 1, label: 'Instagram', description: 'Bio link' });
			assert.equal(typeof d.internalId, 'number');
			assertMeta(r.json._meta);
			const list = await fa(s, 'GET', faLinks(FA_ACCT2));
			assert.equal(list.json.data.length, 1);
			assert.equal(list.json.data[0].id, d.id);
			assert.equal(list.json.data[0].internalId, String(d.internalId));
			assert.equal(list.json.data[0].clicks, 0);
			const r2 = await fa(s, 'POST', faLinks(FA_ACCT2), { body: { label: 'Second' } });
			assert.ok(BigInt(r2.json.data.id) > BigInt(d.id));
			assert.equal(r2.json.data.description, null);
		});

		it('POST/PUT 422 when label is missing, blank or not a string', async () => {
			const expected = { message: 'The label field is required.', errors: { label: ['The label field is required.'] } };
			for (const body of [{}, { description: 'x' }, { label: '' }, { label: '   ' }, { label: null }]) {
				let r = await fa(s, 'POST', faLinks(), { body });
				assert.equal(r.status, 422, JSON.stringify(body));
				assert.deepEqual(r.json, expected);
				r = await fa(s, 'PUT', `${faLinks()}/${FA_LINK}`, { body });
				assert.equal(r.status, 422);
				assert.deepEqual(r.json, expected);
			}
			const r = await fa(s, 'POST', faLinks(), { body: { label: 7 } });
			assert.equal(r.status, 422);
			assert.deepEqual(r.json.errors.label, ['The label field must be a string.']);
			assert.equal(s.store.fansApi.links.get(FA_ACCT).size, 3);
		});

		it('PUT updates; counters are null in the answer; description kept when absent', async () => {
			const r = await fa(s, 'PUT', `${faLinks()}/${FA_LINK}`, { body: { label: '  Twitter bio (updated)  ' } });
			assert.equal(r.status, 200);
			assertMeta(r.json._meta);
			assert.deepEqual(r.json.data, {
				...FA_SEED_LINKS[1],
				label: 'Twitter bio (updated)',
				clicks: null,
				claims: null,
				follows: null,
				subscriptions: null,
				totalNet: null,
				totalGross: null,
			});
			const r2 = await fa(s, 'PUT', `${faLinks()}/${FA_LINK}`, { body: { label: 'L', description: 'D' } });
			assert.equal(r2.json.data.description, 'D');
			const list = await fa(s, 'GET', faLinks());
			const l = list.json.data.find((x) => x.id === FA_LINK);
			assert.equal(l.label, 'L');
			assert.equal(l.clicks, FA_SEED_LINKS[1].clicks); // still numbers in the list
		});

		it('PUT 404 for unknown account or link', async () => {
			let r = await fa(s, 'PUT', `${faLinks('fansly_acct_nope')}/${FA_LINK}`, { body: { label: 'x' } });
			assert.equal(r.status, 404);
			assert.deepEqual(r.json, { message: 'Fansly account not found.' });
			r = await fa(s, 'PUT', `${faLinks()}/999`, { body: { label: 'x' } });
			assert.equal(r.status, 404);
			assert.deepEqual(r.json, { message: 'Tracking link not found.' });
		});

		it('DELETE answers {data:null,_meta}; then 404', async () => {
			let r = await fa(s, 'DELETE', `${faLinks()}/${FA_LINK}`);
			assert.equal(r.status, 200);
			assert.equal(r.json.data, null);
			assertMeta(r.json._meta);
			r = await fa(s, 'DELETE', `${faLinks()}/${FA_LINK}`);
			assert.equal(r.status, 404);
			assert.deepEqual(r.json, { message: 'Tracking link not found.' });
			r = await fa(s, 'GET', faLinks());
			assert.equal(r.json.data.length, 2);
		});

		it('stats: one deterministic entry per day, default last 30 days', async () => {
			const r = await fa(s, 'GET', `${faLinks()}/${FA_LINK}/stats`);
			assert.equal(r.status, 200);
			assertMeta(r.json._meta);
			assert.equal(r.json.data.length, 31);
			const e = r.json.data[r.json.data.length - 1];
			assert.deepEqual(Object.keys(e), ['trackingLinkId', 'timestamp', 'clicks', 'claims', 'follows', 'subscriptions', 'year', 'month', 'date']);
			const today = new Date();
			assert.equal(e.trackingLinkId, FA_LINK);
			assert.equal(e.timestamp, Date.UTC(today.getUTCFullYear(), today.getUTCMonth(), today.getUTCDate()));
			assert.deepEqual([e.year, e.month, e.date], [today.getUTCFullYear(), today.getUTCMonth() + 1, today.getUTCDate()]);

			const day = 86400000;
			const base = Math.floor(Date.now() / day) * day;
			const after = new Date(base - 10 * day).toISOString();
			const before = new Date(base - 4 * day).toISOString();
			const q = `?after=${encodeURIComponent(after)}&before=${encodeURIComponent(before)}`;
			const a = await fa(s, 'GET', `${faLinks()}/${FA_LINK}/stats${q}`);
			const b = await fa(s, 'GET', `${faLinks()}/${FA_LINK}/stats${q}`);
			assert.equal(a.json.data.length, 7);
			assert.deepEqual(a.json.data, b.json.data);
			assert.equal(a.json.data[0].timestamp, base - 10 * day);
			// the raw path keeps the query string in the log
			assert.ok(s.requests.at(-1).rawPath.endsWith(q));
		});

		it('revenue-stats: shape, determinism, errors', async () => {
			const r = await fa(s, 'GET', `${faLinks()}/${FA_SEED_LINKS[0].id}/revenue-stats`);
			assert.equal(r.status, 200);
			assert.equal(r.json.data.length, 31);
			const e = r.json.data[0];
			assert.deepEqual(Object.keys(e), ['trackingLinkId', 'type', 'timestamp', 'totalGross', 'totalNet', 'year', 'month', 'date']);
			assert.ok(r.json.data.every((x) => Number.isInteger(x.totalGross) && x.totalNet <= x.totalGross));
			let bad = await fa(s, 'GET', `${faLinks()}/${FA_LINK}/revenue-stats?after=yesterday-ish`);
			assert.equal(bad.status, 422);
			assert.ok(bad.json.errors.after);
			bad = await fa(s, 'GET', `${faLinks()}/999/revenue-stats`);
			assert.equal(bad.status, 404);
			bad = await fa(s, 'GET', `${faLinks()}/999/stats`);
			assert.deepEqual(bad.json, { message: 'Tracking link not found.' });
		});

		it('unknown routes 404, wrong methods 405 (Laravel shapes)', async () => {
			let r = await fa(s, 'GET', '/api/fansly/x/nothing');
			assert.equal(r.status, 404);
			assert.equal(r.json.message, 'The route api/fansly/x/nothing could not be found.');
			r = await fa(s, 'PATCH', `${faLinks()}/${FA_LINK}`, { body: { label: 'x' } });
			assert.equal(r.status, 405);
			assert.match(r.json.message, /PATCH method is not supported.*PUT, DELETE/);
			r = await fa(s, 'GET', '/api/whoami/');
			assert.equal(r.status, 404, 'trailing slash is not normalised');
		});
	});

	// -----------------------------------------------------------------------
	describe('routing', () => {
		let s;
		before(async () => {
			s = await createStandin();
		});
		after(() => s.close());
		beforeEach(() => s.reset());

		it('decodes segments after splitting: %2F stays inside an id', async () => {
			const links = s.store.fansApi.links.get(FA_ACCT);
			links.set('a/b', { ...links.get(FA_LINK), id: 'a/b' });
			const r = await fa(s, 'PUT', `${faLinks()}/a%2Fb`, { body: { label: 'slash' } });
			assert.equal(r.status, 200);
			assert.equal(r.json.data.id, 'a/b');
			const entry = s.requests.at(-1);
			assert.equal(entry.rawPath, `/fansapi${faLinks()}/a%2Fb`);
			assert.deepEqual(entry.segments, ['fansapi', 'api', 'fansly', FA_ACCT, 'tracking-links', 'a/b']);
			// the unencoded form is a different (longer) path and does not match the update route
			const r2 = await fa(s, 'PUT', `${faLinks()}/a/b`, { body: { label: 'slash' } });
			assert.equal(r2.status, 404);
			assert.match(r2.json.message, /could not be found/);
			// percent-encoded account ids are decoded too
			const r3 = await af(s, 'PUT', `/api/fansly/${encodeURIComponent(AF_ACCT)}/tracking-links`, { body: { id: AF_LINK, label: 'x' } });
			assert.equal(r3.status, 200);
		});

		it('query strings are ignored for matching', async () => {
			const r = await af(s, 'GET', '/api/fansly/accounts?page=1&x=%2F');
			assert.equal(r.status, 200);
			assert.equal(s.requests.at(-1).rawPath, '/apifansly/api/fansly/accounts?page=1&x=%2F');
		});

		it('unknown prefix and malformed encoding', async () => {
			let r = await call(`${s.url}/other/api/whoami`);
			assert.equal(r.status, 404);
			r = await fa(s, 'GET', `${faLinks()}/%E0%A4%A`);
			assert.equal(r.status, 400);
		});
	});

	// -----------------------------------------------------------------------
	describe('rate limiting', () => {
		it('API Fansly: headers count down, then 429 with X-RateLimit-Retry-After; 401s are not admitted', async () => {
			await withStandin({ rateLimit: { apiFansly: 3 }, windowMs: 500 }, async (s) => {
				assert.equal((await af(s, 'GET', '/api/fansly/accounts', { key: 'bad' })).status, 401);
				const remaining = [];
				for (let i = 0; i < 3; i++) {
					const r = await af(s, 'GET', '/api/fansly/accounts');
					assert.equal(r.status, 200);
					assert.equal(r.headers.get('x-ratelimit-limit'), '3');
					remaining.push(r.headers.get('x-ratelimit-remaining'));
				}
				assert.deepEqual(remaining, ['2', '1', '0']);
				const r = await af(s, 'PUT', afLinks(), { body: { id: AF_LINK, label: 'blocked' } });
				assert.equal(r.status, 429);
				assert.equal(r.json.statusCode, 429);
				assert.equal(r.json.message, 'Rate limit exceeded. Please wait before making more requests.');
				assert.equal(r.json.data, null);
				assert.match(r.json.timestamp, ISO);
				assert.equal(r.headers.get('x-ratelimit-retry-after'), '1');
				assert.equal(r.headers.get('x-ratelimit-remaining'), '0');
				assert.equal(r.headers.get('retry-after'), null);
				assert.equal(s.store.apiFansly.links.get(AF_ACCT).get(AF_LINK).label, AF_SEED_LINK.label);
				// Fans API has its own window
				assert.equal((await fa(s, 'GET', '/api/whoami')).status, 200);
				await sleep(550);
				assert.equal((await af(s, 'GET', '/api/fansly/accounts')).status, 200);
				const st = s.stats();
				assert.equal(st.status429, 1);
				assert.equal(st.byProvider.apiFansly.status429, 1);
			});
		});

		it('Fans API: 429 {"message":"Too Many Attempts."} with Retry-After and remaining 0; _meta reflects the limit', async () => {
			await withStandin({ rateLimit: { fansApi: 2 }, windowMs: 5000 }, async (s) => {
				const r1 = await fa(s, 'GET', faLinks());
				assert.equal(r1.json._meta._rate_limits.limit_minute, 2);
				assert.equal(r1.json._meta._rate_limits.remaining_minute, 1);
				await fa(s, 'GET', faLinks());
				const r = await fa(s, 'GET', faLinks());
				assert.equal(r.status, 429);
				assert.deepEqual(r.json, { message: 'Too Many Attempts.' });
				assert.equal(r.headers.get('retry-after'), '5');
				assert.equal(r.headers.get('x-rate-limit-remaining-minute'), '0');
				assert.equal(s.stats().status429, 1);
			});
		});

		it('the window slides (not a fixed bucket)', async () => {
			await withStandin({ rateLimit: { fansApi: 2 }, windowMs: 1000 }, async (s) => {
				const t0 = Date.now();
				assert.equal((await fa(s, 'GET', '/api/whoami')).status, 200); // A at ~0
				await sleep(500);
				assert.equal((await fa(s, 'GET', '/api/whoami')).status, 200); // B at ~500
				assert.equal((await fa(s, 'GET', '/api/whoami')).status, 429); // C: A and B in window
				await sleep(Math.max(0, t0 + 1080 - Date.now()));
				assert.equal((await fa(s, 'GET', '/api/whoami')).status, 200); // D: A expired
				assert.equal((await fa(s, 'GET', '/api/whoami')).status, 429); // E: B and D in window
			});
		});

		it('logs when the window counted each request (windowAt), after its body arrived: arrival times alone can put one more in a window', async () => {
			await withStandin({ rateLimit: { apiFansly: 1 }, windowMs: 500 }, async (s) => {
				assert.equal((await af(s, 'GET', '/api/fansly/accounts')).status, 200); // A
				await sleep(300);
				// B arrives 300 ms after A, but its body takes 400 ms more: the window sees it after A left.
				const status = await new Promise((resolve, reject) => {
					const body = JSON.stringify({ id: AF_LINK, label: 'slow body' });
					const req = require('node:http').request(
						`${s.apiFanslyBaseUrl}${afLinks()}`,
						{ method: 'PUT', headers: { 'x-api-key': AF_KEY, 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) } },
						(res) => {
							res.resume();
							res.on('end', () => resolve(res.statusCode));
						},
					);
					req.on('error', reject);
					req.flushHeaders();
					setTimeout(() => req.end(body), 400);
				});
				assert.equal(status, 200);
				await af(s, 'GET', '/api/fansly/accounts', { key: 'wrong-secret' }); // never reaches the window
				const [a, b, refused] = s.requests;
				const gap = (x, y, field) => Date.parse(y[field]) - Date.parse(x[field]);
				assert.ok(gap(a, b, 'time') < 500, `arrivals ${gap(a, b, 'time')} ms apart`);
				assert.ok(gap(a, b, 'windowAt') >= 500, `counted ${gap(a, b, 'windowAt')} ms apart`);
				assert.ok(Date.parse(b.windowAt) - Date.parse(b.time) >= 350);
				assert.equal(refused.status, 401);
				assert.equal(refused.windowAt, undefined);
			});
		});

		it('limits can be changed at run time; unlimited never answers 429', async () => {
			await withStandin({}, async (s) => {
				const rs = await Promise.all(Array.from({ length: 30 }, () => af(s, 'GET', '/api/fansly/accounts')));
				assert.ok(rs.every((r) => r.status === 200));
				assert.ok(rs.every((r) => Number(r.headers.get('x-ratelimit-remaining')) >= 1));
				s.configure({ rateLimit: { apiFansly: 1 } });
				s.reset(); // clear windows
				assert.equal((await af(s, 'GET', '/api/fansly/accounts')).status, 200);
				assert.equal((await af(s, 'GET', '/api/fansly/accounts')).status, 429);
				assert.equal((await fa(s, 'GET', '/api/whoami')).status, 200);
				s.configure({ rateLimit: { apiFansly: null } });
				assert.equal((await af(s, 'GET', '/api/fansly/accounts')).status, 200);
			});
		});
	});

	// -----------------------------------------------------------------------
	describe('latency and concurrency', () => {
		it('latencyMs delays every response', async () => {
			await withStandin({ latencyMs: 120 }, async (s) => {
				let t = Date.now();
				await fa(s, 'GET', '/api/whoami');
				assert.ok(Date.now() - t >= 110);
				t = Date.now();
				await fa(s, 'GET', '/api/whoami', { key: 'bad' });
				assert.ok(Date.now() - t >= 110, '401 is delayed too');
				s.configure({ latencyMs: 0 });
				t = Date.now();
				await fa(s, 'GET', '/api/whoami');
				assert.ok(Date.now() - t < 100);
			});
		});

		it('serves 1000 concurrent requests with 150 ms latency', async () => {
			await withStandin({ latencyMs: 150 }, async (s) => {
				const rs = await Promise.all(
					Array.from({ length: 1000 }, (_, i) =>
						i % 2
							? fa(s, 'PUT', `${faLinks()}/${FA_LINK}`, { body: { label: `L${i}` } })
							: af(s, 'PUT', afLinks(), { body: { id: AF_LINK, label: `L${i}` } }),
					),
				);
				assert.ok(rs.every((r) => r.status === 200));
				const st = s.stats();
				// The latency is waited out side by side, not one request after another (no
				// timing is asserted: how many overlap depends on the machine's load).
				assert.ok(st.maxInFlight >= 50, `maxInFlight ${st.maxInFlight}`);
				assert.equal(st.updatesApplied, 1000);
				assert.equal(st.appliedUpdatesByLink[`apiFansly:${AF_ACCT}:${AF_LINK}`], 500);
				assert.equal(st.appliedUpdatesByLink[`fansApi:${FA_ACCT}:${FA_LINK}`], 500);
				assert.equal(st.duplicateUpdates, 998);
			});
		});
	});

	// -----------------------------------------------------------------------
	describe('faults', () => {
		let s;
		before(async () => {
			s = await createStandin();
		});
		after(() => s.close());
		beforeEach(() => s.reset());

		it('status fault: provider-shaped body, times, and the store is untouched', async () => {
			s.injectFault({ provider: 'apiFansly', method: 'PUT', times: 2, status: 503 });
			for (let i = 0; i < 2; i++) {
				const r = await af(s, 'PUT', afLinks(), { body: { id: AF_LINK, label: 'faulted' } });
				assert.equal(r.status, 503);
				assert.equal(r.json.statusCode, 503);
				assert.equal(r.json.data, null);
			}
			assert.equal(s.store.apiFansly.links.get(AF_ACCT).get(AF_LINK).label, AF_SEED_LINK.label);
			assert.equal(s.stats().updatesApplied, 0);
			const r = await af(s, 'PUT', afLinks(), { body: { id: AF_LINK, label: 'ok' } });
			assert.equal(r.status, 200);
			assert.equal(s.requests.at(-2).fault, 'status');
		});

		it('filters by provider, method and pathIncludes', async () => {
			s.injectFault({ provider: 'fansApi', method: 'delete', pathIncludes: `/${FA_SEED_LINKS[2].id}`, status: 500 });
			assert.equal((await af(s, 'GET', '/api/fansly/accounts')).status, 200);
			assert.equal((await fa(s, 'GET', faLinks())).status, 200);
			assert.equal((await fa(s, 'DELETE', `${faLinks()}/${FA_LINK}`)).status, 200);
			const r = await fa(s, 'DELETE', `${faLinks()}/${FA_SEED_LINKS[2].id}`);
			assert.equal(r.status, 500);
			assert.deepEqual(r.json, { message: 'Server Error' });
			assert.ok(s.store.fansApi.links.get(FA_ACCT).has(FA_SEED_LINKS[2].id));
		});

		it('custom status, body and headers (e.g. a 429 or a 402)', async () => {
			s.injectFault({ provider: 'fansApi', status: 429 });
			let r = await fa(s, 'GET', '/api/whoami');
			assert.equal(r.status, 429);
			assert.deepEqual(r.json, { message: 'Too Many Attempts.' });
			assert.equal(r.headers.get('retry-after'), '1');
			s.injectFault({ provider: 'apiFansly', status: 402, body: { statusCode: 402, message: 'Insufficient credits', data: null }, headers: { 'x-extra': 'yes' } });
			r = await af(s, 'GET', '/api/fansly/accounts');
			assert.equal(r.status, 402);
			assert.equal(r.json.message, 'Insufficient credits');
			assert.equal(r.headers.get('x-extra'), 'yes');
		});

		it('reset destroys the socket', async () => {
			s.injectFault({ kind: 'reset' });
			await assert.rejects(fa(s, 'PUT', `${faLinks()}/${FA_LINK}`, { body: { label: 'never' } }));
			assert.equal(s.store.fansApi.links.get(FA_ACCT).get(FA_LINK).label, FA_SEED_LINKS[1].label);
			const entry = s.requests.at(-1);
			assert.equal(entry.fault, 'reset');
			assert.equal(entry.status, null);
			assert.equal((await fa(s, 'GET', '/api/whoami')).status, 200);
		});

		it('delay answers normally after delayMs (and applies the change)', async () => {
			s.injectFault({ kind: 'delay', delayMs: 200, provider: 'fansApi' });
			const t = Date.now();
			const r = await fa(s, 'PUT', `${faLinks()}/${FA_LINK}`, { body: { label: 'slow' } });
			assert.ok(Date.now() - t >= 190);
			assert.equal(r.status, 200);
			assert.equal(r.json.data.label, 'slow');
		});

		it('html, empty and truncated bodies', async () => {
			s.injectFault({ kind: 'html' });
			let r = await af(s, 'GET', '/api/fansly/accounts');
			assert.equal(r.status, 200);
			assert.match(r.headers.get('content-type'), /text\/html/);
			assert.match(r.text, /^<html>/);
			s.injectFault({ kind: 'empty' });
			r = await fa(s, 'GET', faLinks());
			assert.equal(r.status, 200);
			assert.equal(r.text, '');
			s.injectFault({ kind: 'truncated', provider: 'fansApi' });
			r = await fa(s, 'PUT', `${faLinks()}/${FA_LINK}`, { body: { label: 'cut' } });
			assert.equal(r.status, 200);
			assert.ok(r.text.startsWith('{"data":'));
			assert.throws(() => JSON.parse(r.text));
			assert.equal(s.store.fansApi.links.get(FA_ACCT).get(FA_LINK).label, FA_SEED_LINKS[1].label);
			s.injectFault({ kind: 'html', status: 502 });
			r = await fa(s, 'GET', '/api/whoami');
			assert.equal(r.status, 502);
		});

		it('clearFaults and reset drop pending faults', async () => {
			s.injectFault({ status: 500, times: 5 });
			s.clearFaults();
			assert.equal((await fa(s, 'GET', '/api/whoami')).status, 200);
			s.injectFault({ status: 500, times: -1 });
			assert.equal((await fa(s, 'GET', '/api/whoami')).status, 500);
			assert.equal((await af(s, 'GET', '/api/fansly/accounts')).status, 500);
			s.reset();
			assert.equal((await fa(s, 'GET', '/api/whoami')).status, 200);
		});
	});

	// -----------------------------------------------------------------------
	describe('request log', () => {
		it('records entries with redacted auth headers and never the keys', async () => {
			await withStandin({}, async (s) => {
				await af(s, 'PUT', afLinks(), { body: { id: AF_LINK, label: 'x' } });
				await af(s, 'GET', '/api/fansly/accounts', { key: 'wrong-secret' });
				await af(s, 'GET', '/api/fansly/accounts', { key: null });
				await fa(s, 'GET', '/api/whoami');
				await fa(s, 'GET', '/api/whoami', { key: 'wrong-secret' });
				await fa(s, 'GET', '/api/whoami', { key: null });
				await af(s, 'GET', '/api/fansly/accounts', { headers: { authorization: `Bearer ${FA_KEY}` } });
				const log = s.requests;
				assert.equal(log.length, 7);
				assert.deepEqual(log.map((e) => e.seq), [1, 2, 3, 4, 5, 6, 7]);
				const e = log[0];
				assert.equal(e.provider, 'apiFansly');
				assert.equal(e.method, 'PUT');
				assert.equal(e.rawPath, `/apifansly${afLinks()}`);
				assert.deepEqual(e.segments, ['apifansly', 'api', 'fansly', AF_ACCT, 'tracking-links']);
				assert.equal(e.headers['content-type'], 'application/json');
				assert.deepEqual(e.body, { id: AF_LINK, label: 'x' });
				assert.equal(e.status, 200);
				assert.equal(typeof e.durationMs, 'number');
				assert.match(e.time, ISO);
				assert.deepEqual(log.slice(0, 3).map((x) => x.headers['x-api-key']), ['<redacted: ok>', '<redacted: wrong>', '<redacted: missing>']);
				assert.deepEqual(log.slice(3, 6).map((x) => x.headers.authorization), ['<redacted: Bearer ok>', '<redacted: Bearer wrong>', '<redacted: missing>']);
				assert.equal(log[6].headers.authorization, '<redacted: present>');
				const dump = JSON.stringify(log);
				for (const secret of [AF_KEY, FA_KEY, 'wrong-secret']) assert.ok(!dump.includes(secret), secret);
			});
		});

		it('keeps only the last maxLogEntries (default 20000); log:false keeps none but stats still count', async () => {
			assert.equal(DEFAULTS.maxLogEntries, 20000);
			await withStandin({ maxLogEntries: 5 }, async (s) => {
				for (let i = 0; i < 8; i++) await fa(s, 'GET', '/api/whoami');
				assert.deepEqual(s.requests.map((e) => e.seq), [4, 5, 6, 7, 8]);
			});
			await withStandin({ log: false }, async (s) => {
				await fa(s, 'GET', '/api/whoami');
				assert.equal(s.requests.length, 0);
				assert.equal(s.stats().requests, 1);
			});
		});
	});

	// -----------------------------------------------------------------------
	describe('reset, configure and control endpoints', () => {
		it('reset restores seed data and clears log, faults, windows and stats', async () => {
			await withStandin({ rateLimit: { fansApi: 1 } }, async (s) => {
				await fa(s, 'DELETE', `${faLinks()}/${FA_LINK}`);
				assert.equal((await fa(s, 'GET', faLinks())).status, 429);
				s.injectFault({ status: 500 });
				s.reset();
				assert.equal(s.requests.length, 0);
				assert.equal(s.stats().requests, 0);
				const r = await fa(s, 'GET', faLinks());
				assert.equal(r.status, 200);
				assert.equal(r.json.data.length, 3);
				assert.equal(r.json._meta._credits.balance, 10055795);
			});
		});

		it('control endpoints: requests, stats, config, faults, reset, store', async () => {
			await withStandin({}, async (s) => {
				const ctl = (method, p, body) => call(`${s.url}/__standin/${p}`, { method, body });
				await af(s, 'PUT', afLinks(), { body: { id: AF_LINK, label: 'a' } });
				await af(s, 'PUT', afLinks(), { body: { id: AF_LINK, label: 'b' } });
				await fa(s, 'PUT', `${faLinks()}/${FA_LINK}`, { body: { label: 'c' } });
				await fa(s, 'PUT', `${faLinks()}/${FA_LINK}`, { body: {} }); // 422, not applied

				let r = await ctl('GET', 'requests');
				assert.equal(r.status, 200);
				assert.equal(r.json.length, 4);
				r = await ctl('GET', 'requests?provider=fansApi&since=3');
				assert.deepEqual(r.json.map((e) => e.seq), [4]);

				r = await ctl('GET', 'stats');
				assert.equal(r.json.requests, 4);
				assert.equal(r.json.updatesApplied, 3);
				assert.equal(r.json.duplicateUpdates, 1);
				assert.deepEqual(r.json.appliedUpdatesByLink, { [`apiFansly:${AF_ACCT}:${AF_LINK}`]: 2, [`fansApi:${FA_ACCT}:${FA_LINK}`]: 1 });
				assert.equal(r.json.byProvider.fansApi.byStatus['422'], 1);
				assert.equal(r.json.status429, 0);

				r = await ctl('GET', 'store');
				assert.equal(r.json.apiFansly.links[AF_ACCT][0].label, 'b');

				r = await ctl('POST', 'config', { latencyMs: 50, rateLimit: { fansApi: 1 }, windowMs: 2000 });
				assert.equal(r.status, 200);
				assert.equal(r.json.latencyMs, 50);
				assert.deepEqual(r.json.rateLimit, { apiFansly: null, fansApi: 1 });
				assert.equal(s.config.windowMs, 2000);
				r = await ctl('POST', 'config', { latencyMs: 'slow' });
				assert.equal(r.status, 400);
				assert.match(r.json.error, /latencyMs/);
				await ctl('POST', 'config', { latencyMs: 0, rateLimit: { fansApi: null } });

				r = await ctl('POST', 'faults', { provider: 'fansApi', status: 503 });
				assert.equal(r.status, 200);
				assert.equal((await ctl('GET', 'faults')).json.length, 1);
				assert.equal((await fa(s, 'GET', '/api/whoami')).status, 503);
				r = await ctl('POST', 'faults', { kind: 'bogus' });
				assert.equal(r.status, 400);

				r = await ctl('POST', 'reset');
				assert.deepEqual(r.json, { ok: true });
				assert.equal((await ctl('GET', 'requests')).json.length, 0);
				assert.equal(s.store.apiFansly.links.get(AF_ACCT).get(AF_LINK).label, AF_SEED_LINK.label);
				assert.equal((await ctl('GET', 'nope')).status, 404);
			});
		});

		it('configure() can change keys at run time', async () => {
			await withStandin({}, async (s) => {
				s.configure({ apiFanslyKey: 'k2', fansApiKey: 'k3' });
				assert.equal((await af(s, 'GET', '/api/fansly/accounts')).status, 401);
				assert.equal((await af(s, 'GET', '/api/fansly/accounts', { key: 'k2' })).status, 200);
				assert.equal((await fa(s, 'GET', '/api/whoami', { key: 'k3' })).status, 200);
			});
		});
	});

	// -----------------------------------------------------------------------
	describe('cli.js', () => {
		it('prints one ready JSON line, serves, and exits 0 on SIGTERM', async () => {
			const child = spawn(process.execPath, [path.join(__dirname, 'cli.js'), '--port', '0', '--latency', '5', '--fansapi-rpm', '7', '--window-ms', '1000', '--quiet'], {
				stdio: ['ignore', 'pipe', 'pipe'],
			});
			let out = '';
			let err = '';
			child.stderr.on('data', (d) => (err += d));
			const ready = await new Promise((resolve, reject) => {
				child.stdout.on('data', (d) => {
					out += d;
					if (out.includes('\n')) resolve(JSON.parse(out.split('\n')[0]));
				});
				child.on('exit', (code) => reject(new Error(`exited ${code}: ${err}`)));
			});
			assert.equal(ready.ready, true);
			assert.match(ready.url, /^http:\/\/127\.0\.0\.1:\d+$/);
			assert.equal(ready.apiFanslyBaseUrl, `${ready.url}/apifansly`);
			assert.equal(ready.fansApiBaseUrl, `${ready.url}/fansapi`);
			const r = await call(`${ready.fansApiBaseUrl}/api/whoami`, { headers: { authorization: `Bearer ${FA_KEY}` } });
			assert.equal(r.status, 200);
			assert.equal(r.json._meta._rate_limits.limit_minute, 7);
			const cfg = await call(`${ready.url}/__standin/config`);
			assert.equal(cfg.json.latencyMs, 5);
			const exited = new Promise((resolve) => child.on('exit', (code, signal) => resolve({ code, signal })));
			child.kill('SIGTERM');
			assert.deepEqual(await exited, { code: 0, signal: null });
			assert.equal(out.trim().split('\n').length, 1);
			assert.equal(err, '');
		});

		it('SIGINT sent the moment the ready line arrives still exits cleanly (handlers installed first)', async () => {
			for (let i = 0; i < 3; i++) {
				const child = spawn(process.execPath, [path.join(__dirname, 'cli.js'), '--port', '0', '--quiet'], { stdio: ['ignore', 'pipe', 'pipe'] });
				child.stdout.once('data', () => child.kill('SIGINT'));
				const res = await new Promise((resolve) => child.on('exit', (code, signal) => resolve({ code, signal })));
				assert.deepEqual(res, { code: 0, signal: null });
			}
		});

		it('rejects bad arguments with exit code 2', async () => {
			const child = spawn(process.execPath, [path.join(__dirname, 'cli.js'), '--latency', 'soon'], { stdio: 'pipe' });
			const code = await new Promise((resolve) => child.on('exit', resolve));
			assert.equal(code, 2);
		});
	});
}
