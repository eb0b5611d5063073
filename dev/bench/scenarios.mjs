// What is measured: the variants ("chains") and the scenarios that run them.

export const ACCOUNTS = { apiFansly: 'fansly_acc_demo1', fansApi: 'fansly_acct_demo000000001' };
/** Benchmark link ids: "7" + 17 digits, i.e. 18-digit Fansly-like ids. */
export const LINK_PREFIX = '7';
export const LINK_PAD = 17;
export const linkId = (i) => `${LINK_PREFIX}${String(i).padStart(LINK_PAD, '0')}`;

/**
 * Target nodes ("chains": Webhook -> Code generating N items -> target), all in one workflow.
 * kind 'fansly' = our node; 'http' = HTTP Request 4.5 (newest in n8n 2.41).
 */
export const CHAINS = {
	'fa-fansly': { provider: 'fansApi', kind: 'fansly', label: 'Fansly node (defaults)' },
	'fa-fansly-rpm': { provider: 'fansApi', kind: 'fansly', options: { requestsPerMinute: 1_000_000 }, label: 'Fansly, Requests Per Minute 1 000 000' },
	'fa-http': { provider: 'fansApi', kind: 'http', label: 'HTTP Request (a) defaults' },
	'fa-http-batch': { provider: 'fansApi', kind: 'http', batch: { batchSize: 83, batchInterval: 1000 }, label: 'HTTP Request (b) batch 83 / 1 s' },
	'fa-http-continue': { provider: 'fansApi', kind: 'http', onError: 'continueRegularOutput', label: 'HTTP Request (c) On Error: continue' },
	'af-fansly': { provider: 'apiFansly', kind: 'fansly', label: 'Fansly node (defaults)' },
	'af-http': { provider: 'apiFansly', kind: 'http', label: 'HTTP Request (a) defaults' },
	'af-http-batch': { provider: 'apiFansly', kind: 'http', batch: { batchSize: 10, batchInterval: 1000 }, label: 'HTTP Request (b) batch 10 / 1 s' },
	'af-http-continue': { provider: 'apiFansly', kind: 'http', onError: 'continueRegularOutput', label: 'HTTP Request (c) On Error: continue' },
	'af-http-burst': { provider: 'apiFansly', kind: 'http', batch: { batchSize: 600, batchInterval: 61000 }, label: 'HTTP Request (b2) batch 600 / 61 s' },
	// Scenario 4 (issue 11): Webhook (responds at once) -> target, one item per execution.
	'af-burst-fansly': { provider: 'apiFansly', kind: 'fansly', burst: true, label: 'Fansly node (defaults)' },
	'af-burst-fansly-rpm120': { provider: 'apiFansly', kind: 'fansly', burst: true, options: { requestsPerMinute: 120 }, label: 'Fansly node, Requests Per Minute 120 (the plan)' },
	'af-burst-http': { provider: 'apiFansly', kind: 'http', burst: true, label: 'HTTP Request (a) defaults' },
	'af-burst-http-retry': {
		provider: 'apiFansly',
		kind: 'http',
		burst: true,
		// n8n's node setting "Retry On Fail" at its most patient: 5 tries, 5 s apart (the maxima the editor allows)
		retryOnFail: { maxTries: 5, waitBetweenTries: 5000 },
		label: 'HTTP Request, Retry On Fail (5 tries, 5 s apart)',
	},
};

/**
 * Scenarios. rpm = the stand-in's enforced limit per 60 s sliding window (null = unlimited);
 * log = keep the stand-in's request log for the timeline analysis (off where per-item CPU cost is measured).
 */
const profileScenario = (quick) => ({ id: 'prof', title: 'CPU profile: Fans API, no latency, a plan of 1 000 000/min, fresh n8n per run', provider: 'fansApi', rpm: 1_000_000, latencyMs: 0, n: quick ? 500 : 5000, reps: 1, log: false, fresh: true, profile: true, chains: ['fa-fansly', 'fa-http'] });

/**
 * The regression guard (`--guard`): the per-item overhead of the Fansly node (defaults) against
 * the HTTP Request node's in the same n8n, at a size that runs well under a minute; the node's
 * own budget (5 000/min) does not bind at 500 items.
 */
const guardScenario = () => ({ id: 's3', title: 'guard: Fans API, no latency, a plan of 1 000 000/min', provider: 'fansApi', rpm: 1_000_000, latencyMs: 0, n: 500, reps: 2, log: false, chains: ['fa-fansly', 'fa-http'] });

/** The scenarios of a run (`npm run bench` options: --quick, --guard, --reps, --reps-s2, --profile). */
export function scenarioList({ quick, guard, reps, repsS2, profile }) {
	if (guard) return [guardScenario()];
	return profile
	? [profileScenario(quick)]
	: quick
	? [
			{ id: 's1', title: 'Fans API, 5 000/min, latency 150 ms', provider: 'fansApi', rpm: 5000, latencyMs: 150, n: 100, reps: reps, log: true, chains: ['fa-fansly', 'fa-http', 'fa-http-batch', 'fa-http-continue'] },
			{ id: 's2', title: 'API Fansly, 600/min, latency 150 ms', provider: 'apiFansly', rpm: 600, latencyMs: 150, n: 100, reps: 1, log: true, chains: ['af-fansly', 'af-http', 'af-http-batch', 'af-http-continue'] },
			{ id: 's3', title: 'Fans API, no latency, a plan of 1 000 000/min', provider: 'fansApi', rpm: 1_000_000, latencyMs: 0, n: 200, reps: reps, log: false, chains: ['fa-fansly', 'fa-fansly-rpm', 'fa-http'] },
			{ id: 's3m', title: 'memory: Fans API, no latency, fresh n8n per run', provider: 'fansApi', rpm: 1_000_000, latencyMs: 0, n: 400, reps: 1, log: false, fresh: true, chains: ['fa-fansly-rpm', 'fa-http'] },
		]
	: [
			{ id: 's1', title: 'Fans API, 5 000/min, latency 150 ms', provider: 'fansApi', rpm: 5000, latencyMs: 150, n: 1000, reps: reps, log: true, chains: ['fa-fansly', 'fa-http', 'fa-http-batch', 'fa-http-continue'] },
			{ id: 's2', title: 'API Fansly, 600/min, latency 150 ms', provider: 'apiFansly', rpm: 600, latencyMs: 150, n: 1000, reps: repsS2, log: true, chains: ['af-fansly', 'af-http', 'af-http-batch', 'af-http-burst', 'af-http-continue'] },
			// The stand-in plays a plan that never binds (it reports and enforces 1 000 000/min): the
			// node at its default budget (5 000/min, which 5 000 items fill exactly) and at Requests
			// Per Minute 1 000 000, so the per-item cost shows apart from the budget.
			{ id: 's3', title: 'Fans API, no latency, a plan of 1 000 000/min', provider: 'fansApi', rpm: 1_000_000, latencyMs: 0, n: 5000, reps: reps, log: false, chains: ['fa-fansly', 'fa-fansly-rpm', 'fa-http'] },
			{ id: 's3m', title: 'memory: Fans API, no latency, fresh n8n per run', provider: 'fansApi', rpm: 1_000_000, latencyMs: 0, n: 10_000, reps: 1, log: false, fresh: true, chains: ['fa-fansly-rpm', 'fa-http'] },
		];
}

/**
 * n8n's production concurrency limit for s4c / s4sc (N8N_CONCURRENCY_PRODUCTION_LIMIT; BENCHMARKS.md
 * says why 20): enough running executions to send as fast as the provider's window frees slots
 * (n8n takes calls in at under 30/s here, each execution holds its slot for its 150 ms request
 * plus n8n's own work, about 0.2-0.3 s: 30/s × 0.3 s ≈ 9, doubled for the jitter of a shared
 * machine), few enough that the executions waiting for the window cost little memory.
 */
export const BURST_CONCURRENCY = 20;

/**
 * Scenario 4 (issue 11): `calls` webhook calls spread evenly over `spreadMs`, each starting one
 * execution with one item; every variant on a freshly booted n8n (peak memory comparable).
 * s4c and s4sc are s4 and s4s with n8n's production concurrency limit set (issue 17, item 6).
 */
export function burstScenarios({ quick, reps = 1, concurrency = BURST_CONCURRENCY }) {
	const limited = (sc) => ({ ...sc, id: `${sc.id}c`, title: `${sc.title}, N8N_CONCURRENCY_PRODUCTION_LIMIT=${concurrency}`, n8nEnv: { N8N_CONCURRENCY_PRODUCTION_LIMIT: String(concurrency) } });
	const s4 = quick
		? { id: 's4', title: 'burst: 60 webhook calls in 3 s, one item each, API Fansly 1 000/min, 150 ms', provider: 'apiFansly', rpm: 1000, latencyMs: 150, calls: 60, spreadMs: 3000, reps: 1, log: true, fresh: true, burst: true, chains: ['af-burst-fansly', 'af-burst-http', 'af-burst-http-retry'] }
		: { id: 's4', title: 'burst: 1 000 webhook calls in 10 s, one item each, API Fansly 600/min, 150 ms', provider: 'apiFansly', rpm: 600, latencyMs: 150, calls: 1000, spreadMs: 10_000, reps: 1, log: true, fresh: true, burst: true, chains: ['af-burst-fansly', 'af-burst-http', 'af-burst-http-retry'] };
	// The same shape scaled to a plan of 120/min: on a machine where n8n takes in fewer than
	// 10 calls/s, 600/min never binds; 120/min (2/s) does.
	const s4s = { id: 's4s', title: 'burst: 300 webhook calls in 10 s, one item each, API Fansly 120/min, 150 ms', provider: 'apiFansly', rpm: 120, latencyMs: 150, calls: 300, spreadMs: 10_000, reps: 1, log: true, fresh: true, burst: true, chains: ['af-burst-fansly-rpm120', 'af-burst-http', 'af-burst-http-retry'] };
	return (quick ? [s4, limited(s4)] : [s4, s4s, limited(s4), limited(s4s)]).map((sc) => ({ ...sc, reps }));
}

/**
 * When the provider's sliding window lets the last of `calls` requests through when call i is
 * made at i * spreadMs / calls (each request as early as its call and the window allow), plus
 * one latency: the bound no client can beat without a 429.
 */
export function burstBoundMs(calls, spreadMs, limit, latencyMs, windowMs = 60_000) {
	const at = [];
	for (let i = 0; i < calls; i++) {
		const call = (i * spreadMs) / calls;
		at.push(limit && i >= limit ? Math.max(call, at[i - limit] + windowMs) : call);
	}
	return Math.round(at[calls - 1] + latencyMs);
}

/**
 * The arrival-aware bound: when the provider's sliding window lets the last request through if
 * each request goes as early as n8n's intake of its call and the window allow. `intakeMs` are
 * the times n8n took each call in, relative to the first call sent: the executions' startedAt
 * (when n8n started running the call; a webhook that responds immediately answers then; with a
 * concurrency limit, once a slot is free). Request k (in intake order) goes no earlier than its
 * call's intake, and, past the first `limit`, no earlier than request k − limit plus the
 * window. Plus one latency.
 */
export function arrivalBoundMs(intakeMs, limit, latencyMs, windowMs = 60_000) {
	const sorted = [...intakeMs].sort((a, b) => a - b);
	const at = [];
	for (let k = 0; k < sorted.length; k++) at.push(limit && k >= limit ? Math.max(sorted[k], at[k - limit] + windowMs) : sorted[k]);
	return at.length ? Math.round(at[at.length - 1] + latencyMs) : null;
}

/** When the sliding window lets the n-th request through (burst of `limit` at t=0), plus one latency. */
export function slidingWindowBoundMs(n, limit, latencyMs, windowMs = 60_000) {
	if (!limit) return latencyMs;
	return Math.floor((n - 1) / limit) * windowMs + latencyMs;
}
