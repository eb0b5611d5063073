#!/usr/bin/env node
// Throughput benchmark: the Fansly node (this package, installed as a community package in a
// REAL n8n 2.41.1) beside n8n's own HTTP Request node, against the provider stand-in with
// latency and an ENFORCED sliding-window rate limit.
//
//   npm run bench                 full run (~15 min on 2 cores): scenarios 1-3, results in dev/bench/results/
//   npm run bench -- --quick      smoke variant (100 items, limits that don't bind), < 2 min
//   options: --reps N (repetitions of the short scenarios, default 3; 1 with --quick)
//            --only s1,s2,s3,s3m  --no-build (never rebuild dist/)  --keep (keep the n8n user folder)
//            --wait-idle PCT  (before each run, wait up to 5 min until other CPU use is below PCT %)
//            --verbose (n8n log lines)   --out FILE (results JSON path)
//            --reps-s2 N  runs per variant of scenario 2 (default 1: each takes 60-110 s)
//            --chains a,b  run only these variants (ids in CHAINS below, e.g. fa-fansly,af-fansly)
//            --package-dir DIR  install the package from DIR (already built; see experiment.mjs)
//            --tag NAME  appended to the results file name
//            --profile  instead of the scenarios: V8 CPU profile of n8n while each node handles the
//                       scenario-3 load (fresh n8n per node), summarised by where the time goes
//
// Dependency-free ESM (node: built-ins only) on the system Node 20. What is measured and how:
// BENCHMARKS.md at the project root.

import { execFileSync, fork } from 'node:child_process';
import fs from 'node:fs';
import fsp from 'node:fs/promises';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { fileURLToPath } from 'node:url';

import * as n8n from '../n8n/lib.mjs';

const HERE = path.dirname(fileURLToPath(import.meta.url));
const RESULTS_DIR = path.join(HERE, 'results');

// ---------------------------------------------------------------------------
// arguments
// ---------------------------------------------------------------------------

const { values: argv } = parseArgs({
	options: {
		quick: { type: 'boolean', default: false },
		reps: { type: 'string' },
		only: { type: 'string' },
		build: { type: 'boolean' },
		'no-build': { type: 'boolean', default: false },
		keep: { type: 'boolean', default: false },
		'wait-idle': { type: 'string' },
		verbose: { type: 'boolean', default: false },
		out: { type: 'string' },
		profile: { type: 'boolean', default: false },
		'package-dir': { type: 'string' },
		'reps-s2': { type: 'string' },
		chains: { type: 'string' },
		tag: { type: 'string' },
		help: { type: 'boolean', default: false },
	},
});
if (argv.help) {
	const lines = fs.readFileSync(fileURLToPath(import.meta.url), 'utf8').split('\n').slice(1);
	console.log(lines.slice(0, lines.findIndex((l) => !l.startsWith('//'))).join('\n').replace(/^\/\/ ?/gm, ''));
	process.exit(0);
}
const QUICK = argv.quick;
const REPS = Math.max(1, Number(argv.reps ?? (QUICK ? 1 : 3)));
const ONLY = argv.only ? new Set(argv.only.split(',').map((s) => s.trim().toLowerCase())) : null;
const ONLY_CHAINS = argv.chains ? new Set(argv.chains.split(',').map((s) => s.trim())) : null;
const REPS_S2 = Math.max(1, Number(argv['reps-s2'] ?? 1));
const WAIT_IDLE = argv['wait-idle'] === undefined ? null : Number(argv['wait-idle']);

const log = (...a) => console.error(`[bench ${new Date().toISOString().slice(11, 19)}]`, ...a);
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

// ---------------------------------------------------------------------------
// what is measured
// ---------------------------------------------------------------------------

const ACCOUNTS = { apiFansly: 'fansly_acc_demo1', fansApi: 'fansly_acct_demo000000001' };
/** Benchmark link ids: "7" + 17 digits, i.e. 18-digit Fansly-like ids. */
const LINK_PREFIX = '7';
const LINK_PAD = 17;
const linkId = (i) => `${LINK_PREFIX}${String(i).padStart(LINK_PAD, '0')}`;

/**
 * Target nodes ("chains": Webhook -> Code generating N items -> target), all in one workflow.
 * kind 'fansly' = our node; 'http' = HTTP Request 4.5 (newest in n8n 2.41).
 */
const CHAINS = {
	'fa-fansly': { provider: 'fansApi', kind: 'fansly', label: 'Fansly node (defaults)' },
	'fa-fansly-c128': { provider: 'fansApi', kind: 'fansly', options: { maxConcurrency: 128 }, label: 'Fansly, what-if maxConcurrency 128' },
	'fa-fansly-c256': { provider: 'fansApi', kind: 'fansly', options: { maxConcurrency: 256 }, label: 'Fansly, what-if maxConcurrency 256' },
	'fa-fansly-rpm': { provider: 'fansApi', kind: 'fansly', options: { requestsPerMinute: 1_000_000 }, label: 'Fansly (Requests Per Minute 1e6)' },
	'fa-http': { provider: 'fansApi', kind: 'http', label: 'HTTP Request (a) defaults' },
	'fa-http-batch': { provider: 'fansApi', kind: 'http', batch: { batchSize: 83, batchInterval: 1000 }, label: 'HTTP Request (b) batch 83 / 1 s' },
	'fa-http-continue': { provider: 'fansApi', kind: 'http', onError: 'continueRegularOutput', label: 'HTTP Request (c) On Error: continue' },
	'af-fansly': { provider: 'apiFansly', kind: 'fansly', label: 'Fansly node (defaults)' },
	'af-fansly-c256': { provider: 'apiFansly', kind: 'fansly', options: { maxConcurrency: 256 }, label: 'Fansly, what-if maxConcurrency 256' },
	'af-fansly-rpm590': { provider: 'apiFansly', kind: 'fansly', options: { requestsPerMinute: 590 }, label: 'Fansly, what-if Requests Per Minute 590' },
	'af-http': { provider: 'apiFansly', kind: 'http', label: 'HTTP Request (a) defaults' },
	'af-http-batch': { provider: 'apiFansly', kind: 'http', batch: { batchSize: 10, batchInterval: 1000 }, label: 'HTTP Request (b) batch 10 / 1 s' },
	'af-http-continue': { provider: 'apiFansly', kind: 'http', onError: 'continueRegularOutput', label: 'HTTP Request (c) On Error: continue' },
	'af-http-burst': { provider: 'apiFansly', kind: 'http', batch: { batchSize: 600, batchInterval: 61000 }, label: 'HTTP Request (b2) batch 600 / 61 s' },
};

/**
 * Scenarios. rpm = the stand-in's enforced limit per 60 s sliding window (null = unlimited);
 * log = keep the stand-in's request log for the timeline analysis (off where per-item CPU cost is measured).
 */
const PROFILE_SCENARIO = { id: 'prof', title: 'CPU profile: Fans API, no latency, unlimited, fresh n8n per run', provider: 'fansApi', rpm: null, latencyMs: 0, n: QUICK ? 500 : 5000, reps: 1, log: false, fresh: true, profile: true, chains: ['fa-fansly', 'fa-http'] };

const SCENARIOS = argv.profile
	? [PROFILE_SCENARIO]
	: QUICK
	? [
			{ id: 's1', title: 'Fans API, 5 000/min, latency 150 ms', provider: 'fansApi', rpm: 5000, latencyMs: 150, n: 100, reps: REPS, log: true, chains: ['fa-fansly', 'fa-http', 'fa-http-batch', 'fa-http-continue'] },
			{ id: 's2', title: 'API Fansly, 600/min, latency 150 ms', provider: 'apiFansly', rpm: 600, latencyMs: 150, n: 100, reps: 1, log: true, chains: ['af-fansly', 'af-http', 'af-http-batch', 'af-http-continue'] },
			{ id: 's3', title: 'Fans API, no latency, unlimited', provider: 'fansApi', rpm: null, latencyMs: 0, n: 200, reps: REPS, log: false, chains: ['fa-fansly', 'fa-http'] },
			{ id: 's3m', title: 'memory: Fans API, no latency, fresh n8n per run', provider: 'fansApi', rpm: 1_000_000, latencyMs: 0, n: 400, reps: 1, log: false, fresh: true, chains: ['fa-fansly-rpm', 'fa-http'] },
		]
	: [
			{ id: 's1', title: 'Fans API, 5 000/min, latency 150 ms', provider: 'fansApi', rpm: 5000, latencyMs: 150, n: 1000, reps: REPS, log: true, chains: ['fa-fansly', 'fa-http', 'fa-http-batch', 'fa-http-continue', 'fa-fansly-c128', 'fa-fansly-c256'] },
			{ id: 's2', title: 'API Fansly, 600/min, latency 150 ms', provider: 'apiFansly', rpm: 600, latencyMs: 150, n: 1000, reps: REPS_S2, log: true, chains: ['af-fansly', 'af-http', 'af-http-batch', 'af-http-burst', 'af-http-continue', 'af-fansly-c256', 'af-fansly-rpm590'] },
			{ id: 's3', title: 'Fans API, no latency, unlimited', provider: 'fansApi', rpm: null, latencyMs: 0, n: 5000, reps: REPS, log: false, chains: ['fa-fansly', 'fa-http'] },
			{ id: 's3m', title: 'memory: Fans API, no latency, fresh n8n per run', provider: 'fansApi', rpm: 1_000_000, latencyMs: 0, n: 10_000, reps: 1, log: false, fresh: true, chains: ['fa-fansly-rpm', 'fa-http'] },
		];

/** When the sliding window lets the n-th request through (burst of `limit` at t=0), plus one latency. */
function slidingWindowBoundMs(n, limit, latencyMs, windowMs = 60_000) {
	if (!limit) return latencyMs;
	return Math.floor((n - 1) / limit) * windowMs + latencyMs;
}

// ---------------------------------------------------------------------------
// machine facts
// ---------------------------------------------------------------------------

function sh(cmd, args) {
	try {
		return execFileSync(cmd, args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
	} catch {
		return null;
	}
}

function machine() {
	const cpus = os.cpus();
	return {
		nproc: Number(sh('nproc', [])) || os.availableParallelism?.() || cpus.length,
		cpuModel: cpus[0]?.model ?? null,
		cpuMHz: cpus[0]?.speed ?? null,
		memTotalGiB: +(os.totalmem() / 2 ** 30).toFixed(1),
		freeH: sh('free', ['-h']),
		kernel: `${os.type()} ${os.release()}`,
		uptime: sh('uptime', []),
	};
}

/** CPU busy share (0..100) of the whole machine over `ms`, from /proc/stat. */
async function cpuBusy(ms = 1000) {
	const read = () => {
		const f = fs.readFileSync('/proc/stat', 'utf8').split('\n')[0].trim().split(/\s+/).slice(1).map(Number);
		const idle = f[3] + (f[4] || 0);
		return { idle, total: f.reduce((a, b) => a + b, 0) };
	};
	const a = read();
	await sleep(ms);
	const b = read();
	const total = b.total - a.total;
	return total > 0 ? +(100 * (1 - (b.idle - a.idle) / total)).toFixed(1) : 0;
}

/** Clock ticks used so far by the given pids (utime + stime) and by the whole machine. */
function cpuTicks(pids) {
	const f = fs.readFileSync('/proc/stat', 'utf8').split('\n')[0].trim().split(/\s+/).slice(1).map(Number);
	const machineTotal = f.reduce((a, b) => a + b, 0);
	const machineBusy = machineTotal - f[3] - (f[4] || 0);
	let ours = 0;
	for (const pid of pids) {
		try {
			const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
			const x = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
			ours += Number(x[11]) + Number(x[12]);
		} catch {
			/* gone */
		}
	}
	return { machineTotal, machineBusy, ours };
}

/**
 * CPU use during a run, in % of the whole machine: ours (n8n + task runner + stand-in + this
 * script) and everybody else's (the disturbance: another engineer's tests on a shared machine).
 */
function cpuShare(a, b) {
	const total = b.machineTotal - a.machineTotal;
	if (total <= 0) return { oursPct: null, othersPct: null };
	const ours = b.ours - a.ours;
	const busy = b.machineBusy - a.machineBusy;
	return { oursPct: +((100 * ours) / total).toFixed(1), othersPct: +((100 * Math.max(0, busy - ours)) / total).toFixed(1) };
}

/** Waits (at most 5 min) until other processes use less than maxPct % of the machine over 2 s. */
async function waitIdle(maxPct, ourPids) {
	if (maxPct === null) return;
	const deadline = Date.now() + 5 * 60_000;
	for (;;) {
		const a = cpuTicks(ourPids);
		await sleep(2000);
		const { othersPct } = cpuShare(a, cpuTicks(ourPids));
		if (othersPct <= maxPct) return;
		if (Date.now() > deadline) {
			log(`other processes still use ${othersPct}% of the machine after 5 min; measuring anyway`);
			return;
		}
		log(`other processes use ${othersPct}% of the machine, waiting for < ${maxPct}% ...`);
		await sleep(3000);
	}
}

// ---------------------------------------------------------------------------
// memory sampling of the n8n process group
// ---------------------------------------------------------------------------

function rssKiB(pid) {
	try {
		const m = /VmRSS:\s+(\d+)\s+kB/.exec(fs.readFileSync(`/proc/${pid}/status`, 'utf8'));
		return m ? Number(m[1]) : 0;
	} catch {
		return 0;
	}
}

/** Pids whose process group is `pgid` (n8n main + its task runner). */
function groupPids(pgid) {
	const out = [];
	for (const d of fs.readdirSync('/proc')) {
		if (!/^\d+$/.test(d)) continue;
		try {
			const stat = fs.readFileSync(`/proc/${d}/stat`, 'utf8');
			const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
			if (Number(fields[2]) === pgid) out.push(Number(d));
		} catch {
			/* gone */
		}
	}
	return out;
}

function startSampler(pid, everyMs = 100) {
	let members = groupPids(pid);
	const s = { mainKiB: rssKiB(pid), groupKiB: 0, peakMainKiB: 0, peakGroupKiB: 0, samples: 0 };
	const sample = () => {
		const main = rssKiB(pid);
		let group = 0;
		for (const p of members) group += p === pid ? main : rssKiB(p);
		s.peakMainKiB = Math.max(s.peakMainKiB, main);
		s.peakGroupKiB = Math.max(s.peakGroupKiB, group);
		s.samples++;
	};
	sample();
	s.baselineMainKiB = s.peakMainKiB;
	s.baselineGroupKiB = s.peakGroupKiB;
	const t = setInterval(sample, everyMs);
	const t2 = setInterval(() => (members = groupPids(pid)), 2000);
	return {
		stop() {
			clearInterval(t);
			clearInterval(t2);
			sample();
			return {
				baselineMainMiB: +(s.baselineMainKiB / 1024).toFixed(1),
				peakMainMiB: +(s.peakMainKiB / 1024).toFixed(1),
				baselineGroupMiB: +(s.baselineGroupKiB / 1024).toFixed(1),
				peakGroupMiB: +(s.peakGroupKiB / 1024).toFixed(1),
				processes: members.length,
				samples: s.samples,
			};
		},
	};
}

// ---------------------------------------------------------------------------
// the stand-in, in its own process
// ---------------------------------------------------------------------------

async function startStandinHost(options) {
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

// ---------------------------------------------------------------------------
// workflow
// ---------------------------------------------------------------------------

const CRED = {
	fansApi: { id: 'benchFansApiCred', name: 'bench Fans API (stand-in)', type: 'fansApiApi' },
	apiFansly: { id: 'benchApiFanslyCr', name: 'bench API Fansly (stand-in)', type: 'apiFanslyApi' },
	fansApiHeader: { id: 'benchFansApiHdr1', name: 'bench Fans API header', type: 'httpHeaderAuth' },
	apiFanslyHeader: { id: 'benchApiFanslyH1', name: 'bench API Fansly header', type: 'httpHeaderAuth' },
};

function credentials(standin) {
	return [
		{ ...CRED.fansApi, data: { apiKey: standin.fansApiKey, baseUrl: 'custom', customBaseUrl: standin.fansApiBaseUrl } },
		{ ...CRED.apiFansly, data: { apiKey: standin.apiFanslyKey, baseUrl: standin.apiFanslyBaseUrl } },
		{ ...CRED.fansApiHeader, data: { name: 'Authorization', value: `Bearer ${standin.fansApiKey}` } },
		{ ...CRED.apiFanslyHeader, data: { name: 'x-api-key', value: standin.apiFanslyKey } },
	];
}

const GEN_CODE = `// Generates the benchmark items: one per tracking link (body: n, prefix, pad, accountId, tag).
const b = $input.first().json.body;
const out = new Array(b.n);
for (let i = 0; i < b.n; i++) {
  out[i] = { json: { accountId: b.accountId, linkId: b.prefix + String(i).padStart(b.pad, '0'), label: b.tag + ' #' + i } };
}
return out;`;

const nodeNames = (chain) => ({ hook: `Webhook ${chain}`, gen: `Generate ${chain}`, target: `Target ${chain}` });
const hookPath = (chain) => `bench-${chain}`;

function targetNode(chainId, chain, standin, position) {
	const { target } = nodeNames(chainId);
	if (chain.kind === 'fansly') {
		return {
			id: `t-${chainId}`,
			name: target,
			type: n8n.NODE_TYPE,
			typeVersion: 1,
			position,
			credentials: { [CRED[chain.provider].type]: { id: CRED[chain.provider].id, name: CRED[chain.provider].name } },
			parameters: {
				authentication: CRED[chain.provider].type,
				resource: 'trackingLink',
				operation: 'update',
				account: { __rl: true, mode: 'id', value: '={{ $json.accountId }}' },
				trackingLink: { __rl: true, mode: 'id', value: '={{ $json.linkId }}' },
				updateFields: { label: '={{ $json.label }}' },
				options: chain.options ?? {},
			},
		};
	}
	const fans = chain.provider === 'fansApi';
	const cred = fans ? CRED.fansApiHeader : CRED.apiFanslyHeader;
	const url = fans
		? `=${standin.fansApiBaseUrl}/api/fansly/{{ $json.accountId }}/tracking-links/{{ $json.linkId }}`
		: `=${standin.apiFanslyBaseUrl}/api/fansly/{{ $json.accountId }}/tracking-links`;
	const bodyParameters = fans
		? [{ name: 'label', value: '={{ $json.label }}' }]
		: [
				{ name: 'id', value: '={{ $json.linkId }}' },
				{ name: 'label', value: '={{ $json.label }}' },
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
	return node;
}

function benchWorkflow(standin, chainIds) {
	const nodes = [];
	const connections = {};
	chainIds.forEach((chainId, row) => {
		const chain = CHAINS[chainId];
		const names = nodeNames(chainId);
		const y = row * 200;
		nodes.push(
			{
				id: `h-${chainId}`,
				name: names.hook,
				type: 'n8n-nodes-base.webhook',
				typeVersion: 2,
				position: [0, y],
				webhookId: `bench-${chainId}-${n8n.randomId(8)}`,
				parameters: { httpMethod: 'POST', path: hookPath(chainId), responseMode: 'lastNode', responseData: 'noData', options: {} },
			},
			{
				id: `g-${chainId}`,
				name: names.gen,
				type: 'n8n-nodes-base.code',
				typeVersion: 2,
				position: [240, y],
				parameters: { mode: 'runOnceForAllItems', language: 'javaScript', jsCode: GEN_CODE },
			},
			targetNode(chainId, chain, standin, [480, y]),
		);
		connections[names.hook] = { main: [[{ node: names.gen, type: 'main', index: 0 }]] };
		connections[names.gen] = { main: [[{ node: names.target, type: 'main', index: 0 }]] };
	});
	return { id: 'fanslyBenchWf001', name: 'Fansly throughput benchmark', nodes, connections, settings: { executionOrder: 'v1' } };
}

// ---------------------------------------------------------------------------
// n8n
// ---------------------------------------------------------------------------

function postJson(url, body) {
	return new Promise((resolve, reject) => {
		const data = Buffer.from(JSON.stringify(body));
		const req = http.request(url, { method: 'POST', headers: { 'content-type': 'application/json', 'content-length': data.length } }, (res) => {
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
	return async (p) => {
		const res = await fetch(new URL(p, url), { headers: { 'X-N8N-API-KEY': apiKey, accept: 'application/json' } });
		const text = await res.text();
		if (res.status >= 400) throw new Error(`GET ${p} → HTTP ${res.status}: ${text.slice(0, 300)}`);
		return JSON.parse(text);
	};
}

class N8nServer {
	constructor(env) {
		this.env = env;
	}

	async start({ profileDir } = {}) {
		const t0 = Date.now();
		const env = profileDir ? { ...this.env, NODE_OPTIONS: `--cpu-prof --cpu-prof-dir=${profileDir} --cpu-prof-interval=500` } : this.env;
		this.server = await n8n.startN8n({ env, log: argv.verbose ? (l) => console.error(l) : () => {} });
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

// ---------------------------------------------------------------------------
// one run
// ---------------------------------------------------------------------------

const median = (xs) => {
	const s = [...xs].sort((a, b) => a - b);
	return s.length ? (s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2) : null;
};

/** Timeline of the provider requests, relative to the target node's start, from the stand-in log. */
function timeline(requests, nodeStart, limit) {
	if (!requests?.length) return null;
	const reqs = [...requests].sort((a, b) => a.t - b.t);
	const rel = (t) => t - nodeStart;
	const admitted = reqs.filter((r) => r.status !== 429 && r.status !== null);
	const r429 = reqs.filter((r) => r.status === 429);
	// the most requests admitted in any 60 s window, by arrival time
	let maxInWindow = 0;
	for (let i = 0, j = 0; j < admitted.length; j++) {
		while (admitted[j].t - admitted[i].t >= 60_000) i++;
		maxInWindow = Math.max(maxInWindow, j - i + 1);
	}
	const at = (k) => (admitted[k - 1] ? rel(admitted[k - 1].t) : null);
	const out = {
		requests: reqs.length,
		firstRequestMs: rel(reqs[0].t),
		lastRequestMs: rel(reqs[reqs.length - 1].t),
		admitted: admitted.length,
		maxAdmittedIn60s: maxInWindow,
		status429: r429.length,
		first429Ms: r429.length ? rel(r429[0].t) : null,
		last429Ms: r429.length ? rel(r429[r429.length - 1].t) : null,
		medianServerMs: median(reqs.map((r) => r.d)),
	};
	if (limit && admitted.length > limit) {
		out.limitthAdmittedMs = at(limit); // the last request of the first window's burst
		out.nextAdmittedMs = at(limit + 1); // the first one the window had to hold back
	}
	// requests admitted per second in the first seconds (how fast concurrency ramps up)
	const perSecond = [];
	for (const r of admitted) {
		const s = Math.floor(rel(r.t) / 1000);
		if (s >= 0 && s < 120) perSecond[s] = (perSecond[s] ?? 0) + 1;
	}
	out.admittedPerSecond = Array.from(perSecond, (v) => v ?? 0);
	return out;
}

async function runOnce({ server, standin, workflowId, scenario, chainId, n, rep, warmup = false }) {
	const chain = CHAINS[chainId];
	const provider = chain.provider;
	await standin.call('reset');
	await standin.call('configure', {
		config: { latencyMs: scenario.latencyMs, rateLimit: { apiFansly: null, fansApi: null, [provider]: scenario.rpm }, log: !!scenario.log && !warmup },
	});
	await standin.call('seed', { provider, accountId: ACCOUNTS[provider], prefix: LINK_PREFIX, pad: LINK_PAD, count: n });

	const ourPids = [...groupPids(server.server.pid), standin.pid, process.pid];
	if (!warmup) await waitIdle(WAIT_IDLE, ourPids);
	const cpuBusyBefore = warmup ? null : await cpuBusy(1000);
	const loadBefore = os.loadavg().map((x) => +x.toFixed(2));
	const sampler = startSampler(server.server.pid);
	const ticksBefore = cpuTicks(ourPids);
	const tag = `bench ${scenario.id} ${chainId} r${rep} ${Date.now()}`;
	const t0 = performance.now();
	const wallStart = Date.now();
	const hrStart = process.hrtime.bigint() / 1000n; // µs of CLOCK_MONOTONIC, the clock of V8 CPU profiles
	const res = await postJson(`${server.server.url}/webhook/${hookPath(chainId)}`, { n, prefix: LINK_PREFIX, pad: LINK_PAD, accountId: ACCOUNTS[provider], tag });
	const wallMs = performance.now() - t0;
	const hrEnd = process.hrtime.bigint() / 1000n;
	const memory = sampler.stop();
	const cpuDuringRun = cpuShare(ticksBefore, cpuTicks(ourPids));

	// let in-flight requests (if any) land before reading the stand-in's counters
	let stats;
	for (let i = 0; i < 200; i++) {
		stats = await standin.call('stats');
		if (stats.inFlight === 0) break;
		await sleep(200);
	}
	const requests = scenario.log && !warmup ? await standin.call('requests') : null;
	const exec = await server.execution(workflowId);
	const names = nodeNames(chainId);
	const runData = exec.data?.resultData?.runData ?? {};
	const genRun = runData[names.gen]?.[0];
	const tgtRun = runData[names.target]?.[0];
	const outItems = tgtRun?.data?.main?.[0] ?? [];
	const errorItems = outItems.filter((it) => it.json && 'error' in it.json).length;
	const okItems = outItems.length - errorItems;

	// provider-side truth: updates applied per link (each item targets its own link)
	let appliedLinks = 0;
	let duplicates = 0;
	const byLink = stats.appliedUpdatesByLink ?? {};
	for (let i = 0; i < n; i++) {
		const k = byLink[`${provider}:${ACCOUNTS[provider]}:${linkId(i)}`] ?? 0;
		if (k > 0) appliedLinks++;
		if (k > 1) duplicates += k - 1;
	}
	const ps = stats.byProvider[provider];
	const result = {
		scenario: scenario.id,
		chain: chainId,
		label: chain.label,
		kind: chain.kind,
		provider,
		options: chain.options ?? null,
		batch: chain.batch ?? null,
		onError: chain.onError ?? 'stopWorkflow',
		rep,
		n,
		latencyMs: scenario.latencyMs,
		rpm: scenario.rpm,
		webhookStatus: res.status,
		wallMs: Math.round(wallMs),
		wallStartedAt: new Date(wallStart).toISOString(),
		executionId: exec.id,
		executionStatus: exec.status,
		executionMs: exec.stoppedAt && exec.startedAt ? Date.parse(exec.stoppedAt) - Date.parse(exec.startedAt) : null,
		generateMs: genRun?.executionTime ?? null,
		nodeMs: tgtRun?.executionTime ?? null,
		nodeStartTime: tgtRun?.startTime ?? null,
		nodeStatus: tgtRun?.executionStatus ?? null,
		nodeError: tgtRun?.error ? String(tgtRun.error.message ?? tgtRun.error.description ?? 'error').slice(0, 300) : null,
		perItemMs: tgtRun?.executionTime != null ? +(tgtRun.executionTime / n).toFixed(3) : null,
		outputItems: outItems.length,
		okItems,
		errorItems,
		failed: n - okItems,
		requests: ps.requests,
		byStatus: ps.byStatus,
		status429: ps.status429,
		appliedLinks,
		lost: n - appliedLinks,
		duplicates,
		maxInFlight: stats.maxInFlight,
		memory,
		cpuBusyBefore,
		cpuDuringRun,
		loadBefore,
		loadAfter: os.loadavg().map((x) => +x.toFixed(2)),
		hrWindowUs: [Number(hrStart), Number(hrEnd)],
	};
	if (requests && tgtRun?.startTime) result.timeline = timeline(requests, tgtRun.startTime, scenario.rpm);
	if (scenario.provider === 'apiFansly' || scenario.rpm) result.boundMs = slidingWindowBoundMs(n, scenario.rpm, scenario.latencyMs);
	return result;
}

// ---------------------------------------------------------------------------
// CPU profile analysis (--profile)
// ---------------------------------------------------------------------------

/** Which code a profile frame belongs to. */
function category(frame) {
	const { url, functionName } = frame;
	if (!url) {
		if (functionName === '(garbage collector)') return 'GC';
		if (functionName === '(idle)') return 'idle';
		if (functionName === '(program)') return 'V8/native (program)';
		return `native ${functionName || '(anonymous)'}`;
	}
	if (url.includes('/n8n-nodes-fansly/')) return 'our package (n8n-nodes-fansly)';
	if (url.includes('/n8n-nodes-base/')) return 'n8n-nodes-base (HTTP Request node)';
	if (url.startsWith('node:')) return 'Node.js built-ins (http, net, streams, timers...)';
	const at = url.lastIndexOf('node_modules/');
	const m = at >= 0 ? /^((?:@[^/]+\/)?[^/]+)\//.exec(url.slice(at + 'node_modules/'.length)) : null;
	return m ? m[1] : url.replace(/^.*\//, '');
}

function frameName(f) {
	const file = f.url ? f.url.replace(/^.*node_modules\//, '').replace(/^file:\/\//, '') : '';
	return `${f.functionName || '(anonymous)'} ${file}${f.url ? `:${f.lineNumber + 1}` : ''}`;
}

/**
 * Where a sample's time goes, by the first rule its stack matches (leaf first in `frames`).
 * Order matters: a DB query made to fetch a credential counts as "credential", not as "DB".
 */
const BUCKETS = [
	['GC', (frames) => frames[0].functionName === '(garbage collector)'],
	['idle', (frames) => frames[0].functionName === '(idle)'],
	['n8n statistics hook per fetched request (DB)', (frames) => frames.some((f) => /workflow-statistics|onFetched/.test(`${f.url} ${f.functionName}`))],
	['credential: load from DB + decrypt (per item)', (frames) => frames.some((f) => /@n8n\/typeorm|sqlite3|encryption\/cipher|aes-256|getDecrypted|getCredentials/.test(`${f.url} ${f.functionName}`))],
	['credential: auth header expression (per request)', (frames) => frames.some((f) => f.url.includes('credentials-helper') && f.functionName === 'authenticate')],
	['item parameters: expressions + getNodeParameter', (frames) => frames.some((f) => f.functionName === '_getNodeParameter' || f.functionName === 'getNodeParameter')],
	['other expression evaluation', (frames) => frames.some((f) => f.url.includes('expression-runtime') || f.url.includes('workflow-expression'))],
	['HTTP client (axios, follow-redirects, node http/net)', (frames) => frames.some((f) => /axios|follow-redirects|backend-network|node:_http|node:net|node:internal\/stream|stream_base|node:http/.test(f.url))],
	['our code (transport, zod, normalise)', (frames) => frames.some((f) => f.url.includes('n8n-nodes-fansly') || f.url.includes('/zod/'))],
	['HTTP Request node own code', (frames) => frames.some((f) => f.url.includes('n8n-nodes-base'))],
];

/**
 * Self and inclusive CPU time per category and per function, for the samples of the main n8n
 * process inside the run's time window (µs, CLOCK_MONOTONIC on both sides).
 */
function analyseProfile(file, [from, to]) {
	const prof = JSON.parse(fs.readFileSync(file, 'utf8'));
	const byId = new Map(prof.nodes.map((n) => [n.id, n]));
	const parent = new Map();
	for (const n of prof.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
	const selfCat = new Map();
	const selfFn = new Map();
	const inclFn = new Map();
	const inclCat = new Map();
	const buckets = new Map();
	let t = prof.startTime;
	let total = 0;
	let inWindow = 0;
	for (let i = 0; i < prof.samples.length; i++) {
		t += prof.timeDeltas[i];
		if (t < from || t > to) continue;
		const dt = prof.timeDeltas[i + 1] ?? 0;
		inWindow++;
		const node = byId.get(prof.samples[i]);
		const cat = category(node.callFrame);
		total += dt;
		selfCat.set(cat, (selfCat.get(cat) ?? 0) + dt);
		const fn = frameName(node.callFrame);
		selfFn.set(fn, (selfFn.get(fn) ?? 0) + dt);
		const frames = [];
		for (let id = node.id; id !== undefined; id = parent.get(id)) frames.push(byId.get(id).callFrame);
		const bucket = (BUCKETS.find(([, match]) => match(frames)) ?? ['n8n engine / other'])[0];
		buckets.set(bucket, (buckets.get(bucket) ?? 0) + dt);
		const seenFn = new Set();
		const seenCat = new Set();
		for (let id = node.id; id !== undefined; id = parent.get(id)) {
			const f = byId.get(id).callFrame;
			const name = frameName(f);
			if (!seenFn.has(name)) {
				seenFn.add(name);
				inclFn.set(name, (inclFn.get(name) ?? 0) + dt);
			}
			const c = category(f);
			if (!seenCat.has(c)) {
				seenCat.add(c);
				inclCat.set(c, (inclCat.get(c) ?? 0) + dt);
			}
		}
	}
	const ms = (us) => +(us / 1000).toFixed(1);
	const top = (m, k) => [...m].sort((a, b) => b[1] - a[1]).slice(0, k).map(([name, us]) => ({ name, ms: ms(us), pct: +((100 * us) / Math.max(1, total)).toFixed(1) }));
	return {
		file: path.basename(file),
		profileSpanUs: [prof.startTime, prof.endTime],
		windowUs: [from, to],
		samplesInWindow: inWindow,
		windowMs: ms(to - from),
		sampledMs: ms(total),
		buckets: top(buckets, 20),
		selfByCategory: top(selfCat, 30),
		inclusiveByCategory: top(inclCat, 30),
		selfTopFunctions: top(selfFn, 40),
		inclusiveTopFunctions: top(inclFn, 80),
	};
}

// ---------------------------------------------------------------------------
// report
// ---------------------------------------------------------------------------

const s = (ms) => (ms == null ? '—' : (ms / 1000).toFixed(2));
const mib = (x) => (x == null ? '—' : Math.round(x));

function summaryRows(results) {
	// one row per scenario + chain: the median run by wall time (all runs stay in the JSON)
	const groups = new Map();
	for (const r of results) {
		const k = `${r.scenario}|${r.chain}`;
		if (!groups.has(k)) groups.set(k, []);
		groups.get(k).push(r);
	}
	const rows = [];
	for (const runs of groups.values()) {
		const sorted = [...runs].sort((a, b) => a.wallMs - b.wallMs);
		const med = sorted[Math.floor((sorted.length - 1) / 2)];
		rows.push({ ...med, reps: runs.length, wallRangeMs: [sorted[0].wallMs, sorted[sorted.length - 1].wallMs], nodeMsMedian: median(runs.map((r) => r.nodeMs ?? NaN)) });
	}
	return rows;
}

function markdownTable(rows) {
	const head = ['scenario', 'variant', 'items', 'runs', 'wall s (min–max)', 'node s', 'ms/item', 'requests', '429s', 'ok', 'failed', 'lost', 'dup', 'max in flight', 'peak RSS MiB (main / +runner)', 'other CPU load during run %'];
	const lines = [`| ${head.join(' | ')} |`, `|${head.map(() => '---').join('|')}|`];
	for (const r of rows) {
		lines.push(
			`| ${r.scenario} | ${r.label} | ${r.n} | ${r.reps} | ${s(r.wallMs)} (${s(r.wallRangeMs[0])}–${s(r.wallRangeMs[1])}) | ${s(r.nodeMsMedian)} | ${r.nodeMsMedian == null ? '—' : (r.nodeMsMedian / r.n).toFixed(2)} | ${r.requests} | ${r.status429} | ${r.okItems} | ${r.failed} | ${r.lost} | ${r.duplicates} | ${r.maxInFlight} | ${mib(r.memory.peakMainMiB)} / ${mib(r.memory.peakGroupMiB)} | ${r.cpuDuringRun?.othersPct ?? '—'} |`,
		);
	}
	return lines.join('\n');
}

function goals(rows) {
	const row = (sc, chain) => rows.find((r) => r.scenario === sc && r.chain === chain);
	const out = [];
	const s1o = row('s1', 'fa-fansly');
	const s1h = row('s1', 'fa-http');
	if (s1o && s1h) {
		const ratio = s1o.wallMs / s1h.wallMs;
		out.push({ goal: 's1: Fansly wall time ≤ 1.5 × HTTP Request (defaults) wall time', met: ratio <= 1.5, value: `${s(s1o.wallMs)} s vs ${s(s1h.wallMs)} s = ${ratio.toFixed(2)}×`, nodeRatio: s1o.nodeMsMedian / s1h.nodeMsMedian });
	}
	const s2o = row('s2', 'af-fansly');
	if (s2o) {
		const bound = s2o.boundMs;
		const ratio = s2o.wallMs / bound;
		const clean = s2o.lost === 0 && s2o.failed === 0 && s2o.duplicates === 0;
		out.push({ goal: 's2: Fansly 0 lost / 0 failed / 0 duplicated', met: clean, value: `lost ${s2o.lost}, failed ${s2o.failed}, duplicated ${s2o.duplicates}, 429s ${s2o.status429}` });
		out.push({ goal: 's2: Fansly wall time ≤ 1.2 × sliding-window bound', met: ratio <= 1.2, value: `${s(s2o.wallMs)} s vs bound ${s(bound)} s = ${ratio.toFixed(3)}× (node ${s(s2o.nodeMs)} s = ${(s2o.nodeMs / bound).toFixed(3)}×)` });
		for (const c of ['af-http', 'af-http-batch', 'af-http-burst', 'af-http-continue']) {
			const h = row('s2', c);
			if (h) out.push({ goal: `s2: ${h.label} (reference)`, met: null, value: `wall ${s(h.wallMs)} s, ok ${h.okItems}, failed ${h.failed}, lost ${h.lost}, 429s ${h.status429}` });
		}
	}
	const s3o = row('s3', 'fa-fansly');
	const s3h = row('s3', 'fa-http');
	if (s3o && s3h) out.push({ goal: 's3: per-item overhead, Fansly vs HTTP Request', met: null, value: `${(s3o.nodeMsMedian / s3o.n).toFixed(3)} vs ${(s3h.nodeMsMedian / s3h.n).toFixed(3)} ms/item = ${(s3o.nodeMsMedian / s3h.nodeMsMedian).toFixed(2)}×` });
	const m1 = row('s3m', 'fa-fansly-rpm');
	const m2 = row('s3m', 'fa-http');
	if (m1 && m2)
		out.push({ goal: `s3m: peak RSS at ${m1.n} items (main process; fresh n8n each)`, met: null, value: `Fansly ${mib(m1.memory.peakMainMiB)} MiB (idle ${mib(m1.memory.baselineMainMiB)}) vs HTTP ${mib(m2.memory.peakMainMiB)} MiB (idle ${mib(m2.memory.baselineMainMiB)})` });
	return out;
}

// ---------------------------------------------------------------------------
// main
// ---------------------------------------------------------------------------

function newestMtime(dir) {
	let newest = 0;
	for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
		const p = path.join(dir, e.name);
		newest = Math.max(newest, e.isDirectory() ? newestMtime(p) : fs.statSync(p).mtimeMs);
	}
	return newest;
}

function needsBuild() {
	const dist = path.join(n8n.PROJECT_DIR, 'dist');
	if (!fs.existsSync(path.join(dist, 'nodes', 'Fansly', 'Fansly.node.js'))) return true;
	// tsc builds incrementally (only changed files are rewritten): compare the newest on each side
	const src = Math.max(newestMtime(path.join(n8n.PROJECT_DIR, 'nodes')), newestMtime(path.join(n8n.PROJECT_DIR, 'credentials')));
	const built = Math.max(newestMtime(path.join(dist, 'nodes')), newestMtime(path.join(dist, 'credentials')));
	return src > built;
}

/** The experiment patches applied to a package copy (written by experiment.mjs), if any. */
function readPatches(dir) {
	try {
		return JSON.parse(fs.readFileSync(path.join(dir, '.bench-patches.json'), 'utf8'));
	} catch {
		return null;
	}
}

function gitInfo() {
	const head = sh('git', ['-C', n8n.PROJECT_DIR, 'rev-parse', '--short', 'HEAD']);
	const dirty = sh('git', ['-C', n8n.PROJECT_DIR, 'status', '--porcelain', '--', 'nodes', 'credentials']);
	return { head, nodeSourceDirty: !!dirty };
}

async function main() {
	const started = new Date();
	const scenarios = SCENARIOS.filter((sc) => !ONLY || ONLY.has(sc.id))
		.map((sc) => ({ ...sc, chains: sc.chains.filter((c) => !ONLY_CHAINS || ONLY_CHAINS.has(c)) }))
		.filter((sc) => sc.chains.length);
	if (!scenarios.length) throw new Error('nothing to run: check --only / --chains');
	const chainIds = [...new Set(scenarios.flatMap((sc) => sc.chains))];
	log(`${QUICK ? 'QUICK' : 'FULL'} benchmark: ${scenarios.map((sc) => sc.id).join(', ')}; reps ${REPS}`);

	await n8n.ensureRuntime({ log });
	const packageDir = argv['package-dir'] ? path.resolve(argv['package-dir']) : n8n.PROJECT_DIR;
	const build = argv['no-build'] || argv['package-dir'] ? false : argv.build || needsBuild();
	const userFolder = await n8n.makeUserFolder('bench');
	if (!argv.keep) n8n.onStop(() => fsp.rm(userFolder, { recursive: true, force: true }));
	const pkg = await n8n.installPackage({ userFolder, projectDir: packageDir, build, log });
	log(`package ${pkg.name}@${pkg.version} installed${build ? ' (rebuilt)' : ''}`);

	const standin = await startStandinHost({ latencyMs: 0 });
	log(`stand-in at ${standin.url} (pid ${standin.pid})`);

	// two distinct ports (freePort() may hand out the same free port twice in a row)
	const port = await n8n.freePort();
	let brokerPort = await n8n.freePort();
	while (brokerPort === port) brokerPort = await n8n.freePort();
	const env = n8n.n8nEnv({ userFolder, port, brokerPort });
	await n8n.importCredentials(credentials(standin), { env });
	const wf = benchWorkflow(standin, chainIds);
	await n8n.importWorkflow(wf, { env, publish: true });

	const server = new N8nServer(env);
	await server.start();
	for (const chainId of chainIds) await n8n.waitForWebhook(`${server.server.url}/webhook/${hookPath(chainId)}`, { method: 'POST', body: { n: 1, prefix: LINK_PREFIX, pad: LINK_PAD, accountId: ACCOUNTS[CHAINS[chainId].provider], tag: 'probe' } }).then(() => server.execution(wf.id));

	const versions = {
		benchNode: process.version,
		n8nNode: sh(n8n.NODE_BIN, ['--version']),
		n8n: JSON.parse(fs.readFileSync(path.join(n8n.RUNTIME_DIR, 'node_modules', 'n8n', 'package.json'), 'utf8')).version,
		package: `${pkg.name}@${pkg.version}`,
		packageDir: packageDir === n8n.PROJECT_DIR ? '.' : packageDir,
		patches: readPatches(packageDir),
		httpRequestTypeVersion: 4.5,
		...gitInfo(),
	};
	const report = { startedAt: started.toISOString(), quick: QUICK, reps: REPS, machine: machine(), versions, scenarios, results: [], goals: [] };
	log(`machine: ${report.machine.nproc} cores, ${report.machine.cpuModel}; n8n ${versions.n8n} on Node ${versions.n8nNode}`);

	const warm = async () => {
		for (const chainId of chainIds) {
			await runOnce({ server, standin, workflowId: wf.id, scenario: { id: 'warmup', latencyMs: 0, rpm: null, log: false }, chainId, n: 20, rep: 0, warmup: true });
		}
	};
	log('warm-up: every chain once with 20 items');
	await warm();

	const outFile = argv.out ?? path.join(RESULTS_DIR, `${started.toISOString().replace(/[:]/g, '-').replace(/\..+/, '')}${QUICK ? '-quick' : ''}${argv.profile ? '-profile' : ''}${argv.tag ? `-${argv.tag.replace(/[^\w.-]+/g, '_')}` : ''}.json`);
	await fsp.mkdir(path.dirname(outFile), { recursive: true });
	const save = async () => fsp.writeFile(outFile, JSON.stringify(report, null, 2));

	for (const sc of scenarios) {
		log(`=== ${sc.id}: ${sc.title}, ${sc.n} items, ${sc.reps} run(s) per variant`);
		for (let rep = 1; rep <= sc.reps; rep++) {
			for (const chainId of sc.chains) {
				let profileDir;
				if (sc.fresh) {
					// memory / profile: a freshly booted n8n for each variant, one small warm-up of that chain, then the run
					await server.stop();
					if (sc.profile) profileDir = await fsp.mkdtemp(path.join(os.tmpdir(), 'fansly-bench-prof-'));
					await server.start({ profileDir });
					await runOnce({ server, standin, workflowId: wf.id, scenario: { id: 'warmup', latencyMs: 0, rpm: null, log: false }, chainId, n: 20, rep: 0, warmup: true });
					await sleep(2000);
				}
				const r = await runOnce({ server, standin, workflowId: wf.id, scenario: sc, chainId, n: sc.n, rep });
				if (profileDir) {
					// the profile is written when the process exits
					const pid = server.server.pid;
					await server.stop();
					const file = fs.readdirSync(profileDir).find((f) => f.includes(`.${pid}.`) && f.endsWith('.cpuprofile'));
					if (file) {
						r.profile = analyseProfile(path.join(profileDir, file), r.hrWindowUs);
						const keep = path.join(path.dirname(argv.out ?? path.join(RESULTS_DIR, 'x')), `${started.toISOString().replace(/[:]/g, '-').replace(/\..+/, '')}-${chainId}.cpuprofile`);
						await fsp.copyFile(path.join(profileDir, file), keep);
						r.profile.savedAs = path.relative(n8n.PROJECT_DIR, keep);
						log(`profile ${chainId}: ${r.profile.samplesInWindow} samples, ${r.profile.sampledMs} ms in window; where it goes: ${r.profile.buckets.map((c) => `${c.name} ${c.pct}%`).join(', ')}`);
					} else log(`profile ${chainId}: no .cpuprofile for pid ${pid} in ${profileDir}: ${fs.readdirSync(profileDir).join(', ')}`);
					await fsp.rm(profileDir, { recursive: true, force: true });
				}
				report.results.push(r);
				await save();
				log(
					`${sc.id} ${chainId.padEnd(17)} r${rep}: wall ${s(r.wallMs)} s, node ${s(r.nodeMs)} s (${r.perItemMs} ms/item), ` +
						`req ${r.requests}, 429 ${r.status429}, ok ${r.okItems}, failed ${r.failed}, lost ${r.lost}, dup ${r.duplicates}, ` +
						`inflight ${r.maxInFlight}, RSS ${r.memory.peakMainMiB}/${r.memory.peakGroupMiB} MiB, busy-before ${r.cpuBusyBefore}%, cpu ours/others ${r.cpuDuringRun.oursPct}/${r.cpuDuringRun.othersPct}%` +
						(r.nodeError ? ` — node error: ${r.nodeError.slice(0, 100)}` : ''),
				);
				await sleep(1000);
			}
		}
	}

	const rows = summaryRows(report.results);
	report.summary = rows.map(({ timeline: _t, byStatus: _b, ...r }) => r);
	// the goals are defined for the full sizes; a quick run only proves the harness works
	report.goals = goals(rows).map((g) => (QUICK ? { ...g, met: null, goal: `${g.goal} [quick: not a goal check]` } : g));
	report.finishedAt = new Date().toISOString();
	report.machine.uptimeAfter = sh('uptime', []);
	await save();

	await server.stop();
	await standin.stop();

	console.log(`\nFansly throughput benchmark — ${report.finishedAt}${QUICK ? ' (QUICK)' : ''}`);
	console.log(`machine: ${report.machine.nproc} cores, ${report.machine.cpuModel}, ${report.machine.memTotalGiB} GiB; n8n ${versions.n8n} on Node ${versions.n8nNode}; ${versions.package} (git ${versions.head}${versions.nodeSourceDirty ? ', node source modified' : ''})${versions.patches?.length ? `\nPATCHED package copy (what-if): ${versions.patches.map((p) => p.name).join(', ')}` : ''}\n`);
	console.log(markdownTable(rows));
	console.log('');
	for (const g of report.goals) console.log(`- ${g.met === null ? 'info' : g.met ? 'MET   ' : 'MISSED'}  ${g.goal}: ${g.value}`);
	console.log(`\nraw results: ${path.relative(process.cwd(), outFile)}`);
}

main()
	.then(() => n8n.stopAll())
	.then(() => process.exit(0))
	.catch(async (e) => {
		console.error(e);
		await n8n.stopAll();
		process.exit(1);
	});
