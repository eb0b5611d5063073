'use strict';
/** Options of createStandin() / configure(): defaults and validation. */

const { isPlainObject } = require('./util.js');
const { PROVIDER_IDS } = require('../providers/index.js');

const DEFAULT_MAX_LOG = 20000;

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

const CONFIGURABLE = ['latencyMs', 'rateLimit', 'windowMs', 'apiFanslyKey', 'fansApiKey', 'log', 'verbose'];
const CREATE_ONLY = ['port', 'host', 'seed', 'maxLogEntries'];

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
				for (const k of Object.keys(v)) if (!PROVIDER_IDS.includes(k)) throw new TypeError(`unknown rateLimit provider: ${k}`);
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

/** The config as standin.config and GET /__standin/config show it (a copy). */
function publicConfig(cfg) {
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

module.exports = { DEFAULTS, applyConfig, publicConfig };
