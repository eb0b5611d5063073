// This package's preinstall, during `npm ci` of the project. It matters on an npm that ignores
// the project's package.json "allowScripts" and "devEngines": npm 10.8 and older, the npm that
// Node 20 and Node 22.0-22.11 ship. Such an npm runs every dependency's install script, and some
// fail on any machine (isolated-vm's native build, eslint-plugin-n8n-nodes-base's
// `npx only-allow pnpm`): this script fails first (npm runs preinstall scripts before install
// scripts, in path order), with one line that says what to run. npm 10.9 to 11.15 never get here
// (devEngines stops them at once); npm 11.16 and later run it too (allowScripts cannot name a
// local package: npm compares it by absolute path) and it passes without a word.
'use strict';
const fs = require('node:fs');
const path = require('node:path');

const NPM = '11.19.1';

/** [major, minor, patch] of "x.y.z", or null. */
function parse(version) {
	const m = /^v?(\d+)\.(\d+)\.(\d+)/.exec(String(version ?? ''));
	return m ? m.slice(1, 4).map(Number) : null;
}

const atLeast = (v, min) => {
	for (let i = 0; i < 3; i++) if (v[i] !== min[i]) return v[i] > min[i];
	return true;
};

/** The npm running this script: the package.json next to npm_execpath, else the user agent. */
function npmVersion(env) {
	try {
		const pj = path.join(path.dirname(env.npm_execpath), '..', 'package.json');
		const { name, version } = JSON.parse(fs.readFileSync(pj, 'utf8'));
		if (name === 'npm') return version;
	} catch {
		/* fall back */
	}
	return /\bnpm\/(\d+\.\d+\.\d+)/.exec(env.npm_config_user_agent ?? '')?.[1];
}

/** The one line to print, or null when this Node and npm can install the project. */
function verdict({ node, npm }) {
	const n = parse(node);
	const nodeOk = n && ((n[0] === 20 && atLeast(n, [20, 17, 0])) || atLeast(n, [22, 9, 0]));
	if (!nodeOk)
		return `n8n-nodes-fansly needs Node.js ^20.17.0 or >=22.9.0 (this is Node.js ${node}): install Node.js 22 or 24, then run \`npm install --global npm@${NPM}\` and your command again.`;
	const v = parse(npm);
	if (v && atLeast(v, [11, 16, 0])) return null;
	return `n8n-nodes-fansly needs npm 11.16 or later (this is npm ${npm ?? 'unknown'}, which runs install scripts that fail here): run \`npm install --global npm@${NPM}\`, then your command again.`;
}

module.exports = { npmVersion, verdict };

if (require.main === module) {
	const line = verdict({ node: process.versions.node, npm: npmVersion(process.env) });
	if (line) {
		console.error(line);
		process.exit(1);
	}
}
