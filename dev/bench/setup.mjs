// Setting up what is measured: the stand-in in its own process, the benchmark workflow and
// credentials, the n8n server (public API), and the package build check.

import { fork } from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

import * as n8n from '../n8n/lib.mjs';
import { CHAINS } from './scenarios.mjs';
import { log, sh, sleep } from './util.mjs';

const HERE = path.dirname(fileURLToPath(import.meta.url));

export async function startStandinHost(options) {
	const child = fork(path.join(HERE, 'standin-host.mjs'), [JSON.stringify(options)], {
		stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
	});
	const pending = new Map();
	let seq = 0;
	const ready = new Promise((resolve, reject) => {
		child.once('error', reject);
		child.once('exit', (code) => reject(new Error(`stand-in host exited (${code}) before it was ready`)));
		child.on('message', (m) => {
			if (m.ready) return resolve(m);
			const p = pending.get(m.id);
			if (!p) return;
			pending.delete(m.id);
			if (m.ok) p.resolve(m.value);
			else p.reject(new Error(m.error));
		});
	});
	const info = await ready;
	const call = (op, extra = {}) =>
		new Promise((resolve, reject) => {
			const id = ++seq;
			pending.set(id, { resolve, reject });
			child.send({ id, op, ...extra });
		});
	const stop = async () => {
		if (child.exitCode !== null) return;
		const gone = new Promise((r) => child.once('exit', r));
		try {
			await Promise.race([call('close'), sleep(3000)]);
		} catch {
			/* closing */
		}
		await Promise.race([gone, sleep(3000)]);
		if (child.exitCode === null) child.kill('SIGKILL');
	};
	n8n.onStop(stop);
	return { ...info, call, stop };
}

export const CRED = {
	fansApi: { id: 'benchFansApiCred', name: 'bench Fans API (stand-in)', type: 'fansApiApi' },
	apiFansly: { id: 'benchApiFanslyCr', name: 'bench API Fansly (stand-in)', type: 'apiFanslyApi' },
	fansApiHeader: { id: 'benchFansApiHdr1', name: 'bench Fans API header', type: 'httpHeaderAuth' },
	apiFanslyHeader: { id: 'benchApiFanslyH1', name: 'bench API Fansly header', type: 'httpHeaderAuth' },
};

/** The benchmark's credentials, each under its CRED key. */
export function credentials(standin) {
	return {
		fansApi: { ...CRED.fansApi, data: { apiKey: standin.fansApiKey, baseUrl: 'custom', customBaseUrl: standin.fansApiBaseUrl } },
		apiFansly: { ...CRED.apiFansly, data: { apiKey: standin.apiFanslyKey, baseUrl: standin.apiFanslyBaseUrl } },
		fansApiHeader: { ...CRED.fansApiHeader, data: { name: 'Authorization', value: `Bearer ${standin.fansApiKey}` } },
		apiFanslyHeader: { ...CRED.apiFanslyHeader, data: { name: 'x-api-key', value: standin.apiFanslyKey } },
	};
}

const GEN_CODE = `// Generates the benchmark items: one per tracking link (body: n, prefix, pad, accountId, tag).
const b = $input.first().json.body;
const out = new Array(b.n);
for (let i = 0; i < b.n; i++) {
  out[i] = { json: { accountId: b.accountId, linkId: b.prefix + String(i).padStart(b.pad, '0'), label: b.tag + ' #' + i } };
}
return out;`;

export const nodeNames = (chain) => ({ hook: `Webhook ${chain}`, gen: `Generate ${chain}`, target: `Target ${chain}` });
export const hookPath = (chain) => `bench-${chain}`;

function targetNode(chainId, chain, standin, position, credentialIds) {
	const ref = (key) => ({ id: credentialIds[key] ?? CRED[key].id, name: CRED[key].name });
	const { target } = nodeNames(chainId);
	// A burst chain's item is the webhook's own output: the call's fields are under `body`.
	const $item = chain.burst ? '$json.body' : '$json';
	if (chain.kind === 'fansly') {
		return {
			id: `t-${chainId}`,
			name: target,
			type: n8n.NODE_TYPE,
			typeVersion: 1,
			position,
			credentials: { [CRED[chain.provider].type]: ref(chain.provider) },
			parameters: {
				authentication: CRED[chain.provider].type,
				resource: 'trackingLink',
				operation: 'update',
				account: { __rl: true, mode: 'id', value: `={{ ${$item}.accountId }}` },
				trackingLink: { __rl: true, mode: 'id', value: `={{ ${$item}.linkId }}` },
				updateFields: { label: `={{ ${$item}.label }}` },
				options: chain.options ?? {},
			},
		};
	}
	const fans = chain.provider === 'fansApi';
	const cred = ref(fans ? 'fansApiHeader' : 'apiFanslyHeader');
	const url = fans
		? `=${standin.fansApiBaseUrl}/api/fansly/{{ ${$item}.accountId }}/tracking-links/{{ ${$item}.linkId }}`
		: `=${standin.apiFanslyBaseUrl}/api/fansly/{{ ${$item}.accountId }}/tracking-links`;
	const bodyParameters = fans
		? [{ name: 'label', value: `={{ ${$item}.label }}` }]
		: [
				{ name: 'id', value: `={{ ${$item}.linkId }}` },
				{ name: 'label', value: `={{ ${$item}.label }}` },
			];
	const node = {
		id: `t-${chainId}`,
		name: target,
		type: 'n8n-nodes-base.httpRequest',
		typeVersion: 4.5,
		position,
		credentials: { httpHeaderAuth: { id: cred.id, name: cred.name } },
		parameters: {
			method: 'PUT',
			url,
			authentication: 'genericCredentialType',
			genericAuthType: 'httpHeaderAuth',
			sendBody: true,
			contentType: 'json',
			specifyBody: 'keypair',
			bodyParameters: { parameters: bodyParameters },
			options: chain.batch ? { batching: { batch: chain.batch } } : {},
		},
	};
	if (chain.onError) node.onError = chain.onError;
	if (chain.retryOnFail) Object.assign(node, { retryOnFail: true, ...chain.retryOnFail });
	return node;
}

/** The benchmark workflow; `credentialIds` (CRED key → id) are the ids n8n gave the credentials. */
export function benchWorkflow(standin, chainIds, credentialIds = {}) {
	const nodes = [];
	const connections = {};
	chainIds.forEach((chainId, row) => {
		const chain = CHAINS[chainId];
		const names = nodeNames(chainId);
		const y = row * 200;
		const hook = {
			id: `h-${chainId}`,
			name: names.hook,
			type: 'n8n-nodes-base.webhook',
			typeVersion: 2,
			position: [0, y],
			webhookId: `bench-${chainId}-${n8n.randomId(8)}`,
			parameters: { httpMethod: 'POST', path: hookPath(chainId), responseMode: 'lastNode', responseData: 'noData', options: {} },
		};
		if (chain.burst) {
			// One execution per call, answered at once; the webhook's item goes straight to the target.
			hook.parameters = { httpMethod: 'POST', path: hookPath(chainId), responseMode: 'onReceived', options: {} };
			nodes.push(hook, targetNode(chainId, chain, standin, [240, y], credentialIds));
			connections[names.hook] = { main: [[{ node: names.target, type: 'main', index: 0 }]] };
			return;
		}
		nodes.push(
			hook,
			{
				id: `g-${chainId}`,
				name: names.gen,
				type: 'n8n-nodes-base.code',
				typeVersion: 2,
				position: [240, y],
				parameters: { mode: 'runOnceForAllItems', language: 'javaScript', jsCode: GEN_CODE },
			},
			targetNode(chainId, chain, standin, [480, y], credentialIds),
		);
		connections[names.hook] = { main: [[{ node: names.gen, type: 'main', index: 0 }]] };
		connections[names.gen] = { main: [[{ node: names.target, type: 'main', index: 0 }]] };
	});
	return { id: 'fanslyBenchWf001', name: 'Fansly throughput benchmark', nodes, connections, settings: { executionOrder: 'v1' } };
}

export function postJson(url, body, agent) {
	return new Promise((resolve, reject) => {
		const data = Buffer.from(JSON.stringify(body));
		const req = http.request(url, { method: 'POST', agent, headers: { 'content-type': 'application/json', 'content-length': data.length } }, (res) => {
			const chunks = [];
			res.on('data', (c) => chunks.push(c));
			res.on('end', () => resolve({ status: res.statusCode, text: Buffer.concat(chunks).toString('utf8') }));
			res.on('error', reject);
		});
		req.on('error', reject);
		req.end(data);
	});
}

function publicApi(url, apiKey) {
	return async (p, { method = 'GET', body } = {}) => {
		const headers = { 'X-N8N-API-KEY': apiKey, accept: 'application/json', ...(body === undefined ? {} : { 'content-type': 'application/json' }) };
		// A starved n8n (a machine shared with other work) can answer 503 "Database is not
		// ready!" for a while: a read is asked again, for up to a minute.
		for (let attempt = 1; ; attempt++) {
			const res = await fetch(new URL(p, url), { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
			const text = await res.text();
			if (res.status === 503 && method === 'GET' && attempt < 60) {
				await sleep(1000);
				continue;
			}
			if (res.status >= 400) throw new Error(`${method} ${p} → HTTP ${res.status}: ${text.slice(0, 300)}`);
			return JSON.parse(text);
		}
	};
}

export class N8nServer {
	constructor(env, { verbose = false } = {}) {
		this.env = env;
		this.verbose = verbose;
	}

	/** `env`: variables for this boot only (a scenario's n8n settings). */
	async start({ profileDir, env: extra } = {}) {
		const t0 = Date.now();
		const env = { ...this.env, ...extra, ...(profileDir ? { NODE_OPTIONS: `--cpu-prof --cpu-prof-dir=${profileDir} --cpu-prof-interval=500` } : {}) };
		this.bootEnv = extra ?? {};
		this.server = await n8n.startN8n({ env, log: this.verbose ? (l) => console.error(l) : () => {} });
		const client = await n8n.login({ url: this.server.url });
		this.api = publicApi(this.server.url, await client.createApiKey(`bench-${Date.now()}`));
		// the DB survives restarts: keep the last id seen, so an older (large) execution is never taken for a new one
		this.lastExecutionId ??= 0;
		log(`n8n ready at ${this.server.url} (pid ${this.server.pid}) after ${((Date.now() - t0) / 1000).toFixed(1)} s`);
	}

	async stop() {
		await this.server?.stop();
		this.server = undefined;
	}

	/**
	 * Creates the credentials and the published workflow through the public API of the running
	 * server (seconds, where the CLI's import and publish commands each boot n8n). Returns the
	 * workflow as created, with its id.
	 */
	async provision(standin, chainIds) {
		const ids = {};
		for (const [key, { name, type, data }] of Object.entries(credentials(standin))) {
			ids[key] = (await this.api('/api/v1/credentials', { method: 'POST', body: { name, type, data } })).id;
		}
		const { id: _fixed, ...wf } = benchWorkflow(standin, chainIds, ids);
		const created = await this.api('/api/v1/workflows', { method: 'POST', body: wf });
		await this.api(`/api/v1/workflows/${created.id}/activate`, { method: 'POST' });
		return { ...wf, id: created.id };
	}

	/** The id of the newest execution of the workflow (0 when none). */
	async newestExecutionId(workflowId) {
		const list = await this.api(`/api/v1/executions?workflowId=${workflowId}&limit=1`);
		return Number(list.data?.[0]?.id ?? 0);
	}

	/** One execution without its data (the single-execution answer has `createdAt`; the list does not). */
	async executionSummary(id) {
		return await this.api(`/api/v1/executions/${id}?includeData=false`);
	}

	/** Every execution of the workflow newer than `afterId`, without data (newest first). */
	async executionsAfter(workflowId, afterId) {
		const out = [];
		let cursor;
		for (;;) {
			const page = await this.api(`/api/v1/executions?workflowId=${workflowId}&limit=250${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`);
			for (const e of page.data ?? []) {
				if (Number(e.id) <= afterId) return out;
				out.push(e);
			}
			cursor = page.nextCursor;
			if (!cursor) return out;
		}
	}

	/** The newest execution of the workflow, once it has finished, with its data. */
	async execution(workflowId, timeoutMs = 120_000) {
		const deadline = Date.now() + timeoutMs;
		for (;;) {
			const list = await this.api(`/api/v1/executions?workflowId=${workflowId}&limit=1`);
			const e = list.data?.[0];
			if (e && Number(e.id) > this.lastExecutionId && e.stoppedAt) {
				this.lastExecutionId = Number(e.id);
				return await this.api(`/api/v1/executions/${e.id}?includeData=true`);
			}
			if (Date.now() > deadline) throw new Error(`no finished execution of ${workflowId} after ${timeoutMs} ms`);
			await sleep(200);
		}
	}
}

function newestMtime(dir) {
	let newest = 0;
	for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
		const p = path.join(dir, e.name);
		newest = Math.max(newest, e.isDirectory() ? newestMtime(p) : fs.statSync(p).mtimeMs);
	}
	return newest;
}

export function needsBuild() {
	const dist = path.join(n8n.PROJECT_DIR, 'dist');
	if (!fs.existsSync(path.join(dist, 'nodes', 'Fansly', 'Fansly.node.js'))) return true;
	// tsc builds incrementally (only changed files are rewritten): compare the newest on each side
	const src = Math.max(newestMtime(path.join(n8n.PROJECT_DIR, 'nodes')), newestMtime(path.join(n8n.PROJECT_DIR, 'credentials')));
	const built = Math.max(newestMtime(path.join(dist, 'nodes')), newestMtime(path.join(dist, 'credentials')));
	return src > built;
}

/** The experiment patches applied to a package copy (written by experiment.mjs), if any. */
export function readPatches(dir) {
	try {
		return JSON.parse(fs.readFileSync(path.join(dir, '.bench-patches.json'), 'utf8'));
	} catch {
		return null;
	}
}

export function gitInfo() {
	const head = sh('git', ['-C', n8n.PROJECT_DIR, 'rev-parse', '--short', 'HEAD']);
	const dirty = sh('git', ['-C', n8n.PROJECT_DIR, 'status', '--porcelain', '--', 'nodes', 'credentials']);
	return { head, nodeSourceDirty: !!dirty };
}
