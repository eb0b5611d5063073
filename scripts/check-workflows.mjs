#!/usr/bin/env node
// Checks the GitHub Actions workflows in .github/workflows/ (or the folder given as argument):
//  1. each file is valid workflow syntax, by @action-validator/cli (SchemaStore's GitHub workflow
//     schema, compiled into the tool; runs offline);
//  2. in every workflow, each action is pinned to a full commit SHA with its version in a comment,
//     and each checkout keeps no git credentials (persist-credentials: false);
//  3. ci.yml runs on push and pull_request, on Node 20 and 24; publish.yml on version tags, on
//     Node 24 (trusted publishing needs Node 22.14+), with no dependency cache, and the publish job
//     may mint an OIDC token for provenance (id-token: write) with a read-only checkout
//     (contents: read); both run the commands the project relies on.
// The tools are pinned by dev/workflow-validator's committed lockfile and installed into the
// git-ignored .tools/workflow-validator on first use (like scripts/scan.mjs does for the scanner).
import { execFileSync, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const manifestDir = path.join(root, 'dev', 'workflow-validator');
const toolsDir = path.join(root, '.tools', 'workflow-validator');
const marker = path.join(toolsDir, '.installed-lock.json');
const validatorCli = path.join(toolsDir, 'node_modules', '@action-validator', 'cli', 'cli.mjs');
// The folder to check: .github/workflows, or the one given (the script's own tests use this).
const workflowsDir = path.resolve(process.argv[2] ?? path.join(root, '.github', 'workflows'));

function ensureTools() {
	const lock = fs.readFileSync(path.join(manifestDir, 'package-lock.json'), 'utf8');
	if (fs.existsSync(marker) && fs.readFileSync(marker, 'utf8') === lock && fs.existsSync(validatorCli)) return;
	fs.rmSync(toolsDir, { recursive: true, force: true });
	fs.mkdirSync(toolsDir, { recursive: true });
	for (const file of ['package.json', 'package-lock.json']) {
		fs.copyFileSync(path.join(manifestDir, file), path.join(toolsDir, file));
	}
	console.log('Installing the workflow validator (dev/workflow-validator lockfile) into .tools/workflow-validator ...');
	execFileSync('npm', ['ci', '--ignore-scripts', '--no-audit', '--no-fund', '--loglevel=error'], { cwd: toolsDir, stdio: 'inherit' });
	fs.writeFileSync(marker, lock);
}

/** The workflow's `on:` as an object of event name -> configuration. */
function triggers(workflow) {
	const on = workflow.on;
	if (typeof on === 'string') return { [on]: null };
	if (Array.isArray(on)) return Object.fromEntries(on.map((event) => [event, null]));
	return on ?? {};
}

/** Permissions of a job: its own block, else the workflow's. */
function permissions(workflow, job) {
	return job.permissions ?? workflow.permissions ?? {};
}

/** Every `run:` line of a job. */
function runLines(job) {
	return (job.steps ?? []).flatMap((step) => (typeof step.run === 'string' ? step.run.split('\n').map((l) => l.trim()) : []));
}

/** Every step of every job. */
const allSteps = (workflow) => Object.values(workflow.jobs ?? {}).flatMap((job) => job.steps ?? []);

/**
 * Rules for every workflow: actions pinned to a commit SHA, the version in a comment (read from
 * the raw text: YAML drops comments), and checkouts that keep no credentials.
 */
function common(workflow, text) {
	const problems = [];
	for (const line of text.split('\n')) {
		const m = /^\s*(?:-\s+)?uses:\s*([^\s#]+)\s*(#.*)?$/.exec(line);
		if (!m || m[1].startsWith('./')) continue;
		if (!/@[0-9a-f]{40}$/.test(m[1])) problems.push(`${m[1]} is not pinned to a full commit SHA`);
		else if (!/^#\s*v\d+(\.\d+){0,2}\b/.test(m[2] ?? '')) problems.push(`${m[1]} has no "# vX.Y.Z" comment naming its version`);
	}
	for (const step of allSteps(workflow)) {
		if (/^actions\/checkout@/.test(step.uses ?? '') && step.with?.['persist-credentials'] !== false)
			problems.push('a checkout keeps its git credentials (set persist-credentials: false)');
	}
	return problems;
}

/** The setup-node steps of a job. */
const setupNode = (job) => (job.steps ?? []).filter((step) => /^actions\/setup-node@/.test(step.uses ?? ''));

/** The project's own rules for each workflow; each returns a list of problems. */
const rules = {
	'ci.yml': (workflow) => {
		const problems = [];
		const on = triggers(workflow);
		for (const event of ['push', 'pull_request']) {
			if (!(event in on)) problems.push(`does not run on ${event}`);
		}
		const lines = Object.values(workflow.jobs ?? {}).flatMap(runLines);
		for (const command of ['npm ci && npm test', 'npm run lint', 'npx eslint . --max-warnings 0', 'npm run scan']) {
			if (!lines.includes(command)) problems.push(`no step runs \`${command}\``);
		}
		const versions = Object.values(workflow.jobs ?? {}).flatMap((job) => {
			const matrix = job.strategy?.matrix?.node ?? [];
			return setupNode(job).map((step) => String(step.with?.['node-version'] ?? '')).flatMap((v) => (/matrix\.node/.test(v) ? matrix.map(String) : [v]));
		});
		for (const major of ['20', '24']) if (!versions.includes(major)) problems.push(`does not run on Node ${major}`);
		return problems;
	},
	'publish.yml': (workflow) => {
		const problems = [];
		const on = triggers(workflow);
		const tags = on.push?.tags ?? [];
		if (Object.keys(on).join() !== 'push' || !tags.includes('*.*.*') || on.push.branches) {
			problems.push("does not run only on version tags (on: push: tags: ['*.*.*'])");
		}
		const jobs = Object.entries(workflow.jobs ?? {});
		const releasing = jobs.filter(([, job]) => runLines(job).includes('npm run release'));
		if (releasing.length !== 1) problems.push('no single job runs `npm run release`');
		for (const [name, job] of releasing) {
			const granted = permissions(workflow, job);
			if (granted['id-token'] !== 'write') problems.push(`job ${name}: permissions id-token is not write (needed for provenance)`);
			if (granted.contents !== 'read') problems.push(`job ${name}: permissions contents is not read`);
			const extra = Object.keys(granted).filter((key) => !['id-token', 'contents'].includes(key));
			if (extra.length) problems.push(`job ${name}: grants more than id-token and contents (${extra.join(', ')})`);
			const lines = runLines(job);
			for (const command of ['npm ci', 'npm test']) {
				const at = lines.indexOf(command);
				if (at < 0 || at > lines.indexOf('npm run release')) problems.push(`job ${name}: does not run \`${command}\` before the release`);
			}
			if (!/secrets\.NPM_TOKEN/.test(JSON.stringify(job.steps))) problems.push(`job ${name}: no NPM_TOKEN for the first release`);
			const nodes = setupNode(job);
			if (nodes.length !== 1) problems.push(`job ${name}: not exactly one setup-node step`);
			for (const step of nodes) {
				if (String(step.with?.['node-version']) !== '24') problems.push(`job ${name}: node-version is not 24 (trusted publishing needs Node 22.14 or later)`);
				if (step.with?.cache !== undefined || step.with?.['package-manager-cache'] !== false)
					problems.push(`job ${name}: setup-node may cache dependencies (no cache input, and package-manager-cache: false)`);
			}
			if (!lines.some((l) => /^npm install --global npm@11\.(1[6-9]|[2-9]\d)\.\d+$/.test(l)))
				problems.push(`job ${name}: does not install npm 11.16 or later (trusted publishing needs 11.5.1, allowScripts 11.16)`);
		}
		return problems;
	},
};

async function main() {
	ensureTools();
	const YAML = await import(pathToFileURL(path.join(toolsDir, 'node_modules', 'yaml', 'dist', 'index.js')).href);
	const files = fs.existsSync(workflowsDir) ? fs.readdirSync(workflowsDir).filter((f) => /\.ya?ml$/.test(f)).sort() : [];
	let failed = false;
	for (const required of Object.keys(rules)) {
		if (!files.includes(required)) {
			console.log(`${required}: MISSING`);
			failed = true;
		}
	}
	for (const file of files) {
		const full = path.join(workflowsDir, file);
		const problems = [];
		const validation = spawnSync(process.execPath, [validatorCli, full], { encoding: 'utf8' });
		if (validation.status !== 0) {
			problems.push(`not valid workflow syntax (action-validator):\n${(validation.stderr + validation.stdout).trim()}`);
		}
		const document = YAML.parseDocument(fs.readFileSync(full, 'utf8'));
		if (document.errors.length) {
			problems.push(...document.errors.map((e) => `YAML: ${e.message}`));
		} else {
			const text = fs.readFileSync(full, 'utf8');
			problems.push(...common(document.toJS(), text));
			if (rules[file]) problems.push(...rules[file](document.toJS()));
		}
		if (problems.length) {
			failed = true;
			console.log(`${file}: FAILED`);
			for (const problem of problems) console.log(`  - ${problem}`);
		} else {
			console.log(`${file}: valid, actions pinned${rules[file] ? ', triggers, permissions and steps as required' : ''}`);
		}
	}
	if (failed) process.exitCode = 1;
}

main().catch((error) => {
	console.error(error);
	process.exitCode = 1;
});
