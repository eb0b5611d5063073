#!/usr/bin/env node
// Smoke test of dev/n8n/lib.mjs against a real n8n (2.41.1; the line FANSLY_N8N_LINE picks):
//   1. ensureRuntime (first time ~3-5 min, then instant)
//   2. install the built package as a community package (skipped if dist/ is missing;
//      `--build` runs `npm run build` first)
//   3. `n8n execute` of a Manual Trigger -> NoOp workflow
//   4. `n8n start`, log in, GET /types/nodes.json: is n8n-nodes-fansly.fansly listed?
//      plus a published Webhook -> Respond to Webhook round trip
//   5. queue mode: redis + `n8n start` + `n8n worker` (same user folder), webhook call runs on the worker
// Usage: node dev/n8n/smoke.mjs [--build] [--no-package] [--no-queue] [--keep] [--verbose]
// Exit code 0 = everything checked passed. Prints a JSON summary at the end.

import fs from 'node:fs';
import path from 'node:path';
import * as n8n from './lib.mjs';

const args = new Set(process.argv.slice(2));
const verbose = args.has('--verbose');
const t0 = Date.now();
const stamp = () => `${((Date.now() - t0) / 1000).toFixed(1).padStart(6)}s`;
const say = (...m) => console.log(`[smoke ${stamp()}]`, ...m);
const log = verbose ? (l) => console.log(`          ${l}`) : (l) => (/\[runtime\]|\[apt\]|\[redis\]|\[pkg\]/.test(l) ? console.log(`          ${l}`) : undefined);

const summary = { ok: false, timings: {}, checks: {} };
const check = (name, ok, detail) => {
	summary.checks[name] = detail === undefined ? ok : { ok, detail };
	say(`${ok ? 'PASS' : 'FAIL'} ${name}${detail !== undefined ? `: ${typeof detail === 'string' ? detail : JSON.stringify(detail)}` : ''}`);
	return ok;
};
const time = async (name, fn) => {
	const s = Date.now();
	try {
		return await fn();
	} finally {
		summary.timings[name] = +((Date.now() - s) / 1000).toFixed(2);
	}
};

const webhookPath = `smoke-${n8n.randomId(8).toLowerCase()}`;
const trivialWorkflow = {
	name: 'smoke: manual -> noop',
	nodes: [
		{ id: 'a1', name: 'Manual', type: 'n8n-nodes-base.manualTrigger', typeVersion: 1, position: [0, 0], parameters: {} },
		{ id: 'a2', name: 'NoOp', type: 'n8n-nodes-base.noOp', typeVersion: 1, position: [220, 0], parameters: {} },
	],
	connections: { Manual: { main: [[{ node: 'NoOp', type: 'main', index: 0 }]] } },
};
const webhookWorkflow = {
	name: 'smoke: webhook -> respond',
	nodes: [
		{
			id: 'b1',
			name: 'Webhook',
			type: 'n8n-nodes-base.webhook',
			typeVersion: 2,
			position: [0, 0],
			webhookId: n8n.randomId(),
			parameters: { httpMethod: 'GET', path: webhookPath, responseMode: 'responseNode', options: {} },
		},
		{
			id: 'b2',
			name: 'Respond',
			type: 'n8n-nodes-base.respondToWebhook',
			typeVersion: 1.1,
			position: [220, 0],
			parameters: {
				respondWith: 'json',
				responseBody: '={{ { "ok": true, "executionId": $execution.id, "q": $json.query.q } }}',
				options: {},
			},
		},
	],
	connections: { Webhook: { main: [[{ node: 'Respond', type: 'main', index: 0 }]] } },
};

// Webhook -> Fansly (our node; errors become output items) -> respond with its first item.
// In queue mode this proves the WORKER loaded the community package (else: "Unrecognized node
// type", HTTP 500) and decrypted the credential. Parameters are minimal on purpose: the check
// does not depend on what the operation returns, only that our node ran; the local mock API
// counts the requests it made.
const fanslyPath = `smoke-fansly-${n8n.randomId(8).toLowerCase()}`;
const fanslyCredential = (mockUrl) => ({
	id: 'smokeFansCred001',
	name: 'smoke Fans API (mock)',
	type: 'fansApiApi',
	data: { apiKey: 'smoke-key', baseUrl: 'custom', customBaseUrl: mockUrl },
});
const fanslyWorkflow = {
	name: 'smoke: webhook -> fansly -> respond',
	nodes: [
		{
			id: 'c1',
			name: 'Webhook',
			type: 'n8n-nodes-base.webhook',
			typeVersion: 2,
			position: [0, 0],
			webhookId: n8n.randomId(),
			parameters: { httpMethod: 'GET', path: fanslyPath, responseMode: 'responseNode', options: {} },
		},
		{
			id: 'c2',
			name: 'Fansly',
			type: n8n.NODE_TYPE,
			typeVersion: 1,
			position: [220, 0],
			onError: 'continueRegularOutput',
			credentials: { fansApiApi: { id: 'smokeFansCred001', name: 'smoke Fans API (mock)' } },
			parameters: {
				authentication: 'fansApiApi',
				resource: 'trackingLink',
				operation: 'getAll',
				account: { __rl: true, mode: 'id', value: 'acct_smoke' },
				limit: 1,
			},
		},
		{
			id: 'c3',
			name: 'Respond',
			type: 'n8n-nodes-base.respondToWebhook',
			typeVersion: 1.1,
			position: [440, 0],
			parameters: {
				respondWith: 'firstIncomingItem',
				options: { responseHeaders: { entries: [{ name: 'x-execution-id', value: '={{ $execution.id }}' }] } },
			},
		},
	],
	connections: {
		Webhook: { main: [[{ node: 'Fansly', type: 'main', index: 0 }]] },
		Fansly: { main: [[{ node: 'Respond', type: 'main', index: 0 }]] },
	},
};

async function startMockApi() {
	const http = await import('node:http');
	const requests = [];
	const server = http.createServer((req, res) => {
		requests.push({ method: req.method, url: req.url, auth: req.headers.authorization ?? req.headers['x-api-key'] });
		res.setHeader('content-type', 'application/json');
		res.end(JSON.stringify({ data: { list: [], hasMore: false }, list: [], hasMore: false }));
	});
	const port = await n8n.freePort();
	await new Promise((r) => server.listen(port, '127.0.0.1', r));
	return { url: `http://127.0.0.1:${port}`, requests, close: () => new Promise((r) => server.close(r)) };
}

async function fanslyCheck(name, baseUrl, mock) {
	const before = mock.requests.length;
	const res = await n8n.waitForWebhook(`${baseUrl}/webhook/${fanslyPath}`, { timeoutMs: 30_000 });
	const hits = mock.requests.slice(before);
	const ranOurNode = res.status === 200 && !/Unrecognized node type|Unknown node type/i.test(res.text);
	check(`${name}: workflow with ${n8n.NODE_TYPE} executed`, ranOurNode, `HTTP ${res.status}, mock API got ${hits.length} request(s)${hits[0] ? ` e.g. ${hits[0].method} ${hits[0].url}` : ''}; response ${res.text.slice(0, 200)}`);
	return { ...res, executionId: res.headers?.['x-execution-id'] };
}

async function main() {
	say('ensureRuntime');
	const rt = await time('ensureRuntime', () => n8n.ensureRuntime({ log }));
	say(`runtime ok: ${rt.nodeBin}`);

	const distNode = path.join(n8n.PROJECT_DIR, 'dist', 'nodes', 'Fansly', 'Fansly.node.js');
	const userFolder = await n8n.makeUserFolder('smoke');
	summary.userFolder = userFolder;
	if (!args.has('--keep')) n8n.onStop(() => fs.rmSync(userFolder, { recursive: true, force: true }));
	say(`user folder ${userFolder}`);

	let pkg;
	if (args.has('--no-package')) {
		say('--no-package: not installing the package, proving n8n boots');
		summary.package = 'skipped (--no-package)';
	} else if (args.has('--build') || fs.existsSync(distNode)) {
		pkg = await time('installPackage', () => n8n.installPackage({ userFolder, build: args.has('--build'), log }));
		summary.package = `${pkg.name}@${pkg.version} (${pkg.files.length} files)`;
	} else {
		say(`dist/ not built (${path.relative(n8n.PROJECT_DIR, distNode)} missing): skipping package install, proving n8n boots`);
		summary.package = 'skipped (dist/ missing)';
	}

	const env = n8n.n8nEnv({ userFolder, port: await n8n.freePort(), brokerPort: await n8n.freePort() });

	// --- CLI: import + execute -------------------------------------------------------------
	const trivialId = await time('import:workflow', () => n8n.importWorkflow(trivialWorkflow, { env, log }));
	const exec = await time('execute', () => n8n.executeWorkflow(trivialId, { env, log }));
	const noopOut = exec.json?.data?.resultData?.runData?.NoOp;
	check('cli execute Manual -> NoOp', exec.ok && Array.isArray(noopOut), exec.ok ? `runData nodes: ${Object.keys(exec.json?.data?.resultData?.runData ?? {}).join(', ')}` : exec.stderr.slice(-500));

	const webhookId = await n8n.importWorkflow(webhookWorkflow, { env, log });
	await time('publish:workflow', () => n8n.publishWorkflow(webhookId, { env, log }));
	const mock = await startMockApi();
	try {
		if (pkg) {
			await n8n.importCredentials([fanslyCredential(mock.url)], { env, log });
			await n8n.importWorkflow(fanslyWorkflow, { env, log, publish: true });
			await n8n.registerInstalledPackage({ userFolder, log });
		}
		await servers(env, userFolder, pkg, mock);
	} finally {
		await mock.close();
	}
	summary.ok = Object.values(summary.checks).every((c) => c === true || c?.ok === true || typeof c === 'string');
	if (args.has('--keep')) say(`kept ${userFolder}`);
}

async function servers(env, userFolder, pkg, mock) {

	// --- regular mode server ---------------------------------------------------------------
	say('n8n start (regular mode)');
	const main1 = await time('boot main', () => n8n.startN8n({ env, log }));
	try {
		const api = await n8n.login({ url: main1.url });
		check('login', !!api.user?.id, api.user?.email);
		const types = await time('GET /types/nodes.json', () => api.get('/types/nodes.json'));
		const names = new Set(types.map((t) => t.name));
		summary.nodeTypeCount = names.size;
		if (pkg) {
			check(`nodes.json lists ${n8n.NODE_TYPE}`, names.has(n8n.NODE_TYPE), `${names.size} node types`);
			check(`nodes.json lists ${n8n.TOOL_NODE_TYPE}`, names.has(n8n.TOOL_NODE_TYPE));
			const creds = await api.get('/types/credentials.json');
			const credNames = creds.map((c) => c.name);
			check('credentials.json lists apiFanslyApi + fansApiApi', credNames.includes('apiFanslyApi') && credNames.includes('fansApiApi'));
		} else {
			summary.checks[`nodes.json lists ${n8n.NODE_TYPE}`] = 'skipped (package not installed)';
			say(`nodes.json: ${names.size} node types; ${n8n.NODE_TYPE} ${names.has(n8n.NODE_TYPE) ? 'present' : 'absent (not installed)'}`);
		}
		if (pkg) {
			const cp = await api.get('/rest/community-packages');
			check('Settings > Community nodes lists the package', cp.data?.some((p) => p.packageName === n8n.PACKAGE_NAME), cp.data?.map((p) => `${p.packageName}@${p.installedVersion}`).join(', '));
			await fanslyCheck('regular', main1.url, mock);
		}
		const url = `${main1.url}/webhook/${webhookPath}?q=regular`;
		const first = await time('webhook registered after ready', () => n8n.waitForWebhook(url));
		check('webhook round trip (regular)', first.status === 200 && first.json?.ok === true && first.json?.q === 'regular', first.text);
		// latency sample
		const lat = [];
		for (let i = 0; i < 20; i++) {
			const s = process.hrtime.bigint();
			const r = await fetch(url);
			await r.text();
			lat.push(Number(process.hrtime.bigint() - s) / 1e6);
		}
		lat.sort((a, b) => a - b);
		summary.timings['webhook p50 ms (regular)'] = +lat[10].toFixed(1);
	} catch (e) {
		console.error(main1.output());
		throw e;
	} finally {
		await time('stop main', () => main1.stop());
	}

	// --- queue mode ------------------------------------------------------------------------
	if (!args.has('--no-queue')) {
		say('queue mode: redis + main + worker');
		const redis = await time('redis start', () => n8n.startRedis({ log }));
		const qenv = n8n.n8nEnv({
			userFolder,
			port: await n8n.freePort(),
			brokerPort: await n8n.freePort(),
			extra: n8n.queueEnv({ redisPort: redis.port }),
		});
		let main2;
		let worker;
		try {
			[main2, worker] = await time('boot main + worker', () =>
				Promise.all([n8n.startN8n({ env: qenv, log }), n8n.startN8n({ env: qenv, mode: 'worker', log })]),
			);
			const url = `${main2.url}/webhook/${webhookPath}?q=queue`;
			const res = await time('queue webhook first call', () => n8n.waitForWebhook(url, { timeoutMs: 60_000 }));
			check('webhook round trip (queue)', res.status === 200 && res.json?.q === 'queue', res.text);
			const execId = res.json?.executionId;
			const line = await worker.waitForOutput(new RegExp(`Worker (started|finished) execution ${execId}\\b`), 15_000).catch(() => null);
			check('execution ran on the worker', !!line, line ?? 'no "Worker started execution" line in worker output');
			if (pkg) {
				const api = await n8n.login({ url: main2.url });
				const types = await api.get('/types/nodes.json');
				check(`queue main lists ${n8n.NODE_TYPE}`, types.some((t) => t.name === n8n.NODE_TYPE));
				const fres = await fanslyCheck('queue', main2.url, mock);
				const ran = await worker.waitForOutput(new RegExp(`Worker (started|finished) execution ${fres.executionId} `), 10_000).catch(() => null);
				check('fansly workflow ran on the worker', !!ran, ran ?? `no worker log line for execution ${fres.executionId}`);
			}
			const lat = [];
			for (let i = 0; i < 20; i++) {
				const s = process.hrtime.bigint();
				const r = await fetch(url);
				await r.text();
				lat.push(Number(process.hrtime.bigint() - s) / 1e6);
			}
			lat.sort((a, b) => a - b);
			summary.timings['webhook p50 ms (queue)'] = +lat[10].toFixed(1);
		} catch (e) {
			if (main2) console.error('--- main output ---\n' + main2.output());
			if (worker) console.error('--- worker output ---\n' + worker.output());
			throw e;
		} finally {
			// n8n first: a worker/main that loses redis first waits for the whole shutdown timeout
			await time('stop queue', async () => {
				await Promise.allSettled([main2?.stop(), worker?.stop()]);
				await redis.stop();
			});
		}
	}
}

try {
	await main();
} catch (e) {
	summary.error = String(e?.stack ?? e);
	console.error(e);
} finally {
	await n8n.stopAll();
	summary.timings.total = +((Date.now() - t0) / 1000).toFixed(1);
	console.log(JSON.stringify(summary, null, 2));
	process.exitCode = summary.ok ? 0 : 1;
}
