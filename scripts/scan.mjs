#!/usr/bin/env node
// The local n8n verification scan: packs the package as npm would publish it (npm pack builds
// it first, from an empty dist/), unpacks the tarball, and runs @n8n/scan-community-package's
// analyzePackage on both the source folder and the unpacked tarball. The scanner lives in the
// git-ignored .tools/scanner folder (installed on first use, pinned), never in the package's own
// dependencies.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
// The scanner's exact dependency tree is pinned by a committed lockfile (a fresh resolution
// once pulled a TypeScript the scanner cannot run with).
const manifestDir = path.join(root, 'dev', 'scanner');
const toolsDir = path.join(root, '.tools', 'scanner');
const scannerPkg = path.join(toolsDir, 'node_modules', '@n8n', 'scan-community-package');
const marker = path.join(toolsDir, '.installed-lock.json');

function run(cmd, args, options = {}) {
	return execFileSync(cmd, args, { stdio: ['ignore', 'pipe', 'inherit'], encoding: 'utf8', ...options });
}

function ensureScanner() {
	const lock = fs.readFileSync(path.join(manifestDir, 'package-lock.json'), 'utf8');
	if (fs.existsSync(marker) && fs.readFileSync(marker, 'utf8') === lock && fs.existsSync(scannerPkg)) return;
	fs.rmSync(toolsDir, { recursive: true, force: true });
	fs.mkdirSync(toolsDir, { recursive: true });
	for (const file of ['package.json', 'package-lock.json']) {
		fs.copyFileSync(path.join(manifestDir, file), path.join(toolsDir, file));
	}
	console.log('Installing n8n\'s scanner (dev/scanner lockfile) into .tools/scanner ...');
	// npm's default peer handling (not the project's legacy-peer-deps), no install scripts.
	run('npm', ['ci', '--ignore-scripts', '--no-audit', '--no-fund'], { cwd: toolsDir });
	fs.writeFileSync(marker, lock);
}

async function main() {
	ensureScanner();
	const { analyzePackage, SOURCE_FILE_PATTERNS } = await import(
		pathToFileURL(path.join(scannerPkg, 'scanner', 'scanner.mjs')).href
	);

	const work = fs.mkdtempSync(path.join(os.tmpdir(), 'fansly-scan-'));
	try {
		// npm pack builds first (prepack), whose lines come before pack's JSON on stdout
		const out = run('npm', ['pack', '--json', '--pack-destination', work], { cwd: root });
		const packed = JSON.parse(out.slice(out.search(/^\[$/m)));
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
