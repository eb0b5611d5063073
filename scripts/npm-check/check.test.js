// `node --test scripts/`: what the npm check says for each Node and npm (.ci/run also runs
// `npm ci` with a real npm 10.8 and 10.9 in a scratch copy: scripts/stock-npm.sh).
'use strict';
const assert = require('node:assert/strict');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { describe, it } = require('node:test');

const { npmVersion, verdict } = require('./check.js');

const UPGRADE = 'run `npm install --global npm@11.19.1`';

describe('scripts/npm-check', () => {
	it('passes Node 20.17+, 22.9+ and 24 with npm 11.16 or later', () => {
		for (const node of ['20.17.0', '20.20.2', '22.9.0', '22.21.1', '24.0.0', '25.1.0'])
			for (const npm of ['11.16.0', '11.19.1', '12.0.0']) assert.equal(verdict({ node, npm }), null, `${node} / ${npm}`);
	});

	it('stops an npm that ignores allowScripts with one line naming the npm to install', () => {
		for (const npm of ['10.8.2', '10.9.4', '11.6.2', '11.15.0']) {
			const line = verdict({ node: '20.20.2', npm });
			assert.equal(line.split('\n').length, 1);
			assert.equal(line, `n8n-nodes-fansly needs npm 11.16 or later (this is npm ${npm}, which runs install scripts that fail here): ${UPGRADE}, then your command again.`);
		}
		assert.match(verdict({ node: '22.12.0', npm: undefined }), /this is npm unknown/);
	});

	it('stops a Node that npm 11.19.1 does not run on, saying so first', () => {
		for (const node of ['18.20.4', '20.15.0', '20.16.0', '21.7.3', '22.8.0']) {
			const line = verdict({ node, npm: '10.8.2' });
			assert.equal(line, `n8n-nodes-fansly needs Node.js ^20.17.0 or >=22.9.0 (this is Node.js ${node}): install Node.js 22 or 24, then ${UPGRADE} and your command again.`);
		}
	});

	it('reads the npm that runs it from npm_execpath, not from an inherited user agent', () => {
		const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'npm-check-'));
		try {
			fs.mkdirSync(path.join(dir, 'bin'));
			fs.writeFileSync(path.join(dir, 'package.json'), JSON.stringify({ name: 'npm', version: '10.8.2' }));
			const env = { npm_execpath: path.join(dir, 'bin', 'npm-cli.js'), npm_config_user_agent: 'npm/11.19.1 node/v20.20.2 linux x64' };
			assert.equal(npmVersion(env), '10.8.2');
			assert.equal(npmVersion({ npm_config_user_agent: 'npm/10.9.4 node/v22.12.0 linux x64' }), '10.9.4');
		} finally {
			fs.rmSync(dir, { recursive: true, force: true });
		}
	});
});
