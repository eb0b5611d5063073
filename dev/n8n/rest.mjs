// n8n's internal REST API (/rest/*) as the owner, through a cookie jar.

import { randomBytes } from 'node:crypto';

import { OWNER } from './config.mjs';

/**
 * Log in to n8n's internal REST API; returns a cookie-jar client.
 * client.get/post/patch/put/delete(path, body?) → parsed JSON body (throws on HTTP >= 400);
 * client.request(method, path, body) → { status, headers, json, text } without throwing.
 * Paths are relative to the base URL, e.g. '/types/nodes.json', '/rest/workflows'.
 */
export async function login({ url, email = OWNER.email, password = OWNER.password }) {
	const jar = new Map();
	const browserId = `fansly-dev-${randomBytes(6).toString('hex')}`;
	const request = async (method, p, body, headers = {}) => {
		const h = { 'browser-id': browserId, accept: 'application/json', ...headers };
		if (jar.size) h.cookie = [...jar].map(([k, v]) => `${k}=${v}`).join('; ');
		if (body !== undefined) h['content-type'] = 'application/json';
		const res = await fetch(new URL(p, url), { method, headers: h, body: body !== undefined ? JSON.stringify(body) : undefined });
		for (const c of res.headers.getSetCookie?.() ?? []) {
			const [kv] = c.split(';');
			const i = kv.indexOf('=');
			jar.set(kv.slice(0, i).trim(), kv.slice(i + 1).trim());
		}
		const text = await res.text();
		let json;
		try {
			json = JSON.parse(text);
		} catch {
			/* not JSON */
		}
		return { status: res.status, headers: res.headers, json, text };
	};
	const call = (method) => async (p, body) => {
		const r = await request(method, p, body);
		if (r.status >= 400) throw new Error(`${method} ${p} → HTTP ${r.status}: ${r.text.slice(0, 500)}`);
		return r.json ?? r.text;
	};
	const r = await request('POST', '/rest/login', { emailOrLdapLoginId: email, password });
	if (r.status !== 200) throw new Error(`login as ${email} failed: HTTP ${r.status} ${r.text.slice(0, 300)}`);
	return {
		user: r.json?.data,
		cookies: jar,
		request,
		get: call('GET'),
		post: call('POST'),
		patch: call('PATCH'),
		put: call('PUT'),
		delete: call('DELETE'),
		/** Create a public-API key (X-N8N-API-KEY) with all scopes the owner has. */
		async createApiKey(label = `dev-${Date.now()}`) {
			const scopes = (await request('GET', '/rest/api-keys/scopes')).json?.data ?? [];
			const res = await call('POST')('/rest/api-keys', { label, scopes, expiresAt: null });
			return res.data?.rawApiKey ?? res.data?.apiKey;
		},
	};
}

/**
 * n8n 1.x only (2.x takes the owner from the environment at boot): claim the instance for
 * OWNER through `POST /rest/owner/setup`, as the set-up screen does on first load. An instance
 * whose owner is already set up answers 400 "Instance owner already setup": fine.
 * @returns {Promise<boolean>} true when this call set the owner up
 */
export async function setUpOwner({ url, owner = OWNER }) {
	const res = await fetch(new URL('/rest/owner/setup', url), {
		method: 'POST',
		headers: { 'content-type': 'application/json', accept: 'application/json', 'browser-id': `fansly-dev-${randomBytes(6).toString('hex')}` },
		body: JSON.stringify({ email: owner.email, firstName: owner.firstName, lastName: owner.lastName, password: owner.password }),
	});
	const text = await res.text();
	if (res.status === 200) return true;
	if (res.status === 400 && /already setup/i.test(text)) return false;
	throw new Error(`owner set-up at ${url} failed: HTTP ${res.status} ${text.slice(0, 300)}`);
}
