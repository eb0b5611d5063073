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
 * Layout, as the node's own code: providers/ (one module per provider: routes, handlers,
 * answer shapes), lib/ (router, auth, rate limit, faults, request log, stats, store, config).
 * The seed data is test/fixtures/data/seed.json, shared with the unit and end-to-end tests.
 */

const http = require('node:http');

const { DEFAULTS, applyConfig, publicConfig } = require('./lib/config.js');
const { normalizeFault } = require('./lib/faults.js');
const { createIo } = require('./lib/http.js');
const { newWindows } = require('./lib/rateLimit.js');
const { Ring } = require('./lib/requestLog.js');
const { createRouter } = require('./lib/router.js');
const { newStats, statsSnapshot } = require('./lib/stats.js');
const { SEED_IDS, createStore, snapshotStore } = require('./lib/store.js');

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

	/** Everything a running stand-in holds; the lib/ modules read and replace these fields. */
	const state = {
		cfg,
		store: createStore(cfg.seed),
		log: new Ring(cfg.maxLogEntries),
		seq: 0,
		faults: [],
		faultSeq: 0,
		windows: newWindows(),
		stats: newStats(),
		sleepers: new Set(),
		closed: false,
		/** A timer close() can cancel; null (no wait) for ms <= 0. */
		sleep(ms) {
			if (!(ms > 0)) return null;
			return new Promise((resolve) => {
				const entry = { timer: null, resolve };
				entry.timer = setTimeout(() => {
					state.sleepers.delete(entry);
					resolve();
				}, ms);
				state.sleepers.add(entry);
			});
		},
	};

	const standin = {
		url: null,
		port: null,
		host: cfg.host,
		apiFanslyBaseUrl: null,
		fansApiBaseUrl: null,
		get requests() {
			return state.log.toArray();
		},
		get store() {
			return state.store;
		},
		get config() {
			return publicConfig(state.cfg);
		},
		stats() {
			return statsSnapshot(state.stats);
		},
		snapshot() {
			return snapshotStore(state.store);
		},
		reset() {
			state.store = createStore(state.cfg.seed);
			state.log = new Ring(state.cfg.maxLogEntries);
			state.seq = 0;
			state.faults = [];
			state.windows = newWindows();
			const inFlight = state.stats.inFlight;
			state.stats = newStats();
			state.stats.inFlight = inFlight;
		},
		configure(partial) {
			const next = applyConfig({ ...state.cfg, rateLimit: { ...state.cfg.rateLimit } }, partial, false);
			Object.assign(state.cfg, next);
			return publicConfig(state.cfg);
		},
		injectFault(fault) {
			const f = normalizeFault(fault, ++state.faultSeq);
			state.faults.push(f);
			return { ...f };
		},
		clearFaults() {
			state.faults = [];
		},
		close() {
			if (state.closed) return Promise.resolve();
			state.closed = true;
			for (const s of state.sleepers) clearTimeout(s.timer);
			state.sleepers.clear();
			return new Promise((resolve) => {
				server.close(() => resolve());
				server.closeAllConnections();
			});
		},
	};

	const server = http.createServer(createRouter(state, createIo(state), standin));
	server.keepAliveTimeout = 65000; // longer than typical client idle timeouts: avoids reuse races
	server.headersTimeout = 66000;
	server.requestTimeout = 0;
	server.maxRequestsPerSocket = 0;

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
