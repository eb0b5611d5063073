'use strict';
/** Reading requests and writing answers; every provider answer is counted and logged here. */

const { mergeHeaders, parseQuery } = require('./util.js');
const { countAnswer } = require('./stats.js');
const { logEntry } = require('./requestLog.js');

const MAX_BODY_BYTES = 1024 * 1024;

/** Resolves {ok: true, tooLarge, text} once the body is in, or {ok: false} if the client went away. */
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

/** A JSON answer to a control request (not counted, not logged). */
function writeJson(res, status, body) {
	const payload = JSON.stringify(body);
	res.writeHead(status, { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(payload) });
	res.end(payload);
}

/** send/finish for provider requests of one stand-in (state: see server.js). */
function createIo(state) {
	/** Bookkeeping once a provider request is answered (status null: no answer, socket reset). */
	function finish(ctx, status) {
		if (ctx.finished) return;
		ctx.finished = true;
		countAnswer(state.stats, ctx, status);
		const durationMs = Math.round((performance.now() - ctx.t0) * 10) / 10;
		if (state.cfg.log) state.log.push(logEntry(++state.seq, ctx, status, durationMs, state.cfg));
		if (state.cfg.verbose) {
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

	return { send, finish };
}

module.exports = { readBody, parseBody, writeJson, createIo };
