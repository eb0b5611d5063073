// The demo stack, shared by dev/demo.mjs, the end-to-end tests (dev/e2e/) and
// dev/screenshots.mjs: a real n8n (2.41.1; the n8n line FANSLY_N8N_LINE picks, see dev/n8n/) with
// this package installed as a community package, the provider stand-in, credentials for both
// providers and the example workflows.
//
// Dependency-free ESM (node: built-ins only), runs on the system Node 20.

import fs from 'node:fs';
import fsp from 'node:fs/promises';
import { createRequire } from 'node:module';
import path from 'node:path';
import { isDeepStrictEqual } from 'node:util';

import * as n8n from './n8n/lib.mjs';

const require = createRequire(import.meta.url);
/** @type {{ createStandin: Function, SEED_IDS: any }} */
const standinLib = require('./standin/server.js');
export const { SEED_IDS } = standinLib;
/** The stand-in's seed data (accounts, links): test/fixtures/data/seed.json, shared by every suite. */
export const SEED = require('../test/fixtures/data/seed.json');

export const EXAMPLES_DIR = path.join(n8n.PROJECT_DIR, 'examples');

/** Credential ids and names the example workflows reference. */
export const CREDENTIALS = Object.freeze({
	apiFansly: Object.freeze({ id: 'fanslyDemoApiFan', name: 'API Fansly (demo)', type: 'apiFanslyApi' }),
	fansApi: Object.freeze({ id: 'fanslyDemoFansAp', name: 'Fans API (demo)', type: 'fansApiApi' }),
});

/** The real providers' base URLs (used only when an API key is given). */
export const REAL_BASE_URLS = Object.freeze({
	apiFansly: 'https://v1.apifansly.com',
	fansApi: 'https://api.fansapi.com',
});

export const WEBHOOK_PATH = 'fansly-update';

/**
 * The example webhook refuses calls without this header (the Webhook node's Header Auth):
 * the demo's credential holds this value; a user sets their own secret.
 */
export const WEBHOOK_SECRET = Object.freeze({
	id: 'fanslyDemoWebhoo',
	name: 'Fansly webhook secret (demo)',
	type: 'httpHeaderAuth',
	header: 'X-Fansly-Webhook-Secret',
	value: 'demo-webhook-secret',
});

/** An example workflow from examples/ (a fresh copy). name: 'spreadsheet-batch' | 'webhook-update' | 'trigger-telegram'. */
export function loadExample(name) {
	return JSON.parse(fs.readFileSync(path.join(EXAMPLES_DIR, `${name}.json`), 'utf8'));
}

/** Credential data for a provider: the stand-in, or the real provider when apiKey is given. */
export function credentialData(provider, { standin, apiKey, real = false } = {}) {
	if (provider === 'apiFansly') {
		return real
			? { apiKey, baseUrl: REAL_BASE_URLS.apiFansly }
			: { apiKey: apiKey ?? standin.config.apiFanslyKey, baseUrl: standin.apiFanslyBaseUrl };
	}
	if (provider === 'fansApi') {
		return real
			? { apiKey, baseUrl: REAL_BASE_URLS.fansApi }
			: { apiKey: apiKey ?? standin.config.fansApiKey, baseUrl: 'custom', customBaseUrl: standin.fansApiBaseUrl };
	}
	throw new Error(`unknown provider ${provider}`);
}

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/**
 * A test workflow: Webhook (POST `path`, answers at once, so every call is its own execution)
 * → an optional Code node "Rows" (`rows`: its JavaScript, returning the items) → one Fansly node
 * "Fansly" of `provider` with the demo credential, whose `parameters` are merged over an Update of
 * a tracking link, and `settings` (the node's Settings tab, such as `retryOnFail`) over the node.
 * Not published: activate it with publicApi(stack).activate(id).
 */
export function webhookToFansly({ id, name, path: webhookPath, provider = 'apiFansly', parameters = {}, rows, settings = {} }) {
	const credential = CREDENTIALS[provider];
	const node = (suffix, rest) => ({ id: `${id}-${suffix}`, typeVersion: 1, ...rest });
	const nodes = [
		node('hook', {
			name: 'Webhook',
			type: 'n8n-nodes-base.webhook',
			typeVersion: 2,
			position: [0, 0],
			webhookId: `${id}-webhook`,
			parameters: { httpMethod: 'POST', path: webhookPath, responseMode: 'onReceived', options: {} },
		}),
		...(rows === undefined ? [] : [node('rows', { name: 'Rows', type: 'n8n-nodes-base.code', typeVersion: 2, position: [220, 0], parameters: { jsCode: rows } })]),
		node('fansly', {
			name: 'Fansly',
			type: n8n.NODE_TYPE,
			position: [440, 0],
			credentials: { [credential.type]: { id: credential.id, name: credential.name } },
			parameters: { authentication: credential.type, resource: 'trackingLink', operation: 'update', options: {}, ...parameters },
			...settings,
		}),
	];
	const chain = nodes.map((n) => n.name);
	const connections = Object.fromEntries(chain.slice(0, -1).map((from, i) => [from, { main: [[{ node: chain[i + 1], type: 'main', index: 0 }]] }]));
	return { id, name, nodes, connections, settings: { executionOrder: 'v1' }, pinData: {} };
}

/**
 * Start everything. Returns handles; `stop()` stops only what this call started (n8n, worker,
 * redis, stand-in) and removes the user folder unless `keep`. Everything is also registered
 * with the lib's onStop/stopAll, so Ctrl-C (SIGINT/SIGTERM) cleans up too.
 *
 * options:
 *   build       run `npm run build` before packing (default true)
 *   port        n8n port (default: a free one)
 *   realKeys    { apiFansly?: key, fansApi?: key }: point that credential at the real provider
 *   queue       start redis + n8n main + worker (queue mode)
 *   keep        keep the user folder
 *   prefix      user folder prefix under $TMPDIR/n8n-nodes-fansly-users/
 *   extraWorkflows  more workflows to import (not published)
 *   userFolder  an n8n user folder the package was already installed into (by hand, as the
 *               README's from-source install does): used as it is, the package neither packed
 *               nor registered in n8n's database (removed at stop unless `keep`)
 *   log         (line) => void, for progress; verbose n8n output goes to `n8nLog`
 */
export async function startStack({
	build = true,
	port,
	realKeys = {},
	queue = false,
	keep = false,
	prefix = 'stack',
	extraWorkflows = [],
	userFolder: installedInto,
	log = () => {},
	n8nLog = () => {},
	standinOptions = {},
} = {}) {
	const t0 = Date.now();
	const timings = {};
	const step = async (name, fn) => {
		const s = Date.now();
		try {
			return await fn();
		} finally {
			timings[name] = +((Date.now() - s) / 1000).toFixed(2);
		}
	};
	const cleanups = []; // run in reverse order by stop()
	let stopped = false;
	const stack = { timings, realKeys: { ...realKeys } };

	const stop = async () => {
		if (stopped) return;
		stopped = true;
		for (const fn of cleanups.reverse()) {
			try {
				await fn();
			} catch (e) {
				process.stderr.write(`[stack] cleanup failed: ${e}\n`);
			}
		}
	};
	/** Register a cleanup for stop() and for the lib's stopAll()/Ctrl-C. */
	const own = (fn) => {
		let done = false;
		const once = async () => {
			if (done) return;
			done = true;
			await fn();
		};
		const unhook = n8n.onStop(once);
		cleanups.push(async () => {
			unhook();
			await once();
		});
	};
	stack.stop = stop;

	try {
		const rt = await step('ensureRuntime', () => n8n.ensureRuntime({ log }));
		stack.runtime = rt;

		const userFolder = installedInto ?? (await n8n.makeUserFolder(prefix));
		stack.userFolder = userFolder;
		if (!keep) own(() => fsp.rm(userFolder, { recursive: true, force: true }));

		if (!installedInto)
			stack.pkg = await step(build ? 'build + installPackage' : 'installPackage', () =>
				n8n.installPackage({ userFolder, build, log }),
			);

		const standin = await step('stand-in', () => standinLib.createStandin({ port: 0, ...standinOptions }));
		stack.standin = standin;
		own(() => standin.close());
		log(`[stand-in] ${standin.url} (API Fansly ${standin.apiFanslyBaseUrl}, Fans API ${standin.fansApiBaseUrl})`);

		const n8nPort = port ?? (await n8n.freePort());
		const baseEnv = n8n.n8nEnv({ userFolder, port: n8nPort, brokerPort: await n8n.freePort() });
		// CLI commands (import, execute) while a server runs: their own task-runner broker port
		const cliEnv = { ...baseEnv, N8N_RUNNERS_BROKER_PORT: String(await n8n.freePort()) };
		stack.cliEnv = cliEnv;

		const credentials = ['apiFansly', 'fansApi'].map((p) => ({
			...CREDENTIALS[p],
			data: credentialData(p, { standin, apiKey: realKeys[p], real: Boolean(realKeys[p]) }),
		}));
		credentials.push({
			id: WEBHOOK_SECRET.id,
			name: WEBHOOK_SECRET.name,
			type: WEBHOOK_SECRET.type,
			data: { name: WEBHOOK_SECRET.header, value: WEBHOOK_SECRET.value },
		});
		await step('import credentials', () => n8n.importCredentials(credentials, { env: cliEnv, log: n8nLog }));

		const batch = loadExample('spreadsheet-batch');
		const webhook = loadExample('webhook-update');
		// Imported, not published: an active trigger would poll the stand-in every minute and
		// add requests to its log while other tests read it. Activate it with publicApi().activate.
		const trigger = loadExample('trigger-telegram');
		stack.workflows = { batch: batch.id, webhook: webhook.id, trigger: trigger.id };
		/** The example workflows' names, as the editor lists them. */
		stack.workflowNames = { batch: batch.name, webhook: webhook.name, trigger: trigger.name };
		await step('import workflows', () =>
			n8n.importWorkflows([batch, webhook, trigger, ...extraWorkflows], { env: cliEnv, log: n8nLog }),
		);
		await step('publish webhook workflow', () => n8n.publishWorkflow(webhook.id, { env: cliEnv, log: n8nLog }));
		if (!installedInto) await step('register package', () => n8n.registerInstalledPackage({ userFolder, log: n8nLog }));

		/**
		 * Start n8n (regular mode), or redis + n8n main + worker (queue mode), on this user folder.
		 * The first start uses `port`; a restart picks free ports.
		 */
		stack.startN8n = async ({ queue: queueMode = false } = {}) => {
			if (stack.server) throw new Error('n8n is already running: stopN8n() first');
			const group = [];
			stack.stopN8n = async () => {
				for (const fn of group.reverse()) await fn();
				group.length = 0;
				stack.server = stack.worker = stack.redis = undefined;
			};
			const ownHere = (fn) => {
				let done = false;
				const once = async () => {
					if (done) return;
					done = true;
					unhook();
					await fn();
				};
				const unhook = n8n.onStop(once);
				group.push(once);
			};
			const s = Date.now();
			try {
				let env = baseEnv;
				if (stack.started) env = n8n.n8nEnv({ userFolder, port: await n8n.freePort(), brokerPort: await n8n.freePort() });
				if (queueMode) {
					const redis = await n8n.startRedis({ log });
					stack.redis = redis;
					ownHere(() => redis.stop());
					env = { ...env, ...n8n.queueEnv({ redisPort: redis.port }) };
				}
				stack.started = true;
				stack.env = env;
				const starts = [n8n.startN8n({ env, log: n8nLog })];
				if (queueMode) starts.push(n8n.startN8n({ env, mode: 'worker', log: n8nLog }));
				const started = await Promise.allSettled(starts);
				// stopped before redis (stopN8n runs the group in reverse)
				for (const r of started) if (r.status === 'fulfilled') ownHere(() => r.value.stop());
				const failed = started.find((r) => r.status === 'rejected');
				if (failed) throw failed.reason;
				stack.server = started[0].value;
				stack.worker = started[1]?.value;
				stack.url = stack.server.url;
				stack.webhookUrl = `${stack.url}/webhook/${WEBHOOK_PATH}`;
				stack.editorUrl = `${stack.url}/`;
				return stack.server;
			} catch (e) {
				await stack.stopN8n();
				throw e;
			} finally {
				timings[queueMode ? 'start n8n main + worker' : 'start n8n'] = +((Date.now() - s) / 1000).toFixed(2);
			}
		};
		stack.stopN8n = async () => {};
		// stop() runs cleanups in reverse: n8n (and worker, redis) before the stand-in and the
		// user folder removal
		cleanups.push(() => stack.stopN8n());
		await stack.startN8n({ queue });

		timings.total = +((Date.now() - t0) / 1000).toFixed(2);
		return Object.assign(stack, {
			/** POST the example webhook; polls while n8n still answers 404 (registration). */
			async callWebhook(body, { timeoutMs = 30_000, secret = WEBHOOK_SECRET.value } = {}) {
				const headers = secret === null ? {} : { [WEBHOOK_SECRET.header]: secret };
				return await n8n.waitForWebhook(stack.webhookUrl, { method: 'POST', body, headers, timeoutMs });
			},
			/** A logged-in REST client (cookie jar). */
			login: () => n8n.login({ url: stack.url }),
			/** `n8n execute --id --rawOutput` with the CLI env (own broker port). */
			execute: (id) => n8n.executeWorkflow(id, { env: stack.cliEnv, log: n8nLog }),
		});
	} catch (e) {
		if (stack.server) e.message += `\n--- n8n output ---\n${stack.server.output()}`;
		await stop();
		throw e;
	}
}

/** Public-API client (X-N8N-API-KEY) for executions: plain JSON, no flatted data. */
export async function publicApi(stack, rest) {
	rest ??= await stack.login();
	const key = await rest.createApiKey(`stack-${Date.now()}`);
	const call = async (method, p, body) => {
		const res = await fetch(new URL(`/api/v1${p}`, stack.url), {
			method,
			headers: { 'X-N8N-API-KEY': key, accept: 'application/json', ...(body ? { 'content-type': 'application/json' } : {}) },
			body: body ? JSON.stringify(body) : undefined,
		});
		const text = await res.text();
		if (res.status >= 400) throw new Error(`${method} /api/v1${p} → HTTP ${res.status}: ${text.slice(0, 300)}`);
		return JSON.parse(text);
	};
	return {
		get: (p) => call('GET', p),
		/** Activate (publish) a workflow: n8n registers its triggers; a polling trigger polls once at once. */
		activate: (id) => call('POST', `/workflows/${encodeURIComponent(id)}/activate`),
		deactivate: (id) => call('POST', `/workflows/${encodeURIComponent(id)}/deactivate`),
		/** Executions of a workflow, newest first. */
		async executions(workflowId, { limit = 20 } = {}) {
			return (await call('GET', `/executions?workflowId=${encodeURIComponent(workflowId)}&limit=${limit}`)).data;
		},
		/** One execution with its data (waits until it has finished). */
		async execution(id, { timeoutMs = 20_000 } = {}) {
			const deadline = Date.now() + timeoutMs;
			for (;;) {
				const e = await call('GET', `/executions/${id}?includeData=true`);
				// n8n 1.x can show an execution's final status a moment before its data (seen in CI on
				// 1.85.3 and 1.123.81): a successful execution without any run data is read again.
				const dataPending = e.status === 'success' && Object.keys(e.data?.resultData?.runData ?? {}).length === 0;
				if (((e.finished || e.stoppedAt) && !dataPending) || Date.now() > deadline) return e;
				await sleep(200);
			}
		},
		/**
		 * The newest execution of a workflow with an id greater than `afterId`, with its data; with
		 * `where`, the oldest such execution it accepts. n8n lists an execution only once it has
		 * finished, so `afterId` read just after an earlier call may be older than that call's own
		 * execution (seen on n8n 1.85.3 on a busy machine): `where` tells the one asked for apart.
		 */
		async nextExecution(workflowId, afterId = 0, { timeoutMs = 20_000, where } = {}) {
			const deadline = Date.now() + timeoutMs;
			const seen = new Set();
			for (;;) {
				const list = await this.executions(workflowId, { limit: 20 });
				const newer = list.filter((e) => Number(e.id) > Number(afterId) && !seen.has(e.id));
				if (where === undefined && newer[0]) return await this.execution(newer[0].id, { timeoutMs: Math.max(1000, deadline - Date.now()) });
				for (const hit of where === undefined ? [] : newer.reverse()) {
					const execution = await this.execution(hit.id, { timeoutMs: Math.max(1000, deadline - Date.now()) });
					if (where(execution)) return execution;
					seen.add(hit.id);
				}
				if (Date.now() > deadline) throw new Error(`no new execution of ${workflowId} after ${afterId}`);
				await sleep(200);
			}
		},
		async lastExecutionId(workflowId) {
			const list = await this.executions(workflowId, { limit: 1 });
			return list[0] ? Number(list[0].id) : 0;
		},
	};
}

/** For nextExecution's `where`: the execution of the example webhook a call with this body started. */
export function startedBy(body) {
	return (execution) => isDeepStrictEqual(execution.data?.resultData?.runData?.Webhook?.[0]?.data?.main?.[0]?.[0]?.json?.body, body);
}

/** The stand-in's log entries (plain objects) since `seq`, optionally for one provider. */
export function requestsSince(standin, seq = 0, provider) {
	return standin.requests.filter((r) => r.seq > seq && (!provider || r.provider === provider));
}

export function lastSeq(standin) {
	const r = standin.requests;
	return r.length ? r[r.length - 1].seq : 0;
}
