'use strict';
/** The emulated providers, one module each, all with the same shape (see apiFansly.js). */

const apiFansly = require('./apiFansly.js');
const fansApi = require('./fansApi.js');

/** In this order everywhere (config, stats, log redaction). */
const PROVIDERS = Object.freeze([apiFansly, fansApi]);
const PROVIDER_IDS = Object.freeze(PROVIDERS.map((p) => p.id));
const BY_ID = Object.freeze(Object.fromEntries(PROVIDERS.map((p) => [p.id, p])));
const BY_PREFIX = Object.freeze(Object.fromEntries(PROVIDERS.map((p) => [p.prefix, p])));

/** The provider whose base URL starts with /<prefix>, or null. */
function byPrefix(prefix) {
	return Object.prototype.hasOwnProperty.call(BY_PREFIX, prefix) ? BY_PREFIX[prefix] : null;
}

module.exports = { PROVIDERS, PROVIDER_IDS, BY_ID, byPrefix };
