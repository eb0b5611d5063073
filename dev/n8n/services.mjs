// Services around n8n: free ports, Debian packages, and redis for queue mode.

import { spawn } from 'node:child_process';
import fsp from 'node:fs/promises';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';

import { live, noop, run, runOk, sleep, stopGroup, track } from './processes.mjs';


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
