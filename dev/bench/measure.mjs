// Measuring: machine facts, CPU use of ours and others, memory of the n8n process group, and
// one run of a scenario's variant (webhook round trip, execution data, the stand-in's counters).

import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';

import { ACCOUNTS, arrivalBoundMs, burstBoundMs, CHAINS, LINK_PAD, LINK_PREFIX, linkId, slidingWindowBoundMs } from './scenarios.mjs';
import { hookPath, nodeNames, postJson } from './setup.mjs';
import { log, median, sh, sleep } from './util.mjs';

export function machine() {
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
export async function cpuBusy(ms = 1000) {
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
export function cpuTicks(pids) {
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
export function cpuShare(a, b) {
	const total = b.machineTotal - a.machineTotal;
	if (total <= 0) return { oursPct: null, othersPct: null };
	const ours = b.ours - a.ours;
	const busy = b.machineBusy - a.machineBusy;
	return { oursPct: +((100 * ours) / total).toFixed(1), othersPct: +((100 * Math.max(0, busy - ours)) / total).toFixed(1) };
}

/** Waits (at most 5 min) until other processes use less than maxPct % of the machine over 2 s. */
export async function waitIdle(maxPct, ourPids) {
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

/** A process's resident memory now (`rss`) and its high-water mark (`hwm`), in KiB, from one read. */
export function memoryKiB(pid) {
	try {
		const status = fs.readFileSync(`/proc/${pid}/status`, 'utf8');
		const field = (name) => Number(new RegExp(`${name}:\\s+(\\d+)\\s+kB`).exec(status)?.[1] ?? 0);
		return { rss: field('VmRSS'), hwm: field('VmHWM') };
	} catch {
		return { rss: 0, hwm: 0 };
	}
}

export const rssKiB = (pid) => memoryKiB(pid).rss;

/** Pids whose process group is `pgid` (n8n main + its task runner). */
export function groupPids(pgid) {
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

export function startSampler(pid, everyMs = 100) {
	let members = groupPids(pid);
	const s = { mainKiB: rssKiB(pid), groupKiB: 0, peakMainKiB: 0, peakGroupKiB: 0, samples: 0, peakAtMs: 0 };
	const startedAt = Date.now();
	// The kernel's high-water mark (VmHWM) also catches spikes too short for a sample to see.
	// n8n's boot peaks higher than most runs, so it is reset to the current RSS first (Linux:
	// "5" to clear_refs); where that is refused, it still covers the boot.
	let highWaterReset = true;
	try {
		fs.writeFileSync(`/proc/${pid}/clear_refs`, '5');
	} catch {
		highWaterReset = false;
	}
	const highWaterAtStartKiB = memoryKiB(pid).hwm;
	let highWaterKiB = highWaterAtStartKiB;
	const highWaterRises = [];
	// The main process's RSS once a second, to see when in a run the peak comes (n8n taking the
	// calls in, or the node's executions running) and how far the run's end falls from it.
	const perSecondMiB = [];
	const sample = () => {
		const { rss: main, hwm } = memoryKiB(pid);
		let group = 0;
		for (const p of members) group += p === pid ? main : rssKiB(p);
		const at = Date.now() - startedAt;
		if (main > s.peakMainKiB) {
			s.peakMainKiB = main;
			s.peakAtMs = at;
		}
		s.peakGroupKiB = Math.max(s.peakGroupKiB, group);
		if (hwm > highWaterKiB) {
			highWaterKiB = hwm;
			if (highWaterRises.length < 200) highWaterRises.push([at, Math.round(hwm / 1024)]);
		}
		if (at >= perSecondMiB.length * 1000) perSecondMiB.push(Math.round(main / 1024));
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
				/** ms after the sampler started (the first call is sent right after) */
				peakAtMs: s.peakAtMs,
				/** the kernel's high-water mark of the main process since the sampler reset it (since n8n booted where the reset was refused): it also catches a spike between two samples */
				highWaterMainMiB: +(memoryKiB(pid).hwm / 1024).toFixed(1),
				highWaterAtStartMiB: +(highWaterAtStartKiB / 1024).toFixed(1),
				/** false: the mark could not be reset, it is the process's since its boot */
				highWaterReset,
				/** [ms after the sampler started, MiB] each time the high-water mark rose */
				highWaterRises,
				perSecondMiB,
				processes: members.length,
				samples: s.samples,
			};
		},
	};
}


/** Timeline of the provider requests, relative to the target node's start, from the stand-in log. */
export function timeline(requests, nodeStart, limit) {
	if (!requests?.length) return null;
	const reqs = [...requests].sort((a, b) => a.t - b.t);
	const rel = (t) => t - nodeStart;
	const admitted = reqs.filter((r) => r.status !== 429 && r.status !== null);
	const r429 = reqs.filter((r) => r.status === 429);
	// the most requests admitted in any 60 s window, by when the stand-in's window saw them
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

export async function runOnce({ server, standin, workflowId, scenario, chainId, n, rep, warmup = false, waitIdlePct = null }) {
	const chain = CHAINS[chainId];
	const provider = chain.provider;
	await standin.call('reset');
	await standin.call('configure', {
		config: { latencyMs: scenario.latencyMs, rateLimit: { apiFansly: null, fansApi: null, [provider]: scenario.rpm }, log: !!scenario.log && !warmup },
	});
	await standin.call('seed', { provider, accountId: ACCOUNTS[provider], prefix: LINK_PREFIX, pad: LINK_PAD, count: n });

	const ourPids = [...groupPids(server.server.pid), standin.pid, process.pid];
	if (!warmup) await waitIdle(waitIdlePct, ourPids);
	const cpuBusyBefore = warmup ? null : await cpuBusy(1000);
	const loadBefore = os.loadavg().map((x) => +x.toFixed(2));
	const sampler = startSampler(server.server.pid);
	const ticksBefore = cpuTicks(ourPids);
	const standinBefore = cpuTicks([standin.pid]);
	const tag = `bench ${scenario.id} ${chainId} r${rep} ${Date.now()}`;
	const t0 = performance.now();
	const wallStart = Date.now();
	const hrStart = process.hrtime.bigint() / 1000n; // µs of CLOCK_MONOTONIC, the clock of V8 CPU profiles
	const res = await postJson(`${server.server.url}/webhook/${hookPath(chainId)}`, { n, prefix: LINK_PREFIX, pad: LINK_PAD, accountId: ACCOUNTS[provider], tag });
	const wallMs = performance.now() - t0;
	const hrEnd = process.hrtime.bigint() / 1000n;
	const memory = sampler.stop();
	const cpuDuringRun = cpuShare(ticksBefore, cpuTicks(ourPids));
	// the stand-in's own share (in % of the whole machine): it is one Node process, so above 50 %
	// on 2 cores it would be what paces the run
	cpuDuringRun.standinPct = cpuShare(standinBefore, cpuTicks([standin.pid])).oursPct;

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

/**
 * Scenario 4 (issue 11): `scenario.calls` webhook calls spread evenly over `scenario.spreadMs`,
 * each answered at once by the Webhook and starting one execution with one item. Waits until
 * every update has landed (or nothing has moved for `quietMs`) and n8n has finished every
 * execution, then reads the stand-in's counters and the executions' statuses.
 */
export async function runBurst({ server, standin, workflowId, scenario, chainId, waitIdlePct = null, warmup = false, quietMs = 75_000 }) {
	const chain = CHAINS[chainId];
	const provider = chain.provider;
	const n = scenario.calls;
	await standin.call('reset');
	await standin.call('configure', {
		config: { latencyMs: scenario.latencyMs, rateLimit: { apiFansly: null, fansApi: null, [provider]: scenario.rpm }, log: !warmup },
	});
	await standin.call('seed', { provider, accountId: ACCOUNTS[provider], prefix: LINK_PREFIX, pad: LINK_PAD, count: n });
	const afterId = await server.newestExecutionId(workflowId);

	const ourPids = [...groupPids(server.server.pid), standin.pid, process.pid];
	if (!warmup) await waitIdle(waitIdlePct, ourPids);
	const sampler = startSampler(server.server.pid);
	const ticksBefore = cpuTicks(ourPids);
	const url = `${server.server.url}/webhook/${hookPath(chainId)}`;
	// One socket per call at most: with a concurrency limit n8n answers a call only once its
	// execution has a slot, and the calls must still reach n8n on time, not queue in this client.
	const agent = new http.Agent({ keepAlive: true, maxSockets: n });
	const t0 = Date.now();
	const answers = [];
	const answeredAt = [];
	for (let i = 0; i < n; i++) {
		const due = t0 + (i * scenario.spreadMs) / n;
		const ahead = due - Date.now();
		if (ahead > 0) await sleep(ahead);
		answers.push(
			postJson(url, { accountId: ACCOUNTS[provider], linkId: linkId(i), label: `burst ${chainId} #${i}` }, agent).then(
				(r) => {
					answeredAt.push(Date.now() - t0);
					return r.status;
				},
				(e) => `error ${e.code ?? e.message}`,
			),
		);
	}
	const sentMs = Date.now() - t0;
	const statuses = await Promise.all(answers);
	const callsMs = Date.now() - t0;
	agent.destroy();

	// Wait for the last update (or for nothing more to happen), then for n8n to finish.
	let stats;
	let seen = -1;
	let movedAt = Date.now();
	for (;;) {
		stats = await standin.call('stats');
		const count = stats.byProvider[provider].requests;
		if (count !== seen) {
			seen = count;
			movedAt = Date.now();
		}
		const byLink = stats.appliedUpdatesByLink ?? {};
		let applied = 0;
		for (let i = 0; i < n; i++) if ((byLink[`${provider}:${ACCOUNTS[provider]}:${linkId(i)}`] ?? 0) > 0) applied++;
		if ((applied >= n && stats.inFlight === 0) || Date.now() - movedAt > quietMs) break;
		await sleep(500);
	}
	let executions = [];
	for (let i = 0; i < 600; i++) {
		executions = await server.executionsAfter(workflowId, afterId);
		if (executions.length >= n && executions.every((e) => e.stoppedAt)) break;
		await sleep(1000);
	}
	const memory = sampler.stop();
	const cpuDuringRun = cpuShare(ticksBefore, cpuTicks(ourPids));
	stats = await standin.call('stats');
	const requests = warmup ? [] : await standin.call('requests');
	// When n8n stored each call's execution (createdAt), when it started running it (startedAt:
	// with a concurrency limit, once a slot is free; this is also when a webhook that responds
	// immediately answers), and how long it ran.
	const storedMs = [];
	const startedMs = [];
	const queuedMs = [];
	const ranMs = [];
	if (!warmup) {
		for (const e of executions) {
			const full = await server.executionSummary(e.id);
			const created = Date.parse(full.createdAt);
			storedMs.push(created - t0);
			if (!full.startedAt) continue;
			const started = Date.parse(full.startedAt);
			startedMs.push(started - t0);
			queuedMs.push(started - created);
			if (full.stoppedAt) ranMs.push(Date.parse(full.stoppedAt) - started);
		}
	}

	let appliedLinks = 0;
	let appliedOnce = 0;
	let duplicates = 0;
	const byLink = stats.appliedUpdatesByLink ?? {};
	for (let i = 0; i < n; i++) {
		const k = byLink[`${provider}:${ACCOUNTS[provider]}:${linkId(i)}`] ?? 0;
		if (k > 0) appliedLinks++;
		if (k === 1) appliedOnce++;
		if (k > 1) duplicates += k - 1;
	}
	const landed = requests.filter((r) => r.m === 'PUT' && r.status >= 200 && r.status < 300).map((r) => r.t + (r.d ?? 0));
	const byStatus = {};
	for (const e of executions) byStatus[e.status] = (byStatus[e.status] ?? 0) + 1;
	const ps = stats.byProvider[provider];
	const boundMs = burstBoundMs(n, scenario.spreadMs, scenario.rpm, scenario.latencyMs);
	const lastUpdateMs = landed.length ? Math.max(...landed) - t0 : null;
	const arrivalMs = startedMs.length ? arrivalBoundMs(startedMs, scenario.rpm, scenario.latencyMs) : null;
	const storedBound = storedMs.length ? arrivalBoundMs(storedMs, scenario.rpm, scenario.latencyMs) : null;
	const burstTimeline = timeline(requests, t0, scenario.rpm);
	const sortedAnswers = [...answeredAt].sort((a, b) => a - b);
	return {
		burst: true,
		scenario: scenario.id,
		n8nEnv: server.bootEnv ?? {},
		chain: chainId,
		label: chain.label,
		kind: chain.kind,
		provider,
		options: chain.options ?? null,
		retryOnFail: chain.retryOnFail ?? null,
		calls: n,
		n,
		spreadMs: scenario.spreadMs,
		sentMs,
		callsMs,
		/** when n8n stored the last call's execution (createdAt), ms after the first call */
		lastStoredMs: storedMs.length ? Math.max(...storedMs) : null,
		/** when n8n started running the last one (startedAt): it took the call in */
		lastIntakeMs: startedMs.length ? Math.max(...startedMs) : null,
		medianIntakeMs: median(startedMs),
		/** time executions waited for a concurrency slot (startedAt - createdAt): median and longest */
		medianQueuedMs: median(queuedMs),
		maxQueuedMs: queuedMs.length ? Math.max(...queuedMs) : null,
		/** how long executions ran (stoppedAt - startedAt): median and longest */
		medianRanMs: median(ranMs),
		maxRanMs: ranMs.length ? Math.max(...ranMs) : null,
		medianAnswerMs: median(sortedAnswers),
		webhookAnswers: statuses.reduce((m, x) => ({ ...m, [x]: (m[x] ?? 0) + 1 }), {}),
		latencyMs: scenario.latencyMs,
		rpm: scenario.rpm,
		executions: executions.length,
		executionsByStatus: byStatus,
		failed: executions.filter((e) => e.status !== 'success').length + Math.max(0, n - executions.length),
		requests: ps.requests,
		byStatus: ps.byStatus,
		status429: ps.status429,
		appliedLinks,
		appliedOnce,
		lost: n - appliedLinks,
		duplicates,
		maxInFlight: stats.maxInFlight,
		lastUpdateMs,
		boundMs,
		boundRatio: lastUpdateMs == null ? null : +(lastUpdateMs / boundMs).toFixed(3),
		arrivalBoundMs: arrivalMs,
		arrivalBoundRatio: lastUpdateMs == null || !arrivalMs ? null : +(lastUpdateMs / arrivalMs).toFixed(3),
		/** the same bound from when n8n stored the calls, as if it could run every execution at once */
		storedBoundMs: storedBound,
		storedBoundRatio: lastUpdateMs == null || !storedBound ? null : +(lastUpdateMs / storedBound).toFixed(3),
		admittedPerSecond: burstTimeline?.admittedPerSecond ?? null,
		firstRequestMs: burstTimeline?.firstRequestMs ?? null,
		bound60Ratio: lastUpdateMs == null ? null : +(lastUpdateMs / 60_000).toFixed(3),
		maxAdmittedIn60s: burstTimeline?.maxAdmittedIn60s ?? null,
		memory,
		cpuDuringRun,
		wallMs: lastUpdateMs ?? 0,
	};
}
