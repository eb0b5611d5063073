'use strict';
/**
 * Routing of every request: /__standin/... to the control endpoints, /<prefix>/... to that
 * provider's module. Order of checks for a provider request: fault -> route (unknown route:
 * 404, no auth needed) -> auth (401) -> rate limit (429) -> latency -> handler. Latency
 * applies to every provider answer, errors included.
 */

const { byPrefix } = require('../providers/index.js');
const { authState } = require('./auth.js');
const { onControl } = require('./control.js');
const { takeFault, serveFault } = require('./faults.js');
const { readBody, parseBody, writeJson } = require('./http.js');
const { admit } = require('./rateLimit.js');
const { countArrival } = require('./stats.js');
const { mergeHeaders } = require('./util.js');

/**
 * The request listener of one stand-in.
 * state: the stand-in's live state (server.js); io: its send/finish (lib/http.js);
 * standin: the public object (the control endpoints call its methods).
 */
function createRouter(state, io, standin) {
	const { send } = io;

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
			io.finish(ctx, null); // client went away before sending its body
			return;
		}
		parseBody(ctx, b.text, req.headers['content-type']);
		const provider = ctx.provider;
		const wait = () => state.sleep(state.cfg.latencyMs);

		if (provider === null) {
			send(ctx, 404, { message: 'Unknown stand-in path. Use /apifansly/api/fansly/... or /fansapi/api/...', path: ctx.path });
			return;
		}

		const fault = takeFault(state.faults, provider.id, ctx.method, ctx.rawUrl);
		if (fault) {
			ctx.fault = fault.kind;
			if (fault.kind === 'delay') {
				await state.sleep(fault.delayMs);
			} else {
				await wait();
				serveFault(io, ctx, fault);
				return;
			}
		}

		const subPath = ctx.path.slice(`/${provider.prefix}`.length) || '/';
		if (segments === null || b.tooLarge) {
			await wait();
			const status = b.tooLarge ? 413 : 400;
			const msg = b.tooLarge ? 'Payload Too Large' : 'Malformed URL encoding';
			send(ctx, status, provider.errorBody(status, msg));
			return;
		}

		const m = provider.match(segments.slice(1));
		const method = ctx.method === 'HEAD' ? 'GET' : ctx.method;
		if (!m) {
			await wait();
			const out = provider.unknownRoute(ctx.method, subPath);
			send(ctx, out.status, out.body, out.headers);
			return;
		}
		ctx.route = m.route;
		const handler = m.methods[method];
		if (!handler) {
			await wait();
			const out = provider.wrongMethod(ctx.method, subPath, m.methods);
			send(ctx, out.status, out.body, out.headers);
			return;
		}

		ctx.auth = authState(provider, req.headers, state.cfg);
		if (!provider.isAuthorized(ctx.auth)) {
			await wait();
			const out = provider.unauthorized();
			send(ctx, out.status, out.body);
			return;
		}

		ctx.windowAt = Date.now();
		const rl = admit(state.windows, state.cfg, provider, ctx.windowAt);
		const rh = provider.rateHeaders(rl);
		if (!rl.ok) {
			await wait();
			send(ctx, 429, provider.rateLimited(), rh);
			return;
		}

		await wait();
		if (ctx.badJson) {
			if (provider.badJson) {
				const out = provider.badJson();
				send(ctx, out.status, out.body, rh);
				return;
			}
			ctx.input = {};
		}
		const out = handler(state, ctx, m.params, rl);
		send(ctx, out.status, out.body, out.headers ? mergeHeaders(rh, out.headers) : rh);
	}

	return function onRequest(req, res) {
		const rawUrl = req.url || '/';
		const qi = rawUrl.indexOf('?');
		const path = qi === -1 ? rawUrl : rawUrl.slice(0, qi);
		const query = qi === -1 ? '' : rawUrl.slice(qi + 1);
		const parts = path.split('/');
		const prefix = parts.length > 1 ? parts[1] : '';
		if (prefix === '__standin') {
			onControl(state, standin, req, res, parts, query).catch((err) => {
				if (!res.headersSent) writeJson(res, 500, { error: String(err && err.stack) });
			});
			return;
		}
		const provider = byPrefix(prefix);
		countArrival(state.stats);
		const ctx = {
			req, res, provider, method: req.method, rawUrl, path, query,
			segments: null, route: null, input: {}, logBody: null, badJson: false,
			auth: null, fault: null, finished: false,
			t0: performance.now(), arrival: Date.now(),
		};
		onProviderRequest(req, res, ctx, parts).catch((err) => {
			const msg = `stand-in internal error: ${err && err.message}`;
			if (!state.closed) process.stderr.write(`[standin] ${err && err.stack}\n`);
			if (!ctx.finished) send(ctx, 500, provider ? provider.errorBody(500, msg) : { message: msg });
		});
	};
}

module.exports = { createRouter };
