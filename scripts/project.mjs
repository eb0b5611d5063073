#!/usr/bin/env node
// Where the project lives and who maintains it: package.json says it once (`repository.url`,
// `author`), everything else derives from it.
//   - npm derives the published `bugs` from `repository`; the publish guard
//     (scripts/publish-guard.mjs) reads it at run time;
//   - what cannot read it is a copy: package.json's own `homepage` (n8n's lint requires the field),
//     the codex files' and the credentials' documentation URLs, the README's clone command (its
//     install from source: `git clone <url>.git`, then `cd <name>`), LICENSE.md's copyright holder.
//     `npm test` (test/package.test.ts) fails while one disagrees, and
//     `node scripts/project.mjs --write` rewrites them all.
// `node scripts/project.mjs` prints the location as JSON; `--check` lists the copies that disagree.
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

/** The files holding a copy of the repository's URL (each `https://github.com/<owner>/<name>`). */
export const URL_COPIES = Object.freeze([
	'nodes/Fansly/Fansly.node.json',
	'nodes/Fansly/FanslyTrigger.node.json',
	'credentials/ApiFanslyApi.credentials.ts',
	'credentials/FansApiApi.credentials.ts',
]);
/** The file holding the clone command: `git clone https://github.com/<owner>/<name>.git`, then `cd <name>`. */
export const CLONE_COPY = 'README.md';
/** The file holding a copy of the author's name (its copyright line). */
export const HOLDER_COPY = 'LICENSE.md';

const GITHUB_URL = /https:\/\/github\.com\/([A-Za-z0-9_.-]+\/[A-Za-z0-9_.-]+?)(?=[#/"'\s)]|\.git|$)/g;
const COPYRIGHT = /^(Copyright \(c\) \d{4}(?:-\d{4})? )(.+)$/m;
// Only the clone line and the `cd` after it: the README's other links (to n8n, to npm) are not copies.
const CLONE = /^git clone https:\/\/github\.com\/[^\s]*\ncd [^\n]*$/gm;
/** The clone command for the repository package.json names. */
const cloneCommand = (here) => `git clone ${here.url}.git\ncd ${here.repository.split('/')[1]}`;

/** "git+https://github.com/owner/name.git" -> "owner/name" (undefined when not GitHub). */
export function githubRepository(pkg) {
	const url = typeof pkg.repository === 'string' ? pkg.repository : pkg.repository?.url;
	const match = /github\.com[/:]([^/]+\/[^/.]+?)(\.git)?$/.exec(url ?? '');
	return match ? match[1] : undefined;
}

/** What package.json says: { repository: 'owner/name', url: 'https://github.com/owner/name', author: { name, email } }. */
export function location(pkg) {
	const repository = githubRepository(pkg);
	if (!repository) throw new Error('package.json repository.url does not name a GitHub repository');
	const author = typeof pkg.author === 'string' ? { name: pkg.author.replace(/\s*[<(].*$/, '') } : { ...pkg.author };
	return { repository, url: `https://github.com/${repository}`, author };
}

const read = (root, file) => fs.readFileSync(path.join(root, file), 'utf8');
const readPackage = (root) => JSON.parse(read(root, 'package.json'));

/** Every copy that says something else than package.json: ['file: says X, package.json says Y']. */
export function disagreements(root = ROOT) {
	const pkg = readPackage(root);
	const here = location(pkg);
	const found = [];
	if (pkg.homepage !== `${here.url}#readme`) found.push(`package.json: homepage is ${pkg.homepage ?? '(none)'}, repository.url says ${here.url}#readme`);
	for (const file of URL_COPIES) {
		const named = [...read(root, file).matchAll(GITHUB_URL)].map((m) => m[1]);
		if (named.length === 0) found.push(`${file}: names no repository`);
		for (const repository of new Set(named))
			if (repository !== here.repository) found.push(`${file}: says ${repository}, package.json says ${here.repository}`);
	}
	const clones = read(root, CLONE_COPY).match(CLONE) ?? [];
	if (clones.length === 0) found.push(`${CLONE_COPY}: has no "git clone https://github.com/<owner>/<name>.git" line followed by "cd <name>"`);
	for (const clone of new Set(clones))
		if (clone !== cloneCommand(here)) found.push(`${CLONE_COPY}: says "${clone.replace('\n', '; ')}", package.json says "${cloneCommand(here).replace('\n', '; ')}"`);
	const holder = COPYRIGHT.exec(read(root, HOLDER_COPY))?.[2];
	if (holder !== here.author.name) found.push(`${HOLDER_COPY}: copyright holder is ${holder ?? '(none)'}, package.json author is ${here.author.name}`);
	return found;
}

/** Rewrite every copy from package.json; returns the files changed. */
export function sync(root = ROOT) {
	const here = location(readPackage(root));
	const changed = [];
	const rewrite = (file, next) => {
		const before = read(root, file);
		const after = next(before);
		if (after !== before) {
			fs.writeFileSync(path.join(root, file), after);
			changed.push(file);
		}
	};
	rewrite('package.json', (text) => {
		const pkg = JSON.parse(text);
		if (pkg.homepage === `${here.url}#readme`) return text;
		return text.includes('"homepage":') ? text.replace(/("homepage":\s*)"[^"]*"/, `$1"${here.url}#readme"`) : text.replace(/("license":\s*"[^"]*",\n)/, `$1  "homepage": "${here.url}#readme",\n`);
	});
	for (const file of URL_COPIES) rewrite(file, (text) => text.replace(GITHUB_URL, here.url));
	rewrite(CLONE_COPY, (text) => text.replace(CLONE, () => cloneCommand(here)));
	rewrite(HOLDER_COPY, (text) => text.replace(COPYRIGHT, `$1${here.author.name}`));
	return changed;
}

function main(args) {
	if (args.includes('--write')) {
		const changed = sync();
		console.log(changed.length ? `rewrote ${changed.join(', ')}` : 'every copy already agrees with package.json');
		return 0;
	}
	if (args.includes('--check')) {
		const found = disagreements();
		for (const line of found) console.log(line);
		if (found.length) console.log('Run `node scripts/project.mjs --write` to rewrite them from package.json.');
		return found.length ? 1 : 0;
	}
	console.log(JSON.stringify(location(readPackage(ROOT))));
	return 0;
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) process.exitCode = main(process.argv.slice(2));
