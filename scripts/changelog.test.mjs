// node --test scripts/: the hand-written CHANGELOG.md at release time (scripts/changelog.mjs).
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';

import { notes, release, sections } from './changelog.mjs';

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
});
