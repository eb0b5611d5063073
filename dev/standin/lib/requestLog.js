'use strict';
/** The request log: a fixed-capacity ring of entries without keys (see lib/auth.js). */

const { authState, redactedHeaders } = require('./auth.js');

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

/** The log entry of an answered (or reset) provider request. */
function logEntry(seq, ctx, status, durationMs, cfg) {
	const provider = ctx.provider;
	const auth = ctx.auth || (provider ? authState(provider, ctx.req.headers, cfg) : null);
	const entry = {
		seq,
		time: new Date(ctx.arrival).toISOString(),
		provider: provider ? provider.id : null,
		method: ctx.method,
		rawPath: ctx.rawUrl,
		segments: ctx.segments,
		route: ctx.route,
		headers: redactedHeaders(provider, ctx.req.headers, auth),
		body: ctx.logBody === undefined ? null : ctx.logBody,
		status,
		durationMs,
	};
	if (ctx.windowAt !== undefined) entry.windowAt = new Date(ctx.windowAt).toISOString();
	if (ctx.fault) entry.fault = ctx.fault;
	return entry;
}

/** Entries filtered as GET /__standin/requests?provider=&since=&limit= asks. */
function queryLog(entries, q) {
	let out = entries;
	if (q.provider) out = out.filter((e) => e.provider === q.provider);
	if (q.since) out = out.filter((e) => e.seq > Number(q.since));
	if (q.limit) out = out.slice(-Number(q.limit));
	return out;
}

module.exports = { Ring, logEntry, queryLog };
