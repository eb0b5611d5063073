// node --test scripts/: the workflow check passes the project's workflows and fails each kind of
// broken copy (invalid syntax, a missing trigger, a missing permission, a missing step). Runs after
// `npm run check:workflows` in .ci/run, which installs the pinned validator.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';

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
	assert.match(result.output, /^ci\.yml: valid, triggers, permissions and steps as required$/m);
	assert.match(result.output, /^publish\.yml: valid, triggers, permissions and steps as required$/m);
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
