// End-to-end (issue 11): one rate budget per API key, in a REAL n8n 2.41.1 with this package
// installed as a community package, against the provider stand-in enforcing API Fansly's limit.
// (2.41.1 only: the budget lives in the node's module, which every n8n line loads once per
// process; see CONTRIBUTING.md, "What runs on which n8n".)
//
//   npm run test:e2e          (builds, then node --test dev/e2e/*.test.mjs)
//
// A burst of webhook calls, each starting one execution of one item (the Webhook answers at
// once), all updating through one API Fansly key:
//   * regular mode: the executions share the key's budget, so the stand-in never answers 429
//     and every update arrives exactly once;
//   * queue mode with two workers: each worker keeps its own budget, so together they may go
//     over the limit; the 429s are waited out and retried, and every update still arrives once.
// The limit is low (4 per minute) and the bursts small, so each case takes about one window
// (the node holds a slot 61 s). Everything started here is stopped in `after`.

import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';

import * as n8n from '../n8n/lib.mjs';
import { publicApi, SEED_IDS, startStack, webhookToFansly } from '../stack.mjs';

const verbose = !!process.env.E2E_VERBOSE;
const log = verbose ? (l) => console.log(`# ${l}`) : () => {};
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

const AF = SEED_IDS.apiFansly;
const LIMIT = 4;
/**
 * The stand-in's window: shorter than the node's 60 s, since the stand-in counts from when a
 * request arrives and the node from when it lets it go; a request slowed on its way (n8n busy
 * taking in the burst) would otherwise meet a 429 the budget did not cause. Without a shared
 * budget the burst still goes out at once, far over the limit.
 */
const STANDIN_WINDOW_MS = 57_000;
const BURST_PATH = 'fansly-burst-budget';

/** Webhook (answers at once) -> Fansly: update the link named in the call's body. */
const burstWorkflow = webhookToFansly({
	id: 'fanslyBudgetE2e1',
	name: 'Budget e2e: one execution per call',
	path: BURST_PATH,
	parameters: {
		account: { __rl: true, mode: 'id', value: '={{ $json.body.accountId }}' },
		trackingLink: { __rl: true, mode: 'id', value: '={{ $json.body.linkId }}' },
		updateFields: { label: '={{ $json.body.label }}' },
		options: { requestsPerMinute: LIMIT },
	},
});

/** @type {Awaited<ReturnType<typeof startStack>>} */
let stack;
let api;

before(async () => {
	stack = await startStack({ build: false, prefix: 'e2e-budget', extraWorkflows: [burstWorkflow], log, n8nLog: log });
	api = await publicApi(stack);
	await api.activate(burstWorkflow.id);
});

after(async () => {
	await stack?.stop();
	await n8n.stopAll();
});

/**
 * Fires `count` webhook calls at once (after the first has found the registered webhook), each
 * with its own label, then waits until n8n has finished that many executions. Returns the
 * stand-in's PUTs of the burst and the executions.
 */
async function burst(count, tag) {
	stack.standin.reset();
	stack.standin.configure({ rateLimit: { apiFansly: LIMIT, fansApi: null }, windowMs: STANDIN_WINDOW_MS });
	const lastId = await api.lastExecutionId(burstWorkflow.id);
	const url = `${stack.url}/webhook/${BURST_PATH}`;
	const labels = Array.from({ length: count }, (_, i) => `${tag} #${i}`);
	const body = (label, i) => ({ accountId: AF.accountId, linkId: AF.linkIds[i % AF.linkIds.length], label });
	const first = await n8n.waitForWebhook(url, { method: 'POST', body: body(labels[0], 0) });
	assert.equal(first.status, 200, first.text);
	const rest = await Promise.all(
		labels.slice(1).map(async (label, i) => {
			const res = await fetch(url, {
				method: 'POST',
				headers: { 'content-type': 'application/json' },
				body: JSON.stringify(body(label, i + 1)),
			});
			await res.text();
			return res.status;
		}),
	);
	assert.deepEqual(rest, labels.slice(1).map(() => 200), 'every call answered at once');

	// Each execution waits for its slot in the key's window: about one window for the last.
	const deadline = Date.now() + 200_000;
	let executions = [];
	for (;;) {
		executions = (await api.executions(burstWorkflow.id, { limit: count + 10 })).filter((e) => Number(e.id) > lastId);
		if (executions.length >= count && executions.every((e) => e.stoppedAt)) break;
		assert.ok(Date.now() < deadline, `only ${executions.filter((e) => e.stoppedAt).length} of ${count} executions finished`);
		await sleep(1000);
	}
	const puts = stack.standin.requests.filter((r) => r.provider === 'apiFansly' && r.method === 'PUT');
	return { labels, puts, executions };
}

/** Every label was applied exactly once (one 2xx PUT each), with the key. */
function assertEachOnce(labels, puts) {
	const applied = puts.filter((r) => r.status >= 200 && r.status < 300);
	assert.deepEqual(
		applied.map((r) => r.body.label).sort(),
		[...labels].sort(),
		'each update applied once',
	);
	for (const r of puts) assert.equal(r.headers['x-api-key'], '<redacted: ok>');
}

/** The most 2xx PUTs the stand-in admitted in any of its windows. */
function maxAdmittedInWindow(puts) {
	const times = puts.filter((r) => r.status !== 429).map((r) => Date.parse(r.time)).sort((a, b) => a - b);
	let max = 0;
	for (let i = 0, j = 0; j < times.length; j++) {
		while (times[j] - times[i] >= STANDIN_WINDOW_MS) i++;
		max = Math.max(max, j - i + 1);
	}
	return max;
}

describe('regular mode: one budget for every execution on the key', () => {
	it(`a burst of ${LIMIT + 3} webhook calls at ${LIMIT}/min: each update arrives once, no 429`, async () => {
		const { labels, puts, executions } = await burst(LIMIT + 3, 'regular');
		assert.deepEqual(executions.map((e) => e.status), labels.map(() => 'success'));
		assertEachOnce(labels, puts);
		assert.equal(puts.filter((r) => r.status === 429).length, 0, 'no 429 at the stand-in');
		assert.equal(puts.length, labels.length, 'no request sent twice');
		assert.ok(maxAdmittedInWindow(puts) <= LIMIT);
	});
});

describe('queue mode with two workers: a budget per worker', () => {
	let secondWorker;

	before(async () => {
		await stack.stopN8n();
		await stack.startN8n({ queue: true });
		assert.equal(stack.server.env.EXECUTIONS_MODE, 'queue');
		secondWorker = await n8n.startN8n({ env: stack.env, mode: 'worker', log });
	});

	after(async () => {
		await secondWorker?.stop();
	});

	it(`a burst of ${LIMIT + 2} webhook calls at ${LIMIT}/min (not split): each update arrives once, 429s retried`, async () => {
		const { labels, puts, executions } = await burst(LIMIT + 2, 'queue');
		assert.deepEqual(executions.map((e) => e.status), labels.map(() => 'success'));
		assertEachOnce(labels, puts);
		// 429s are allowed here (two budgets of 4 against one limit of 4), and each was retried.
		const rejected = puts.filter((r) => r.status === 429).length;
		assert.equal(puts.length, labels.length + rejected);
		log(`queue mode: ${rejected} × 429, all retried`);
		const ran = [stack.worker, secondWorker].map(
			(w) => executions.filter((e) => new RegExp(`Worker (started|finished) execution ${e.id}\\b`).test(w.output())).length,
		);
		log(`executions per worker: ${ran.join(' / ')}`);
		assert.equal(ran[0] + ran[1], labels.length, 'every execution ran on a worker');
	});
});
