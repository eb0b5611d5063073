// node --test scripts/: package.json is the one place that says where the project lives; the
// copies that cannot read it are found when they disagree, and rewritten from it.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';

import { CLONE_COPY, disagreements, githubRepository, HOLDER_COPY, location, sync, URL_COPIES } from './project.mjs';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

/** A scratch copy of package.json and every copy. */
function scratch() {
	const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'fansly-project-'));
	for (const f of ['package.json', HOLDER_COPY, CLONE_COPY, ...URL_COPIES]) fs.cpSync(path.join(ROOT, f), path.join(dir, f), { recursive: true });
	return dir;
}

describe('scripts/project.mjs', () => {
	it('reads owner/name from every form of repository npm accepts', () => {
		for (const url of ['git+https://github.com/a/b.git', 'https://github.com/a/b', 'git@github.com:a/b.git', 'github.com/a/b'])
			assert.equal(githubRepository({ repository: { url } }), 'a/b', url);
		assert.equal(githubRepository({ repository: 'https://gitlab.com/a/b' }), undefined);
		assert.deepEqual(location({ repository: { url: 'git+https://github.com/a/b.git' }, author: 'Ann <ann@example.com>' }), {
			repository: 'a/b',
			url: 'https://github.com/a/b',
			author: { name: 'Ann' },
		});
	});

	it('the project as committed: every copy agrees with package.json', () => {
		assert.deepEqual(disagreements(ROOT), []);
	});

	it('changing package.json alone makes every copy disagree; --write puts them right', () => {
		const dir = scratch();
		try {
			const pj = JSON.parse(fs.readFileSync(path.join(dir, 'package.json'), 'utf8'));
			pj.repository.url = 'git+https://github.com/acme/n8n-nodes-fansly.git';
			pj.author = { name: 'Acme Ltd', email: 'oss@acme.example' };
			fs.writeFileSync(path.join(dir, 'package.json'), JSON.stringify(pj));
			const found = disagreements(dir);
			assert.deepEqual(found.map((l) => l.split(':')[0]).sort(), [CLONE_COPY, HOLDER_COPY, 'package.json', ...URL_COPIES].sort());
			assert.deepEqual(sync(dir).sort(), [CLONE_COPY, HOLDER_COPY, 'package.json', ...URL_COPIES].sort());
			assert.equal(JSON.parse(fs.readFileSync(path.join(dir, 'package.json'), 'utf8')).homepage, 'https://github.com/acme/n8n-nodes-fansly#readme');
			assert.deepEqual(disagreements(dir), []);
			assert.match(fs.readFileSync(path.join(dir, URL_COPIES[0]), 'utf8'), /"https:\/\/github\.com\/acme\/n8n-nodes-fansly#readme"/);
			assert.match(fs.readFileSync(path.join(dir, HOLDER_COPY), 'utf8'), /^Copyright \(c\) \d{4} Acme Ltd$/m);
			assert.match(fs.readFileSync(path.join(dir, CLONE_COPY), 'utf8'), /^git clone https:\/\/github\.com\/acme\/n8n-nodes-fansly\.git\ncd n8n-nodes-fansly$/m);
			assert.deepEqual(sync(dir), [], 'a second run changes nothing');
		} finally {
			fs.rmSync(dir, { recursive: true, force: true });
		}
	});

	it("the README's clone command: a renamed repository changes the folder it enters too; a README without one is reported", () => {
		const dir = scratch();
		try {
			const pj = JSON.parse(fs.readFileSync(path.join(dir, 'package.json'), 'utf8'));
			const before = fs.readFileSync(path.join(dir, CLONE_COPY), 'utf8');
			pj.repository.url = 'git+https://github.com/acme/fansly-nodes.git';
			fs.writeFileSync(path.join(dir, 'package.json'), JSON.stringify(pj));
			assert.ok(disagreements(dir).includes(`${CLONE_COPY}: says "git clone https://github.com/n8n-nodes-fansly/n8n-nodes-fansly.git; cd n8n-nodes-fansly", package.json says "git clone https://github.com/acme/fansly-nodes.git; cd fansly-nodes"`));
			sync(dir);
			const after = fs.readFileSync(path.join(dir, CLONE_COPY), 'utf8');
			assert.match(after, /^git clone https:\/\/github\.com\/acme\/fansly-nodes\.git\ncd fansly-nodes$/m);
			assert.equal(after.split('\n').length, before.split('\n').length, 'only those two lines change');
			fs.writeFileSync(path.join(dir, CLONE_COPY), after.replace(/^git clone .*\n/m, ''));
			assert.deepEqual(
				disagreements(dir).filter((l) => l.startsWith(CLONE_COPY)),
				[`${CLONE_COPY}: has no "git clone https://github.com/<owner>/<name>.git" line followed by "cd <name>"`],
			);
		} finally {
			fs.rmSync(dir, { recursive: true, force: true });
		}
	});
});
