'use strict';
/**
 * The stand-in's data: a fresh store built from the shared fixture data
 * (test/fixtures/data/seed.json, also read by the unit and end-to-end tests), and SEED_IDS.
 *
 * Store shape (all plain data, mutate freely from tests):
 *   store.apiFansly.accounts : Array<{accountId,email,name,country,createdAt}>
 *   store.apiFansly.links    : Map<accountId, Map<linkId, Link>>
 *   store.apiFansly.creatorIds: Map<accountId, string>   (value of link.accountId for new links)
 *   store.fansApi.accounts   : Array<{id,display_name,fansly_id,fansly_username,is_authenticated}>
 *   store.fansApi.links      : Map<fanslyAccountId, Map<linkId, Link>>
 *   store.fansApi.creatorIds : Map<fanslyAccountId, string>
 *   store.fansApi.credits    : number (decreases by 1 per successful Fans API call)
 *   store.fansApi.nextInternalId : number
 * Link = {id, accountId, internalId, type, status, label, description, metadata, createdAt,
 *         clicks, claims, follows, subscriptions, totalNet, totalGross}
 */

const SEED = require('../../../test/fixtures/data/seed.json');

/** A link record with every field, in the stand-in's field order (defaults for the missing ones). */
function link(fields) {
	return {
		id: fields.id,
		accountId: fields.accountId,
		internalId: fields.internalId === undefined ? null : fields.internalId,
		type: fields.type === undefined ? 1000 : fields.type,
		status: fields.status === undefined ? 1 : fields.status,
		label: fields.label,
		description: fields.description === undefined ? null : fields.description,
		metadata: fields.metadata === undefined ? '{}' : fields.metadata,
		createdAt: fields.createdAt,
		clicks: fields.clicks || 0,
		claims: fields.claims || 0,
		follows: fields.follows || 0,
		subscriptions: fields.subscriptions || 0,
		totalNet: fields.totalNet || 0,
		totalGross: fields.totalGross || 0,
	};
}

/** One provider's seed as the store holds it: accounts copied, links and creator ids in Maps. */
function seedSide(side, seed) {
	for (const a of seed.accounts) side.accounts.push({ ...a });
	for (const [acct, id] of Object.entries(seed.fanslyAccountIds)) side.creatorIds.set(acct, id);
	for (const [acct, links] of Object.entries(seed.links)) side.links.set(acct, new Map(links.map((l) => [l.id, link(l)])));
}

/** A fresh store: the seed (seed = true) or no data; Fans API credits start at the seed's balance either way. */
function createStore(seed) {
	const store = {
		apiFansly: { accounts: [], links: new Map(), creatorIds: new Map() },
		fansApi: { accounts: [], links: new Map(), creatorIds: new Map(), credits: SEED.fansApi.credits, nextInternalId: 1000 },
	};
	if (!seed) return store;
	seedSide(store.apiFansly, SEED.apiFansly);
	seedSide(store.fansApi, SEED.fansApi);
	store.fansApi.nextInternalId = SEED.fansApi.nextInternalId;
	return store;
}

function snapshotStore(store) {
	const linksOf = (m) => {
		const out = {};
		for (const [acct, links] of m) out[acct] = [...links.values()].map((l) => ({ ...l }));
		return out;
	};
	return {
		apiFansly: { accounts: store.apiFansly.accounts.map((a) => ({ ...a })), links: linksOf(store.apiFansly.links) },
		fansApi: {
			accounts: store.fansApi.accounts.map((a) => ({ ...a })),
			links: linksOf(store.fansApi.links),
			credits: store.fansApi.credits,
		},
	};
}

const AF_ACCOUNT = SEED.apiFansly.accounts[0].accountId;
const FA_ACCOUNT = SEED.fansApi.accounts[0].id;

/** The exact seeded ids, for tests elsewhere. */
const SEED_IDS = Object.freeze({
	apiFansly: Object.freeze({
		accountId: AF_ACCOUNT,
		linkIds: Object.freeze(SEED.apiFansly.links[AF_ACCOUNT].map((l) => l.id)),
	}),
	fansApi: Object.freeze({
		accountId: FA_ACCOUNT,
		secondAccountId: SEED.fansApi.accounts[1].id,
		linkIds: Object.freeze(SEED.fansApi.links[FA_ACCOUNT].map((l) => l.id)),
		linkAccountId: SEED.fansApi.fanslyAccountIds[FA_ACCOUNT],
	}),
});

module.exports = { SEED, SEED_IDS, link, createStore, snapshotStore };
