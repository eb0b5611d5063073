// Hosts the provider stand-in (dev/standin/server.js) in its own process for the benchmark, so
// the benchmark driver (parsing large execution data, sampling memory) never delays the
// stand-in's latency timers or rate-limit clock. Driven over the fork() IPC channel.
//
// Uses only the stand-in's public library API: createStandin(), configure(), reset(), stats(),
// requests, and the live `store` (documented as "live data, mutate freely from tests") to add
// benchmark links. Nothing in dev/standin/ is modified.
//
// Messages in:  { id, op: 'configure' | 'reset' | 'seed' | 'stats' | 'requests' | 'close', ... }
// Messages out: { id, ok: true, value } | { id, ok: false, error }; first message { ready, url, ... }.

import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
const { createStandin } = require('../standin/server.js');

/** A link record with every field the stand-in's own seed links carry. */
function benchLink(id, creatorId, internalId) {
	return {
		id,
		accountId: creatorId,
		internalId: internalId === undefined ? null : String(internalId),
		type: 1000,
		status: 1,
		label: `bench ${id}`,
		description: null,
		metadata: '{}',
		createdAt: 1770544484000,
		clicks: 0,
		claims: 0,
		follows: 0,
		subscriptions: 0,
		totalNet: 0,
		totalGross: 0,
	};
}

const options = JSON.parse(process.argv[2] ?? '{}');
const standin = await createStandin({ port: 0, log: false, maxLogEntries: 25_000, ...options });

const ops = {
	configure: (m) => standin.configure(m.config),
	reset: () => {
		standin.reset();
		return standin.config;
	},
	/** Adds `count` links `${prefix}${i padded to pad}` (i = 0..count-1) to an existing account. */
	seed: ({ provider, accountId, prefix, pad, count }) => {
		const side = standin.store[provider];
		if (!side) throw new Error(`unknown provider ${provider}`);
		const links = side.links.get(accountId);
		if (!links) throw new Error(`account ${accountId} has no link map in the ${provider} store`);
		const creatorId = side.creatorIds.get(accountId) ?? '800000000000000001';
		for (let i = 0; i < count; i++) {
			const id = `${prefix}${String(i).padStart(pad, '0')}`;
			links.set(id, benchLink(id, creatorId, provider === 'fansApi' ? 500000 + i : undefined));
		}
		return { provider, accountId, links: links.size };
	},
	stats: () => standin.stats(),
	/**
	 * The request log reduced to what the timeline analysis needs. `t` is when the stand-in's rate
	 * window saw the request (its arrival when it never reached the window): counted by arrival,
	 * a run the window kept at 600 in any 60 s could read 601, the body read shifting a request
	 * across the window's edge.
	 */
	requests: () =>
		standin.requests.map((r) => ({ t: Date.parse(r.windowAt ?? r.time), status: r.status, d: r.durationMs, m: r.method, p: r.provider })),
	close: async () => {
		await standin.close();
		setImmediate(() => process.exit(0));
		return true;
	},
};

process.on('message', async (m) => {
	try {
		const fn = ops[m.op];
		if (!fn) throw new Error(`unknown op ${m.op}`);
		process.send({ id: m.id, ok: true, value: await fn(m) });
	} catch (error) {
		process.send({ id: m.id, ok: false, error: String(error?.stack ?? error) });
	}
});
process.on('disconnect', () => {
	standin.close().finally(() => process.exit(0));
});
for (const sig of ['SIGINT', 'SIGTERM']) process.on(sig, () => standin.close().finally(() => process.exit(0)));

process.send({
	ready: true,
	url: standin.url,
	apiFanslyBaseUrl: standin.apiFanslyBaseUrl,
	fansApiBaseUrl: standin.fansApiBaseUrl,
	apiFanslyKey: standin.config.apiFanslyKey,
	fansApiKey: standin.config.fansApiKey,
	pid: process.pid,
});
