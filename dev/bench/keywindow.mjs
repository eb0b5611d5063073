// The Fansly node keeps one rate budget per API key for its whole n8n process: a window of its
// own admissions, held 61 s (transport/index.ts). The stand-in's window is reset before every
// run, the node's is not: the warm-up, the webhook probes and earlier runs on the same key are
// still in it. A run whose requests would not fit in what that window has left would wait for
// it (rightly: a real provider counts them too), and the benchmark would measure the budget of
// an earlier run instead of the node. So before each Fansly run the benchmark waits until
// enough of the key's earlier requests have left the node's window, and records the wait.

/** The node's window (61 s) plus a margin for the time between a request and our stamp of it. */
export const NODE_WINDOW_MS = 61_000;
const MARGIN_MS = 1_500;

/** Requests Per Minute the node uses when the option is 0 (providers/*.ts). */
export const DEFAULT_RPM = { apiFansly: 600, fansApi: 5000 };
/** The limit the stand-in reports when it enforces none (dev/standin/providers/*.js). */
export const STANDIN_NOMINAL = { apiFansly: 600, fansApi: 5000 };

/** The key's limit in a run: the chain's Requests Per Minute, or lower when the stand-in reports less. */
export function runLimit(chain, scenarioRpm) {
	const own = chain.options?.requestsPerMinute || DEFAULT_RPM[chain.provider];
	return Math.min(own, scenarioRpm ?? STANDIN_NOMINAL[chain.provider]);
}

export class KeyWindows {
	constructor({ sleep, log, now = () => Date.now() }) {
		this.sleep = sleep;
		this.log = log;
		this.now = now;
		/** provider -> [{ at, count }] in time order */
		this.uses = new Map();
	}

	/** `count` requests on the provider's key ended by `at`. */
	used(provider, count, at = this.now()) {
		if (!count) return;
		if (!this.uses.has(provider)) this.uses.set(provider, []);
		this.uses.get(provider).push({ at, count });
	}

	/** A freshly booted n8n: no budget held. */
	forgetAll() {
		this.uses.clear();
	}

	/**
	 * Waits until `needed` more requests fit in the key's window under `limit`. Returns the time
	 * waited (0 when they fit at once).
	 */
	async clear(provider, needed, limit, label) {
		const list = (this.uses.get(provider) ?? []).filter((u) => u.at > this.now() - NODE_WINDOW_MS - MARGIN_MS);
		this.uses.set(provider, list);
		let inWindow = list.reduce((a, u) => a + u.count, 0);
		if (inWindow + needed <= limit) return 0;
		// the earliest moment enough of the oldest requests have left
		let until = this.now();
		for (const u of list) {
			inWindow -= u.count;
			until = u.at + NODE_WINDOW_MS + MARGIN_MS;
			if (inWindow + needed <= limit) break;
		}
		const ms = Math.max(0, until - this.now());
		if (ms > 0) {
			this.log(`${label}: waiting ${(ms / 1000).toFixed(1)} s until the key's window in n8n has room for ${needed} requests (limit ${limit}; the stand-in's window was reset, the node's was not)`);
			await this.sleep(ms);
		}
		return ms;
	}
}
