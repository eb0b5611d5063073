#!/usr/bin/env node
// What-if experiments for the benchmark, WITHOUT touching the node's source: copies the built
// package (package.json, README, LICENSE, dist/) to a temp folder, applies named patches to the
// compiled JavaScript there, and runs dev/bench/run.mjs with --package-dir pointing at the copy.
// Each patch is a literal text replacement that must match exactly once, so a patch that no
// longer fits the current build fails loudly instead of measuring the unpatched code.
//
//   node dev/bench/experiment.mjs --patch init-8,conc256 [--build] -- --only s1,s3 --reps 3
//   node dev/bench/experiment.mjs -- --only s3     (no --patch: the unpatched copy, as a same-session baseline)
//   node dev/bench/experiment.mjs --list
//
// Everything after `--` goes to run.mjs. Results land in dev/bench/results/ tagged with the patches.

import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const HERE = path.dirname(fileURLToPath(import.meta.url));
const PROJECT = path.resolve(HERE, '..', '..');

/** name -> { why, edits: [{ file, from, to }] } (files relative to the package root). */
const PATCHES = {
	'init-8': {
		why: 'AdaptiveConcurrency starts at 8 and ramps up (the slow start of earlier versions), instead of at Max Concurrency',
		edits: [{ file: 'dist/nodes/Fansly/actions/runner.js', from: 'constructor(max, initial = max) {', to: 'constructor(max, initial = 8) {' }],
	},
	conc256: {
		why: 'default Max Concurrency 256 instead of 128',
		edits: [{ file: 'dist/nodes/Fansly/actions/options.js', from: 'maxConcurrency: 128,', to: 'maxConcurrency: 256,' }],
	},
	trace: {
		why: 'diagnostics, no change in behaviour: stamps each request (before the rate budget, after it, after n8n answered) with the concurrency limit, and writes them to /tmp/fansly-trace-<time>.json when the node ends',
		edits: [
			{
				file: 'dist/nodes/Fansly/transport/index.js',
				from: `            await this.limiter.acquire(this.signal).catch(() => undefined);
            this.throwIfCancelled(request, attempt - 1);
            const exchanged = await this.exchange(request);`,
				to: `            const __t = { a: performance.now(), lim: this.congestion?.limit };
            await this.limiter.acquire(this.signal).catch(() => undefined);
            __t.b = performance.now();
            this.throwIfCancelled(request, attempt - 1);
            const exchanged = await this.exchange(request);
            __t.c = performance.now();
            (globalThis.__fanslyTrace ??= []).push(__t);`,
			},
			{
				file: 'dist/nodes/Fansly/actions/router.js',
				from: 'outcomes = await (0, runner_1.runTasks)(tasks, concurrency, !continueOnFail, cancelled);',
				to: "globalThis.__fanslyTrace = [{ start: performance.now() }]; outcomes = await (0, runner_1.runTasks)(tasks, concurrency, !continueOnFail, cancelled); require('fs').writeFileSync('/tmp/fansly-trace-' + Date.now() + '.json', JSON.stringify(globalThis.__fanslyTrace));",
			},
		],
	},
};

const args = process.argv.slice(2);
const dash = args.indexOf('--');
const own = dash === -1 ? args : args.slice(0, dash);
const forward = dash === -1 ? [] : args.slice(dash + 1);

if (own.includes('--list') || args.length === 0) {
	for (const [name, p] of Object.entries(PATCHES)) console.log(`${name.padEnd(13)} ${p.why}`);
	process.exit(0);
}
const pi = own.indexOf('--patch');
const names = pi === -1 ? [] : own[pi + 1].split(',').filter(Boolean);
for (const n of names) if (!PATCHES[n]) throw new Error(`unknown patch ${n} (see --list)`);

if (own.includes('--build')) {
	const b = spawnSync('npm', ['run', 'build'], { cwd: PROJECT, stdio: 'inherit' });
	if (b.status !== 0) process.exit(b.status ?? 1);
}
if (!fs.existsSync(path.join(PROJECT, 'dist', 'nodes', 'Fansly', 'Fansly.node.js'))) throw new Error('dist/ missing: npm run build first (or --build)');

const copy = fs.mkdtempSync(path.join(os.tmpdir(), 'fansly-bench-pkg-'));
try {
	for (const f of ['package.json', 'README.md', 'LICENSE.md', 'CHANGELOG.md']) {
		if (fs.existsSync(path.join(PROJECT, f))) fs.copyFileSync(path.join(PROJECT, f), path.join(copy, f));
	}
	fs.cpSync(path.join(PROJECT, 'dist'), path.join(copy, 'dist'), { recursive: true });
	for (const n of names) {
		for (const e of PATCHES[n].edits) {
			const file = path.join(copy, e.file);
			const text = fs.readFileSync(file, 'utf8');
			const count = text.split(e.from).length - 1;
			if (count !== 1) throw new Error(`patch ${n}: expected exactly one match in ${e.file}, found ${count}`);
			fs.writeFileSync(file, text.replace(e.from, e.to));
		}
	}
	// read by run.mjs into the results ("versions.patches"); not part of the packed files
	fs.writeFileSync(path.join(copy, '.bench-patches.json'), JSON.stringify(names.map((n) => ({ name: n, why: PATCHES[n].why }))));
	const tag = names.length ? names.join('+') : 'unpatched';
	console.error(`[experiment] patched copy ${copy}: ${tag}`);
	const r = spawnSync(process.execPath, [path.join(HERE, 'run.mjs'), '--package-dir', copy, '--tag', tag, ...forward], { stdio: 'inherit' });
	process.exitCode = r.status ?? 1;
} finally {
	fs.rmSync(copy, { recursive: true, force: true });
}
