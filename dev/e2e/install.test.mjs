// The README's install "From source", as a new user runs it, into a fresh n8n user folder, then a
// real n8n 2.41.1 started on that folder (the provider stand-in answers for both providers).
//
//   npm run build && node --test dev/e2e/install.test.mjs      (about 3-4 minutes: `npm ci` of a
//                                                               fresh clone is most of it)
//
// The README's lines run as they are, in bash, with HOME set to the new user folder (so ~/.n8n is
// n8n's folder). Two things are not the user's: `git clone` of the README's URL is answered by
// this repository (git's url.<this>.insteadOf; so it clones the committed HEAD, not uncommitted
// changes), and npm's download cache is this machine's (for speed).

import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';

import * as n8n from '../n8n/lib.mjs';
import { publicApi, SEED_IDS, startStack } from '../stack.mjs';

const log = process.env.E2E_VERBOSE ? (l) => console.log(`# ${l}`) : () => {};
const pkg = JSON.parse(fs.readFileSync(path.join(n8n.PROJECT_DIR, 'package.json'), 'utf8'));
const location = JSON.parse(spawnSync(process.execPath, [path.join(n8n.PROJECT_DIR, 'scripts', 'project.mjs')], { encoding: 'utf8' }).stdout);

/** The bash block after the README's `<!-- from-source` marker. */
function readmeFromSource() {
	const readme = fs.readFileSync(path.join(n8n.PROJECT_DIR, 'README.md'), 'utf8');
	const at = readme.indexOf('<!-- from-source');
	assert.ok(at >= 0, 'the README marks its from-source block');
	const block = /```bash\n([\s\S]*?)```/.exec(readme.slice(at));
	return block[1].trim().split('\n');
}

let userFolder;
let work;
let result;
let stack;

before(async () => {
	userFolder = await n8n.makeUserFolder('e2e-source');
	work = fs.mkdtempSync(path.join(os.tmpdir(), 'fansly-source-'));
	const env = {};
	for (const [k, v] of Object.entries(process.env)) if (!/^(npm_|NODE_OPTIONS$|N8N_)/i.test(k)) env[k] = v;
	Object.assign(env, {
		HOME: userFolder,
		npm_config_cache: path.join(os.homedir(), '.npm'),
		npm_config_update_notifier: 'false',
		GIT_CONFIG_COUNT: '1',
		GIT_CONFIG_KEY_0: `url.${n8n.PROJECT_DIR}.insteadOf`,
		GIT_CONFIG_VALUE_0: `${location.url}.git`,
	});
	const t0 = Date.now();
	result = spawnSync('bash', ['-euo', 'pipefail', '-c', readmeFromSource().join('\n')], { cwd: work, env, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024, timeout: 900_000 });
	log(`from-source install: ${((Date.now() - t0) / 1000).toFixed(0)} s`);
});

after(async () => {
	await stack?.stop();
	await n8n.stopAll();
	fs.rmSync(work, { recursive: true, force: true });
	fs.rmSync(userFolder, { recursive: true, force: true });
});

describe("the README's install from source", () => {
	it('is the clone of the repository package.json names, then npm ci, npm pack and one npm install of the version in package.json', () => {
		assert.deepEqual(readmeFromSource(), [
			`git clone ${location.url}.git`,
			'cd n8n-nodes-fansly',
			'npm ci',
			'npm pack',
			`npm install --prefix ~/.n8n/nodes --legacy-peer-deps ./n8n-nodes-fansly-${pkg.version}.tgz`,
		]);
	});

	it('runs to the end, and leaves the package (its build, no n8n-workflow of its own) in ~/.n8n/nodes', () => {
		assert.equal(result.status, 0, `${result.stdout.slice(-3000)}\n${result.stderr.slice(-3000)}`);
		const installed = path.join(userFolder, '.n8n', 'nodes', 'node_modules', 'n8n-nodes-fansly');
		for (const file of [...pkg.n8n.nodes, ...pkg.n8n.credentials, 'CHANGELOG.md']) assert.ok(fs.existsSync(path.join(installed, file)), file);
		assert.equal(fs.existsSync(path.join(userFolder, '.n8n', 'nodes', 'node_modules', 'n8n-workflow')), false, 'no n8n-workflow installed beside it');
		const manifest = JSON.parse(fs.readFileSync(path.join(userFolder, '.n8n', 'nodes', 'package.json'), 'utf8'));
		assert.match(manifest.dependencies['n8n-nodes-fansly'], new RegExp(`n8n-nodes-fansly-${pkg.version.replace(/\./g, '\\.')}\\.tgz$`));
	});

	it('n8n loads it at start and it works; Settings → Community Nodes does not list it', async () => {
		stack = await startStack({ build: false, userFolder, log, n8nLog: log });
		const rest = await stack.login();
		const names = (await rest.get('/types/nodes.json')).map((t) => t.name);
		for (const type of [n8n.NODE_TYPE, n8n.TOOL_NODE_TYPE, `${n8n.PACKAGE_NAME}.fanslyTrigger`]) assert.ok(names.includes(type), `${type} loaded`);
		assert.deepEqual((await rest.get('/rest/community-packages')).data, [], 'a manual install is not in Settings');
		for (const [provider, accountId, trackingLinkId] of [
			['apiFansly', SEED_IDS.apiFansly.accountId, SEED_IDS.apiFansly.linkIds[0]],
			['fansApi', SEED_IDS.fansApi.accountId, SEED_IDS.fansApi.linkIds[1]],
		]) {
			const res = await stack.callWebhook({ provider, accountId, trackingLinkId, label: 'From source' });
			assert.equal(res.status, 200, res.text);
			assert.deepEqual([res.json.id, res.json.label, res.json.provider], [trackingLinkId, 'From source', provider]);
		}
		const api = await publicApi(stack, rest);
		assert.equal((await api.executions(stack.workflows.webhook)).every((e) => e.status === 'success'), true);
	});
});
