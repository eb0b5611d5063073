#!/usr/bin/env node
// `npm run demo`: a real n8n 2.41.1 with this package installed as a community package,
// against the embedded provider stand-in (dev/standin). Installs the pinned n8n once (cached in
// .cache/), builds the package, imports credentials for both providers and the example
// workflows, runs one update through each provider, prints the normalised links, activates the
// Fansly Trigger example and shows the event its next poll reports after a change in the
// stand-in (up to a minute: n8n polls every minute at the shortest), then keeps n8n running
// for the editor until Ctrl-C, which stops everything it started.
//
//   npm run demo                      # keep running until Ctrl-C
//   npm run demo -- --once            # run, print, stop (tests, CI)
//   npm run demo -- --port 5690       # n8n on 127.0.0.1:5690 (default: a free port)
//   other flags: --no-build (use the existing dist/), --keep (keep the user folder), --verbose
//
// APIFANSLY_API_KEY / FANSAPI_API_KEY: point that provider's credential at the REAL provider
// (v1.apifansly.com / api.fansapi.com). The demo then only reads the account list there (one
// request, the picker) and sends no update: the example workflows use the stand-in's ids.
// Without these variables nothing here calls the internet.

import { parseArgs } from 'node:util';

import * as n8n from './n8n/lib.mjs';
import {
	CREDENTIALS,
	lastSeq,
	publicApi,
	REAL_BASE_URLS,
	requestsSince,
	SEED_IDS,
	startStack,
	WEBHOOK_PATH,
	WEBHOOK_SECRET,
} from './stack.mjs';

const USAGE = `Usage: npm run demo -- [--once] [--port N] [--no-build] [--keep] [--verbose]
  --once       run one update through each provider and the trigger example, print the results, stop everything
  --port N     n8n's port on 127.0.0.1 (default: a free port)
  --no-build   do not run \`npm run build\` (dist/ must exist)
  --keep       keep the n8n user folder ($TMPDIR/n8n-nodes-fansly-users/demo-*) after stopping
  --verbose    n8n's own log lines too
Environment: APIFANSLY_API_KEY, FANSAPI_API_KEY point that provider at the real API (read-only).`;

let args;
try {
	({ values: args } = parseArgs({
		options: {
			once: { type: 'boolean', default: false },
			port: { type: 'string' },
			'no-build': { type: 'boolean', default: false },
			keep: { type: 'boolean', default: false },
			verbose: { type: 'boolean', default: false },
			help: { type: 'boolean', default: false },
		},
		strict: true,
	}));
} catch (e) {
	console.error(`${e.message}\n${USAGE}`);
	process.exit(2);
}
if (args.help) {
	console.log(USAGE);
	process.exit(0);
}
let port;
if (args.port !== undefined) {
	port = Number(args.port);
	if (!Number.isInteger(port) || port < 1 || port > 65535) {
		console.error(`--port must be a TCP port number, got "${args.port}"\n${USAGE}`);
		process.exit(2);
	}
}

if (port !== undefined) {
	const net = await import('node:net');
	const free = await new Promise((resolve) => {
		const srv = net.createServer();
		srv.once('error', () => resolve(false));
		srv.listen(port, '127.0.0.1', () => srv.close(() => resolve(true)));
	});
	if (!free) {
		console.error(`--port ${port}: 127.0.0.1:${port} is already in use (another n8n?). Choose another port or leave --port out.`);
		process.exit(2);
	}
}

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
const secs = () => `${((Date.now() - t0) / 1000).toFixed(1)} s`;
const say = (m = '') => console.log(m);
const progress = (m) => console.log(`  · ${m}`);
const log = (line) => {
	if (args.verbose || /^\[(runtime|apt|redis|pkg|stand-in)\]/.test(line)) progress(line);
};
const n8nLog = args.verbose ? (line) => console.log(`    ${line}`) : () => {};

const PROVIDERS = {
	apiFansly: { name: 'API Fansly', envKey: 'APIFANSLY_API_KEY' },
	fansApi: { name: 'Fans API', envKey: 'FANSAPI_API_KEY' },
};
const realKeys = {};
for (const [id, p] of Object.entries(PROVIDERS)) {
	const key = process.env[p.envKey]?.trim();
	if (key) realKeys[id] = key;
}

/** The webhook bodies of the demo's two updates (the stand-in's seed links). */
const UPDATES = {
	apiFansly: {
		provider: 'apiFansly',
		accountId: SEED_IDS.apiFansly.accountId,
		trackingLinkId: SEED_IDS.apiFansly.linkIds[0],
		label: 'Twitter bio (demo)',
		description: 'Updated by the n8n-nodes-fansly demo',
	},
	fansApi: {
		provider: 'fansApi',
		accountId: SEED_IDS.fansApi.accountId,
		trackingLinkId: SEED_IDS.fansApi.linkIds[2],
		label: 'Reddit (demo)',
		description: 'Updated by the n8n-nodes-fansly demo',
	},
};

const indent = (text, n = 4) => text.replace(/^/gm, ' '.repeat(n));

async function pickerAccounts(rest, provider) {
	const cred = CREDENTIALS[provider];
	const res = await rest.request('POST', '/rest/dynamic-node-parameters/resource-locator-results', {
		nodeTypeAndVersion: { name: n8n.NODE_TYPE, version: 1 },
		path: 'parameters.account',
		methodName: 'searchAccounts',
		filter: '',
		credentials: { [cred.type]: { id: cred.id, name: cred.name } },
		currentNodeParameters: {
			authentication: cred.type,
			resource: 'trackingLink',
			operation: 'update',
			account: { __rl: true, mode: 'list', value: '' },
		},
	});
	if (res.status !== 200) throw new Error(`HTTP ${res.status}: ${res.json?.message ?? res.text.slice(0, 300)}`);
	return res.json.data.results;
}

/**
 * The Fansly Trigger example (examples/trigger-telegram.json): activate it (its first poll
 * only records the links), add a subscription to a link in the stand-in, and show the event
 * the next poll (every minute) starts the workflow with.
 */
async function triggerDemo(stack) {
	const name = 'New subscribers on a tracking link';
	const account = SEED_IDS.fansApi.accountId;
	const listPath = `/fansapi/api/fansly/${account}/tracking-links`;
	const polled = (seq) =>
		requestsSince(stack.standin, seq, 'fansApi').some((r) => r.method === 'GET' && r.rawPath === listPath);
	const wait = async (what, test, ms) => {
		const deadline = Date.now() + ms;
		while (!(await test())) {
			if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
			await new Promise((r) => setTimeout(r, 250));
		}
	};
	say(`Workflow "${stack.workflowNames.trigger}" (Fansly Trigger, Fans API, stand-in; its Telegram node is disabled)`);
	try {
		const api = await publicApi(stack);
		const seq = lastSeq(stack.standin);
		await api.activate(stack.workflows.trigger);
		await wait('the first poll', () => polled(seq), 15_000);
		say('  activated: the first poll recorded the account\'s links and started nothing');
		const link = stack.standin.store.fansApi.links.get(account).get(SEED_IDS.fansApi.linkIds[1]);
		link.subscriptions += 1;
		say(`  in the stand-in, "${link.label}" gets a new subscriber (${link.subscriptions - 1} → ${link.subscriptions}); waiting for the next poll (every minute) ...`);
		const execution = await api.nextExecution(stack.workflows.trigger, 0, { timeoutMs: 75_000 });
		const items = execution.data?.resultData?.runData?.[name]?.[0]?.data?.main?.[0]?.map((i) => i.json) ?? [];
		say(`  → execution ${execution.id} (${execution.status}), ${items.length} item(s):`);
		for (const item of items) {
			const { link: l, changes } = item;
			say(`    ${item.event}: "${l.label}" subscriptions ${changes.subscriptions.from} → ${changes.subscriptions.to} (+${changes.subscriptions.delta}), detected ${item.detectedAt}`);
			say(`    the Telegram node would send: "${l.label} +${changes.subscriptions.delta} subscriptions (now ${changes.subscriptions.to})"`);
		}
		const item = items[0];
		return items.length === 1 && item.event === 'increased' && item.changes?.subscriptions?.delta === 1;
	} catch (e) {
		say(`  FAILED: ${e.message}`);
		return false;
	}
}

async function main() {
	say(`n8n-nodes-fansly demo: a real n8n ${n8n.N8N_VERSION} with this package, ${args.once ? 'one run (--once)' : 'until Ctrl-C'}`);
	for (const [id, p] of Object.entries(PROVIDERS)) {
		if (realKeys[id])
			say(`  ! ${p.name}: ${p.envKey} is set, so its credential points at the REAL provider ${REAL_BASE_URLS[id]} (read-only: the account list, no update)`);
	}
	if (!realKeys.apiFansly && !realKeys.fansApi) say('  Both providers: the embedded stand-in on 127.0.0.1 (no internet).');
	say();
	say('Starting (first run installs n8n into .cache/, 3-5 minutes; later runs take seconds)');

	const stack = await startStack({
		build: !args['no-build'],
		port,
		realKeys,
		keep: args.keep,
		prefix: 'demo',
		log,
		n8nLog,
	});
	n8n.onStop(() => say(`\nStopped n8n and the stand-in${args.keep ? `; kept ${stack.userFolder}` : ', removed the user folder'}.`));
	progress(`n8n ready at ${stack.url} (${secs()} since start; ${Object.entries(stack.timings).map(([k, v]) => `${k} ${v} s`).join(', ')})`);
	say();

	const results = [];
	say(`Workflow "${stack.workflowNames.webhook}" (published at POST /webhook/${WEBHOOK_PATH}), once per provider:`);
	for (const [id, p] of Object.entries(PROVIDERS)) {
		if (realKeys[id]) {
			const rest = await stack.login();
			try {
				const accounts = await pickerAccounts(rest, id);
				say(`${p.name} (REAL provider, ${REAL_BASE_URLS[id]}): the key works; ${accounts.length} connected account(s):`);
				for (const a of accounts) say(`    ${a.value}  ${a.name}`);
				say('    No update sent to the real provider: open the workflows, pick your account and link, and run them.');
			} catch (e) {
				say(`${p.name} (REAL provider): listing the accounts failed: ${e.message}`);
				results.push(false);
			}
			say();
			continue;
		}
		const body = UPDATES[id];
		const res = await stack.callWebhook(body);
		say(`${p.name} (stand-in): POST /webhook/${WEBHOOK_PATH} ${JSON.stringify(body)}`);
		say(`  → HTTP ${res.status}, the normalised link:`);
		say(indent(res.json ? JSON.stringify(res.json, null, 2) : res.text));
		say();
		results.push(res.status === 200 && res.json?.id === body.trackingLinkId && res.json?.provider === id && res.json?.label === body.label);
	}

	if (!realKeys.fansApi) {
		const run = await stack.execute(stack.workflows.batch);
		const runData = run.json?.data?.resultData?.runData ?? {};
		const links = runData['Update tracking link']?.[0]?.data?.main?.[0]?.map((i) => i.json) ?? [];
		const summary = runData['Summary of changes']?.[0]?.data?.main?.[0]?.[0]?.json;
		say(`Workflow "${stack.workflowNames.batch}" (Fans API, stand-in): n8n execute --id=${stack.workflows.batch} → ${run.ok ? `${links.length} item(s), one per row` : 'FAILED'}`);
		if (summary?.message) say(indent(summary.message));
		else if (!run.ok) say(indent((run.stdout + run.stderr).split('\n').slice(-15).join('\n')));
		say();
		results.push(run.ok && links.length === 3);
		say();
		results.push(await triggerDemo(stack));
		say();
	}

	const ok = results.every(Boolean);
	const base = stack.url;
	say(`Editor:    ${stack.editorUrl}`);
	say(`Login:     ${n8n.OWNER.email} / ${n8n.OWNER.password}`);
	say(`Workflows: ${base}/workflow/${stack.workflows.batch}  "${stack.workflowNames.batch}"`);
	say(`           ${base}/workflow/${stack.workflows.webhook}  "${stack.workflowNames.webhook}" (published)`);
	if (!realKeys.fansApi) say(`           ${base}/workflow/${stack.workflows.trigger}  "${stack.workflowNames.trigger}" (active)`);
	const curlBody = !realKeys.fansApi
		? { provider: 'fansApi', accountId: SEED_IDS.fansApi.accountId, trackingLinkId: SEED_IDS.fansApi.linkIds[1], label: 'Twitter bio', description: 'From curl' }
		: !realKeys.apiFansly
			? { provider: 'apiFansly', accountId: SEED_IDS.apiFansly.accountId, trackingLinkId: SEED_IDS.apiFansly.linkIds[1], label: 'Reddit', description: 'From curl' }
			: { provider: 'fansApi', accountId: '<your account id>', trackingLinkId: '<your link id>', label: '<new label>' };
	say(`Try:       curl -s -X POST ${stack.webhookUrl} -H 'content-type: application/json' \\`);
	say(`             -H '${WEBHOOK_SECRET.header}: ${WEBHOOK_SECRET.value}' \\`);
	say(`             -d '${JSON.stringify(curlBody)}'`);
	if (!realKeys.apiFansly || !realKeys.fansApi) say(`Stand-in:  ${stack.standin.url}/__standin/requests (what the node sent), /__standin/store (the data)`);
	say();
	if (!ok) throw new Error('a demo step failed (see above)');
	say(`Demo OK (${secs()}).`);
	return stack;
}

let stack;
try {
	stack = await main();
	if (args.once) {
		await n8n.stopAll();
		process.exit(0);
	}
	say('n8n keeps running. Press Ctrl-C to stop everything the demo started.');
	// the lib's SIGINT/SIGTERM handler runs stopAll() (n8n, stand-in, user folder), then exits
	setInterval(() => {}, 1 << 30);
} catch (e) {
	if (interrupted) console.error('\nInterrupted: stopping everything the demo started.');
	else console.error(`\nDemo failed: ${e?.stack ?? e}`);
	await n8n.stopAll();
	process.exit(interrupted ? 130 : 1);
}
