'use strict';
/**
 * Injected faults: validation, matching (first fault that matches, `times` left), and the
 * answers they produce (provider-shaped defaults from each provider module).
 */

const { isPlainObject, mergeHeaders } = require('./util.js');
const { PROVIDER_IDS } = require('../providers/index.js');

const FAULT_KINDS = ['status', 'reset', 'delay', 'html', 'empty', 'truncated'];

const HTML_PAGE =
	'<html>\r\n<head><title>502 Bad Gateway</title></head>\r\n<body>\r\n<center><h1>502 Bad Gateway</h1></center>\r\n<hr><center>cloudflare</center>\r\n</body>\r\n</html>\r\n';

function normalizeFault(f, nextId) {
	if (!isPlainObject(f)) throw new TypeError('fault must be an object');
	const allowed = ['provider', 'method', 'pathIncludes', 'times', 'status', 'body', 'headers', 'kind', 'delayMs'];
	for (const k of Object.keys(f)) if (!allowed.includes(k)) throw new TypeError(`unknown fault field: ${k}`);
	if (f.provider != null && !PROVIDER_IDS.includes(f.provider)) throw new TypeError(`fault.provider must be one of ${PROVIDER_IDS.join(', ')}`);
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

/** Takes the first pending fault matching the request (removed once its `times` are used). */
function takeFault(faults, providerId, method, rawUrl) {
	for (let i = 0; i < faults.length; i++) {
		const f = faults[i];
		if (f.provider !== null && f.provider !== providerId) continue;
		if (f.method !== null && f.method !== method) continue;
		if (f.pathIncludes !== null && !rawUrl.includes(f.pathIncludes)) continue;
		f.remaining--;
		if (f.remaining <= 0) faults.splice(i, 1);
		return f;
	}
	return null;
}

/**
 * Answers the request with fault `f` (any kind but `delay`, which only waits).
 * io: {send(ctx, status, body, headers), finish(ctx, status)} from lib/http.js.
 */
function serveFault(io, ctx, f) {
	const provider = ctx.provider;
	const userHeaders = f.headers || {};
	const bodyOf = (b) => (b === undefined ? undefined : typeof b === 'string' ? b : JSON.stringify(b));
	switch (f.kind) {
		case 'reset':
			ctx.res.socket && ctx.res.socket.destroy();
			io.finish(ctx, null);
			return;
		case 'html':
			io.send(ctx, f.status || 200, bodyOf(f.body) ?? HTML_PAGE, mergeHeaders({ 'Content-Type': 'text/html; charset=UTF-8' }, userHeaders));
			return;
		case 'empty':
			io.send(ctx, f.status || 200, '', userHeaders);
			return;
		case 'truncated': {
			const full = bodyOf(f.body) ?? provider.truncatedBody();
			io.send(ctx, f.status || 200, full.slice(0, Math.max(1, Math.floor(full.length / 2))), userHeaders);
			return;
		}
		case 'status':
		default: {
			const status = f.status || 500;
			const defaults = provider.faultDefaults(status);
			let body = bodyOf(f.body);
			if (body === undefined) body = JSON.stringify(defaults.body());
			io.send(ctx, status, body, mergeHeaders(defaults.headers, userHeaders));
		}
	}
}

module.exports = { FAULT_KINDS, normalizeFault, takeFault, serveFault };
