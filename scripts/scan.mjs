#!/usr/bin/env node
// The local n8n verification scan: packs the package as npm would publish it, unpacks the
// tarball, and runs @n8n/scan-community-package's analyzePackage on both the source folder and
// the unpacked tarball. The scanner lives in the git-ignored .tools/scanner folder (installed
// on first use, pinned), never in the package's own dependencies.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const SCANNER_VERSION = '0.32.0';
const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const toolsDir = path.join(root, '.tools', 'scanner');
const scannerPkg = path.join(toolsDir, 'node_modules', '@n8n', 'scan-community-package');

function run(cmd, args, options = {}) {
	return execFileSync(cmd, args, { stdio: ['ignore', 'pipe', 'inherit'], encoding: 'utf8', ...options });
}

function ensureScanner() {
	const installed = path.join(scannerPkg, 'package.json');
	if (fs.existsSync(installed) && JSON.parse(fs.readFileSync(installed, 'utf8')).version === SCANNER_VERSION) return;
	fs.mkdirSync(toolsDir, { recursive: true });
	fs.writeFileSync(path.join(toolsDir, 'package.json'), JSON.stringify({ name: 'scanner-tools', private: true }, null, 2));
	console.log(`Installing @n8n/scan-community-package@${SCANNER_VERSION} into .tools/scanner ...`);
	// npm's default peer handling (not the project's legacy-peer-deps), no install scripts.
	run('npm', ['install', '--ignore-scripts', '--no-audit', '--no-fund', '--no-save', `@n8n/scan-community-package@${SCANNER_VERSION}`], { cwd: toolsDir });
}

async function main() {
	ensureScanner();
	const { analyzePackage, SOURCE_FILE_PATTERNS } = await import(
		pathToFileURL(path.join(scannerPkg, 'scanner', 'scanner.mjs')).href
	);

	if (!fs.existsSync(path.join(root, 'dist', 'nodes', 'Fansly', 'Fansly.node.js'))) {
		run('npm', ['run', 'build'], { cwd: root, stdio: 'inherit' });
	}
	const work = fs.mkdtempSync(path.join(os.tmpdir(), 'fansly-scan-'));
	try {
		const packed = JSON.parse(run('npm', ['pack', '--json', '--pack-destination', work], { cwd: root }));
		const tarball = path.join(work, packed[0].filename);
		const unpacked = path.join(work, 'package');
		fs.mkdirSync(unpacked);
		run('tar', ['-xzf', tarball, '-C', unpacked, '--strip-components=1']);

		const checks = [
			['source', root, SOURCE_FILE_PATTERNS],
			[`tarball ${packed[0].filename}`, unpacked, ['**/*.js', 'package.json']],
		];
		let failed = false;
		for (const [label, dir, patterns] of checks) {
			const result = await analyzePackage(dir, patterns);
			if (result.passed) {
				console.log(`scan ${label}: passed`);
			} else {
				failed = true;
				console.log(`scan ${label}: FAILED (${result.message})`);
				if (result.details) console.log(result.details);
			}
		}
		if (failed) process.exitCode = 1;
	} finally {
		fs.rmSync(work, { recursive: true, force: true });
	}
}

main().catch((error) => {
	console.error(error);
	process.exitCode = 1;
});
