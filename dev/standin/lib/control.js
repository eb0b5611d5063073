'use strict';
/** The control endpoints under /__standin/ (no auth, not counted, not logged). See README.md. */

const { readBody, writeJson } = require('./http.js');
const { queryLog, Ring } = require('./requestLog.js');
const { statsSnapshot } = require('./stats.js');
const { snapshotStore } = require('./store.js');
const { parseQuery } = require('./util.js');

async function onControl(state, standin, req, res, parts, query) {
	const b = await readBody(req);
	if (!b.ok) return;
	const action = parts.slice(2).join('/');
	const method = req.method;
	const needBody = () => (b.text === '' ? {} : JSON.parse(b.text));
	try {
		if (action === '' && method === 'GET') {
			return writeJson(res, 200, {
				name: 'n8n-nodes-fansly provider stand-in',
				url: standin.url,
				apiFanslyBaseUrl: standin.apiFanslyBaseUrl,
				fansApiBaseUrl: standin.fansApiBaseUrl,
				endpoints: ['GET requests', 'DELETE requests', 'POST reset', 'GET|POST config', 'GET|POST|DELETE faults', 'GET stats', 'GET store'],
			});
		}
		if (action === 'requests' && method === 'GET') return writeJson(res, 200, queryLog(state.log.toArray(), parseQuery(query)));
		if (action === 'requests' && method === 'DELETE') {
			state.log = new Ring(state.cfg.maxLogEntries);
			return writeJson(res, 200, { ok: true });
		}
		if (action === 'reset' && method === 'POST') {
			standin.reset();
			return writeJson(res, 200, { ok: true });
		}
		if (action === 'config' && method === 'GET') return writeJson(res, 200, standin.config);
		if (action === 'config' && method === 'POST') return writeJson(res, 200, standin.configure(needBody()));
		if (action === 'faults' && method === 'GET') return writeJson(res, 200, state.faults.map((f) => ({ ...f })));
		if (action === 'faults' && method === 'POST') {
			const input = needBody();
			const list = Array.isArray(input) ? input : [input];
			const added = list.map((f) => standin.injectFault(f));
			return writeJson(res, 200, { ok: true, faults: added });
		}
		if (action === 'faults' && method === 'DELETE') {
			standin.clearFaults();
			return writeJson(res, 200, { ok: true });
		}
		if (action === 'stats' && method === 'GET') return writeJson(res, 200, statsSnapshot(state.stats));
		if (action === 'store' && method === 'GET') return writeJson(res, 200, snapshotStore(state.store));
		return writeJson(res, 404, { error: `unknown control endpoint: ${method} /__standin/${action}` });
	} catch (err) {
		return writeJson(res, 400, { error: err && err.message ? err.message : String(err) });
	}
}

module.exports = { onControl };
