'use strict';
/** Small helpers shared by the stand-in's modules (no state). */

function isPlainObject(v) {
	return v !== null && typeof v === 'object' && !Array.isArray(v);
}

/** Merges header objects case-insensitively (later wins, keeps the later spelling). */
function mergeHeaders(...objs) {
	const out = {};
	const names = new Map();
	for (const o of objs) {
		if (!o) continue;
		for (const k of Object.keys(o)) {
			const lk = k.toLowerCase();
			const prev = names.get(lk);
			if (prev !== undefined) delete out[prev];
			names.set(lk, k);
			out[k] = o[k];
		}
	}
	return out;
}

function parseQuery(query) {
	const out = {};
	if (!query) return out;
	for (const [k, v] of new URLSearchParams(query)) out[k] = v;
	return out;
}

module.exports = { isPlainObject, mergeHeaders, parseQuery };
