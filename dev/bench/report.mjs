// Reporting: one summary row per scenario and variant, the Markdown table, the goal checks.

import { median } from './util.mjs';

export const s = (ms) => (ms == null ? '—' : (ms / 1000).toFixed(2));
export const mib = (x) => (x == null ? '—' : Math.round(x));

export function summaryRows(results) {
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

export function markdownTable(rows) {
	const head = ['scenario', 'variant', 'items', 'runs', 'wall s (min–max)', 'node s', 'ms/item', 'requests', '429s', 'ok', 'failed', 'lost', 'dup', 'max in flight', 'peak RSS MiB (main / +runner)', 'other CPU load during run %'];
	const lines = [`| ${head.join(' | ')} |`, `|${head.map(() => '---').join('|')}|`];
	for (const r of rows) {
		lines.push(
			`| ${r.scenario} | ${r.label} | ${r.n} | ${r.reps} | ${s(r.wallMs)} (${s(r.wallRangeMs[0])}–${s(r.wallRangeMs[1])}) | ${s(r.nodeMsMedian)} | ${r.nodeMsMedian == null ? '—' : (r.nodeMsMedian / r.n).toFixed(2)} | ${r.requests} | ${r.status429} | ${r.okItems} | ${r.failed} | ${r.lost} | ${r.duplicates} | ${r.maxInFlight} | ${mib(r.memory.peakMainMiB)} / ${mib(r.memory.peakGroupMiB)} | ${r.cpuDuringRun?.othersPct ?? '—'} |`,
		);
	}
	return lines.join('\n');
}

export function goals(rows) {
	const row = (sc, chain) => rows.find((r) => r.scenario === sc && r.chain === chain);
	const out = [];
	const s1o = row('s1', 'fa-fansly');
	const s1h = row('s1', 'fa-http');
	if (s1o && s1h) {
		const ratio = s1o.wallMs / s1h.wallMs;
		out.push({ goal: 's1: Fansly wall time ≤ 0.8 × HTTP Request (defaults) wall time', met: ratio <= 0.8, value: `${s(s1o.wallMs)} s vs ${s(s1h.wallMs)} s = ${ratio.toFixed(2)}× (node time ${(s1o.nodeMsMedian / s1h.nodeMsMedian).toFixed(2)}×)`, nodeRatio: s1o.nodeMsMedian / s1h.nodeMsMedian });
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
	const s3h = row('s3', 'fa-http');
	for (const chain of ['fa-fansly', 'fa-fansly-rpm']) {
		const s3o = row('s3', chain);
		if (s3o && s3h) out.push(overheadGoal(s3o, s3h, 0.6));
	}
	const m1 = row('s3m', 'fa-fansly-rpm');
	const m2 = row('s3m', 'fa-http');
	if (m1 && m2)
		out.push({ goal: `s3m: peak RSS at ${m1.n} items (main process; fresh n8n each)`, met: null, value: `Fansly ${mib(m1.memory.peakMainMiB)} MiB (idle ${mib(m1.memory.baselineMainMiB)}) vs HTTP ${mib(m2.memory.peakMainMiB)} MiB (idle ${mib(m2.memory.baselineMainMiB)})` });
	return out;
}

/** The per-item overhead (node time per item) of a Fansly row against the HTTP Request row, in the same run. */
function overheadGoal(ours, http, max) {
	const ratio = ours.nodeMsMedian / http.nodeMsMedian;
	return {
		goal: `${ours.scenario}: per-item overhead, ${ours.label} ≤ ${max} × HTTP Request's`,
		met: ratio <= max,
		value: `${(ours.nodeMsMedian / ours.n).toFixed(3)} vs ${(http.nodeMsMedian / http.n).toFixed(3)} ms/item = ${ratio.toFixed(2)}× (other CPU ${ours.cpuDuringRun?.othersPct ?? '—'} % / ${http.cpuDuringRun?.othersPct ?? '—'} %)`,
		ratio: +ratio.toFixed(3),
	};
}

/** The regression guard (--guard): per-item overhead at most the HTTP Request node's. */
export function guardGoals(rows) {
	const ours = rows.find((r) => r.chain === 'fa-fansly');
	const http = rows.find((r) => r.chain === 'fa-http');
	return ours && http ? [overheadGoal(ours, http, 1.0)] : [{ goal: 'guard: both variants ran', met: false, value: 'a variant is missing' }];
}

/**
 * Which run of its scenario a result is, where the scenario ran more than once (`--reps-burst`),
 * else undefined: a single run needs no number.
 */
function runOf(results) {
	const repeated = new Set(results.filter((r) => r.rep > 1).map((r) => r.scenario));
	return (r) => (repeated.has(r.scenario) ? r.rep : undefined);
}

/** Scenario 4 (bursts of webhook calls): one row per variant. */
export function burstTable(results) {
	const head = ['scenario', 'variant', 'calls stored / started by s', 'applied once', 'lost', 'failed executions', 'duplicated', '429s', 'requests', 'busiest 60 s', 'last update lands s', 'arrival-aware bound s', '× arrival bound', '× bound from storing', 'peak RSS main MiB (before), sampled peak at s', 'other CPU %'];
	const lines = [`| ${head.join(' | ')} |`, `|${head.map(() => '---').join('|')}|`];
	const run = runOf(results);
	for (const r of results) {
		const limit = r.n8nEnv?.N8N_CONCURRENCY_PRODUCTION_LIMIT;
		const label = run(r) ? `${r.label}, run ${r.rep}` : r.label;
		const peakAt = r.memory.peakAtMs == null ? '' : `, ${mib(r.memory.peakMainMiB)} at ${s(r.memory.peakAtMs)}`;
		lines.push(
			`| ${r.scenario} ${r.rpm}/min${limit ? `, concurrency ${limit}` : ''} | ${label} | ${r.calls}: ${s(r.lastStoredMs)} / ${s(r.lastIntakeMs)} | ${r.appliedOnce} | ${r.lost} | ${r.failed} | ${r.duplicates} | ${r.status429} | ${r.requests} | ${r.maxAdmittedIn60s ?? '—'} | ${s(r.lastUpdateMs)} | ${s(r.arrivalBoundMs)} | ${r.arrivalBoundRatio ?? '—'} | ${r.storedBoundRatio ?? '—'} | ${mib(runPeakMiB(r))} (${mib(r.memory.baselineMainMiB)})${peakAt} | ${r.cpuDuringRun?.othersPct ?? '—'} |`,
		);
	}
	return lines.join('\n');
}

const FANSLY_BURST_CHAINS = new Set(['af-burst-fansly', 'af-burst-fansly-rpm120']);

/**
 * A run's peak RSS of n8n's main process: the kernel's high-water mark, reset as the run
 * started, so that a spike between two samples counts too (in s4c it read within 7 MiB of the
 * sampled peak); the sampled peak where the mark could not be reset (it would hold n8n's boot,
 * about 980 MiB, above any s4c burst).
 */
export const runPeakMiB = (r) => (r.memory.highWaterReset ? r.memory.highWaterMainMiB : r.memory.peakMainMiB);

/**
 * Peak memory of one burst scenario: the Fansly node against the HTTP Request node with Retry On
 * Fail, run by run (each run of the pair on a freshly booted n8n of the same benchmark run). One
 * pair's difference is mostly noise (one variant's peak moves by tens of MiB from one run to the
 * next), so with several runs (`--reps-burst`) the goal is the median of the paired
 * differences, and every pair is shown.
 */
function memoryGoal(results) {
	const pairs = [];
	for (const ours of results.filter((r) => FANSLY_BURST_CHAINS.has(r.chain))) {
		const retry = results.find((r) => r.chain === 'af-burst-http-retry' && r.rep === ours.rep);
		if (retry) pairs.push({ ours: runPeakMiB(ours), retry: runPeakMiB(retry), oursSampled: ours.memory.peakMainMiB, retrySampled: retry.memory.peakMainMiB });
	}
	if (!pairs.length) return null;
	const scenario = results[0].scenario;
	const show = (ps, a, b) => ps.map((p) => `${mib(p[a])}/${mib(p[b])}`).join(', ');
	if (pairs.length === 1) {
		const [p] = pairs;
		return { goal: `${scenario}: Fansly peak memory ≤ HTTP Request (Retry On Fail) in the same run`, met: p.ours <= p.retry, value: `${mib(p.ours)} vs ${mib(p.retry)} MiB (sampled every 100 ms: ${show(pairs, 'oursSampled', 'retrySampled')})` };
	}
	const signed = (x) => `${x > 0 ? '+' : ''}${x.toFixed(1)}`;
	const diffs = pairs.map((p) => p.ours - p.retry);
	const d = median(diffs);
	return {
		goal: `${scenario}: Fansly peak memory ≤ HTTP Request (Retry On Fail) in the same run, median of ${pairs.length} pairs`,
		met: d <= 0,
		value:
			`median difference ${signed(d)} MiB (Fansly ${mib(median(pairs.map((p) => p.ours)))} vs ${mib(median(pairs.map((p) => p.retry)))} MiB); ` +
			`no higher in ${diffs.filter((x) => x <= 0).length} of ${pairs.length}; pairs: ${show(pairs, 'ours', 'retry')}; ` +
			`sampled every 100 ms: median difference ${signed(median(pairs.map((p) => p.oursSampled - p.retrySampled)))} MiB, pairs ${show(pairs, 'oursSampled', 'retrySampled')}`,
	};
}

/**
 * The goals of scenario 4, for the Fansly node in each burst scenario: nothing lost, failed,
 * duplicated or refused; the last update within 1.05 × the arrival-aware bound; and, where
 * n8n's concurrency limit is set (s4c, s4sc), a peak memory no higher than the HTTP Request
 * node's with Retry On Fail in the same run.
 */
export function burstGoals(results) {
	const out = [];
	const memoryGoalFor = new Set();
	const runNumber = runOf(results);
	const run = (r) => (runNumber(r) ? ` (run ${r.rep})` : '');
	for (const ours of results.filter((r) => FANSLY_BURST_CHAINS.has(r.chain))) {
		const clean = ours.lost === 0 && ours.failed === 0 && ours.duplicates === 0 && ours.status429 === 0;
		out.push({ goal: `${ours.scenario}${run(ours)}: Fansly 0 lost / 0 failed / 0 duplicated / 0 × 429`, met: clean, value: `lost ${ours.lost}, failed ${ours.failed}, duplicated ${ours.duplicates}, 429s ${ours.status429}` });
		out.push({ goal: `${ours.scenario}${run(ours)}: Fansly last update ≤ 1.05 × the arrival-aware bound`, met: ours.arrivalBoundRatio !== null && ours.arrivalBoundRatio <= 1.05, value: `${s(ours.lastUpdateMs)} s vs ${s(ours.arrivalBoundMs)} s = ${ours.arrivalBoundRatio}× (n8n stored the calls by ${s(ours.lastStoredMs)} s and started them by ${s(ours.lastIntakeMs)} s; ${ours.maxAdmittedIn60s} requests in the busiest 60 s)` });
		if (ours.n8nEnv?.N8N_CONCURRENCY_PRODUCTION_LIMIT && !memoryGoalFor.has(ours.scenario)) {
			memoryGoalFor.add(ours.scenario);
			const goal = memoryGoal(results.filter((r) => r.scenario === ours.scenario));
			if (goal) out.push(goal);
		}
	}
	for (const r of results.filter((x) => !FANSLY_BURST_CHAINS.has(x.chain))) {
		out.push({ goal: `${r.scenario}${run(r)}: ${r.label} (reference)`, met: null, value: `applied once ${r.appliedOnce}, lost ${r.lost}, failed ${r.failed}, 429s ${r.status429}, last update ${s(r.lastUpdateMs)} s, peak RSS ${mib(runPeakMiB(r))} MiB` });
	}
	return out;
}
