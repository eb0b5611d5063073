// `npm run demo` end to end: `--once` runs both providers' updates and the batch, prints the
// normalised links and stops everything; without `--once` it keeps n8n up until SIGINT (Ctrl-C),
// which stops everything it started and removes its user folder.

import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { after, describe, it } from 'node:test';

import * as n8n from '../n8n/lib.mjs';
import { loadExample, SEED, SEED_IDS } from '../stack.mjs';

const DEMO = path.join(n8n.PROJECT_DIR, 'dev', 'demo.mjs');
/** The seed links the demo updates (test/fixtures/data/seed.json). */
const AF_LINK = SEED.apiFansly.links[SEED_IDS.apiFansly.accountId][0];
const FA_LINK = SEED.fansApi.links[SEED_IDS.fansApi.accountId][2];
const children = new Set();

/** Start the demo in its own process group (as a terminal would), collecting its output. */
function startDemo(args) {
	const env = { ...process.env };
	delete env.APIFANSLY_API_KEY; // never the real providers here
	delete env.FANSAPI_API_KEY;
	const child = spawn(process.execPath, [DEMO, '--no-build', ...args], { env, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
	children.add(child);
	let out = '';
	const waiters = new Set();
	const onData = (d) => {
		out += d;
		for (const w of waiters) if (w.re.test(out)) w.done();
	};
	child.stdout.on('data', onData);
	child.stderr.on('data', onData);
	const exited = new Promise((resolve) =>
		child.on('exit', (code, signal) => {
			children.delete(child);
			resolve({ code, signal });
		}),
	);
	return {
		child,
		exited,
		output: () => out,
		waitFor: (re, ms) =>
			new Promise((resolve, reject) => {
				if (re.test(out)) return resolve();
				const w = { re, done: () => (waiters.delete(w), clearTimeout(t), resolve()) };
				const t = setTimeout(() => (waiters.delete(w), reject(new Error(`no ${re} within ${ms} ms:\n${out}`))), ms);
				waiters.add(w);
				exited.then(() => setTimeout(() => waiters.has(w) && (waiters.delete(w), clearTimeout(t), reject(new Error(`demo exited before ${re}:\n${out}`))), 50));
			}),
	};
}

const userFolderOf = (out) => out.match(/into (\S+)\/\.n8n\/nodes\/node_modules\/n8n-nodes-fansly/)?.[1];

async function portClosed(port) {
	try {
		await fetch(`http://127.0.0.1:${port}/healthz`, { signal: AbortSignal.timeout(2000) });
		return false;
	} catch {
		return true;
	}
}

after(() => {
	// only if a test failed half-way: the demo's whole process group
	for (const c of children) {
		try {
			process.kill(-c.pid, 'SIGINT');
		} catch {
			/* gone */
		}
	}
});

describe('npm run demo', () => {
	it('--once --port N: one update through each provider, the batch, then everything stops', async () => {
		const port = await n8n.freePort();
		const demo = startDemo(['--once', '--port', String(port)]);
		const { code } = await demo.exited;
		const out = demo.output();
		assert.equal(code, 0, out);
		assert.match(out, /Both providers: the embedded stand-in on 127\.0\.0\.1 \(no internet\)/);
		assert.match(out, /API Fansly \(stand-in\): POST \/webhook\/fansly-update/);
		assert.match(out, new RegExp(`"id": "${AF_LINK.id}",\\n\\s+"accountId": "${SEED_IDS.apiFansly.accountId}",\\n\\s+"fanslyAccountId": "${AF_LINK.accountId}",\\n\\s+"label": "Twitter bio \\(demo\\)"`));
		assert.match(out, /"provider": "apiFansly"/);
		assert.match(out, new RegExp(`"id": "${FA_LINK.id}",\\n\\s+"accountId": "${SEED_IDS.fansApi.accountId}",\\n\\s+"fanslyAccountId": "${FA_LINK.accountId}",\\n\\s+"label": "Reddit \\(demo\\)"`));
		assert.match(out, /"provider": "fansApi"/);
		// the workflows by the names the editor shows
		for (const example of ['spreadsheet-batch', 'webhook-update', 'trigger-telegram']) assert.ok(out.includes(`Workflow "${loadExample(example).name}"`), example);
		assert.match(out, /Workflow "Fansly: update tracking links from a spreadsheet" \(Fans API, stand-in\): n8n execute --id=fanslyExampleBat → 3 item\(s\), one per row/);
		assert.match(out, new RegExp(`Editor:\\s+http://127\\.0\\.0\\.1:${port}/`));
		assert.match(out, new RegExp(`Login:\\s+${n8n.OWNER.email.replace(/\./g, '\\.')} / ${n8n.OWNER.password}`));
		assert.match(out, /→ execution \d+ \(success\), 1 item\(s\):\n\s+increased: "Twitter bio" subscriptions 4 → 5 \(\+1\)/);
		assert.match(out, /Demo OK/);
		const folder = userFolderOf(out);
		assert.ok(folder, 'user folder printed');
		assert.equal(fs.existsSync(folder), false, 'user folder removed');
		assert.ok(await portClosed(port), 'n8n stopped');
	});

	it('keeps running until Ctrl-C (SIGINT), which stops n8n and the stand-in and removes the user folder', async () => {
		const demo = startDemo([]);
		// up to a minute more than the updates: the trigger example waits for n8n's next poll
		await demo.waitFor(/Press Ctrl-C to stop/, 300_000);
		const out = demo.output();
		const url = out.match(/Editor:\s+(http:\/\/127\.0\.0\.1:(\d+))\//);
		assert.ok(url, out);
		const port = Number(url[2]);
		assert.equal((await fetch(`${url[1]}/healthz/readiness`)).status, 200, 'n8n up while the demo runs');
		const standin = out.match(/Stand-in:\s+(http:\/\/127\.0\.0\.1:\d+)/)[1];
		assert.equal((await fetch(`${standin}/__standin/stats`)).status, 200, 'stand-in up');
		const folder = userFolderOf(out);
		assert.ok(fs.existsSync(folder));

		process.kill(-demo.child.pid, 'SIGINT'); // what Ctrl-C in a terminal does: the foreground group
		const { code, signal } = await demo.exited;
		assert.equal(code ?? signal, 130, demo.output());
		assert.match(demo.output(), /Stopped n8n and the stand-in, removed the user folder/);
		assert.equal(fs.existsSync(folder), false, 'user folder removed');
		assert.ok(await portClosed(port), 'n8n stopped');
		assert.ok(await portClosed(Number(new URL(standin).port)), 'stand-in stopped');
	});
});
