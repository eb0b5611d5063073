// End-to-end tests against a REAL n8n (2.41.1, and 1.123.81 with FANSLY_N8N_LINE=1) with this
// package installed as a community package, and the provider stand-in (dev/standin) for both
// providers.
//
//   npm run test:e2e          (builds, then node --test dev/e2e/ on n8n 2.41.1)
//   npm run test:e2e:n8n1     (this file and trigger.test.mjs on n8n 1.123.81, the newest 1.x)
//
// One n8n user folder for the whole file: regular mode first, then the same folder in queue
// mode (redis + main + worker). Everything started here is stopped in `after`, also on failure;
// the user folder is removed. First run installs n8n into .cache/ (ensureRuntime, 3-5 min).

import assert from 'node:assert/strict';
import fs from 'node:fs';
import http from 'node:http';
import { after, before, beforeEach, describe, it } from 'node:test';

import * as n8n from '../n8n/lib.mjs';
import { CREDENTIALS, loadExample, publicApi, SEED, SEED_IDS, startedBy, startStack, webhookToFansly } from '../stack.mjs';

const verbose = !!process.env.E2E_VERBOSE;
const log = verbose ? (l) => console.log(`# ${l}`) : () => {};

const AF = SEED_IDS.apiFansly;
const FA = SEED_IDS.fansApi;
/** The seed's records (test/fixtures/data/seed.json): links of AF.accountId and FA.accountId, Fans API accounts. */
const AF_LINKS = SEED.apiFansly.links[AF.accountId];
const FA_LINKS = SEED.fansApi.links[FA.accountId];
const [FA_ACCOUNT, FA_SECOND_ACCOUNT] = SEED.fansApi.accounts;
/** A seed link's six counters: the node outputs them unchanged. */
const counters = ({ clicks, claims, follows, subscriptions, totalNet, totalGross }) => ({ clicks, claims, follows, subscriptions, totalNet, totalGross });
/** The Fans API account picker's name of an account. */
const accountName = (a) => `${a.display_name} (@${a.fansly_username})`;
const WEBHOOK_ONE = 'Update on API Fansly';
const WEBHOOK_TWO = 'Update on Fans API';

/** @type {Awaited<ReturnType<typeof startStack>>} */
let stack;
let rest;
let api;

/** Stand-in log entries added by fn(). */
async function logged(fn) {
	const since = stack.standin.requests.length ? stack.standin.requests.at(-1).seq : 0;
	const result = await fn();
	const requests = stack.standin.requests.filter((r) => r.seq > since);
	return { result, requests };
}

/** Exactly the fields of a log entry the tests compare. */
const wire = (r) => ({
	provider: r.provider,
	method: r.method,
	rawPath: r.rawPath,
	body: r.body,
	auth: r.provider === 'apiFansly' ? r.headers['x-api-key'] : r.headers.authorization,
	contentType: r.headers['content-type'],
	status: r.status,
});

/**
 * A failed call to the example webhook: the caller got its answer, then the execution failed
 * with the same message (Stop and Error), so it shows as failed in n8n's executions list.
 */
function assertFailedAfterAnswering(execution, message) {
	assert.equal(execution.status, 'error');
	assert.equal(execution.data.resultData.lastNodeExecuted, 'Mark the execution failed');
	assert.equal(execution.data.resultData.error?.message, message);
}

/** POST the example webhook and return the response plus the execution it created. */
async function webhookRun(body) {
	const lastId = await api.lastExecutionId(stack.workflows.webhook);
	const { result: res, requests } = await logged(() => stack.callWebhook(body));
	const execution = await api.nextExecution(stack.workflows.webhook, lastId, { where: startedBy(body) });
	return { res, requests, execution };
}

function pickerRequest(methodName, provider, { account = '', filter } = {}) {
	const cred = CREDENTIALS[provider];
	const body = {
		nodeTypeAndVersion: { name: n8n.NODE_TYPE, version: 1 },
		path: methodName === 'searchAccounts' ? 'parameters.account' : 'parameters.trackingLink',
		methodName,
		credentials: { [cred.type]: { id: cred.id, name: cred.name } },
		currentNodeParameters: {
			authentication: cred.type,
			resource: 'trackingLink',
			operation: 'update',
			account: { __rl: true, mode: 'list', value: account },
			trackingLink: { __rl: true, mode: 'list', value: '' },
			updateFields: {},
			options: {},
		},
		workflowId: stack.workflows.batch,
	};
	if (filter !== undefined) body.filter = filter;
	return rest.request('POST', '/rest/dynamic-node-parameters/resource-locator-results', body);
}

/**
 * For the Stop test: a webhook that answers at once and starts an update of both API Fansly seed
 * links, one request at a time, so the second waits while the first is being retried.
 */
const STOP_PATH = 'fansly-stop-e2e';
const STOP_WORKFLOW = webhookToFansly({
	id: 'fanslyE2eStopWf1',
	name: 'e2e: Stop during a retry wait',
	path: STOP_PATH,
	rows: `return ${JSON.stringify(AF.linkIds)}.map((id) => ({ json: { id, label: 'Stopped ' + id } }));`,
	parameters: {
		account: { __rl: true, mode: 'id', value: AF.accountId },
		trackingLink: { __rl: true, mode: 'id', value: '={{ $json.id }}' },
		updateFields: { label: '={{ $json.label }}' },
		options: { maxConcurrency: 1 },
	},
});

/**
 * For Retry On Fail: a webhook that starts a Delete of two Fans API seed links, one request at a
 * time and without the node's own retries, with n8n's Retry On Fail (2 tries, 1 ms apart).
 */
const RETRY_PATH = 'fansly-retry-on-fail-e2e';
const RETRY_WORKFLOW = webhookToFansly({
	id: 'fanslyE2eRetryWf1',
	name: 'e2e: Delete with Retry On Fail',
	path: RETRY_PATH,
	provider: 'fansApi',
	rows: `return ${JSON.stringify(FA.linkIds.slice(0, 2))}.map((id) => ({ json: { id } }));`,
	parameters: {
		operation: 'delete',
		account: { __rl: true, mode: 'id', value: FA.accountId },
		trackingLink: { __rl: true, mode: 'id', value: '={{ $json.id }}' },
		options: { retry: false, maxConcurrency: 1 },
	},
	settings: { retryOnFail: true, maxTries: 2, waitBetweenTries: 1 },
});

before(async () => {
	stack = await startStack({ build: false, prefix: 'e2e', log, n8nLog: log, extraWorkflows: [STOP_WORKFLOW, RETRY_WORKFLOW] });
	rest = await stack.login();
	api = await publicApi(stack, rest);
});

after(async () => {
	await stack?.stop();
	await n8n.stopAll();
	if (stack?.userFolder) assert.equal(fs.existsSync(stack.userFolder), false, 'user folder removed');
});

beforeEach(() => {
	// seed data back, log and faults cleared, keys restored
	stack.standin.reset();
	stack.standin.configure({ apiFanslyKey: 'standin-apifansly-key', fansApiKey: 'standin-fansapi-key' });
});

describe('regular mode', () => {
	it('n8n loads the package: the node, its AI-tool variant and both credential types', async () => {
		const types = await rest.get('/types/nodes.json');
		const names = types.map((t) => t.name);
		assert.ok(names.includes(n8n.NODE_TYPE), `${n8n.NODE_TYPE} listed`);
		assert.ok(names.includes(n8n.TOOL_NODE_TYPE), `${n8n.TOOL_NODE_TYPE} listed`);
		const creds = (await rest.get('/types/credentials.json')).map((c) => c.name);
		assert.ok(creds.includes('apiFanslyApi') && creds.includes('fansApiApi'));
		const packages = (await rest.get('/rest/community-packages')).data;
		assert.deepEqual(
			packages.map((p) => [p.packageName, p.installedVersion]),
			[[n8n.PACKAGE_NAME, stack.pkg.version]],
		);
	});

	it('the AI tool (fanslyTool): every visible parameter has a non-empty description', async () => {
		const types = await rest.get('/types/nodes.json');
		const tool = types.find((t) => t.name === n8n.TOOL_NODE_TYPE);
		assert.ok(tool, 'tool type served');
		assert.ok(tool.description?.trim(), 'the tool describes itself');
		assert.ok(tool.codex?.categories?.includes('AI'));
		const hasText = (t) => typeof t === 'string' && t.trim() !== '';
		// Same rule as test/toolDescription.test.ts, applied to what n8n really serves: an
		// options parameter may instead describe each of its choices. Not this package's, so not
		// checked: `descriptionType` (added by n8n's tool conversion) and the "Custom API Call"
		// choice n8n 2.41 appends to `resource` and `operation` (injectCustomApiCallOptions).
		const injected = (o) => o.value === '__CUSTOM_API_CALL__';
		const missing = [];
		const walk = (props, path) => {
			for (const p of props) {
				const here = [...path, p.name].join('.');
				if (p.type !== 'hidden' && p.type !== 'notice' && !(path.length === 0 && p.name === 'descriptionType')) {
					const ours = (p.options ?? []).filter((o) => !injected(o));
					const choicesDescribed =
						(p.type === 'options' || p.type === 'multiOptions') &&
						ours.length > 0 &&
						ours.every((o) => hasText(o.description));
					if (!hasText(p.description) && !choicesDescribed) missing.push(here);
				}
				for (const o of p.options ?? []) {
					if (o.type && o.displayName) walk([o], [...path, p.name]);
					else if (Array.isArray(o.values)) walk(o.values, [...path, p.name, o.name]);
				}
			}
		};
		walk(tool.properties, []);
		assert.deepEqual(missing, []);
		const operation = tool.properties.find((p) => p.name === 'operation');
		assert.deepEqual(
			operation.options.filter((o) => !injected(o) && !(hasText(o.action) && hasText(o.description))).map((o) => o.value),
			[],
			'every operation has an action and a description',
		);
		assert.ok(tool.properties.some((p) => p.name === 'toolDescription' && hasText(p.description)));
	});

	for (const [provider, data] of [
		['apiFansly', () => ({ apiKey: 'standin-apifansly-key', baseUrl: stack.standin.apiFanslyBaseUrl })],
		['fansApi', () => ({ apiKey: 'standin-fansapi-key', baseUrl: 'custom', customBaseUrl: stack.standin.fansApiBaseUrl })],
	]) {
		it(`credential test (${provider}): succeeds with the right key, fails with a wrong one`, async () => {
			const cred = CREDENTIALS[provider];
			const test = (d) => rest.post('/rest/credentials/test', { credentials: { ...cred, data: d } });
			const good = await logged(() => test(data()));
			assert.deepEqual(good.result.data, { status: 'OK', message: 'Connection successful!' });
			const expectedPath = provider === 'apiFansly' ? '/apifansly/api/fansly/accounts' : '/fansapi/api/whoami';
			const okAuth = provider === 'apiFansly' ? '<redacted: ok>' : '<redacted: Bearer ok>';
			assert.deepEqual(
				good.requests.map((r) => [r.method, r.rawPath, wire(r).auth, r.status]),
				[['GET', expectedPath, okAuth, 200]],
			);

			const bad = await logged(() => test({ ...data(), apiKey: 'a-wrong-key' }));
			assert.equal(bad.result.data.status, 'Error');
			// n8n's own wording for a failed credential test: 2.x quotes the status, 1.x does not.
			assert.match(bad.result.data.message, n8n.N8N_LINE === 1 ? /^Authorization failed - please check your credentials$/ : /Unauthorized|401/);
			const wrongAuth = provider === 'apiFansly' ? '<redacted: wrong>' : '<redacted: Bearer wrong>';
			assert.ok(bad.requests.length >= 1);
			for (const r of bad.requests) assert.deepEqual([r.method, r.rawPath, wire(r).auth, r.status], ['GET', expectedPath, wrongAuth, 401]);
		});
	}

	for (const [statusCode, says] of [
		[401, 'API Fansly rejected the API key (statusCode 401 in its answer)'],
		// n8n compares a rule's value exactly: the text form has rules of its own.
		['402', 'API Fansly: the credits of this API key are used up (statusCode 402 in its answer)'],
	]) {
		it(`credential test (apiFansly): an HTTP 200 whose envelope says statusCode ${JSON.stringify(statusCode)} fails, as the node reads it`, async () => {
			const server = http.createServer((req, res) => {
				res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ statusCode, message: 'Invalid or missing API key', data: null }));
			});
			await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
			try {
				const cred = CREDENTIALS.apiFansly;
				const result = await rest.post('/rest/credentials/test', {
					credentials: { ...cred, data: { apiKey: 'envelope-test-key', baseUrl: `http://127.0.0.1:${server.address().port}` } },
				});
				assert.deepEqual(result.data, { status: 'Error', message: says });
			} finally {
				server.closeAllConnections();
				await new Promise((resolve) => server.close(resolve));
			}
		});
	}

	for (const [provider, data] of [
		['apiFansly', (key, base) => ({ apiKey: key, baseUrl: base })],
		['fansApi', (key, base) => ({ apiKey: key, baseUrl: 'custom', customBaseUrl: base })],
	]) {
		it(`credential test (${provider}): a redirect is not followed; the other host never receives the key`, async () => {
			const key = `redirect-test-key-${provider}`;
			const seen = { first: [], other: [] };
			// The other host would answer the test request with success, so following the
			// redirect would turn the test green and hand it the key.
			const other = http.createServer((req, res) => {
				seen.other.push({ url: req.url, headers: req.headers });
				const body = req.url.endsWith('/whoami') ? { data: { team: 'x' } } : { statusCode: 200, message: 'ok', data: { success: true, count: 0, accounts: [] } };
				res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(body));
			});
			await new Promise((resolve) => other.listen(0, resolve));
			const otherBase = `http://localhost:${other.address().port}`;
			const first = http.createServer((req, res) => {
				seen.first.push({ url: req.url, headers: req.headers });
				res.writeHead(302, { location: `${otherBase}${req.url}` }).end();
			});
			await new Promise((resolve) => first.listen(0, '127.0.0.1', resolve));
			try {
				const cred = CREDENTIALS[provider];
				const base = `http://127.0.0.1:${first.address().port}`;
				const result = await rest.post('/rest/credentials/test', { credentials: { ...cred, data: data(key, base) } });
				const sent = (r) => (provider === 'apiFansly' ? r.headers['x-api-key'] : r.headers.authorization);
				assert.deepEqual(seen.first.map(sent), [provider === 'apiFansly' ? key : `Bearer ${key}`]);
				assert.deepEqual(seen.other, []);
				assert.equal(result.data.status, 'Error');
				assert.ok(!JSON.stringify(result).includes(key), 'the key is not in the answer');
			} finally {
				first.closeAllConnections();
				other.closeAllConnections();
				await Promise.all([first, other].map((server) => new Promise((resolve) => server.close(resolve))));
			}
		});
	}

	it('pickers: searchAccounts lists the stand-in accounts on both providers', async () => {
		const af = await logged(() => pickerRequest('searchAccounts', 'apiFansly'));
		assert.equal(af.result.status, 200, af.result.text);
		assert.deepEqual(af.result.json.data.results, [{ name: SEED.apiFansly.accounts[0].name, value: AF.accountId }]);
		assert.deepEqual(af.requests.map(wire), [
			{ provider: 'apiFansly', method: 'GET', rawPath: '/apifansly/api/fansly/accounts', body: null, auth: '<redacted: ok>', contentType: null, status: 200 },
		]);

		const fa = await pickerRequest('searchAccounts', 'fansApi');
		assert.equal(fa.status, 200, fa.text);
		assert.deepEqual(fa.json.data.results, [
			{ name: accountName(FA_ACCOUNT), value: FA.accountId },
			{ name: accountName(FA_SECOND_ACCOUNT), value: FA.secondAccountId },
		]);
		const filtered = await pickerRequest('searchAccounts', 'fansApi', { filter: 'second' });
		assert.deepEqual(filtered.json.data.results, [{ name: accountName(FA_SECOND_ACCOUNT), value: FA.secondAccountId }]);
	});

	it('pickers: searchTrackingLinks lists the account links on Fans API; API Fansly says to use By ID', async () => {
		const fa = await logged(() => pickerRequest('searchTrackingLinks', 'fansApi', { account: FA.accountId }));
		assert.equal(fa.result.status, 200, fa.result.text);
		assert.deepEqual(fa.result.json.data.results, [
			{ name: `${FA_LINKS[0].label} (built-in) · ${FA.linkIds[0]}`, value: FA.linkIds[0] },
			{ name: `${FA_LINKS[1].label} · ${FA.linkIds[1]}`, value: FA.linkIds[1] },
			{ name: `${FA_LINKS[2].label} · ${FA.linkIds[2]}`, value: FA.linkIds[2] },
		]);
		assert.deepEqual(
			fa.requests.map((r) => [r.method, r.rawPath, wire(r).auth, r.status]),
			[['GET', `/fansapi/api/fansly/${FA.accountId}/tracking-links`, '<redacted: Bearer ok>', 200]],
		);
		const search = await pickerRequest('searchTrackingLinks', 'fansApi', { account: FA.accountId, filter: 'redd' });
		assert.deepEqual(search.json.data.results.map((r) => r.value), [FA.linkIds[2]]);

		const af = await logged(() => pickerRequest('searchTrackingLinks', 'apiFansly', { account: AF.accountId }));
		assert.notEqual(af.result.status, 200);
		assert.match(af.result.json.message, /^API Fansly cannot list tracking links: choose "By ID"/);
		assert.equal(af.requests.length, 0, 'no request sent');
	});

	it('webhook workflow (API Fansly): returns the normalised link; the stand-in got exactly one PUT', async () => {
		const body = { accountId: AF.accountId, trackingLinkId: AF.linkIds[0], label: 'Twitter bio (e2e)', description: 'Set by the e2e test' };
		const { res, requests, execution } = await webhookRun(body); // no "provider": API Fansly is the default
		assert.equal(res.status, 200, res.text);
		assert.deepEqual(res.json, {
			id: AF.linkIds[0],
			accountId: AF.accountId,
			fanslyAccountId: AF_LINKS[0].accountId,
			label: 'Twitter bio (e2e)',
			description: 'Set by the e2e test',
			type: null,
			status: null,
			metadata: { source: 'twitter' },
			createdAt: '2026-02-08T09:54:44.000Z',
			...counters(AF_LINKS[0]),
			provider: 'apiFansly',
		});
		assert.deepEqual(requests.map(wire), [
			{
				provider: 'apiFansly',
				method: 'PUT',
				rawPath: `/apifansly/api/fansly/${AF.accountId}/tracking-links`,
				body: { id: AF.linkIds[0], label: 'Twitter bio (e2e)', description: 'Set by the e2e test' },
				auth: '<redacted: ok>',
				contentType: 'application/json',
				status: 200,
			},
		]);
		assert.equal(execution.status, 'success');
		assert.equal(execution.mode, 'webhook');
		assert.deepEqual(Object.keys(execution.data.resultData.runData).sort(), ['API Fansly?', 'Respond with the link', 'Update on API Fansly', 'Webhook', 'Which provider?']);
	});

	it('webhook workflow (Fans API): returns the normalised link; the stand-in got exactly one PUT', async () => {
		const body = { provider: 'fansApi', accountId: FA.accountId, trackingLinkId: FA.linkIds[1], label: 'Twitter bio (e2e)', description: 'Set by the e2e test' };
		const { res, requests, execution } = await webhookRun(body);
		assert.equal(res.status, 200, res.text);
		assert.deepEqual(res.json, {
			id: FA.linkIds[1],
			accountId: FA.accountId,
			fanslyAccountId: FA_LINKS[1].accountId,
			label: 'Twitter bio (e2e)',
			description: 'Set by the e2e test',
			type: FA_LINKS[1].type,
			status: FA_LINKS[1].status,
			metadata: {},
			createdAt: '2026-02-08T09:54:44.000Z',
			clicks: null,
			claims: null,
			follows: null,
			subscriptions: null,
			totalNet: null,
			totalGross: null,
			provider: 'fansApi',
		});
		assert.deepEqual(requests.map(wire), [
			{
				provider: 'fansApi',
				method: 'PUT',
				rawPath: `/fansapi/api/fansly/${FA.accountId}/tracking-links/${FA.linkIds[1]}`,
				body: { label: 'Twitter bio (e2e)', description: 'Set by the e2e test' },
				auth: '<redacted: Bearer ok>',
				contentType: 'application/json',
				status: 200,
			},
		]);
		assert.equal(execution.status, 'success');
		assert.ok(execution.data.resultData.runData[WEBHOOK_TWO]);
	});

	it('webhook workflow (Fans API, description only): reads the current label once, then updates', async () => {
		const body = { provider: 'fansApi', accountId: FA.accountId, trackingLinkId: FA.linkIds[2], description: 'Only the description' };
		const { res, requests } = await webhookRun(body);
		assert.equal(res.status, 200, res.text);
		assert.equal(res.json.label, FA_LINKS[2].label);
		assert.equal(res.json.description, 'Only the description');
		assert.deepEqual(
			requests.map((r) => [r.method, r.rawPath, r.body, r.status]),
			[
				['GET', `/fansapi/api/fansly/${FA.accountId}/tracking-links`, null, 200],
				['PUT', `/fansapi/api/fansly/${FA.accountId}/tracking-links/${FA.linkIds[2]}`, { label: FA_LINKS[2].label, description: 'Only the description' }, 200],
			],
		);
	});

	it('batch workflow (spreadsheet rows → Fans API): one output item per row, in row order', async () => {
		const rows = loadExample('spreadsheet-batch')
			.nodes.find((n) => n.name === 'Spreadsheet rows')
			.parameters.jsCode.match(/trackingLinkId: '(\d+)'/g)
			.map((m) => m.match(/'(\d+)'/)[1]);
		assert.deepEqual(rows, [FA.linkIds[1], FA.linkIds[2], FA.linkIds[0]]);
		const { result: run, requests } = await logged(() => stack.execute(stack.workflows.batch));
		assert.ok(run.ok, `n8n execute failed:\n${run.stdout.slice(-3000)}\n${run.stderr.slice(-2000)}`);
		const runData = run.json.data.resultData.runData;
		const items = runData['Update tracking link'][0].data.main[0];
		assert.deepEqual(
			items.map((i) => [i.json.id, i.json.label, i.json.description, i.json.provider, i.pairedItem]),
			[
				[FA.linkIds[1], 'Twitter bio', 'Link in the Twitter profile (spring campaign)', 'fansApi', { item: 0 }],
				[FA.linkIds[2], 'Reddit pinned post', 'Pinned post on r/democreator', 'fansApi', { item: 1 }],
				[FA.linkIds[0], 'Fansly FYP', 'Fansly For You page', 'fansApi', { item: 2 }],
			],
		);
		const summary = runData['Summary of changes'][0].data.main[0];
		assert.equal(summary.length, 1);
		assert.equal(summary[0].json.updated, 3);
		assert.equal(
			summary[0].json.message,
			[
				'Fansly: 3 tracking links updated',
				`• Twitter bio (${FA.linkIds[1]}): Link in the Twitter profile (spring campaign)`,
				`• Reddit pinned post (${FA.linkIds[2]}): Pinned post on r/democreator`,
				`• Fansly FYP (${FA.linkIds[0]}): Fansly For You page`,
			].join('\n'),
		);
		// the disabled notification node passes the message through without sending anything
		assert.equal(runData['Notify on Telegram'][0].data.main[0][0].json.message, summary[0].json.message);
		// three PUTs (concurrent: compare as a set), each with the right path, body and key
		const puts = requests.map(wire).sort((a, b) => a.rawPath.localeCompare(b.rawPath));
		assert.deepEqual(
			puts,
			[
				[FA.linkIds[0], 'Fansly FYP', 'Fansly For You page'],
				[FA.linkIds[1], 'Twitter bio', 'Link in the Twitter profile (spring campaign)'],
				[FA.linkIds[2], 'Reddit pinned post', 'Pinned post on r/democreator'],
			].map(([id, label, description]) => ({
				provider: 'fansApi',
				method: 'PUT',
				rawPath: `/fansapi/api/fansly/${FA.accountId}/tracking-links/${id}`,
				body: { label, description },
				auth: '<redacted: Bearer ok>',
				contentType: 'application/json',
				status: 200,
			})),
		);
		const store = stack.standin.snapshot().fansApi.links[FA.accountId];
		assert.deepEqual(
			store.map((l) => [l.id, l.label, l.description]),
			[
				[FA.linkIds[0], 'Fansly FYP', 'Fansly For You page'],
				[FA.linkIds[1], 'Twitter bio', 'Link in the Twitter profile (spring campaign)'],
				[FA.linkIds[2], 'Reddit pinned post', 'Pinned post on r/democreator'],
			],
		);
	});

	for (const provider of ['apiFansly', 'fansApi']) {
		const name = provider === 'apiFansly' ? 'API Fansly' : 'Fans API';
		const node = provider === 'apiFansly' ? WEBHOOK_ONE : WEBHOOK_TWO;
		const seed = provider === 'apiFansly' ? AF : FA;
		const link = provider === 'apiFansly' ? AF.linkIds[0] : FA.linkIds[1];

		it(`provider 401 (${name}, key rejected): the caller gets HTTP 502 and the node's message from the error output; one request, no retry`, async () => {
			stack.standin.configure(provider === 'apiFansly' ? { apiFanslyKey: 'rotated-key' } : { fansApiKey: 'rotated-key' });
			try {
				const { res, requests, execution } = await webhookRun({ provider, accountId: seed.accountId, trackingLinkId: link, label: 'x' });
				const providerMessage = provider === 'apiFansly' ? 'Invalid or missing API key' : 'Unauthenticated.';
				assert.equal(res.status, 502, res.text);
				assert.equal(res.json.message, `${name} rejected the API key (HTTP 401): ${providerMessage}`);
				assert.deepEqual(res.json.details, {
					description: `Check the API key in the ${name} credential.`,
					itemIndex: 0,
					accountId: seed.accountId,
					trackingLinkId: link,
					httpCode: 401,
					providerMessage,
					provider,
				});
				assert.ok(execution.data.resultData.runData['Respond with the error']);
				assertFailedAfterAnswering(execution, res.json.message);
				assert.deepEqual(
					requests.map((r) => [r.method, wire(r).auth, r.status]),
					[['PUT', provider === 'apiFansly' ? '<redacted: wrong>' : '<redacted: Bearer wrong>', 401]],
				);
				const key = provider === 'apiFansly' ? 'standin-apifansly-key' : 'standin-fansapi-key';
				assert.ok(!JSON.stringify(execution).includes(key), 'the API key is not in the execution');
				assert.ok(!res.text.includes(key), 'the API key is not in the answer');
			} finally {
				stack.standin.configure(provider === 'apiFansly' ? { apiFanslyKey: 'standin-apifansly-key' } : { fansApiKey: 'standin-fansapi-key' });
			}
		});

		it(`provider 404 (${name}, unknown link): the caller gets HTTP 404 and "Not found: tracking link …"`, async () => {
			const unknown = '999999999999999999';
			const { res, requests, execution } = await webhookRun({ provider, accountId: seed.accountId, trackingLinkId: unknown, label: 'x' });
			const providerMessage =
				provider === 'apiFansly' ? `Tracking link ${unknown} not found for account ${seed.accountId}` : 'Tracking link not found.';
			assert.equal(res.status, 404, res.text);
			assert.equal(res.json.message, `Not found: tracking link "${unknown}" on account "${seed.accountId}" (HTTP 404): ${providerMessage}`);
			assert.equal(res.json.details.description, `Check the IDs: ${name} does not know this account or tracking link.`);
			assertFailedAfterAnswering(execution, res.json.message);
			assert.deepEqual(
				requests.map((r) => [r.method, r.rawPath, r.body, r.status]),
				[
					provider === 'apiFansly'
						? ['PUT', `/apifansly/api/fansly/${seed.accountId}/tracking-links`, { id: unknown, label: 'x' }, 404]
						: ['PUT', `/fansapi/api/fansly/${seed.accountId}/tracking-links/${unknown}`, { label: 'x' }, 404],
				],
			);
		});

		it(`an outage (${name}, every attempt's connection reset): the caller gets HTTP 502, not 400, after the retries`, async () => {
			stack.standin.injectFault({ provider, method: 'PUT', kind: 'reset', times: -1 });
			const { res, requests, execution } = await webhookRun({ provider, accountId: seed.accountId, trackingLinkId: link, label: 'x' });
			assert.equal(res.status, 502, res.text);
			assert.equal(
				res.json.message,
				`${name} request for tracking link "${link}" on account "${seed.accountId}" failed after 4 attempts: network error ECONNRESET`,
			);
			assert.equal(res.json.details.httpCode, undefined);
			assert.equal(res.json.details.accountId, seed.accountId);
			// Stop and Error words a message that names a network error code in n8n's own words
			// (n8n-workflow's NodeOperationError); the caller's answer above keeps the node's.
			assertFailedAfterAnswering(
				execution,
				'The connection to the server was closed unexpectedly, perhaps it is offline. You can retry the request immediately or wait and retry later.',
			);
			assert.deepEqual(
				requests.map((r) => [r.method, r.status]),
				Array.from({ length: 4 }, () => ['PUT', null]),
			);
		});

		it(`an empty update (${name}) is answered HTTP 400 with the node's message, and nothing is sent`, async () => {
			const { res, requests, execution } = await webhookRun({ provider, accountId: seed.accountId, trackingLinkId: link });
			assert.equal(res.status, 400, res.text);
			assert.match(res.json.message, /Label|Description/);
			assert.match(res.json.message, /\(item 0\)|item 0/);
			assert.deepEqual(requests, []);
			assertFailedAfterAnswering(execution, res.json.message);
		});
	}

	it('Stop (REST stop endpoint) during a provider wait hint: the execution is cancelled at once and nothing more is sent', async () => {
		await api.activate(STOP_WORKFLOW.id);
		try {
			// The first PUT gets a 429 asking for 8 s: without Stop, its retry and the second link follow.
			stack.standin.injectFault({ provider: 'apiFansly', method: 'PUT', status: 429, headers: { 'X-RateLimit-Retry-After': '8' } });
			const since = stack.standin.requests.at(-1)?.seq ?? 0;
			const res = await n8n.waitForWebhook(`${stack.url}/webhook/${STOP_PATH}`, { method: 'POST', body: {} });
			assert.equal(res.status, 200, res.text);
			const puts = () => stack.standin.requests.filter((r) => r.seq > since && r.method === 'PUT');
			for (let i = 0; puts().length === 0; i++) {
				assert.ok(i < 200, 'the first PUT reached the stand-in');
				await new Promise((resolve) => setTimeout(resolve, 50));
			}
			const running = await rest.get(
				`/rest/executions?filter=${encodeURIComponent(JSON.stringify({ workflowId: STOP_WORKFLOW.id, status: ['running'] }))}`,
			);
			const list = running.data?.results ?? running.data ?? [];
			assert.equal(list.length, 1, JSON.stringify(running).slice(0, 300));
			await rest.post(`/rest/executions/${list[0].id}/stop`, {});
			const execution = await api.execution(list[0].id);
			assert.equal(execution.status, 'canceled');
			// Past the hint: the retry and the second link would have been sent by now.
			await new Promise((resolve) => setTimeout(resolve, 9_000));
			assert.deepEqual(
				puts().map((r) => [r.rawPath, r.body.id, r.status]),
				[[`/apifansly/api/fansly/${AF.accountId}/tracking-links`, AF.linkIds[0], 429]],
			);
		} finally {
			await api.deactivate(STOP_WORKFLOW.id);
		}
	});

	it("Delete with n8n's Retry On Fail: the second try sends nothing for the link the first deleted, and the execution succeeds", async () => {
		await api.activate(RETRY_WORKFLOW.id);
		try {
			const [first, second] = FA.linkIds;
			// The second link's first DELETE fails; the first link is deleted before it.
			stack.standin.injectFault({ provider: 'fansApi', method: 'DELETE', pathIncludes: second, status: 500 });
			const lastId = await api.lastExecutionId(RETRY_WORKFLOW.id);
			const { result: res, requests } = await logged(async () => {
				const answer = await n8n.waitForWebhook(`${stack.url}/webhook/${RETRY_PATH}`, { method: 'POST', body: {} });
				await api.nextExecution(RETRY_WORKFLOW.id, lastId);
				return answer;
			});
			assert.equal(res.status, 200, res.text);
			const execution = await api.nextExecution(RETRY_WORKFLOW.id, lastId);
			assert.equal(execution.status, 'success', JSON.stringify(execution.data.resultData.error ?? {}));
			assert.deepEqual(
				execution.data.resultData.runData.Fansly[0].data.main[0].map((i) => [i.json, i.pairedItem]),
				[
					[{ deleted: true, id: first, provider: 'fansApi' }, { item: 0 }],
					[{ deleted: true, id: second, provider: 'fansApi' }, { item: 1 }],
				],
			);
			assert.deepEqual(
				requests.map((r) => [r.method, r.rawPath, r.status]),
				[first, second, second].map((id, i) => ['DELETE', `/fansapi/api/fansly/${FA.accountId}/tracking-links/${id}`, i === 1 ? 500 : 200]),
			);
		} finally {
			await api.deactivate(RETRY_WORKFLOW.id);
		}
	});

	it('an unknown provider is answered HTTP 400 with a message, nothing is sent, and the execution fails', async () => {
		const { res, requests, execution } = await webhookRun({ provider: 'onlyfans', accountId: AF.accountId, trackingLinkId: AF.linkIds[0], label: 'x' });
		assert.equal(res.status, 400, res.text);
		assert.deepEqual(res.json, { message: 'Unknown provider "onlyfans": send "apiFansly" (the default) or "fansApi"' });
		assert.deepEqual(requests, []);
		assertFailedAfterAnswering(execution, 'Unknown provider "onlyfans"');
	});

	it('a call without the webhook secret is refused by n8n, and nothing is sent or recorded', async () => {
		const last = await api.lastExecutionId(stack.workflows.webhook);
		const { result: res, requests } = await logged(() =>
			stack.callWebhook({ accountId: AF.accountId, trackingLinkId: AF.linkIds[0], label: 'x' }, { secret: null }),
		);
		// n8n's own answer, in plain text (what the README tells a caller to expect)
		assert.deepEqual([res.status, res.text], [403, 'Authorization data is wrong!']);
		assert.deepEqual(requests, []);
		const wrong = await logged(() =>
			stack.callWebhook({ accountId: AF.accountId, trackingLinkId: AF.linkIds[0], label: 'x' }, { secret: 'guessed' }),
		);
		assert.deepEqual([wrong.result.status, wrong.result.text], [403, 'Authorization data is wrong!']);
		assert.deepEqual(wrong.requests, []);
		assert.equal(await api.lastExecutionId(stack.workflows.webhook), last, 'no execution');
	});
});

describe('queue mode (same user folder: redis + main + worker)', () => {
	before(async () => {
		await stack.stopN8n();
		await stack.startN8n({ queue: true });
		assert.equal(stack.server.env.EXECUTIONS_MODE, 'queue');
		assert.ok(stack.worker, 'worker started');
	});

	it('the webhook workflow runs on the worker and returns the normalised link', async () => {
		const body = { provider: 'fansApi', accountId: FA.accountId, trackingLinkId: FA.linkIds[2], label: 'Reddit (queue)', description: 'Set through the worker' };
		const { res, requests, execution } = await webhookRun(body);
		assert.equal(res.status, 200, res.text);
		assert.deepEqual(
			[res.json.id, res.json.label, res.json.description, res.json.provider],
			[FA.linkIds[2], 'Reddit (queue)', 'Set through the worker', 'fansApi'],
		);
		assert.equal(execution.status, 'success');
		const line = await stack.worker.waitForOutput(new RegExp(`Worker (started|finished) execution ${execution.id}\\b`), 15_000);
		assert.ok(line);
		assert.ok(!/Unrecognized node type/.test(stack.worker.output()));
		assert.deepEqual(
			requests.map((r) => [r.method, r.rawPath, r.body, wire(r).auth, r.status]),
			[['PUT', `/fansapi/api/fansly/${FA.accountId}/tracking-links/${FA.linkIds[2]}`, { label: 'Reddit (queue)', description: 'Set through the worker' }, '<redacted: Bearer ok>', 200]],
		);
	});
});
