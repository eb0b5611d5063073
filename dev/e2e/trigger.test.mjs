// The Fansly Trigger in a REAL n8n (2.41.1, and 1.123.81 with FANSLY_N8N_LINE=1; the package
// installed as a community package) against the provider stand-in: active workflows polling
// every minute.
//
//   npm run build && node --test dev/e2e/trigger.test.mjs      (about 2-3 minutes)
//
// Two workflows poll side by side, so their minute-long waits overlap: one watches One Account,
// the other All Accounts while the second account's list answers 403. Activation polls once at
// once (the baseline: no execution, and no failed activation for the failing account). Then the
// stand-in changes: one link gets more clicks and subscriptions, a link is created, another
// deleted. Each workflow's next poll starts one execution with exactly those three events. The
// poll after: the One Account workflow starts nothing (each change is reported once); the All
// Accounts one, with nothing to emit, fails, naming the failing account. n8n's shortest poll
// time is one minute ("every minute" fires at a random second), so the test waits for two ticks.

import assert from 'node:assert/strict';
import fs from 'node:fs';
import { after, before, describe, it } from 'node:test';

import * as n8n from '../n8n/lib.mjs';
import { CREDENTIALS, lastSeq, loadExample, publicApi, requestsSince, SEED, SEED_IDS, startStack } from '../stack.mjs';

const verbose = !!process.env.E2E_VERBOSE;
const log = verbose ? (l) => console.log(`# ${l}`) : () => {};

const FA = SEED_IDS.fansApi;
const ACCOUNT = FA.accountId;
/** The seed's "Twitter bio" and "Reddit" links of ACCOUNT (test/fixtures/data/seed.json). */
const [, TWITTER, REDDIT] = SEED.fansApi.links[ACCOUNT];
const LIST_PATH = `/fansapi/api/fansly/${ACCOUNT}/tracking-links`;
/** A poll tick is at most a minute away, plus n8n's own start of the execution. */
const TICK_MS = 75_000;

/** The example workflow, watching every event and counter, under its own id. */
function triggerWorkflow(id, name, accountScope) {
	const wf = loadExample('trigger-telegram');
	wf.id = id;
	wf.name = name;
	const trigger = wf.nodes.find((n) => n.type === `${n8n.PACKAGE_NAME}.fanslyTrigger`);
	trigger.parameters.events = ['created', 'deleted', 'increased'];
	trigger.parameters.counters = ['clicks', 'claims', 'follows', 'subscriptions', 'revenue'];
	trigger.parameters.accountScope = accountScope;
	if (accountScope === 'all') trigger.parameters.account = { __rl: true, mode: 'list', value: '' };
	return { wf, triggerName: trigger.name };
}

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

async function until(what, fn, timeoutMs) {
	const deadline = Date.now() + timeoutMs;
	for (;;) {
		const value = await fn();
		if (value) return value;
		if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
		await sleep(250);
	}
}

/** The stand-in's list requests for an account since `seq` (one per poll). */
const polls = (seq, path = LIST_PATH) => requestsSince(stack.standin, seq, 'fansApi').filter((r) => r.method === 'GET' && r.rawPath === path);
/**
 * The One Account workflow's list requests since `seq`, or undefined while a poll of the All
 * Accounts workflow is halfway (it asks for the accounts, then each account's list, the failing
 * one last): the list requests beyond its polls are the other workflow's.
 */
function oneAccountPolls(seq) {
	const allAccountsPolls = polls(seq, '/fansapi/api/fansly/accounts').length;
	if (polls(seq, FAILING_PATH).length !== allAccountsPolls) return undefined;
	return polls(seq).length - allAccountsPolls;
}
/** The second account, whose list answers 403 to the All Accounts workflow. */
const FAILING = FA.secondAccountId;
const FAILING_PATH = `/fansapi/api/fansly/${FAILING}/tracking-links`;

const iso = (ms) => new Date(ms).toISOString();

/** @type {Awaited<ReturnType<typeof startStack>>} */
let stack;
let api;
const { wf, triggerName } = triggerWorkflow('fanslyE2eTrigger', 'Fansly Trigger e2e', 'one');
const { wf: wfAll, triggerName: triggerNameAll } = triggerWorkflow('fanslyE2eTrigAll', 'Fansly Trigger e2e (All Accounts)', 'all');
/** The One Account workflow's execution with the three events (the All Accounts one must match it). */
let oneAccountItems;

before(async () => {
	stack = await startStack({ build: false, prefix: 'e2e-trigger', extraWorkflows: [wf, wfAll], log, n8nLog: log });
	api = await publicApi(stack);
});

after(async () => {
	await stack?.stop();
	await n8n.stopAll();
	if (stack?.userFolder) assert.equal(fs.existsSync(stack.userFolder), false, 'user folder removed');
});

describe('Fansly Trigger in a real n8n', () => {
	it('n8n loads the trigger node type', async () => {
		const rest = await stack.login();
		const types = await rest.get('/types/nodes.json');
		const trigger = types.find((t) => t.name === `${n8n.PACKAGE_NAME}.fanslyTrigger`);
		assert.ok(trigger, 'fanslyTrigger listed');
		assert.equal(trigger.polling, true);
		assert.deepEqual(trigger.credentials.map((c) => c.name), ['fansApiApi']);
		assert.equal(trigger.properties[0].name, 'pollTimes', 'n8n adds Poll Times');

		// The account picker, asked as the editor asks it (the hidden provider parameter left out).
		const cred = CREDENTIALS.fansApi;
		const res = await rest.request('POST', '/rest/dynamic-node-parameters/resource-locator-results', {
			nodeTypeAndVersion: { name: `${n8n.PACKAGE_NAME}.fanslyTrigger`, version: 1 },
			path: 'parameters.account',
			methodName: 'searchAccounts',
			filter: '',
			credentials: { [cred.type]: { id: cred.id, name: cred.name } },
			currentNodeParameters: { accountScope: 'one', account: { __rl: true, mode: 'list', value: '' } },
		});
		assert.equal(res.status, 200, res.text);
		assert.deepEqual(res.json.data.results, [
			{ name: 'Demo Creator (@democreator)', value: FA.accountId },
			{ name: 'Second Creator (@secondcreator)', value: FA.secondAccountId },
		]);
	});

	it('activation records a baseline, also with All Accounts while one account fails (no execution, no failed activation)', async () => {
		stack.standin.injectFault({ provider: 'fansApi', method: 'GET', pathIncludes: FAILING_PATH, times: -1, status: 403, body: { message: 'This action is unauthorized.' } });
		const seq0 = lastSeq(stack.standin);
		await api.activate(wf.id);
		await api.activate(wfAll.id);
		// The activation polls: One Account, one list request; All Accounts, the accounts and
		// both lists (the second refused, and asked last: wait for it too, or a busy machine
		// checks before the All Accounts poll has got that far). "Every minute" is a cron line at a
		// random second, drawn at each activation: a scheduled poll may already follow them.
		const first = await until(
			'the activation polls',
			() => polls(seq0).length >= 2 && polls(seq0, FAILING_PATH).length >= 1 && polls(seq0),
			15_000,
		);
		for (const r of first) assert.deepEqual([r.method, r.headers.authorization, r.status], ['GET', '<redacted: Bearer ok>', 200]);
		assert.ok(polls(seq0, FAILING_PATH).every((r) => r.status === 403), 'the failing account is refused');
		await sleep(1000);
		// Nothing changed, so no poll of One Account starts an execution.
		assert.equal(await api.lastExecutionId(wf.id), 0, 'the baseline starts no execution');
		// A scheduled poll of All Accounts with nothing to emit fails, naming the failing account;
		// the activation's may not. Executions first, then polls: an execution listed had its
		// poll's request logged already.
		const allExecutions = await api.executions(wfAll.id);
		const scheduledPolls = polls(seq0, '/fansapi/api/fansly/accounts').length - 1;
		assert.ok(allExecutions.length <= scheduledPolls, 'the baseline starts no execution, and a failing account does not fail it');
		const active = await api.get(`/workflows/${wfAll.id}`);
		assert.equal(active.active, true, 'the All Accounts workflow is active');
	});

	it('One Account: the next poll reports each change once, the one after reports nothing', async () => {
		// Changes in the stand-in: more clicks and subscriptions on "Twitter bio", a new link
		// (created through the provider API, as a user would), "Reddit" deleted.
		const links = stack.standin.store.fansApi.links.get(ACCOUNT);
		const twitter = links.get(FA.linkIds[1]);
		twitter.clicks += 5;
		twitter.subscriptions += 2;
		const created = await fetch(`${stack.standin.fansApiBaseUrl}/api/fansly/${ACCOUNT}/tracking-links`, {
			method: 'POST',
			headers: { authorization: `Bearer ${stack.standin.config.fansApiKey}`, 'content-type': 'application/json' },
			body: JSON.stringify({ label: 'Instagram bio' }),
		});
		assert.equal(created.status < 300, true, `create: HTTP ${created.status}`);
		const newId = (await created.json()).data.id;
		const fresh = links.get(newId);
		links.delete(FA.linkIds[2]);
		const seq1 = lastSeq(stack.standin);

		// The next poll: one execution with exactly the three events.
		const execution = await api.nextExecution(wf.id, 0, { timeoutMs: TICK_MS });
		assert.equal(execution.status, 'success', JSON.stringify(execution.data?.resultData?.error ?? null));
		assert.equal(await until('the All Accounts workflow between polls', () => oneAccountPolls(seq1), 10_000), 1, 'one list request for the poll');
		const items = execution.data.resultData.runData[triggerName][0].data.main[0].map((i) => i.json);
		oneAccountItems = items;
		for (const item of items) assert.match(item.detectedAt, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
		assert.equal(new Set(items.map((i) => i.detectedAt)).size, 1, 'one poll, one detectedAt');
		const at = items[0].detectedAt;
		assert.deepEqual(items, [
			{
				event: 'increased',
				link: {
					id: FA.linkIds[1],
					accountId: ACCOUNT,
					fanslyAccountId: FA.linkAccountId,
					label: TWITTER.label,
					description: TWITTER.description,
					type: TWITTER.type,
					status: TWITTER.status,
					metadata: {},
					createdAt: iso(TWITTER.createdAt),
					clicks: TWITTER.clicks + 5,
					claims: TWITTER.claims,
					follows: TWITTER.follows,
					subscriptions: TWITTER.subscriptions + 2,
					totalNet: TWITTER.totalNet,
					totalGross: TWITTER.totalGross,
					provider: 'fansApi',
				},
				changes: {
					clicks: { from: TWITTER.clicks, to: TWITTER.clicks + 5, delta: 5 },
					subscriptions: { from: TWITTER.subscriptions, to: TWITTER.subscriptions + 2, delta: 2 },
				},
				detectedAt: at,
			},
			{
				event: 'created',
				link: {
					id: newId,
					accountId: ACCOUNT,
					fanslyAccountId: fresh.accountId,
					label: 'Instagram bio',
					description: null,
					type: fresh.type,
					status: fresh.status,
					metadata: typeof fresh.metadata === 'string' ? JSON.parse(fresh.metadata) : fresh.metadata,
					createdAt: iso(fresh.createdAt),
					clicks: 0,
					claims: 0,
					follows: 0,
					subscriptions: 0,
					totalNet: 0,
					totalGross: 0,
					provider: 'fansApi',
				},
				detectedAt: at,
			},
			{
				event: 'deleted',
				link: {
					id: FA.linkIds[2],
					accountId: ACCOUNT,
					fanslyAccountId: FA.linkAccountId,
					label: REDDIT.label,
					description: REDDIT.description,
					type: REDDIT.type,
					status: REDDIT.status,
					// Not kept between polls: it can be large.
					metadata: null,
					createdAt: iso(REDDIT.createdAt),
					clicks: REDDIT.clicks,
					claims: REDDIT.claims,
					follows: REDDIT.follows,
					subscriptions: REDDIT.subscriptions,
					totalNet: REDDIT.totalNet,
					totalGross: REDDIT.totalGross,
					provider: 'fansApi',
				},
				detectedAt: at,
			},
		]);

		// The poll after: nothing changed, so no execution.
		const seq2 = lastSeq(stack.standin);
		await until('the following poll', () => oneAccountPolls(seq2) > 0, TICK_MS);
		await sleep(3000);
		const executions = await api.executions(wf.id);
		assert.deepEqual(executions.map((e) => e.id), [execution.id], 'each change was reported once');

		await api.deactivate(wf.id);
	});

	it('All Accounts, one account failing: the other account’s events arrive; a poll with nothing to emit fails, naming the account', async () => {
		assert.ok(oneAccountItems, 'the One Account test ran');
		// Its polls ran beside the One Account workflow's, so both executions are most likely there
		// already: the one with the events, and the failed one of its first poll with nothing to
		// emit (the poll after the events, or, if it ticked between activation and the changes,
		// the one before).
		const [done, failedSummary] = await until(
			'an execution with the events and a failed one',
			async () => {
				const list = await api.executions(wfAll.id);
				const pair = [list.find((e) => e.status === 'success'), list.find((e) => e.status === 'error')];
				return pair.every(Boolean) && pair;
			},
			2 * TICK_MS,
		);
		const execution = await api.execution(done.id);
		const items = execution.data.resultData.runData[triggerNameAll][0].data.main[0].map((i) => i.json);
		const at = items[0].detectedAt;
		assert.deepEqual(items, oneAccountItems.map((item) => ({ ...item, detectedAt: at })));

		const failed = await api.execution(failedSummary.id);
		const error = failed.data.resultData.error;
		assert.equal(
			error.message,
			`Could not read account "${FAILING}" (1 of 2 watched accounts): Fans API refused access to account "${FAILING}" (HTTP 403): This action is unauthorized.`,
		);
		assert.match(error.description, /^The other accounts were read; they had no change to report\. The failing accounts/);
		assert.equal(JSON.stringify(failed).includes(stack.standin.config.fansApiKey), false, 'no API key in the failed execution');
		// Each of its polls asked for the failing account's list again; the failure is shown once
		// (then once an hour while it lasts), not at every poll.
		assert.ok(polls(0, FAILING_PATH).length >= 3);
		assert.deepEqual((await api.executions(wfAll.id)).map((e) => e.id).sort(), [done.id, failed.id].sort());

		await api.deactivate(wfAll.id);
		stack.standin.clearFaults();
	});
});
