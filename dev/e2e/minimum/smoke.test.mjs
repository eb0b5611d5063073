// The oldest n8n the package supports, really: n8n 1.85.3 on Node 20 (the README's minimum), with
// this package installed from its tarball as a community package, against the provider stand-in.
//
//   npm run test:e2e:min      (builds, then this file with FANSLY_N8N_LINE=1.85; about 3 minutes
//                              once n8n 1.85.3 is installed into .cache/n8n-1.85.3)
//
// A smoke, not the whole suite (that runs on 2.41.1 and 1.123.81): n8n loads both nodes and the
// tool variant, both credential tests, one update through each provider by the example webhook
// (a failure too: answered, then a failed execution), and one poll of an active Fansly Trigger
// that reports a change.

import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';

import * as n8n from '../../n8n/lib.mjs';
import { CREDENTIALS, credentialData, lastSeq, publicApi, requestsSince, SEED_IDS, startedBy, startStack } from '../../stack.mjs';

const log = process.env.E2E_VERBOSE ? (l) => console.log(`# ${l}`) : () => {};
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const AF = SEED_IDS.apiFansly;
const FA = SEED_IDS.fansApi;
/** A poll tick ("every minute", at a random second) is at most a minute away, plus n8n's start. */
const TICK_MS = 75_000;

/** @type {Awaited<ReturnType<typeof startStack>>} */
let stack;
let rest;
let api;

before(async () => {
	assert.equal(n8n.N8N_VERSION, '1.85.3', 'run with FANSLY_N8N_LINE=1.85 (npm run test:e2e:min)');
	stack = await startStack({ build: false, prefix: 'e2e-min', log, n8nLog: log });
	rest = await stack.login();
	api = await publicApi(stack, rest);
});

after(async () => {
	await stack?.stop();
	await n8n.stopAll();
});

describe(`the minimum n8n (${n8n.N8N_VERSION} on Node ${n8n.NODE_VERSION})`, () => {
	it('loads the package installed from its tarball: both nodes, the tool variant, both credentials', async () => {
		assert.ok(stack.pkg.tarball.endsWith('.tgz'));
		const names = (await rest.get('/types/nodes.json')).map((t) => t.name);
		for (const type of [n8n.NODE_TYPE, n8n.TOOL_NODE_TYPE, `${n8n.PACKAGE_NAME}.fanslyTrigger`]) assert.ok(names.includes(type), `${type} listed`);
		const creds = (await rest.get('/types/credentials.json')).map((c) => c.name);
		assert.ok(creds.includes('apiFanslyApi') && creds.includes('fansApiApi'));
	});

	for (const provider of ['apiFansly', 'fansApi']) {
		it(`credential test (${provider}): the right key passes, a wrong one fails`, async () => {
			const cred = CREDENTIALS[provider];
			const test = (data) => rest.post('/rest/credentials/test', { credentials: { ...cred, data } });
			const data = credentialData(provider, { standin: stack.standin });
			assert.deepEqual((await test(data)).data, { status: 'OK', message: 'Connection successful!' });
			assert.equal((await test({ ...data, apiKey: 'a-wrong-key' })).data.status, 'Error');
		});
	}

	for (const [provider, accountId, linkId] of [
		['apiFansly', AF.accountId, AF.linkIds[0]],
		['fansApi', FA.accountId, FA.linkIds[1]],
	]) {
		it(`one update through ${provider} (the example webhook): the normalised link, one PUT`, async () => {
			const seq = lastSeq(stack.standin);
			const res = await stack.callWebhook({ provider, accountId, trackingLinkId: linkId, label: `Minimum ${provider}` });
			assert.equal(res.status, 200, res.text);
			assert.deepEqual([res.json.id, res.json.accountId, res.json.label, res.json.provider], [linkId, accountId, `Minimum ${provider}`, provider]);
			assert.deepEqual(
				requestsSince(stack.standin, seq, provider).map((r) => [r.method, r.status]),
				[['PUT', 200]],
			);
		});
	}

	it('a failed update is answered (HTTP 404, the node\'s message) and recorded as a failed execution', async () => {
		const last = await api.lastExecutionId(stack.workflows.webhook);
		const body = { provider: 'fansApi', accountId: FA.accountId, trackingLinkId: '999999999999999999', label: 'x' };
		const res = await stack.callWebhook(body);
		assert.equal(res.status, 404, res.text);
		const execution = await api.nextExecution(stack.workflows.webhook, last, { where: startedBy(body) });
		assert.equal(execution.status, 'error');
		assert.equal(execution.data.resultData.error?.message, res.json.message);
	});

	it('an active Fansly Trigger polls: a baseline at activation, then the next poll reports a new subscriber', async () => {
		const id = stack.workflows.trigger;
		const listPath = `/fansapi/api/fansly/${FA.accountId}/tracking-links`;
		const polls = (seq) => requestsSince(stack.standin, seq, 'fansApi').filter((r) => r.method === 'GET' && r.rawPath === listPath);
		const seq0 = lastSeq(stack.standin);
		await api.activate(id);
		for (let i = 0; polls(seq0).length === 0; i++) {
			assert.ok(i < 60, 'the activation poll reached the stand-in');
			await sleep(250);
		}
		const twitter = stack.standin.store.fansApi.links.get(FA.accountId).get(FA.linkIds[1]);
		twitter.subscriptions += 1;
		try {
			const execution = await api.nextExecution(id, 0, { timeoutMs: TICK_MS });
			assert.equal(execution.status, 'success', JSON.stringify(execution.data?.resultData?.error ?? null));
			const trigger = Object.keys(execution.data.resultData.runData).find((name) => name.startsWith('New subscribers'));
			assert.ok(trigger, `the execution holds the trigger's items: ${JSON.stringify(Object.keys(execution.data?.resultData?.runData ?? {}))}`);
			const items = execution.data.resultData.runData[trigger][0].data.main[0].map((i) => i.json);
			assert.deepEqual(
				items.map((i) => [i.event, i.link.id, i.changes?.subscriptions?.delta]),
				[['increased', FA.linkIds[1], 1]],
			);
		} finally {
			await api.deactivate(id);
		}
	});
});
