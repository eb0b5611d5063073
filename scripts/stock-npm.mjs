#!/usr/bin/env node
// The README's commands on the npm a stock Node ships: `npm ci` must either complete or stop at
// once with one line that says what to run. Runs `npm ci` of a scratch copy of the project's
// install files with each npm below (installed into a scratch folder from the registry, run with
// this machine's Node, nothing of the caller's npm configuration in its environment):
//   10.8.2  Node 20 (every 20.x release) and Node 22.0-22.11: ignores allowScripts and devEngines,
//           so the npm check's preinstall (scripts/npm-check) stops it before any install script
//   10.9.4  Node 22.12 and later 22.x: devEngines stops it before it installs anything
//   11.6.2  Node 24 (up to 24.12): the same
// Exit 0 when each stops as it should. `.ci/run` runs it; about 2 minutes (10.8.2 unpacks every
// dependency before it runs the first script).
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const INSTALL_FILES = ['package.json', 'package-lock.json', '.npmrc', 'scripts/npm-check'];
const CHECK_LINE = /^(?:npm error )?n8n-nodes-fansly needs npm 11\.16 or later \(this is npm (\S+), which runs install scripts that fail here\): run `npm install --global npm@11\.19\.1`, then your command again\.$/m;

/** The environment of a fresh shell: nothing npm exported to this process (config, user agent). */
function shellEnv(home) {
	const env = {};
	for (const [k, v] of Object.entries(process.env)) if (!/^npm_/i.test(k)) env[k] = v;
	// An empty HOME: no ~/.npmrc of this machine; the download cache is shared, for speed only.
	return { ...env, HOME: home, npm_config_cache: path.join(os.homedir(), '.npm'), npm_config_update_notifier: 'false' };
}

function installNpm(version, tools) {
	const prefix = path.join(tools, `npm-${version}`);
	const r = spawnSync('npm', ['install', '--prefix', prefix, '--no-save', '--ignore-scripts', '--no-audit', '--no-fund', `npm@${version}`], {
		encoding: 'utf8',
		env: shellEnv(os.homedir()),
	});
	if (r.status !== 0) throw new Error(`installing npm ${version} failed:\n${r.stderr}`);
	return path.join(prefix, 'node_modules', 'npm', 'bin', 'npm-cli.js');
}

function scratchCopy(dir) {
	for (const f of INSTALL_FILES) fs.cpSync(path.join(ROOT, f), path.join(dir, f), { recursive: true });
}

const cases = [
	{
		npm: '10.8.2',
		expect: (r, dir) => {
			const lines = `${r.stdout}\n${r.stderr}`;
			const m = CHECK_LINE.exec(lines);
			const problems = [];
			if (r.status === 0) problems.push('npm ci completed');
			if (!m) problems.push('the npm check did not print its line');
			else if (m[1] !== '10.8.2') problems.push(`the check read npm ${m[1]}`);
			// No dependency's own install script ran: isolated-vm's native build never started.
			if (fs.existsSync(path.join(dir, 'node_modules', 'isolated-vm', 'build'))) problems.push("isolated-vm's install script ran");
			return problems;
		},
	},
	...['10.9.4', '11.6.2'].map((npm) => ({
		npm,
		expect: (r, dir) => {
			const problems = [];
			if (r.status === 0) problems.push('npm ci completed');
			if (!/EBADDEVENGINES/.test(r.stderr) || !/>=11\.16\.0/.test(r.stderr)) problems.push('no devEngines error naming npm >=11.16.0');
			if (r.seconds > 30) problems.push(`stopped only after ${r.seconds} s`);
			if (fs.existsSync(path.join(dir, 'node_modules'))) problems.push('node_modules was created');
			return problems;
		},
	})),
];

function main() {
	const tools = fs.mkdtempSync(path.join(os.tmpdir(), 'fansly-stock-npm-'));
	let failed = 0;
	try {
		const home = path.join(tools, 'home');
		fs.mkdirSync(home);
		for (const c of cases) {
			const cli = installNpm(c.npm, tools);
			const dir = path.join(tools, `project-${c.npm}`);
			fs.mkdirSync(dir);
			scratchCopy(dir);
			const t0 = Date.now();
			const r = spawnSync(process.execPath, [cli, 'ci'], { cwd: dir, encoding: 'utf8', env: shellEnv(home), maxBuffer: 64 * 1024 * 1024 });
			r.seconds = Math.round((Date.now() - t0) / 1000);
			const problems = c.expect(r, dir);
			const said = (CHECK_LINE.exec(`${r.stdout}\n${r.stderr}`)?.[0].replace(/^npm error /, '') ?? r.stderr.split('\n').find((l) => /EBADDEVENGINES Invalid/.test(l)) ?? '').trim();
			console.log(`npm ${c.npm}: npm ci exited ${r.status} after ${r.seconds} s${said ? `: ${said}` : ''}`);
			for (const p of problems) console.log(`  FAIL: ${p}`);
			if (problems.length) {
				failed++;
				console.log(r.stderr.split('\n').slice(-20).join('\n'));
			}
		}
	} finally {
		fs.rmSync(tools, { recursive: true, force: true });
	}
	return failed ? 1 : 0;
}

process.exitCode = main();
