// Driving n8n from its CLI: import credentials and workflows, publish (activate) a workflow,
// execute one, and read the JSON n8n prints between its log lines.

import { randomBytes } from 'node:crypto';
import fsp from 'node:fs/promises';
import path from 'node:path';

import { N8N_BIN, N8N_LINE, NODE_BIN } from './config.mjs';
import { noop, run } from './processes.mjs';

/**
 * Find the JSON document in mixed output (n8n prints log lines around it).
 * Returns the largest parseable JSON block that starts at a line beginning with { or [.
 */
export function extractJson(text) {
	const lines = text.split('\n');
	const starts = [];
	const ends = [];
	lines.forEach((l, i) => {
		const t = l.trim();
		if (/^[[{]/.test(t)) starts.push(i);
		if (/[\]}]$/.test(t)) ends.push(i);
	});
	for (const s of starts) {
		for (let k = ends.length - 1; k >= 0 && ends[k] >= s; k--) {
			try {
				return JSON.parse(lines.slice(s, ends[k] + 1).join('\n'));
			} catch {
				/* try a shorter block */
			}
		}
	}
	return undefined;
}

/**
 * Run `n8n <args...>` (e.g. ['import:workflow', '--input=w.json'], ['execute', '--id=x', '--rawOutput']).
 * `env` is an n8nEnv(); the CLI shares the SQLite DB in N8N_USER_FOLDER with a running server
 * (fine for execute/import; publish:workflow wants the server stopped).
 * @returns {Promise<{code:number, stdout:string, stderr:string, json:any}>}
 */
export async function runCli(args, { env, log = noop, timeoutMs = 180_000 } = {}) {
	if (!env) throw new Error('runCli: env is required (n8nEnv(...))');
	const res = await run(NODE_BIN, [N8N_BIN, ...args], { env, cwd: env.N8N_USER_FOLDER, log, quiet: log === noop, timeoutMs });
	return {
		code: res.code,
		signal: res.signal,
		crashedAtExit: crashedAtExit(res),
		stdout: res.stdout,
		stderr: res.stderr,
		json: extractJson(res.stdout),
	};
}

/**
 * n8n 1.123.81's CLI on Node 22 with its default expression engine (isolated-vm) dies of
 * SIGSEGV now and then while it exits, after its work is done and printed (seen for `execute`
 * and `import:workflow`, up to 1 run in 3 on a loaded machine; never with
 * N8N_EXPRESSION_ENGINE=legacy, never on 2.x).
 */
function crashedAtExit(res) {
	return N8N_LINE === 1 && res.signal === 'SIGSEGV';
}

/** runCli for a command that may run twice (imports by id, activation): again after a 1.x exit crash. */
async function runIdempotentCli(args, opts) {
	for (let attempt = 1; ; attempt++) {
		const r = await runCli(args, opts);
		if (!r.crashedAtExit || attempt === 3) return r;
		(opts.log ?? noop)(`[cli] n8n ${args[0]} crashed while exiting (SIGSEGV, n8n 1.x): running it again`);
	}
}

async function writeTempJson(env, name, data) {
	const dir = path.join(env.N8N_USER_FOLDER, 'tmp-import');
	await fsp.mkdir(dir, { recursive: true });
	const file = path.join(dir, `${name}-${Date.now()}-${randomBytes(3).toString('hex')}.json`);
	await fsp.writeFile(file, JSON.stringify(data, null, 2));
	return file;
}

function cliFail(what, r) {
	return new Error(`${what} failed (exit ${r.code}):\n${(r.stdout + '\n' + r.stderr).split('\n').slice(-30).join('\n')}`);
}

/**
 * Import credentials: [{ id, name, type, data: { ...plain values } }] (encrypted on import).
 * Ids must be unique strings (n8n uses 16-char nanoid-like ids; any short string works).
 */
export async function importCredentials(credentials, { env, log } = {}) {
	const list = (Array.isArray(credentials) ? credentials : [credentials]).map((c) => ({
		id: c.id ?? randomId(),
		...c,
	}));
	const file = await writeTempJson(env, 'credentials', list);
	try {
		const r = await runIdempotentCli(['import:credentials', `--input=${file}`], { env, log });
		if (r.code !== 0) throw cliFail('import:credentials', r);
		return list.map((c) => c.id);
	} finally {
		await fsp.rm(file, { force: true });
	}
}

/**
 * Import workflows ({ id?, name, nodes, connections, settings? }); returns their ids.
 * With { publish: true } also publishes each one (publishWorkflow: n8n 2.x's publish, 1.x's
 * activate; do it while no server is running, the server picks it up at start).
 */
export async function importWorkflows(workflows, { env, log, publish = false } = {}) {
	const list = (Array.isArray(workflows) ? workflows : [workflows]).map((w) => ({
		id: w.id ?? randomId(),
		active: false,
		settings: {},
		connections: {},
		...w,
	}));
	const file = await writeTempJson(env, 'workflows', list);
	try {
		const r = await runIdempotentCli(['import:workflow', `--input=${file}`], { env, log });
		if (r.code !== 0) throw cliFail('import:workflow', r);
	} finally {
		await fsp.rm(file, { force: true });
	}
	if (publish) for (const w of list) await publishWorkflow(w.id, { env, log });
	return list.map((w) => w.id);
}

export const importWorkflow = async (wf, opts) => (await importWorkflows([wf], opts))[0];

/**
 * Publish (activate) a workflow while no server runs: `publish:workflow --id` on n8n 2.x,
 * `update:workflow --id --active=true` on 1.x (2.x's publish did not exist yet).
 */
export async function publishWorkflow(id, { env, log } = {}) {
	const args = N8N_LINE === 1 ? ['update:workflow', `--id=${id}`, '--active=true'] : ['publish:workflow', `--id=${id}`];
	const r = await runIdempotentCli(args, { env, log });
	if (r.code !== 0) throw cliFail(args.join(' '), r);
}

/**
 * `n8n execute --id=<id> --rawOutput`; returns { ok, code, signal, crashedAtExit, json, stdout, stderr }.
 * Not run twice (an execution is not idempotent): on n8n 1.x a run that printed a finished,
 * successful execution and then crashed while exiting (see crashedAtExit) is ok, flagged.
 */
export async function executeWorkflow(id, { env, log } = {}) {
	const r = await runCli(['execute', `--id=${id}`, '--rawOutput'], { env, log });
	const completed = r.crashedAtExit && r.json?.finished === true && r.json?.status === 'success';
	return { ok: r.code === 0 || completed, ...r };
}

export function randomId(len = 16) {
	const abc = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';
	return [...randomBytes(len)].map((b) => abc[b % abc.length]).join('');
}
