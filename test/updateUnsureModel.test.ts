/**
 * Random batches of updates on three links of one account, Max Concurrency 1 and 8, with and without Only Update When Different, against a stateful fake
 * Fans API whose PUTs may fail after being made (502), fail without (502), be refused (422) or
 * succeed. Compared with a sequential oracle of the README's promises: updates of one link keep
 * input order ("the last row wins"), a description-only update keeps the label the provider holds
 * ("never sends back a label the failed update may have changed"), and OUWD skips exactly the rows
 * whose values the provider already holds ("never skips a row as 'the same'").
 */
import nock from 'nock';
import type { IDataObject } from 'n8n-workflow';

import { runFansly } from './helpers/engine';
import { fansApiCredentials, rawFyp, rawRetweet, rawTwitter } from './fixtures/fansApi';
import type { PutOutcome as Outcome } from './fixtures/updateRows';
import { statefulFansApi, updateRowsParams } from './fixtures/updateRows';

const LINKS = [rawFyp, rawTwitter, { ...rawRetweet, label: 'Retweet' }];
const OUTCOMES: Outcome[] = ['ok', 'ok', 'applied502', 'notApplied502', 'refused422'];

function rng(seed: number) {
	let s = seed >>> 0;
	return () => {
		s = (s * 1664525 + 1013904223) >>> 0;
		return s / 2 ** 32;
	};
}

interface Row {
	link: string;
	label?: string;
	description?: string;
}

interface Scenario {
	rows: Row[];
	/** Outcome of the n-th PUT of each link. */
	outcomes: Map<string, Outcome[]>;
}

function scenario(seed: number): Scenario {
	const r = rng(seed);
	const pick = <T>(xs: T[]) => xs[Math.floor(r() * xs.length)];
	const rows: Row[] = [];
	const n = 4 + Math.floor(r() * 6);
	for (let i = 0; i < n; i++) {
		const link = pick(LINKS).id;
		const kind = pick(['label', 'description', 'both']);
		const row: Row = { link };
		if (kind !== 'description') row.label = pick(['A', 'B']);
		if (kind !== 'label') row.description = pick(['x', 'y']);
		rows.push(row);
	}
	const outcomes = new Map(LINKS.map((l) => [l.id, Array.from({ length: 12 }, () => pick(OUTCOMES))]));
	return { rows, outcomes };
}

interface Oracle {
	final: Map<string, { label: string | null; description: string | null }>;
	skipped: boolean[];
}

function oracle(sc: Scenario, ouwd: boolean): Oracle {
	const state = new Map(LINKS.map((l) => [l.id, { label: l.label as string | null, description: l.description as string | null }]));
	const used = new Map(LINKS.map((l) => [l.id, 0]));
	const skipped: boolean[] = [];
	for (const row of sc.rows) {
		const s = state.get(row.link)!;
		if (
			ouwd &&
			(row.label === undefined || row.label === (s.label ?? '')) &&
			(row.description === undefined || row.description === (s.description ?? ''))
		) {
			skipped.push(true);
			continue;
		}
		skipped.push(false);
		const k = used.get(row.link)!;
		used.set(row.link, k + 1);
		const outcome = sc.outcomes.get(row.link)![k];
		if (outcome === 'ok' || outcome === 'applied502') {
			if (row.label !== undefined) s.label = row.label;
			if (row.description !== undefined) s.description = row.description;
		}
	}
	return { final: state, skipped };
}

/** The provider, each link's PUTs answered in turn as the scenario says. */
function serve(sc: Scenario) {
	const used = new Map(LINKS.map((l) => [l.id, 0]));
	return statefulFansApi(LINKS, (id) => {
		const k = used.get(id) ?? 0;
		used.set(id, k + 1);
		return sc.outcomes.get(id)?.[k] ?? 'ok';
	});
}

afterEach(() => nock.cleanAll());

describe('random update batches against a stateful provider', () => {
	const SEEDS = Array.from({ length: 60 }, (_, i) => i + 1);
	for (const ouwd of [false, true]) {
		for (const maxConcurrency of [1, 8]) {
			it(`OUWD ${ouwd}, Max Concurrency ${maxConcurrency}: final state and skips match the sequential oracle`, async () => {
				const failures: string[] = [];
				for (const seed of SEEDS) {
					const sc = scenario(seed);
					const server = serve(sc);
					const { items } = await runFansly({
						parameters: updateRowsParams({ onlyUpdateWhenDifferent: ouwd, maxConcurrency }),
						items: sc.rows as unknown as IDataObject[],
						credentials: fansApiCredentials,
						continueOnFail: true,
					});
					nock.cleanAll();
					const want = oracle(sc, ouwd);
					for (const l of LINKS) {
						const got = server.links.get(l.id)!;
						const w = want.final.get(l.id)!;
						if (got.label !== w.label || got.description !== w.description) {
							failures.push(`seed ${seed}: link ${l.id.slice(-1)} holds ${JSON.stringify([got.label, got.description])}, oracle ${JSON.stringify([w.label, w.description])}; rows ${JSON.stringify(sc.rows.map((r) => [r.link.slice(-1), r.label, r.description]))}`);
						}
					}
					if (ouwd) {
						items.forEach((item, i) => {
							if (item.json.skipped === true && !want.skipped[i]) failures.push(`seed ${seed}: row ${i} skipped as the same, oracle sends it`);
						});
					}
				}
				expect(failures).toEqual([]);
			}, 120000);
		}
	}
});
