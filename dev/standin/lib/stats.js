'use strict';
/** Counters of a stand-in run (GET /__standin/stats, standin.stats()). */

const PROVIDER_KEYS = ['apiFansly', 'fansApi', 'unknown'];

function newProviderStats() {
	return { requests: 0, byStatus: {}, status429: 0, updatesApplied: 0, createsApplied: 0, deletesApplied: 0, faultsServed: 0 };
}

function newStats() {
	return {
		requests: 0,
		byProvider: Object.fromEntries(PROVIDER_KEYS.map((k) => [k, newProviderStats()])),
		byRoute: new Map(),
		status429: 0,
		updatesApplied: 0,
		appliedUpdatesByLink: new Map(),
		inFlight: 0,
		maxInFlight: 0,
		startedAt: Date.now(),
	};
}

/** A request arrived (control requests are not counted). */
function countArrival(stats) {
	stats.requests++;
	stats.inFlight++;
	if (stats.inFlight > stats.maxInFlight) stats.maxInFlight = stats.inFlight;
}

/** A provider request was answered with `status` (null: the socket was reset). */
function countAnswer(stats, ctx, status) {
	stats.inFlight--;
	const ps = stats.byProvider[ctx.provider ? ctx.provider.id : 'unknown'];
	ps.requests++;
	const sk = status === null ? 'none' : String(status);
	ps.byStatus[sk] = (ps.byStatus[sk] || 0) + 1;
	if (status === 429) {
		ps.status429++;
		stats.status429++;
	}
	if (ctx.fault) ps.faultsServed++;
	if (ctx.route) {
		const rk = `${ctx.provider.id} ${ctx.method} ${ctx.route}`;
		stats.byRoute.set(rk, (stats.byRoute.get(rk) || 0) + 1);
	}
}

/** An update was applied to a link (counted per link, to find duplicates). */
function countUpdate(stats, providerId, account, linkId) {
	stats.updatesApplied++;
	stats.byProvider[providerId].updatesApplied++;
	const key = `${providerId}:${account}:${linkId}`;
	stats.appliedUpdatesByLink.set(key, (stats.appliedUpdatesByLink.get(key) || 0) + 1);
}

function statsSnapshot(stats) {
	let duplicateUpdates = 0;
	let linksUpdatedMoreThanOnce = 0;
	const byLink = {};
	for (const [k, n] of stats.appliedUpdatesByLink) {
		byLink[k] = n;
		if (n > 1) {
			duplicateUpdates += n - 1;
			linksUpdatedMoreThanOnce++;
		}
	}
	const byRoute = {};
	for (const [k, n] of stats.byRoute) byRoute[k] = n;
	return {
		requests: stats.requests,
		byProvider: JSON.parse(JSON.stringify(stats.byProvider)),
		byRoute,
		status429: stats.status429,
		updatesApplied: stats.updatesApplied,
		duplicateUpdates,
		linksUpdatedMoreThanOnce,
		appliedUpdatesByLink: byLink,
		inFlight: stats.inFlight,
		maxInFlight: stats.maxInFlight,
		sinceMs: Date.now() - stats.startedAt,
	};
}

module.exports = { newStats, countArrival, countAnswer, countUpdate, statsSnapshot };
