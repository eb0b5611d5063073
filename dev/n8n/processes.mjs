// Process bookkeeping: every process group the dev tooling starts is tracked here and stopped
// on stopAll(), SIGINT/SIGTERM/SIGHUP, or (SIGKILL) at process exit; plus the small helpers
// that run a command in its own group.

import { spawn } from 'node:child_process';

export const noop = () => {};

export const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

// ---------------------------------------------------------------------------

/** Process groups started and still running: { name, pid, stop, service? }. */
export const live = new Set();
let handlersInstalled = false;

export function track(entry) {
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

export function killGroup(pid, signal) {
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

/** SIGTERM the group, wait up to graceMs, then SIGKILL, and wait until the group is gone. */
export async function stopGroup(child, { graceMs = 10_000 } = {}) {
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

/** run(), throwing with the output tail unless the exit code is 0. */
export async function runOk(cmd, args, opts) {
	const res = await run(cmd, args, opts);
	if (res.code !== 0) {
		const tail = (res.stderr || res.stdout).split('\n').slice(-40).join('\n');
		throw new Error(`${cmd} ${args.join(' ')} exited ${res.code}\n${tail}`);
	}
	return res;
}
