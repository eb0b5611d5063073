// Jest setup file of jest.n8n1.config.js: before each test file, assert that the modules the
// test harness and the node under test will load are n8n 1.x's (the exact versions pinned in
// dev/n8n1/package.json, from .cache/n8n1-engine), and that n8n-core uses that same single
// n8n-workflow. Records what was loaded in .cache/n8n1-engine/loaded/ for dev/n8n1/run.mjs
// to print after the run.
const fs = require('node:fs');
const { createRequire } = require('node:module');
const path = require('node:path');

const { ENGINE_DIR } = require('./jest-resolver.js');
const expected = JSON.parse(fs.readFileSync(path.join(__dirname, 'package.json'), 'utf8')).dependencies;
// Real path: require.resolve answers real paths, and .cache may be a symlink (a git worktree
// sharing another checkout's installs).
const engineModules = fs.realpathSync(path.join(ENGINE_DIR, 'node_modules'));

// Resolved the way the project's files (nodes/, credentials/, test/) resolve them in this run.
const resolved = {};
for (const name of ['n8n-workflow', 'n8n-core', 'zod', 'luxon']) {
	const file = require.resolve(name);
	const dir = path.join(engineModules, name);
	if (!file.startsWith(dir + path.sep)) {
		throw new Error(`n8n 1.x run: '${name}' resolves to ${file}, not to the 1.x engine in ${dir}`);
	}
	const { version } = JSON.parse(fs.readFileSync(path.join(dir, 'package.json'), 'utf8'));
	if (version !== expected[name]) {
		throw new Error(`n8n 1.x run: '${name}' is ${version}, dev/n8n1/package.json pins ${expected[name]}`);
	}
	resolved[name] = { version, file: path.relative(path.resolve(ENGINE_DIR, '..', '..'), file) };
}
const workflowOfCore = createRequire(require.resolve('n8n-core')).resolve('n8n-workflow');
if (workflowOfCore !== require.resolve('n8n-workflow')) {
	throw new Error(`n8n 1.x run: n8n-core loads a second n8n-workflow: ${workflowOfCore}`);
}

const reportDir = path.join(ENGINE_DIR, 'loaded');
fs.mkdirSync(reportDir, { recursive: true });
// Written aside, then renamed: jest may stop a worker at any moment (workerIdleMemoryLimit
// replaces one above its memory limit), and a report cut while written read as empty JSON (CI
// on 161228d). A rename leaves the whole report or none.
const report = path.join(reportDir, `${process.pid}.json`);
fs.writeFileSync(`${report}.part`, JSON.stringify(resolved));
fs.renameSync(`${report}.part`, report);
