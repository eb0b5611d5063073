#!/usr/bin/env node
// Throughput benchmark: the Fansly node (this package, installed as a community package in a
// REAL n8n 2.41.1) beside n8n's own HTTP Request node, against the provider stand-in with
// latency and an ENFORCED sliding-window rate limit.
//
//   npm run bench                 full run (~20 min on 2 cores): scenarios 1-4, results in dev/bench/results/
//   npm run bench -- --quick      smoke variant (100 items, limits that don't bind), < 2 min
//   npm run bench:guard           regression guard (< 1 min): the Fansly node's per-item overhead
//                                 against the HTTP Request node's (500 items, no latency); prints
//                                 MISSED and exits 1 when the ratio is above 1.0
//   options: --reps N (repetitions of the short scenarios, default 3; 1 with --quick)
//            --only s1,s2,s3,s3m,s4,s4s,s4c,s4sc  --no-build (never rebuild dist/)  --keep (keep the n8n user folder)
//            --concurrency N  n8n's production concurrency limit in s4c / s4sc (default 20)
//            --wait-idle PCT  (before each run, wait up to 5 min until other CPU use is below PCT %)
//            --verbose (n8n log lines)   --out FILE (results JSON path)
//            --reps-s2 N  runs per variant of scenario 2 (default 1: each takes 60-110 s)
//            --reps-burst N  runs per variant of each burst (default 1); the variants' order is
//                       reversed every other run, so each goes first as often as second, and the
//                       memory goal compares the Fansly node with HTTP Request run by run (paired)
//            --chains a,b  run only these variants (ids in CHAINS below, e.g. fa-fansly,af-fansly)
//            --package-dir DIR  install the package from DIR (already built; see experiment.mjs)
//            --tag NAME  appended to the results file name
//            --items N  items per run of s1-s3m instead of the scenario's own (a shorter look)
//            --cpu-prof  V8 CPU profile of every n8n process of the run, each run's window summarised
//                       into its result (as --profile does, but for the scenarios as they run:
//                       the same long-lived n8n, warm-up, earlier runs and all)
//            --latency MS  the stand-in's latency in s1-s3m instead of the scenario's own
//                       (with --profile: profile at s1's 150 ms, for example)
//            --profile  instead of the scenarios: V8 CPU profile of n8n while each node handles the
//                       scenario-3 load (fresh n8n per node), summarised by where the time goes
//
// Scenario 4 (s4) is a burst of webhook calls, one item per execution (issue 11); s4s the same
// at 120/min; s4c and s4sc the two with n8n's production concurrency limit set (issue 17).
//
// Dependency-free ESM (node: built-ins only) on the system Node 20. What is measured and how:
// BENCHMARKS.md at the project root. This file reads the options and runs the scenarios; the
// rest lives beside it: scenarios.mjs (what is measured), setup.mjs (stand-in, workflow, n8n),
// measure.mjs (one run, CPU and memory), profile.mjs (--profile), report.mjs (tables, goals).

import fs from 'node:fs';
import fsp from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { fileURLToPath } from 'node:url';

import * as n8n from '../n8n/lib.mjs';
import { machine, runBurst, runOnce } from './measure.mjs';
import { analyseProfile } from './profile.mjs';
import { burstGoals, burstTable, goals, guardGoals, markdownTable, s, summaryRows } from './report.mjs';
import { KeyWindows, NODE_WINDOW_MS, runLimit } from './keywindow.mjs';
import { ACCOUNTS, burstScenarios, CHAINS, LINK_PAD, LINK_PREFIX, linkId, scenarioList } from './scenarios.mjs';
import { gitInfo, hookPath, N8nServer, needsBuild, readPatches, startStandinHost } from './setup.mjs';
import { log, sh, sleep } from './util.mjs';

const HERE = path.dirname(fileURLToPath(import.meta.url));
const RESULTS_DIR = path.join(HERE, 'results');

// ---------------------------------------------------------------------------
// arguments
// ---------------------------------------------------------------------------

const { values: argv } = parseArgs({
	options: {
		quick: { type: 'boolean', default: false },
		guard: { type: 'boolean', default: false },
		concurrency: { type: 'string' },
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
		'reps-burst': { type: 'string' },
		chains: { type: 'string' },
		tag: { type: 'string' },
		items: { type: 'string' },
		latency: { type: 'string' },
		'cpu-prof': { type: 'boolean', default: false },
		help: { type: 'boolean', default: false },
	},
});
if (argv.help) {
	const lines = fs.readFileSync(fileURLToPath(import.meta.url), 'utf8').split('\n').slice(1);
	console.log(lines.slice(0, lines.findIndex((l) => !l.startsWith('//'))).join('\n').replace(/^\/\/ ?/gm, ''));
	process.exit(0);
}
const QUICK = argv.quick;
const GUARD = argv.guard;
const REPS = Math.max(1, Number(argv.reps ?? (QUICK || GUARD ? 1 : 3)));
const ONLY = argv.only ? new Set(argv.only.split(',').map((s) => s.trim().toLowerCase())) : null;
const ONLY_CHAINS = argv.chains ? new Set(argv.chains.split(',').map((s) => s.trim())) : null;
const REPS_S2 = Math.max(1, Number(argv['reps-s2'] ?? 1));
const REPS_BURST = Math.max(1, Number(argv['reps-burst'] ?? 1));
const ITEMS = argv.items === undefined ? null : Math.max(1, Number(argv.items));
const LATENCY = argv.latency === undefined ? null : Math.max(0, Number(argv.latency));
const WAIT_IDLE = argv['wait-idle'] === undefined ? null : Number(argv['wait-idle']);
const SCENARIOS = [
	...scenarioList({ quick: QUICK, guard: GUARD, reps: REPS, repsS2: REPS_S2, profile: argv.profile }),
	...(argv.profile || GUARD ? [] : burstScenarios({ quick: QUICK, reps: REPS_BURST, concurrency: argv.concurrency === undefined ? undefined : Number(argv.concurrency) })),
];

let guardMissed = false;

async function main() {
	const started = new Date();
	const scenarios = SCENARIOS.filter((sc) => !ONLY || ONLY.has(sc.id))
		.map((sc) => ({ ...sc, ...(ITEMS && !sc.burst ? { n: ITEMS } : {}), ...(LATENCY !== null && !sc.burst ? { latencyMs: LATENCY } : {}), chains: sc.chains.filter((c) => !ONLY_CHAINS || ONLY_CHAINS.has(c)) }))
		.filter((sc) => sc.chains.length);
	if (!scenarios.length) throw new Error('nothing to run: check --only / --chains');
	const chainIds = [...new Set(scenarios.flatMap((sc) => sc.chains))];
	log(`${GUARD ? 'GUARD' : QUICK ? 'QUICK' : 'FULL'} benchmark: ${scenarios.map((sc) => sc.id).join(', ')}; reps ${REPS}`);

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
	const server = new N8nServer(env, { verbose: argv.verbose });
	// --cpu-prof: every n8n process of the run writes its profile here when it stops
	const cpuProfDir = argv['cpu-prof'] ? await fsp.mkdtemp(path.join(os.tmpdir(), 'fansly-bench-cpuprof-')) : undefined;
	await server.start({ profileDir: cpuProfDir });
	const wf = await server.provision(standin, chainIds);
	// what the Fansly node's per-key budget in n8n still holds of earlier requests (keywindow.mjs)
	const keyWindows = new KeyWindows({ sleep, log });
	const fanslyUsed = (chainId, count) => CHAINS[chainId].kind === 'fansly' && keyWindows.used(CHAINS[chainId].provider, count);
	const probe = (chainId) =>
		CHAINS[chainId].burst
			? { accountId: ACCOUNTS[CHAINS[chainId].provider], linkId: linkId(0), label: 'probe' }
			: { n: 1, prefix: LINK_PREFIX, pad: LINK_PAD, accountId: ACCOUNTS[CHAINS[chainId].provider], tag: 'probe' };
	for (const chainId of chainIds) {
		await n8n.waitForWebhook(`${server.server.url}/webhook/${hookPath(chainId)}`, { method: 'POST', body: probe(chainId) }).then(() => server.execution(wf.id));
		fanslyUsed(chainId, 1);
	}

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

	// A warm-up of 200 items per chain: with 20, the first measured run of a chain still paid for
	// V8 compiling its hot paths (about 10 % more per item than the runs after it).
	const WARMUP_ITEMS = 200;
	const WARMUP = { id: 'warmup', latencyMs: 0, rpm: null, log: false, calls: 20, spreadMs: 0 };
	const warmChain = async (chainId) => {
		const r = CHAINS[chainId].burst
			? await runBurst({ server, standin, workflowId: wf.id, scenario: WARMUP, chainId, warmup: true })
			: await runOnce({ server, standin, workflowId: wf.id, scenario: WARMUP, chainId, n: WARMUP_ITEMS, rep: 0, warmup: true });
		fanslyUsed(chainId, r.requests);
		return r;
	};
	const warm = async () => {
		for (const chainId of chainIds) {
			await warmChain(chainId);
		}
	};
	log(`warm-up: every chain once with ${WARMUP_ITEMS} items (bursts: 20 calls)`);
	await warm();

	const outFile = argv.out ?? path.join(RESULTS_DIR, `${started.toISOString().replace(/[:]/g, '-').replace(/\..+/, '')}${QUICK ? '-quick' : ''}${GUARD ? '-guard' : ''}${argv.profile ? '-profile' : ''}${argv.tag ? `-${argv.tag.replace(/[^\w.-]+/g, '_')}` : ''}.json`);
	await fsp.mkdir(path.dirname(outFile), { recursive: true });
	const save = async () => fsp.writeFile(outFile, JSON.stringify(report, null, 2));

	for (const sc of scenarios) {
		log(`=== ${sc.id}: ${sc.title}, ${sc.burst ? `${sc.calls} calls of one item` : `${sc.n} items`}, ${sc.reps} run(s) per variant`);
		for (let rep = 1; rep <= sc.reps; rep++) {
			// a burst's variants in the other order every other run: a drift of the machine over
			// the run (page cache, the database file) then weighs on each alike
			const order = sc.burst && rep % 2 === 0 ? [...sc.chains].reverse() : sc.chains;
			for (const chainId of order) {
				let profileDir;
				if (sc.fresh) {
					// memory / profile: a freshly booted n8n for each variant, one small warm-up of that chain, then the run
					await server.stop();
					if (sc.profile) profileDir = await fsp.mkdtemp(path.join(os.tmpdir(), 'fansly-bench-prof-'));
					profileDir ??= cpuProfDir;
					await server.start({ profileDir, env: sc.n8nEnv });
					keyWindows.forgetAll();
					await warmChain(chainId);
					// A burst's Fansly variant must wait for its warm-up to leave the key's window
					// (keywindow.mjs); every variant of a burst waits as long, so each starts from an
					// n8n that has been idle the same time (peak memory compares).
					await sleep(sc.burst ? NODE_WINDOW_MS + 2000 : 2000);
				}
				const chain = CHAINS[chainId];
				const budgetWaitMs =
					chain.kind === 'fansly'
						? await keyWindows.clear(chain.provider, sc.burst ? sc.calls : sc.n, runLimit(chain, sc.rpm), `${sc.id} ${chainId}`)
						: 0;
				const r = sc.burst
					? await runBurst({ server, standin, workflowId: wf.id, scenario: sc, chainId, waitIdlePct: WAIT_IDLE })
					: await runOnce({ server, standin, workflowId: wf.id, scenario: sc, chainId, n: sc.n, rep, waitIdlePct: WAIT_IDLE });
				r.n8nPid = server.server.pid;
				r.rep = rep;
				if (sc.profile) {
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
				fanslyUsed(chainId, r.requests);
				r.budgetWaitMs = budgetWaitMs;
				report.results.push(r);
				await save();
				if (sc.burst) {
					log(
						`${sc.id} ${chainId.padEnd(19)}: ${r.calls} calls answered in ${s(r.callsMs)} s (stored by ${s(r.lastStoredMs)} s, started by ${s(r.lastIntakeMs)} s), last update ${s(r.lastUpdateMs)} s (arrival-aware bound ${s(r.arrivalBoundMs)} s, ${r.arrivalBoundRatio}×; from storing ${r.storedBoundRatio}×), busiest 60 s ${r.maxAdmittedIn60s}, ` +
							`req ${r.requests}, 429 ${r.status429}, applied once ${r.appliedOnce}, lost ${r.lost}, failed ${r.failed}, dup ${r.duplicates}, ` +
							`executions ${JSON.stringify(r.executionsByStatus)}, RSS ${r.memory.peakMainMiB} MiB sampled, ${r.memory.highWaterMainMiB} MiB high-water mark (before ${r.memory.baselineMainMiB}), cpu ours/others ${r.cpuDuringRun.oursPct}/${r.cpuDuringRun.othersPct}%`,
					);
					await sleep(1000);
					continue;
				}
				log(
					`${sc.id} ${chainId.padEnd(17)} r${rep}: wall ${s(r.wallMs)} s, node ${s(r.nodeMs)} s (${r.perItemMs} ms/item), ` +
						`req ${r.requests}, 429 ${r.status429}, ok ${r.okItems}, failed ${r.failed}, lost ${r.lost}, dup ${r.duplicates}, ` +
						`inflight ${r.maxInFlight}, RSS ${r.memory.peakMainMiB}/${r.memory.peakGroupMiB} MiB, busy-before ${r.cpuBusyBefore}%, cpu ours/others ${r.cpuDuringRun.oursPct}/${r.cpuDuringRun.othersPct}% (stand-in ${r.cpuDuringRun.standinPct}%)` +
						(r.nodeError ? ` — node error: ${r.nodeError.slice(0, 100)}` : ''),
				);
				await sleep(1000);
			}
		}
	}

	const isBurst = (r) => r.burst === true;
	const bursts = report.results.filter(isBurst);
	const rows = summaryRows(report.results.filter((r) => !isBurst(r)));
	report.summary = rows.map(({ timeline: _t, byStatus: _b, ...r }) => r);
	// the goals are defined for the full sizes; a quick run only proves the harness works
	report.goals = GUARD
		? guardGoals(rows)
		: [...goals(rows), ...burstGoals(bursts)].map((g) => (QUICK ? { ...g, met: null, goal: `${g.goal} [quick: not a goal check]` } : g));
	report.finishedAt = new Date().toISOString();
	report.machine.uptimeAfter = sh('uptime', []);
	await save();

	await server.stop();
	await standin.stop();
	if (cpuProfDir) {
		// each run's window in the profile of the n8n process it ran in
		const files = fs.readdirSync(cpuProfDir);
		for (const r of report.results) {
			const file = files.find((f) => f.includes(`.${r.n8nPid}.`) && f.endsWith('.cpuprofile'));
			if (!file || !r.hrWindowUs) continue;
			r.profile = analyseProfile(path.join(cpuProfDir, file), r.hrWindowUs);
			log(`cpu-prof ${r.scenario} ${r.chain} r${r.rep}: ${r.profile.buckets.map((c) => `${c.name} ${c.pct}%`).join(', ')}`);
		}
		for (const f of files) await fsp.copyFile(path.join(cpuProfDir, f), outFile.replace(/\.json$/, `-${f}`));
		await fsp.rm(cpuProfDir, { recursive: true, force: true });
		await save();
	}

	console.log(`\nFansly throughput benchmark — ${report.finishedAt}${QUICK ? ' (QUICK)' : ''}`);
	console.log(`machine: ${report.machine.nproc} cores, ${report.machine.cpuModel}, ${report.machine.memTotalGiB} GiB; n8n ${versions.n8n} on Node ${versions.n8nNode}; ${versions.package} (git ${versions.head}${versions.nodeSourceDirty ? ', node source modified' : ''})${versions.patches?.length ? `\nPATCHED package copy (what-if): ${versions.patches.map((p) => p.name).join(', ')}` : ''}\n`);
	if (rows.length) console.log(markdownTable(rows));
	if (bursts.length) console.log(`\nScenario 4, bursts of webhook calls:\n\n${burstTable(bursts)}`);
	console.log('');
	for (const g of report.goals) console.log(`- ${g.met === null ? 'info' : g.met ? 'MET   ' : 'MISSED'}  ${g.goal}: ${g.value}`);
	guardMissed = report.goals.some((g) => g.met === false);
	console.log(`\nraw results: ${path.relative(process.cwd(), outFile)}`);
}

main()
	.then(() => n8n.stopAll())
	// the guard fails (exit 1) when its goal is missed; every other run reports and exits 0
	.then(() => process.exit(GUARD && guardMissed ? 1 : 0))
	.catch(async (e) => {
		console.error(e);
		await n8n.stopAll();
		process.exit(1);
	});
