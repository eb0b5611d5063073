// node --test scripts/: `npm run release` (n8n-node release → release-it, configured by
// .release-it.json and .auto-changelog) in a scratch git repository with a local "origin": the
// release commit and tag, the hand-written CHANGELOG.md kept (only its section dated), never
// rewritten by the auto-changelog n8n-node runs, and the README's install commands naming the
// version released (test/package.test.ts holds them to package.json's version, and publish.yml runs
// that test on the tag). The project's lint and build are replaced by
// no-ops in the scratch package.json (n8n-node runs them first; they are tested elsewhere), and no
// GitHub release is created (no token: release-it prepares its web form, whose text is checked).
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const today = new Date().toISOString().slice(0, 10);

/** A README naming the package's version in each form the project's README uses, and other versions that are not the package's. */
const readmeAt = (version) =>
	[
		'# n8n-nodes-fansly',
		'',
		'Needs n8n 1.85.3 or later.',
		`RUN npm install --prefix /home/node/.n8n/nodes --legacy-peer-deps n8n-nodes-fansly@${version}`,
		`N8N_COMMUNITY_PACKAGES='[{"name":"n8n-nodes-fansly","version":"${version}"}]'`,
		`npm install --prefix ~/.n8n/nodes --legacy-peer-deps ./n8n-nodes-fansly-${version}.tgz`,
		'npm install --global npm@11.19.1',
		'',
	].join('\n');

let dir;
let origin;
const git = (...args) => execFileSync('git', args, { cwd: dir, encoding: 'utf8' }).trim();

/** The environment of a maintainer's shell, non-interactive (CI=true makes release-it ask nothing). */
function env() {
	const clean = {};
	for (const [k, v] of Object.entries(process.env)) if (!/^(npm_|GITHUB_|GH_|RELEASE_MODE$|NPM_CONFIG_)/i.test(k)) clean[k] = v;
	return { ...clean, CI: 'true', GIT_AUTHOR_NAME: 'Maintainer', GIT_AUTHOR_EMAIL: 'm@example.com', GIT_COMMITTER_NAME: 'Maintainer', GIT_COMMITTER_EMAIL: 'm@example.com' };
}

function run(cmd, args) {
	const r = spawnSync(cmd, args, { cwd: dir, env: env(), encoding: 'utf8', timeout: 180_000 });
	return { status: r.status, output: `${r.stdout}\n${r.stderr}` };
}

before(() => {
	const base = fs.mkdtempSync(path.join(os.tmpdir(), 'fansly-release-'));
	dir = path.join(base, 'work');
	origin = path.join(base, 'origin.git');
	fs.mkdirSync(dir);
	for (const f of ['.release-it.json', '.auto-changelog', '.npmrc', 'package-lock.json', 'scripts/changelog.mjs']) fs.cpSync(path.join(ROOT, f), path.join(dir, f));
	const pj = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8'));
	pj.scripts = { ...pj.scripts, lint: 'node -e ""', build: 'node -e ""' };
	pj.version = '0.1.0';
	fs.writeFileSync(path.join(dir, 'package.json'), `${JSON.stringify(pj, null, 2)}\n`);
	fs.writeFileSync(path.join(dir, 'CHANGELOG.md'), '# Changelog\n\nHand-written.\n\n## [0.1.0] - Unreleased\n\n### Added\n- Everything.\n');
	fs.writeFileSync(path.join(dir, 'README.md'), readmeAt('0.1.0'));
	// node_modules: a folder of links to the project's packages, so what is written there stays here
	fs.mkdirSync(path.join(dir, 'node_modules'));
	for (const entry of fs.readdirSync(path.join(ROOT, 'node_modules')))
		fs.symlinkSync(path.join(ROOT, 'node_modules', entry), path.join(dir, 'node_modules', entry));
	fs.writeFileSync(path.join(dir, '.gitignore'), 'node_modules/\n');
	execFileSync('git', ['init', '-q', '--bare', origin]);
	git('init', '-q', '-b', 'main');
	git('add', '.');
	git('-c', 'user.name=M', '-c', 'user.email=m@example.com', 'commit', '-qm', 'Start');
	git('remote', 'add', 'origin', origin);
	git('push', '-q', '-u', 'origin', 'main');
});

after(() => {
	fs.rmSync(path.dirname(dir), { recursive: true, force: true });
});

describe('npm run release', () => {
	it('the first release: 0.1.0 as package.json has it (the "Other" answer, 0.1.0), its section dated, tag 0.1.0', () => {
		// What n8n-node release runs, with the answer a maintainer types at release-it's prompt.
		const r = run(path.join(dir, 'node_modules', '.bin', 'release-it'), [
			'--ci',
			'--increment=0.1.0',
			'--git.requireBranch=main',
			'--git.requireCleanWorkingDir',
			'--git.requireUpstream',
			'--git.requireCommits',
			'--no-github.release',
			'--npm.publish=false',
		]);
		assert.equal(r.status, 0, r.output);
		assert.equal(git('tag', '--list'), '0.1.0');
		assert.equal(git('log', '-1', '--format=%s'), 'Release 0.1.0');
		assert.equal(
			git('show', 'HEAD:CHANGELOG.md'),
			`# Changelog\n\nHand-written.\n\n## [Unreleased]\n\n## [0.1.0] - ${today}\n\n### Added\n- Everything.`,
		);
		assert.equal(JSON.parse(git('show', 'HEAD:package.json')).version, '0.1.0');
		assert.equal(git('show', 'HEAD:README.md'), readmeAt('0.1.0').trimEnd());
		assert.equal(execFileSync('git', ['tag', '--list'], { cwd: origin, encoding: 'utf8' }).trim(), '0.1.0', 'tag pushed');
	});

	it('a later release through n8n-node release itself: Unreleased becomes 0.1.1, the README installs 0.1.1, the auto-changelog goes to node_modules/', () => {
		fs.writeFileSync(
			path.join(dir, 'CHANGELOG.md'),
			fs.readFileSync(path.join(dir, 'CHANGELOG.md'), 'utf8').replace('## [Unreleased]\n', '## [Unreleased]\n\n### Fixed\n- A bug.\n'),
		);
		git('commit', '-qam', 'Fix a bug');
		git('push', '-q');
		const r = run(path.join(dir, 'node_modules', '.bin', 'n8n-node'), ['release']);
		assert.equal(r.status, 0, r.output);
		assert.equal(git('tag', '--list', '--sort=v:refname'), '0.1.0\n0.1.1');
		assert.equal(
			git('show', 'HEAD:CHANGELOG.md'),
			`# Changelog\n\nHand-written.\n\n## [Unreleased]\n\n## [0.1.1] - ${today}\n\n### Fixed\n- A bug.\n\n## [0.1.0] - ${today}\n\n### Added\n- Everything.`,
		);
		// the README's commands name the version the tag publishes, in the release commit itself
		assert.equal(git('show', 'HEAD:README.md'), readmeAt('0.1.1').trimEnd());
		assert.deepEqual(git('show', '--name-only', '--format=', 'HEAD').split('\n').sort(), ['CHANGELOG.md', 'README.md', 'package-lock.json', 'package.json']);
		assert.equal(git('status', '--porcelain'), '', 'nothing left uncommitted');
		assert.ok(fs.existsSync(path.join(dir, 'node_modules', '.auto-changelog.md')), "n8n-node's auto-changelog wrote its own file");
		// The GitHub release (a web form here, without a token) says what CHANGELOG.md says.
		const url = /https:\/\/\S+\/releases\/new\?\S+/.exec(r.output)?.[0];
		assert.ok(url, r.output);
		assert.equal(new URL(url).searchParams.get('body'), '### Fixed\n- A bug.');
		assert.equal(execFileSync('git', ['tag', '--list', '--sort=v:refname'], { cwd: origin, encoding: 'utf8' }).trim(), '0.1.0\n0.1.1');
	});

	it('refuses to release when Unreleased lists nothing, and commits nothing', () => {
		const head = git('rev-parse', 'HEAD');
		fs.writeFileSync(path.join(dir, 'notes.txt'), 'x\n');
		git('add', 'notes.txt');
		git('commit', '-qm', 'Something without a changelog entry');
		git('push', '-q');
		const r = run(path.join(dir, 'node_modules', '.bin', 'n8n-node'), ['release']);
		assert.notEqual(r.status, 0);
		assert.match(r.output, /changelog: CHANGELOG\.md: the "## \[Unreleased\]" section lists no change/);
		assert.equal(git('tag', '--list', '--sort=v:refname'), '0.1.0\n0.1.1');
		assert.equal(git('log', '-1', '--format=%s'), 'Something without a changelog entry');
		assert.notEqual(git('rev-parse', 'HEAD'), head);
		assert.equal(fs.readFileSync(path.join(dir, 'README.md'), 'utf8'), readmeAt('0.1.1'), 'the README is left as it was');
	});
});

/** The shell script of publish.yml's Release step, as GitHub Actions runs it (bash -e). */
function releaseStep() {
	const lines = fs.readFileSync(path.join(ROOT, '.github', 'workflows', 'publish.yml'), 'utf8').split('\n');
	const step = lines.findIndex((l) => /^\s*- name: Release\s*$/.test(l));
	const run = lines.findIndex((l, i) => i > step && /^\s*run: \|\s*$/.test(l));
	assert.ok(step >= 0 && run > step, 'publish.yml has a Release step with a run: | block');
	const indent = /^\s*/.exec(lines[run + 1])[0];
	const body = [];
	for (const line of lines.slice(run + 1)) {
		if (line.trim() !== '' && !line.startsWith(indent)) break;
		body.push(line.slice(indent.length));
	}
	return body.join('\n');
}

describe("publish.yml's Release step", () => {
	/** Runs the step with an npm that prints what it was asked and the dist-tag it would publish under. */
	function runStep(refName, token = '') {
		const bin = fs.mkdtempSync(path.join(os.tmpdir(), 'fansly-npm-'));
		try {
			fs.writeFileSync(path.join(bin, 'npm'), '#!/bin/sh\necho "npm $* (NPM_CONFIG_TAG=${NPM_CONFIG_TAG:-unset})"\n', { mode: 0o755 });
			const r = spawnSync('bash', ['-e', '-c', releaseStep()], {
				env: { PATH: `${bin}:${process.env.PATH}`, GITHUB_REF_NAME: refName, NPM_TOKEN: token },
				encoding: 'utf8',
			});
			assert.equal(r.status, 0, r.stderr);
			return r.stdout.trim().split('\n');
		} finally {
			fs.rmSync(bin, { recursive: true, force: true });
		}
	}

	it('a release is published under npm\'s default dist-tag (latest)', () => {
		assert.deepEqual(runStep('0.1.1'), ['npm run release (NPM_CONFIG_TAG=unset)']);
		assert.deepEqual(runStep('v1.2.3'), ['npm run release (NPM_CONFIG_TAG=unset)']);
	});

	it('a prerelease (2.0.0-rc.1) is published under "next", which npm requires for a prerelease', () => {
		assert.deepEqual(runStep('2.0.0-rc.1'), ['npm run release (NPM_CONFIG_TAG=next)']);
		assert.deepEqual(runStep('v2.0.0-beta.0'), ['npm run release (NPM_CONFIG_TAG=next)']);
	});

	it('the first release writes NPM_TOKEN to npm\'s configuration before publishing; later ones do not', () => {
		assert.deepEqual(runStep('0.1.0', 'npm_secret'), [
			'npm config set //registry.npmjs.org/:_authToken npm_secret (NPM_CONFIG_TAG=unset)',
			'npm run release (NPM_CONFIG_TAG=unset)',
		]);
	});
});
