// CPU profile analysis (--profile): where the n8n main process spends its time during a run.

import fs from 'node:fs';
import path from 'node:path';

function category(frame) {
	const { url, functionName } = frame;
	if (!url) {
		if (functionName === '(garbage collector)') return 'GC';
		if (functionName === '(idle)') return 'idle';
		if (functionName === '(program)') return 'V8/native (program)';
		return `native ${functionName || '(anonymous)'}`;
	}
	if (url.includes('/n8n-nodes-fansly/')) return 'our package (n8n-nodes-fansly)';
	if (url.includes('/n8n-nodes-base/')) return 'n8n-nodes-base (HTTP Request node)';
	if (url.startsWith('node:')) return 'Node.js built-ins (http, net, streams, timers...)';
	const at = url.lastIndexOf('node_modules/');
	const m = at >= 0 ? /^((?:@[^/]+\/)?[^/]+)\//.exec(url.slice(at + 'node_modules/'.length)) : null;
	return m ? m[1] : url.replace(/^.*\//, '');
}

function frameName(f) {
	const file = f.url ? f.url.replace(/^.*node_modules\//, '').replace(/^file:\/\//, '') : '';
	return `${f.functionName || '(anonymous)'} ${file}${f.url ? `:${f.lineNumber + 1}` : ''}`;
}

/**
 * Where a sample's time goes, by the first rule its stack matches (leaf first in `frames`).
 * Order matters: a DB query made to fetch a credential counts as "credential", not as "DB".
 */
const BUCKETS = [
	['GC', (frames) => frames[0].functionName === '(garbage collector)'],
	['idle', (frames) => frames[0].functionName === '(idle)'],
	['n8n statistics hook per fetched request (DB)', (frames) => frames.some((f) => /workflow-statistics|onFetched/.test(`${f.url} ${f.functionName}`))],
	['credential: load from DB + decrypt (per item)', (frames) => frames.some((f) => /@n8n\/typeorm|sqlite3|encryption\/cipher|aes-256|getDecrypted|getCredentials/.test(`${f.url} ${f.functionName}`))],
	['credential: auth header expression (per request)', (frames) => frames.some((f) => f.url.includes('credentials-helper') && f.functionName === 'authenticate')],
	['item parameters: expressions + getNodeParameter', (frames) => frames.some((f) => f.functionName === '_getNodeParameter' || f.functionName === 'getNodeParameter')],
	['other expression evaluation', (frames) => frames.some((f) => f.url.includes('expression-runtime') || f.url.includes('workflow-expression'))],
	['HTTP client (axios, follow-redirects, node http/net)', (frames) => frames.some((f) => /axios|follow-redirects|backend-network|node:_http|node:net|node:internal\/stream|stream_base|node:http/.test(f.url))],
	['our code (transport, zod, normalise)', (frames) => frames.some((f) => f.url.includes('n8n-nodes-fansly') || f.url.includes('/zod/'))],
	['HTTP Request node own code', (frames) => frames.some((f) => f.url.includes('n8n-nodes-base'))],
];

/**
 * Self and inclusive CPU time per category and per function, for the samples of the main n8n
 * process inside the run's time window (µs, CLOCK_MONOTONIC on both sides).
 */
export function analyseProfile(file, [from, to]) {
	const prof = JSON.parse(fs.readFileSync(file, 'utf8'));
	const byId = new Map(prof.nodes.map((n) => [n.id, n]));
	const parent = new Map();
	for (const n of prof.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
	const selfCat = new Map();
	const selfFn = new Map();
	const inclFn = new Map();
	const inclCat = new Map();
	const buckets = new Map();
	let t = prof.startTime;
	let total = 0;
	let inWindow = 0;
	for (let i = 0; i < prof.samples.length; i++) {
		t += prof.timeDeltas[i];
		if (t < from || t > to) continue;
		const dt = prof.timeDeltas[i + 1] ?? 0;
		inWindow++;
		const node = byId.get(prof.samples[i]);
		const cat = category(node.callFrame);
		total += dt;
		selfCat.set(cat, (selfCat.get(cat) ?? 0) + dt);
		const fn = frameName(node.callFrame);
		selfFn.set(fn, (selfFn.get(fn) ?? 0) + dt);
		const frames = [];
		for (let id = node.id; id !== undefined; id = parent.get(id)) frames.push(byId.get(id).callFrame);
		const bucket = (BUCKETS.find(([, match]) => match(frames)) ?? ['n8n engine / other'])[0];
		buckets.set(bucket, (buckets.get(bucket) ?? 0) + dt);
		const seenFn = new Set();
		const seenCat = new Set();
		for (let id = node.id; id !== undefined; id = parent.get(id)) {
			const f = byId.get(id).callFrame;
			const name = frameName(f);
			if (!seenFn.has(name)) {
				seenFn.add(name);
				inclFn.set(name, (inclFn.get(name) ?? 0) + dt);
			}
			const c = category(f);
			if (!seenCat.has(c)) {
				seenCat.add(c);
				inclCat.set(c, (inclCat.get(c) ?? 0) + dt);
			}
		}
	}
	const ms = (us) => +(us / 1000).toFixed(1);
	const top = (m, k) => [...m].sort((a, b) => b[1] - a[1]).slice(0, k).map(([name, us]) => ({ name, ms: ms(us), pct: +((100 * us) / Math.max(1, total)).toFixed(1) }));
	return {
		file: path.basename(file),
		profileSpanUs: [prof.startTime, prof.endTime],
		windowUs: [from, to],
		samplesInWindow: inWindow,
		windowMs: ms(to - from),
		sampledMs: ms(total),
		buckets: top(buckets, 20),
		selfByCategory: top(selfCat, 30),
		inclusiveByCategory: top(inclCat, 30),
		selfTopFunctions: top(selfFn, 40),
		inclusiveTopFunctions: top(inclFn, 80),
	};
}
