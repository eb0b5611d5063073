#!/usr/bin/env node
// `npm run screenshots`: the real n8n editor in headless Chromium (Debian's /usr/bin/chromium,
// driven by playwright-core; no browser download), against the demo stack (dev/stack.mjs:
// n8n 2.41.1 + this package + the provider stand-in). Logs in through the sign-in form, opens
// the example workflows, runs the batch, opens the Fansly node for each provider and both
// credentials, checks that they render (fails otherwise) and saves PNGs to docs/.
//
//   npm run screenshots [-- --no-build] [-- --out docs] [-- --keep] [-- --verbose]
//
// Checks: the Fansly node is on the canvas with its icon loaded; the batch runs from the editor
// (3 items out of the Fansly node); the parameter panel shows Credential, Resource, Operation,
// Account, Tracking Link, Update Fields, Options; the account picker's list mode shows the
// stand-in's accounts (Fans API, and API Fansly after switching the credential); the node
// creator offers the Fansly node's six actions; a new node from it, for each provider: the
// Operation list is that provider's own (API Fansly: Delete, Update; Fans API: all six), and the
// Tracking Link field appears once an account is chosen, in By ID (API Fansly) or From List
// (Fans API, with the account's links); the credential forms show their fields and "Connection
// tested successfully". The browser may only reach 127.0.0.1: every other request is aborted
// and counted (the node creator's look-up of the package on the npm registry is reported). On a
// failure, a picture of the page is saved in the system's temporary folder.

import fs from 'node:fs';
import fsp from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';

import * as n8n from './n8n/lib.mjs';
import { CREDENTIALS, startStack } from './stack.mjs';

const { values: args } = parseArgs({
	options: {
		'no-build': { type: 'boolean', default: false },
		out: { type: 'string', default: 'docs' },
		keep: { type: 'boolean', default: false },
		verbose: { type: 'boolean', default: false },
	},
	strict: true,
});

const OUT = path.resolve(n8n.PROJECT_DIR, args.out);
const CHROMIUM = '/usr/bin/chromium';
const VIEWPORT = { width: 1400, height: 900 };
const TIMEOUT = 30_000;

// Ctrl-C: the lib's handler (installed with the first process it starts) stops everything and
// exits; before that, this one does. Either way the error path below only reports it.
let interrupted = false;
for (const sig of ['SIGINT', 'SIGTERM']) {
	process.on(sig, async () => {
		interrupted = true;
		if (process.listenerCount(sig) === 1) {
			await n8n.stopAll();
			process.exit(130);
		}
	});
}

const t0 = Date.now();
const say = (m) => console.log(`[screenshots ${((Date.now() - t0) / 1000).toFixed(1).padStart(5)}s] ${m}`);
const log = (l) => (args.verbose || /^\[(runtime|apt|pkg)\]/.test(l) ? say(l) : undefined);
const checks = [];
function check(name, ok, detail = '') {
	checks.push({ name, ok });
	say(`${ok ? 'PASS' : 'FAIL'} ${name}${detail ? `: ${detail}` : ''}`);
	if (!ok) throw new Error(`check failed: ${name}${detail ? `: ${detail}` : ''}`);
}
const saved = [];
/** The browser page, for a picture of where a failing run stopped. */
let failurePage;
const FAILURE_PNG = path.join(os.tmpdir(), 'fansly-screenshots-failure.png');

async function main() {
	await n8n.ensureApt(['chromium'], { log: say });
	const { chromium } = await import('playwright-core');

	say('starting the demo stack (n8n + package + stand-in)');
	const stack = await startStack({ build: !args['no-build'], prefix: 'shots', keep: args.keep, log, n8nLog: args.verbose ? say : () => {} });
	const base = stack.url;
	say(`n8n at ${base}`);

	const userDataDir = await fsp.mkdtemp(path.join(os.tmpdir(), 'fansly-chromium-'));
	const removeProfile = n8n.onStop(() => fsp.rm(userDataDir, { recursive: true, force: true })); // if the launch fails
	const context = await chromium.launchPersistentContext(userDataDir, {
		executablePath: CHROMIUM,
		headless: true,
		viewport: VIEWPORT,
		deviceScaleFactor: 1,
		// cleanup is ours (the lib's stopAll on Ctrl-C), not playwright's own signal handlers
		handleSIGINT: false,
		handleSIGTERM: false,
		handleSIGHUP: false,
		args: [
			'--headless',
			'--no-sandbox',
			'--disable-gpu',
			'--disable-quic',
			'--no-first-run',
			'--disable-background-networking',
			'--disable-component-update',
			'--disable-sync',
		],
	});
	// Chromium first, then its profile (stopAll runs these after n8n has stopped)
	removeProfile();
	n8n.onStop(async () => {
		await context.close().catch(() => {});
		await fsp.rm(userDataDir, { recursive: true, force: true });
	});
	const blocked = [];
	await context.route('**/*', (route) => {
		const url = route.request().url();
		if (/^(https?|wss?):\/\/127\.0\.0\.1(:\d+)?\//.test(url) || /^(data|blob):/.test(url)) return route.continue();
		blocked.push(url);
		return route.abort();
	});
	const page = context.pages()[0] ?? (await context.newPage());
	page.setDefaultTimeout(TIMEOUT);
	failurePage = page;
	page.on('dialog', (d) => d.accept()); // "leave the page?" after trying the provider switch

	const shot = async (name, target = page) => {
		// no toasts ("Workflow executed successfully") over the picture
		for (const close of await page.locator('.el-notification__closeBtn').all()) await close.click().catch(() => {});
		await page.locator('.el-notification').first().waitFor({ state: 'hidden', timeout: 3000 }).catch(() => {});
		const file = path.join(OUT, name);
		await target.screenshot({ path: file });
		saved.push(file);
		say(`saved ${path.relative(n8n.PROJECT_DIR, file)} (${(fs.statSync(file).size / 1024).toFixed(0)} KiB)`);
	};
	const canvasNode = (name) => page.locator(`[data-test-id="canvas-node"][data-node-name="${name}"]`);
	const openWorkflow = async (id) => {
		await page.goto(`${base}/workflow/${id}`);
		await page.locator('[data-test-id="canvas-node"]').first().waitFor();
		await page.waitForTimeout(800); // canvas fit-view animation
	};
	const closeNdv = async () => {
		await page.locator('[data-test-id="ndv-close-button"]').click();
		await page.locator('[data-test-id="ndv"]').waitFor({ state: 'hidden' });
	};
	const openNdv = async (name) => {
		await canvasNode(name).dblclick();
		const ndv = page.locator('[data-test-id="ndv"]');
		await ndv.waitFor();
		await page.waitForTimeout(500);
		return ndv;
	};
	/** The parameter labels of the open panel, and the given inputs' texts. */
	const checkPanel = async (ndv, provider) => {
		const labels = (await ndv.locator('[data-test-id="node-parameters"] label').allInnerTexts()).map((t) => t.trim().split('\n')[0]);
		const want = ['Credential', 'Resource', 'Operation', 'Account', 'Tracking Link', 'Update Fields', 'Description', 'Label', 'Options'];
		const missing = want.filter((w) => !labels.some((l) => l.startsWith(w)));
		check(`${provider}: the parameter panel shows ${want.join(', ')}`, missing.length === 0, missing.length ? `missing ${missing.join(', ')} (have ${labels.join(', ')})` : '');
		const cred = (await ndv.locator('[data-test-id="node-credentials-select"] input').inputValue().catch(() => '')) || (await ndv.locator('[data-test-id="node-credentials-select"]').innerText());
		check(`${provider}: credential "${CREDENTIALS[provider].name}" selected`, cred.includes(CREDENTIALS[provider].name), cred);
		const resource = await ndv.locator('[data-test-id="parameter-input-resource"] input').inputValue();
		const operation = await ndv.locator('[data-test-id="parameter-input-operation"] input').inputValue();
		check(`${provider}: Resource "Tracking Link", Operation "Update"`, resource === 'Tracking Link' && operation === 'Update', `${resource} / ${operation}`);
		const icon = await ndv.locator('img[src*="/icons/n8n-nodes-fansly/"]').first().evaluate((img) => img.naturalWidth).catch(() => 0);
		check(`${provider}: the panel header shows the node icon`, icon > 0);
	};
	/** Opens the account picker (list mode) and returns the listed names. */
	const accountList = async (ndv) => {
		const rl = ndv.locator('[data-test-id="resource-locator-account"]');
		await rl.locator('[data-test-id="rlc-input"]').click();
		return await listedItems();
	};
	/** The open picker's items, once the list has stopped growing (a loaded machine renders slowly). */
	const listedItems = async () => {
		const items = page.locator('[data-test-id="rlc-item"]');
		await items.first().waitFor();
		// unchanged for three looks in a row (1.2 s), or 10 s at most
		let count = await items.count();
		for (let same = 0, i = 0; same < 3 && i < 25; i++) {
			await page.waitForTimeout(400);
			const now = await items.count();
			same = now === count ? same + 1 : 0;
			count = now;
		}
		return (await items.allInnerTexts()).map((t) => t.trim());
	};

	// --- sign in --------------------------------------------------------------------------------
	await page.goto(`${base}/signin`);
	await page.fill('input[name="emailOrLdapLoginId"]', n8n.OWNER.email);
	await page.fill('input[name="password"]', n8n.OWNER.password);
	await page.click('[data-test-id="form-submit-button"]');
	await page.waitForURL((u) => !u.pathname.startsWith('/signin'));
	check('signed in through the editor form', true, new URL(page.url()).pathname);
	await fsp.mkdir(OUT, { recursive: true });

	// --- batch workflow: canvas, run, Fans API panel and picker ----------------------------------
	await openWorkflow(stack.workflows.batch);
	const fansly = canvasNode('Update tracking link');
	check('batch: the Fansly node is on the canvas', (await fansly.count()) === 1 && (await fansly.getAttribute('data-node-type')) === n8n.NODE_TYPE);
	const iconWidth = await fansly.locator('img').first().evaluate((img) => (img.complete ? img.naturalWidth : 0));
	const iconSrc = await fansly.locator('img').first().getAttribute('src');
	check('batch: the Fansly node icon loaded', iconWidth > 0 && iconSrc.includes('/icons/n8n-nodes-fansly/dist/icons/fansly'), iconSrc);
	await page.locator('[data-test-id="execute-workflow-button"]').click();
	await fansly.locator('[data-test-id="canvas-node-status-success"]').waitFor();
	await canvasNode('Summary of changes').locator('[data-test-id="canvas-node-status-success"]').waitFor();
	// edge labels: "3 items" into and out of the Fansly node
	const threeItems = page.getByText('3 items', { exact: true });
	await threeItems.nth(1).waitFor().catch(() => {});
	check('batch: runs from the editor, 3 items out of the Fansly node', (await threeItems.count()) === 2, `${await threeItems.count()} edge label(s) "3 items"`);
	await page.mouse.move(5, VIEWPORT.height - 5);
	await shot('workflow-batch.png');

	let ndv = await openNdv('Update tracking link');
	await checkPanel(ndv, 'fansApi');
	const outputItems = await ndv.locator('[data-test-id="output-panel"]').innerText();
	check('fansApi: the output panel shows the 3 updated links', /3 items/.test(outputItems) && outputItems.includes('Reddit pinned post'), outputItems.slice(0, 120).replace(/\s+/g, ' '));
	const fansApiAccounts = await accountList(ndv);
	check('fansApi: the account picker lists the stand-in accounts', JSON.stringify(fansApiAccounts) === JSON.stringify(['Demo Creator (@democreator)', 'Second Creator (@secondcreator)']), fansApiAccounts.join(', '));
	await shot('node-fansapi.png');
	await page.keyboard.press('Escape');

	// the provider follows the credential: pick the API Fansly one, the picker asks API Fansly
	await ndv.locator('[data-test-id="node-credentials-select"]').click();
	await page.getByRole('option', { name: new RegExp(`^${CREDENTIALS.apiFansly.name.replace(/[()]/g, '\\$&')}`) }).click();
	await page.waitForTimeout(500);
	const apiFanslyAccounts = await accountList(ndv);
	check('apiFansly: after switching the credential, the account picker lists the API Fansly account', JSON.stringify(apiFanslyAccounts) === JSON.stringify(['Demo Creator']), apiFanslyAccounts.join(', '));
	await page.keyboard.press('Escape');
	await closeNdv();

	// --- webhook workflow: canvas, API Fansly panel ---------------------------------------------
	await openWorkflow(stack.workflows.webhook); // discards the unsaved credential switch above
	// n8n opens its "Production Checklist" popover on published workflows
	await page.locator('[data-test-id="suggested-actions-close"]').click({ timeout: 3000 }).catch(() => {});
	const webhookNodes = await page.locator('[data-test-id="canvas-node"]').evaluateAll((els) => els.map((e) => e.getAttribute('data-node-type')));
	check('webhook: both Fansly nodes are on the canvas', webhookNodes.filter((t) => t === n8n.NODE_TYPE).length === 2, webhookNodes.join(', '));
	await page.mouse.move(5, VIEWPORT.height - 5);
	await shot('workflow-webhook.png');
	ndv = await openNdv('Update on API Fansly');
	await checkPanel(ndv, 'apiFansly');
	const accountExpr = await ndv.locator('[data-test-id="resource-locator-account"]').innerText();
	check('apiFansly: the account is mapped from the webhook body', accountExpr.includes('$json.body.accountId'), accountExpr.replace(/\s+/g, ' '));
	await shot('node-apifansly.png');
	await closeNdv();

	// --- new Fansly nodes, added from the node creator: one for each provider ------------------
	// Each provider's Operation list and the Tracking Link field's starting mode, as a user meets
	// them: the node creator adds the node with the editor's own defaults, the provider follows
	// the credential, and the Tracking Link field appears once an account is chosen.
	await page.goto(`${base}/home/workflows`);
	await openWorkflow(stack.workflows.batch);
	const creator = page.locator('[data-test-id="node-creator"]');
	// An action only Fans API offers says so in its name.
	const nodeActions = ['Create tracking link (Fans API)', 'Delete tracking link', 'Get tracking link (Fans API)', 'Get many tracking links (Fans API)', 'Get tracking link statistics (Fans API)', 'Update tracking link'];
	/** Node creator → Fansly → "Update tracking link"; returns the new node's open panel. */
	const addFanslyNode = async (first) => {
		await page.locator('[data-test-id="node-creator-plus-button"]').click();
		await page.locator('[data-test-id="node-creator-search-bar"]').fill('Fansly');
		await creator.getByText('Fansly', { exact: true }).first().click();
		await creator.getByText('Update tracking link', { exact: true }).waitFor();
		if (first) {
			const listed = [];
			for (const a of nodeActions) if ((await creator.getByText(a, { exact: true }).count()) === 1) listed.push(a);
			check('node creator: the Fansly node offers its six actions, named without articles', listed.length === nodeActions.length, listed.join(', '));
			await page.waitForTimeout(300);
			await shot('node-creator.png', creator); // the panel only
		}
		await creator.getByText('Update tracking link', { exact: true }).click();
		const panel = page.locator('[data-test-id="ndv"]');
		await panel.waitFor();
		await page.waitForTimeout(800);
		return panel;
	};
	/** The open panel's Operation list (names only). */
	const operationList = async (panel) => {
		await panel.locator('[data-test-id="parameter-input-operation"]').click();
		const items = page.locator('.el-select-dropdown__item:visible');
		await items.first().waitFor();
		await page.waitForTimeout(300);
		return (await items.allInnerTexts()).map((t) => t.trim().split('\n')[0]);
	};
	const labelsOf = async (panel) =>
		(await panel.locator('[data-test-id="node-parameters"] label').allInnerTexts()).map((t) => t.trim().split('\n')[0]);
	const linkMode = async (panel) =>
		await panel.locator('[data-test-id="resource-locator-trackingLink"] [data-test-id="rlc-mode-selector"] input').inputValue();
	const chooseCredential = async (panel, provider) => {
		await panel.locator('[data-test-id="node-credentials-select"]').click();
		await page.getByRole('option', { name: new RegExp(`^${CREDENTIALS[provider].name.replace(/[()]/g, '\\$&')}`) }).click();
		await page.waitForTimeout(800);
		const cred = await panel.locator('[data-test-id="node-credentials-select"] input').inputValue().catch(() => '');
		check(`new ${provider} node: credential "${CREDENTIALS[provider].name}" chosen`, cred.includes(CREDENTIALS[provider].name), cred);
	};
	const pickFirstAccount = async (panel, provider) => {
		const accounts = await accountList(panel);
		check(`new ${provider} node: the account picker lists the stand-in accounts`, accounts.length > 0, accounts.join(', '));
		await page.locator('[data-test-id="rlc-item"]').first().click();
		await panel.locator('[data-test-id="resource-locator-trackingLink"]').waitFor();
		await page.waitForTimeout(500);
	};

	for (const [provider, operations, mode] of [
		['apiFansly', ['Delete', 'Update'], 'By ID'],
		['fansApi', ['Create', 'Delete', 'Get', 'Get Many', 'Get Stats', 'Update'], 'From List'],
	]) {
		ndv = await addFanslyNode(provider === 'apiFansly');
		await chooseCredential(ndv, provider);
		const operation = await ndv.locator('[data-test-id="parameter-input-operation"] input').inputValue();
		check(`new ${provider} node: Operation "Update"`, operation === 'Update', operation);
		const before = await labelsOf(ndv);
		check(`new ${provider} node: no Tracking Link field before an account is chosen`, before.includes('Account') && !before.some((l) => l.startsWith('Tracking Link')), before.join(', '));
		const ops = await operationList(ndv);
		check(`new ${provider} node: the Operation list is ${operations.join(', ')}`, JSON.stringify(ops) === JSON.stringify(operations), ops.join(', '));
		await shot(`operations-${provider.toLowerCase()}.png`);
		await page.keyboard.press('Escape');
		await page.waitForTimeout(300);
		await pickFirstAccount(ndv, provider);
		const shownMode = await linkMode(ndv);
		// (n8n's editor writes the list mode "From list")
		check(`new ${provider} node: the Tracking Link field appears in "${mode}"`, shownMode.toLowerCase() === mode.toLowerCase(), shownMode);
		if (provider === 'fansApi') {
			await ndv.locator('[data-test-id="resource-locator-trackingLink"] [data-test-id="rlc-input"]').click();
			const links = await listedItems();
			check('new fansApi node: the Tracking Link list shows the account\'s links', links.length > 0 && links.every((l) => / · \d+$/.test(l)), links.join(', '));
		}
		await page.mouse.move(5, VIEWPORT.height - 5);
		await shot(`tracking-link-${provider.toLowerCase()}.png`);
		if (provider === 'fansApi') await page.keyboard.press('Escape'); // the open list
		await page.waitForTimeout(300);
		if (await ndv.isVisible()) await closeNdv();
	}

	// --- credentials -------------------------------------------------------------------------------
	for (const [provider, fields] of [
		['fansApi', ['apiKey', 'baseUrl', 'customBaseUrl']],
		['apiFansly', ['apiKey', 'baseUrl']],
	]) {
		const cred = CREDENTIALS[provider];
		await page.goto(`${base}/home/credentials/${cred.id}`);
		const modal = page.locator('[data-test-id="editCredential-modal"]');
		await modal.waitFor();
		await modal.locator('[data-test-id="credentials-config-container-test-success"]').waitFor();
		const present = [];
		for (const f of fields) if (await modal.locator(`[data-test-id="parameter-input-${f}"]`).isVisible()) present.push(f);
		check(`${provider} credential: form shows ${fields.join(', ')}, connection tested successfully`, present.length === fields.length, present.join(', '));
		const name = await modal.locator('[data-test-id="credential-name"]').innerText();
		check(`${provider} credential: named "${cred.name}"`, name.includes(cred.name), name);
		await page.waitForTimeout(300);
		await shot(`credential-${provider.toLowerCase()}.png`, modal);
	}

	// The node creator's panel of an installed community package asks the npm registry for the
	// package's details (blocked here like everything else; the panel shows without them).
	const registry = blocked.filter((u) => u.startsWith('https://registry.npmjs.org/n8n-nodes-fansly'));
	if (registry.length) say(`blocked ${registry.length} look-up(s) of the package on registry.npmjs.org (node creator)`);
	const others = blocked.filter((u) => !registry.includes(u));
	check('the browser reached nothing but 127.0.0.1', others.length === 0, others.slice(0, 5).join(', '));
	return stack;
}

try {
	await main();
	say(`done: ${checks.length} checks passed, ${saved.length} PNGs in ${path.relative(n8n.PROJECT_DIR, OUT)}/`);
	await n8n.stopAll();
	process.exit(0);
} catch (e) {
	if (interrupted) console.error('\nInterrupted: stopping n8n, the stand-in and Chromium.');
	else {
		console.error(`\nscreenshots failed: ${e?.stack ?? e}`);
		if (failurePage) {
			await failurePage.screenshot({ path: FAILURE_PNG }).then(
				() => console.error(`The page where it stopped: ${FAILURE_PNG}`),
				() => {},
			);
		}
	}
	await n8n.stopAll();
	process.exit(interrupted ? 130 : 1);
}
