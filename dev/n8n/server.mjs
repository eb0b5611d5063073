// Running n8n: `n8n start` (main) or `n8n worker` in its own process group, ready when its
// health endpoint says so; and waiting for a published webhook to register.

import { spawn } from 'node:child_process';
import fs from 'node:fs';

import { N8N_BIN, N8N_LINE, NODE_BIN, OWNER } from './config.mjs';
import { live, noop, sleep, stopGroup, track } from './processes.mjs';
import { setUpOwner } from './rest.mjs';
import { freePort } from './services.mjs';

async function httpStatus(url, { timeoutMs = 2000 } = {}) {
	try {
		const res = await fetch(url, { signal: AbortSignal.timeout(timeoutMs) });
		await res.arrayBuffer();
		return res.status;
	} catch {
		return 0;
	}
}

/**
 * Spawn `n8n start` (mode 'main') or `n8n worker` (mode 'worker') in its own process group.
 * main: ready when GET /healthz/readiness answers 200 (on n8n 1.x, once the owner is set up too).
 * worker: gets its own task-runner broker port and a health server
 *   (QUEUE_HEALTH_CHECK_ACTIVE/PORT, unless given in env); ready when its /healthz/readiness is 200.
 * @returns {Promise<{url:string, healthUrl:string, pid:number, env:object, stop():Promise<void>, output():string, waitForOutput(re, ms?):Promise<string>}>}
 */
export async function startN8n({ env, mode = 'main', log = noop, timeoutMs = 120_000, keepLines = 200 } = {}) {
	if (!env) throw new Error('startN8n: env is required (n8nEnv(...))');
	if (!fs.existsSync(NODE_BIN)) throw new Error('runtime not installed: call ensureRuntime() first');
	env = { ...env };
	let url;
	let healthUrl;
	if (mode === 'worker') {
		// each n8n process needs its own broker port; the worker doesn't serve N8N_PORT
		env.N8N_RUNNERS_BROKER_PORT = String(await freePort());
		env.QUEUE_HEALTH_CHECK_ACTIVE ??= 'true';
		env.QUEUE_HEALTH_CHECK_PORT ??= String(await freePort());
		env.N8N_WORKER_SERVER_ADDRESS ??= '127.0.0.1'; // default is '::' (all interfaces)
		url = `http://127.0.0.1:${env.QUEUE_HEALTH_CHECK_PORT}`;
		healthUrl = `${url}/healthz/readiness`;
	} else if (mode === 'main') {
		url = `http://127.0.0.1:${env.N8N_PORT}`;
		healthUrl = `${url}/healthz/readiness`;
	} else throw new Error(`startN8n: unknown mode ${mode}`);

	const tag = mode === 'worker' ? '[worker]' : '[n8n]';
	const child = spawn(NODE_BIN, [N8N_BIN, mode === 'worker' ? 'worker' : 'start'], {
		env,
		cwd: env.N8N_USER_FOLDER,
		detached: true,
		stdio: ['ignore', 'pipe', 'pipe'],
	});
	const lines = [];
	const waiters = new Set();
	let partial = { out: '', err: '' };
	const onData = (which) => (buf) => {
		const parts = (partial[which] + buf.toString()).split('\n');
		partial[which] = parts.pop();
		for (const line of parts) {
			if (!line.trim()) continue;
			lines.push(line);
			log(`${tag} ${line}`);
			for (const w of waiters) if (w.re.test(line)) w.resolve(line);
		}
		if (lines.length > keepLines) lines.splice(0, lines.length - keepLines);
	};
	child.stdout.on('data', onData('out'));
	child.stderr.on('data', onData('err'));
	const exited = new Promise((r) => child.once('exit', (code, signal) => r({ code, signal })));

	let stopped;
	const stop = () =>
		(stopped ??= (async () => {
			await stopGroup(child, { graceMs: 15_000 });
			live.delete(entry);
		})());
	const entry = track({ name: `n8n ${mode} ${url}`, pid: child.pid, stop });
	const output = () => lines.join('\n');
	const waitForOutput = (re, ms = 30_000) =>
		new Promise((resolve, reject) => {
			const hit = lines.find((l) => re.test(l));
			if (hit) return resolve(hit);
			const w = {
				re,
				resolve: (l) => {
					waiters.delete(w);
					clearTimeout(t);
					resolve(l);
				},
			};
			const t = setTimeout(() => {
				waiters.delete(w);
				reject(new Error(`no output matching ${re} within ${ms} ms`));
			}, ms);
			waiters.add(w);
		});

	const t0 = Date.now();
	let dead = false;
	exited.then(() => (dead = true));
	for (;;) {
		if (dead) {
			await stop();
			throw new Error(`n8n ${mode} exited during start-up:\n${output()}`);
		}
		if ((await httpStatus(healthUrl)) === 200) break;
		if (Date.now() - t0 > timeoutMs) {
			await stop();
			throw new Error(`n8n ${mode} not ready after ${timeoutMs} ms:\n${output()}`);
		}
		await sleep(250);
	}
	if (mode === 'main' && N8N_LINE === 1) {
		// n8n 1.x answers readiness before its REST routes exist (404 for a few seconds), and has
		// no owner-from-environment: wait for the routes, then claim the instance as the set-up
		// screen does.
		try {
			for (;;) {
				const status = await httpStatus(`${url}/rest/settings`);
				if (status === 200) break;
				if (dead) throw new Error(`n8n ${mode} exited during start-up:\n${output()}`);
				if (Date.now() - t0 > timeoutMs) throw new Error(`n8n ${mode}: /rest/settings still HTTP ${status} after ${timeoutMs} ms:\n${output()}`);
				await sleep(100);
			}
			if (await setUpOwner({ url })) log(`${tag} owner ${OWNER.email} set up`);
		} catch (e) {
			await stop();
			throw e;
		}
	}
	const readyMs = Date.now() - t0;
	log(`${tag} ready at ${url} after ${(readyMs / 1000).toFixed(1)} s`);
	return { url, healthUrl, pid: child.pid, env, readyMs, stop, output, waitForOutput, exited };
}

/**
 * Poll a (production or test) webhook URL until it stops answering 404
 * (n8n registers published webhooks a moment after /healthz/readiness).
 * Use the webhook's own HTTP method: n8n answers 404 to other methods too.
 * Note: every non-404 answer is a real call, i.e. an execution.
 */
export async function waitForWebhook(url, { method = 'GET', body, headers = {}, timeoutMs = 30_000, intervalMs = 250 } = {}) {
	const t0 = Date.now();
	let last;
	for (;;) {
		try {
			const res = await fetch(url, {
				method,
				headers: body !== undefined ? { 'content-type': 'application/json', ...headers } : headers,
				body: body !== undefined ? JSON.stringify(body) : undefined,
				signal: AbortSignal.timeout(10_000),
			});
			const text = await res.text();
			last = { status: res.status, text };
			// n8n's own 404 while the webhook is not registered yet; a workflow may answer 404 itself.
			if (res.status !== 404 || !/not registered|webhook/i.test(text)) {
				let json;
				try {
					json = JSON.parse(text);
				} catch {
					/* not JSON */
				}
				return { status: res.status, text, json, headers: Object.fromEntries(res.headers), waitedMs: Date.now() - t0 };
			}
		} catch (e) {
			last = { error: String(e) };
		}
		if (Date.now() - t0 > timeoutMs) throw new Error(`webhook ${method} ${url} still 404/unreachable after ${timeoutMs} ms: ${JSON.stringify(last).slice(0, 300)}`);
		await sleep(intervalMs);
	}
}
