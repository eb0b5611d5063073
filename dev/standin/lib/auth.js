'use strict';
/**
 * Authentication state of a request and the redacted credential headers of the request log.
 * Keys are never stored: only 'ok' / 'wrong' / 'missing'-like states (see each provider's authState).
 */

const { PROVIDERS } = require('../providers/index.js');

/** The provider's verdict on the request's credential header. */
function authState(provider, headers, cfg) {
	return provider.authState(headers, cfg);
}

/**
 * The headers a log entry keeps: content type, user agent, and each credential header as
 * '<redacted: STATE>' (the provider's own) or '<redacted: present>' (another provider's).
 */
function redactedHeaders(provider, headers, auth) {
	const out = { 'content-type': headers['content-type'] === undefined ? null : headers['content-type'] };
	if (headers['user-agent'] !== undefined) out['user-agent'] = headers['user-agent'];
	if (provider) out[provider.credentialHeader] = `<redacted: ${auth}>`;
	for (const other of PROVIDERS) {
		if (other !== provider && headers[other.credentialHeader] !== undefined) out[other.credentialHeader] = '<redacted: present>';
	}
	return out;
}

module.exports = { authState, redactedHeaders };
