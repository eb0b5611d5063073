// node --test scripts/: the workflow check passes the project's workflows and fails each kind of
// broken copy (invalid syntax, a missing trigger, a missing permission, a missing step). Runs after
// `npm run check:workflows` in .ci/run, which installs the pinned validator.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { test } from 'node:test';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const script = path.join(root, 'scripts', 'check-workflows.mjs');
const original = Object.fromEntries(
	['ci.yml', 'publish.yml'].map((f) => [f, fs.readFileSync(path.join(root, '.github', 'workflows', f), 'utf8')]),
);

/** Runs the check on a copy of the workflows with one file changed by `edit`. */
function check(file, edit) {
	const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'fansly-workflows-'));
	try {
		for (const [name, text] of Object.entries(original)) {
			fs.writeFileSync(path.join(dir, name), name === file ? edit(text) : text);
		}
		const result = spawnSync(process.execPath, [script, dir], { encoding: 'utf8' });
		return { status: result.status, output: result.stdout + result.stderr };
	} finally {
		fs.rmSync(dir, { recursive: true, force: true });
	}
}

/** Replaces exactly one occurrence, so a test cannot pass because its edit did nothing. */
const replaceOnce = (from, to) => (text) => {
	assert.equal(text.split(from).length, 2, `expected exactly one ${JSON.stringify(from)}`);
	return text.replace(from, to);
};

test('the project workflows pass', () => {
	const result = check(null, (t) => t);
	assert.equal(result.status, 0, result.output);
	assert.match(result.output, /^ci\.yml: valid, actions pinned, triggers, permissions and steps as required$/m);
	assert.match(result.output, /^publish\.yml: valid, actions pinned, triggers, permissions and steps as required$/m);
});

test('invalid workflow syntax fails the validator', () => {
	const result = check('ci.yml', replaceOnce('runs-on: ubuntu-latest', 'runs_on: ubuntu-latest'));
	assert.equal(result.status, 1);
	assert.match(result.output, /^ci\.yml: FAILED\n {2}- not valid workflow syntax \(action-validator\):/m);
	assert.match(result.output, /runs_on/);
});

test('ci.yml without pull_request fails', () => {
	const result = check('ci.yml', replaceOnce('  pull_request:\n', ''));
	assert.equal(result.status, 1);
	assert.match(result.output, /^ {2}- does not run on pull_request$/m);
});

test('ci.yml without the scan fails', () => {
	const result = check('ci.yml', replaceOnce('run: npm run scan', 'run: echo skipped'));
	assert.equal(result.status, 1);
	assert.match(result.output, /^ {2}- no step runs `npm run scan`$/m);
});

test('publish.yml without id-token: write fails', () => {
	const result = check('publish.yml', replaceOnce('      id-token: write\n', ''));
	assert.equal(result.status, 1);
	assert.match(result.output, /^ {2}- job publish: permissions id-token is not write \(needed for provenance\)$/m);
});

test('publish.yml with contents: write fails', () => {
	const result = check('publish.yml', replaceOnce('contents: read', 'contents: write'));
	assert.equal(result.status, 1);
	assert.match(result.output, /^ {2}- job publish: permissions contents is not read$/m);
});

test('publish.yml on branches instead of tags fails', () => {
	const result = check('publish.yml', replaceOnce("    tags:\n", '    branches:\n'));
	assert.equal(result.status, 1);
	assert.match(result.output, /^ {2}- does not run only on version tags/m);
});

test('publish.yml without tests before the release fails', () => {
	const result = check('publish.yml', replaceOnce('run: npm test', 'run: echo no tests'));
	assert.equal(result.status, 1);
	assert.match(result.output, /^ {2}- job publish: does not run `npm test` before the release$/m);
});

test('a missing workflow file fails', () => {
	const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'fansly-workflows-'));
	try {
		fs.writeFileSync(path.join(dir, 'ci.yml'), original['ci.yml']);
		const result = spawnSync(process.execPath, [script, dir], { encoding: 'utf8' });
		assert.equal(result.status, 1);
		assert.match(result.stdout, /^publish\.yml: MISSING$/m);
	} finally {
		fs.rmSync(dir, { recursive: true, force: true });
	}
});

test('an action pinned to a tag instead of a commit SHA fails', () => {
	const result = check('publish.yml', replaceOnce('actions/checkout@3d3c42e5aac5ba805825da76410c181273ba90b1 # v7.0.1', 'actions/checkout@v7'));
	assert.equal(result.status, 1);
	assert.match(result.output, /^ {2}- actions\/checkout@v7 is not pinned to a full commit SHA$/m);
});

test('a pinned action without its version in a comment fails', () => {
	const result = check('ci.yml', replaceOnce('@820762786026740c76f36085b0efc47a31fe5020 # v7.0.0', '@820762786026740c76f36085b0efc47a31fe5020'));
	assert.equal(result.status, 1);
	assert.match(result.output, /^ {2}- actions\/setup-node@820762786026740c76f36085b0efc47a31fe5020 has no "# vX\.Y\.Z" comment naming its version$/m);
});

test('a checkout that keeps its git credentials fails', () => {
	const result = check('publish.yml', replaceOnce('          persist-credentials: false\n', '          persist-credentials: true\n'));
	assert.equal(result.status, 1);
	assert.match(result.output, /^ {2}- a checkout keeps its git credentials \(set persist-credentials: false\)$/m);
});

test('publish.yml on Node 20 fails (trusted publishing needs Node 22.14 or later)', () => {
	const result = check('publish.yml', replaceOnce("node-version: '24'", "node-version: '20'"));
	assert.equal(result.status, 1);
	assert.match(result.output, /^ {2}- job publish: node-version is not 24/m);
});

test('publish.yml with a dependency cache fails, the automatic one included', () => {
	for (const edit of [
		replaceOnce('          package-manager-cache: false\n', '          package-manager-cache: false\n          cache: npm\n'),
		replaceOnce('          package-manager-cache: false\n', ''),
	]) {
		const result = check('publish.yml', edit);
		assert.equal(result.status, 1);
		assert.match(result.output, /^ {2}- job publish: setup-node may cache dependencies/m);
	}
});

test('publish.yml without npm 11.16 or later fails', () => {
	const result = check('publish.yml', replaceOnce('run: npm install --global npm@11.19.1', 'run: npm install --global npm@11.5.1'));
	assert.equal(result.status, 1);
	assert.match(result.output, /^ {2}- job publish: does not install npm 11\.16 or later/m);
});

test('ci.yml without Node 20 or without Node 24 fails', () => {
	const result = check('ci.yml', replaceOnce("node: ['20', '24']", "node: ['24']"));
	assert.equal(result.status, 1);
	assert.match(result.output, /^ {2}- does not run on Node 20$/m);
});

test('Dependabot proposes updates of the npm dependencies and of the pinned actions', async () => {
	const YAML = await import(pathToFileURL(path.join(root, '.tools', 'workflow-validator', 'node_modules', 'yaml', 'dist', 'index.js')).href);
	const config = YAML.parse(fs.readFileSync(path.join(root, '.github', 'dependabot.yml'), 'utf8'));
	assert.equal(config.version, 2);
	assert.deepEqual(
		config.updates.map((u) => [u['package-ecosystem'], u.directory, u.schedule?.interval]),
		[
			['npm', '/', 'weekly'],
			['github-actions', '/', 'weekly'],
		],
	);
});
