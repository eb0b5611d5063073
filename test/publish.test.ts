/* eslint-disable @n8n/community-nodes/no-restricted-imports, @n8n/community-nodes/no-restricted-globals, @n8n/community-nodes/no-dangerous-functions --
 * This test drives npm from the outside (publish, pack, build) in child processes and copies the
 * project to a temporary folder. These rules guard node code that runs inside n8n, not this. */
/**
 * Publishing: the prepublishOnly guard really runs on `npm publish` and refuses anything but the
 * release workflow; install scripts of dependencies stay off without switching off our own; and
 * the tarball is exactly the build of the source (`npm pack` builds first, from an empty dist/).
 * Everything that packs runs in a scratch copy, so that building there never empties the dist/
 * that other suites load.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

const root = path.resolve(__dirname, '..');
const pkg = JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8')) as {
	name: string;
	version: string;
	main?: string;
	files: string[];
	scripts: Record<string, string>;
	publishConfig?: Record<string, unknown>;
	allowScripts?: Record<string, boolean>;
};
/** owner/name, as scripts/project.mjs derives it from package.json (the one place that says it). */
const REPO = (JSON.parse(execFileSync(process.execPath, [path.join(root, 'scripts', 'project.mjs')], { encoding: 'utf8' })) as { repository: string }).repository;
// A registry nothing listens on: no test here can reach npmjs.org, whatever it does.
const DEAD = 'http://127.0.0.1:9/';

/** The environment of a laptop: jest's, without anything from CI, GitHub Actions or a parent npm. */
function laptopEnv(): NodeJS.ProcessEnv {
	const env: NodeJS.ProcessEnv = {};
	for (const [key, value] of Object.entries(process.env)) {
		if (/^(GITHUB_|ACTIONS_|RUNNER_|npm_|NPM_|NODE_AUTH_TOKEN$|RELEASE_MODE$|CI$)/i.test(key)) continue;
		env[key] = value;
	}
	return env;
}

/** What the publish job of .github/workflows/publish.yml sees when `npm run release` publishes. */
function releaseEnv(tag = pkg.version): NodeJS.ProcessEnv {
	return {
		...laptopEnv(),
		GITHUB_ACTIONS: 'true',
		GITHUB_REPOSITORY: REPO,
		GITHUB_REF: `refs/tags/${tag}`,
		GITHUB_REF_TYPE: 'tag',
		GITHUB_WORKFLOW_REF: `${REPO}/.github/workflows/publish.yml@refs/tags/${tag}`,
		// Present when the job has id-token: write. Unreachable here, so npm's OIDC exchange fails
		// quietly, as it does when trusted publishing is not configured.
		ACTIONS_ID_TOKEN_REQUEST_URL: `${DEAD}token`,
		ACTIONS_ID_TOKEN_REQUEST_TOKEN: 'test',
		RELEASE_MODE: 'true',
		NPM_CONFIG_PROVENANCE: 'true',
	};
}

function run(cmd: string, args: string[], options: { cwd?: string; env?: NodeJS.ProcessEnv } = {}) {
	const result = spawnSync(cmd, args, { cwd: options.cwd ?? root, env: options.env ?? laptopEnv(), encoding: 'utf8' });
	return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

/** A copy of what packing and publishing read, with the project's node_modules linked in. */
function scratchProject(): string {
	const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'fansly-build-'));
	for (const entry of ['nodes', 'credentials', 'icons', 'scripts', 'package.json', 'tsconfig.json', 'gulpfile.js', 'README.md', 'LICENSE.md', 'CHANGELOG.md', '.npmrc']) {
		fs.cpSync(path.join(root, entry), path.join(dir, entry), { recursive: true });
	}
	fs.symlinkSync(path.join(root, 'node_modules'), path.join(dir, 'node_modules'), 'dir');
	return dir;
}

let work: string;
beforeAll(() => {
	work = scratchProject();
});
afterAll(() => {
	fs.rmSync(work, { recursive: true, force: true });
});

/** `npm publish --dry-run` of the scratch copy; --force skips the registry's version look-up. */
const publishDryRun = (env: NodeJS.ProcessEnv, extra: string[] = []) =>
	run('npm', ['publish', '--dry-run', '--force', ...extra, `--registry=${DEAD}`, '--fetch-retries=0'], { cwd: work, env });

/** The file list of `npm pack --dry-run --json` (the prepack build prints its lines first). */
function packedFiles(cwd: string): string[] {
	const packed = run('npm', ['pack', '--dry-run', '--json', `--registry=${DEAD}`], { cwd });
	expect({ status: packed.status, stderr: packed.stderr }).toMatchObject({ status: 0 });
	const json = packed.stdout.slice(packed.stdout.search(/^\[$/m));
	return (JSON.parse(json) as Array<{ files: Array<{ path: string }> }>)[0].files.map((f) => f.path).sort();
}

/** The publish guard alone, as npm's prepublishOnly runs it. */
const guard = (env: NodeJS.ProcessEnv) => run(process.execPath, [path.join(root, 'scripts', 'publish-guard.mjs')], { env });

describe('npm configuration', () => {
	test('.npmrc leaves lifecycle scripts on, so our prepublishOnly runs', () => {
		const npmrc = fs.readFileSync(path.join(root, '.npmrc'), 'utf8');
		expect(npmrc).not.toMatch(/ignore-scripts/);
		expect(pkg.scripts.prepublishOnly).toBe('node scripts/publish-guard.mjs');
		expect(pkg.scripts.release).toBe('n8n-node release');
	});

	test("dependencies' install scripts are denied by package.json allowScripts, every one that has any", () => {
		const lock = JSON.parse(fs.readFileSync(path.join(root, 'package-lock.json'), 'utf8')) as {
			packages: Record<string, { hasInstallScript?: boolean; resolved?: string }>;
		};
		// Not the project's own npm check (scripts/npm-check, a local package): it is there to run.
		const withScripts = Object.entries(lock.packages)
			.filter(([, entry]) => entry.hasInstallScript && !entry.resolved?.startsWith('file:'))
			.map(([location]) => location.replace(/^.*node_modules\//, ''));
		expect(Object.keys(pkg.allowScripts ?? {}).sort()).toEqual([...new Set(withScripts)].sort());
		expect(Object.values(pkg.allowScripts ?? {}).every((allowed) => allowed === false)).toBe(true);
	});

	test('a real publish needs a provenance statement', () => {
		expect(pkg.publishConfig).toEqual({ provenance: true });
	});
});

describe('publish guard (prepublishOnly)', () => {
	test('a plain npm publish --dry-run outside the release workflow is refused before anything is packed', () => {
		const result = publishDryRun(laptopEnv());
		expect(result.status).not.toBe(0);
		expect(result.stdout).toContain('> node scripts/publish-guard.mjs');
		expect(result.stderr).toContain(
			[
				`publish-guard: refusing to publish ${pkg.name}@${pkg.version}.`,
				'  - not running in GitHub Actions (GITHUB_ACTIONS is not "true")',
				'n8n verifies only community nodes published from GitHub Actions with an npm provenance statement.',
			].join('\n'),
		);
		expect(result.stderr).not.toContain('Publishing to');
		expect(result.stderr).not.toContain('Tarball Contents');
	}, 60_000);

	test('the same command in the release workflow on the version tag goes through', () => {
		const result = publishDryRun(releaseEnv());
		// (stderr rides along so that a failure shows npm's output)
		expect({ status: result.status, stderr: result.stderr }).toMatchObject({ status: 0 });
		expect(result.stdout).toContain(
			`publish-guard: publishing ${pkg.name}@${pkg.version} from ${REPO}/.github/workflows/publish.yml@refs/tags/${pkg.version}`,
		);
		expect(result.stderr).toContain(`Publishing to ${DEAD} with tag latest and default access (dry-run)`);
		// what it would publish: the build that prepack has just made, CHANGELOG.md with it
		expect(result.stderr).toMatch(/dist\/nodes\/Fansly\/Fansly\.node\.js/);
		expect(result.stderr).toMatch(/CHANGELOG\.md/);
	}, 240_000);

	test('the release workflow with --provenance=false on the command line is refused', () => {
		const result = publishDryRun(releaseEnv(), ['--provenance=false']);
		expect(result.status).not.toBe(0);
		expect(result.stderr.split('\n').filter((line) => line.startsWith('  - '))).toEqual(['  - provenance is switched off (--provenance=false)']);
		expect(result.stderr).not.toContain('Publishing to');
	}, 60_000);

	test('a v-prefixed version tag is accepted too', () => {
		const result = guard(releaseEnv(`v${pkg.version}`));
		expect(result.status).toBe(0);
	});

	test.each([
		['a fork', { GITHUB_REPOSITORY: 'someone/n8n-nodes-fansly', GITHUB_WORKFLOW_REF: `someone/n8n-nodes-fansly/.github/workflows/publish.yml@refs/tags/${pkg.version}` },
			['  - repository is someone/n8n-nodes-fansly, not n8n-nodes-fansly/n8n-nodes-fansly', `  - workflow is someone/n8n-nodes-fansly/.github/workflows/publish.yml@refs/tags/${pkg.version}, not ${REPO}/.github/workflows/publish.yml on that tag`]],
		['a branch', { GITHUB_REF: 'refs/heads/main', GITHUB_REF_TYPE: 'branch', GITHUB_WORKFLOW_REF: `${REPO}/.github/workflows/publish.yml@refs/heads/main` },
			[`  - ref is refs/heads/main, not the tag of version ${pkg.version} (refs/tags/${pkg.version} or refs/tags/v${pkg.version})`, `  - workflow is ${REPO}/.github/workflows/publish.yml@refs/heads/main, not ${REPO}/.github/workflows/publish.yml on that tag`]],
		['the tag of another version', { GITHUB_REF: 'refs/tags/9.9.9', GITHUB_WORKFLOW_REF: `${REPO}/.github/workflows/publish.yml@refs/tags/9.9.9` },
			[`  - ref is refs/tags/9.9.9, not the tag of version ${pkg.version} (refs/tags/${pkg.version} or refs/tags/v${pkg.version})`, `  - workflow is ${REPO}/.github/workflows/publish.yml@refs/tags/9.9.9, not ${REPO}/.github/workflows/publish.yml on that tag`]],
		['the CI workflow', { GITHUB_WORKFLOW_REF: `${REPO}/.github/workflows/ci.yml@refs/tags/${pkg.version}` },
			[`  - workflow is ${REPO}/.github/workflows/ci.yml@refs/tags/${pkg.version}, not ${REPO}/.github/workflows/publish.yml on that tag`]],
		['a job without id-token: write', { ACTIONS_ID_TOKEN_REQUEST_URL: undefined, ACTIONS_ID_TOKEN_REQUEST_TOKEN: undefined },
			['  - no OIDC token for the provenance statement (the job needs permissions: id-token: write)']],
		['npm publish run directly, not npm run release', { RELEASE_MODE: undefined },
			['  - not started by `npm run release` (n8n-node release sets RELEASE_MODE)']],
		['a publish without NPM_CONFIG_PROVENANCE', { NPM_CONFIG_PROVENANCE: undefined },
			['  - NPM_CONFIG_PROVENANCE is not "true" (n8n-node release sets it in GitHub Actions)']],
	])('refuses %s, naming why', (_case, change, reasons) => {
		const env = { ...releaseEnv(), ...change } as NodeJS.ProcessEnv;
		for (const [key, value] of Object.entries(change)) if (value === undefined) delete env[key];
		const result = guard(env);
		expect(result.status).toBe(1);
		const listed = result.stderr.split('\n').filter((line) => line.startsWith('  - '));
		expect(listed).toEqual(reasons);
		expect(result.stdout).toBe('');
	});
});

describe('the tarball is exactly the build of the source', () => {
	/** Every file under `dir` of the source, relative and with forward slashes. */
	const sources = (dir: string, ext: RegExp): string[] =>
		fs
			.readdirSync(path.join(root, dir), { recursive: true, encoding: 'utf8' })
			.map((f) => f.split(path.sep).join('/'))
			.filter((f) => ext.test(f) && !f.endsWith('.d.ts'))
			.map((f) => `${dir}/${f}`);

	/** Derived from the source tree, not from dist/: one .js per TypeScript file of nodes/ and
	 * credentials/, the node's codex .json files, the icons, and the four package files. */
	const expected = () =>
		[
			...sources('nodes', /\.ts$/).map((f) => `dist/${f.replace(/\.ts$/, '.js')}`),
			...sources('credentials', /\.ts$/).map((f) => `dist/${f.replace(/\.ts$/, '.js')}`),
			...sources('nodes', /\.json$/).map((f) => `dist/${f}`),
			...sources('icons', /\.svg$/).map((f) => `dist/${f}`),
			'package.json',
			'README.md',
			'LICENSE.md',
			'CHANGELOG.md',
		].sort();

	test('npm pack in a checkout that was never built holds the build (prepack), not just the package files', () => {
		fs.rmSync(path.join(work, 'dist'), { recursive: true, force: true });
		expect(packedFiles(work)).toEqual(expected());
		expect(pkg.scripts.prepack).toBe('npm run build');
	}, 240_000);

	test('a stale file planted in dist/ is gone after npm pack, which lists exactly the built source', () => {
		const stale = ['dist/nodes/Fansly/stale.js', 'dist/credentials/Removed.credentials.js', 'dist/icons/old.svg', 'dist/nodes/Old/Old.node.json'];
		for (const file of stale) {
			fs.mkdirSync(path.dirname(path.join(work, file)), { recursive: true });
			fs.writeFileSync(path.join(work, file), '// left by another branch\n');
		}
		expect(packedFiles(work)).toEqual(expected());
		for (const file of stale) expect(fs.existsSync(path.join(work, file))).toBe(false);
	}, 240_000);

	test('package.json names no entry point that is not published (no "main": n8n loads the files under "n8n")', () => {
		expect(pkg.main).toBeUndefined();
	});
});
