/* eslint-disable @n8n/community-nodes/no-restricted-imports, @n8n/community-nodes/no-restricted-globals, @n8n/community-nodes/no-dangerous-functions --
 * This test checks the package from the outside, as npm and n8n see it: it has to read files
 * and run `npm pack`. These rules guard node code that runs inside n8n, which this is not. */
/**
 * The published package: its package.json contract, the files `npm pack` would publish, and
 * the built package loaded the way n8n loads community packages (n8n-core's
 * PackageDirectoryLoader).
 */
import { execFileSync, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

import { PackageDirectoryLoader } from 'n8n-core';
import type { INodeTypeDescription } from 'n8n-workflow';

const root = path.resolve(__dirname, '..');
const pkg = JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8')) as Record<string, unknown> & { version: string };

beforeAll(() => {
	// `npm test` builds first; build here too when the suite is run on its own.
	if (!fs.existsSync(path.join(root, 'dist', 'nodes', 'Fansly', 'Fansly.node.js'))) {
		execFileSync('npm', ['run', 'build'], { cwd: root, stdio: 'ignore' });
	}
}, 120_000);

describe('package.json', () => {
	test('is an n8n community package with no runtime dependencies', () => {
		expect(pkg.name).toBe('n8n-nodes-fansly');
		expect(pkg.license).toBe('MIT');
		expect(pkg.keywords).toContain('n8n-community-node-package');
		expect(pkg.dependencies).toBeUndefined();
		expect(pkg.overrides).toBeUndefined();
		expect(pkg.peerDependencies).toEqual({ 'n8n-workflow': '*' });
		// n8n gives the package its own n8n-workflow; npm must not install one (see the next describe)
		expect(pkg.peerDependenciesMeta).toEqual({ 'n8n-workflow': { optional: true } });
		expect(pkg.n8n).toEqual({
			n8nNodesApiVersion: 1,
			strict: true,
			credentials: ['dist/credentials/ApiFanslyApi.credentials.js', 'dist/credentials/FansApiApi.credentials.js'],
			nodes: ['dist/nodes/Fansly/Fansly.node.js', 'dist/nodes/Fansly/FanslyTrigger.node.js'],
		});
		const scripts = pkg.scripts as Record<string, string>;
		for (const name of ['preinstall', 'install', 'postinstall', 'prepare', 'prepublish']) {
			expect(scripts[name]).toBeUndefined();
		}
	});
});

describe('npm pack', () => {
	test('publishes only dist (nodes, credentials, icons, codex), package.json, README.md, LICENSE.md and CHANGELOG.md', () => {
		const out = execFileSync('npm', ['pack', '--dry-run', '--json', '--ignore-scripts'], { cwd: root, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] });
		const files = (JSON.parse(out) as Array<{ files: Array<{ path: string }> }>)[0].files.map((f) => f.path).sort();

		const built = (dir: string, ext: RegExp): string[] =>
			fs
				.readdirSync(path.join(root, dir), { recursive: true, encoding: 'utf8' })
				.filter((f) => ext.test(f) && !f.endsWith('.d.ts'))
				.map((f) => path.posix.join(dir, f.split(path.sep).join('/')));
		const expected = [
			...built('dist/nodes', /\.(js|json)$/),
			...built('dist/credentials', /\.js$/),
			...built('dist/icons', /\.svg$/),
			'package.json',
			'README.md',
			'LICENSE.md',
			'CHANGELOG.md',
		].sort();
		expect(files).toEqual(expected);
		for (const required of [
			'dist/nodes/Fansly/Fansly.node.js',
			'dist/nodes/Fansly/Fansly.node.json',
			'dist/nodes/Fansly/FanslyTrigger.node.js',
			'dist/nodes/Fansly/FanslyTrigger.node.json',
			'dist/credentials/ApiFanslyApi.credentials.js',
			'dist/credentials/FansApiApi.credentials.js',
			'dist/icons/fansly.svg',
			'dist/icons/fansly.dark.svg',
			'dist/icons/apiFansly.svg',
			'dist/icons/apiFansly.dark.svg',
			'dist/icons/fansApi.svg',
			'dist/icons/fansApi.dark.svg',
		]) {
			expect(files).toContain(required);
		}
		for (const file of files) {
			expect(file).not.toMatch(/(^|\/)(test|tests|fixtures|coverage|dev|scripts|examples|docs)\//);
			expect(file).not.toMatch(/\.(map|ts|tsbuildinfo|tgz)$/);
		}
	});
});

describe('npm install of the tarball, as n8n 1.85.3 installs from Settings (a plain `npm install`, no --legacy-peer-deps)', () => {
	test('installs the package alone: the optional peer n8n-workflow (and the isolated-vm it pulls) is not installed', () => {
		const work = fs.mkdtempSync(path.join(os.tmpdir(), 'fansly-peer-'));
		try {
			const packed = JSON.parse(
				execFileSync('npm', ['pack', '--json', '--ignore-scripts', '--pack-destination', work], { cwd: root, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }),
			) as Array<{ filename: string }>;
			const nodes = path.join(work, 'nodes');
			fs.mkdirSync(nodes);
			fs.writeFileSync(path.join(nodes, 'package.json'), '{"name":"installed-nodes","private":true}\n');
			// A fresh shell's npm: none of the project's configuration (its .npmrc sets legacy-peer-deps,
			// and `npm test` exports it), no user .npmrc, an empty cache, and a registry nothing listens
			// on: an npm that wanted n8n-workflow would fail here.
			const env: NodeJS.ProcessEnv = {};
			for (const [key, value] of Object.entries(process.env)) if (!/^npm_/i.test(key)) env[key] = value;
			Object.assign(env, { HOME: work, npm_config_cache: path.join(work, 'cache'), npm_config_update_notifier: 'false' });
			const install = spawnSync(
				'npm',
				['install', '--dry-run', '--no-audit', '--no-fund', '--fetch-retries=0', '--registry=http://127.0.0.1:9/', path.join(work, packed[0].filename)],
				{ cwd: nodes, env, encoding: 'utf8' },
			);
			expect({ status: install.status, stderr: install.stderr }).toMatchObject({ status: 0 });
			expect(install.stdout.split('\n').filter((line) => line.startsWith('add '))).toEqual([`add n8n-nodes-fansly ${pkg.version}`]);
			expect(install.stdout).toMatch(/^added 1 package\b/m);
		} finally {
			fs.rmSync(work, { recursive: true, force: true });
		}
	}, 120_000);
});

/** The built package as n8n's loader reads it. */
let loader: PackageDirectoryLoader;
beforeAll(async () => {
	loader = new PackageDirectoryLoader(root);
	await loader.loadAll();
});

describe('loaded the way n8n loads a community package', () => {

	test('registers the Fansly node, the Fansly Trigger and both credentials', () => {
		expect(Object.keys(loader.nodeTypes).sort()).toEqual(['fansly', 'fanslyTrigger']);
		expect(Object.keys(loader.credentialTypes).sort()).toEqual(['apiFanslyApi', 'fansApiApi']);
		const description = loader.nodeTypes.fansly.type.description as INodeTypeDescription;
		expect(description.displayName).toBe('Fansly');
		expect(description.usableAsTool).toBe(true);
		expect(description.credentials?.map((c) => c.name)).toEqual(['apiFanslyApi', 'fansApiApi']);
		const trigger = loader.nodeTypes.fanslyTrigger.type.description as INodeTypeDescription;
		expect(trigger.displayName).toBe('Fansly Trigger');
		expect(trigger.polling).toBe(true);
		expect(trigger.credentials?.map((c) => c.name)).toEqual(['fansApiApi']);
		// n8n's loader adds Poll Times to a polling node.
		expect(trigger.properties[0]).toMatchObject({ name: 'pollTimes', default: { item: [{ mode: 'everyMinute' }] } });
	});

	test('resolves every icon to a file in dist and reads the codex', () => {
		const node = loader.types.nodes.find((n) => n.name === 'fansly') as INodeTypeDescription;
		const trigger = loader.types.nodes.find((n) => n.name === 'fanslyTrigger') as INodeTypeDescription;
		const icons = [node.iconUrl, trigger.iconUrl, ...loader.types.credentials.map((c) => c.iconUrl)];
		expect(icons).toHaveLength(4);
		for (const icon of icons) {
			expect(icon).toEqual({ light: expect.any(String), dark: expect.any(String) });
			for (const url of Object.values(icon as Record<string, string>)) {
				const file = url.replace(/^icons\/n8n-nodes-fansly\//, '');
				expect(fs.existsSync(path.join(root, file))).toBe(true);
			}
		}
		for (const described of [node, trigger]) {
			expect(described.codex?.categories).toEqual(['Marketing & Content', 'Analytics']);
			// what people type to find it: the other provider names, the old brand, the domain words
			expect(described.codex?.alias).toEqual(['OnlyFans', 'Fans API', 'OnlyFansAPI', 'API Fansly', 'tracking link', 'attribution']);
		}
		expect(node.codex?.resources?.primaryDocumentation?.[0].url).toMatch(/^https:\/\/.*#readme$/);
		expect(trigger.codex?.resources?.primaryDocumentation?.[0].url).toMatch(/#fansly-trigger$/);
	});

	test('uses only the codex categories n8n documents for community nodes (its valid-node-categories lint rule)', () => {
		// https://docs.n8n.io/connect/create-nodes/build-your-node/reference/codex-files/#node-categories
		const documented = ['Data & Storage', 'Finance & Accounting', 'Marketing & Content', 'Productivity', 'Miscellaneous', 'Sales', 'Development', 'Analytics', 'Communication', 'Utility', 'AI'];
		for (const described of loader.types.nodes) {
			expect({ node: described.name, unknown: (described.codex?.categories ?? []).filter((c) => !documented.includes(c)) }).toEqual({ node: described.name, unknown: [] });
		}
	});
});

/** The anchors GitHub gives a document's headings ("## Fans API (OnlyFansAPI)" -> "fans-api-onlyfansapi"). */
function anchorsOf(file = 'README.md'): string[] {
	const text = fs.readFileSync(path.join(root, file), 'utf8');
	return [...text.matchAll(/^#{1,6} (.+)$/gm)].map((m) =>
		m[1]
			.trim()
			.toLowerCase()
			.replace(/[^\p{L}\p{N} _-]/gu, '')
			.replace(/ /g, '-'),
	);
}

/** A version as npm writes it: 1.2.3, or a prerelease such as 2.0.0-rc.1. */
const VERSION = String.raw`\d+\.\d+\.\d+(?:-[0-9A-Za-z-]+(?:\.[0-9A-Za-z-]+)*)?`;

describe('one version story', () => {
	test("every version the README and the CHANGELOG name for this package is package.json's", () => {
		const readme = fs.readFileSync(path.join(root, 'README.md'), 'utf8');
		const named = [
			...[...readme.matchAll(new RegExp(`n8n-nodes-fansly@(${VERSION})`, 'g'))].map((m) => m[1]),
			...[...readme.matchAll(new RegExp(`n8n-nodes-fansly-(${VERSION})\\.tgz`, 'g'))].map((m) => m[1]),
			...[...readme.matchAll(new RegExp(`"name":"n8n-nodes-fansly","version":"(${VERSION})"`, 'g'))].map((m) => m[1]),
		];
		expect(named.length).toBeGreaterThanOrEqual(4);
		expect([...new Set(named)]).toEqual([pkg.version]);
		// the newest version section of the CHANGELOG is package.json's (dated once released)
		const changelog = fs.readFileSync(path.join(root, 'CHANGELOG.md'), 'utf8');
		expect(new RegExp(`^## \\[(${VERSION})\\]`, 'm').exec(changelog)?.[1]).toBe(pkg.version);
	});

	test('what the tarball says (README.md, CHANGELOG.md, shown on npm) stays true once the version is published', () => {
		// The release commit is what publish.yml packs: nothing in it may still say it is unpublished.
		const unpublished = /not (?:been |yet )?published|nothing has been published|until it is (?:published|released)|(?:release|version) will be\b/i;
		for (const file of ['README.md', 'CHANGELOG.md']) {
			const text = fs.readFileSync(path.join(root, file), 'utf8');
			const found = text.split('\n').filter((line) => unpublished.test(line));
			expect({ file, found }).toEqual({ file, found: [] });
		}
	});

	test("the Node.js minimum the README and the CHANGELOG state is package.json's engines", () => {
		const engines = pkg.engines as { node: string };
		const minimum = /^>=(\d+(?:\.\d+)*)$/.exec(engines.node)?.[1];
		expect(minimum).toBe('20.3');
		for (const file of ['README.md', 'CHANGELOG.md']) {
			const text = fs.readFileSync(path.join(root, file), 'utf8');
			const stated = [...text.matchAll(/Node(?:\.js)? (\d+(?:\.\d+)*) or later/g)].map((m) => m[1]);
			expect({ file, stated: [...new Set(stated)] }).toEqual({ file, stated: [minimum] });
		}
	});
});

describe('where the project lives: package.json says it once', () => {
	test("every copy (homepage, codex and credential documentation URLs, the README's clone command, LICENSE holder) agrees with package.json", () => {
		const check = spawnSync(process.execPath, [path.join(root, 'scripts', 'project.mjs'), '--check'], { encoding: 'utf8' });
		expect({ status: check.status, output: check.stdout }).toEqual({ status: 0, output: '' });
		// npm derives bugs from repository when it publishes: no copy here
		expect(pkg.bugs).toBeUndefined();
	});

	test("the user's and the contributor's documents link only to headings and files that exist", () => {
		for (const file of ['README.md', 'CONTRIBUTING.md', 'SECURITY.md', 'CHANGELOG.md']) {
			const text = fs.readFileSync(path.join(root, file), 'utf8');
			for (const [, target] of text.matchAll(/\]\(([^)\s]+)\)/g)) {
				if (/^[a-z]+:/.test(target)) continue;
				const [relative, anchor] = target.split('#');
				const document = relative === '' ? file : relative;
				expect({ file, target, exists: fs.existsSync(path.join(root, document)) }).toEqual({ file, target, exists: true });
				if (anchor && document.endsWith('.md')) expect({ file, target, anchor: anchorsOf(document).includes(anchor) }).toEqual({ file, target, anchor: true });
			}
		}
	});

	test('every documentation link of the nodes and credentials points at a heading of the README', () => {
		const anchors = anchorsOf('README.md');
		const urls = [
			...loader.types.nodes.flatMap((n) => [
				...(n.codex?.resources?.primaryDocumentation ?? []),
				...(n.codex?.resources?.credentialDocumentation ?? []),
			]).map((r) => r.url),
			...loader.types.credentials.map((c) => c.documentationUrl as string),
		];
		expect(urls).toHaveLength(6);
		for (const url of urls) {
			const anchor = new URL(url).hash.slice(1);
			expect({ url, found: anchor === 'readme' || anchors.includes(anchor) }).toEqual({ url, found: true });
		}
	});
});
