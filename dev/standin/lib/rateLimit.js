'use strict';
/**
 * Rate limiting: a sliding window per provider; at most N admitted requests in any windowMs
 * (cfg.rateLimit[provider], null = unlimited: never rejected, a nominal limit is reported).
 */

const { PROVIDERS } = require('../providers/index.js');

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

/** One empty window per provider. */
function newWindows() {
	return Object.fromEntries(PROVIDERS.map((p) => [p.id, new SlidingWindow()]));
}

/**
 * Admits a request (it then counts in the window) or not, at `now` (the router logs it as the
 * request's `windowAt`: the moment this window saw it, a little after it arrived).
 * Returns {ok, limit, remaining, retryAfter?, unlimited?}; retryAfter: seconds until the oldest
 * admitted request leaves the window (ceil, min 1).
 */
function admit(windows, cfg, provider, now = Date.now()) {
	const w = windows[provider.id];
	w.prune(now, cfg.windowMs);
	const limit = cfg.rateLimit[provider.id];
	if (limit !== null && w.count >= limit) {
		const freeAt = w.count > 0 ? w.oldest + cfg.windowMs : now + cfg.windowMs;
		const retryAfter = Math.max(1, Math.ceil((freeAt - now) / 1000));
		return { ok: false, limit, remaining: 0, retryAfter };
	}
	w.push(now);
	if (limit === null) {
		const nominal = provider.nominalLimit;
		return { ok: true, limit: nominal, remaining: Math.max(1, nominal - w.count), unlimited: true };
	}
	return { ok: true, limit, remaining: limit - w.count };
}

module.exports = { SlidingWindow, newWindows, admit };
