#!/usr/bin/env node
// prepublishOnly guard: npm runs this before every `npm publish` from this folder (the project's
// .npmrc does not set ignore-scripts, so it really runs). It lets a publish through only from
// this repository's publish workflow on a version tag, started by `npm run release` (n8n-node
// release), with an OIDC token available for the provenance statement. Anywhere else (a laptop,
// another workflow, a fork, a branch) it refuses with the way to release instead.
//
// Environment variables can be set by hand, so this stops mistakes, not an attacker; what makes a
// release trustworthy is the provenance statement, which only GitHub's OIDC issuer can sign
// (package.json publishConfig.provenance makes npm refuse a real publish without it).
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

import { githubRepository } from './project.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const WORKFLOW = '.github/workflows/publish.yml';

/** The reasons this environment may not publish; an empty list means it may. */
export function refusals(env, pkg) {
	const reasons = [];
	const repo = githubRepository(pkg);
	const tags = [pkg.version, `v${pkg.version}`];

	if (env.GITHUB_ACTIONS !== 'true') {
		reasons.push('not running in GitHub Actions (GITHUB_ACTIONS is not "true")');
		return reasons;
	}
	if (!repo) reasons.push('package.json repository.url does not name a GitHub repository');
	if (env.GITHUB_REPOSITORY !== repo) {
		reasons.push(`repository is ${env.GITHUB_REPOSITORY ?? '(unset)'}, not ${repo}`);
	}
	if (env.GITHUB_REF_TYPE !== 'tag' || !tags.some((tag) => env.GITHUB_REF === `refs/tags/${tag}`)) {
		reasons.push(`ref is ${env.GITHUB_REF ?? '(unset)'}, not the tag of version ${pkg.version} (refs/tags/${tags.join(' or refs/tags/')})`);
	}
	const workflowRefs = tags.map((tag) => `${repo}/${WORKFLOW}@refs/tags/${tag}`);
	if (!workflowRefs.includes(env.GITHUB_WORKFLOW_REF ?? '')) {
		reasons.push(`workflow is ${env.GITHUB_WORKFLOW_REF ?? '(unset)'}, not ${repo}/${WORKFLOW} on that tag`);
	}
	if (!env.ACTIONS_ID_TOKEN_REQUEST_URL || !env.ACTIONS_ID_TOKEN_REQUEST_TOKEN) {
		reasons.push('no OIDC token for the provenance statement (the job needs permissions: id-token: write)');
	}
	if (env.RELEASE_MODE !== 'true') {
		reasons.push('not started by `npm run release` (n8n-node release sets RELEASE_MODE)');
	}
	// n8n-node release publishes with NPM_CONFIG_PROVENANCE=true; a --provenance=false on the
	// command line then reaches this script as an empty npm_config_provenance.
	if (env.NPM_CONFIG_PROVENANCE !== 'true') {
		reasons.push('NPM_CONFIG_PROVENANCE is not "true" (n8n-node release sets it in GitHub Actions)');
	}
	if (env.npm_config_provenance === '' || env.npm_config_provenance === 'false') {
		reasons.push('provenance is switched off (--provenance=false)');
	}
	return reasons;
}

function main() {
	const pkg = JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8'));
	const reasons = refusals(process.env, pkg);
	if (reasons.length === 0) {
		console.log(`publish-guard: publishing ${pkg.name}@${pkg.version} from ${process.env.GITHUB_WORKFLOW_REF}`);
		return;
	}
	console.error(
		[
			`publish-guard: refusing to publish ${pkg.name}@${pkg.version}.`,
			...reasons.map((reason) => `  - ${reason}`),
			'n8n verifies only community nodes published from GitHub Actions with an npm provenance statement.',
			'To release: run `npm run release` on main (bumps the version, tags and pushes); the tag starts',
			`${WORKFLOW}, which tests, builds and publishes with provenance.`,
		].join('\n'),
	);
	process.exitCode = 1;
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) main();
