// Installing this package into an n8n user folder the way n8n's community-package installer
// does (npm pack, extract, strip dev/peer/optional dependencies), and registering it in n8n's
// database so Settings › Community nodes lists it.

import fs from 'node:fs';
import fsp from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import zlib from 'node:zlib';

import { extractJson } from './cli.mjs';
import { NODE_BIN, PACKAGE_NAME, PROJECT_DIR, RUNTIME_DIR } from './config.mjs';
import { cleanEnv, noop, runOk } from './processes.mjs';
import { runtimeEnv } from './runtime.mjs';

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
 * n8n process uses this user folder. Uses the runtime's own sqlite3 module.
 */
export async function registerInstalledPackage({ userFolder, log = noop } = {}) {
	if (!userFolder) throw new Error('registerInstalledPackage: userFolder is required');
	const n8nDir = path.join(path.resolve(userFolder), '.n8n');
	const db = path.join(n8nDir, 'database.sqlite');
	if (!fs.existsSync(db)) throw new Error(`${db} missing: run any n8n CLI command (e.g. an import) or boot once first`);
	const pkgDir = path.join(n8nDir, 'nodes', 'node_modules', PACKAGE_NAME);
	const script = `
		const path = require('node:path');
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
		// n8n's own sqlite3 (every runtime has it; node:sqlite is not in Node 20)
		const sqlite3 = require('sqlite3');
		const s = new sqlite3.Database(db);
		const run = (sql, ...params) => new Promise((ok, fail) => s.run(sql, params, (e) => (e ? fail(e) : ok())));
		(async () => {
			await run('BEGIN');
			await run('DELETE FROM installed_nodes WHERE package = ?', pj.name);
			await run('DELETE FROM installed_packages WHERE packageName = ?', pj.name);
			await run('INSERT INTO installed_packages (packageName, installedVersion, authorName, authorEmail, createdAt, updatedAt) VALUES (?, ?, ?, ?, ?, ?)',
				pj.name, pj.version, author.name ?? null, author.email ?? null, now, now);
			for (const n of nodes)
				await run('INSERT INTO installed_nodes (name, type, latestVersion, package) VALUES (?, ?, ?, ?)', n.name, n.type, n.latestVersion, pj.name);
			await run('COMMIT');
			await new Promise((ok, fail) => s.close((e) => (e ? fail(e) : ok())));
			console.log(JSON.stringify({ package: pj.name, version: pj.version, nodes }));
		})().catch((e) => { console.error(e); process.exit(1); });
	`;
	// NODE_PATH: the package's `require('n8n-workflow')` resolves to n8n's copy, as in n8n itself
	const env = { ...runtimeEnv(), NODE_PATH: path.join(RUNTIME_DIR, 'node_modules') };
	const r = await runOk(NODE_BIN, ['--no-warnings', '-e', script, db, pkgDir], { env, quiet: true });
	const res = extractJson(r.stdout);
	log(`[pkg] registered ${res.package}@${res.version} in installed_packages (${res.nodes.map((n) => n.type).join(', ')})`);
	return res;
}
