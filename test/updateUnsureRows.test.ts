/**
 * Update (Fans API): the "unsure" link after an update that may have been made.
 * README, Retries and rate limits: "An update that failed where the provider may still have made
 * it (...) leaves the link unknown: the next row of that link that needs its current values (a
 * description-only update, Only Update When Different) reads the account again, so it never
 * skips a row as "the same" or sends back a label the failed update may have changed."
 * and "Updates to the same link never run at the same time and keep input order, so the last
 * row wins."
 *
 * Each test runs against a small STATEFUL fake Fans API (nock), where a 502 may still have
 * changed the link, and asserts what the provider holds after the run.
 */
import nock from 'nock';
import type { IDataObject } from 'n8n-workflow';

import { runFansly } from './helpers/engine';
import { trackUnmatched } from './fixtures/http';
import { fansApiCredentials, rawFyp, rawTwitter } from './fixtures/fansApi';
import type { PutOutcome } from './fixtures/updateRows';
import { statefulFansApi, updateRowsParams } from './fixtures/updateRows';

const T = rawTwitter.id;
const F = rawFyp.id;
const tracked = trackUnmatched();

/** The provider, its PUTs answered in the order they arrive as `script` says (then `ok`). */
function fakeServer(initial: IDataObject[], script: PutOutcome[], listed?: (read: number, link: IDataObject) => boolean) {
	const left = [...script];
	return statefulFansApi(initial, () => left.shift() ?? 'ok', listed);
}

const run = async (options: IDataObject, items: IDataObject[]) =>
	await runFansly({ parameters: updateRowsParams(options), items, credentials: fansApiCredentials, continueOnFail: true });

afterEach(() => {
	expect(tracked.unmatched).toEqual([]);
	nock.cleanAll();
});

describe('after the re-read resolved an unsure link, later rows of that link', () => {
	it('OUWD: a row skipped on the re-read does not make a later row compare with the list read before the failed update', async () => {
		// Row 0 renames to "New": 502, but the provider made it. Row 1 asks "New": the re-read shows
		// "New", skipped (correct). Row 2 asks the original label back: the provider holds "New",
		// so row 2 must be sent. The last row wins.
		const server = fakeServer([rawTwitter], ['applied502']);
		const { items } = await run({ onlyUpdateWhenDifferent: true }, [
			{ link: T, label: 'New' },
			{ link: T, label: 'New' },
			{ link: T, label: rawTwitter.label },
		]);
		expect(items[1].json.skipped).toBe(true);
		expect(items[2].json.skipped).toBe(false);
		expect(server.links.get(T)?.label).toBe(rawTwitter.label);
	});

	it('OUWD + description only: a row skipped on the re-read does not make a later description-only row send the label from before the failed update', async () => {
		const server = fakeServer([rawTwitter], ['applied502']);
		await run({ onlyUpdateWhenDifferent: true }, [
			{ link: T, label: 'New' },
			{ link: T, label: 'New' },
			{ link: T, description: 'd' },
		]);
		expect(server.links.get(T)).toMatchObject({ label: 'New', description: 'd' });
	});

	it('no OUWD: the row that re-read was refused (422); a later description-only row does not send back the label from before the failed update', async () => {
		// Row 0 (another link) reads the list. Row 1 renames T to "New": 502, made. Row 2 (T,
		// description only) re-reads, sends "New", refused 422 (nothing changed). Row 3 (T,
		// description only) must still send "New".
		const server = fakeServer([rawFyp, rawTwitter], ['ok', 'applied502', 'refused422', 'ok']);
		const { items } = await run({ maxConcurrency: 1 }, [
			{ link: F, description: 'x' },
			{ link: T, label: 'New' },
			{ link: T, description: 'c' },
			{ link: T, description: 'd' },
		]);
		expect(items[2].json.httpCode).toBe(422);
		expect(server.log.filter((r) => r[0] === 'PUT' && r[1] === T).map((r) => (r[2] as IDataObject).label)).toEqual(['New', 'New', 'New']);
		expect(server.links.get(T)).toMatchObject({ label: 'New', description: 'd' });
	});

	it('no OUWD: a re-read made for another unsure link before this link was updated successfully is not used for this link afterwards', async () => {
		// Row 0: FYP renamed, 502 (made) -> FYP unsure. Row 1: T renamed "X", 502 (made) -> T
		// unsure. Row 2: FYP description only: re-reads the account (T is "X" then). Row 3: T
		// renamed "Y", 200: the run knows T is "Y". Row 4: T description only must send "Y".
		const server = fakeServer([rawFyp, rawTwitter], ['applied502', 'applied502', 'ok', 'ok', 'ok']);
		const { items } = await run({ maxConcurrency: 1 }, [
			{ link: F, label: 'F1' },
			{ link: T, label: 'X' },
			{ link: F, description: 'x' },
			{ link: T, label: 'Y' },
			{ link: T, description: 'd' },
		]);
		expect(items.map((i) => i.json.error === undefined)).toEqual([false, false, true, true, true]);
		expect(server.links.get(T)).toMatchObject({ label: 'Y', description: 'd' });
		expect(items[4].json).toMatchObject({ label: 'Y', description: 'd' });
	});

	it('OUWD, Max Concurrency 8: two links of one account unsure at once, each later row compares with a read made after its own failed update', async () => {
		const server = fakeServer([rawFyp, rawTwitter], ['applied502', 'applied502']);
		const { items } = await run({ onlyUpdateWhenDifferent: true, maxConcurrency: 8 }, [
			{ link: F, label: 'F-new' },
			{ link: T, label: 'T-new' },
			{ link: F, label: rawFyp.label },
			{ link: T, label: rawTwitter.label },
		]);
		expect(items[2].json.skipped).toBe(false);
		expect(items[3].json.skipped).toBe(false);
		expect(server.links.get(F)?.label).toBe(rawFyp.label);
		expect(server.links.get(T)?.label).toBe(rawTwitter.label);
	});

	it('a re-read that lists the unsure link missing: the description-only row fails naming the link, and the next row of it does not send the old label', async () => {
		// Made by row 1's update, then gone from the list (deleted elsewhere): row 2 fails "not
		// found"; row 3 must not fall back to the list read before row 1 and send the old label.
		// The second read (row 2's, after row 1's update) leaves T out.
		const server = fakeServer([rawFyp, rawTwitter], ['ok', 'applied502'], (read, link) => !(read === 2 && link.id === T));
		const { items } = await run({ maxConcurrency: 1 }, [
			{ link: F, description: 'x' },
			{ link: T, label: 'New' },
			{ link: T, description: 'c' },
			{ link: T, description: 'd' },
		]);
		expect(items[2].json.error).toMatch(/not found/);
		const puts = server.log.filter((r) => r[0] === 'PUT' && r[1] === T).map((r) => r[2] as IDataObject);
		// Whatever row 3 does, it never sends the label from before row 1's update.
		expect(puts.map((p) => p.label)).not.toContain(rawTwitter.label);
	});
});
