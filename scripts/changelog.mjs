#!/usr/bin/env node
// The hand-written CHANGELOG.md, and the README's install commands, at release time. `npm run
// release` (n8n-node release → release-it, configured in .release-it.json) runs:
//   node scripts/changelog.mjs release <version>   after the version bump: the section being
//       released ("## [Unreleased]", or "## [<version>] - Unreleased" before the first release)
//       becomes "## [<version>] - <date>", under a new empty "## [Unreleased]"; refuses when that
//       section is missing or empty, which stops the release before anything is committed. The
//       README's commands that name a version of the package (`n8n-nodes-fansly@X`,
//       `./n8n-nodes-fansly-X.tgz`, `"name":"n8n-nodes-fansly","version":"X"`) get the new one.
//       release-it then commits every tracked change, so both land in the release commit.
//   node scripts/changelog.mjs notes <version>     the GitHub release's notes: that version's section.
// n8n-node release also runs `npx auto-changelog -p`, which would rewrite CHANGELOG.md from the git
// history; .auto-changelog sends its output to a file under node_modules/ instead.
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const HEADING = /^## \[([^\]]+)\](?:\s+-\s+(.+))?\s*$/;

/** The level-2 sections of a changelog: [{ name, date, start, end }] (line indexes, end exclusive). */
export function sections(text) {
	const lines = text.split('\n');
	const found = [];
	lines.forEach((line, i) => {
		const m = HEADING.exec(line);
		if (m) found.push({ name: m[1], date: m[2] ?? null, start: i });
	});
	return found.map((s, i) => ({ ...s, end: found[i + 1]?.start ?? lines.length }));
}

const isPending = (s, version) => s.name === 'Unreleased' || (s.name === version && /^unreleased$/i.test(s.date ?? ''));

/** The changelog with the section of `version` dated `date`, under a new empty Unreleased. */
export function release(text, version, date) {
	const lines = text.split('\n');
	const all = sections(text);
	if (all.some((s) => s.name === version && !isPending(s, version)))
		throw new Error(`CHANGELOG.md already has a released section for ${version}`);
	const pending = all.find((s) => isPending(s, version));
	if (!pending) throw new Error(`CHANGELOG.md has no "## [Unreleased]" section to release as ${version}`);
	const body = lines.slice(pending.start + 1, pending.end).filter((l) => l.trim() !== '');
	if (!body.some((l) => /^\s*[-*] /.test(l)))
		throw new Error(`CHANGELOG.md: the "${lines[pending.start]}" section lists no change; write what ${version} changes first`);
	return [...lines.slice(0, pending.start), '## [Unreleased]', '', `## [${version}] - ${date}`, ...lines.slice(pending.start + 1)].join('\n');
}

const PACKAGE = 'n8n-nodes-fansly';
// A version as npm writes it: 1.2.3, or a prerelease such as 2.0.0-rc.1.
const VERSION = String.raw`\d+\.\d+\.\d+(?:-[0-9A-Za-z-]+(?:\.[0-9A-Za-z-]+)*)?`;
/** Each way the README names a version of the package: the install spec, the packed tarball, the env list. */
const README_FORMS = [
	new RegExp(`(${PACKAGE}@)${VERSION}()`, 'g'),
	new RegExp(`(${PACKAGE}-)${VERSION}(\\.tgz)`, 'g'),
	new RegExp(`("name":"${PACKAGE}","version":")${VERSION}(")`, 'g'),
];

/** The README with every version of the package it names set to `version`. */
export function readme(text, version) {
	if (!new RegExp(`^${VERSION}$`).test(version)) throw new Error(`${version} is not a version`);
	if (!README_FORMS.some((form) => text.match(form))) throw new Error(`README.md names no version of ${PACKAGE} to set to ${version}`);
	return README_FORMS.reduce((out, form) => out.replace(form, (_, before, after) => `${before}${version}${after}`), text);
}

/** The body of the section of `version` (what the GitHub release says). */
export function notes(text, version) {
	const lines = text.split('\n');
	const s = sections(text).find((x) => x.name === version);
	if (!s) throw new Error(`CHANGELOG.md has no section for ${version}`);
	return lines.slice(s.start + 1, s.end).join('\n').trim() + '\n';
}

function main([command, version]) {
	const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
	const file = path.join(root, 'CHANGELOG.md');
	if (!version || !['release', 'notes'].includes(command)) {
		console.error('usage: node scripts/changelog.mjs release|notes <version>');
		return 2;
	}
	const text = fs.readFileSync(file, 'utf8');
	try {
		if (command === 'notes') process.stdout.write(notes(text, version));
		else {
			// both computed before either is written: a refusal leaves both files as they were
			const readmeFile = path.join(root, 'README.md');
			const next = [
				[file, release(text, version, new Date().toISOString().slice(0, 10))],
				[readmeFile, readme(fs.readFileSync(readmeFile, 'utf8'), version)],
			];
			for (const [f, content] of next) fs.writeFileSync(f, content);
		}
	} catch (e) {
		console.error(`changelog: ${e.message}`);
		return 1;
	}
	return 0;
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) process.exitCode = main(process.argv.slice(2));
