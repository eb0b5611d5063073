// node --test scripts/: the hand-written CHANGELOG.md and the README's install commands at release
// time (scripts/changelog.mjs).
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';

import { notes, readme, release, sections } from './changelog.mjs';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const HEAD = '# Changelog\n\nIntro.\n\n';

describe('scripts/changelog.mjs', () => {
	it('the first release: "## [0.1.0] - Unreleased" gets its date, under a new empty Unreleased', () => {
		const text = `${HEAD}## [0.1.0] - Unreleased\n\n### Added\n- Everything.\n`;
		assert.equal(release(text, '0.1.0', '2027-01-02'), `${HEAD}## [Unreleased]\n\n## [0.1.0] - 2027-01-02\n\n### Added\n- Everything.\n`);
	});

	it('a later release: "## [Unreleased]" becomes the version; older sections stay as they are', () => {
		const text = `${HEAD}## [Unreleased]\n\n### Fixed\n- A bug.\n\n## [0.1.0] - 2027-01-02\n\n### Added\n- Everything.\n`;
		const out = release(text, '0.1.1', '2027-02-03');
		assert.equal(out, `${HEAD}## [Unreleased]\n\n## [0.1.1] - 2027-02-03\n\n### Fixed\n- A bug.\n\n## [0.1.0] - 2027-01-02\n\n### Added\n- Everything.\n`);
		assert.deepEqual(sections(out).map((s) => [s.name, s.date]), [['Unreleased', null], ['0.1.1', '2027-02-03'], ['0.1.0', '2027-01-02']]);
		assert.equal(notes(out, '0.1.1'), '### Fixed\n- A bug.\n');
	});

	it('refuses, before anything is committed: nothing under Unreleased, no Unreleased, a version released twice', () => {
		assert.throws(() => release(`${HEAD}## [Unreleased]\n\n## [0.1.0] - 2027-01-02\n- x\n`, '0.1.1', 'd'), /lists no change/);
		assert.throws(() => release(`${HEAD}## [0.1.0] - 2027-01-02\n- x\n`, '0.1.1', 'd'), /no "## \[Unreleased\]" section/);
		assert.throws(() => release(`${HEAD}## [Unreleased]\n- y\n\n## [0.1.0] - 2027-01-02\n- x\n`, '0.1.0', 'd'), /already has a released section for 0\.1\.0/);
	});

	it("the project's CHANGELOG.md can be released as package.json's version", () => {
		const { version } = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8'));
		const text = fs.readFileSync(path.join(ROOT, 'CHANGELOG.md'), 'utf8');
		const out = release(text, version, '2099-01-01');
		assert.match(out, new RegExp(`^## \\[${version.replace(/\./g, '\\.')}\\] - 2099-01-01$`, 'm'));
		assert.ok(notes(out, version).includes('- '));
	});

	it("the README: every version of the package it names becomes the released one, in each form; nothing else changes", () => {
		const text = [
			'RUN npm install --prefix /home/node/.n8n/nodes --legacy-peer-deps n8n-nodes-fansly@0.1.0',
			`N8N_COMMUNITY_PACKAGES='[{"name":"n8n-nodes-fansly","version":"0.1.0"}]'`,
			'npm install --prefix ~/.n8n/nodes --legacy-peer-deps ./n8n-nodes-fansly-0.1.0.tgz',
			'npm install --global npm@11.19.1; n8n 1.85.3; n8n-nodes-other@0.1.0; `n8n-nodes-fansly` 0.1.0 is the first release',
		].join('\n');
		const out = readme(text, '0.2.0');
		assert.equal(
			out,
			[
				'RUN npm install --prefix /home/node/.n8n/nodes --legacy-peer-deps n8n-nodes-fansly@0.2.0',
				`N8N_COMMUNITY_PACKAGES='[{"name":"n8n-nodes-fansly","version":"0.2.0"}]'`,
				'npm install --prefix ~/.n8n/nodes --legacy-peer-deps ./n8n-nodes-fansly-0.2.0.tgz',
				'npm install --global npm@11.19.1; n8n 1.85.3; n8n-nodes-other@0.1.0; `n8n-nodes-fansly` 0.1.0 is the first release',
			].join('\n'),
		);
		// a prerelease, and back
		const pre = readme(out, '1.0.0-rc.1');
		assert.match(pre, /n8n-nodes-fansly@1\.0\.0-rc\.1\n/);
		assert.match(pre, /\.\/n8n-nodes-fansly-1\.0\.0-rc\.1\.tgz/);
		assert.match(pre, /"version":"1\.0\.0-rc\.1"/);
		assert.equal(readme(pre, '0.2.0'), out);
	});

	it('the README: refuses a README that names no version of the package, and a version that is none', () => {
		assert.throws(() => readme('# n8n-nodes-fansly\n\nnpm install n8n-nodes-fansly\n', '0.1.1'), /README\.md names no version of n8n-nodes-fansly/);
		assert.throws(() => readme('n8n-nodes-fansly@0.1.0', 'latest'), /latest is not a version/);
	});

	it("the project's README already names package.json's version everywhere: the release leaves it as it is", () => {
		const { version } = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8'));
		const text = fs.readFileSync(path.join(ROOT, 'README.md'), 'utf8');
		assert.equal(readme(text, version), text);
	});
});
