// The whole jest unit suite on the n8n 1.x engine: `npm run test:n8n1` (build, then this).
//
// 1. Installs the engine pinned in dev/n8n1/package.json + package-lock.json (n8n-core,
//    n8n-workflow, and the zod and luxon n8n 1.x ships) into the git-ignored
//    .cache/n8n1-engine with `npm ci --ignore-scripts`, once: a marker holds the hash of the
//    manifest and lock, so a changed lock reinstalls.
// 2. Runs jest with jest.n8n1.config.js (same tests and setup; n8n-core, n8n-workflow, zod and
//    luxon resolved to the 1.x copies) and passes extra arguments on to jest
//    (`npm run test:n8n1 -- test/pickers.test.ts`).
// 3. Prints which engine the test files actually loaded (recorded by dev/n8n1/check-engine.js,
//    which fails every test file if it is not the pinned 1.x one).
//
// Dependency-free: only node: built-ins.

import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const HERE = path.dirname(fileURLToPath(import.meta.url));
const ROOT = path.resolve(HERE, '..', '..');
const ENGINE_DIR = path.join(ROOT, '.cache', 'n8n1-engine');
const MARKER = path.join(ENGINE_DIR, '.installed');
const LOADED_DIR = path.join(ENGINE_DIR, 'loaded');
const FILES = ['package.json', 'package-lock.json'];

const log = (line) => process.stderr.write(`[test:n8n1] ${line}\n`);

function fail(message) {
	log(`ERROR: ${message}`);
	process.exit(1);
}

const manifest = JSON.parse(fs.readFileSync(path.join(HERE, 'package.json'), 'utf8'));
const hash = createHash('sha256');
for (const file of FILES) hash.update(fs.readFileSync(path.join(HERE, file)));
const fingerprint = hash.digest('hex');

function installedVersion(name) {
	try {
		return JSON.parse(fs.readFileSync(path.join(ENGINE_DIR, 'node_modules', name, 'package.json'), 'utf8')).version;
	} catch {
		return undefined;
	}
}

function engineReady() {
	if (!fs.existsSync(MARKER) || fs.readFileSync(MARKER, 'utf8').trim() !== fingerprint) return false;
	return Object.entries(manifest.dependencies).every(([name, version]) => installedVersion(name) === version);
}

if (!engineReady()) {
	const t0 = Date.now();
	log(`installing the n8n 1.x engine into ${path.relative(ROOT, ENGINE_DIR)} (npm ci --ignore-scripts)`);
	fs.mkdirSync(ENGINE_DIR, { recursive: true });
	fs.rmSync(MARKER, { force: true });
	for (const file of FILES) fs.copyFileSync(path.join(HERE, file), path.join(ENGINE_DIR, file));
	// The engine folder has its own package.json, so npm does not read the project's .npmrc
	// there: every flag is given here, and npm_config_* exported by an enclosing `npm run`
	// (the project's legacy-peer-deps, ...) are dropped. --ignore-scripts: n8n-workflow's
	// isolated-vm cannot build on Node 20, and nothing the tests load needs it.
	const env = Object.fromEntries(Object.entries(process.env).filter(([key]) => !/^(npm_|NPM_CONFIG_)/i.test(key)));
	const npm = spawnSync(
		'npm',
		['ci', '--ignore-scripts', '--no-audit', '--no-fund', '--loglevel=error', '--legacy-peer-deps=false'],
		{ cwd: ENGINE_DIR, env, stdio: 'inherit' },
	);
	if (npm.error) fail(`could not run npm: ${npm.error.message}`);
	if (npm.status !== 0) fail(`npm ci failed (exit ${npm.status}) in ${ENGINE_DIR}`);
	for (const [name, version] of Object.entries(manifest.dependencies)) {
		const got = installedVersion(name);
		if (got !== version) fail(`${name} ${got ?? 'missing'} installed, ${version} pinned`);
	}
	fs.writeFileSync(MARKER, `${fingerprint}\n`);
	log(`engine installed in ${((Date.now() - t0) / 1000).toFixed(1)} s`);
}

const pins = Object.entries(manifest.dependencies)
	.map(([name, version]) => `${name} ${version}`)
	.join(', ');
log(`jest on the n8n 1.x engine: ${pins}`);

fs.rmSync(LOADED_DIR, { recursive: true, force: true });
const jest = spawnSync(
	process.execPath,
	[path.join(ROOT, 'node_modules', 'jest', 'bin', 'jest.js'), '--config', path.join(ROOT, 'jest.n8n1.config.js'), ...process.argv.slice(2)],
	{ cwd: ROOT, stdio: 'inherit' },
);
if (jest.error) fail(`could not run jest: ${jest.error.message}`);

const reports = fs.existsSync(LOADED_DIR)
	? fs
			.readdirSync(LOADED_DIR)
			// A `.part` is a report whose worker was stopped before it was renamed (check-engine.js).
			.filter((f) => f.endsWith('.json'))
			.map((f) => fs.readFileSync(path.join(LOADED_DIR, f), 'utf8'))
	: [];
const distinct = [...new Set(reports)].map((r) => JSON.parse(r));
for (const loaded of distinct) {
	log(
		`loaded by the test files: ${Object.entries(loaded)
			.map(([name, { version, file }]) => `${name} ${version} (${file})`)
			.join(', ')}`,
	);
}
if (jest.status === 0 && distinct.length === 0) fail('no test file recorded which engine it loaded (dev/n8n1/check-engine.js did not run)');
if (distinct.length > 1) fail('test files loaded different engines');
process.exit(jest.status ?? 1);
